//! Marker comments: every warning and error is also written into the Action, above the
//! statement it concerns, so that nobody deploys it without seeing what needs review.

use crate::edit::Edit;
use crate::finding::Finding;
use crate::registry::Severity;
use crate::span::{indentation_at, line_start, Span};

pub const MARKER_PREFIX: &str = "// TODO(rules2actions ";

pub fn marker_text(finding: &Finding) -> String {
    let message = finding.message.replace(['\n', '\r'], " ");
    format!("{MARKER_PREFIX}{}): {message}", finding.code.id())
}

/// Insertions for the markers of `findings`. `statements` are the rule's statement spans,
/// `edits` the rewrite's edits (a marker never lands inside one), and `fallback` the offset used
/// when no statement contains a finding (the rule's header).
pub fn marker_edits(
    source: &str,
    findings: &[Finding],
    statements: &[Span],
    edits: &[Edit],
    fallback: usize,
) -> Vec<Edit> {
    let inside_edit = |at: usize| edits.iter().any(|e| e.span.start < at && at < e.span.end);
    let mut placed: Vec<(usize, String)> = Vec::new();
    for finding in findings.iter().filter(|f| f.severity() >= Severity::Warning) {
        let at = finding.span.start;
        let mut containing: Vec<&Span> = statements
            .iter()
            .filter(|s| s.start <= at && at < s.end.max(s.start + 1))
            .collect();
        containing.sort_by_key(|s| s.end - s.start);
        let anchor = containing
            .into_iter()
            .map(|s| s.start)
            .find(|&start| {
                let line = line_start(source, start);
                source[line..start].trim().is_empty() && !inside_edit(line)
            })
            .unwrap_or(fallback);
        let line = line_start(source, anchor);
        let text = format!(
            "{}{}\n",
            indentation_at(source, anchor),
            marker_text(finding)
        );
        if !placed.iter().any(|(l, t)| *l == line && *t == text) {
            placed.push((line, text));
        }
    }
    placed
        .into_iter()
        .map(|(line, text)| Edit::insert(line, text))
        .collect()
}
