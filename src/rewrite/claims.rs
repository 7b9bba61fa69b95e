//! Claim writes become `setCustomClaim` calls; claim names Auth0 would drop are flagged.
//!
//! Rule:
//! ```js
//! const namespace = 'https://example.com/';
//! context.idToken[namespace + 'roles'] = roles;
//! context.accessToken.favorite_color = user.user_metadata.color;
//! ```
//! Action:
//! ```js
//! const namespace = 'https://example.com/';
//! api.idToken.setCustomClaim(namespace + 'roles', roles);
//! api.accessToken.setCustomClaim('favorite_color', event.user.user_metadata.color);
//! ```
//! Names resolved from string constants are checked: restricted names (`R2A401`), reserved
//! namespaces (`R2A402`) and non-namespaced names (`R2A403`). Refused: reading claims back
//! (`R2A404`), `delete` (`R2A405`), and compound, nested, whole-object or value-used writes
//! (`R2A406`). `context.accessToken.scope` is left for the scopes rewrite (`R2A204`).

use swc_atoms::Atom;
use swc_ecma_ast::{AssignExpr, AssignOp, BinaryOp, Decl, Expr, Lit, Pat, Stmt, VarDeclKind};
use swc_ecma_visit::VisitWith;

use super::chain::{Chain, Key};
use super::walk::unparen;
use super::Rewriter;
use crate::finding::Finding;
use crate::options::ClaimsPolicy;
use crate::registry::Code;
use crate::tables::claims::{classify, ClaimName};

