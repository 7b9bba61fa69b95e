//! Mutants of an Action: the bugs that matter in a migrated login, one at a time, to measure
//! whether `verify` catches them (the mutation score in `tests/mutation.rs`). Each operator
//! models a mistake a migration or a hand edit makes:
//!
//! - `drop-deny`: `return api.access.deny(…)` becomes `return;`;
//! - `negate-condition`: `if (c)` becomes `if (!(c))`;
//! - `weaken-condition`: `if (a && b)` becomes `if (a)`, `if (a || b)` becomes `if (b)`;
//! - `drop-call`: a `setCustomClaim`, `set*Metadata`, `multifactor.enable`, scope, primary
//!   user, redirect or SAML call is removed;
//! - `drop-option`: one property of an `api.multifactor.enable` options object is removed;
//! - `rename-claim`: a claim name literal changes;
//! - `change-literal`: a string compared with `===`, `!==` or `includes` changes, or a number
//!   compared moves by one;
//! - `drop-await`: `await x` becomes `x`.

use swc_common::Spanned;
use swc_ecma_ast::{
    AwaitExpr, BinExpr, BinaryOp, CallExpr, Callee, Expr, ExprStmt, IfStmt, Lit, MemberProp,
    ObjectLit, ReturnStmt, Stmt,
};
use swc_ecma_visit::{Visit, VisitWith};

use crate::parse::{check_script, parse_code, Offsets};
use crate::span::LineIndex;

/// One mutant: which operator made it, on which line, and the mutated Action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutant {
    pub operator: &'static str,
    pub line: usize,
    pub code: String,
}

/// Every mutant of `action`, in source order; each is one edit and parses.
pub fn mutants(action: &str) -> Vec<Mutant> {
    let Ok((script, offsets)) = parse_code(action) else {
        return Vec::new();
    };
    let mut finder = Finder {
        offsets,
        source: action,
        edits: Vec::new(),
    };
    script.visit_with(&mut finder);
    let lines = LineIndex::new(action);
    let mut out: Vec<Mutant> = Vec::new();
    for (operator, start, end, replacement) in finder.edits {
        let code = format!("{}{replacement}{}", &action[..start], &action[end..]);
        if code != action && check_script(&code).is_ok() && !out.iter().any(|m| m.code == code) {
            out.push(Mutant {
                operator,
                line: lines.position(start).line,
                code,
            });
        }
    }
    out
}

/// Calls whose removal loses an effect of the login.
const EFFECT_CALLS: &[&str] = &[
    "setCustomClaim",
    "setAppMetadata",
    "setUserMetadata",
    "enable",
    "addScope",
    "removeScope",
    "setPrimaryUser",
    "sendUserTo",
    "setAttribute",
];

struct Finder<'s> {
    offsets: Offsets,
    source: &'s str,
    /// `(operator, start, end, replacement)`.
    edits: Vec<(&'static str, usize, usize, String)>,
}

impl Finder<'_> {
    fn range(&self, node: &impl Spanned) -> (usize, usize) {
        let span = self.offsets.span(node.span());
        (span.start, span.end)
    }

    fn text(&self, node: &impl Spanned) -> &str {
        let (start, end) = self.range(node);
        &self.source[start..end]
    }

    fn edit(&mut self, operator: &'static str, node: &impl Spanned, replacement: String) {
        let (start, end) = self.range(node);
        self.edits.push((operator, start, end, replacement));
    }
}

/// The method name of `x.y.method(…)`.
fn method(call: &CallExpr) -> Option<&str> {
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    let Expr::Member(member) = &**callee else {
        return None;
    };
    match &member.prop {
        MemberProp::Ident(name) => Some(&*name.sym),
        _ => None,
    }
}

fn is_deny(expr: &Expr) -> bool {
    matches!(expr, Expr::Call(call) if method(call) == Some("deny"))
}

