//! One rule in, one Action (or a failure) out, with every finding.

use crate::edit::{apply, Edit};
use crate::finding::Finding;
use crate::input::{check_complexity, decode};
use crate::markers::marker_edits;
pub use crate::model::{Claim, Dependency, SharedState};
use crate::options::Options;
use crate::parse::{check_script, parse_rule, Parsed};
use crate::recovery::{recover, Groups, LeftOut};
use crate::registry::{Code, Severity};
use crate::rewrite::{self, rewrite, Mode};
use crate::span::{line_start, Span};
use crate::stack::{with_big_stack, RULE_THREAD_STACK};
use crate::suppress::suppress;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Converted(String),
    /// The input is already an Action and is left as it is.
    AlreadyAction,
    /// Nothing usable was produced; the findings say why.
    Failed,
}

#[derive(Debug, Clone)]
pub struct Migration {
    /// The rule's text (lossily decoded when it was not UTF-8).
    pub source: String,
    /// The trigger the Action is written for.
    pub trigger: &'static crate::trigger::Trigger,
    pub outcome: Outcome,
    pub findings: Vec<Finding>,
    pub secrets: Vec<String>,
    pub dependencies: Vec<Dependency>,
    pub claims: Vec<Claim>,
    /// What the rule shares with other rules of the pipeline.
    pub shared: SharedState,
    /// The edits that turned the source into the output, markers included.
    pub edits: Vec<Edit>,
    /// Findings suppressed by `--ignore`, the configuration or a `rules2actions-ignore` comment.
    pub suppressed: Vec<Finding>,
}

/// How far a rule got, for summaries and exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Converted with nothing to review.
    Converted,
    /// Converted; warnings say where behaviour may differ.
    NeedsReview,
    /// Converted in part; error findings mark code left for a human.
    ManualWork,
    AlreadyAction,
    Failed,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Converted => "converted",
            Status::NeedsReview => "needs review",
            Status::ManualWork => "needs manual work",
            Status::AlreadyAction => "already an Action",
            Status::Failed => "failed",
        }
    }
}

impl Migration {
    pub fn status(&self) -> Status {
        let worst = self.findings.iter().map(|f| f.severity()).max();
        match (&self.outcome, worst) {
            (Outcome::Failed, _) => Status::Failed,
            (Outcome::AlreadyAction, _) => Status::AlreadyAction,
            (Outcome::Converted(_), Some(Severity::Error)) => Status::ManualWork,
            (Outcome::Converted(_), Some(Severity::Warning)) => Status::NeedsReview,
            (Outcome::Converted(_), _) => Status::Converted,
        }
    }

    /// Drops the Action's text and the edits that made it, keeping the findings and what the
    /// pipeline analysis reads: for a caller that reports findings only (`check`), so that a
    /// large run holds no more than that. [`Migration::output`] is empty afterwards.
    pub fn keep_findings_only(&mut self) {
        self.forget_edits();
        if let Outcome::Converted(code) = &mut self.outcome {
            *code = String::new();
        }
    }

    /// Drops the edits that made the Action, for a caller that uses the text alone (`migrate`),
    /// and the spare room of what it keeps: a large run holds every migration until the end.
    pub fn forget_edits(&mut self) {
        self.edits = Vec::new();
        if let Outcome::Converted(code) = &mut self.outcome {
            code.shrink_to_fit();
        }
        self.findings.shrink_to_fit();
    }

    /// The Action text: the converted code, or the input when it already was an Action.
    pub fn output(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::Converted(code) => Some(code),
            Outcome::AlreadyAction => Some(&self.source),
            Outcome::Failed => None,
        }
    }

    fn failed(source: String, finding: Finding) -> Self {
        Migration::unconverted(source, Outcome::Failed, finding)
    }

    /// A rule the tool did not rewrite, and the one finding that says why.
    fn unconverted(source: String, outcome: Outcome, finding: Finding) -> Self {
        Migration {
            source,
            trigger: crate::trigger::RULES,
            outcome,
            findings: vec![finding],
            secrets: Vec::new(),
            dependencies: Vec::new(),
            claims: Vec::new(),
            shared: SharedState::default(),
            edits: Vec::new(),
            suppressed: Vec::new(),
        }
    }
}