impl Rewriter<'_> {
    pub(super) fn claim_write(&mut self, assign: &AssignExpr, chain: &Chain<'_>, unused: bool) {
        let token = chain.static_key(0).unwrap_or_default().to_string();
        let refusal = match chain.links.len() {
            1 => Some(format!("`context.{token}` is replaced as a whole object")),
            2 if token == "accessToken" && chain.static_key(1) == Some("scope") => {
                return self.context_write_not_converted(assign, chain);
            }
            2 if assign.op != AssignOp::Assign => Some(format!(
                "compound assignment `{}` to a claim",
                assign.op.as_str()
            )),
            2 if !unused => Some("the value of this claim assignment is used".to_string()),
            2 => None,
            _ => Some(format!(
                "a nested property of a `context.{token}` claim is written"
            )),
        };
        if let Some(why) = refusal {
            self.report(
                Finding::new(
                    Code::ClaimWriteNotConverted,
                    self.span(assign.span),
                    format!("not converted: {why}"),
                )
                .with_help(format!(
                    "write one `{}.{token}.setCustomClaim(name, value);` statement per claim",
                    self.api
                )),
            );
            for key in chain.computed_keys() {
                key.visit_with(self);
            }
            return assign.right.visit_with(self);
        }

        let key = &chain.links[1];
        let (key_text, name) = match (&key.key, key.key_span) {
            (Key::Static(name), Some(literal)) => {
                (self.text(literal).to_string(), Some(name.to_string()))
            }
            (Key::Static(name), None) => (self.string_literal(name), Some(name.to_string())),
            (Key::Computed(expr), _) => (self.rewritten(expr), self.constant_string(expr)),
        };
        let value = self.rewritten(&assign.right);
        let span = self.span(assign.span);
        self.replace(
            span,
            format!("{}.{token}.setCustomClaim({key_text}, {value})", self.api),
        );
        let key_span = key.key_span.unwrap_or(chain.prefix_span(2));
        let Some(name) = name else {
            let message = match self.key_secret(&key.key) {
                Some(secret) => format!("the claim name comes from the secret `{secret}`, unknown until deployment, so its namespace cannot be checked"),
                None => "the claim name is computed at run time, so its namespace cannot be checked".to_string(),
            };
            return self.report_at(Code::ClaimNameNotChecked, key_span, message);
        };
        let (code, message, help) = match classify(&name) {
            ClaimName::Accepted => return,
            ClaimName::Restricted => (
                Code::RestrictedClaim,
                format!("`{name}` is a restricted claim: Auth0 silently ignores it"),
                "use a namespaced name such as `https://example.com/<name>`",
            ),
            ClaimName::ReservedNamespace => (
                Code::ReservedNamespace,
                format!("`{name}` uses a namespace Auth0 reserves: the claim never reaches the token"),
                "use a namespace on a domain you own",
            ),
            ClaimName::NotNamespaced => match self.options.claims_policy {
                ClaimsPolicy::Enforced => (
                    Code::NonNamespacedClaim,
                    format!("`{name}` is not namespaced: a tenant that enforces namespacing drops it"),
                    "namespace it (`https://example.com/<name>`), or use `--claims-policy relaxed` if the tenant accepts it",
                ),
                ClaimsPolicy::Relaxed => (
                    Code::NonNamespacedClaimAppears,
                    format!("`{name}` is not namespaced: tokens now carry it, and Auth0 APIs ignore it on access tokens"),
                    "check that applications expect this claim",
                ),
            },
        };
        self.report(Finding::new(code, key_span, message).with_help(help));
    }

    /// The value of a claim-name expression built only from literals and string constants.
    fn constant_string(&self, expr: &Expr) -> Option<String> {
        match unparen(expr) {
            Expr::Lit(Lit::Str(s)) => s.value.as_atom().map(|a| a.to_string()),
            Expr::Ident(ident) if !self.is_declared(&ident.sym, false) => {
                self.constants.get(&ident.sym).cloned()
            }
            Expr::Bin(bin) if bin.op == BinaryOp::Add => {
                Some(self.constant_string(&bin.left)? + &self.constant_string(&bin.right)?)
            }
            Expr::Tpl(tpl) => {
                let mut out = String::new();
                for (i, quasi) in tpl.quasis.iter().enumerate() {
                    out.push_str(quasi.cooked.as_ref()?.as_atom()?);
                    if let Some(expr) = tpl.exprs.get(i) {
                        out.push_str(&self.constant_string(expr)?);
                    }
                }
                Some(out)
            }
            _ => None,
        }
    }

    /// The secret a computed claim name starts with: `configuration.NAMESPACE + 'roles'`, or a
    /// constant initialised from one.
    fn key_secret(&self, key: &Key<'_>) -> Option<String> {
        let Key::Computed(expr) = key else {
            return None;
        };
        let mut expr = unparen(expr);
        loop {
            expr = match expr {
                Expr::Bin(bin) if bin.op == BinaryOp::Add => unparen(&bin.left),
                Expr::Tpl(tpl) if tpl.quasis.first().is_some_and(|q| q.raw.is_empty()) => {
                    unparen(tpl.exprs.first()?)
                }
                Expr::Ident(ident) => return self.secret_constants.get(&ident.sym).cloned(),
                expr => return configuration_key(expr),
            };
        }
    }

    /// `const NS = 'https://…'` (or a `var`/`let` never assigned again) in the rule body.
    pub(super) fn collect_constants(&mut self, stmts: &[Stmt], reassigned: &[Atom]) {
        for stmt in stmts {
            let Stmt::Decl(Decl::Var(var)) = stmt else {
                continue;
            };
            for declarator in &var.decls {
                let (Pat::Ident(binding), Some(init)) = (&declarator.name, &declarator.init) else {
                    continue;
                };
                let name = &binding.id.sym;
                if var.kind != VarDeclKind::Const && reassigned.contains(name) {
                    continue;
                }
                if let Some(value) = self.constant_string(init) {
                    self.constants.insert(name.clone(), value);
                } else if let Some(secret) = configuration_key(unparen(init)) {
                    self.secret_constants.insert(name.clone(), secret);
                }
            }
        }
    }
}

/// `X` in `configuration.X`.
fn configuration_key(expr: &Expr) -> Option<String> {
    let Expr::Member(member) = expr else {
        return None;
    };
    match (&*member.obj, &member.prop) {
        (Expr::Ident(root), swc_ecma_ast::MemberProp::Ident(prop))
            if &*root.sym == "configuration" =>
        {
            Some(prop.sym.to_string())
        }
        _ => None,
    }
}
