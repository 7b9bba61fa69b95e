//! An auth0-deploy-cli repository in YAML format: `tenant.yaml` with
//! `rules: [{name, script, order, enabled, stage}]` and `rulesConfigs: [{key, value}]`. Scripts
//! are resolved relative to the YAML file, as the deploy tool does, and must stay beside it
//! (links included). `enabled` must be a boolean and `order` a number; a wrong one is an error
//! for that rule. Keyword placeholders (`@@KEY@@`, `##KEY##`) are read as they are. `hooks:`
//! lists Hooks the same way, `{name, script, triggerId, enabled, dependencies, secrets}`.

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
    let tenant_file = TenantFile {
        file: &file,
        base,
        real_base: &real_base,
        placeholders: &placeholders,
    };
    for kind in [Kind::Rule, Kind::Hook] {
        let entries = match tenant.get(kind.key()) {
            None | Some(Value::Null) => None,
            Some(Value::Sequence(entries)) => Some(entries),
            Some(_) => {
                return Err(named(format!(
                    "`{}` must be a list of {}",
                    kind.key(),
                    kind.key()
                )))
            }
        };
        for (index, entry) in entries.into_iter().flatten().enumerate() {
            let rule = tenant_file.entry(entry, index, kind, pipeline);
            pipeline.rules.push(rule);
        }
    }
    let configs = tenant.get("rulesConfigs").and_then(Value::as_sequence);
    for config in configs.into_iter().flatten() {
        if let Some(key) = text_of(config.get("key")) {
            pipeline.config_keys.push(key);
        }
    }
    Ok(())
}

/// The lists of tenant.yaml that hold code.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Rule,
    Hook,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Rule => "rules",
            Kind::Hook => "hooks",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Rule => "rule",
            Kind::Hook => "Hook",
        }
    }
}

/// The tenant.yaml being read, and where its scripts may be.
struct TenantFile<'a> {
    file: &'a Path,
    base: &'a Path,
    real_base: &'a Path,
    placeholders: &'a [keywords::Placeholder],
}

impl TenantFile<'_> {
    fn text(&self, value: Option<&Value>) -> Option<String> {
        value
            .and_then(Value::as_str)
            .map(|s| keywords::restore(s, self.placeholders))
    }

    /// One entry of `rules:` (`{name, script, order, enabled, stage}`) or `hooks:`
    /// (`{name, script, triggerId, enabled, dependencies, secrets}`).
    fn entry(
        &self,
        entry: &Value,
        index: usize,
        kind: Kind,
        pipeline: &mut Pipeline,
    ) -> RuleSource {
        let file = self.file;
        let fallback = match kind {
            Kind::Rule => format!("rule-{}", index + 1),
            Kind::Hook => format!("hook-{}", index + 1),
        };
        let name = self.text(entry.get("name")).unwrap_or(fallback);
        let script_path = self.text(entry.get("script"));
        let mut rule = match kind {
            Kind::Rule => RuleSource::new(name, file.to_path_buf(), Ok(Vec::new())),
            Kind::Hook => RuleSource::hook(
                name,
                file.to_path_buf(),
                Ok(Vec::new()),
                self.text(entry.get("triggerId")).as_deref(),
                dependencies(entry.get("dependencies")),
            ),
        };
        rule.stage = self
            .text(entry.get("stage"))
            .unwrap_or_else(|| LOGIN_SUCCESS.to_string());
        let path = script_path
            .as_deref()
            .and_then(|relative| inside(self.base, relative));
        if let Some(path) = &path {
            rule.label = path.display().to_string();
            rule.origin = path.clone();
        }
        let settings = if entry.as_mapping().is_none() {
            Err(format!(
                "each entry of `{}` must be a mapping with `name` and `script`",
                kind.key()
            ))
        } else {
            let default = kind == Kind::Rule;
            enabled(entry.get("enabled"), default)
                .and_then(|e| order(entry.get("order")).map(|o| (e, o)))
        };
        let script = match (settings, &script_path, &path) {
            (Err(error), _, _) => Err(format!("{}: {error}", file.display())),
            (Ok(_), None, _) => Err(format!("this {} has no `script`", kind.noun())),
            (Ok(_), Some(relative), None) => {
                Err(format!("the script {relative} is outside the repository"))
            }
            (Ok((enabled, order)), Some(_), Some(path)) => {
                rule.enabled = enabled;
                rule.order = order;
                read_inside(path, self.real_base).and_then(|(real, code)| {
                    if pipeline.first_read(&real) {
                        Ok(code)
                    } else {
                        Err(format!(
                            "{} is the script of another {} too",
                            path.display(),
                            kind.noun()
                        ))
                    }
                })
            }
        };
        // A Hook's own error (a `triggerId` that is no extensibility point) comes first.
        if rule.script.is_ok() {
            rule.script = script;
        }
        rule
    }
}

/// A Hook's `dependencies`, `{name: version}`.
fn dependencies(value: Option<&Value>) -> Vec<(String, String)> {
    value
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
        .filter_map(|(name, version)| {
            let version = match version {
                Value::String(v) => v.clone(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some((name.as_str()?.to_string(), version))
        })
        .collect()
}

/// `enabled`: absent (`default`: rules are enabled, Hooks are not), or a boolean.
fn enabled(value: Option<&Value>, default: bool) -> Result<bool, String> {
    match value {
        None => Ok(default),
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
