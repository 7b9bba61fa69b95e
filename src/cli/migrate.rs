//! `migrate`: convert, then preview (findings, `--diff`) or write the deploy tool's tree
//! (`--out`, with `--dry-run` to see the plan first). Exit codes: 0 clean or review-only, 1
//! manual work needed, 2 a rule that failed or could not be read, a usage or an I/O error.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rules2actions::diff_view::{diff_with_findings, DiffStyle};
use rules2actions::layout::{
    bound_by_trigger, fingerprint, read_state, state_text, Generated, LayoutOptions, OutputDir,
    OutputFile, OutputFormat, Planned, RealPaths, Written, STATE,
};
use rules2actions::markers::has_error_marker;
use rules2actions::migrate::migrate_rules_consuming;
use rules2actions::registry::Severity;
use rules2actions::report::{render_findings, render_pipeline};
use rules2actions::results::{
    write_json_report, write_migration_html, write_migration_markdown, Deployment,
};
use rules2actions::source::{InputFormat, ReadRoot};
use rules2actions::verify::{verify, VerifyOptions};
use rules2actions::{Migration, Status};

use super::config::Settings;
use super::output::{self, count, errln};
use super::rules::{self, Loaded};
use super::{Global, MigrateArgs, MigrateFormat, Verbosity};

#[derive(Default)]
struct Account {
    statuses: BTreeMap<Status, usize>,
    /// Rules that could not be read, or cannot become post-login Actions.
    unreadable: usize,
    io_errors: usize,
    suppressed: usize,
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
    fn summary(&self, loaded: &Loaded) -> String {
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
        let mut text = format!(
            "{} read = {}",
            count(read, "rule", "rules"),
            parts.join(" + ")
        );
        text.push_str(&loaded.skipped_summary());
        if self.suppressed > 0 {
            text.push_str(&format!(
                " ({} suppressed)",
                count(self.suppressed, "finding", "findings")
            ));
        }
        text
    }
}

