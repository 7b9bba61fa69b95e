//! The real auth0-deploy-cli (pinned in `tests/npm-tools/package-lock.json`) loads what
//! `migrate --out` writes, through its own directory loader and schema validation, with no
//! tenant contacted. Without Node.js or npm the tests say so and pass, except under CI (`CI`
//! set), where they fail.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{npm_tools, run};

/// What auth0-deploy-cli loaded from `tree`, as JSON.
fn load(deploy_cli: &Path, tree: &Path, mappings: &str) -> serde_json::Value {
    let result = tree.with_extension("loaded.json");
    let output = Command::new("node")
        .arg(deploy_cli.join("load.js"))
        .arg(tree)
        .arg(mappings)
        .arg(&result)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "auth0-deploy-cli refused {}:\n{}",
        tree.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&fs::read(&result).unwrap()).expect("the loader writes JSON")
}

#[test]
fn auth0_deploy_cli_loads_and_validates_the_directory_output() {
    let Some(deploy_cli) = npm_tools() else {
        return;
    };
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let result = run(
        &[
            "migrate",
            fixtures.join("deploy-cli-repo").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(
        out.join("triggers/triggers.json").exists(),
        "{}",
        result.stderr
    );

    let loaded = load(
        &deploy_cli,
        &out,
        r#"{"CRM_API_KEY": "crm-key", "PARTNER_API_KEY": "partner-key"}"#,
    );
    let actions = loaded["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 4, "{loaded:#}");
    let crm = actions
        .iter()
        .find(|a| a["name"] == "crm-enrichment")
        .expect("the orphan script became an Action");
    // The code file was found and read, and the secret placeholder was replaced.
    assert!(crm["code"]
        .as_str()
        .unwrap()
        .contains("exports.onExecutePostLogin"));
    assert_eq!(crm["secrets"][0]["value"], "crm-key");
    assert_eq!(crm["supported_triggers"][0]["id"], "post-login");
    let bound: Vec<&str> = loaded["triggers"]["post-login"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["action_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        bound,
        ["Add-roles-to-tokens", "etc-passwd", "crm-enrichment"]
    );
}

#[test]
fn auth0_deploy_cli_loads_the_whole_corpus() {
    let Some(deploy_cli) = npm_tools() else {
        return;
    };
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("rule-corpus");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(
        &[
            "migrate",
            corpus.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    let loaded = load(&deploy_cli, &out, "{}");
    let scripts = |dir: &Path| {
        fs::read_dir(dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "js")
            })
            .count()
    };
    let rules = scripts(&corpus);
    let hooks = scripts(&corpus.join("hooks"));
    let actions = loaded["actions"].as_array().unwrap();
    assert_eq!(actions.len(), rules + hooks);
    // The corpus's Hooks load as Actions of their own triggers, bound there.
    let triggers_of = |name: &str| {
        let action = actions.iter().find(|a| a["name"] == name).unwrap();
        action["supported_triggers"][0]["id"].clone()
    };
    assert_eq!(triggers_of("m2m-tenant-claims"), "credentials-exchange");
    assert_eq!(triggers_of("sms-gateway-otp"), "send-phone-message");
    let bound = |trigger: &str| -> Vec<String> {
        loaded["triggers"][trigger]
            .as_array()
            .into_iter()
            .flatten()
            .map(|b| b["action_name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(bound("pre-user-registration"), ["block-disposable-signups"]);
    assert_eq!(bound("post-change-password"), ["password-change-audit"]);
    assert_eq!(bound("post-user-registration"), ["slack-new-signup"]);
}

#[test]
fn auth0_deploy_cli_loads_the_yaml_output_and_fills_the_keywords_the_rules_kept() {
    let Some(deploy_cli) = npm_tools() else {
        return;
    };
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let result = run(
        &[
            "migrate",
            fixtures.join("deploy-cli-yaml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(out.join("tenant.yaml").exists(), "{}", result.stderr);
    let mappings =
        r#"{"ALLOWED_DOMAINS": ["example.com"], "ENVIRONMENT": "staging", "PROFILE_API_KEY": "k"}"#;
    let loaded = load(&deploy_cli, &out.join("tenant.yaml"), mappings);
    let actions = loaded["actions"].as_array().unwrap();
    let allow = actions
        .iter()
        .find(|a| a["name"] == "Allow-listed-domains")
        .expect("loaded");
    let code = allow["code"].as_str().unwrap();
    // The bare `@@ALLOWED_DOMAINS@@` survived the migration and the deploy tool filled it.
    assert!(
        code.contains(r#"const allowed = ["example.com"];"#),
        "{code}"
    );
    let checked = dir.path().join("allow.js");
    fs::write(&checked, code).unwrap();
    let syntax = Command::new("node")
        .arg("--check")
        .arg(&checked)
        .output()
        .unwrap();
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    let bindings = loaded["triggers"]["post-login"].as_array().unwrap();
    assert_eq!(bindings.len(), 2, "{loaded:#}");
    assert_eq!(bindings[1]["display_name"], "Tag staging logins");
}

#[test]
fn auth0_deploy_cli_loads_hooks_written_in_the_yaml_format() {
    let Some(deploy_cli) = npm_tools() else {
        return;
    };
    let hooks = Path::new(env!("CARGO_MANIFEST_DIR")).join("rule-corpus/hooks");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let result = run(
        &[
            "migrate",
            hooks.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--output-format",
            "yaml",
        ],
        dir.path(),
    );
    assert!(out.join("tenant.yaml").exists(), "{}", result.stderr);
    let loaded = load(&deploy_cli, &out.join("tenant.yaml"), "{}");
    let actions = loaded["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 5);
    let ids: std::collections::BTreeSet<&str> = actions
        .iter()
        .map(|a| a["supported_triggers"][0]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 5, "one Action per extensibility point: {ids:?}");
    for id in ids {
        assert_eq!(
            loaded["triggers"][id].as_array().map(Vec::len),
            Some(1),
            "{id}: {}",
            loaded["triggers"]
        );
    }
}
