//! `verify`: run each Rule and its Action side by side in Node.js.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rules2actions::migrate::migrate_rules;
use rules2actions::verify::{read_scenarios, verify as verify_rule, VerifyOptions};
use rules2actions::{Options, Outcome};

use super::rules;
use super::VerifyArgs;

/// Where `migrate --out DIR` wrote the Action named `name`.
fn action_path(dir: &Path, name: &str) -> PathBuf {
    dir.join("actions").join(name).join("code.js")
}

/// `verify`: exit 0 when every difference was announced by a finding, 1 when one was not or a
/// rule could not run for lack of npm packages, 2 when Node.js is missing or a rule or Action
/// could not be read or converted.
pub fn run(args: VerifyArgs) -> ExitCode {
    let scenarios = match &args.scenarios {
        None => Vec::new(),
        Some(path) => match fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| read_scenarios(&text))
        {
            Ok(scenarios) => scenarios,
            Err(message) => {
                eprintln!("error: {}: {message}", path.display());
                return ExitCode::from(2);
            }
        },
    };
    let loaded = rules::load(&args.paths, args.input_format.map(Into::into));
    for error in &loaded.errors {
        eprintln!("error: {error}");
    }
    let mut failures = loaded.errors.len();
    let options = Options {
        claims_policy: args.claims_policy.into(),
        namespace: None,
    };
    let verify_options = VerifyOptions {
        claims_policy: options.claims_policy,
        scenarios,
        modules: args.node_modules.clone(),
    };
    // Placeholders keep their stand-ins here: the Rule must run in Node as the Action does.
    let migrations = migrate_rules(&loaded.sources, &options);
    let mut unexpected = 0;
    let mut unverified = 0;
    for (name, migration) in loaded.names.iter().zip(&migrations) {
        let action = match &args.actions {
            Some(dir) => match fs::read_to_string(action_path(dir, name)) {
                Ok(action) => action,
                Err(error) => {
                    eprintln!("error: {}: {error}", action_path(dir, name).display());
                    failures += 1;
                    continue;
                }
            },
            None => match migration.outcome {
                Outcome::Converted(ref action) => action.clone(),
                Outcome::AlreadyAction => {
                    println!("{}: already an Action, nothing to compare", name);
                    continue;
                }
                Outcome::Failed => {
                    eprintln!("error: {}: not converted, nothing to verify", name);
                    failures += 1;
                    continue;
                }
            },
        };
        match verify_rule(migration, &action, &verify_options) {
            Ok(verification) if !verification.missing_packages.is_empty() => {
                unverified += 1;
                println!(
                    "{}: not verified: install the npm packages {} where you run verify",
                    name,
                    verification.missing_packages.join(", ")
                );
            }
            Ok(verification) => {
                unexpected += usize::from(!verification.unexpected.is_empty());
                print!("{}", verification_report(name, &verification));
            }
            Err(error @ rules2actions::verify::VerifyError::NodeMissing) => {
                eprintln!("error: {error}");
                return ExitCode::from(2);
            }
            Err(error) => {
                eprintln!("error: {}: {error}", name);
                failures += 1;
            }
        }
    }
    if failures > 0 {
        ExitCode::from(2)
    } else if unexpected + unverified > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn verification_report(name: &str, verification: &rules2actions::verify::Verification) -> String {
    let total = verification.scenarios;
    let differing = verification.unexpected.len();
    let mut text = if differing == 0 {
        format!("{name}: equivalent on {total}/{total} scenarios")
    } else {
        format!("{name}: DIFFERS on {differing}/{total} scenarios")
    };
    if !verification.expected.is_empty() {
        let mut codes: Vec<&str> = verification
            .expected
            .iter()
            .flat_map(|(_, codes)| codes.iter().map(|c| c.id()))
            .collect();
        codes.sort();
        codes.dedup();
        text.push_str(&format!(
            " ({} expected differences, announced by {})",
            verification.expected.len(),
            codes.join(", ")
        ));
    }
    text.push('\n');
    if let Some(first) = verification.unexpected.first() {
        let scenario = serde_json::to_string_pretty(&first.scenario).unwrap_or_default();
        text.push_str(&format!(
            "  first differing scenario:\n{}\n  rule:   {}\n  action: {}\n",
            indent(&scenario, "    "),
            first.rule,
            first.action
        ));
    }
    text
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|line| format!("{prefix}{line}"))
        .collect::<Vec<_>>()
        .join("\n")
}