/// Migrates one rule, on a thread whose stack fits the nesting cap.
pub fn migrate_rule(bytes: &[u8]) -> Migration {
    migrate_rule_with(bytes, &Options::default())
}

pub fn migrate_rule_with(bytes: &[u8], options: &Options) -> Migration {
    with_big_stack(|| migrate_on_this_thread(bytes, options))
}

/// Migrates many rules on every core, each worker on a big-stack thread; results keep the
/// order of `inputs`.
pub fn migrate_rules<B: AsRef<[u8]> + Sync>(inputs: &[B], options: &Options) -> Vec<Migration> {
    migrate_rules_each(inputs, |_| options)
}

/// [`migrate_rules`] with options of its own for each rule (by index in `inputs`).
pub fn migrate_rules_each<'o, B: AsRef<[u8]> + Sync>(
    inputs: &[B],
    options: impl Fn(usize) -> &'o Options + Sync,
) -> Vec<Migration> {
    migrate_rules_reporting(inputs, options, &|_| {})
}

/// [`migrate_rules_each`], handing each migration to `done` on its worker as soon as it is
/// made: for a progress bar, and to let a caller drop what it will not use before the next
/// rule's migration adds to the memory held.
pub fn migrate_rules_reporting<'o, B: AsRef<[u8]> + Sync>(
    inputs: &[B],
    options: impl Fn(usize) -> &'o Options + Sync,
    done: &(dyn Fn(&mut Migration) + Sync),
) -> Vec<Migration> {
    on_workers(inputs.iter().collect(), &|index, bytes: &B| {
        let mut migration = migrate_on_this_thread(bytes.as_ref(), options(index));
        done(&mut migration);
        migration
    })
}

/// [`migrate_rules_reporting`] for a caller that needs the inputs no more: each is dropped
/// once migrated, so a large run never holds every rule's text twice.
pub fn migrate_rules_consuming<'o>(
    inputs: Vec<Vec<u8>>,
    options: impl Fn(usize) -> &'o Options + Sync,
    done: &(dyn Fn(&mut Migration) + Sync),
) -> Vec<Migration> {
    on_workers(inputs, &|index, bytes: Vec<u8>| {
        let mut migration = migrate_on_this_thread(&bytes, options(index));
        drop(bytes);
        done(&mut migration);
        migration
    })
}

