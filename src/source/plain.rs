//! `.js` rule files, and folders searched for them. Hidden entries and `node_modules` are not
//! rules; a `hooks/` folder holds Hooks, read with their deploy-cli metadata. Links are followed inside the folder named on the command line only, each folder is
//! walked once (so a link back to a parent cannot loop), and an output folder of this tool is
//! never read back as rules.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use super::files::{ignored_name, resolve, Resolved, OUTPUT_MANIFEST};
use super::{stem, Pipeline, ReadRoot, RuleSource};

pub(super) fn load(path: &Path, pipeline: &mut Pipeline) -> Result<(), String> {
    let real = fs::canonicalize(path).map_err(|e| match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => super::files::link_problem(&e),
        _ => e.to_string(),
    })?;
    let metadata = fs::metadata(&real).map_err(|e| e.to_string())?;
    pipeline.read_roots.push(ReadRoot {
        path: real.clone(),
        whole: metadata.is_dir(),
    });
    if metadata.is_file() {
        if pipeline.first_read(&real) {
            pipeline.rules.push(read(path, &real));
        }
        return Ok(());
    }
    if real.file_name().is_some_and(|n| n == "hooks") {
        return super::deploy_cli::load_hooks(path, &real, pipeline);
    }
    walk(path, &real, &real, pipeline, &mut BTreeSet::new())
}

fn walk(
    dir: &Path,
    real_dir: &Path,
    root: &Path,
    pipeline: &mut Pipeline,
    walked: &mut BTreeSet<std::path::PathBuf>,
) -> Result<(), String> {
    walked.insert(real_dir.to_path_buf());
    if real_dir.join(OUTPUT_MANIFEST).is_file() {
        pipeline.skip(
            dir,
            format!("an output folder of rules2actions (it holds {OUTPUT_MANIFEST}), not rules"),
        );
        return Ok(());
    }
    for entry in super::files::entries(dir)? {
        if ignored_name(&entry) {
            continue;
        }
        match resolve(&entry, root) {
            Resolved::Dir(real) if walked.contains(&real) => {
                pipeline.skip(&entry, "a link to a folder that is already read");
            }
            // A `hooks/` folder holds Hooks, as in a deploy-cli repository, with their metadata.
            Resolved::Dir(real) if entry.file_name().is_some_and(|n| n == "hooks") => {
                walked.insert(real);
                super::deploy_cli::load_hooks(&entry, root, pipeline)?;
            }
            Resolved::Dir(real) => walk(&entry, &real, root, pipeline, walked)?,
            Resolved::File(_) if entry.extension().is_none_or(|e| e != "js") => {}
            Resolved::File(real) => {
                if pipeline.first_read(&real) {
                    pipeline.rules.push(read(&entry, &real));
                } else {
                    pipeline.skip(
                        &entry,
                        format!("another path to {}, already read", real.display()),
                    );
                }
            }
            Resolved::Skip(reason) => pipeline.skip(&entry, reason),
        }
    }
    Ok(())
}

/// A rule file (`real` is where it really is); an Action's own `code.js` is named after its
/// folder.
fn read(path: &Path, real: &Path) -> RuleSource {
    let name = match stem(path).as_str() {
        "code" => path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .map_or_else(|| "code".to_string(), str::to_string),
        other => other.to_string(),
    };
    let script = fs::read(real).map_err(|e| e.to_string());
    let mut rule = RuleSource::new(name, path.to_path_buf(), script);
    // An Action of a deploy-cli tree, `actions/<name>/code.js`, has its metadata beside its
    // folder: what `check` needs of it is the runtime.
    if stem(path) == "code" {
        let metadata = path
            .parent()
            .map(|folder| folder.with_extension("json"))
            .and_then(|json| fs::read_to_string(json).ok())
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok());
        rule.runtime = metadata
            .as_ref()
            .and_then(|m| m["runtime"].as_str())
            .map(str::to_string);
    }
    rule
}
