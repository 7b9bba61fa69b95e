//! Whole rule repositories: an auth0-deploy-cli directory and a Management API export become
//! the tree the deploy tool reads. Golden trees are snapshotted file by file.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{run, snapshot_settings};

/// Every file under `root`, by path relative to it, with its contents.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(root).unwrap().to_path_buf();
                files.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn copy_tree(from: &Path, to: &Path) {
    for (relative, bytes) in tree(from) {
        let path = to.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
}

/// The output tree as one text: each file under a `== path ==` header.
fn rendered(root: &Path) -> String {
    tree(root)
        .into_iter()
        .map(|(path, bytes)| {
            let path = path.to_string_lossy().replace('\\', "/");
            format!("== {path} ==\n{}", String::from_utf8_lossy(&bytes))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A copy of the fixture in a scratch folder, where the outputs go too.
fn workspace_with(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = fixture(name);
    if from.is_dir() {
        copy_tree(&from, &dir.path().join(name));
    } else {
        fs::copy(&from, dir.path().join(name)).unwrap();
    }
    dir
}

#[test]
fn a_messy_deploy_cli_repository_becomes_a_deploy_cli_tree() {
    let dir = workspace_with("deploy-cli-repo");
    let inputs = tree(&dir.path().join("deploy-cli-repo"));
    let result = run(
        &[
            "migrate",
            "deploy-cli-repo",
            "--out",
            "out",
            "--color",
            "never",
        ],
        dir.path(),
    );
    // Three rules cannot become Actions (broken JSON, a script outside rules/, another stage).
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(
        result.stderr.contains(
            "7 rules read = 3 converted + 1 needs review + 0 needs manual work + 3 failed"
        ),
        "{}",
        result.stderr
    );
    assert_eq!(
        tree(&dir.path().join("deploy-cli-repo")),
        inputs,
        "inputs changed"
    );
    // A rule named `../../etc/passwd` stays inside the output folder.
    let top: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(top.len(), 2, "{top:?}");
    let _guard = snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("repos__deploy_cli_tree", rendered(&dir.path().join("out")));
    insta::assert_snapshot!("repos__deploy_cli_run", result.transcript());
}

#[test]
fn a_management_api_export_becomes_a_deploy_cli_tree() {
    let dir = workspace_with("api-export.json");
    let result = run(
        &[
            "migrate",
            "api-export.json",
            "--out",
            "out",
            "--color",
            "never",
        ],
        dir.path(),
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    let triggers = fs::read_to_string(dir.path().join("out/triggers/triggers.json")).unwrap();
    // Bound in `order` (0 before 1); the disabled rule's Action exists but is not bound.
    let plan = triggers.find("\"Email-verified-2\"").unwrap();
    let verified = triggers.find("\"Email-verified\"").unwrap();
    assert!(plan < verified, "{triggers}");
    assert!(!triggers.contains("Beta-flag-off"), "{triggers}");
    assert!(dir
        .path()
        .join("out/actions/Beta-flag-off/code.js")
        .exists());
    let _guard = snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("repos__api_export_tree", rendered(&dir.path().join("out")));
}

#[test]
fn generated_files_follow_their_rules_but_edited_ones_are_kept() {
    let dir = workspace_with("api-export.json");
    let args = [
        "migrate",
        "api-export.json",
        "--out",
        "out",
        "--color",
        "never",
    ];
    assert_eq!(run(&args, dir.path()).code, 0);
    let code = dir.path().join("out/actions/Email-verified/code.js");
    let metadata = dir.path().join("out/actions/Email-verified.json");

    // The rule changes: the file this tool wrote follows it without --force.
    let export = dir.path().join("api-export.json");
    let changed = fs::read_to_string(&export).unwrap().replace(
        "Please verify your email before logging in.",
        "Verify your email first.",
    );
    fs::write(&export, changed).unwrap();
    let updated = run(&args, dir.path());
    assert_eq!(updated.code, 0, "{}", updated.stderr);
    assert!(updated.stderr.contains("updated"), "{}", updated.stderr);
    assert!(fs::read_to_string(&code)
        .unwrap()
        .contains("Verify your email first."));

    // A human edits the metadata: the next run keeps the edit and says how to replace it,
    // without failing: the exit code follows the findings.
    fs::write(
        &metadata,
        "{\"name\": \"Email-verified\", \"runtime\": \"node20\"}\n",
    )
    .unwrap();
    let kept = run(&args, dir.path());
    assert_eq!(kept.code, 0, "{}", kept.stderr);
    assert!(
        kept.stderr
            .contains("kept (edited by hand; --force replaces it)"),
        "{}",
        kept.stderr
    );
    assert!(fs::read_to_string(&metadata).unwrap().contains("node20"));
}

#[test]
fn input_format_can_be_forced() {
    let dir = workspace_with("deploy-cli-repo");
    // As plain rule files, every `.js` under the repository is a rule named after its file.
    let result = run(
        &[
            "migrate",
            "deploy-cli-repo",
            "--input-format",
            "plain",
            "--color",
            "never",
        ],
        dir.path(),
    );
    assert!(
        result.stderr.contains("6 rules read = "),
        "{}",
        result.stderr
    );
}

#[test]
fn runtime_is_configurable() {
    let dir = workspace_with("api-export.json");
    let result = run(
        &[
            "migrate",
            "api-export.json",
            "--out",
            "out",
            "--runtime",
            "node18",
        ],
        dir.path(),
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    let metadata = fs::read_to_string(dir.path().join("out/actions/Email-verified.json")).unwrap();
    assert!(metadata.contains("\"runtime\": \"node18\""), "{metadata}");
    // Actions run on node18 or node22: anything else is a usage error, not a broken Action.
    let banana = run(
        &[
            "migrate",
            "api-export.json",
            "--out",
            "out",
            "--runtime",
            "node20",
        ],
        dir.path(),
    );
    assert_eq!(banana.code, 2, "{}", banana.stderr);
    assert!(
        banana.stderr.contains("possible values: node18, node22"),
        "{}",
        banana.stderr
    );
}

#[test]
fn a_yaml_repository_becomes_a_tenant_yaml_with_its_keywords_intact() {
    let dir = workspace_with("deploy-cli-yaml");
    let result = run(
        &[
            "migrate",
            "deploy-cli-yaml",
            "--out",
            "out",
            "--color",
            "never",
        ],
        dir.path(),
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    let code =
        fs::read_to_string(dir.path().join("out/actions/Allow-listed-domains/code.js")).unwrap();
    assert!(
        code.contains("const allowed = @@ALLOWED_DOMAINS@@;"),
        "{code}"
    );
    let _guard = snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("repos__yaml_tree", rendered(&dir.path().join("out")));
}

#[test]
fn terraform_output_declares_each_secret_as_a_sensitive_variable() {
    let dir = workspace_with("deploy-cli-yaml");
    let result = run(
        &[
            "migrate",
            "deploy-cli-yaml",
            "--out",
            "out",
            "--output-format",
            "terraform",
            "--color",
            "never",
        ],
        dir.path(),
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    let variables = fs::read_to_string(dir.path().join("out/variables.tf")).unwrap();
    assert!(
        variables.contains("variable \"PROFILE_API_KEY\""),
        "{variables}"
    );
    let _guard = snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("repos__terraform_tree", rendered(&dir.path().join("out")));
}

#[test]
fn rules_that_relied_on_each_other_are_reported_with_both_names() {
    let dir = workspace_with("pipeline-repo");
    let result = run(
        &["migrate", "pipeline-repo", "--color", "never"],
        dir.path(),
    );
    // Each cross-rule finding is a diagnostic like any other: the code, then the message
    // (wrapped), then its help.
    let lines: Vec<&str> = result.stderr.lines().collect();
    let pipeline: Vec<String> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("R2A95"))
        .map(|(i, l)| {
            let message: Vec<&str> = lines[i + 2..]
                .iter()
                .take_while(|m| !m.trim_start().starts_with("help:"))
                .map(|m| m.trim_start_matches([' ', '⚠', '│']))
                .collect();
            format!("{l}: {}", message.join(" "))
        })
        .collect();
    let mentions = |code: &str| {
        pipeline.iter().any(|l| {
            l.starts_with(code)
                && l.contains("`Load profile`")
                && l.contains("`Gate admin console`")
        })
    };
    assert!(mentions("R2A950"), "{}", result.stderr);
    assert!(mentions("R2A951"), "{}", result.stderr);
    assert!(mentions("R2A952"), "{}", result.stderr);
    let _guard = snapshot_settings().bind_to_scope();
    insta::assert_snapshot!("repos__pipeline_findings", pipeline.join("\n"));
}

#[test]
fn guard_skips_each_action_whose_rule_already_ran() {
    let dir = workspace_with("api-export.json");
    let result = run(
        &[
            "migrate",
            "api-export.json",
            "--out",
            "out",
            "--guard",
            "--color",
            "never",
        ],
        dir.path(),
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    let path = dir.path().join("out/actions/Email-verified/code.js");
    let code = fs::read_to_string(&path).unwrap();
    assert!(
        code.starts_with("exports.onExecutePostLogin = async (event, api) => {\n  if (api.rules.wasExecuted('rul_8fK2mQ1')) return;\n"),
        "{code}"
    );
    let check = std::process::Command::new("node")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("Node.js is installed (see README)");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // Without rule ids (a deploy-cli directory) there is nothing to guard with, and it says so.
    let repo = workspace_with("deploy-cli-repo");
    let unguarded = run(
        &["migrate", "deploy-cli-repo", "--out", "out", "--guard"],
        repo.path(),
    );
    assert!(
        unguarded.stderr.contains("no rule id to guard with"),
        "{}",
        unguarded.stderr
    );
}

#[test]
fn merge_runs_the_rules_in_one_action_with_their_callbacks_chained() {
    let dir = workspace_with("pipeline-repo");
    let result = run(
        &[
            "migrate",
            "pipeline-repo",
            "--merge",
            "Load profile,Gate admin console",
            "--out",
            "out",
            "--bind-all",
            "--color",
            "never",
        ],
        dir.path(),
    );
    assert!(
        result.stderr.contains(
            "2 rules read = 0 converted + 0 needs review + 2 needs manual work + 0 failed"
        ),
        "{}",
        result.stderr
    );
    // One rule now: nothing is handed from one Action to another any more.
    assert!(!result.stderr.contains("R2A950"), "{}", result.stderr);
    let path = dir
        .path()
        .join("out/actions/Load-profile-Gate-admin-console/code.js");
    let code = fs::read_to_string(&path).unwrap();
    let first = code.find("// rule `Load profile`").expect("first rule");
    let second = code
        .find("// rule `Gate admin console`")
        .expect("second rule");
    assert!(first < second, "{code}");
    assert!(code.contains("break rule1;"), "{code}");
    let triggers = fs::read_to_string(dir.path().join("out/triggers/triggers.json")).unwrap();
    assert!(
        triggers.contains("\"display_name\": \"Load profile + Gate admin console\""),
        "{triggers}"
    );
    let check = std::process::Command::new("node")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("Node.js is installed (see README)");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    let refused = run(
        &[
            "migrate",
            "pipeline-repo",
            "--merge",
            "Load profile,Missing",
        ],
        dir.path(),
    );
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("no rule named `Missing`"),
        "{}",
        refused.stderr
    );
}

#[test]
fn several_repositories_become_one_tree_each_under_one_report() {
    let dir = workspace_with("deploy-cli-repo");
    copy_tree(&fixture("deploy-cli-yaml"), &dir.path().join("globex"));
    // The same repository twice: each tenant keeps its Action names.
    copy_tree(&fixture("pipeline-repo"), &dir.path().join("initech"));
    copy_tree(&fixture("pipeline-repo"), &dir.path().join("hooli"));
    let result = run(
        &[
            "migrate",
            "deploy-cli-repo",
            "globex",
            "initech",
            "hooli",
            "--out",
            "out",
            "--color",
            "never",
        ],
        dir.path(),
    );
    assert_eq!(result.code, 2, "{}", result.stderr);
    let out = dir.path().join("out");
    for file in [
        "deploy-cli-repo/triggers/triggers.json",
        "deploy-cli-repo/actions/crm-enrichment/code.js",
        "globex/tenant.yaml",
        "initech/actions/Load-profile/code.js",
        "hooli/actions/Load-profile/code.js",
        "initech/.rules2actions-state.json",
        "MIGRATION.md",
        "migration-report.json",
        "migration-report.html",
    ] {
        assert!(
            out.join(file).is_file(),
            "{file} missing: {}",
            result.stderr
        );
    }
    for not_at_the_top in [
        "actions",
        "triggers",
        "tenant.yaml",
        ".rules2actions-state.json",
    ] {
        assert!(
            !out.join(not_at_the_top).exists(),
            "{not_at_the_top} at the top"
        );
    }
    // One report covers every repository, and says where each Action went.
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("migration-report.json")).unwrap())
            .unwrap();
    let outputs: Vec<&str> = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["output"].as_str())
        .collect();
    assert!(
        outputs.contains(&"hooli/actions/Load-profile/code.js"),
        "{outputs:?}"
    );
    assert!(
        outputs.contains(&"initech/actions/Load-profile/code.js"),
        "{outputs:?}"
    );
    assert!(
        !outputs.iter().any(|o| o.contains("Load-profile-2")),
        "{outputs:?}"
    );
    // Each tree binds its own Actions, numbered from one.
    let triggers = fs::read_to_string(out.join("initech/triggers/triggers.json")).unwrap();
    assert!(!triggers.contains("crm-enrichment"), "{triggers}");
    assert!(
        result.stderr.contains("initech/Load-profile"),
        "{}",
        result.stderr
    );

    // `check --actions` and `verify --actions` find each repository's Actions in its tree.
    let check = run(
        &[
            "check",
            "initech",
            "hooli",
            "--actions",
            "out",
            "--color",
            "never",
        ],
        dir.path(),
    );
    assert!(!check.stderr.contains("R2A960"), "{}", check.stderr);
    assert!(!check.stderr.contains("has no Action"), "{}", check.stderr);
}

#[test]
fn rules_of_different_repositories_are_never_related() {
    let dir = tempfile::tempdir().unwrap();
    // The writer and the reader of `user.tier` in two tenants, then in one.
    for (repository, rule) in [
        ("writer", "load-profile"),
        ("reader", "gate-admin"),
        ("both", "load-profile"),
        ("both", "gate-admin"),
    ] {
        for extension in ["js", "json"] {
            let file = format!("rules/{rule}.{extension}");
            let to = dir.path().join(repository).join(&file);
            fs::create_dir_all(to.parent().unwrap()).unwrap();
            fs::copy(fixture("pipeline-repo").join(&file), to).unwrap();
        }
    }
    let cross_rule = |paths: &[&str]| {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(paths);
        let result = run(&args, dir.path());
        let report: serde_json::Value = serde_json::from_str(&result.stdout).unwrap();
        report["pipeline"].as_array().map_or(0, Vec::len)
    };
    assert_eq!(cross_rule(&["writer", "reader"]), 0);
    assert!(cross_rule(&["both"]) > 0);
}

#[test]
fn verify_runs_a_yaml_tree_with_its_keywords_against_the_rules() {
    let dir = workspace_with("deploy-cli-yaml");
    let migrate = run(&["migrate", "deploy-cli-yaml", "--out", "out"], dir.path());
    assert!(migrate.code < 2, "{}", migrate.stderr);
    // The committed Actions hold `##ENVIRONMENT##` and `@@ALLOWED_DOMAINS@@` as the deploy tool
    // wants them; verify runs them with the stand-ins the rules run with.
    let verify = run(
        &["verify", "deploy-cli-yaml", "--actions", "out"],
        dir.path(),
    );
    assert!(
        verify.stdout.contains("Tag-ENVIRONMENT-logins: equivalent"),
        "{}{}",
        verify.stdout,
        verify.stderr
    );
    assert!(
        !verify.stderr.contains("does not load"),
        "{}",
        verify.stderr
    );
}
