//! The speed and memory targets, side by side in one run on the same rules: real rules
//! (`../shared/corpora/auth0-rules`, or the bundled corpus without it) replicated to about
//! 10,000.
//!
//! - the migration core on one thread, against swc's parse alone (target: at most 3×);
//! - `rules2actions check DIR` end to end (target: at most 1 s wall on 2 cores);
//! - `rules2actions migrate DIR --out OUT` end to end, against writing the same files with a
//!   plain loop (target: at most 2×);
//! - the peak memory of both commands (target: under 150 MB).
//!
//! Run with `cargo bench --bench corpus` (optionally `-- RULES`, default 10000, and `--own`
//! for the bundled corpus).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rules2actions::migrate::migrate_on_this_thread;
use rules2actions::parse::parse_rule;
use rules2actions::stack::with_big_stack;

const ROUNDS: usize = 5;
/// Rounds of the end-to-end runs, which write thousands of files each.
const COMMAND_ROUNDS: usize = 3;

// The same allocator as the `rules2actions` binary, so the numbers match what users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let target: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(10_000);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let public = manifest.join("../shared/corpora/auth0-rules/src/rules");
    let own = args.iter().any(|a| a == "--own") || !public.is_dir();
    let dir = if own {
        manifest.join("rule-corpus")
    } else {
        public
    };
    let mut corpus: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .expect("the rules")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "js"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, fs::read(&p).expect("rule"))
        })
        .collect();
    corpus.sort();
    let inputs: Vec<Vec<u8>> = corpus
        .iter()
        .cycle()
        .take(target)
        .map(|(_, b)| b.clone())
        .collect();
    let bytes: usize = inputs.iter().map(Vec::len).sum();
    let megabytes = bytes as f64 / 1_000_000.0;
    println!(
        "{} rules ({} distinct, {}), {megabytes:.2} MB",
        inputs.len(),
        corpus.len(),
        dir.display()
    );

    let core = core(&inputs);
    let report = |label: &str, time: Duration| {
        let seconds = time.as_secs_f64();
        println!(
            "  {label:<34} {:>8.1} ms  {:>9.0} rules/s  {:>6.2} MB/s",
            seconds * 1000.0,
            inputs.len() as f64 / seconds,
            megabytes / seconds
        );
    };
    println!("the migration core (best of {ROUNDS} rounds):");
    report("swc parse only, one thread", core.parse);
    report("two parses, one thread", core.floor);
    report("migrate, one thread", core.migrate);
    report(&format!("migrate, {} threads", core.threads), core.parallel);

    let scratch = tempfile::tempdir().expect("a scratch folder");
    let rules = scratch.path().join("rules");
    fs::create_dir_all(&rules).unwrap();
    for (i, (name, _)) in corpus.iter().cycle().take(target).enumerate() {
        let source = &corpus[i % corpus.len()].1;
        fs::write(
            rules.join(format!("{name}-{}.js", i / corpus.len())),
            source,
        )
        .unwrap();
    }
    let tool = Path::new(env!("CARGO_BIN_EXE_rules2actions"));
    let (check, check_memory) = best_run(tool, &["check", "-q"], &rules, None);
    let out = scratch.path().join("out");
    let (migrate, migrate_memory) = best_run(tool, &["migrate", "-q"], &rules, Some(&out));
    let files = tree(&out);
    let written: usize = files.iter().map(|(_, b)| b.len()).sum();
    let plain = (0..COMMAND_ROUNDS)
        .map(|_| {
            let copy = scratch.path().join("plain");
            let _ = fs::remove_dir_all(&copy);
            let started = Instant::now();
            for (relative, bytes) in &files {
                let path = copy.join(relative);
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(path, bytes).unwrap();
            }
            started.elapsed()
        })
        .min()
        .unwrap();
    println!(
        "end to end (best of {COMMAND_ROUNDS} runs; migrate writes {} files, {:.1} MB):",
        files.len(),
        written as f64 / 1_000_000.0
    );
    report("check DIR", check);
    report("migrate DIR --out OUT", migrate);
    report("the same files, written in a loop", plain);

    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    let verdict = |ok: bool| if ok { "met" } else { "NOT MET" };
    let core_ratio = ratio(core.migrate, core.parse);
    let migrate_ratio = ratio(migrate, plain);
    println!("targets:");
    println!(
        "  migration core / parse, one thread   {core_ratio:>6.2}x  (at most 3x)      {}",
        verdict(core_ratio <= 3.0)
    );
    println!(
        "  check end to end                     {:>6.2} s  (at most 1 s)      {}",
        check.as_secs_f64(),
        verdict(check.as_secs_f64() <= 1.0)
    );
    println!(
        "  migrate --out / plain loop           {migrate_ratio:>6.2}x  (at most 2x)      {}",
        verdict(migrate_ratio <= 2.0)
    );
    for (label, memory) in [("check", check_memory), ("migrate --out", migrate_memory)] {
        let mb = memory as f64 / 1_000_000.0;
        println!(
            "  peak memory, {label:<22}  {mb:>6.0} MB  (under 150 MB)   {}",
            verdict(mb < 150.0)
        );
    }
}

