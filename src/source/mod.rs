//! Where rules and Hooks come from: a rule file or a folder of them, an auth0-deploy-cli
//! repository in directory format, or a Management API export (`GET /api/v2/rules`,
//! `GET /api/v2/hooks`). The format is detected from the paths; `--input-format` overrides it.
//!
//! Every rule found becomes a [`RuleSource`], even one whose metadata is broken: its `script`
//! then holds the error, so that the rule is accounted for instead of silently dropped. Files
//! on disk are not always what they seem: each file is read once, by its real path; symbolic
//! links never lead out of the folder or repository named on the command line; and every entry
//! that is passed over (a broken or looping link, an output folder of this tool) is a
//! [`Skipped`] with its reason, so that the run's account covers it.

mod deploy_cli;
mod export;
mod files;
pub mod keywords;
mod plain;
mod yaml;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub use files::OUTPUT_MANIFEST;

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// `.js` rule files, or folders of them.
    Plain,
    /// An auth0-deploy-cli repository in directory format (`rules/`, `rules-configs/`).
    DeployCli,
    /// An auth0-deploy-cli repository in YAML format (`tenant.yaml`).
    DeployCliYaml,
    /// The JSON array returned by `GET /api/v2/rules` or `GET /api/v2/hooks`.
    ApiExport,
}

impl InputFormat {
    pub fn label(self) -> &'static str {
        match self {
            InputFormat::Plain => "rule files",
            InputFormat::DeployCli => "auth0-deploy-cli directory",
            InputFormat::DeployCliYaml => "auth0-deploy-cli YAML",
            InputFormat::ApiExport => "Management API export",
        }
    }
}

/// One rule of the input, with the metadata its format gives it.
#[derive(Debug, Clone)]
pub struct RuleSource {
    /// The rule's name in Auth0 (or the file stem).
    pub name: String,
    /// The file it was read from.
    pub origin: PathBuf,
    /// How diagnostics name it: the file, or the export and the rule's name in it.
    pub label: String,
    /// The rule's code, or why it could not be read.
    pub script: Result<Vec<u8>, String>,
    /// The rule's position in the pipeline, when the format records one.
    pub order: Option<f64>,
    pub enabled: bool,
    /// `login_success` for rules; older exports may name other stages.
    pub stage: String,
    /// The rule's id in the tenant, when known (Management API export).
    pub id: Option<String>,
    /// The index of the [`Repository`] it belongs to.
    pub repository: usize,
    /// Read where Hooks are kept (`hooks/`, `hooks:`, an export of Hooks): its code is a Hook's,
    /// even when its signature is a Rule's.
    pub hook: bool,
    /// For a Hook whose metadata names its `triggerId`: the trigger it becomes.
    pub trigger: Option<&'static crate::trigger::Trigger>,
    /// The package versions a Hook's metadata declared.
    pub declared_versions: Vec<(String, String)>,
    /// The `runtime` an Action's deploy-cli metadata (`actions/<name>.json`) names.
    pub runtime: Option<String>,
}

impl RuleSource {
    fn new(name: String, origin: PathBuf, script: Result<Vec<u8>, String>) -> Self {
        RuleSource {
            label: origin.display().to_string(),
            name,
            origin,
            script,
            order: None,
            enabled: true,
            stage: LOGIN_SUCCESS.to_string(),
            id: None,
            repository: 0,
            hook: false,
            trigger: None,
            declared_versions: Vec::new(),
            runtime: None,
        }
    }

    /// A Hook, with what its metadata says: the `triggerId` (one that is not an extensibility
    /// point is an error for this Hook) and the `dependencies` it declares. Hooks are disabled
    /// unless their metadata enables them, as the deploy tool reads them.
    fn hook(
        name: String,
        origin: PathBuf,
        script: Result<Vec<u8>, String>,
        trigger_id: Option<&str>,
        dependencies: Vec<(String, String)>,
    ) -> Self {
        let mut hook = RuleSource::new(name, origin, script);
        hook.hook = true;
        hook.enabled = false;
        hook.declared_versions = dependencies;
        if let Some(trigger_id) = trigger_id {
            match crate::trigger::for_hook(trigger_id) {
                Some(trigger) => hook.trigger = Some(trigger),
                None if hook.script.is_ok() => {
                    hook.script = Err(format!(
                        "`{trigger_id}` is not a Hook extensibility point; they are {}",
                        crate::trigger::hook_points().join(", ")
                    ))
                }
                None => {}
            }
        }
        hook
    }

