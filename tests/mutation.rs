//! The mutation score of `verify`: the corpus' own migrated Actions, each mutated with the bugs
//! that matter (`rules2actions::verify::mutants`: a dropped deny, a negated or weakened
//! condition, a lost claim, metadata update or MFA option, a renamed claim, a changed compared
//! literal, a dropped `await`), are run against their Rules. A mutant `verify` does not report
//! as differing survives; every survivor is listed below with the reason it is not a behaviour
//! change (an equivalent mutant) or what `verify` cannot see (a blind spot).

mod common;

use rules2actions::verify::{mutants, Verdict, Verifier, VerifyOptions};
use rules2actions::{migrate_rule, Outcome, Status};

/// Why a mutant survives.
#[derive(Debug, Clone, Copy)]
enum Why {
    /// The mutant does what the Rule does: not a behaviour change.
    Equivalent(&'static str),
    /// A behaviour change `verify` does not see.
    BlindSpot(&'static str),
}

use Why::{BlindSpot, Equivalent};

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Equivalent(why) => write!(f, "equivalent: {why}"),
            BlindSpot(why) => write!(f, "blind spot: {why}"),
        }
    }
}

const ONLY_LOGS: Why = Equivalent("the branch only logs");
const TIMESTAMP_SHAPE: Why = BlindSpot(
    "everything after line 9 leads to the claim that the authentication timestamp guards, and \
     R2A205 announces every difference there (the timestamp is an ISO string in Actions)",
);
const TOKEN_STATE: Why = BlindSpot(
    "code after `api.redirect.validateToken`: a token the Action accepts carries the \
     transaction's `state`, which no scenario can forge, so the continuation never gets past it",
);

/// Every survivor: `(rule, operator, line, why)`.
const SURVIVORS: &[(&str, &str, usize, Why)] = &[
    ("callback-error-variable", "negate-condition", 21, ONLY_LOGS),
    ("callback-missed-on-unverified-path", "negate-condition", 5, Equivalent(
        "both branches let the user in; the Rule's timeout on one of them is announced by R2A109",
    )),
    ("callback-null-and-empty", "negate-condition", 4, ONLY_LOGS),
    ("claims-computed-in-loop", "weaken-condition", 13, BlindSpot(
        "lists with a null member: the search fills lists with strings and records, never null",
    )),
    ("claims-user-field-then-claim", "negate-condition", 7, ONLY_LOGS),
    ("claims-user-field-then-claim", "change-literal", 7, ONLY_LOGS),
    ("context-behaviour-traps", "negate-condition", 9, TIMESTAMP_SHAPE),
    ("context-behaviour-traps", "change-literal", 9, TIMESTAMP_SHAPE),
    ("context-behaviour-traps", "change-literal", 13, TIMESTAMP_SHAPE),
    ("context-behaviour-traps", "drop-call", 15, TIMESTAMP_SHAPE),
    ("context-behaviour-traps", "rename-claim", 15, TIMESTAMP_SHAPE),
    ("context-lodash-audit-payload", "negate-condition", 29, ONLY_LOGS),
    ("context-lodash-audit-payload", "change-literal", 29, ONLY_LOGS),
    ("context-geoip-dynamic-key", "change-literal", 32, BlindSpot(
        "a login without geoip data: the workers' `event.request.geoip` always has its ten keys",
    )),
    ("mfa-directory-group-stepup", "weaken-condition", 9, Equivalent(
        "`event.client.metadata` is always an object in Actions",
    )),
    ("mfa-guardian-employees", "drop-option", 9, Equivalent(
        "the Rule set no `allowRememberBrowser`; without the option the Action takes the \
         platform's default as the Rule did (the explicit `false` is R2A701's choice)",
    )),
    ("mgmt-cached-client-credentials-token", "weaken-condition", 15, BlindSpot(
        "state kept between logins: each scenario runs a fresh instance, so a cached token \
         never expires",
    )),
    ("mgmt-cached-client-credentials-token", "change-literal", 46, BlindSpot(
        "the budget: status 300 from the role assignment needs a first login, no roles and an \
         answer for each call; 256 scenarios end before it",
    )),
    ("mfa-risk-score-lookup", "change-literal", 55, BlindSpot(
        "the budget: the risk engine answering `level: \"medium\"` is one of many body values, \
         and the four written scenarios' variants use up the 256 first",
    )),
    ("metadata-crm-contact-after-callback", "drop-await", 26, Equivalent(
        "the update request is sent whether or not its answer is awaited; only the log line differs",
    )),
    ("metadata-crm-contact-after-callback", "negate-condition", 31, Equivalent(
        "the update was sent before the check; a throw after it only reaches the rule's logging `.catch`",
    )),
    ("metadata-crm-contact-after-callback", "weaken-condition", 55, BlindSpot(
        "R2A913 announces every difference in the requests the Action makes, and the extra \
         update after a failed CRM call stores nothing (`body.id` is undefined)",
    )),
    ("modules-scoped-slack-webhook", "negate-condition", 7, Equivalent(
        "neither branch has an effect: the webhook client is only constructed",
    )),
    ("modules-scoped-slack-webhook", "change-literal", 7, Equivalent(
        "neither branch has an effect: the webhook client is only constructed",
    )),
    ("redirect-progressive-profile-job-title", "drop-call", 34, TOKEN_STATE),
    ("redirect-progressive-profile-job-title", "drop-call", 35, TOKEN_STATE),
    ("rule-utilities-terms-acceptance", "weaken-condition", 9, Equivalent(
        "a secret an Action declares always has a value: `!event.secrets.TERMS_URL` is never true",
    )),
    ("secrets-bracket-slack-hook", "weaken-condition", 14, Equivalent(
        "a secret an Action declares always has a value: `!hookUrl` is never true",
    )),
];

