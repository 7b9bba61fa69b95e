//! `context.multifactor = {...}` becomes `api.multifactor.enable(provider, options)`.
//!
//! Rule:
//! ```js
//! context.multifactor = {
//!   provider: 'duo',
//!   ikey: configuration.DUO_IKEY,
//!   skey: configuration.DUO_SKEY,
//!   host: configuration.DUO_HOST,
//! };
//! ```
//! Action:
//! ```js
//! api.multifactor.enable('duo', {
//!   allowRememberBrowser: false,
//!   providerOptions: {
//!     ikey: event.secrets.DUO_IKEY,
//!     skey: event.secrets.DUO_SKEY,
//!     host: event.secrets.DUO_HOST,
//!   },
//! });
//! ```
//! Duo keys move under `providerOptions`. `allowRememberBrowser` is always explicit; when the
//! rule omitted it the Action uses `false` and reports `R2A701`, because the documented defaults
//! disagree. Comments between the properties are kept. Refused (`R2A702`): values that are not
//! object literals, spreads, computed or unknown keys, and a missing `provider`.

use swc_common::Spanned;
use swc_ecma_ast::{AssignExpr, AssignOp, Expr, ObjectLit, Prop, PropName, PropOrSpread};
use swc_ecma_visit::VisitWith;

use super::objects::property_comments;
use super::walk::unparen;
use super::Rewriter;
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::{indentation_at, newline_of};

const DUO_OPTIONS: &[&str] = &["ikey", "skey", "host", "username"];

/// One property of the rule's object literal, with the comments written around it.
struct Entry<'a> {
    key: String,
    value: Expr,
    /// Comments on the lines before the property.
    leading: Vec<&'a str>,
    /// Comments after the property on its own line.
    trailing: Vec<&'a str>,
}

impl<'s> Rewriter<'s> {
    pub(super) fn multifactor_write(&mut self, assign: &AssignExpr, unused: bool) {
        let object = match unparen(&assign.right) {
            Expr::Object(object) if assign.op == AssignOp::Assign && unused => object,
            Expr::Object(_) => {
                return self.refuse_multifactor(assign, "the assignment's value is used")
            }
            _ => return self.refuse_multifactor(assign, "the value is not an object literal"),
        };
        let entries = match self.multifactor_entries(object) {
            Ok(entries) => entries,
            Err(why) => return self.refuse_multifactor(assign, &why),
        };
        if !entries.iter().any(|e| e.key == "provider") {
            return self.refuse_multifactor(assign, "the object has no `provider`");
        }
        let statement_indent =
            indentation_at(self.source, self.span(assign.span).start).to_string();
        let object_span = self.span(object.span);
        let multiline = self.text(object_span).contains('\n');
        let prop_indent = match object.props.first() {
            Some(first) if multiline => {
                let at = self.span(first.span()).start;
                let indent = indentation_at(self.source, at);
                if indent.len() > statement_indent.len() {
                    indent.to_string()
                } else {
                    format!("{statement_indent}  ")
                }
            }
            _ => format!("{statement_indent}  "),
        };
        let unit = prop_indent
            .strip_prefix(statement_indent.as_str())
            .filter(|u| !u.is_empty())
            .unwrap_or("  ")
            .to_string();

        let mut provider = String::new();
        let mut remember = None;
        let mut leading: Vec<&str> = Vec::new();
        let mut options = Vec::new();
        for entry in &entries {
            let value = self.rewritten(&entry.value);
            let trailing = entry
                .trailing
                .iter()
                .map(|c| format!(" {c}"))
                .collect::<String>();
            match entry.key.as_str() {
                "provider" => {
                    provider = value;
                    leading.extend(&entry.leading);
                    leading.extend(&entry.trailing);
                }
                "allowRememberBrowser" => {
                    remember = Some((value, trailing));
                    leading.extend(&entry.leading);
                }
                key => options.push((&entry.leading, format!("{key}: {value},{trailing}"))),
            }
        }
        let (_, trailing) = property_comments(self.source, object, self.offsets);
        let (remember, remember_comment) = remember.unwrap_or_else(|| {
            self.report(
                Finding::new(
                    Code::RememberBrowserMadeExplicit,
                    self.span(assign.span),
                    "`allowRememberBrowser` was not set; the Action sets it to `false` (always prompt)",
                )
                .with_help("set it to `true` if users may skip MFA on remembered browsers"),
            );
            ("false".to_string(), String::new())
        });

        let api = self.api.clone();
        let has_comments = !leading.is_empty()
            || !trailing.is_empty()
            || !remember_comment.is_empty()
            || options
                .iter()
                .any(|(c, o)| !c.is_empty() || !o.ends_with(','));
        let replacement = if multiline || has_comments {
            let nl = newline_of(self.source);
            let mut out = format!("{api}.multifactor.enable({provider}, {{{nl}");
            for comment in &leading {
                out.push_str(&format!("{prop_indent}{comment}{nl}"));
            }
            out.push_str(&format!(
                "{prop_indent}allowRememberBrowser: {remember},{remember_comment}{nl}"
            ));
            if !options.is_empty() {
                out.push_str(&format!("{prop_indent}providerOptions: {{{nl}"));
                for (comments, option) in &options {
                    for comment in comments.iter() {
                        out.push_str(&format!("{prop_indent}{unit}{comment}{nl}"));
                    }
                    out.push_str(&format!("{prop_indent}{unit}{option}{nl}"));
                }
                out.push_str(&format!("{prop_indent}}},{nl}"));
            }
            for comment in &trailing {
                out.push_str(&format!("{prop_indent}{comment}{nl}"));
            }
            out.push_str(&format!("{statement_indent}}})"));
            out
        } else if options.is_empty() {
            format!("{api}.multifactor.enable({provider}, {{ allowRememberBrowser: {remember} }})")
        } else {
            let options: Vec<&str> = options
                .iter()
                .map(|(_, o)| o.trim_end_matches(','))
                .collect();
            format!(
                "{api}.multifactor.enable({provider}, {{ allowRememberBrowser: {remember}, providerOptions: {{ {} }} }})",
                options.join(", ")
            )
        };
        self.replace(Family::Multifactor, self.span(assign.span), replacement);
    }

