//! Helpers shared by the integration tests.

#![allow(dead_code)] // each test crate uses its own subset

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every rule of `rule-corpus/`, sorted by name: `(name, bytes)`.
pub fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rule-corpus");
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .expect("rule-corpus exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "js"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&p).expect("readable rule"))
        })
        .collect()
}

/// The scenarios written for a corpus rule (`rule-corpus/<name>.scenarios.json`), if any.
pub fn corpus_scenarios(name: &str) -> Option<Vec<serde_json::Value>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("rule-corpus")
        .join(format!("{name}.scenarios.json"));
    let text = fs::read_to_string(&path).ok()?;
    Some(rules2actions::verify::read_scenarios(&text).unwrap_or_else(|e| panic!("{name}: {e}")))
}

/// The Hooks of `rule-corpus/hooks/`, a deploy-cli `hooks/` folder, as the tool reads them:
/// `(name, bytes, options)`, the options carrying each Hook's trigger and declared versions.
pub fn corpus_hooks() -> Vec<(String, Vec<u8>, rules2actions::Options)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rule-corpus");
    let pipeline = rules2actions::source::load(&[dir], None);
    assert!(pipeline.errors.is_empty(), "{:?}", pipeline.errors);
    let mut hooks: Vec<_> = pipeline
        .rules
        .into_iter()
        .filter(|source| source.hook)
        .map(|hook| {
            assert!(hook.trigger.is_some(), "{} names no triggerId", hook.label);
            let options = rules2actions::Options {
                trigger: hook.trigger,
                hook: true,
                declared_versions: hook.declared_versions.clone(),
                ..Default::default()
            };
            (hook.name, hook.script.expect("readable Hook"), options)
        })
        .collect();
    hooks.sort_by(|a, b| a.0.cmp(&b.0));
    hooks
}

/// A migration as a snapshot shows it: status, input, findings, secrets, dependencies, claims
/// and output.
pub fn document(migration: &rules2actions::Migration) -> String {
    let mut doc = format!(
        "# Status: {}\n\n# Input\n{}\n",
        migration.status().label(),
        migration.source
    );
    doc.push_str("\n# Findings\n");
    doc.push_str(&rules2actions::report::plain_findings(
        &migration.source,
        &migration.findings,
    ));
    if !migration.secrets.is_empty() {
        doc.push_str(&format!("\n# Secrets\n{}\n", migration.secrets.join("\n")));
    }
    if !migration.dependencies.is_empty() {
        doc.push_str("\n# Dependencies\n");
        for dependency in &migration.dependencies {
            let version = dependency.version.as_deref().unwrap_or("(unpinned)");
            doc.push_str(&format!("{} {version}\n", dependency.name));
        }
    }
    if !migration.claims.is_empty() {
        doc.push_str("\n# Claims\n");
        for claim in &migration.claims {
            let name = claim.name.as_deref().unwrap_or("(unresolved)");
            doc.push_str(&format!("{} {name}\n", claim.token));
        }
    }
    doc.push_str("\n# Output\n");
    doc.push_str(migration.output().unwrap_or("(none)"));
    doc.push('\n');
    doc
}

/// Snapshots live in `snapshots/`, named without the test module.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

pub const BINARY: &str = env!("CARGO_BIN_EXE_rules2actions");

