//! Helpers for the text between tokens: whitespace and comments.

/// Comments (`// …` and `/* … */`) found in a stretch of text that holds only punctuation,
/// whitespace and comments.
pub fn comments_in(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(i) = rest.find('/') {
        let after = &rest[i..];
        let len = if after.starts_with("//") {
            after.find('\n').unwrap_or(after.len())
        } else if after.starts_with("/*") {
            after.find("*/").map_or(after.len(), |end| end + 2)
        } else {
            1
        };
        if len > 1 {
            found.push(text[offset + i..offset + i + len].trim_end());
        }
        offset += i + len;
        rest = &text[offset..];
    }
    found
}

/// Offset of the first character at or after `from` that is not whitespace or a comment.
pub fn skip_trivia(text: &str, from: usize) -> usize {
    let mut at = from;
    loop {
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if trimmed.starts_with("//") {
            at += trimmed.find('\n').unwrap_or(trimmed.len());
        } else if trimmed.starts_with("/*") {
            at += trimmed.find("*/").map_or(trimmed.len(), |end| end + 2);
        } else {
            return at;
        }
    }
}

/// A JavaScript string literal for `value`, in the rule's quote style.
/// Whether `key` can follow a `.` in a member expression (`meta.first_login_at`).
pub fn is_identifier_name(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !key.starts_with(|c: char| c.is_ascii_digit())
}

/// `.key` when it is an identifier name, otherwise `[<literal>]`.
pub fn member_key(key: &str, quote: char) -> String {
    if is_identifier_name(key) {
        format!(".{key}")
    } else {
        format!("[{}]", string_literal(key, quote))
    }
}

pub fn string_literal(value: &str, quote: char) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push(quote);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Whether the expression at `span` is only tested for being set: `if (x)`, `!x`, `x && …`,
/// `x ? … : …` (`x || y` hands `x` on).
pub fn is_presence_test(source: &str, span: crate::span::Span) -> bool {
    let before = source[..span.start].trim_end();
    let after = source[span.end..].trim_start();
    let operator = after.starts_with("&&")
        || (after.starts_with('?') && !after.starts_with("?.") && !after.starts_with("??"));
    let condition = after.starts_with(')')
        && ["if (", "if(", "while (", "while("]
            .iter()
            .any(|k| before.ends_with(k));
    operator || condition || (before.ends_with('!') && !before.ends_with("!="))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_comments_between_tokens() {
        assert_eq!(
            comments_in(", // duo keys\n  /* b */ ,"),
            vec!["// duo keys", "/* b */"]
        );
        assert!(comments_in(" , ").is_empty());
    }

    #[test]
    fn skips_whitespace_and_comments() {
        let text = "}  // x\n /* y */ ;";
        assert_eq!(&text[skip_trivia(text, 1)..], ";");
    }

    #[test]
    fn quotes_strings() {
        assert_eq!(string_literal("it's", '\''), r"'it\'s'");
        assert_eq!(string_literal("a\"b", '"'), r#""a\"b""#);
    }
}
