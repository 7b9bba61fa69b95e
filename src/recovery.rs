//! Recovery when a rule's edits do not make an Action that parses: instead of failing the
//! rule, leave out the rewrites of the statements responsible, one statement at a time, and
//! keep everything else.
//!
//! Each edit names the rewrite family that made it ([`Family`]). An edit of a core family (the
//! header, the callback shim), or outside every statement of the body (declarations above and
//! at the top of the handler), is *core*; every other edit is a *leaf* fix and belongs to the
//! innermost statement that holds it: the rewrite of one construct. When the whole set fails, a binary search over
//! the leaf groups, in source order, finds the shortest prefix whose removal makes the Action
//! parse; the last group of that prefix is responsible and is left out. The loop repeats, a
//! bounded number of times, until the Action parses. A statement left out stays as the Rule
//! wrote it, and the caller reports it. When core fixes alone do not parse, recovery gives up
//! and the caller falls back to its conservative form.

use crate::edit::Edit;
use crate::family::Family;
use crate::span::Span;

/// How many statements recovery leaves out before it gives up.
const MAX_LEFT_OUT: usize = 8;

/// Edits grouped by the statement that holds them.
pub struct Groups {
    core: Vec<Edit>,
    /// Each leaf group: its statement and its edits, in source order.
    leaves: Vec<(Span, Vec<Edit>)>,
}

impl Groups {
    /// Groups `edits` by the innermost of `statements` that holds each one; `body` is the rule
    /// body, whose own bounds belong to the core.
    pub fn new(edits: &[Edit], statements: &[Span], body: Span) -> Groups {
        let mut inner: Vec<Span> = statements
            .iter()
            .copied()
            .filter(|s| body.contains(*s) && *s != body)
            .collect();
        inner.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        inner.dedup();
        let mut core = Vec::new();
        let mut leaves: Vec<(Span, Vec<Edit>)> = Vec::new();
        for edit in edits {
            // The innermost statement holding the edit: the last (by start) that contains it.
            let holder = inner
                .iter()
                .take_while(|s| s.start <= edit.span.start)
                .filter(|s| s.contains(edit.span))
                .min_by_key(|s| s.end - s.start)
                .filter(|_| !edit.origin.is_some_and(Family::is_core));
            match holder {
                Some(statement) => match leaves.iter_mut().find(|(s, _)| s == statement) {
                    Some((_, group)) => group.push(edit.clone()),
                    None => leaves.push((*statement, vec![edit.clone()])),
                },
                None => core.push(edit.clone()),
            }
        }
        leaves.sort_by_key(|(s, _)| (s.start, s.end));
        Groups { core, leaves }
    }

    /// Every edit except those of the leaf groups at `left_out` (indices).
    fn without(&self, left_out: &[usize]) -> Vec<Edit> {
        let mut edits = self.core.clone();
        for (i, (_, group)) in self.leaves.iter().enumerate() {
            if !left_out.contains(&i) {
                edits.extend(group.iter().cloned());
            }
        }
        edits
    }
}

/// A statement whose rewrites recovery left out, and the families that made them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub statement: Span,
    pub families: Vec<Family>,
}

impl LeftOut {
    /// The families' names, for a message: `claims`, `claims and user`, `a, b and c`.
    pub fn names(&self) -> String {
        let names: Vec<&str> = self.families.iter().map(|f| f.name()).collect();
        match names.split_last() {
            None => "the".to_string(),
            Some((last, [])) => format!("the {last}"),
            Some((last, rest)) => format!("the {} and {last}", rest.join(", ")),
        }
    }
}

/// What recovery kept.
pub struct Recovered<T> {
    /// The result `build` made from the edits kept.
    pub built: T,
    /// The statements whose rewrites were left out, in source order.
    pub left_out: Vec<LeftOut>,
}

