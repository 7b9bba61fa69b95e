//! What a Hook handed back through its callback, as the `api` calls of the Action: the
//! access-token claims of a credentials-exchange Hook, and the metadata of a
//! pre-user-registration Hook. The Hook applied only part of what it handed back: namespaced
//! claims (keys that are http(s) URLs) and the two metadata objects. The Action applies that
//! same part.
//!
//! Hook (credentials-exchange):
//! ```js
//! module.exports = function (client, scope, audience, context, cb) {
//!   cb(null, { 'https://example.com/plan': 'gold', scope: ['read:all'] });
//! };
//! ```
//! Action:
//! ```js
//! exports.onExecuteCredentialsExchange = async (event, api) => {
//!   api.accessToken.setCustomClaim('https://example.com/plan', 'gold');
//! ```
//! A value built elsewhere (`const accessToken = {}; … cb(null, accessToken)`) is applied key
//! by key at run time, keeping the Hook's rule for which keys counted. Pre-user-registration's
//! `cb(null, { user: { app_metadata: { plan: 'free' } } })` becomes
//! `api.user.setAppMetadata('plan', 'free')`.
//!
//! Refused: a `scope` handed back (`R2A851`: the Action cannot change a token's scopes); keys the
//! Hook ignored are not set either (`R2A853`).

use swc_ecma_ast::{Expr, KeyValueProp, ObjectLit, Prop, PropName, PropOrSpread};

use super::walk::unparen;
use super::{Param, Rewriter};
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::Span;
use crate::trigger::CallbackResult;

/// Whether a credentials-exchange Hook's key became a claim: a URL namespace outside Auth0's.
fn hook_claim_counts(key: &str) -> bool {
    let Some(rest) = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    !["auth0.com", "webtask.io", "webtask.run"]
        .iter()
        .any(|reserved| host == *reserved || host.ends_with(&format!(".{reserved}")))
}

/// The static name of an object literal's key.
fn static_key(name: &PropName) -> Option<String> {
    match name {
        PropName::Ident(ident) => Some(ident.sym.to_string()),
        PropName::Str(text) => text.value.as_atom().map(|a| a.to_string()),
        _ => None,
    }
}

/// The members of an object literal whose every member is `key: value` with a name written out,
/// in order; `None` for one with a spread, a method, a shorthand or a computed name.
fn static_entries(object: &ObjectLit) -> Option<Vec<(String, &KeyValueProp)>> {
    object
        .props
        .iter()
        .map(|prop| match prop {
            PropOrSpread::Prop(prop) => match &**prop {
                Prop::KeyValue(kv) => Some((static_key(&kv.key)?, kv)),
                _ => None,
            },
            PropOrSpread::Spread(_) => None,
        })
        .collect()
}

/// Whether pre-user-registration applied a metadata key: not one that starts with `$` or holds a
/// `.` (hooks-and-runtime.md §2.1).
fn applied_metadata_key(key: &str) -> bool {
    !key.starts_with('$') && !key.contains('.')
}

/// The value of member `name` among `entries`.
fn member_of<'e>(entries: &[(String, &'e KeyValueProp)], name: &str) -> Option<&'e Expr> {
    entries
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, kv)| &*kv.value)
}

