//! The results of a migration as data: what the JSON report, SARIF, GitHub annotations and
//! JUnit are rendered from. Positions become lines and columns here, at the reporting edge.

mod github;
mod html;
mod json;
mod junit;
mod markdown;
mod sarif;

/// The most rules a report renders in full (every section, every diff, in the page as it
/// loads); above it the reports stay usable at any size (`markdown.rs`, `html.rs`).
pub const DETAILED_RULES: usize = 200;

pub use github::github_annotations;
pub use html::{migration_html, write_migration_html};
pub use json::{write_json_report, REPORT_VERSION};
pub use junit::junit_report;
pub use markdown::write_migration_markdown;
pub use sarif::sarif_report;

use crate::finding::Finding;
use crate::pipeline::PipelineFinding;
use crate::registry::Severity;
use crate::span::{LineColumn, LineIndex};
use crate::{Migration, Status};

/// One rule's results.
pub struct RuleResult<'a> {
    /// The rule's name in the input.
    pub name: &'a str,
    /// Where it came from, as diagnostics name it (a path, or `export.json[name]`).
    pub source: &'a str,
    /// The file the rule was read from.
    pub artifact: String,
    /// Whether the findings' lines and columns are positions in `artifact` (not so for a rule
    /// inside a Management API export).
    pub positions_in_artifact: bool,
    /// The Action's name.
    pub action: &'a str,
    pub migration: &'a Migration,
    /// Where the Action was written, relative to the output folder.
    pub output: Option<String>,
    /// What `migrate --out` did with the Action, when it wrote one.
    pub deployment: Option<Deployment>,
}

/// Whether an Action was bound, and what happened to its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    pub bound: bool,
    /// Why it is not bound (disabled, needs manual work, a difference under verify, not written).
    pub not_bound_because: Option<String>,
    /// `new`, `updated`, `unchanged`, `kept (…)` or `failed: …`.
    pub files: String,
}

/// Everything one run found.
pub struct Results<'a> {
    pub rules: Vec<RuleResult<'a>>,
    /// Rules or paths that could not be read, or cannot become post-login Actions.
    pub errors: Vec<String>,
    pub pipeline: Vec<PipelineFinding>,
}

/// A finding with its positions.
pub struct Located<'f> {
    pub finding: &'f Finding,
    pub start: LineColumn,
    pub end: LineColumn,
}

impl RuleResult<'_> {
    /// The rule's findings, at or above `threshold`, with lines and columns.
    pub fn located(&self, threshold: Severity) -> Vec<Located<'_>> {
        let index = LineIndex::new(&self.migration.source);
        self.migration
            .findings
            .iter()
            .filter(|f| f.severity() >= threshold)
            .map(|finding| Located {
                finding,
                start: index.position(finding.span.start),
                end: index.position(finding.span.end),
            })
            .collect()
    }

    pub fn status(&self) -> Status {
        self.migration.status()
    }
}

/// Every status identifier, in the order reports list them.
pub const STATUS_IDS: [&str; 5] = [
    "converted",
    "needs-review",
    "needs-manual-work",
    "already-action",
    "failed",
];

impl Results<'_> {
    /// Rules read, including those that could not be.
    pub fn read(&self) -> usize {
        self.rules.len() + self.errors.len()
    }

    /// Rules with this status; `failed` counts the rules that could not be read too.
    pub fn count(&self, status: &str) -> usize {
        let unread = if status == "failed" {
            self.errors.len()
        } else {
            0
        };
        self.rules
            .iter()
            .filter(|r| status_id(r.status()) == status)
            .count()
            + unread
    }
}

/// `needs review`, `already an Action`, …: a status identifier as people read it.
pub fn status_label(id: &str) -> &'static str {
    [
        Status::Converted,
        Status::NeedsReview,
        Status::ManualWork,
        Status::AlreadyAction,
        Status::Failed,
    ]
    .into_iter()
    .find(|s| status_id(*s) == id)
    .map_or("unknown", Status::label)
}

/// `needs-review`, `needs-manual-work`, …: a status as a stable identifier.
pub fn status_id(status: Status) -> &'static str {
    match status {
        Status::Converted => "converted",
        Status::NeedsReview => "needs-review",
        Status::ManualWork => "needs-manual-work",
        Status::AlreadyAction => "already-action",
        Status::Failed => "failed",
    }
}
