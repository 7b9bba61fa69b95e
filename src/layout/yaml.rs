//! The auth0-deploy-cli YAML format: `tenant.yaml` with `actions:` (code in
//! `actions/<name>/code.js`, relative to the YAML file) and `triggers:`, as the deploy tool's
//! own export writes it.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::deploy_cli::{metadata, triggers};
use super::{code_files, LayoutOptions, OutputFile, Planned};

pub fn yaml_tree(actions: &[Planned<'_>], options: &LayoutOptions) -> Vec<OutputFile> {
    let mut files = code_files(actions, options);
    let entries: Vec<Value> = actions
        .iter()
        .filter(|a| a.migration.output().is_some())
        .map(|a| metadata(a, options))
        .collect();
    let tenant = json!({ "actions": entries, "triggers": triggers(actions) });
    let text = yaml_serde::to_string(&tenant).expect("JSON values serialise as YAML");
    files.push(OutputFile {
        path: PathBuf::from("tenant.yaml"),
        contents: text,
    });
    files
}
