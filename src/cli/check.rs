//! `check`: the CI migration check. It migrates in memory, writes nothing, and reports in the
//! format asked for. Exit codes: 0 when no finding reaches `--fail-on`, 1 when one does, 2 on a
//! usage or I/O error or a rule that could not be read or parsed.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use rules2actions::registry::Severity;
use rules2actions::report::render_findings;
use rules2actions::results::{github_annotations, json_report, junit_report, sarif_report};
use rules2actions::{migrate::migrate_rules, namespace_prefix, Options, Status};

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
    let results = loaded.results(&migrations, &[]);
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
                    "warning[{}]: {}\n  help: {}\n",
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
        + usize::from(threshold <= Severity::Warning) * results.pipeline.len();
    eprintln!(
        "{} rules checked: {reaching} with findings at or above {}, {failed} could not be converted",
        results.rules.len() + results.errors.len(),
        threshold.as_str()
    );
    if failed > 0 {
        ExitCode::from(2)
    } else if reaching > 0 {
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
