//! Node.js runs what the tool writes: every Action passes `node --check`, and Rules and their
//! Actions behave the same over generated scenarios.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use rules2actions::registry::Code;
use rules2actions::{migrate_rule, Migration, Status};

fn corpus() -> Vec<(String, Migration)> {
    common::corpus()
        .into_iter()
        .map(|(name, bytes)| (name, migrate_rule(&bytes)))
        .collect()
}

fn node(args: &[&Path]) -> std::process::Output {
    Command::new("node")
        .args(args)
        .output()
        .expect("Node.js is installed (see README)")
}

#[test]
fn every_action_passes_node_check() {
    let dir = tempfile::tempdir().unwrap();
    for (name, migration) in corpus() {
        let path = dir.path().join(format!("{name}.js"));
        fs::write(&path, migration.output().expect("converted")).unwrap();
        let output = node(&[Path::new("--check"), &path]);
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Rules that Node can run with core modules only and that need no manual work.
fn runnable(migration: &Migration) -> bool {
    let needs_packages = migration.findings.iter().any(|f| {
        matches!(
            f.code,
            Code::PinnedRequire | Code::UnpinnedDependency | Code::ImplicitSandboxGlobal
        )
    });
    matches!(migration.status(), Status::Converted | Status::NeedsReview) && !needs_packages
}

#[test]
fn rules_and_actions_behave_the_same() {
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/node/equivalence.js");
    let dir = tempfile::tempdir().unwrap();
    let mut compared = 0;
    let mut scenarios = 0;
    for (name, migration) in corpus().into_iter().filter(|(_, m)| runnable(m)) {
        let rule = dir.path().join(format!("{name}.rule.js"));
        let action = dir.path().join(format!("{name}.action.js"));
        fs::write(&rule, &migration.source).unwrap();
        fs::write(&action, migration.output().unwrap()).unwrap();
        let output = node(&[&harness, &rule, &action]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let mismatches = report["mismatches"].as_array().unwrap();
        // A difference the tool announced with a finding is the expected outcome, not a bug.
        let announced = migration.findings.iter().any(|f| {
            matches!(
                f.code,
                Code::ShapeChanges | Code::CodeAfterCallback | Code::ClaimsObjectReplaced
            )
        });
        assert!(
            announced || mismatches.is_empty(),
            "{name}: {}",
            serde_json::to_string_pretty(&report).unwrap()
        );
        scenarios += report["scenarios"].as_u64().unwrap();
        compared += 1;
    }
    assert!(compared >= 60, "only {compared} rules could be compared");
    assert!(scenarios >= 700, "only {scenarios} scenarios ran");
}
