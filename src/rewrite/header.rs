//! The rule's header becomes the Action's handler; the body text stays as it was.
//!
//! Rule:
//! ```js
//! function addRoles(user, context, callback) {
//!   …
//! }
//! ```
//! Action:
//! ```js
//! exports.onExecutePostLogin = async (event, api) => {
//!   …
//! };
//! ```
//! Parameters are bound by position, so `function (u, ctx, done)` is a rule too. Refused:
//! destructured, defaulted or rest parameters, more than three parameters, generators
//! (`R2A010`), and `this` / `arguments` in the body (`R2A008`, see `platform.rs`).

use swc_atoms::Atom;
use swc_ecma_ast::{FunctionBody, Pat};

use super::prepass::Prepass;
use super::{trivia, Param, Rewriter};
use crate::family::Family;
use crate::finding::Finding;
use crate::parse::{Offsets, RuleFunction};
use crate::registry::Code;
use crate::span::{newline_of, Span};

/// The handler being written: where declarations at its top go.
#[derive(Default)]
pub(super) struct Handler {
    /// Just inside the handler's opening brace.
    pub(super) top: usize,
    /// The indentation of the handler's statements.
    pub(super) indent: String,
    /// Declarations put at the top of the handler; the continue handler needs them too.
    pub(super) declarations: Vec<String>,
}

/// Why the function cannot be treated as a rule, if it cannot.
pub fn signature_problem(
    rule: &RuleFunction,
    offsets: Offsets,
    trigger: &crate::trigger::Trigger,
) -> Option<Finding> {
    let function = &rule.function;
    let header = Span::new(
        rule.span.start,
        function
            .body
            .as_ref()
            .map_or(rule.span.end, |b| offsets.span(b.span).start),
    );
    let problem = if function.is_generator {
        "a generator function cannot be a rule"
    } else if function.params.len() > trigger.rule_params.len() {
        if trigger.is_hook() {
            "the Hook takes more parameters than its extensibility point passes"
        } else {
            "a rule takes at most three parameters: (user, context, callback)"
        }
    } else if function
        .params
        .iter()
        .any(|p| !matches!(p.pat, Pat::Ident(_)))
    {
        "rule parameters must be plain names, not patterns, defaults or rest parameters"
    } else {
        return None;
    };
    Some(Finding::new(Code::UnsupportedSignature, header, problem))
}

/// `'` unless the rule mostly uses `"`.
pub fn dominant_quote(source: &str) -> char {
    let (double, single) = source.bytes().fold((0, 0), |(d, s), b| match b {
        b'"' => (d + 1, s),
        b'\'' => (d, s + 1),
        _ => (d, s),
    });
    if double > single {
        '"'
    } else {
        '\''
    }
}

impl Rewriter<'_> {
    /// `function (user, context, callback) {` becomes the handler; the body stays as it is.
    pub(super) fn write_header(&mut self, rule: &RuleFunction, body: &FunctionBody) {
        let body_span = self.span(body.span);
        if self.shim {
            self.callback_shim(rule, body_span);
        }
        let handler =
            self.out
                .trigger
                .header(&self.event, &self.api, self.resume.rerun_flag.as_deref());
        self.replace(
            Family::Header,
            Span::new(rule.span.start, body_span.start),
            handler,
        );
        for wrapper in &rule.wrapper {
            // The declarations keep their indentation: the deletion stops at their line.
            let line = crate::span::line_start(self.source, wrapper.end);
            let end = if line > wrapper.start && self.source[line..wrapper.end].trim().is_empty() {
                line
            } else {
                wrapper.end
            };
            self.fix(
                Family::Header,
                crate::edit::Edit::delete(Span::new(wrapper.start, end)),
            );
        }
        let after = trivia::skip_trivia(self.source, rule.outer.end);
        if !self.source[after..].starts_with(';') {
            self.fix(
                Family::Header,
                crate::edit::Edit::insert(rule.outer.end, ";"),
            );
        }
        if let Some(handler) = self.continue_handler() {
            self.fix(
                Family::Header,
                crate::edit::Edit::insert(rule.outer.end, handler),
            );
        }
        self.insert_sandbox_requires(rule.outer.start);
        self.declare_module_globals(rule.outer.start);
        self.declare_management_token_helper(rule.outer.start);
        self.declare_view_helpers(rule.outer.start);
    }

    /// A declaration on its own line at the top of the handler, before the rule's statements.
    pub(super) fn declare_at_handler_top(&mut self, declaration: String) {
        let text = format!(
            "{}{}{declaration}",
            newline_of(self.source),
            self.handler.indent
        );
        self.handler.declarations.push(text.clone());
        self.fix(
            Family::Header,
            crate::edit::Edit::insert(self.handler.top, text),
        );
    }

    /// `var user = …` in the rule body redeclares the parameter itself.
    pub(super) fn report_redeclared_params(&mut self) {
        let declared = &self.scopes[0];
        let declared_twice = |name: &Atom| declared.iter().filter(|n| *n == name).count() > 1;
        for name in [
            self.bindings.name(Param::User),
            self.bindings.name(Param::Context),
            self.bindings.name(Param::Callback),
        ]
        .into_iter()
        .flatten()
        .filter(|n| declared_twice(n))
        .cloned()
        .collect::<Vec<_>>()
        {
            let at = self.source.find(&*name).unwrap_or(0);
            self.report_at(
                Code::RuleParamReassigned,
                Span::new(at, at + name.len()),
                format!("the rule parameter `{name}` is declared again in the rule body"),
            );
        }
    }

    pub(super) fn choose_handler_names(&mut self, rule: &RuleFunction, used: &Prepass) {
        let [event, api] = &self.out.trigger.handler_params;
        for (slot, preferred, fallback) in [
            (&mut self.event, event.name, event.fallback),
            (&mut self.api, api.name, api.fallback),
        ] {
            if used.uses(preferred) {
                let mut candidate = fallback.to_string();
                let mut n = 2;
                while used.uses(&candidate) {
                    candidate = format!("{fallback}{n}");
                    n += 1;
                }
                *slot = candidate;
            }
        }
        if self.event != event.name || self.api != api.name {
            let header = Span::new(rule.span.start, rule.span.start);
            self.report_at(
                Code::HandlerParamsRenamed,
                header,
                format!(
                    "the rule already uses `event` or `api`; the handler's parameters are `({}, {})`",
                    self.event, self.api
                ),
            );
        }
    }
}