pub fn run(args: MigrateArgs, global: &Global) -> ExitCode {
    let color = global.color(false);
    let settings = match global.settings(&args.judging, &args.inputs, args.runtime) {
        Ok(settings) => settings,
        Err(message) => {
            errln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let Some(mut loaded) = rules::load_reporting(&args.inputs, global) else {
        return ExitCode::from(2);
    };
    for group in &args.merge {
        let names: Vec<String> = group.split(',').map(|n| n.trim().to_string()).collect();
        if let Err(error) = loaded.merge(&names) {
            errln!("error: {error}");
            return ExitCode::from(2);
        }
    }
    loaded.check_settings(&settings);
    if let Some(dir) = &args.out {
        if let Err(message) = refuse_unsafe_output(dir, &loaded.read_roots) {
            errln!("error: {message}");
            return ExitCode::from(2);
        }
    }
    let mut account = Account {
        unreadable: loaded.unreadable(),
        ..Account::default()
    };
    // Paths that could not be read at all hold no rule to count.
    account.io_errors += loaded.errors.len() - account.unreadable;
    let options = loaded.options(&settings);
    let scripts = loaded.release_scripts();
    let mut migrations = super::progress::showing_progress(
        scripts.len(),
        "migrating",
        global.verbosity == Verbosity::Quiet,
        // The files, diffs and reports are made from the Action's text.
        &Migration::forget_edits,
        |each| migrate_rules_consuming(scripts, |i| &*options[i], each),
    );
    loaded.restore(&mut migrations);
    let single_file =
        args.inputs.paths.len() == 1 && args.inputs.paths[0].is_file() && loaded.rules.len() == 1;

    // The lowest severity printed: errors only when quiet, notes only when verbose.
    let shown = match global.verbosity {
        Verbosity::Quiet => Severity::Error,
        Verbosity::Normal => Severity::Warning,
        Verbosity::Verbose => Severity::Info,
    };
    let json = args.format == MigrateFormat::Json;
    for (rule, migration) in loaded.rules.iter().zip(&migrations) {
        // In a terminal the diff carries the findings; piped, it stays a patch.
        let notes_in_diff = args.diff && (std::io::stdout().is_terminal() || args.side_by_side);
        if !notes_in_diff {
            let findings: Vec<_> = migration
                .findings
                .iter()
                .filter(|f| f.severity() >= shown)
                .cloned()
                .collect();
            output::stderr(&render_findings(
                &rule.label,
                &migration.source,
                &findings,
                color,
            ));
        }
        account.suppressed += migration.suppressed.len();
        let Some(action) = migration.output() else {
            continue;
        };
        if args.diff {
            if action != migration.source {
                let style = DiffStyle {
                    color: global.color(true),
                    notes: notes_in_diff,
                    side_by_side: args.side_by_side.then(terminal_width),
                };
                output::stdout(&diff_with_findings(
                    &rule.label,
                    &migration.source,
                    action,
                    &migration.findings,
                    style,
                ));
            }
        } else if single_file && args.out.is_none() && !json {
            output::stdout(action);
        }
    }
    for (migration, weight) in migrations.iter().zip(&loaded.weights) {
        // A merged Action accounts for every rule in it.
        *account.statuses.entry(migration.status()).or_default() += weight;
    }
    if global.verbosity > Verbosity::Quiet {
        output::stderr(&render_pipeline(&loaded.pipeline(&migrations), color));
    }
    let mut deployments = vec![None; migrations.len()];
    if let Some(dir) = &args.out {
        match write(dir, &loaded, &migrations, &args, &settings, global) {
            Ok((written, failures)) => {
                deployments = written;
                account.io_errors += failures;
            }
            Err(message) => {
                errln!("error: {message}");
                return ExitCode::from(2);
            }
        }
    }
    if json {
        let outputs = outputs(&loaded, &migrations);
        let mut results = loaded.results(&migrations, &outputs);
        for (result, deployment) in results.rules.iter_mut().zip(deployments) {
            result.deployment = deployment;
        }
        output::stdout_streamed(|out| write_json_report(&results, out));
    }
    errln!("{}", account.summary(&loaded));
    if args.out.is_none() && !args.diff && !single_file && !json {
        errln!("nothing written: use --diff to preview the Actions or --out DIR to write them");
    }
    account.exit_code()
}

/// Refuses an output folder that a later run would read back as rules: one that is, or lies
/// inside, a folder read whole (loose rule files, a repository's `rules/`). A repository's own
/// root is fine: `actions/` and `triggers/` are never read as rules.
fn refuse_unsafe_output(dir: &Path, roots: &[ReadRoot]) -> Result<(), String> {
    let real = real_path_to_be(dir);
    for root in roots.iter().filter(|r| r.whole) {
        if real.starts_with(&root.path) {
            return Err(format!(
                "--out {} is inside {}, which this run reads rules from: a later run would read the Actions back as rules; choose a folder outside it (for a deploy-cli repository, its root is fine)",
                dir.display(),
                root.path.display()
            ));
        }
    }
    Ok(())
}

/// The real path `path` will have: its nearest existing ancestor's real path, and the rest.
fn real_path_to_be(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut missing = Vec::new();
    let mut existing = absolute.as_path();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            return missing
                .iter()
                .rev()
                .fold(real, |p: PathBuf, part| p.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Where each rule's Action goes, relative to the output folder.
fn outputs(loaded: &Loaded, migrations: &[Migration]) -> Vec<Option<String>> {
    loaded
        .names
        .iter()
        .zip(migrations)
        .enumerate()
        .map(|(index, (name, migration))| {
            let tree = loaded
                .tree_prefix(index)
                .map_or(String::new(), |t| format!("{t}/"));
            migration
                .output()
                .map(|_| format!("{tree}actions/{name}/code.js"))
        })
        .collect()
}

/// Why an Action is not deployed, or `None` when it is.
fn withheld(migration: &Migration, verified: Option<&Result<(), String>>) -> Option<String> {
    let errors: BTreeSet<&str> = migration
        .findings
        .iter()
        .filter(|f| f.severity() == Severity::Error)
        .map(|f| f.code.id())
        .collect();
    if !errors.is_empty() {
        let codes: Vec<&str> = errors.into_iter().collect();
        return Some(format!("needs manual work ({})", codes.join(", ")));
    }
    match verified {
        Some(Err(reason)) => Some(reason.clone()),
        _ => None,
    }
}

/// Writes (or, with `--dry-run`, plans) the deploy tool's tree in `dir`, and prints the plan.
/// Returns each rule's deployment and how many files could not be written.
fn write(
    dir: &Path,
    loaded: &Loaded,
    migrations: &[Migration],
    args: &MigrateArgs,
    settings: &Settings,
    global: &Global,
) -> Result<(Vec<Option<Deployment>>, usize), String> {
    let options = LayoutOptions {
        runtime: settings.runtime.as_str().to_string(),
        guard: args.guard,
    };
    let verified = if args.verify {
        Some(verify_all(loaded, migrations, args, settings)?)
    } else {
        None
    };
    let mut trees: Vec<Tree<'_>> = tree_layouts(loaded, args);
    for (index, ((rule, name), migration)) in loaded
        .rules
        .iter()
        .zip(&loaded.names)
        .zip(migrations)
        .enumerate()
    {
        if migration.output().is_none() {
            continue;
        }
        let reason = withheld(migration, verified.as_ref().map(|v| &v[index]));
        let deploy = reason.is_none() || args.bind_all;
        let tree = if trees.len() > 1 { rule.repository } else { 0 };
        trees[tree].planned.push((
            index,
            Planned {
                name,
                rule,
                migration,
                deploy,
            },
            reason.filter(|_| !deploy),
        ));
    }
    if args.guard {
        let planned = trees.iter().flat_map(|t| &t.planned);
        for (_, action, _) in planned.filter(|(_, p, _)| p.rule.id.is_none()) {
            errln!(
                "warning: {}: no rule id to guard with; --guard needs a Management API export",
                action.rule.label
            );
        }
    }
    let inputs: BTreeSet<PathBuf> = loaded
        .rules
        .iter()
        .filter_map(|r| fs::canonicalize(&r.origin).ok())
        .chain(
            loaded
                .read_roots
                .iter()
                .filter(|r| r.whole)
                .map(|r| r.path.clone()),
        )
        .collect();
    // Nothing is written when one of the files would replace an input.
    let mut real_paths = RealPaths::default();
    for tree in &trees {
        let actions: Vec<Planned<'_>> = tree.planned.iter().map(|(_, p, _)| *p).collect();
        for file in tree.format.tree(&actions, &options) {
            let path = dir.join(tree.path(&file.path));
            if real_paths
                .of_existing(&path)
                .is_some_and(|p| inputs.contains(&p))
            {
                return Err(format!(
                    "{} is one of the inputs; refusing to write the output there",
                    path.display()
                ));
            }
        }
    }
    let mut out = if args.dry_run {
        OutputDir::plan(dir, args.force, inputs)
    } else {
        OutputDir::open(dir, args.force, inputs, || {
            errln!(
                "waiting for another rules2actions run to finish writing {}",
                dir.display()
            )
        })?
    };
    if out.removed_temporaries > 0 {
        errln!(
            "note: removed {} an interrupted run left in {}",
            count(out.removed_temporaries, "temporary file", "temporary files"),
            dir.display()
        );
    }
    let mut written = TreesWritten {
        deployments: vec![None; migrations.len()],
        ..TreesWritten::default()
    };
    let mut states = Vec::new();
    for tree in trees {
        let state_path = tree.path(Path::new(STATE));
        let state = write_tree(dir, tree, &mut out, &mut written, loaded, args, &options);
        states.push(OutputFile {
            path: state_path,
            contents: state_text(&state).into(),
        });
    }
    let TreesWritten {
        deployments,
        mut failures,
        mut table,
        mut summary_lines,
    } = written;
    for (rule, migration) in loaded.rules.iter().zip(migrations) {
        if migration.output().is_none() {
            table.push([
                rule.name.clone(),
                migration.status().label().to_string(),
                "-".to_string(),
                "no: not converted".to_string(),
                "-".to_string(),
            ]);
        }
    }
    let outputs = outputs(loaded, migrations);
    let mut results = loaded.results(migrations, &outputs);
    for (result, deployment) in results.rules.iter_mut().zip(&deployments) {
        result.deployment = deployment.clone();
    }
    // The large reports go to their files as they are made; a run holds none of them whole.
    let mut report_outcomes = Vec::new();
    let mut outcome = |written: Result<Written, String>| match written {
        Ok(written) => report_outcomes.push(written),
        Err(message) => {
            errln!("error: {message}");
            failures += 1;
        }
    };
    outcome(
        out.write_streamed(Path::new("migration-report.json"), |page| {
            write_json_report(&results, page)
        }),
    );
    outcome(out.write_streamed(Path::new("MIGRATION.md"), |page| {
        write_migration_markdown(&results, page)
    }));
    outcome(
        out.write_streamed(Path::new("migration-report.html"), |page| {
            write_migration_html(&results, page)
        }),
    );
    let mut write_report = |file: &OutputFile<'_>| outcome(out.write(file));
    for state in &states {
        write_report(state);
    }
    summary_lines.push(format!(
        "reports (MIGRATION.md, migration-report.json, migration-report.html): {}",
        files_label(&report_outcomes)
    ));
    if !args.dry_run {
        if let Err(message) = out.finish() {
            errln!("error: {message}");
            failures += 1;
        }
    }
    if global.verbosity > Verbosity::Quiet {
        let layouts: BTreeSet<&str> = tree_layouts(loaded, args)
            .iter()
            .map(|t| t.format.label())
            .collect();
        let layouts = layouts.into_iter().collect::<Vec<_>>().join(", ");
        let heading = if args.dry_run {
            format!(
                "Plan for {} ({layouts}); --dry-run: nothing was written",
                dir.display(),
            )
        } else {
            format!("Wrote {} ({layouts})", dir.display())
        };
        output::stderr(&plan_table(&heading, &table, &summary_lines));
    }
    Ok((deployments, failures))
}

/// One repository's tree in the output folder: the folder itself, or `<repository>/` in it
/// when the run reads several.
struct Tree<'a> {
    prefix: Option<PathBuf>,
    format: OutputFormat,
    planned: Vec<(usize, Planned<'a>, Option<String>)>,
}

impl Tree<'_> {
    /// `path`, relative to the output folder.
    fn path(&self, path: &Path) -> PathBuf {
        match &self.prefix {
            Some(prefix) => prefix.join(path),
            None => path.to_path_buf(),
        }
    }

    fn file<'f>(&self, file: OutputFile<'f>) -> OutputFile<'f> {
        OutputFile {
            path: self.path(&file.path),
            contents: file.contents,
        }
    }
}

/// The trees to write, each in the layout of its input unless asked for another.
fn tree_layouts<'a>(loaded: &Loaded, args: &MigrateArgs) -> Vec<Tree<'a>> {
    let layout = |yaml: bool| {
        args.output_format.map(Into::into).unwrap_or(if yaml {
            OutputFormat::Yaml
        } else {
            OutputFormat::DeployCli
        })
    };
    if loaded.repositories.len() <= 1 {
        return vec![Tree {
            prefix: None,
            format: layout(loaded.formats.contains(&InputFormat::DeployCliYaml)),
            planned: Vec::new(),
        }];
    }
    loaded
        .repositories
        .iter()
        .map(|repository| Tree {
            prefix: Some(PathBuf::from(&repository.name)),
            format: layout(repository.format == InputFormat::DeployCliYaml),
            planned: Vec::new(),
        })
        .collect()
}

/// What writing the trees produced, for the plan and the reports.
#[derive(Default)]
struct TreesWritten {
    deployments: Vec<Option<Deployment>>,
    failures: usize,
    table: Vec<[String; 5]>,
    summary_lines: Vec<String>,
}

/// Writes one repository's Actions, then what binds those that landed. Returns the tree's
/// state file contents.
fn write_tree(
    dir: &Path,
    tree: Tree<'_>,
    out: &mut OutputDir,
    written: &mut TreesWritten,
    loaded: &Loaded,
    args: &MigrateArgs,
    options: &LayoutOptions,
) -> rules2actions::layout::State {
    let format = tree.format;
    // Each Action's own files first: only an Action whose files are in place is bound.
    let mut rows = Vec::new();
    let mut written_actions: Vec<(Vec<PathBuf>, Planned<'_>)> = Vec::new();
    let mut state = read_state(&dir.join(tree.path(Path::new(""))));
    for (index, mut action, reason) in tree.planned.iter().cloned() {
        let mut outcomes = Vec::new();
        let mut error = None;
        let mut paths = Vec::new();
        for file in format.action_files(&action, options) {
            let file = tree.file(file);
            match out.write(&file) {
                Ok(outcome) => {
                    if file.path.ends_with("code.js") {
                        record_state(
                            &mut state,
                            &action,
                            &loaded.script_fingerprints[index],
                            &file,
                            &outcome,
                        );
                        if let Written::Kept(_) = outcome {
                            // The Action on disk is the team's: judge it, not what was generated.
                            let kept = fs::read_to_string(dir.join(&file.path)).unwrap_or_default();
                            action.deploy = args.bind_all || !has_error_marker(&kept);
                        }
                    }
                    paths.push(file.path.clone());
                    outcomes.push(outcome);
                }
                Err(message) => error = Some(message),
            }
        }
        rows.push((index, reason, outcomes, error));
        written_actions.push((paths, action));
    }
    // The Actions' files land together; an Action with a file that did not is not bound.
    let not_landed = out.land();
    let mut placed: Vec<Planned<'_>> = Vec::new();
    let mut table_rows = Vec::new();
    for ((index, reason, outcomes, mut error), (paths, action)) in
        rows.into_iter().zip(written_actions)
    {
        if error.is_none() {
            error = not_landed
                .iter()
                .find(|(path, _)| paths.contains(path))
                .map(|(_, message)| message.clone());
        }
        let files = match &error {
            Some(message) => {
                errln!("error: {message}");
                written.failures += 1;
                format!("failed: {message}")
            }
            None => files_label(&outcomes),
        };
        let bound_reason = match (&error, reason) {
            (Some(_), _) => Some("its files could not be written".to_string()),
            (None, _) if !action.rule.enabled => Some("the rule is disabled".to_string()),
            (None, reason) if !action.deploy => Some(
                reason
                    .unwrap_or_else(|| "its hand-edited code still has error markers".to_string()),
            ),
            (None, _) => None,
        };
        let status = action.migration.status().label();
        table_rows.push((index, status, bound_reason, files));
        if error.is_none() {
            placed.push(action);
        }
    }
    // Each trigger binds its Actions in its own order: a Hook's Action is the first of its own.
    let positions: BTreeMap<&str, String> = bound_by_trigger(&placed)
        .into_iter()
        .flat_map(|(trigger, actions)| {
            actions.into_iter().enumerate().map(move |(i, a)| {
                let position = if trigger.is_hook() {
                    format!("{} #{}", trigger.id, i + 1)
                } else {
                    format!("#{}", i + 1)
                };
                (a.name, position)
            })
        })
        .collect();
    for (index, status, reason, files) in table_rows {
        let name = loaded.names[index].as_str();
        let bound = match (positions.get(name), &reason) {
            (Some(position), _) => format!("yes ({position})"),
            (None, Some(reason)) => format!("no: {reason}"),
            (None, None) => "no".to_string(),
        };
        written.deployments[index] = Some(Deployment {
            bound: positions.contains_key(name),
            not_bound_because: reason,
            files: files.clone(),
        });
        written.table.push([
            loaded.rules[index].name.clone(),
            status.to_string(),
            tree.path(Path::new(name)).display().to_string(),
            bound,
            files,
        ]);
    }
    // What each Action needs before it can be deployed.
    written.summary_lines.extend(
        placed
            .iter()
            .filter_map(|action| needs(action, &tree.path(Path::new("actions")))),
    );
    // Then what binds them.
    let mut binding_lines = Vec::new();
    for file in format.binding_files(&placed, options) {
        let file = tree.file(file);
        match out.write(&file) {
            Ok(outcome) => binding_lines.push((file.path.clone(), Some(outcome.label()))),
            Err(message) => {
                errln!("error: {message}");
                written.failures += 1;
                binding_lines.push((file.path.clone(), None));
            }
        }
    }
    let bindings_not_landed = out.land();
    for (path, label) in binding_lines {
        let not_landed = bindings_not_landed.iter().find(|(p, _)| *p == path);
        if let Some((_, message)) = not_landed {
            errln!("error: {message}");
            written.failures += 1;
        }
        let label = label.filter(|_| not_landed.is_none()).unwrap_or("failed");
        written
            .summary_lines
            .push(format!("{}: {label}", path.display()));
    }
    state
}

/// Records in the state file what the Action at `file` was generated from, when the file on
/// disk now holds it; a kept (hand-edited) Action keeps the entry of its last generation.
fn record_state(
    state: &mut rules2actions::layout::State,
    action: &Planned<'_>,
    rule_fingerprint: &str,
    file: &OutputFile<'_>,
    written: &Written,
) {
    if written.holds_generated() {
        state.insert(
            action.name.to_string(),
            Generated {
                rule: rule_fingerprint.to_string(),
                code: fingerprint(file.contents.as_bytes()),
            },
        );
    }
}

/// `actions/etc-passwd needs secrets PARTNER_API_KEY; dependencies request@2.88.2`, or `None`.
fn needs(action: &Planned<'_>, actions: &Path) -> Option<String> {
    let migration = action.migration;
    let mut parts = Vec::new();
    if !migration.secrets.is_empty() {
        parts.push(format!("secrets {}", migration.secrets.join(", ")));
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
        parts.push(format!("dependencies {}", dependencies.join(", ")));
    }
    (!parts.is_empty()).then(|| {
        format!(
            "{}/{} needs {}",
            actions.display(),
            action.name,
            parts.join("; ")
        )
    })
}

/// One word for what happened to a group of files: the most telling outcome among them.
fn files_label(outcomes: &[Written]) -> String {
    let rank = |w: &Written| match w {
        Written::Kept(_) => 3,
        Written::Created => 2,
        Written::Updated => 1,
        Written::Unchanged => 0,
    };
    outcomes
        .iter()
        .max_by_key(|w| rank(w))
        .map_or("-", Written::label)
        .to_string()
}

/// The plan as a table: one row per rule, then the bindings and reports.
fn plan_table(heading: &str, rows: &[[String; 5]], lines: &[String]) -> String {
    const HEADER: [&str; 5] = ["RULE", "STATUS", "ACTION", "BOUND", "FILES"];
    let mut widths = HEADER.map(str::len);
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count()).min(48);
        }
    }
    let line = |cells: [&str; 5]| {
        let mut text = String::from(" ");
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if i == 4 {
                text.push(' ');
                text.push_str(cell);
            } else {
                text.push_str(&format!(" {cell:<width$} "));
            }
        }
        format!("{}\n", text.trim_end())
    };
    let mut text = format!("\n{heading}\n\n");
    text.push_str(&line(HEADER));
    for row in rows {
        text.push_str(&line([&row[0], &row[1], &row[2], &row[3], &row[4]]));
    }
    text.push('\n');
    for summary in lines {
        text.push_str(&format!("  {summary}\n"));
    }
    text.push('\n');
    text
}

