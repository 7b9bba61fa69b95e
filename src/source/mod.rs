//! Where rules come from: a rule file or a folder of them, an auth0-deploy-cli repository in
//! directory format, or a Management API export (`GET /api/v2/rules`). The format is detected
//! from the paths; `--input-format` overrides it.
//!
//! Every rule found becomes a [`RuleSource`], even one whose metadata is broken: its `script`
//! then holds the error, so that the rule is accounted for instead of silently dropped.

mod deploy_cli;
mod export;
pub mod keywords;
mod plain;
mod yaml;

use std::path::{Path, PathBuf};

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// `.js` rule files, or folders of them.
    Plain,
    /// An auth0-deploy-cli repository in directory format (`rules/`, `rules-configs/`).
    DeployCli,
    /// An auth0-deploy-cli repository in YAML format (`tenant.yaml`).
    DeployCliYaml,
    /// The JSON array returned by `GET /api/v2/rules`.
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
        }
    }

    /// Rules of other stages cannot become post-login Actions.
    pub fn is_post_login(&self) -> bool {
        self.stage == LOGIN_SUCCESS
    }
}

pub const LOGIN_SUCCESS: &str = "login_success";

/// Everything read from the input paths.
#[derive(Debug, Default)]
pub struct Pipeline {
    pub rules: Vec<RuleSource>,
    /// Keys of the global configuration (`rules-configs`); their values are never kept.
    pub config_keys: Vec<String>,
    /// Paths that could not be read at all.
    pub errors: Vec<String>,
    /// The formats found, in the order of the paths.
    pub formats: Vec<InputFormat>,
}

/// Reads every path, each in `format` or in the format detected for it.
pub fn load(paths: &[PathBuf], format: Option<InputFormat>) -> Pipeline {
    let mut pipeline = Pipeline::default();
    for path in paths {
        let format = format.unwrap_or_else(|| detect(path));
        pipeline.formats.push(format);
        let result = match format {
            InputFormat::Plain => plain::load(path, &mut pipeline).map_err(|e| e.to_string()),
            InputFormat::DeployCli => deploy_cli::load(path, &mut pipeline),
            InputFormat::DeployCliYaml => yaml::load(path, &mut pipeline),
            InputFormat::ApiExport => export::load(path, &mut pipeline),
        };
        if let Err(error) = result {
            pipeline.errors.push(format!("{}: {error}", path.display()));
        }
    }
    pipeline
}

/// The format a path looks like.
pub fn detect(path: &Path) -> InputFormat {
    if path.is_dir() {
        // A YAML export keeps its scripts in `rules/` too: `tenant.yaml` decides.
        if yaml::tenant_file(path).is_some() {
            return InputFormat::DeployCliYaml;
        }
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

/// `true` unless the value is `false`; Auth0's default for `enabled`.
fn enabled(value: Option<&serde_json::Value>) -> bool {
    value.and_then(serde_json::Value::as_bool).unwrap_or(true)
}

/// `relative` (with `/` or `\\`) under `base`, or `None` when it would leave `base`.
fn inside(base: &Path, relative: &str) -> Option<PathBuf> {
    use std::path::Component;
    let relative = PathBuf::from(relative.replace('\\', "/"));
    let mut path = base.to_path_buf();
    for component in relative.components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(path)
}

/// A file's stem as a rule name.
fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("rule")
        .to_string()
}
