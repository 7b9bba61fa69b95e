//! Writing the output tree safely.
//!
//! - Each file is written to a temporary file in its folder and renamed into place, so a crash
//!   leaves the old file or the new one, never half of one. Files land in batches
//!   ([`OutputDir::land`]): the temporary files are flushed to disk together (one `syncfs` on
//!   Linux rather than one `fsync` per file, which cost more than everything else on a large
//!   run), then renamed. Temporary files an interrupted run left behind are removed by the next
//!   run.
//! - A manifest (`.rules2actions-manifest.json`) records a hash of every file this tool wrote.
//!   A file that still has that hash may be replaced; one that does not (edited by hand, or never
//!   generated here) is kept, and only `--force` replaces it. The hash of each file is journaled
//!   before the file lands, so a run killed halfway leaves files that the next run still knows
//!   as its own.
//! - A lock on the output folder makes a second run into it wait until the first is done.
//! - Inputs are never written.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::state::fingerprint;
use super::OutputFile;
pub use crate::source::OUTPUT_MANIFEST as MANIFEST;

/// Where the hashes of files written by a run that has not finished go.
const JOURNAL: &str = ".rules2actions-manifest.journal";
/// The prefix of temporary files, so that leftovers can be recognised and removed.
const TEMPORARY_PREFIX: &str = ".rules2actions-tmp-";

/// What happened to one file, or would happen in a dry run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    Created,
    Updated,
    Unchanged,
    /// Left as it is, because a human edited it or rules2actions never wrote it.
    Kept(Kept),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// rules2actions wrote it and someone edited it since.
    Edited,
    /// rules2actions did not write it.
    Foreign,
}

impl Written {
    /// `new`, `updated`, … as the plan shows it.
    pub fn label(&self) -> &'static str {
        match self {
            Written::Created => "new",
            Written::Updated => "updated",
            Written::Unchanged => "unchanged",
            Written::Kept(Kept::Edited) => "kept (edited by hand; --force replaces it)",
            Written::Kept(Kept::Foreign) => {
                "kept (not written by rules2actions; --force replaces it)"
            }
        }
    }

    /// Whether the file on disk now holds what was generated.
    pub fn holds_generated(&self) -> bool {
        !matches!(self, Written::Kept(_))
    }
}

/// A file written to a temporary file, waiting to be renamed into place.
struct Pending {
    temporary: tempfile::TempPath,
    path: PathBuf,
    key: String,
    /// The hash the manifest held for the path before: it stays when the file does not land.
    previous: Option<String>,
}

/// An output folder open for writing (or, in a dry run, for planning).
pub struct OutputDir {
    dir: PathBuf,
    force: bool,
    dry_run: bool,
    inputs: BTreeSet<PathBuf>,
    /// Every hash each path had when this tool wrote it, from the manifest and the journal.
    known: BTreeMap<String, BTreeSet<String>>,
    /// The hash of each path this tool last wrote.
    latest: BTreeMap<String, String>,
    /// Buffered: flushed before any file it names lands.
    journal: Option<std::io::BufWriter<fs::File>>,
    /// Folders known to exist, so that each is created once.
    folders: BTreeSet<PathBuf>,
    real_paths: RealPaths,
    /// Files written to temporary files (closed: a large run holds more than a process may
    /// keep open) and not yet renamed into place.
    pending: Vec<Pending>,
    /// Held for as long as the folder is open.
    _lock: Option<fs::File>,
    /// Temporary files of an interrupted run, removed when the folder was opened.
    pub removed_temporaries: usize,
}

