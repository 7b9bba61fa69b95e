//! What `migrate --out DIR` writes: the tree the team's deploy tool reads, written so that a
//! crash never leaves half a file and nothing a human wrote is replaced without `--force`.

mod deploy_cli;
mod guard;
mod names;
mod state;
mod terraform;
mod write;
mod yaml;

pub use names::action_names;
pub use state::{fingerprint, read_state, state_text, Generated, State, STATE};
pub use write::{Kept, OutputDir, RealPaths, Written, MANIFEST};

use std::borrow::Cow;
use std::path::PathBuf;

use crate::source::RuleSource;
use crate::Migration;

/// One file of the output tree, with its path relative to the output folder. An Action's code
/// is borrowed from its migration, so a whole tree costs no second copy of every Action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile<'a> {
    pub path: PathBuf,
    pub contents: Cow<'a, str>,
}

/// A rule, its migration and the name its Action gets.
#[derive(Clone, Copy)]
pub struct Planned<'a> {
    pub name: &'a str,
    pub rule: &'a RuleSource,
    pub migration: &'a Migration,
    /// Whether the Action is deployed and, when its rule is enabled, bound: not when it still
    /// needs manual work, behaved differently under `verify`, or could not be written.
    pub deploy: bool,
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

impl<'a> Planned<'a> {
    /// The Action's code, guarded when asked and the rule's id is known.
    pub fn code(&self, options: &LayoutOptions) -> Option<Cow<'a, str>> {
        let code = self.migration.output()?;
        let guarded = match (&self.rule.id, options.guard) {
            (Some(id), true) => guard::guarded(code, id),
            _ => None,
        };
        Some(guarded.map_or(Cow::Borrowed(code), Cow::Owned))
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

impl OutputFormat {
    pub fn label(self) -> &'static str {
        match self {
            OutputFormat::DeployCli => "auth0-deploy-cli directory",
            OutputFormat::Yaml => "auth0-deploy-cli YAML",
            OutputFormat::Terraform => "Terraform",
        }
    }

    /// The files of one Action: its code, and its metadata where the format keeps it apart.
    pub fn action_files<'a>(
        self,
        action: &Planned<'a>,
        options: &LayoutOptions,
    ) -> Vec<OutputFile<'a>> {
        let Some(code) = action.code(options) else {
            return Vec::new();
        };
        let mut files = vec![OutputFile {
            path: PathBuf::from("actions").join(action.name).join("code.js"),
            contents: code,
        }];
        if self == OutputFormat::DeployCli {
            files.push(deploy_cli::metadata_file(action, options));
        }
        files
    }

    /// The files that describe every Action and bind them: `triggers/triggers.json`,
    /// `tenant.yaml`, or the Terraform resources. `actions` are those whose own files are in
    /// place, in input order.
    pub fn binding_files(
        self,
        actions: &[Planned<'_>],
        options: &LayoutOptions,
    ) -> Vec<OutputFile<'static>> {
        match self {
            OutputFormat::DeployCli => vec![deploy_cli::triggers_file(actions)],
            OutputFormat::Yaml => vec![yaml::tenant_file(actions, options)],
            OutputFormat::Terraform => terraform::terraform_files(actions, options),
        }
    }

    /// The whole tree, as a run that writes every file would leave it.
    pub fn tree<'a>(self, actions: &[Planned<'a>], options: &LayoutOptions) -> Vec<OutputFile<'a>> {
        let mut files: Vec<OutputFile> = actions
            .iter()
            .flat_map(|action| self.action_files(action, options))
            .collect();
        files.extend(self.binding_files(actions, options));
        files
    }
}

/// The Actions bound to post-login: deployed Actions of enabled rules, in `order` (ties, and
/// rules without one, keep the input order).
/// The bound Actions of each trigger, in [`crate::trigger::TRIGGERS`] order: post-login always
/// (the Rules' trigger), every other trigger when something is bound to it.
pub fn bound_by_trigger<'p, 'a>(
    actions: &'p [Planned<'a>],
) -> Vec<(&'static crate::trigger::Trigger, Vec<&'p Planned<'a>>)> {
    let bound = bound(actions);
    crate::trigger::TRIGGERS
        .iter()
        .map(|trigger| {
            let of_trigger: Vec<_> = bound
                .iter()
                .copied()
                .filter(|a| std::ptr::eq(a.migration.trigger, *trigger))
                .collect();
            (*trigger, of_trigger)
        })
        .filter(|(trigger, of_trigger)| !trigger.is_hook() || !of_trigger.is_empty())
        .collect()
}

pub fn bound<'p, 'a>(actions: &'p [Planned<'a>]) -> Vec<&'p Planned<'a>> {
    let mut bound: Vec<(usize, &Planned<'_>)> = actions
        .iter()
        .enumerate()
        .filter(|(_, a)| a.rule.enabled && a.deploy && a.migration.output().is_some())
        .collect();
    bound.sort_by(|(i, a), (j, b)| {
        let order = |p: &Planned<'_>| p.rule.order.unwrap_or(f64::INFINITY);
        order(a).total_cmp(&order(b)).then(i.cmp(j))
    });
    bound.into_iter().map(|(_, a)| a).collect()
}
