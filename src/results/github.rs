//! GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` line per finding,
//! which GitHub shows as an annotation on the rule file in the pull request.

use super::Results;
use crate::registry::Severity;

/// Annotations for the findings at or above `threshold`, and always for warnings and errors.
pub fn github_annotations(results: &Results<'_>, threshold: Severity) -> String {
    let threshold = threshold.min(Severity::Warning);
    let mut out = String::new();
    for rule in &results.rules {
        for located in rule.located(threshold) {
            let finding = located.finding;
            let command = match finding.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut properties = format!("file={}", property(&rule.artifact));
            if rule.positions_in_artifact {
                properties.push_str(&format!(
                    ",line={},col={},endLine={},endColumn={}",
                    located.start.line, located.start.column, located.end.line, located.end.column
                ));
            }
            let title = format!("{} {}", finding.code.id(), finding.code.name());
            properties.push_str(&format!(",title={}", property(&title)));
            let mut message = finding.message.to_string();
            if let Some(help) = &finding.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            message.push_str(&format!("\nrules2actions explain {}", finding.code.id()));
            out.push_str(&format!("::{command} {properties}::{}\n", data(&message)));
        }
    }
    for error in &results.errors {
        out.push_str(&format!("::error title=rules2actions::{}\n", data(error)));
    }
    for finding in &results.pipeline {
        let command = match finding.code.severity() {
            Severity::Error => "error",
            _ => "warning",
        };
        out.push_str(&format!(
            "::{command} title={}::{}\n",
            property(&format!("{} across rules", finding.code.id())),
            data(&format!("{}\nhelp: {}", finding.message, finding.help))
        ));
    }
    out
}

/// A command's message: `%`, CR and LF escaped.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: also `:` and `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
