//! Generated code a reviewer accepts without comment: each shape below is the whole expected
//! Action, and runs side by side with its Rule in Node (when Node is installed) to show the
//! tidier code behaves the same.

mod common;

use rules2actions::verify::{verify, VerifyOptions};
use rules2actions::{migrate_rule, Outcome};

/// The Action for `rule`, after checking it behaves like the Rule.
fn action(rule: &str) -> String {
    let migration = migrate_rule(rule.as_bytes());
    let Outcome::Converted(output) = &migration.outcome else {
        panic!("not converted: {:?}", migration.findings);
    };
    if common::has("node") {
        let verification = verify(&migration, output, &VerifyOptions::default()).unwrap();
        assert!(
            verification.unexpected.is_empty(),
            "{output}\n{:?}",
            verification.unexpected.first()
        );
    }
    output.clone()
}

#[test]
fn a_final_else_that_only_called_back_goes() {
    let output = action("function (user, context, callback) {\n  if (!user.email_verified) {\n    return callback(new UnauthorizedError('verify first'));\n  } else {\n    return callback(null, user, context);\n  }\n}\n");
    assert!(!output.contains("else"), "{output}");
    let output = action("function (user, context, callback) {\n  if (context.clientID === 'abc') {\n    context.idToken['https://x.example.com/a'] = 1;\n    callback(null, user, context);\n  } else {\n    callback(null, user, context);\n  }\n}\n");
    assert_eq!(
        output,
        "exports.onExecutePostLogin = async (event, api) => {\n  if (event.client.client_id === 'abc') {\n    api.idToken.setCustomClaim('https://x.example.com/a', 1);\n  }\n};\n"
    );
    // A success call that is the only statement of its branch keeps the branch: `return;`.
    let output = action("function (user, context, callback) {\n  if (user.email_verified) {\n    return callback(null, user, context);\n  } else {\n    return callback(new Error('verify first'));\n  }\n}\n");
    assert!(
        output.contains("  if (event.user.email_verified) {\n    return;\n  } else {"),
        "{output}"
    );
}

#[test]
fn an_error_already_tested_denies_without_testing_again() {
    let output = action("function (user, context, callback) {\n  var err = user.app_metadata.blocked ? new Error('blocked') : null;\n  if (err) {\n    return callback(err);\n  }\n  callback(null, user, context);\n}\n");
    assert!(
        output
            .contains("  if (err) {\n    return api.access.deny(err.message ?? String(err));\n  }"),
        "{output}"
    );
    assert!(!output.contains("err ?"), "{output}");
}

#[test]
fn metadata_updates_that_cannot_fail_are_not_wrapped_in_try() {
    let output = action("function (user, context, callback) {\n  user.app_metadata = user.app_metadata || {};\n  user.app_metadata.first_login_at = 1700000000000;\n  auth0.users.updateAppMetadata(user.user_id, user.app_metadata)\n    .then(function () { callback(null, user, context); })\n    .catch(function (err) { callback(err); });\n}\n");
    assert!(!output.contains("try"), "{output}");
    assert!(
        output.contains("api.user.setAppMetadata('first_login_at', appMetadata.first_login_at);"),
        "{output}"
    );
    // A key that is not an identifier stays in brackets.
    let output = action("function (user, context, callback) {\n  user.app_metadata['last-seen'] = 1;\n  auth0.users.updateAppMetadata(user.user_id, user.app_metadata);\n  callback(null, user, context);\n}\n");
    assert!(output.contains("appMetadata['last-seen']"), "{output}");
}

#[test]
fn one_removed_scope_is_one_remove_scope() {
    let output = action("function (user, context, callback) {\n  if (context.clientID !== 'admin-console') {\n    context.accessToken.scope = context.accessToken.scope.filter(function (s) { return s !== 'read:reports'; });\n  }\n  callback(null, user, context);\n}\n");
    assert_eq!(
        output,
        "exports.onExecutePostLogin = async (event, api) => {\n  if (event.client.client_id !== 'admin-console') {\n    api.accessToken.removeScope('read:reports');\n  }\n};\n"
    );
}

#[test]
fn a_value_tested_on_the_left_of_and_is_not_tested_again() {
    let output = action("function (user, context, callback) {\n  var roles = context.authorization && context.authorization.roles;\n  context.idToken['https://x.example.com/roles'] = roles || [];\n  callback(null, user, context);\n}\n");
    assert!(
        output.contains("event.authorization && event.authorization.roles;"),
        "{output}"
    );
}