/// Builds the Action from every edit, and when that fails, from fewer: `build` gets the edits
/// to apply and the statements left out, and returns `None` when the result does not parse.
/// `None` when even the core edits alone fail.
pub fn recover<T>(
    groups: &Groups,
    mut build: impl FnMut(&[Edit], &[LeftOut]) -> Option<T>,
) -> Option<Recovered<T>> {
    let mut left_out: Vec<usize> = Vec::new();
    let spans = |indices: &[usize]| -> Vec<LeftOut> {
        let mut spans: Vec<LeftOut> = indices
            .iter()
            .map(|&i| {
                let (statement, edits) = &groups.leaves[i];
                let mut families: Vec<Family> = edits.iter().filter_map(|e| e.origin).collect();
                families.sort();
                families.dedup();
                LeftOut {
                    statement: *statement,
                    families,
                }
            })
            .collect();
        spans.sort_by_key(|s| s.statement.start);
        spans
    };
    let mut attempt = |indices: &[usize]| build(&groups.without(indices), &spans(indices));
    loop {
        if let Some(built) = attempt(&left_out) {
            return Some(Recovered {
                built,
                left_out: spans(&left_out),
            });
        }
        if left_out.len() >= MAX_LEFT_OUT {
            return None;
        }
        let remaining: Vec<usize> = (0..groups.leaves.len())
            .filter(|i| !left_out.contains(i))
            .collect();
        let dropping = |k: usize| -> Vec<usize> {
            let mut all = left_out.clone();
            all.extend_from_slice(&remaining[..k]);
            all
        };
        // With every leaf left out the core must stand on its own.
        attempt(&dropping(remaining.len()))?;
        // The shortest prefix of the remaining groups whose removal parses: `lo` fails,
        // `hi` parses.
        let (mut lo, mut hi) = (0, remaining.len());
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if attempt(&dropping(mid)).is_some() {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        left_out.push(remaining[hi - 1]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    /// `build` for the tests: applies the edits and "parses" by checking that brackets balance.
    fn balanced(source: &str, edits: &[Edit]) -> Option<String> {
        let out = apply(source, edits).ok()?;
        let mut depth = 0i32;
        for c in out.chars() {
            depth += match c {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
            if depth < 0 {
                return None;
            }
        }
        (depth == 0).then_some(out)
    }

    fn at(source: &str, needle: &str) -> Span {
        let start = source.find(needle).unwrap();
        Span::new(start, start + needle.len())
    }

    #[test]
    fn the_statement_whose_rewrite_breaks_is_left_as_written() {
        let source = "{ a(); b(); c(); }";
        let statements = [at(source, "a();"), at(source, "b();"), at(source, "c();")];
        let edits = vec![
            Edit::replace(at(source, "a"), "x").by(Family::User),
            Edit::replace(at(source, "b"), "y(").by(Family::Claims),
            Edit::replace(at(source, "c"), "z").by(Family::User),
            Edit::insert(0, "// header\n").by(Family::Header),
        ];
        let groups = Groups::new(&edits, &statements, Span::new(0, source.len()));
        let recovered = recover(&groups, |edits, _| balanced(source, edits)).unwrap();
        assert_eq!(recovered.built, "// header\n{ x(); b(); z(); }");
        assert_eq!(
            recovered.left_out,
            vec![LeftOut {
                statement: at(source, "b();"),
                families: vec![Family::Claims],
            }]
        );
        assert_eq!(recovered.left_out[0].names(), "the claims");
    }

    #[test]
    fn several_broken_statements_are_each_left_out() {
        let source = "{ a(); b(); c(); d(); }";
        let names = ["a();", "b();", "c();", "d();"];
        let statements: Vec<Span> = names.iter().map(|n| at(source, n)).collect();
        let edits: Vec<Edit> = names
            .iter()
            .map(|n| {
                let name = &n[..1];
                let broken = name == "a" || name == "d";
                Edit::replace(at(source, name), if broken { "((" } else { "ok" })
            })
            .collect();
        let groups = Groups::new(&edits, &statements, Span::new(0, source.len()));
        let recovered = recover(&groups, |edits, _| balanced(source, edits)).unwrap();
        assert_eq!(recovered.built, "{ a(); ok(); ok(); d(); }");
        assert_eq!(recovered.left_out.len(), 2);
    }

    #[test]
    fn an_edit_in_a_nested_statement_belongs_to_it_alone() {
        let source = "{ if (t) { a(); } b(); }";
        let statements = [
            at(source, "if (t) { a(); }"),
            at(source, "a();"),
            at(source, "b();"),
        ];
        let edits = vec![
            Edit::replace(at(source, "t"), "u"),
            Edit::replace(at(source, "a"), "(("),
        ];
        let groups = Groups::new(&edits, &statements, Span::new(0, source.len()));
        let recovered = recover(&groups, |edits, _| balanced(source, edits)).unwrap();
        assert_eq!(recovered.built, "{ if (u) { a(); } b(); }");
        assert_eq!(recovered.left_out[0].statement, at(source, "a();"));
    }

    #[test]
    fn broken_core_edits_give_up() {
        let source = "{ a(); }";
        let edits = vec![Edit::insert(0, "(")];
        let groups = Groups::new(&edits, &[at(source, "a();")], Span::new(0, source.len()));
        assert!(recover(&groups, |edits, _| balanced(source, edits)).is_none());
    }

    #[test]
    fn a_core_family_edit_inside_a_statement_is_never_left_out() {
        let source = "{ a(); b(); }";
        let statements = [at(source, "a();"), at(source, "b();")];
        // The shim's edit inside `b();` breaks: leaving out `b();` would not remove it, so the
        // core fails and recovery gives up (the caller falls back to the conservative form).
        let edits = vec![
            Edit::replace(at(source, "a"), "x").by(Family::User),
            Edit::insert(at(source, "b").start, "(").by(Family::CallbackShim),
        ];
        let groups = Groups::new(&edits, &statements, Span::new(0, source.len()));
        assert!(recover(&groups, |edits, _| balanced(source, edits)).is_none());
        // The same edit from a leaf family is left out with its statement.
        let leaf = vec![
            edits[0].clone(),
            Edit::insert(at(source, "b").start, "(").by(Family::Metadata),
        ];
        let groups = Groups::new(&leaf, &statements, Span::new(0, source.len()));
        let recovered = recover(&groups, |edits, _| balanced(source, edits)).unwrap();
        assert_eq!(recovered.built, "{ x(); b(); }");
        assert_eq!(recovered.left_out[0].families, vec![Family::Metadata]);
    }

    #[test]
    fn the_families_of_a_left_out_statement_are_named_in_order() {
        let left_out = LeftOut {
            statement: Span::new(0, 1),
            families: vec![Family::Claims, Family::User, Family::UserFields],
        };
        assert_eq!(left_out.names(), "the claims, user and user-fields");
    }

    #[test]
    fn overlapping_edits_are_recovered_like_broken_ones() {
        let source = "{ abc(); d(); }";
        let statements = [at(source, "abc();"), at(source, "d();")];
        let edits = vec![
            Edit::replace(at(source, "abc"), "x"),
            Edit::replace(at(source, "bc"), "y"),
            Edit::replace(at(source, "d"), "e"),
        ];
        let groups = Groups::new(&edits, &statements, Span::new(0, source.len()));
        let recovered = recover(&groups, |edits, _| balanced(source, edits)).unwrap();
        assert_eq!(recovered.built, "{ abc(); e(); }");
    }
}
