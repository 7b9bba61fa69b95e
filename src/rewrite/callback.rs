//! Control flow: `callback(...)` becomes `return` or `return api.access.deny(...)`.
//!
//! Rule:
//! ```js
//! if (!user.email_verified) {
//!   return callback(new UnauthorizedError('Please verify your email'));
//! }
//! callback(null, user, context);
//! ```
//! Action:
//! ```js
//! if (!event.user.email_verified) {
//!   return api.access.deny('Please verify your email');
//! }
//! ```
//! `return callback(null, user, context)` becomes `return;`, and a final success call is
//! dropped. Errors (`new UnauthorizedError(m)`, `new Error(m)`, a string) deny with the message;
//! UnauthorizedError also reports `R2A101` because the error code changes. A variable that may
//! hold an error or nothing (`callback(err)`) denies only when it is set, as in Rules:
//! `return err ? api.access.deny(err.message ?? String(err)) : undefined;`, and inside
//! `if (err)`, where it is set, simply `return api.access.deny(err.message ?? String(err));`.
//!
//! Refused: calls inside nested functions (`R2A102`, asynchronous rules), the callback used as a
//! value or inside a larger expression (`R2A103`), and calls that hand on a different user or
//! context object (`R2A107`).

use swc_ecma_ast::{CallExpr, Expr, ExprOrSpread, Lit, Stmt};
use swc_ecma_visit::VisitWith;

use super::bindings::Bindings;
use super::walk::unparen;
use super::{Param, Rewriter};
use crate::edit::Edit;
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::{line_start, Span};
use crate::trigger::{CallbackResult, Failure, RuleParam};

/// What the callback family tracks over the walk.
#[derive(Default)]
pub(super) struct Calls {
    /// Statements of the rule body after which nothing calls back or changes `context`.
    pub(super) quiet_tails: Vec<Span>,
    /// Uses of `callback` other than a call.
    pub(super) uses: usize,
    /// Names the enclosing `if (name)` tested: they hold a value (an error, for `callback`).
    pub(super) tested_truthy: Vec<swc_atoms::Atom>,
    /// Statements holding a promise chain the Action awaits, with the names declared next to it.
    pub(super) awaitable: Vec<(swc_common::Span, super::scope::Names)>,
    /// The rule's helpers that call back at once (`calling_helpers.rs`).
    pub(super) helpers: super::calling_helpers::CallingHelpers,
    /// The walk is inside one of those helpers, whose last statement is this one.
    pub(super) in_helper: Option<Span>,
}

enum Outcome {
    Success,
    /// The `api.access.deny` argument.
    Deny(String),
    /// A variable that holds an error or nothing.
    DenyIfSet(String),
}

