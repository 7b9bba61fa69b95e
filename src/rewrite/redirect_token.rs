//! Hand-rolled redirect tokens: `jwt.sign` / `jwt.verify` with a `configuration` secret become
//! `api.redirect.encodeToken` / `api.redirect.validateToken`.
//!
//! Rule:
//! ```js
//! const jwt = require('jsonwebtoken');
//! if (context.protocol === 'redirect-callback') {
//!   const answer = jwt.verify(context.request.body.token, configuration.PROFILE_SECRET);
//!   context.idToken['https://example.com/plan'] = answer.plan;
//!   return callback(null, user, context);
//! }
//! const token = jwt.sign({ plan: 'pro' }, configuration.PROFILE_SECRET, { expiresIn: '10m' });
//! context.redirect = { url: 'https://profile.example.com/?token=' + token };
//! callback(null, user, context);
//! ```
//! Action:
//! ```js
//! const token = api.redirect.encodeToken({ secret: event.secrets.PROFILE_SECRET, payload: { plan: 'pro' }, expiresInSeconds: 600 });
//! api.redirect.sendUserTo('https://profile.example.com/?token=' + token);
//! exports.onContinuePostLogin = async (event, api) => {
//!   const answer = api.redirect.validateToken({ secret: event.secrets.PROFILE_SECRET, tokenParameterName: 'token' });
//!   api.idToken.setCustomClaim('https://example.com/plan', answer.plan);
//! ```
//! Both are warnings (`R2A910`, `R2A911`): the Actions token carries `sub`, `iss`, `ip` and the
//! transaction's `state`, and `validateToken` also requires the returned token to carry `state`,
//! so the site on the other end must change with the Action. Converted only in rules that
//! redirect, `sign` with no options or only `expiresIn`, and `verify` of a `/continue`
//! parameter in the resume branch with no options or only `algorithms: ['HS256']`. Any other
//! `jwt.sign` / `jwt.verify` in a redirecting rule stays, with `R2A912`.

use swc_ecma_ast::{CallExpr, Callee, Expr, Lit, MemberProp, Prop, PropName, PropOrSpread};
use swc_ecma_visit::VisitWith;

use super::chain;
use super::walk::unparen;
use super::{Param, Rewriter};
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;

