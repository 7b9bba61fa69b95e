//! The command line: `migrate`, `check`, `review`, `verify` and `explain`, with exit codes 0
//! (clean), 1 (manual work needed) and 2 (usage, I/O or parse failure). Every command prints
//! through [`output`], so that a closed pipe never panics.

mod check;
mod config;
mod migrate;
mod output;
mod progress;
mod review;
mod rules;
mod verify;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use self::config::{Flags, Runtime, Settings};
use self::output::{errln, outln};

use clap::{Parser, Subcommand, ValueEnum};
use rules2actions::layout::OutputFormat;
use rules2actions::registry::{Code, REGISTRY};
use rules2actions::source::InputFormat;
use rules2actions::ClaimsPolicy;

#[derive(Parser)]
#[command(
    name = "rules2actions",
    version,
    about = "Migrate Auth0 Rules into post-login Actions"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: GlobalArgs,
}

/// Options every command takes, before or after its name.
#[derive(clap::Args)]
struct GlobalArgs {
    /// When to color diagnostics and diffs
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    color: ColorChoice,
    /// Print only errors and the final summary
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print notes (info-level findings) and every file a run leaves as it is
    #[arg(long, short, global = true)]
    verbose: bool,
    /// The configuration file (by default the first rules2actions.toml in the first input's
    /// folder or its parents, or in the current directory)
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Convert rules into post-login Actions (previews unless --out is given)
    Migrate(MigrateArgs),
    /// The CI migration check: migrate in memory, write nothing, report findings (exit 0, 1 at
    /// or above --fail-on, 2 on failure)
    Check(CheckArgs),
    /// Review the converted rules in the terminal: accept, reject, skip or edit each Action, and
    /// resume later; accepted Actions are written to --out
    Review(ReviewArgs),
    /// Run each Rule and its Action side by side in Node.js and report every difference
    Verify(VerifyArgs),
    /// Print the documentation of a finding code, or list every code
    Explain {
        /// A code such as R2A101, or its name
        code: Option<String>,
    },
}

/// Where the rules come from.
#[derive(clap::Args)]
struct Inputs {
    /// Rule and Hook files, folders of them, an auth0-deploy-cli repository (directory or
    /// tenant.yaml), or a Management API export (`GET /api/v2/rules` or `/hooks` JSON)
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The format of the inputs; detected from each path when not given
    #[arg(long, value_enum)]
    input_format: Option<InputFormatArg>,
}

/// How findings are judged; each also has a key in rules2actions.toml, which these override.
#[derive(clap::Args)]
struct Judging {
    /// How non-namespaced claims are judged: `enforced` (the tenant drops them, an error; the
    /// default) or `relaxed` (the tenant accepts them, a warning)
    #[arg(long, value_enum)]
    claims_policy: Option<ClaimsPolicyArg>,
    /// Give restricted and non-namespaced claims this namespace (e.g. https://example.com/);
    /// applications must then read the new names
    #[arg(long, value_name = "URL")]
    namespace: Option<String>,
    /// Suppress the findings of this code (or name); repeatable, or comma-separated
    #[arg(long, value_name = "CODE")]
    ignore: Vec<String>,
    /// When a rule ends in an internal error (R2A006), show the generated text that did not parse
    #[arg(long)]
    explain_failure: bool,
}

