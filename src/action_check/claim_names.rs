//! Claim names Auth0 drops, in `api.idToken.setCustomClaim(name, value)` and
//! `api.accessToken.setCustomClaim(name, value)` calls of an Action written by hand: the same
//! codes and the same table as for a converted rule's claims (`R2A401`–`R2A403`, `R2A408`).
//!
//! Action:
//! ```js
//! exports.onExecutePostLogin = async (event, api) => {
//!   api.idToken.setCustomClaim('roles', event.authorization.roles);
//! };
//! ```
//! Finding: `roles` is a restricted claim. A name is judged when it is a string literal, a
//! template without substitutions, or a `+` of those and of `const` strings declared at the top
//! of the module or of the handler; any other name is not.

use std::collections::HashMap;

use swc_atoms::Atom;
use swc_common::Spanned;
use swc_ecma_ast::{BinaryOp, CallExpr, Callee, Expr, Id, Lit, Stmt};
use swc_ecma_visit::{Visit, VisitWith};

use crate::finding::Finding;
use crate::options::ClaimsPolicy;
use crate::parse::Offsets;
use crate::registry::Code;
use crate::tables::claims::{classify, ClaimName};

pub(super) struct ClaimNames {
    pub(super) api: Id,
    pub(super) constants: HashMap<Atom, String>,
    pub(super) claims_policy: ClaimsPolicy,
    pub(super) offsets: Offsets,
    pub(super) findings: Vec<Finding>,
}

/// The `const NAME = '…'` strings among `stmts`.
pub(super) fn string_constants(stmts: &[Stmt], constants: &mut HashMap<Atom, String>) {
    for stmt in stmts {
        let Some(var) = stmt.as_decl().and_then(|d| d.as_var()) else {
            continue;
        };
        if var.kind != swc_ecma_ast::VarDeclKind::Const {
            continue;
        }
        for declarator in &var.decls {
            let (Some(name), Some(init)) = (declarator.name.as_ident(), &declarator.init) else {
                continue;
            };
            let value = constant(init, constants);
            if let Some(value) = value {
                constants.insert(name.id.sym.clone(), value);
            }
        }
    }
}

fn constant(expr: &Expr, constants: &HashMap<Atom, String>) -> Option<String> {
    match expr {
        Expr::Lit(Lit::Str(s)) => s.value.as_atom().map(|a| a.to_string()),
        Expr::Tpl(tpl) if tpl.exprs.is_empty() => tpl
            .quasis
            .first()?
            .cooked
            .as_ref()?
            .as_atom()
            .map(|a| a.to_string()),
        Expr::Ident(ident) => constants.get(&ident.sym).cloned(),
        Expr::Paren(paren) => constant(&paren.expr, constants),
        Expr::Bin(bin) if bin.op == BinaryOp::Add => Some(format!(
            "{}{}",
            constant(&bin.left, constants)?,
            constant(&bin.right, constants)?
        )),
        _ => None,
    }
}

impl Visit for ClaimNames {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        if let Some(name) = self.claim_name(call) {
            let span = self.offsets.span(call.args[0].expr.span());
            let problem = match classify(&name) {
                ClaimName::Accepted => None,
                ClaimName::Restricted => Some((
                    Code::RestrictedClaim,
                    format!("`{name}` is a restricted claim: Auth0 silently ignores it"),
                )),
                ClaimName::ReservedNamespace => Some((
                    Code::ReservedNamespace,
                    format!("`{name}` uses a namespace Auth0 reserves: the claim never reaches the token"),
                )),
                ClaimName::NotNamespaced => Some(match self.claims_policy {
                    ClaimsPolicy::Enforced => (
                        Code::NonNamespacedClaim,
                        format!("`{name}` is not namespaced: a tenant that enforces namespacing drops it"),
                    ),
                    ClaimsPolicy::Relaxed => (
                        Code::NonNamespacedClaimAppears,
                        format!("`{name}` is not namespaced: tokens now carry it, and Auth0 APIs ignore it on access tokens"),
                    ),
                }),
            };
            if let Some((code, message)) = problem {
                self.findings.push(
                    Finding::new(code, span, message)
                        .with_help("use a namespaced name on a domain you own, such as `https://example.com/<name>`"),
                );
            }
        }
        call.visit_children_with(self);
    }
}

impl ClaimNames {
    /// The name `api.<token>.setCustomClaim(name, …)` sets, when it is a constant.
    fn claim_name(&self, call: &CallExpr) -> Option<String> {
        let Callee::Expr(callee) = &call.callee else {
            return None;
        };
        let Expr::Member(method) = &**callee else {
            return None;
        };
        let Expr::Member(token) = &*method.obj else {
            return None;
        };
        let from_api = matches!(&*token.obj, Expr::Ident(i) if i.to_id() == self.api);
        let token_name = token.prop.as_ident()?.sym.as_str();
        let is_claim = method.prop.as_ident()?.sym == "setCustomClaim"
            && matches!(token_name, "idToken" | "accessToken");
        if !from_api || !is_claim {
            return None;
        }
        constant(&call.args.first()?.expr, &self.constants)
    }
}
