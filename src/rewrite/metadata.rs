//! Persisting metadata: `auth0.users.updateAppMetadata(user.user_id, user.app_metadata)` becomes
//! one `api.user.setAppMetadata(key, value)` per top-level key the rule changed.
//!
//! Rule:
//! ```js
//! user.app_metadata.roles = roles;
//! auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
//!   .then(function () { callback(null, user, context); })
//!   .catch(function (err) { callback(err); });
//! ```
//! Action:
//! ```js
//! let appMetadata = structuredClone(event.user.app_metadata); // top of the handler
//! appMetadata.roles = roles;
//! api.user.setAppMetadata('roles', appMetadata.roles);
//! ```
//! When the changed keys are not known statically, the Action sets every key of the copy, which
//! Auth0's root-level merge makes equivalent. Always reported with `R2A306`: Actions persist at
//! the end of the flow, and a failed update no longer denies the login. Refused (left to the
//! asynchronous rewrite, with `R2A901`): updates for another user, other objects, and promise
//! handlers that do more than call back.

use swc_ecma_ast::{CallExpr, Callee, Expr, Pat, Stmt};

use super::chain;
use super::walk::unparen;
use super::{Param, Rewriter};
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::{indentation_at, newline_of, Span};

/// What the metadata family knows of the rule's metadata writes.
#[derive(Default)]
pub(super) struct MetadataState {
    /// Metadata objects the rule persists: changes to them reach later Actions.
    pub(super) persisted: Vec<&'static str>,
    /// The top-level metadata keys the rule changes (`None`: not known statically).
    pub(super) keys: Vec<(&'static str, Option<swc_atoms::Atom>)>,
    /// Local copies of `user.app_metadata` / `user.user_metadata`, for rules that change them.
    pub(super) copies: Vec<(&'static str, String)>,
    /// Metadata kinds already reported as never missing in Actions (`R2A307`).
    pub(super) reported_missing: Vec<&'static str>,
}

/// What became of a `.catch` on the update.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Caught {
    Nothing,
    /// It denied the login.
    Denied,
    /// It did something else (logged), without calling back.
    Handled,
}

/// What a promise handler does with the callback.
#[derive(PartialEq, Eq)]
enum Handler {
    Succeeds,
    PassesTheError,
}

impl Rewriter<'_> {
    /// A statement that persists the user's metadata. Returns whether it was converted.
    pub(super) fn metadata_update_statement(
        &mut self,
        expr: &Expr,
        statement: Span,
        is_return: bool,
    ) -> bool {
        if self.depth > 0 || !self.flow.in_list {
            return false;
        }
        // `await auth0.users.updateAppMetadata(…)` in an `async` rule.
        let current = match unparen(expr) {
            Expr::Await(awaited) => unparen(&awaited.arg),
            other => other,
        };
        let Expr::Call(call) = current else {
            return false;
        };
        let Some((update, handlers)) = super::recognise::metadata_chain(call) else {
            return false;
        };
        let mut caught = Caught::Nothing;
        for (name, handler) in &handlers {
            match (*name, self.handler_kind(handler)) {
                ("then", Some(Handler::Succeeds)) => {}
                ("catch", Some(Handler::PassesTheError)) => caught = Caught::Denied,
                // A `.catch` that only logs: the update cannot fail in the Action.
                ("catch", None) if !self.handler_calls_back(handler) => caught = Caught::Handled,
                _ => return false,
            }
        }
        let Some(mut lines) = self.persisted_metadata(update, caught) else {
            return false;
        };
        self.calls.uses += 1;
        if is_return && !self.flow.last_in_rule_body {
            lines.push("return;".to_string());
        }
        let indent = indentation_at(self.source, statement.start).to_string();
        let nl = newline_of(self.source);
        self.replace(
            Family::Metadata,
            statement,
            lines.join(&format!("{nl}{indent}")),
        );
        true
    }

