//! `DIR/.rules2actions-review.json`: per Action, the reviewer's decision, a hash of the rule it
//! was made on and of the code accepted, who made it and when. Running the review again resumes:
//! decided rules are done, unless their rule changed since, which brings them back.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::{json, Value};

use crate::layout::fingerprint;

pub const REVIEW_FILE: &str = ".rules2actions-review.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Accepted,
    Rejected,
    /// Decide later: comes up again in the next review.
    Skipped,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Accepted => "accepted",
            Decision::Rejected => "rejected",
            Decision::Skipped => "skipped",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "accepted" => Some(Decision::Accepted),
            "rejected" => Some(Decision::Rejected),
            "skipped" => Some(Decision::Skipped),
            _ => None,
        }
    }
}

/// One decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub decision: Decision,
    /// Hash of the rule's source when the decision was made.
    pub rule: String,
    /// Hash of the code accepted (edited or not); `None` unless accepted.
    pub code: Option<String>,
    pub by: String,
    /// RFC 3339, UTC.
    pub at: String,
}

/// Where a rule stands in the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStatus {
    Undecided,
    /// Decided on the rule as it is now.
    Decided(Decision),
    /// Decided, but the rule changed since: shown again, as changed.
    Changed(Decision),
}

/// Every decision, by Action name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewState {
    pub records: BTreeMap<String, Record>,
}

impl ReviewState {
    /// The decisions stored in `dir`, none when there are none (or the file is unreadable).
    pub fn load(dir: &Path) -> Self {
        let Some(value) = fs::read_to_string(dir.join(REVIEW_FILE))
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        else {
            return ReviewState::default();
        };
        let records = value["rules"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(name, entry)| {
                Some((
                    name.clone(),
                    Record {
                        decision: Decision::parse(entry["decision"].as_str()?)?,
                        rule: entry["rule"].as_str()?.to_string(),
                        code: entry["code"].as_str().map(str::to_string),
                        by: entry["by"].as_str().unwrap_or_default().to_string(),
                        at: entry["at"].as_str().unwrap_or_default().to_string(),
                    },
                ))
            })
            .collect();
        ReviewState { records }
    }

    /// The file's text.
    pub fn to_text(&self) -> String {
        let rules: serde_json::Map<String, Value> = self
            .records
            .iter()
            .map(|(name, r)| {
                let record = json!({
                    "decision": r.decision.as_str(),
                    "rule": r.rule,
                    "code": r.code,
                    "by": r.by,
                    "at": r.at,
                });
                (name.clone(), record)
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&json!({ "version": 1, "rules": rules }))
            .expect("JSON serialises");
        text.push('\n');
        text
    }

    pub fn status(&self, action: &str, rule_source: &[u8]) -> ReviewStatus {
        match self.records.get(action) {
            None => ReviewStatus::Undecided,
            Some(record) if record.rule == fingerprint(rule_source) => {
                ReviewStatus::Decided(record.decision)
            }
            Some(record) => ReviewStatus::Changed(record.decision),
        }
    }

    /// Records a decision on the rule `rule_source`; `code` is what was accepted.
    pub fn decide(
        &mut self,
        action: &str,
        decision: Decision,
        rule_source: &[u8],
        code: Option<&str>,
        by: &str,
        at: &str,
    ) {
        let code = match decision {
            Decision::Accepted => code.map(|c| fingerprint(c.as_bytes())),
            _ => None,
        };
        self.records.insert(
            action.to_string(),
            Record {
                decision,
                rule: fingerprint(rule_source),
                code,
                by: by.to_string(),
                at: at.to_string(),
            },
        );
    }

    /// Whether `committed` is the code the reviewer accepted for `action` (edited in the review
    /// or not): such an Action is not drift.
    pub fn accepted(&self, action: &str, committed: &[u8]) -> bool {
        self.records.get(action).is_some_and(|r| {
            r.decision == Decision::Accepted && r.code.as_deref() == Some(&fingerprint(committed))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_persist_and_a_changed_rule_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = ReviewState::default();
        state.decide(
            "a",
            Decision::Accepted,
            b"rule a",
            Some("edited action a"),
            "ada",
            "2026-11-25T10:00:00Z",
        );
        state.decide(
            "b",
            Decision::Rejected,
            b"rule b",
            Some("ignored"),
            "ada",
            "2026-11-25T10:01:00Z",
        );
        state.decide(
            "c",
            Decision::Skipped,
            b"rule c",
            None,
            "ada",
            "2026-11-25T10:02:00Z",
        );
        fs::write(dir.path().join(REVIEW_FILE), state.to_text()).unwrap();

        // Resume: the same decisions, read back.
        let resumed = ReviewState::load(dir.path());
        assert_eq!(resumed, state);
        assert_eq!(
            resumed.status("a", b"rule a"),
            ReviewStatus::Decided(Decision::Accepted)
        );
        assert_eq!(
            resumed.status("b", b"rule b"),
            ReviewStatus::Decided(Decision::Rejected)
        );
        assert_eq!(resumed.status("d", b"rule d"), ReviewStatus::Undecided);
        // The rule changed since the decision: shown again, as changed.
        assert_eq!(
            resumed.status("a", b"rule a, changed"),
            ReviewStatus::Changed(Decision::Accepted)
        );
        // Only accepted code is remembered, and only that code counts as accepted.
        assert!(resumed.accepted("a", b"edited action a"));
        assert!(!resumed.accepted("a", b"something else"));
        assert!(!resumed.accepted("b", b"ignored"));
        assert_eq!(resumed.records["b"].code, None);
    }

    #[test]
    fn a_missing_or_broken_file_is_an_empty_review() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(ReviewState::load(dir.path()), ReviewState::default());
        fs::write(dir.path().join(REVIEW_FILE), "{ not json").unwrap();
        assert_eq!(ReviewState::load(dir.path()), ReviewState::default());
    }
}
