//! Helpers that call back: a function of the rule that ends the login for it (`deny(reason)`,
//! `done()`), called only where the rule itself would have called back. Its callback calls run
//! at once, so the rule is not asynchronous: they convert as the rule body's own do.
//!
//! Rule:
//! ```js
//! function (user, context, callback) {
//!   function deny(reason) {
//!     console.log('denied ' + user.user_id + ': ' + reason);
//!     return callback(new UnauthorizedError(reason));
//!   }
//!   if (!user.email_verified) return deny('Verify your email first');
//!   callback(null, user, context);
//! }
//! ```
//! Action:
//! ```js
//!   function deny(reason) {
//!     console.log('denied ' + event.user.user_id + ': ' + reason);
//!     return api.access.deny(reason);
//!   }
//!   if (!event.user.email_verified) return deny('Verify your email first');
//! ```
//! A helper qualifies when it is declared at the top of the rule body (a function, or a
//! variable holding a function or an arrow with a block body), is neither `async` nor a
//! generator, calls back on every path and only at its own level (never inside a function of its
//! own), and every use of it is `return helper(…)` or `helper(…); return;` at the rule's own
//! level, or the rule body's last statement: after it, the rule does nothing more, as after a
//! `return callback(…)`. Any other helper that calls back leaves the rule asynchronous (the
//! callback shim, R2A108).

use swc_common::Spanned;
use swc_ecma_ast::{
    ArrowExpr, ArrowFunctionBody, Callee, Class, Decl, Expr, Function, Id, Ident, Pat, Stmt,
    UnaryOp,
};
use swc_ecma_visit::{Visit, VisitWith};

use super::bindings::Bindings;
use super::walk::unparen;
use super::Param;

/// The rule's helpers that call back, by the span of their function.
#[derive(Default)]
pub(super) struct CallingHelpers {
    helpers: Vec<(Id, swc_common::Span)>,
}

impl CallingHelpers {
    pub(super) fn of(body: &[Stmt], bindings: &Bindings) -> Self {
        let helpers = body
            .iter()
            .filter_map(declared_helper)
            .filter(|helper| calls_back_at_once(helper, bindings))
            .filter(|helper| only_ends_the_rule(body, helper))
            .map(|helper| (helper.name.to_id(), helper.span))
            .collect();
        CallingHelpers { helpers }
    }

    /// Whether the function or arrow with this span is one of them.
    pub(super) fn contains(&self, function: swc_common::Span) -> bool {
        self.helpers.iter().any(|(_, span)| *span == function)
    }

    /// The spans of their functions and arrows.
    pub(super) fn spans(&self) -> Vec<swc_common::Span> {
        self.helpers.iter().map(|(_, span)| *span).collect()
    }

    /// Whether `expr` calls one of them (`deny('…')`, `void deny('…')`).
    pub(super) fn is_call(&self, expr: &Expr) -> bool {
        let expr = match unparen(expr) {
            Expr::Unary(unary) if unary.op == UnaryOp::Void => unparen(&unary.arg),
            other => other,
        };
        let Expr::Call(call) = expr else {
            return false;
        };
        matches!(&call.callee, Callee::Expr(callee)
            if matches!(unparen(callee), Expr::Ident(name) if self.names(name)))
    }

    fn names(&self, ident: &Ident) -> bool {
        self.helpers
            .iter()
            .any(|((sym, ctxt), _)| *sym == ident.sym && *ctxt == ident.ctxt)
    }
}

/// A function the rule body declares: `function deny(…) {…}`, or `const deny = (…) => {…}` /
/// `= function (…) {…}`.
struct Declared<'a> {
    name: &'a Ident,
    /// The function's or arrow's span, as the walk meets it.
    span: swc_common::Span,
    body: &'a [Stmt],
    /// `async` or a generator: its calls do not run at once.
    deferred: bool,
}

