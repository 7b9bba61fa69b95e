//! Writing the output tree. Each file is written to a temporary file in its folder and renamed
//! into place, so a crash leaves the old file or the new one. A manifest
//! (`.rules2actions-manifest.json`) records a hash of every file this tool wrote: a file that
//! still has that hash may be replaced, one that does not (edited by hand, or never generated
//! here) only with `--force`. Inputs are never written.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::OutputFile;

pub const MANIFEST: &str = ".rules2actions-manifest.json";

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Created,
    Updated,
    Unchanged,
}

impl Written {
    pub fn verb(self) -> &'static str {
        match self {
            Written::Created => "wrote",
            Written::Updated => "updated",
            Written::Unchanged => "unchanged",
        }
    }
}

/// Writes `files` under `dir`. Returns, per file, what happened or why it was refused.
pub fn write_tree(
    dir: &Path,
    files: &[OutputFile],
    force: bool,
    inputs: &BTreeSet<PathBuf>,
) -> Vec<(PathBuf, Result<Written, String>)> {
    let mut manifest = read_manifest(dir);
    let results: Vec<(PathBuf, Result<Written, String>)> = files
        .iter()
        .map(|file| {
            let path = dir.join(&file.path);
            let result = write_one(&path, &file.contents, force, inputs, &manifest, &file.path);
            if result.is_ok() {
                manifest.insert(
                    key(&file.path),
                    super::state::fingerprint(file.contents.as_bytes()),
                );
            }
            (path, result)
        })
        .collect();
    let text = serde_json::to_string_pretty(&manifest).expect("a map of strings serialises");
    if let Err(error) = atomic_write(&dir.join(MANIFEST), &format!("{text}\n")) {
        eprintln!("warning: {}: {error}", dir.join(MANIFEST).display());
    }
    results
}

fn write_one(
    path: &Path,
    contents: &str,
    force: bool,
    inputs: &BTreeSet<PathBuf>,
    manifest: &BTreeMap<String, String>,
    relative: &Path,
) -> Result<Written, String> {
    let shown = path.display();
    if fs::canonicalize(path).is_ok_and(|p| inputs.contains(&p)) {
        return Err(format!(
            "{shown} is one of the inputs; refusing to overwrite it"
        ));
    }
    let written = match fs::read(path) {
        Ok(existing) if existing == contents.as_bytes() => return Ok(Written::Unchanged),
        Ok(existing) => {
            let ours = manifest.get(&key(relative)) == Some(&super::state::fingerprint(&existing));
            if !ours && !force {
                return Err(format!(
                    "{shown} exists and was not written by rules2actions (or was edited since); use --force to replace it"
                ));
            }
            Written::Updated
        }
        Err(_) => Written::Created,
    };
    atomic_write(path, contents).map_err(|e| format!("{shown}: {e}"))?;
    Ok(written)
}

fn atomic_write(path: &Path, contents: &str) -> std::io::Result<()> {
    let parent = path.parent().expect("output paths have a parent");
    fs::create_dir_all(parent)?;
    let mut temporary = tempfile::NamedTempFile::new_in(parent)?;
    // Temporary files are private; what we write is an ordinary file of the repository.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
        temporary
            .as_file()
            .set_permissions(fs::Permissions::from_mode(mode))?;
    }
    temporary.write_all(contents.as_bytes())?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn read_manifest(dir: &Path) -> BTreeMap<String, String> {
    fs::read_to_string(dir.join(MANIFEST))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// The manifest key of a relative path, with `/` on every platform.
fn key(relative: &Path) -> String {
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
