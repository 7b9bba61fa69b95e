//! Reading the rules named on the command line, for every command: what was read, what was
//! passed over and why, and the options each rule is migrated with.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rules2actions::layout::{action_names, fingerprint};
use rules2actions::pipeline::{analyse, PipelineFinding, PipelineRule};
use rules2actions::registry::Code;
use rules2actions::source::keywords::{self, Placeholder};
use rules2actions::source::{self, InputFormat, ReadRoot, Repository, RuleSource, Skipped};
use rules2actions::trigger::Trigger;
use rules2actions::{Migration, Options, Outcome};

use super::config::Settings;
use super::output::{count, errln};
use super::{Global, Inputs, Verbosity};

/// The rules of the input that can be migrated, with their bytes and Action names, and the
/// errors for those that cannot.
pub struct Loaded {
    pub rules: Vec<RuleSource>,
    /// The scripts to migrate, with deploy-cli keyword placeholders stood in for (empty after
    /// [`Loaded::release_scripts`]).
    pub sources: Vec<Vec<u8>>,
    /// The fingerprint of each script, once [`Loaded::release_scripts`] let the scripts go.
    pub script_fingerprints: Vec<String>,
    /// The placeholders of each script, put back by [`Loaded::restore`].
    pub placeholders: Vec<Vec<Placeholder>>,
    /// The Action name of each rule in `rules`.
    pub names: Vec<String>,
    /// One line per path or rule that could not be read or cannot become a post-login Action.
    pub errors: Vec<String>,
    /// Rules read, including those in `errors`.
    pub read: usize,
    /// What the reader decided on the user's behalf.
    pub notes: Vec<String>,
    /// Rules folded into another by `merge`.
    merged_away: usize,
    /// How many input rules each rule stands for: more than one once merged.
    pub weights: Vec<usize>,
    /// The tenants the rules come from, each with a unique name for its output tree.
    pub repositories: Vec<Repository>,
    pub formats: Vec<InputFormat>,
    /// Entries passed over, with the reason.
    pub skipped: Vec<Skipped>,
    /// What was read, by real path.
    pub read_roots: Vec<ReadRoot>,
    /// The paths named on the command line.
    pub paths: Vec<PathBuf>,
}

/// Reads `inputs` and says on stderr what could not be read, what was passed over and what the
/// reader decided. `None` (after an error saying so) when nothing at all was found: an empty
/// input is a mistake, never a green check.
pub fn load_reporting(inputs: &Inputs, global: &Global) -> Option<Loaded> {
    let loaded = load(&inputs.paths, inputs.input_format.map(Into::into));
    for error in &loaded.errors {
        errln!("error: {error}");
    }
    if global.verbosity > Verbosity::Quiet {
        for note in &loaded.notes {
            errln!("note: {note}");
        }
        for skipped in &loaded.skipped {
            errln!("skipped {}: {}", skipped.path.display(), skipped.reason);
        }
    }
    if loaded.read > 0 || !loaded.errors.is_empty() {
        return Some(loaded);
    }
    let shown: Vec<String> = inputs
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    errln!("error: no rules found in {}", shown.join(", "));
    for hint in no_rules_hints(&loaded) {
        errln!("  help: {hint}");
    }
    None
}