#[derive(clap::Args)]
struct MigrateArgs {
    #[command(flatten)]
    inputs: Inputs,
    #[command(flatten)]
    judging: Judging,
    /// Write the Actions in auth0-deploy-cli directory format to DIR: actions/<name>/code.js,
    /// actions/<name>.json and triggers/triggers.json
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The layout --out writes; by default the input's (YAML for a tenant.yaml, the directory
    /// format otherwise)
    #[arg(long, value_enum, requires = "out")]
    output_format: Option<OutputFormatArg>,
    /// The Node runtime of the Actions (default node22)
    #[arg(long, value_enum)]
    runtime: Option<Runtime>,
    /// Merge rules that relied on each other into one Action, their bodies running in the order
    /// given: `--merge "Load profile,Gate admin"` (rule or Action names; repeatable)
    #[arg(long, value_name = "A,B,…")]
    merge: Vec<String>,
    /// Start each Action with `if (api.rules.wasExecuted('<rule id>')) return;` (rule ids come
    /// from a Management API export), so Actions can be enabled while rules are still on
    #[arg(long, requires = "out")]
    guard: bool,
    /// Print a unified diff from each Rule to its Action, with the findings under the lines
    /// they concern, instead of writing
    #[arg(long, conflicts_with = "out")]
    diff: bool,
    /// Show the diff as two columns, Rule | Action, as wide as the terminal
    #[arg(long, requires = "diff")]
    side_by_side: bool,
    /// With --out: show the plan (what would happen to every file and binding) and write nothing
    #[arg(long, requires = "out")]
    dry_run: bool,
    /// Replace files in DIR that rules2actions did not write, or that were edited since
    #[arg(long, requires = "out")]
    force: bool,
    /// Also bind (and deploy) Actions with error-level findings or a difference found by
    /// --verify; by default they are written with `deployed: false` and left unbound
    #[arg(long, requires = "out")]
    bind_all: bool,
    /// Run `verify` on each converted rule first; an Action that behaves differently is not
    /// bound (needs Node.js)
    #[arg(long, requires = "out")]
    verify: bool,
    /// Where the npm packages the rules require are installed, for --verify
    #[arg(long, value_name = "DIR", requires = "verify")]
    node_modules: Option<PathBuf>,
    /// Print the JSON report (the one --out writes as migration-report.json) to stdout
    #[arg(long, value_enum, default_value_t = MigrateFormat::Text)]
    format: MigrateFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MigrateFormat {
    /// Diagnostics and the plan on stderr
    Text,
    /// The versioned JSON report on stdout
    Json,
}

#[derive(clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    inputs: Inputs,
    #[command(flatten)]
    judging: Judging,
    /// How to report
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
    /// The lowest severity that fails the check
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Judge the Actions committed in DIR (written by `migrate --out DIR`): a stale or missing
    /// Action fails, and a finding whose marker was removed from the Action no longer does
    #[arg(long, value_name = "DIR")]
    actions: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    /// Diagnostics for a terminal
    Text,
    /// The versioned JSON report (the README documents it)
    Json,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// GitHub Actions annotations
    Github,
    /// JUnit XML, one test case per rule
    Junit,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(clap::Args)]