/// Of the mutants that change behaviour, the share `verify` must kill.
const TARGET: f64 = 0.95;

#[test]
fn verify_kills_the_mutants_that_change_behaviour() {
    if !common::has("node") {
        assert!(std::env::var_os("CI").is_none(), "CI has Node.js");
        eprintln!("SKIPPED: the mutation score needs Node.js");
        return;
    }
    let modules = common::npm_tools();
    let rules: Vec<_> = common::corpus()
        .into_iter()
        .map(|(name, bytes)| (name, migrate_rule(&bytes)))
        .filter(|(_, m)| {
            matches!(m.outcome, Outcome::Converted(_)) && m.status() != Status::ManualWork
        })
        .collect();
    let results: Vec<(String, &'static str, usize, bool)> = std::thread::scope(|scope| {
        let (even, odd): (Vec<_>, Vec<_>) = rules.iter().enumerate().partition(|(i, _)| i % 2 == 0);
        let modules = &modules;
        let handles: Vec<_> = [even, odd]
            .into_iter()
            .map(|part| {
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for (_, (name, migration)) in part {
                        let options = VerifyOptions {
                            scenarios: common::corpus_scenarios(name).unwrap_or_default(),
                            modules: modules.clone(),
                            budget: rules2actions::verify::Budget {
                                stop_at_first_difference: true,
                                ..common::scenario_budget()
                            },
                            ..VerifyOptions::default()
                        };
                        let Ok(mut verifier) = Verifier::new(migration, &options) else {
                            continue;
                        };
                        for mutant in mutants(migration.output().unwrap()) {
                            let verification = verifier.check(&mutant.code).unwrap();
                            if !verification.missing_packages.is_empty() {
                                break;
                            }
                            let killed = verification.verdict() == Verdict::Differs;
                            out.push((name.clone(), mutant.operator, mutant.line, killed));
                        }
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let total = results.len();
    assert!(
        total >= rules.len(),
        "every rule has mutants: {total} for {} rules",
        rules.len()
    );
    let survivors: Vec<_> = results.iter().filter(|r| !r.3).collect();
    let listed = |name: &str, operator: &str, line: usize| {
        SURVIVORS
            .iter()
            .find(|(n, o, l, _)| *n == name && *o == operator && *l == line)
    };
    let unexplained: Vec<String> = survivors
        .iter()
        .filter(|(name, operator, line, _)| listed(name, operator, *line).is_none())
        .map(|(name, operator, line, _)| format!("{name} {operator} {line}"))
        .collect();
    let stale: Vec<String> = SURVIVORS
        .iter()
        .filter(|(name, operator, line, _)| {
            !survivors
                .iter()
                .any(|(n, o, l, _)| n == name && o == operator && l == line)
        })
        .map(|(name, operator, line, _)| format!("{name} {operator} {line}"))
        .collect();
    let equivalent = survivors
        .iter()
        .filter(|(name, operator, line, _)| {
            matches!(
                listed(name, operator, *line),
                Some((_, _, _, Equivalent(_)))
            )
        })
        .count();
    let killed = total - survivors.len();
    let score = killed as f64 / (total - equivalent) as f64;
    eprintln!(
        "mutation score: {killed} of {total} mutants killed; {equivalent} equivalent; \
         {:.1}% of the {} that change behaviour",
        score * 100.0,
        total - equivalent
    );
    for (name, operator, line, why) in SURVIVORS {
        eprintln!("  survivor {name} {operator} line {line}: {why}");
    }
    assert!(
        unexplained.is_empty(),
        "survivors nobody explained (an equivalent mutant, or a blind spot to list):\n{}",
        unexplained.join("\n")
    );
    assert!(
        stale.is_empty(),
        "listed as survivors but killed now: remove them from SURVIVORS\n{}",
        stale.join("\n")
    );
    assert!(
        score >= TARGET,
        "mutation score {score:.3} is below {TARGET}"
    );
}
