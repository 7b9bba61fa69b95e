//! `check`, the CI migration check: exit codes, every output format snapshotted, the SARIF log
//! validated against the official SARIF 2.1.0 schema.

mod common;

use std::path::Path;
use std::process::Command;

use common::{npm_tools, run, snapshot_settings, workspace};
use rules2actions::registry::REGISTRY;

const CLEAN: &str = "function (user, context, callback) {\n  context.idToken['https://example.com/email'] = user.email;\n  callback(null, user, context);\n}\n";
const REVIEW: &str = "function (user, context, callback) {\n  if (!user.email_verified) {\n    return callback(new UnauthorizedError('verify your email'));\n  }\n  callback(null, user, context);\n}\n";
const SECRET: &str = "function (user, context, callback) {\n  context.idToken['https://example.com/k'] = configuration.KEY;\n  callback(null, user, context);\n}\n";
const MANUAL: &str = "function (user, context, callback) {\n  if (context.sessionID) {\n    context.idToken['https://example.com/s'] = true;\n  }\n  callback(null, user, context);\n}\n";

#[test]
fn exit_codes_follow_fail_on() {
    let dir = workspace(&[
        ("clean.js", CLEAN),
        ("review.js", REVIEW),
        ("secret.js", SECRET),
        ("manual.js", MANUAL),
        ("broken.js", "function (user, context, callback) {\n"),
    ]);
    let code = |args: &[&str]| run(args, dir.path()).code;
    assert_eq!(code(&["check", "clean.js"]), 0);
    assert_eq!(code(&["check", "review.js"]), 0);
    assert_eq!(code(&["check", "review.js", "--fail-on", "warning"]), 1);
    assert_eq!(code(&["check", "secret.js"]), 0);
    assert_eq!(code(&["check", "secret.js", "--fail-on", "info"]), 1);
    assert_eq!(code(&["check", "manual.js"]), 1);
    assert_eq!(code(&["check", "broken.js"]), 2);
    assert_eq!(code(&["check", "missing.js"]), 2);
    assert_eq!(code(&["check", "clean.js", "--format", "yaml"]), 2);
    // It writes nothing.
    let files = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(files, 5);
}

#[test]
fn every_format_is_snapshotted_with_its_exit_code() {
    let dir = workspace(&[("rules/review.js", REVIEW), ("rules/manual.js", MANUAL)]);
    let _guard = snapshot_settings().bind_to_scope();
    for format in ["text", "json", "sarif", "github", "junit"] {
        let result = run(&["check", "rules", "--format", format], dir.path());
        assert_eq!(result.code, 1, "{format}: {}", result.stderr);
        insta::assert_snapshot!(format!("check__{format}"), result.transcript());
    }
}

#[test]
fn the_json_report_is_versioned_and_locates_every_finding() {
    let dir = workspace(&[("review.js", REVIEW)]);
    let result = run(&["check", "review.js", "--format", "json"], dir.path());
    let report: serde_json::Value = serde_json::from_str(&result.stdout).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["summary"]["read"], 1);
    assert_eq!(report["summary"]["needs-review"], 1);
    let finding = &report["rules"][0]["findings"][0];
    assert_eq!(finding["code"], "R2A101");
    assert_eq!(finding["start"]["line"], 3);
    assert_eq!(finding["start"]["column"], 21);
    let start = finding["span"]["start"].as_u64().unwrap() as usize;
    assert!(REVIEW[start..].starts_with("new UnauthorizedError"));
}

#[test]
fn the_sarif_log_of_the_whole_corpus_is_valid_sarif_2_1_0() {
    let Some(tools) = npm_tools() else {
        return;
    };
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("rule-corpus");
    let dir = tempfile::tempdir().unwrap();
    let result = run(
        &["check", corpus.to_str().unwrap(), "--format", "sarif"],
        dir.path(),
    );
    assert_eq!(result.code, 1, "{}", result.stderr);
    let log: serde_json::Value = serde_json::from_str(&result.stdout).unwrap();
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["rules"].as_array().unwrap().len(), REGISTRY.len());
    assert!(log["runs"][0]["results"].as_array().unwrap().len() > 100);
    let path = dir.path().join("corpus.sarif");
    std::fs::write(&path, &result.stdout).unwrap();
    let validation = Command::new("node")
        .arg(tools.join("validate-sarif.js"))
        .arg(&path)
        .output()
        .expect("node runs");
    assert!(
        validation.status.success(),
        "{}",
        String::from_utf8_lossy(&validation.stderr)
    );
}

