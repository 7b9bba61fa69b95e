//! The Management API without the `auth0` object: `auth0.accessToken`, `auth0.domain` and
//! `auth0.baseUrl` come from an M2M application's client credentials in the Action's secrets.
//!
//! Rule:
//! ```js
//! const management = new ManagementClient({ token: auth0.accessToken, domain: auth0.domain });
//! request.get({ url: auth0.baseUrl + '/users-by-email', headers: { Authorization: 'Bearer ' + auth0.accessToken } }, …);
//! ```
//! Action:
//! ```js
//! async function managementApiToken(event, api) { … } // above the handler: client credentials, cached with api.cache
//! const management = new ManagementClient({ token: (await managementApiToken(event, api)), domain: event.secrets.DOMAIN });
//! request.get({ url: `https://${event.secrets.DOMAIN}/api/v2` + '/users-by-email', headers: { Authorization: 'Bearer ' + (await managementApiToken(event, api)) } }, …);
//! ```
//! Every client of the Management API keeps working with its own library version; only the
//! token's origin changes. `auth0.users.updateAppMetadata(otherUserId, changes)` (another user's
//! metadata; the user's own at the top of the rule goes through `api.user`, and inside a
//! function, which may run after the handler returned, goes here too) becomes a helper that
//! PATCHes the user, which merges metadata at the root as the Rules call did. Inside a function
//! it goes through `managementApiUpdateMetadataLater`, which logs a failure nothing waits for
//! instead of leaving an unhandled rejection. Reported once with `R2A913`, which names the secrets and the M2M
//! application to create. Refused (`R2A901` stays): `auth0.accessToken` inside a nested function,
//! where `await` is not available, and `auth0.users.*` calls other than the user's own metadata.

use swc_ecma_visit::VisitWith;

use super::chain::Chain;
use super::Rewriter;
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::newline_of;

/// What the Management API family adds to the Action.
#[derive(Default)]
pub(super) struct Management {
    /// The Action needs the Management API token helper.
    pub(super) uses_token: bool,
    pub(super) reported: bool,
    /// The Action updates metadata through the Management API.
    pub(super) updates_metadata: bool,
    /// Some of those updates may run after the handler returned, without `api`.
    pub(super) updates_late: bool,
    /// Locals the rewrite introduced, so that none is declared twice.
    pub(super) fresh_locals: Vec<String>,
}

/// The secrets the client-credentials exchange reads.
const SECRETS: [&str; 3] = ["DOMAIN", "CLIENT_ID", "CLIENT_SECRET"];

