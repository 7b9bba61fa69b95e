//! Reads of `context.*` become reads of `event.*`, through the table in `tables/context.rs`.
//!
//! Rule:
//! ```js
//! if (context.clientID === 'abc' && context.request.geoip.country_code === 'FR') { … }
//! ```
//! Action:
//! ```js
//! if (event.client.client_id === 'abc' && event.request.geoip.countryCode === 'FR') { … }
//! ```
//! Refused: members with no Actions equivalent (`R2A201`: `connectionOptions`, `sso.with_*`,
//! `sessionID`, …), unknown members (`R2A202`), `context` used as a whole value (`R2A203`), and
//! writes other than claims, `multifactor` and `primaryUser` (`R2A204`). Objects whose keys
//! change shape (`request.geoip`, `stats`) are converted with `R2A205` when read whole.

use swc_ecma_ast::{AssignExpr, Str, UnaryExpr, UpdateExpr};
use swc_ecma_visit::VisitWith;

use super::chain::{self, Chain};
use super::{Param, Rewriter, Value};
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::tables::context::{
    longest_match, Children, ContextRead, PROTOCOLS_ABSENT_IN_ACTIONS, TOKEN_MEMBERS,
};

/// What the enclosing conditions say about the reads below them.
#[derive(Default)]
pub(super) struct Guards {
    /// Rewritten texts the left side of an enclosing `&&`, or the test of an enclosing `if`,
    /// found set: they are set there.
    pub(super) set: Vec<String>,
    /// Visiting the test of an `if` that only skips the rest of the rule.
    pub(super) in_skip_test: bool,
}

