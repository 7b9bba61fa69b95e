//! `context.accessToken.scope = …` becomes `addScope` / `removeScope` calls against the
//! requested scopes.
//!
//! Rule:
//! ```js
//! context.accessToken.scope = ['openid', 'read:reports'];
//! ```
//! Action:
//! ```js
//! const tokenScopes = new Set(event.transaction?.requested_scopes ?? []); // top of the handler
//! {
//!   const keptScopes = [].concat(['openid', 'read:reports']).join(' ').split(' ').filter(Boolean);
//!   for (const scope of [...tokenScopes].filter((s) => !keptScopes.includes(s))) {
//!     api.accessToken.removeScope(scope);
//!     tokenScopes.delete(scope);
//!   }
//!   for (const scope of keptScopes) {
//!     api.accessToken.addScope(scope);
//!     tokenScopes.add(scope);
//!   }
//! }
//! ```
//! Removing one scope, `context.accessToken.scope = context.accessToken.scope.filter((s) => s
//! !== 'admin')` (or split from and joined into a string), is one
//! `api.accessToken.removeScope('admin');`.
//!
//! Rules accepted an array or a space-separated string; the generated block accepts both, and
//! `tokenScopes` keeps track of the token's scopes across several assignments. A literal list
//! reports `R2A410`; a list computed at run time reports `R2A411` for review. Reading
//! `context.accessToken.scope` becomes `[...tokenScopes]` after a change, and
//! `event.transaction?.requested_scopes` before any (`R2A205`). Refused: compound assignments
//! and assignments whose value is used (`R2A204`).

use swc_ecma_ast::{AssignExpr, AssignOp, Expr, ExprOrSpread, Lit};

use super::chain::Chain;
use super::walk::unparen;
use super::{Rewriter, Value};
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::{indentation_at, newline_of};

/// The access token's scopes, once the rule changes them.
#[derive(Default)]
pub(super) struct AccessScopes {
    /// The set that tracks them.
    pub(super) set: Option<String>,
}

impl Rewriter<'_> {
    pub(super) fn scope_write(&mut self, assign: &AssignExpr, chain: &Chain<'_>, value: Value) {
        let Value::Statement(statement) = value else {
            return self.context_write_not_converted(assign, chain);
        };
        if assign.op != AssignOp::Assign {
            return self.context_write_not_converted(assign, chain);
        }
        if let Some(removed) = self.single_scope_removed(&assign.right) {
            let api = &self.api;
            let literal = self.string_literal(&removed);
            let mut text = format!("{api}.accessToken.removeScope({literal});");
            // Later reads of the token's scopes see the change.
            if self.access_scopes.set.is_some()
                || self.source.matches("accessToken.scope").count() > 2
            {
                let granted = self.scope_set();
                let indent = indentation_at(self.source, statement.start);
                let nl = newline_of(self.source);
                text.push_str(&format!("{nl}{indent}{granted}.delete({literal});"));
            }
            return self.replace(Family::AccessScopes, statement, text);
        }
        let literal = is_literal_scope_list(&assign.right);
        let scopes = self.rewritten(&assign.right);
        let indent = indentation_at(self.source, statement.start).to_string();
        let unit = if indent.contains('\t') { "\t" } else { "  " };
        let nl = newline_of(self.source);
        let granted = self.scope_set();
        let name = self.free_name("keptScopes");
        let api = &self.api;
        let block = [
            "{".to_string(),
            format!(
                "{unit}const {name} = [].concat({scopes}).join(' ').split(' ').filter(Boolean);"
            ),
            format!(
                "{unit}for (const scope of [...{granted}].filter((s) => !{name}.includes(s))) {{"
            ),
            format!("{unit}{unit}{api}.accessToken.removeScope(scope);"),
            format!("{unit}{unit}{granted}.delete(scope);"),
            format!("{unit}}}"),
            format!("{unit}for (const scope of {name}) {{"),
            format!("{unit}{unit}{api}.accessToken.addScope(scope);"),
            format!("{unit}{unit}{granted}.add(scope);"),
            format!("{unit}}}"),
            "}".to_string(),
        ]
        .join(&format!("{nl}{indent}"));
        let (code, message) = if literal {
            (
                Code::ScopesReplaced,
                "the access token's scopes are replaced by a fixed list: the Action removes the other requested scopes and adds the listed ones",
            )
        } else {
            (
                Code::ScopesComputed,
                "the access token's scopes are computed at run time: the Action removes the requested scopes not in the list and adds the rest",
            )
        };
        self.report(
            Finding::new(code, self.span(assign.span), message)
                .with_help("check the result against the scopes the API grants"),
        );
        self.replace(Family::AccessScopes, statement, block);
    }
}

impl Rewriter<'_> {
    /// The set of scopes the token carries, declared at the top of the handler from the
    /// requested scopes the first time the rule changes them.
    pub(super) fn scope_set(&mut self) -> String {
        if let Some(name) = &self.access_scopes.set {
            return name.clone();
        }
        let name = self.free_name("tokenScopes");
        self.declare_at_handler_top(format!(
            "const {name} = new Set({}.transaction?.requested_scopes ?? []);",
            self.event
        ));
        self.access_scopes.set = Some(name.clone());
        name
    }
}

