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
    let mut depth = 0usize;
    let mut prefix_run = 0usize;
    for (at, &b) in text.as_bytes().iter().enumerate() {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        // Unary operators and `=` chains recurse without brackets. Names and spaces between
        // them keep a chain going; any other punctuation ends it.
        match b {
            b'!' | b'~' | b'-' | b'+' | b'=' => prefix_run += 1,
            _ if b.is_ascii_alphanumeric() || b" \t\r\n_$".contains(&b) => {}
            _ => prefix_run = 0,
        }
        if depth > MAX_NESTING || prefix_run > MAX_NESTING {
            return Err(Refusal {
                code: Code::InputTooComplex,
                span: Span::new(at, at + 1),
                message: format!("the rule is nested more than {MAX_NESTING} levels deep"),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_binary_and_invalid_utf8() {
        assert_eq!(decode(b"a\0b").unwrap_err().code, Code::UnreadableInput);
        assert_eq!(decode(&[0x66, 0xff]).unwrap_err().code, Code::UnreadableInput);
        assert_eq!(decode("ü".as_bytes()).unwrap(), "ü");
    }

    #[test]
    fn refuses_deep_nesting_but_not_normal_code() {
        let deep = format!("{}1{}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
        assert_eq!(check_complexity(&deep).unwrap_err().code, Code::InputTooComplex);
        let unary = format!("x = {}1;", "!".repeat(MAX_NESTING + 1));
        assert!(check_complexity(&unary).is_err());
        let chain = format!("{}1;", "a = ".repeat(MAX_NESTING + 1));
        assert!(check_complexity(&chain).is_err());
        let normal = "var a = 1;\nvar b = -a + !c;\n".repeat(2000);
        assert!(check_complexity(&normal).is_ok());
    }
}
