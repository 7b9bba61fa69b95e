//! Changes to the `user` object: Actions must not mutate `event.user`, so the rule's changes live
//! in local variables, and changes nothing reads are reported.
//!
//! Rule:
//! ```js
//! user.app_metadata = user.app_metadata || {};
//! user.app_metadata.plan = user.app_metadata.plan || 'free';
//! user.department = user.user_metadata.department || 'none';
//! context.idToken['https://example.com/plan'] = user.app_metadata.plan;
//! context.idToken['https://example.com/department'] = user.department;
//! ```
//! Action:
//! ```js
//! let appMetadata = structuredClone(event.user.app_metadata);
//! appMetadata.plan = appMetadata.plan || 'free';
//! let userDepartment = event.user.user_metadata.department || 'none';
//! api.idToken.setCustomClaim('https://example.com/plan', appMetadata.plan);
//! api.idToken.setCustomClaim('https://example.com/department', userDepartment);
//! ```
//! `user.app_metadata = user.app_metadata || {}` goes: in Actions the metadata is always an
//! object. Reads after a change see the new value, as in the Rule; later Actions do not (`R2A305`).
//! A `user.<field> = …` that nothing reads afterwards reached later rules and legacy tokens in
//! Rules and reaches nothing in Actions (`R2A304`). Persisting metadata is the asynchronous
//! rewrite's job; other writes keep `R2A302`.

use swc_ecma_ast::{AssignExpr, AssignOp};
use swc_ecma_visit::VisitWith;

use super::chain::Chain;
use super::{Rewriter, Value};
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;

/// What the user families know of the rule's use of `user`.
#[derive(Default)]
pub(super) struct UserState {
    /// Offsets of `user.<key>` reads, and whether each sits in a nested function.
    pub(super) reads: Vec<(swc_atoms::Atom, usize, bool)>,
    /// `user.<key>` written at the top of the rule and read later: key, local name, offset.
    pub(super) locals: Vec<(swc_atoms::Atom, String, usize)>,
    /// `user` is used as a whole value somewhere in the rule.
    pub(super) as_value: bool,
    /// Names bound to entries of `user.identities`.
    pub(super) identities: Vec<swc_atoms::Atom>,
}

