//! Safe to run on a real repository: what a team hits on the day it migrates, through the CLI.
//! Output inside the input, broken Actions, closed pipes, links, failed writes, concurrent
//! runs, wrong metadata values, empty inputs, hand edits and suppressions.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{run, workspace, BINARY};

const CLEAN: &str = "function (user, context, callback) {\n  context.idToken['https://example.com/email'] = user.email;\n  callback(null, user, context);\n}\n";
const REVIEW: &str = "function (user, context, callback) {\n  if (!user.email_verified) {\n    return callback(new UnauthorizedError('verify your email'));\n  }\n  callback(null, user, context);\n}\n";
/// Throws `context is not defined` on every login until someone fixes it.
const MANUAL: &str = "function (user, context, callback) {\n  if (context.sessionID) {\n    context.idToken['https://example.com/s'] = true;\n  }\n  callback(null, user, context);\n}\n";

/// A deploy-cli repository: three rules with an order, one of them disabled.
fn repository() -> tempfile::TempDir {
    workspace(&[
        ("repo/rules/clean.js", CLEAN),
        (
            "repo/rules/clean.json",
            "{\"name\": \"Clean\", \"script\": \"./clean.js\", \"order\": 2}\n",
        ),
        ("repo/rules/review.js", REVIEW),
        (
            "repo/rules/review.json",
            "{\"name\": \"Review\", \"script\": \"./review.js\", \"order\": 1}\n",
        ),
        ("repo/rules/off.js", CLEAN),
        (
            "repo/rules/off.json",
            "{\"name\": \"Off\", \"script\": \"./off.js\", \"order\": 3, \"enabled\": false}\n",
        ),
    ])
}

fn bindings(out: &Path) -> Vec<String> {
    let triggers: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("triggers/triggers.json")).unwrap())
            .unwrap();
    triggers["post-login"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["action_name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn output_inside_the_input_is_refused_and_the_repository_root_is_allowed() {
    let dir = repository();
    // `rules/` is read as its repository, so order and enabled are kept ...
    let inside = run(
        &["migrate", "repo/rules", "--out", "repo/rules/actions"],
        dir.path(),
    );
    assert_eq!(inside.code, 2, "{}", inside.stderr);
    assert!(
        inside
            .stderr
            .contains("is the rules/ folder of an auth0-deploy-cli repository"),
        "{}",
        inside.stderr
    );
    // ... and an output folder inside it, which a later run would read back, is refused.
    assert!(
        inside
            .stderr
            .contains("a later run would read the Actions back as rules"),
        "{}",
        inside.stderr
    );
    assert!(!dir.path().join("repo/rules/actions").exists());

    // Beside `rules/` in the same repository is what many teams want; run twice, nothing doubles.
    for _ in 0..2 {
        let result = run(&["migrate", "repo/rules", "--out", "repo"], dir.path());
        assert_eq!(result.code, 0, "{}", result.stderr);
        assert!(result.stderr.contains("3 rules read"), "{}", result.stderr);
    }
    assert_eq!(bindings(&dir.path().join("repo")), ["Review", "Clean"]);
    let actions: Vec<_> = fs::read_dir(dir.path().join("repo/actions"))
        .unwrap()
        .collect();
    assert_eq!(actions.len(), 6, "three folders and three metadata files");

    // A folder of loose rule files cannot hold its own output either.
    let loose = workspace(&[("rules/a.js", CLEAN)]);
    let refused = run(&["migrate", "rules", "--out", "rules/out"], loose.path());
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    let same = run(&["migrate", "rules", "--out", "rules"], loose.path());
    assert_eq!(same.code, 2, "{}", same.stderr);
}

#[test]
fn an_action_that_needs_manual_work_is_not_deployed_or_bound() {
    let dir = workspace(&[("rules/clean.js", CLEAN), ("rules/manual.js", MANUAL)]);
    let result = run(
        &["migrate", "rules", "--out", "out", "--color", "never"],
        dir.path(),
    );
    assert_eq!(result.code, 1, "{}", result.stderr);
    let out = dir.path().join("out");
    assert_eq!(bindings(&out), ["clean"]);
    let metadata = fs::read_to_string(out.join("actions/manual.json")).unwrap();
    assert!(metadata.contains("\"deployed\": false"), "{metadata}");
    assert!(
        result.stderr.contains("no: needs manual work (R2A201)"),
        "the plan says why: {}",
        result.stderr
    );
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("migration-report.json")).unwrap())
            .unwrap();
    let manual = &report["rules"][1];
    assert_eq!(manual["bound"], false);
    assert_eq!(manual["not_bound_because"], "needs manual work (R2A201)");

    let forced = run(
        &["migrate", "rules", "--out", "out", "--bind-all"],
        dir.path(),
    );
    assert_eq!(forced.code, 1, "{}", forced.stderr);
    assert_eq!(bindings(&out), ["clean", "manual"]);
    assert!(fs::read_to_string(out.join("actions/manual.json"))
        .unwrap()
        .contains("\"deployed\": true"));

    // The team fixes the Action by hand and removes the marker: it is kept, and bound again.
    let code = out.join("actions/manual/code.js");
    fs::write(
        &code,
        "exports.onExecutePostLogin = async (event, api) => {};\n",
    )
    .unwrap();
    let fixed = run(&["migrate", "rules", "--out", "out"], dir.path());
    assert!(
        fixed.stderr.contains("kept (edited by hand"),
        "{}",
        fixed.stderr
    );
    assert_eq!(bindings(&out), ["clean", "manual"]);
}

