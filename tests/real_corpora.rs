//! The tool on code nobody here wrote: the 88 rule templates of auth0/rules and the 27
//! marketplace Actions in `../shared/corpora` (read in place, never copied). Every rule yields
//! an Action that Node compiles, or a finding that says why not; each status and each `verify`
//! verdict is snapshotted, so any change in how real rules come out shows in review; a rule the
//! tool calls complete (no error finding) never behaves differently.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use rules2actions::verify::{Verdict, VerifyOptions};
use rules2actions::{migrate_rule, Migration, Outcome, Status};

fn corpora() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora")
}

/// Files of `dir` with extension `ext`, sorted, or `None` (with a line saying so) when the
/// corpora are not on this machine; under `CI` they must be.
fn files(dir: &Path, ext: &str) -> Option<Vec<PathBuf>> {
    let Ok(entries) = fs::read_dir(dir) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing (see README)",
            dir.display()
        );
        eprintln!("SKIPPED: {} is missing", dir.display());
        return None;
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    paths.sort();
    Some(paths)
}

fn public_rules() -> Option<Vec<(String, Migration)>> {
    let paths = files(&corpora().join("auth0-rules/src/rules"), "js")?;
    Some(
        paths
            .iter()
            .map(|path| {
                let name = path.file_stem().unwrap().to_string_lossy().into_owned();
                (name, migrate_rule(&fs::read(path).expect("readable")))
            })
            .collect(),
    )
}

/// Compiles every `(name, code)` in one Node process, as a CommonJS module body; returns the
/// ones that do not compile, with Node's message.
fn not_compiling(sources: &[(String, String)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("sources.json");
    fs::write(&list, serde_json::to_string(sources).unwrap()).unwrap();
    let script = "const vm = require('vm');\
        const sources = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));\
        for (const [name, code] of sources) {\
          try { new vm.Script(`(function (exports, require, module) {${code}\\n})`); }\
          catch (e) { console.log(`${name}: ${e.message}`); }\
        }";
    let output = Command::new("node")
        .args(["-e", script])
        .arg(&list)
        .output()
        .expect("Node.js is installed (see README)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn every_public_rule_yields_an_action_node_compiles_or_says_why_not() {
    let Some(rules) = public_rules() else { return };
    assert_eq!(rules.len(), 88, "the 88 templates of auth0/rules");
    let outputs: Vec<(String, String)> = rules
        .iter()
        .filter_map(|(name, m)| Some((name.clone(), m.output()?.to_string())))
        .collect();
    if common::has("node") {
        assert_eq!(not_compiling(&outputs), Vec::<String>::new());
    }
    let mut lines = Vec::new();
    for (name, migration) in &rules {
        let mut codes: Vec<&str> = migration.findings.iter().map(|f| f.code.id()).collect();
        codes.sort_unstable();
        codes.dedup();
        lines.push(format!(
            "{name:<44} {:<12} {}",
            format!("{:?}", migration.status()),
            codes.join(" ")
        ));
        if migration.outcome == Outcome::Failed {
            assert!(
                !migration.findings.is_empty(),
                "{name} failed without a finding"
            );
        }
    }
    let failed = rules
        .iter()
        .filter(|(_, m)| m.status() == Status::Failed)
        .count();
    assert_eq!(failed, 0, "every public rule converts, in full or in part");
    // Issue 15's bar, and a ratchet: lower it when fewer need a person.
    let manual: Vec<&str> = rules
        .iter()
        .filter(|(_, m)| m.status() == Status::ManualWork)
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(
        manual.len() <= 10,
        "{} public rules need manual work: {}",
        manual.len(),
        manual.join(", ")
    );
    let _guard = common::snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("real_corpora__auth0_rules_statuses", lines.join("\n"));
}

/// The hand-written marketplace Actions: each template's folder and its `code.js`, in order.
fn marketplace_actions() -> Vec<(PathBuf, String)> {
    let templates = corpora().join("auth0-marketplace/templates");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&templates)
        .expect("the marketplace templates sit beside the rules")
        .map(|e| e.expect("entry").path())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let code = dir.join("code.js");
            let text =
                fs::read_to_string(&code).unwrap_or_else(|e| panic!("{}: {e}", code.display()));
            (dir, text)
        })
        .collect()
}

