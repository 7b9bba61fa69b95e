//! `DIR/migration-report.html`: one self-contained page (no network) for reviewing a migration:
//! a list of rules with status badges, filters by status and by finding code, and for each rule
//! a side-by-side Rule | Action diff, each changed line beside its replacement with the changed
//! words marked, and the findings under the lines they concern. `?status=…&code=…` in the address presets the filters.
//!
//! Above [`DETAILED_RULES`] rules the page stays small and opens fast: each rule's findings are
//! listed, and its diff is kept as compact rows (unchanged lines once, changed lines as their
//! pieces) that the page renders when the diff is opened, or when the address names the rule.

use std::fmt::Write;

use super::{status_id, status_label, Results, RuleResult, DETAILED_RULES, STATUS_IDS};
use crate::diff_rows::{changed_words, rows};
use crate::registry::Severity;

/// The page's text.
pub fn migration_html(results: &Results<'_>) -> String {
    let mut page = Vec::new();
    write_migration_html(results, &mut page).expect("writing into memory");
    String::from_utf8(page).expect("the page is UTF-8")
}

/// Writes the page to `page` as it is made, a block of rules at a time, so that a large report
/// is never held whole.
pub fn write_migration_html(
    results: &Results<'_>,
    page: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut codes: Vec<&'static str> = results
        .rules
        .iter()
        .flat_map(|r| r.migration.findings.iter().map(|f| f.code.id()))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let mut out = String::from("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>rules2actions migration report</title>\n<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<header>\n<h1>Rules to Actions migration</h1>\n");
    let _ = writeln!(
        out,
        "<p class=\"summary\">{} {} read: {}</p>",
        results.read(),
        if results.read() == 1 { "rule" } else { "rules" },
        summary(results)
    );
    out.push_str("<div class=\"filters\">\n<label>Status <select id=\"status-filter\">\n<option value=\"\">all</option>\n");
    for status in STATUS_IDS {
        let _ = writeln!(
            out,
            "<option value=\"{status}\">{}</option>",
            status_label(status)
        );
    }
    out.push_str("</select></label>\n<label>Finding <select id=\"code-filter\">\n<option value=\"\">all</option>\n");
    for code in &codes {
        let _ = writeln!(out, "<option value=\"{code}\">{code}</option>");
    }
    out.push_str("</select></label>\n<span id=\"shown\"></span>\n</div>\n</header>\n<nav>\n<ul id=\"rule-list\">\n");
    for (index, rule) in results.rules.iter().enumerate() {
        let status = status_id(rule.status());
        let _ = writeln!(
            out,
            "<li class=\"rule-item\" data-status=\"{status}\" data-codes=\"{}\"><a href=\"#rule-{}\">{}</a> <span class=\"badge {status}\">{}</span></li>",
            rule_codes(rule),
            index + 1,
            escape(rule.name),
            status_label(status)
        );
    }
    out.push_str("</ul>\n</nav>\n<main>\n");
    if !results.errors.is_empty() {
        out.push_str("<section class=\"errors\"><h2>Could not be converted</h2><ul>\n");
        for error in &results.errors {
            let _ = writeln!(out, "<li>{}</li>", escape(error));
        }
        out.push_str("</ul></section>\n");
    }
    page.write_all(out.as_bytes())?;
    let compact = results.rules.len() > DETAILED_RULES;
    for (block, rules) in results.rules.chunks(BLOCK).enumerate() {
        sections(page, block, rules, compact)?;
    }
    page.write_all(b"</main>\n<script>\n")?;
    page.write_all(SCRIPT.as_bytes())?;
    page.write_all(b"</script>\n</body>\n</html>\n")
}

/// The rules whose sections are made together (on every core), and whose compact rows share
/// one block of the page: what a block holds while it is written is the report's peak memory.
const BLOCK: usize = 256;