/// `R2A855` for each extensibility point that more than one enabled Hook names: only one
/// could be enabled, and each becomes an Action bound to the trigger, so all of them now run.
fn hooks_enabled_together<'a>(
    hooks: impl Iterator<Item = (&'a str, &'static Trigger)>,
) -> Vec<PipelineFinding> {
    let mut by_trigger: Vec<(&'static Trigger, Vec<&str>)> = Vec::new();
    for (name, trigger) in hooks {
        match by_trigger
            .iter_mut()
            .find(|(t, _)| std::ptr::eq(*t, trigger))
        {
            Some((_, names)) => names.push(name),
            None => by_trigger.push((trigger, vec![name])),
        }
    }
    by_trigger
        .into_iter()
        .filter(|(_, names)| names.len() > 1)
        .map(|(trigger, names)| PipelineFinding {
            code: Code::HooksEnabledTogether,
            rules: [names[0].to_string(), names[names.len() - 1].to_string()],
            message: format!(
                "{} Hooks are enabled for {} ({}); Auth0 ran only one Hook per extensibility point, but every Action bound to `{}` runs",
                names.len(),
                trigger.id,
                names.join(", "),
                trigger.id
            ),
            help: "keep enabled the Hook that ran in the tenant, and disable the others in their metadata (`enabled: false`)".to_string(),
        })
        .collect()
}

/// Why a path may hold no rules.
fn no_rules_hints(loaded: &Loaded) -> Vec<String> {
    let mut hints = Vec::new();
    for (path, format) in loaded.paths.iter().zip(&loaded.formats) {
        match format {
            InputFormat::DeployCliYaml => hints.push(format!(
                "{} has no `rules:` or `hooks:`; an auth0-deploy-cli tenant.yaml lists its rules and Hooks there",
                path.display()
            )),
            InputFormat::DeployCli => hints.push(format!(
                "{} has no rules/ or hooks/ folder with code in it",
                path.display()
            )),
            InputFormat::ApiExport => hints.push(format!(
                "{} holds no rules; export them with `GET /api/v2/rules` (Hooks: `GET /api/v2/hooks`)",
                path.display()
            )),
            InputFormat::Plain => {
                hints.push(format!("there is no .js file under {}", path.display()))
            }
        }
    }
    hints.push("rules2actions reads .js rule files, auth0-deploy-cli repositories (rules/ or tenant.yaml) and Management API exports; --input-format names the format".to_string());
    hints
}

pub fn load(paths: &[PathBuf], format: Option<InputFormat>) -> Loaded {
    let mut pipeline = source::load(paths, format);
    let tree_names = action_names(pipeline.repositories.iter().map(|r| r.name.as_str()));
    for (repository, name) in pipeline.repositories.iter_mut().zip(tree_names) {
        repository.name = name;
    }
    // Names are given to every rule, so that one rule failing never renames another's Action;
    // each repository is deployed on its own, so names are unique within one.
    let mut all_names = vec![String::new(); pipeline.rules.len()];
    for repository in 0..pipeline.repositories.len() {
        let members: Vec<usize> = (0..pipeline.rules.len())
            .filter(|&i| pipeline.rules[i].repository == repository)
            .collect();
        let names = action_names(members.iter().map(|&i| pipeline.rules[i].name.as_str()));
        for (i, name) in members.into_iter().zip(names) {
            all_names[i] = name;
        }
    }
    let read = pipeline.rules.len();
    let mut loaded = Loaded {
        rules: Vec::new(),
        sources: Vec::new(),
        script_fingerprints: Vec::new(),
        placeholders: Vec::new(),
        names: Vec::new(),
        errors: pipeline.errors,
        read,
        merged_away: 0,
        weights: Vec::new(),
        repositories: pipeline.repositories,
        formats: pipeline.formats,
        skipped: pipeline.skipped,
        read_roots: pipeline.read_roots,
        paths: paths.to_vec(),
        notes: pipeline.notes,
    };
    for (mut rule, name) in pipeline.rules.into_iter().zip(all_names) {
        // The bytes move into `sources`; a large run holds each script once.
        let script = match (std::mem::replace(&mut rule.script, Ok(Vec::new())), rule.is_post_login()) {
            (Err(error), _) => Err(error),
            (Ok(_), false) => Err(format!(
                "rule `{}` runs at stage `{}`; only `login_success` rules can become post-login Actions",
                rule.name, rule.stage
            )),
            (Ok(script), true) => Ok(script),
        };
        match script {
            Ok(script) => {
                let (script, placeholders) = keywords::protect(&script);
                loaded.sources.push(script);
                loaded.placeholders.push(placeholders);
                loaded.weights.push(1);
                loaded.names.push(name);
                loaded.rules.push(rule);
            }
            Err(error) => loaded.errors.push(format!("{}: {error}", rule.label)),
        }
    }
    loaded
}

impl Loaded {
    /// The options of each rule in `rules`, in order.
    /// A Hook's options carry the trigger its metadata names.
    pub fn options<'s>(&self, settings: &'s Settings) -> Vec<Cow<'s, Options>> {
        self.rules
            .iter()
            .zip(&self.names)
            .map(|(rule, name)| {
                let options = settings.for_rule(&rule.name, name);
                if !rule.hook && rule.runtime.is_none() {
                    return Cow::Borrowed(options);
                }
                Cow::Owned(Options {
                    trigger: rule.trigger,
                    hook: rule.hook,
                    declared_runtime: rule.runtime.clone(),
                    declared_versions: rule.declared_versions.clone(),
                    ..options.clone()
                })
            })
            .collect()
    }

    /// Warns about configuration sections that name no rule of the input.
    pub fn check_settings(&self, settings: &Settings) {
        let names = |name: &str| {
            self.rules
                .iter()
                .zip(&self.names)
                .any(|(rule, action)| rule.name == name || action == name)
        };
        for section in settings.unused_sections(names) {
            errln!(
                "warning: {}: [rules.\"{section}\"] names no rule of the input",
                settings
                    .file
                    .as_deref()
                    .map_or_else(|| "configuration".to_string(), |p| p.display().to_string())
            );
        }
    }

    /// `, 2 entries skipped` for the account line, or nothing.
    pub fn skipped_summary(&self) -> String {
        if self.skipped.is_empty() {
            String::new()
        } else {
            format!(
                " ({} skipped)",
                count(self.skipped.len(), "entry", "entries")
            )
        }
    }

    /// Rules that could not be read or cannot become post-login Actions.
    pub fn unreadable(&self) -> usize {
        self.read - self.merged_away - self.rules.len()
    }

    /// Hands the scripts over to be migrated, keeping their fingerprints (for the state file):
    /// each migration holds its rule's text, so a large run would otherwise hold every script
    /// twice.
    pub fn release_scripts(&mut self) -> Vec<Vec<u8>> {
        self.script_fingerprints = self.sources.iter().map(|s| fingerprint(s)).collect();
        std::mem::take(&mut self.sources)
    }

    /// Puts the keyword placeholders back into the migrations' sources and Actions.
    pub fn restore(&self, migrations: &mut [Migration]) {
        for (migration, placeholders) in migrations.iter_mut().zip(&self.placeholders) {
            if placeholders.is_empty() {
                continue;
            }
            migration.source = keywords::restore(&migration.source, placeholders);
            if let Outcome::Converted(code) = &migration.outcome {
                migration.outcome = Outcome::Converted(keywords::restore(code, placeholders));
            }
            // Diagnostics speak of the placeholder as written, never of its stand-in.
            for finding in migration
                .findings
                .iter_mut()
                .chain(&mut migration.suppressed)
            {
                finding.message = keywords::restore(&finding.message, placeholders).into();
                finding.help = finding
                    .help
                    .as_deref()
                    .map(|h| keywords::restore(h, placeholders).into());
            }
        }
    }
}