    /// `update` persists the user's own metadata, which has a local copy to persist from.
    pub(super) fn persists_own_metadata(&self, update: &CallExpr) -> bool {
        self.metadata_kind(update).is_some_and(|kind| {
            changes_object(update).is_some() || self.metadata.copies.iter().any(|(k, _)| *k == kind)
        })
    }

    /// The `api.user.set*Metadata` calls that replace `update`, one per changed key, or `None`
    /// when it is not an update of the user's own metadata. `caught`: a `.catch` denied the login
    /// when the update failed.
    pub(super) fn persisted_metadata(
        &mut self,
        update: &CallExpr,
        caught: Caught,
    ) -> Option<Vec<String>> {
        let kind = self.metadata_kind(update)?;
        let method = match kind {
            "app_metadata" => "setAppMetadata",
            _ => "setUserMetadata",
        };
        let lines = match changes_object(update) {
            // `updateAppMetadata(user.user_id, { onetrust })`: Auth0 merged these keys at the root.
            Some(Changes::Literal(object)) => self.set_each_property(object, method)?,
            // `updateAppMetadata(user.user_id, changes)`: the same, for whatever keys it holds.
            Some(Changes::Local(local)) => {
                let local = self.rewritten(&Expr::Ident(local.clone()));
                vec![format!(
                    "for (const [key, value] of Object.entries({local})) {}.user.{method}(key, value);",
                    self.api
                )]
            }
            None => self.set_changed_keys(kind, method)?,
        };
        let consequence = match caught {
            Caught::Denied => {
                "; the `.catch` path that denied the login when the update failed is gone"
            }
            Caught::Handled => {
                "; the update cannot fail in the Action, so its `.catch` handler is gone"
            }
            Caught::Nothing => "",
        };
        self.report(
            Finding::new(
                Code::MetadataUpdateBatched,
                self.span(update.span),
                format!("`user.{kind}` is persisted when the login flow ends, not now{consequence}"),
            )
            .with_help("Actions apply metadata updates in one batch; check flows that relied on the update failing"),
        );
        Some(lines)
    }

    /// One `api.user.set*Metadata(key, value)` per property of an object literal; `None` for
    /// spreads and computed keys.
    fn set_each_property(
        &mut self,
        object: &swc_ecma_ast::ObjectLit,
        method: &str,
    ) -> Option<Vec<String>> {
        use swc_ecma_ast::{Prop, PropName, PropOrSpread};
        let mut lines = Vec::new();
        for prop in &object.props {
            let PropOrSpread::Prop(prop) = prop else {
                return None;
            };
            let (key, value) = match &**prop {
                Prop::Shorthand(name) => (
                    name.sym.to_string(),
                    self.rewritten(&Expr::Ident(name.clone())),
                ),
                Prop::KeyValue(kv) => {
                    let key = match &kv.key {
                        PropName::Ident(name) => name.sym.to_string(),
                        PropName::Str(name) => name.value.as_atom()?.to_string(),
                        _ => return None,
                    };
                    (key, self.rewritten(&kv.value))
                }
                _ => return None,
            };
            let literal = self.string_literal(&key);
            lines.push(format!("{}.user.{method}({literal}, {value});", self.api));
        }
        Some(lines)
    }

