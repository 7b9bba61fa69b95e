//! What `migrate --out DIR` writes: the tree the team's deploy tool reads, written so that a
//! crash never leaves half a file and nothing a human wrote is replaced without `--force`.

mod deploy_cli;
mod names;
mod write;

pub use deploy_cli::deploy_cli_tree;
pub use names::action_names;
pub use write::{write_tree, Written};

use std::path::PathBuf;

use crate::source::RuleSource;
use crate::Migration;

/// One file of the output tree, with its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub contents: String,
}

/// A rule, its migration and the name its Action gets.
pub struct Planned<'a> {
    pub name: &'a str,
    pub rule: &'a RuleSource,
    pub migration: &'a Migration,
}

/// How the Actions are built.
#[derive(Debug, Clone)]
pub struct LayoutOptions {
    /// The Node runtime of every Action (`node22`).
    pub runtime: String,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions {
            runtime: "node22".to_string(),
        }
    }
}