impl Rewriter<'_> {
    /// `callback(...);` or `return callback(...);` spanning `stmt`.
    pub(super) fn callback_statement(&mut self, stmt: Span, call: &CallExpr, is_return: bool) {
        self.calls.uses += 1;
        if self.shim {
            return self.shim_call(call);
        }
        let call_span = self.span(call.span);
        // A helper that calls back at once ends the login where the rule calls it.
        let in_helper = self.calls.in_helper.is_some() && self.depth == 1;
        if self.depth > 0 && !in_helper {
            self.report(
                Finding::new(
                    Code::CallbackInNestedFunction,
                    call_span,
                    "`callback` is called inside a nested function; the Action must await this work",
                )
                .with_help("rewrite the asynchronous call with `await` and return from the handler"),
            );
            return self.visit_error_argument(call);
        }
        if !self.passes_own_user_and_context(&call.args) {
            self.report_at(
                Code::CallbackReplacesUserOrContext,
                call_span,
                "`callback` hands on a different user or context object",
            );
            return self.visit_error_argument(call);
        }
        let deny = match self.outcome(call) {
            Outcome::Success => None,
            Outcome::Deny(reason) => {
                if let Some(error) = call.args.first() {
                    let message = match unparen(&error.expr) {
                        Expr::New(new) => {
                            new.args.as_ref().and_then(|a| a.first()).map(|a| &*a.expr)
                        }
                        other => Some(other),
                    };
                    if let Some(message) = message {
                        self.secret_leaves(message, call_span, "the deny message the user sees");
                    }
                }
                Some(self.ending(&reason))
            }
            Outcome::DenyIfSet(error) => Some(match self.out.trigger.callback.failure {
                Failure::Throw => format!("if ({error}) throw {error}"),
                Failure::Deny { code } => format!(
                    "{error} ? {}.access.deny({}{error}.message ?? String({error})) : undefined",
                    self.api,
                    self.error_code_argument(code)
                ),
            }),
        };
        // A Hook that fails throws: a statement of its own, never a returned value.
        let throws = deny.is_some() && self.out.trigger.callback.failure == Failure::Throw;
        let value = call.args.get(1).map(|a| &*a.expr);
        let flow = self.flow;
        // The rule body goes on after this call and never calls back or changes `context`
        // again: the Rule ran the rest, so the Action does too.
        let runs_on = !is_return && flow.following && self.runs_on_after(stmt);
        if runs_on && deny.is_none() {
            self.report(
                Finding::new(
                    Code::CodeAfterCallbackRunsFirst,
                    call_span,
                    "the Rule went on after this call; the Action runs the statements after it before the login completes",
                )
                .with_help("in the Rule the login had already succeeded: check that those statements cannot throw, since an error now fails the login"),
            );
        }
        if runs_on {
            return match deny {
                None if self.apply_hook_result(stmt, value, "") => {}
                None => self.delete_statement(Family::Callback, stmt, false),
                Some(deny) => self.replace(Family::Callback, stmt, format!("{deny};")),
            };
        }
        // The helper's own last statement: nothing of it runs after, and the rule returns.
        let ends_helper = in_helper && self.calls.in_helper == Some(stmt);
        let ends_here = flow.last_in_rule_body || (is_return && ends_helper);
        let replacement = match (deny, is_return) {
            (None, _) if ends_here || (!is_return && flow.next_is_return) => {
                if self.apply_hook_result(stmt, value, "") {
                    return;
                }
                return self.delete_statement(
                    Family::Callback,
                    stmt,
                    flow.last_in_rule_body || is_return,
                );
            }
            (None, _) => {
                if self.apply_hook_result(stmt, value, "return;") {
                    return;
                }
                "return;".to_string()
            }
            (Some(deny), _) if throws => format!("{deny};"),
            (Some(deny), false) if flow.next_is_return => format!("{deny};"),
            (Some(deny), _) => format!("return {deny};"),
        };
        if !is_return && flow.following && !flow.next_is_return {
            self.report(
                Finding::new(
                    Code::CodeAfterCallback,
                    call_span,
                    "statements after this `callback` call ran in the Rule; the Action returns here",
                )
                .with_help("move side effects that must still happen before this line"),
            );
        }
        self.replace(Family::Callback, stmt, replacement);
    }

    /// `if (a || b) return callback(null, user, context);` with no `else`, and a test that is
    /// only `||` of comparisons: it skips the rest of the rule for some logins.
    pub(super) fn skips_the_rule(&self, branch: &swc_ecma_ast::IfStmt) -> bool {
        let only = match &*branch.cons {
            Stmt::Block(block) => match block.stmts.as_slice() {
                [only] => only,
                _ => return false,
            },
            other => other,
        };
        let call = match only {
            Stmt::Return(r) => r.arg.as_deref().and_then(|a| self.as_callback_call(a)),
            _ => None,
        };
        let succeeds = call.is_some_and(|call| {
            self.passes_own_user_and_context(&call.args)
                && call
                    .args
                    .first()
                    .is_some_and(|a| matches!(unparen(&a.expr), Expr::Lit(Lit::Null(_))))
        });
        let test = self.text(self.span(swc_common::Spanned::span(&*branch.test)));
        branch.alt.is_none() && succeeds && !test.contains("&&") && !test.contains('!')
    }

    /// `stmt` is a statement of the rule body whose followers neither call back nor change
    /// `context`.
    fn runs_on_after(&self, stmt: Span) -> bool {
        self.depth == 0 && self.scopes.len() == 1 && self.calls.quiet_tails.contains(&stmt)
    }

    /// `if (…) { … } else { callback(null, user, context); }` as the last thing the rule does:
    /// the `else` only ended the rule, as the end of the handler does, so it goes. Returns
    /// whether it went.
    pub(super) fn drops_final_success_else(&mut self, branch: &swc_ecma_ast::IfStmt) -> bool {
        let Some(Stmt::Block(alt)) = branch.alt.as_deref() else {
            return false;
        };
        let [only] = alt.stmts.as_slice() else {
            return false;
        };
        let call = match only {
            Stmt::Expr(e) => self.as_callback_call(&e.expr),
            Stmt::Return(r) => r.arg.as_deref().and_then(|a| self.as_callback_call(a)),
            _ => None,
        };
        let success = call.is_some_and(|call| {
            self.passes_own_user_and_context(&call.args)
                && call.args.first().is_none_or(|a| {
                    matches!(unparen(&a.expr), Expr::Lit(Lit::Null(_)))
                        || matches!(unparen(&a.expr), Expr::Ident(i) if &*i.sym == "undefined")
                })
        });
        let cons_end = self.span(swc_common::Spanned::span(&*branch.cons)).end;
        let alt_span = self.span(alt.span);
        let commented =
            !super::trivia::comments_in(&self.source[cons_end..alt_span.end]).is_empty();
        if !success || self.shim || self.depth > 0 || !self.flow.block_ends_rule || commented {
            return false;
        }
        self.calls.uses += 1;
        self.fix(
            Family::Callback,
            Edit::delete(Span::new(cons_end, alt_span.end)),
        );
        true
    }

    /// A call of the callback shim: the error stays, the `user` and `context` it handed back go.
    fn shim_call(&mut self, call: &CallExpr) {
        // A Hook's value goes to the shim, which applies it.
        if self.out.trigger.callback.result != CallbackResult::UserAndContext {
            return call.args.iter().for_each(|a| a.visit_with(self));
        }
        if let Some(error) = call.args.first() {
            error.visit_with(self);
        }
        if call.args.len() < 2 {
            return;
        }
        if !self.passes_own_user_and_context(&call.args) {
            self.report_at(
                Code::CallbackReplacesUserOrContext,
                self.span(call.span),
                "`callback` hands on a different user or context object",
            );
            return call.args[1..].iter().for_each(|a| a.visit_with(self));
        }
        let first_end = self.span(swc_common::Spanned::span(&call.args[0])).end;
        let last_end = self
            .span(swc_common::Spanned::span(&call.args[call.args.len() - 1]))
            .end;
        self.fix(
            Family::Callback,
            Edit::delete(Span::new(first_end, last_end)),
        );
    }

    /// Wraps the handler body of an asynchronous rule in a promise that the rule's own callback
    /// settles: denying on an error, ending the handler either way.
    pub(super) fn callback_shim(&mut self, rule: &crate::parse::RuleFunction, body: Span) {
        let Some(callback) = self.bindings.name(Param::Callback).cloned() else {
            return;
        };
        // A body that declares the callback's name again (R2A009) has its own `callback`, which
        // the shim must not redeclare: its calls fail as they did in the Rule.
        let redeclared = self.scopes[0].iter().filter(|n| **n == callback).count() > 1;
        let callback = if redeclared {
            self.free_name(&callback)
        } else {
            callback.to_string()
        };
        let nl = crate::span::newline_of(self.source);
        let indent = self.handler.indent.clone();
        let settle = self.free_name("settle");
        let called = self.free_name("called");
        let failure = self.out.trigger.callback.failure;
        let fail = self.free_name("reject");
        // A body that awaits (an `async` rule, the Management API token) runs as an async
        // function whose failure rejects the promise, as a throw in the Rule failed the login.
        let (open, close_text) = if rule.function.is_async || self.management.uses_token {
            (
                format!("await new Promise(({settle}, {fail}) => (async () => {{"),
                format!("}})().catch({fail}));"),
            )
        } else if failure == Failure::Throw {
            (
                format!("await new Promise(({settle}, {fail}) => {{"),
                "});".to_string(),
            )
        } else {
            (
                format!("await new Promise(({settle}) => {{"),
                "});".to_string(),
            )
        };
        let on_error = match failure {
            Failure::Deny { code } => format!(
                "if (error) {}.access.deny({}error?.message ?? String(error));",
                self.api,
                self.error_code_argument(code)
            ),
            Failure::Throw => format!("if (error) return {fail}(error);"),
        };
        // What a Hook hands back is applied when it succeeds.
        let result = self.free_name("result");
        let applied = self.hook_result_at_run_time(&result);
        let (parameters, on_success) = match applied.as_slice() {
            [] => ("(error)".to_string(), String::new()),
            [call] => (
                format!("(error, {result})"),
                format!("{nl}{indent}  else {call}"),
            ),
            calls => (
                format!("(error, {result})"),
                format!(
                    "{nl}{indent}  else {{{}{nl}{indent}  }}",
                    calls
                        .iter()
                        .map(|c| format!("{nl}{indent}    {c}"))
                        .collect::<String>()
                ),
            ),
        };
        self.fix(Family::CallbackShim, Edit::insert(
            body.start + 1,
            format!(
                "{nl}{indent}{open}{nl}{indent}let {called} = false;{nl}{indent}const {callback} = {parameters} => {{{nl}{indent}  if ({called}) return;{nl}{indent}  {called} = true;{nl}{indent}  {on_error}{on_success}{nl}{indent}  {settle}();{nl}{indent}}};"
            ),
        ));
        let close = body.end - 1;
        let before = if self.source[..close].ends_with('\n') {
            ""
        } else {
            nl
        };
        self.fix(
            Family::CallbackShim,
            Edit::insert(close, format!("{before}{indent}{close_text}{nl}")),
        );
        self.report(
            Finding::new(
                Code::CallbackShim,
                rule.span,
                "asynchronous rule: the Action keeps the rule's callback as a shim and waits for it",
            )
            .with_help("rewrite the asynchronous calls with `await` when convenient; the shim behaves like the Rules callback"),
        );
    }

    /// After the walk: a rule that never calls back timed out in Rules.
    pub(super) fn report_uncalled_callback(&mut self, rule: &crate::parse::RuleFunction) {
        // A Hook that did not block timed out into the log alone.
        if self.out.trigger.callback.failure == Failure::Throw {
            return;
        }
        if self.calls.uses > 0 {
            let body = rule
                .function
                .body
                .as_ref()
                .map_or(&[][..], |b| &b.stmts[..]);
            // A throw ends the login in both systems; only falling off the end differs.
            if !self.shim && !self.always_calls_back(body) {
                self.report(
                    Finding::new(
                        Code::CallbackMissedOnSomePath,
                        Span::new(rule.span.start, rule.span.start),
                        "on some path the rule ends without calling `callback`: the Rule timed out there, the Action lets the user in",
                    )
                    .with_help("call back on every path, or deny explicitly where the Rule timed out"),
                );
            }
            return;
        }
        let position = self
            .out
            .trigger
            .rule_params
            .iter()
            .position(|p| *p == RuleParam::Callback)
            .unwrap_or(2);
        let at = rule
            .function
            .params
            .get(position)
            .map_or(rule.span, |p| self.span(p.span));
        self.report_at(
            Code::CallbackNeverCalled,
            Span::new(at.start, at.start.max(at.end)),
            "the rule never calls `callback`, so in Rules the login timed out",
        );
    }

    /// Callback calls on paths that already called back, and in an asynchronous rule, the
    /// functions that call back on some paths only and timers that race other work.
    pub(super) fn report_second_calls(&mut self, body: &[Stmt]) {
        let Some(callback) = self.bindings.name(Param::Callback).cloned() else {
            return;
        };
        if self.shim {
            let found = super::callback_twice::async_callbacks(body, &callback);
            for span in found.incomplete {
                let span = self.span(span);
                self.report(
                    Finding::new(
                        Code::CallbackMissedOnSomePath,
                        Span::new(span.start, span.start),
                        "this function calls back on some paths only: where it does not, the Rule waited until it timed out, and so does the Action",
                    )
                    .with_help("call back (or deny) on every path of this function"),
                );
            }
            for span in found.racing_timers {
                self.report(
                    Finding::new(
                        Code::CallbackCalledTwice,
                        self.span(span),
                        "this timer and other work both call back: whichever comes first decides the login, the other call is ignored",
                    )
                    .with_help("clear the timer when the work finishes, or make sure both calls agree"),
                );
            }
        }
        for span in super::callback_twice::second_calls(body, &callback) {
            let span = self.span(span);
            self.report(
                Finding::new(
                    Code::CallbackCalledTwice,
                    span,
                    "`callback` was already called on this path: the Action ends at the first call",
                )
                .with_help("in Rules a second call had unpredictable results; check that the first call decides the login"),
            );
        }
    }

    /// Every path through `stmts` calls back ([`super::recognise::calls_back_on_every_path`]),
    /// where a statement calls back by itself when it calls the callback, or holds a promise
    /// chain the Action awaits.
    fn always_calls_back(&self, stmts: &[Stmt]) -> bool {
        super::recognise::calls_back_on_every_path(stmts, &|stmt| self.calls_back_by_itself(stmt))
    }

    fn calls_back_by_itself(&self, stmt: &Stmt) -> bool {
        let span = swc_common::Spanned::span(stmt);
        if self
            .calls
            .awaitable
            .iter()
            .any(|(awaited, _)| *awaited == span)
        {
            return true;
        }
        match stmt {
            Stmt::Expr(expr) => self.calls_back(&expr.expr),
            Stmt::Return(ret) => ret.arg.as_deref().is_some_and(|arg| match unparen(arg) {
                Expr::Unary(unary) if unary.op == swc_ecma_ast::UnaryOp::Void => {
                    self.calls_back(&unary.arg)
                }
                arg => self.calls_back(arg),
            }),
            _ => false,
        }
    }

    /// `callback(…)`, a helper that calls back, or a metadata update whose `.then` handler
    /// calls back.
    fn calls_back(&self, expr: &Expr) -> bool {
        if self.as_callback_call(expr).is_some() || self.calls.helpers.is_call(expr) {
            return true;
        }
        matches!(unparen(expr), Expr::Call(call)
            if super::recognise::metadata_chain(call).is_some_and(|(_, handlers)| !handlers.is_empty()))
    }

    /// A callback call that is not a statement of its own.
    pub(super) fn callback_in_expression(&mut self, call: &CallExpr) {
        self.calls.uses += 1;
        if self.shim {
            return self.shim_call(call);
        }
        let (code, message) = if self.depth > 0 {
            (
                Code::CallbackInNestedFunction,
                "`callback` is called inside a nested function; the Action must await this work",
            )
        } else {
            (
                Code::CallbackAsValue,
                "`callback` is called inside an expression; only `callback(...);` and `return callback(...);` statements are converted",
            )
        };
        self.report_at(code, self.span(call.span), message);
        self.visit_error_argument(call);
    }

    /// Visits the arguments of a callback call that stays in place; the `user` and `context`
    /// it hands back are not uses of their own.
    fn visit_error_argument(&mut self, call: &CallExpr) {
        for (index, arg) in call.args.iter().enumerate() {
            let param = match unparen(&arg.expr) {
                Expr::Ident(ident) => self.param(ident),
                _ => None,
            };
            let handed_back = matches!(
                (index, param),
                (1, Some(Param::User)) | (2, Some(Param::Context))
            );
            if !handed_back {
                arg.visit_with(self);
            }
        }
    }

    fn passes_own_user_and_context(&self, args: &[ExprOrSpread]) -> bool {
        // A Hook hands back a value of its own, which its trigger reads or ignores.
        if self.out.trigger.callback.result != CallbackResult::UserAndContext {
            return args.iter().all(|a| a.spread.is_none());
        }
        let is = |index: usize, param: Param| match args.get(index) {
            None => true,
            Some(arg) => match unparen(&arg.expr) {
                Expr::Ident(ident) => self.param(ident) == Some(param),
                _ => false,
            },
        };
        args.iter().all(|a| a.spread.is_none()) && is(1, Param::User) && is(2, Param::Context)
    }

    fn outcome(&mut self, call: &CallExpr) -> Outcome {
        let Some(first) = call.args.first() else {
            return Outcome::Success;
        };
        let error = unparen(&first.expr);
        match error {
            Expr::Lit(Lit::Null(_)) => Outcome::Success,
            Expr::Ident(ident) if &*ident.sym == "undefined" => Outcome::Success,
            Expr::Unary(unary) if unary.op == swc_ecma_ast::UnaryOp::Void => Outcome::Success,
            Expr::Lit(Lit::Str(_)) | Expr::Tpl(_) if self.out.trigger.is_hook() => {
                let reason = self.rewritten(error);
                let span = self.span(swc_common::Spanned::span(error));
                self.hook_deny(reason, span)
            }
            Expr::Lit(Lit::Str(_)) | Expr::Tpl(_) => Outcome::Deny(self.rewritten(error)),
            Expr::New(new) => {
                let class = match &*new.callee {
                    Expr::Ident(class) => class.sym.to_string(),
                    _ => String::new(),
                };
                let known = self
                    .out
                    .trigger
                    .callback
                    .error_classes
                    .iter()
                    .find(|c| c.name == class);
                let taken = known.map_or(1, |c| c.arguments);
                let args = new.args.as_deref().unwrap_or_default();
                let mut reason: Vec<String> = args
                    .iter()
                    .take(taken)
                    .map(|a| self.rewritten(&a.expr))
                    .collect();
                if reason.is_empty() {
                    reason.push(self.string_literal(""));
                }
                let reason = reason.join(", ");
                let span = self.span(new.span);
                if let Some(code) = known.and_then(|c| c.code) {
                    return Outcome::Deny(format!("{}{reason}", self.string_literal_arg(code)));
                }
                if self.out.trigger.is_hook() {
                    if known.is_none() {
                        self.report_at(
                            Code::ErrorValueOfUnknownType,
                            span,
                            format!("`{class}` is not an error class of {} Hooks; the Action fails with its first argument", self.out.trigger.id),
                        );
                    }
                    return self.hook_deny(reason, span);
                }
                match class.as_str() {
                    "UnauthorizedError" => self.report_unauthorized(
                        Finding::new(
                            Code::UnauthorizedBecomesAccessDenied,
                            span,
                            "the application received `error=unauthorized`; the Action returns `error=access_denied`",
                        )
                        .with_help("update applications that check the error code, or encode a code in the message; every `UnauthorizedError` of this rule changes the same way"),
                    ),
                    "Error" => {}
                    _ => self.report_at(
                        Code::ErrorValueOfUnknownType,
                        span,
                        format!("`{class}` is not a known error class; the Action denies with its first argument"),
                    ),
                }
                Outcome::Deny(reason)
            }
            Expr::Ident(ident) if self.catch_params.contains(&ident.sym) => {
                let name = self.rewritten(error);
                let span = self.span(ident.span);
                self.hook_deny(format!("{name}?.message ?? String({name})"), span)
            }
            // Inside `if (err)` the error is set: the Action denies.
            Expr::Ident(ident) if self.calls.tested_truthy.contains(&ident.sym) => {
                let name = self.rewritten(error);
                let span = self.span(ident.span);
                self.hook_deny(format!("{name}.message ?? String({name})"), span)
            }
            // An empty error meant success, so the Action decides at run time, as the Rule did.
            Expr::Ident(_) => Outcome::DenyIfSet(self.rewritten(error)),
            _ => {
                let value = self.rewritten(error);
                self.report_at(
                    Code::ErrorValueOfUnknownType,
                    self.span(swc_common::Spanned::span(error)),
                    "the error value's type is not known; the Action denies with its message",
                );
                Outcome::Deny(format!(
                    "((error) => error?.message ?? String(error))({value})"
                ))
            }
        }
    }

    /// A denial with `reason`, with the trigger's error code first where its `deny` takes one
    /// (and the Hook named none, which `R2A856` says).
    fn hook_deny(&mut self, reason: String, span: Span) -> Outcome {
        match self.out.trigger.callback.failure {
            Failure::Deny { code: Some(code) } => {
                self.report(
                    Finding::new(
                        Code::HookErrorCode,
                        span,
                        format!("the Hook's error named no OAuth error code; the Action denies with `{code}`"),
                    )
                    .with_help("use `InvalidRequestError` or `InvalidScopeError` in the Hook's place if the client expects that code"),
                );
                Outcome::Deny(format!("{}{reason}", self.string_literal_arg(code)))
            }
            _ => Outcome::Deny(reason),
        }
    }

    /// `'code', ` for a `deny` that takes an error code first.
    fn string_literal_arg(&self, code: &str) -> String {
        format!("{}, ", self.string_literal(code))
    }

    fn error_code_argument(&self, code: Option<&str>) -> String {
        code.map(|c| self.string_literal_arg(c)).unwrap_or_default()
    }

    /// What ends the handler with `reason`: a denial, or a throw where the trigger cannot deny.
    fn ending(&self, reason: &str) -> String {
        match self.out.trigger.callback.failure {
            Failure::Deny { .. } => format!("{}.access.deny({reason})", self.api),
            Failure::Throw => format!("throw new Error({reason})"),
        }
    }

    /// Removes a statement, with its line when nothing else is on it, for `family`.
    pub(super) fn delete_statement(&mut self, family: Family, stmt: Span, last_in_body: bool) {
        let source = self.source;
        let start = line_start(source, stmt.start);
        let line_end = source[stmt.end..]
            .find('\n')
            .map_or(source.len(), |i| stmt.end + i + 1);
        let alone = source[start..stmt.start].trim().is_empty()
            && source[stmt.end..line_end].trim().is_empty();
        if !alone {
            // `callback(…); // why` alone on its line: the comment keeps the line.
            let rest = &source[stmt.end..line_end];
            let gap = rest.len() - rest.trim_start().len();
            let commented_line =
                source[start..stmt.start].trim().is_empty() && rest.trim_start().starts_with("//");
            let end = if commented_line {
                stmt.end + gap
            } else {
                stmt.end
            };
            self.fix(family, Edit::delete(Span::new(stmt.start, end)));
            return;
        }
        // A blank line left between the body's last statement and `}`, or a second blank line
        // where the statement stood between two, is noise.
        let blank_before = start > 0
            && source[line_start(source, start - 1)..start]
                .trim()
                .is_empty();
        let mut from = start;
        let mut to = line_end;
        if last_in_body && blank_before {
            from = line_start(source, start - 1);
        } else if blank_before {
            let next_end = source[line_end..]
                .find('\n')
                .map_or(source.len(), |i| line_end + i + 1);
            if line_end < source.len() && source[line_end..next_end].trim().is_empty() {
                to = next_end;
            }
        }
        self.fix(family, Edit::delete(Span::new(from, to)));
    }
}

