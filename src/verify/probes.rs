//! Branch coverage for `verify`: the Rule and the Action are instrumented with probes, calls of
//! `__r2a(id)` spliced into their text, so that the search can tell which branches a scenario
//! reached and which it never did, and name an unreached deny by its line.
//!
//! A probe marks: each branch of an `if` (an `else` is added where there was none), of `?:`,
//! the right side of `&&`, `||` and `??`, each `case`, each `catch`, each loop body, each
//! function body, and each deny: a call of the rule's callback with an error, or of
//! `api.access.deny`. The operands of comparisons (`===`, `<`, …) and the arguments of
//! `includes`, `indexOf`, `startsWith`, `endsWith` and `test` pass through `__r2aV(value, n)`,
//! which records the values each comparison `n` met at run time: the value a field must hold
//! to take the other branch. Probes are inserted without line breaks, so every line keeps its number,
//! and the result is parsed again; code that does not instrument runs uninstrumented, without
//! coverage.

use swc_common::Spanned;
use swc_ecma_ast::{
    ArrowExpr, ArrowFunctionBody, BinExpr, BinaryOp, CallExpr, Callee, CatchClause, CondExpr, Expr,
    Function, IfStmt, Lit, MemberProp, Pat, Stmt, SwitchCase,
};
use swc_ecma_visit::{Visit, VisitWith};

use crate::parse::{parse_code, Offsets};
use crate::span::LineIndex;

/// The function the instrumented code calls; the runner passes it in.
pub const PROBE: &str = "__r2a";
/// The function that sees a compared value and hands it back unchanged: the values the code
/// compares with are the values worth trying.
pub const COMPARED: &str = "__r2aV";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeKind {
    Branch,
    Function,
    /// A path that ends the login with an error.
    Deny,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub kind: ProbeKind,
    /// 1-based line in the original text.
    pub line: usize,
}

/// Code with probes, and what each probe (by index) marks.
#[derive(Debug, Clone)]
pub struct Instrumented {
    pub code: String,
    pub probes: Vec<Probe>,
}

/// Which side the code is: it decides what a deny looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Rule,
    Action,
}

/// `code` with probes; `None` when it does not parse, or the result would not.
pub fn instrument(code: &str, side: Side) -> Option<Instrumented> {
    let (script, offsets) = parse_code(code).ok()?;
    let mut collector = Collector {
        offsets,
        side,
        callback: None,
        depth: 0,
        comparisons: 0,
        inserts: Vec::new(),
        probes: Vec::new(),
        lines: LineIndex::new(code),
    };
    script.visit_with(&mut collector);
    let Collector {
        mut inserts,
        probes,
        ..
    } = collector;
    // At one offset: what closes comes first, deepest first; then what opens, outermost first.
    inserts.sort_by_key(|i| {
        (
            i.at,
            i.opens,
            if i.opens {
                i.depth as i64
            } else {
                -(i.depth as i64)
            },
            i.order,
        )
    });
    let mut out = String::with_capacity(code.len() + inserts.len() * 12);
    let mut cursor = 0;
    for insert in &inserts {
        out.push_str(&code[cursor..insert.at]);
        out.push_str(&insert.text);
        cursor = insert.at;
    }
    out.push_str(&code[cursor..]);
    parse_code(&out).ok()?;
    Some(Instrumented { code: out, probes })
}

struct Insert {
    at: usize,
    /// Opens a construct (or stands alone) rather than closing one.
    opens: bool,
    depth: usize,
    /// Insertion order, for a stable result.
    order: usize,
    text: String,
}

struct Collector<'a> {
    offsets: Offsets,
    side: Side,
    /// The rule's callback parameter.
    callback: Option<swc_atoms::Atom>,
    depth: usize,
    /// Comparisons seen so far: each one's operands share its number.
    comparisons: usize,
    inserts: Vec<Insert>,
    probes: Vec<Probe>,
    lines: LineIndex<'a>,
}

