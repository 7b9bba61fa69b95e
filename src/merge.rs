//! `--merge a,b`: rules that relied on each other become one Action. Their bodies run in order
//! in one function, so `user`, `context` and `global` are shared as they were in the pipeline,
//! and the callbacks are chained: a rule's success call goes on to the next rule, an error ends
//! the login. The merged rule is then migrated like any other.
//!
//! ```js
//! function (user, context, callback) {
//!   // rule `Load profile`
//!   rule1: {
//!     user.tier = lookup(user);
//!     break rule1; // was: return callback(null, user, context);
//!   }
//!   // rule `Gate admin console`
//!   {
//!     if (user.tier !== 'gold') return callback(new UnauthorizedError('…'));
//!     callback(null, user, context);
//!   }
//! }
//! ```
//! Refused, with the reason: rules that call back from nested functions (asynchronous rules),
//! hand the callback on, use other parameter names than the first rule, or declare the same
//! function-wide name (`var`, function declarations) as another merged rule.

use swc_atoms::Atom;
use swc_common::Spanned;
use swc_ecma_ast::{CallExpr, Callee, Expr, Ident, Stmt};
use swc_ecma_visit::{Visit, VisitWith};

use crate::edit::{apply_within, Edit};
use crate::parse::{parse_rule, Offsets, Parsed};
use crate::rewrite::promise_shape::final_statements;
use crate::rewrite::scope;
use crate::span::Span;

/// One merged rule's source, from the rules' names and sources in the order they ran.
pub fn merge(rules: &[(&str, &str)]) -> Result<String, String> {
    if rules.len() < 2 {
        return Err("--merge needs at least two rules".to_string());
    }
    let mut params: Option<Vec<String>> = None;
    let mut declared: Vec<(Atom, usize)> = Vec::new();
    let mut parts = Vec::new();
    for (index, (name, source)) in rules.iter().enumerate() {
        let fail = |why: String| format!("cannot merge rule `{name}`: {why}");
        let (parsed, offsets) = parse_rule(source).map_err(|e| fail(e.message))?;
        let Parsed::Rule(rule) = parsed else {
            return Err(fail("it is not a rule function".to_string()));
        };
        let names: Vec<String> = rule
            .function
            .params
            .iter()
            .map(|p| {
                p.pat
                    .as_ident()
                    .map(|b| b.id.sym.to_string())
                    .unwrap_or_default()
            })
            .collect();
        match &params {
            None => params = Some(names.clone()),
            Some(first) if *first != names => {
                return Err(fail(format!(
                    "its parameters ({}) differ from the first rule's ({})",
                    names.join(", "),
                    first.join(", ")
                )))
            }
            Some(_) => {}
        }
        let Some(body) = &rule.function.body else {
            return Err(fail("it has no body".to_string()));
        };
        for declared_name in scope::body_names(&body.stmts) {
            if let Some((_, other)) = declared.iter().find(|(n, _)| *n == declared_name) {
                return Err(fail(format!(
                    "it declares `{declared_name}`, as rule `{}` does",
                    rules[*other].0
                )));
            }
            declared.push((declared_name, index));
        }
        let last = index == rules.len() - 1;
        let label = format!("rule{}", index + 1);
        if !last && source.contains(&label) {
            return Err(fail(format!("it already uses the name `{label}`")));
        }
        let callback = names.get(2).map(|c| Atom::from(c.as_str()));
        let edits = match (&callback, last) {
            (Some(callback), false) => {
                chain_to_next(&body.stmts, callback, &names, &label, offsets).map_err(fail)?
            }
            _ => Vec::new(),
        };
        let body_span = offsets.span(body.span);
        let inner = Span::new(body_span.start + 1, body_span.end - 1);
        let text = apply_within(source, inner, &edits).map_err(|e| fail(format!("{e:?}")))?;
        // One level deeper, inside its block; a template literal's lines are string content.
        let text = if source.contains('`') {
            text
        } else {
            text.lines()
                .map(|line| {
                    if line.trim().is_empty() {
                        String::new()
                    } else {
                        format!("  {line}")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
                .trim_end()
                .to_string()
        };
        let comment = format!("  // rule `{}`", name.replace('\n', " "));
        let block = if last {
            format!("{comment}\n  {{{text}\n  }}")
        } else {
            format!("{comment}\n  {label}: {{{text}\n  }}")
        };
        parts.push(block);
    }
    let params = params.unwrap_or_default().join(", ");
    Ok(format!(
        "function ({params}) {{\n{}\n}}\n",
        parts.join("\n")
    ))
}

/// Edits that send a rule's success calls on to the next rule: `break <label>;`.
fn chain_to_next(
    stmts: &[Stmt],
    callback: &Atom,
    params: &[String],
    label: &str,
    offsets: Offsets,
) -> Result<Vec<Edit>, String> {
    let mut calls = CallbackStatements {
        callback,
        params,
        depth: 0,
        success: Vec::new(),
        problem: None,
    };
    stmts.iter().for_each(|s| s.visit_with(&mut calls));
    if let Some(problem) = calls.problem {
        return Err(problem);
    }
    // `callback(null, user, context);` with code after it ran that code in the Rule; `break`
    // would skip it. Only calls after which nothing runs (or `return callback(…)`) can go on.
    let ends: Vec<swc_common::Span> = final_statements(stmts, &Vec::new())
        .into_iter()
        .map(|(stmt, _)| stmt.span())
        .collect();
    if let Some((span, _)) = calls
        .success
        .iter()
        .find(|(span, is_return)| !is_return && !ends.contains(span))
    {
        let line = offsets.span(*span);
        return Err(format!(
            "code runs after its success `callback(...)` (at byte {}), which the merged rule would skip",
            line.start
        ));
    }
    Ok(calls
        .success
        .into_iter()
        .map(|(span, _)| Edit::replace(offsets.span(span), format!("break {label};")))
        .collect())
}

struct CallbackStatements<'a> {
    callback: &'a Atom,
    params: &'a [String],
    depth: usize,
    /// Statements that call back with success, and whether each is a `return`.
    success: Vec<(swc_common::Span, bool)>,
    problem: Option<String>,
}

impl CallbackStatements<'_> {
    fn is_callback(&self, ident: &Ident) -> bool {
        &ident.sym == self.callback
    }

    /// `callback()`, `callback(null)`, `callback(null, user, context)`.
    fn succeeds(&self, call: &CallExpr) -> bool {
        let arg = |i: usize| call.args.get(i).map(|a| &*a.expr);
        let no_error = match arg(0) {
            None => true,
            Some(Expr::Lit(swc_ecma_ast::Lit::Null(_))) => true,
            Some(Expr::Ident(i)) => i.sym == "undefined",
            _ => false,
        };
        let passes = |i: usize| match arg(i) {
            None => true,
            Some(Expr::Ident(ident)) => self.params.get(i - 1).is_some_and(|p| ident.sym == **p),
            _ => false,
        };
        no_error && passes(1) && passes(2)
    }

    fn callback_call<'e>(&self, expr: &'e Expr) -> Option<&'e CallExpr> {
        match expr {
            Expr::Call(call) => match &call.callee {
                Callee::Expr(callee) => match &**callee {
                    Expr::Ident(ident) if self.is_callback(ident) => Some(call),
                    _ => None,
                },
                _ => None,
            },
            Expr::Paren(paren) => self.callback_call(&paren.expr),
            _ => None,
        }
    }
}