impl Loaded {
    /// Replaces the rules named in `group` (by rule name or Action name), in the order given,
    /// with one rule whose bodies run in that order (`--merge`).
    pub fn merge(&mut self, group: &[String]) -> Result<(), String> {
        let mut indices = Vec::new();
        for wanted in group {
            let named = |i: usize| {
                let in_tree = self
                    .tree_prefix(i)
                    .map(|tree| format!("{tree}/{}", self.names[i]));
                self.rules[i].name == *wanted
                    || self.names[i] == *wanted
                    || in_tree.as_deref() == Some(wanted)
            };
            let index = (0..self.rules.len())
                .find(|&i| named(i))
                .ok_or_else(|| format!("--merge: no rule named `{wanted}`"))?;
            if indices.contains(&index) {
                return Err(format!("--merge: `{wanted}` is named twice"));
            }
            if let Some(&first) = indices.first() {
                if self.rules[first].repository != self.rules[index].repository {
                    return Err(format!(
                        "--merge: `{}` and `{wanted}` come from different repositories, which deploy to different tenants",
                        group[0]
                    ));
                }
            }
            indices.push(index);
        }
        let texts: Vec<(String, String)> = indices
            .iter()
            .map(|&i| {
                (
                    self.rules[i].name.clone(),
                    String::from_utf8_lossy(&self.sources[i]).into_owned(),
                )
            })
            .collect();
        let pairs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let merged = rules2actions::merge::merge(&pairs)?;
        let first = indices[0];
        let mut rule = self.rules[first].clone();
        rule.name = texts
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(" + ");
        rule.label = format!("merge of {}", group.join(", "));
        rule.order = indices
            .iter()
            .filter_map(|&i| self.rules[i].order)
            .reduce(f64::min);
        rule.id = None;
        let placeholders: Vec<Placeholder> = indices
            .iter()
            .flat_map(|&i| self.placeholders[i].clone())
            .collect();
        let name = indices
            .iter()
            .map(|&i| self.names[i].as_str())
            .collect::<Vec<_>>()
            .join("-");
        self.rules[first] = rule;
        self.sources[first] = merged.into_bytes();
        self.placeholders[first] = placeholders;
        self.names[first] = name;
        self.weights[first] = indices.iter().map(|&i| self.weights[i]).sum();
        let mut others: Vec<usize> = indices[1..].to_vec();
        others.sort_unstable_by(|a, b| b.cmp(a));
        self.merged_away += others.len();
        for index in others {
            self.rules.remove(index);
            self.sources.remove(index);
            self.placeholders.remove(index);
            self.names.remove(index);
            self.weights.remove(index);
        }
        Ok(())
    }
}

