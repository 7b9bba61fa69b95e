//! Claim writes become `setCustomClaim` calls; claim names Auth0 would drop are flagged.
//!
//! Rule:
//! ```js
//! const namespace = 'https://example.com/';
//! context.idToken[namespace + 'roles'] = roles;
//! context.accessToken = { ...context.accessToken, favorite_color: user.user_metadata.color };
//! ```
//! Action:
//! ```js
//! const namespace = 'https://example.com/';
//! api.idToken.setCustomClaim(namespace + 'roles', roles);
//! api.accessToken.setCustomClaim('favorite_color', event.user.user_metadata.color);
//! ```
//! Whole objects, spreads of the same token and `Object.assign(context.idToken, {...})` become
//! one call per key (`R2A409` when the Rule replaced the object). Names are resolved from
//! literals and constants, and checked: restricted names (`R2A401`), reserved namespaces
//! (`R2A402`), non-namespaced names (`R2A403`, or `R2A408` under `--claims-policy relaxed`),
//! literal values over 100 KB (`R2A413`); `--namespace` renames (`R2A412`). Refused: reading
//! claims back (`R2A404`), `delete` (`R2A405`), and compound, nested or value-used writes
//! (`R2A406`). Scopes are in `scopes.rs`, aliases in `claim_aliases.rs`.

use swc_common::Spanned;
use swc_ecma_ast::{
    AssignExpr, AssignOp, CallExpr, Callee, Expr, MemberProp, ObjectLit, Prop, PropName,
    PropOrSpread,
};
use swc_ecma_visit::VisitWith;

use super::chain::{self, Chain, Key};
use super::claim_names::ClaimKey;
use super::objects::property_comments;
use super::walk::unparen;
use super::{Rewriter, Value};
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::{indentation_at, newline_of, Span};
use crate::tables::context::TOKEN_MEMBERS;

/// What the claims family knows of the rule's tokens and claim names.
#[derive(Default)]
pub(super) struct Tokens {
    /// String constants declared once in the rule body, for checking claim names.
    pub(super) constants: std::collections::HashMap<swc_atoms::Atom, String>,
    /// Constants initialised from `configuration.X`: claim names built from them are unknown.
    pub(super) secret_constants: std::collections::HashMap<swc_atoms::Atom, String>,
    /// Bytes of literal claim values on the ID token and the access token.
    pub(super) bytes: [usize; 2],
    /// Local names for `context.idToken` / `context.accessToken`.
    pub(super) aliases: std::collections::HashMap<swc_atoms::Atom, &'static str>,
    /// Claims set in the rule body's own order to values that cannot change: token, key
    /// (source text, or the constant name quoted), value.
    pub(super) set_in_order: Vec<(String, String, String)>,
}

/// One property of an object of claims.
enum ObjectClaim<'e> {
    KeyValue(&'e PropName, &'e Expr),
    Shorthand(&'e swc_ecma_ast::Ident),
}

