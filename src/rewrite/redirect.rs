//! Redirect rules: `context.redirect = { url }` becomes `api.redirect.sendUserTo(url)`, and the
//! branch that ran when the user came back moves into `exports.onContinuePostLogin`.
//!
//! Rule:
//! ```js
//! if (context.protocol === 'redirect-callback') {
//!   return callback(null, user, context);
//! }
//! context.redirect = { url: 'https://consent.example.com' };
//! callback(null, user, context);
//! ```
//! Action:
//! ```js
//! exports.onExecutePostLogin = async (event, api) => {
//!   api.redirect.sendUserTo('https://consent.example.com');
//! };
//!
//! exports.onContinuePostLogin = async (event, api) => {
//! };
//! ```
//! Every redirect reports `R2A904`: Rules redirected after all rules ran, an Action suspends
//! the flow right after itself. Refused: redirect objects with more than `url`; resume branches
//! with an `else`, that use rule locals other than top-level declarations before the branch
//! (those are copied into the continue handler, as Rules ran them again), that do not end in
//! `return`, or in a
//! rule that never redirects (`R2A207` stays); and redirects whose value is used (`R2A204`).
//!
//! In a rule that redirects, a guard such as
//! `if (context.protocol === 'oauth2-refresh-token') return callback(null, user, context);`
//! becomes `if (!api.redirect.canRedirect()) return;`, with `R2A908`: `canRedirect()` is also
//! false for `prompt=none` requests, which the Rule redirected (and failed).

use swc_ecma_ast::{AssignExpr, BinaryOp, Expr, IfStmt, Lit, Prop, PropName, PropOrSpread, Stmt};
use swc_ecma_visit::{Visit, VisitWith};

use super::chain::{self, Chain};
use super::walk::unparen;
use super::{scope, Param, Rewriter, Value};
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::Span;
use crate::tables::context::PROTOCOLS_THAT_CANNOT_REDIRECT;
use swc_common::Spanned;

/// What the redirect family knows of the rule's redirect and its resumed login.
#[derive(Default)]
pub(super) struct Resume {
    /// The rule's redirect was converted, so the Action needs `onContinuePostLogin`.
    pub(super) converted: bool,
    /// The rule assigns `context.redirect` somewhere, converted or not.
    pub(super) in_rule: bool,
    /// The resumed-login branch, rewritten, for `onContinuePostLogin`.
    pub(super) continue_body: Option<String>,
    /// The walk is inside the branch that becomes `onContinuePostLogin`.
    pub(super) in_branch: bool,
    /// The rule body's statements.
    pub(super) top_statements: Vec<Span>,
    /// The rule body's `a.b = a.b || {}` statements.
    pub(super) top_defaults: Vec<Span>,
    /// The rule body's own `var`/`let`/`const` and function declarations.
    pub(super) top_declarations: Vec<super::TopDeclaration>,
}

