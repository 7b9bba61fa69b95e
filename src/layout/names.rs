//! Action names: what the deploy tool uses as a folder and file name, so never a path.

/// The longest Action name: folder and file names stay far below what filesystems accept
/// (255 bytes), with room for `.json` and a `-N` suffix.
const MAX_NAME: usize = 100;

/// A safe, unique name for each rule name, in order: letters, digits, `-` and `_` only (others
/// become `-`), `rule` when nothing is left, at most [`MAX_NAME`] characters (a long name keeps
/// its start and gets a hash of the whole), and `-2`, `-3`, … for repeats. Names differing only
/// in case are repeats, because some filesystems do not tell them apart.
pub fn action_names<'a>(rule_names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    // The next suffix to try for each base, so that many repeats cost one step each.
    let mut next_suffix: std::collections::HashMap<String, usize> = Default::default();
    rule_names
        .into_iter()
        .map(|raw| {
            let base = shorten(sanitize(raw), raw);
            let folded = base.to_ascii_lowercase();
            if taken.insert(folded.clone()) {
                return base;
            }
            let n = next_suffix.entry(folded).or_insert(2);
            loop {
                let name = format!("{base}-{n}");
                *n += 1;
                if taken.insert(name.to_ascii_lowercase()) {
                    return name;
                }
            }
        })
        .collect()
}

/// `name` cut to [`MAX_NAME`] characters (all ASCII), ending in a hash of the rule's name.
fn shorten(name: String, raw: &str) -> String {
    if name.len() <= MAX_NAME {
        return name;
    }
    let hash = &super::state::fingerprint(raw.as_bytes())[..8];
    let keep = MAX_NAME - hash.len() - 1;
    format!("{}-{hash}", name[..keep].trim_end_matches('-'))
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

    #[test]
    fn long_names_are_shortened_and_stay_unique() {
        let long_a = "a".repeat(300);
        let long_b = format!("{}b", "a".repeat(299));
        let names = action_names([long_a.as_str(), long_b.as_str(), long_a.as_str()]);
        assert!(names.iter().all(|n| n.len() <= MAX_NAME + 3), "{names:?}");
        assert_ne!(names[0], names[1]);
        assert_eq!(names[2], format!("{}-2", names[0]));
    }

    #[test]
    fn many_repeats_cost_linear_time() {
        let names = action_names(std::iter::repeat_n("same", 40_000));
        assert_eq!(names[39_999], "same-40000");
        // `same-2` taken by a rule of that name pushes the repeat on to `same-3`.
        assert_eq!(
            action_names(["same", "same-2", "same"]),
            ["same", "same-2", "same-3"]
        );
    }
}