impl Rewriter<'_> {
    /// `context.<token>…` on the left of an assignment.
    pub(super) fn claim_write(&mut self, assign: &AssignExpr, chain: &Chain<'_>, value: Value) {
        let token = chain.static_key(0).unwrap_or_default().to_string();
        self.write_claims(assign, chain, value, &token, 1);
    }

    /// An assignment whose target starts with a claims object: the key is link `offset` of
    /// `chain` (1 after `context.idToken`, 0 after an alias of it).
    pub(super) fn write_claims(
        &mut self,
        assign: &AssignExpr,
        chain: &Chain<'_>,
        value: Value,
        token: &str,
        offset: usize,
    ) {
        if chain.links.len() == offset {
            // The whole token object is replaced: no remembered claim of it holds any more.
            self.tokens.set_in_order.retain(|(t, ..)| t != token);
        }
        let refusal = match chain.links.len() - offset {
            0 => match (value, unparen(&assign.right)) {
                (Value::Statement(statement), Expr::Ident(alias))
                    if self.token_alias(alias) == Some(token) =>
                {
                    // `context.idToken = claims` after writing through `claims`: already applied.
                    if self.flow.in_list {
                        return self.delete_statement(
                            Family::Claims,
                            statement,
                            self.flow.last_in_rule_body,
                        );
                    }
                    return self.replace(Family::Claims, statement, "{}");
                }
                (Value::Statement(statement), Expr::Object(object))
                    if assign.op == AssignOp::Assign =>
                {
                    match self.set_claims_from_object(token, object, statement, true) {
                        Ok(()) => return,
                        Err(why) => Some(why),
                    }
                }
                _ => Some(format!(
                    "`context.{token}` is replaced with something other than an object literal"
                )),
            },
            1 if token == "accessToken" && chain.static_key(offset) == Some("scope") => {
                return self.scope_write(assign, chain, value);
            }
            1 if assign.op != AssignOp::Assign => Some(format!(
                "compound assignment `{}` to a claim",
                assign.op.as_str()
            )),
            1 if value == Value::Used => {
                Some("the value of this claim assignment is used".to_string())
            }
            1 => None,
            _ => Some(format!(
                "a nested property of a `context.{token}` claim is written"
            )),
        };
        if let Some(why) = refusal {
            self.refuse_claim_write(self.span(assign.span), token, &why);
            for key in chain.computed_keys() {
                key.visit_with(self);
            }
            return assign.right.visit_with(self);
        }

        let link = &chain.links[offset];
        let key = match (&link.key, link.key_span) {
            (Key::Static(name), Some(literal)) => ClaimKey {
                text: self.text(literal).to_string(),
                name: Some(name.to_string()),
                span: literal,
                computed: None,
            },
            (Key::Static(name), None) => ClaimKey {
                text: self.string_literal(name),
                name: Some(name.to_string()),
                span: chain.prefix_span(offset + 1),
                computed: None,
            },
            (Key::Computed(expr), span) => ClaimKey {
                text: self.rewritten(expr),
                name: self.constant_string(expr),
                span: span.unwrap_or(chain.prefix_span(offset + 1)),
                computed: Some(expr),
            },
        };
        let mut key = key;
        self.apply_namespace(&mut key);
        self.count_claim_bytes(token, &assign.right);
        self.whole_metadata_claim(&assign.right);
        let value = self.rewritten(&assign.right);
        let span = self.span(assign.span);
        self.secret_leaves(&assign.right, span, "a token claim");
        self.remember_claim(token, &link.key, &value);
        self.replace(
            Family::Claims,
            span,
            format!("{}.{token}.setCustomClaim({}, {value})", self.api, key.text),
        );
        self.record_claim(token, &key);
        self.check_claim_name(&key);
    }

    /// `Object.assign(context.idToken, {...})` as a statement.
    pub(super) fn claims_object_assign(&mut self, call: &CallExpr, statement: Span) -> bool {
        let Callee::Expr(callee) = &call.callee else {
            return false;
        };
        let is_object_assign = matches!(&**callee, Expr::Member(m)
            if matches!(&*m.obj, Expr::Ident(o) if self.is_global(o, "Object"))
                && matches!(&m.prop, MemberProp::Ident(p) if &*p.sym == "assign"));
        let Some(token) = call.args.first().and_then(|a| self.token_object(&a.expr)) else {
            return false;
        };
        if !is_object_assign {
            return false;
        }
        // It may set any claim of the token: the remembered ones no longer hold.
        self.tokens.set_in_order.retain(|(t, ..)| t != token);
        let sources: Vec<&ObjectLit> = call.args[1..]
            .iter()
            .filter_map(|a| match (a.spread, unparen(&a.expr)) {
                (None, Expr::Object(object)) => Some(object),
                _ => None,
            })
            .collect();
        let result = if sources.len() + 1 == call.args.len() && sources.len() == 1 {
            self.set_claims_from_object(token, sources[0], statement, false)
        } else {
            Err("`Object.assign` takes something other than one object literal".to_string())
        };
        if let Err(why) = result {
            self.refuse_claim_write(statement, token, &why);
            call.args[1..].iter().for_each(|a| a.visit_with(self));
        }
        true
    }

    /// `idToken` or `accessToken` when `expr` is exactly `context.idToken` / `context.accessToken`.
    pub(super) fn token_object(&self, expr: &Expr) -> Option<&'static str> {
        if let Expr::Ident(alias) = unparen(expr) {
            return self.token_alias(alias);
        }
        let chain = super::chain::flatten(unparen(expr), self.offsets)?;
        if self.param(chain.root) != Some(super::Param::Context) || chain.links.len() != 1 {
            return None;
        }
        let key = chain.static_key(0)?;
        TOKEN_MEMBERS.iter().copied().find(|t| *t == key)
    }

    /// A claim set in the rule body's own order to a value that cannot change (a literal, or a
    /// read of `event`): a later read of the claim is that value.
    fn remember_claim(&mut self, token: &str, key: &Key<'_>, value: &str) {
        let key = self.claim_key_text(key);
        self.tokens
            .set_in_order
            .retain(|(t, k, _)| !(t == token && *k == key));
        let in_order = self.depth == 0 && self.scopes.len() == 1 && self.flow.in_list;
        let event = format!("{}.", self.event);
        let literal = value.starts_with(['\'', '"']) && !value.contains('+')
            || value.parse::<f64>().is_ok()
            || ["true", "false", "null"].contains(&value);
        let stable = literal || (value.starts_with(&event) && !value.contains(['(', ' ']));
        if in_order && stable {
            self.tokens
                .set_in_order
                .push((token.to_string(), key, value.to_string()));
        }
    }

    /// The value a claim was last set to in the rule body's order, for `context.idToken[key]`.
    pub(super) fn claim_set_before(&self, token: &str, key: &Key<'_>) -> Option<String> {
        let key = self.claim_key_text(key);
        self.tokens
            .set_in_order
            .iter()
            .rev()
            .find(|(t, k, _)| t == token && *k == key)
            .map(|(_, _, value)| value.clone())
    }

    fn claim_key_text(&self, key: &Key<'_>) -> String {
        match key {
            Key::Static(name) => format!("'{name}'"),
            Key::Computed(expr) => match self.constant_string(expr) {
                Some(name) => format!("'{name}'"),
                None => self.text(self.span(expr.span())).to_string(),
            },
        }
    }

    /// A claim whose value is `user.app_metadata` itself: Rules left it out of the token for a
    /// user without metadata, Actions set `{}`.
    fn whole_metadata_claim(&mut self, value: &Expr) {
        let Some(chain) = chain::flatten(unparen(value), self.offsets) else {
            return;
        };
        let kind = chain.static_key(0).filter(|_| chain.links.len() == 1);
        if let (Some(kind @ ("app_metadata" | "user_metadata")), Some(super::Param::User)) =
            (kind, self.param(chain.root))
        {
            self.report(
                Finding::new(
                    Code::ShapeChanges,
                    chain.span(),
                    format!("for a user without {kind} the claim was left out in Rules; in Actions it is `{{}}`"),
                )
                .with_help(format!("set the claim only when the object has keys: `if (Object.keys(event.user.{kind}).length > 0)`")),
            );
        }
    }

    /// Replaces `statement` with one `setCustomClaim` per property of `object`. A leading
    /// `...context.<token>` keeps the claims already set, which Actions always do.
    fn set_claims_from_object(
        &mut self,
        token: &str,
        object: &ObjectLit,
        statement: Span,
        replaces_object: bool,
    ) -> Result<(), String> {
        let mut keeps_existing = false;
        let mut entries = Vec::new();
        for (index, prop) in object.props.iter().enumerate() {
            match prop {
                PropOrSpread::Spread(spread)
                    if index == 0 && self.token_object(&spread.expr) == Some(token_name(token)) =>
                {
                    keeps_existing = true;
                }
                PropOrSpread::Spread(_) => return Err("the object spreads another object".into()),
                PropOrSpread::Prop(prop) => match &**prop {
                    Prop::KeyValue(kv) => {
                        entries.push((index, ObjectClaim::KeyValue(&kv.key, &kv.value)))
                    }
                    Prop::Shorthand(ident) => entries.push((index, ObjectClaim::Shorthand(ident))),
                    _ => return Err("the object has a method or accessor".into()),
                },
            }
        }
        if entries.is_empty() {
            return Err(format!(
                "`context.{token}` is replaced with an empty object"
            ));
        }
        let (comments, closing) = property_comments(self.source, object, self.offsets);
        let indent = indentation_at(self.source, statement.start).to_string();
        let nl = newline_of(self.source);
        let mut lines: Vec<String> = Vec::new();
        let mut keys = Vec::new();
        for (index, entry) in entries {
            let (mut key, value) = match entry {
                ObjectClaim::Shorthand(ident) => {
                    let span = self.span(ident.span);
                    let key = ClaimKey {
                        text: self.string_literal(&ident.sym),
                        name: Some(ident.sym.to_string()),
                        span,
                        computed: None,
                    };
                    (key, self.rewritten(&Expr::Ident(ident.clone())))
                }
                ObjectClaim::KeyValue(name, value) => {
                    self.count_claim_bytes(token, value);
                    (self.claim_key(name), self.rewritten(value))
                }
            };
            self.apply_namespace(&mut key);
            lines.extend(comments[index].leading.iter().map(|c| c.to_string()));
            let trailing: String = comments[index]
                .trailing
                .iter()
                .map(|c| format!(" {c}"))
                .collect();
            lines.push(format!(
                "{}.{token}.setCustomClaim({}, {value});{trailing}",
                self.api, key.text
            ));
            keys.push(key);
        }
        lines.extend(closing.iter().map(|c| c.to_string()));
        let replacement = if self.flow.in_list || lines.len() == 1 {
            lines.join(&format!("{nl}{indent}"))
        } else {
            // The sole body of an `if` or a loop: the calls must stay inside it.
            let inner = format!("{indent}  ");
            format!(
                "{{{nl}{inner}{}{nl}{indent}}}",
                lines.join(&format!("{nl}{inner}"))
            )
        };
        self.replace(Family::Claims, statement, replacement);
        if replaces_object && !keeps_existing {
            self.report(Finding::new(
                Code::ClaimsObjectReplaced,
                statement,
                format!("`context.{token}` was replaced as a whole; the Action sets each claim and keeps the claims and scopes set earlier"),
            ));
        }
        for key in &keys {
            self.record_claim(token, key);
            self.check_claim_name(key);
        }
        Ok(())
    }

    fn claim_key<'e>(&mut self, name: &'e PropName) -> ClaimKey<'e> {
        let span = self.span(name.span());
        match name {
            PropName::Ident(ident) => ClaimKey {
                text: self.string_literal(&ident.sym),
                name: Some(ident.sym.to_string()),
                span,
                computed: None,
            },
            PropName::Str(literal) => ClaimKey {
                text: self.text(span).to_string(),
                name: literal.value.as_atom().map(|a| a.to_string()),
                span,
                computed: None,
            },
            PropName::Computed(computed) => ClaimKey {
                text: self.rewritten(&computed.expr),
                name: self.constant_string(&computed.expr),
                span: self.span(computed.expr.span()),
                computed: Some(&computed.expr),
            },
            PropName::Num(_) | PropName::BigInt(_) => ClaimKey {
                text: self.string_literal(self.text(span)),
                name: Some(self.text(span).to_string()),
                span,
                computed: None,
            },
        }
    }

    fn refuse_claim_write(&mut self, span: Span, token: &str, why: &str) {
        self.report(
            Finding::new(
                Code::ClaimWriteNotConverted,
                span,
                format!("not converted: {why}"),
            )
            .with_help(format!(
                "write one `{}.{token}.setCustomClaim(name, value);` statement per claim",
                self.api
            )),
        );
    }
}

/// The `'static` spelling of a token member name.
fn token_name(token: &str) -> &'static str {
    TOKEN_MEMBERS
        .iter()
        .copied()
        .find(|t| *t == token)
        .unwrap_or("idToken")
}
