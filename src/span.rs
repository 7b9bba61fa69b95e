//! Byte-offset spans and the line index that turns them into line/column at the reporting edge.

use std::ops::Range;

/// A half-open byte range into one rule's source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }

    pub fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }

    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// 1-based line and column; the column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// Start offsets of every line, so offsets convert to positions in `O(log n)`.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    /// Every [`CHECKPOINT`] bytes (moved back to a character boundary), the characters before
    /// it: a column on a minified rule's one long line costs no count from the line's start.
    checkpoints: Vec<(usize, usize)>,
}

/// Bytes between two [`LineIndex`] checkpoints: what a column costs at most to count.
const CHECKPOINT: usize = 1024;

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut checkpoints = vec![(0, 0)];
        let mut at = CHECKPOINT;
        while at < text.len() {
            let boundary = (0..=at)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            let &(previous, characters) = checkpoints.last().expect("the first checkpoint");
            checkpoints.push((
                boundary,
                characters + text[previous..boundary].chars().count(),
            ));
            at += CHECKPOINT;
        }
        LineIndex {
            text,
            line_starts,
            checkpoints,
        }
    }

    pub fn position(&self, offset: usize) -> LineColumn {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        LineColumn {
            line: line + 1,
            column: self.characters_before(offset) - self.characters_before(start) + 1,
        }
    }

    /// Offset of the first byte of the line that contains `offset`, like [`line_start`]
    /// without a search back through the line.
    pub fn line_start(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts[self.line_starts.partition_point(|&s| s <= offset) - 1]
    }

    /// The characters of the text before `offset`, a character boundary.
    fn characters_before(&self, offset: usize) -> usize {
        let nearest = self.checkpoints.partition_point(|&(at, _)| at <= offset) - 1;
        let (at, characters) = self.checkpoints[nearest];
        characters + self.text[at..offset].chars().count()
    }
}

/// The line ending new lines should use: the file's own, `\r\n` or `\n`.
pub fn newline_of(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// Offset of the first byte of the line that contains `offset`.
pub fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The whitespace that starts the line containing `offset`.
pub fn indentation_at(text: &str, offset: usize) -> &str {
    indentation_of_line(text, line_start(text, offset))
}

/// The whitespace that starts the line beginning at `line_start`.
pub fn indentation_of_line(text: &str, line_start: usize) -> &str {
    let line = &text[line_start..];
    let width = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..width]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "a\nü = 'x';\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), LineColumn { line: 1, column: 1 });
        let eq = text.find('=').unwrap();
        assert_eq!(index.position(eq), LineColumn { line: 2, column: 3 });
    }

    #[test]
    fn positions_past_checkpoints_count_like_the_line_from_its_start() {
        // Long lines of multi-byte characters, so checkpoints fall inside characters.
        let line = "aé€😀 ".repeat(700);
        let text = format!("{line}\n{line}\nb{line}");
        let index = LineIndex::new(&text);
        for (offset, _) in text.char_indices().step_by(7) {
            let start = line_start(&text, offset);
            let expected = LineColumn {
                line: text[..offset].matches('\n').count() + 1,
                column: text[start..offset].chars().count() + 1,
            };
            assert_eq!(index.position(offset), expected, "at {offset}");
        }
    }

    #[test]
    fn indentation_is_taken_from_the_line() {
        let text = "{\n\t  foo();\n}";
        let at = text.find("foo").unwrap();
        assert_eq!(indentation_at(text, at), "\t  ");
        assert_eq!(line_start(text, at), 2);
    }
}