impl Rewriter<'_> {
    /// `auth0.accessToken`, `auth0.domain`, `auth0.baseUrl`. Returns whether it was converted.
    pub(super) fn management_api_member(&mut self, chain: &Chain<'_>) -> bool {
        let event = self.event.clone();
        let span = chain.prefix_span(1);
        let replacement = match chain.static_key(0) {
            Some("accessToken") if self.depth == 0 => {
                self.management.uses_token = true;
                for secret in SECRETS {
                    self.out.secrets.insert(secret.to_string());
                }
                if !self.management.reported {
                    self.management.reported = true;
                    self.report(
                        Finding::new(
                            Code::ManagementApiFromClientCredentials,
                            span,
                            "Actions get no Management API token: this one comes from an M2M application's client credentials in the secrets DOMAIN, CLIENT_ID and CLIENT_SECRET",
                        )
                        .with_help("create a Machine to Machine application authorized for the Auth0 Management API with the scopes this rule needs, and add its domain, client id and secret to the Action's secrets"),
                    );
                }
                self.management_token_call()
            }
            Some("domain") => format!("{event}.secrets.DOMAIN"),
            Some("baseUrl") => format!("`https://${{{event}.secrets.DOMAIN}}/api/v2`"),
            _ => return false,
        };
        // The tenant's domain is a secret like any other `configuration` value.
        self.record_secret("DOMAIN".to_string(), span);
        self.replace(Family::ManagementApi, span, replacement);
        true
    }

    /// `auth0.users.updateAppMetadata(id, changes)` for any user but the one logging in, and for
    /// that one inside a function (`metadata.rs` converts the rest). Returns whether the call
    /// was converted.
    pub(super) fn other_user_metadata_update(&mut self, call: &swc_ecma_ast::CallExpr) -> bool {
        use swc_common::Spanned;
        let swc_ecma_ast::Callee::Expr(callee) = &call.callee else {
            return false;
        };
        let Some(callee) = super::chain::flatten(callee, self.offsets) else {
            return false;
        };
        let field = match callee.static_prefix().as_slice() {
            ["users", "updateAppMetadata"] => "app_metadata",
            ["users", "updateUserMetadata"] => "user_metadata",
            _ => return false,
        };
        if !self.is_global(callee.root, "auth0")
            || callee.links.len() != 2
            || call.args.len() != 2
            || call.args.iter().any(|a| a.spread.is_some())
        {
            return false;
        }
        // The user's own update at the top of the rule becomes `api.user` (`metadata.rs`); inside
        // a function, typically a request's callback that ran after the rule called back, the
        // handler may be over, so it goes to the Management API as it did in Rules.
        let own = self.is_own_user_id(&call.args[0].expr);
        if own && self.depth == 0 {
            return false;
        }
        self.management.uses_token = true;
        self.management.updates_metadata = true;
        for secret in SECRETS {
            self.out.secrets.insert(secret.to_string());
        }
        let span = crate::span::Span::new(
            callee.root_span.start,
            self.span(call.args[0].expr.span()).start,
        );
        let field = self.string_literal(field);
        // After the handler returned its `api` is gone (the token is then not cached), and
        // nothing may be left to catch a failure.
        self.management.updates_late |= self.depth > 0;
        let replacement = if self.depth == 0 {
            format!(
                "managementApiUpdateMetadata({}, {}, {field}, ",
                self.event, self.api
            )
        } else {
            format!("managementApiUpdateMetadataLater({}, {field}, ", self.event)
        };
        self.replace(Family::ManagementApi, span, replacement);
        let whose = if own {
            "the user's metadata is updated from a nested function, which may run after the handler returned, so through the Management API"
        } else {
            "another user's metadata is updated through the Management API"
        };
        self.report(
            Finding::new(
                Code::ManagementApiFromClientCredentials,
                self.span(call.span),
                format!("{whose}, with a token from an M2M application's client credentials in the secrets DOMAIN, CLIENT_ID and CLIENT_SECRET"),
            )
            .with_help("create a Machine to Machine application authorized for the Auth0 Management API with `update:users`, and add its domain, client id and secret to the Action's secrets"),
        );
        call.args.iter().for_each(|a| a.visit_with(self));
        true
    }

    /// `user.user_id` of the rule's own `user`.
    fn is_own_user_id(&self, expr: &swc_ecma_ast::Expr) -> bool {
        super::chain::flatten(super::walk::unparen(expr), self.offsets).is_some_and(|c| {
            self.param(c.root) == Some(super::Param::User)
                && c.links.len() == 1
                && c.static_key(0) == Some("user_id")
        })
    }

    fn management_token_helper(&self) -> String {
        "managementApiToken".to_string()
    }

    /// `(await managementApiToken(event, api))`.
    pub(super) fn management_token_call(&self) -> String {
        format!(
            "(await {}({}, {}))",
            self.management_token_helper(),
            self.event,
            self.api
        )
    }

    /// A local name not in the rule and not handed out before.
    pub(super) fn fresh_local(&mut self, base: &str) -> String {
        let mut name = self.free_name(base);
        while self.management.fresh_locals.contains(&name) {
            let next = self.management.fresh_locals.len() + 1;
            name = self.free_name(&format!("{base}{next}"));
        }
        self.management.fresh_locals.push(name.clone());
        name
    }

    /// The helper above the handler that exchanges the client credentials for a token and keeps
    /// it in `api.cache` until a minute before it expires.
    pub(super) fn declare_management_token_helper(&mut self, at: usize) {
        if !self.management.uses_token {
            return;
        }
        let nl = newline_of(self.source);
        let name = self.management_token_helper();
        // Work that runs after the handler returned has no `api`, so no cache.
        let cache = if self.management.updates_late {
            "?.cache"
        } else {
            ".cache"
        };
        let mut comment = vec!["// Management API token from the M2M application's client credentials, cached between executions.".to_string()];
        if self.management.updates_late {
            comment.push(
                "// `api` is null for work that runs after the handler returned: no cache then."
                    .to_string(),
            );
        }
        let lines = [
            comment.join(nl),
            format!("async function {name}(event, api) {{"),
            format!("  const cached = api{cache}.get('management-api-token');"),
            "  if (cached?.value) return cached.value;".to_string(),
            "  const response = await fetch(`https://${event.secrets.DOMAIN}/oauth/token`, {".to_string(),
            "    method: 'POST',".to_string(),
            "    headers: { 'content-type': 'application/json' },".to_string(),
            "    body: JSON.stringify({".to_string(),
            "      grant_type: 'client_credentials',".to_string(),
            "      client_id: event.secrets.CLIENT_ID,".to_string(),
            "      client_secret: event.secrets.CLIENT_SECRET,".to_string(),
            "      audience: `https://${event.secrets.DOMAIN}/api/v2/`,".to_string(),
            "    }),".to_string(),
            "  });".to_string(),
            "  if (!response.ok) throw new Error(`Management API token request failed: ${response.status}`);".to_string(),
            "  const { access_token: token, expires_in: lifetime } = await response.json();".to_string(),
            format!("  api{cache}.set('management-api-token', token, {{ ttl: Math.max(lifetime - 60, 60) * 1000 }});"),
            "  return token;".to_string(),
            "}".to_string(),
            String::new(),
        ];
        let mut text: String = lines.iter().map(|l| format!("{l}{nl}")).collect();
        if self.management.updates_metadata {
            let update = [
                "// A user's metadata, merged at the root as the Rules `auth0.users` call did.",
                "async function managementApiUpdateMetadata(event, api, field, userId, changes) {",
                "  const response = await fetch(`https://${event.secrets.DOMAIN}/api/v2/users/${encodeURIComponent(userId)}`, {",
                "    method: 'PATCH',",
                "    headers: { authorization: `Bearer ${await managementApiToken(event, api)}`, 'content-type': 'application/json' },",
                "    body: JSON.stringify({ [field]: changes }),",
                "  });",
                "  if (!response.ok) throw new Error(`Management API user update failed: ${response.status}`);",
                "  return response.json();",
                "}",
                "",
            ];
            text.extend(update.iter().map(|l| format!("{l}{nl}")));
        }
        if self.management.updates_late {
            let later = [
                "// An update that may run after the handler returned: nothing waits for it, so a failure is",
                "// logged (an unhandled rejection would end the Action's process; the Rules sandbox only warned).",
                "function managementApiUpdateMetadataLater(event, field, userId, changes) {",
                "  const update = managementApiUpdateMetadata(event, null, field, userId, changes);",
                "  update.catch((err) => console.log(`Management API user update failed: ${err.message}`));",
                "  return update;",
                "}",
                "",
            ];
            text.extend(later.iter().map(|l| format!("{l}{nl}")));
        }
        self.fix(Family::ManagementApi, crate::edit::Edit::insert(at, text));
    }
}