    /// One call per top-level key the rule changed in its copy of the metadata.
    fn set_changed_keys(&mut self, kind: &str, method: &str) -> Option<Vec<String>> {
        let api = self.api.clone();
        let local = self
            .metadata
            .copies
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, local)| local.clone())?;
        let changed: Vec<_> = self
            .metadata
            .keys
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, key)| key.clone())
            .collect();
        let mut lines = Vec::new();
        if changed.is_empty() || changed.iter().any(Option::is_none) {
            lines.push(format!(
                "for (const [key, value] of Object.entries({local})) {api}.user.{method}(key, value);"
            ));
        } else {
            let mut keys: Vec<_> = changed.into_iter().flatten().collect();
            keys.dedup();
            for key in keys {
                let literal = self.string_literal(&key);
                let member = super::trivia::member_key(&key, self.quote);
                lines.push(format!("{api}.user.{method}({literal}, {local}{member});"));
            }
        }
        Some(lines)
    }

    /// `app_metadata` for `auth0.users.updateAppMetadata(user.user_id, user.app_metadata)`.
    fn metadata_kind(&self, update: &CallExpr) -> Option<&'static str> {
        let Callee::Expr(callee) = &update.callee else {
            return None;
        };
        let callee = chain::flatten(callee, self.offsets)?;
        let kind = match callee.static_prefix().as_slice() {
            ["users", "updateAppMetadata"] => "app_metadata",
            ["users", "updateUserMetadata"] => "user_metadata",
            _ => return None,
        };
        if !self.is_global(callee.root, "auth0") || update.args.len() != 2 {
            return None;
        }
        let is_user_path = |expr: &Expr, path: &[&str]| {
            chain::flatten(unparen(expr), self.offsets).is_some_and(|c| {
                self.param(c.root) == Some(Param::User)
                    && c.static_prefix() == path
                    && c.links.len() == path.len()
            })
        };
        let changes = match changes_object(update) {
            Some(Changes::Local(local)) => self.param(local).is_none(),
            Some(Changes::Literal(_)) => true,
            None => false,
        };
        (is_user_path(&update.args[0].expr, &["user_id"])
            && (is_user_path(&update.args[1].expr, &[kind]) || changes))
            .then_some(kind)
    }

    fn handler_calls_back(&self, handler: &Expr) -> bool {
        super::callback::mentions_callback(handler, &self.bindings)
    }

    /// A promise handler that only calls back: with success, or with the error it received.
    fn handler_kind(&self, handler: &Expr) -> Option<Handler> {
        if let Expr::Ident(ident) = unparen(handler) {
            return (self.param(ident) == Some(Param::Callback)).then_some(Handler::PassesTheError);
        }
        let (params, body): (Vec<&Pat>, Option<&Expr>) = match unparen(handler) {
            Expr::Arrow(arrow) => {
                let params = arrow.params.iter().collect();
                match &*arrow.body {
                    swc_ecma_ast::ArrowFunctionBody::Expr(body) => (params, Some(body)),
                    swc_ecma_ast::ArrowFunctionBody::FunctionBody(body) => {
                        (params, single_call(&body.stmts))
                    }
                }
            }
            Expr::Fn(function) => (
                function.function.params.iter().map(|p| &p.pat).collect(),
                function
                    .function
                    .body
                    .as_ref()
                    .and_then(|b| single_call(&b.stmts)),
            ),
            _ => return None,
        };
        let call = self.as_callback_call(body?)?;
        let handler_param = params.first().and_then(|p| p.as_ident()).map(|b| &b.id.sym);
        let first = call.args.first().map(|a| unparen(&a.expr));
        match first {
            None | Some(Expr::Lit(swc_ecma_ast::Lit::Null(_))) => Some(Handler::Succeeds),
            Some(Expr::Ident(error)) if Some(&error.sym) == handler_param => {
                Some(Handler::PassesTheError)
            }
            _ => None,
        }
    }
}

/// The object literal of `updateAppMetadata(user.user_id, { … })`.
/// The changes an update hands Auth0 other than the user's own metadata object.
enum Changes<'e> {
    Literal(&'e swc_ecma_ast::ObjectLit),
    /// A local variable (the caller checks it is not the rule's `user`).
    Local(&'e swc_ecma_ast::Ident),
}

fn changes_object(update: &CallExpr) -> Option<Changes<'_>> {
    match unparen(&update.args.get(1)?.expr) {
        Expr::Object(object) => Some(Changes::Literal(object)),
        Expr::Ident(local) => Some(Changes::Local(local)),
        _ => None,
    }
}

/// The expression of a body made of one `f(...)` or `return f(...)` statement.
fn single_call(stmts: &[Stmt]) -> Option<&Expr> {
    match stmts {
        [Stmt::Expr(stmt)] => Some(&stmt.expr),
        [Stmt::Return(stmt)] => stmt.arg.as_deref(),
        _ => None,
    }
}