/// `migrate(index, input)` for every input, on every core, each worker on a big-stack thread;
/// results keep the order of `inputs`.
fn on_workers<T: Send>(
    inputs: Vec<T>,
    migrate: &(dyn Fn(usize, T) -> Migration + Sync),
) -> Vec<Migration> {
    let total = inputs.len();
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(total.max(1));
    let chunk = total.div_ceil(workers).max(1);
    let mut parts: Vec<Vec<T>> = Vec::new();
    let mut inputs = inputs.into_iter();
    loop {
        let part: Vec<T> = inputs.by_ref().take(chunk).collect();
        if part.is_empty() {
            break;
        }
        parts.push(part);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .enumerate()
            .map(|(n, part)| {
                std::thread::Builder::new()
                    .name("rules2actions-worker".into())
                    .stack_size(RULE_THREAD_STACK)
                    .spawn_scoped(scope, move || {
                        part.into_iter()
                            .enumerate()
                            .map(|(i, input)| migrate(n * chunk + i, input))
                            .collect::<Vec<_>>()
                    })
                    .expect("spawn a worker thread")
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// The caller guarantees a stack large enough for `input::MAX_NESTING`. A panic while
/// migrating one rule fails that rule alone, as an internal error, and never the whole run.
pub fn migrate_on_this_thread(bytes: &[u8], options: &Options) -> Migration {
    let attempt = std::panic::catch_unwind(|| migrate_contained(bytes, options));
    attempt.unwrap_or_else(|payload| {
        Migration::failed(
            String::from_utf8_lossy(bytes).into_owned(),
            Finding::new(
                Code::InvalidOutput,
                Span::empty(0),
                format!(
                    "internal error while converting this rule: {}",
                    panic_message(payload.as_ref())
                ),
            ),
        )
    })
}

/// The text a panic carried, for an internal-error message.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

fn migrate_contained(bytes: &[u8], options: &Options) -> Migration {
    let text = match decode(bytes) {
        Ok(text) => text,
        Err(refusal) => {
            let source = String::from_utf8_lossy(bytes).into_owned();
            return Migration::failed(
                source,
                Finding::new(refusal.code, refusal.span, refusal.message),
            );
        }
    };
    migrate_text(text, options)
}

fn migrate_text(text: &str, options: &Options) -> Migration {
    migrate_source(text, options, Expansion::Allowed)
}

/// Whether a rule may still have its `@auth0/rule-utilities` calls expanded
/// ([`rewrite::rule_utilities`]), or is that expansion, with findings about it (spans in it).
enum Expansion<'f> {
    Allowed,
    Done(&'f [Finding]),
}

fn migrate_source(text: &str, options: &Options, expansion: Expansion<'_>) -> Migration {
    let source = text.to_string();
    if let Err(refusal) = check_complexity(text) {
        return Migration::failed(
            source,
            Finding::new(refusal.code, refusal.span, refusal.message),
        );
    }
    let (parsed, offsets) = match parse_rule(text) {
        Ok(parsed) => parsed,
        Err(error) => {
            return Migration::failed(
                source,
                Finding::new(Code::SyntaxError, error.span, error.message)
                    .with_help("fix the rule's syntax; nothing was converted"),
            )
        }
    };
    let rule = match parsed {
        Parsed::Rule(rule) => rule,
        Parsed::Action(script) => {
            let trigger = crate::action_check::trigger_of(&script);
            let mut migration = Migration::unconverted(
                source,
                Outcome::AlreadyAction,
                Finding::new(
                    Code::AlreadyAnAction,
                    Span::empty(0),
                    format!("already a {} Action; left unchanged", trigger.id),
                ),
            );
            migration.trigger = trigger;
            migration.findings.extend(crate::action_check::check_action(
                &script,
                offsets,
                trigger,
                options.claims_policy,
            ));
            if let Some(runtime) = options
                .declared_runtime
                .as_deref()
                .filter(|r| !crate::tables::limits::RUNTIMES.contains(r))
            {
                migration.findings.push(
                    Finding::new(
                        Code::RuntimeUnsupported,
                        Span::empty(0),
                        format!(
                            "its metadata names the runtime `{runtime}`; Actions run on {}",
                            crate::tables::limits::RUNTIMES.join(" or ")
                        ),
                    )
                    .with_help("set `\"runtime\": \"node22\"` in its actions/<name>.json"),
                );
            }
            let (dependencies, secrets) =
                crate::action_check::used_dependencies_and_secrets(&script, migration.trigger);
            migration.findings.extend(limit_findings(
                text,
                Span::empty(0),
                &secrets,
                &dependencies,
            ));
            return migration;
        }
        Parsed::Other => {
            return Migration::failed(
                source,
                Finding::new(
                    Code::NotARule,
                    Span::new(0, text.len().min(text.find('\n').unwrap_or(text.len()))),
                    "expected a single function `function (user, context, callback) { … }`",
                ),
            )
        }
    };
    let trigger = match options.trigger {
        Some(trigger) => trigger,
        None => match crate::trigger::by_signature(rule.function.params.len(), text, options.hook) {
            Some(trigger) => trigger,
            None => {
                return Migration::failed(
                    source,
                    Finding::new(
                        Code::HookPointUnknown,
                        Span::empty(rule.span.start),
                        "a Hook whose extensibility point is not known: its signature is the same for several",
                    )
                    .with_help("name its `triggerId` (pre-user-registration, post-user-registration or post-change-password) in a deploy-cli `hooks/<name>.json` beside it, or migrate the tenant.yaml or export it came from"),
                )
            }
        },
    };
    let with_trigger;
    // A trigger told by the signature travels with the options, to the rewrite.
    let options = if options.trigger.is_some() || std::ptr::eq(trigger, crate::trigger::RULES) {
        options
    } else {
        with_trigger = Options {
            trigger: Some(trigger),
            ..options.clone()
        };
        &with_trigger
    };
    if let Some(problem) = rewrite::signature_problem(&rule, offsets, trigger) {
        return Migration::failed(source, problem);
    }
    let extra: Vec<Finding> = match expansion {
        Expansion::Allowed => match rewrite::rule_utilities::expand(text, &rule, offsets) {
            None => Vec::new(),
            Some(Err(refused)) => vec![refused],
            Some(Ok(expanded)) => match migrate_expanded(text, expanded, options) {
                Some(migration) => return migration,
                None => Vec::new(),
            },
        },
        Expansion::Done(findings) => findings.to_vec(),
    };

    // The full rewrite, recovered statement by statement when its edits do not fit; then
    // the conservative form (the whole body inside the callback shim); only when both fail is
    // the rule an internal error.
    let mut broken = None;
    for mode in [Mode::Full, Mode::Conservative] {
        let mut result = rewrite(text, &rule, offsets, options, mode);
        result.findings.extend(extra.iter().cloned());
        match assemble(text, &rule, offsets, options, result) {
            Ok(migration) => return migration,
            Err(text) => broken = broken.or(Some(text)),
        }
    }
    let broken = broken.unwrap_or_default();
    let mut finding = Finding::new(
        Code::InvalidOutput,
        rule.span,
        format!("the generated Action does not parse: {}", broken.message),
    );
    finding = match (&broken.text, options.explain_failure) {
        (Some(text), true) => finding.with_help(format!("the text that did not parse:\n{text}")),
        _ => finding.with_help("run again with `--explain-failure` to see the text that did not parse, and please report the rule"),
    };
    Migration::failed(source, finding)
}

/// The migration of a rule whose `@auth0/rule-utilities` calls were expanded, told in terms of
/// the rule as written: its source, spans, edits and the handler's own `api` name. `None` when
/// the expansion does not convert, and the rule is migrated as written instead.
fn migrate_expanded(
    text: &str,
    expanded: rewrite::rule_utilities::Expanded,
    options: &Options,
) -> Option<Migration> {
    let applied = crate::edit::Applied::new(&expanded.edits);
    let in_expansion: Vec<Finding> = expanded
        .findings
        .iter()
        .map(|f| {
            let mut f = f.clone();
            f.span = applied.span_to_edited(f.span);
            f
        })
        .chain(expanded.in_text.iter().cloned())
        .collect();
    let mut migration = migrate_source(&expanded.text, options, Expansion::Done(&in_expansion));
    let Outcome::Converted(code) = &migration.outcome else {
        return None;
    };
    migration.outcome = Outcome::Converted(rewrite::rule_utilities::resolve_placeholders(code));
    migration.edits = applied
        .compose(&expanded.text, &migration.edits)
        .into_iter()
        .map(|mut e| {
            e.replacement = rewrite::rule_utilities::resolve_placeholders(&e.replacement);
            e
        })
        .collect();
    for finding in migration
        .findings
        .iter_mut()
        .chain(&mut migration.suppressed)
    {
        finding.span = applied.span_to_original(finding.span);
        finding.fix = finding
            .fix
            .take()
            .map(|fix| applied.compose(&expanded.text, &fix));
    }
    migration.source = text.to_string();
    Some(migration)
}

/// `R2A955` for each Actions limit the Action is over.
fn limit_findings(
    text: &str,
    header: Span,
    secrets: &std::collections::BTreeSet<String>,
    dependencies: &std::collections::BTreeMap<String, Option<String>>,
) -> Vec<Finding> {
    use crate::tables::limits::{
        CODE_BYTES_PER_ACTION, DEPENDENCIES_PER_ACTION, SECRETS_PER_ACTION,
    };
    let at = Span::new(header.start, header.start);
    let mut over = Vec::new();
    if dependencies.len() > DEPENDENCIES_PER_ACTION {
        over.push(format!(
            "{} npm dependencies (the limit is {DEPENDENCIES_PER_ACTION})",
            dependencies.len()
        ));
    }
    if secrets.len() > SECRETS_PER_ACTION {
        over.push(format!(
            "{} secrets (the limit is {SECRETS_PER_ACTION})",
            secrets.len()
        ));
    }
    if text.len() > CODE_BYTES_PER_ACTION {
        over.push(format!(
            "{} kB of code (the limit is 100 kB)",
            text.len() / 1000
        ));
    }
    over.into_iter()
        .map(|what| {
            Finding::new(
                Code::ActionLimitExceeded,
                at,
                format!("the Action has {what}: Auth0 will not save it"),
            )
            .with_help("split the rule, or replace dependencies with built-ins (`fetch`, `crypto`)")
        })
        .collect()
}

/// Why no Action came out of one rewrite: the parser's message and the text it refused.
#[derive(Default)]
struct Broken {
    message: String,
    text: Option<String>,
}

/// The Action from one rewrite: its edits and markers applied, re-parsed, and when that fails,
/// with the rewrites of the statements responsible left out ([`recovery`]), each reported.
fn assemble(
    text: &str,
    rule: &crate::parse::RuleFunction,
    offsets: crate::parse::Offsets,
    options: &Options,
    result: rewrite::Rewrite,
) -> Result<Migration, Broken> {
    if let Some(message) = result.internal_error {
        return Err(Broken {
            message,
            text: None,
        });
    }
    let mut found = result.findings;
    found.extend(limit_findings(
        text,
        rule.span,
        &result.secrets,
        &result.dependencies,
    ));
    let (mut findings, suppressed) = suppress(text, found, &options.ignore);
    findings.sort_by_key(|f| (f.span.start, f.code));
    let body = rule
        .function
        .body
        .as_ref()
        .map_or(rule.span, |b| offsets.span(b.span));
    let mut first_failure: Option<Broken> = None;
    let mut build = |edits: &[Edit],
                     left_out: &[LeftOut]|
     -> Option<(String, Vec<Edit>, Vec<Finding>)> {
        let mut findings = findings.clone();
        findings.extend(left_out.iter().map(|left| {
            Finding::new(
                Code::RewriteLeftOut,
                left.statement,
                format!(
                    "this statement is left as the Rule wrote it: {} rewrites in it did not fit together",
                    left.names()
                ),
            )
            .with_help("convert it by hand (the findings inside it say what each part becomes), and please report the rule")
        }));
        findings.sort_by_key(|f| (f.span.start, f.code));
        let in_place: Vec<Finding> = findings
            .iter()
            .filter(|f| !result.moved.iter().any(|m| m.contains(f.span)))
            .cloned()
            .collect();
        let mut edits = edits.to_vec();
        edits.extend(marker_edits(
            text,
            &in_place,
            &result.statements,
            &edits,
            line_start(text, rule.span.start),
        ));
        let failure = match apply(text, &edits) {
            Ok(output) => match check_script(&output) {
                Ok(()) => return Some((output, edits, findings)),
                Err(error) => Broken {
                    message: error.message,
                    text: Some(output),
                },
            },
            Err(overlap) => Broken {
                message: format!("overlapping edits: {overlap:?}"),
                text: None,
            },
        };
        first_failure.get_or_insert(failure);
        None
    };
    let built = match build(&result.edits, &[]) {
        Some(built) => Some(built),
        None => {
            let groups = Groups::new(&result.edits, &result.statements, body);
            recover(&groups, &mut build).map(|r| r.built)
        }
    };
    let Some((output, edits, findings)) = built else {
        return Err(first_failure.unwrap_or_default());
    };
    Ok(Migration {
        source: text.to_string(),
        trigger: result.trigger,
        outcome: Outcome::Converted(output),
        findings,
        secrets: result.secrets.into_iter().collect(),
        dependencies: result
            .dependencies
            .into_iter()
            .map(|(name, version)| Dependency { name, version })
            .collect(),
        claims: result.claims,
        shared: crate::facts::shared_state(rule),
        edits,
        suppressed,
    })
}