impl Rewriter<'_> {
    /// `let appMetadata = structuredClone(event.user.app_metadata);` at the top of the handler,
    /// for each metadata object the rule changes.
    pub(super) fn declare_metadata_copies(&mut self, written: &[&'static str]) {
        for key in written {
            let local = self.free_name(&camel_case(key, false));
            self.declare_at_handler_top(format!(
                "let {local} = structuredClone({}.user.{key});",
                self.event
            ));
            self.metadata.copies.push((key, local));
        }
    }

    /// The local variable that holds `user.<key>` at offset `at`, if the rule changed it.
    pub(super) fn user_local(&self, key: &str, at: usize) -> Option<String> {
        if let Some((_, local)) = self.metadata.copies.iter().find(|(k, _)| *k == key) {
            return Some(local.clone());
        }
        self.user
            .locals
            .iter()
            .rev()
            .find(|(k, _, declared)| k == key && at > *declared)
            .map(|(_, local, _)| local.clone())
    }

    /// A write whose target starts with `user.<key>`. Returns whether it was handled here.
    pub(super) fn user_field_write(
        &mut self,
        assign: &AssignExpr,
        chain: &Chain<'_>,
        value: Value,
    ) -> bool {
        let Some(key) = chain.static_key(0).map(str::to_string) else {
            return false;
        };
        let path = chain.static_prefix().join(".");
        self.unguarded_metadata_read(chain);
        if let Some(local) = self.user_local(&key, usize::MAX) {
            if self.metadata.copies.iter().any(|(k, _)| *k == key) {
                self.replace(Family::UserFields, chain.prefix_span(1), local);
                // A persisted copy reaches later Actions; `R2A306` reports the persisting.
                let persisted = self.metadata.persisted.iter().any(|k| *k == key);
                if !persisted {
                    self.report(
                    Finding::new(
                        Code::UserChangeStaysLocal,
                        self.span(assign.span),
                        format!("`user.{path}` changes a local copy: later Actions do not see it, and nothing is persisted"),
                    )
                    .with_help(format!("persist it with `{}.user.setAppMetadata` / `setUserMetadata`, or pass it on with `{}.transaction.setMetadata`", self.api, self.api)),
                );
                }
                for computed in chain.computed_keys() {
                    computed.visit_with(self);
                }
                assign.right.visit_with(self);
                return true;
            }
        }
        let top_level = self.depth == 0 && self.scopes.len() == 1 && self.flow.in_list;
        // In a block or branch of the rule body (not a loop), the local is declared at the top of
        // the handler with the profile's value, so every read sees what the Rule would have.
        let in_block = self.depth == 0 && self.flow.in_list && self.loops == 0 && !top_level;
        let Value::Statement(statement) = value else {
            return false;
        };
        if chain.links.len() != 1 || !(top_level || in_block) || assign.op != AssignOp::Assign {
            return false;
        }
        let assign_span = self.span(assign.span);
        let reads = || self.user.reads.iter().filter(|(k, ..)| *k == *key);
        // A nested function may run at any time, and code given `user` reads the object itself:
        // only reads in the rule body's own order can move to a local variable.
        if self.user.as_value || reads().any(|(_, _, nested)| *nested) {
            return false;
        }
        let read_later = reads().any(|(_, at, _)| *at >= assign_span.end);
        if let (false, Some(namespace)) = (read_later, self.options.namespace.clone()) {
            let claim = self.string_literal(&format!("{namespace}{key}"));
            let value = self.rewritten(&assign.right);
            self.report(
                Finding::new(
                    Code::ClaimRenamed,
                    assign_span,
                    format!("`user.{key}` reached legacy tokens in Rules: the Action sets the ID-token claim `{namespace}{key}` instead"),
                )
                .with_help("update every application that read this field from the token"),
            );
            self.replace(
                Family::UserFields,
                statement,
                format!("{}.idToken.setCustomClaim({claim}, {value});", self.api),
            );
            return true;
        }
        if !read_later {
            self.report(
                Finding::new(
                    Code::UserFieldLost,
                    assign_span,
                    format!("`user.{key}` is set but nothing reads it: in Rules the change reached later rules and legacy tokens, in an Action it reaches nothing"),
                )
                .with_help(format!(
                    "to keep it in the token, set a claim: `{}.idToken.setCustomClaim('https://example.com/{key}', …)`",
                    self.api
                )),
            );
            self.replace(
                Family::UserFields,
                chain.root_span,
                format!("{}.user", self.event),
            );
            assign.right.visit_with(self);
            return true;
        }
        let value = self.rewritten(&assign.right);
        let existing = self.user_local(&key, assign_span.start);
        let is_new = existing.is_none();
        let (local, declaration) = match existing {
            Some(local) => (local.clone(), format!("{local} = {value};")),
            None if in_block => {
                let local = self.free_name(&camel_case(&key, true));
                self.declare_at_handler_top(format!("let {local} = {}.user.{key};", self.event));
                (local.clone(), format!("{local} = {value};"))
            }
            None => {
                let local = self.free_name(&camel_case(&key, true));
                (local.clone(), format!("let {local} = {value};"))
            }
        };
        // A local declared at the top of the handler holds the value for every read.
        let declared = if in_block && is_new {
            0
        } else {
            assign_span.end
        };
        self.user
            .locals
            .push((key.as_str().into(), local.clone(), declared));
        self.report(
            Finding::new(
                Code::UserChangeStaysLocal,
                assign_span,
                format!("`user.{key}` is kept in the local variable `{local}`: later Actions do not see it"),
            )
            .with_help(format!("pass it on with `{}.transaction.setMetadata` if a later Action needs it", self.api)),
        );
        self.replace(Family::UserFields, statement, declaration);
        true
    }

    /// `base`, or `base2`, `base3`, … when the rule already uses the name.
    pub(super) fn free_name(&self, base: &str) -> String {
        let taken = |name: &str| {
            self.source.contains(name)
                || self.metadata.copies.iter().any(|(_, l)| l == name)
                || self.user.locals.iter().any(|(_, l, _)| l == name)
        };
        if !taken(base) {
            return base.to_string();
        }
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|name| !taken(name))
            .expect("a free name")
    }
}

/// `app_metadata` → `appMetadata`; with `user_prefix`, `department` → `userDepartment`.
fn camel_case(key: &str, user_prefix: bool) -> String {
    let mut out = String::from(if user_prefix { "user" } else { "" });
    let mut upper = user_prefix;
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "user");
    }
    out
}
