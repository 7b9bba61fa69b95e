//! The corners a probe once found quadratic, each run at two sizes: four times the input must
//! cost well under sixteen times the work (what a quadratic corner costs), whatever the
//! machine. These are not speed targets (the benchmark measures those); they catch a cost
//! that grows faster than the input.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rules2actions::layout::action_names;
use rules2actions::migrate::migrate_rule;
use rules2actions::pipeline::{analyse, PipelineRule};
use rules2actions::results::{migration_html, Results, RuleResult};

/// Linear work at 4× grows about 4×, quadratic work 16×: 10× leaves room for a loaded
/// machine and still fails a quadratic corner.
const MOST_GROWTH: f64 = 10.0;

/// The best of three runs of `work(size)`.
fn cost(work: &impl Fn(usize), size: usize) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            work(size);
            started.elapsed()
        })
        .min()
        .expect("three runs")
}

fn assert_linear(what: &str, small: usize, work: impl Fn(usize)) {
    // A warm-up, so that the first measured run pays no one-off cost.
    work(small);
    let (one, four) = (cost(&work, small), cost(&work, 4 * small));
    let growth = four.as_secs_f64() / one.as_secs_f64().max(1e-6);
    assert!(
        growth < MOST_GROWTH,
        "{what}: {small} took {one:?}, {} took {four:?} ({growth:.1}×)",
        4 * small
    );
}

#[test]
fn naming_many_rules_of_one_name_is_linear() {
    assert_linear("unique names for repeats", 10_000, |n| {
        let names = action_names(std::iter::repeat_n("Add roles", n));
        assert_eq!(names.len(), n);
    });
}

#[test]
fn the_cross_rule_check_is_linear_in_the_enabled_rules() {
    let rule = "function (user, context, callback) {\n  context.idToken['https://example.com/tier'] = user.app_metadata.tier;\n  user.tier = 'gold';\n  global.helper = function () {};\n  callback(null, user, context);\n}\n";
    let migration = migrate_rule(rule.as_bytes());
    let names: Vec<String> = (0..40_000).map(|i| format!("rule {i}")).collect();
    assert_linear("the cross-rule check", 10_000, |n| {
        let pipeline: Vec<PipelineRule<'_>> = names[..n]
            .iter()
            .map(|name| PipelineRule {
                name,
                migration: &migration,
            })
            .collect();
        let findings = analyse(&pipeline);
        // Every rule after the first reads what the one before it wrote.
        assert!(findings.len() >= n - 1, "{}", findings.len());
    });
}

#[test]
fn the_report_of_a_minified_rule_is_linear_in_its_line() {
    let line = |n: usize| {
        let body = "if(context.clientID==='a'){user.x=1;}".repeat(n / 38 + 1);
        format!("function (user, context, callback) {{{body}callback(null, user, context);}}\n")
    };
    let rules: Vec<(String, rules2actions::Migration)> = [32_000, 128_000]
        .iter()
        .map(|&n| {
            let text = line(n);
            let migration = migrate_rule(text.as_bytes());
            (text, migration)
        })
        .collect();
    assert_linear("the HTML report of one long line", 32_000, |n| {
        let migration = &rules[usize::from(n > 32_000)].1;
        let results = Results {
            rules: vec![RuleResult {
                name: "minified",
                source: "minified.js",
                artifact: "minified.js".to_string(),
                positions_in_artifact: true,
                action: "minified",
                migration,
                output: None,
                deployment: None,
            }],
            errors: Vec::new(),
            pipeline: Vec::new(),
        };
        assert!(migration_html(&results).contains("minified"));
    });
}

#[test]
fn migrating_a_minified_rule_is_linear_in_its_line() {
    // Every statement on the one line carries a finding and its marker.
    let line = |n: usize| {
        let body = "if(context.clientID==='a'){user.x=1;}".repeat(n / 38 + 1);
        format!("function (user, context, callback) {{{body}callback(null, user, context);}}\n")
    };
    let texts = [line(64_000), line(256_000)];
    assert_linear("migrating one long line", 64_000, |n| {
        let migration = migrate_rule(texts[usize::from(n > 64_000)].as_bytes());
        assert!(migration.output().is_some());
    });
}

#[test]
fn reading_a_large_export_is_linear_in_its_rules() {
    let dir = tempfile::tempdir().unwrap();
    let export = |n: usize| -> PathBuf {
        let rules: Vec<serde_json::Value> = (0..n)
            .map(|i| {
                serde_json::json!({
                    "id": format!("rul_{i}"),
                    // Many rules of one name, as exports of many tenants have.
                    "name": "Add roles",
                    "script": "function (user, context, callback) { callback(null, user, context); }",
                    "order": i,
                    "enabled": true,
                    "stage": "login_success"
                })
            })
            .collect();
        let path = dir.path().join(format!("export-{n}.json"));
        std::fs::write(&path, serde_json::to_vec(&rules).unwrap()).unwrap();
        path
    };
    let paths = [export(10_000), export(40_000)];
    assert_linear("reading an export and naming its Actions", 10_000, |n| {
        let path = &paths[usize::from(n > 10_000)];
        let pipeline = rules2actions::source::load(std::slice::from_ref(path), None);
        assert_eq!(pipeline.rules.len(), n);
        let names = action_names(pipeline.rules.iter().map(|r| r.name.as_str()));
        assert_eq!(names.len(), n);
    });
}