fn declared_helper(stmt: &Stmt) -> Option<Declared<'_>> {
    fn of_function<'a>(name: &'a Ident, function: &'a Function) -> Option<Declared<'a>> {
        Some(Declared {
            name,
            span: function.span,
            body: &function.body.as_ref()?.stmts,
            deferred: function.is_async || function.is_generator,
        })
    }
    match stmt {
        Stmt::Decl(Decl::Fn(decl)) => of_function(&decl.ident, &decl.function),
        Stmt::Decl(Decl::Var(var)) if var.decls.len() == 1 => {
            let declarator = &var.decls[0];
            let Pat::Ident(name) = &declarator.name else {
                return None;
            };
            match unparen(declarator.init.as_deref()?) {
                Expr::Fn(f) => of_function(&name.id, &f.function),
                Expr::Arrow(arrow) => match &*arrow.body {
                    ArrowFunctionBody::FunctionBody(block) => Some(Declared {
                        name: &name.id,
                        span: arrow.span,
                        body: &block.stmts,
                        deferred: arrow.is_async || arrow.is_generator,
                    }),
                    ArrowFunctionBody::Expr(_) => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

/// The helper calls the rule's callback on every path, only in statements at its own level.
fn calls_back_at_once(helper: &Declared<'_>, bindings: &Bindings) -> bool {
    if helper.deferred {
        return false;
    }
    let is_callback_call = |expr: &Expr| {
        matches!(unparen(expr), Expr::Call(call) if matches!(&call.callee, Callee::Expr(callee)
            if matches!(unparen(callee), Expr::Ident(c) if bindings.is(c, Param::Callback))))
    };
    let by_itself = |stmt: &Stmt| match stmt {
        Stmt::Expr(expr) => is_callback_call(&expr.expr),
        Stmt::Return(ret) => ret.arg.as_deref().is_some_and(is_callback_call),
        _ => false,
    };
    let mut own = OwnLevelCalls {
        is_call: &by_itself,
        calls: 0,
    };
    helper.body.iter().for_each(|s| s.visit_with(&mut own));
    let mut mentions = Mentions { bindings, count: 0 };
    helper.body.iter().for_each(|s| s.visit_with(&mut mentions));
    own.calls > 0
        && own.calls == mentions.count
        && super::recognise::calls_back_on_every_path(helper.body, &by_itself)
}

/// Every use of the helper ends the rule: `return helper(…)` or `helper(…); return;` at the
/// rule's own level, or the rule body's last statement.
fn only_ends_the_rule(body: &[Stmt], helper: &Declared<'_>) -> bool {
    let id = helper.name.to_id();
    let is_helper_call = |expr: &Expr| {
        matches!(unparen(expr), Expr::Call(call) if matches!(&call.callee, Callee::Expr(callee)
            if matches!(unparen(callee), Expr::Ident(c) if c.to_id() == id)))
    };
    let returns_it = |stmt: &Stmt| match stmt {
        Stmt::Return(ret) => ret.arg.as_deref().is_some_and(is_helper_call),
        _ => false,
    };
    let mut ending = OwnLevelCalls {
        is_call: &returns_it,
        calls: 0,
    };
    body.iter().for_each(|s| s.visit_with(&mut ending));
    let then_return = |pair: &[Stmt]| {
        matches!(pair, [Stmt::Expr(call), Stmt::Return(ret)]
            if ret.arg.is_none() && is_helper_call(&call.expr))
    };
    let mut pairs = OwnLevelPairs {
        is_pair: &then_return,
        pairs: body.windows(2).filter(|p| then_return(p)).count(),
    };
    body.iter().for_each(|s| s.visit_with(&mut pairs));
    let last = body
        .iter()
        .rev()
        .find(|s| !matches!(s, Stmt::Empty(_)))
        .and_then(|s| s.as_expr())
        .is_some_and(|s| is_helper_call(&s.expr));
    let mut uses = Uses {
        id: &id,
        declaration: helper.name.span,
        count: 0,
    };
    body.iter().for_each(|s| s.visit_with(&mut uses));
    let allowed = ending.calls + pairs.pairs + usize::from(last);
    allowed > 0 && uses.count == allowed
}

/// Statements at one function's own level that `is_call` accepts.
struct OwnLevelCalls<'a> {
    is_call: &'a dyn Fn(&Stmt) -> bool,
    calls: usize,
}

impl Visit for OwnLevelCalls<'_> {
    fn visit_stmt(&mut self, stmt: &Stmt) {
        if (self.is_call)(stmt) {
            self.calls += 1;
        }
        stmt.visit_children_with(self);
    }

    fn visit_function(&mut self, _: &Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
    fn visit_class(&mut self, _: &Class) {}
}

/// Pairs of statements, in any list of statements at one function's own level, that `is_pair`
/// accepts.
struct OwnLevelPairs<'a> {
    is_pair: &'a dyn Fn(&[Stmt]) -> bool,
    pairs: usize,
}

impl Visit for OwnLevelPairs<'_> {
    fn visit_stmts(&mut self, stmts: &[Stmt]) {
        self.pairs += stmts.windows(2).filter(|p| (self.is_pair)(p)).count();
        stmts.iter().for_each(|s| s.visit_with(self));
    }

    fn visit_function(&mut self, _: &Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
    fn visit_class(&mut self, _: &Class) {}
}

/// References to the rule's callback anywhere.
struct Mentions<'a> {
    bindings: &'a Bindings,
    count: usize,
}

impl Visit for Mentions<'_> {
    fn visit_ident(&mut self, ident: &Ident) {
        self.count += usize::from(self.bindings.is(ident, Param::Callback));
    }
}

/// References to the helper, other than its declaration.
struct Uses<'a> {
    id: &'a Id,
    declaration: swc_common::Span,
    count: usize,
}

impl Visit for Uses<'_> {
    fn visit_ident(&mut self, ident: &Ident) {
        if ident.to_id() == *self.id && ident.span() != self.declaration {
            self.count += 1;
        }
    }
}
