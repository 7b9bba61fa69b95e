//! The rows of a side-by-side diff, for every view that shows Rule and Action in two columns
//! (the terminal's `--side-by-side`, the HTML report, `review`): a changed line sits on one row
//! with the line that replaced it, and within such a pair the changed words are marked.
//!
//! A block of replaced lines is not paired by position: a rewrite often inserts lines (a
//! marker, a `try {`) before the line that corresponds to a Rule line, so rows are aligned by
//! how alike the lines are, and lines with no counterpart get a row of their own.

use similar::{ChangeTag, DiffOp, TextDiff};

/// One row: a Rule line, an Action line, or both (same or changed), by 0-based index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub old: Option<usize>,
    pub new: Option<usize>,
    /// Both sides hold the same text.
    pub same: bool,
}

/// Lines this much alike (0–1, by words) are shown as one changed pair.
const PAIRING: f32 = 0.35;
/// Above this many candidate pairs a replaced block is paired by position: the alignment is
/// quadratic in the block.
const MAX_ALIGNED_PAIRS: usize = 40_000;
/// Lines longer than this are compared and marked as a whole.
const MAX_MARKED_LINE: usize = 4_000;

/// The rows for `before` → `after`, whose lines are `old_lines` and `new_lines`.
pub fn rows(before: &str, after: &str, old_lines: &[&str], new_lines: &[&str]) -> Vec<Row> {
    let diff = TextDiff::from_lines(before, after);
    let mut rows = Vec::new();
    for op in diff.ops() {
        match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => rows.extend((0..len).map(|i| Row {
                old: Some(old_index + i),
                new: Some(new_index + i),
                same: true,
            })),
            DiffOp::Delete {
                old_index, old_len, ..
            } => rows.extend((old_index..old_index + old_len).map(|i| Row {
                old: Some(i),
                new: None,
                same: false,
            })),
            DiffOp::Insert {
                new_index, new_len, ..
            } => rows.extend((new_index..new_index + new_len).map(|i| Row {
                old: None,
                new: Some(i),
                same: false,
            })),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let old = &old_lines[old_index..(old_index + old_len).min(old_lines.len())];
                let new = &new_lines[new_index..(new_index + new_len).min(new_lines.len())];
                rows.extend(align(old, new).into_iter().map(|row| Row {
                    old: row.old.map(|i| i + old_index),
                    new: row.new.map(|i| i + new_index),
                    same: false,
                }));
            }
        }
    }
    rows
}

/// Pairs the lines of a replaced block so that the sum of their likeness is greatest, keeping
/// both orders; lines left over get rows of their own, in order.
fn align(old: &[&str], new: &[&str]) -> Vec<Row> {
    let (n, m) = (old.len(), new.len());
    if n * m > MAX_ALIGNED_PAIRS {
        return (0..n.max(m))
            .map(|k| Row {
                old: (k < n).then_some(k),
                new: (k < m).then_some(k),
                same: false,
            })
            .collect();
    }
    let (old_words, new_words) = (line_words(old), line_words(new));
    let likeness: Vec<Vec<f32>> = old_words
        .iter()
        .map(|a| new_words.iter().map(|b| alike(a, b)).collect())
        .collect();
    // best[i][j]: the greatest total likeness pairing old[i..] with new[j..].
    let mut best = vec![vec![0f32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let pair = if likeness[i][j] >= PAIRING {
                likeness[i][j] + best[i + 1][j + 1]
            } else {
                f32::MIN
            };
            best[i][j] = pair.max(best[i + 1][j]).max(best[i][j + 1]);
        }
    }
    let mut rows = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n
            && j < m
            && likeness[i][j] >= PAIRING
            && best[i][j] == likeness[i][j] + best[i + 1][j + 1]
        {
            rows.push(Row {
                old: Some(i),
                new: Some(j),
                same: false,
            });
            i += 1;
            j += 1;
        } else if j < m && (i == n || best[i][j] == best[i][j + 1]) {
            // An Action line with no Rule counterpart (markers and new lines come first).
            rows.push(Row {
                old: None,
                new: Some(j),
                same: false,
            });
            j += 1;
        } else {
            rows.push(Row {
                old: Some(i),
                new: None,
                same: false,
            });
            i += 1;
        }
    }
    rows
}