impl Visit for Finder<'_> {
    fn visit_return_stmt(&mut self, stmt: &ReturnStmt) {
        if stmt.arg.as_deref().is_some_and(is_deny) {
            self.edit("drop-deny", stmt, "return;".to_string());
        }
        stmt.visit_children_with(self);
    }

    fn visit_expr_stmt(&mut self, stmt: &ExprStmt) {
        if let Expr::Call(call) = &*stmt.expr {
            if is_deny(&stmt.expr) {
                self.edit("drop-deny", stmt, ";".to_string());
            } else if method(call).is_some_and(|m| EFFECT_CALLS.contains(&m)) {
                self.edit("drop-call", stmt, ";".to_string());
            }
        }
        stmt.visit_children_with(self);
    }

    fn visit_if_stmt(&mut self, branch: &IfStmt) {
        let test = self.text(&*branch.test).to_string();
        self.edit("negate-condition", &*branch.test, format!("!({test})"));
        if let Expr::Bin(bin) = &*branch.test {
            match bin.op {
                BinaryOp::LogicalAnd => {
                    let left = self.text(&*bin.left).to_string();
                    self.edit("weaken-condition", &*branch.test, left);
                }
                BinaryOp::LogicalOr => {
                    let right = self.text(&*bin.right).to_string();
                    self.edit("weaken-condition", &*branch.test, right);
                }
                _ => {}
            }
        }
        branch.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        let name = method(call);
        if name == Some("setCustomClaim") {
            if let Some(Expr::Lit(Lit::Str(claim))) = call.args.first().map(|a| &*a.expr) {
                let text = self.text(claim).to_string();
                let renamed = format!(
                    "{}_renamed{}",
                    &text[..text.len() - 1],
                    &text[text.len() - 1..]
                );
                self.edit("rename-claim", claim, renamed);
            }
        }
        if name == Some("enable") {
            if let Some(Expr::Object(options)) = call.args.get(1).map(|a| &*a.expr) {
                self.drop_options(options);
            }
        }
        if name == Some("includes") {
            if let Some(Expr::Lit(literal)) = call.args.first().map(|a| &*a.expr) {
                self.change_literal(literal);
            }
        }
        call.visit_children_with(self);
    }

    fn visit_bin_expr(&mut self, bin: &BinExpr) {
        if matches!(
            bin.op,
            BinaryOp::EqEqEq
                | BinaryOp::NotEqEq
                | BinaryOp::EqEq
                | BinaryOp::NotEq
                | BinaryOp::Gt
                | BinaryOp::GtEq
                | BinaryOp::Lt
                | BinaryOp::LtEq
        ) {
            for side in [&bin.left, &bin.right] {
                if let Expr::Lit(literal) = &**side {
                    self.change_literal(literal);
                }
            }
        }
        bin.visit_children_with(self);
    }

    fn visit_await_expr(&mut self, expr: &AwaitExpr) {
        let inner = self.text(&*expr.arg).to_string();
        self.edit("drop-await", expr, format!("({inner})"));
        expr.visit_children_with(self);
    }

    fn visit_stmt(&mut self, stmt: &Stmt) {
        stmt.visit_children_with(self);
    }
}

impl Finder<'_> {
    fn drop_options(&mut self, options: &ObjectLit) {
        for prop in &options.props {
            let (start, mut end) = self.range(prop);
            // The property and the comma after it.
            let rest = &self.source[end..];
            if let Some(comma) = rest.find(',').filter(|&c| rest[..c].trim().is_empty()) {
                end += comma + 1;
            }
            self.edits.push(("drop-option", start, end, String::new()));
        }
    }

    fn change_literal(&mut self, literal: &Lit) {
        match literal {
            Lit::Str(_) => {
                let text = self.text(literal).to_string();
                let changed = format!("{}_x{}", &text[..text.len() - 1], &text[text.len() - 1..]);
                self.edit("change-literal", literal, changed);
            }
            Lit::Num(number) => {
                self.edit("change-literal", literal, format!("{}", number.value + 1.0))
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_operator_makes_one_parsing_mutant() {
        let action = "exports.onExecutePostLogin = async (event, api) => {\n  if (event.user.email_verified && event.client.name === 'App') {\n    return api.access.deny('no');\n  }\n  const r = await fetch('x');\n  api.idToken.setCustomClaim('https://e.com/a', 1);\n  api.multifactor.enable('any', { allowRememberBrowser: false });\n};\n";
        let found = mutants(action);
        let operators: std::collections::BTreeSet<&str> =
            found.iter().map(|m| m.operator).collect();
        for operator in [
            "drop-deny",
            "negate-condition",
            "weaken-condition",
            "drop-call",
            "drop-option",
            "rename-claim",
            "change-literal",
            "drop-await",
        ] {
            assert!(operators.contains(operator), "{operator}: {found:#?}");
        }
        let dropped = found.iter().find(|m| m.operator == "drop-deny").unwrap();
        assert!(dropped.code.contains("    return;\n"), "{}", dropped.code);
        assert_eq!(dropped.line, 3);
        let option = found.iter().find(|m| m.operator == "drop-option").unwrap();
        assert!(
            option.code.contains("api.multifactor.enable('any', {  });"),
            "{}",
            option.code
        );
    }
}