/// What a run of the binary printed, and how it exited.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary in `cwd`.
pub fn run(args: &[&str], cwd: &Path) -> Run {
    let output = Command::new(BINARY)
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .output()
        .expect("run rules2actions");
    Run {
        code: output
            .status
            .code()
            .expect("exited normally, not by a signal"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

impl Run {
    /// Exit code, stdout and stderr together, for a snapshot.
    pub fn transcript(&self) -> String {
        format!(
            "exit code: {}\n----- stdout -----\n{}\n----- stderr -----\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A scratch folder holding the named rules.
pub fn workspace(rules: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in rules {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

pub fn has(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `tests/npm-tools`, installed with `npm ci` into `target/npm-tools` once per test run: the
/// third-party tools some tests check the output with. `None` (and a message) without Node.js
/// or npm, except under CI, where that is a failure.
pub fn npm_tools() -> Option<PathBuf> {
    static INSTALLED: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    INSTALLED.get_or_init(install).clone()
}

/// Whether Node.js and npm are on the PATH; without them a check is skipped, with a message,
/// except under CI (`.ci/run` installs both), where that is a failure.
fn node_and_npm() -> bool {
    let present = has("node") && has("npm");
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "these checks need Node.js and npm on the PATH"
        );
        eprintln!("SKIPPED: this check needs Node.js and npm on the PATH");
    }
    present
}

fn install() -> Option<PathBuf> {
    if !node_and_npm() {
        return None;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = manifest.join("target/npm-tools");
    let installed = dir.join("node_modules/auth0-deploy-cli/package.json");
    let locked = manifest.join("tests/npm-tools/package-lock.json");
    let current = fs::read(dir.join("package-lock.json")).ok() == fs::read(&locked).ok();
    fs::create_dir_all(&dir).unwrap();
    for script in ["load.js", "validate-sarif.js"] {
        fs::copy(
            manifest.join("tests/npm-tools").join(script),
            dir.join(script),
        )
        .unwrap();
    }
    if !installed.exists() || !current {
        for file in ["package.json", "package-lock.json"] {
            fs::copy(manifest.join("tests/npm-tools").join(file), dir.join(file)).unwrap();
        }
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status()
            .expect("npm runs");
        assert!(status.success(), "npm ci of tests/npm-tools failed");
    }
    for script in ["load.js", "validate-sarif.js"] {
        fs::copy(
            manifest.join("tests/npm-tools").join(script),
            dir.join(script),
        )
        .unwrap();
    }
    Some(dir)
}

/// `tests/<folder>` (a `package.json` and its `package-lock.json`), installed with `npm ci` into
/// `target/<folder>` unless an install of that same lock file is there: the packages one test's
/// Node.js scripts need. `None` (and a message) without Node.js or npm, except under CI, where
/// that is a failure.
pub fn npm_ci(folder: &str) -> Option<PathBuf> {
    if !node_and_npm() {
        return None;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = manifest.join("tests").join(folder);
    let dir = manifest.join("target").join(folder);
    let locked = fs::read(source.join("package-lock.json")).expect("a committed package-lock.json");
    // `npm ci` empties node_modules first and writes node_modules/.package-lock.json once it has
    // installed everything: without that file an earlier install did not finish.
    let current = dir.join("node_modules/.package-lock.json").exists()
        && fs::read(dir.join("package-lock.json")).ok() == Some(locked);
    if !current {
        fs::create_dir_all(&dir).unwrap();
        for file in ["package.json", "package-lock.json"] {
            fs::copy(source.join(file), dir.join(file)).unwrap();
        }
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status()
            .expect("npm runs");
        assert!(status.success(), "npm ci of tests/{folder} failed");
    }
    Some(dir)
}

/// The default search, limited by scenarios only: on a loaded machine a time limit would make
/// the verdicts depend on the machine's speed.
pub fn scenario_budget() -> rules2actions::verify::Budget {
    rules2actions::verify::Budget {
        time: std::time::Duration::from_secs(600),
        ..Default::default()
    }
}

/// Verifies every `(name, migration)` with the options `options(name)` gives, two rules at a
/// time (each verification runs two Node processes, so two keep both cores busy); the results
/// sorted by name.
pub fn verify_all(
    rules: Vec<(String, rules2actions::Migration)>,
    options: impl Fn(&str) -> rules2actions::verify::VerifyOptions + Sync,
) -> Vec<(
    String,
    rules2actions::Migration,
    rules2actions::verify::Verification,
)> {
    let options = &options;
    std::thread::scope(|scope| {
        let (even, odd): (Vec<_>, Vec<_>) =
            rules.into_iter().enumerate().partition(|(i, _)| i % 2 == 0);
        let handles = [even, odd].map(|part| {
            scope.spawn(move || {
                part.into_iter()
                    .map(|(_, (name, migration))| {
                        let action = migration.output().expect("converted").to_string();
                        let verification =
                            rules2actions::verify::verify(&migration, &action, &options(&name))
                                .unwrap_or_else(|e| panic!("{name}: {e}"));
                        (name, migration, verification)
                    })
                    .collect::<Vec<_>>()
            })
        });
        let mut all: Vec<_> = handles
            .into_iter()
            .flat_map(|h| h.join().expect("verify thread"))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    })
}
