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

use super::chain::Chain;
use super::{Rewriter, Value};
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::Span;
use crate::tables::user::UPSTREAM_TOKEN_KEYS;

impl Rewriter<'_> {
    pub(super) fn user_read(&mut self, chain: &Chain<'_>) {
        self.unguarded_metadata_read(chain);
        let first = chain.static_key(0);
        if let (Some(kind @ ("app_metadata" | "user_metadata")), 1) = (first, chain.links.len()) {
            // `user.app_metadata && user.app_metadata.x` reads the same in both: `{}.x` is
            // `undefined` too.
            let span = chain.span();
            let guards_own_read = self.source[span.end..]
                .trim_start()
                .strip_prefix("&&")
                .is_some_and(|rest| rest.trim_start().starts_with(&self.source[span.range()]));
            if super::trivia::is_presence_test(self.source, span) && !guards_own_read {
                return self.metadata_presence_test(chain, kind);
            }
        }
        if let Some(local) = first.and_then(|key| self.user_local(key, chain.root_span.start)) {
            return self.replace(Family::User, chain.prefix_span(1), local);
        }
        let fields = &self.out.trigger.user_fields;
        if let Some((key, code)) = fields.unsupported.iter().find(|(k, _)| Some(*k) == first) {
            return self.report_at(
                *code,
                chain.prefix_span(1),
                format!(
                    "`user.{key}` has no equivalent in {} Actions",
                    self.out.trigger.id
                ),
            );
        }
        if let Some((key, target, code)) = fields.redirects.iter().find(|(k, ..)| Some(*k) == first)
        {
            let replacement = format!("{}.{target}", self.event);
            let span = chain.prefix_span(1);
            if let Some(code) = code {
                self.report_at(*code, span, format!("`user.{key}` becomes `{replacement}`"));
            }
            return self.replace(Family::User, span, replacement);
        }
        self.replace(
            Family::User,
            chain.root_span,
            format!("{}.user", self.event),
        );
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
        } else if let Some(key) = first.filter(|k| !fields.properties.contains(k)) {
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

    /// `identity.access_token` where `identity` came from `user.identities` (through `_.find`,
    /// a loop, a local): the token is not there in Actions, so the read is `undefined`.
    pub(super) fn identity_token_through_alias(&mut self, chain: &Chain<'_>) {
        let root = chain.root.sym.clone();
        let from_identities = self.user.identities.contains(&root);
        let Some(key) = (0..chain.links.len())
            .filter_map(|i| chain.static_key(i))
            .find(|k| UPSTREAM_TOKEN_KEYS.contains(k))
        else {
            return;
        };
        if from_identities {
            self.report(
                Finding::new(
                    Code::UpstreamIdpToken,
                    chain.span(),
                    format!("`{key}` of an identity from `user.identities` is not available to Actions: this reads `undefined`"),
                )
                .with_help("call the provider's API outside the login flow, or use the Token Vault"),
            );
        }
    }

    /// `if (user.app_metadata)`, `!user.app_metadata`, `user.app_metadata ? … : …`: Rules had
    /// `undefined` for a user without metadata, Actions an empty object, so the test becomes
    /// whether the object has keys.
    fn metadata_presence_test(&mut self, chain: &Chain<'_>, kind: &str) {
        let object = self
            .user_local(kind, chain.root_span.start)
            .unwrap_or_else(|| format!("{}.user.{kind}", self.event));
        let span = chain.span();
        let before = self.source[..span.start].trim_end();
        let negated = before.ends_with('!') && !before.ends_with("!!");
        self.report(
            Finding::new(
                Code::ShapeChanges,
                span,
                format!("`event.user.{kind}` is an empty object, never `undefined`, in Actions: the test becomes whether it has keys"),
            )
            .with_help(format!("a user whose {kind} was an empty object passed this test in Rules and does not now")),
        );
        // `!user.app_metadata` becomes one test, `=== 0`, with its `!`.
        match negated {
            true => self.replace(
                Family::User,
                Span::new(before.len() - 1, span.end),
                format!("Object.keys({object}).length === 0"),
            ),
            false => self.replace(
                Family::User,
                span,
                format!("Object.keys({object}).length > 0"),
            ),
        }
    }

    /// `user.app_metadata.x` (read or written) with nothing to make sure the metadata exists:
    /// it threw in Rules for a user without metadata (`R2A307`, once per kind).
    pub(super) fn unguarded_metadata_read(&mut self, chain: &Chain<'_>) {
        let Some(kind @ ("app_metadata" | "user_metadata")) = chain.static_key(0) else {
            return;
        };
        if chain.links.len() < 2 || chain.links[1].optional {
            return;
        }
        let guard = format!("{}.user.{kind}", self.event);
        let local = self.user_local(kind, chain.root_span.start);
        let guarded = self
            .guards
            .set
            .iter()
            .any(|g| g == &guard || Some(g) == local.as_ref());
        if guarded
            || self.handles_whole_metadata(chain, kind)
            || self.metadata.reported_missing.contains(&kind)
        {
            return;
        }
        self.metadata
            .reported_missing
            .push(if kind == "app_metadata" {
                "app_metadata"
            } else {
                "user_metadata"
            });
        self.report(
            Finding::new(
                Code::MetadataNeverMissing,
                chain.prefix_span(2),
                format!("in Rules this threw for a user without {kind}, and the login failed; in Actions `event.user.{kind}` is always an object, so that user logs in"),
            )
            .with_help(format!("if users without {kind} must not log in, deny them explicitly: `if (Object.keys(event.user.{kind}).length === 0) return api.access.deny('…')`")),
        );
    }

    /// Whether the rule tests or defaults the metadata object itself somewhere
    /// (`user.app_metadata || {}`, `!user.app_metadata`, `if (user.app_metadata)`, an
    /// assignment): then it deals with users who have none.
    fn handles_whole_metadata(&self, chain: &Chain<'_>, kind: &str) -> bool {
        let root = &self.source[chain.root_span.start..chain.root_span.end];
        let whole = format!("{root}.{kind}");
        self.source.match_indices(&whole).any(|(at, _)| {
            let before = self.source[..at].trim_end();
            let after = self.source[at + whole.len()..].trim_start();
            // `user.app_metadata.x` reads a member: only uses of the object itself count.
            if after.starts_with(['.', '['])
                || after.starts_with(|c: char| c.is_alphanumeric() || c == '_')
            {
                return false;
            }
            let assigned = after.starts_with('=') && !after.starts_with("==");
            let tested = ["||", "&&", "??", "?"]
                .iter()
                .any(|op| after.starts_with(op))
                || before.ends_with('!')
                || before.ends_with("typeof")
                || (after.starts_with(')')
                    && ["if (", "if(", "while (", "while("]
                        .iter()
                        .any(|k| before.ends_with(k)));
            assigned || tested
        })
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
        self.replace(
            Family::User,
            chain.root_span,
            format!("{}.user", self.event),
        );
        for key in chain.computed_keys() {
            key.visit_with(self);
        }
        assign.right.visit_with(self);
    }
}