impl Visit for CallbackStatements<'_> {
    fn visit_stmt(&mut self, stmt: &Stmt) {
        if self.depth == 0 {
            let call = match stmt {
                Stmt::Expr(e) => self.callback_call(&e.expr),
                Stmt::Return(r) => r.arg.as_deref().and_then(|a| self.callback_call(a)),
                _ => None,
            };
            if let Some(call) = call {
                if self.succeeds(call) {
                    self.success
                        .push((stmt.span(), matches!(stmt, Stmt::Return(_))));
                }
                // An error ends the login as it did: the statement stays.
                return call.args.iter().for_each(|a| a.visit_with(self));
            }
        }
        stmt.visit_children_with(self);
    }

    fn visit_ident(&mut self, ident: &Ident) {
        if self.is_callback(ident) && self.problem.is_none() {
            self.problem = Some(if self.depth > 0 {
                "it calls back from a nested function (an asynchronous rule)".to_string()
            } else {
                "it uses its callback other than in `callback(...)` statements".to_string()
            });
        }
    }

    fn visit_function(&mut self, function: &swc_ecma_ast::Function) {
        self.depth += 1;
        function.visit_children_with(self);
        self.depth -= 1;
    }

    fn visit_arrow_expr(&mut self, arrow: &swc_ecma_ast::ArrowExpr) {
        self.depth += 1;
        arrow.visit_children_with(self);
        self.depth -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate_rule;

    const LOAD: &str = "function (user, context, callback) {\n  if (!user.email) return callback(null, user, context);\n  user.tier = user.email.endsWith('@acme.com') ? 'gold' : 'standard';\n  callback(null, user, context);\n}\n";
    const GATE: &str = "function (user, context, callback) {\n  if (user.tier !== 'gold') {\n    return callback(new UnauthorizedError('gold only'));\n  }\n  context.idToken['https://example.com/tier'] = user.tier;\n  callback(null, user, context);\n}\n";

    #[test]
    fn success_goes_on_to_the_next_rule_and_state_is_shared() {
        let merged = merge(&[("Load", LOAD), ("Gate", GATE)]).unwrap();
        assert!(
            merged.contains("  rule1: {\n    if (!user.email) break rule1;"),
            "{merged}"
        );
        assert!(merged.contains("    break rule1;\n  }"), "{merged}");
        let migration = migrate_rule(merged.as_bytes());
        let action = migration.output().expect("converted");
        // `user.tier`, set by the first rule and read by the second, is one local variable.
        assert!(
            action.contains("let userTier = event.user.tier;"),
            "{action}"
        );
        assert!(action.contains("if (userTier !== 'gold')"), "{action}");
    }

    #[test]
    fn asynchronous_rules_and_clashing_names_are_refused() {
        let asynchronous = "function (user, context, callback) {\n  setTimeout(function () { callback(null, user, context); }, 10);\n}\n";
        let error = merge(&[("Async", asynchronous), ("Gate", GATE)]).unwrap_err();
        assert!(error.contains("nested function"), "{error}");
        let a = "function (user, context, callback) {\n  var x = 1;\n  callback(null, user, context);\n}\n";
        let error = merge(&[("A", a), ("B", a)]).unwrap_err();
        assert!(error.contains("declares `x`"), "{error}");
        // Code after a success call ran in the Rule; a `break` would skip it.
        let goes_on = "function (user, context, callback) {\n  if (user.email) {\n    callback(null, user, context);\n  }\n  console.log('after');\n  callback(null, user, context);\n}\n";
        let error = merge(&[("Goes on", goes_on), ("Gate", GATE)]).unwrap_err();
        assert!(error.contains("code runs after"), "{error}");
    }
}
