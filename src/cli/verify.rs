//! `verify`: run each Rule and its Action side by side in Node.js.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rules2actions::migrate::migrate_rules_each;
use rules2actions::review::{Decision, ReviewState, ReviewStatus};
use rules2actions::source::keywords;
use rules2actions::verify::{
    read_scenarios, verify as verify_rule, Budget, Verdict, Verification, VerifyOptions,
};
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
enum RuleVerdict {
    Verified(Box<Verification>),
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
    // Each repository's tree keeps its own reviews (the folder itself for one repository).
    let mut reviews: BTreeMap<PathBuf, ReviewState> = BTreeMap::new();
    // Placeholders keep their stand-ins here: the Rule must run in Node as the Action does.
    let migrations = migrate_rules_each(&loaded.sources, |i| &*options[i]);
    let json = args.format == MigrateFormat::Json;
    let mut verdicts = Vec::new();
    for (index, (name, migration)) in loaded.names.iter().zip(&migrations).enumerate() {
        let rule = &loaded.rules[index];
        let action = match &args.actions {
            Some(dir) => match fs::read_to_string(action_path(&loaded.tree(dir, index), name)) {
                // The deploy tool's keywords get the stand-ins the rule runs with.
                Ok(action) => Ok(
                    String::from_utf8_lossy(&keywords::protect(action.as_bytes()).0).into_owned(),
                ),
                Err(error) => {
                    let review = reviews
                        .entry(loaded.tree(dir, index))
                        .or_insert_with_key(|tree| ReviewState::load(tree));
                    let rejected = review.status(name, &loaded.sources[index])
                        == ReviewStatus::Decided(Decision::Rejected);
                    if rejected {
                        Err(RuleVerdict::NotRun(
                            "rejected in review; no Action to verify".into(),
                        ))
                    } else if !rule.enabled {
                        Err(RuleVerdict::NotRun(
                            "the rule is disabled; no Action to verify".into(),
                        ))
                    } else {
                        Err(RuleVerdict::Failed(format!(
                            "{}: {error}",
                            action_path(&loaded.tree(dir, index), name).display()
                        )))
                    }
                }
            },
            None => match migration.outcome {
                Outcome::Converted(ref action) => Ok(action.clone()),
                Outcome::AlreadyAction => Err(RuleVerdict::NotRun(
                    "already an Action, nothing to compare".into(),
                )),
                Outcome::Failed => Err(RuleVerdict::Failed(
                    "not converted, nothing to verify".into(),
                )),
            },
        };
        let verify_options = VerifyOptions {
            claims_policy: options[index].claims_policy,
            scenarios: scenarios.clone(),
            modules: args.node_modules.clone(),
            budget: Budget {
                scenarios: args.budget,
                time: std::time::Duration::from_secs_f64(args.budget_seconds),
                ..Budget::default()
            },
        };
        let verdict = match action {
            Err(verdict) => verdict,
            Ok(action) => match verify_rule(migration, &action, &verify_options) {
                Ok(verification) if !verification.missing_packages.is_empty() => {
                    RuleVerdict::NotRun(format!(
                        "not verified: install the npm packages {} where you run verify",
                        verification.missing_packages.join(", ")
                    ))
                }
                Ok(verification) => RuleVerdict::Verified(Box::new(verification)),
                Err(
                    error @ (rules2actions::verify::VerifyError::NodeMissing
                    | rules2actions::verify::VerifyError::NodeTooOld(_)),
                ) => {
                    errln!("error: {error}");
                    return ExitCode::from(2);
                }
                Err(error) => RuleVerdict::Failed(error.to_string()),
            },
        };
        if !json {
            match &verdict {
                RuleVerdict::Verified(v) => {
                    output::stdout(&verification_report(name, &rule.label, v))
                }
                RuleVerdict::NotRun(reason) => outln!("{name}: {reason}"),
                RuleVerdict::Failed(reason) => errln!("error: {name}: {reason}"),
            }
        }
        verdicts.push(verdict);
    }
    let failures = loaded.errors.len()
        + verdicts
            .iter()
            .filter(|v| matches!(v, RuleVerdict::Failed(_)))
            .count();
    let verdict_of = |wanted: Verdict| {
        verdicts
            .iter()
            .filter(|v| matches!(v, RuleVerdict::Verified(v) if v.verdict() == wanted))
            .count()
    };
    let (equivalent, not_proven, differing) = (
        verdict_of(Verdict::Equivalent),
        verdict_of(Verdict::NotProven),
        verdict_of(Verdict::Differs),
    );
    let unverified = verdicts
        .iter()
        .filter(|v| matches!(v, RuleVerdict::NotRun(r) if r.starts_with("not verified")))
        .count();
    if json {
        let rules: Vec<Value> = loaded
            .rules
            .iter()
            .zip(&loaded.names)
            .zip(&verdicts)
            .map(|((rule, name), verdict)| verdict_json(&rule.name, name, verdict, args.trace))
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(
                &json!({ "version": 1, "rules": rules, "errors": loaded.errors })
            )
            .expect("JSON serialises")
        );
    }
    let not_run = verdicts
        .iter()
        .filter(|v| matches!(v, RuleVerdict::NotRun(_)))
        .count();
    errln!(
        "{} read: {equivalent} equivalent, {not_proven} not proven, {differing} differing, {not_run} not run, {failures} failed",
        count(loaded.read, "rule", "rules"),
    );
    if failures > 0 {
        ExitCode::from(2)
    } else if differing + not_proven + unverified > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn verdict_json(rule: &str, action: &str, verdict: &RuleVerdict, trace: bool) -> Value {
    let (status, detail) = match verdict {
        RuleVerdict::Verified(v) => match v.verdict() {
            Verdict::Equivalent => ("equivalent", None),
            Verdict::NotProven => ("not-proven", None),
            Verdict::Differs => ("differs", None),
        },
        RuleVerdict::NotRun(reason) => ("not-run", Some(reason.clone())),
        RuleVerdict::Failed(reason) => ("failed", Some(reason.clone())),
    };
    let mut value = json!({ "rule": rule, "action": action, "status": status, "reason": detail });
    if let RuleVerdict::Verified(v) = verdict {
        let mismatch = |m: &rules2actions::verify::Mismatch| json!({ "scenario": m.scenario, "changes": m.changes(), "rule": m.rule, "action": m.action });
        value["scenarios"] = json!(v.scenarios);
        value["cut_short_by"] = json!(v.cut_short);
        let side = |c: &Option<rules2actions::verify::SideCoverage>| {
            c.as_ref().map(|c| {
                json!({ "reached": c.reached, "total": c.total, "unreached_lines": c.unreached, "unreached_denies": c.unreached_denies })
            })
        };
        value["coverage"] =
            json!({ "rule": side(&v.coverage.rule), "action": side(&v.coverage.action) });
        value["differences"] = v.unexpected.iter().map(mismatch).collect();
        if trace {
            value["tried"] = v.tried.iter().map(mismatch).collect();
        }
        value["expected_differences"] = v
            .expected
            .iter()
            .map(|(m, codes)| {
                let mut entry = mismatch(m);
                entry["announced_by"] = json!(codes.iter().map(|c| c.id()).collect::<Vec<_>>());
                entry
            })
            .collect();
    }
    value
}

