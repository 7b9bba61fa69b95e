//! The `redirect-callback` branch moves into `onContinuePostLogin` only where that handler runs
//! the same code the Rule ran on resume; elsewhere the test becomes the handler's flag and
//! `onContinuePostLogin` runs the whole handler again, as Rules ran the whole rule again.

use rules2actions::migrate_rule;
use rules2actions::registry::Code;

fn migrate(body: &str) -> (Vec<Code>, String) {
    let rule = format!(
        "function (user, context, callback) {{\n{body}\n  callback(null, user, context);\n}}\n"
    );
    let migration = migrate_rule(rule.as_bytes());
    let output = migration.output().expect("converted").to_string();
    (migration.findings.iter().map(|f| f.code).collect(), output)
}

const RESUME_THEN_RETURN: &str = "  if (context.protocol === 'redirect-callback') {\n    context.idToken['https://example.com/back'] = true;\n    return callback(null, user, context);\n  }";
const REDIRECT: &str = "  context.redirect = { url: 'https://consent.example.com' };";

#[test]
fn a_returning_branch_of_a_redirecting_rule_moves() {
    let (codes, output) = migrate(&format!("{RESUME_THEN_RETURN}\n{REDIRECT}"));
    assert!(!codes.contains(&Code::ProtocolValueAbsent), "{output}");
    assert!(
        output.contains("exports.onContinuePostLogin = async (event, api) => {\n  api.idToken.setCustomClaim('https://example.com/back', true);"),
        "{output}"
    );
}

#[test]
fn a_rule_that_never_redirects_keeps_its_branch_and_the_error() {
    // Only the Action that redirected resumes: this branch would never run.
    let (codes, output) = migrate(RESUME_THEN_RETURN);
    assert!(codes.contains(&Code::ProtocolValueAbsent), "{output}");
    assert!(!output.contains("onContinuePostLogin"), "{output}");
}

const RERUN: &str = "exports.onContinuePostLogin = async (event, api) => exports.onExecutePostLogin(event, api, true);";

/// The rule went on past the branch, or ran earlier statements again, or read a local that
/// changed: only running the whole handler again does what the Rule did on resume.
fn assert_reruns(body: &str) -> String {
    let (codes, output) = migrate(body);
    assert!(!codes.contains(&Code::ProtocolValueAbsent), "{output}");
    assert!(codes.contains(&Code::ResumeRunsHandlerAgain), "{output}");
    assert!(
        output.contains("exports.onExecutePostLogin = async (event, api, resumed = false) => {"),
        "{output}"
    );
    assert!(output.contains("  if (resumed) {"), "{output}");
    assert!(output.ends_with(&format!("{RERUN}\n")), "{output}");
    output
}

#[test]
fn a_branch_that_falls_through_runs_the_whole_handler_again() {
    let falls_through =
        "  if (context.protocol === 'redirect-callback') {\n    console.log('back');\n  }";
    let output = assert_reruns(&format!("{falls_through}\n{REDIRECT}"));
    assert!(output.contains("console.log('back');\n  }\n"), "{output}");
}

#[test]
fn a_branch_after_other_statements_runs_the_whole_handler_again() {
    let body = "  var NS = 'https://example.com/';\n  if (context.clientName !== 'Shop') return callback(null, user, context);\n  if (context.protocol === 'redirect-callback') {\n    context.idToken[NS + 'back'] = true;\n    return callback(null, user, context);\n  }\n  context.redirect = { url: 'https://consent.example.com' };";
    let output = assert_reruns(body);
    // The earlier check holds on resume too, as it did in Rules.
    assert!(
        output.contains("if (event.client.name !== 'Shop') return;\n  if (resumed) {"),
        "{output}"
    );
}

#[test]
fn a_branch_using_a_reassigned_local_runs_the_whole_handler_again() {
    let body = "  var n = 1;\n  n = 2;\n  if (context.protocol === 'redirect-callback') {\n    context.idToken['https://example.com/n'] = n;\n    return callback(null, user, context);\n  }\n  context.redirect = { url: 'https://consent.example.com' };";
    assert_reruns(body);
}

#[test]
fn a_negated_test_inside_a_block_becomes_the_negated_flag() {
    let body = "  try {\n    if (context.protocol !== 'redirect-callback' && !user.email_verified) {\n      context.redirect = { url: 'https://verify.example.com' };\n    }\n  } catch (e) {\n    console.log(e);\n  }";
    let (codes, output) = migrate(body);
    assert!(codes.contains(&Code::ResumeRunsHandlerAgain), "{output}");
    assert!(
        output.contains("if (!resumed && !event.user.email_verified) {"),
        "{output}"
    );
    assert!(output.contains(RERUN), "{output}");
}

#[test]
fn a_rule_that_names_a_local_resumed_gets_another_flag() {
    let body = "  var resumed = false;\n  if (user.email && context.protocol === 'redirect-callback') resumed = true;\n  context.idToken['https://example.com/resumed'] = resumed;\n  context.redirect = { url: 'https://consent.example.com' };";
    let (_, output) = migrate(body);
    assert!(
        output.contains("async (event, api, resumed2 = false) =>"),
        "{output}"
    );
    assert!(
        output.contains("if (event.user.email && resumed2) resumed = true;"),
        "{output}"
    );
}

#[test]
fn a_rule_that_never_tests_for_the_return_says_the_continue_handler_does_nothing() {
    // Rules ran it again on resume, and it redirected again unless its condition had changed.
    let body = "  if (!user.app_metadata.terms) {\n    context.redirect = { url: 'https://terms.example.com' };\n  }";
    let (codes, output) = migrate(body);
    assert!(codes.contains(&Code::ResumeRunsNothing), "{output}");
    assert!(
        output.ends_with("exports.onContinuePostLogin = async (event, api) => {};\n"),
        "{output}"
    );
    let (codes, output) = migrate(&format!("{RESUME_THEN_RETURN}\n{REDIRECT}"));
    assert!(!codes.contains(&Code::ResumeRunsNothing), "{output}");
}
