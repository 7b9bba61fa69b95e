//! `migrate --diff`: the Rule-to-Action diff for a terminal, with each finding shown under the
//! Rule line it concerns, unified or side by side (`--side-by-side`, as wide as the terminal, a
//! changed line beside its replacement with the changed words marked, long lines wrapped).

use similar::{ChangeTag, TextDiff};

use crate::diff_rows::{row_pieces, rows, wrap};

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
    let note_lines = |out: &mut String, old_line: usize| {
        for (_, note, severity) in notes.iter().filter(|(l, ..)| *l == old_line) {
            let color = if *severity == Severity::Error {
                "1;31"
            } else {
                "1;33"
            };
            out.push_str(&paint(&format!("  ^ {note}"), color));
            out.push('\n');
        }
    };
    if let Some(width) = style.side_by_side {
        side_by_side(&mut out, before, after, width, &paint, &note_lines);
        return out;
    }
    let diff = TextDiff::from_lines(before, after);
    for group in diff.grouped_ops(3) {
        let (first, last) = (&group[0], &group[group.len() - 1]);
        let old = first.old_range().start..last.old_range().end;
        let new = first.new_range().start..last.new_range().end;
        out.push_str(&paint(&hunk_header(old, new), "36"));
        for op in &group {
            for change in diff.iter_changes(op) {
                let text = change.value().trim_end_matches(['\n', '\r']);
                let (sign, color) = match change.tag() {
                    ChangeTag::Delete => ("-", "31"),
                    ChangeTag::Insert => ("+", "32"),
                    ChangeTag::Equal => (" ", ""),
                };
                let line = format!("{sign}{text}");
                out.push_str(&if color.is_empty() {
                    line
                } else {
                    paint(&line, color)
                });
                out.push('\n');
                if let (Some(old_line), ChangeTag::Delete | ChangeTag::Equal) =
                    (change.old_index(), change.tag())
                {
                    note_lines(&mut out, old_line);
                }
            }
        }
    }
    out
}

fn hunk_header(old: std::ops::Range<usize>, new: std::ops::Range<usize>) -> String {
    format!(
        "@@ -{},{} +{},{} @@\n",
        old.start + 1,
        old.len(),
        new.start + 1,
        new.len()
    )
}

/// `Rule line │ Action line` rows: a changed line beside its replacement, long lines wrapped
/// at word boundaries within their column, three rows of context around each change.
fn side_by_side(
    out: &mut String,
    before: &str,
    after: &str,
    width: usize,
    paint: &dyn Fn(&str, &str) -> String,
    notes: &dyn Fn(&mut String, usize),
) {
    let half = (width.saturating_sub(3) / 2).max(8);
    let old_lines: Vec<&str> = before.lines().collect();
    let new_lines: Vec<&str> = after.lines().collect();
    let rows = rows(before, after, &old_lines, &new_lines);
    // Rows within three of a change are shown; the rest are elided between hunks.
    let mut shown = vec![false; rows.len()];
    for (i, row) in rows.iter().enumerate() {
        if !row.same {
            for slot in shown
                .iter_mut()
                .take((i + 4).min(rows.len()))
                .skip(i.saturating_sub(3))
            {
                *slot = true;
            }
        }
    }
    let mut i = 0;
    while i < rows.len() {
        if !shown[i] {
            i += 1;
            continue;
        }
        let end = (i..rows.len()).find(|&k| !shown[k]).unwrap_or(rows.len());
        let hunk = &rows[i..end];
        let first_old = hunk.iter().find_map(|r| r.old).unwrap_or(0);
        let first_new = hunk.iter().find_map(|r| r.new).unwrap_or(0);
        let old_count = hunk.iter().filter(|r| r.old.is_some()).count();
        let new_count = hunk.iter().filter(|r| r.new.is_some()).count();
        out.push_str(&paint(
            &hunk_header(
                first_old..first_old + old_count,
                first_new..first_new + new_count,
            ),
            "36",
        ));
        for row in hunk {
            let old = row.old.map(|o| old_lines[o].replace('\t', "  "));
            let new = row.new.map(|n| new_lines[n].replace('\t', "  "));
            let (left, right) = row_pieces(row, old.as_deref(), new.as_deref());
            let (left, right) = (wrap(&left, half), wrap(&right, half));
            for k in 0..left.len().max(right.len()).max(1) {
                let cell = |lines: &[Vec<(bool, String)>], color: &str| match lines.get(k) {
                    Some(pieces) => {
                        let visible: usize = pieces.iter().map(|(_, t)| t.chars().count()).sum();
                        let text: String = pieces
                            .iter()
                            .map(|(changed, t)| {
                                if row.same {
                                    t.clone()
                                } else if *changed {
                                    paint(t, &format!("{color};7"))
                                } else {
                                    paint(t, color)
                                }
                            })
                            .collect();
                        format!("{text}{}", " ".repeat(half.saturating_sub(visible)))
                    }
                    None => " ".repeat(half),
                };
                let line = format!("{} │ {}", cell(&left, "31"), cell(&right, "32"));
                out.push_str(line.trim_end());
                out.push('\n');
            }
            if let Some(o) = row.old {
                notes(out, o);
            }
        }
        i = end;
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

    #[test]
    fn side_by_side_pairs_each_line_with_its_replacement_and_wraps_long_ones() {
        let long = format!("  var note = '{}';", "word ".repeat(40).trim_end());
        let rule = format!("function (user, context, callback) {{\n{long}\n  if (!user.email_verified) {{\n    return callback(new UnauthorizedError('verify'));\n  }}\n  callback(null, user, context);\n}}\n");
        let migration = migrate_rule(rule.as_bytes());
        let style = DiffStyle {
            color: false,
            notes: false,
            side_by_side: Some(80),
        };
        let columns = diff_with_findings("r.js", &rule, migration.output().unwrap(), &[], style);
        assert!(
            columns.lines().all(|l| l.chars().count() <= 80),
            "{columns}"
        );
        // The deny is on the row of the callback it replaced, not below a marker.
        let wide = DiffStyle {
            side_by_side: Some(160),
            ..style
        };
        let wide = diff_with_findings("r.js", &rule, migration.output().unwrap(), &[], wide);
        let row = wide
            .lines()
            .find(|l| l.contains("return callback(new UnauthorizedError"))
            .expect("the Rule line");
        assert!(row.contains("return api.access.deny"), "{wide}");
        // The long line is wrapped between words, on both sides, and nothing is lost.
        let left: String = columns
            .lines()
            .filter(|l| l.contains(" │ "))
            .map(|l| l.split(" │ ").next().unwrap().trim_end().to_string())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            left.contains(&"word ".repeat(40).trim_end().to_string()),
            "{columns}"
        );
    }
}