impl Collector<'_> {
    fn probe(&mut self, kind: ProbeKind, at: usize) -> String {
        self.probes.push(Probe {
            kind,
            line: self.lines.position(at).line,
        });
        format!("{PROBE}({})", self.probes.len() - 1)
    }

    fn insert(&mut self, at: usize, opens: bool, text: String) {
        let order = self.inserts.len();
        self.inserts.push(Insert {
            at,
            opens,
            depth: self.depth,
            order,
            text,
        });
    }

    fn start(&self, node: &impl Spanned) -> usize {
        self.offsets.offset(node.span().lo)
    }

    fn end(&self, node: &impl Spanned) -> usize {
        self.offsets.offset(node.span().hi)
    }

    /// A probe that runs before `stmt`, which stays a single statement: `{ probe; stmt }`.
    fn probe_statement(&mut self, stmt: &Stmt, kind: ProbeKind) {
        let (start, end) = (self.start(stmt), self.end(stmt));
        match stmt {
            Stmt::Block(block) => {
                let probe = self.probe(kind, start);
                let at = self.after_directives(&block.stmts).unwrap_or(start + 1);
                self.insert(at, true, format!(" {probe};"));
            }
            _ => {
                let probe = self.probe(kind, start);
                self.insert(start, true, format!("{{ {probe}; "));
                self.insert(end, false, " }".to_string());
            }
        }
    }

    /// A probe evaluated just before `expr`, keeping its value: `(probe, expr)`.
    fn probe_expression(&mut self, expr: &Expr, kind: ProbeKind) {
        let (start, end) = (self.start(expr), self.end(expr));
        let probe = self.probe(kind, start);
        self.insert(start, true, format!("({probe}, "));
        self.insert(end, false, ")".to_string());
    }

    /// `__r2aV(expr, n)`: the value passes through, seen as one side of comparison `n`.
    fn see(&mut self, expr: &Expr, comparison: usize) {
        let (start, end) = (self.start(expr), self.end(expr));
        self.insert(start, true, format!("{COMPARED}("));
        self.insert(end, false, format!(", {comparison})"));
    }

    /// Where a probe goes in a function body: after its `'use strict'` prologue, if any.
    fn after_directives(&self, stmts: &[Stmt]) -> Option<usize> {
        let directive =
            |s: &&Stmt| matches!(s, Stmt::Expr(e) if matches!(&*e.expr, Expr::Lit(Lit::Str(_))));
        stmts
            .iter()
            .take_while(directive)
            .last()
            .map(|s| self.end(s))
    }

    fn probe_body(&mut self, body: &swc_ecma_ast::FunctionBody) {
        let start = self.start(body);
        let probe = self.probe(ProbeKind::Function, start);
        let at = self.after_directives(&body.stmts).unwrap_or(start + 1);
        self.insert(at, true, format!(" {probe};"));
    }

    fn nested(&mut self, visit: impl FnOnce(&mut Self)) {
        self.depth += 1;
        visit(self);
        self.depth -= 1;
    }

    fn is_deny(&self, call: &CallExpr) -> bool {
        let Callee::Expr(callee) = &call.callee else {
            return false;
        };
        match (self.side, &**callee) {
            (Side::Rule, Expr::Ident(name)) => {
                self.callback.as_ref() == Some(&name.sym)
                    && call.args.first().is_some_and(|first| match &*first.expr {
                        Expr::Lit(Lit::Null(_)) => false,
                        Expr::Ident(i) => &*i.sym != "undefined",
                        _ => true,
                    })
            }
            (Side::Action, Expr::Member(member)) => {
                matches!(&member.prop, MemberProp::Ident(p) if &*p.sym == "deny")
                    && matches!(&*member.obj, Expr::Member(access)
                        if matches!(&access.prop, MemberProp::Ident(p) if &*p.sym == "access"))
            }
            _ => false,
        }
    }
}

