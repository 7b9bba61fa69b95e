//! Reading the rules named on the command line, for every command.

use rules2actions::layout::action_names;
use rules2actions::source::keywords::{self, Placeholder};
use rules2actions::source::{self, InputFormat, RuleSource};
use rules2actions::{Migration, Outcome};

/// The rules of the input that can be migrated, with their bytes and Action names, and the
/// errors for those that cannot.
pub struct Loaded {
    pub rules: Vec<RuleSource>,
    /// The scripts to migrate, with deploy-cli keyword placeholders stood in for.
    pub sources: Vec<Vec<u8>>,
    /// The placeholders of each script, put back by [`Loaded::restore`].
    pub placeholders: Vec<Vec<Placeholder>>,
    /// The Action name of each rule in `rules`.
    pub names: Vec<String>,
    /// One line per path or rule that could not be read or cannot become a post-login Action.
    pub errors: Vec<String>,
    /// Rules read, including those in `errors`.
    pub read: usize,
    /// Keys of the global configuration (`rules-configs`), when the input has one.
    pub config_keys: Option<Vec<String>>,
    pub formats: Vec<InputFormat>,
}

pub fn load(paths: &[std::path::PathBuf], format: Option<InputFormat>) -> Loaded {
    let pipeline = source::load(paths, format);
    // Names are given to every rule, so that one rule failing never renames another's Action.
    let all_names = action_names(pipeline.rules.iter().map(|r| r.name.as_str()));
    let read = pipeline.rules.len();
    let mut loaded = Loaded {
        rules: Vec::new(),
        sources: Vec::new(),
        placeholders: Vec::new(),
        names: Vec::new(),
        errors: pipeline.errors,
        read,
        config_keys: pipeline
            .formats
            .iter()
            .any(|f| matches!(f, InputFormat::DeployCli | InputFormat::DeployCliYaml))
            .then_some(pipeline.config_keys),
        formats: pipeline.formats,
    };
    for (rule, name) in pipeline.rules.into_iter().zip(all_names) {
        let script = match (&rule.script, rule.is_post_login()) {
            (Err(error), _) => Err(error.clone()),
            (Ok(_), false) => Err(format!(
                "rule `{}` runs at stage `{}`; only `login_success` rules can become post-login Actions",
                rule.name, rule.stage
            )),
            (Ok(script), true) => Ok(script.clone()),
        };
        match script {
            Ok(script) => {
                let (script, placeholders) = keywords::protect(&script);
                loaded.sources.push(script);
                loaded.placeholders.push(placeholders);
                loaded.names.push(name);
                loaded.rules.push(rule);
            }
            Err(error) => loaded.errors.push(format!("{}: {error}", rule.label)),
        }
    }
    loaded
}

impl Loaded {
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
        }
    }
}
