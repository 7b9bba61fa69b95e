//! The auth0-deploy-cli YAML format: `tenant.yaml` with `actions:` (code in
//! `actions/<name>/code.js`, relative to the YAML file) and `triggers:`, as the deploy tool's
//! own export writes it.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::deploy_cli::{metadata, triggers};
use super::{LayoutOptions, OutputFile, Planned};

/// `tenant.yaml`, with every Action in `actions` and the bindings.
pub(super) fn tenant_file(actions: &[Planned<'_>], options: &LayoutOptions) -> OutputFile<'static> {
    let entries: Vec<Value> = actions
        .iter()
        .filter(|a| a.migration.output().is_some())
        .map(|a| metadata(a, options))
        .collect();
    let tenant = json!({ "actions": entries, "triggers": triggers(actions) });
    OutputFile {
        path: PathBuf::from("tenant.yaml"),
        contents: yaml_serde::to_string(&tenant)
            .expect("JSON values serialise as YAML")
            .into(),
    }
}