impl Rewriter<'_> {
    /// `'admin'` in `context.accessToken.scope.filter((s) => s !== 'admin')`, with an optional
    /// `.split(' ')` before and `.join(' ')` after, and `(context.accessToken.scope || '')` as
    /// the list.
    fn single_scope_removed(&self, value: &Expr) -> Option<String> {
        let call = |expr: &'_ Expr, method: &str| -> Option<(Expr, Vec<ExprOrSpread>)> {
            let Expr::Call(call) = unparen(expr) else {
                return None;
            };
            let swc_ecma_ast::Callee::Expr(callee) = &call.callee else {
                return None;
            };
            let Expr::Member(member) = &**callee else {
                return None;
            };
            let named =
                matches!(&member.prop, swc_ecma_ast::MemberProp::Ident(p) if &*p.sym == method);
            named.then(|| ((*member.obj).clone(), call.args.clone()))
        };
        let space = |args: &[ExprOrSpread]| matches!(args, [a] if matches!(unparen(&a.expr), Expr::Lit(Lit::Str(s)) if s.value.as_atom().is_some_and(|v| v == " ")));
        let filtered = match call(value, "join") {
            Some((inner, args)) if space(&args) => inner,
            Some(_) => return None,
            None => value.clone(),
        };
        let (list, filter_args) = call(&filtered, "filter")?;
        // The scopes as an array (as documented), or split from a string.
        let list = match call(&list, "split") {
            Some((string, args)) if space(&args) => string,
            Some(_) => return None,
            None => list,
        };
        if !self.is_token_scope(&list) {
            return None;
        }
        let [predicate] = filter_args.as_slice() else {
            return None;
        };
        removed_by(&predicate.expr)
    }

    /// `context.accessToken.scope`, or `(context.accessToken.scope || '')`.
    fn is_token_scope(&self, expr: &Expr) -> bool {
        let expr = match unparen(expr) {
            Expr::Bin(bin) if bin.op == swc_ecma_ast::BinaryOp::LogicalOr => {
                if !matches!(unparen(&bin.right), Expr::Lit(Lit::Str(s)) if s.value.is_empty()) {
                    return false;
                }
                &*bin.left
            }
            other => other,
        };
        super::chain::flatten(unparen(expr), self.offsets).is_some_and(|chain| {
            self.param(chain.root) == Some(super::Param::Context)
                && chain.static_prefix() == ["accessToken", "scope"]
                && chain.links.len() == 2
        })
    }
}

/// `'admin'` for `(s) => s !== 'admin'` or `function (s) { return s !== 'admin'; }`.
fn removed_by(predicate: &Expr) -> Option<String> {
    let (param, body): (&swc_ecma_ast::Pat, &Expr) = match unparen(predicate) {
        Expr::Arrow(arrow) => {
            let [param] = arrow.params.as_slice() else {
                return None;
            };
            match &*arrow.body {
                swc_ecma_ast::ArrowFunctionBody::Expr(body) => (param, body),
                swc_ecma_ast::ArrowFunctionBody::FunctionBody(block) => {
                    (param, returned(&block.stmts)?)
                }
            }
        }
        Expr::Fn(function) => {
            let [param] = function.function.params.as_slice() else {
                return None;
            };
            (
                &param.pat,
                returned(&function.function.body.as_ref()?.stmts)?,
            )
        }
        _ => return None,
    };
    let swc_ecma_ast::Pat::Ident(name) = param else {
        return None;
    };
    let Expr::Bin(bin) = unparen(body) else {
        return None;
    };
    if !matches!(
        bin.op,
        swc_ecma_ast::BinaryOp::NotEqEq | swc_ecma_ast::BinaryOp::NotEq
    ) {
        return None;
    }
    let is_param = |e: &Expr| matches!(unparen(e), Expr::Ident(i) if i.sym == name.id.sym);
    let literal = |e: &Expr| match unparen(e) {
        Expr::Lit(Lit::Str(s)) => s.value.as_atom().map(|a| a.to_string()),
        _ => None,
    };
    match (is_param(&bin.left), is_param(&bin.right)) {
        (true, false) => literal(&bin.right),
        (false, true) => literal(&bin.left),
        _ => None,
    }
    .filter(|scope| !scope.is_empty() && !scope.contains(' '))
}

/// The value of a body that is only `return value;`.
fn returned(stmts: &[swc_ecma_ast::Stmt]) -> Option<&Expr> {
    match stmts {
        [swc_ecma_ast::Stmt::Return(r)] => r.arg.as_deref(),
        _ => None,
    }
}

/// `'a b'`, or an array of string literals.
fn is_literal_scope_list(expr: &Expr) -> bool {
    match unparen(expr) {
        Expr::Lit(Lit::Str(_)) => true,
        Expr::Array(array) => array.elems.iter().all(|e| {
            matches!(e, Some(ExprOrSpread { spread: None, expr }) if matches!(&**expr, Expr::Lit(Lit::Str(_))))
        }),
        _ => false,
    }
}
