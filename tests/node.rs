//! Node.js runs what the tool writes: every Action passes `node --check`, and Rules and their
//! Actions behave the same over generated scenarios.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use rules2actions::verify::{verify, Verdict, VerifyOptions};
use rules2actions::{migrate_rule, Migration, Outcome};

fn corpus() -> Vec<(String, Migration)> {
    common::corpus()
        .into_iter()
        .map(|(name, bytes)| (name, migrate_rule(&bytes)))
        .collect()
}

fn node(args: &[&Path]) -> std::process::Output {
    Command::new("node")
        .args(args)
        .output()
        .expect("Node.js is installed (see README)")
}

#[test]
fn every_action_passes_node_check() {
    let dir = tempfile::tempdir().unwrap();
    for (name, migration) in corpus() {
        let path = dir.path().join(format!("{name}.js"));
        fs::write(&path, migration.output().expect("converted")).unwrap();
        let output = node(&[Path::new("--check"), &path]);
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// `verify` over the whole corpus: every rule that needs no manual work is proven
/// equivalent (no unannounced difference, every deny of the Rule reached). Rules that need
/// manual work may differ, as their markers say; the verdict of each is snapshotted.
#[test]
fn verify_proves_every_rule_that_needs_no_manual_work() {
    // The packages corpus rules require (request, axios, jsonwebtoken, …) come with
    // tests/npm-tools; without npm only the rules that need none are run.
    let modules = common::npm_tools();
    let rules: Vec<(String, Migration)> = corpus()
        .into_iter()
        .filter(|(_, m)| m.output().is_some() && m.outcome != Outcome::AlreadyAction)
        .collect();
    let convertible = rules.len();
    let results = common::verify_all(rules, |name| VerifyOptions {
        scenarios: common::corpus_scenarios(name).unwrap_or_default(),
        modules: modules.clone(),
        budget: common::scenario_budget(),
        ..VerifyOptions::default()
    });
    let mut proven = 0;
    let mut scenarios = 0;
    let mut verdicts = Vec::new();
    for (name, migration, verification) in results {
        if !verification.missing_packages.is_empty() {
            assert!(
                modules.is_none(),
                "{name} needs {:?}, which tests/npm-tools should provide",
                verification.missing_packages
            );
            continue;
        }
        let verdict = verification.verdict();
        if migration.status() != rules2actions::Status::ManualWork {
            assert_eq!(
                verdict,
                Verdict::Equivalent,
                "{name}: {:#?}\n{:?}",
                verification
                    .unexpected
                    .first()
                    .map(|m| (m.changes(), &m.rule, &m.action)),
                verification.coverage
            );
            proven += 1;
        }
        scenarios += verification.scenarios;
        verdicts.push(format!("{name:<48} {verdict:?}"));
    }
    assert!(proven >= 80, "only {proven} rules were proven");
    assert!(scenarios >= 5000, "only {scenarios} scenarios ran");
    if modules.is_some() {
        assert_eq!(verdicts.len(), convertible, "every convertible rule runs");
        let _guard = common::snapshot_settings().bind_to_scope();
        insta::assert_snapshot!("node__corpus_verdicts", verdicts.join("\n"));
    }
}

/// Asynchronous corpus rules come with scenarios that drive each path (HTTP success, failure,
/// a body that denies). Their Actions await the work: no `api` call lands after the handler
/// returned (the harness records those as `late`), and each path ends as the Rule's did.
#[test]
fn asynchronous_actions_await_their_work_and_keep_each_paths_outcome() {
    let mut checked = 0;
    let mut denied = 0;
    for (name, migration) in corpus() {
        let Some(scenarios) = common::corpus_scenarios(&name) else {
            continue;
        };
        let action = migration.output().expect("converted");
        let options = VerifyOptions {
            scenarios: scenarios.clone(),
            modules: common::npm_tools(),
            ..VerifyOptions::default()
        };
        let verification =
            verify(&migration, action, &options).unwrap_or_else(|e| panic!("{name}: {e}"));
        if !verification.missing_packages.is_empty() {
            continue;
        }
        // Code left for a human (an error finding) may fail where the Rule did not.
        let complete = migration.status() != rules2actions::Status::ManualWork;
        assert!(
            !complete || verification.unexpected.is_empty(),
            "{name}: {:#?}",
            verification.unexpected.first()
        );
        assert_eq!(verification.given.len(), scenarios.len(), "{name}");
        let distinct: std::collections::BTreeSet<&String> = verification.given.iter().collect();
        let drives_http = scenarios.iter().any(|s| s.get("http").is_some());
        assert!(
            !drives_http || !complete || distinct.len() >= 2,
            "{name}: its scenarios all take the same path: {:?}",
            verification.given
        );
        denied += verification
            .given
            .iter()
            .filter(|effects| !effects.contains("\"denied\":null"))
            .count();
        checked += 1;
    }
    assert!(
        checked >= 10,
        "only {checked} asynchronous rules were checked"
    );
    assert!(denied >= 10, "only {denied} scenarios took a deny path");
}

/// A hand-written Action checked against a Rule, with no findings to excuse differences.
fn compare(
    rule: &str,
    action: &str,
    scenarios: Vec<serde_json::Value>,
) -> rules2actions::verify::Verification {
    let migration = Migration {
        source: rule.to_string(),
        trigger: rules2actions::trigger::RULES,
        outcome: Outcome::Converted(action.to_string()),
        findings: Vec::new(),
        secrets: Vec::new(),
        dependencies: Vec::new(),
        claims: Vec::new(),
        shared: Default::default(),
        edits: Vec::new(),
        suppressed: Vec::new(),
    };
    let options = VerifyOptions {
        scenarios,
        ..VerifyOptions::default()
    };
    verify(&migration, action, &options).expect("the harness runs")
}

#[test]
fn verify_compares_persisted_metadata() {
    // The Rule never calls back when the Management API fails: a login no Action can match,
    // so these Actions face only the scenarios where it works.
    let rule = "function (user, context, callback) {\n  user.app_metadata = user.app_metadata || {};\n  user.app_metadata.plan = 'pro';\n  auth0.users.updateAppMetadata(user.user_id, user.app_metadata)\n    .then(function () { callback(null, user, context); });\n}\n";
    let right = "exports.onExecutePostLogin = async (event, api) => {\n  api.user.setAppMetadata('plan', 'pro');\n};\n";
    let wrong = right.replace("'pro'", "'free'");
    let working = |v: rules2actions::verify::Verification| {
        v.unexpected
            .into_iter()
            .filter(|m| m.scenario.get("managementApiFails").is_none())
            .collect::<Vec<_>>()
    };
    assert!(working(compare(rule, right, Vec::new())).is_empty());
    assert!(!working(compare(rule, &wrong, Vec::new())).is_empty());
}

#[test]
fn verify_answers_http_calls_from_canned_responses_and_records_them() {
    let rule = "async function (user, context, callback) {\n  const res = await fetch('https://crm.example.com/contacts/' + user.user_id);\n  const body = await res.json();\n  context.idToken['https://example.com/tier'] = body.tier;\n  callback(null, user, context);\n}\n";
    let right = "exports.onExecutePostLogin = async (event, api) => {\n  const res = await fetch('https://crm.example.com/contacts/' + event.user.user_id);\n  const body = await res.json();\n  api.idToken.setCustomClaim('https://example.com/tier', body.tier);\n};\n";
    let no_call = "exports.onExecutePostLogin = async (event, api) => {\n  api.idToken.setCustomClaim('https://example.com/tier', 'gold');\n};\n";
    let canned = serde_json::json!([{ "http": [{ "url": "https://crm.example.com/", "body": { "tier": "gold" } }] }]);
    let scenarios = canned.as_array().unwrap().clone();
    assert!(compare(rule, right, scenarios.clone())
        .unexpected
        .is_empty());
    // Same claim on the canned scenario, but the HTTP call is missing: a difference.
    assert!(!compare(rule, no_call, scenarios).unexpected.is_empty());
}

#[test]
fn verify_compares_saml_attributes_by_value() {
    let rule = "function (user, context, callback) {\n  context.samlConfiguration.mappings = { 'http://schemas.example.com/email': 'email' };\n  context.samlConfiguration.audience = 'urn:partner';\n  callback(null, user, context);\n}\n";
    let right = "exports.onExecutePostLogin = async (event, api) => {\n  api.samlResponse.setAttribute('http://schemas.example.com/email', event.user.email);\n  api.samlResponse.setAudience('urn:partner');\n};\n";
    // The Rules mapping named a profile path; passing the path itself is the classic mistake.
    let wrong = right.replace("event.user.email", "'email'");
    assert!(compare(rule, right, Vec::new()).unexpected.is_empty());
    assert!(!compare(rule, &wrong, Vec::new()).unexpected.is_empty());
}

#[test]
fn a_resumed_login_changes_its_own_copy_of_the_metadata() {
    let rule = "function (user, context, callback) {\n  if (context.protocol === 'redirect-callback') {\n    user.app_metadata.consented = true;\n    auth0.users.updateAppMetadata(user.user_id, user.app_metadata);\n    return callback(null, user, context);\n  }\n  if (!user.app_metadata.consented) {\n    user.app_metadata.asked = true;\n    context.redirect = { url: 'https://consent.example.com' };\n  }\n  callback(null, user, context);\n}\n";
    let migration = migrate_rule(rule.as_bytes());
    let action = migration.output().expect("converted");
    let continue_handler = &action[action
        .find("onContinuePostLogin")
        .expect("a continue handler")..];
    assert!(
        continue_handler.contains("let appMetadata = structuredClone(event.user.app_metadata);"),
        "{action}"
    );
    let verification =
        verify(&migration, action, &VerifyOptions::default()).expect("the harness runs");
    assert!(
        verification.unexpected.is_empty(),
        "{:#?}",
        verification.unexpected.first()
    );
}

#[test]
fn verify_catches_an_action_that_does_not_await_its_work() {
    let rule = "function (user, context, callback) {\n  fetch('https://crm.example.com/tier')\n    .then(function (res) { return res.json(); })\n    .then(function (body) {\n      context.idToken['https://example.com/tier'] = body.tier;\n      callback(null, user, context);\n    });\n}\n";
    let awaited = "exports.onExecutePostLogin = async (event, api) => {\n  const res = await fetch('https://crm.example.com/tier');\n  const body = await res.json();\n  api.idToken.setCustomClaim('https://example.com/tier', body.tier);\n};\n";
    let not_awaited = "exports.onExecutePostLogin = async (event, api) => {\n  fetch('https://crm.example.com/tier')\n    .then((res) => res.json())\n    .then((body) => api.idToken.setCustomClaim('https://example.com/tier', body.tier));\n};\n";
    let canned = vec![
        serde_json::json!({ "http": [{ "url": "https://crm.example.com/", "body": { "tier": "gold" } }] }),
    ];
    assert!(compare(rule, awaited, canned.clone()).unexpected.is_empty());
    let late = compare(rule, not_awaited, canned);
    assert!(
        late.unexpected.iter().any(|m| m
            .action
            .contains("\"late\":[\"api.idToken.setCustomClaim\"]")),
        "{:#?}",
        late.unexpected
    );
}

/// A merged Action behaves like the merged rule, whose labelled blocks chain the callbacks as
/// the pipeline did.
#[test]
fn a_merged_action_behaves_like_the_rules_run_in_order() {
    let load = "function (user, context, callback) {\n  if (!user.email) return callback(null, user, context);\n  user.tier = user.email.endsWith('@example.com') ? 'gold' : 'standard';\n  callback(null, user, context);\n}\n";
    let gate = "function (user, context, callback) {\n  if (user.tier !== 'gold') {\n    return callback(new Error('gold only'));\n  }\n  context.idToken['https://example.com/tier'] = user.tier;\n  callback(null, user, context);\n}\n";
    let merged = rules2actions::merge::merge(&[("Load", load), ("Gate", gate)]).unwrap();
    let migration = migrate_rule(merged.as_bytes());
    let action = migration.output().expect("converted");
    let scenarios = vec![
        serde_json::json!({ "user": { "email": "ada@example.com" } }),
        serde_json::json!({ "user": { "email": "bob@other.org" } }),
    ];
    let options = VerifyOptions {
        scenarios,
        ..VerifyOptions::default()
    };
    let verification = verify(&migration, action, &options).expect("the harness runs");
    assert!(
        verification.unexpected.is_empty(),
        "{:#?}",
        verification.unexpected.first()
    );
    assert!(
        verification.given[0].contains("\"denied\":null"),
        "{:?}",
        verification.given
    );
    assert!(
        verification.given[1].contains("gold only"),
        "{:?}",
        verification.given
    );
}