/// `name: equivalent on 40 scenarios; branches reached: rule 9/9, action 7/7`, then what was
/// not proven, or the first difference.
fn verification_report(name: &str, label: &str, verification: &Verification) -> String {
    let total = verification.scenarios;
    let differing = verification.unexpected.len();
    let mut text = match verification.verdict() {
        Verdict::Equivalent => format!(
            "{name}: equivalent on {}",
            count(total, "scenario", "scenarios")
        ),
        Verdict::NotProven => format!(
            "{name}: NOT PROVEN on {}",
            count(total, "scenario", "scenarios")
        ),
        Verdict::Differs => format!("{name}: DIFFERS on {differing}/{total} scenarios"),
    };
    let side = |what: &str, c: &Option<rules2actions::verify::SideCoverage>| match c {
        Some(c) => format!("{what} {}/{}", c.reached, c.total),
        None => format!("{what} not instrumented"),
    };
    text.push_str(&format!(
        "; branches reached: {}, {}",
        side("rule", &verification.coverage.rule),
        side("action", &verification.coverage.action)
    ));
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
    if let Some(rule) = &verification.coverage.rule {
        for line in &rule.unreached_denies {
            text.push_str(&format!("  the deny at {label}:{line} was never reached\n"));
        }
        let others: Vec<String> = rule
            .unreached
            .iter()
            .filter(|l| !rule.unreached_denies.contains(l))
            .map(usize::to_string)
            .collect();
        if !others.is_empty() {
            text.push_str(&format!(
                "  rule branches never reached, at lines {}\n",
                others.join(", ")
            ));
        }
    }
    if let Some(action) = &verification.coverage.action {
        if !action.unreached.is_empty() {
            let lines: Vec<String> = action.unreached.iter().map(usize::to_string).collect();
            text.push_str(&format!(
                "  action branches never reached, at lines {}\n",
                lines.join(", ")
            ));
        }
    }
    if let Some(reason) = &verification.cut_short {
        text.push_str(&format!(
            "  the search stopped at {reason}; `--budget` gives it more\n"
        ));
    }
    if verification.verdict() == Verdict::NotProven {
        text.push_str(
            "  add a scenario that reaches it (`--scenarios FILE`), or check it by hand\n",
        );
    }
    if let Some(first) = verification.unexpected.first() {
        let changes = first.changes();
        let scenario = if changes.is_empty() {
            "nothing: the base login".to_string()
        } else {
            changes.join("\n")
        };
        text.push_str(&format!(
            "  first differing scenario, the base login with:\n{}\n  rule:   {}\n  action: {}\n",
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