impl Visit for Collector<'_> {
    fn visit_function(&mut self, function: &Function) {
        // The last parameter of the rule function (the third) or the Hook's is its callback.
        if self.side == Side::Rule && self.callback.is_none() && function.params.len() >= 3 {
            if let Some(Pat::Ident(name)) = function.params.last().map(|p| &p.pat) {
                self.callback = Some(name.id.sym.clone());
            }
        }
        if let Some(body) = &function.body {
            self.probe_body(body);
        }
        self.nested(|this| function.visit_children_with(this));
    }

    fn visit_arrow_expr(&mut self, arrow: &ArrowExpr) {
        match &*arrow.body {
            ArrowFunctionBody::FunctionBody(body) => self.probe_body(body),
            ArrowFunctionBody::Expr(body) => self.probe_expression(body, ProbeKind::Function),
        }
        self.nested(|this| arrow.visit_children_with(this));
    }

    fn visit_if_stmt(&mut self, branch: &IfStmt) {
        self.probe_statement(&branch.cons, ProbeKind::Branch);
        match &branch.alt {
            Some(alt) => self.probe_statement(alt, ProbeKind::Branch),
            None => {
                let end = self.end(&*branch.cons);
                let probe = self.probe(ProbeKind::Branch, end);
                self.insert(end, false, format!(" else {{ {probe}; }}"));
            }
        }
        self.nested(|this| branch.visit_children_with(this));
    }

    fn visit_cond_expr(&mut self, cond: &CondExpr) {
        self.probe_expression(&cond.cons, ProbeKind::Branch);
        self.probe_expression(&cond.alt, ProbeKind::Branch);
        self.nested(|this| cond.visit_children_with(this));
    }

    fn visit_bin_expr(&mut self, bin: &BinExpr) {
        if matches!(
            bin.op,
            BinaryOp::LogicalAnd | BinaryOp::LogicalOr | BinaryOp::NullishCoalescing
        ) {
            self.probe_expression(&bin.right, ProbeKind::Branch);
        }
        let compares = matches!(
            bin.op,
            BinaryOp::EqEqEq
                | BinaryOp::NotEqEq
                | BinaryOp::EqEq
                | BinaryOp::NotEq
                | BinaryOp::Lt
                | BinaryOp::LtEq
                | BinaryOp::Gt
                | BinaryOp::GtEq
        );
        if compares {
            self.comparisons += 1;
            self.see(&bin.left, self.comparisons);
            self.see(&bin.right, self.comparisons);
        }
        self.nested(|this| bin.visit_children_with(this));
    }

    fn visit_switch_case(&mut self, case: &SwitchCase) {
        if let Some(first) = case.cons.first() {
            let at = self.start(first);
            let probe = self.probe(ProbeKind::Branch, at);
            self.insert(at, true, format!("{probe}; "));
        }
        self.nested(|this| case.visit_children_with(this));
    }

    fn visit_catch_clause(&mut self, clause: &CatchClause) {
        let start = self.start(&clause.body);
        let probe = self.probe(ProbeKind::Branch, start);
        self.insert(start + 1, true, format!(" {probe};"));
        self.nested(|this| clause.visit_children_with(this));
    }

    fn visit_stmt(&mut self, stmt: &Stmt) {
        let body = match stmt {
            Stmt::For(s) => Some(&s.body),
            Stmt::ForIn(s) => Some(&s.body),
            Stmt::ForOf(s) => Some(&s.body),
            Stmt::While(s) => Some(&s.body),
            Stmt::DoWhile(s) => Some(&s.body),
            _ => None,
        };
        if let Some(body) = body {
            self.probe_statement(body, ProbeKind::Branch);
        }
        self.nested(|this| stmt.visit_children_with(this));
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        // `list.includes(x)`, `text.startsWith(x)`: the list or text and the value it is
        // compared with (a regular expression is only the literal it already is).
        if let Callee::Expr(callee) = &call.callee {
            if let Expr::Member(member) = &**callee {
                let method = match &member.prop {
                    MemberProp::Ident(p) => &*p.sym,
                    _ => "",
                };
                // Only the argument: wrapping the callee would show in the messages of
                // errors the code throws. The worker sees a list's own method calls.
                if matches!(
                    method,
                    "includes" | "indexOf" | "startsWith" | "endsWith" | "test"
                ) {
                    self.comparisons += 1;
                    if let Some(arg) = call.args.first().filter(|a| a.spread.is_none()) {
                        self.see(&arg.expr, self.comparisons);
                    }
                }
            }
        }
        if self.is_deny(call) {
            let (start, end) = (self.start(call), self.end(call));
            let probe = self.probe(ProbeKind::Deny, start);
            self.insert(start, true, format!("({probe}, "));
            self.insert(end, false, ")".to_string());
        }
        self.nested(|this| call.visit_children_with(this));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_branch_and_deny_gets_a_probe_and_lines_keep_their_numbers() {
        let rule = "function (user, context, callback) {\n  if (!user.email_verified) return callback(new UnauthorizedError('no'));\n  const tier = user.plan === 'pro' ? 'gold' : 'basic';\n  if (a) if (b) x(); else y();\n  callback(null, user, context);\n}\n";
        let instrumented = instrument(rule, Side::Rule).expect("instruments");
        assert_eq!(instrumented.code.lines().count(), rule.lines().count());
        let denies: Vec<usize> = instrumented
            .probes
            .iter()
            .filter(|p| p.kind == ProbeKind::Deny)
            .map(|p| p.line)
            .collect();
        assert_eq!(denies, [2], "{}", instrumented.code);
        // function, if (then, else), deny, ?: (2), outer if (then, else), inner if (then, else)
        assert_eq!(instrumented.probes.len(), 10, "{}", instrumented.code);
        assert!(
            instrumented
                .code
                .contains("(__r2a(3), callback(new UnauthorizedError('no')))"),
            "{}",
            instrumented.code
        );
        assert!(
            instrumented
                .code
                .contains("__r2aV(user.plan, 1) === __r2aV('pro', 1)"),
            "{}",
            instrumented.code
        );
    }

    #[test]
    fn actions_and_strict_bodies_instrument() {
        let action = "exports.onExecutePostLogin = async (event, api) => {\n  'use strict';\n  if (event.user.blocked) {\n    return api.access.deny('blocked');\n  }\n  const r = event.x ?? (() => 1)();\n};\n";
        let instrumented = instrument(action, Side::Action).expect("instruments");
        assert!(
            instrumented.code.contains("'use strict'; __r2a(0);"),
            "{}",
            instrumented.code
        );
        assert!(instrumented
            .probes
            .iter()
            .any(|p| p.kind == ProbeKind::Deny && p.line == 4));
        assert!(instrument("function (", Side::Rule).is_none());
    }
}
