//! `rules2actions verify`: proof by execution. Each Rule and its Action run side by side in
//! Node.js over scenarios found by search, and every difference in what the login does is
//! reported, with what was proven: how many of each side's branches the scenarios reached, and
//! every deny of the Rule that no scenario reached.
//!
//! - `worker.js` builds a Rules runtime (`configuration`, `UnauthorizedError`, the callback
//!   contract) or an Actions runtime (an `event` mapped from the same scenario, and a strict
//!   `api` that throws on members the post-login API does not have), in a contained process of
//!   its own per side (`sandbox.rs`).
//! - `probes.rs` instruments both for branch coverage; `scenarios.rs` makes the scenarios and
//!   their mutations; `search.rs` drives both workers until coverage stops growing or the
//!   budget is spent.
//! - Effects are compared after Auth0's claim filter. A difference is expected only where a
//!   finding announced it *and the Action still carries that finding's marker*, and never when
//!   the Action throws or times out where the Rule did not.

mod mutants;
mod probes;
mod sandbox;
mod scenarios;
mod search;

use std::path::PathBuf;

use serde_json::{json, Value};

pub use mutants::{mutants, Mutant};
pub use search::Budget;

use self::probes::{instrument, Instrumented, ProbeKind, Side};
use self::sandbox::{Worker, WorkerConfig};
use self::scenarios::Harvest;
use self::search::{Answer, RuleCache, Search};
use crate::finding::Finding;
use crate::markers::marker_text;
use crate::migrate::Migration;
use crate::options::ClaimsPolicy;
use crate::registry::{Code, Severity};
use crate::tables::claims::{OIDC_PROFILE_CLAIMS, RESTRICTED_CLAIMS};
use crate::tables::context::PROTOCOLS_THAT_CANNOT_REDIRECT;
use crate::tables::modules::SANDBOX_GLOBALS;
use crate::trigger::Failure;

/// One scenario on which the Rule and the Action did different things.
#[derive(Debug, Clone)]
pub struct Mismatch {
    pub scenario: Value,
    pub rule: String,
    pub action: String,
}

impl Mismatch {
    /// How the scenario differs from the base login.
    pub fn changes(&self) -> Vec<String> {
        scenarios::changes_from_base(&self.scenario)
    }
}

/// How much of one side the scenarios reached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SideCoverage {
    pub reached: usize,
    pub total: usize,
    /// Lines (1-based) of the branches no scenario reached.
    pub unreached: Vec<usize>,
    /// Lines of the denies no scenario reached.
    pub unreached_denies: Vec<usize>,
}

/// What the scenarios reached; `None` for a side whose code could not be instrumented.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    pub rule: Option<SideCoverage>,
    pub action: Option<SideCoverage>,
}

#[derive(Debug, Default)]
pub struct Verification {
    pub scenarios: usize,
    /// Differences no finding announced: bugs in the conversion.
    pub unexpected: Vec<Mismatch>,
    /// Differences a finding announced, with its codes.
    pub expected: Vec<(Mismatch, Vec<Code>)>,
    /// npm packages the rule needs that are not installed where `verify` runs: nothing ran.
    pub missing_packages: Vec<String>,
    /// The Action's effects on each user-written scenario, in order (JSON, or `throws: …`).
    pub given: Vec<String>,
    pub coverage: Coverage,
    /// Why the search stopped before it had tried everything, when a budget ended it.
    pub cut_short: Option<String>,
    /// Every scenario tried, in order, with what each side did.
    pub tried: Vec<Mismatch>,
}

/// What a verification proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every scenario behaved the same (or as a finding announced), and every deny of the Rule
    /// was reached.
    Equivalent,
    /// No difference, but a deny or error path of the Rule was never reached.
    NotProven,
    /// A difference no finding announced.
    Differs,
}

impl Verification {
    pub fn verdict(&self) -> Verdict {
        let unreached_denies = self
            .coverage
            .rule
            .as_ref()
            .is_some_and(|c| !c.unreached_denies.is_empty());
        if !self.unexpected.is_empty() {
            Verdict::Differs
        } else if unreached_denies {
            Verdict::NotProven
        } else {
            Verdict::Equivalent
        }
    }
}

