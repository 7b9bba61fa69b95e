//! Hooks become Actions of their own triggers: read from a deploy-cli repository (with their
//! `triggerId` and declared package versions) or told by their signature, converted through the
//! trigger's tables, bound to their trigger, and run in Node with the trigger's `api`.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use rules2actions::migrate_rule;
use serde_json::{json, Value};

const CREDENTIALS_EXCHANGE: &str = r#"module.exports = function (client, scope, audience, context, cb) {
  var access_token = {};
  access_token['https://example.com/plan'] = client.metadata.plan || 'basic';
  access_token['https://example.com/client'] = client.name;
  access_token['https://example.com/audience'] = audience;
  access_token.scope = scope;
  if (client.metadata.blocked === 'true') {
    return cb(new InvalidScopeError('client ' + client.id + ' is blocked'));
  }
  cb(null, access_token);
};
"#;

const CREDENTIALS_EXCHANGE_LITERAL: &str = r#"module.exports = function (client, scope, audience, context, cb) {
  cb(null, {
    'https://example.com/tenant': client.tenant,
    tier: 'gold',
    scope: ['read:reports'],
  });
};
"#;

const PRE_USER_REGISTRATION: &str = r#"module.exports = function (user, context, cb) {
  if (user.email.endsWith('@blocked.example')) {
    return cb(new PreUserRegistrationError('Denied user registration', 'Sign-ups from this domain are closed'));
  }
  var response = {};
  response.user = {
    user_metadata: { signup_language: context.requestLanguage },
    app_metadata: { plan: 'free', connection: context.connection.name },
  };
  cb(null, response);
};
"#;

const SEND_PHONE_MESSAGE: &str = r#"module.exports = function (recipient, text, context, cb) {
  if (context.message_type !== 'sms') {
    return cb(new SendPhoneMessageError('voice is not supported'));
  }
  const gateway = context.webtask.secrets.GATEWAY_URL;
  console.log('send', recipient, text, gateway, context.code);
  cb();
};
"#;

const POST_CHANGE_PASSWORD: &str = r#"module.exports = function (user, context, cb) {
  const request = require('request');
  request.post({ url: context.webtask.secrets.AUDIT_URL, json: { user: user.id, email: user.email } }, function (err) {
    cb(err);
  });
};
"#;

/// The Action converted from `hook`, with no finding that needs manual work.
fn converted(hook: &str) -> (String, rules2actions::Migration) {
    let migration = migrate_rule(hook.as_bytes());
    let action = migration
        .output()
        .unwrap_or_else(|| panic!("not converted: {:?}", migration.findings))
        .to_string();
    (action, migration)
}