struct ReviewArgs {
    #[command(flatten)]
    inputs: Inputs,
    #[command(flatten)]
    judging: Judging,
    /// Where accepted Actions and the decisions (.rules2actions-review.json) go
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(clap::Args)]
struct VerifyArgs {
    #[command(flatten)]
    inputs: Inputs,
    #[command(flatten)]
    judging: Judging,
    /// Verify the Actions in DIR/actions/<name>/code.js instead of freshly generated ones
    #[arg(long, value_name = "DIR")]
    actions: Option<PathBuf>,
    /// Where the npm packages the rules require are installed (a folder with node_modules);
    /// the current directory by default
    #[arg(long, value_name = "DIR")]
    node_modules: Option<PathBuf>,
    /// More scenarios: a JSON array of objects merged over the base scenario, such as
    /// `[{"clientID": "abc", "user": {"app_metadata": {"roles": ["admin"]}}}]`
    #[arg(long, value_name = "FILE")]
    scenarios: Option<PathBuf>,
    /// How to report: text, or one JSON document on stdout
    #[arg(long, value_enum, default_value_t = MigrateFormat::Text)]
    format: MigrateFormat,
    /// The most scenarios the search tries per rule
    #[arg(long, value_name = "SCENARIOS", default_value_t = 256)]
    budget: usize,
    /// The most time the search spends per rule, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    budget_seconds: f64,
    /// With --format json: list every scenario tried and what each side did
    #[arg(long, requires = "format")]
    trace: bool,
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
enum InputFormatArg {
    /// `.js` rule files, or folders of them
    Plain,
    /// An auth0-deploy-cli repository in directory format (rules/, rules-configs/, hooks/)
    DeployCli,
    /// An auth0-deploy-cli repository in YAML format (tenant.yaml)
    Yaml,
    /// The JSON array `GET /api/v2/rules` or `GET /api/v2/hooks` returns
    ApiExport,
}

impl From<InputFormatArg> for InputFormat {
    fn from(arg: InputFormatArg) -> Self {
        match arg {
            InputFormatArg::Plain => InputFormat::Plain,
            InputFormatArg::DeployCli => InputFormat::DeployCli,
            InputFormatArg::Yaml => InputFormat::DeployCliYaml,
            InputFormatArg::ApiExport => InputFormat::ApiExport,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormatArg {
    /// auth0-deploy-cli directory format: actions/<name>.json, triggers/triggers.json
    DeployCli,
    /// auth0-deploy-cli YAML format: tenant.yaml
    Yaml,
    /// Terraform: auth0_action and auth0_trigger_actions resources
    Terraform,
}

impl From<OutputFormatArg> for OutputFormat {
    fn from(arg: OutputFormatArg) -> Self {
        match arg {
            OutputFormatArg::DeployCli => OutputFormat::DeployCli,
            OutputFormatArg::Yaml => OutputFormat::Yaml,
            OutputFormatArg::Terraform => OutputFormat::Terraform,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// How much a command prints.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// The global options, resolved.
struct Global {
    color: ColorChoice,
    verbosity: Verbosity,
    config: Option<PathBuf>,
}

impl Global {
    /// Whether to color what goes to stderr (or, with `stdout`, to stdout).
    fn color(&self, stdout: bool) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let terminal = if stdout {
                    std::io::stdout().is_terminal()
                } else {
                    std::io::stderr().is_terminal()
                };
                terminal && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }

    /// The options of every rule, from the flags of `judging`, the configuration file and the
    /// defaults.
    fn settings(
        &self,
        judging: &Judging,
        inputs: &Inputs,
        runtime: Option<Runtime>,
    ) -> Result<Settings, String> {
        let flags = Flags {
            config: self.config.as_deref(),
            claims_policy: judging.claims_policy.map(Into::into),
            namespace: judging.namespace.as_deref(),
            ignore: &judging.ignore,
            runtime,
            explain_failure: judging.explain_failure,
        };
        Settings::resolve(&flags, &inputs.paths)
    }
}

pub fn run() -> ExitCode {
    output::guarded(|| {
        let cli = Cli::parse();
        let global = Global {
            color: cli.global.color,
            verbosity: if cli.global.quiet {
                Verbosity::Quiet
            } else if cli.global.verbose {
                Verbosity::Verbose
            } else {
                Verbosity::Normal
            },
            config: cli.global.config,
        };
        match cli.command {
            Command::Migrate(args) => migrate::run(args, &global),
            Command::Check(args) => check::run(args, &global),
            Command::Review(args) => review::run(args, &global),
            Command::Verify(args) => verify::run(args, &global),
            Command::Explain { code } => explain(code.as_deref()),
        }
    })
}

/// `explain`: every code in order, in aligned columns; or one code's documentation.
fn explain(code: Option<&str>) -> ExitCode {
    let Some(key) = code else {
        let mut codes: Vec<_> = REGISTRY.iter().collect();
        codes.sort_by_key(|(_, info)| info.id);
        let name_width = codes.iter().map(|(_, i)| i.name.len()).max().unwrap_or(0);
        for (code, info) in &codes {
            outln!(
                "{}  {:<7}  {:<name_width$}  {}",
                info.id,
                code.severity(),
                info.name,
                info.summary
            );
        }
        errln!(
            "{} codes; `rules2actions explain CODE` shows one in full",
            codes.len()
        );
        return ExitCode::SUCCESS;
    };
    match Code::lookup(key) {
        Some(code) => {
            let info = code.info();
            outln!(
                "{} {} ({})\n\n{}\n\n{}",
                info.id,
                info.name,
                info.severity,
                info.summary,
                info.doc
            );
            ExitCode::SUCCESS
        }
        None => {
            errln!("error: unknown code `{key}`; `rules2actions explain` lists them all");
            ExitCode::from(2)
        }
    }
}