#[derive(Debug)]
pub enum VerifyError {
    NodeMissing,
    NodeTooOld(String),
    Harness(String),
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::NodeMissing => f.write_str(
                "Node.js 20 or later is needed to run Rules and Actions: install it (for example from nodejs.org or your distribution) and make sure `node` is on the PATH",
            ),
            VerifyError::NodeTooOld(version) => write!(
                f,
                "Node.js {version} is too old: verify runs code under Node's permission model, which needs Node.js 20 or later"
            ),
            VerifyError::Harness(message) => write!(f, "the verification harness failed: {message}"),
        }
    }
}

/// How to run the comparison.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    pub claims_policy: ClaimsPolicy,
    /// User-written scenarios: partial scenario objects merged over the base scenario.
    pub scenarios: Vec<Value>,
    /// The folder whose `node_modules` holds the packages the rules require (default: the
    /// current directory).
    pub modules: Option<PathBuf>,
    pub budget: Budget,
}

/// Reads `--scenarios FILE`: a JSON array of scenario objects.
pub fn read_scenarios(text: &str) -> Result<Vec<Value>, String> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) if items.iter().all(Value::is_object) => Ok(items),
        Ok(_) => Err("the scenarios file must hold a JSON array of objects".into()),
        Err(e) => Err(format!("the scenarios file is not valid JSON: {e}")),
    }
}

/// Runs the migration's Rule and `action` side by side. The migration's findings whose markers
/// `action` still carries tell announced differences from unexpected ones.
pub fn verify(
    migration: &Migration,
    action: &str,
    options: &VerifyOptions,
) -> Result<Verification, VerifyError> {
    let mut verifier = Verifier::new(migration, options)?;
    verifier.check(action)
}

/// One Rule, checked against one Action or several (mutants of one, in the mutation test):
/// the Rule's worker and its answers are kept between Actions.
pub struct Verifier<'m> {
    migration: &'m Migration,
    options: VerifyOptions,
    rule: Worker,
    rule_probes: Option<Instrumented>,
    cache: RuleCache,
    modules: PathBuf,
    /// The migration's own Action, run beside an Action under test that is not it: a broadly
    /// announced difference is expected only where the Action under test does what the
    /// migration's Action does.
    reference: Option<Worker>,
    reference_answers: std::collections::HashMap<String, Answer>,
}

