//! An auth0-deploy-cli repository in directory format.
//!
//! `rules/<name>.json` holds `{name, script, order, enabled, stage}`, with `script` relative to
//! `rules/`. Real repositories are messy: a JSON file may hold only `{enabled, order}` (the name
//! comes from the file name and the script is `<stem>.js`), a `.js` may have no JSON at all, and
//! a JSON file may not parse (a trailing comma): that rule alone gets the error.
//! `rules-configs/<key>.json` (`{key, value}`) is the global configuration; only keys are kept.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{enabled, inside, stem, Pipeline, RuleSource, LOGIN_SUCCESS};

pub(super) fn load(root: &Path, pipeline: &mut Pipeline) -> Result<(), String> {
    let rules_dir = root.join("rules");
    let mut scripts_used = BTreeSet::new();
    for json in files_with_extension(&rules_dir, "json")? {
        let (rule, script) = from_metadata(&rules_dir, &json);
        scripts_used.extend(script);
        pipeline.rules.push(rule);
    }
    for script in files_with_extension(&rules_dir, "js")? {
        if !scripts_used.contains(&script) {
            let code = fs::read(&script).map_err(|e| e.to_string());
            pipeline
                .rules
                .push(RuleSource::new(stem(&script), script, code));
        }
    }
    for config in files_with_extension(&root.join("rules-configs"), "json")? {
        let key = fs::read_to_string(&config)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .and_then(|value| value["key"].as_str().map(str::to_string))
            .unwrap_or_else(|| stem(&config));
        pipeline.config_keys.push(key);
    }
    Ok(())
}

/// A rule described by `rules/<name>.json`, and the script it claims: its `script`, relative to
/// `rules/`, or `<stem>.js` (also when the JSON does not parse). A path that leaves `rules/` is
/// refused.
fn from_metadata(rules_dir: &Path, json: &Path) -> (RuleSource, Option<PathBuf>) {
    let metadata = fs::read_to_string(json)
        .map_err(|e| e.to_string())
        .and_then(|text| {
            serde_json::from_str::<Value>(&text).map_err(|e| format!("not valid JSON: {e}"))
        });
    let default_script = format!("{}.js", stem(json));
    let metadata = match metadata {
        Ok(value) if value.is_object() => value,
        Ok(_) => Value::Null,
        Err(error) => {
            let rule = RuleSource::new(stem(json), json.to_path_buf(), Err(error));
            return (rule, inside(rules_dir, &default_script));
        }
    };
    let name = metadata["name"]
        .as_str()
        .map_or_else(|| stem(json), str::to_string);
    let mut rule = RuleSource::new(name, json.to_path_buf(), Ok(Vec::new()));
    rule.order = metadata["order"].as_f64();
    rule.enabled = enabled(metadata.get("enabled"));
    rule.stage = metadata["stage"]
        .as_str()
        .unwrap_or(LOGIN_SUCCESS)
        .to_string();
    let relative = metadata["script"].as_str().unwrap_or(&default_script);
    let script = inside(rules_dir, relative);
    if metadata.is_null() {
        rule.script = Err("expected a JSON object".to_string());
        return (rule, script);
    }
    rule.script = match &script {
        Some(path) => {
            let code = fs::read(path).map_err(|e| e.to_string());
            rule.label = path.display().to_string();
            rule.origin = path.clone();
            code
        }
        None => Err(format!(
            "the script of rule `{}` ({}) is outside rules/",
            rule.name,
            relative.replace('\\', "/")
        )),
    };
    (rule, script)
}

/// Files in `dir` with this extension, sorted; none when `dir` does not exist.
fn files_with_extension(dir: &Path, extension: &str) -> Result<Vec<PathBuf>, String> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    Ok(files)
}
