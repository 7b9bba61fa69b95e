//! An auth0-deploy-cli repository in directory format.
//!
//! `rules/<name>.json` holds `{name, script, order, enabled, stage}`, with `script` relative to
//! `rules/`. Real repositories are messy: a JSON file may hold only `{enabled, order}` (the name
//! comes from the file name and the script is `<stem>.js`), a `.js` may have no JSON at all, and
//! a JSON file may not parse (a trailing comma): that rule alone gets the error, as does one
//! whose `enabled` is not a boolean or whose `order` is not a number. Scripts, links included,
//! must stay inside the repository. `rules-configs/<key>.json` (`{key, value}`) is the global
//! configuration; only keys are kept. `hooks/` holds Hooks the same way, `hooks/<name>.json` with
//! `{name, script, triggerId, enabled, dependencies, secrets}`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::files::{entries, ignored_name, read_inside, resolve, Resolved};
use super::{enabled, inside, order, stem, Pipeline, ReadRoot, RuleSource, LOGIN_SUCCESS};

pub(super) fn load(root: &Path, pipeline: &mut Pipeline) -> Result<(), String> {
    let real_root = fs::canonicalize(root).map_err(|e| e.to_string())?;
    let rules_dir = root.join("rules");
    pipeline.read_roots.push(ReadRoot {
        path: real_root.clone(),
        whole: false,
    });
    if let Ok(real_rules) = fs::canonicalize(&rules_dir) {
        pipeline.read_roots.push(ReadRoot {
            path: real_rules,
            whole: true,
        });
    }
    let (jsons, scripts) = files(&rules_dir, &real_root, pipeline)?;
    let mut scripts_used = BTreeSet::new();
    for json in jsons {
        let (rule, script) = from_metadata(&rules_dir, &real_root, &json);
        scripts_used.extend(script);
        pipeline.rules.push(rule);
    }
    for (script, real) in scripts {
        if scripts_used.contains(&real) {
            continue;
        }
        if pipeline.first_read(&real) {
            let code = fs::read(&real).map_err(|e| e.to_string());
            pipeline
                .rules
                .push(RuleSource::new(stem(&script), script, code));
        } else {
            pipeline.skip(
                &script,
                format!("another path to {}, already read", real.display()),
            );
        }
    }
    for config in files(&root.join("rules-configs"), &real_root, pipeline)?.0 {
        let key = fs::read_to_string(&config)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .and_then(|value| value["key"].as_str().map(str::to_string))
            .unwrap_or_else(|| stem(&config));
        pipeline.config_keys.push(key);
    }
    load_hooks(&root.join("hooks"), &real_root, pipeline)
}

/// The Hooks of a `hooks/` folder: `<name>.json` metadata with their scripts, and scripts
/// without metadata. Scripts must stay inside `real_root`.
pub(super) fn load_hooks(
    hooks_dir: &Path,
    real_root: &Path,
    pipeline: &mut Pipeline,
) -> Result<(), String> {
    let (jsons, scripts) = files(hooks_dir, real_root, pipeline)?;
    let mut hook_scripts = BTreeSet::new();
    for json in jsons {
        let (rule, script) = from_metadata(hooks_dir, real_root, &json);
        hook_scripts.extend(script);
        let metadata = fs::read_to_string(&json)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .unwrap_or_default();
        let mut hook = RuleSource::hook(
            rule.name.clone(),
            rule.origin.clone(),
            rule.script.clone(),
            metadata["triggerId"].as_str(),
            super::dependencies(&metadata["dependencies"]),
        );
        hook.label = rule.label;
        hook.enabled = metadata["enabled"].as_bool().unwrap_or(false) && rule.enabled;
        pipeline.rules.push(hook);
    }
    // A script without metadata is not deployed by the deploy tool, but it is still a Hook.
    for (script, real) in scripts {
        if !hook_scripts.contains(&real) && pipeline.first_read(&real) {
            let code = fs::read(&real).map_err(|e| e.to_string());
            let mut hook = RuleSource::hook(stem(&script), script, code, None, Vec::new());
            hook.enabled = true;
            pipeline.rules.push(hook);
        }
    }
    Ok(())
}