impl Rewriter<'_> {
    pub(super) fn context_read(&mut self, chain: &Chain<'_>) {
        let keys = chain.static_prefix();
        let Some(first) = keys.first() else {
            self.report_at(
                Code::ContextAsValue,
                chain.span(),
                "`context` is read with a computed key",
            );
            return;
        };
        // Hooks had no tokens on `context`.
        let tokens = !self.out.trigger.is_hook();
        if tokens && keys.starts_with(&["accessToken", "scope"]) {
            let span = chain.prefix_span(2);
            let replacement = match &self.access_scopes.set {
                Some(granted) => format!("[...{granted}]"),
                None => format!("{}.transaction?.requested_scopes", self.event),
            };
            self.report(
                Finding::new(
                    Code::ShapeChanges,
                    span,
                    format!("`context.accessToken.scope` becomes `{replacement}`: the scopes the application requested, as an array, without changes earlier rules made"),
                )
                .with_help("check the code works on an array"),
            );
            return self.replace(Family::ContextReads, span, replacement);
        }
        if tokens && TOKEN_MEMBERS.contains(first) {
            // Read back after the rule set it: the value it set.
            let set = match chain.links.get(1) {
                Some(link) if chain.links.len() == 2 => self.claim_set_before(first, &link.key),
                _ => None,
            };
            if let Some(value) = set {
                return self.replace(Family::ContextReads, chain.span(), value);
            }
            self.report(
                Finding::new(
                    Code::ClaimReadBack,
                    chain.span(),
                    format!("`context.{first}` is read back; Actions cannot read claims"),
                )
                .with_help("pass the value with `api.transaction.setMetadata` instead"),
            );
            return;
        }
        let Some((depth, read)) = longest_match(self.out.trigger.context_reads, &keys) else {
            self.report_at(
                Code::ContextMemberUnknown,
                chain.prefix_span(1),
                format!("`context.{first}` is not a known Rules context member"),
            );
            return;
        };
        let path = keys[..depth].join(".");
        match read {
            ContextRead::Secrets => self.hook_secret_read(chain, depth),
            ContextRead::Unavailable(code) => self.report_at(
                *code,
                chain.prefix_span(depth),
                format!("`context.{path}` has no Actions equivalent"),
            ),
            ContextRead::Unsupported => self.report_at(
                Code::ContextMemberUnsupported,
                chain.prefix_span(depth),
                format!("`context.{path}` has no Actions equivalent"),
            ),
            ContextRead::Event {
                children: Children::Closed,
                ..
            } if depth < keys.len() => self.report_at(
                Code::ContextMemberUnknown,
                chain.prefix_span(depth + 1),
                format!(
                    "`context.{path}.{}` is not a known Rules context member",
                    keys[depth]
                ),
            ),
            ContextRead::Event {
                target, finding, ..
            } => {
                let optional = chain.links[..depth].iter().any(|l| l.optional);
                let target = match optional {
                    true if target
                        .chars()
                        .all(|c| c.is_alphanumeric() || "_.?".contains(c)) =>
                    {
                        target.replace("?.", ".").replace('.', "?.")
                    }
                    _ => target.to_string(),
                };
                let mut replacement = format!("{}.{target}", self.event);
                // Under `a && …`, `a?.` is `a.`.
                for guard in &self.guards.set {
                    if let Some(rest) = replacement.strip_prefix(&format!("{guard}?.")) {
                        replacement = format!("{guard}.{rest}");
                    }
                }
                let span = chain.prefix_span(depth);
                let tested = super::trivia::is_presence_test(self.source, span);
                // Read whole, or with a computed key (`context.request.geoip[field]`).
                let whole = depth == keys.len() && !tested;
                let shape_changes = *finding == Some(Code::ShapeChanges);
                if let Some(view) = (whole && shape_changes)
                    .then(|| self.rules_view_if_closed(&path))
                    .flatten()
                {
                    return self.replace(Family::ContextReads, span, view);
                }
                if path == "authentication.methods" && self.source.contains("timestamp") {
                    self.report(
                        Finding::new(
                            Code::ShapeChanges,
                            span,
                            "`timestamp` of an authentication method is an ISO-8601 string in Actions, a number in Rules",
                        )
                        .with_help("compare with `new Date(method.timestamp).valueOf()`"),
                    );
                }
                // Only whether it is set is read: that is the same in both.
                let announced =
                    finding.filter(|_| !(shape_changes && tested && depth == keys.len()));
                if let Some(code) = announced {
                    let caveat = match code {
                        Code::ShapeChanges => "whose keys or type differ from the Rules value",
                        _ => "an equivalent Auth0 does not document",
                    };
                    self.report_at(
                        code,
                        span,
                        format!("`context.{path}` becomes `{replacement}`, {caveat}"),
                    );
                }
                self.replace(Family::ContextReads, span, replacement);
            }
        }
    }

    /// `context.<member> = value`: claims, MFA and account linking have rewrites; the rest not.
    pub(super) fn context_write(&mut self, assign: &AssignExpr, chain: &Chain<'_>, value: Value) {
        let unused = value != Value::Used;
        let keys = chain.static_prefix();
        match (keys.first().copied(), chain.links.len()) {
            (Some(token), _) if TOKEN_MEMBERS.contains(&token) => {
                return self.claim_write(assign, chain, value)
            }
            (Some("multifactor"), 1) => return self.multifactor_write(assign, unused),
            (Some("primaryUser"), 1) => return self.primary_user_write(assign, unused),
            (Some("redirect"), 1) => return self.redirect_write(assign, chain, value),
            (Some("samlConfiguration"), _) => return self.saml_write(assign, chain, value),
            _ => {}
        }
        self.context_write_not_converted(assign, chain);
    }

    pub(super) fn context_write_not_converted(&mut self, assign: &AssignExpr, chain: &Chain<'_>) {
        let path = chain.static_prefix().join(".");
        self.report_at(
            Code::ContextWriteNotConverted,
            self.span(assign.span),
            format!("the write to `context.{path}` is not converted"),
        );
        for key in chain.computed_keys() {
            key.visit_with(self);
        }
        assign.right.visit_with(self);
    }

    /// `'redirect-callback'` and `'delegation'` were `context.protocol` values that Actions never
    /// report: a comparison with them is always false after the migration.
    pub(super) fn string_literal_read(&mut self, literal: &Str) {
        let Some(value) = literal.value.as_atom() else {
            return;
        };
        let span = self.span(literal.span);
        // `if (context.protocol === 'redirect-callback' || …) return callback(null, user,
        // context);` skips a resumed login: Actions do not run the handler again on one.
        let compared_equal = {
            let before = self.source[..span.start].trim_end();
            before.ends_with("==") && !before.ends_with("!=") && !before.ends_with("!==")
        };
        if self.guards.in_skip_test && compared_equal {
            return;
        }
        // After the resume branch that moved out, which ended the Rule on resume, the handler's
        // own statements run only where the Rule's protocol was not `redirect-callback` either.
        // A function may have been called before the branch, so its comparisons stay findings.
        if value == "redirect-callback" && self.resume.continue_body.is_some() && self.depth == 0 {
            return;
        }
        if PROTOCOLS_ABSENT_IN_ACTIONS.contains(&value.as_str()) {
            self.report(
                Finding::new(
                    Code::ProtocolValueAbsent,
                    self.span(literal.span),
                    format!("`event.transaction.protocol` is never `{value}`: this comparison always has the same result in the Action"),
                )
                .with_help("move the resumed-login code into `exports.onContinuePostLogin`"),
            );
        }
    }

    pub(super) fn delete(&mut self, unary: &UnaryExpr) {
        let target = chain::flatten(&unary.arg, self.offsets);
        let Some(chain) = target.filter(|c| self.param(c.root).is_some()) else {
            return unary.visit_children_with(self);
        };
        let span = self.span(unary.span);
        let first = chain.static_key(0).unwrap_or_default().to_string();
        match self.param(chain.root) {
            Some(Param::Context) if TOKEN_MEMBERS.contains(&first.as_str()) => self.report(
                Finding::new(
                    Code::ClaimDelete,
                    span,
                    "claims cannot be deleted from an Action",
                )
                .with_help("stop setting the claim in the Action that adds it"),
            ),
            Some(Param::User) => self.report_at(
                Code::UserMutation,
                span,
                "`delete` on the user object: `event.user` is read-only",
            ),
            _ => self.report_at(
                Code::ContextWriteNotConverted,
                span,
                "`delete` on `context` is not converted",
            ),
        }
        if self.param(chain.root) == Some(Param::User) {
            self.replace(
                Family::ContextReads,
                chain.root_span,
                format!("{}.user", self.event),
            );
        }
        for key in chain.computed_keys() {
            key.visit_with(self);
        }
    }

    pub(super) fn update(&mut self, update: &UpdateExpr) {
        let target = chain::flatten(&update.arg, self.offsets);
        match target.as_ref().and_then(|c| self.param(c.root)) {
            Some(Param::Context) => self.report_at(
                Code::ContextWriteNotConverted,
                self.span(update.span),
                "updating a `context` member in place is not converted",
            ),
            Some(Param::User) => self.report_at(
                Code::UserMutation,
                self.span(update.span),
                "updating a `user` property in place: `event.user` is read-only",
            ),
            _ => {}
        }
        update.visit_children_with(self);
    }
}
