//! The command line: `migrate` and `explain`, with exit codes 0 (clean), 1 (manual work needed)
//! and 2 (usage, I/O or parse failure).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use rules2actions::registry::{Code, REGISTRY};
use rules2actions::report::{colorize_diff, render_findings, unified_diff};
use rules2actions::verify::{read_scenarios, verify as verify_rule, VerifyOptions};
use rules2actions::{
    migrate::migrate_rules, namespace_prefix, ClaimsPolicy, Migration, Options, Outcome, Status,
};

#[derive(Parser)]
#[command(
    name = "rules2actions",
    version,
    about = "Migrate Auth0 Rules into post-login Actions"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert rules into post-login Actions (previews unless --out is given)
    Migrate(MigrateArgs),
    /// Run each Rule and its Action side by side in Node.js and report every difference
    Verify(VerifyArgs),
    /// Print the documentation of a finding code, or list every code
    Explain {
        /// A code such as R2A101, or its name
        code: Option<String>,
    },
}

#[derive(clap::Args)]
struct MigrateArgs {
    /// Rule files, or folders searched for `.js` files
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Write one Action per rule to DIR/actions/<name>/code.js
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print a unified diff from each Rule to its Action instead of writing
    #[arg(long, conflicts_with = "out")]
    diff: bool,
    /// Replace Actions in DIR that differ from the new output
    #[arg(long, requires = "out")]
    force: bool,
    /// How non-namespaced claims are judged: `enforced` (the tenant drops them, an error) or
    /// `relaxed` (the tenant accepts them, a warning)
    #[arg(long, value_enum, default_value_t = ClaimsPolicyArg::Enforced)]
    claims_policy: ClaimsPolicyArg,
    /// Give restricted and non-namespaced claims this namespace (e.g. https://example.com/);
    /// applications must then read the new names
    #[arg(long, value_name = "URL")]
    namespace: Option<String>,
    /// When to color diagnostics and diffs
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(clap::Args)]
struct VerifyArgs {
    /// Rule files, or folders searched for `.js` files
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Verify the Actions in DIR/actions/<name>/code.js instead of freshly generated ones
    #[arg(long, value_name = "DIR")]
    actions: Option<PathBuf>,
    /// How non-namespaced claims are treated by the tenant (see `migrate --help`)
    #[arg(long, value_enum, default_value_t = ClaimsPolicyArg::Enforced)]
    claims_policy: ClaimsPolicyArg,
    /// More scenarios: a JSON array of objects merged over the base scenario, such as
    /// `[{"clientID": "abc", "user": {"app_metadata": {"roles": ["admin"]}}}]`
    #[arg(long, value_name = "FILE")]
    scenarios: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ClaimsPolicyArg {
    Enforced,
    Relaxed,
}

impl From<ClaimsPolicyArg> for ClaimsPolicy {
    fn from(arg: ClaimsPolicyArg) -> Self {
        match arg {
            ClaimsPolicyArg::Enforced => ClaimsPolicy::Enforced,
            ClaimsPolicyArg::Relaxed => ClaimsPolicy::Relaxed,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Migrate(args) => migrate(args),
        Command::Verify(args) => verify(args),
        Command::Explain { code } => explain(code.as_deref()),
    }
}

fn explain(code: Option<&str>) -> ExitCode {
    let Some(key) = code else {
        for (code, info) in REGISTRY {
            println!(
                "{}  {:<8} {:<40} {}",
                info.id,
                code.severity(),
                info.name,
                info.summary
            );
        }
        return ExitCode::SUCCESS;
    };
    match Code::lookup(key) {
        Some(code) => {
            let info = code.info();
            println!(
                "{} {} ({})\n\n{}\n\n{}",
                info.id, info.name, info.severity, info.summary, info.doc
            );
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("error: unknown code `{key}`; `rules2actions explain` lists them all");
            ExitCode::from(2)
        }
    }
}

/// A rule file and the name its Action gets.
struct RuleFile {
    path: PathBuf,
    name: String,
}

#[derive(Default)]
struct Tally {
    statuses: BTreeMap<Status, usize>,
    io_errors: usize,
}

impl Tally {
    fn count(&self, status: Status) -> usize {
        self.statuses.get(&status).copied().unwrap_or(0)
    }