    /// Rules of other stages cannot become post-login Actions.
    pub fn is_post_login(&self) -> bool {
        self.stage == LOGIN_SUCCESS
    }
}

/// The Rules stage that post-login Actions replace.
pub const LOGIN_SUCCESS: &str = crate::trigger::LOGIN_SUCCESS;

/// An entry of the input that holds no rule to migrate, and why it was passed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// One tenant's rules: a deploy-cli repository, a tenant.yaml, an export or a folder of rule
/// files, as named on the command line (loose rule files named together are one). Its rules ran
/// in one pipeline, so cross-rule analysis stays inside it, and with several of them
/// `migrate --out` writes one tree each.
#[derive(Debug, Clone)]
pub struct Repository {
    /// What to name its output tree after: the folder's or file's name (not yet unique).
    pub name: String,
    pub format: InputFormat,
    /// Rule files named one by one on the command line, rather than a folder or repository.
    pub loose_files: bool,
    /// Keys of the global configuration (`rules-configs`), for the formats that have one; their
    /// values are never kept.
    pub config_keys: Option<Vec<String>>,
}

/// Everything read from the input paths.
#[derive(Debug, Default)]
pub struct Pipeline {
    pub rules: Vec<RuleSource>,
    /// The tenants the rules come from, in the order of the paths.
    pub repositories: Vec<Repository>,
    /// Keys of `rules-configs` read by the loader at work, moved into its repository.
    config_keys: Vec<String>,
    /// Paths that could not be read at all.
    pub errors: Vec<String>,
    /// Entries passed over, with the reason.
    pub skipped: Vec<Skipped>,
    /// What the reader decided on the user's behalf (a `rules/` folder read as its repository).
    pub notes: Vec<String>,
    /// The formats found, in the order of the paths.
    pub formats: Vec<InputFormat>,
    /// The folders (and files) read as rules, by real path: `--out` must not be among them.
    pub read_roots: Vec<ReadRoot>,
    /// Files already read, by real path, so that two routes to one file read it once.
    seen: BTreeSet<PathBuf>,
}

/// A path the input was read from, and how much of it a later run would read again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRoot {
    /// The real path.
    pub path: PathBuf,
    /// Every file below `path` is read (a folder of rule files), or only `path/rules` and the
    /// repository's own files (a deploy-cli or YAML repository).
    pub whole: bool,
}

impl Pipeline {
    fn skip(&mut self, path: &Path, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            path: path.to_path_buf(),
            reason: reason.into(),
        });
    }

    /// Whether the file at real path `real` is read for the first time.
    fn first_read(&mut self, real: &Path) -> bool {
        self.seen.insert(real.to_path_buf())
    }
}

/// Reads every path, each in `format` or in the format detected for it.
pub fn load(paths: &[PathBuf], format: Option<InputFormat>) -> Pipeline {
    let mut pipeline = Pipeline::default();
    for path in paths {
        let mut path = path.clone();
        let format = match format {
            Some(format) => format,
            None => {
                let detected = detect(&path);
                if let Some(repository) = repository_of_rules_folder(&path, detected) {
                    pipeline.notes.push(format!(
                        "{} is the rules/ folder of an auth0-deploy-cli repository; reading the repository {} (its order, enabled flags and rules-configs)",
                        path.display(),
                        repository.display()
                    ));
                    path = repository;
                    InputFormat::DeployCli
                } else {
                    detected
                }
            }
        };
        pipeline.formats.push(format);
        let first_rule = pipeline.rules.len();
        let result = match format {
            InputFormat::Plain => plain::load(&path, &mut pipeline),
            InputFormat::DeployCli => deploy_cli::load(&path, &mut pipeline),
            InputFormat::DeployCliYaml => yaml::load(&path, &mut pipeline),
            InputFormat::ApiExport => export::load(&path, &mut pipeline),
        };
        if let Err(error) = result {
            pipeline.errors.push(format!("{}: {error}", path.display()));
        }
        let config_keys = std::mem::take(&mut pipeline.config_keys);
        let loose_file = format == InputFormat::Plain && !path.is_dir();
        let repository = match pipeline.repositories.iter().position(|r| r.loose_files) {
            Some(loose) if loose_file => loose,
            _ => {
                let name = if loose_file {
                    LOOSE.to_string()
                } else {
                    repository_name(&path)
                };
                let has_configs =
                    matches!(format, InputFormat::DeployCli | InputFormat::DeployCliYaml);
                pipeline.repositories.push(Repository {
                    name,
                    format,
                    loose_files: loose_file,
                    config_keys: has_configs.then_some(config_keys),
                });
                pipeline.repositories.len() - 1
            }
        };
        for rule in &mut pipeline.rules[first_rule..] {
            rule.repository = repository;
        }
    }
    pipeline
}

