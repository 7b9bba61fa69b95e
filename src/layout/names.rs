//! Action names: what the deploy tool uses as a folder and file name, so never a path.

use std::collections::BTreeSet;

/// A safe, unique name for each rule name, in order: letters, digits, `-` and `_` only (others
/// become `-`), `rule` when nothing is left, and `-2`, `-3`, … for repeats.
pub fn action_names<'a>(rule_names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = BTreeSet::new();
    rule_names
        .into_iter()
        .map(|raw| {
            let base = sanitize(raw);
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.to_ascii_lowercase()) {
                name = format!("{base}-{n}");
                n += 1;
            }
            name
        })
        .collect()
}

fn sanitize(raw: &str) -> String {
    let mut safe = String::with_capacity(raw.len());
    for c in raw.chars() {
        let keep = c.is_ascii_alphanumeric() || c == '_' || c == '-';
        let c = if keep { c } else { '-' };
        // `a / b` becomes `a-b`, not `a---b`.
        if !(c == '-' && safe.ends_with('-')) {
            safe.push(c);
        }
    }
    let safe = safe.trim_matches('-');
    if safe.is_empty() {
        "rule".to_string()
    } else {
        safe.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_never_paths_and_never_repeat() {
        let names = action_names(["../../x", "Add roles / claims", "x", "", "X", "..", "a\\b"]);
        assert_eq!(
            names,
            [
                "x",
                "Add-roles-claims",
                "x-2",
                "rule",
                "X-3",
                "rule-2",
                "a-b"
            ]
        );
    }
}
