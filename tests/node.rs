//! Node.js runs what the tool writes: every Action passes `node --check`, and Rules and their
//! Actions behave the same over generated scenarios.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use rules2actions::verify::verify;
use rules2actions::{migrate_rule, ClaimsPolicy, Migration, Outcome};

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

/// `verify` over the whole corpus: no difference that a finding did not announce.
#[test]
fn verify_finds_no_unannounced_difference_in_the_corpus() {
    let mut verified = 0;
    let mut scenarios = 0;
    let mut announced = 0;
    for (name, migration) in corpus() {
        let Some(action) = migration
            .output()
            .filter(|_| migration.outcome != Outcome::AlreadyAction)
        else {
            continue;
        };
        let verification = verify(&migration, action, ClaimsPolicy::Enforced)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        if !verification.missing_packages.is_empty() {
            // Sandbox modules and pinned packages are not installed in CI.
            continue;
        }
        assert!(
            verification.unexpected.is_empty(),
            "{name}: {:#?}",
            verification.unexpected.first()
        );
        verified += 1;
        scenarios += verification.scenarios;
        announced += usize::from(!verification.expected.is_empty());
    }
    assert!(verified >= 80, "only {verified} rules were verified");
    assert!(scenarios >= 1000, "only {scenarios} scenarios ran");
    assert!(
        announced >= 10,
        "only {announced} rules had announced differences"
    );
}
