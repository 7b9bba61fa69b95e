//! The auth0-deploy-cli directory format: `actions/<name>/code.js`, `actions/<name>.json` and
//! `triggers/triggers.json`, which binds post-login in the rules' order (and each Hook's trigger). A disabled rule becomes
//! an Action that is not bound; one that still needs manual work is written with
//! `"deployed": false` and not bound either. Secret values never appear: each is the keyword `@@NAME@@`,
//! which the deploy tool replaces from its `AUTH0_KEYWORD_REPLACE_MAPPINGS`.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::{LayoutOptions, OutputFile, Planned};

/// `actions/<name>.json`.
pub(super) fn metadata_file(action: &Planned<'_>, options: &LayoutOptions) -> OutputFile<'static> {
    OutputFile {
        path: PathBuf::from("actions").join(format!("{}.json", action.name)),
        contents: pretty(&metadata(action, options)).into(),
    }
}

/// `triggers/triggers.json`.
pub(super) fn triggers_file(actions: &[Planned<'_>]) -> OutputFile<'static> {
    OutputFile {
        path: PathBuf::from("triggers").join("triggers.json"),
        contents: pretty(&triggers(actions)).into(),
    }
}

/// `{"post-login": [{action_name, display_name}]}` for the enabled rules, in their order, and
/// the same for each trigger that enabled Hooks are bound to.
pub(super) fn triggers(actions: &[Planned<'_>]) -> Value {
    let mut triggers = serde_json::Map::new();
    for (trigger, bound) in super::bound_by_trigger(actions) {
        let bindings: Vec<Value> = bound
            .iter()
            .map(|a| json!({ "action_name": a.name, "display_name": a.rule.name }))
            .collect();
        triggers.insert(trigger.id.to_string(), Value::Array(bindings));
    }
    Value::Object(triggers)
}

/// `actions/<name>.json`, and an entry of `actions:` in `tenant.yaml`.
pub(super) fn metadata(action: &Planned<'_>, options: &LayoutOptions) -> Value {
    let migration = action.migration;
    let dependencies: Vec<Value> = migration
        .dependencies
        .iter()
        .map(|d| json!({ "name": d.name, "version": d.version.as_deref().unwrap_or("latest") }))
        .collect();
    let secrets: Vec<Value> = migration
        .secrets
        .iter()
        .map(|name| json!({ "name": name, "value": format!("@@{name}@@") }))
        .collect();
    json!({
        "name": action.name,
        "code": format!("./actions/{}/code.js", action.name),
        "runtime": options.runtime,
        "dependencies": dependencies,
        "secrets": secrets,
        "supported_triggers": [{ "id": migration.trigger.id, "version": migration.trigger.version }],
        "deployed": action.deploy,
    })
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values serialise");
    text.push('\n');
    text
}