/// Runs `action`'s handler in Node with `event` and an `api` that records every call; the
/// record, what it logged, and the error it threw (if any).
fn run_action(action: &str, handler: &str, event: Value) -> Option<Value> {
    if !common::has("node") {
        eprintln!("node is not installed; skipping the run");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("action.js");
    fs::write(&path, action).unwrap();
    let script = format!(
        r#"
const calls = [];
const logs = [];
const print = console.log;
console.log = (...parts) => logs.push(parts.join(' '));
const record = (object) => new Proxy({{}}, {{ get: (_, method) => (...args) => {{ calls.push([object + '.' + String(method), ...args]); }} }});
const api = {{ access: record('access'), accessToken: record('accessToken'), user: record('user'), cache: record('cache') }};
require({path:?}).{handler}({event}, api)
  .then(() => print(JSON.stringify({{ calls, logs }})))
  .catch((error) => print(JSON.stringify({{ calls, logs, thrown: String(error && error.message) }})));
"#,
        path = path.display().to_string(),
    );
    let output = Command::new("node").arg("-e").arg(script).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

#[test]
fn a_credentials_exchange_hook_sets_its_namespaced_claims_and_denies_with_its_error_code() {
    let (action, migration) = converted(CREDENTIALS_EXCHANGE);
    assert_eq!(migration.trigger.id, "credentials-exchange");
    assert!(action.starts_with("exports.onExecuteCredentialsExchange = async (event, api) => {"));
    assert!(action.contains("event.client.name"), "{action}");
    assert!(action.contains("event.client.client_id"), "{action}");
    assert!(
        action.contains("event.resource_server.identifier"),
        "{action}"
    );
    assert!(
        action.contains("return api.access.deny('invalid_scope', "),
        "{action}"
    );
    // Handing back the Hook's own scopes changed nothing: no finding says otherwise.
    assert!(!migration.findings.iter().any(|f| f.code.id() == "R2A851"));

    let client = |blocked: &str| {
        json!({
            "client": { "client_id": "c1", "name": "Reports", "metadata": { "plan": "pro", "blocked": blocked } },
            "accessToken": { "scope": ["read"] },
            "resource_server": { "identifier": "https://api.example.com" },
            "tenant": { "id": "acme" },
        })
    };
    let Some(allowed) = run_action(&action, "onExecuteCredentialsExchange", client("false")) else {
        return;
    };
    assert_eq!(
        allowed["calls"],
        json!([
            [
                "accessToken.setCustomClaim",
                "https://example.com/plan",
                "pro"
            ],
            [
                "accessToken.setCustomClaim",
                "https://example.com/client",
                "Reports"
            ],
            [
                "accessToken.setCustomClaim",
                "https://example.com/audience",
                "https://api.example.com"
            ],
        ])
    );
    let blocked = run_action(&action, "onExecuteCredentialsExchange", client("true")).unwrap();
    assert_eq!(
        blocked["calls"],
        json!([["access.deny", "invalid_scope", "client c1 is blocked"]])
    );
}

#[test]
fn a_literal_result_keeps_only_the_claims_the_hook_applied() {
    let (action, migration) = converted(CREDENTIALS_EXCHANGE_LITERAL);
    assert!(
        action.contains(
            "api.accessToken.setCustomClaim('https://example.com/tenant', event.tenant.id);"
        ),
        "{action}"
    );
    assert!(!action.contains("'gold'"), "{action}");
    let codes: Vec<&str> = migration.findings.iter().map(|f| f.code.id()).collect();
    assert!(codes.contains(&"R2A853"), "{codes:?}");
    assert!(codes.contains(&"R2A851"), "{codes:?}");
}

#[test]
fn a_pre_user_registration_hook_sets_metadata_per_key_and_denies_with_both_messages() {
    let (action, migration) = converted(PRE_USER_REGISTRATION);
    assert_eq!(migration.trigger.id, "pre-user-registration");
    assert!(
        action.contains("return api.access.deny('Denied user registration', 'Sign-ups from this domain are closed');"),
        "{action}"
    );
    let user = |email: &str| {
        json!({
            "user": { "email": email, "app_metadata": {}, "user_metadata": {} },
            "request": { "language": "fr" },
            "connection": { "id": "con_1", "name": "Username-Password-Authentication" },
        })
    };
    let Some(registered) = run_action(
        &action,
        "onExecutePreUserRegistration",
        user("a@example.com"),
    ) else {
        return;
    };
    assert_eq!(
        registered["calls"],
        json!([
            ["user.setAppMetadata", "plan", "free"],
            [
                "user.setAppMetadata",
                "connection",
                "Username-Password-Authentication"
            ],
            ["user.setUserMetadata", "signup_language", "fr"],
        ])
    );
    let denied = run_action(
        &action,
        "onExecutePreUserRegistration",
        user("b@blocked.example"),
    )
    .unwrap();
    assert_eq!(
        denied["calls"],
        json!([[
            "access.deny",
            "Denied user registration",
            "Sign-ups from this domain are closed"
        ]])
    );
}

#[test]
fn a_send_phone_message_hook_reads_the_message_options_and_throws_where_it_failed() {
    let (action, migration) = converted(SEND_PHONE_MESSAGE);
    assert_eq!(migration.trigger.id, "send-phone-message");
    assert_eq!(migration.secrets, vec!["GATEWAY_URL".to_string()]);
    let message = |kind: &str| {
        json!({
            "message_options": { "recipient": "+15550001111", "text": "Your code is 123456", "message_type": kind, "code": "123456" },
            "secrets": { "GATEWAY_URL": "https://sms.example.com" },
        })
    };
    let Some(sent) = run_action(&action, "onExecuteSendPhoneMessage", message("sms")) else {
        return;
    };
    assert_eq!(
        sent["logs"],
        json!(["send +15550001111 Your code is 123456 https://sms.example.com 123456"])
    );
    let voice = run_action(&action, "onExecuteSendPhoneMessage", message("voice")).unwrap();
    assert_eq!(voice["thrown"], "voice is not supported");
}

#[test]
fn a_hook_that_only_reads_context_webtask_needs_its_trigger_id() {
    let hook = "module.exports = function (user, context, cb) {\n  const key = context.webtask.secrets.KEY;\n  cb();\n};\n";
    let migration = migrate_rule(hook.as_bytes());
    assert!(migration.output().is_none());
    assert_eq!(migration.findings[0].code.id(), "R2A854");
}

#[test]
fn a_deploy_cli_repository_binds_hooks_to_their_triggers_with_their_declared_versions() {
    let repo = common::workspace(&[
        (
            "rules/verified.js",
            "function (user, context, callback) {\n  if (!user.email_verified) return callback(new Error('verify your email'));\n  callback(null, user, context);\n}\n",
        ),
        (
            "rules/verified.json",
            r#"{"name": "verified", "enabled": true, "order": 1, "script": "./verified.js"}"#,
        ),
        ("hooks/block-domains.js", PRE_USER_REGISTRATION),
        (
            "hooks/block-domains.json",
            r#"{"name": "block-domains", "triggerId": "pre-user-registration", "enabled": true, "script": "./block-domains.js", "dependencies": {}, "secrets": {}}"#,
        ),
        ("hooks/audit.js", POST_CHANGE_PASSWORD),
        (
            "hooks/audit.json",
            r#"{"name": "audit", "triggerId": "post-change-password", "enabled": true, "script": "./audit.js", "dependencies": {"request": "2.88.2"}, "secrets": {"AUDIT_URL": "_VALUE_NOT_SHOWN_"}}"#,
        ),
    ]);
    let out = repo.path().join("out");
    let run = common::run(
        &["migrate", ".", "--out", out.to_str().unwrap()],
        repo.path(),
    );
    assert!(run.code == 0 || run.code == 1, "{}", run.transcript());
    // The plan numbers each trigger's bindings on their own.
    let transcript = run.transcript();
    assert!(transcript.contains("yes (#1)"), "{transcript}");
    assert!(
        transcript.contains("yes (pre-user-registration #1)"),
        "{transcript}"
    );
    assert!(
        transcript.contains("yes (post-change-password #1)"),
        "{transcript}"
    );
    let read = |path: &str| -> Value {
        serde_json::from_str(&fs::read_to_string(Path::new(&out).join(path)).unwrap()).unwrap()
    };
    let triggers = read("triggers/triggers.json");
    assert_eq!(triggers["post-login"][0]["action_name"], "verified");
    assert_eq!(
        triggers["pre-user-registration"][0]["action_name"],
        "block-domains"
    );
    assert_eq!(triggers["post-change-password"][0]["action_name"], "audit");
    let audit = read("actions/audit.json");
    assert_eq!(
        audit["supported_triggers"],
        json!([{ "id": "post-change-password", "version": "v2" }])
    );
    assert_eq!(
        audit["dependencies"],
        json!([{ "name": "request", "version": "2.88.2" }])
    );
    assert_eq!(audit["secrets"][0]["name"], "AUDIT_URL");
    let code = fs::read_to_string(out.join("actions/audit/code.js")).unwrap();
    assert!(
        code.starts_with("exports.onExecutePostChangePassword = async (event, api) => {"),
        "{code}"
    );
    assert!(code.contains("event.secrets.AUDIT_URL"), "{code}");
    assert!(code.contains("if (err) throw err;"), "{code}");
    let verified = read("actions/verified.json");
    assert_eq!(
        verified["supported_triggers"],
        json!([{ "id": "post-login", "version": "v3" }])
    );
}

/// The findings of `check --format json` on `path`, by rule name: each rule's codes.
fn checked(dir: &Path, path: &str) -> (Value, i32) {
    let run = common::run(&["check", path, "--format", "json"], dir);
    let report: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.transcript()));
    (report, run.code)
}

