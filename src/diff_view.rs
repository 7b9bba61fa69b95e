//! `migrate --diff`: the Rule-to-Action diff for a terminal, with each finding shown under the
//! Rule line it concerns, unified or side by side (`--side-by-side`, as wide as the terminal).

use similar::{ChangeTag, TextDiff};

use crate::finding::Finding;
use crate::registry::Severity;
use crate::span::LineIndex;

/// How to show the diff.
#[derive(Debug, Clone, Copy)]
pub struct DiffStyle {
    pub color: bool,
    /// Findings under their lines. Off, the diff stays a valid patch (for a pipe).
    pub notes: bool,
    /// Two columns, Rule | Action, to fit this many characters; unified when `None`.
    pub side_by_side: Option<usize>,
}

/// The diff from `before` (the Rule) to `after` (the Action), findings interleaved.
pub fn diff_with_findings(
    name: &str,
    before: &str,
    after: &str,
    findings: &[Finding],
    style: DiffStyle,
) -> String {
    let index = LineIndex::new(before);
    // Warnings and errors, by the 0-based Rule line they start on.
    let mut notes: Vec<(usize, String, Severity)> = findings
        .iter()
        .filter(|f| style.notes && f.severity() >= Severity::Warning)
        .map(|f| {
            let line = index.position(f.span.start).line - 1;
            (
                line,
                format!("{} {}: {}", f.code.id(), f.severity(), f.message),
                f.severity(),
            )
        })
        .collect();
    notes.sort_by_key(|(line, ..)| *line);
    let paint = |text: &str, code: &str| {
        if style.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = paint(&format!("--- a/{name}\n+++ b/{name}\n"), "1");
    let diff = TextDiff::from_lines(before, after);
    for group in diff.grouped_ops(3) {
        let (first, last) = (&group[0], &group[group.len() - 1]);
        let old = first.old_range().start..last.old_range().end;
        let new = first.new_range().start..last.new_range().end;
        out.push_str(&paint(
            &format!(
                "@@ -{},{} +{},{} @@\n",
                old.start + 1,
                old.len(),
                new.start + 1,
                new.len()
            ),
            "36",
        ));
        for op in &group {
            for change in diff.iter_changes(op) {
                let text = change.value().trim_end_matches(['\n', '\r']);
                let line = match style.side_by_side {
                    None => {
                        let (sign, color) = match change.tag() {
                            ChangeTag::Delete => ("-", "31"),
                            ChangeTag::Insert => ("+", "32"),
                            ChangeTag::Equal => (" ", ""),
                        };
                        let line = format!("{sign}{text}");
                        if color.is_empty() {
                            line
                        } else {
                            paint(&line, color)
                        }
                    }
                    Some(width) => side_by_side_line(change.tag(), text, width, &paint),
                };
                out.push_str(&line);
                out.push('\n');
                if let (Some(old_line), ChangeTag::Delete | ChangeTag::Equal) =
                    (change.old_index(), change.tag())
                {
                    for (_, note, severity) in notes.iter().filter(|(l, ..)| *l == old_line) {
                        let color = if *severity == Severity::Error {
                            "1;31"
                        } else {
                            "1;33"
                        };
                        out.push_str(&paint(&format!("  ^ {note}"), color));
                        out.push('\n');
                    }
                }
            }
        }
    }
    out
}

/// `Rule line │ Action line`, each half cut to fit.
fn side_by_side_line(
    tag: ChangeTag,
    text: &str,
    width: usize,
    paint: &dyn Fn(&str, &str) -> String,
) -> String {
    let half = width.saturating_sub(3) / 2;
    let fit = |s: &str| {
        let s: String = s.replace('\t', "  ").chars().take(half).collect();
        format!("{s:<half$}")
    };
    match tag {
        ChangeTag::Equal => format!("{} │ {}", fit(text), fit(text)),
        ChangeTag::Delete => format!("{} │ {}", paint(&fit(text), "31"), fit("")),
        ChangeTag::Insert => format!("{} │ {}", fit(""), paint(&fit(text), "32")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate_rule;

    #[test]
    fn findings_follow_the_rule_line_they_concern() {
        let rule = "function (user, context, callback) {\n  if (!user.email_verified) {\n    return callback(new UnauthorizedError('verify'));\n  }\n  callback(null, user, context);\n}\n";
        let migration = migrate_rule(rule.as_bytes());
        let style = DiffStyle {
            color: false,
            notes: true,
            side_by_side: None,
        };
        let diff = diff_with_findings(
            "r.js",
            rule,
            migration.output().unwrap(),
            &migration.findings,
            style,
        );
        let deleted = diff
            .find("-    return callback(new UnauthorizedError('verify'));\n")
            .expect("the Rule line");
        let note = diff.find("  ^ R2A101 warning:").expect("the finding");
        assert!(deleted < note, "{diff}");
        let wide = DiffStyle {
            color: false,
            notes: true,
            side_by_side: Some(100),
        };
        let columns = diff_with_findings(
            "r.js",
            rule,
            migration.output().unwrap(),
            &migration.findings,
            wide,
        );
        assert!(
            columns
                .lines()
                .any(|l| l.contains(" │ ") && l.starts_with("function")),
            "{columns}"
        );
        assert!(
            columns
                .lines()
                .all(|l| l.chars().count() <= 100 || l.starts_with("  ^")),
            "{columns}"
        );
    }
}
