//! The reporting edge: byte spans become lines and columns only here.

use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report,
};

use crate::finding::Finding;
use crate::markers::marker_text;
use crate::registry::{Code, Severity};
use crate::span::LineIndex;

const MAX_SNIPPET_LINE: usize = 400;

fn line_length_at(source: &str, offset: usize) -> usize {
    let offset = offset.min(source.len());
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    end - start
}

/// One line per finding plus its help: stable text for snapshots and logs.
pub fn plain_findings(source: &str, findings: &[Finding]) -> String {
    let index = LineIndex::new(source);
    let mut out = String::new();
    for finding in findings {
        let at = index.position(finding.span.start);
        out.push_str(&format!(
            "{} {} {}:{} [{}] {}\n",
            finding.code.id(),
            finding.severity(),
            at.line,
            at.column,
            finding.code.name(),
            finding.message
        ));
        if let Some(help) = &finding.help {
            out.push_str(&format!("    help: {help}\n"));
        }
    }
    out
}

/// Findings past this many per file are listed one per line: nobody reads thousands of
/// snippets, and each snippet costs a scan of the source.
const MAX_SNIPPETS: usize = 50;

/// A miette rendering of each finding: the source line, the span's label and the help.
pub fn render_findings(name: &str, source: &str, findings: &[Finding], color: bool) -> String {
    let handler = handler(color);
    let shared: Arc<str> = Arc::from(source);
    let mut out = String::new();
    for finding in findings.iter().take(MAX_SNIPPETS) {
        let report = miette_report(name, &shared, finding);
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            out.push_str(&marker_text(finding));
            out.push('\n');
        }
    }
    if findings.len() > MAX_SNIPPETS {
        out.push_str(&format!(
            "{name}: {} more findings:\n",
            findings.len() - MAX_SNIPPETS
        ));
        out.push_str(&plain_findings(source, &findings[MAX_SNIPPETS..]));
    }
    out
}

/// Cross-rule findings (`R2A950`–`R2A961`), in the same format as a rule's findings; they name
/// rules rather than a place in one.
pub fn render_pipeline(findings: &[crate::pipeline::PipelineFinding], color: bool) -> String {
    let handler = handler(color);
    let mut out = String::new();
    for finding in findings {
        let diagnostic = diagnostic(finding.code, finding.message.clone(), Some(&finding.help));
        if handler
            .render_report(&mut out, Report::new(diagnostic).as_ref())
            .is_err()
        {
            out.push_str(&format!("{}: {}\n", finding.code.id(), finding.message));
        }
    }
    out
}

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme).with_width(100)
}

fn diagnostic(code: Code, message: String, help: Option<&str>) -> MietteDiagnostic {
    let severity = match code.severity() {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    };
    let explain = format!("`rules2actions explain {}` for details", code.id());
    MietteDiagnostic::new(message)
        .with_code(format!("{} {}", code.id(), code.name()))
        .with_severity(severity)
        .with_help(match help {
            Some(help) => format!("{help}\n{explain}"),
            None => explain,
        })
}

fn miette_report(name: &str, source: &Arc<str>, finding: &Finding) -> Report {
    let diagnostic = diagnostic(
        finding.code,
        finding.message.to_string(),
        finding.help.as_deref(),
    );
    // miette cannot lay out labels on very long lines (minified code, generated blobs).
    if line_length_at(source, finding.span.start) > MAX_SNIPPET_LINE {
        return Report::new(diagnostic);
    }
    let labelled = diagnostic.with_label(LabeledSpan::at(
        finding.span.start..finding.span.end,
        finding.code.info().summary,
    ));
    Report::new(labelled).with_source_code(NamedSource::new(name, Arc::clone(source)))
}

/// A unified diff from the Rule to the Action, with `a/` and `b/` headers.
pub fn unified_diff(name: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}
