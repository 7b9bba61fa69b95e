//! Text edits: byte spans plus replacement text, spliced into the original source.
//!
//! Rewrites never reprint the program. They record edits, and untouched bytes stay identical.

use crate::family::Family;
use crate::span::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
    /// The rewrite family that made it; `None` for the tool's own edits (markers, merges).
    pub origin: Option<Family>,
}

impl Edit {
    pub fn replace(span: Span, replacement: impl Into<String>) -> Self {
        Edit {
            span,
            replacement: replacement.into(),
            origin: None,
        }
    }

    /// The same edit, made by `family`.
    pub fn by(mut self, family: Family) -> Self {
        self.origin = Some(family);
        self
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

/// Where the text of an applied edit list sits, before and after, to carry spans and later
/// edits from the edited text back to the original (the `@auth0/rule-utilities` expansion runs
/// before the rewrite, and the user sees only their rule).
pub struct Applied {
    /// `(original, edited)` span of each edit, in order.
    regions: Vec<(Span, Span)>,
}

impl Applied {
    /// `edits` must not overlap (as [`apply`] requires).
    pub fn new(edits: &[Edit]) -> Self {
        let mut sorted: Vec<&Edit> = edits.iter().collect();
        sorted.sort_by_key(|e| (e.span.start, e.span.end > e.span.start));
        let mut shift: isize = 0;
        let regions = sorted
            .into_iter()
            .map(|e| {
                let start = (e.span.start as isize + shift) as usize;
                let edited = Span::new(start, start + e.replacement.len());
                shift += e.replacement.len() as isize - (e.span.end - e.span.start) as isize;
                (e.span, edited)
            })
            .collect();
        Applied { regions }
    }

    /// A position on one side (`to_edited`: the original), on the other: inside an edit's
    /// span it is the start (`start == true`) or the end of the edit's span there.
    fn across(&self, at: usize, start: bool, to_edited: bool) -> usize {
        let sides = |&(original, edited): &(Span, Span)| {
            if to_edited {
                (original, edited)
            } else {
                (edited, original)
            }
        };
        let before = self.regions.partition_point(|r| sides(r).0.start < at);
        let Some((from, to)) = before.checked_sub(1).map(|i| sides(&self.regions[i])) else {
            return at;
        };
        if at < from.end {
            return if start { to.start } else { to.end };
        }
        at - from.end + to.end
    }

    pub fn span_to_original(&self, span: Span) -> Span {
        let start = self.across(span.start, true, false);
        Span::new(start, self.across(span.end, false, false).max(start))
    }

    pub fn span_to_edited(&self, span: Span) -> Span {
        let start = self.across(span.start, true, true);
        Span::new(start, self.across(span.end, false, true).max(start))
    }

    /// `later`, edits of the edited text `edited`, as edits of the original that lead to the
    /// same result: an edit that touches the text of an earlier edit merges with it.
    pub fn compose(&self, edited: &str, later: &[Edit]) -> Vec<Edit> {
        let touches = |e: &Edit, region: Span| {
            if region.start == region.end {
                return false;
            }
            if e.span.start == e.span.end {
                e.span.start > region.start && e.span.start < region.end
            } else {
                e.span.start < region.end && e.span.end > region.start
            }
        };
        // Windows of the edited text, each an earlier edit and the later edits touching it.
        let mut windows: Vec<Span> = Vec::new();
        for &(_, region) in &self.regions {
            let mut window = region;
            for e in later.iter().filter(|e| touches(e, region)) {
                window = Span::new(window.start.min(e.span.start), window.end.max(e.span.end));
            }
            match windows.last_mut() {
                Some(last) if window.start < last.end => last.end = last.end.max(window.end),
                _ => windows.push(window),
            }
        }
        let mut composed: Vec<Edit> = windows
            .iter()
            .map(|window| {
                let replacement = apply_within(edited, *window, later)
                    .unwrap_or_else(|_| edited[window.range()].to_string());
                Edit::replace(self.span_to_original(*window), replacement)
            })
            .collect();
        composed.extend(
            later
                .iter()
                .filter(|e| !windows.iter().any(|w| w.contains(e.span)))
                .map(|e| Edit::replace(self.span_to_original(e.span), e.replacement.clone())),
        );
        composed
    }
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

    #[test]
    fn later_edits_compose_back_onto_the_original() {
        let original = "a = util.query.x; b = 1; c = util.flag;";
        let at = |needle: &str| original.find(needle).unwrap();
        let first = [
            Edit::replace(
                Span::new(at("util.query"), at("util.query") + 10),
                "context.request.query",
            ),
            Edit::replace(Span::new(at("util.flag"), at("util.flag") + 9), "(x === 1)"),
        ];
        let edited = apply(original, &first).unwrap();
        let e = |needle: &str| edited.find(needle).unwrap();
        // One edit inside the first expansion, one outside both, one across the second.
        let later = [
            Edit::replace(Span::new(e("context"), e("context") + 7), "event"),
            Edit::replace(Span::new(e("b = 1"), e("b = 1") + 5), "b = 2"),
            Edit::replace(Span::new(e("c = "), edited.len() - 1), "c = flag"),
        ];
        let target = apply(&edited, &later).unwrap();
        let applied = Applied::new(&first);
        let composed = applied.compose(&edited, &later);
        assert_eq!(apply(original, &composed).unwrap(), target);
        assert_eq!(target, "a = event.request.query.x; b = 2; c = flag;");
        // A span inside an expansion covers what it replaced.
        let inside = Span::new(e("request"), e("request") + 7);
        assert_eq!(
            applied.span_to_original(inside),
            Span::new(at("util.query"), at("util.query") + 10)
        );
        assert_eq!(
            applied
                .span_to_edited(Span::new(at("b = 1"), at("b = 1") + 1))
                .start,
            e("b = 1")
        );
    }
}
