//! Checks on raw rule text that keep the parser safe: size, encoding and nesting caps.

use crate::registry::Code;
use crate::span::Span;

/// Auth0 limits Action code to 100 KB; anything much larger is not a real rule.
pub const MAX_RULE_BYTES: usize = 256 * 1024;
/// Recursion depth the parser and visitors meet before any stack limit.
pub const MAX_NESTING: usize = 800;

/// Why a rule's text was refused before parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: Code,
    pub span: Span,
    pub message: String,
}

/// Decodes rule bytes, refusing binary and non-UTF-8 files.
pub fn decode(bytes: &[u8]) -> Result<&str, Refusal> {
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(Refusal {
            code: Code::UnreadableInput,
            span: Span::empty(0),
            message: format!("binary file: NUL byte at offset {at}"),
        });
    }
    std::str::from_utf8(bytes).map_err(|e| Refusal {
        code: Code::UnreadableInput,
        span: Span::empty(0),
        message: format!("not UTF-8: invalid byte at offset {}", e.valid_up_to()),
    })
}

/// Refuses text that is too large, or nested deeper than the parser can safely recurse.
pub fn check_complexity(text: &str) -> Result<(), Refusal> {
    if text.len() > MAX_RULE_BYTES {
        return Err(Refusal {
            code: Code::InputTooComplex,
            span: Span::empty(0),
            message: format!(
                "the rule is {} bytes; the limit is {MAX_RULE_BYTES}",
                text.len()
            ),
        });
    }
    if within_limits_by_count(text.as_bytes()) {
        return Ok(());
    }
    if let Some((at, what)) = nesting_scan(text.as_bytes()) {
        return Err(Refusal {
            code: Code::InputTooComplex,
            span: Span::new(at, at + 1),
            message: format!("the rule nests {what} more than the limit allows"),
        });
    }
    match repeated_label(text) {
        None => Ok(()),
        Some((span, name)) => Err(Refusal {
            code: Code::InputTooComplex,
            span,
            message: format!("the rule repeats the label `{name}` more than the limit allows"),
        }),
    }
}

/// Statements a label can lead without braces, which nest without any bracket the scan counts.
const LABELLED_KEYWORDS: [&str; 7] = ["if", "for", "while", "do", "switch", "try", "with"];

/// A label name used more than [`MAX_LABEL_RUN`] times before a statement keyword
/// (`a: if (1) a: if (1) …`): the parser's memory grows with the square of the repeats when
/// they nest (24 GB for 256 KB), and no real rule reuses one label that often. Only run when
/// the text has more colons than the fast count allows.
fn repeated_label(text: &str) -> Option<(Span, &str)> {
    let mut uses: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let is_word = |b: u8| CLASSES[b as usize] == Class::Word;
    for (colon, _) in text.match_indices(':') {
        let end = text[..colon].trim_end().len();
        let start = text[..end]
            .bytes()
            .rev()
            .take_while(|&b| is_word(b))
            .count();
        let name = &text[end - start..end];
        if name.is_empty() || name.as_bytes()[0].is_ascii_digit() {
            continue;
        }
        let rest = text[colon + 1..].trim_start();
        let keyword_follows = LABELLED_KEYWORDS.iter().any(|k| {
            rest.starts_with(k) && rest.as_bytes().get(k.len()).is_none_or(|&b| !is_word(b))
        });
        if !keyword_follows {
            continue;
        }
        let count = uses.entry(name).or_default();
        *count += 1;
        if *count > MAX_LABEL_RUN {
            return Some((Span::new(end - start, end), name));
        }
    }
    None
}

/// Nested labels make the parser's memory grow quadratically.
const MAX_LABEL_RUN: usize = 100;
/// Words longer than this end an operator chain, so long text (base64) is never mistaken for one.
const CHAIN_WORD_LEN: usize = 16;

#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Class {
    Open,
    Close,
    Newline,
    Space,
    Colon,
    Operator,
    Word,
    Other,
}

/// The class of every byte, computed once: the scan runs over every rule.
static CLASSES: [Class; 256] = {
    let mut table = [Class::Other; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = match b {
            b'(' | b'[' | b'{' => Class::Open,
            b')' | b']' | b'}' => Class::Close,
            b'\n' => Class::Newline,
            b' ' | b'\t' | b'\r' => Class::Space,
            b':' => Class::Colon,
            b'!' | b'~' | b'-' | b'+' | b'=' | b'<' | b'>' | b'?' | b'*' | b'/' | b'%' | b'&'
            | b'|' | b'^' => Class::Operator,
            b'_' | b'$' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => Class::Word,
            _ => Class::Other,
        };
        byte += 1;
    }
    table
};

