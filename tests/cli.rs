//! The binary as a user runs it: exit codes, stdout and stderr, snapshotted together.

mod common;

use std::fs;
use std::path::PathBuf;

use common::{run, snapshot_settings, workspace};

const CLEAN_RULE: &str = "function (user, context, callback) {\n  context.idToken['https://example.com/email'] = user.email;\n  callback(null, user, context);\n}\n";
const REVIEW_RULE: &str = "function (user, context, callback) {\n  if (!user.email_verified) {\n    return callback(new UnauthorizedError('verify your email'));\n  }\n  callback(null, user, context);\n}\n";
const MANUAL_RULE: &str = "function (user, context, callback) {\n  if (context.sessionID) {\n    context.idToken['https://example.com/s'] = true;\n  }\n  callback(null, user, context);\n}\n";

#[test]
fn single_clean_rule_prints_the_action_and_exits_0() {
    let dir = workspace(&[("add-email.js", CLEAN_RULE)]);
    let run = run(&["migrate", "add-email.js", "--color", "never"], dir.path());
    assert_eq!(run.code, 0);
    assert!(run
        .stdout
        .starts_with("exports.onExecutePostLogin = async (event, api) => {"));
    let _guard = snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("cli__single_clean_rule", run.transcript());
}

#[test]
fn warnings_are_rendered_but_exit_0() {
    let dir = workspace(&[("verified.js", REVIEW_RULE)]);
    let run = run(&["migrate", "verified.js", "--color", "never"], dir.path());
    assert_eq!(run.code, 0);
    let _guard = snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("cli__warning_rule", run.transcript());
}

#[test]
fn manual_work_exits_1() {
    let dir = workspace(&[("session.js", MANUAL_RULE)]);
    let run = run(&["migrate", "session.js", "--color", "never"], dir.path());
    assert_eq!(run.code, 1);
    let _guard = snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("cli__manual_rule", run.transcript());
}

#[test]
fn syntax_error_exits_2_with_a_diagnostic_and_no_output() {
    let dir = workspace(&[(
        "broken.js",
        "function (user, context, callback) {\n  var x = ;\n}\n",
    )]);
    let run = run(&["migrate", "broken.js", "--color", "never"], dir.path());
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    let _guard = snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("cli__syntax_error", run.transcript());
}

#[test]
fn binary_and_missing_inputs_exit_2() {
    let dir = workspace(&[]);
    fs::write(
        dir.path().join("image.js"),
        [0x89, b'P', b'N', b'G', 0, 1, 2],
    )
    .unwrap();
    let binary = run(&["migrate", "image.js", "--color", "never"], dir.path());
    assert_eq!(binary.code, 2);
    assert!(binary.stderr.contains("binary file"), "{}", binary.stderr);
    let missing = run(&["migrate", "nope.js"], dir.path());
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("nope.js"), "{}", missing.stderr);
}