    /// The object's properties with their comments, or why they cannot be converted.
    fn multifactor_entries(&self, object: &ObjectLit) -> Result<Vec<Entry<'s>>, String> {
        let (comments, _) = property_comments(self.source, object, self.offsets);
        let mut entries = Vec::new();
        for (prop, comments) in object.props.iter().zip(comments) {
            let PropOrSpread::Prop(prop) = prop else {
                return Err("the object uses a spread".into());
            };
            let (key, value) = match &**prop {
                Prop::KeyValue(kv) => {
                    let key = match &kv.key {
                        PropName::Ident(name) => name.sym.to_string(),
                        PropName::Str(s) => {
                            s.value.as_atom().map(|a| a.to_string()).unwrap_or_default()
                        }
                        _ => return Err("the object has a computed key".into()),
                    };
                    (key, (*kv.value).clone())
                }
                Prop::Shorthand(ident) => (ident.sym.to_string(), Expr::Ident(ident.clone())),
                _ => return Err("the object has a method or accessor".into()),
            };
            let known = matches!(key.as_str(), "provider" | "allowRememberBrowser")
                || DUO_OPTIONS.contains(&key.as_str());
            if !known {
                return Err(format!(
                    "`{key}` has no `api.multifactor.enable` equivalent"
                ));
            }
            entries.push(Entry {
                key,
                value,
                leading: comments.leading,
                trailing: comments.trailing,
            });
        }
        Ok(entries)
    }

    fn refuse_multifactor(&mut self, assign: &AssignExpr, why: &str) {
        self.report(
            Finding::new(
                Code::MultifactorNotConverted,
                self.span(assign.span),
                format!("`context.multifactor` is not converted: {why}"),
            )
            .with_help(format!(
                "call `{}.multifactor.enable(provider, {{ allowRememberBrowser, providerOptions }})` instead",
                self.api
            )),
        );
        assign.right.visit_with(self);
    }
}
