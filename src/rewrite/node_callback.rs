//! Node-style calls whose error-first handler calls back are awaited.
//!
//! Rule:
//! ```js
//! request.post({ url, json: body }, function (err, res, data) {
//!   if (err) return callback(err);
//!   if (res.statusCode !== 201) return callback(new Error('CRM returned ' + res.statusCode));
//!   context.idToken['https://example.com/crm_id'] = data.id;
//!   callback(null, user, context);
//! });
//! ```
//! Action:
//! ```js
//! const [err, res, data] = await new Promise((resolve) => request.post({ url, json: body }, (...results) => resolve(results)));
//! if (err) return api.access.deny(err.message ?? String(err));
//! if (res.statusCode !== 201) return api.access.deny('CRM returned ' + res.statusCode);
//! api.idToken.setCustomClaim('https://example.com/crm_id', data.id);
//! ```
//! The library keeps its own semantics (status codes, `json`, `qs`, timeouts), which a rewrite
//! to `fetch` would change; only the control flow becomes linear. Refused (the callback shim,
//! `R2A108`): anything may run after the call, handlers that are not error-first (their first
//! parameter is not `err`, `error`, …) or that belong to calls that repeat them (`forEach`,
//! `on`, `async.each`, timers), handlers that call back from a nested function or can finish
//! without calling back, and handler names the call's own arguments use. A parameter the
//! handler never reads is left out when its name is taken (`const [err, res] = …` beside a
//! `const body`).

use swc_common::Spanned;
use swc_ecma_visit::VisitWith;

use super::promise_chain::Lines;
use super::promise_shape::NodeCallback;
use super::Rewriter;
use crate::span::Span;

impl Rewriter<'_> {
    /// `const [err, res] = await new Promise(…)` and the handler's statements.
    pub(super) fn node_callback_body(
        &mut self,
        call: &NodeCallback<'_>,
        last_in_rule_body: bool,
    ) -> Lines {
        let start = self.span(call.call.span).start;
        let handler_start = self.span(call.handler_expr.span()).start;
        let Some((_, arguments)) = call.call.args.split_last() else {
            return Lines::new();
        };
        // The arguments of a library method (`request.post`) are only read by it.
        let library = matches!(&call.call.callee, swc_ecma_ast::Callee::Expr(callee)
            if matches!(super::walk::unparen(callee), swc_ecma_ast::Expr::Member(_)));
        let head = self.rewritten_piece(Span::new(start, handler_start), |this| {
            call.call.callee.visit_with(this);
            this.view.library_arguments += usize::from(library);
            arguments.iter().for_each(|a| a.visit_with(this));
            this.view.library_arguments -= usize::from(library);
        });
        let mut head = self.relative_lines(head, start);
        // `await` cannot stand inside the promise's executor: the Management API token is
        // fetched on the line before.
        let mut lines = Lines::new();
        let token_call = self.management_token_call();
        if head.contains(&token_call) {
            let local = self.fresh_local("managementToken");
            lines.push(format!(
                "const {local} = {};",
                &token_call[1..token_call.len() - 1]
            ));
            head = head.replace(&token_call, &local);
        }
        let mut params: Vec<String> = call
            .handler
            .params
            .iter()
            .map(|param| match param.as_ident() {
                Some(unused) if call.unused.contains(&unused.id.sym) => String::new(),
                _ => {
                    let span = self.span(param.span());
                    self.rewritten_piece(span, |this| param.visit_with(this))
                }
            })
            .collect();
        while params.last().is_some_and(String::is_empty) {
            params.pop();
        }
        let mut names = call.handler.names();
        names.retain(|n| !call.unused.contains(n));
        let reassigned = names.iter().any(|n| self.reassigned.contains(n));
        let keyword = if reassigned { "let" } else { "const" };
        let resolve = self.free_name("resolve");
        let results = self.free_name("results");
        lines.push(format!(
            "{keyword} [{}] = await new Promise(({resolve}) => {head}(...{results}) => {resolve}({results})));",
            params.join(", ")
        ));
        self.with_scope(names, |this| {
            lines.extend(this.handler_text(&call.handler, last_in_rule_body));
        });
        lines
    }
}
