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
    let mut scan = NestingScan::default();
    for (at, &byte) in text.as_bytes().iter().enumerate() {
        if let Some(what) = scan.step(byte) {
            return Err(Refusal {
                code: Code::InputTooComplex,
                span: Span::new(at, at + 1),
                message: format!("the rule nests {what} more than the limit allows"),
            });
        }
    }
    Ok(())
}

/// Nested labels make the parser's memory grow quadratically.
const MAX_LABEL_RUN: usize = 100;
/// Words longer than this end an operator chain, so long text (base64) is never mistaken for one.
const CHAIN_WORD_LEN: usize = 16;

/// A byte-level upper bound on how deeply the parser will recurse. Brackets are counted even in
/// strings and comments: a false refusal is acceptable, a stack overflow is not.
#[derive(Default)]
struct NestingScan {
    depth: usize,
    /// Operators with only short names and spaces between them on one line (`a = a = …`).
    operator_run: usize,
    word_len: usize,
    /// `name:` pairs with nothing else between them (`a: b: c: …`).
    label_run: usize,
    after_word: bool,
}

impl NestingScan {
    fn step(&mut self, byte: u8) -> Option<&'static str> {
        let mut after_word = false;
        match byte {
            b'(' | b'[' | b'{' => {
                self.depth += 1;
                self.reset_runs();
            }
            b')' | b']' | b'}' => {
                self.depth = self.depth.saturating_sub(1);
                self.reset_runs();
            }
            b'\n' => {
                self.operator_run = 0;
                self.word_len = 0;
                after_word = self.after_word;
            }
            b' ' | b'\t' | b'\r' => {
                self.word_len = 0;
                after_word = self.after_word;
            }
            b':' => {
                self.label_run = if self.after_word {
                    self.label_run + 1
                } else {
                    0
                };
                self.operator_run += 1;
                self.word_len = 0;
            }
            b'!' | b'~' | b'-' | b'+' | b'=' | b'<' | b'>' | b'?' | b'*' | b'/' | b'%' | b'&'
            | b'|' | b'^' => {
                self.operator_run += 1;
                self.label_run = 0;
                self.word_len = 0;
            }
            _ if byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$' => {
                self.word_len += 1;
                if self.word_len > CHAIN_WORD_LEN {
                    self.operator_run = 0;
                }
                after_word = true;
            }
            _ => self.reset_runs(),
        }
        self.after_word = after_word;
        if self.depth > MAX_NESTING {
            Some("brackets")
        } else if self.operator_run > MAX_NESTING {
            Some("operators")
        } else if self.label_run > MAX_LABEL_RUN {
            Some("labels")
        } else {
            None
        }
    }

    fn reset_runs(&mut self) {
        self.operator_run = 0;
        self.label_run = 0;
        self.word_len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