fn codes_of(report: &Value) -> Vec<String> {
    let mut codes: Vec<String> = report
        .to_string()
        .match_indices("\"R2A")
        .map(|(at, _)| report.to_string()[at + 1..at + 7].to_string())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn a_tenant_yaml_lists_hooks_with_their_trigger_ids_and_they_migrate_beside_the_rules() {
    let repo = common::workspace(&[
        (
            "tenant.yaml",
            "rules:\n  - name: verified\n    script: ./rules/verified.js\n    enabled: true\n    order: 1\nhooks:\n  - name: block-domains\n    script: ./hooks/block-domains.js\n    triggerId: pre-user-registration\n    enabled: true\n  - name: audit\n    script: ./hooks/audit.js\n    triggerId: post-change-password\n    enabled: true\n    dependencies:\n      request: 2.88.2\n  - name: drafted\n    script: ./hooks/drafted.js\n    triggerId: post-change-password\n",
        ),
        (
            "rules/verified.js",
            "function (user, context, callback) {\n  callback(null, user, context);\n}\n",
        ),
        ("hooks/block-domains.js", PRE_USER_REGISTRATION),
        ("hooks/audit.js", POST_CHANGE_PASSWORD),
        ("hooks/drafted.js", POST_CHANGE_PASSWORD),
    ]);
    let out = repo.path().join("out");
    let run = common::run(
        &["migrate", "tenant.yaml", "--out", out.to_str().unwrap()],
        repo.path(),
    );
    assert!(run.code == 0 || run.code == 1, "{}", run.transcript());
    let tenant = fs::read_to_string(out.join("tenant.yaml")).unwrap();
    assert!(tenant.contains("pre-user-registration"), "{tenant}");
    assert!(tenant.contains("post-change-password"), "{tenant}");
    let audit = fs::read_to_string(out.join("actions/audit/code.js")).unwrap();
    assert!(
        audit.starts_with("exports.onExecutePostChangePassword"),
        "{audit}"
    );
    // A Hook is disabled unless its entry enables it, as the deploy tool reads it: `drafted`
    // becomes an Action that is not bound, so it does not run beside `audit`.
    assert!(out.join("actions/drafted/code.js").is_file());
    let bound = tenant.split("\ntriggers:").nth(1).unwrap_or_default();
    assert!(!bound.contains("drafted"), "{tenant}");
    assert!(bound.contains("audit"), "{tenant}");
    assert!(tenant.contains("2.88.2"), "{tenant}");
}

#[test]
fn an_export_of_hooks_is_read_by_trigger_id() {
    let hooks = json!([
        { "id": "01", "name": "claims", "triggerId": "credentials-exchange", "enabled": true, "script": CREDENTIALS_EXCHANGE, "dependencies": {} },
        { "id": "02", "name": "welcome", "triggerId": "post-user-registration", "enabled": true, "script": "module.exports = function (user, context, cb) {\n  console.log('welcome', user.id);\n  cb();\n};\n", "dependencies": {} },
        { "id": "03", "name": "legacy", "triggerId": "password-exchange", "enabled": false, "script": "module.exports = function (user, context, cb) { cb(); };\n" },
    ]);
    let dir = common::workspace(&[("hooks.json", &hooks.to_string())]);
    let (report, _) = checked(dir.path(), "hooks.json");
    let text = report.to_string();
    // The unknown extensibility point is an error for that Hook alone.
    assert!(
        text.contains("`password-exchange` is not a Hook extensibility point"),
        "{text}"
    );
    let out = dir.path().join("out");
    let run = common::run(
        &["migrate", "hooks.json", "--out", out.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(run.code, 2, "{}", run.transcript());
    let welcome = fs::read_to_string(out.join("actions/welcome/code.js")).unwrap();
    assert!(
        welcome.starts_with("exports.onExecutePostUserRegistration"),
        "{welcome}"
    );
    // Hooks had the id without its `auth0|` prefix.
    assert!(welcome.contains("event.user.user_id"), "{welcome}");
    let claims = fs::read_to_string(out.join("actions/claims/code.js")).unwrap();
    assert!(
        claims.contains("api.accessToken.setCustomClaim"),
        "{claims}"
    );
}

#[test]
fn two_enabled_hooks_of_one_extensibility_point_are_reported() {
    let repo = common::workspace(&[
        ("hooks/first.js", POST_CHANGE_PASSWORD),
        (
            "hooks/first.json",
            r#"{"name": "first", "triggerId": "post-change-password", "enabled": true, "script": "./first.js"}"#,
        ),
        ("hooks/second.js", POST_CHANGE_PASSWORD),
        (
            "hooks/second.json",
            r#"{"name": "second", "triggerId": "post-change-password", "enabled": true, "script": "./second.js"}"#,
        ),
        ("hooks/third.js", POST_CHANGE_PASSWORD),
        (
            "hooks/third.json",
            r#"{"name": "third", "triggerId": "post-change-password", "script": "./third.js"}"#,
        ),
    ]);
    let (report, _) = checked(repo.path(), ".");
    let text = report.to_string();
    assert!(codes_of(&report).contains(&"R2A855".to_string()), "{text}");
    assert!(
        text.contains("2 Hooks are enabled for post-change-password (first, second)"),
        "{text}"
    );
}

#[test]
fn a_hook_script_without_metadata_needs_its_trigger_id_when_its_signature_is_a_rules() {
    let dir = common::workspace(&[
        (
            "tenant/hooks/welcome.js",
            "module.exports = function (user, context, cb) {\n  cb();\n};\n",
        ),
        ("tenant/hooks/claims.js", CREDENTIALS_EXCHANGE),
        ("tenant/hooks/audit.js", POST_CHANGE_PASSWORD),
    ]);
    let (report, _) = checked(dir.path(), "tenant");
    let text = report.to_string();
    assert!(codes_of(&report).contains(&"R2A854".to_string()), "{text}");
    // Hooks whose point is not known do not compete for one.
    assert!(!codes_of(&report).contains(&"R2A855".to_string()), "{text}");
    // Five parameters are a credentials-exchange Hook's: that one converts.
    assert!(text.contains("claims"), "{text}");
    assert!(!text.contains("R2A002"), "{text}");
}

/// Every Hook of `rule-corpus/hooks/`: an insta snapshot of input, findings and output, and an
/// Action for the trigger its metadata names that parses.
#[test]
fn corpus_hooks_snapshots() {
    let hooks = common::corpus_hooks();
    assert_eq!(hooks.len(), 5, "one Hook per extensibility point at least");
    let _guard = common::snapshot_settings().bind_to_scope();
    let changed: Vec<&String> = hooks
        .iter()
        .filter(|(name, bytes, options)| {
            let migration = rules2actions::migrate_rule_with(bytes, options);
            let trigger = options.trigger.unwrap();
            assert!(std::ptr::eq(migration.trigger, trigger), "{name}");
            let output = migration
                .output()
                .unwrap_or_else(|| panic!("{name}: no Action"));
            assert!(
                output.contains(&format!("exports.{} = async", trigger.handler)),
                "{name}"
            );
            assert!(rules2actions::parse::check_script(output).is_ok(), "{name}");
            let document = common::document(&migration);
            std::panic::catch_unwind(|| {
                insta::assert_snapshot!(format!("hooks__{name}"), document);
            })
            .is_err()
        })
        .map(|(name, _, _)| name)
        .collect();
    assert!(changed.is_empty(), "changed snapshots: {changed:?}");
}

/// The scenarios written for a corpus Hook: `rule-corpus/hook-scenarios/<name>.json`.
fn hook_scenarios(name: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("rule-corpus/hook-scenarios")
        .join(format!("{name}.json"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    rules2actions::verify::read_scenarios(&text).unwrap()
}

fn verify_options(name: &str) -> Option<rules2actions::verify::VerifyOptions> {
    if !common::has("node") {
        return None;
    }
    Some(rules2actions::verify::VerifyOptions {
        scenarios: hook_scenarios(name),
        modules: Some(common::npm_tools()?),
        budget: common::scenario_budget(),
        ..Default::default()
    })
}

/// Every corpus Hook runs beside its Action, each with its trigger's `event` and `api`: the
/// two behave the same on every scenario, and every branch of the Hook is reached.
#[test]
fn verify_proves_every_corpus_hook() {
    for (name, bytes, options) in common::corpus_hooks() {
        let Some(verify_options) = verify_options(&name) else {
            return;
        };
        let migration = rules2actions::migrate_rule_with(&bytes, &options);
        let action = migration.output().unwrap();
        let verification = rules2actions::verify::verify(&migration, action, &verify_options)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            verification.missing_packages.is_empty(),
            "{name}: {:?}",
            verification.missing_packages
        );
        assert_eq!(
            verification.verdict(),
            rules2actions::verify::Verdict::Equivalent,
            "{name}: {:#?}\n{:?}",
            verification
                .unexpected
                .first()
                .map(|m| (m.changes(), &m.rule, &m.action)),
            verification.coverage
        );
        let hook = verification.coverage.rule.as_ref().expect("instrumented");
        assert_eq!(
            hook.reached, hook.total,
            "{name}: Hook branches never reached at lines {:?}",
            hook.unreached
        );
        assert_eq!(
            verification.given.len(),
            hook_scenarios(&name).len(),
            "{name}"
        );
    }
}

/// An Action that drops what its Hook did fails verify: a lost deny, a lost claim, lost
/// metadata, a payload that changed, a failure that no longer fails.
#[test]
fn verify_fails_a_hook_action_that_behaves_differently() {
    let tampered = [
        (
            "m2m-tenant-claims",
            "return api.access.deny('invalid_request', ",
            "return (",
        ),
        (
            "m2m-tenant-claims",
            "namespace + 'plan'",
            "namespace + 'tier'",
        ),
        (
            "block-disposable-signups",
            "return api.access.deny(LOG_MESSAGE, USER_MESSAGE);",
            "return;",
        ),
        (
            "block-disposable-signups",
            "api.user.setAppMetadata(key, value)",
            "key",
        ),
        ("slack-new-signup", "signed up with", "joined"),
        ("password-change-audit", "if (err) throw err;", ""),
        (
            "sms-gateway-otp",
            "throw new Error('Voice messages are not enabled for this tenant');",
            "",
        ),
    ];
    let hooks = common::corpus_hooks();
    for (name, from, to) in tampered {
        let (_, bytes, options) = hooks.iter().find(|(n, _, _)| n == name).unwrap();
        let Some(verify_options) = verify_options(name) else {
            return;
        };
        let migration = rules2actions::migrate_rule_with(bytes, options);
        let action = migration.output().unwrap();
        assert!(action.contains(from), "{name}: {action}");
        let broken = action.replacen(from, to, 1);
        let verification = rules2actions::verify::verify(&migration, &broken, &verify_options)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            verification.verdict(),
            rules2actions::verify::Verdict::Differs,
            "{name} with `{from}` → `{to}` passed verify:\n{broken}"
        );
    }
}

/// `check` on Actions written by hand, of other triggers than post-login, with their deploy-cli
/// metadata: members their trigger lacks, work not awaited, and a runtime Auth0 does not run.
#[test]
fn check_judges_hand_written_actions_by_the_trigger_they_export() {
    let dir = common::workspace(&[
        (
            "tree/actions/m2m-claims/code.js",
            "exports.onExecuteCredentialsExchange = async (event, api) => {\n  if (event.user) api.idToken.setCustomClaim('https://example.com/a', 1);\n  fetch(event.secrets.AUDIT_URL, { method: 'POST' });\n  api.accessToken.setCustomClaim('https://example.com/plan', event.client.metadata.plan);\n};\n",
        ),
        (
            "tree/actions/m2m-claims.json",
            r#"{"name": "m2m-claims", "code": "./actions/m2m-claims/code.js", "runtime": "node16", "supported_triggers": [{"id": "credentials-exchange", "version": "v2"}]}"#,
        ),
    ]);
    let (report, code) = checked(dir.path(), "tree/actions");
    let text = report.to_string();
    assert_eq!(code, 1, "{text}");
    for expected in ["R2A013", "R2A015", "R2A016", "R2A956"] {
        assert!(
            codes_of(&report).contains(&expected.to_string()),
            "{expected}: {text}"
        );
    }
    assert!(
        text.contains("already a credentials-exchange Action"),
        "{text}"
    );
    assert!(
        text.contains("`api.idToken` does not exist in the credentials-exchange trigger"),
        "{text}"
    );
}

/// The corpus Hooks in the YAML layout (a tenant.yaml written from their deploy-cli metadata)
/// migrate to the same Actions, bound to the same triggers, as in the directory layout.
#[test]
fn corpus_hooks_in_a_tenant_yaml_become_the_same_actions() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("rule-corpus/hooks");
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("yaml/hooks")).unwrap();
    let mut yaml = String::from("hooks:\n");
    let mut names = Vec::new();
    for entry in fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let metadata: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let name = metadata["name"].as_str().unwrap().to_string();
        let script = format!("{name}.js");
        fs::copy(
            corpus.join(&script),
            dir.path().join("yaml/hooks").join(&script),
        )
        .unwrap();
        yaml.push_str(&format!(
            "  - name: {name}\n    script: ./hooks/{script}\n    triggerId: {}\n    enabled: {}\n    dependencies: {}\n",
            metadata["triggerId"].as_str().unwrap(),
            metadata["enabled"],
            metadata["dependencies"]
        ));
        names.push(name);
    }
    fs::write(dir.path().join("yaml/tenant.yaml"), yaml).unwrap();
    let migrate = |input: &Path, out: &str| {
        let out = dir.path().join(out);
        let run = common::run(
            &[
                "migrate",
                input.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            dir.path(),
        );
        assert!(run.code == 0 || run.code == 1, "{}", run.transcript());
        out
    };
    let from_yaml = migrate(&dir.path().join("yaml/tenant.yaml"), "from-yaml");
    let from_directory = migrate(&corpus, "from-directory");
    assert_eq!(names.len(), 5);
    for name in &names {
        let code = |tree: &Path| {
            fs::read_to_string(tree.join("actions").join(name).join("code.js")).unwrap()
        };
        assert_eq!(code(&from_yaml), code(&from_directory), "{name}");
    }
    let tenant = fs::read_to_string(from_yaml.join("tenant.yaml")).unwrap();
    let bindings: Value = serde_json::from_str(
        &fs::read_to_string(from_directory.join("triggers/triggers.json")).unwrap(),
    )
    .unwrap();
    let bound_hooks = bindings
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(trigger, bound)| Some((trigger, bound[0]["action_name"].as_str()?)));
    assert_eq!(bound_hooks.clone().count(), 5, "{bindings}");
    for (trigger, name) in bound_hooks {
        assert!(
            tenant.contains(&format!("{trigger}:\n  - action_name: {name}")),
            "{trigger} {name}:\n{tenant}"
        );
    }
}

