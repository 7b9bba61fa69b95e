//! `configuration.X` becomes `event.secrets.X`, and each name is recorded as a secret.
//!
//! Rule:
//! ```js
//! const { CLIENT_ID, CLIENT_SECRET } = configuration;
//! const key = configuration.API_KEY;
//! ```
//! Action:
//! ```js
//! const { CLIENT_ID, CLIENT_SECRET } = event.secrets;
//! const key = event.secrets.API_KEY;
//! ```
//! Hook (post-user-registration):
//! ```js
//! module.exports = function (user, context, cb) {
//!   const { SLACK_URL } = context.webtask.secrets;
//!   const token = context.webtask.secrets.SLACK_TOKEN;
//!   cb();
//! };
//! ```
//! Action:
//! ```js
//!   const { SLACK_URL } = event.secrets;
//!   const token = event.secrets.SLACK_TOKEN;
//! ```
//! Computed keys and whole-object uses convert with `R2A502` (the secret list is incomplete);
//! writes are refused with `R2A503`.

use swc_ecma_ast::{AssignExpr, Expr, ObjectPatProp, Pat, PropName, VarDeclarator};
use swc_ecma_visit::VisitWith;

use super::chain::Chain;
use super::{Param, Rewriter};
use crate::family::Family;
use crate::registry::Code;
use crate::span::Span;
use crate::tables::context::{longest_match, ContextRead};

impl Rewriter<'_> {
    pub(super) fn secret_read(&mut self, chain: &Chain<'_>) {
        match chain.static_key(0) {
            Some(name) => {
                let name = name.to_string();
                self.record_secret(name, chain.prefix_span(1));
                self.replace(
                    Family::Secrets,
                    chain.root_span,
                    format!("{}.{}", self.event, self.out.trigger.secrets.event_member),
                );
            }
            None => self.bare_configuration(chain.root_span, ""),
        }
    }

    /// `context.webtask.secrets.NAME` in a Hook, the secrets object at `depth`.
    pub(super) fn hook_secret_read(&mut self, chain: &Chain<'_>, depth: usize) {
        let secrets = format!("{}.{}", self.event, self.out.trigger.secrets.event_member);
        match chain.static_key(depth) {
            Some(name) => {
                self.record_secret(name.to_string(), chain.prefix_span(depth + 1));
                self.replace(Family::Secrets, chain.prefix_span(depth), secrets);
            }
            None => {
                let span = chain.prefix_span(depth);
                self.report_at(
                    Code::SecretsUsedDynamically,
                    span,
                    "the Hook's secrets are used as a whole object, so the secrets this Action needs are not known",
                );
                self.replace(Family::Secrets, span, secrets);
            }
        }
    }

    pub(super) fn record_secret(&mut self, name: String, span: Span) {
        if self.out.secrets.insert(name.clone()) {
            self.report_at(
                Code::SecretRequired,
                span,
                format!("`{name}` must be added to this Action's secrets"),
            );
        }
    }

    /// `configuration` as a whole value; `prefix` keeps a shorthand property valid.
    pub(super) fn bare_configuration(&mut self, span: Span, prefix: &str) {
        self.report_at(
            Code::SecretsUsedDynamically,
            span,
            "`configuration` is used as a whole object, so the secrets this Action needs are not known",
        );
        self.replace(
            Family::Secrets,
            span,
            format!(
                "{prefix}{}.{}",
                self.event, self.out.trigger.secrets.event_member
            ),
        );
    }

    /// `const { A, B } = configuration;`, or a Hook's `= context.webtask.secrets;`.
    pub(super) fn secrets_destructuring(&mut self, declarator: &VarDeclarator) -> bool {
        let (Pat::Object(pattern), Some(init)) = (&declarator.name, declarator.init.as_deref())
        else {
            return false;
        };
        let source = match init {
            Expr::Ident(source)
                if self.is_global(source, self.out.trigger.secrets.rules_global) =>
            {
                self.span(source.span)
            }
            Expr::Member(member) if self.is_context_secrets(init) => self.span(member.span),
            _ => return false,
        };
        for prop in &pattern.props {
            let name = match prop {
                ObjectPatProp::Assign(assign) => Some(assign.key.id.sym.to_string()),
                ObjectPatProp::KeyValue(kv) => match &kv.key {
                    PropName::Ident(key) => Some(key.sym.to_string()),
                    PropName::Str(key) => key.value.as_atom().map(|a| a.to_string()),
                    _ => None,
                },
                ObjectPatProp::Rest(_) => None,
            };
            let span = self.span(swc_common::Spanned::span(prop));
            match name {
                Some(name) => self.record_secret(name, span),
                None => self.report_at(
                    Code::SecretsUsedDynamically,
                    span,
                    "a computed or rest pattern reads secrets that cannot be listed",
                ),
            }
        }
        self.replace(
            Family::Secrets,
            source,
            format!("{}.{}", self.event, self.out.trigger.secrets.event_member),
        );
        declarator.name.visit_with(self);
        true
    }

    /// `context.webtask.secrets`: the member of the rule's `context` that the trigger's table
    /// says holds the secrets.
    fn is_context_secrets(&self, expr: &Expr) -> bool {
        let Some(chain) = super::chain::flatten(expr, self.offsets) else {
            return false;
        };
        let keys = chain.static_prefix();
        self.param(chain.root) == Some(Param::Context)
            && keys.len() == chain.links.len()
            && matches!(
                longest_match(self.out.trigger.context_reads, &keys),
                Some((depth, ContextRead::Secrets)) if depth == keys.len()
            )
    }

    pub(super) fn configuration_write(&mut self, assign: &AssignExpr) {
        self.report_at(
            Code::ConfigurationWrite,
            self.span(assign.span),
            "`configuration` is written to; Action secrets are read-only",
        );
    }
}
