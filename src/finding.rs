//! A finding is data: what the tool noticed, where, and what it did about it.

use std::borrow::Cow;

use crate::edit::Edit;
use crate::registry::{Code, Severity};
use crate::span::Span;

/// Whether the edits attached to a finding keep the Rule's behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Applicability {
    /// Applied; the Action behaves like the Rule.
    Safe,
    /// Applied; the Action may behave differently, so a human must review it.
    Unsafe,
    /// Not converted: the tool left the code for a human.
    Manual,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    pub span: Span,
    /// Most messages and helps are fixed text: borrowed, 46,000 findings of 10,000 rules cost
    /// no copy of them.
    pub message: Cow<'static, str>,
    pub help: Option<Cow<'static, str>>,
    pub fix: Option<Vec<Edit>>,
    pub applicability: Applicability,
}

impl Finding {
    pub fn new(code: Code, span: Span, message: impl Into<Cow<'static, str>>) -> Self {
        let applicability = match code.severity() {
            Severity::Error => Applicability::Manual,
            Severity::Warning => Applicability::Unsafe,
            Severity::Info => Applicability::Safe,
        };
        Finding {
            code,
            span,
            message: message.into(),
            help: None,
            fix: None,
            applicability,
        }
    }

    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, edits: Vec<Edit>) -> Self {
        self.fix = Some(edits);
        self
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }
}
