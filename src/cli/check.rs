//! `check`: the CI migration check. It migrates in memory, writes nothing, and reports in the
//! format asked for. Exit codes: 0 when no finding reaches `--fail-on`, 1 when one does, 2 on a
//! usage or I/O error, a rule that could not be read or parsed, or no rules at all.
//!
//! With `--actions DIR` it judges the Actions committed in DIR rather than the conversion alone:
//! a finding whose marker the team removed from the Action (having fixed the code) no longer
//! counts, a stale Action fails, and a missing one fails unless its rule is disabled or was
//! rejected in review.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rules2actions::layout::{fingerprint, read_state, State};
use rules2actions::markers::marker_text;
use rules2actions::migrate::migrate_rules_reporting;
use rules2actions::pipeline::PipelineFinding;
use rules2actions::registry::{Code, Severity};
use rules2actions::report::{render_findings, render_pipeline};
use rules2actions::results::{github_annotations, junit_report, sarif_report, write_json_report};
use rules2actions::review::{Decision, ReviewState, ReviewStatus};
use rules2actions::{Migration, Status};

use super::output::{self, count, errln};
use super::rules;
use super::{CheckArgs, CheckFormat, FailOn, Global, Verbosity};

pub fn run(args: CheckArgs, global: &Global) -> ExitCode {
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
    // Committed Actions are compared with the fresh ones; otherwise only findings count.
    let keep = |migration: &mut Migration| {
        if args.actions.is_none() {
            migration.keep_findings_only();
        }
    };
    let mut migrations = super::progress::showing_progress(
        loaded.sources.len(),
        "checking",
        global.verbosity == Verbosity::Quiet,
        &keep,
        |each| migrate_rules_reporting(&loaded.sources, |i| &*options[i], each),
    );
    loaded.restore(&mut migrations);
    let drift = match &args.actions {
        Some(dir) => judge_committed(dir, &loaded, &mut migrations),
        None => Vec::new(),
    };
    let mut results = loaded.results(&migrations, &[]);
    let drifted = drift.len();
    results.pipeline.extend(drift);
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    match args.format {
        CheckFormat::Json => output::stdout_streamed(|out| write_json_report(&results, out)),
        CheckFormat::Sarif => output::stdout(&pretty(&sarif_report(&results))),
        CheckFormat::Github => output::stdout(&github_annotations(&results, threshold)),
        CheckFormat::Junit => output::stdout(&junit_report(&results, threshold)),
        CheckFormat::Text => {
            let color = global.color(true);
            // Rule by rule: a large run never holds the whole text.
            for rule in &results.rules {
                let findings: Vec<_> = rule
                    .migration
                    .findings
                    .iter()
                    .filter(|f| f.severity() >= threshold)
                    .cloned()
                    .collect();
                output::stdout(&render_findings(
                    rule.source,
                    &rule.migration.source,
                    &findings,
                    color,
                ));
            }
            let pipeline: Vec<PipelineFinding> = results
                .pipeline
                .iter()
                .filter(|f| f.code.severity() >= threshold)
                .cloned()
                .collect();
            output::stdout(&render_pipeline(&pipeline, color));
        }
    }

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
    let suppressed: usize = migrations.iter().map(|m| m.suppressed.len()).sum();
    let mut summary = format!(
        "{} checked: {reaching} with findings at or above {}, {failed} could not be converted",
        count(results.read(), "rule", "rules"),
        threshold.as_str()
    );
    if drifted > 0 {
        summary.push_str(&format!(
            ", {} stale or missing in {}",
            count(drifted, "Action", "Actions"),
            args.actions.as_deref().unwrap_or(Path::new(".")).display()
        ));
    }
    summary.push_str(&loaded.skipped_summary());
    if suppressed > 0 {
        summary.push_str(&format!(
            " ({} suppressed)",
            count(suppressed, "finding", "findings")
        ));
    }
    errln!("{summary}");
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

/// Judges the Actions committed in `dir`: drops the findings whose markers are gone from the
/// committed Action, and returns the Actions that are stale (`R2A960`) or missing (`R2A961`).
/// Actions a human edited after generation, or accepted (maybe edited) in a review, are not
/// drift; edits are mentioned on stderr.
fn judge_committed(
    dir: &Path,
    loaded: &rules::Loaded,
    migrations: &mut [Migration],
) -> Vec<PipelineFinding> {
    // Each repository's tree keeps its own state and reviews (the folder itself for one).
    let mut trees: BTreeMap<PathBuf, (State, ReviewState)> = BTreeMap::new();
    let mut findings = Vec::new();
    for (index, ((rule, name), (source, migration))) in loaded
        .rules
        .iter()
        .zip(&loaded.names)
        .zip(loaded.sources.iter().zip(migrations.iter_mut()))
        .enumerate()
    {
        let Some(fresh) = migration.output().map(str::to_string) else {
            continue;
        };
        let tree = loaded.tree(dir, index);
        let path = tree.join("actions").join(name).join("code.js");
        let (state, review) = trees
            .entry(tree)
            .or_insert_with_key(|tree| (read_state(tree), ReviewState::load(tree)));
        let finding = |code: Code, message: String, help: &str| PipelineFinding {
            code,
            rules: [rule.name.clone(), rule.name.clone()],
            message,
            help: help.to_string(),
        };
        let status = review.status(name, source);
        let Ok(committed) = fs::read_to_string(&path) else {
            if status == ReviewStatus::Decided(Decision::Rejected) {
                errln!(
                    "note: `{}` was rejected in review; no Action expected",
                    rule.name
                );
            } else if !rule.enabled {
                errln!("note: `{}` is disabled; no Action expected", rule.name);
            } else {
                findings.push(finding(
                    Code::ActionMissing,
                    format!("rule `{}` has no Action at {}", rule.name, path.display()),
                    "run `rules2actions migrate` with `--out` to generate it",
                ));
            }
            continue;
        };
        resolve_fixed_findings(migration, &committed, &path);
        // A reviewer's decision (`rules2actions review`) speaks for the Action first.
        match status {
            ReviewStatus::Decided(Decision::Accepted)
                if review.accepted(name, committed.as_bytes()) =>
            {
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
            errln!(
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
        } else if generated.code != fingerprint(committed.as_bytes()) {
            errln!(
                "note: {} was edited after generation; kept as it is",
                path.display()
            );
        } else if generated.code != fingerprint(fresh.as_bytes()) {
            errln!(
                "note: {}: this version of rules2actions converts the rule differently; migrate again to update it",
                path.display()
            );
        }
    }
    findings
}

/// Keeps only the findings whose markers are still in the committed Action: a team that fixed
/// the code and removed the marker has resolved that finding. Notes (which have no marker)
/// stay.
fn resolve_fixed_findings(migration: &mut Migration, committed: &str, path: &Path) {
    let before = migration.findings.len();
    migration.findings.retain(|finding| {
        finding.severity() < Severity::Warning || committed.contains(&marker_text(finding))
    });
    let resolved = before - migration.findings.len();
    if resolved > 0 {
        errln!(
            "note: {}: {} resolved by hand (the markers are gone)",
            path.display(),
            count(resolved, "finding", "findings")
        );
    }
}