impl<'m> Verifier<'m> {
    pub fn new(
        migration: &'m Migration,
        options: &VerifyOptions,
    ) -> Result<Verifier<'m>, VerifyError> {
        let modules = match &options.modules {
            Some(dir) => dir.clone(),
            None => std::env::current_dir().map_err(|e| VerifyError::Harness(e.to_string()))?,
        };
        let modules = std::fs::canonicalize(&modules).unwrap_or(modules);
        let rule_probes = instrument(&migration.source, Side::Rule);
        let code = rule_probes
            .as_ref()
            .map_or_else(|| migration.source.clone(), |i| i.code.clone());
        let rule = Worker::start(WorkerConfig {
            side: "rule",
            code,
            settings: settings(migration, options),
            modules: modules.clone(),
        })?;
        Ok(Verifier {
            migration,
            options: options.clone(),
            rule,
            rule_probes,
            cache: RuleCache::default(),
            modules,
            reference: None,
            reference_answers: std::collections::HashMap::new(),
        })
    }

    /// Runs the Rule and `action` side by side.
    pub fn check(&mut self, action: &str) -> Result<Verification, VerifyError> {
        let action_probes = instrument(action, Side::Action);
        let code = action_probes
            .as_ref()
            .map_or_else(|| action.to_string(), |i| i.code.clone());
        let mut action_worker = Worker::start(WorkerConfig {
            side: "action",
            code,
            settings: settings(self.migration, &self.options),
            modules: self.modules.clone(),
        })?;
        let mut missing = self.rule.missing.clone();
        missing.extend(action_worker.missing.iter().cloned());
        missing.sort();
        missing.dedup();
        if !missing.is_empty() {
            return Ok(Verification {
                missing_packages: missing,
                ..Verification::default()
            });
        }
        let harvest = Harvest::of(&[&self.migration.source, action]);
        let initial = scenarios::initial(&harvest, &self.options.scenarios);
        let extra = self.options.scenarios.len();
        let extra_keys: Vec<String> = initial[initial.len() - extra..]
            .iter()
            .map(|s| serde_json::to_string(s).unwrap_or_default())
            .collect();
        // Only findings whose marker the Action under test still carries excuse anything.
        let excuses: Vec<&Finding> = self
            .migration
            .findings
            .iter()
            .filter(|f| f.severity() >= Severity::Warning && action.contains(&marker_text(f)))
            .collect();
        let generated = self.migration.output().filter(|g| *g != action);
        if let (Some(generated), None) = (generated, &self.reference) {
            self.reference = Some(Worker::start(WorkerConfig {
                side: "action",
                code: generated.to_string(),
                settings: settings(self.migration, &self.options),
                modules: self.modules.clone(),
            })?);
        }
        let per_scenario = self.options.budget.per_scenario;
        let reference = std::cell::RefCell::new((
            self.reference.as_mut().filter(|_| generated.is_some()),
            &mut self.reference_answers,
        ));
        // What the migration's own Action does in a scenario, when another Action is checked.
        let reference_of = |scenario: &Value| -> Option<Answer> {
            let mut guard = reference.borrow_mut();
            let (worker, answers) = &mut *guard;
            let worker = worker.as_mut()?;
            let key = serde_json::to_string(scenario).unwrap_or_default();
            if let Some(answer) = answers.get(&key) {
                return Some(answer.clone());
            }
            let answer = Answer::from_worker(
                worker.run(answers.len(), scenario, per_scenario),
                per_scenario,
            );
            answers.insert(key, answer.clone());
            Some(answer)
        };
        let classify = |scenario: &Value, rule: &Answer, action: &Answer| {
            announced_by(scenario, rule, action, &excuses, || reference_of(scenario))
        };
        let unexpected = |scenario: &Value, rule: &Answer, action: &Answer| {
            !rule.same_login(action) && classify(scenario, rule, action).is_none()
        };
        let searched = Search {
            rule: &mut self.rule,
            action: &mut action_worker,
            cache: &mut self.cache,
            harvest,
            budget: self.options.budget,
            rule_probes: self.rule_probes.as_ref().map_or(0, |i| i.probes.len()),
            action_probes: action_probes.as_ref().map_or(0, |i| i.probes.len()),
            unexpected: &unexpected,
        }
        .run(initial);
        let mut verification = Verification {
            scenarios: searched.compared.len(),
            coverage: Coverage {
                rule: self
                    .rule_probes
                    .as_ref()
                    .map(|i| side_coverage(i, &searched.rule_reached)),
                action: action_probes
                    .as_ref()
                    .map(|i| side_coverage(i, &searched.action_reached)),
            },
            cut_short: searched.cut_short,
            ..Verification::default()
        };
        for compared in &searched.compared {
            verification.tried.push(Mismatch {
                scenario: compared.scenario.clone(),
                rule: compared.rule.outcome.clone(),
                action: compared.action.outcome.clone(),
            });
            let key = serde_json::to_string(&compared.scenario).unwrap_or_default();
            if extra_keys.contains(&key) {
                verification.given.push(compared.action.outcome.clone());
            }
            if compared.rule.same_login(&compared.action) {
                continue;
            }
            let mismatch = Mismatch {
                scenario: compared.scenario.clone(),
                rule: compared.rule.outcome.clone(),
                action: compared.action.outcome.clone(),
            };
            match classify(&compared.scenario, &compared.rule, &compared.action) {
                Some(codes) => verification.expected.push((mismatch, codes)),
                None => verification.unexpected.push(mismatch),
            }
        }
        Ok(verification)
    }
}

/// The tables and choices both workers need.
fn settings(migration: &Migration, options: &VerifyOptions) -> Value {
    let sandbox: serde_json::Map<String, Value> = SANDBOX_GLOBALS
        .iter()
        .map(|g| (g.name.to_string(), Value::from(g.package)))
        .collect();
    let dependencies: Vec<&str> = migration
        .dependencies
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    let trigger = migration.trigger;
    let api: serde_json::Map<String, Value> = trigger
        .api
        .iter()
        .map(|object| (object.name.to_string(), json!(object.methods)))
        .collect();
    // A Hook's side needs its callback contract: the error classes in scope and what they did.
    let hook = trigger.is_hook().then(|| {
        let contract = &trigger.callback;
        let failure = match contract.failure {
            Failure::Deny { code } => json!({ "kind": "deny", "code": code }),
            Failure::Throw => json!({ "kind": "throw" }),
        };
        let classes: Vec<Value> = contract
            .error_classes
            .iter()
            .map(|c| json!({ "name": c.name, "code": c.code, "arguments": c.arguments }))
            .collect();
        json!({ "failure": failure, "errorClasses": classes })
    });
    json!({
        "trigger": {
            "id": trigger.id,
            "handler": trigger.handler,
            "resumeHandler": trigger.resume_handler,
            "api": api,
            "deny": trigger.deny_arguments(),
            "hook": hook,
        },
        "movedSecrets": moved_credentials(migration),
        "claimsPolicy": match options.claims_policy {
            ClaimsPolicy::Enforced => "enforced",
            ClaimsPolicy::Relaxed => "relaxed",
        },
        "restricted": RESTRICTED_CLAIMS,
        "oidc": OIDC_PROFILE_CLAIMS,
        "sandboxGlobals": sandbox,
        "cannotRedirect": PROTOCOLS_THAT_CANNOT_REDIRECT,
        "dependencies": dependencies,
    })
}

