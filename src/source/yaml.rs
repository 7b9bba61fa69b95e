//! An auth0-deploy-cli repository in YAML format: `tenant.yaml` with
//! `rules: [{name, script, order, enabled, stage}]` and `rulesConfigs: [{key, value}]`. Scripts
//! are resolved relative to the YAML file, as the deploy tool does. Keyword placeholders
//! (`@@KEY@@`, `##KEY##`) are read as they are.

use std::fs;
use std::path::{Path, PathBuf};

use yaml_serde::Value;

use super::{inside, keywords, Pipeline, RuleSource, LOGIN_SUCCESS};

pub(super) fn load(path: &Path, pipeline: &mut Pipeline) -> Result<(), String> {
    let file = tenant_file(path).ok_or("no tenant.yaml or tenant.yml here")?;
    let bytes = fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    // The deploy tool replaces keywords before it parses the YAML, so `name: Tag ##ENV## logins`
    // is not a comment there: stand-ins keep them whole here.
    let (text, placeholders) = keywords::protect(&bytes);
    let tenant: Value = yaml_serde::from_slice(&text)
        .map_err(|e| format!("{}: not valid YAML: {e}", file.display()))?;
    let text_of = |value: Option<&Value>| {
        value
            .and_then(Value::as_str)
            .map(|s| keywords::restore(s, &placeholders))
    };
    let base = file.parent().unwrap_or(Path::new("."));
    let rules = tenant.get("rules").and_then(Value::as_sequence);
    for (index, entry) in rules.into_iter().flatten().enumerate() {
        let name = text_of(entry.get("name")).unwrap_or_else(|| format!("rule-{}", index + 1));
        let script_path = text_of(entry.get("script"));
        let script = match &script_path {
            None => Err("this rule has no `script`".to_string()),
            Some(relative) => inside(base, relative)
                .ok_or_else(|| format!("the script {relative} is outside the repository"))
                .and_then(|p| fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))),
        };
        let mut rule = RuleSource::new(name, file.clone(), script);
        if let Some(relative) = &script_path {
            if let Some(path) = inside(base, relative) {
                rule.label = path.display().to_string();
                rule.origin = path;
            }
        }
        rule.order = entry.get("order").and_then(Value::as_f64);
        rule.enabled = entry
            .get("enabled")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        rule.stage = text_of(entry.get("stage")).unwrap_or_else(|| LOGIN_SUCCESS.to_string());
        pipeline.rules.push(rule);
    }
    let configs = tenant.get("rulesConfigs").and_then(Value::as_sequence);
    for config in configs.into_iter().flatten() {
        if let Some(key) = text_of(config.get("key")) {
            pipeline.config_keys.push(key);
        }
    }
    Ok(())
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