impl Rewriter<'_> {
    /// `context.redirect = { url: … }`.
    pub(super) fn redirect_write(&mut self, assign: &AssignExpr, chain: &Chain<'_>, value: Value) {
        let url = match (value, unparen(&assign.right)) {
            (Value::Statement(statement), Expr::Object(object)) if object.props.len() == 1 => {
                match &object.props[0] {
                    PropOrSpread::Prop(prop) => match &**prop {
                        Prop::KeyValue(kv) if prop_is_url(&kv.key) => {
                            Some((statement, (*kv.value).clone()))
                        }
                        Prop::Shorthand(ident) if &*ident.sym == "url" => {
                            Some((statement, Expr::Ident(ident.clone())))
                        }
                        _ => None,
                    },
                    PropOrSpread::Spread(_) => None,
                }
            }
            _ => None,
        };
        let Some((statement, url)) = url else {
            return self.context_write_not_converted(assign, chain);
        };
        let url = self.rewritten(&url);
        self.resume.converted = true;
        self.report(
            Finding::new(
                Code::RedirectSuspendsFlow,
                self.span(assign.span),
                "the Rule redirected after every rule had run; the Action suspends the flow right after this Action",
            )
            .with_help("Actions after this one wait until the user comes back to /continue"),
        );
        self.replace(
            Family::Redirect,
            statement,
            format!("{}.redirect.sendUserTo({url});", self.api),
        );
    }

    /// `if (context.protocol === 'redirect-callback') { … }` at the top of the rule body.
    /// Returns whether it moved into `onContinuePostLogin`.
    pub(super) fn resume_branch(&mut self, branch: &IfStmt, statement: Span) -> bool {
        let top_level = self.depth == 0 && self.scopes.len() == 1 && self.flow.in_list;
        // Only the Action that redirected resumes, and in Rules the rest of the rule ran again
        // after a branch that falls through: neither has an equivalent, so R2A207 stays.
        if !top_level || !self.resume.in_rule || branch.alt.is_some() {
            return false;
        }
        let Some(condition) = self.resume_condition(&branch.test) else {
            return false;
        };
        let stmts: &[Stmt] = match &*branch.cons {
            Stmt::Block(block) => &block.stmts,
            single => std::slice::from_ref(single),
        };
        // It ends in `return`, or in a call of the callback, after which the Rule went on with
        // the statements after the branch (`R2A105` says so at the call).
        let ends = match stmts.last() {
            Some(Stmt::Return(_)) => true,
            Some(Stmt::Expr(last)) => self.bindings.name(Param::Callback).is_some_and(|callback| {
                super::promise_shape::is_callback_call(&last.expr, callback)
            }),
            _ => false,
        };
        if !ends {
            return false;
        }
        let falls_through = match stmts.last() {
            Some(Stmt::Expr(last)) => Some(self.span(last.span)),
            _ => None,
        };
        // The continue handler is a new function: the rule's own locals do not exist there.
        let mut used = UsedNames::default();
        stmts.iter().for_each(|s| s.visit_with(&mut used));
        condition.iter().for_each(|term| term.visit_with(&mut used));
        // Rules ran the statements before the branch again on resume: the declarations the
        // branch needs are copied into the continue handler.
        let declared_inside = scope::body_names(stmts);
        used.names.retain(|n| !declared_inside.contains(n));
        let Some(copied) = self.declarations_for(&used.names, statement) else {
            return false;
        };
        let saved_flow = self.flow;
        let findings_before = self.out.findings.len();
        if let Some(call) = falls_through {
            self.report(
                Finding::new(
                    Code::CodeAfterCallback,
                    call,
                    "the branch ends in this `callback` call without `return`: the Rule went on with the statements after the branch, `onContinuePostLogin` ends here",
                )
                .with_help("move side effects that must still happen on resume before this line"),
            );
        }
        self.resume.in_branch = true;
        let condition = match (condition.first(), condition.last()) {
            (Some(first), Some(last)) => {
                let span = Span::new(self.span(first.span()).start, self.span(last.span()).end);
                let edits = self.capture(|this| condition.iter().for_each(|t| t.visit_with(this)));
                self.report(
                    Finding::new(
                        Code::ResumeConditionEndsHandler,
                        span,
                        "on resume, when the branch's other conditions do not hold, the Rule ran the rest of the rule again; `onContinuePostLogin` just ends",
                    )
                    .with_help("if the statements after the branch must also run on resume, repeat them in `onContinuePostLogin`"),
                );
                Some((span, self.render(span, &edits)))
            }
            _ => None,
        };
        let inner = self.capture(|this| {
            this.with_scope(scope::block_names(stmts), |this| {
                this.visit_statement_list(stmts, true)
            })
        });
        self.resume.in_branch = false;
        self.flow = saved_flow;
        let body = match &*branch.cons {
            Stmt::Block(block) => {
                let span = self.span(block.span);
                Span::new(span.start + 1, span.end - 1)
            }
            single => self.span(swc_common::Spanned::span(single)),
        };
        let first = stmts
            .first()
            .map(|s| self.span(swc_common::Spanned::span(s)).start);
        let indent = first.map_or("", |at| crate::span::indentation_at(self.source, at));
        let guarded = self.resume.top_statements.iter().any(|s| {
            s.start < statement.start && !self.resume.top_declarations.iter().any(|d| d.span == *s)
        });
        if guarded {
            self.report(
                Finding::new(
                    Code::ResumeSkipsEarlierStatements,
                    statement,
                    "in Rules the statements before this branch ran again when the user came back; `onContinuePostLogin` runs only the branch and the declarations it uses",
                )
                .with_help("if an earlier check must also hold on resume, repeat it at the top of `onContinuePostLogin`"),
            );
        }
        // The branch's markers move with it, each beside the line it concerns, as in the
        // main handler; a finding about the branch as a whole goes to the top.
        let (inside, about_branch): (Vec<Finding>, Vec<Finding>) = self.out.findings
            [findings_before..]
            .iter()
            .cloned()
            .partition(|f| body.contains(f.span));
        let statements: Vec<Span> = self
            .out
            .statements
            .iter()
            .filter(|s| body.contains(**s))
            .copied()
            .collect();
        let top = first.map_or(body.start, |at| crate::span::line_start(self.source, at));
        let markers = crate::markers::marker_edits(self.source, &inside, &statements, &inner, top);
        let beside = top > body.start && markers.iter().all(|m| m.span.start >= top);
        let mut on_top = about_branch;
        let text = if beside {
            let mut edits = inner.clone();
            edits.extend(markers);
            self.render(body, &edits)
        } else {
            on_top.extend(inside);
            self.render(body, &inner)
        };
        let nl = crate::span::newline_of(self.source);
        let mut lines: Vec<String> = Vec::new();
        for finding in on_top
            .iter()
            .filter(|f| f.severity() >= crate::registry::Severity::Warning)
        {
            let line = format!(
                "{nl}{}{}",
                self.handler.indent,
                crate::markers::marker_text(finding)
            );
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        let header = lines.concat();
        self.out.moved.push(statement);
        let branch_text = match condition {
            // The branch keeps its own test, and its indentation inside it.
            Some((_, test)) => {
                let handler_indent = &self.handler.indent;
                format!(
                    "{nl}{handler_indent}if ({test}) {{{}{handler_indent}}}{nl}",
                    text.trim_end_matches([' ', '\t'])
                )
            }
            None => dedent_block(&text, indent, &self.handler.indent),
        };
        let defaults = self.defaults_before(statement);
        self.resume.continue_body = Some(format!("{header}{copied}{defaults}{branch_text}"));
        self.delete_statement(Family::Redirect, statement, self.flow.last_in_rule_body);
        true
    }

    /// The rewritten text of the top-level declarations that declare the rule locals among
    /// `names`, and those they use in turn, each on its own line; `None` when one is declared
    /// elsewhere, after `branch`, or reassigned.
    fn declarations_for(&self, names: &[swc_atoms::Atom], branch: Span) -> Option<String> {
        let rule_local = |name: &swc_atoms::Atom| {
            let params = [
                self.bindings.name(Param::User),
                self.bindings.name(Param::Context),
                self.bindings.name(Param::Callback),
            ];
            self.scopes[0].contains(name) && !params.contains(&Some(name))
        };
        let mut queue: Vec<swc_atoms::Atom> =
            names.iter().filter(|n| rule_local(n)).cloned().collect();
        let mut spans: Vec<Span> = Vec::new();
        while let Some(name) = queue.pop() {
            let declaration = self
                .resume
                .top_declarations
                .iter()
                .find(|d| d.declares.contains(&name))?;
            let reassigned = declaration
                .declares
                .iter()
                .any(|n| self.reassigned.contains(n));
            if declaration.span.start >= branch.start || reassigned {
                return None;
            }
            if !spans.contains(&declaration.span) {
                spans.push(declaration.span);
                queue.extend(declaration.uses.iter().filter(|n| rule_local(n)).cloned());
            }
        }
        spans.sort();
        let nl = crate::span::newline_of(self.source);
        spans
            .into_iter()
            .map(|span| {
                let text = crate::edit::apply_within(self.source, span, &self.out.edits).ok()?;
                Some(format!("{nl}{}{text}", self.handler.indent))
            })
            .collect()
    }

    /// The rewritten text of the top-level `a.b = a.b || {}` statements before `branch`, each
    /// on its own line: they ran again on resume in Rules, and the branch may rely on them. They
    /// only give a missing member its default, so running them again changes nothing else.
    fn defaults_before(&mut self, branch: Span) -> String {
        let nl = crate::span::newline_of(self.source);
        let spans: Vec<Span> = self
            .resume
            .top_defaults
            .iter()
            .filter(|s| s.end <= branch.start)
            .copied()
            .collect();
        let mut text = String::new();
        for span in spans {
            // Removed, or replaced together with more than itself: nothing to repeat.
            let replaced_whole = self.out.edits.iter().any(|e| {
                e.span.start < span.end && e.span.end > span.start && !span.contains(e.span)
            });
            if replaced_whole {
                continue;
            }
            let rewritten = self.render(span, &self.out.edits.clone());
            if !rewritten.trim().is_empty() {
                text.push_str(&format!("{nl}{}{}", self.handler.indent, rewritten.trim()));
            }
        }
        text
    }

    fn is_resume_test(&self, test: &Expr) -> bool {
        self.protocol_compared_with(test).as_deref() == Some("redirect-callback")
    }

    /// For a test that holds exactly on resume: `Some([])` for the protocol comparison alone,
    /// the other terms for `<comparison> && a && b` (the comparison first).
    fn resume_condition<'e>(&self, test: &'e Expr) -> Option<Vec<&'e Expr>> {
        let mut rest = Vec::new();
        let mut first = unparen(test);
        // `a && b && c` is `(a && b) && c`: the comparison is the leftmost term.
        while let Expr::Bin(bin) = first {
            if bin.op != BinaryOp::LogicalAnd {
                break;
            }
            rest.push(&*bin.right);
            first = unparen(&bin.left);
        }
        rest.reverse();
        self.is_resume_test(first).then_some(rest)
    }

    /// `'x'` in `context.protocol === 'x'` (either side, `==` too).
    fn protocol_compared_with(&self, test: &Expr) -> Option<String> {
        let Expr::Bin(bin) = unparen(test) else {
            return None;
        };
        if !matches!(bin.op, BinaryOp::EqEqEq | BinaryOp::EqEq) {
            return None;
        }
        let is_protocol = |e: &Expr| {
            chain::flatten(unparen(e), self.offsets).is_some_and(|c| {
                self.param(c.root) == Some(Param::Context)
                    && c.links.len() == 1
                    && c.static_key(0) == Some("protocol")
            })
        };
        let literal = |e: &Expr| match unparen(e) {
            Expr::Lit(Lit::Str(s)) => Some(s.value.to_string_lossy().into_owned()),
            _ => None,
        };
        match (is_protocol(&bin.left), is_protocol(&bin.right)) {
            (true, _) => literal(&bin.right),
            (_, true) => literal(&bin.left),
            _ => None,
        }
    }

    /// The `onContinuePostLogin` handler, when the rule redirects or resumes.
    pub(super) fn continue_handler(&self) -> Option<String> {
        if !self.resume.converted && self.resume.continue_body.is_none() {
            return None;
        }
        // Each handler starts from the profile, as every rule did again on resume.
        let body = match &self.resume.continue_body {
            Some(branch) => format!("{}{branch}", self.handler.declarations.concat()),
            None => String::new(),
        };
        let nl = crate::span::newline_of(self.source);
        let handler = self.out.trigger.resume_handler?;
        Some(format!(
            "{nl}{nl}exports.{handler} = async ({}, {}) => {{{body}}};",
            self.event, self.api
        ))
    }
}