impl Rewriter<'_> {
    /// Replaces the callback statement `stmt` with the calls that apply `value`, what the Hook
    /// handed back, followed by `tail` (`return;` or nothing). Returns false when the trigger
    /// applies nothing of it, leaving the statement to the callback family.
    pub(super) fn apply_hook_result(
        &mut self,
        stmt: Span,
        value: Option<&Expr>,
        tail: &str,
    ) -> bool {
        let Some(value) = value else {
            return false;
        };
        let calls = self.hook_result_calls(value);
        if calls.is_empty() {
            return false;
        }
        let nl = crate::span::newline_of(self.source);
        let indent = crate::span::indentation_at(self.source, stmt.start).to_string();
        let mut text = calls.join(&format!("{nl}{indent}"));
        if !tail.is_empty() {
            text.push_str(&format!("{nl}{indent}{tail}"));
        }
        self.replace(Family::HookResult, stmt, text);
        true
    }

    /// The statements that apply `value`, one per entry.
    pub(super) fn hook_result_calls(&mut self, value: &Expr) -> Vec<String> {
        match self.out.trigger.callback.result {
            CallbackResult::AccessTokenClaims => self.claims_handed_back(value),
            CallbackResult::RegistrationMetadata => self.metadata_handed_back(value),
            CallbackResult::UserAndContext | CallbackResult::Ignored => Vec::new(),
        }
    }

    /// The same for a value only known at run time, held in `name` (the callback shim's).
    pub(super) fn hook_result_at_run_time(&mut self, name: &str) -> Vec<String> {
        match self.out.trigger.callback.result {
            CallbackResult::AccessTokenClaims => vec![self.claims_loop(name)],
            CallbackResult::RegistrationMetadata => self.metadata_loops(&format!("{name}?.user")),
            CallbackResult::UserAndContext | CallbackResult::Ignored => Vec::new(),
        }
    }

    fn claims_handed_back(&mut self, value: &Expr) -> Vec<String> {
        match unparen(value) {
            Expr::Object(object) if static_entries(object).is_some() => {
                let mut calls = Vec::new();
                for (key, kv) in static_entries(object).unwrap_or_default() {
                    let span = self.span(swc_common::Spanned::span(kv));
                    if key == "scope" {
                        if !self.is_hook_scope(&kv.value) {
                            self.report_scope_change(span);
                        }
                    } else if hook_claim_counts(&key) {
                        let value = self.rewritten(&kv.value);
                        calls.push(format!(
                            "{}.accessToken.setCustomClaim({}, {value});",
                            self.api,
                            self.string_literal(&key)
                        ));
                    } else {
                        self.report(
                            Finding::new(
                                Code::HookClaimIgnored,
                                span,
                                format!("the Hook ignored `{key}`, which is not namespaced with a URL; the Action does not set it"),
                            )
                            .with_help("namespace the claim (`https://example.com/…`) if the token should carry it"),
                        );
                    }
                }
                calls
            }
            Expr::Ident(ident) if &*ident.sym == "undefined" => Vec::new(),
            Expr::Lit(swc_ecma_ast::Lit::Null(_)) => Vec::new(),
            other => {
                let name = self.rewritten(other);
                if self.scope_set_on(&name) {
                    self.report_scope_change(self.span(swc_common::Spanned::span(other)));
                }
                vec![self.claims_loop(&name)]
            }
        }
    }

    /// `for (const [claim, value] of Object.entries(x)) …`, with the Hook's rule for claims.
    fn claims_loop(&mut self, value: &str) -> String {
        let claim = self.free_name("claim");
        let claim_value = self.free_name("value");
        format!(
            "for (const [{claim}, {claim_value}] of Object.entries({value} ?? {{}})) {{ if (/^https?:\\/\\//.test({claim})) {}.accessToken.setCustomClaim({claim}, {claim_value}); }}",
            self.api
        )
    }

    fn metadata_handed_back(&mut self, value: &Expr) -> Vec<String> {
        let Expr::Object(response) = unparen(value) else {
            return match unparen(value) {
                Expr::Ident(ident) if &*ident.sym == "undefined" => Vec::new(),
                Expr::Lit(swc_ecma_ast::Lit::Null(_)) => Vec::new(),
                // The Hook's own `user` has no `user` member: nothing was applied.
                Expr::Ident(ident) if self.param(ident) == Some(Param::User) => Vec::new(),
                other => {
                    let response = self.rewritten(other);
                    self.metadata_loops(&format!("{response}?.user"))
                }
            };
        };
        let Some(entries) = static_entries(response) else {
            let response = self.rewritten(value);
            return self.metadata_loops(&format!("{response}.user"));
        };
        let Some(user) = member_of(&entries, "user") else {
            return Vec::new();
        };
        let Expr::Object(user) = unparen(user) else {
            let user = self.rewritten(user);
            return self.metadata_loops(&user);
        };
        let mut calls = Vec::new();
        for (kind, setter) in [
            ("app_metadata", "setAppMetadata"),
            ("user_metadata", "setUserMetadata"),
        ] {
            let metadata = user.props.iter().find_map(|prop| match prop {
                PropOrSpread::Prop(prop) => match &**prop {
                    Prop::KeyValue(kv) if static_key(&kv.key).as_deref() == Some(kind) => {
                        Some(&*kv.value)
                    }
                    _ => None,
                },
                PropOrSpread::Spread(_) => None,
            });
            // A literal's members are set one by one; any other value is read at run time.
            let known = metadata.map(unparen).and_then(|m| match m {
                Expr::Object(object) => static_entries(object),
                _ => None,
            });
            match (metadata.map(unparen), known) {
                (None, _) => {}
                (Some(_), Some(entries)) => {
                    for (key, kv) in entries.into_iter().filter(|(k, _)| applied_metadata_key(k)) {
                        let value = self.rewritten(&kv.value);
                        calls.push(format!(
                            "{}.user.{setter}({}, {value});",
                            self.api,
                            self.string_literal(&key)
                        ));
                    }
                }
                (Some(other), None) => {
                    let value = self.rewritten(other);
                    calls.push(self.metadata_loop(&value, setter));
                }
            }
        }
        calls
    }

    /// Both metadata objects of `user` (an expression), key by key at run time.
    fn metadata_loops(&mut self, user: &str) -> Vec<String> {
        vec![
            self.metadata_loop(&format!("{user}?.app_metadata"), "setAppMetadata"),
            self.metadata_loop(&format!("{user}?.user_metadata"), "setUserMetadata"),
        ]
    }

    /// A loop over metadata known only at run time, with the Hook's rule for keys.
    fn metadata_loop(&mut self, metadata: &str, setter: &str) -> String {
        let key = self.free_name("key");
        let value = self.free_name("value");
        format!(
            "for (const [{key}, {value}] of Object.entries({metadata} ?? {{}})) if (!{key}.startsWith('$') && !{key}.includes('.')) {}.user.{setter}({key}, {value});",
            self.api
        )
    }

    /// The value is the Hook's own `scope` parameter: handing it back changed nothing.
    fn is_hook_scope(&self, value: &Expr) -> bool {
        matches!(unparen(value), Expr::Ident(ident)
            if matches!(self.param(ident), Some(Param::Event(path, _)) if path == "accessToken.scope"))
    }

    /// `name.scope = …` somewhere in the Hook, with anything but its own `scope`.
    fn scope_set_on(&self, name: &str) -> bool {
        let own = self
            .bindings
            .id_of_event("accessToken.scope")
            .map(|(sym, _)| sym.to_string());
        [
            format!("{name}.scope"),
            format!("{name}['scope']"),
            format!("{name}[\"scope\"]"),
        ]
        .iter()
        .any(|target| {
            self.source.match_indices(target.as_str()).any(|(at, _)| {
                let rest = self.source[at + target.len()..].trim_start();
                let Some(assigned) = rest.strip_prefix('=').filter(|r| !r.starts_with('=')) else {
                    return false;
                };
                let assigned = assigned.trim_start();
                own.as_deref().is_none_or(|own| {
                    !(assigned.starts_with(own)
                        && assigned[own.len()..]
                            .trim_start()
                            .starts_with([';', '\n', '\r']))
                })
            })
        })
    }

    fn report_scope_change(&mut self, span: Span) {
        self.report(
            Finding::new(
                Code::HookScopeChange,
                span,
                "the Hook handed back a `scope`, which replaced the token's scopes; the Action does not change them",
            )
            .with_help("grant the scopes on the client grant, or use the Early Access `api.transaction` target-scope methods"),
        );
    }
}
