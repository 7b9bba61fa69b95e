//! `rules2actions.toml`: the choices a team makes once and keeps with its repository.
//!
//! ```toml
//! namespace = "https://example.com/"
//! claims-policy = "enforced"      # or "relaxed"
//! runtime = "node22"              # or "node18"
//! ignore = ["R2A101"]             # codes (or their names) suppressed everywhere
//!
//! [rules."Add roles to tokens"]   # a rule's name, or its Action's name
//! ignore = ["R2A403"]
//! claims-policy = "relaxed"
//! namespace = "https://roles.example.com/"
//! ```
//!
//! Precedence, highest first: a command-line flag, the rule's own section, the top of the file,
//! the built-in default. `ignore` lists add up. The file is `--config FILE`, or the first
//! `rules2actions.toml` found in the first input's folder or one of its parents, or in the
//! current directory. Unknown keys and values are errors, never guesses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rules2actions::registry::Code;
use rules2actions::{namespace_prefix, ClaimsPolicy, Options};
use serde::Deserialize;

pub const CONFIG_FILE: &str = "rules2actions.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigFile {
    namespace: Option<String>,
    claims_policy: Option<PolicyName>,
    runtime: Option<Runtime>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<String, RuleSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleSection {
    namespace: Option<String>,
    claims_policy: Option<PolicyName>,
    #[serde(default)]
    ignore: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum PolicyName {
    Enforced,
    Relaxed,
}

impl From<PolicyName> for ClaimsPolicy {
    fn from(name: PolicyName) -> Self {
        match name {
            PolicyName::Enforced => ClaimsPolicy::Enforced,
            PolicyName::Relaxed => ClaimsPolicy::Relaxed,
        }
    }
}

/// The Node.js runtimes Actions run on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Runtime {
    Node18,
    #[default]
    Node22,
}

impl Runtime {
    pub fn as_str(self) -> &'static str {
        match self {
            Runtime::Node18 => "node18",
            Runtime::Node22 => "node22",
        }
    }
}

/// What the command line says, before the file is consulted.
#[derive(Debug, Default)]
pub struct Flags<'a> {
    pub config: Option<&'a Path>,
    pub claims_policy: Option<ClaimsPolicy>,
    pub namespace: Option<&'a str>,
    pub ignore: &'a [String],
    pub runtime: Option<Runtime>,
    pub explain_failure: bool,
}

/// The options every rule is migrated with, after flags, file and defaults are combined.
#[derive(Debug)]
pub struct Settings {
    base: Options,
    /// Options of the rules the file has a section for, by rule or Action name.
    per_rule: BTreeMap<String, Options>,
    pub runtime: Runtime,
    /// The file that was read, if any.
    pub file: Option<PathBuf>,
}

impl Settings {
    pub fn resolve(flags: &Flags<'_>, inputs: &[PathBuf]) -> Result<Settings, String> {
        let file = match flags.config {
            Some(path) => Some(path.to_path_buf()),
            None => discover(inputs),
        };
        let config = match &file {
            Some(path) => read(path)?,
            None => ConfigFile::default(),
        };
        let shown = |path: &Option<PathBuf>| {
            path.as_ref()
                .map_or_else(String::new, |p| format!("{}: ", p.display()))
        };
        let codes = |names: &[String], origin: &str| -> Result<Vec<Code>, String> {
            names
                .iter()
                .flat_map(|n| n.split(','))
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(|name| {
                    Code::lookup(name).ok_or_else(|| {
                        format!("{origin}`{name}` is not a rules2actions code (`rules2actions explain` lists them)")
                    })
                })
                .collect()
        };
        let namespace = |value: Option<&str>| value.map(namespace_prefix).transpose();
        let flag_ignores = codes(flags.ignore, "--ignore: ")?;
        let file_origin = shown(&file);
        let mut ignore = codes(&config.ignore, &file_origin)?;
        ignore.extend(&flag_ignores);
        let base = Options {
            claims_policy: flags
                .claims_policy
                .or(config.claims_policy.map(Into::into))
                .unwrap_or_default(),
            namespace: namespace(flags.namespace.or(config.namespace.as_deref()))
                .map_err(|e| format!("{file_origin}{e}"))?,
            ignore,
            explain_failure: flags.explain_failure,
            trigger: None,
            hook: false,
            declared_runtime: None,
            declared_versions: Vec::new(),
        };
        let mut per_rule = BTreeMap::new();
        for (name, section) in &config.rules {
            let origin = format!("{file_origin}[rules.\"{name}\"]: ");
            let mut ignore = base.ignore.clone();
            ignore.extend(codes(&section.ignore, &origin)?);
            let options = Options {
                claims_policy: flags
                    .claims_policy
                    .or(section.claims_policy.map(Into::into))
                    .unwrap_or(base.claims_policy),
                namespace: match (flags.namespace, &section.namespace) {
                    (None, Some(own)) => {
                        namespace(Some(own)).map_err(|e| format!("{origin}{e}"))?
                    }
                    _ => base.namespace.clone(),
                },
                ignore,
                explain_failure: base.explain_failure,
                trigger: None,
                hook: false,
                declared_runtime: None,
                declared_versions: Vec::new(),
            };
            per_rule.insert(name.clone(), options);
        }
        Ok(Settings {
            base,
            per_rule,
            runtime: flags.runtime.or(config.runtime).unwrap_or_default(),
            file,
        })
    }