/// The branch's text one level less indented, as the body of a handler of its own. Text with
/// template literals keeps its bytes: a line inside one is part of a string.
fn dedent_block(text: &str, indent: &str, handler_indent: &str) -> String {
    let nl = crate::span::newline_of(text);
    let extra = indent.strip_prefix(handler_indent).unwrap_or("");
    // Lines inside a template literal keep their indentation; a marker's backticks are prose.
    let template = text
        .lines()
        .any(|l| l.contains('`') && !l.trim_start().starts_with(crate::markers::MARKER_PREFIX));
    if extra.is_empty() || template {
        return format!("{}{nl}", text.trim_end());
    }
    let lines: Vec<&str> = text
        .trim_end()
        .split(nl)
        .map(|line| line.strip_prefix(extra).unwrap_or(line))
        .collect();
    format!("{}{nl}", lines.join(nl))
}

fn prop_is_url(key: &PropName) -> bool {
    match key {
        PropName::Ident(name) => &*name.sym == "url",
        PropName::Str(s) => s.value.as_atom().is_some_and(|a| a == "url"),
        _ => false,
    }
}

#[derive(Default)]
pub(super) struct UsedNames {
    pub(super) names: Vec<swc_atoms::Atom>,
}

impl Visit for UsedNames {
    fn visit_ident(&mut self, ident: &swc_ecma_ast::Ident) {
        self.names.push(ident.sym.clone());
    }
}

