//! No input crashes the tool: pathological nesting and long chains of every shape are either
//! converted or refused with a clean finding, never a stack overflow.

use rules2actions::registry::Code;
use rules2actions::stack::with_big_stack;
use rules2actions::{migrate_rule, Outcome};

fn rule_with(expr: &str) -> String {
    format!("function (user, context, callback) {{\n  var x = {expr};\n  callback(null, user, context);\n}}\n")
}

/// Every shape repeated to fill the largest rule the tool accepts.
fn shapes(budget: usize) -> Vec<(&'static str, String)> {
    let repeat = |unit: &str, end: &str| {
        let n = budget / unit.len();
        format!("{}{end}", unit.repeat(n))
    };
    let wrap = |open: &str, close: &str| {
        let n = budget / (open.len() + close.len());
        format!("{}1{}", open.repeat(n), close.repeat(n))
    };
    vec![
        ("parens", wrap("(", ")")),
        ("arrays", wrap("[", "]")),
        ("objects", wrap("{a:", "}")),
        ("calls", wrap("f(", ")")),
        ("templates", wrap("`${", "}`")),
        ("not", repeat("!", "1")),
        ("negate", repeat("- ", "1")),
        ("typeof", repeat("typeof ", "1")),
        ("void", repeat("void ", "1")),
        ("new", repeat("new ", "F")),
        ("assignments", repeat("a=", "1")),
        ("arrows", repeat("a=>", "1")),
        ("ternaries", repeat("a?b:", "1")),
        ("additions", repeat("a+", "1")),
        ("logical", repeat("a&&", "1")),
        ("members", repeat("a.", "b")),
        ("call_chain", repeat("()", "")),
        ("commas", repeat("a,", "1")),
        ("labels", repeat("a:", "1")),
        ("lines_of_assignments", repeat("a =\n", "1")),
        ("lines_of_arrows", repeat("a =>\n", "1")),
        ("lines_of_ternaries", repeat("a ?\nb :\n", "1")),
        ("lines_of_not", repeat("!\n", "1")),
        ("lines_of_labels", repeat("a:\n", "1")),
        ("long_names", repeat("abcdefghijklmnopqrstuvwxyz = ", "1")),
    ]
}

#[test]
fn no_shape_crashes_the_tool() {
    let budget = rules2actions::input::MAX_RULE_BYTES - 200;
    for (name, expr) in shapes(budget) {
        let text = rule_with(&expr);
        assert!(text.len() <= rules2actions::input::MAX_RULE_BYTES, "{name}");
        let started = std::time::Instant::now();
        let migration = migrate_rule(text.as_bytes());
        let rendered =
            rules2actions::report::render_findings(name, &text, &migration.findings, false);
        assert!(!rendered.is_empty() || migration.findings.is_empty());
        assert!(
            started.elapsed().as_secs() < 20,
            "{name} took {:?}",
            started.elapsed()
        );
        match &migration.outcome {
            Outcome::Converted(output) => assert!(
                with_big_stack(|| rules2actions::parse::check_script(output).is_ok()),
                "{name}: converted output does not parse"
            ),
            Outcome::Failed => assert!(
                migration
                    .findings
                    .iter()
                    .any(|f| matches!(f.code, Code::InputTooComplex | Code::SyntaxError)),
                "{name}: failed without a reason: {:?}",
                migration.findings
            ),
            Outcome::AlreadyAction => panic!("{name}: not an Action"),
        }
    }
}