#[test]
fn verify_decides_binding_when_asked() {
    if !common::has("node") {
        assert!(std::env::var_os("CI").is_none(), "CI has Node.js");
        return;
    }
    let dir = workspace(&[("rules/clean.js", CLEAN), ("rules/review.js", REVIEW)]);
    let result = run(
        &["migrate", "rules", "--out", "out", "--verify"],
        dir.path(),
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(bindings(&dir.path().join("out")), ["clean", "review"]);
}

#[test]
fn a_closed_pipe_never_panics_and_every_file_still_lands() {
    let dir = workspace(&[
        ("rules/a.js", CLEAN),
        ("rules/b.js", REVIEW),
        ("rules/c.js", MANUAL),
    ]);
    let mut child = Command::new(BINARY)
        .args(["migrate", "rules", "--out", "out", "--diff"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -0` on both streams: the reader is gone before the first byte.
    drop(child.stdout.take());
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    // --diff and --out conflict: a usage error, exit 2, even with nobody listening.
    assert_eq!(status.code(), Some(2));

    let mut child = Command::new(BINARY)
        .args(["migrate", "rules", "--out", "out"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "manual work, not a panic (101)");
    for name in ["a", "b", "c"] {
        assert!(dir
            .path()
            .join(format!("out/actions/{name}/code.js"))
            .is_file());
    }
    assert!(dir
        .path()
        .join("out/.rules2actions-manifest.json")
        .is_file());

    for args in [
        &["explain"][..],
        &["check", "rules"],
        &["migrate", "rules", "--diff"],
    ] {
        let mut child = Command::new(BINARY)
            .args(args)
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        let status = child.wait().unwrap();
        assert_ne!(status.code(), Some(101), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[cfg(unix)]
#[test]
fn links_are_read_once_never_leave_the_input_and_are_accounted_for() {
    use std::os::unix::fs::symlink;
    let dir = workspace(&[("outside/secret.js", CLEAN), ("rules/a.js", CLEAN)]);
    let rules = dir.path().join("rules");
    symlink(".", rules.join("self")).unwrap();
    symlink("..", rules.join("parent")).unwrap();
    symlink("a.js", rules.join("again.js")).unwrap();
    symlink("missing.js", rules.join("dangling.js")).unwrap();
    symlink("loop2.js", rules.join("loop1.js")).unwrap();
    symlink("loop1.js", rules.join("loop2.js")).unwrap();
    symlink("../outside/secret.js", rules.join("escape.js")).unwrap();
    let result = run(&["check", "rules"], dir.path());
    assert_eq!(result.code, 0, "{}", result.stderr);
    for reason in [
        "rules/self: a link to a folder that is already read",
        "another path to",
        "rules/dangling.js: a broken symbolic link",
        "rules/loop1.js: a symbolic link loop",
        "outside",
    ] {
        assert!(
            result.stderr.contains(reason),
            "{reason}: {}",
            result.stderr
        );
    }
    assert!(
        result.stderr.contains("1 rule checked") && result.stderr.contains("(7 entries skipped)"),
        "{}",
        result.stderr
    );

    // In a deploy-cli repository, a script link that leaves the repository is refused.
    let repo = workspace(&[
        ("outside.js", CLEAN),
        (
            "repo/rules/a.json",
            "{\"name\": \"A\", \"script\": \"./a.js\"}\n",
        ),
        ("repo/rules/b.js", CLEAN),
    ]);
    symlink("../../outside.js", repo.path().join("repo/rules/a.js")).unwrap();
    symlink("nowhere.js", repo.path().join("repo/rules/c.js")).unwrap();
    let result = run(&["check", "repo"], repo.path());
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(result.stderr.contains("outside"), "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("repo/rules/c.js: a broken symbolic link"),
        "{}",
        result.stderr
    );
}

#[test]
fn an_action_whose_files_fail_to_write_is_never_bound() {
    let long = "n".repeat(300);
    let metadata = format!("{{\"name\": \"{long}\", \"script\": \"./b.js\", \"order\": 2}}\n");
    let dir = workspace(&[
        ("repo/rules/a.js", CLEAN),
        ("repo/rules/b.js", REVIEW),
        ("repo/rules/b.json", &metadata),
    ]);
    let result = run(&["migrate", "repo", "--out", "out"], dir.path());
    assert_eq!(
        result.code, 0,
        "long names are shortened: {}",
        result.stderr
    );
    let names = bindings(&dir.path().join("out"));
    assert!(
        names[0].len() <= 100 && names[0].starts_with("nnnn"),
        "{names:?}"
    );

    let blocked = workspace(&[
        ("rules/a.js", CLEAN),
        ("out/actions", "a file, not a folder"),
    ]);
    let result = run(&["migrate", "rules", "--out", "out"], blocked.path());
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(
        result.stderr.contains("no: its files could not be written"),
        "{}",
        result.stderr
    );
    assert!(bindings(&blocked.path().join("out")).is_empty());
    let report = fs::read_to_string(blocked.path().join("out/migration-report.json")).unwrap();
    assert!(report.contains("\"files\": \"failed: "), "{report}");
}

#[test]
fn temporary_files_of_an_interrupted_run_are_removed() {
    let dir = workspace(&[
        ("rules/a.js", CLEAN),
        ("out/actions/a/.rules2actions-tmp-AbC123", "half a file"),
    ]);
    let result = run(&["migrate", "rules", "--out", "out"], dir.path());
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stderr.contains("removed 1 temporary file"),
        "{}",
        result.stderr
    );
    assert!(!dir
        .path()
        .join("out/actions/a/.rules2actions-tmp-AbC123")
        .exists());
}

#[test]
fn two_runs_into_one_folder_do_not_interleave() {
    let rules: Vec<(String, &str)> = (0..200)
        .map(|i| (format!("rules/r{i}.js"), CLEAN))
        .collect();
    let refs: Vec<(&str, &str)> = rules.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let dir = workspace(&refs);
    let spawn = |runtime: &str| {
        Command::new(BINARY)
            .args([
                "migrate",
                "rules",
                "--out",
                "out",
                "--runtime",
                runtime,
                "--quiet",
            ])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let first = spawn("node18");
    let second = spawn("node22");
    for child in [first, second] {
        let output = child.wait_with_output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let runtimes: std::collections::BTreeSet<String> = (0..200)
        .map(|i| {
            let metadata =
                fs::read_to_string(dir.path().join(format!("out/actions/r{i}.json"))).unwrap();
            let value: serde_json::Value = serde_json::from_str(&metadata).unwrap();
            value["runtime"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        runtimes.len(),
        1,
        "one run's files, not a mix: {runtimes:?}"
    );
    // And the manifest knows every file: a third run replaces them without --force.
    let third = run(
        &["migrate", "rules", "--out", "out", "--runtime", "node18"],
        dir.path(),
    );
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert!(!third.stderr.contains("kept"), "{}", third.stderr);
}

#[test]
fn wrong_metadata_values_are_errors_for_their_rule_never_guesses() {
    let dir = workspace(&[
        ("repo/rules/a.js", CLEAN),
        (
            "repo/rules/a.json",
            "{\"name\": \"A\", \"enabled\": \"false\"}\n",
        ),
        ("repo/rules/b.js", CLEAN),
        ("repo/rules/b.json", "{\"name\": \"B\", \"order\": \"3\"}\n"),
        ("repo/rules/c.js", CLEAN),
        ("repo/rules/c.json", "{\"name\": \"C\", \"order\": null}\n"),
        ("repo/rules/sub/d.js", CLEAN),
        (
            "repo/rules/d.json",
            "{\"name\": \"D\", \"script\": \"./sub/../sub/d.js\", \"order\": 1}\n",
        ),
        ("yaml/tenant.yaml", "rules: 5\n"),
    ]);
    let result = run(&["check", "repo"], dir.path());
    assert_eq!(result.code, 2, "{}", result.stderr);
    for error in [
        "`enabled` must be true or false, not \"false\"",
        "`order` must be a number, not \"3\"",
        "`order` must be a number, not null",
    ] {
        assert!(result.stderr.contains(error), "{error}: {}", result.stderr);
    }
    assert!(
        !result.stderr.contains("outside rules/"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains("4 rules checked"),
        "{}",
        result.stderr
    );
    let yaml = run(&["check", "yaml"], dir.path());
    assert_eq!(yaml.code, 2, "{}", yaml.stderr);
    assert!(
        yaml.stderr.contains("`rules` must be a list of rules"),
        "{}",
        yaml.stderr
    );
}

#[test]
fn no_rules_is_an_error_with_a_hint() {
    let dir = workspace(&[
        ("empty/.keep", ""),
        ("not-rules.yaml", "tenant:\n  friendly_name: x\n"),
        (
            "hooked/hooks/h.js",
            "module.exports = function (user, context, cb) { cb(); };\n",
        ),
        (
            "hooked/rules-configs/K.json",
            "{\"key\": \"K\", \"value\": \"v\"}\n",
        ),
    ]);
    for command in ["check", "verify", "migrate"] {
        let result = run(&[command, "empty"], dir.path());
        assert_eq!(result.code, 2, "{command}: {}", result.stderr);
        assert!(
            result.stderr.contains("no rules found in empty"),
            "{}",
            result.stderr
        );
    }
    let yaml = run(&["check", "not-rules.yaml"], dir.path());
    assert_eq!(yaml.code, 2, "{}", yaml.stderr);
    assert!(yaml.stderr.contains("has no `rules:`"), "{}", yaml.stderr);
    // A Hook without metadata is read, and its signature does not tell its extensibility point.
    let hooks = run(&["check", "hooked", "--format", "json"], dir.path());
    assert!(
        hooks.stdout.contains("R2A854"),
        "{}\n{}",
        hooks.stdout,
        hooks.stderr
    );
    assert!(!hooks.stderr.contains("no rules found"), "{}", hooks.stderr);
}

#[test]
fn a_workflow_with_hand_fixes_can_go_green() {
    let dir = workspace(&[
        ("rules/clean.js", CLEAN),
        ("rules/manual.js", MANUAL),
        ("rules/rejected.js", REVIEW),
    ]);
    let first = run(&["migrate", "rules", "--out", "out"], dir.path());
    assert_eq!(first.code, 1, "{}", first.stderr);
    let check = run(&["check", "rules", "--actions", "out"], dir.path());
    assert_eq!(
        check.code, 1,
        "the manual rule still fails: {}",
        check.stderr
    );

    // The team fixes the manual Action and removes its marker.
    let code = dir.path().join("out/actions/manual/code.js");
    let fixed: String = fs::read_to_string(&code)
        .unwrap()
        .lines()
        .filter(|l| !l.contains("TODO(rules2actions R2A201)"))
        .map(|l| format!("{}\n", l.replace("context.sessionID", "event.session?.id")))
        .collect();
    fs::write(&code, fixed).unwrap();
    // A rejected rule's Action is gone on purpose.
    fs::remove_dir_all(dir.path().join("out/actions/rejected")).unwrap();
    fs::write(
        dir.path().join("out/.rules2actions-review.json"),
        format!(
            "{{\"version\": 1, \"rules\": {{\"rejected\": {{\"decision\": \"rejected\", \"rule\": \"{}\", \"code\": null, \"by\": \"ada\", \"at\": \"2026-12-01T00:00:00Z\"}}}}}}\n",
            rules2actions::layout::fingerprint(REVIEW.as_bytes())
        ),
    )
    .unwrap();
    let check = run(&["check", "rules", "--actions", "out"], dir.path());
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(
        check.stderr.contains("1 finding resolved by hand"),
        "{}",
        check.stderr
    );
    assert!(
        check.stderr.contains("`rejected` was rejected in review"),
        "{}",
        check.stderr
    );
    if common::has("node") {
        let verify = run(&["verify", "rules", "--actions", "out"], dir.path());
        assert!(!verify.stderr.contains("No such file"), "{}", verify.stderr);
        assert!(
            verify.stdout.contains("rejected: rejected in review"),
            "{}",
            verify.stdout
        );
    }
    // Migrating again keeps the fix and does not fail for it.
    let again = run(&["migrate", "rules", "--out", "out"], dir.path());
    assert!(
        again.stderr.contains("kept (edited by hand"),
        "{}",
        again.stderr
    );
    assert_ne!(again.code, 2, "{}", again.stderr);
}

#[test]
fn findings_can_be_suppressed_by_flag_comment_and_configuration() {
    let commented = "function (user, context, callback) {\n  if (!user.email_verified) {\n    // rules2actions-ignore R2A101: our apps only check that the login failed\n    return callback(new UnauthorizedError('verify your email'));\n  }\n  // rules2actions-ignore R2A999\n  callback(null, user, context);\n}\n";
    let dir = workspace(&[
        ("rules/review.js", REVIEW),
        ("commented/review.js", commented),
    ]);
    let plain = run(&["check", "rules", "--fail-on", "warning"], dir.path());
    assert_eq!(plain.code, 1, "{}", plain.stdout);
    let flagged = run(
        &[
            "check",
            "rules",
            "--fail-on",
            "warning",
            "--ignore",
            "R2A101",
        ],
        dir.path(),
    );
    assert_eq!(flagged.code, 0, "{}", flagged.stdout);
    assert!(
        flagged.stderr.contains("(1 finding suppressed)"),
        "{}",
        flagged.stderr
    );
    let by_comment = run(&["check", "commented", "--fail-on", "warning"], dir.path());
    assert!(
        !by_comment.stdout.contains("R2A101"),
        "{}",
        by_comment.stdout
    );
    assert!(
        by_comment.stdout.contains("R2A011"),
        "a typo never hides nothing silently: {}",
        by_comment.stdout
    );
    // The Action carries no marker for a suppressed finding.
    let migrated = run(&["migrate", "commented/review.js"], dir.path());
    assert!(
        !migrated.stdout.contains("TODO(rules2actions R2A101)"),
        "{}",
        migrated.stdout
    );

    fs::write(
        dir.path().join("rules/rules2actions.toml"),
        "runtime = \"node18\"\nignore = [\"R2A101\"]\n[rules.other]\nignore = [\"R2A403\"]\n",
    )
    .unwrap();
    let configured = run(&["check", "rules", "--fail-on", "warning"], dir.path());
    assert_eq!(
        configured.code, 0,
        "{}{}",
        configured.stdout, configured.stderr
    );
    assert!(
        configured
            .stderr
            .contains("[rules.\"other\"] names no rule"),
        "{}",
        configured.stderr
    );
    let written = run(&["migrate", "rules/review.js", "--out", "out"], dir.path());
    assert_eq!(written.code, 0, "{}", written.stderr);
    let metadata = fs::read_to_string(dir.path().join("out/actions/review.json")).unwrap();
    assert!(metadata.contains("\"runtime\": \"node18\""), "{metadata}");
    // A flag beats the file.
    let flag = run(
        &[
            "migrate",
            "rules/review.js",
            "--out",
            "out",
            "--runtime",
            "node22",
        ],
        dir.path(),
    );
    assert_eq!(flag.code, 0, "{}", flag.stderr);
    assert!(
        fs::read_to_string(dir.path().join("out/actions/review.json"))
            .unwrap()
            .contains("node22")
    );

    fs::write(
        dir.path().join("rules/rules2actions.toml"),
        "runtime = \"node12\"\n",
    )
    .unwrap();
    let wrong = run(&["check", "rules"], dir.path());
    assert_eq!(wrong.code, 2, "{}", wrong.stderr);
    assert!(
        wrong.stderr.contains("rules2actions.toml"),
        "{}",
        wrong.stderr
    );
}

#[test]
fn every_command_takes_color_and_ends_with_a_summary() {
    let dir = workspace(&[("rules/a.js", CLEAN)]);
    for args in [
        &["check", "rules", "--color", "never"][..],
        &["migrate", "rules", "--color", "never"],
        &["explain", "--color", "never"],
        &["review", "rules", "--out", "o", "--color", "never"],
    ] {
        let result = run(args, dir.path());
        assert!(
            !result.stderr.contains("unexpected argument"),
            "{args:?}: {}",
            result.stderr
        );
        assert!(
            !result.stderr.trim_end().is_empty(),
            "{args:?} ends with a line on stderr"
        );
    }
    let explain = run(&["explain"], dir.path());
    let ids: Vec<&str> = explain.stdout.lines().map(|l| &l[..6]).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "codes in order");
    let columns: std::collections::BTreeSet<usize> = explain
        .stdout
        .lines()
        .map(|l| l.find(|c: char| c.is_uppercase() && c != 'R').unwrap_or(0))
        .collect();
    assert!(
        columns.len() <= 2,
        "summaries start in one column: {columns:?}"
    );
}

#[test]
fn dry_run_shows_the_plan_and_writes_nothing() {
    let dir = workspace(&[("rules/a.js", CLEAN), ("rules/b.js", MANUAL)]);
    let result = run(
        &["migrate", "rules", "--out", "out", "--dry-run"],
        dir.path(),
    );
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result.stderr.contains("--dry-run: nothing was written"),
        "{}",
        result.stderr
    );
    assert!(
        result
            .stderr
            .contains("b     needs manual work  b       no: needs manual work (R2A201)  new"),
        "{}",
        result.stderr
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn json_reports_go_to_stdout_on_request() {
    let dir = workspace(&[("rules/a.js", CLEAN), ("rules/b.js", REVIEW)]);
    let migrate = run(&["migrate", "rules", "--format", "json"], dir.path());
    let report: serde_json::Value = serde_json::from_str(&migrate.stdout).unwrap();
    assert_eq!(report["summary"]["read"], 2);
    if common::has("node") {
        let verify = run(&["verify", "rules", "--format", "json"], dir.path());
        let report: serde_json::Value = serde_json::from_str(&verify.stdout).unwrap();
        assert_eq!(report["rules"][1]["status"], "equivalent");
        assert_eq!(
            report["rules"][1]["expected_differences"][0]["announced_by"][0],
            "R2A101"
        );
    }
}

#[test]
fn diagnostics_show_placeholders_as_written_and_name_a_file_once() {
    let dir = workspace(&[
        ("repo/rules/a.js", "function (user, context, callback) {\n  context.idToken['https://x.example.com/p'] = user.@@PROP@@;\n  callback(null, user, context);\n}\n"),
        ("broken/tenant.yaml", "rules:\n  - name: a\n   script: ./x.js\n"),
    ]);
    let result = run(&["check", "repo", "--fail-on", "info"], dir.path());
    assert!(result.stdout.contains("user.@@PROP@@"), "{}", result.stdout);
    assert!(!result.stdout.contains("_$PROP$_"), "{}", result.stdout);
    let yaml = run(&["check", "broken/tenant.yaml"], dir.path());
    assert_eq!(yaml.code, 2, "{}", yaml.stderr);
    assert_eq!(
        yaml.stderr.matches("tenant.yaml").count(),
        1,
        "{}",
        yaml.stderr
    );
}

/// A run writes far more files than a process may keep open: with the limit lowered to 64, 150
/// rules (more than 300 files) all land and are bound.
#[test]
fn more_files_than_a_process_may_keep_open_all_land() {
    let rules: Vec<(String, &str)> = (0..150)
        .map(|i| (format!("rules/r{i}.js"), CLEAN))
        .collect();
    let named: Vec<(&str, &str)> = rules.iter().map(|(n, r)| (n.as_str(), *r)).collect();
    let dir = workspace(&named);
    let limited = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -n 64 && exec '{BINARY}' migrate rules --out out --color never"
        ))
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&limited.stderr);
    assert_eq!(limited.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("Too many open files"), "{stderr}");
    assert!(dir.path().join("out/actions/r149/code.js").is_file());
    assert_eq!(bindings(&dir.path().join("out")).len(), 150);
}