impl OutputDir {
    /// Opens `dir` for writing: creates it, waits for any other run writing into it (calling
    /// `waiting` first), and removes what an interrupted run left behind.
    pub fn open(
        dir: &Path,
        force: bool,
        inputs: BTreeSet<PathBuf>,
        waiting: impl FnOnce(),
    ) -> Result<OutputDir, String> {
        let shown = dir.display();
        fs::create_dir_all(dir).map_err(|e| format!("{shown}: {e}"))?;
        let lock = lock(dir, waiting).map_err(|e| format!("{shown}: cannot lock: {e}"))?;
        let mut output = OutputDir::read(dir, force, false, inputs);
        output._lock = Some(lock);
        output.removed_temporaries = remove_temporaries(dir);
        let journal = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(JOURNAL))
            .map_err(|e| format!("{}: {e}", dir.join(JOURNAL).display()))?;
        output.journal = Some(std::io::BufWriter::new(journal));
        Ok(output)
    }

    /// `dir` as it is, to plan what writing would do without writing anything.
    pub fn plan(dir: &Path, force: bool, inputs: BTreeSet<PathBuf>) -> OutputDir {
        OutputDir::read(dir, force, true, inputs)
    }

    fn read(dir: &Path, force: bool, dry_run: bool, inputs: BTreeSet<PathBuf>) -> OutputDir {
        let latest: BTreeMap<String, String> = fs::read_to_string(dir.join(MANIFEST))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        let mut known: BTreeMap<String, BTreeSet<String>> = latest
            .iter()
            .map(|(path, hash)| (path.clone(), BTreeSet::from([hash.clone()])))
            .collect();
        let mut latest = latest;
        // A run that did not finish journaled what it wrote.
        let journal = fs::read_to_string(dir.join(JOURNAL)).unwrap_or_default();
        for line in journal.lines() {
            if let Some((hash, path)) = line.split_once('\t') {
                known
                    .entry(path.to_string())
                    .or_default()
                    .insert(hash.to_string());
                latest.insert(path.to_string(), hash.to_string());
            }
        }
        OutputDir {
            dir: dir.to_path_buf(),
            force,
            dry_run,
            inputs,
            known,
            latest,
            journal: None,
            folders: BTreeSet::new(),
            real_paths: RealPaths::default(),
            pending: Vec::new(),
            _lock: None,
            removed_temporaries: 0,
        }
    }

    /// Writes one file (relative to the folder), or says what writing it would do. A file
    /// created or updated is in place once [`OutputDir::land`] (or `finish`) has run.
    pub fn write(&mut self, file: &OutputFile<'_>) -> Result<Written, String> {
        let path = self.dir.join(&file.path);
        let key = key(&file.path);
        let hash = fingerprint(file.contents.as_bytes());
        let existing = self.existing(&path)?;
        let written = self.decide(
            &key,
            existing.as_deref().map(fingerprint).as_deref(),
            existing.as_deref() == Some(file.contents.as_bytes()),
        );
        if self.settled(&written, &key, &hash) {
            return Ok(written);
        }
        self.make_folder(&path)?;
        let temporary = temporary_file(&path, written == Written::Updated)
            .and_then(|mut t| t.write_all(file.contents.as_bytes()).map(|()| t))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        self.pend(path, key, hash, temporary.into_temp_path())?;
        Ok(written)
    }

    /// [`OutputDir::write`] for a large file that `render` writes piece by piece, so that it is
    /// never held whole: it goes to its temporary file as it is made.
    pub fn write_streamed(
        &mut self,
        relative: &Path,
        render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<Written, String> {
        let path = self.dir.join(relative);
        let shown = path.display().to_string();
        let key = key(relative);
        // Read a piece at a time, like the new text is written.
        let existing_hash = streamed_fingerprint(&path).ok();
        if existing_hash.is_some() {
            self.refuse_input(&path)?;
        }
        let (hash, temporary) = if self.dry_run {
            let mut sink = Hashing::new(std::io::sink());
            render(&mut sink).map_err(|e| format!("{shown}: {e}"))?;
            (sink.fingerprint(), None)
        } else {
            self.make_folder(&path)?;
            let temporary = temporary_file(&path, false).map_err(|e| format!("{shown}: {e}"))?;
            let mut out = Hashing::new(std::io::BufWriter::new(temporary));
            render(&mut out)
                .and_then(|()| out.inner.flush())
                .map_err(|e| format!("{shown}: {e}"))?;
            let hash = out.fingerprint();
            let temporary = out
                .inner
                .into_inner()
                .map_err(|e| format!("{shown}: {}", e.error()))?;
            (hash, Some(temporary))
        };
        // Equal hashes, then equal bytes.
        let unchanged = existing_hash.as_deref() == Some(hash.as_str())
            && temporary
                .as_ref()
                .is_none_or(|t| same_bytes(t.path(), &path).unwrap_or(false));
        let written = self.decide(&key, existing_hash.as_deref(), unchanged);
        if self.settled(&written, &key, &hash) {
            return Ok(written);
        }
        let temporary = temporary.expect("only a dry run has no temporary file");
        if written == Written::Updated {
            copy_mode(&path, temporary.as_file()).map_err(|e| format!("{shown}: {e}"))?;
        }
        self.pend(path, key, hash, temporary.into_temp_path())?;
        Ok(written)
    }

    /// What is at `path` now; refuses an input. A path with nothing there cannot be an input,
    /// so only one that exists is looked into.
    fn existing(&mut self, path: &Path) -> Result<Option<Vec<u8>>, String> {
        let existing = fs::read(path).ok();
        if existing.is_some() {
            self.refuse_input(path)?;
        }
        Ok(existing)
    }

    /// Refuses to write over the file at `path` (which exists) when it is one of the inputs.
    fn refuse_input(&mut self, path: &Path) -> Result<(), String> {
        let is_input = self
            .real_paths
            .of_existing(path)
            .is_some_and(|real| self.inputs.contains(&real));
        if is_input {
            return Err(format!(
                "{} is one of the inputs; refusing to overwrite it",
                path.display()
            ));
        }
        Ok(())
    }

    /// What writing over the file with `existing_hash` does: nothing when it is `unchanged`,
    /// replace it when this tool wrote it (or `--force`), keep it otherwise.
    fn decide(&self, key: &str, existing_hash: Option<&str>, unchanged: bool) -> Written {
        match existing_hash {
            Some(_) if unchanged => Written::Unchanged,
            Some(existing) => {
                let ours = self
                    .known
                    .get(key)
                    .is_some_and(|hashes| hashes.contains(existing));
                match (ours, self.force) {
                    (_, true) | (true, _) => Written::Updated,
                    (false, false) if self.known.contains_key(key) => Written::Kept(Kept::Edited),
                    (false, false) => Written::Kept(Kept::Foreign),
                }
            }
            None => Written::Created,
        }
    }

    /// Whether there is nothing to write: a dry run, or a file left as it is.
    fn settled(&mut self, written: &Written, key: &str, hash: &str) -> bool {
        if self.dry_run || !matches!(written, Written::Created | Written::Updated) {
            if *written == Written::Unchanged && !self.dry_run {
                self.latest.insert(key.to_string(), hash.to_string());
            }
            return true;
        }
        false
    }

    fn make_folder(&mut self, path: &Path) -> Result<(), String> {
        let parent = path.parent().expect("output paths have a parent");
        if !self.folders.contains(parent) {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
            self.folders.insert(parent.to_path_buf());
        }
        Ok(())
    }

    /// Journals the file's hash, and queues its temporary file to land.
    fn pend(
        &mut self,
        path: PathBuf,
        key: String,
        hash: String,
        temporary: tempfile::TempPath,
    ) -> Result<(), String> {
        if let Some(journal) = &mut self.journal {
            journal
                .write_all(format!("{hash}\t{key}\n").as_bytes())
                .map_err(|e| format!("{}: {e}", self.dir.join(JOURNAL).display()))?;
        }
        self.known
            .entry(key.clone())
            .or_default()
            .insert(hash.clone());
        let previous = self.latest.insert(key.clone(), hash);
        self.pending.push(Pending {
            temporary,
            path,
            key,
            previous,
        });
        Ok(())
    }

    /// Puts every file written since the last call in place: flushed to disk together, then
    /// renamed. Returns the files that could not be put in place, each with why.
    pub fn land(&mut self) -> Vec<(PathBuf, String)> {
        let pending = std::mem::take(&mut self.pending);
        if pending.is_empty() {
            return Vec::new();
        }
        // The journal names every file about to land: it reaches the disk with them.
        let journaled = match &mut self.journal {
            Some(journal) => journal.flush(),
            None => Ok(()),
        };
        let flushed = journaled
            .and_then(|()| flush_together(&self.dir, pending.iter().map(|p| p.temporary.as_ref())));
        let mut failed = Vec::new();
        for pending in pending {
            let path = pending.path;
            let landed = match &flushed {
                Ok(()) => pending
                    .temporary
                    .persist(&path)
                    .map(drop)
                    .map_err(|e| e.error),
                Err(error) => Err(std::io::Error::new(error.kind(), error.to_string())),
            };
            if let Err(error) = landed {
                // The file on disk is still the one the manifest knew.
                match pending.previous {
                    Some(hash) => self.latest.insert(pending.key, hash),
                    None => self.latest.remove(&pending.key),
                };
                let relative = path.strip_prefix(&self.dir).unwrap_or(&path).to_path_buf();
                failed.push((relative, format!("{}: {error}", path.display())));
            }
        }
        failed
    }

    /// Puts the last files in place, records the manifest and ends the journal.
    pub fn finish(mut self) -> Result<(), String> {
        if self.dry_run {
            return Ok(());
        }
        if let Some((_, error)) = self.land().into_iter().next() {
            return Err(error);
        }
        // The renames are on disk before the manifest says the files are ours.
        flush_together(&self.dir, std::iter::empty::<&Path>())
            .map_err(|e| format!("{}: {e}", self.dir.display()))?;
        let text = serde_json::to_string_pretty(&self.latest).expect("a map of strings serialises");
        let manifest = self.dir.join(MANIFEST);
        atomic_write(&manifest, &format!("{text}\n"))
            .map_err(|e| format!("{}: {e}", manifest.display()))?;
        drop(self.journal);
        let _ = fs::remove_file(self.dir.join(JOURNAL));
        Ok(())
    }
}

