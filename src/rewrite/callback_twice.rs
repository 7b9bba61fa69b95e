//! Finds `callback` calls on paths that already called back (reference §S17: "each rule must
//! call the callback function exactly once").
//!
//! Rule:
//! ```js
//! if (!user.email_verified) {
//!   callback(new UnauthorizedError('verify your email')); // no `return`
//! }
//! callback(null, user, context);
//! ```
//! In Rules a second call had unpredictable results; the Action returns at the first call, so
//! the second is reported with `R2A111`. Only the rule's own statements are followed, not
//! nested functions, and a loop or `try` counts as not calling back.

use swc_atoms::Atom;
use swc_common::{Span, Spanned};
use swc_ecma_ast::Stmt;

use super::promise_shape::{is_callback_call, statement_expr};

/// Spans of callback statements that run after an earlier call on the same path.
pub(super) fn second_calls(stmts: &[Stmt], callback: &Atom) -> Vec<Span> {
    let mut out = Vec::new();
    follow(stmts, false, callback, &mut out);
    out
}

/// Follows `stmts` from a point where the callback was (`called`) or was not yet called.
/// Returns whether it was called when the list falls through, or `None` when it never does.
fn follow(stmts: &[Stmt], mut called: bool, callback: &Atom, out: &mut Vec<Span>) -> Option<bool> {
    for stmt in stmts {
        match stmt {
            Stmt::Return(_) | Stmt::Throw(_) => {
                if called && statement_expr(stmt).is_some_and(|e| is_callback_call(e, callback)) {
                    out.push(stmt.span());
                }
                return None;
            }
            Stmt::Expr(expr) if is_callback_call(&expr.expr, callback) => {
                if called {
                    out.push(stmt.span());
                }
                called = true;
            }
            Stmt::Block(block) => called = follow(&block.stmts, called, callback, out)?,
            Stmt::If(branch) => {
                let cons = follow(std::slice::from_ref(&*branch.cons), called, callback, out);
                let alt = match &branch.alt {
                    Some(alt) => follow(std::slice::from_ref(&**alt), called, callback, out),
                    None => Some(called),
                };
                called = match (cons, alt) {
                    (None, None) => return None,
                    (cons, alt) => cons.unwrap_or(false) || alt.unwrap_or(false),
                };
            }
            _ => {}
        }
    }
    Some(called)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(body: &str) -> usize {
        let source = format!("function (user, context, callback) {{\n{body}\n}}");
        let Ok((crate::parse::Parsed::Rule(rule), _)) = crate::parse::parse_rule(&source) else {
            panic!("a rule");
        };
        let stmts = &rule.function.body.as_ref().unwrap().stmts;
        second_calls(stmts, &Atom::from("callback")).len()
    }

    #[test]
    fn a_call_without_return_followed_by_another_is_found() {
        assert_eq!(
            spans("if (a) { callback(new Error('x')); }\ncallback(null, user, context);"),
            1
        );
        assert_eq!(
            spans("callback(null, user, context);\ncallback(null, user, context);"),
            1
        );
    }

    #[test]
    fn returns_and_else_branches_end_the_path() {
        assert_eq!(
            spans("if (a) { return callback(new Error('x')); }\ncallback(null, user, context);"),
            0
        );
        assert_eq!(
            spans("if (a) { callback(new Error('x')); } else { callback(null, user, context); }"),
            0
        );
        assert_eq!(
            spans("if (a) { callback(new Error('x')); return; }\ncallback(null, user, context);"),
            0
        );
    }
}
