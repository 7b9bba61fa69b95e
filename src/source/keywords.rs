//! auth0-deploy-cli keyword placeholders in rule scripts: `@@KEY@@` (replaced by a JSON value,
//! often bare: `const domains = @@ALLOWED_DOMAINS@@;`) and `##KEY##` (replaced as text). The
//! deploy tool replaces them in Action code too, so they must reach the output untouched.
//!
//! A bare `@@KEY@@` is not JavaScript. Before parsing, each placeholder becomes an identifier of
//! the same length (`_$KEY$_`, `__KEY__`), so every span stays valid; afterwards the original
//! text comes back. A key whose stand-in already occurs in the script is left alone.

/// A placeholder and the identifier standing in for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    pub original: String,
    pub stand_in: String,
}

/// `script` with its placeholders replaced by stand-ins, and the replacements made.
pub fn protect(script: &[u8]) -> (Vec<u8>, Vec<Placeholder>) {
    let Ok(text) = std::str::from_utf8(script) else {
        return (script.to_vec(), Vec::new());
    };
    let mut placeholders: Vec<Placeholder> = Vec::new();
    for (marker, fill) in [("@@", "_$"), ("##", "__")] {
        let mut rest = text;
        while let Some(start) = rest.find(marker) {
            let after = &rest[start + 2..];
            let key_len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if key_len > 0 && after[key_len..].starts_with(marker) {
                let key = &after[..key_len];
                let original = format!("{marker}{key}{marker}");
                let close: String = fill.chars().rev().collect();
                let stand_in = format!("{fill}{key}{close}");
                if !text.contains(&stand_in) && !placeholders.iter().any(|p| p.original == original)
                {
                    placeholders.push(Placeholder { original, stand_in });
                }
                rest = &after[key_len + 2..];
            } else {
                rest = &rest[start + 2..];
            }
        }
    }
    let mut protected = text.to_string();
    for placeholder in &placeholders {
        protected = protected.replace(&placeholder.original, &placeholder.stand_in);
    }
    (protected.into_bytes(), placeholders)
}

/// `text` with the placeholders back.
pub fn restore(text: &str, placeholders: &[Placeholder]) -> String {
    placeholders.iter().fold(text.to_string(), |text, p| {
        text.replace(&p.stand_in, &p.original)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_identifiers_of_the_same_length_and_come_back() {
        let script = b"const domains = @@ALLOWED_DOMAINS@@;\nconst url = '##API_URL##/v1';\n";
        let (protected, placeholders) = protect(script);
        let protected = String::from_utf8(protected).unwrap();
        assert_eq!(
            protected,
            "const domains = _$ALLOWED_DOMAINS$_;\nconst url = '__API_URL__/v1';\n"
        );
        assert_eq!(protected.len(), script.len());
        assert_eq!(restore(&protected, &placeholders).as_bytes(), script);
    }

    #[test]
    fn text_that_only_looks_like_a_placeholder_is_kept() {
        let script =
            b"const a = 'x@@y'; const b = '## heading'; const c = __K__; const d = '##K##';";
        let (protected, placeholders) = protect(script);
        assert!(placeholders.is_empty(), "{placeholders:?}");
        assert_eq!(protected, script);
    }
}