#[test]
fn drift_detection_tells_stale_and_missing_actions_from_edited_ones() {
    let dir = workspace(&[("rules/review.js", REVIEW), ("rules/clean.js", CLEAN)]);
    assert_eq!(
        run(&["migrate", "rules", "--out", "actions"], dir.path()).code,
        0
    );
    let check = || run(&["check", "rules", "--actions", "actions"], dir.path());

    let fresh = check();
    assert_eq!(fresh.code, 0, "{}", fresh.transcript());

    // A human edits an Action: not drift.
    let clean = dir.path().join("actions/actions/clean/code.js");
    let edited = std::fs::read_to_string(&clean).unwrap() + "// reviewed by ops\n";
    std::fs::write(&clean, edited).unwrap();
    let after_edit = check();
    assert_eq!(after_edit.code, 0, "{}", after_edit.transcript());
    assert!(
        after_edit.stderr.contains("edited after generation"),
        "{}",
        after_edit.stderr
    );

    // The rule changes after its Action was generated: stale.
    let rule = dir.path().join("rules/review.js");
    std::fs::write(
        &rule,
        REVIEW.replace("verify your email", "please verify your email"),
    )
    .unwrap();
    let stale = check();
    assert_eq!(stale.code, 1, "{}", stale.transcript());
    assert!(stale.stdout.contains("R2A960"), "{}", stale.stdout);

    // A rule without an Action: missing.
    std::fs::write(dir.path().join("rules/secret.js"), SECRET).unwrap();
    let missing = check();
    assert!(missing.stdout.contains("R2A961"), "{}", missing.stdout);
    let _guard = snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("check__drift", missing.transcript());
}

#[test]
fn an_action_accepted_in_review_is_not_drift_until_its_rule_changes() {
    use rules2actions::review::{Decision, ReviewState, REVIEW_FILE};
    let dir = workspace(&[("rules/review.js", REVIEW)]);
    assert_eq!(
        run(&["migrate", "rules", "--out", "actions"], dir.path()).code,
        0
    );
    // The reviewer edited the Action and accepted it.
    let action = dir.path().join("actions/actions/review/code.js");
    let accepted = std::fs::read_to_string(&action)
        .unwrap()
        .replace("verify your email", "Please verify your email.");
    std::fs::write(&action, &accepted).unwrap();
    let mut review = ReviewState::default();
    review.decide(
        "review",
        Decision::Accepted,
        REVIEW.as_bytes(),
        Some(&accepted),
        "ada",
        "2026-11-25T10:00:00Z",
    );
    std::fs::write(
        dir.path().join("actions").join(REVIEW_FILE),
        review.to_text(),
    )
    .unwrap();

    let check = || run(&["check", "rules", "--actions", "actions"], dir.path());
    let clean = check();
    assert_eq!(clean.code, 0, "{}", clean.transcript());
    assert!(
        !clean.stderr.contains("edited after generation"),
        "{}",
        clean.stderr
    );

    std::fs::write(
        dir.path().join("rules/review.js"),
        REVIEW.replace("verify", "confirm"),
    )
    .unwrap();
    let stale = check();
    assert_eq!(stale.code, 1, "{}", stale.transcript());
    assert!(
        stale.stdout.contains("was accepted in review"),
        "{}",
        stale.stdout
    );
}

#[test]
fn a_hand_written_action_calling_an_invented_api_member_fails_the_check() {
    let tutorial = "exports.onExecutePostLogin = async (event, api) => {\n  api.idToken.addClaim({ 'https://example.com/roles': event.authorization.roles });\n};\n";
    let fixed = "exports.onExecutePostLogin = async (event, api) => {\n  api.idToken.setCustomClaim('https://example.com/roles', event.authorization.roles);\n};\n";
    let dir = workspace(&[("tutorial.js", tutorial), ("fixed.js", fixed)]);
    let broken = run(&["check", "tutorial.js", "--color", "never"], dir.path());
    assert_eq!(broken.code, 1, "{}", broken.stdout);
    assert!(broken.stdout.contains("R2A013"), "{}", broken.stdout);
    assert!(
        broken
            .stdout
            .contains("api.idToken.setCustomClaim(name, value)"),
        "{}",
        broken.stdout
    );
    assert_eq!(run(&["check", "fixed.js"], dir.path()).code, 0);
}
