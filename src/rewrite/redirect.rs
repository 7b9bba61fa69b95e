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
//! the flow right after itself. The branch moves alone only where that is all the Rule ran on
//! resume: a top-level `if` on the protocol alone, without `else`, ending in `return`, after
//! nothing but declarations it may use (copied into the continue handler). Anywhere else the
//! protocol test becomes the handler's third parameter, and `onContinuePostLogin` runs the
//! whole handler again, as Rules ran the whole rule again (`R2A917`, a note):
//! ```js
//! exports.onExecutePostLogin = async (event, api, resumed = false) => {
//!   if (resumed && event.request.query.token) {
//! ```
//! Refused: redirect objects with more than `url`, redirects whose value is used (`R2A204`),
//! and resume tests in a rule that never redirects (`R2A207` stays: only the Action that
//! redirected resumes).
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
    /// Where the first converted redirect is.
    pub(super) redirect_at: Option<Span>,
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
    /// The handler parameter that resume tests became, when `onContinuePostLogin` runs the
    /// whole handler again (as Rules ran the whole rule again) instead of a moved branch.
    pub(super) rerun_flag: Option<String>,
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
        self.resume
            .redirect_at
            .get_or_insert(self.span(assign.span));
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

    /// `if (context.protocol === 'redirect-callback') { …; return … }` at the top of the rule
    /// body, before any statement other than declarations. Returns whether it moved into
    /// `onContinuePostLogin`: on resume the Rule ran the declarations and then this branch, and
    /// nothing else, which is what the continue handler runs.
    pub(super) fn resume_branch(&mut self, branch: &IfStmt, statement: Span) -> bool {
        let top_level = self.depth == 0 && self.scopes.len() == 1 && self.flow.in_list;
        // Anywhere else, the protocol test becomes the handler's flag and the whole handler
        // runs again (`resume_flag`).
        if !top_level || !self.resume.in_rule || branch.alt.is_some() {
            return false;
        }
        if self.resume.rerun_flag.is_some() || !self.is_resume_test(&branch.test) {
            return false;
        }
        let stmts: &[Stmt] = match &*branch.cons {
            Stmt::Block(block) => &block.stmts,
            single => std::slice::from_ref(single),
        };
        // A branch that falls through went on with the statements after it.
        if !matches!(stmts.last(), Some(Stmt::Return(_))) {
            return false;
        }
        let after_other_statements = self.resume.top_statements.iter().any(|s| {
            s.start < statement.start && !self.resume.top_declarations.iter().any(|d| d.span == *s)
        });
        if after_other_statements {
            return false;
        }
        // The continue handler is a new function: the rule's own locals do not exist there.
        let mut used = UsedNames::default();
        stmts.iter().for_each(|s| s.visit_with(&mut used));
        // Rules ran the statements before the branch again on resume: the declarations the
        // branch needs are copied into the continue handler.
        let declared_inside = scope::body_names(stmts);
        used.names.retain(|n| !declared_inside.contains(n));
        let Some(copied) = self.declarations_for(&used.names, statement) else {
            return false;
        };
        let saved_flow = self.flow;
        let findings_before = self.out.findings.len();
        self.resume.in_branch = true;
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
        // The branch's markers move with it, each beside the line it concerns, as in the
        // main handler; a finding about the branch as a whole goes to the top.
        let (inside, mut on_top): (Vec<Finding>, Vec<Finding>) = self.out.findings
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
        let branch_text = dedent_block(&text, indent, &self.handler.indent);
        let defaults = self.defaults_before(statement);
        self.resume.continue_body = Some(format!("{header}{copied}{defaults}{branch_text}"));
        self.delete_statement(Family::Redirect, statement, self.flow.last_in_rule_body);
        true
    }

    /// `context.protocol === 'redirect-callback'` (or `!==`) where no branch moved into
    /// `onContinuePostLogin`, in a rule that redirects: it becomes the handler's third
    /// parameter, which `onContinuePostLogin` sets when it runs the handler again. Returns
    /// whether the comparison was replaced.
    pub(super) fn resume_flag(&mut self, bin: &swc_ecma_ast::BinExpr) -> bool {
        if !self.resume.in_rule || self.resume.in_branch || self.resume.continue_body.is_some() {
            return false;
        }
        let negated = match bin.op {
            BinaryOp::EqEqEq | BinaryOp::EqEq => false,
            BinaryOp::NotEqEq | BinaryOp::NotEq => true,
            _ => return false,
        };
        if self.protocol_operand(bin).as_deref() != Some("redirect-callback") {
            return false;
        }
        let flag = match &self.resume.rerun_flag {
            Some(flag) => flag.clone(),
            None => {
                let flag = self.free_name("resumed");
                self.resume.rerun_flag = Some(flag.clone());
                flag
            }
        };
        let span = self.span(bin.span);
        self.replace(
            Family::Redirect,
            span,
            if negated {
                format!("!{flag}")
            } else {
                flag.clone()
            },
        );
        self.report(
            Finding::new(
                Code::ResumeRunsHandlerAgain,
                span,
                format!("on resume the Rule ran again with `context.protocol` `redirect-callback`: `onContinuePostLogin` runs this handler again with `{flag}` true"),
            )
            .with_help("earlier Actions do not run again on resume, where earlier rules did"),
        );
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

    /// `'x'` in `context.protocol === 'x'` (either side, `==` too).
    fn protocol_compared_with(&self, test: &Expr) -> Option<String> {
        let Expr::Bin(bin) = unparen(test) else {
            return None;
        };
        if !matches!(bin.op, BinaryOp::EqEqEq | BinaryOp::EqEq) {
            return None;
        }
        self.protocol_operand(bin)
    }

    /// `'x'` in `context.protocol <op> 'x'` (either side), whatever the operator.
    fn protocol_operand(&self, bin: &swc_ecma_ast::BinExpr) -> Option<String> {
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

    /// A rule that redirects but never tests for the login coming back ran again from the top
    /// on resume, and redirected again unless what it tested had changed; the Action's
    /// `onContinuePostLogin` does nothing, as Auth0's own template does.
    pub(super) fn report_resume_without_rerun(&mut self) {
        let Some(at) = self.resume.redirect_at else {
            return;
        };
        if self.resume.continue_body.is_some() || self.resume.rerun_flag.is_some() {
            return;
        }
        self.report(
            Finding::new(
                Code::ResumeRunsNothing,
                at,
                "when the user came back, the Rule ran again from the top (and redirected again if it still applied); `onContinuePostLogin` does nothing",
            )
            .with_help("if something must happen when the user comes back, test `context.protocol === 'redirect-callback'` in the rule, or write it in `onContinuePostLogin`"),
        );
    }

    /// The `onContinuePostLogin` handler, when the rule redirects or resumes.
    pub(super) fn continue_handler(&self) -> Option<String> {
        let resumes = self.resume.continue_body.is_some() || self.resume.rerun_flag.is_some();
        if !self.resume.converted && !resumes {
            return None;
        }
        let nl = crate::span::newline_of(self.source);
        let handler = self.out.trigger.resume_handler?;
        if self.resume.rerun_flag.is_some() {
            let (event, api) = (&self.event, &self.api);
            return Some(format!(
                "{nl}{nl}// Rules ran the whole rule again when the user came back, with `context.protocol` 'redirect-callback'.{nl}exports.{handler} = async ({event}, {api}) => exports.{}({event}, {api}, true);",
                self.out.trigger.handler
            ));
        }
        // Each handler starts from the profile, as every rule did again on resume.
        let body = match &self.resume.continue_body {
            Some(branch) => format!("{}{branch}", self.handler.declarations.concat()),
            None => String::new(),
        };
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
