//! `check`: the CI migration check. It migrates in memory, writes nothing, and reports in the
//! format asked for. Exit codes: 0 when no finding reaches `--fail-on`, 1 when one does, 2 on a
//! usage or I/O error or a rule that could not be read or parsed.

use std::fs;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use rules2actions::layout::{fingerprint, read_state};
use rules2actions::pipeline::PipelineFinding;
use rules2actions::registry::{Code, Severity};
use rules2actions::report::render_findings;
use rules2actions::results::{github_annotations, json_report, junit_report, sarif_report};
use rules2actions::review::{Decision, ReviewState, ReviewStatus};
use rules2actions::{migrate::migrate_rules, namespace_prefix, Migration, Options, Status};

use super::rules;
use super::{CheckArgs, CheckFormat, FailOn};

pub fn run(args: CheckArgs) -> ExitCode {
    let namespace = match args.namespace.as_deref().map(namespace_prefix).transpose() {
        Ok(namespace) => namespace,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let loaded = rules::load(&args.paths, args.input_format.map(Into::into));
    let options = Options {
        claims_policy: args.claims_policy.into(),
        namespace,
    };
    let mut migrations = migrate_rules(&loaded.sources, &options);
    loaded.restore(&mut migrations);
    let mut results = loaded.results(&migrations, &[]);
    let drift = match &args.actions {
        Some(dir) => drift(dir, &loaded, &migrations),
        None => Vec::new(),
    };
    let drifted = drift.len();
    results.pipeline.extend(drift);
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let text = match args.format {
        CheckFormat::Json => pretty(&json_report(&results)),
        CheckFormat::Sarif => pretty(&sarif_report(&results)),
        CheckFormat::Github => github_annotations(&results, threshold),
        CheckFormat::Junit => junit_report(&results, threshold),
        CheckFormat::Text => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let mut text = String::new();
            for error in &results.errors {
                text.push_str(&format!("error: {error}\n"));
            }
            for rule in &results.rules {
                let findings: Vec<_> = rule
                    .migration
                    .findings
                    .iter()
                    .filter(|f| f.severity() >= threshold)
                    .cloned()
                    .collect();
                text.push_str(&render_findings(
                    rule.source,
                    &rule.migration.source,
                    &findings,
                    color,
                ));
            }
            for finding in &results.pipeline {
                text.push_str(&format!(
                    "{}[{}]: {}\n  help: {}\n",
                    finding.code.severity(),
                    finding.code.id(),
                    finding.message,
                    finding.help
                ));
            }
            text
        }
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());

    let failed = results
        .rules
        .iter()
        .filter(|r| r.status() == Status::Failed)
        .count()
        + results.errors.len();
    let reaching = results
        .rules
        .iter()
        .filter(|r| {
            r.migration
                .findings
                .iter()
                .any(|f| f.severity() >= threshold)
        })
        .count()
        + usize::from(threshold <= Severity::Warning) * (results.pipeline.len() - drifted);
    eprintln!(
        "{} rules checked: {reaching} with findings at or above {}, {failed} could not be converted",
        results.read(),
        threshold.as_str()
    );
    if drifted > 0 {
        eprintln!("{drifted} Actions are stale or missing in the Actions folder");
    }
    if failed > 0 {
        ExitCode::from(2)
    } else if reaching + drifted > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values serialise");
    text.push('\n');
    text
}

/// Actions in `dir` that no longer match their rules (`R2A960`) or do not exist (`R2A961`).
/// Actions a human edited after generation, or accepted (maybe edited) in a review, are not
/// drift; edits are mentioned on stderr.
fn drift(dir: &Path, loaded: &rules::Loaded, migrations: &[Migration]) -> Vec<PipelineFinding> {
    let state = read_state(dir);
    let review = ReviewState::load(dir);
    let mut findings = Vec::new();
    for ((rule, name), (source, migration)) in loaded
        .rules
        .iter()
        .zip(&loaded.names)
        .zip(loaded.sources.iter().zip(migrations))
    {
        let Some(fresh) = migration.output() else {
            continue;
        };
        let path = dir.join("actions").join(name).join("code.js");
        let finding = |code: Code, message: String, help: &str| PipelineFinding {
            code,
            rules: [rule.name.clone(), rule.name.clone()],
            message,
            help: help.to_string(),
        };
        let Ok(committed) = fs::read(&path) else {
            findings.push(finding(
                Code::ActionMissing,
                format!("rule `{}` has no Action at {}", rule.name, path.display()),
                "run `rules2actions migrate` with `--out` to generate it",
            ));
            continue;
        };
        // A reviewer's decision (`rules2actions review`) speaks for the Action first.
        match review.status(name, source) {
            ReviewStatus::Decided(Decision::Accepted) if review.accepted(name, &committed) => {
                continue;
            }
            ReviewStatus::Changed(Decision::Accepted) => {
                findings.push(finding(
                    Code::ActionStale,
                    format!(
                        "rule `{}` changed after its Action {} was accepted in review",
                        rule.name,
                        path.display()
                    ),
                    "review the rule again: `rules2actions review` shows it as changed",
                ));
                continue;
            }
            _ => {}
        }
        let Some(generated) = state.get(name) else {
            eprintln!(
                "note: {} was not generated by rules2actions; not compared",
                path.display()
            );
            continue;
        };
        if generated.rule != fingerprint(source) {
            findings.push(finding(
                Code::ActionStale,
                format!("rule `{}` changed after its Action {} was generated", rule.name, path.display()),
                "run `rules2actions migrate` with `--out` again, and carry over any edit made to the Action",
            ));
        } else if generated.code != fingerprint(&committed) {
            eprintln!(
                "note: {} was edited after generation; kept as it is",
                path.display()
            );
        } else if generated.code != fingerprint(fresh.as_bytes()) {
            eprintln!(
                "note: {}: this version of rules2actions converts the rule differently; migrate again to update it",
                path.display()
            );
        }
    }
    findings
}