/// Terraform: each Hook's Action names its trigger, and each trigger gets one
/// `auth0_trigger_actions` of its own.
#[test]
fn terraform_binds_each_hook_to_its_own_trigger() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("rule-corpus/hooks");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tf");
    let run = common::run(
        &[
            "migrate",
            corpus.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--output-format",
            "terraform",
        ],
        dir.path(),
    );
    assert!(run.code == 0 || run.code == 1, "{}", run.transcript());
    let tf = fs::read_to_string(out.join("actions.tf")).unwrap();
    for trigger in [
        "credentials-exchange",
        "pre-user-registration",
        "post-user-registration",
        "post-change-password",
        "send-phone-message",
    ] {
        assert_eq!(
            tf.matches(&format!("id      = \"{trigger}\"")).count(),
            1,
            "{trigger}:\n{tf}"
        );
        assert_eq!(
            tf.matches(&format!("trigger = \"{trigger}\"")).count(),
            1,
            "{trigger}:\n{tf}"
        );
    }
    assert!(
        tf.contains("resource \"auth0_trigger_actions\" \"send_phone_message\""),
        "{tf}"
    );
}

/// Secrets destructured from `context.webtask.secrets` are each declared.
#[test]
fn destructured_hook_secrets_are_declared() {
    let hook = "module.exports = function (user, context, cb) {\n  const { SLACK_URL, 'SLACK-TOKEN': token } = context.webtask.secrets;\n  console.log(SLACK_URL, token);\n  cb();\n};\n";
    let options = rules2actions::Options {
        trigger: Some(&rules2actions::trigger::POST_USER_REGISTRATION),
        hook: true,
        ..Default::default()
    };
    let migration = rules2actions::migrate_rule_with(hook.as_bytes(), &options);
    let action = migration.output().unwrap();
    assert!(action.contains("= event.secrets;"), "{action}");
    assert_eq!(migration.secrets, ["SLACK-TOKEN", "SLACK_URL"]);
    assert!(
        migration.findings.iter().all(|f| f.code.id() != "R2A502"),
        "{:?}",
        migration.findings
    );
}

