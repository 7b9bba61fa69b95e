//! The JSON report (`check --format json`, `DIR/migration-report.json`). Its layout is
//! versioned: fields are only ever added within a version, and `version` changes when one
//! changes meaning or goes away. The README documents every field.

use serde_json::{json, Value};

use super::{status_id, Results, STATUS_IDS};
use crate::registry::Severity;

pub const REPORT_VERSION: u32 = 1;

pub fn json_report(results: &Results<'_>) -> Value {
    let mut summary: serde_json::Map<String, Value> = STATUS_IDS
        .iter()
        .map(|status| (status.to_string(), json!(results.count(status))))
        .collect();
    summary.insert("read".to_string(), json!(results.read()));
    let rules: Vec<Value> = results
        .rules
        .iter()
        .map(|rule| {
            let migration = rule.migration;
            let findings: Vec<Value> = rule
                .located(Severity::Info)
                .iter()
                .map(|l| {
                    let f = l.finding;
                    json!({
                        "code": f.code.id(),
                        "name": f.code.name(),
                        "severity": f.severity().as_str(),
                        "message": f.message,
                        "help": f.help,
                        "span": { "start": f.span.start, "end": f.span.end },
                        "start": { "line": l.start.line, "column": l.start.column },
                        "end": { "line": l.end.line, "column": l.end.column },
                    })
                })
                .collect();
            json!({
                "name": rule.name,
                "source": rule.source,
                "action": rule.action,
                "status": status_id(rule.status()),
                "output": rule.output,
                "secrets": migration.secrets,
                "dependencies": migration.dependencies.iter().map(|d| json!({ "name": d.name, "version": d.version })).collect::<Vec<_>>(),
                "findings": findings,
                "suppressed": migration.suppressed.len(),
                "bound": rule.deployment.as_ref().map(|d| d.bound),
                "not_bound_because": rule.deployment.as_ref().and_then(|d| d.not_bound_because.clone()),
                "files": rule.deployment.as_ref().map(|d| d.files.clone()),
            })
        })
        .collect();
    let pipeline: Vec<Value> = results
        .pipeline
        .iter()
        .map(|p| json!({ "code": p.code.id(), "rules": p.rule_names(), "message": p.message, "help": p.help }))
        .collect();
    json!({
        "version": REPORT_VERSION,
        "tool": { "name": "rules2actions", "version": env!("CARGO_PKG_VERSION") },
        "summary": summary,
        "rules": rules,
        "errors": results.errors,
        "pipeline": pipeline,
    })
}