    fn exit_code(&self) -> ExitCode {
        if self.count(Status::Failed) + self.io_errors > 0 {
            ExitCode::from(2)
        } else if self.count(Status::ManualWork) > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }

    fn summary(&self) -> String {
        let total: usize = self.statuses.values().sum();
        let parts: Vec<String> = [
            Status::Converted,
            Status::NeedsReview,
            Status::ManualWork,
            Status::AlreadyAction,
            Status::Failed,
        ]
        .iter()
        .filter(|s| self.count(**s) > 0)
        .map(|s| format!("{} {}", self.count(*s), s.label()))
        .collect();
        let noun = if total == 1 { "rule" } else { "rules" };
        format!("{total} {noun}: {}", parts.join(", "))
    }
}

fn migrate(args: MigrateArgs) -> ExitCode {
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let mut tally = Tally::default();
    let (readable, sources, io_errors) = load_rules(&args.paths);
    tally.io_errors += io_errors;
    let namespace = match args.namespace.as_deref().map(namespace_prefix).transpose() {
        Ok(namespace) => namespace,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let options = Options {
        claims_policy: args.claims_policy.into(),
        namespace,
    };
    let migrations = migrate_rules(&sources, &options);
    let single_file = args.paths.len() == 1 && args.paths[0].is_file() && readable.len() == 1;
    let inputs: BTreeSet<PathBuf> = readable
        .iter()
        .filter_map(|f| fs::canonicalize(&f.path).ok())
        .collect();

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (file, migration) in readable.iter().zip(&migrations) {
        let display = file.path.display().to_string();
        eprint!(
            "{}",
            render_findings(&display, &migration.source, &migration.findings, color)
        );
        *tally.statuses.entry(migration.status()).or_default() += 1;
        let Some(action) = migration.output() else {
            continue;
        };
        if args.diff {
            if action != migration.source {
                let diff = unified_diff(&display, &migration.source, action);
                let diff = if color { colorize_diff(&diff) } else { diff };
                let _ = out.write_all(diff.as_bytes());
            }
        } else if let Some(dir) = &args.out {
            match write_action(dir, file, action, args.force, &inputs) {
                Ok(written) => eprintln!("{} {}", written, describe(dir, file, migration)),
                Err(error) => {
                    eprintln!("error: {error}");
                    tally.io_errors += 1;
                }
            }
        } else if single_file {
            let _ = out.write_all(action.as_bytes());
        }
    }
    eprintln!("{}", tally.summary());
    if args.out.is_none() && !args.diff && !single_file {
        eprintln!("nothing written: use --diff to preview the Actions or --out DIR to write them");
    }
    tally.exit_code()
}

/// The rule files under `paths`, named, with their bytes, and how many could not be read.
fn load_rules(paths: &[PathBuf]) -> (Vec<RuleFile>, Vec<Vec<u8>>, usize) {
    let mut io_errors = 0;
    let mut files = Vec::new();
    for path in paths {
        if let Err(error) = collect_rules(path, &mut files) {
            eprintln!("error: {}: {error}", path.display());
            io_errors += 1;
        }
    }
    assign_unique_names(&mut files);
    let mut sources = Vec::with_capacity(files.len());
    let mut readable = Vec::with_capacity(files.len());
    for file in files {
        match fs::read(&file.path) {
            Ok(bytes) => {
                sources.push(bytes);
                readable.push(file);
            }
            Err(error) => {
                eprintln!("error: {}: {error}", file.path.display());
                io_errors += 1;
            }
        }
    }
    (readable, sources, io_errors)
}

fn describe(dir: &Path, file: &RuleFile, migration: &Migration) -> String {
    let mut text = format!("{}", action_path(dir, &file.name).display());
    if !migration.secrets.is_empty() {
        text.push_str(&format!(" (secrets: {})", migration.secrets.join(", ")));
    }
    if !migration.claims.is_empty() {
        let unresolved = migration.claims.iter().filter(|c| c.name.is_none()).count();
        text.push_str(&format!(" (claims: {}", migration.claims.len()));
        if unresolved > 0 {
            text.push_str(&format!(", {unresolved} unresolved"));
        }
        text.push(')');
    }
    if !migration.dependencies.is_empty() {
        let deps: Vec<String> = migration
            .dependencies
            .iter()
            .map(|d| match &d.version {
                Some(v) => format!("{}@{v}", d.name),
                None => d.name.clone(),
            })
            .collect();
        text.push_str(&format!(" (dependencies: {})", deps.join(", ")));
    }
    text
}

fn action_path(dir: &Path, name: &str) -> PathBuf {
    dir.join("actions").join(name).join("code.js")
}

/// Writes one Action; never overwrites an input, and replaces a different existing file only
/// with `--force`. Returns the verb to print.
fn write_action(
    dir: &Path,
    file: &RuleFile,
    action: &str,
    force: bool,
    inputs: &BTreeSet<PathBuf>,
) -> Result<&'static str, String> {
    let path = action_path(dir, &file.name);
    let shown = path.display();
    if fs::canonicalize(&path).is_ok_and(|p| inputs.contains(&p)) {
        return Err(format!(
            "{shown} is one of the inputs; refusing to overwrite it"
        ));
    }
    match fs::read(&path) {
        Ok(existing) if existing == action.as_bytes() => return Ok("unchanged"),
        Ok(_) if !force => {
            return Err(format!(
                "{shown} already exists with different content; use --force to replace it"
            ))
        }
        _ => {}
    }
    let parent = path.parent().expect("action paths have a parent");
    fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    fs::write(&path, action).map_err(|e| format!("{shown}: {e}"))?;
    Ok("wrote")
}

fn collect_rules(path: &Path, files: &mut Vec<RuleFile>) -> std::io::Result<()> {
    let metadata = fs::metadata(path)?;
    if metadata.is_file() {
        files.push(RuleFile {
            path: path.to_path_buf(),
            name: rule_name(path),
        });
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(path)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for entry in entries {
        let file_name = entry
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if file_name.starts_with('.') || file_name == "node_modules" {
            continue;
        }
        if entry.is_dir() {
            collect_rules(&entry, files)?;
        } else if entry.extension().is_some_and(|e| e == "js") {
            files.push(RuleFile {
                name: rule_name(&entry),
                path: entry,
            });
        }
    }
    Ok(())
}

/// The file stem, or the folder name for an Action's own `code.js`, made safe as a folder name.
fn rule_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let raw = match stem {
        "code" => path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .unwrap_or(stem),
        _ => stem,
    };
    let safe: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let safe = safe.trim_matches('-');
    if safe.is_empty() {
        "rule".to_string()
    } else {
        safe.to_string()
    }
}

fn assign_unique_names(files: &mut [RuleFile]) {
    let mut taken = BTreeSet::new();
    for file in files {
        let mut name = file.name.clone();
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = format!("{}-{n}", file.name);
            n += 1;
        }
        file.name = name;
    }
}

/// `verify`: exit 0 when every difference was announced by a finding, 1 when one was not or a
/// rule could not run for lack of npm packages, 2 when Node.js is missing or a rule or Action
/// could not be read or converted.
fn verify(args: VerifyArgs) -> ExitCode {
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
    let (files, sources, mut failures) = load_rules(&args.paths);
    let options = Options {
        claims_policy: args.claims_policy.into(),
        namespace: None,
    };
    let verify_options = VerifyOptions {
        claims_policy: options.claims_policy,
        scenarios,
    };
    let migrations = migrate_rules(&sources, &options);
    let mut unexpected = 0;
    let mut unverified = 0;
    for (file, migration) in files.iter().zip(&migrations) {
        let action = match &args.actions {
            Some(dir) => match fs::read_to_string(action_path(dir, &file.name)) {
                Ok(action) => action,
                Err(error) => {
                    eprintln!("error: {}: {error}", action_path(dir, &file.name).display());
                    failures += 1;
                    continue;
                }
            },
            None => match migration.outcome {
                Outcome::Converted(ref action) => action.clone(),
                Outcome::AlreadyAction => {
                    println!("{}: already an Action, nothing to compare", file.name);
                    continue;
                }
                Outcome::Failed => {
                    eprintln!("error: {}: not converted, nothing to verify", file.name);
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
                    file.name,
                    verification.missing_packages.join(", ")
                );
            }
            Ok(verification) => {
                unexpected += usize::from(!verification.unexpected.is_empty());
                print!("{}", verification_report(&file.name, &verification));
            }
            Err(error @ rules2actions::verify::VerifyError::NodeMissing) => {
                eprintln!("error: {error}");
                return ExitCode::from(2);
            }
            Err(error) => {
                eprintln!("error: {}: {error}", file.name);
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
