//! What a path on disk really is: a file or folder by its real path, or a reason to pass it
//! over. Every reader goes through here, so that links are judged the same way everywhere.

use std::fs;
use std::path::{Path, PathBuf};

/// The file `migrate --out` writes into every output folder; a folder holding it is output,
/// never input.
pub const OUTPUT_MANIFEST: &str = ".rules2actions-manifest.json";

/// A directory entry, resolved.
pub(super) enum Resolved {
    File(PathBuf),
    Dir(PathBuf),
    /// Not to be read, and why.
    Skip(String),
}

/// Resolves `path` (maybe a symbolic link) to its real path, which must lie inside `root`
/// (itself a real path).
pub(super) fn resolve(path: &Path, root: &Path) -> Resolved {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let real = match fs::canonicalize(path) {
        Ok(real) => real,
        Err(error) if is_link => return Resolved::Skip(link_problem(&error)),
        Err(error) => return Resolved::Skip(format!("cannot be read: {error}")),
    };
    if !real.starts_with(root) {
        return Resolved::Skip(format!(
            "a symbolic link to {}, outside {}",
            real.display(),
            root.display()
        ));
    }
    match fs::metadata(&real) {
        Ok(metadata) if metadata.is_dir() => Resolved::Dir(real),
        Ok(metadata) if metadata.is_file() => Resolved::File(real),
        Ok(_) => Resolved::Skip("not a regular file".to_string()),
        Err(error) => Resolved::Skip(format!("cannot be read: {error}")),
    }
}

/// Why a link cannot be followed.
pub(super) fn link_problem(error: &std::io::Error) -> String {
    // ELOOP: Rust has no stable error kind for it.
    if error.raw_os_error() == Some(40) {
        "a symbolic link loop".to_string()
    } else if error.kind() == std::io::ErrorKind::NotFound {
        "a broken symbolic link (its target does not exist)".to_string()
    } else {
        format!("a symbolic link that cannot be followed: {error}")
    }
}

/// Reads the script at `path`, which must resolve to a file inside `root`.
pub(super) fn read_inside(path: &Path, root: &Path) -> Result<(PathBuf, Vec<u8>), String> {
    match resolve(path, root) {
        Resolved::File(real) => fs::read(&real)
            .map(|bytes| (real, bytes))
            .map_err(|e| format!("{}: {e}", path.display())),
        Resolved::Dir(_) => Err(format!("{} is a folder, not a script", path.display())),
        Resolved::Skip(reason) => Err(format!("{}: {reason}", path.display())),
    }
}

/// The entries of `dir`, sorted; none when it does not exist.
pub(super) fn entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

/// A hidden entry, or a folder of installed packages: never rules.
pub(super) fn ignored_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name.starts_with('.') || name == "node_modules"
}