/// Thousands of findings in one rule: markers and rendering stay linear.
#[test]
fn many_findings_stay_fast() {
    let body = "  auth0.a = context.sessionID;\n".repeat(7000);
    let text = format!(
        "function (user, context, callback) {{\n{body}  callback(null, user, context);\n}}\n"
    );
    let started = std::time::Instant::now();
    let migration = migrate_rule(text.as_bytes());
    let rendered =
        rules2actions::report::render_findings("many.js", &text, &migration.findings, false);
    // Two per line, and the Action is over the 100 kB limit (R2A955).
    assert_eq!(migration.findings.len(), 14_001);
    assert!(migration
        .findings
        .iter()
        .any(|f| f.code == Code::ActionLimitExceeded));
    assert!(rendered.contains("more findings"));
    let output = migration.output().expect("converted with markers");
    assert_eq!(output.matches("// TODO(rules2actions").count(), 14_001);
    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn oversized_rules_are_refused() {
    let big = rule_with(&"1+".repeat(rules2actions::input::MAX_RULE_BYTES));
    let migration = migrate_rule(big.as_bytes());
    assert_eq!(migration.outcome, Outcome::Failed);
    assert_eq!(migration.findings[0].code, Code::InputTooComplex);
}

#[test]
fn moderate_nesting_still_converts() {
    let expr = format!("{}user.email{}", "(".repeat(200), ")".repeat(200));
    let migration = migrate_rule(rule_with(&expr).as_bytes());
    let output = migration.output().expect("converted");
    assert!(output.contains("event.user.email"));
}

/// Statement shapes that nest without brackets, at the largest size the tool accepts.
fn statement_shapes(budget: usize) -> Vec<(&'static str, String)> {
    let repeat = |unit: &str| unit.repeat(budget / unit.len());
    let mut distinct = String::new();
    let mut n = 0;
    while distinct.len() + 16 < budget {
        distinct.push_str(&format!("l{n}: if (1) "));
        n += 1;
    }
    vec![
        ("the same label nested", repeat("a: if (1) ")),
        ("distinct labels nested", distinct),
        ("ifs without braces", repeat("if (1) ")),
        ("else if chains", repeat("if (a) {} else ")),
        ("while loops", repeat("while (1) ")),
        ("for loops", repeat("for (;;) ")),
        ("labelled empty statements", repeat("a: ; ")),
        ("labelled blocks", repeat("a: { } ")),
    ]
}

/// The peak memory of `rules2actions check FILE`, in MB, measured by the kernel for the child.
#[cfg(target_os = "linux")]
fn peak_memory_of_check(file: &std::path::Path) -> f64 {
    // Reaped below with wait4, which also gives the peak memory; std's wait would not.
    #[allow(clippy::zombie_processes)]
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_rules2actions"))
        .arg("check")
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut status = 0;
    // SAFETY: `usage` is a plain C struct the call fills in; the pid is our own child, reaped
    // here once (std's `Child` is dropped without waiting).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4");
    usage.ru_maxrss as f64 / 1024.0
}

/// Every hostile shape, expressions and statements alike, at the size cap: the tool's peak
/// memory stays under a bound (a repeated nested label once took 24 GB and two minutes).
#[cfg(target_os = "linux")]
#[test]
fn hostile_shapes_stay_within_a_memory_bound() {
    const BOUND_MB: f64 = 300.0;
    let budget = rules2actions::input::MAX_RULE_BYTES - 200;
    let dir = tempfile::tempdir().unwrap();
    let mut worst = (0.0, "");
    let expressions = shapes(budget).into_iter().map(|(n, e)| (n, rule_with(&e)));
    let statements = statement_shapes(budget).into_iter().map(|(n, body)| {
        (
            n,
            format!("function (user, context, callback) {{\n{body};\ncallback(null, user, context);\n}}\n"),
        )
    });
    for (name, text) in expressions.chain(statements) {
        assert!(text.len() <= rules2actions::input::MAX_RULE_BYTES, "{name}");
        let file = dir.path().join("rule.js");
        std::fs::write(&file, &text).unwrap();
        let peak = peak_memory_of_check(&file);
        assert!(peak < BOUND_MB, "{name}: {peak:.0} MB");
        if peak > worst.0 {
            worst = (peak, name);
        }
    }
    eprintln!("largest peak: {:.0} MB ({})", worst.0, worst.1);
}
