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
    assert_eq!(migration.findings.len(), 14_000);
    assert!(rendered.contains("more findings"));
    let output = migration.output().expect("converted with markers");
    assert_eq!(output.matches("// TODO(rules2actions").count(), 14_000);
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
