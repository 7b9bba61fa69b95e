//! Every corpus rule: an insta snapshot of input, findings and output, plus the invariants
//! that hold for every generated Action.

mod common;

use common::{corpus, document, snapshot_settings};

use rules2actions::parse::check_script;
use rules2actions::{migrate_rule, Migration, Outcome};

fn status(migration: &Migration) -> &'static str {
    migration.status().label()
}

#[test]
fn corpus_snapshots() {
    let corpus = corpus();
    assert!(
        corpus.len() >= 40,
        "the corpus holds {} rules",
        corpus.len()
    );
    let _guard = snapshot_settings().bind_to_scope();
    // Every rule is compared before the test fails, so one run reports (and, under
    // `INSTA_UPDATE`, writes) every changed snapshot, as `insta::glob!` would.
    let changed: Vec<&String> = corpus
        .iter()
        .filter(|(name, bytes)| {
            let migration = migrate_rule(bytes);
            let document = document(&migration);
            std::panic::catch_unwind(|| {
                insta::assert_snapshot!(format!("corpus__{name}"), document);
            })
            .is_err()
        })
        .map(|(name, _)| name)
        .collect();
    assert!(changed.is_empty(), "changed snapshots: {changed:?}");
}

/// A ratchet over the whole corpus: counts and open codes per rule.
#[test]
fn corpus_summary() {
    let mut lines = Vec::new();
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for (name, bytes) in corpus() {
        let migration = migrate_rule(&bytes);
        *counts.entry(status(&migration)).or_default() += 1;
        let codes: std::collections::BTreeSet<&str> =
            migration.findings.iter().map(|f| f.code.id()).collect();
        let codes: Vec<&str> = codes.into_iter().collect();
        lines.push(format!(
            "{:<48} {:<18} {}",
            name,
            status(&migration),
            codes.join(" ")
        ));
    }
    let totals: Vec<String> = counts.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let summary = format!("{}\n\n{}\n", totals.join(", "), lines.join("\n"));
    let _guard = snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("corpus_summary", summary);
}

#[test]
fn every_action_reparses_and_is_stable_when_migrated_again() {
    for (name, bytes) in corpus() {
        let first = migrate_rule(&bytes);
        let Some(action) = first.output() else {
            panic!("{} failed: {:?}", name, first.findings);
        };
        check_script(action).unwrap_or_else(|e| panic!("{}: {e:?}", name));
        let second = migrate_rule(action.as_bytes());
        assert_eq!(second.outcome, Outcome::AlreadyAction, "{}", name);
        assert_eq!(second.output(), Some(action), "{}", name);
    }
}

/// Comments are part of what reviewers read: none may disappear.
#[test]
fn every_comment_survives() {
    for (name, bytes) in corpus() {
        let migration = migrate_rule(&bytes);
        let output = migration.output().expect("converted");
        for comment in comments(&migration.source) {
            assert!(
                output.contains(comment.trim_end()),
                "{}: lost comment {comment:?}",
                name
            );
        }
    }
}

/// Lines that no edit touches stay byte-identical, in order: only edited lines change, and
/// insertions (markers, `require`s) add whole lines.
#[test]
fn untouched_lines_keep_their_bytes() {
    for (name, bytes) in corpus() {
        let migration = migrate_rule(&bytes);
        let output = migration.output().expect("converted");
        let source = migration.source.as_str();
        let mut remaining = output.lines();
        let mut line_start = 0;
        let mut checked = 0;
        for line in source.split_inclusive('\n') {
            let line_end = line_start + line.len();
            let touched = migration.edits.iter().any(|e| {
                let inserts_at_line_start =
                    e.span.start == e.span.end && e.span.start == line_start;
                !inserts_at_line_start && e.span.start < line_end && e.span.end > line_start
                    || e.span.start == e.span.end
                        && e.span.start > line_start
                        && e.span.start < line_end
            });
            if !touched {
                let text = line.trim_end_matches(['\n', '\r']);
                assert!(
                    remaining.any(|out| out == text),
                    "{}: untouched line changed or moved: {text:?}",
                    name
                );
                checked += 1;
            }
            line_start = line_end;
        }
        assert!(checked > 0, "{}", name);
    }
}

fn comments(source: &str) -> Vec<String> {
    use swc_common::comments::{Comments, SingleThreadedComments};
    use swc_common::BytePos;
    use swc_ecma_parser::{lexer::Lexer, EsSyntax, StringInput, Syntax};
    let comments = SingleThreadedComments::default();
    let input = StringInput::new(source, BytePos(1), BytePos(1 + source.len() as u32));
    let lexer = Lexer::new(
        Syntax::Es(EsSyntax::default()),
        Default::default(),
        input,
        Some(&comments as &dyn Comments),
    );
    for _ in lexer {}
    let (leading, trailing) = comments.take_all();
    let mut all: Vec<_> = leading
        .take()
        .into_values()
        .chain(trailing.take().into_values())
        .flatten()
        .collect();
    all.sort_by_key(|c| c.span.lo);
    all.into_iter()
        .map(|c| {
            let start = (c.span.lo.0 - 1) as usize;
            let end = (c.span.hi.0 - 1) as usize;
            source[start..end].to_string()
        })
        .collect()
}
