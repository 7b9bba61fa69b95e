//! Rules whose rewrites used to end as an internal error (R2A006): each now yields an Action
//! that Node loads, or, when the rule itself is invalid JavaScript, a syntax error. Node is the
//! judge of validity, so names declared twice in one scope count as invalid, as Node says.

mod common;

use rules2actions::registry::Code;
use rules2actions::{migrate_rule, Outcome};

fn codes(rule: &str) -> Vec<Code> {
    migrate_rule(rule.as_bytes())
        .findings
        .iter()
        .map(|f| f.code)
        .collect()
}

/// The Action, after checking that Node compiles it (when Node is installed).
fn action(rule: &str) -> String {
    let migration = migrate_rule(rule.as_bytes());
    let Outcome::Converted(output) = migration.outcome else {
        panic!("not converted: {:?}", migration.findings);
    };
    if common::has("node") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("action.js");
        std::fs::write(&path, &output).unwrap();
        let check = std::process::Command::new("node")
            .arg("--check")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{}\n{output}",
            String::from_utf8_lossy(&check.stderr)
        );
    }
    output
}

#[test]
fn a_rule_that_declares_a_name_twice_is_a_syntax_error_as_in_node() {
    let rule = "function (user, context, callback) {\n  const x = 1;\n  const x = 2;\n  callback(null, user, context);\n}\n";
    let migration = migrate_rule(rule.as_bytes());
    assert_eq!(migration.outcome, Outcome::Failed);
    assert_eq!(codes(rule), [Code::SyntaxError]);
    assert!(migration.findings[0]
        .message
        .contains("Identifier 'x' has already been declared"));
}

#[test]
fn an_asynchronous_rule_that_redeclares_its_callback_gets_a_shim_under_another_name() {
    let rule = "function (user, context, callback) {\n  var callback;\n  setTimeout(function () { callback(null, user, context); }, 1);\n}\n";
    let output = action(rule);
    assert!(
        output.contains("const callback2 = (error) => {"),
        "{output}"
    );
    assert!(codes(rule).contains(&Code::RuleParamReassigned));
}

#[test]
fn an_async_rule_that_awaits_inside_the_callback_shim_runs_as_an_async_body() {
    let rule = "async function (user, context, callback) {\n  const risk = await Promise.resolve(user.app_metadata.risk);\n  setTimeout(function () {\n    if (risk > 5) return callback(new UnauthorizedError('risky'));\n    callback(null, user, context);\n  }, 1);\n}\n";
    let output = action(rule);
    assert!(
        output.contains("await new Promise((settle, reject) => (async () => {"),
        "{output}"
    );
    assert!(output.contains("})().catch(reject));"), "{output}");
    assert!(!codes(rule).contains(&Code::InvalidOutput));
}

#[test]
fn a_management_client_with_a_node_callback_inside_try_is_asynchronous() {
    let rule = "function (user, context, callback) {\n  try {\n    const ManagementClient = require('auth0@2.30.0').ManagementClient;\n    const management = new ManagementClient({ domain: auth0.domain, token: auth0.accessToken });\n    management.updateAppMetadata({ id: user.user_id }, { seen: true }, function (err) {\n      if (err) return callback(err);\n      callback(null, user, context);\n    });\n  } catch (err) {\n    callback(err);\n  }\n}\n";
    let output = action(rule);
    assert!(codes(rule).contains(&Code::CallbackShim), "{output}");
    assert!(output.contains("token: (await managementApiToken(event, api))"));
    assert!(output.contains("(async () => {"), "{output}");
}