/// The credentials the migration moved out of the code into secrets (`R2A914`), with the
/// values the rule had: deployed, the secrets hold them.
fn moved_credentials(migration: &Migration) -> serde_json::Map<String, Value> {
    migration
        .findings
        .iter()
        .filter(|f| f.code == Code::CredentialInCode)
        .filter_map(|f| {
            let edit = f.fix.as_ref()?.first()?;
            let name = edit.replacement.rsplit_once(".secrets.")?.1.to_string();
            let literal = migration.source.get(f.span.range())?;
            let value = literal.get(1..literal.len().checked_sub(1)?)?;
            Some((name, Value::from(value)))
        })
        .collect()
}

fn side_coverage(instrumented: &Instrumented, reached: &[bool]) -> SideCoverage {
    let mut coverage = SideCoverage {
        total: instrumented.probes.len(),
        ..SideCoverage::default()
    };
    for (probe, reached) in instrumented.probes.iter().zip(reached) {
        if *reached {
            coverage.reached += 1;
            continue;
        }
        if !coverage.unreached.contains(&probe.line) {
            coverage.unreached.push(probe.line);
        }
        if probe.kind == ProbeKind::Deny && !coverage.unreached_denies.contains(&probe.line) {
            coverage.unreached_denies.push(probe.line);
        }
    }
    coverage
}

