//! JUnit XML: one test case per rule, failing when the rule has findings at or above the
//! threshold, so CI dashboards show the migration as a test run.

use super::{status_id, Results};
use crate::registry::Severity;

pub fn junit_report(results: &Results<'_>, threshold: Severity) -> String {
    let mut cases = String::new();
    let mut failures = 0;
    for rule in &results.rules {
        let located = rule.located(threshold);
        cases.push_str(&format!(
            "    <testcase classname=\"rules2actions\" name=\"{}\" file=\"{}\">\n",
            escape(rule.name),
            escape(&rule.artifact)
        ));
        if !located.is_empty() {
            failures += 1;
            let details: Vec<String> = located
                .iter()
                .map(|l| {
                    format!(
                        "{}:{}:{} {} {}: {}",
                        rule.source,
                        l.start.line,
                        l.start.column,
                        l.finding.severity(),
                        l.finding.code.id(),
                        l.finding.message
                    )
                })
                .collect();
            cases.push_str(&format!(
                "      <failure message=\"{} finding(s): {}\" type=\"{}\">{}</failure>\n",
                located.len(),
                status_id(rule.status()),
                located[0].finding.code.id(),
                escape(&details.join("\n"))
            ));
        }
        cases.push_str("    </testcase>\n");
    }
    for error in &results.errors {
        failures += 1;
        cases.push_str(&format!(
            "    <testcase classname=\"rules2actions\" name=\"{}\">\n      <error message=\"not read\">{}</error>\n    </testcase>\n",
            escape(error.split(':').next().unwrap_or(error)),
            escape(error)
        ));
    }
    let tests = results.read();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rules2actions\" tests=\"{tests}\" failures=\"{failures}\">\n  <testsuite name=\"rules2actions check\" tests=\"{tests}\" failures=\"{failures}\">\n{cases}  </testsuite>\n</testsuites>\n"
    )
}

/// Text for XML attributes and elements; characters XML 1.0 cannot hold are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}
