//! Comments inside object literals, so that rewrites which rebuild an object (MFA options,
//! wholesale claim objects) carry them along instead of dropping them.

use swc_common::Spanned;
use swc_ecma_ast::ObjectLit;

use super::trivia::comments_in;
use crate::parse::Offsets;

/// The comments written around one property.
#[derive(Default)]
pub struct PropComments<'s> {
    /// On the lines before the property.
    pub leading: Vec<&'s str>,
    /// After the property, on its own line.
    pub trailing: Vec<&'s str>,
}

/// Comments around each property, in order, and those on their own lines before the `}`.
pub fn property_comments<'s>(
    source: &'s str,
    object: &ObjectLit,
    offsets: Offsets,
) -> (Vec<PropComments<'s>>, Vec<&'s str>) {
    let object_span = offsets.span(object.span);
    let mut props: Vec<PropComments<'s>> = Vec::with_capacity(object.props.len());
    let mut gap_start = object_span.start + 1;
    for prop in &object.props {
        let prop_span = offsets.span(prop.span());
        let leading = after_previous(&mut props, &source[gap_start..prop_span.start]);
        props.push(PropComments {
            leading,
            trailing: Vec::new(),
        });
        gap_start = prop_span.end;
    }
    let closing_gap = &source[gap_start..object_span.end.saturating_sub(1).max(gap_start)];
    let closing = after_previous(&mut props, closing_gap);
    (props, closing)
}

/// Gives the previous property the comments on its line and returns the rest of `gap`.
fn after_previous<'s>(props: &mut [PropComments<'s>], gap: &'s str) -> Vec<&'s str> {
    match props.last_mut() {
        Some(previous) => {
            let (same_line, rest) = split_after_property(gap);
            previous.trailing = same_line;
            rest
        }
        None => comments_in(gap),
    }
}

/// Comments in the text after a property: those on its line, then the rest.
fn split_after_property(gap: &str) -> (Vec<&str>, Vec<&str>) {
    match gap.find('\n') {
        Some(newline) => (comments_in(&gap[..newline]), comments_in(&gap[newline..])),
        None => (comments_in(gap), Vec::new()),
    }
}
