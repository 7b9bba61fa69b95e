//! The JSON report (`check --format json`, `DIR/migration-report.json`). Its layout is
//! versioned: fields are only ever added within a version, and `version` changes when one
//! changes meaning or goes away. The README documents every field.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Value};

use super::{status_id, Results, RuleResult, STATUS_IDS};
use crate::registry::Severity;

pub const REPORT_VERSION: u32 = 1;

/// Writes the report to `out`, pretty-printed and ending in a newline. The rules are turned into JSON one at a time as
/// the text is written, so a large run never holds the whole report as values.
pub fn write_json_report(
    results: &Results<'_>,
    mut out: impl std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, &Report(results))?;
    out.write_all(b"\n")
}

/// Serialises like the `Value` of the whole report would: the keys in order.
struct Report<'r, 'a>(&'r Results<'a>);

impl Serialize for Report<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let results = self.0;
        let mut summary: serde_json::Map<String, Value> = STATUS_IDS
            .iter()
            .map(|status| (status.to_string(), json!(results.count(status))))
            .collect();
        summary.insert("read".to_string(), json!(results.read()));
        let pipeline: Vec<Value> = results
            .pipeline
            .iter()
            .map(|p| json!({ "code": p.code.id(), "rules": p.rule_names(), "message": p.message, "help": p.help }))
            .collect();
        let mut map = serializer.serialize_map(Some(6))?;
        map.serialize_entry("errors", &results.errors)?;
        map.serialize_entry("pipeline", &pipeline)?;
        map.serialize_entry("rules", &Rules(results))?;
        map.serialize_entry("summary", &summary)?;
        map.serialize_entry(
            "tool",
            &json!({ "name": "rules2actions", "version": env!("CARGO_PKG_VERSION") }),
        )?;
        map.serialize_entry("version", &REPORT_VERSION)?;
        map.end()
    }
}

struct Rules<'r, 'a>(&'r Results<'a>);

impl Serialize for Rules<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.rules.iter().map(rule_json))
    }
}

fn rule_json(rule: &RuleResult<'_>) -> Value {
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
        "trigger": migration.trigger.id,
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
}