/// The `.json` files of `dir`, and its `.js` files with their real paths; entries that cannot
/// be followed are skipped with the reason.
type Files = (Vec<PathBuf>, Vec<(PathBuf, PathBuf)>);

fn files(dir: &Path, root: &Path, pipeline: &mut Pipeline) -> Result<Files, String> {
    let mut jsons = Vec::new();
    let mut scripts = Vec::new();
    for entry in entries(dir)? {
        if ignored_name(&entry) {
            continue;
        }
        let extension = entry
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if extension != "json" && extension != "js" {
            continue;
        }
        match resolve(&entry, root) {
            Resolved::File(_) if extension == "json" => jsons.push(entry),
            Resolved::File(real) => scripts.push((entry, real)),
            Resolved::Dir(_) => {}
            Resolved::Skip(reason) => pipeline.skip(&entry, reason),
        }
    }
    Ok((jsons, scripts))
}

/// A rule described by `rules/<name>.json`, and the real path of the script it claims: its
/// `script`, relative to `rules/`, or `<stem>.js` (also when the JSON does not parse). A path
/// that leaves `rules/`, or a link that leaves the repository, is refused.
fn from_metadata(rules_dir: &Path, root: &Path, json: &Path) -> (RuleSource, Option<PathBuf>) {
    let metadata = fs::read_to_string(json)
        .map_err(|e| e.to_string())
        .and_then(|text| {
            serde_json::from_str::<Value>(&text).map_err(|e| format!("not valid JSON: {e}"))
        });
    let default_script = format!("{}.js", stem(json));
    let claimed =
        |relative: &str| inside(rules_dir, relative).and_then(|path| fs::canonicalize(path).ok());
    let metadata = match metadata {
        Ok(value) if value.is_object() => value,
        Ok(_) => {
            let rule = RuleSource::new(
                stem(json),
                json.to_path_buf(),
                Err("expected a JSON object".to_string()),
            );
            return (rule, claimed(&default_script));
        }
        Err(error) => {
            let rule = RuleSource::new(stem(json), json.to_path_buf(), Err(error));
            return (rule, claimed(&default_script));
        }
    };
    let name = metadata["name"]
        .as_str()
        .map_or_else(|| stem(json), str::to_string);
    let relative = metadata["script"].as_str().unwrap_or(&default_script);
    let mut rule = RuleSource::new(name, json.to_path_buf(), Ok(Vec::new()));
    rule.stage = metadata["stage"]
        .as_str()
        .unwrap_or(LOGIN_SUCCESS)
        .to_string();
    let script = inside(rules_dir, relative);
    let settings = enabled(metadata.get("enabled"))
        .and_then(|enabled| order(metadata.get("order")).map(|order| (enabled, order)));
    match settings {
        Ok((enabled, order)) => {
            rule.enabled = enabled;
            rule.order = order;
        }
        Err(error) => {
            rule.script = Err(format!("{}: {error}", json.display()));
            return (rule, script.and_then(|p| fs::canonicalize(p).ok()));
        }
    }
    let Some(path) = script else {
        let folder = rules_dir.file_name().unwrap_or_default().to_string_lossy();
        rule.script = Err(format!(
            "the script of {} `{}` ({}) is outside {folder}/",
            if folder == "hooks" { "Hook" } else { "rule" },
            rule.name,
            relative.replace('\\', "/"),
        ));
        return (rule, None);
    };
    rule.label = path.display().to_string();
    rule.origin = path.clone();
    match read_inside(&path, root) {
        Ok((real, code)) => {
            rule.script = Ok(code);
            (rule, Some(real))
        }
        Err(error) => {
            rule.script = Err(error);
            (rule, fs::canonicalize(&path).ok())
        }
    }
}