/// Writes the sections of block `block` of the rules, rendered on every core (the diffs are
/// most of a large report's cost), in the rules' order; `compact` keeps each diff as rows the
/// page renders when opened, in one script element for the block.
fn sections(
    page: &mut dyn std::io::Write,
    block: usize,
    rules: &[RuleResult<'_>],
    compact: bool,
) -> std::io::Result<()> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(rules.len().max(1));
    let chunk = rules.len().div_ceil(workers).max(1);
    let parts: Vec<(String, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = rules
            .chunks(chunk)
            .enumerate()
            .map(|(n, part)| {
                scope.spawn(move || {
                    let mut out = String::new();
                    let mut rows = Vec::new();
                    for (i, rule) in part.iter().enumerate() {
                        let index = Index {
                            rule: block * BLOCK + n * chunk + i,
                            in_block: n * chunk + i,
                            block,
                        };
                        rows.push(section(&mut out, index, rule, compact));
                    }
                    (out, rows)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut all_rows = Vec::new();
    for (html, part) in parts {
        page.write_all(html.as_bytes())?;
        all_rows.push(part);
    }
    if compact {
        // The block's diffs in one element, indexed by rule: the page parses it when one of
        // them is first opened (one element per block loads much faster than one per rule).
        write!(
            page,
            "<script type=\"application/json\" id=\"diff-rows-{block}\">["
        )?;
        for (i, row) in all_rows.into_iter().flatten().enumerate() {
            if i > 0 {
                page.write_all(b",")?;
            }
            page.write_all(row.as_bytes())?;
        }
        page.write_all(b"]</script>\n")?;
    }
    Ok(())
}

/// Where a rule's section is: its place among all rules, and in its block.
#[derive(Clone, Copy)]
struct Index {
    rule: usize,
    block: usize,
    in_block: usize,
}

fn summary(results: &Results<'_>) -> String {
    STATUS_IDS
        .iter()
        .map(|status| format!("{} {}", results.count(status), status_label(status)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn rule_codes(rule: &RuleResult<'_>) -> String {
    let mut codes: Vec<&str> = rule
        .migration
        .findings
        .iter()
        .map(|f| f.code.id())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    codes.join(" ")
}

/// One rule: its header, and the diff with the findings under their lines. When `compact`,
/// the diff's rows are returned instead, as JSON (`null` when the rule has no diff).
fn section(out: &mut String, index: Index, rule: &RuleResult<'_>, compact: bool) -> String {
    let status = status_id(rule.status());
    let _ = writeln!(
        out,
        "<section class=\"rule\" id=\"rule-{}\" data-status=\"{status}\" data-codes=\"{}\">\n<h2>{} <span class=\"badge {status}\">{}</span></h2>",
        index.rule + 1,
        rule_codes(rule),
        escape(rule.name),
        status_label(status)
    );
    let _ = write!(out, "<p class=\"paths\">{}", escape(rule.source));
    if let Some(output) = &rule.output {
        let _ = write!(out, " → {}", escape(output));
    }
    out.push_str("</p>\n");
    let before = rule.migration.source.as_str();
    let Some(after) = rule.migration.output() else {
        for located in rule.located(Severity::Info) {
            finding_row(out, &located, true);
        }
        out.push_str("</section>\n");
        return "null".to_string();
    };
    let located = rule.located(Severity::Info);
    if compact {
        for l in &located {
            finding_row(out, l, true);
        }
        let _ = writeln!(
            out,
            "<details class=\"lazy-diff\" data-block=\"{}\" data-rows=\"{}\"><summary>Diff from Rule to Action</summary>",
            index.block,
            index.in_block
        );
        out.push_str(TABLE_HEAD);
        out.push_str("</tbody>\n</table>\n</details>\n</section>\n");
        return compact_rows(before, after, &located);
    }
    out.push_str(TABLE_HEAD);
    let old_lines: Vec<&str> = before.lines().collect();
    let new_lines: Vec<&str> = after.lines().collect();
    for row in rows(before, after, &old_lines, &new_lines) {
        let (old_html, new_html) = match (row.old, row.new) {
            (Some(o), Some(n)) if row.same => (escape(old_lines[o]), escape(new_lines[n])),
            (Some(o), Some(n)) => {
                let (old, new) = changed_words(old_lines[o], new_lines[n]);
                (marked(&old, "del"), marked(&new, "ins"))
            }
            (Some(o), None) => (
                format!("<del>{}</del>", escape(old_lines[o])),
                String::new(),
            ),
            (None, Some(n)) => (
                String::new(),
                format!("<ins>{}</ins>", escape(new_lines[n])),
            ),
            (None, None) => continue,
        };
        let _ = writeln!(
            out,
            "<tr class=\"{}\">{}{}</tr>",
            if row.same { "same" } else { "changed" },
            cells(row.old.map(|o| (o, old_html))),
            cells(row.new.map(|n| (n, new_html)))
        );
        if let Some(o) = row.old {
            for l in located.iter().filter(|l| l.start.line == o + 1) {
                finding_row(out, l, false);
            }
        }
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
    "null".to_string()
}

const TABLE_HEAD: &str = "<table class=\"diff\">\n<colgroup><col class=\"ln\"><col><col class=\"ln\"><col></colgroup>\n<thead><tr><th colspan=\"2\">Rule</th><th colspan=\"2\">Action</th></tr></thead>\n<tbody>\n";

/// The diff's rows as JSON the page's script renders: `[o, n, "text"]` for an unchanged line
/// (line numbers from 1, each text once), `[o, 0, "text"]` / `[0, n, "text"]` for a line on
/// one side only, `[o, n, [pieces], [pieces]]` for a changed line beside its replacement (the
/// pieces at odd positions changed), and `["f", severity, code, html]` for a finding under its
/// line. `<` is written `\u003c`, so no text can end the script element that holds them.
fn compact_rows(before: &str, after: &str, located: &[super::Located<'_>]) -> String {
    let old_lines: Vec<&str> = before.lines().collect();
    let new_lines: Vec<&str> = after.lines().collect();
    let text = |t: &str| serde_json::Value::from(t);
    let pieces = |marked: &[(bool, &str)]| {
        let mut out: Vec<serde_json::Value> = Vec::new();
        for (changed, piece) in marked {
            // Unchanged pieces sit at even positions, changed ones at odd.
            if *changed == out.len().is_multiple_of(2) {
                out.push(text(""));
            }
            out.push(text(piece));
        }
        serde_json::Value::Array(out)
    };
    // Line numbers are implicit (the page counts them): an unchanged line is its text, a
    // removed or added one `["-", text]` / `["+", text]`, a changed one its two sides' pieces,
    // and a finding `["f", k]`, the k-th finding listed above the diff.
    let mut entries: Vec<serde_json::Value> = Vec::new();
    for row in rows(before, after, &old_lines, &new_lines) {
        let entry = match (row.old, row.new) {
            (Some(o), Some(_)) if row.same => text(old_lines[o]),
            (Some(o), Some(n)) => {
                let (old, new) = changed_words(old_lines[o], new_lines[n]);
                serde_json::json!([pieces(&old), pieces(&new)])
            }
            (Some(o), None) => serde_json::json!(["-", old_lines[o]]),
            (None, Some(n)) => serde_json::json!(["+", new_lines[n]]),
            (None, None) => continue,
        };
        entries.push(entry);
        if let Some(o) = row.old {
            for (k, _) in located
                .iter()
                .enumerate()
                .filter(|(_, l)| l.start.line == o + 1)
            {
                entries.push(serde_json::json!(["f", k]));
            }
        }
    }
    serde_json::Value::Array(entries)
        .to_string()
        .replace('<', "\\u003c")
}

fn cells(side: Option<(usize, String)>) -> String {
    match side {
        Some((index, html)) => format!(
            "<td class=\"ln\">{}</td><td class=\"code\">{html}</td>",
            index + 1
        ),
        None => "<td class=\"ln\"></td><td class=\"code empty\"></td>".to_string(),
    }
}

/// A line's pieces, the changed ones inside `<tag>`.
fn marked(pieces: &[(bool, &str)], tag: &str) -> String {
    pieces
        .iter()
        .map(|(changed, text)| {
            if *changed {
                format!("<{tag}>{}</{tag}>", escape(text))
            } else {
                escape(text)
            }
        })
        .collect()
}

/// A finding as the page shows it: code, severity, position, message and help.
fn finding_body(located: &super::Located<'_>) -> String {
    let f = located.finding;
    let help = f
        .help
        .as_deref()
        .map(|h| format!(" <span class=\"help\">{}</span>", escape(h)))
        .unwrap_or_default();
    format!(
        "<span class=\"code-id\">{}</span> {} {}:{} {}{help}",
        f.code.id(),
        f.severity(),
        located.start.line,
        located.start.column,
        escape(&f.message)
    )
}

fn finding_row(out: &mut String, located: &super::Located<'_>, standalone: bool) {
    let f = located.finding;
    let body = finding_body(located);
    if standalone {
        let _ = writeln!(
            out,
            "<p class=\"finding {}\" data-code=\"{}\">{body}</p>",
            f.severity(),
            f.code.id()
        );
    } else {
        let _ = writeln!(
            out,
            "<tr class=\"finding {}\" data-code=\"{}\"><td></td><td colspan=\"3\">{body}</td></tr>",
            f.severity(),
            f.code.id()
        );
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = r#"body { font: 14px/1.4 system-ui, sans-serif; margin: 0; display: grid; grid-template-columns: 18rem 1fr; grid-template-rows: auto 1fr; height: 100vh; }
header { grid-column: 1 / 3; padding: .5rem 1rem; border-bottom: 1px solid #ccc; background: #f7f7f7; }
header h1 { font-size: 1.2rem; margin: 0 0 .25rem; }
.filters label { margin-right: 1rem; }
nav { overflow: auto; border-right: 1px solid #ccc; padding: .5rem; }
nav ul { list-style: none; padding: 0; margin: 0; }
nav li { margin: .2rem 0; }
main { overflow: auto; padding: 0 1rem 2rem; }
.badge { font-size: .75rem; padding: 0 .4rem; border-radius: .6rem; color: #fff; white-space: nowrap; }
.badge.converted { background: #2e7d32; } .badge.needs-review { background: #b26a00; }
.badge.needs-manual-work { background: #c62828; } .badge.already-action { background: #546e7a; } .badge.failed { background: #000; }
.paths { color: #555; font-family: monospace; }
table.diff { border-collapse: collapse; width: 100%; font: 12px/1.35 ui-monospace, monospace; table-layout: fixed; }
table.diff th { text-align: left; background: #eee; }
table.diff col.ln { width: 3rem; }
table.diff td.ln { color: #999; text-align: right; padding-right: .4rem; vertical-align: top; }
table.diff td.code { white-space: pre-wrap; overflow-wrap: anywhere; }
tr.changed td.code { background: #fffbe6; }
del { background: #ffd7d5; text-decoration: none; } ins { background: #ccffd8; text-decoration: none; }
tr.finding td, p.finding { font-family: system-ui, sans-serif; padding: .2rem .4rem; }
tr.finding.error td, p.finding.error { background: #fdecea; } tr.finding.warning td, p.finding.warning { background: #fff4e5; }
tr.finding.info td, p.finding.info { background: #e8f4fd; }
.code-id { font-weight: bold; } .help { color: #555; }
[hidden] { display: none !important; }
section.rule, nav li { content-visibility: auto; contain-intrinsic-size: auto 20rem; }
nav li { contain-intrinsic-size: auto 1.4rem; }
"#;

const SCRIPT: &str = r#"(function () {
  var statusFilter = document.getElementById('status-filter');
  var codeFilter = document.getElementById('code-filter');
  function matches(el) {
    var status = statusFilter.value, code = codeFilter.value;
    var codes = (el.getAttribute('data-codes') || '').split(' ');
    return (!status || el.getAttribute('data-status') === status) && (!code || codes.indexOf(code) >= 0);
  }
  function apply() {
    var shown = 0;
    document.querySelectorAll('.rule-item, section.rule').forEach(function (el) {
      var visible = matches(el);
      el.hidden = !visible;
      if (visible && el.classList.contains('rule-item')) shown += 1;
    });
    document.getElementById('shown').textContent = shown + ' shown';
    document.body.setAttribute('data-shown', String(shown));
  }
  var params = new URLSearchParams(window.location.search);
  if (params.get('status')) statusFilter.value = params.get('status');
  if (params.get('code')) codeFilter.value = params.get('code');
  statusFilter.addEventListener('change', apply);
  codeFilter.addEventListener('change', apply);
  apply();
  // Large reports keep each diff as compact rows (see `compact_rows`), rendered when opened.
  function esc(t) { return t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'); }
  function marked(pieces, tag) {
    return pieces.map(function (t, i) { return i % 2 ? '<' + tag + '>' + esc(t) + '</' + tag + '>' : esc(t); }).join('');
  }
  function cells(line, code) {
    return line ? '<td class="ln">' + line + '</td><td class="code">' + code + '</td>' : '<td class="ln"></td><td class="code empty"></td>';
  }
  var blocks = {};
  function render(details) {
    if (details.getAttribute('data-rendered')) return;
    var block = details.getAttribute('data-block');
    if (!(block in blocks)) blocks[block] = JSON.parse(document.getElementById('diff-rows-' + block).textContent);
    var rows = blocks[block][Number(details.getAttribute('data-rows'))] || [];
    var listed = details.parentNode.querySelectorAll('p.finding');
    var o = 0, n = 0;
    var html = rows.map(function (r) {
      if (typeof r === 'string') { o += 1; n += 1; return '<tr class="same">' + cells(o, esc(r)) + cells(n, esc(r)) + '</tr>'; }
      if (r[0] === 'f') {
        var p = listed[r[1]];
        return '<tr class="' + p.className + '" data-code="' + p.getAttribute('data-code') + '"><td></td><td colspan="3">' + p.innerHTML + '</td></tr>';
      }
      if (r[0] === '-') { o += 1; return '<tr class="changed">' + cells(o, '<del>' + esc(r[1]) + '</del>') + cells(0, '') + '</tr>'; }
      if (r[0] === '+') { n += 1; return '<tr class="changed">' + cells(0, '') + cells(n, '<ins>' + esc(r[1]) + '</ins>') + '</tr>'; }
      o += 1; n += 1;
      return '<tr class="changed">' + cells(o, marked(r[0], 'del')) + cells(n, marked(r[1], 'ins')) + '</tr>';
    });
    details.querySelector('tbody').innerHTML = html.join('');
    details.setAttribute('data-rendered', 'true');
  }
  document.querySelectorAll('details.lazy-diff').forEach(function (d) {
    d.addEventListener('toggle', function () { if (d.open) render(d); });
  });
  // The rule the address names opens with its diff.
  function openNamed() {
    var section = window.location.hash && document.getElementById(window.location.hash.slice(1));
    var details = section && section.querySelector('details.lazy-diff');
    if (details) { details.open = true; render(details); }
  }
  window.addEventListener('hashchange', openNamed);
  openNamed();
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::RuleResult;

    #[test]
    fn a_changed_line_shares_its_row_with_its_replacement_and_words_are_marked() {
        let rule = "function (user, context, callback) {\n  lookup.then(function (result) {\n    if (!result.member) {\n      return callback(new UnauthorizedError('invite only'));\n    }\n    callback(null, user, context);\n  }).catch(function (err) { callback(err); });\n}\n";
        let migration = crate::migrate_rule(rule.as_bytes());
        let results = Results {
            rules: vec![RuleResult {
                name: "beta",
                source: "beta.js",
                artifact: "beta.js".to_string(),
                positions_in_artifact: true,
                action: "beta",
                migration: &migration,
                output: None,
                deployment: None,
            }],
            errors: Vec::new(),
            pipeline: Vec::new(),
        };
        let html = migration_html(&results);
        let row = html
            .lines()
            .find(|l| l.contains("UnauthorizedError"))
            .expect("the deny's row");
        assert!(
            row.contains("<ins>api.access.deny</ins>('invite only');"),
            "{row}"
        );
        assert!(
            row.contains("<del>callback(new UnauthorizedError</del>"),
            "{row}"
        );
        assert!(
            row.contains("return "),
            "unchanged words are not marked: {row}"
        );
    }

    #[test]
    fn above_the_detailed_limit_diffs_are_compact_rows_rendered_when_opened() {
        let rule = "function (user, context, callback) {\n  if (!user.email_verified) {\n    return callback(new UnauthorizedError('verify <first>'));\n  }\n  callback(null, user, context);\n}\n";
        let migration = crate::migrate_rule(rule.as_bytes());
        let names: Vec<String> = (0..=DETAILED_RULES).map(|i| format!("r{i}")).collect();
        let results = |count: usize| Results {
            rules: names[..count]
                .iter()
                .map(|name| RuleResult {
                    name,
                    source: "r.js",
                    artifact: "r.js".to_string(),
                    positions_in_artifact: true,
                    action: name,
                    migration: &migration,
                    output: None,
                    deployment: None,
                })
                .collect(),
            errors: Vec::new(),
            pipeline: Vec::new(),
        };
        let full = migration_html(&results(DETAILED_RULES));
        assert!(!full.contains("<details class=\"lazy-diff\""));
        assert!(full.contains("<tr class=\"same\">"));
        let compact = migration_html(&results(DETAILED_RULES + 1));
        let content = &compact[..compact.find("<script>\n").unwrap()];
        assert!(
            !content.contains("<tr class=\"same\">"),
            "no row is in the page as it loads"
        );
        assert_eq!(
            compact
                .matches("<details class=\"lazy-diff\" data-block=\"0\" data-rows=")
                .count(),
            DETAILED_RULES + 1
        );
        // One more rule, and still a smaller page.
        assert!(
            compact.len() < full.len(),
            "{} ≥ {}",
            compact.len(),
            full.len()
        );
        let start = compact.find("id=\"diff-rows-0\">").unwrap() + "id=\"diff-rows-0\">".len();
        let end = start + compact[start..].find("</script>").unwrap();
        let json = &compact[start..end];
        assert!(!json.contains('<'), "no text can close the script: {json}");
        let all: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            all.as_array().unwrap().len(),
            DETAILED_RULES + 1,
            "one entry per rule"
        );
        let rows = &all[0];
        let new_sides: Vec<Vec<&str>> = rows
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r[0].is_array())
            .map(|r| {
                r[1].as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap())
                    .collect()
            })
            .collect();
        let deny = new_sides
            .iter()
            .find(|pieces| pieces.concat().contains("api.access.deny"))
            .expect("the deny's row");
        // Odd pieces are the changed ones; `<` survives as text.
        assert!(
            deny.iter()
                .skip(1)
                .step_by(2)
                .any(|p| p.contains("api.access.deny")),
            "{deny:?}"
        );
        assert!(deny.concat().contains("verify <first>"), "{deny:?}");
        // A finding under its line names the one listed above the diff.
        let first_section = &compact[compact.find("<section class=\"rule\"").unwrap()..];
        let first_section = &first_section[..first_section.find("</section>").unwrap()];
        let listed: Vec<&str> = first_section.split("<p class=\"finding ").skip(1).collect();
        let under_lines: Vec<usize> = rows
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r[0] == "f")
            .map(|r| r[1].as_u64().unwrap() as usize)
            .collect();
        assert!(
            under_lines
                .iter()
                .any(|&k| listed[k].contains("data-code=\"R2A101\"")),
            "{under_lines:?} {listed:?}"
        );
        // Unchanged lines are their text alone.
        assert!(rows.as_array().unwrap().iter().any(|r| r.is_string()));
    }
}