/// A line of a replaced block, as `alike` compares it.
struct LineWords<'a> {
    trimmed: &'a str,
    /// Its words, or none for a line too long to compare by words.
    words: Vec<&'a str>,
    /// The same words sorted: how many two lines share bounds how alike they can be.
    sorted: Vec<&'a str>,
}

fn line_words<'a>(lines: &[&'a str]) -> Vec<LineWords<'a>> {
    lines
        .iter()
        .map(|line| {
            let trimmed = line.trim();
            let words = if line.len() > MAX_MARKED_LINE {
                Vec::new()
            } else {
                words(trimmed)
            };
            let mut sorted = words.clone();
            sorted.sort_unstable();
            LineWords {
                trimmed,
                words,
                sorted,
            }
        })
        .collect()
}

/// How alike two lines are, 0–1, by their words.
fn alike(a: &LineWords<'_>, b: &LineWords<'_>) -> f32 {
    if a.trimmed == b.trimmed {
        return 1.0;
    }
    if a.words.is_empty() || b.words.is_empty() {
        return 0.0;
    }
    // The words in common bound the words a diff can match: most pairs of a replaced block
    // are told apart by that alone, without diffing them (the alignment tries every pair).
    let total = (a.words.len() + b.words.len()) as f32;
    if 2.0 * shared(&a.sorted, &b.sorted) as f32 / total < PAIRING {
        return 0.0;
    }
    similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .diff_slices(&a.words, &b.words)
        .ratio()
}

/// How many words two sorted lists share, counting repeats.
fn shared(a: &[&str], b: &[&str]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// The pieces of a row's two sides: unchanged when the row is the same on both, by words when
/// a line was replaced, whole when a line stands alone.
pub fn row_pieces<'a>(
    row: &Row,
    old: Option<&'a str>,
    new: Option<&'a str>,
) -> (Pieces<'a>, Pieces<'a>) {
    match (old, new) {
        (Some(o), Some(n)) if row.same => (vec![(false, o)], vec![(false, n)]),
        (Some(o), Some(n)) => changed_words(o, n),
        (Some(o), None) => (vec![(true, o)], Vec::new()),
        (None, Some(n)) => (Vec::new(), vec![(true, n)]),
        (None, None) => (Vec::new(), Vec::new()),
    }
}

/// A line cut into words: runs of identifier characters, runs of spaces, and single other
/// characters.
pub fn words(line: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    let class = |c: char| {
        if c.is_alphanumeric() || c == '_' || c == '$' {
            0
        } else if c.is_whitespace() {
            1
        } else {
            2
        }
    };
    let mut previous: Option<u8> = None;
    for (at, c) in line.char_indices() {
        let kind = class(c);
        if at > start && (previous != Some(kind) || kind == 2) {
            words.push(&line[start..at]);
            start = at;
        }
        previous = Some(kind);
    }
    if start < line.len() {
        words.push(&line[start..]);
    }
    words
}

/// The pieces of `old` and `new` with whether each changed, by words; runs of changed words
/// come as one piece. Very long lines are one changed piece each.
pub type Pieces<'a> = Vec<(bool, &'a str)>;

pub fn changed_words<'a>(old: &'a str, new: &'a str) -> (Pieces<'a>, Pieces<'a>) {
    if old.len() > MAX_MARKED_LINE || new.len() > MAX_MARKED_LINE {
        return (vec![(true, old)], vec![(true, new)]);
    }
    let (a, b) = (words(old), words(new));
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .diff_slices(&a, &b);
    let (mut before, mut after): (Pieces<'a>, Pieces<'a>) = (Vec::new(), Vec::new());
    let push = |pieces: &mut Pieces<'a>, source: &'a str, changed: bool, word: &str| {
        // Words are slices of `source`: a piece grows by extending the last one's slice.
        let start = word.as_ptr() as usize - source.as_ptr() as usize;
        let end = start + word.len();
        match pieces.last_mut() {
            Some((was, text)) if *was == changed => {
                let from = text.as_ptr() as usize - source.as_ptr() as usize;
                *text = &source[from..end];
            }
            _ => pieces.push((changed, &source[start..end])),
        }
    };
    for change in diff.iter_all_changes() {
        let word = change.value();
        match change.tag() {
            ChangeTag::Equal => {
                let at = change.old_index().expect("equal words have an old index");
                push(&mut before, old, false, a[at]);
                let at = change.new_index().expect("equal words have a new index");
                push(&mut after, new, false, b[at]);
            }
            ChangeTag::Delete => push(&mut before, old, true, word),
            ChangeTag::Insert => push(&mut after, new, true, word),
        }
    }
    (before, after)
}

