//! A peer's tests on our output: the upstream jest suites of the Auth0 rule templates
//! (`../shared/corpora/auth0-rules/test/rules`, read in place), run against the Actions this
//! binary generates from those templates, each presented to its suite as the rule by
//! `tests/upstream-jest/load-rule.js`. `tests/upstream-jest/expected.json` is the ratchet: the
//! suite files that fail today and why. A file that starts failing fails this test, and so does a
//! listed file that passes now, so the list only shrinks.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

#[test]
fn upstream_suites_pass_against_the_generated_actions() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let suites = manifest.join("../shared/corpora/auth0-rules/test/rules");
    if !suites.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing (see README)",
            suites.display()
        );
        eprintln!("SKIPPED: {} is missing", suites.display());
        return;
    }
    let Some(installed) = common::npm_ci("upstream-jest") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let output = Command::new("node")
        .arg(manifest.join("tests/upstream-jest/run.js"))
        .arg(common::BINARY)
        .arg(installed.join("node_modules"))
        .arg(work.path())
        .output()
        .expect("node runs");
    // Jest's own report: which expectation failed, and where.
    let jest_report = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "run.js failed:\n{jest_report}");
    let summary: Value = serde_json::from_slice(&output.stdout).expect("run.js prints JSON");
    let expected: Value = serde_json::from_str(
        &fs::read_to_string(manifest.join("tests/upstream-jest/expected.json")).unwrap(),
    )
    .expect("expected.json is JSON");

    let results = summary["suites"].as_object().expect("suites");
    let listed: BTreeSet<&str> = expected["failing"]
        .as_object()
        .expect("failing")
        .keys()
        .map(String::as_str)
        .collect();
    let passed = summary["passed"].as_u64().expect("passed");
    let minimum = expected["minimum_passing"]
        .as_u64()
        .expect("minimum_passing");
    eprintln!(
        "{passed} of {} upstream suite files pass (ratchet: {minimum})",
        results.len()
    );

    let new_failures: Vec<String> = results
        .iter()
        .filter(|(file, result)| result["status"] == "failed" && !listed.contains(file.as_str()))
        .map(|(file, result)| format!("{file}: {}", what_failed(result)))
        .collect();
    assert!(
        new_failures.is_empty(),
        "these upstream suite files fail and are not listed in \
         tests/upstream-jest/expected.json (fix the regression, or list the file with the \
         reason):\n{}\n\njest's report:\n{jest_report}",
        new_failures.join("\n")
    );
    let not_failing: Vec<&str> = listed
        .iter()
        .copied()
        .filter(|file| results.get(*file).is_none_or(|r| r["status"] != "failed"))
        .collect();
    assert!(
        not_failing.is_empty(),
        "these suite files are listed as failing in tests/upstream-jest/expected.json but do not \
         fail (or did not run): take them off the list and raise minimum_passing to {passed}:\n{}",
        not_failing.join("\n")
    );
    assert!(
        passed >= minimum,
        "{passed} upstream suite files pass, fewer than minimum_passing ({minimum}) in \
         tests/upstream-jest/expected.json"
    );
}

/// A failed suite file's failing tests, or why it did not run.
fn what_failed(result: &Value) -> String {
    match result["failing"].as_array() {
        Some(tests) => tests
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("; "),
        None => result["error"].as_str().unwrap_or("").to_string(),
    }
}
