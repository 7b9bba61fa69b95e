//! The `redirect-callback` branch moves into `onContinuePostLogin` only where that handler runs
//! the same code the Rule ran on resume.

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

#[test]
fn a_branch_that_falls_through_keeps_the_error() {
    // In Rules the rest of the rule ran again after this branch; the continue handler would not.
    let falls_through =
        "  if (context.protocol === 'redirect-callback') {\n    console.log('back');\n  }";
    let (codes, output) = migrate(&format!("{falls_through}\n{REDIRECT}"));
    assert!(codes.contains(&Code::ProtocolValueAbsent), "{output}");
    assert!(output.contains("console.log('back');\n  }\n"), "{output}");
}

#[test]
fn declarations_the_branch_uses_are_copied_and_earlier_checks_reported() {
    let body = "  var NS = 'https://example.com/';\n  var unused = 1;\n  if (context.clientName !== 'Shop') return callback(null, user, context);\n  if (context.protocol === 'redirect-callback') {\n    context.idToken[NS + 'back'] = true;\n    return callback(null, user, context);\n  }\n  context.redirect = { url: 'https://consent.example.com' };";
    let (codes, output) = migrate(body);
    let continue_handler = &output[output.find("onContinuePostLogin").expect("moved")..];
    assert!(
        continue_handler.contains(
            "var NS = 'https://example.com/';\n  api.idToken.setCustomClaim(NS + 'back', true);"
        ),
        "{output}"
    );
    assert!(!continue_handler.contains("unused"), "{output}");
    assert!(
        codes.contains(&Code::ResumeSkipsEarlierStatements),
        "{output}"
    );
    // The branch's markers travel with it.
    assert!(
        continue_handler.contains("// TODO(rules2actions R2A909)"),
        "{output}"
    );
}

#[test]
fn a_branch_using_a_reassigned_local_stays() {
    let body = "  var n = 1;\n  n = 2;\n  if (context.protocol === 'redirect-callback') {\n    context.idToken['https://example.com/n'] = n;\n    return callback(null, user, context);\n  }\n  context.redirect = { url: 'https://consent.example.com' };";
    let (codes, output) = migrate(body);
    assert!(codes.contains(&Code::ProtocolValueAbsent), "{output}");
}
