//! Reviewing a migration rule by rule: the decisions a reviewer makes and where they persist
//! (`DIR/.rules2actions-review.json`), and the order rules come up in. The terminal interface
//! (`rules2actions review`) drives these; `check --actions DIR` reads the same file.

mod queue;
mod state;

pub use queue::{review_order, ReviewItem};
pub use state::{Decision, Record, ReviewState, ReviewStatus, REVIEW_FILE};