/// What a Hook had and its Action has not is a finding with a marker, never a silent change:
/// the password being registered, webtask storage, members a trigger does not give.
#[test]
fn what_a_hook_had_and_its_action_has_not_is_announced() {
    let cases = [
        (
            &rules2actions::trigger::PRE_USER_REGISTRATION,
            "module.exports = function (user, context, cb) {\n  if (user.password.length < 12) {\n    return cb(new PreUserRegistrationError('weak password', 'Use at least 12 characters'));\n  }\n  cb(null, {});\n};\n",
            "R2A850",
        ),
        (
            &rules2actions::trigger::POST_USER_REGISTRATION,
            "module.exports = function (user, context, cb) {\n  context.webtask.storage.get(function (error, data) {\n    cb(error);\n  });\n};\n",
            "R2A852",
        ),
        (
            &rules2actions::trigger::SEND_PHONE_MESSAGE,
            "module.exports = function (recipient, text, context, cb) {\n  console.log(context.factor_type);\n  cb();\n};\n",
            "R2A857",
        ),
    ];
    for (trigger, hook, code) in cases {
        let options = rules2actions::Options {
            trigger: Some(trigger),
            hook: true,
            ..Default::default()
        };
        let migration = rules2actions::migrate_rule_with(hook.as_bytes(), &options);
        assert!(
            migration.findings.iter().any(|f| f.code.id() == code),
            "{code}: {:?}",
            migration.findings
        );
        let action = migration.output().unwrap_or_default();
        assert!(
            action.contains(&format!("rules2actions {code}")),
            "{code}: {action}"
        );
    }
}