/// The statements of the rule body after which nothing calls back or changes `context`.
pub(super) fn quiet_tails(
    stmts: &[Stmt],
    offsets: crate::parse::Offsets,
    bindings: &Bindings,
) -> Vec<Span> {
    let mut quiet = Vec::new();
    let mut tail = TailEffects {
        bindings,
        context_counts: true,
        effects: false,
    };
    for stmt in stmts.iter().rev() {
        if !tail.effects {
            quiet.push(offsets.span(swc_common::Spanned::span(stmt)));
        }
        stmt.visit_with(&mut tail);
    }
    quiet
}

/// Whether `expr` mentions the rule's callback.
pub(super) fn mentions_callback(expr: &Expr, bindings: &Bindings) -> bool {
    let mut tail = TailEffects {
        bindings,
        context_counts: false,
        effects: false,
    };
    expr.visit_with(&mut tail);
    tail.effects
}

/// Whether code mentions the rule's callback, or (when `context_counts`) writes to or calls
/// through the rule's `context`.
struct TailEffects<'a> {
    bindings: &'a Bindings,
    context_counts: bool,
    effects: bool,
}

impl TailEffects<'_> {
    fn rooted_at_context(&self, mut expr: &Expr) -> bool {
        loop {
            match unparen(expr) {
                Expr::Member(member) => expr = &member.obj,
                Expr::OptChain(chain) => match &*chain.base {
                    swc_ecma_ast::OptChainBase::Member(member) => expr = &member.obj,
                    swc_ecma_ast::OptChainBase::Call(call) => expr = &call.callee,
                },
                Expr::Ident(root) => {
                    return self.context_counts && self.bindings.is(root, Param::Context)
                }
                _ => return false,
            }
        }
    }
}

impl swc_ecma_visit::Visit for TailEffects<'_> {
    fn visit_ident(&mut self, ident: &swc_ecma_ast::Ident) {
        self.effects |= self.bindings.is(ident, Param::Callback);
    }

    fn visit_assign_expr(&mut self, assign: &swc_ecma_ast::AssignExpr) {
        if let Some(target) = assign.left.as_simple().and_then(|s| s.as_member()) {
            self.effects |= self.rooted_at_context(&target.obj);
        }
        assign.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        if let swc_ecma_ast::Callee::Expr(callee) = &call.callee {
            self.effects |=
                matches!(unparen(callee), Expr::Member(_)) && self.rooted_at_context(callee);
        }
        call.visit_children_with(self);
    }

    fn visit_unary_expr(&mut self, unary: &swc_ecma_ast::UnaryExpr) {
        self.effects |=
            unary.op == swc_ecma_ast::UnaryOp::Delete && self.rooted_at_context(&unary.arg);
        unary.visit_children_with(self);
    }

    fn visit_update_expr(&mut self, update: &swc_ecma_ast::UpdateExpr) {
        self.effects |= self.rooted_at_context(&update.arg);
        update.visit_children_with(self);
    }
}