impl Rewriter<'_> {
    /// In a rule that redirects, `if (context.protocol === 'oauth2-refresh-token' || …)` guards
    /// the flows that cannot redirect: those comparisons become `!api.redirect.canRedirect()`.
    /// Returns whether the test was handled (its other terms visited).
    pub(super) fn redirect_guard(&mut self, test: &Expr) -> bool {
        if !self.resume.in_rule {
            return false;
        }
        let mut terms = Vec::new();
        disjuncts(test, &mut terms);
        let guards: Vec<usize> = (0..terms.len())
            .filter(|&i| self.is_protocol_guard(terms[i]))
            .collect();
        let (Some(&first), Some(&last)) = (guards.first(), guards.last()) else {
            return false;
        };
        if last - first + 1 != guards.len() {
            return false;
        }
        let span = Span::new(
            self.span(terms[first].span()).start,
            self.span(terms[last].span()).end,
        );
        for (i, term) in terms.iter().enumerate() {
            if i < first || i > last {
                term.visit_with(self);
            }
        }
        self.replace(
            Family::Redirect,
            span,
            format!("!{}.redirect.canRedirect()", self.api),
        );
        self.report(
            Finding::new(
                Code::RedirectGuardBecomesCanRedirect,
                span,
                "this guard for flows that cannot redirect becomes `!api.redirect.canRedirect()`, which is also true for `prompt=none` and the other flows that cannot redirect",
            )
            .with_help("the Rule still redirected those requests, and the login failed; check silent authentication (`prompt=none`)"),
        );
        true
    }

    /// `context.protocol === 'oauth2-refresh-token'` (either side, `==` too).
    fn is_protocol_guard(&self, term: &Expr) -> bool {
        self.protocol_compared_with(term)
            .is_some_and(|p| PROTOCOLS_THAT_CANNOT_REDIRECT.contains(&p.as_str()))
    }
}

/// The terms of `a || b || c`.
fn disjuncts<'e>(expr: &'e Expr, out: &mut Vec<&'e Expr>) {
    match unparen(expr) {
        Expr::Bin(bin) if bin.op == BinaryOp::LogicalOr => {
            disjuncts(&bin.left, out);
            disjuncts(&bin.right, out);
        }
        _ => out.push(expr),
    }
}
