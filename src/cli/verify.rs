//! `verify`: run each Rule and its Action side by side in Node.js.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rules2actions::migrate::migrate_rules_each;
use rules2actions::review::{Decision, ReviewState, ReviewStatus};
use rules2actions::verify::{read_scenarios, verify as verify_rule, Verification, VerifyOptions};
use rules2actions::Outcome;
use serde_json::{json, Value};

use super::output::{self, count, errln, outln};
use super::rules;
use super::{Global, MigrateFormat, VerifyArgs};

/// Where `migrate --out DIR` wrote the Action named `name`.
fn action_path(dir: &Path, name: &str) -> PathBuf {
    dir.join("actions").join(name).join("code.js")
}

/// What became of one rule.
enum Verdict {
    Verified(Verification),
    /// Not run, and why (already an Action, packages missing, no Action expected).
    NotRun(String),
    /// Could not be verified: an error.
    Failed(String),
}

/// `verify`: exit 0 when every difference was announced by a finding, 1 when one was not or a
/// rule could not run for lack of npm packages, 2 when Node.js is missing, no rule was found,
/// or a rule or Action could not be read or converted.
pub fn run(args: VerifyArgs, global: &Global) -> ExitCode {
    let scenarios = match &args.scenarios {
        None => Vec::new(),
        Some(path) => match fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| read_scenarios(&text))
        {
            Ok(scenarios) => scenarios,
            Err(message) => {
                errln!("error: {}: {message}", path.display());
                return ExitCode::from(2);
            }
        },
    };
    let settings = match global.settings(&args.judging, &args.inputs, None) {
        Ok(settings) => settings,
        Err(message) => {
            errln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let Some(loaded) = rules::load_reporting(&args.inputs, global) else {
        return ExitCode::from(2);
    };
    loaded.check_settings(&settings);
    let options = loaded.options(&settings);
    let review = args.actions.as_deref().map(ReviewState::load);
    // Placeholders keep their stand-ins here: the Rule must run in Node as the Action does.
    let migrations = migrate_rules_each(&loaded.sources, |i| options[i]);
    let json = args.format == MigrateFormat::Json;
    let mut verdicts = Vec::new();
    for (index, (name, migration)) in loaded.names.iter().zip(&migrations).enumerate() {
        let rule = &loaded.rules[index];
        let action = match &args.actions {
            Some(dir) => match fs::read_to_string(action_path(dir, name)) {
                Ok(action) => Ok(action),
                Err(error) => {
                    let rejected = review.as_ref().is_some_and(|r| {
                        r.status(name, &loaded.sources[index])
                            == ReviewStatus::Decided(Decision::Rejected)
                    });
                    if rejected {
                        Err(Verdict::NotRun(
                            "rejected in review; no Action to verify".into(),
                        ))
                    } else if !rule.enabled {
                        Err(Verdict::NotRun(
                            "the rule is disabled; no Action to verify".into(),
                        ))
                    } else {
                        Err(Verdict::Failed(format!(
                            "{}: {error}",
                            action_path(dir, name).display()
                        )))
                    }
                }
            },
            None => match migration.outcome {
                Outcome::Converted(ref action) => Ok(action.clone()),
                Outcome::AlreadyAction => Err(Verdict::NotRun(
                    "already an Action, nothing to compare".into(),
                )),
                Outcome::Failed => Err(Verdict::Failed("not converted, nothing to verify".into())),
            },
        };
        let verify_options = VerifyOptions {
            claims_policy: options[index].claims_policy,
            scenarios: scenarios.clone(),
            modules: args.node_modules.clone(),
        };
        let verdict = match action {
            Err(verdict) => verdict,
            Ok(action) => match verify_rule(migration, &action, &verify_options) {
                Ok(verification) if !verification.missing_packages.is_empty() => {
                    Verdict::NotRun(format!(
                        "not verified: install the npm packages {} where you run verify",
                        verification.missing_packages.join(", ")
                    ))
                }
                Ok(verification) => Verdict::Verified(verification),
                Err(error @ rules2actions::verify::VerifyError::NodeMissing) => {
                    errln!("error: {error}");
                    return ExitCode::from(2);
                }
                Err(error) => Verdict::Failed(error.to_string()),
            },
        };
        if !json {
            match &verdict {
                Verdict::Verified(v) => output::stdout(&verification_report(name, v)),
                Verdict::NotRun(reason) => outln!("{name}: {reason}"),
                Verdict::Failed(reason) => errln!("error: {name}: {reason}"),
            }
        }
        verdicts.push(verdict);
    }
    let failures = loaded.errors.len()
        + verdicts
            .iter()
            .filter(|v| matches!(v, Verdict::Failed(_)))
            .count();
    let differing = verdicts
        .iter()
        .filter(|v| matches!(v, Verdict::Verified(v) if !v.unexpected.is_empty()))
        .count();
    let unverified = verdicts
        .iter()
        .filter(|v| matches!(v, Verdict::NotRun(r) if r.starts_with("not verified")))
        .count();
    if json {
        let rules: Vec<Value> = loaded
            .rules
            .iter()
            .zip(&loaded.names)
            .zip(&verdicts)
            .map(|((rule, name), verdict)| verdict_json(&rule.name, name, verdict))
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(
                &json!({ "version": 1, "rules": rules, "errors": loaded.errors })
            )
            .expect("JSON serialises")
        );
    }
    let equivalent = verdicts
        .iter()
        .filter(|v| matches!(v, Verdict::Verified(v) if v.unexpected.is_empty()))
        .count();
    let not_run = verdicts
        .iter()
        .filter(|v| matches!(v, Verdict::NotRun(_)))
        .count();
    errln!(
        "{} read: {equivalent} equivalent, {differing} differing, {not_run} not run, {failures} failed",
        count(loaded.read, "rule", "rules"),
    );
    if failures > 0 {
        ExitCode::from(2)
    } else if differing + unverified > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn verdict_json(rule: &str, action: &str, verdict: &Verdict) -> Value {
    let (status, detail) = match verdict {
        Verdict::Verified(v) if v.unexpected.is_empty() => ("equivalent", None),
        Verdict::Verified(_) => ("differs", None),
        Verdict::NotRun(reason) => ("not-run", Some(reason.clone())),
        Verdict::Failed(reason) => ("failed", Some(reason.clone())),
    };
    let mut value = json!({ "rule": rule, "action": action, "status": status, "reason": detail });
    if let Verdict::Verified(v) = verdict {
        value["scenarios"] = json!(v.scenarios);
        value["differences"] = v
            .unexpected
            .iter()
            .map(|m| json!({ "scenario": m.scenario, "rule": m.rule, "action": m.action }))
            .collect();
        value["expected_differences"] = v
            .expected
            .iter()
            .map(|(m, codes)| {
                json!({
                    "scenario": m.scenario,
                    "rule": m.rule,
                    "action": m.action,
                    "announced_by": codes.iter().map(|c| c.id()).collect::<Vec<_>>(),
                })
            })
            .collect();
    }
    value
}

fn verification_report(name: &str, verification: &Verification) -> String {
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
            " ({}, announced by {})",
            count(
                verification.expected.len(),
                "expected difference",
                "expected differences"
            ),
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