/// Real paths of files in many folders, working out each folder's once (a large run writes
/// thousands of files into a few folders, and resolving every path in full cost more than
/// writing them).
#[derive(Default)]
pub struct RealPaths {
    folders: BTreeMap<PathBuf, Option<PathBuf>>,
}

impl RealPaths {
    /// The real path of the file at `path`, or `None` when nothing is there.
    pub fn of_existing(&mut self, path: &Path) -> Option<PathBuf> {
        let metadata = fs::symlink_metadata(path).ok()?;
        match (
            metadata.file_type().is_symlink(),
            path.parent(),
            path.file_name(),
        ) {
            (false, Some(parent), Some(name)) => self
                .folders
                .entry(parent.to_path_buf())
                .or_insert_with(|| fs::canonicalize(parent).ok())
                .as_ref()
                .map(|folder| folder.join(name)),
            _ => fs::canonicalize(path).ok(),
        }
    }
}

/// Takes the lock on `dir`, waiting for the run that holds it.
fn lock(dir: &Path, waiting: impl FnOnce()) -> std::io::Result<fs::File> {
    // A lock on the folder itself leaves no file behind in the team's repository.
    #[cfg(unix)]
    let file = fs::File::open(dir)?;
    #[cfg(not(unix))]
    let file = fs::OpenOptions::new()
        .create(true)
        .write(true)
        .open(dir.join(".rules2actions.lock"))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            waiting();
            file.lock()?;
        }
        Err(fs::TryLockError::Error(error)) => return Err(error),
    }
    Ok(file)
}

