//! Migrates the bundled corpus replicated to about 10,000 rules and compares the end-to-end
//! migration with a parse-only pass over the same input.
//!
//! Run with `cargo bench --bench corpus` (optionally `-- RULES`, default 10000).

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use rules2actions::migrate::migrate_on_this_thread;
use rules2actions::parse::parse_rule;
use rules2actions::stack::with_big_stack;

const ROUNDS: usize = 5;

// The same allocator as the `rules2actions` binary, so the numbers match what users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let target: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rule-corpus");
    let mut corpus: Vec<Vec<u8>> = fs::read_dir(&dir)
        .expect("rule-corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "js"))
        .map(|p| fs::read(p).expect("rule"))
        .collect();
    corpus.sort();
    let inputs: Vec<Vec<u8>> = corpus.iter().cycle().take(target).cloned().collect();
    let bytes: usize = inputs.iter().map(Vec::len).sum();
    let megabytes = bytes as f64 / 1_000_000.0;
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
            for bytes in &inputs {
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
            let produced = rules2actions::migrate::migrate_rules(&inputs, &options)
                .iter()
                .filter(|m| m.output().is_some())
                .count();
            assert_eq!(produced, converted);
            started.elapsed()
        })
        .min()
        .expect("rounds");
    let threads = std::thread::available_parallelism().map_or(1, usize::from);

    let report = |label: &str, time: Duration| {
        let seconds = time.as_secs_f64();
        println!(
            "{label:<22} {:>8.1} ms  {:>9.0} rules/s  {:>6.2} MB/s",
            seconds * 1000.0,
            inputs.len() as f64 / seconds,
            megabytes / seconds
        );
    };
    println!(
        "{} rules ({} distinct), {:.2} MB, best of {ROUNDS} rounds",
        inputs.len(),
        corpus.len(),
        megabytes
    );
    report("swc parse only", parse);
    report("parse twice", floor);
    report("migrate end to end", migrate);
    report(&format!("migrate, {threads} threads"), parallel);
    println!(
        "migrate / parse: {:.2}x on one thread, {:.2}x on {threads} threads (two parses alone: {:.2}x); {converted} Actions produced",
        migrate.as_secs_f64() / parse.as_secs_f64(),
        parallel.as_secs_f64() / parse.as_secs_f64(),
        floor.as_secs_f64() / parse.as_secs_f64()
    );
}
