//! SAML: `context.samlConfiguration` settings become `api.samlResponse` setters, and attribute
//! mappings become `setAttribute` calls with the value the mapped profile path holds.
//!
//! Rule:
//! ```js
//! context.samlConfiguration.audience = 'urn:partner';
//! context.samlConfiguration.mappings = {
//!   'http://schemas.example.com/claims/food': 'user_metadata.favorite_food',
//! };
//! ```
//! Action:
//! ```js
//! api.samlResponse.setAudience('urn:partner');
//! api.samlResponse.setAttribute('http://schemas.example.com/claims/food', event.user.user_metadata?.favorite_food);
//! ```
//! In Rules a mapping named a profile path; Actions take the value, so the path is resolved
//! against `event.user` (a missing value removes the attribute in both). Refused: `logout`,
//! `binding`, `authnContextDeclRef` and `wctx`, which Actions cannot set, mappings whose paths
//! are not string literals, and writes whose value is used (`R2A204`).

use swc_ecma_ast::{AssignExpr, AssignOp, Expr, Lit, Prop, PropName, PropOrSpread};

use super::chain::{Chain, Key};
use super::walk::unparen;
use super::{Rewriter, Value};
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::{indentation_at, newline_of};
use crate::tables::saml::{setter, SAML_UNSUPPORTED};

/// The SAML attributes mapped on the path being walked.
#[derive(Default)]
pub(super) struct Saml {
    /// Attribute names the rule has mapped so far, as source text.
    pub(super) attributes: Vec<String>,
}

impl Rewriter<'_> {
    /// `context.samlConfiguration.<setting> = …` and the attribute mappings.
    pub(super) fn saml_write(&mut self, assign: &AssignExpr, chain: &Chain<'_>, value: Value) {
        let (Value::Statement(statement), AssignOp::Assign) = (value, assign.op) else {
            return self.context_write_not_converted(assign, chain);
        };
        let keys = chain.static_prefix();
        let api = self.api.clone();
        let calls = match keys.as_slice() {
            ["samlConfiguration", "mappings"] if chain.links.len() == 2 => {
                let Some((names, mut calls)) = self.mapping_calls(&assign.right) else {
                    return self.context_write_not_converted(assign, chain);
                };
                // Replacing the mappings dropped the ones this rule had set before.
                let dropped: Vec<String> = self
                    .saml
                    .attributes
                    .iter()
                    .filter(|name| !names.contains(name))
                    .cloned()
                    .collect();
                for name in dropped.iter().rev() {
                    calls.insert(
                        0,
                        format!("{api}.samlResponse.setAttribute({name}, undefined);"),
                    );
                }
                self.saml.attributes = names;
                self.report(
                    Finding::new(
                        Code::SamlMappingsReplaced,
                        self.span(assign.span),
                        "the Rule replaced every SAML mapping; the Action sets these attributes and keeps those that earlier Actions set",
                    )
                    .with_help("check the assertion when earlier rules also mapped attributes"),
                );
                calls
            }
            ["samlConfiguration", "mappings", ..] if chain.links.len() == 3 => {
                let name = match (&chain.links[2].key, chain.links[2].key_span) {
                    (Key::Static(_), Some(literal)) => self.text(literal).to_string(),
                    (Key::Static(name), None) => self.string_literal(name),
                    (Key::Computed(_), _) => {
                        return self.context_write_not_converted(assign, chain)
                    }
                };
                let Some(value) = self.profile_path(&assign.right) else {
                    return self.context_write_not_converted(assign, chain);
                };
                if !self.saml.attributes.contains(&name) {
                    self.saml.attributes.push(name.clone());
                }
                vec![format!("{api}.samlResponse.setAttribute({name}, {value});")]
            }
            ["samlConfiguration", setting] if chain.links.len() == 2 => {
                if SAML_UNSUPPORTED.contains(setting) {
                    self.report(
                        Finding::new(
                            Code::ContextWriteNotConverted,
                            self.span(assign.span),
                            format!(
                                "`context.samlConfiguration.{setting}` has no Actions equivalent"
                            ),
                        )
                        .with_help("configure it on the SAML add-on of the application instead"),
                    );
                    return;
                }
                let Some(method) = setter(setting) else {
                    return self.context_write_not_converted(assign, chain);
                };
                let value = self.rewritten(&assign.right);
                vec![format!("{api}.samlResponse.{method}({value});")]
            }
            _ => return self.context_write_not_converted(assign, chain),
        };
        let indent = indentation_at(self.source, statement.start).to_string();
        let nl = newline_of(self.source);
        let replacement = if calls.len() > 1 && !self.flow.in_list {
            let inner = format!("{indent}  ");
            format!(
                "{{{nl}{inner}{}{nl}{indent}}}",
                calls.join(&format!("{nl}{inner}"))
            )
        } else {
            calls.join(&format!("{nl}{indent}"))
        };
        self.replace(Family::Saml, statement, replacement);
    }

    /// One `setAttribute` per mapping of an object literal of string paths, with the names.
    fn mapping_calls(&mut self, mappings: &Expr) -> Option<(Vec<String>, Vec<String>)> {
        let Expr::Object(object) = unparen(mappings) else {
            return None;
        };
        let mut calls = Vec::new();
        let mut names = Vec::new();
        for prop in &object.props {
            let PropOrSpread::Prop(prop) = prop else {
                return None;
            };
            let Prop::KeyValue(kv) = &**prop else {
                return None;
            };
            let name = match &kv.key {
                PropName::Ident(ident) => self.string_literal(&ident.sym),
                PropName::Str(literal) => self.text(self.span(literal.span)).to_string(),
                _ => return None,
            };
            let value = self.profile_path(&kv.value)?;
            calls.push(format!(
                "{}.samlResponse.setAttribute({name}, {value});",
                self.api
            ));
            names.push(name);
        }
        Some((names, calls))
    }

    /// `'user_metadata.food'` → `event.user.user_metadata?.food`; a field the rule set before
    /// (`user.awsRole = …`) maps from the local that holds it.
    fn profile_path(&self, path: &Expr) -> Option<String> {
        let Expr::Lit(Lit::Str(literal)) = unparen(path) else {
            return None;
        };
        let path = literal.value.as_atom()?.to_string();
        let at = self.span(literal.span).start;
        let mut segments = path.split('.').peekable();
        let first = segments.peek().copied().unwrap_or_default();
        let (mut out, skip) = match self.user_local(first, at) {
            Some(local) => (local, 1),
            None => (format!("{}.user", self.event), 0),
        };
        for (index, segment) in path.split('.').enumerate().skip(skip) {
            let optional = if index == 0 { "" } else { "?" };
            let plain = super::trivia::is_identifier_name(segment);
            let key = self.string_literal(segment);
            match (plain, index) {
                (true, _) => out.push_str(&format!("{optional}.{segment}")),
                (false, 0) => out.push_str(&format!("[{key}]")),
                (false, _) => out.push_str(&format!("?.[{key}]")),
            }
        }
        Some(out)
    }
}