/// Removes temporary files an interrupted run left in the folders this tool writes.
fn remove_temporaries(dir: &Path) -> usize {
    let mut folders = vec![dir.to_path_buf(), dir.join("triggers"), dir.join("actions")];
    if let Ok(actions) = fs::read_dir(dir.join("actions")) {
        folders.extend(
            actions
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir()),
        );
    }
    let mut removed = 0;
    for folder in folders {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(TEMPORARY_PREFIX) && fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
    }
    removed
}

fn atomic_write(path: &Path, contents: &str) -> std::io::Result<()> {
    let mut temporary = temporary_file(path, path.exists())?;
    temporary.write_all(contents.as_bytes())?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// An empty temporary file beside `path` (whose folder exists): with the permissions of the
/// file it `replaces`, or those of an ordinary file of the repository.
fn temporary_file(path: &Path, replaces: bool) -> std::io::Result<tempfile::NamedTempFile> {
    let parent = path.parent().expect("output paths have a parent");
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY_PREFIX);
    // Temporary files are private; what we write is an ordinary file of the repository.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o644));
    }
    let temporary = builder.tempfile_in(parent)?;
    if replaces {
        copy_mode(path, temporary.as_file())?;
    }
    Ok(temporary)
}

/// Gives `file` the permissions of the file at `path`, when there is one.
fn copy_mode(path: &Path, file: &fs::File) -> std::io::Result<()> {
    match fs::metadata(path) {
        Ok(metadata) => file.set_permissions(metadata.permissions()),
        Err(_) => Ok(()),
    }
}

