//! `.js` rule files, and folders searched for them (hidden entries and `node_modules` skipped).

use std::fs;
use std::path::Path;

use super::{stem, Pipeline, RuleSource};

pub(super) fn load(path: &Path, pipeline: &mut Pipeline) -> std::io::Result<()> {
    let metadata = fs::metadata(path)?;
    if metadata.is_file() {
        pipeline.rules.push(read(path));
        return Ok(());
    }
    let mut entries: Vec<_> = fs::read_dir(path)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for entry in entries {
        let file_name = entry
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if file_name.starts_with('.') || file_name == "node_modules" {
            continue;
        }
        if entry.is_dir() {
            load(&entry, pipeline)?;
        } else if entry.extension().is_some_and(|e| e == "js") {
            pipeline.rules.push(read(&entry));
        }
    }
    Ok(())
}

/// A rule file; an Action's own `code.js` is named after its folder.
fn read(path: &Path) -> RuleSource {
    let name = match stem(path).as_str() {
        "code" => path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .map_or_else(|| "code".to_string(), str::to_string),
        other => other.to_string(),
    };
    let script = fs::read(path).map_err(|e| e.to_string());
    RuleSource::new(name, path.to_path_buf(), script)
}