impl Loaded {
    /// Where the enabled rules, in the order they ran, relied on each other (`R2A950`–`R2A952`),
    /// `configuration` keys the repository does not define (`R2A953`), and extensibility points
    /// with more than one enabled Hook (`R2A855`).
    pub fn pipeline(&self, migrations: &[Migration]) -> Vec<PipelineFinding> {
        let mut findings = Vec::new();
        let is_hook = |i: usize| self.rules[i].hook || migrations[i].trigger.is_hook();
        // Each repository's rules ran in a tenant of their own.
        for (index, repository) in self.repositories.iter().enumerate() {
            let enabled: Vec<usize> = (0..self.rules.len())
                .filter(|&i| self.rules[i].repository == index && self.rules[i].enabled)
                .collect();
            // Only Hooks whose extensibility point is known compete for it.
            findings.extend(hooks_enabled_together(
                enabled
                    .iter()
                    .filter(|&&i| migrations[i].trigger.is_hook())
                    .map(|&i| (self.rules[i].name.as_str(), migrations[i].trigger)),
            ));
            // Hooks ran on their own, not in the Rules pipeline.
            let mut order: Vec<usize> = enabled.into_iter().filter(|&i| !is_hook(i)).collect();
            order.sort_by(|&a, &b| {
                let key = |i: usize| self.rules[i].order.unwrap_or(f64::INFINITY);
                key(a).total_cmp(&key(b)).then(a.cmp(&b))
            });
            let pipeline: Vec<PipelineRule<'_>> = order
                .iter()
                .map(|&i| PipelineRule {
                    name: &self.rules[i].name,
                    migration: &migrations[i],
                })
                .collect();
            findings.extend(analyse(&pipeline));
            let Some(keys) = &repository.config_keys else {
                continue;
            };
            for (rule, migration) in self.rules.iter().zip(migrations) {
                // A Hook's secrets are its own, not the rules-configs.
                if rule.repository != index || rule.hook || migration.trigger.is_hook() {
                    continue;
                }
                for secret in migration.secrets.iter().filter(|s| !keys.contains(s)) {
                    findings.push(PipelineFinding {
                        code: Code::ConfigurationKeyMissing,
                        rules: [rule.name.clone(), rule.name.clone()],
                        message: format!(
                            "{}: rule `{}` reads configuration.{secret}, which rules-configs does not define",
                            rule.label, rule.name
                        ),
                        help: format!("add `{secret}` to the repository's rules-configs, or check the name"),
                    });
                }
            }
        }
        findings
    }

    /// Where the tree of rule `index`'s repository is in the output folder `dir`: `dir` itself,
    /// or `dir/<repository>` when the run reads several.
    pub fn tree(&self, dir: &Path, index: usize) -> PathBuf {
        match self.tree_prefix(index) {
            Some(prefix) => dir.join(prefix),
            None => dir.to_path_buf(),
        }
    }

    /// The folder of rule `index`'s repository inside the output, when the run reads several.
    pub fn tree_prefix(&self, index: usize) -> Option<&str> {
        (self.repositories.len() > 1).then(|| {
            self.repositories[self.rules[index].repository]
                .name
                .as_str()
        })
    }

    /// The results of `migrations` as data, for the machine-readable formats.
    pub fn results<'a>(
        &'a self,
        migrations: &'a [Migration],
        outputs: &[Option<String>],
    ) -> rules2actions::results::Results<'a> {
        let rules = self
            .rules
            .iter()
            .zip(migrations)
            .zip(&self.names)
            .enumerate()
            .map(
                |(i, ((rule, migration), name))| rules2actions::results::RuleResult {
                    name: &rule.name,
                    source: &rule.label,
                    artifact: rule.origin.display().to_string(),
                    // A Management API export's positions are in the script, not in the file.
                    positions_in_artifact: rule.label == rule.origin.display().to_string(),
                    action: name,
                    migration,
                    output: outputs.get(i).cloned().flatten(),
                    deployment: None,
                },
            )
            .collect();
        rules2actions::results::Results {
            rules,
            errors: self.errors.clone(),
            pipeline: self.pipeline(migrations),
        }
    }
}
