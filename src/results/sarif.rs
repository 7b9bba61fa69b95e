//! SARIF 2.1.0 for code-scanning tools: every finding code is a rule of the tool's driver, with
//! its documentation; every finding a result at its place in the rule file. Columns count Unicode
//! code points, as the run declares.

use serde_json::{json, Value};

use super::Results;
use crate::registry::{Severity, REGISTRY};

pub fn sarif_report(results: &Results<'_>) -> Value {
    let rules: Vec<Value> = REGISTRY
        .iter()
        .map(|(code, info)| {
            json!({
                "id": info.id,
                "name": info.name,
                "shortDescription": { "text": info.summary },
                "fullDescription": { "text": info.doc },
                "help": { "text": format!("{}\n\n`rules2actions explain {}`", info.doc, info.id) },
                "defaultConfiguration": { "level": level(code.severity()) },
            })
        })
        .collect();
    let mut findings = Vec::new();
    for rule in &results.rules {
        for located in rule.located(Severity::Info) {
            let finding = located.finding;
            let rule_index = REGISTRY
                .iter()
                .position(|(code, _)| *code == finding.code)
                .expect("every code is registered");
            let text = match &finding.help {
                Some(help) => format!("{} (rule `{}`). {help}", finding.message, rule.name),
                None => format!("{} (rule `{}`)", finding.message, rule.name),
            };
            let mut location = json!({
                "physicalLocation": { "artifactLocation": { "uri": uri(&rule.artifact) } }
            });
            if rule.positions_in_artifact {
                location["physicalLocation"]["region"] = json!({
                    "startLine": located.start.line,
                    "startColumn": located.start.column,
                    "endLine": located.end.line,
                    "endColumn": located.end.column,
                });
            }
            findings.push(json!({
                "ruleId": finding.code.id(),
                "ruleIndex": rule_index,
                "level": level(finding.severity()),
                "message": { "text": text },
                "locations": [location],
            }));
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "rules2actions",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/rules2actions/rules2actions",
                "rules": rules,
            } },
            "columnKind": "unicodeCodePoints",
            "results": findings,
        }],
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative URI: forward slashes, and the characters a URI cannot hold escaped.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
