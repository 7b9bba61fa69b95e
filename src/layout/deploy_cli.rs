//! The auth0-deploy-cli directory format: `actions/<name>/code.js`, `actions/<name>.json` and
//! `triggers/triggers.json`, which binds post-login in the rules' order. A disabled rule becomes
//! an Action that is not bound. Secret values never appear: each is the keyword `@@NAME@@`,
//! which the deploy tool replaces from its `AUTH0_KEYWORD_REPLACE_MAPPINGS`.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::{LayoutOptions, OutputFile, Planned};

/// The files for `actions`, which must be the rules that produced an Action, in input order.
pub fn deploy_cli_tree(actions: &[Planned<'_>], options: &LayoutOptions) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for action in actions {
        let Some(code) = action.migration.output() else {
            continue;
        };
        let folder = PathBuf::from("actions").join(action.name);
        files.push(OutputFile {
            path: folder.join("code.js"),
            contents: code.to_string(),
        });
        files.push(OutputFile {
            path: PathBuf::from("actions").join(format!("{}.json", action.name)),
            contents: pretty(&metadata(action, options)),
        });
    }
    let mut bound: Vec<(usize, &Planned<'_>)> = actions
        .iter()
        .enumerate()
        .filter(|(_, a)| a.rule.enabled && a.migration.output().is_some())
        .collect();
    // Rules ran in `order`; ties and rules without one keep the input order.
    bound.sort_by(|(i, a), (j, b)| {
        let order = |p: &Planned<'_>| p.rule.order.unwrap_or(f64::INFINITY);
        order(a).total_cmp(&order(b)).then(i.cmp(j))
    });
    let bindings: Vec<Value> = bound
        .iter()
        .map(|(_, a)| json!({ "action_name": a.name, "display_name": a.rule.name }))
        .collect();
    files.push(OutputFile {
        path: PathBuf::from("triggers").join("triggers.json"),
        contents: pretty(&json!({ "post-login": bindings })),
    });
    files
}

/// `actions/<name>.json`.
fn metadata(action: &Planned<'_>, options: &LayoutOptions) -> Value {
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
        "supported_triggers": [{ "id": "post-login", "version": "v3" }],
        "deployed": true,
    })
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values serialise");
    text.push('\n');
    text
}
