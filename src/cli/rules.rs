//! Reading the rules named on the command line, for every command.

use rules2actions::layout::action_names;
use rules2actions::source::{self, InputFormat, RuleSource};

/// The rules of the input that can be migrated, with their bytes and Action names, and the
/// errors for those that cannot.
pub struct Loaded {
    pub rules: Vec<RuleSource>,
    pub sources: Vec<Vec<u8>>,
    /// The Action name of each rule in `rules`.
    pub names: Vec<String>,
    /// One line per path or rule that could not be read or cannot become a post-login Action.
    pub errors: Vec<String>,
    /// Rules read, including those in `errors`.
    pub read: usize,
    /// Keys of the global configuration (`rules-configs`), when the input has one.
    pub config_keys: Option<Vec<String>>,
}

pub fn load(paths: &[std::path::PathBuf], format: Option<InputFormat>) -> Loaded {
    let pipeline = source::load(paths, format);
    // Names are given to every rule, so that one rule failing never renames another's Action.
    let all_names = action_names(pipeline.rules.iter().map(|r| r.name.as_str()));
    let read = pipeline.rules.len();
    let mut loaded = Loaded {
        rules: Vec::new(),
        sources: Vec::new(),
        names: Vec::new(),
        errors: pipeline.errors,
        read,
        config_keys: pipeline
            .formats
            .contains(&InputFormat::DeployCli)
            .then_some(pipeline.config_keys),
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
                loaded.sources.push(script);
                loaded.names.push(name);
                loaded.rules.push(rule);
            }
            Err(error) => loaded.errors.push(format!("{}: {error}", rule.label)),
        }
    }
    loaded
}
