//! The command line: `migrate`, `verify` and `explain`, with exit codes 0 (clean), 1 (manual
//! work needed) and 2 (usage, I/O or parse failure).

mod check;
mod migrate;
mod review;
mod rules;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

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

#[derive(clap::Args)]
struct MigrateArgs {
    /// Rule files, folders of them, an auth0-deploy-cli directory, or a Management API export
    /// (`GET /api/v2/rules` JSON)
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The format of the inputs; detected from each path when not given
    #[arg(long, value_enum)]
    input_format: Option<InputFormatArg>,
    /// Write the Actions in auth0-deploy-cli directory format to DIR: actions/<name>/code.js,
    /// actions/<name>.json and triggers/triggers.json
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The layout --out writes; by default the input's (YAML for a tenant.yaml, the directory
    /// format otherwise)
    #[arg(long, value_enum, requires = "out")]
    output_format: Option<OutputFormatArg>,
    /// The Node runtime of the Actions
    #[arg(long, default_value = "node22", value_name = "RUNTIME")]
    runtime: String,
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
    /// Replace files in DIR that rules2actions did not write, or that were edited since
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
struct CheckArgs {
    /// Rule files, folders of them, an auth0-deploy-cli repository, or a Management API export
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The format of the inputs; detected from each path when not given
    #[arg(long, value_enum)]
    input_format: Option<InputFormatArg>,
    /// How to report
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
    /// The lowest severity that fails the check
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// How non-namespaced claims are judged (see `migrate --help`)
    #[arg(long, value_enum, default_value_t = ClaimsPolicyArg::Enforced)]
    claims_policy: ClaimsPolicyArg,
    /// The namespace for restricted and non-namespaced claims (see `migrate --help`)
    #[arg(long, value_name = "URL")]
    namespace: Option<String>,
    /// Drift detection: compare the Actions committed in DIR (written by `migrate --out DIR`)
    /// with what the rules produce now; a stale or missing Action fails the check
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
    /// Rule files, folders of them, an auth0-deploy-cli repository, or a Management API export
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The format of the inputs; detected from each path when not given
    #[arg(long, value_enum)]
    input_format: Option<InputFormatArg>,
    /// Where accepted Actions and the decisions (.rules2actions-review.json) go
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(clap::Args)]
struct VerifyArgs {
    /// Rule files, folders of them, an auth0-deploy-cli directory, or a Management API export
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The format of the inputs; detected from each path when not given
    #[arg(long, value_enum)]
    input_format: Option<InputFormatArg>,
    /// Verify the Actions in DIR/actions/<name>/code.js instead of freshly generated ones
    #[arg(long, value_name = "DIR")]
    actions: Option<PathBuf>,
    /// How non-namespaced claims are treated by the tenant (see `migrate --help`)
    #[arg(long, value_enum, default_value_t = ClaimsPolicyArg::Enforced)]
    claims_policy: ClaimsPolicyArg,
    /// Where the npm packages the rules require are installed (a folder with node_modules);
    /// the current directory by default
    #[arg(long, value_name = "DIR")]
    node_modules: Option<PathBuf>,
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
enum InputFormatArg {
    /// `.js` rule files, or folders of them
    Plain,
    /// An auth0-deploy-cli repository in directory format (rules/, rules-configs/)
    DeployCli,
    /// An auth0-deploy-cli repository in YAML format (tenant.yaml)
    Yaml,
    /// The JSON array `GET /api/v2/rules` returns
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

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Migrate(args) => migrate::run(args),
        Command::Check(args) => check::run(args),
        Command::Review(args) => review::run(args),
        Command::Verify(args) => verify::run(args),
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