/// Each Action migrated again is already an Action, left byte for byte as it was.
#[test]
fn migrated_public_rules_and_marketplace_actions_are_left_alone_when_migrated_again() {
    let Some(rules) = public_rules() else { return };
    let mut actions: Vec<(String, String)> = rules
        .iter()
        .filter_map(|(name, m)| Some((name.clone(), m.output()?.to_string())))
        .collect();
    actions.extend(
        marketplace_actions()
            .into_iter()
            .map(|(dir, text)| (dir.join("code.js").display().to_string(), text)),
    );
    assert!(actions.len() >= 84 + 27, "{} Actions", actions.len());
    for (name, action) in actions {
        let again = migrate_rule(action.as_bytes());
        assert_eq!(again.outcome, Outcome::AlreadyAction, "{name}");
        assert_eq!(again.output(), Some(action.as_str()), "{name}");
        // Neither the tool's Actions nor the hand-written ones call an `api` member that
        // does not exist.
        let invented: Vec<&str> = again
            .findings
            .iter()
            .filter(|f| f.code == rules2actions::registry::Code::ActionApiMemberUnknown)
            .map(|f| f.message.as_ref())
            .collect();
        assert!(invented.is_empty(), "{name}: {invented:?}");
    }
}

/// `check` on the 27 hand-written marketplace Actions: no error, and every other finding is
/// listed here with its line (each is a real case: `simple-domain-allowlist` goes on after
/// denying an unverified email, so its domain checks still run).
#[test]
fn hand_written_marketplace_actions_get_no_error_and_each_warning_is_listed() {
    if files(&corpora().join("auth0-rules/src/rules"), "js").is_none() {
        return;
    }
    let actions = marketplace_actions();
    assert_eq!(actions.len(), 27);
    let mut lines = Vec::new();
    for (dir, text) in actions {
        let checked = migrate_rule(text.as_bytes());
        assert_eq!(checked.outcome, Outcome::AlreadyAction);
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        for finding in &checked.findings {
            if finding.code == rules2actions::registry::Code::AlreadyAnAction {
                continue;
            }
            assert_ne!(
                finding.severity(),
                rules2actions::registry::Severity::Error,
                "{name}: {}",
                finding.message
            );
            let line = text[..finding.span.start].matches('\n').count() + 1;
            lines.push(format!(
                "{name}:{line} {} {}",
                finding.code.id(),
                finding.message
            ));
        }
    }
    let _guard = common::snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("real_corpora__marketplace_findings", lines.join("\n"));
}

/// `verify` on every converted public rule, with the packages of `tests/npm-tools`. A rule with
/// no error finding is never found differing: its Action claims to be complete. Each verdict is
/// snapshotted, with counts that may only improve.
#[test]
fn verify_never_finds_a_silent_difference_in_a_public_rule() {
    if !common::has("node") {
        return;
    }
    let Some(modules) = common::npm_tools() else {
        return;
    };
    let Some(rules) = public_rules() else { return };
    let converted: Vec<(String, Migration)> = rules
        .into_iter()
        .filter(|(_, m)| m.output().is_some())
        .collect();
    let results = common::verify_all(converted, |_| VerifyOptions {
        modules: Some(modules.clone()),
        budget: common::scenario_budget(),
        ..VerifyOptions::default()
    });
    let mut lines = Vec::new();
    let mut equivalent = 0;
    // Equivalent with no difference at all, not even one a finding announced.
    let mut exact = 0;
    let mut silent = Vec::new();
    for (name, migration, verification) in &results {
        let verdict = if verification.missing_packages.is_empty() {
            let verdict = verification.verdict();
            if verdict == Verdict::Differs && migration.status() != Status::ManualWork {
                let first = &verification.unexpected[0];
                silent.push(format!(
                    "{name} ({:?}), the base login with {:?}\n  rule:   {}\n  action: {}",
                    migration.status(),
                    first.changes(),
                    first.rule,
                    first.action
                ));
            }
            equivalent += usize::from(verdict == Verdict::Equivalent);
            let same_everywhere =
                verdict == Verdict::Equivalent && verification.expected.is_empty();
            exact += usize::from(same_everywhere);
            match (verdict, same_everywhere) {
                (Verdict::Equivalent, false) => {
                    let mut codes: Vec<String> = verification
                        .expected
                        .iter()
                        .flat_map(|(_, codes)| codes.iter().map(|c| c.id().to_string()))
                        .collect();
                    codes.sort();
                    codes.dedup();
                    format!("Equivalent, announced: {}", codes.join(" "))
                }
                _ => format!("{verdict:?}"),
            }
        } else {
            format!("needs {}", verification.missing_packages.join(", "))
        };
        lines.push(format!("{name:<44} {verdict}"));
    }
    assert!(
        silent.is_empty(),
        "complete Actions that differ:\n{}",
        silent.join("\n")
    );
    // Ratchets: raise them when the counts improve.
    assert!(equivalent >= 72, "only {equivalent} public rules proven");
    assert!(
        exact >= 41,
        "only {exact} public rules behave the same in every scenario"
    );
    eprintln!("{equivalent} public rules equivalent, {exact} of them with no difference at all");
    let _guard = common::snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("real_corpora__auth0_rules_verdicts", lines.join("\n"));
}
