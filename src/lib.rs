//! rules2actions: migrate legacy Auth0 Rules into post-login Actions.
//!
//! The pipeline for one rule: [`input`] checks the raw text, [`parse`] finds the rule function,
//! [`rewrite`] records span edits and findings, [`markers`] annotates the output, and
//! [`migrate`] splices the edits into the original text and re-parses the result.

pub mod action_check;
pub mod diff_rows;
pub mod diff_view;
pub mod edit;
mod facts;
pub mod family;
pub mod finding;
pub mod input;
pub mod layout;
pub mod markers;
pub mod merge;
pub mod migrate;
pub mod model;
pub mod options;
pub mod parse;
pub mod pipeline;
pub mod recovery;
pub mod redeclared;
pub mod registry;
pub mod report;
pub mod results;
pub mod review;
pub mod rewrite;
pub mod semantic;
pub mod source;
pub mod span;
pub mod stack;
pub mod suppress;
pub mod tables;
pub mod trigger;
pub mod verify;

pub use migrate::{
    migrate_rule, migrate_rule_with, panic_message, Dependency, Migration, Outcome, Status,
};
pub use options::{namespace_prefix, ClaimsPolicy, Options};