/// The repository that holds the rule files named one by one on the command line.
const LOOSE: &str = "rules";

/// The name of a repository's output tree: its folder's name, or the file's stem (a
/// `tenant.yaml` is named after the folder that holds it).
fn repository_name(path: &Path) -> String {
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let name = if !real.is_file() {
        real.file_name()
    } else if stem(&real).eq_ignore_ascii_case("tenant") {
        real.parent().and_then(Path::file_name)
    } else {
        real.file_stem()
    };
    match name.and_then(|s| s.to_str()) {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => "repository".to_string(),
    }
}

/// A folder called `rules` holding deploy-cli metadata (`*.json`) is the inside of a
/// repository: reading it as loose files would lose `order` and `enabled`.
fn repository_of_rules_folder(path: &Path, detected: InputFormat) -> Option<PathBuf> {
    if detected != InputFormat::Plain || !path.is_dir() {
        return None;
    }
    let real = std::fs::canonicalize(path).ok()?;
    if real.file_name()? != "rules" {
        return None;
    }
    let has_metadata = std::fs::read_dir(&real)
        .ok()?
        .filter_map(Result::ok)
        .any(|entry| entry.path().extension().is_some_and(|e| e == "json"));
    let parent = real.parent()?;
    (has_metadata || parent.join("rules-configs").is_dir()).then(|| parent.to_path_buf())
}

/// The format a path looks like.
pub fn detect(path: &Path) -> InputFormat {
    if path.is_dir() {
        // A YAML export keeps its scripts in `rules/` too: `tenant.yaml` decides.
        if yaml::tenant_file(path).is_some() {
            return InputFormat::DeployCliYaml;
        }
        // A folder with only `hooks/` is read as loose files: its `hooks/` is read as Hooks,
        // and the rule files beside it are not lost.
        if path.join("rules").is_dir() || path.join("rules-configs").is_dir() {
            return InputFormat::DeployCli;
        }
        return InputFormat::Plain;
    }
    let is_yaml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    if is_yaml {
        return InputFormat::DeployCliYaml;
    }
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        InputFormat::ApiExport
    } else {
        InputFormat::Plain
    }
}

/// A Hook's `dependencies`, `{name: version}`; entries that are not a string version are left
/// out, and the `require` then names the package alone.
fn dependencies(value: &serde_json::Value) -> Vec<(String, String)> {
    value
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(name, version)| Some((name.clone(), version.as_str()?.to_string())))
        .collect()
}

/// `enabled` as the deploy tool reads it: absent means enabled, anything but a boolean is an
/// error, never a guess (`"false"` is a string, and would otherwise bind a disabled rule).
fn enabled(value: Option<&serde_json::Value>) -> Result<bool, String> {
    match value {
        None => Ok(true),
        Some(serde_json::Value::Bool(enabled)) => Ok(*enabled),
        Some(other) => Err(format!("`enabled` must be true or false, not {other}")),
    }
}

/// `order` as the deploy tool reads it: absent, or a number.
fn order(value: Option<&serde_json::Value>) -> Result<Option<f64>, String> {
    match value {
        None => Ok(None),
        Some(serde_json::Value::Number(n)) => Ok(n.as_f64()),
        Some(other) => Err(format!("`order` must be a number, not {other}")),
    }
}

/// `relative` (with `/` or `\\`) under `base`, or `None` when it would leave `base`. `..` may
/// climb back up as far as `base` (`./sub/../x.js` is `x.js`).
fn inside(base: &Path, relative: &str) -> Option<PathBuf> {
    use std::path::Component;
    let relative = PathBuf::from(relative.replace('\\', "/"));
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(
        parts
            .iter()
            .fold(base.to_path_buf(), |path, part| path.join(part)),
    )
}

/// A file's stem as a rule name.
fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("rule")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories_are_named_after_their_folder_or_file() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("acme.example");
        std::fs::create_dir_all(folder.join("prod")).unwrap();
        std::fs::write(folder.join("prod/tenant.yaml"), "rules: []\n").unwrap();
        std::fs::write(folder.join("export.json"), "[]").unwrap();
        assert_eq!(repository_name(&folder), "acme.example");
        assert_eq!(repository_name(&folder.join("prod/tenant.yaml")), "prod");
        assert_eq!(repository_name(&folder.join("export.json")), "export");
    }
}