#[test]
fn deeply_nested_input_is_refused_without_crashing() {
    let depth = 100_000;
    let rule = format!(
        "function (user, context, callback) {{ var x = {}1{}; callback(null, user, context); }}",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let dir = workspace(&[("deep.js", &rule)]);
    let run = run(&["migrate", "deep.js", "--color", "never"], dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("R2A004"), "{}", run.stderr);
}

#[test]
fn diff_prints_a_unified_diff() {
    let dir = workspace(&[("verified.js", REVIEW_RULE)]);
    let run = run(
        &["migrate", "--diff", "verified.js", "--color", "never"],
        dir.path(),
    );
    assert_eq!(run.code, 0);
    let _guard = snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("cli__diff", run.stdout);
}

#[test]
fn folder_without_out_previews_and_writes_nothing() {
    let dir = workspace(&[("rules/a.js", CLEAN_RULE), ("rules/b.js", MANUAL_RULE)]);
    let run = run(&["migrate", "rules", "--color", "never"], dir.path());
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("nothing written"), "{}", run.stderr);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn out_writes_actions_and_never_overwrites_silently() {
    let dir = workspace(&[
        ("rules/add-email.js", CLEAN_RULE),
        ("rules/verified.js", REVIEW_RULE),
    ]);
    let first = run(
        &["migrate", "rules", "--out", "out", "--color", "never"],
        dir.path(),
    );
    assert_eq!(first.code, 0, "{}", first.stderr);
    let written = dir.path().join("out/actions/add-email/code.js");
    let action = fs::read_to_string(&written).unwrap();
    assert!(action
        .contains("api.idToken.setCustomClaim('https://example.com/email', event.user.email)"));
    assert_eq!(
        fs::read_to_string(dir.path().join("rules/add-email.js")).unwrap(),
        CLEAN_RULE
    );

    let again = run(
        &["migrate", "rules", "--out", "out", "--color", "never"],
        dir.path(),
    );
    assert_eq!(again.code, 0);
    assert!(again.stderr.contains("unchanged"), "{}", again.stderr);

    // A hand edit is kept, and said so: not an error, so that CI can go green.
    fs::write(&written, "// edited by hand\n").unwrap();
    let kept = run(
        &["migrate", "rules", "--out", "out", "--color", "never"],
        dir.path(),
    );
    assert_eq!(kept.code, 0, "{}", kept.stderr);
    assert!(
        kept.stderr
            .contains("kept (edited by hand; --force replaces it)"),
        "{}",
        kept.stderr
    );
    assert_eq!(fs::read_to_string(&written).unwrap(), "// edited by hand\n");

    let forced = run(
        &[
            "migrate", "rules", "--out", "out", "--force", "--color", "never",
        ],
        dir.path(),
    );
    assert_eq!(forced.code, 0);
    assert_eq!(fs::read_to_string(&written).unwrap(), action);
    let _guard = snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("cli__out_first_run", first.transcript());
}

#[test]
fn migrating_written_actions_in_place_is_refused() {
    let dir = workspace(&[("rules/add-email.js", CLEAN_RULE)]);
    assert_eq!(
        run(&["migrate", "rules", "--out", "out"], dir.path()).code,
        0
    );
    let code_js = PathBuf::from("out/actions/add-email/code.js");
    let before = fs::read(dir.path().join(&code_js)).unwrap();
    // An output folder is never read back as rules.
    let run = run(&["migrate", "out", "--out", "out", "--force"], dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("an output folder of rules2actions"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("no rules found in out"),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read(dir.path().join(&code_js)).unwrap(), before);
}

#[test]
fn explain_prints_a_code_and_rejects_unknown_ones() {
    let dir = workspace(&[]);
    let known = run(&["explain", "R2A101"], dir.path());
    assert_eq!(known.code, 0);
    let by_name = run(
        &["explain", "unauthorized-becomes-access-denied"],
        dir.path(),
    );
    assert_eq!(by_name.stdout, known.stdout);
    let unknown = run(&["explain", "R2A999"], dir.path());
    assert_eq!(unknown.code, 2);
    let list = run(&["explain"], dir.path());
    assert_eq!(list.code, 0);
    assert_eq!(
        list.stdout.lines().count(),
        rules2actions::registry::REGISTRY.len()
    );
    let _guard = snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("cli__explain_r2a101", known.transcript());
}

#[test]
fn usage_errors_exit_2() {
    let dir = workspace(&[]);
    assert_eq!(run(&["migrate"], dir.path()).code, 2);
    assert_eq!(
        run(&["migrate", "x.js", "--diff", "--out", "o"], dir.path()).code,
        2
    );
    assert_eq!(run(&["frobnicate"], dir.path()).code, 2);
}

#[test]
fn claims_policy_decides_whether_non_namespaced_claims_need_manual_work() {
    let rule = "function (user, context, callback) {\n  context.idToken.favorite_color = 'blue';\n  callback(null, user, context);\n}\n";
    let dir = workspace(&[("color.js", rule)]);
    let enforced = run(&["migrate", "color.js", "--color", "never"], dir.path());
    assert_eq!(enforced.code, 1);
    assert!(enforced.stderr.contains("R2A403"), "{}", enforced.stderr);
    let relaxed = run(
        &[
            "migrate",
            "color.js",
            "--claims-policy",
            "relaxed",
            "--color",
            "never",
        ],
        dir.path(),
    );
    assert_eq!(relaxed.code, 0);
    assert!(relaxed.stderr.contains("R2A408"), "{}", relaxed.stderr);
    for output in [&enforced.stdout, &relaxed.stdout] {
        assert!(output.contains("api.idToken.setCustomClaim('favorite_color', 'blue');"));
    }
}

#[test]
fn verify_runs_rule_and_action_side_by_side() {
    let dir = workspace(&[("verified.js", REVIEW_RULE)]);
    let run = run(&["verify", "verified.js"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("verified: equivalent on "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("expected differences, announced by R2A101"),
        "{}",
        run.stdout
    );
}

#[test]
fn verify_catches_an_action_that_lost_its_deny() {
    let dir = workspace(&[("verified.js", REVIEW_RULE)]);
    assert_eq!(
        run(&["migrate", "verified.js", "--out", "out"], dir.path()).code,
        0
    );
    let action = dir.path().join("out/actions/verified/code.js");
    let broken = fs::read_to_string(&action)
        .unwrap()
        .replace("return api.access.deny('verify your email');", "return;");
    fs::write(&action, broken).unwrap();
    let run = run(&["verify", "verified.js", "--actions", "out"], dir.path());
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("verified: DIFFERS on "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("first differing scenario"),
        "{}",
        run.stdout
    );
}

#[test]
fn verify_without_node_exits_2_and_says_how_to_install_it() {
    let dir = workspace(&[("add-email.js", CLEAN_RULE)]);
    let output = std::process::Command::new(common::BINARY)
        .args(["verify", "add-email.js"])
        .current_dir(dir.path())
        .env("PATH", dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("install it"));
}

#[test]
fn verify_finds_the_scenario_that_reaches_a_deny_and_scenario_files_add_their_own() {
    let rule = "function (user, context, callback) {\n  if (((user.app_metadata || {}).risk || 0) > 80) {\n    return callback(new Error('too risky'));\n  }\n  callback(null, user, context);\n}\n";
    let dir = workspace(&[
        ("risk.js", rule),
        (
            "scenarios.json",
            r#"[{"user": {"app_metadata": {"risk": 95}}}]"#,
        ),
        (
            "out/actions/risk/code.js",
            "exports.onExecutePostLogin = async (event, api) => {};\n",
        ),
    ]);
    // The search harvests 80 from the comparison and tries 81: the lost deny shows.
    let searched = run(&["verify", "risk.js", "--actions", "out"], dir.path());
    assert_eq!(searched.code, 1, "{}", searched.stdout);
    assert!(
        searched.stdout.contains("DIFFERS on "),
        "{}",
        searched.stdout
    );
    assert!(searched.stdout.contains("too risky"), "{}", searched.stdout);
    let with = run(
        &[
            "verify",
            "risk.js",
            "--actions",
            "out",
            "--scenarios",
            "scenarios.json",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(with.code, 1, "{}", with.stdout);
    let report: serde_json::Value = serde_json::from_str(&with.stdout).unwrap();
    let differences = report["rules"][0]["differences"].as_array().unwrap();
    assert!(
        differences
            .iter()
            .any(|d| d["changes"][0] == "user.app_metadata.risk = 95"),
        "the user's scenario runs: {differences:?}"
    );
    fs::write(dir.path().join("bad.json"), "{}").unwrap();
    let bad = run(
        &["verify", "risk.js", "--scenarios", "bad.json"],
        dir.path(),
    );
    assert_eq!(bad.code, 2);
}

/// `check` over 60 rules with the progress bar's wait set to nothing: on a terminal (a pty made
/// by util-linux's `script`) the bar is drawn on stderr; piped, stderr holds only the summary.
#[test]
fn a_progress_bar_shows_on_a_terminal_and_never_in_a_pipe() {
    let rules: Vec<(String, &str)> = (0..60).map(|i| (format!("r{i}.js"), CLEAN_RULE)).collect();
    let named: Vec<(&str, &str)> = rules.iter().map(|(n, r)| (n.as_str(), *r)).collect();
    let dir = workspace(&named);
    let piped = std::process::Command::new(common::BINARY)
        .args(["check", ".", "--color", "never"])
        .current_dir(dir.path())
        .env("RULES2ACTIONS_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(!stderr.contains("checking"), "{stderr}");
    assert!(stderr.contains("60 rules checked"), "{stderr}");

    if !common::has("script") {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI has util-linux's script"
        );
        eprintln!("SKIPPED: the terminal half needs util-linux's `script`");
        return;
    }
    // What `check` draws on a terminal, with extra arguments.
    let on_a_terminal = |extra: &str| {
        let transcript = dir.path().join("terminal.txt");
        let command = format!("{} check . --color never{extra}", common::BINARY);
        let status = std::process::Command::new("script")
            .args(["-qec", &command])
            .arg(&transcript)
            .current_dir(dir.path())
            .env("RULES2ACTIONS_PROGRESS_AFTER_MS", "0")
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(0));
        fs::read_to_string(&transcript).unwrap()
    };
    let shown = on_a_terminal("");
    assert!(shown.contains("checking"), "{shown}");
    assert!(shown.contains("/60 rules"), "{shown}");
    // `--quiet` keeps the terminal quiet too.
    let quiet_shown = on_a_terminal(" --quiet");
    assert!(!quiet_shown.contains("checking"), "{quiet_shown}");
}

/// Above 200 rules `MIGRATION.md` keeps the summary and the rules that need attention, without
/// diffs, and says where the rest is; at 200 or fewer every rule has its section and diff.
#[test]
fn a_large_run_keeps_migration_md_to_the_rules_that_need_attention() {
    let large: Vec<(String, &str)> = (0..240)
        .map(|i| {
            let rule = if i % 4 == 0 { REVIEW_RULE } else { CLEAN_RULE };
            (format!("rules/r{i:03}.js"), rule)
        })
        .collect();
    let named: Vec<(&str, &str)> = large.iter().map(|(n, r)| (n.as_str(), *r)).collect();
    let dir = workspace(&named);
    let migrated = run(
        &["migrate", "rules", "--out", "out", "--color", "never"],
        dir.path(),
    );
    assert_eq!(migrated.code, 0, "{}", migrated.stderr);
    let report = fs::read_to_string(dir.path().join("out/MIGRATION.md")).unwrap();
    assert!(report.contains("240 rules: above 200"), "{report}");
    assert_eq!(
        report.matches("\n## r").count(),
        60,
        "one section per rule needing review"
    );
    assert!(!report.contains("Diff from Rule to Action"));
    // Every rule is still in the table.
    assert_eq!(report.matches("| [r").count(), 240);

    let small = workspace(&named[..200]);
    let migrated = run(
        &["migrate", "rules", "--out", "out", "--color", "never"],
        small.path(),
    );
    assert_eq!(migrated.code, 0, "{}", migrated.stderr);
    let report = fs::read_to_string(small.path().join("out/MIGRATION.md")).unwrap();
    assert!(!report.contains("above 200"));
    assert_eq!(report.matches("\n## r").count(), 200);
    assert_eq!(report.matches("Diff from Rule to Action").count(), 200);
}
