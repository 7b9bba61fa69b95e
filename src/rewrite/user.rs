//! Reads of `user.*` become reads of `event.user.*`.
//!
//! Rule:
//! ```js
//! const roles = user.app_metadata.roles || [];
//! ```
//! Action:
//! ```js
//! const roles = event.user.app_metadata.roles || [];
//! ```
//! A few members live elsewhere (`user.clientID` → `event.client.client_id`). Refused: upstream
//! IdP tokens in `user.identities[i]` (`R2A301`) and changes to the user object (`R2A302`).
//! Properties missing from the Actions reference are converted with `R2A303`.

use swc_ecma_ast::{AssignExpr, Expr};
use swc_ecma_visit::VisitWith;

use super::chain::{self, Chain};
use super::walk::unparen;
use super::{Param, Rewriter, Value};
use crate::finding::Finding;
use crate::registry::Code;
use crate::tables::user::{EVENT_USER_PROPERTIES, UPSTREAM_TOKEN_KEYS, USER_REDIRECTS};

impl Rewriter<'_> {
    pub(super) fn user_read(&mut self, chain: &Chain<'_>) {
        let first = chain.static_key(0);
        if let Some(local) = first.and_then(|key| self.user_local(key, chain.root_span.start)) {
            return self.replace(chain.prefix_span(1), local);
        }
        if let Some((key, target, code)) = USER_REDIRECTS.iter().find(|(k, ..)| Some(*k) == first) {
            let replacement = format!("{}.{target}", self.event);
            let span = chain.prefix_span(1);
            self.report_at(*code, span, format!("`user.{key}` becomes `{replacement}`"));
            return self.replace(span, replacement);
        }
        self.replace(chain.root_span, format!("{}.user", self.event));
        let reads_idp_token = first == Some("identities")
            && (1..chain.links.len())
                .filter_map(|i| chain.static_key(i))
                .any(|k| UPSTREAM_TOKEN_KEYS.contains(&k));
        if reads_idp_token {
            self.report(
                Finding::new(
                    Code::UpstreamIdpToken,
                    chain.span(),
                    "upstream identity-provider tokens are not available to Actions",
                )
                .with_help(
                    "call the provider's API outside the login flow, or use the Token Vault",
                ),
            );
        } else if let Some(key) = first.filter(|k| !EVENT_USER_PROPERTIES.contains(k)) {
            let help = match key {
                "logins_count" => "use `event.stats.logins_count`",
                _ => "check that the property is present on `event.user` for your connections",
            };
            self.report(
                Finding::new(
                    Code::UserPropertyNotInActions,
                    chain.prefix_span(1),
                    format!("`user.{key}` is not in the Actions `event.user` reference"),
                )
                .with_help(help),
            );
        }
    }

    /// `!user.app_metadata`: true in Rules for users without metadata, never true in Actions.
    pub(super) fn metadata_presence_test(&mut self, tested: &Expr) {
        let Some(chain) = chain::flatten(unparen(tested), self.offsets) else {
            return;
        };
        let key = chain.static_key(0).filter(|_| chain.links.len() == 1);
        let Some(key @ ("app_metadata" | "user_metadata")) = key else {
            return;
        };
        if self.param(chain.root) == Some(Param::User) {
            self.report(
                Finding::new(
                    Code::ShapeChanges,
                    chain.span(),
                    format!("`event.user.{key}` is never undefined in Actions, so this test is always false"),
                )
                .with_help("test for the keys the rule needs instead"),
            );
        }
    }

    pub(super) fn user_write(&mut self, assign: &AssignExpr, chain: &Chain<'_>, value: Value) {
        if self.user_field_write(assign, chain, value) {
            return;
        }
        let path = chain.static_prefix().join(".");
        self.report(
            Finding::new(
                Code::UserMutation,
                self.span(assign.span),
                format!("`user.{path}` is changed, but `event.user` is read-only in Actions"),
            )
            .with_help("persist with `api.user.setAppMetadata` / `setUserMetadata`, or pass data on with `api.transaction.setMetadata`"),
        );
        self.replace(chain.root_span, format!("{}.user", self.event));
        for key in chain.computed_keys() {
            key.visit_with(self);
        }
        assign.right.visit_with(self);
    }
}
