//! Changes to `user` move into local variables only where every later read is visible.

use rules2actions::migrate_rule;
use rules2actions::registry::Code;

fn codes_and_output(body: &str) -> (Vec<Code>, String) {
    let rule = format!(
        "function (user, context, callback) {{\n{body}\n  callback(null, user, context);\n}}\n"
    );
    let migration = migrate_rule(rule.as_bytes());
    let output = migration.output().expect("converted").to_string();
    (migration.findings.iter().map(|f| f.code).collect(), output)
}

#[test]
fn a_field_read_later_becomes_a_local_variable() {
    let (codes, output) = codes_and_output(
        "  user.tier = 'gold';\n  context.idToken['https://example.com/tier'] = user.tier;",
    );
    assert_eq!(codes, [Code::UserChangeStaysLocal]);
    assert!(output.contains("let userTier = 'gold';"), "{output}");
    assert!(
        output.contains("setCustomClaim('https://example.com/tier', userTier)"),
        "{output}"
    );
}

#[test]
fn a_field_nobody_reads_is_reported_as_lost() {
    let (codes, _) = codes_and_output("  user.connection = context.connection;");
    assert_eq!(codes, [Code::UserFieldLost]);
}

#[test]
fn reads_in_nested_functions_or_through_user_keep_the_error() {
    let nested = "  user.tier = 'gold';\n  [1].forEach(function () { console.log(user.tier); });";
    assert!(codes_and_output(nested).0.contains(&Code::UserMutation));
    let handed_on = "  user.tier = 'gold';\n  console.log(JSON.stringify(user));";
    assert!(codes_and_output(handed_on).0.contains(&Code::UserMutation));
}

#[test]
fn metadata_changes_are_made_on_a_copy() {
    let (codes, output) = codes_and_output(
        "  user.app_metadata.plan = 'free';\n  context.idToken['https://example.com/plan'] = user.app_metadata.plan;",
    );
    // `user.app_metadata.plan` threw in Rules for a user without metadata.
    assert_eq!(
        codes,
        [Code::UserChangeStaysLocal, Code::MetadataNeverMissing]
    );
    assert!(output.contains("let appMetadata = structuredClone(event.user.app_metadata);"));
    assert!(output.contains("appMetadata.plan = 'free';"));
    assert!(output.contains("setCustomClaim('https://example.com/plan', appMetadata.plan)"));
}

#[test]
fn persisted_metadata_becomes_one_set_call_per_changed_key() {
    let (codes, output) = codes_and_output(
        "  user.app_metadata.plan = 'pro';\n  user.app_metadata.seats = 5;\n  auth0.users.updateAppMetadata(user.user_id, user.app_metadata)\n    .then(function () { callback(null, user, context); })\n    .catch(function (err) { callback(err); });\n  return;",
    );
    assert_eq!(
        codes,
        [Code::MetadataNeverMissing, Code::MetadataUpdateBatched]
    );
    assert!(
        output.contains("api.user.setAppMetadata('plan', appMetadata.plan);"),
        "{output}"
    );
    assert!(
        output.contains("api.user.setAppMetadata('seats', appMetadata.seats);"),
        "{output}"
    );
    assert!(!output.contains("auth0"), "{output}");
}

#[test]
fn metadata_with_unknown_keys_is_set_key_by_key_at_run_time() {
    let (_, output) = codes_and_output(
        "  user.user_metadata[context.clientName] = true;\n  auth0.users.updateUserMetadata(user.user_id, user.user_metadata);",
    );
    assert!(
        output.contains("for (const [key, value] of Object.entries(userMetadata)) api.user.setUserMetadata(key, value);"),
        "{output}"
    );
}

#[test]
fn updates_for_another_user_go_through_the_management_api_and_busy_handlers_are_awaited() {
    let other = "  user.app_metadata.x = 1;\n  auth0.users.updateAppMetadata('auth0|other', user.app_metadata);";
    let (codes, output) = codes_and_output(other);
    assert!(
        codes.contains(&Code::ManagementApiFromClientCredentials),
        "{output}"
    );
    assert!(!codes.contains(&Code::Auth0Object), "{output}");
    assert!(
        output.contains(
            "managementApiUpdateMetadata(event, api, 'app_metadata', 'auth0|other', appMetadata);"
        ),
        "{output}"
    );
    // The chain ends the rule, so the Action awaits it.
    let busy = "function (user, context, callback) {\n  user.app_metadata.x = 1;\n  auth0.users.updateAppMetadata(user.user_id, user.app_metadata).then(function () { console.log('saved'); callback(null, user, context); });\n}\n";
    let migration = migrate_rule(busy.as_bytes());
    let output = migration.output().expect("converted").to_string();
    let codes: Vec<Code> = migration.findings.iter().map(|f| f.code).collect();
    assert!(codes.contains(&Code::PromiseChainAwaited), "{output}");
    assert!(
        output.contains("api.user.setAppMetadata('x', appMetadata.x);\n  console.log('saved');"),
        "{output}"
    );
}

#[test]
fn both_metadata_updates_in_q_all_become_api_user_calls() {
    let rule = "function (user, context, callback) {\n  user.app_metadata.plan = 'pro';\n  user.user_metadata.theme = 'dark';\n  q.all([\n    auth0.users.updateAppMetadata(user.user_id, user.app_metadata),\n    auth0.users.updateUserMetadata(user.user_id, user.user_metadata)\n  ]).then(function () {\n    callback(null, user, context);\n  }).catch(callback);\n}\n";
    let migration = migrate_rule(rule.as_bytes());
    let output = migration.output().expect("converted").to_string();
    assert!(
        output.contains("  api.user.setAppMetadata('plan', appMetadata.plan);\n  api.user.setUserMetadata('theme', userMetadata.theme);\n};"),
        "{output}"
    );
    assert!(!output.contains("auth0."), "{output}");
    // `api.user.set*Metadata` does not fail: no `try`/`catch` around it.
    assert!(!output.contains("try {"), "{output}");
}