/// Pieces (changed or not) laid out in lines of at most `width` characters, broken between
/// words; a word longer than a line is cut.
pub fn wrap(pieces: &[(bool, &str)], width: usize) -> Vec<Vec<(bool, String)>> {
    let mut lines: Vec<Vec<(bool, String)>> = Vec::new();
    let mut line: Vec<(bool, String)> = Vec::new();
    let mut used = 0;
    for (changed, text) in pieces {
        for word in words(text) {
            let mut word = word.to_string();
            loop {
                let length = word.chars().count();
                if used + length <= width {
                    used += length;
                    match line.last_mut() {
                        Some((was, t)) if was == changed => t.push_str(&word),
                        _ => line.push((*changed, word)),
                    }
                    break;
                }
                if used > 0 && length <= width {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                    if word.trim().is_empty() {
                        break;
                    }
                    continue;
                }
                // Longer than a whole line: cut it.
                let cut: String = word.chars().take(width - used).collect();
                word = word.chars().skip(width - used).collect();
                line.push((*changed, cut));
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_sits_beside_its_replacement_after_inserted_lines() {
        let before = "a();\nlookup.then(function (result) {\n  if (!result.member) {\n}\n";
        let after = "a();\n// TODO(rules2actions R2A101): x\ntry {\n  const result = await lookup;\n  if (!result.member) {\n}\n";
        let old: Vec<&str> = before.lines().collect();
        let new: Vec<&str> = after.lines().collect();
        let rows = rows(before, after, &old, &new);
        let paired = |o: usize| rows.iter().find(|r| r.old == Some(o)).unwrap().new;
        assert_eq!(paired(2), Some(4), "{rows:?}");
        assert!(
            rows.iter().any(|r| r.new == Some(1) && r.old.is_none()),
            "{rows:?}"
        );
    }

    #[test]
    fn changes_are_marked_by_word() {
        let (old, new) = changed_words(
            "return callback(null, user, context);",
            "return api.access.deny('no');",
        );
        assert_eq!(old[0], (false, "return "));
        assert!(old
            .iter()
            .any(|(changed, text)| *changed && text.contains("callback")));
        let rebuilt: String = new.iter().map(|(_, t)| *t).collect();
        assert_eq!(rebuilt, "return api.access.deny('no');");
        assert_eq!(
            words("user.app_metadata || {}"),
            ["user", ".", "app_metadata", " ", "|", "|", " ", "{", "}"]
        );
    }

    #[test]
    fn very_long_lines_are_marked_whole() {
        let line = "x ".repeat(150_000);
        let other = "y ".repeat(150_000);
        let (old, new) = changed_words(&line, &other);
        assert_eq!((old.len(), new.len()), (1, 1));
        let lines = line_words(&[line.as_str(), other.as_str()]);
        assert_eq!(alike(&lines[0], &lines[1]), 0.0);
    }

    #[test]
    fn the_shared_words_bound_never_changes_how_alike_lines_are() {
        let lines = [
            "  if (context.clientName === 'App') {",
            "  if (event.client.name === 'App') {",
            "    return callback(new UnauthorizedError('no'));",
            "    return api.access.deny('no');",
            "  callback(null, user, context);",
            "  user.app_metadata.roles = roles;",
            "  api.user.setAppMetadata('roles', roles);",
            "  const roles = user.app_metadata.roles || [];",
            "}",
            "};",
        ];
        let prepared = line_words(&lines);
        for (a, line_a) in prepared.iter().zip(lines) {
            for (b, line_b) in prepared.iter().zip(lines) {
                let diffed = if line_a.trim() == line_b.trim() {
                    1.0
                } else {
                    similar::TextDiff::configure()
                        .algorithm(similar::Algorithm::Myers)
                        .diff_slices(&a.words, &b.words)
                        .ratio()
                };
                let bounded = alike(a, b);
                if diffed >= PAIRING {
                    assert_eq!(bounded, diffed, "{line_a:?} / {line_b:?}");
                } else {
                    assert!(bounded < PAIRING, "{line_a:?} / {line_b:?}");
                }
            }
        }
    }
}
