//! Claims objects held in a local variable: the alias disappears and writes through it become
//! `setCustomClaim` calls.
//!
//! Rule:
//! ```js
//! var claims = context.idToken || {};
//! claims['https://example.com/roles'] = roles;
//! context.idToken = claims;
//! ```
//! Action:
//! ```js
//! api.idToken.setCustomClaim('https://example.com/roles', roles);
//! ```
//! Only aliases declared at the top of the rule body and never reassigned are followed.
//! Reading claims back through an alias is refused like any read-back (`R2A404`).

use swc_ecma_ast::{BinaryOp, Expr, Ident, Pat, VarDecl, VarDeclKind, VarDeclarator};
use swc_ecma_visit::VisitWith;

use super::walk::unparen;
use super::Rewriter;
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::Span;

impl Rewriter<'_> {
    /// The token a local variable stands for, where it is an alias in this scope.
    pub(super) fn token_alias(&self, ident: &Ident) -> Option<&'static str> {
        let token = *self.tokens.aliases.get(&ident.sym)?;
        (!self.is_declared(&ident.sym, false)).then_some(token)
    }

    /// `const t = context.idToken;` at the top of the rule body. Returns whether the declaration
    /// held an alias (and was rewritten).
    pub(super) fn alias_declaration(&mut self, var: &VarDecl, statement: Span) -> bool {
        let tokens: Vec<Option<&'static str>> =
            var.decls.iter().map(|d| self.aliased_token(d)).collect();
        if tokens.iter().all(Option::is_none) {
            return false;
        }
        let mut kept = Vec::new();
        for (declarator, token) in var.decls.iter().zip(&tokens) {
            match (token, &declarator.name) {
                (Some(token), Pat::Ident(binding)) => {
                    self.tokens.aliases.insert(binding.id.sym.clone(), token);
                }
                _ => {
                    let inner = self.capture(|this| declarator.visit_with(this));
                    let span = self.span(declarator.span);
                    kept.push(self.render(span, &inner));
                }
            }
        }
        if kept.is_empty() {
            self.delete_statement(Family::Claims, statement, self.flow.last_in_rule_body);
        } else {
            let kind = match var.kind {
                VarDeclKind::Var => "var",
                VarDeclKind::Let => "let",
                VarDeclKind::Const => "const",
            };
            self.replace(
                Family::Claims,
                statement,
                format!("{kind} {};", kept.join(", ")),
            );
        }
        true
    }

    pub(super) fn alias_read(&mut self, span: Span) {
        self.report(
            Finding::new(
                Code::ClaimReadBack,
                span,
                "claims are read back through an alias of `context.idToken` / `context.accessToken`",
            )
            .with_help("pass the value with `api.transaction.setMetadata` instead"),
        );
    }

    /// `context.idToken`, or `context.idToken || {}`, assigned to a name never reassigned.
    fn aliased_token(&self, declarator: &VarDeclarator) -> Option<&'static str> {
        let Pat::Ident(binding) = &declarator.name else {
            return None;
        };
        if self.reassigned.contains(&binding.id.sym) {
            return None;
        }
        let init = unparen(declarator.init.as_deref()?);
        let target = match init {
            Expr::Bin(bin)
                if bin.op == BinaryOp::LogicalOr
                    && matches!(unparen(&bin.right), Expr::Object(o) if o.props.is_empty()) =>
            {
                &bin.left
            }
            other => other,
        };
        self.token_object(target)
    }
}
