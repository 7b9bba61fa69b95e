//! Each rewrite family (`src/rewrite/*.rs`) opens with the Rule it reads and the Action it
//! writes. Those examples are run here: the Rule block, inside a rule function when it is only
//! statements, is migrated, and every line of the Action block must be in the Action, as
//! written (lines with `…` elide code and are skipped; a trailing `// …` comment explains).

use std::fs;
use std::path::Path;

use rules2actions::migrate_rule;

/// The first fenced `js` block after a line that is exactly `label`, from `//!` doc lines.
fn block_after<'d>(doc: &'d [&'d str], label: &str) -> Option<Vec<&'d str>> {
    let start = doc.iter().position(|l| l.trim() == label)?;
    let open = start + 1 + doc[start + 1..].iter().position(|l| l.trim() == "```js")?;
    let close = open + 1 + doc[open + 1..].iter().position(|l| l.trim() == "```")?;
    Some(doc[open + 1..close].to_vec())
}

/// A rule from the example: itself when it is a whole rule, else its statements in one.
fn rule_of(lines: &[&str]) -> String {
    // `…` elides code the example does not need: a comment keeps the rest valid.
    let lines: Vec<String> = lines.iter().map(|l| l.replace('…', "/* … */")).collect();
    let text = lines.join("\n");
    let whole = ["function", "async function", "module.exports"];
    if whole
        .iter()
        .any(|start| text.trim_start().starts_with(start))
    {
        return format!("{text}\n");
    }
    let calls_back = text.contains("callback(");
    let end = if calls_back {
        ""
    } else {
        "\n  callback(null, user, context);"
    };
    let body: Vec<String> = lines.iter().map(|l| format!("  {l}")).collect();
    format!(
        "function (user, context, callback) {{\n{}{end}\n}}\n",
        body.join("\n")
    )
}

#[test]
fn every_familys_documented_example_holds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rewrite");
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        let text = fs::read_to_string(&path).unwrap();
        let doc: Vec<&str> = text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| {
                l.strip_prefix("//! ")
                    .or_else(|| l.strip_prefix("//!"))
                    .unwrap_or(l)
            })
            .collect();
        // A Hook's family shows a Hook, whose signature tells its trigger.
        let hook_label = doc
            .iter()
            .find(|l| l.starts_with("Hook (") && l.ends_with("):"))
            .map(|l| l.trim());
        let example = block_after(&doc, "Rule:").or_else(|| block_after(&doc, hook_label?));
        let (Some(rule), Some(action)) = (example, block_after(&doc, "Action:")) else {
            continue;
        };
        let family = path.file_name().unwrap().to_string_lossy().into_owned();
        let rule = rule_of(&rule);
        let migration = migrate_rule(rule.as_bytes());
        let Some(output) = migration.output() else {
            failures.push(format!(
                "{family}: not converted: {:?}\n{rule}",
                migration.findings
            ));
            continue;
        };
        let produced: Vec<&str> = output.lines().map(str::trim).collect();
        for line in action {
            if line.contains('…') {
                continue;
            }
            let expected = match line.find(" // ") {
                Some(at) => line[..at].trim(),
                None => line.trim(),
            };
            if !expected.is_empty() && !produced.contains(&expected) {
                failures.push(format!("{family}: `{expected}` is not in\n{output}"));
            }
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} families have an example");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
