//! Credentials written into the rule move to secrets of the Action, and secrets that leave
//! the Action (in a token claim, a deny message or a log line) are reported.
//!
//! Rule:
//! ```js
//! const apiKey = 'k3Jd92LmQp0sXv7TzR4wYb8N';
//! ```
//! Action:
//! ```js
//! const apiKey = event.secrets.API_KEY;
//! ```
//! A string is a credential when it has the shape of one (`ghp_…`, `sk_live_…`, `AKIA…`, a PEM
//! private key), or when it is long, has no spaces, mixes letters and digits and is given to a
//! name like `token`, `secret`, `apiKey` or `password`. The secret is declared with a
//! placeholder value, as every secret is (`R2A914`): its value goes into the deploy tool's
//! keyword mappings, and the credential, which was in git, should be rotated.

use swc_ecma_ast::{Expr, Lit, Pat, Str, VarDeclarator};
use swc_ecma_visit::VisitWith;

use super::walk::unparen;
use super::Rewriter;
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::tables::credentials::{shaped_credential, NAMES_OF_SECRETS};

impl Rewriter<'_> {
    /// `const apiKey = '…'` with a credential as the value. Returns whether it was one.
    pub(super) fn credential_declaration(&mut self, declarator: &VarDeclarator) -> bool {
        let (Pat::Ident(name), Some(Expr::Lit(Lit::Str(literal)))) =
            (&declarator.name, declarator.init.as_deref().map(unparen))
        else {
            return false;
        };
        let Some(value) = literal.value.as_atom() else {
            return false;
        };
        let named_like_a_secret = {
            let lower = name.id.sym.to_ascii_lowercase().replace(['_', '-'], "");
            NAMES_OF_SECRETS.iter().any(|n| lower.contains(n))
        };
        let secret = match shaped_credential(value) {
            Some(_) => secret_name(&name.id.sym),
            None if named_like_a_secret && looks_random(value) => secret_name(&name.id.sym),
            None => return false,
        };
        self.move_to_secret(literal, &secret);
        true
    }

    /// A string with the shape of a credential anywhere in the rule. Returns whether it was one.
    pub(super) fn credential_literal(&mut self, literal: &Str) -> bool {
        let Some(kind) = literal.value.as_atom().and_then(|v| shaped_credential(v)) else {
            return false;
        };
        let secret = kind.to_string();
        self.move_to_secret(literal, &secret);
        true
    }

    fn move_to_secret(&mut self, literal: &Str, secret: &str) {
        let span = self.span(literal.span);
        self.out.secrets.insert(secret.to_string());
        let replacement = format!("{}.secrets.{secret}", self.event);
        self.report(
            Finding::new(
                Code::CredentialInCode,
                span,
                format!("a credential is written into the rule: the Action reads it from the secret `{secret}`"),
            )
            .with_help(format!("give `{secret}` its value in the deploy tool's keyword mappings, and rotate the credential: it was committed with the rule"))
            .with_fix(vec![crate::edit::Edit::replace(span, replacement.clone())]),
        );
        self.replace(Family::Credentials, span, replacement);
    }

    /// A claim value or a deny message that is a secret, or is built from one by `+` or a
    /// template (a token signed with it is not).
    pub(super) fn secret_leaves(&mut self, value: &Expr, span: crate::span::Span, into: &str) {
        if self.carries_secret(value) {
            self.report(
                Finding::new(
                    Code::SecretExposed,
                    span,
                    format!("a secret goes into {into}"),
                )
                .with_help(
                    "secrets must not leave the Action: remove it, or send a value derived from it",
                ),
            );
        }
    }
}

impl Rewriter<'_> {
    /// `console.log(…, configuration.X)`: the secret reaches the tenant's logs.
    pub(super) fn secret_logged(&mut self, call: &swc_ecma_ast::CallExpr) {
        let swc_ecma_ast::Callee::Expr(callee) = &call.callee else {
            return;
        };
        let Expr::Member(member) = unparen(callee) else {
            return;
        };
        let on_console =
            matches!(unparen(&member.obj), Expr::Ident(c) if self.is_global(c, "console"));
        if !on_console {
            return;
        }
        let span = self.span(call.span);
        let mut reads = SecretReads::default();
        call.args.iter().for_each(|a| a.visit_with(&mut reads));
        let logs_a_secret = reads
            .roots
            .iter()
            .any(|root| self.is_global(root, "configuration"));
        if logs_a_secret {
            self.report(
                Finding::new(Code::SecretExposed, span, "a secret goes into a log line").with_help(
                    "secrets must not leave the Action: log that it is set, not its value",
                ),
            );
        }
    }
}

impl Rewriter<'_> {
    fn carries_secret(&self, value: &Expr) -> bool {
        match unparen(value) {
            Expr::Member(member) => {
                let mut object = &*member.obj;
                while let Expr::Member(inner) = object {
                    object = &inner.obj;
                }
                matches!(object, Expr::Ident(root) if self.is_global(root, "configuration"))
            }
            Expr::Bin(bin) if bin.op == swc_ecma_ast::BinaryOp::Add => {
                self.carries_secret(&bin.left) || self.carries_secret(&bin.right)
            }
            Expr::Tpl(template) => template.exprs.iter().any(|e| self.carries_secret(e)),
            Expr::Cond(cond) => self.carries_secret(&cond.cons) || self.carries_secret(&cond.alt),
            _ => false,
        }
    }
}

/// `apiKey` → `API_KEY`.
fn secret_name(name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(if c.is_ascii_alphanumeric() {
            c.to_ascii_uppercase()
        } else {
            '_'
        });
    }
    out
}

/// Long, without spaces, with letters and digits: a generated value, not a word or a URL.
fn looks_random(value: &str) -> bool {
    value.len() >= 16
        && !value.contains([' ', '/', '.', ':'])
        && value.chars().any(|c| c.is_ascii_digit())
        && value.chars().any(|c| c.is_ascii_alphabetic())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_+=".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values() {
        assert_eq!(secret_name("apiKey"), "API_KEY");
        assert_eq!(secret_name("HUBSPOT_TOKEN"), "HUBSPOT_TOKEN");
        assert!(looks_random("k3Jd92LmQp0sXv7TzR4wYb8N"));
        assert!(!looks_random("https://api.example.com/v1"));
        assert!(!looks_random("not a secret at all 123"));
        assert!(!looks_random("short1"));
    }
}

/// The roots of the member chains in some code (`configuration` in `configuration.KEY`).
#[derive(Default)]
struct SecretReads {
    roots: Vec<swc_ecma_ast::Ident>,
}

impl swc_ecma_visit::Visit for SecretReads {
    fn visit_member_expr(&mut self, member: &swc_ecma_ast::MemberExpr) {
        let mut object = &*member.obj;
        while let Expr::Member(inner) = object {
            object = &inner.obj;
        }
        if let Expr::Ident(root) = object {
            self.roots.push(root.clone());
        }
        member.visit_children_with(self);
    }
}
