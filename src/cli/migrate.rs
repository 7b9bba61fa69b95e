//! `migrate`: convert, then preview (findings, `--diff`) or write the deploy tool's tree
//! (`--out`). Exit codes: 0 clean or review-only, 1 manual work needed, 2 a rule that failed
//! or could not be read, a usage or an I/O error.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use rules2actions::diff_view::{diff_with_findings, DiffStyle};
use rules2actions::layout::{
    fingerprint, read_state, state_text, tree, write_tree, Generated, LayoutOptions, OutputFile,
    OutputFormat, Planned, STATE,
};
use rules2actions::report::render_findings;
use rules2actions::results::{json_report, migration_html, migration_markdown};
use rules2actions::source::InputFormat;
use rules2actions::{migrate::migrate_rules, namespace_prefix, Migration, Options, Status};

use super::rules::{self, Loaded};
use super::{ColorChoice, MigrateArgs};

#[derive(Default)]
struct Account {
    statuses: BTreeMap<Status, usize>,
    /// Rules that could not be read, or cannot become post-login Actions.
    unreadable: usize,
    io_errors: usize,
}

impl Account {
    fn count(&self, status: Status) -> usize {
        self.statuses.get(&status).copied().unwrap_or(0)
    }

    fn exit_code(&self) -> ExitCode {
        if self.count(Status::Failed) + self.unreadable + self.io_errors > 0 {
            ExitCode::from(2)
        } else if self.count(Status::ManualWork) > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }

    /// `N rules read = a converted + b needs review + … + f failed`: every rule is in it.
    fn summary(&self) -> String {
        let read = self.statuses.values().sum::<usize>() + self.unreadable;
        let mut parts: Vec<String> = [
            Status::Converted,
            Status::NeedsReview,
            Status::ManualWork,
            Status::AlreadyAction,
        ]
        .iter()
        .filter(|s| self.count(**s) > 0 || **s != Status::AlreadyAction)
        .map(|s| format!("{} {}", self.count(*s), s.label()))
        .collect();
        parts.push(format!(
            "{} failed",
            self.count(Status::Failed) + self.unreadable
        ));
        let noun = if read == 1 { "rule" } else { "rules" };
        format!("{read} {noun} read = {}", parts.join(" + "))
    }
}

