//! What `verify` costs at its default budget (256 scenarios or 10 s per rule): every rule of the
//! bundled corpus that needs no manual work, with its written scenarios, and every convertible
//! rule of the public auth0/rules templates (`../shared/corpora`), whose packages are installed.
//! Per rule: the time, the scenarios run; in all: the median, the slowest, the whole set on one
//! thread and on two, and the tool's peak memory (each worker is capped by its own heap limit).
//!
//! Run with `cargo bench --bench verify` after `cargo test` installed the npm packages into
//! `target/npm-tools`.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rules2actions::verify::{read_scenarios, verify, VerifyOptions};
use rules2actions::{migrate_rule, Migration, Status};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Case {
    set: &'static str,
    name: String,
    migration: Migration,
    scenarios: Vec<serde_json::Value>,
}

fn rules_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "js"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&p).expect("rule"))
        })
        .collect()
}

fn cases() -> Vec<Case> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cases = Vec::new();
    for (name, bytes) in rules_in(&manifest.join("rule-corpus")) {
        let migration = migrate_rule(&bytes);
        if migration.output().is_none() || migration.status() == Status::ManualWork {
            continue;
        }
        let file = manifest
            .join("rule-corpus")
            .join(format!("{name}.scenarios.json"));
        let scenarios = fs::read_to_string(file)
            .map(|text| read_scenarios(&text).expect("scenarios"))
            .unwrap_or_default();
        cases.push(Case {
            set: "rule-corpus",
            name,
            migration,
            scenarios,
        });
    }
    let public = manifest.join("../shared/corpora/auth0-rules/src/rules");
    if public.is_dir() {
        for (name, bytes) in rules_in(&public) {
            let migration = migrate_rule(&bytes);
            if migration.output().is_some() {
                cases.push(Case {
                    set: "auth0/rules",
                    name,
                    migration,
                    scenarios: Vec::new(),
                });
            }
        }
    }
    cases
}

/// Verifies `cases`, returning per case its time and scenarios (`None`: packages missing).
fn run(cases: &[&Case], modules: &Path) -> Vec<Option<(Duration, usize)>> {
    cases
        .iter()
        .map(|case| {
            let options = VerifyOptions {
                scenarios: case.scenarios.clone(),
                modules: Some(modules.to_path_buf()),
                ..VerifyOptions::default()
            };
            let action = case.migration.output().expect("converted");
            let started = Instant::now();
            let verification = verify(&case.migration, action, &options)
                .unwrap_or_else(|e| panic!("{}: {e}", case.name));
            let elapsed = started.elapsed();
            verification
                .missing_packages
                .is_empty()
                .then_some((elapsed, verification.scenarios))
        })
        .collect()
}

fn peak_memory_mb() -> Option<f64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/npm-tools");
    if !modules.join("node_modules").is_dir() {
        eprintln!("run `cargo test` first: it installs the npm packages into target/npm-tools");
        std::process::exit(2);
    }
    let cases = cases();
    let all: Vec<&Case> = cases.iter().collect();
    let started = Instant::now();
    let timings = run(&all, &modules);
    let sequential = started.elapsed();

    for set in ["rule-corpus", "auth0/rules"] {
        let mut times: Vec<(Duration, usize, &str)> = cases
            .iter()
            .zip(&timings)
            .filter(|(case, _)| case.set == set)
            .filter_map(|(case, t)| t.map(|(d, n)| (d, n, case.name.as_str())))
            .collect();
        if times.is_empty() {
            continue;
        }
        times.sort();
        let total: Duration = times.iter().map(|t| t.0).sum();
        let scenarios: usize = times.iter().map(|t| t.1).sum();
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize].0;
        let slowest = times.last().expect("times");
        println!(
            "{set}: {} rules verified, {scenarios} scenarios, {:.1} s in all; per rule: median {:.2} s, 90th percentile {:.2} s, slowest {:.2} s ({}); {} over 2 s",
            times.len(),
            total.as_secs_f64(),
            at(0.5).as_secs_f64(),
            at(0.9).as_secs_f64(),
            slowest.0.as_secs_f64(),
            slowest.2,
            times.iter().filter(|t| t.0 > Duration::from_secs(2)).count(),
        );
    }
    let (even, odd): (Vec<&Case>, Vec<&Case>) = {
        let mut even = Vec::new();
        let mut odd = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            if i % 2 == 0 {
                even.push(case)
            } else {
                odd.push(case)
            }
        }
        (even, odd)
    };
    let started = Instant::now();
    std::thread::scope(|scope| {
        let modules = &modules;
        let handles = [&even, &odd].map(|part| scope.spawn(move || run(part, modules)));
        for handle in handles {
            handle.join().expect("verify thread");
        }
    });
    let parallel = started.elapsed();
    println!(
        "all {} rules: {:.1} s on one thread, {:.1} s on two; peak memory of the tool {}",
        cases.len(),
        sequential.as_secs_f64(),
        parallel.as_secs_f64(),
        peak_memory_mb().map_or("unknown".into(), |mb| format!("{mb:.0} MB")),
    );
}
