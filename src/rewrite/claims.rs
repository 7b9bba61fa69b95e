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

use swc_atoms::Atom;
use swc_common::Spanned;
use swc_ecma_ast::{
    AssignExpr, AssignOp, BinaryOp, CallExpr, Callee, Decl, Expr, Lit, MemberProp, ObjectLit, Pat,
    Prop, PropName, PropOrSpread, Stmt, VarDeclKind,
};
use swc_ecma_visit::VisitWith;

use super::chain::{Chain, Key};
use super::objects::property_comments;
use super::walk::unparen;
use super::{Rewriter, Value};
use crate::finding::Finding;
use crate::migrate::Claim;
use crate::options::ClaimsPolicy;
use crate::registry::Code;
use crate::span::{indentation_at, newline_of, Span};
use crate::tables::claims::{classify, ClaimName};
use crate::tables::context::TOKEN_MEMBERS;

/// One property of an object of claims.
enum ObjectClaim<'e> {
    KeyValue(&'e PropName, &'e Expr),
    Shorthand(&'e swc_ecma_ast::Ident),
}

/// A claim's name as written: its source text, and its value when it is known statically.
struct ClaimKey<'e> {
    text: String,
    name: Option<String>,
    span: Span,
    computed: Option<&'e Expr>,
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
        let refusal = match chain.links.len() - offset {
            0 => match (value, unparen(&assign.right)) {
                (Value::Statement(statement), Expr::Ident(alias))
                    if self.token_alias(alias) == Some(token) =>
                {
                    // `context.idToken = claims` after writing through `claims`: already applied.
                    return self.delete_statement(statement, self.flow.last_in_rule_body);
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
        let value = self.rewritten(&assign.right);
        let span = self.span(assign.span);
        self.replace(
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
        self.replace(statement, lines.join(&format!("{nl}{indent}")));
        if replaces_object && !keeps_existing {
            self.report(Finding::new(
                Code::ClaimsObjectReplaced,
                statement,
                format!("`context.{token}` was replaced as a whole; the Action sets each claim and keeps claims set earlier"),
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

    /// Every claim the Action sets, named as far as it is known statically.
    fn record_claim(&mut self, token: &str, key: &ClaimKey<'_>) {
        let name = key.name.clone().or_else(|| {
            let prefix = self.constant_prefix(key.computed?);
            (!prefix.is_empty()).then(|| format!("{prefix}…"))
        });
        self.claims.push(Claim {
            token: token.to_string(),
            name,
        });
    }

    /// With `--namespace`, a restricted or non-namespaced name gets the namespace in front.
    fn apply_namespace(&mut self, key: &mut ClaimKey<'_>) {
        let (Some(namespace), Some(name)) = (self.options.namespace.clone(), key.name.clone())
        else {
            return;
        };
        if !matches!(
            classify(&name),
            ClaimName::Restricted | ClaimName::NotNamespaced
        ) {
            return;
        }
        let renamed = format!("{namespace}{name}");
        self.report(
            Finding::new(
                Code::ClaimRenamed,
                key.span,
                format!("the claim `{name}` is renamed `{renamed}`: applications must read the new name"),
            )
            .with_help("update every application and API that reads this claim before deploying"),
        );
        key.text = self.string_literal(&renamed);
        key.name = Some(renamed);
    }

    /// Literal claim values count towards Auth0's 100 KB limit per token.
    fn count_claim_bytes(&mut self, token: &str, value: &Expr) {
        let literal = match unparen(value) {
            Expr::Lit(_) | Expr::Array(_) | Expr::Object(_) => true,
            Expr::Tpl(tpl) => tpl.exprs.is_empty(),
            _ => false,
        };
        if literal {
            let bytes = self.span(value.span());
            let slot = usize::from(token == "accessToken");
            self.claim_bytes[slot] += bytes.end - bytes.start;
        }
    }

    /// Restricted names, reserved namespaces and non-namespaced claims, from the name alone.
    fn check_claim_name(&mut self, key: &ClaimKey<'_>) {
        let prefix_namespace = match (&key.name, key.computed) {
            (None, Some(expr)) => namespace_of(&self.constant_prefix(expr)).map(str::to_string),
            _ => None,
        };
        if let Some(namespace) = prefix_namespace {
            // The namespace is fixed even though the rest of the name is not.
            let name = format!("{namespace}…");
            return self.check_claim_name(&ClaimKey {
                text: String::new(),
                name: Some(name),
                span: key.span,
                computed: None,
            });
        }
        let Some(name) = &key.name else {
            let message = match key.computed.and_then(|expr| self.key_secret(expr)) {
                Some(secret) => format!("the claim name comes from the secret `{secret}`, unknown until deployment, so its namespace cannot be checked"),
                None => "the claim name is computed at run time, so its namespace cannot be checked".to_string(),
            };
            return self.report_at(Code::ClaimNameNotChecked, key.span, message);
        };
        let (code, message, help) = match classify(name) {
            ClaimName::Accepted => return,
            ClaimName::Restricted => (
                Code::RestrictedClaim,
                format!("`{name}` is a restricted claim: Auth0 silently ignores it"),
                "use a namespaced name such as `https://example.com/<name>`",
            ),
            ClaimName::ReservedNamespace => (
                Code::ReservedNamespace,
                format!("`{name}` uses a namespace Auth0 reserves: the claim never reaches the token"),
                "use a namespace on a domain you own",
            ),
            ClaimName::NotNamespaced => match self.options.claims_policy {
                ClaimsPolicy::Enforced => (
                    Code::NonNamespacedClaim,
                    format!("`{name}` is not namespaced: a tenant that enforces namespacing drops it"),
                    "namespace it (`https://example.com/<name>`), or use `--claims-policy relaxed` if the tenant accepts it",
                ),
                ClaimsPolicy::Relaxed => (
                    Code::NonNamespacedClaimAppears,
                    format!("`{name}` is not namespaced: tokens now carry it, and Auth0 APIs ignore it on access tokens"),
                    "check that applications expect this claim",
                ),
            },
        };
        self.report(Finding::new(code, key.span, message).with_help(help));
    }

    /// The value of a claim-name expression built only from literals and string constants.
    fn constant_string(&self, expr: &Expr) -> Option<String> {
        match unparen(expr) {
            Expr::Lit(Lit::Str(s)) => s.value.as_atom().map(|a| a.to_string()),
            Expr::Ident(ident) if !self.is_declared(&ident.sym, false) => {
                self.constants.get(&ident.sym).cloned()
            }
            Expr::Bin(bin) if bin.op == BinaryOp::Add => {
                Some(self.constant_string(&bin.left)? + &self.constant_string(&bin.right)?)
            }
            Expr::Tpl(tpl) => {
                let mut out = String::new();
                for (i, quasi) in tpl.quasis.iter().enumerate() {
                    out.push_str(quasi.cooked.as_ref()?.as_atom()?);
                    if let Some(expr) = tpl.exprs.get(i) {
                        out.push_str(&self.constant_string(expr)?);
                    }
                }
                Some(out)
            }
            _ => None,
        }
    }

    /// The constant start of a claim name whose end is only known at run time
    /// (`'https://example.com/role_' + role`).
    fn constant_prefix(&self, expr: &Expr) -> String {
        if let Some(whole) = self.constant_string(expr) {
            return whole;
        }
        match unparen(expr) {
            Expr::Bin(bin) if bin.op == BinaryOp::Add => match self.constant_string(&bin.left) {
                Some(left) => left + &self.constant_prefix(&bin.right),
                None => self.constant_prefix(&bin.left),
            },
            Expr::Tpl(tpl) => {
                let mut out = String::new();
                for (i, quasi) in tpl.quasis.iter().enumerate() {
                    let Some(text) = quasi.cooked.as_ref().and_then(|c| c.as_atom()) else {
                        break;
                    };
                    out.push_str(text);
                    match tpl.exprs.get(i).map(|e| self.constant_string(e)) {
                        Some(Some(value)) => out.push_str(&value),
                        _ => break,
                    }
                }
                out
            }
            _ => String::new(),
        }
    }

    /// The secret a computed claim name starts with: `configuration.NAMESPACE + 'roles'`, or a
    /// constant initialised from one.
    fn key_secret(&self, expr: &Expr) -> Option<String> {
        let mut expr = unparen(expr);
        loop {
            expr = match expr {
                Expr::Bin(bin) if bin.op == BinaryOp::Add => unparen(&bin.left),
                Expr::Tpl(tpl) if tpl.quasis.first().is_some_and(|q| q.raw.is_empty()) => {
                    unparen(tpl.exprs.first()?)
                }
                Expr::Ident(ident) => return self.secret_constants.get(&ident.sym).cloned(),
                expr => return configuration_key(expr),
            };
        }
    }

    /// `const NS = 'https://…'` (or a `var`/`let` never assigned again) in the rule body.
    pub(super) fn collect_constants(&mut self, stmts: &[Stmt], reassigned: &[Atom]) {
        for stmt in stmts {
            let Stmt::Decl(Decl::Var(var)) = stmt else {
                continue;
            };
            for declarator in &var.decls {
                let (Pat::Ident(binding), Some(init)) = (&declarator.name, &declarator.init) else {
                    continue;
                };
                let name = &binding.id.sym;
                if var.kind != VarDeclKind::Const && reassigned.contains(name) {
                    continue;
                }
                if let Some(value) = self.constant_string(init) {
                    self.constants.insert(name.clone(), value);
                } else if let Some(secret) = configuration_key(unparen(init)) {
                    self.secret_constants.insert(name.clone(), secret);
                }
            }
        }
    }
}

/// `X` in `configuration.X`.
fn configuration_key(expr: &Expr) -> Option<String> {
    let Expr::Member(member) = expr else {
        return None;
    };
    match (&*member.obj, &member.prop) {
        (Expr::Ident(root), swc_ecma_ast::MemberProp::Ident(prop))
            if &*root.sym == "configuration" =>
        {
            Some(prop.sym.to_string())
        }
        _ => None,
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

/// `https://host/` when `prefix` fixes a URL namespace up to and including its host.
fn namespace_of(prefix: &str) -> Option<&str> {
    let rest = prefix
        .strip_prefix("https://")
        .or_else(|| prefix.strip_prefix("http://"))?;
    let host_end = rest.find('/')?;
    Some(&prefix[..prefix.len() - rest.len() + host_end + 1])
}
