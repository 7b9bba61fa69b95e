//! Claim names: resolving them from literals and constants, and checking them against what
//! Auth0 drops (reference §7).
//!
//! Rule:
//! ```js
//! const NS = 'https://example.com/';
//! context.idToken[NS + 'roles'] = roles;        // resolved: https://example.com/roles
//! context.idToken.roles = roles;                // restricted: R2A401
//! context.idToken[configuration.NS + 'x'] = 1;  // unknown until deployment: R2A407
//! ```
//! Action: the same names, with the findings. `--namespace` renames restricted and
//! non-namespaced names (`R2A412`). Names only partly known (`NS + role`) are checked by their
//! namespace.

use swc_atoms::Atom;
use swc_common::Spanned;
use swc_ecma_ast::{BinaryOp, Decl, Expr, Lit, Pat, Stmt, VarDeclKind};

use super::walk::unparen;
use super::Rewriter;
use crate::finding::Finding;
use crate::model::Claim;
use crate::options::ClaimsPolicy;
use crate::registry::Code;
use crate::span::Span;
use crate::tables::claims::{classify, ClaimName};

/// Auth0 fails the transaction when one token's custom claims exceed this.
const CLAIMS_LIMIT_BYTES: usize = 100 * 1024;

/// A claim's name as written: its source text, and its value when it is known statically.
pub(super) struct ClaimKey<'e> {
    pub(super) text: String,
    pub(super) name: Option<String>,
    pub(super) span: Span,
    pub(super) computed: Option<&'e Expr>,
}

impl Rewriter<'_> {
    /// Every claim the Action sets, named as far as it is known statically.
    pub(super) fn record_claim(&mut self, token: &str, key: &ClaimKey<'_>) {
        let name = key.name.clone().or_else(|| {
            let prefix = self.constant_prefix(key.computed?);
            (!prefix.is_empty()).then(|| format!("{prefix}…"))
        });
        self.out.claims.push(Claim {
            token: token.to_string(),
            name,
        });
    }

    /// With `--namespace`, a restricted or non-namespaced name gets the namespace in front.
    pub(super) fn apply_namespace(&mut self, key: &mut ClaimKey<'_>) {
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

    /// After the walk: literal claims that alone exceed a token's limit.
    pub(super) fn report_claim_sizes(&mut self, rule: Span) {
        for (token, bytes) in ["idToken", "accessToken"].iter().zip(self.tokens.bytes) {
            if bytes > CLAIMS_LIMIT_BYTES {
                self.report_at(
                    Code::ClaimsTooLarge,
                    rule,
                    format!("the literal claims on `{token}` take {} KB, over Auth0's 100 KB limit: the login fails", bytes / 1024),
                );
            }
        }
    }

    /// Literal claim values count towards Auth0's 100 KB limit per token.
    pub(super) fn count_claim_bytes(&mut self, token: &str, value: &Expr) {
        let literal = match unparen(value) {
            Expr::Lit(_) | Expr::Array(_) | Expr::Object(_) => true,
            Expr::Tpl(tpl) => tpl.exprs.is_empty(),
            _ => false,
        };
        if literal {
            let bytes = self.span(value.span());
            let slot = usize::from(token == "accessToken");
            self.tokens.bytes[slot] += bytes.end - bytes.start;
        }
    }

    /// Restricted names, reserved namespaces and non-namespaced claims, from the name alone.
    pub(super) fn check_claim_name(&mut self, key: &ClaimKey<'_>) {
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
    pub(super) fn constant_string(&self, expr: &Expr) -> Option<String> {
        match unparen(expr) {
            Expr::Lit(Lit::Str(s)) => s.value.as_atom().map(|a| a.to_string()),
            Expr::Ident(ident) if !self.is_declared(&ident.sym, false) => {
                self.tokens.constants.get(&ident.sym).cloned()
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
                Expr::Ident(ident) => return self.tokens.secret_constants.get(&ident.sym).cloned(),
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
                    self.tokens.constants.insert(name.clone(), value);
                } else if let Some(secret) = configuration_key(unparen(init)) {
                    self.tokens.secret_constants.insert(name.clone(), secret);
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

/// `https://host/` when `prefix` fixes a URL namespace up to and including its host.
fn namespace_of(prefix: &str) -> Option<&str> {
    let rest = prefix
        .strip_prefix("https://")
        .or_else(|| prefix.strip_prefix("http://"))?;
    let host_end = rest.find('/')?;
    Some(&prefix[..prefix.len() - rest.len() + host_end + 1])
}
