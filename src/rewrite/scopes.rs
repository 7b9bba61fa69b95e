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
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::{indentation_at, newline_of};

impl Rewriter<'_> {
    pub(super) fn scope_write(&mut self, assign: &AssignExpr, chain: &Chain<'_>, value: Value) {
        let Value::Statement(statement) = value else {
            return self.context_write_not_converted(assign, chain);
        };
        if assign.op != AssignOp::Assign {
            return self.context_write_not_converted(assign, chain);
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
        self.replace(statement, block);
    }
}

impl Rewriter<'_> {
    /// The set of scopes the token carries, declared at the top of the handler from the
    /// requested scopes the first time the rule changes them.
    pub(super) fn scope_set(&mut self) -> String {
        if let Some(name) = &self.scope_set {
            return name.clone();
        }
        let name = self.free_name("tokenScopes");
        self.declare_at_handler_top(format!(
            "const {name} = new Set({}.transaction?.requested_scopes ?? []);",
            self.event
        ));
        self.scope_set = Some(name.clone());
        name
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