struct Core {
    parse: Duration,
    floor: Duration,
    migrate: Duration,
    parallel: Duration,
    threads: usize,
}

fn core(inputs: &[Vec<u8>]) -> Core {
    let options = rules2actions::Options::default();
    let (parse, floor, migrate, converted) = with_big_stack(|| {
        let mut parse = Duration::MAX;
        let mut floor = Duration::MAX;
        let mut migrate = Duration::MAX;
        let mut converted = 0;
        for _ in 0..ROUNDS {
            let started = Instant::now();
            let parsed = inputs
                .iter()
                .filter(|b| parse_rule(std::str::from_utf8(b).expect("UTF-8")).is_ok())
                .count();
            parse = parse.min(started.elapsed());
            assert_eq!(parsed, inputs.len());

            // Two parses of the same text: the cost of parse + validation with no rewriting.
            let started = Instant::now();
            for bytes in inputs {
                let text = std::str::from_utf8(bytes).expect("UTF-8");
                let _ = parse_rule(text);
                let _ = parse_rule(text);
            }
            floor = floor.min(started.elapsed());

            let started = Instant::now();
            converted = inputs
                .iter()
                .filter(|b| migrate_on_this_thread(b, &options).output().is_some())
                .count();
            migrate = migrate.min(started.elapsed());
        }
        (parse, floor, migrate, converted)
    });
    let parallel = (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            let produced = rules2actions::migrate::migrate_rules(inputs, &options)
                .iter()
                .filter(|m| m.output().is_some())
                .count();
            assert_eq!(produced, converted);
            started.elapsed()
        })
        .min()
        .expect("rounds");
    Core {
        parse,
        floor,
        migrate,
        parallel,
        threads: std::thread::available_parallelism().map_or(1, usize::from),
    }
}

/// The best wall time of the tool run with `args` on `rules` (into a fresh `out`, when
/// given), and the largest peak memory of those runs, in bytes.
fn best_run(tool: &Path, args: &[&str], rules: &Path, out: Option<&Path>) -> (Duration, u64) {
    let mut best = Duration::MAX;
    let mut memory = 0;
    for _ in 0..COMMAND_ROUNDS {
        if let Some(out) = out {
            let _ = fs::remove_dir_all(out);
        }
        let mut command = Command::new(tool);
        command.args(args).arg(rules);
        if let Some(out) = out {
            command.arg("--out").arg(out);
        }
        command
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let started = Instant::now();
        let (status, peak) = run_measured(&mut command);
        best = best.min(started.elapsed());
        memory = memory.max(peak);
        assert!(status < 2, "{args:?} exited with {status}");
    }
    (best, memory)
}

/// Runs `command` and returns its exit code and peak resident memory in bytes.
// The child is reaped by `wait4`, which also reports its peak memory.
#[allow(clippy::zombie_processes)]
fn run_measured(command: &mut Command) -> (i32, u64) {
    let child = command.spawn().expect("the tool runs");
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value for `wait4` to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, whose pid `spawn` returned; `status` and `usage` are
    // valid for writes.
    let waited = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(waited, child.id() as libc::pid_t, "wait4");
    // `ru_maxrss` is in kilobytes on Linux.
    (libc::WEXITSTATUS(status), usage.ru_maxrss as u64 * 1024)
}

/// Every file under `root`, by path relative to it, with its bytes.
fn tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(root).unwrap().to_path_buf();
                let bytes = fs::read(&path).unwrap();
                files.push((relative, bytes));
            }
        }
    }
    files
}