/// The [`fingerprint`] of the file at `path`, read a piece at a time.
fn streamed_fingerprint(path: &Path) -> std::io::Result<String> {
    let mut hashing = Hashing::new(std::io::sink());
    std::io::copy(&mut fs::File::open(path)?, &mut hashing)?;
    Ok(hashing.fingerprint())
}

/// Whether two files hold the same bytes, compared a piece at a time.
fn same_bytes(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let (mut a, mut b) = (
        std::io::BufReader::new(fs::File::open(a)?),
        std::io::BufReader::new(fs::File::open(b)?),
    );
    let (mut left, mut right) = ([0u8; 8192], [0u8; 8192]);
    loop {
        let n = a.read(&mut left)?;
        if n == 0 {
            return Ok(b.read(&mut right[..1])? == 0);
        }
        b.read_exact(&mut right[..n])?;
        if left[..n] != right[..n] {
            return Ok(false);
        }
    }
}

/// A writer that keeps the [`fingerprint`] of what went through it.
struct Hashing<W> {
    inner: W,
    hash: u64,
}

impl<W: Write> Hashing<W> {
    fn new(inner: W) -> Self {
        Hashing {
            inner,
            hash: super::state::FINGERPRINT_START,
        }
    }

    fn fingerprint(&self) -> String {
        format!("{:016x}", self.hash)
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.hash = super::state::fingerprint_more(self.hash, &bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Flushes the files written in `dir` to disk: with one `syncfs` of its filesystem on Linux,
/// and where that is refused (or elsewhere) each of `files`, opened one at a time.
fn flush_together<'f>(dir: &Path, files: impl Iterator<Item = &'f Path>) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let folder = fs::File::open(dir)?;
        // SAFETY: `syncfs` only reads the descriptor, which `folder` keeps open.
        if unsafe { libc::syncfs(folder.as_raw_fd()) } == 0 {
            return Ok(());
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = dir;
    for file in files {
        fs::OpenOptions::new().write(true).open(file)?.sync_all()?;
    }
    Ok(())
}

/// The manifest key of a relative path, with `/` on every platform.
fn key(relative: &Path) -> String {
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &'static str, contents: &'static str) -> OutputFile<'static> {
        OutputFile {
            path: path.into(),
            contents: contents.into(),
        }
    }

