//! Source shapes that must survive conversion exactly: line endings, byte-order marks and
//! parenthesized rules; and shapes of one rewrite that its doc example does not show.

use rules2actions::registry::Code;
use rules2actions::{migrate_rule, Outcome};

fn convert(text: &str) -> String {
    match migrate_rule(text.as_bytes()).outcome {
        Outcome::Converted(output) => output,
        other => panic!("not converted: {other:?}"),
    }
}

#[test]
fn crlf_rules_keep_crlf_everywhere() {
    let rule = "function (user, context, callback) {\r\n  if (context.sessionID) {\r\n    _.noop();\r\n  }\r\n  callback(null, user, context);\r\n}\r\n";
    let output = convert(rule);
    assert!(output.contains("// TODO(rules2actions R2A201)"));
    assert!(output.contains("require('lodash');\r\n"));
    assert_eq!(
        output.matches('\n').count(),
        output.matches("\r\n").count(),
        "{output:?}"
    );
}

#[test]
fn byte_order_mark_is_kept() {
    let output = convert(
        "\u{feff}function (user, context, callback) {\n  callback(null, user, context);\n}\n",
    );
    assert!(output.starts_with("\u{feff}exports.onExecutePostLogin = async (event, api) => {"));
}

#[test]
fn parenthesized_rules_convert_and_stay_stable() {
    let output = convert("(function (u, c, cb) {\n  c.idToken['https://a.example.com/x'] = 1;\n  cb(null, u, c);\n})\n");
    assert_eq!(
        output,
        "(exports.onExecutePostLogin = async (event, api) => {\n  api.idToken.setCustomClaim('https://a.example.com/x', 1);\n});\n"
    );
    assert_eq!(
        migrate_rule(output.as_bytes()).outcome,
        Outcome::AlreadyAction
    );
}

#[test]
fn requires_go_before_a_parenthesized_rule() {
    let output = convert("(function (user, context, callback) {\n  var id = uuid.v4();\n  callback(null, user, context);\n})\n");
    assert!(
        output.starts_with("const uuid = require('uuid');\n(exports.onExecutePostLogin"),
        "{output}"
    );
}

/// A rewrite that turns one statement into several, or into none, must not change what an
/// `if` without braces guards.
#[test]
fn braceless_bodies_keep_guarding_every_new_statement() {
    let output = convert(
        "function (user, context, callback) {\n  var claims = context.idToken || {};\n  claims['https://example.com/a'] = 1;\n  if (user.email) context.idToken = claims;\n  if (user.name) context.accessToken = { 'https://example.com/b': 2, 'https://example.com/c': 3 };\n  callback(null, user, context);\n}\n",
    );
    assert!(output.contains("if (event.user.email) {}"), "{output}");
    assert!(
        output.contains("if (event.user.name) {\n    api.accessToken.setCustomClaim('https://example.com/b', 2);\n    api.accessToken.setCustomClaim('https://example.com/c', 3);\n  }"),
        "{output}"
    );
}

#[test]
fn module_exports_and_wrapped_rules_convert() {
    let output = convert("module.exports = function (user, context, callback) {\n  context.idToken['https://a.example.com/x'] = 1;\n  callback(null, user, context);\n};\n");
    assert_eq!(
        output,
        "exports.onExecutePostLogin = async (event, api) => {\n  api.idToken.setCustomClaim('https://a.example.com/x', 1);\n};\n"
    );
    let wrapped = convert("(function () {\n  const X = 1;\n  return function (user, context, callback) {\n    context.idToken['https://a.example.com/x'] = X;\n    callback(null, user, context);\n  };\n})();\n");
    assert_eq!(
        wrapped,
        "  const X = 1;\n  exports.onExecutePostLogin = async (event, api) => {\n    api.idToken.setCustomClaim('https://a.example.com/x', X);\n  };\n"
    );
    // Declarations that need the Rules sandbox cannot move to module scope.
    let sandbox = migrate_rule(b"(function () {\n  const KEY = configuration.KEY;\n  return function (user, context, callback) {\n    callback(null, user, context);\n  };\n})();\n");
    assert!(
        matches!(sandbox.outcome, Outcome::Failed),
        "{:?}",
        sandbox.outcome
    );
}

#[test]
fn an_action_over_a_platform_limit_is_reported() {
    let requires: String = (0..11)
        .map(|i| format!("  const p{i} = require('package-{i}@1.0.0');\n"))
        .collect();
    let migration = migrate_rule(
        format!("function (user, context, callback) {{\n{requires}  callback(null, user, context);\n}}\n")
            .as_bytes(),
    );
    let over: Vec<_> = migration
        .findings
        .iter()
        .filter(|f| f.code == rules2actions::registry::Code::ActionLimitExceeded)
        .collect();
    assert_eq!(over.len(), 1, "{:?}", migration.findings);
    assert!(over[0].message.contains("11 npm dependencies"));
    assert_eq!(migration.status(), rules2actions::Status::ManualWork);
}

#[test]
fn a_claim_read_back_after_its_token_was_replaced_is_not_the_old_value() {
    let migration = migrate_rule(b"function (user, context, callback) {\n  context.idToken['https://a.example.com/x'] = 'first';\n  context.idToken = { 'https://a.example.com/x': 'second' };\n  context.accessToken['https://a.example.com/y'] = context.idToken['https://a.example.com/x'];\n  callback(null, user, context);\n}\n");
    let output = migration.output().expect("an Action");
    assert!(
        !output.contains("'https://a.example.com/y', 'first'"),
        "{output}"
    );
    assert!(migration
        .findings
        .iter()
        .any(|f| f.code == rules2actions::registry::Code::ClaimReadBack));
}

fn migrate_body(body: &str) -> (String, Vec<Code>) {
    let rule = format!(
        "function (user, context, callback) {{\n{body}\n  callback(null, user, context);\n}}\n"
    );
    let migration = migrate_rule(rule.as_bytes());
    let output = migration.output().expect("converted").to_string();
    (output, migration.findings.iter().map(|f| f.code).collect())
}

#[test]
fn a_jwt_options_object_read_only_by_jwt_sign_is_converted_where_it_is_written() {
    let (output, codes) = migrate_body(
        "  var options = { expiresInMinutes: 2, issuer: 'me' };\n  var t = jwt.sign({}, 'k', options);",
    );
    assert!(
        output.contains("{ expiresIn: 120, issuer: 'me' }"),
        "{output}"
    );
    assert!(codes.contains(&Code::JwtLegacyOption));
    assert!(!codes.contains(&Code::JwtLegacyOptionLeft));
}

#[test]
fn a_jwt_options_object_other_code_reads_is_left_with_an_error() {
    let (output, codes) = migrate_body(
        "  var options = { expiresInMinutes: 2 };\n  var t = jwt.sign({}, 'k', options);\n  console.log(options);",
    );
    assert!(output.contains("{ expiresInMinutes: 2 }"), "{output}");
    assert!(codes.contains(&Code::JwtLegacyOptionLeft));
    assert!(!codes.contains(&Code::JwtLegacyOption));
}