    /// The options for the rule called `rule` whose Action is called `action`.
    pub fn for_rule(&self, rule: &str, action: &str) -> &Options {
        self.per_rule
            .get(rule)
            .or_else(|| self.per_rule.get(action))
            .unwrap_or(&self.base)
    }

    /// Sections that name no rule of the input: a renamed rule would lose its overrides.
    pub fn unused_sections<'a>(
        &'a self,
        names: impl Fn(&str) -> bool + 'a,
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.per_rule
            .keys()
            .map(String::as_str)
            .filter(move |name| !names(name))
    }
}

fn read(path: &Path) -> Result<ConfigFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message()))
}

/// The first `rules2actions.toml` in the first input's folder or its parents, else in the
/// current directory.
fn discover(inputs: &[PathBuf]) -> Option<PathBuf> {
    let first = inputs.first()?;
    let start = std::fs::canonicalize(first).ok()?;
    let start = if start.is_dir() {
        start
    } else {
        start.parent()?.to_path_buf()
    };
    start
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE))
        .chain(std::iter::once(PathBuf::from(CONFIG_FILE)))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str, flags: Flags<'_>) -> Result<Settings, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE);
        std::fs::write(&path, text).unwrap();
        let flags = Flags {
            config: Some(&path),
            ..flags
        };
        Settings::resolve(&flags, &[])
    }

    #[test]
    fn flags_beat_rule_sections_which_beat_the_file() {
        let text = "claims-policy = \"relaxed\"\nignore = [\"R2A101\"]\nruntime = \"node18\"\n[rules.\"Strict one\"]\nclaims-policy = \"enforced\"\nignore = [\"restricted-claim\"]\n";
        let from_file = settings(text, Flags::default()).unwrap();
        assert_eq!(from_file.runtime, Runtime::Node18);
        assert_eq!(
            from_file.for_rule("other", "other").claims_policy,
            ClaimsPolicy::Relaxed
        );
        let strict = from_file.for_rule("Strict one", "Strict-one");
        assert_eq!(strict.claims_policy, ClaimsPolicy::Enforced);
        assert_eq!(
            strict.ignore,
            [Code::UnauthorizedBecomesAccessDenied, Code::RestrictedClaim]
        );
        let ignore = ["R2A408".to_string()];
        let flagged = settings(
            text,
            Flags {
                claims_policy: Some(ClaimsPolicy::Relaxed),
                ignore: &ignore,
                runtime: Some(Runtime::Node22),
                ..Flags::default()
            },
        )
        .unwrap();
        assert_eq!(flagged.runtime, Runtime::Node22);
        let strict = flagged.for_rule("Strict one", "x");
        assert_eq!(strict.claims_policy, ClaimsPolicy::Relaxed);
        assert!(strict.ignore.contains(&Code::NonNamespacedClaimAppears));
    }

    #[test]
    fn wrong_values_are_errors() {
        for (text, expected) in [
            ("runtime = \"node12\"\n", "unknown variant `node12`"),
            ("claims = \"x\"\n", "unknown field `claims`"),
            (
                "ignore = [\"R2A999\"]\n",
                "`R2A999` is not a rules2actions code",
            ),
            ("namespace = \"example.com\"\n", "must start with https://"),
            (
                "[rules.a]\nnamespace = \"https://auth0.com/\"\n",
                "[rules.\"a\"]: the namespace `https://auth0.com/` is reserved",
            ),
        ] {
            let error = settings(text, Flags::default()).unwrap_err();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }
}
