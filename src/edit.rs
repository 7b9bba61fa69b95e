//! Text edits: byte spans plus replacement text, spliced into the original source.
//!
//! Rewrites never reprint the program. They record edits, and untouched bytes stay identical.

use crate::span::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

impl Edit {
    pub fn replace(span: Span, replacement: impl Into<String>) -> Self {
        Edit {
            span,
            replacement: replacement.into(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit::replace(Span::empty(at), text)
    }

    pub fn delete(span: Span) -> Self {
        Edit::replace(span, "")
    }
}

/// Two edits that touch the same bytes: a bug in a rewrite, never user error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlappingEdits {
    pub first: Edit,
    pub second: Edit,
}

/// Applies `edits` to `source`. Insertions at one offset keep their relative order and come
/// before a replacement that starts there.
pub fn apply(source: &str, edits: &[Edit]) -> Result<String, OverlappingEdits> {
    apply_within(source, Span::new(0, source.len()), edits)
}

/// The text of `window` with those `edits` applied that lie inside it.
pub fn apply_within(
    source: &str,
    window: Span,
    edits: &[Edit],
) -> Result<String, OverlappingEdits> {
    let mut inside: Vec<&Edit> = edits.iter().filter(|e| window.contains(e.span)).collect();
    inside.sort_by_key(|e| (e.span.start, e.span.end > e.span.start));
    let mut out = String::with_capacity(window.end - window.start + 64);
    let mut cursor = window.start;
    let mut previous: Option<&Edit> = None;
    for edit in inside {
        if edit.span.start < cursor {
            return Err(OverlappingEdits {
                first: previous.cloned().unwrap_or_else(|| edit.clone()),
                second: edit.clone(),
            });
        }
        out.push_str(&source[cursor..edit.span.start]);
        out.push_str(&edit.replacement);
        cursor = edit.span.end;
        previous = Some(edit);
    }
    out.push_str(&source[cursor..window.end]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_and_keeps_untouched_bytes() {
        let src = "var a = context.clientID; // keep\n";
        let at = src.find("context.clientID").unwrap();
        let edits = [Edit::replace(
            Span::new(at, at + 16),
            "event.client.client_id",
        )];
        assert_eq!(
            apply(src, &edits).unwrap(),
            "var a = event.client.client_id; // keep\n"
        );
    }

    #[test]
    fn insertions_come_before_a_replacement_at_the_same_offset() {
        let edits = [
            Edit::replace(Span::new(0, 1), "B"),
            Edit::insert(0, "1"),
            Edit::insert(0, "2"),
        ];
        assert_eq!(apply("b", &edits).unwrap(), "12B");
    }

    #[test]
    fn overlapping_edits_are_refused() {
        let edits = [
            Edit::replace(Span::new(0, 3), "x"),
            Edit::replace(Span::new(2, 4), "y"),
        ];
        assert!(apply("abcd", &edits).is_err());
    }

    #[test]
    fn window_applies_only_inner_edits() {
        let edits = [
            Edit::replace(Span::new(1, 2), "X"),
            Edit::replace(Span::new(3, 4), "Y"),
        ];
        assert_eq!(
            apply_within("abcd", Span::new(0, 3), &edits).unwrap(),
            "aXc"
        );
    }
}
