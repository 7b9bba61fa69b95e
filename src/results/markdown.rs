//! `MIGRATION.md`: the report a reviewer reads, pasted into a pull request if they like. A
//! summary, a table of every rule, what crosses rules, then one section per rule with its
//! findings and the unified diff from Rule to Action.
//!
//! Above [`DETAILED_RULES`] rules the file stays readable: sections only for the rules that need
//! attention (review, manual work, failed), with their findings and without diffs, and a note
//! that says where the rest is (each Action's `code.js`, `migration-report.json`).

use std::fmt::Write;

use super::{status_id, Results, DETAILED_RULES};
use crate::registry::Severity;
use crate::report::unified_diff;

/// Writes the report to `page` as it is made, so that a large one is never held whole.
pub fn write_migration_markdown(
    results: &Results<'_>,
    page: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let detailed = results.rules.len() <= DETAILED_RULES;
    let mut out = Page { page, error: None };
    let _ = out.write_str("# Rules to Actions migration\n\n");
    let _ = writeln!(
        out,
        "| Rules read | Converted | Needs review | Needs manual work | Already Actions | Failed |\n|---:|---:|---:|---:|---:|---:|\n| {} | {} | {} | {} | {} | {} |\n",
        results.read(),
        results.count("converted"),
        results.count("needs-review"),
        results.count("needs-manual-work"),
        results.count("already-action"),
        results.count("failed"),
    );
    let _ = out.write_str("| Rule | Action | Status | Errors | Warnings | Secrets | Dependencies |\n|---|---|---|---:|---:|---|---|\n");
    for (index, rule) in results.rules.iter().enumerate() {
        let findings = &rule.migration.findings;
        let of = |severity: Severity| findings.iter().filter(|f| f.severity() == severity).count();
        let dependencies: Vec<String> = rule
            .migration
            .dependencies
            .iter()
            .map(|d| match &d.version {
                Some(version) => format!("`{}@{version}`", d.name),
                None => format!("`{}`", d.name),
            })
            .collect();
        let secrets: Vec<String> = rule
            .migration
            .secrets
            .iter()
            .map(|s| format!("`{s}`"))
            .collect();
        let _ = writeln!(
            out,
            "| [{}](#rule-{}) | `{}` | {} | {} | {} | {} | {} |",
            cell(rule.name),
            index + 1,
            cell(rule.action),
            status_id(rule.status()),
            of(Severity::Error),
            of(Severity::Warning),
            secrets.join(", "),
            dependencies.join(", "),
        );
    }
    if !results.errors.is_empty() {
        let _ = out.write_str("\n## Could not be converted\n\n");
        for error in &results.errors {
            let _ = writeln!(out, "- {}", error.replace('\n', " "));
        }
    }
    if !results.pipeline.is_empty() {
        let _ = out.write_str("\n## Across rules\n\n");
        for finding in &results.pipeline {
            let _ = writeln!(
                out,
                "- **{}** {} (help: {})",
                finding.code.id(),
                finding.message.replace('\n', " "),
                finding.help.replace('\n', " ")
            );
        }
    }
    if !detailed {
        let _ = writeln!(
            out,
            "\n> {} rules: above {DETAILED_RULES}, this report has a section only for the rules that need attention, without diffs. Each Action's code is in `actions/<name>/code.js`, and every finding of every rule is in `migration-report.json`.",
            results.rules.len()
        );
    }
    for (index, rule) in results.rules.iter().enumerate() {
        let needs_attention = !matches!(
            rule.status(),
            crate::Status::Converted | crate::Status::AlreadyAction
        );
        if !detailed && !needs_attention {
            continue;
        }
        let _ = write!(
            out,
            "\n<a id=\"rule-{}\"></a>\n\n## {}\n\n`{}`",
            index + 1,
            rule.name.replace('\n', " "),
            rule.source
        );
        if let Some(output) = &rule.output {
            let _ = write!(out, " → `{output}`");
        }
        let _ = writeln!(out, " · **{}**\n", status_id(rule.status()));
        let located = rule.located(Severity::Info);
        if !located.is_empty() {
            let _ = out
                .write_str("| Code | Line | Severity | Message | Help |\n|---|---|---|---|---|\n");
            for l in &located {
                let f = l.finding;
                let _ = writeln!(
                    out,
                    "| {} | {}:{} | {} | {} | {} |",
                    f.code.id(),
                    l.start.line,
                    l.start.column,
                    f.severity(),
                    cell(&f.message),
                    cell(f.help.as_deref().unwrap_or("")),
                );
            }
            let _ = out.write_char('\n');
        }
        if let Some(action) = rule
            .migration
            .output()
            .filter(|a| detailed && *a != rule.migration.source)
        {
            let diff = unified_diff(rule.source, &rule.migration.source, action);
            let fence = if diff.contains("```") { "~~~~" } else { "```" };
            let _ = writeln!(
                out,
                "<details><summary>Diff from Rule to Action</summary>\n\n{fence}diff\n{}{fence}\n\n</details>",
                diff
            );
        }
    }
    out.error.map_or(Ok(()), Err)
}

/// `fmt::Write` onto the page, keeping the first I/O error (after which nothing more is
/// written).
struct Page<'p> {
    page: &'p mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

impl std::fmt::Write for Page<'_> {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        if self.error.is_some() {
            return Err(std::fmt::Error);
        }
        self.page.write_all(text.as_bytes()).map_err(|error| {
            self.error = Some(error);
            std::fmt::Error
        })
    }
}

/// Text for a table cell: pipes escaped, on one line.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}
