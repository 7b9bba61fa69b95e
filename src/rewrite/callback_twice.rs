//! Finds `callback` calls on paths that already called back (reference §S17: "each rule must
//! call the callback function exactly once").
//!
//! Rule:
//! ```js
//! if (!user.email_verified) {
//!   callback(new UnauthorizedError('verify your email')); // no `return`
//! }
//! callback(null, user, context);
//! ```
//! In Rules a second call had unpredictable results; the Action returns at the first call, so
//! the second is reported with `R2A111`. Only the rule's own statements are followed, not
//! nested functions, and a loop or `try` counts as not calling back.
//!
//! In a rule that keeps its callback as a shim (`R2A108`), the functions that call back are
//! checked one by one: one that can end without calling back left the Rule waiting until it
//! timed out, as it leaves the Action (`R2A109`), and a timer that calls back while other work
//! also does races it (`R2A111`): the first call decides the login.

use swc_atoms::Atom;
use swc_common::{Span, Spanned};
use swc_ecma_ast::Stmt;

use swc_ecma_ast::{ArrowExpr, ArrowFunctionBody, CallExpr, Callee, Expr, Function};
use swc_ecma_visit::{Visit, VisitWith};

use super::promise_shape::{is_callback_call, statement_expr};
use super::walk::unparen;

/// Spans of callback statements that run after an earlier call on the same path.
pub(super) fn second_calls(stmts: &[Stmt], callback: &Atom) -> Vec<Span> {
    let mut out = Vec::new();
    follow(stmts, false, callback, &mut out);
    out
}

/// Follows `stmts` from a point where the callback was (`called`) or was not yet called.
/// Returns whether it was called when the list falls through, or `None` when it never does.
fn follow(stmts: &[Stmt], mut called: bool, callback: &Atom, out: &mut Vec<Span>) -> Option<bool> {
    for stmt in stmts {
        match stmt {
            Stmt::Return(_) | Stmt::Throw(_) => {
                if called && statement_expr(stmt).is_some_and(|e| is_callback_call(e, callback)) {
                    out.push(stmt.span());
                }
                return None;
            }
            Stmt::Expr(expr) if is_callback_call(&expr.expr, callback) => {
                if called {
                    out.push(stmt.span());
                }
                called = true;
            }
            Stmt::Block(block) => called = follow(&block.stmts, called, callback, out)?,
            Stmt::If(branch) => {
                let cons = follow(std::slice::from_ref(&*branch.cons), called, callback, out);
                let alt = match &branch.alt {
                    Some(alt) => follow(std::slice::from_ref(&**alt), called, callback, out),
                    None => Some(called),
                };
                called = match (cons, alt) {
                    (None, None) => return None,
                    (cons, alt) => cons.unwrap_or(false) || alt.unwrap_or(false),
                };
            }
            _ => {}
        }
    }
    Some(called)
}

/// What the functions of an asynchronous rule do with the callback.
#[derive(Default)]
pub(super) struct AsyncCallbacks {
    /// Functions that call back on some paths only.
    pub(super) incomplete: Vec<Span>,
    /// Timer handlers that call back while other code calls back too.
    pub(super) racing_timers: Vec<Span>,
}

pub(super) fn async_callbacks(body: &[Stmt], callback: &Atom) -> AsyncCallbacks {
    let mut finder = CallingFunctions {
        callback,
        incomplete: Vec::new(),
        timers: Vec::new(),
        calling: usize::from(calls_at_own_level(body, callback)),
    };
    body.iter().for_each(|s| s.visit_with(&mut finder));
    let others_call_back = finder.calling > finder.timers.len();
    AsyncCallbacks {
        incomplete: finder.incomplete,
        racing_timers: if others_call_back {
            finder.timers
        } else {
            Vec::new()
        },
    }
}

struct CallingFunctions<'c> {
    callback: &'c Atom,
    incomplete: Vec<Span>,
    timers: Vec<Span>,
    /// Functions (and the rule body itself) that call back at their own level.
    calling: usize,
}

impl CallingFunctions<'_> {
    fn check(&mut self, stmts: &[Stmt], span: Span) {
        if calls_at_own_level(stmts, self.callback) {
            self.calling += 1;
            let by_itself = |stmt: &Stmt| {
                statement_expr(stmt).is_some_and(|e| is_callback_call(e, self.callback))
            };
            if !super::recognise::calls_back_on_every_path(stmts, &by_itself) {
                self.incomplete.push(span);
            }
        }
    }
}

