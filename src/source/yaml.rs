//! An auth0-deploy-cli repository in YAML format: `tenant.yaml` with
//! `rules: [{name, script, order, enabled, stage}]` and `rulesConfigs: [{key, value}]`. Scripts
//! are resolved relative to the YAML file, as the deploy tool does, and must stay beside it
//! (links included). `enabled` must be a boolean and `order` a number; a wrong one is an error
//! for that rule. Keyword placeholders (`@@KEY@@`, `##KEY##`) are read as they are. `hooks:`
//! entries are listed as skipped.

use std::fs;
use std::path::{Path, PathBuf};

use yaml_serde::Value;

use super::files::read_inside;
use super::{inside, keywords, Pipeline, ReadRoot, RuleSource, LOGIN_SUCCESS};

pub(super) fn load(path: &Path, pipeline: &mut Pipeline) -> Result<(), String> {
    let file = tenant_file(path).ok_or("no tenant.yaml or tenant.yml here")?;
    // Errors about the whole file are prefixed with the path named on the command line;
    // they name the file too when that path is its folder.
    let named = |message: String| {
        if file == path {
            message
        } else {
            format!("{}: {message}", file.display())
        }
    };
    let bytes = fs::read(&file).map_err(|e| named(e.to_string()))?;
    // The deploy tool replaces keywords before it parses the YAML, so `name: Tag ##ENV## logins`
    // is not a comment there: stand-ins keep them whole here.
    let (text, placeholders) = keywords::protect(&bytes);
    let tenant: Value =
        yaml_serde::from_slice(&text).map_err(|e| named(format!("not valid YAML: {e}")))?;
    let text_of = |value: Option<&Value>| {
        value
            .and_then(Value::as_str)
            .map(|s| keywords::restore(s, &placeholders))
    };
    let base = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let real_base = fs::canonicalize(base).map_err(|e| format!("{}: {e}", base.display()))?;
    pipeline.read_roots.push(ReadRoot {
        path: real_base.clone(),
        whole: false,
    });
    if let Ok(real_file) = fs::canonicalize(&file) {
        pipeline.read_roots.push(ReadRoot {
            path: real_file,
            whole: true,
        });
    }
    let rules = match tenant.get("rules") {
        None | Some(Value::Null) => None,
        Some(Value::Sequence(rules)) => Some(rules),
        Some(_) => return Err(named("`rules` must be a list of rules".to_string())),
    };
    for (index, entry) in rules.into_iter().flatten().enumerate() {
        let name = text_of(entry.get("name")).unwrap_or_else(|| format!("rule-{}", index + 1));
        let script_path = text_of(entry.get("script"));
        let mut rule = RuleSource::new(name, file.clone(), Ok(Vec::new()));
        rule.stage = text_of(entry.get("stage")).unwrap_or_else(|| LOGIN_SUCCESS.to_string());
        let path = script_path
            .as_deref()
            .and_then(|relative| inside(base, relative));
        if let Some(path) = &path {
            rule.label = path.display().to_string();
            rule.origin = path.clone();
        }
        let settings = if entry.as_mapping().is_none() {
            Err("each entry of `rules` must be a mapping with `name` and `script`".to_string())
        } else {
            enabled(entry.get("enabled")).and_then(|e| order(entry.get("order")).map(|o| (e, o)))
        };
        rule.script = match (settings, &script_path, &path) {
            (Err(error), _, _) => Err(format!("{}: {error}", file.display())),
            (Ok(_), None, _) => Err("this rule has no `script`".to_string()),
            (Ok(_), Some(relative), None) => {
                Err(format!("the script {relative} is outside the repository"))
            }
            (Ok((enabled, order)), Some(_), Some(path)) => {
                rule.enabled = enabled;
                rule.order = order;
                read_inside(path, &real_base).and_then(|(real, code)| {
                    if pipeline.first_read(&real) {
                        Ok(code)
                    } else {
                        Err(format!(
                            "{} is the script of another rule too",
                            path.display()
                        ))
                    }
                })
            }
        };
        pipeline.rules.push(rule);
    }
    let configs = tenant.get("rulesConfigs").and_then(Value::as_sequence);
    for config in configs.into_iter().flatten() {
        if let Some(key) = text_of(config.get("key")) {
            pipeline.config_keys.push(key);
        }
    }
    for hook in tenant
        .get("hooks")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        let name = text_of(hook.get("name")).unwrap_or_else(|| "hook".to_string());
        pipeline.skip(
            &file.join(format!("hooks[{name}]")),
            super::deploy_cli::HOOK,
        );
    }
    Ok(())
}

/// `enabled`: absent, or a boolean.
fn enabled(value: Option<&Value>) -> Result<bool, String> {
    match value {
        None => Ok(true),
        Some(Value::Bool(enabled)) => Ok(*enabled),
        Some(other) => Err(format!(
            "`enabled` must be true or false, not {}",
            shown(other)
        )),
    }
}

/// `order`: absent, or a number.
fn order(value: Option<&Value>) -> Result<Option<f64>, String> {
    match value {
        None => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(other) => Err(format!("`order` must be a number, not {}", shown(other))),
    }
}

fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => format!("the string {s:?}"),
        Value::Null => "null".to_string(),
        other => yaml_serde::to_string(other)
            .map(|s| s.trim().to_string())
            .unwrap_or_default(),
    }
}

/// `path` itself when it is a file, or its `tenant.yaml` / `tenant.yml`.
pub(super) fn tenant_file(path: &Path) -> Option<PathBuf> {
    if path.is_file() {
        return Some(path.to_path_buf());
    }
    ["tenant.yaml", "tenant.yml"]
        .iter()
        .map(|name| path.join(name))
        .find(|p| p.is_file())
}