    #[test]
    fn a_streamed_file_is_created_kept_unchanged_and_replaced_like_any_other() {
        let dir = tempfile::tempdir().unwrap();
        let report = Path::new("report.html");
        let stream = |text: &'static str| {
            move |out: &mut dyn Write| {
                for piece in text.split_inclusive(' ') {
                    out.write_all(piece.as_bytes())?;
                }
                Ok(())
            }
        };
        let run = |text: &'static str, force: bool, dry_run: bool| {
            let mut out = if dry_run {
                OutputDir::plan(dir.path(), force, BTreeSet::new())
            } else {
                OutputDir::open(dir.path(), force, BTreeSet::new(), || {}).unwrap()
            };
            let written = out.write_streamed(report, stream(text)).unwrap();
            out.finish().unwrap();
            written
        };
        assert_eq!(run("a large page", false, true), Written::Created);
        assert!(
            !dir.path().join(report).exists(),
            "a dry run writes nothing"
        );
        assert_eq!(run("a large page", false, false), Written::Created);
        assert_eq!(
            fs::read_to_string(dir.path().join(report)).unwrap(),
            "a large page"
        );
        assert_eq!(run("a large page", false, false), Written::Unchanged);
        // Same length, same start: only the bytes tell them apart.
        assert_eq!(run("a large pagE", false, false), Written::Updated);
        fs::write(dir.path().join(report), "edited by hand").unwrap();
        assert_eq!(
            run("a large page", false, false),
            Written::Kept(Kept::Edited)
        );
        assert_eq!(
            fs::read_to_string(dir.path().join(report)).unwrap(),
            "edited by hand"
        );
        assert_eq!(run("a large page", true, false), Written::Updated);
        assert_eq!(
            fs::read_to_string(dir.path().join(report)).unwrap(),
            "a large page"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(TEMPORARY_PREFIX)
            })
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn an_interrupted_run_is_recovered_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let mut first = OutputDir::open(dir.path(), false, BTreeSet::new(), || {}).unwrap();
        assert_eq!(
            first.write(&file("actions/a/code.js", "one")),
            Ok(Written::Created)
        );
        assert!(first.land().is_empty());
        assert_eq!(
            fs::read_to_string(dir.path().join("actions/a/code.js")).unwrap(),
            "one"
        );
        // Killed here: no manifest, a journal, and a temporary file of the next write.
        drop(first);
        fs::write(
            dir.path()
                .join("actions/a")
                .join(format!("{TEMPORARY_PREFIX}x")),
            "half",
        )
        .unwrap();
        assert!(!dir.path().join(MANIFEST).exists());
        let mut second = OutputDir::open(dir.path(), false, BTreeSet::new(), || {}).unwrap();
        assert_eq!(second.removed_temporaries, 1);
        assert_eq!(
            second.write(&file("actions/a/code.js", "two")),
            Ok(Written::Updated)
        );
        second.finish().unwrap();
        assert!(!dir.path().join(JOURNAL).exists());
        fs::write(dir.path().join("actions/a/code.js"), "edited").unwrap();
        let mut third = OutputDir::open(dir.path(), false, BTreeSet::new(), || {}).unwrap();
        assert_eq!(
            third.write(&file("actions/a/code.js", "three")),
            Ok(Written::Kept(Kept::Edited))
        );
        assert_eq!(third.write(&file("notes.txt", "x")), Ok(Written::Created));
        third.finish().unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("actions/a/code.js")).unwrap(),
            "edited"
        );
    }

    #[test]
    fn files_land_together_and_a_failed_landing_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = OutputDir::open(dir.path(), false, BTreeSet::new(), || {}).unwrap();
        out.write(&file("actions/a/code.js", "a")).unwrap();
        out.write(&file("actions/b/code.js", "b")).unwrap();
        // Written, not yet in place.
        assert!(!dir.path().join("actions/a/code.js").exists());
        // A folder where `b`'s file should go: its rename fails, `a`'s lands.
        fs::create_dir_all(dir.path().join("actions/b/code.js/inside")).unwrap();
        let failed = out.land();
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert_eq!(failed[0].0, Path::new("actions/b/code.js"));
        assert_eq!(
            fs::read_to_string(dir.path().join("actions/a/code.js")).unwrap(),
            "a"
        );
        out.finish().unwrap();
        // The manifest claims only what landed.
        let manifest = fs::read_to_string(dir.path().join(MANIFEST)).unwrap();
        assert!(manifest.contains("actions/a/code.js"), "{manifest}");
        assert!(!manifest.contains("actions/b/code.js"), "{manifest}");
    }

    #[test]
    fn a_second_run_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutputDir::open(dir.path(), false, BTreeSet::new(), || {}).unwrap();
        let (waiting, waited) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            let second = scope.spawn(|| {
                OutputDir::open(dir.path(), false, BTreeSet::new(), move || {
                    waiting.send(()).unwrap()
                })
                .map(|_| ())
            });
            // The second run says it waits, and finishes only once the first is done.
            waited
                .recv_timeout(std::time::Duration::from_secs(60))
                .expect("the second run waits for the lock");
            assert!(!second.is_finished());
            first.finish().unwrap();
            second.join().unwrap().unwrap();
        });
    }
}
