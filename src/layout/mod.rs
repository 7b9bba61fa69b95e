//! What `migrate --out DIR` writes: the tree the team's deploy tool reads, written so that a
//! crash never leaves half a file and nothing a human wrote is replaced without `--force`.

mod deploy_cli;
mod guard;
mod names;
mod state;
mod terraform;
mod write;
mod yaml;

pub use deploy_cli::deploy_cli_tree;
pub use names::action_names;
pub use state::{fingerprint, read_state, state_text, Generated, State, STATE};
pub use terraform::terraform_tree;
pub use write::{write_tree, Written};
pub use yaml::yaml_tree;

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
    /// Skip each Action when its rule already ran in the login (`--guard`).
    pub guard: bool,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions {
            runtime: "node22".to_string(),
            guard: false,
        }
    }
}

impl Planned<'_> {
    /// The Action's code, guarded when asked and the rule's id is known.
    pub fn code(&self, options: &LayoutOptions) -> Option<String> {
        let code = self.migration.output()?;
        let guarded = match (&self.rule.id, options.guard) {
            (Some(id), true) => guard::guarded(code, id),
            _ => None,
        };
        Some(guarded.unwrap_or_else(|| code.to_string()))
    }
}

/// The layouts `--out` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// auth0-deploy-cli directory format.
    DeployCli,
    /// auth0-deploy-cli YAML format (`tenant.yaml`).
    Yaml,
    /// Terraform (`auth0_action` and `auth0_trigger_actions`).
    Terraform,
}

/// The tree for `actions` in `format`.
pub fn tree(
    format: OutputFormat,
    actions: &[Planned<'_>],
    options: &LayoutOptions,
) -> Vec<OutputFile> {
    match format {
        OutputFormat::DeployCli => deploy_cli_tree(actions, options),
        OutputFormat::Yaml => yaml_tree(actions, options),
        OutputFormat::Terraform => terraform_tree(actions, options),
    }
}

/// The Actions bound to post-login: enabled rules, in `order` (ties, and rules without one,
/// keep the input order).
fn bound<'p, 'a>(actions: &'p [Planned<'a>]) -> Vec<&'p Planned<'a>> {
    let mut bound: Vec<(usize, &Planned<'_>)> = actions
        .iter()
        .enumerate()
        .filter(|(_, a)| a.rule.enabled && a.migration.output().is_some())
        .collect();
    bound.sort_by(|(i, a), (j, b)| {
        let order = |p: &Planned<'_>| p.rule.order.unwrap_or(f64::INFINITY);
        order(a).total_cmp(&order(b)).then(i.cmp(j))
    });
    bound.into_iter().map(|(_, a)| a).collect()
}

/// `actions/<name>/code.js` for every Action.
fn code_files(actions: &[Planned<'_>], options: &LayoutOptions) -> Vec<OutputFile> {
    actions
        .iter()
        .filter_map(|action| {
            action.code(options).map(|code| OutputFile {
                path: PathBuf::from("actions").join(action.name).join("code.js"),
                contents: code,
            })
        })
        .collect()
}