/// Pre-user-registration applied no metadata key that starts with `$` or holds a `.`: the
/// Action sets none either, whether the keys are written out or known only at run time.
#[test]
fn metadata_keys_the_hook_did_not_apply_are_not_set() {
    let hook = "module.exports = function (user, context, cb) {\n  const extra = {};\n  extra['plan.tier'] = 'gold';\n  extra.region = 'eu';\n  cb(null, { user: { app_metadata: { '$internal': 1, 'a.b': 2, kept: 3 }, user_metadata: extra } });\n};\n";
    let options = rules2actions::Options {
        trigger: Some(&rules2actions::trigger::PRE_USER_REGISTRATION),
        hook: true,
        ..Default::default()
    };
    let migration = rules2actions::migrate_rule_with(hook.as_bytes(), &options);
    let action = migration.output().unwrap();
    assert!(
        action.contains("api.user.setAppMetadata('kept', 3)"),
        "{action}"
    );
    assert!(!action.contains("setAppMetadata('a.b'"), "{action}");
    assert!(!action.contains("setAppMetadata('$internal'"), "{action}");
    let Some(modules) = common::npm_tools() else {
        return;
    };
    if !common::has("node") {
        return;
    }
    let options = rules2actions::verify::VerifyOptions {
        modules: Some(modules),
        budget: common::scenario_budget(),
        ..Default::default()
    };
    let verification = rules2actions::verify::verify(&migration, action, &options).unwrap();
    assert_eq!(
        verification.verdict(),
        rules2actions::verify::Verdict::Equivalent,
        "{:?}",
        verification
            .unexpected
            .first()
            .map(|m| (&m.rule, &m.action))
    );
}
