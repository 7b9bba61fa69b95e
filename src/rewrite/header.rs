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
use swc_common::Spanned;
use swc_ecma_ast::{Ident, Pat};
use swc_ecma_visit::{Visit, VisitWith};

use super::{trivia, Rewriter};
use crate::finding::Finding;
use crate::parse::{Offsets, RuleFunction};
use crate::registry::Code;
use crate::span::{indentation_at, newline_of, Span};

/// Auth0 fails the transaction when one token's custom claims exceed this.
const CLAIMS_LIMIT_BYTES: usize = 100 * 1024;

/// Why the function cannot be treated as a rule, if it cannot.
pub fn signature_problem(rule: &RuleFunction, offsets: Offsets) -> Option<Finding> {
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
    } else if function.params.len() > 3 {
        "a rule takes at most three parameters: (user, context, callback)"
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
    let double = source.matches('"').count();
    let single = source.matches('\'').count();
    if double > single {
        '"'
    } else {
        '\''
    }
}

impl Rewriter<'_> {
    pub(super) fn run(&mut self, rule: &RuleFunction) {
        let names: Vec<Option<Atom>> = rule
            .function
            .params
            .iter()
            .map(|p| p.pat.as_ident().map(|b| b.id.sym.clone()))
            .collect();
        self.params.user = names.first().cloned().flatten();
        self.params.context = names.get(1).cloned().flatten();
        self.params.callback = names.get(2).cloned().flatten();
        let mut prepass = Prepass {
            user: self.params.user.clone(),
            callback: self.params.callback.clone(),
            ..Prepass::default()
        };
        rule.function.visit_with(&mut prepass);
        self.choose_handler_names(rule, &prepass);

        let Some(body) = &rule.function.body else {
            return;
        };
        self.report_redeclared_params();
        self.collect_constants(&body.stmts, &prepass.reassigned);
        self.reassigned = prepass.reassigned;
        self.user_reads = prepass
            .user_reads
            .into_iter()
            .map(|(key, pos, nested)| (key, self.offsets.offset(swc_common::BytePos(pos)), nested))
            .collect();
        // A rule that hands `user` to other code relies on the changes being on that object.
        self.user_as_value = prepass.user_as_value;
        self.handler_top = self.span(body.span).start + 1;
        self.handler_indent = match body.stmts.first() {
            Some(first) => indentation_at(self.source, self.span(first.span()).start).to_string(),
            None => "  ".to_string(),
        };
        if !self.user_as_value {
            self.declare_metadata_copies(&prepass.metadata_written);
        }
        self.visit_statement_list(&body.stmts, true);

        for (token, bytes) in ["idToken", "accessToken"].iter().zip(self.claim_bytes) {
            if bytes > CLAIMS_LIMIT_BYTES {
                self.report_at(
                    Code::ClaimsTooLarge,
                    rule.span,
                    format!("the literal claims on `{token}` take {} KB, over Auth0's 100 KB limit: the login fails", bytes / 1024),
                );
            }
        }
        if self.callback_uses == 0 {
            let at = rule
                .function
                .params
                .get(2)
                .map_or(rule.span, |p| self.span(p.span));
            self.report_at(
                Code::CallbackNeverCalled,
                Span::new(at.start, at.start.max(at.end)),
                "the rule never calls `callback`, so in Rules the login timed out",
            );
        }

        let body_span = self.span(body.span);
        let handler = format!(
            "exports.onExecutePostLogin = async ({}, {}) => ",
            self.event, self.api
        );
        self.replace(Span::new(rule.span.start, body_span.start), handler);
        let after = trivia::skip_trivia(self.source, rule.outer.end);
        if !self.source[after..].starts_with(';') {
            self.edits
                .push(crate::edit::Edit::insert(rule.outer.end, ";"));
        }
        self.insert_sandbox_requires(rule.outer.start);
    }

    /// A declaration on its own line at the top of the handler, before the rule's statements.
    pub(super) fn declare_at_handler_top(&mut self, declaration: String) {
        let text = format!(
            "{}{}{declaration}",
            newline_of(self.source),
            self.handler_indent
        );
        self.edits
            .push(crate::edit::Edit::insert(self.handler_top, text));
    }

    /// `var user = …` in the rule body redeclares the parameter itself.
    fn report_redeclared_params(&mut self) {
        let declared = &self.scopes[0];
        let declared_twice = |name: &Atom| declared.iter().filter(|n| *n == name).count() > 1;
        for name in [
            &self.params.user,
            &self.params.context,
            &self.params.callback,
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

    fn choose_handler_names(&mut self, rule: &RuleFunction, used: &Prepass) {
        for (slot, preferred, fallback) in [
            (&mut self.event, "event", "postLoginEvent"),
            (&mut self.api, "api", "postLoginApi"),
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
        if self.event != "event" || self.api != "api" {
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

/// One pass over the rule for the facts the rewrite needs up front.
#[derive(Default)]
pub(super) struct Prepass {
    /// Identifiers that could clash with the handler's parameter names.
    handler_like: Vec<Atom>,
    /// Names assigned anywhere (`x = …`, `x++`): not constants.
    pub(super) reassigned: Vec<Atom>,
    /// The rule's `user` and `callback` parameters.
    user: Option<Atom>,
    callback: Option<Atom>,
    /// `user.<key>` reads, with their offsets in the parsed text and whether they sit in a
    /// nested function.
    pub(super) user_reads: Vec<(Atom, u32, bool)>,
    /// The rule uses `user` itself as a value (`helper(user)`), so changes must stay on it.
    pub(super) user_as_value: bool,
    /// Functions entered below the rule.
    depth: usize,
    /// `app_metadata` / `user_metadata` when the rule writes into them.
    pub(super) metadata_written: Vec<&'static str>,
}

impl Prepass {
    fn uses(&self, name: &str) -> bool {
        self.handler_like.iter().any(|n| n == name)
    }
}

impl Visit for Prepass {
    fn visit_ident(&mut self, ident: &Ident) {
        if ident.sym.starts_with("event")
            || ident.sym.starts_with("api")
            || ident.sym.starts_with("postLogin")
        {
            self.handler_like.push(ident.sym.clone());
        }
    }

    fn visit_assign_expr(&mut self, assign: &swc_ecma_ast::AssignExpr) {
        if let Some(binding) = assign.left.as_simple().and_then(|s| s.as_ident()) {
            self.reassigned.push(binding.id.sym.clone());
        }
        if let Some(member) = assign.left.as_simple().and_then(|s| s.as_member()) {
            // The outermost object of the target: `user.app_metadata` in `user.app_metadata.a.b`.
            let mut root = member;
            while let swc_ecma_ast::Expr::Member(inner) = &*root.obj {
                root = inner;
            }
            let is_user = matches!(&*root.obj, swc_ecma_ast::Expr::Ident(o) if Some(&o.sym) == self.user.as_ref());
            let key = root.prop.as_ident().map(|p| p.sym.as_str());
            if let (true, Some(key @ ("app_metadata" | "user_metadata"))) = (is_user, key) {
                let key = if key == "app_metadata" {
                    "app_metadata"
                } else {
                    "user_metadata"
                };
                if !self.metadata_written.contains(&key) {
                    self.metadata_written.push(key);
                }
            }
            if is_user && std::ptr::eq(root, member) {
                // A write of `user.<key>` itself is not a read of it.
                return assign.right.visit_with(self);
            }
        }
        assign.visit_children_with(self);
    }

    fn visit_member_expr(&mut self, member: &swc_ecma_ast::MemberExpr) {
        if let (swc_ecma_ast::Expr::Ident(object), Some(key)) =
            (&*member.obj, member.prop.as_ident())
        {
            if Some(&object.sym) == self.user.as_ref() {
                let nested = self.depth > 1;
                self.user_reads
                    .push((key.sym.clone(), member.span.lo.0, nested));
                return;
            }
        }
        member.visit_children_with(self);
    }

    fn visit_expr(&mut self, expr: &swc_ecma_ast::Expr) {
        if let swc_ecma_ast::Expr::Ident(ident) = expr {
            self.user_as_value |= Some(&ident.sym) == self.user.as_ref();
        }
        expr.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, call: &swc_ecma_ast::CallExpr) {
        let to_callback = matches!(&call.callee, swc_ecma_ast::Callee::Expr(callee)
            if matches!(&**callee, swc_ecma_ast::Expr::Ident(c) if Some(&c.sym) == self.callback.as_ref()));
        if !to_callback {
            return call.visit_children_with(self);
        }
        // `callback(null, user, context)` hands `user` back; it is not a use of its own.
        let user = self.user.clone();
        for arg in call.args.iter().filter(
            |a| !matches!(&*a.expr, swc_ecma_ast::Expr::Ident(u) if Some(&u.sym) == user.as_ref()),
        ) {
            arg.visit_with(self);
        }
    }

    fn visit_function(&mut self, function: &swc_ecma_ast::Function) {
        self.depth += 1;
        function.visit_children_with(self);
        self.depth -= 1;
    }

    fn visit_arrow_expr(&mut self, arrow: &swc_ecma_ast::ArrowExpr) {
        self.depth += 1;
        arrow.visit_children_with(self);
        self.depth -= 1;
    }

    fn visit_update_expr(&mut self, update: &swc_ecma_ast::UpdateExpr) {
        if let swc_ecma_ast::Expr::Ident(ident) = &*update.arg {
            self.reassigned.push(ident.sym.clone());
        }
        update.visit_children_with(self);
    }
}