/// Counts are upper bounds on every run the scan measures, so when no count reaches its limit
/// the scan cannot fail, and most rules never need it. Counting is branch-free.
fn within_limits_by_count(bytes: &[u8]) -> bool {
    let (mut opening, mut operators, mut colons) = (0u32, 0u32, 0u32);
    for &b in bytes {
        let class = CLASSES[b as usize];
        opening += u32::from(class == Class::Open);
        colons += u32::from(class == Class::Colon);
        operators += u32::from(class == Class::Operator);
    }
    let limit = MAX_NESTING as u32;
    opening <= limit && operators + colons <= limit && colons <= MAX_LABEL_RUN as u32
}

/// A byte-level upper bound on how deeply the parser will recurse: where and what is too deep.
/// Brackets are counted even in strings and comments: a false refusal is acceptable, a stack
/// overflow is not. The state lives in locals because this loop runs over every byte of every
/// rule.
fn nesting_scan(bytes: &[u8]) -> Option<(usize, &'static str)> {
    let mut depth = 0usize;
    // Operators with only short names and spaces between them on one line (`a = a = …`).
    let mut operator_run = 0usize;
    let mut word_len = 0usize;
    // `name:` pairs with nothing else between them (`a: b: c: …`).
    let mut label_run = 0usize;
    let mut after_word = false;
    for (at, &byte) in bytes.iter().enumerate() {
        match CLASSES[byte as usize] {
            Class::Word => {
                word_len += 1;
                if word_len > CHAIN_WORD_LEN {
                    operator_run = 0;
                }
                after_word = true;
                continue;
            }
            Class::Space => {
                word_len = 0;
                continue;
            }
            Class::Newline => {
                operator_run = 0;
                word_len = 0;
                continue;
            }
            Class::Open => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some((at, "brackets"));
                }
                (operator_run, label_run) = (0, 0);
            }
            Class::Close => {
                depth = depth.saturating_sub(1);
                (operator_run, label_run) = (0, 0);
            }
            Class::Colon => {
                label_run = if after_word { label_run + 1 } else { 0 };
                if label_run > MAX_LABEL_RUN {
                    return Some((at, "labels"));
                }
                operator_run += 1;
            }
            Class::Operator => {
                operator_run += 1;
                label_run = 0;
            }
            Class::Other => (operator_run, label_run) = (0, 0),
        }
        if operator_run > MAX_NESTING {
            return Some((at, "operators"));
        }
        word_len = 0;
        after_word = false;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_repeated_before_statements_is_refused_and_ordinary_colons_are_not() {
        let nested = format!(
            "function (u, c, cb) {{ {} ; }}",
            "outer: if (1) ".repeat(200)
        );
        let refusal = check_complexity(&nested).unwrap_err();
        assert!(
            refusal.message.contains("the label `outer`"),
            "{}",
            refusal.message
        );
        // Object keys, ternaries and `case` labels are no statement labels, and a label used a
        // few times is what real loops do.
        let ordinary = format!(
            "function (u, c, cb) {{ {} outer: for (;;) {{ break outer; }} outer: while (0) {{}} }}",
            "var o = { a: 1, b: x ? y : z }; switch (k) { case a: if (1) {} } ".repeat(60)
        );
        assert_eq!(check_complexity(&ordinary), Ok(()));
    }

    #[test]
    fn refuses_binary_and_invalid_utf8() {
        assert_eq!(decode(b"a\0b").unwrap_err().code, Code::UnreadableInput);
        assert_eq!(
            decode(&[0x66, 0xff]).unwrap_err().code,
            Code::UnreadableInput
        );
        assert_eq!(decode("ü".as_bytes()).unwrap(), "ü");
    }

    #[test]
    fn refuses_deep_nesting_but_not_normal_code() {
        let deep = format!(
            "{}1{}",
            "(".repeat(MAX_NESTING + 1),
            ")".repeat(MAX_NESTING + 1)
        );
        assert_eq!(
            check_complexity(&deep).unwrap_err().code,
            Code::InputTooComplex
        );
        let unary = format!("x = {}1;", "!".repeat(MAX_NESTING + 1));
        assert!(check_complexity(&unary).is_err());
        let chain = format!("{}1;", "a = ".repeat(MAX_NESTING + 1));
        assert!(check_complexity(&chain).is_err());
        let labels = format!("{}x;", "a:\n".repeat(MAX_LABEL_RUN + 1));
        assert!(check_complexity(&labels).is_err());
        let normal = "var a = 1;\nvar b = -a + !c;\n// ==========\n".repeat(2000);
        assert!(check_complexity(&normal).is_ok());
        let base64 = format!(
            "var k = '{}';",
            "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo+/".repeat(3000)
        );
        assert!(check_complexity(&base64).is_ok());
        let object = format!("var o = {{{}}};", "key: 1,\n".repeat(5000));
        assert!(check_complexity(&object).is_ok());
    }
}