impl Rewriter<'_> {
    /// `jwt.sign(…)` / `jwt.verify(…)` in a rule that redirects. Returns whether it was handled.
    pub(super) fn redirect_token_call(&mut self, call: &CallExpr) -> bool {
        if !self.resume.in_rule {
            return false;
        }
        let Callee::Expr(callee) = &call.callee else {
            return false;
        };
        let Expr::Member(member) = unparen(callee) else {
            return false;
        };
        let (Expr::Ident(library), MemberProp::Ident(method)) =
            (unparen(&member.obj), &member.prop)
        else {
            return false;
        };
        let is_jsonwebtoken = self.is_global(library, "jwt")
            || (self.modules.jwt_names.contains(&library.sym)
                && !self.is_declared(&library.sym, false));
        if !is_jsonwebtoken || !matches!(&*method.sym, "sign" | "verify") {
            return false;
        }
        let converted = match &*method.sym {
            "sign" => self.encode_token(call),
            _ => self.validate_token(call),
        };
        if !converted {
            self.report(
                Finding::new(
                    Code::RedirectTokenKept,
                    self.span(call.span),
                    format!("this `{}.{}` stays: its shape has no `api.redirect` equivalent", library.sym, method.sym),
                )
                .with_help("`api.redirect.encodeToken` / `validateToken` sign and check redirect tokens bound to the transaction"),
            );
            call.visit_children_with(self);
        }
        true
    }

    /// `jwt.sign(payload, configuration.X[, { expiresIn }])`.
    fn encode_token(&mut self, call: &CallExpr) -> bool {
        let (payload, secret, options) = match call.args.as_slice() {
            [payload, secret] => (payload, secret, None),
            [payload, secret, options] => (payload, secret, Some(&*options.expr)),
            _ => return false,
        };
        if payload.spread.is_some() || !self.is_configuration_value(&secret.expr) {
            return false;
        }
        let expires = match options {
            None => None,
            Some(options) => match only_property(options, "expiresIn").and_then(seconds) {
                Some(seconds) => Some(seconds),
                None => return false,
            },
        };
        let secret = self.rewritten(&secret.expr);
        let payload = self.rewritten(&payload.expr);
        let lifetime = expires.map_or(String::new(), |s| format!(", expiresInSeconds: {s}"));
        let api = self.api.clone();
        self.replace(
            Family::RedirectToken,
            self.span(call.span),
            format!(
                "{api}.redirect.encodeToken({{ secret: {secret}, payload: {payload}{lifetime} }})"
            ),
        );
        let expiry = match expires {
            Some(seconds) => format!("expires after {seconds} s"),
            None => "expires after 900 s by default (the Rule's token never expired)".to_string(),
        };
        self.report(
            Finding::new(
                Code::RedirectTokenEncoded,
                self.span(call.span),
                format!("`jwt.sign` becomes `api.redirect.encodeToken`: the token also carries `sub`, `iss`, `ip` and `state`, and {expiry}"),
            )
            .with_help("the site that receives it must accept those claims and send a token with the same `state` back to /continue"),
        );
        true
    }

    /// `jwt.verify(context.request.body.token, configuration.X[, { algorithms: ['HS256'] }])`
    /// in the resume branch.
    fn validate_token(&mut self, call: &CallExpr) -> bool {
        if !self.resume.in_branch {
            return false;
        }
        let (token, secret, options) = match call.args.as_slice() {
            [token, secret] => (token, secret, None),
            [token, secret, options] => (token, secret, Some(&*options.expr)),
            _ => return false,
        };
        let hs256_only = options.is_none_or(|o| {
            only_property(o, "algorithms").is_some_and(|a| match unparen(a) {
                Expr::Array(array) => array.elems.len() == 1
                    && matches!(array.elems[0].as_ref().map(|e| unparen(&e.expr)), Some(Expr::Lit(Lit::Str(s))) if s.value.as_atom().is_some_and(|v| v == "HS256")),
                _ => false,
            })
        });
        let Some(parameter) = self.continue_parameter(&token.expr) else {
            return false;
        };
        if !hs256_only || !self.is_configuration_value(&secret.expr) {
            return false;
        }
        let secret = self.rewritten(&secret.expr);
        let name = self.string_literal(&parameter);
        let api = self.api.clone();
        self.replace(
            Family::RedirectToken,
            self.span(call.span),
            format!(
                "{api}.redirect.validateToken({{ secret: {secret}, tokenParameterName: {name} }})"
            ),
        );
        self.report(
            Finding::new(
                Code::RedirectTokenValidated,
                self.span(call.span),
                "`jwt.verify` becomes `api.redirect.validateToken`, which also requires the returned token to carry this transaction's `state` claim",
            )
            .with_help("the site that signs the returned token must add the `state` it received; until it does, every resumed login fails"),
        );
        true
    }

    /// `configuration.X` or `configuration['X']`.
    fn is_configuration_value(&self, expr: &Expr) -> bool {
        chain::flatten(unparen(expr), self.offsets).is_some_and(|c| {
            self.is_global(c.root, "configuration")
                && c.links.len() == 1
                && c.static_key(0).is_some()
        })
    }

    /// The parameter named by `context.request.body.X`, `context.request.query.X`, or both
    /// joined with `||`.
    fn continue_parameter(&self, expr: &Expr) -> Option<String> {
        if let Expr::Bin(bin) = unparen(expr) {
            if bin.op == swc_ecma_ast::BinaryOp::LogicalOr {
                let left = self.continue_parameter(&bin.left)?;
                let right = self.continue_parameter(&bin.right)?;
                return (left == right).then_some(left);
            }
        }
        let chain = chain::flatten(unparen(expr), self.offsets)?;
        let from_request = self.param(chain.root) == Some(Param::Context)
            && chain.links.len() == 3
            && chain.static_key(0) == Some("request")
            && matches!(chain.static_key(1), Some("body" | "query"));
        from_request.then(|| chain.static_key(2).map(str::to_string))?
    }

    /// Names bound to `require('jsonwebtoken')` at the top of the rule.
    pub(super) fn collect_jwt_names(&mut self, stmts: &[swc_ecma_ast::Stmt]) {
        for stmt in stmts {
            let swc_ecma_ast::Stmt::Decl(swc_ecma_ast::Decl::Var(var)) = stmt else {
                continue;
            };
            for declarator in &var.decls {
                let (Some(name), Some(init)) = (declarator.name.as_ident(), &declarator.init)
                else {
                    continue;
                };
                if requires_jsonwebtoken(init) {
                    self.modules.jwt_names.push(name.id.sym.clone());
                }
            }
        }
    }
}

fn requires_jsonwebtoken(expr: &Expr) -> bool {
    let Expr::Call(call) = unparen(expr) else {
        return false;
    };
    let is_require = matches!(&call.callee, Callee::Expr(c) if matches!(&**c, Expr::Ident(i) if i.sym == "require"));
    let specifier = match call.args.first().map(|a| unparen(&a.expr)) {
        Some(Expr::Lit(Lit::Str(s))) => s.value.as_atom().map(|a| a.to_string()),
        _ => None,
    };
    is_require
        && specifier
            .is_some_and(|s| crate::tables::modules::split_versioned(&s).0 == "jsonwebtoken")
}

/// The value of an object literal's only property, when it is `name`.
fn only_property<'e>(object: &'e Expr, name: &str) -> Option<&'e Expr> {
    let Expr::Object(object) = unparen(object) else {
        return None;
    };
    let [PropOrSpread::Prop(prop)] = object.props.as_slice() else {
        return None;
    };
    let Prop::KeyValue(kv) = &**prop else {
        return None;
    };
    let key = match &kv.key {
        PropName::Ident(key) => key.sym.to_string(),
        PropName::Str(key) => key.value.as_atom()?.to_string(),
        _ => return None,
    };
    (key == name).then_some(&*kv.value)
}

/// `expiresIn` as seconds: a number of seconds, or `"45s"`, `"10m"`, `"2h"`, `"1d"`.
fn seconds(value: &Expr) -> Option<u64> {
    match unparen(value) {
        Expr::Lit(Lit::Num(n)) if n.value >= 1.0 && n.value.fract() == 0.0 => Some(n.value as u64),
        Expr::Lit(Lit::Str(s)) => {
            let text = s.value.as_atom()?.trim().to_string();
            let split = text
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(text.len());
            let (digits, unit) = text.split_at(split);
            let n: u64 = digits.parse().ok()?;
            let factor = match unit.trim() {
                "" => return None, // jsonwebtoken reads a bare numeric string as milliseconds
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                "d" => 86_400,
                _ => return None,
            };
            n.checked_mul(factor)
        }
        _ => None,
    }
}
