//! Marker comments: every warning and error is also written into the Action, above the
//! statement it concerns, so that nobody deploys it without seeing what needs review.

use crate::edit::Edit;
use crate::finding::Finding;
use crate::registry::Severity;
use crate::span::{indentation_of_line, newline_of, LineIndex, Span};

pub const MARKER_PREFIX: &str = "// TODO(rules2actions ";

/// The codes of the markers in `code`, in order: what a (maybe hand-edited) Action still says
/// needs review.
pub fn marker_codes(code: &str) -> Vec<crate::registry::Code> {
    code.match_indices(MARKER_PREFIX)
        .filter_map(|(at, _)| {
            let rest = &code[at + MARKER_PREFIX.len()..];
            crate::registry::Code::lookup(&rest[..rest.find(')')?])
        })
        .collect()
}

/// Whether Action code still carries the marker of an error-level finding: code left for a
/// human, which must not be bound.
pub fn has_error_marker(code: &str) -> bool {
    marker_codes(code)
        .iter()
        .any(|code| code.severity() == Severity::Error)
}

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
    let mut replaced: Vec<Span> = edits
        .iter()
        .map(|e| e.span)
        .filter(|s| s.end > s.start)
        .collect();
    replaced.sort();
    // Applied edits never overlap, so only the last one starting before `at` can contain it.
    let inside_edit = |at: usize| {
        let before = replaced.partition_point(|s| s.start < at);
        before > 0 && replaced[before - 1].end > at
    };

    let mut marked: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity() >= Severity::Warning)
        .collect();
    if marked.is_empty() {
        return Vec::new();
    }
    let newline = newline_of(source);
    // Many findings on a minified rule's one line: each finds its line start without a search.
    let lines = LineIndex::new(source);
    marked.sort_by_key(|f| f.span.start);
    // Statements nest, so one sweep with a stack of open statements finds every finding's
    // enclosing statements, innermost last.
    let mut sorted: Vec<Span> = statements.to_vec();
    sorted.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut next = 0;
    let mut open: Vec<Span> = Vec::new();
    let mut placed: Vec<(usize, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut warned = std::collections::HashSet::new();
    for finding in marked {
        let at = finding.span.start;
        while next < sorted.len() && sorted[next].start <= at {
            let statement = sorted[next];
            while open.last().is_some_and(|s| s.end <= statement.start) {
                open.pop();
            }
            open.push(statement);
            next += 1;
        }
        while open.last().is_some_and(|s| s.end <= at) {
            open.pop();
        }
        let anchor = open
            .iter()
            .rev()
            .map(|s| s.start)
            .find(|&start| {
                let line = lines.line_start(start);
                source[line..start].trim().is_empty() && !inside_edit(line)
            })
            .unwrap_or(fallback);
        let line = lines.line_start(anchor);
        // A warning repeated word for word needs one marker, at its first place.
        let message = marker_text(finding);
        if finding.severity() == Severity::Warning && !warned.insert(message) {
            continue;
        }
        let text = format!(
            "{}{}{newline}",
            indentation_of_line(source, line),
            marker_text(finding)
        );
        if seen.insert((line, text.clone())) {
            placed.push((line, text));
        }
    }
    placed
        .into_iter()
        .map(|(line, text)| Edit::insert(line, text))
        .collect()
}