impl Visit for CallingFunctions<'_> {
    fn visit_function(&mut self, function: &Function) {
        if let Some(body) = &function.body {
            self.check(&body.stmts, function.span);
        }
        function.visit_children_with(self);
    }

    fn visit_arrow_expr(&mut self, arrow: &ArrowExpr) {
        match &*arrow.body {
            ArrowFunctionBody::FunctionBody(body) => self.check(&body.stmts, arrow.span),
            ArrowFunctionBody::Expr(expr) => {
                if is_callback_call(expr, self.callback) {
                    self.calling += 1;
                }
            }
        }
        arrow.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        let is_timer = matches!(&call.callee, Callee::Expr(callee)
            if matches!(unparen(callee), Expr::Ident(t) if t.sym == "setTimeout" || t.sym == "setInterval"));
        if is_timer {
            let handler = call.args.first().map(|a| unparen(&a.expr));
            let calls_back = match handler {
                Some(Expr::Fn(f)) => f
                    .function
                    .body
                    .as_ref()
                    .is_some_and(|b| calls_at_own_level(&b.stmts, self.callback)),
                Some(Expr::Arrow(a)) => match &*a.body {
                    ArrowFunctionBody::FunctionBody(b) => {
                        calls_at_own_level(&b.stmts, self.callback)
                    }
                    ArrowFunctionBody::Expr(e) => is_callback_call(e, self.callback),
                },
                _ => false,
            };
            if calls_back {
                self.timers.push(call.span);
            }
        }
        call.visit_children_with(self);
    }
}

/// `stmts` call the callback somewhere outside nested functions.
fn calls_at_own_level(stmts: &[Stmt], callback: &Atom) -> bool {
    struct Own<'c> {
        callback: &'c Atom,
        found: bool,
    }
    impl Visit for Own<'_> {
        fn visit_call_expr(&mut self, call: &CallExpr) {
            self.found |= matches!(&call.callee, Callee::Expr(c)
                if matches!(unparen(c), Expr::Ident(i) if &i.sym == self.callback));
            call.visit_children_with(self);
        }
        fn visit_function(&mut self, _: &Function) {}
        fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
    }
    let mut own = Own {
        callback,
        found: false,
    };
    stmts.iter().for_each(|s| s.visit_with(&mut own));
    own.found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(body: &str) -> usize {
        let source = format!("function (user, context, callback) {{\n{body}\n}}");
        let Ok((crate::parse::Parsed::Rule(rule), _)) = crate::parse::parse_rule(&source) else {
            panic!("a rule");
        };
        let stmts = &rule.function.body.as_ref().unwrap().stmts;
        second_calls(stmts, &Atom::from("callback")).len()
    }

    #[test]
    fn a_call_without_return_followed_by_another_is_found() {
        assert_eq!(
            spans("if (a) { callback(new Error('x')); }\ncallback(null, user, context);"),
            1
        );
        assert_eq!(
            spans("callback(null, user, context);\ncallback(null, user, context);"),
            1
        );
    }

    fn async_findings(body: &str) -> (usize, usize) {
        let source = format!("function (user, context, callback) {{\n{body}\n}}");
        let Ok((crate::parse::Parsed::Rule(rule), _)) = crate::parse::parse_rule(&source) else {
            panic!("a rule");
        };
        let stmts = &rule.function.body.as_ref().unwrap().stmts;
        let found = async_callbacks(stmts, &Atom::from("callback"));
        (found.incomplete.len(), found.racing_timers.len())
    }

    #[test]
    fn a_handler_that_calls_back_on_some_paths_only_is_found() {
        let body = "request(url, function (err, res) {\n  if (err) return callback(err);\n  if (res.statusCode === 200) { callback(null, user, context); }\n});";
        assert_eq!(async_findings(body), (1, 0));
        let complete = "request(url, function (err, res) {\n  if (err) return callback(err);\n  callback(null, user, context);\n});";
        assert_eq!(async_findings(complete), (0, 0));
        // A bare `return` before the call ends that path without calling back: the login
        // hung in Rules, as the rule body's own analysis says too.
        let silent = "request(url, function (err, res) {\n  if (err) { console.log(err); return; }\n  callback(null, user, context);\n});";
        assert_eq!(async_findings(silent), (1, 0));
    }

    #[test]
    fn a_timer_racing_other_work_is_found() {
        let body = "setTimeout(function () { callback(null, user, context); }, 3000);\nrequest(url, function (err) { callback(err); });";
        assert_eq!(async_findings(body), (0, 1));
        let alone = "setTimeout(function () { callback(null, user, context); }, 10);";
        assert_eq!(async_findings(alone), (0, 0));
    }

    #[test]
    fn returns_and_else_branches_end_the_path() {
        assert_eq!(
            spans("if (a) { return callback(new Error('x')); }\ncallback(null, user, context);"),
            0
        );
        assert_eq!(
            spans("if (a) { callback(new Error('x')); } else { callback(null, user, context); }"),
            0
        );
        assert_eq!(
            spans("if (a) { callback(new Error('x')); return; }\ncallback(null, user, context);"),
            0
        );
    }
}