/// The findings that announced this difference, if any did: each announces one kind of
/// difference only (`R2A101` the error code, `R2A411` the scopes, `R2A307` a user without
/// metadata, …), so a finding never excuses an unrelated change. An Action that fails (throws
/// or times out) where the Rule did not is never excused: no finding announces a broken login.
fn announced_by(
    scenario: &Value,
    rule: &Answer,
    action: &Answer,
    findings: &[&Finding],
    reference: impl FnOnce() -> Option<Answer>,
) -> Option<Vec<Code>> {
    if action.failed() && !rule.failed() {
        return None;
    }
    let differing = differing_effects(&rule.outcome, &action.outcome).unwrap_or_default();
    let protocol = scenario["protocol"].as_str().unwrap_or_default();
    let absent = |kind: &str| scenario["user"].get(kind).is_none();
    let truthy = |value: &Value| {
        !matches!(value, Value::Null | Value::Bool(false))
            && *value != json!(0)
            && *value != json!("")
    };
    // Whatever a finding announces, an Action under test that does otherwise than the
    // migration's own Action in this scenario has a difference of its own.
    if reference().is_some_and(|r| r.outcome != action.outcome) {
        return None;
    }
    // A namespace of `Auth0UserUpdateUtilities` that holds a value other than an object.
    let namespace_not_object = findings
        .iter()
        .filter(|f| f.code == Code::RuleUtilitiesNamespace)
        .filter_map(|f| namespace_in(&f.message))
        .any(|namespace| {
            ["app_metadata", "user_metadata"].iter().any(|kind| {
                let value = &scenario["user"][kind][namespace.as_str()];
                !value.is_null() && !value.is_object()
            })
        });
    // What each finding explains: some effects of any scenario, or any effect of some scenarios.
    let explains = |code: Code| -> Explains {
        if code.severity() == Severity::Error {
            // Code left for a human behaves differently until someone fixes it.
            return Explains::Everything;
        }
        let when = |applies: bool| {
            if applies {
                Explains::Everything
            } else {
                Explains::Nothing
            }
        };
        match code {
            Code::UnauthorizedBecomesAccessDenied => Explains::Effects(&["error"]),
            Code::ErrorValueOfUnknownType => Explains::Effects(&["denied", "error"]),
            Code::ScopesComputed => Explains::Effects(&["scopes"]),
            Code::ClaimsObjectReplaced => Explains::Effects(&["idToken", "accessToken", "scopes"]),
            Code::RememberBrowserMadeExplicit => Explains::Effects(&["mfa"]),
            // The token exchange the Action adds is an extra call; when it fails (a scenario
            // can say so), everything after it may differ.
            Code::ManagementApiFromClientCredentials if token_exchange_fails(scenario) => {
                Explains::Everything
            }
            Code::ManagementApiFromClientCredentials => Explains::Effects(&["http", "sent"]),
            // A copy of `context` without the members Actions lack goes where the rule sent it.
            Code::ContextView => Explains::Effects(&["sent"]),
            // The Hook's bare id and the Action's full one may go anywhere the code sends it.
            Code::HookUserIdPrefixed => Explains::Everything,
            // A user without metadata: the Rule failed (or caught its own failure).
            Code::MetadataNeverMissing => when(absent("app_metadata") || absent("user_metadata")),
            Code::MetadataUpdateBatched => when(truthy(&scenario["managementApiFails"])),
            Code::CallbackNeverCalled | Code::CallbackMissedOnSomePath => {
                when(rule.outcome.contains("\"error\":\"timeout\""))
            }
            Code::RedirectGuardBecomesCanRedirect => when(
                PROTOCOLS_THAT_CANNOT_REDIRECT.contains(&protocol)
                    || scenario["request"]["query"]["prompt"] == json!("none"),
            ),
            Code::RedirectTokenValidated | Code::ResumeRunsNothing => {
                when(protocol == "redirect-callback")
            }
            Code::RuleUtilitiesNamespace => when(namespace_not_object),
            // Shapes and statements after the callback change what the code computes.
            Code::ShapeChanges | Code::CodeAfterCallback | Code::ProtocolValueAbsent => {
                Explains::Everything
            }
            _ => Explains::Nothing,
        }
    };
    let present: Vec<Code> = {
        let mut codes: Vec<Code> = findings.iter().map(|f| f.code).collect();
        codes.sort();
        codes.dedup();
        codes
    };
    let mut explained: Vec<&str> = Vec::new();
    let mut codes: Vec<Code> = Vec::new();
    for code in present {
        match explains(code) {
            Explains::Everything => return Some(vec![code]),
            Explains::Effects(keys) if keys.iter().any(|k| differing.iter().any(|d| d == k)) => {
                explained.extend(keys);
                codes.push(code);
            }
            Explains::Effects(_) | Explains::Nothing => {}
        }
    }
    let all_explained =
        !differing.is_empty() && differing.iter().all(|d| explained.contains(&d.as_str()));
    if !all_explained {
        return None;
    }
    codes.sort();
    codes.dedup();
    (!codes.is_empty()).then_some(codes)
}

/// `terms` in the message of `R2A611`: "… under `app_metadata.terms` …".
fn namespace_in(message: &str) -> Option<String> {
    let start = message.find("`app_metadata.")? + "`app_metadata.".len();
    let length = message[start..].find('`')?;
    Some(message[start..start + length].to_string())
}

/// Whether the scenario makes the tenant's token endpoint fail.
fn token_exchange_fails(scenario: &Value) -> bool {
    scenario["http"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|answer| {
            answer["url"]
                .as_str()
                .is_some_and(|url| url.ends_with("/oauth/token"))
                && (answer.get("error").is_some()
                    || answer["status"].as_u64().is_some_and(|s| s != 200))
        })
}

/// What a finding explains about a difference.
enum Explains {
    /// A difference in these effects, in any scenario.
    Effects(&'static [&'static str]),
    /// Any difference, in this scenario.
    Everything,
    Nothing,
}

/// The effects (top-level keys) in which two outcomes differ; `None` unless both are effects.
fn differing_effects(rule: &str, action: &str) -> Option<Vec<String>> {
    let parse = |text: &str| serde_json::from_str::<Value>(text).ok();
    let (Some(Value::Object(rule)), Some(Value::Object(action))) = (parse(rule), parse(action))
    else {
        return None;
    };
    let mut keys: Vec<String> = rule
        .keys()
        .chain(action.keys())
        .filter(|k| rule.get(*k) != action.get(*k))
        .cloned()
        .collect();
    keys.sort();
    keys.dedup();
    Some(keys)
}
