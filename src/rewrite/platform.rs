//! The rest of the Rules platform that has no direct Actions equivalent: the `auth0` object,
//! `global`, `UnauthorizedError` outside a callback, and `this` / `arguments`.
//!
//! Rule:
//! ```js
//! global.token = global.token || fetchToken(auth0.accessToken);
//! ```
//! Action: unchanged, with `R2A902` and `R2A901` and their markers. Asynchronous metadata
//! updates and caching have rewrites of their own; these findings mark what is left.

use swc_ecma_ast::{Expr, Ident, NewExpr};
use swc_ecma_visit::VisitWith;

use super::chain::Chain;
use super::Rewriter;
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::Span;

impl Rewriter<'_> {
    /// `auth0.*` and `global.*` chains. Returns whether the root was one of them.
    pub(super) fn platform_chain(&mut self, chain: &Chain<'_>) -> bool {
        if self.is_global(chain.root, "global") && self.global_member(chain) {
            return true;
        }
        if self.is_global(chain.root, "auth0") && self.management_api_member(chain) {
            return true;
        }
        self.platform_global(chain.root, chain.span())
    }

    /// A free identifier that is not a rule parameter or `configuration`.
    pub(super) fn global_identifier(&mut self, ident: &Ident) {
        let span = self.span(ident.span);
        if self.platform_global(ident, span) || self.sandbox_global_use(ident) {
            return;
        }
        if self.is_global(ident, "arguments") {
            self.this_or_arguments(span, "arguments");
        }
    }

    fn platform_global(&mut self, ident: &Ident, span: Span) -> bool {
        let (code, message, help) = if self.is_global(ident, "auth0") {
            (
                Code::Auth0Object,
                "the `auth0` object does not exist in Actions",
                "use `api.user.setAppMetadata` / `setUserMetadata`, or a Management API client with M2M credentials in secrets",
            )
        } else if self.is_global(ident, "global") {
            (
                Code::GlobalObject,
                "`global` is not shared across executions in Actions",
                "use a module-scope variable, or `api.cache` for values that must survive",
            )
        } else if self.is_global(ident, "UnauthorizedError") {
            (
                Code::UnauthorizedErrorOutsideCallback,
                "`UnauthorizedError` does not exist in Actions",
                "deny the login with `return api.access.deny(message)`",
            )
        } else {
            return false;
        };
        self.report(Finding::new(code, span, message).with_help(help));
        true
    }

    /// `new UnauthorizedError(m)` outside a callback call becomes `new Error(m)`.
    pub(super) fn new_expression(&mut self, new: &NewExpr) {
        let Expr::Ident(class) = &*new.callee else {
            return new.visit_children_with(self);
        };
        if !self.is_global(class, "UnauthorizedError") {
            return new.visit_children_with(self);
        }
        self.report_unauthorized(
            Finding::new(
                Code::UnauthorizedBecomesAccessDenied,
                self.span(new.span),
                "`UnauthorizedError` becomes `Error`: a login that fails with it returns `error=access_denied`, not `error=unauthorized`",
            )
            .with_help("where the error ends the login, prefer `return api.access.deny(message)`"),
        );
        self.replace(Family::Platform, self.span(class.span), "Error");
        new.args.visit_with(self);
    }

    pub(super) fn this_or_arguments(&mut self, span: Span, name: &str) {
        if self.binding_depth == 0 {
            self.report_at(
                Code::ThisOrArguments,
                span,
                format!(
                    "`{name}` in the rule body means something else in the arrow-function handler"
                ),
            );
        }
    }
}