/// Runs `verify` on every converted rule: `Err(reason)` where the Action behaved differently
/// or could not be run.
fn verify_all(
    loaded: &Loaded,
    migrations: &[Migration],
    args: &MigrateArgs,
    settings: &Settings,
) -> Result<Vec<Result<(), String>>, String> {
    let mut results = Vec::new();
    for (index, migration) in migrations.iter().enumerate() {
        let Some(action) = migration.output() else {
            results.push(Ok(()));
            continue;
        };
        if migration.status() == Status::AlreadyAction {
            results.push(Ok(()));
            continue;
        }
        let options = VerifyOptions {
            claims_policy: settings
                .for_rule(&loaded.rules[index].name, &loaded.names[index])
                .claims_policy,
            scenarios: Vec::new(),
            modules: args.node_modules.clone(),
            ..VerifyOptions::default()
        };
        let result = match verify(migration, action, &options) {
            Ok(v) if !v.missing_packages.is_empty() => Err(format!(
                "verify could not run it (install {})",
                v.missing_packages.join(", ")
            )),
            Ok(v) if !v.unexpected.is_empty() => Err(format!(
                "verify found a difference on {}",
                count(v.unexpected.len(), "scenario", "scenarios")
            )),
            Ok(v) if v.verdict() == rules2actions::verify::Verdict::NotProven => {
                Err("verify could not reach every deny of the rule".to_string())
            }
            Ok(_) => Ok(()),
            Err(
                error @ (rules2actions::verify::VerifyError::NodeMissing
                | rules2actions::verify::VerifyError::NodeTooOld(_)),
            ) => return Err(error.to_string()),
            Err(error) => Err(format!("verify failed: {error}")),
        };
        results.push(result);
    }
    Ok(results)
}

/// The terminal's width, or `COLUMNS`, or 160 when output is not a terminal.
fn terminal_width() -> usize {
    terminal_size::terminal_size()
        .map(|(width, _)| usize::from(width.0))
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .unwrap_or(160)
}