/// Names bound to what `user.identities` holds: `const li = _.find(user.identities, …)`,
/// `for (const identity of user.identities)`, and the parameters of a handler given to a call
/// on `user.identities` (`user.identities.find((identity) => …)`).
pub(super) fn identity_names(
    source: &str,
    offsets: crate::parse::Offsets,
    body: &[swc_ecma_ast::Stmt],
) -> Vec<swc_atoms::Atom> {
    // Every name found is in code that mentions `.identities`: most rules need no walk.
    if !source.contains(".identities") {
        return Vec::new();
    }
    let mut names = IdentityNames {
        source,
        offsets,
        names: Vec::new(),
    };
    body.iter().for_each(|s| s.visit_with(&mut names));
    names.names
}

struct IdentityNames<'s> {
    source: &'s str,
    offsets: crate::parse::Offsets,
    names: Vec<swc_atoms::Atom>,
}

impl IdentityNames<'_> {
    fn mentions_identities(&self, node: &impl swc_common::Spanned) -> bool {
        let span = self.offsets.span(node.span());
        self.source[span.range()].contains(".identities")
    }
}

impl swc_ecma_visit::Visit for IdentityNames<'_> {
    fn visit_var_declarator(&mut self, declarator: &swc_ecma_ast::VarDeclarator) {
        if let (Some(name), Some(init)) = (declarator.name.as_ident(), &declarator.init) {
            if self.mentions_identities(&**init) {
                self.names.push(name.id.sym.clone());
            }
        }
        declarator.visit_children_with(self);
    }

    fn visit_for_of_stmt(&mut self, stmt: &swc_ecma_ast::ForOfStmt) {
        if self.mentions_identities(&*stmt.right) {
            let mut bound = Vec::new();
            if let swc_ecma_ast::ForHead::VarDecl(var) = &stmt.left {
                for d in &var.decls {
                    super::scope::pattern_names(&d.name, &mut bound);
                }
            }
            self.names.extend(bound);
        }
        stmt.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, call: &swc_ecma_ast::CallExpr) {
        let on_identities = match &call.callee {
            swc_ecma_ast::Callee::Expr(callee) => self.mentions_identities(&**callee),
            _ => false,
        } || call.args.iter().any(|a| {
            !matches!(&*a.expr, Expr::Fn(_) | Expr::Arrow(_)) && self.mentions_identities(&*a.expr)
        });
        if on_identities {
            for arg in &call.args {
                let params: Vec<&swc_ecma_ast::Pat> = match &*arg.expr {
                    Expr::Fn(f) => f.function.params.iter().map(|p| &p.pat).collect(),
                    Expr::Arrow(a) => a.params.iter().collect(),
                    _ => continue,
                };
                if let Some(first) = params.first() {
                    super::scope::pattern_names(first, &mut self.names);
                }
            }
        }
        call.visit_children_with(self);
    }
}
