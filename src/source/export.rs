//! A Management API export: the JSON array `GET /api/v2/rules` returns,
//! `[{id, name, script, order, enabled, stage}]`, or the one of `GET /api/v2/hooks`,
//! `[{id, name, script, triggerId, enabled, dependencies}]`; an entry with a `triggerId` is a
//! Hook.

use std::fs;
use std::path::Path;

use serde_json::Value;

use super::{enabled, order, Pipeline, ReadRoot, RuleSource, LOGIN_SUCCESS};

pub(super) fn load(path: &Path, pipeline: &mut Pipeline) -> Result<(), String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    if let Ok(real) = fs::canonicalize(path) {
        pipeline.read_roots.push(ReadRoot {
            path: real,
            whole: true,
        });
    }
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| format!("not valid JSON ({e}); a Management API export is the array `GET /api/v2/rules` or `GET /api/v2/hooks` returns"))?;
    let Value::Array(items) = value else {
        return Err(
            "expected the JSON array `GET /api/v2/rules` or `GET /api/v2/hooks` returns"
                .to_string(),
        );
    };
    for (index, item) in items.iter().enumerate() {
        let name = item["name"]
            .as_str()
            .map_or_else(|| format!("rule-{}", index + 1), str::to_string);
        let settings = enabled(item.get("enabled"))
            .and_then(|enabled| order(item.get("order")).map(|order| (enabled, order)));
        let script = match (item["script"].as_str(), &settings) {
            (_, Err(error)) => Err(error.clone()),
            (Some(script), Ok(_)) => Ok(script.as_bytes().to_vec()),
            (None, Ok(_)) => Err(format!("entry {} has no `script`", index + 1)),
        };
        let mut rule = match item.get("triggerId") {
            Some(trigger_id) => RuleSource::hook(
                name,
                path.to_path_buf(),
                script,
                Some(trigger_id.as_str().unwrap_or_default()),
                super::dependencies(&item["dependencies"]),
            ),
            None => RuleSource::new(name, path.to_path_buf(), script),
        };
        rule.label = format!("{}[{}]", path.display(), rule.name);
        if let Ok((enabled, order)) = settings {
            rule.enabled = enabled;
            rule.order = order;
        }
        rule.stage = item["stage"].as_str().unwrap_or(LOGIN_SUCCESS).to_string();
        rule.id = item["id"].as_str().map(str::to_string);
        pipeline.rules.push(rule);
    }
    Ok(())
}
