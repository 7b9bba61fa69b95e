//! Suppressions: findings a team has looked at and accepted. They come from `--ignore CODE`,
//! from `rules2actions.toml`, and from comments in the rule itself:
//!
//! ```js
//! function (user, context, callback) {
//!   // rules2actions-ignore R2A101: the app only checks that the login failed
//!   return callback(new UnauthorizedError('blocked'));
//! }
//! ```
//!
//! `rules2actions-ignore CODE…` (codes or their names, then any reason) covers findings on its own line and, when the comment stands
//! alone on its line, on the next line. `rules2actions-ignore-file CODE…` covers the whole rule.
//! A suppressed finding gets no marker and no longer counts for the rule's status; the run's
//! summary says how many there were. A comment naming a code that does not exist is itself a
//! finding (`R2A011`), so that a typo never hides nothing silently.

use crate::finding::Finding;
use crate::registry::Code;
use crate::span::Span;

const DIRECTIVE: &str = "rules2actions-ignore";

/// The suppressions a rule's comments declare.
#[derive(Debug, Default)]
struct Directives {
    /// `(first line, last line, codes)`, lines counted from 0.
    lines: Vec<(usize, usize, Vec<Code>)>,
    file: Vec<Code>,
    unknown: Vec<Finding>,
}

/// Splits `findings` into those that stay and those suppressed by `ignored` codes or by the
/// rule's own comments. Unknown codes in comments become `R2A011` findings that stay.
pub fn suppress(
    source: &str,
    findings: Vec<Finding>,
    ignored: &[Code],
) -> (Vec<Finding>, Vec<Finding>) {
    let directives = directives(source);
    if ignored.is_empty() && directives.lines.is_empty() && directives.file.is_empty() {
        let mut kept = findings;
        kept.extend(directives.unknown);
        return (kept, Vec::new());
    }
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(source.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset) - 1;
    let (mut kept, suppressed): (Vec<Finding>, Vec<Finding>) =
        findings.into_iter().partition(|finding| {
            let code = finding.code;
            let line = line_of(finding.span.start.min(source.len()));
            let covered = ignored.contains(&code)
                || directives.file.contains(&code)
                || directives.lines.iter().any(|(first, last, codes)| {
                    *first <= line && line <= *last && codes.contains(&code)
                });
            !covered
        });
    kept.extend(directives.unknown);
    (kept, suppressed)
}

fn directives(source: &str) -> Directives {
    let mut found = Directives::default();
    let mut line = 0;
    let mut scanned = 0;
    for (at, _) in source.match_indices(DIRECTIVE) {
        line += source[scanned..at].matches('\n').count();
        scanned = at;
        let rest = &source[at + DIRECTIVE.len()..];
        let (whole_file, rest) = match rest.strip_prefix("-file") {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        let end = rest.find(['\n', ':']).unwrap_or(rest.len());
        let end = rest[..end].find("*/").unwrap_or(end);
        let mut codes = Vec::new();
        let mut offset = at + (source.len() - at - rest.len());
        for word in rest[..end].split([' ', ',', '\t', '\r']) {
            let start = offset;
            offset += word.len() + 1;
            if word.is_empty() {
                continue;
            }
            match Code::lookup(word) {
                Some(code) => codes.push(code),
                // Words after the codes are the team's reason.
                None if !word.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("R2A")) => break,
                None => found.unknown.push(
                    Finding::new(
                        Code::UnknownSuppression,
                        Span::new(start, start + word.len()),
                        format!(
                            "`{word}` is not a rules2actions code; this suppression hides nothing"
                        ),
                    )
                    .with_help("`rules2actions explain` lists every code"),
                ),
            }
        }
        if whole_file {
            found.file.extend(codes);
            continue;
        }
        let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
        let before = source[line_start..at].trim();
        let alone = before == "//" || before == "/*" || before.is_empty();
        found.lines.push((line, line + usize::from(alone), codes));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: Code, source: &str, needle: &str) -> Finding {
        let start = source.find(needle).unwrap();
        Finding::new(code, Span::new(start, start + needle.len()), "m")
    }

    #[test]
    fn a_comment_covers_its_line_and_the_next() {
        let source = "a();\n// rules2actions-ignore R2A101: accepted\nb();\nc(); // rules2actions-ignore R2A101\nd();\n";
        let findings = ["a()", "b()", "c()", "d()"]
            .iter()
            .map(|n| finding(Code::UnauthorizedBecomesAccessDenied, source, n))
            .collect();
        let (kept, suppressed) = suppress(source, findings, &[]);
        let spans = |f: &[Finding]| {
            f.iter()
                .map(|f| &source[f.span.start..f.span.end])
                .collect::<Vec<_>>()
        };
        assert_eq!(spans(&kept), ["a()", "d()"]);
        assert_eq!(spans(&suppressed), ["b()", "c()"]);
    }

    #[test]
    fn file_directives_flags_and_unknown_codes() {
        let source =
            "/* rules2actions-ignore-file R2A101 */\nx();\n// rules2actions-ignore R2A999\ny();\n";
        let findings = vec![
            finding(Code::UnauthorizedBecomesAccessDenied, source, "x()"),
            finding(Code::UnauthorizedBecomesAccessDenied, source, "y()"),
            finding(Code::SyntaxError, source, "y()"),
        ];
        let (kept, suppressed) = suppress(source, findings, &[Code::SyntaxError]);
        assert_eq!(suppressed.len(), 3);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].code, Code::UnknownSuppression);
        assert_eq!(&source[kept[0].span.start..kept[0].span.end], "R2A999");
    }
}