pub fn run(args: MigrateArgs) -> ExitCode {
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let namespace = match args.namespace.as_deref().map(namespace_prefix).transpose() {
        Ok(namespace) => namespace,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let mut loaded = rules::load(&args.paths, args.input_format.map(Into::into));
    for group in &args.merge {
        let names: Vec<String> = group.split(',').map(|n| n.trim().to_string()).collect();
        if let Err(error) = loaded.merge(&names) {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    }
    let mut account = Account {
        unreadable: loaded.unreadable(),
        ..Account::default()
    };
    for error in &loaded.errors {
        eprintln!("error: {error}");
    }
    // Paths that could not be read at all hold no rule to count.
    account.io_errors += loaded.errors.len() - account.unreadable;
    let options = Options {
        claims_policy: args.claims_policy.into(),
        namespace,
    };
    let mut migrations = migrate_rules(&loaded.sources, &options);
    loaded.restore(&mut migrations);
    let single_file = args.paths.len() == 1 && args.paths[0].is_file() && loaded.rules.len() == 1;

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for ((rule, migration), weight) in loaded.rules.iter().zip(&migrations).zip(&loaded.weights) {
        let display = rule.label.clone();
        // In a terminal the diff carries the findings; piped, it stays a patch.
        let notes_in_diff = args.diff && (std::io::stdout().is_terminal() || args.side_by_side);
        if !notes_in_diff {
            eprint!(
                "{}",
                render_findings(&display, &migration.source, &migration.findings, color)
            );
        }
        // A merged Action accounts for every rule in it.
        *account.statuses.entry(migration.status()).or_default() += weight;
        let Some(action) = migration.output() else {
            continue;
        };
        if args.diff {
            if action != migration.source {
                let style = DiffStyle {
                    color,
                    notes: notes_in_diff,
                    side_by_side: args.side_by_side.then(terminal_width),
                };
                let diff = diff_with_findings(
                    &display,
                    &migration.source,
                    action,
                    &migration.findings,
                    style,
                );
                let _ = out.write_all(diff.as_bytes());
            }
        } else if single_file && args.out.is_none() {
            let _ = out.write_all(action.as_bytes());
        }
    }
    report_pipeline(&loaded, &migrations);
    if let Some(dir) = &args.out {
        account.io_errors += write(dir, &loaded, &migrations, &args);
    }
    eprintln!("{}", account.summary());
    if args.out.is_none() && !args.diff && !single_file {
        eprintln!("nothing written: use --diff to preview the Actions or --out DIR to write them");
    }
    account.exit_code()
}

/// Where the rules relied on each other (`R2A950`–`R2A953`).
fn report_pipeline(loaded: &Loaded, migrations: &[Migration]) {
    for finding in loaded.pipeline(migrations) {
        eprintln!(
            "warning[{}]: {}\n  help: {}",
            finding.code.id(),
            finding.message,
            finding.help
        );
    }
}

/// Writes the deploy tool's tree to `dir`. Returns how many files could not be written.
fn write(
    dir: &std::path::Path,
    loaded: &Loaded,
    migrations: &[Migration],
    args: &MigrateArgs,
) -> usize {
    let planned: Vec<Planned<'_>> = loaded
        .rules
        .iter()
        .zip(&loaded.names)
        .zip(migrations)
        .filter(|(_, migration)| migration.output().is_some())
        .map(|((rule, name), migration)| Planned {
            name,
            rule,
            migration,
        })
        .collect();
    let options = LayoutOptions {
        runtime: args.runtime.clone(),
        guard: args.guard,
    };
    if args.guard {
        for action in planned.iter().filter(|p| p.rule.id.is_none()) {
            eprintln!(
                "warning: {}: no rule id to guard with; --guard needs a Management API export",
                action.rule.label
            );
        }
    }
    // The layout of the input, unless asked for another.
    let format = args.output_format.map(Into::into).unwrap_or(
        if loaded.formats.contains(&InputFormat::DeployCliYaml) {
            OutputFormat::Yaml
        } else {
            OutputFormat::DeployCli
        },
    );
    let mut files = tree(format, &planned, &options);
    // The reports: for a reviewer (MIGRATION.md) and for machines (migration-report.json).
    let outputs: Vec<Option<String>> = loaded
        .names
        .iter()
        .zip(migrations)
        .map(|(name, migration)| {
            migration
                .output()
                .map(|_| format!("actions/{name}/code.js"))
        })
        .collect();
    let results = loaded.results(migrations, &outputs);
    let mut report = serde_json::to_string_pretty(&json_report(&results)).expect("JSON serialises");
    report.push('\n');
    files.push(OutputFile {
        path: "migration-report.json".into(),
        contents: report,
    });
    files.push(OutputFile {
        path: "MIGRATION.md".into(),
        contents: migration_markdown(&results),
    });
    files.push(OutputFile {
        path: "migration-report.html".into(),
        contents: migration_html(&results),
    });
    // What each Action was generated from, for `check --actions` to tell stale from edited.
    let mut state = read_state(dir);
    // `planned` holds the rules that produced an Action, in input order.
    let sources = loaded
        .sources
        .iter()
        .zip(migrations)
        .filter(|(_, migration)| migration.output().is_some())
        .map(|(source, _)| source);
    for (planned, source) in planned.iter().zip(sources) {
        if let Some(code) = planned.code(&options) {
            let generated = Generated {
                rule: fingerprint(source),
                code: fingerprint(code.as_bytes()),
            };
            state.insert(planned.name.to_string(), generated);
        }
    }
    files.push(OutputFile {
        path: STATE.into(),
        contents: state_text(&state),
    });
    let inputs: BTreeSet<PathBuf> = loaded
        .rules
        .iter()
        .filter_map(|r| fs::canonicalize(&r.origin).ok())
        .collect();
    let mut failures = 0;
    for (path, result) in write_tree(dir, &files, args.force, &inputs) {
        match result {
            // One line per Action (its code) and one for the bindings; the metadata file
            // beside each Action only when it fails.
            Ok(written) if path.ends_with("code.js") => {
                let action = path.parent().unwrap_or(&path);
                let planned = planned
                    .iter()
                    .find(|p| action.file_name().is_some_and(|n| n == p.name));
                let description = planned.map(describe).unwrap_or_default();
                eprintln!("{} {}{description}", written.verb(), action.display());
            }
            // The metadata beside each Action's folder, and the tool's own state, go without
            // saying.
            Ok(_) if path.parent().is_some_and(|p| p.ends_with("actions")) => {}
            Ok(_)
                if path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.')) => {}
            Ok(written) => eprintln!("{} {}", written.verb(), path.display()),
            Err(error) => {
                eprintln!("error: {error}");
                failures += 1;
            }
        }
    }
    failures
}

/// ` (secrets: A, B) (dependencies: request@2.88.2) (not bound: the rule is disabled)`.
fn describe(planned: &Planned<'_>) -> String {
    let migration = planned.migration;
    let mut text = String::new();
    if !migration.secrets.is_empty() {
        text.push_str(&format!(" (secrets: {})", migration.secrets.join(", ")));
    }
    if !migration.dependencies.is_empty() {
        let dependencies: Vec<String> = migration
            .dependencies
            .iter()
            .map(|d| match &d.version {
                Some(version) => format!("{}@{version}", d.name),
                None => d.name.clone(),
            })
            .collect();
        text.push_str(&format!(" (dependencies: {})", dependencies.join(", ")));
    }
    if !planned.rule.enabled {
        text.push_str(" (not bound: the rule is disabled)");
    }
    text
}

/// The terminal's width, or `COLUMNS`, or 160 when output is not a terminal.
fn terminal_width() -> usize {
    terminal_size::terminal_size()
        .map(|(width, _)| usize::from(width.0))
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .unwrap_or(160)
}
