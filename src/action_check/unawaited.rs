//! Asynchronous work a handler starts as a statement and neither awaits nor returns
//! (`R2A016`): the execution may end before it settles.
//!
//! Action:
//! ```js
//! const axios = require('axios');
//! exports.onExecutePostLogin = async (event, api) => {
//!   axios.post(event.secrets.AUDIT_URL, { user: event.user.user_id });
//! };
//! ```
//! Finding: `axios.post(…)` returns a promise the handler does not await. What counts as a
//! promise: `fetch(…)`, a call through a binding of a promise-based HTTP package or of a
//! `new ManagementClient(…)`, a `.then` / `.catch` / `.finally` chain, and a call of an `async`
//! function of the module. Statements inside functions of their own (callbacks) are not judged,
//! and neither is a call whose promise is kept in a variable.

use std::collections::HashSet;

use swc_atoms::Atom;
use swc_ecma_ast::{Callee, Expr, MemberProp, Pat, Script, Stmt, VarDeclarator};
use swc_ecma_visit::{Visit, VisitWith};

use crate::finding::Finding;
use crate::parse::Offsets;
use crate::registry::Code;

/// npm packages whose calls return promises.
const PROMISE_PACKAGES: &[&str] = &[
    "axios",
    "got",
    "node-fetch",
    "request-promise",
    "superagent",
];

/// The names bound to promise-returning things in the module: required promise packages, Management
/// API clients, and `async` functions.
#[derive(Default)]
pub(super) struct Asynchronous {
    names: HashSet<Atom>,
}

impl Asynchronous {
    pub(super) fn of(script: &Script) -> Asynchronous {
        let mut found = Asynchronous::default();
        script.visit_with(&mut found);
        found
    }
}

impl Visit for Asynchronous {
    fn visit_var_declarator(&mut self, declarator: &VarDeclarator) {
        if let (Pat::Ident(name), Some(init)) = (&declarator.name, &declarator.init) {
            if promise_source(init) {
                self.names.insert(name.id.sym.clone());
            }
        }
        declarator.visit_children_with(self);
    }

    fn visit_fn_decl(&mut self, function: &swc_ecma_ast::FnDecl) {
        if function.function.is_async {
            self.names.insert(function.ident.sym.clone());
        }
        function.visit_children_with(self);
    }
}

/// `require('axios')`, `new ManagementClient(…)`, `async () => …`.
fn promise_source(init: &Expr) -> bool {
    match init {
        Expr::Call(call) => {
            let is_require = matches!(&call.callee, Callee::Expr(c) if matches!(&**c, Expr::Ident(i) if i.sym == "require"));
            let package = match call.args.first().map(|a| &*a.expr) {
                Some(Expr::Lit(swc_ecma_ast::Lit::Str(s))) => s.value.as_atom().map(|a| {
                    crate::tables::modules::split_versioned(a.as_str())
                        .0
                        .to_string()
                }),
                _ => None,
            };
            is_require && package.is_some_and(|p| PROMISE_PACKAGES.contains(&p.as_str()))
        }
        Expr::New(new) => match &*new.callee {
            Expr::Ident(class) => class.sym == "ManagementClient",
            Expr::Member(member) => member
                .prop
                .as_ident()
                .is_some_and(|p| p.sym == "ManagementClient"),
            _ => false,
        },
        Expr::Arrow(arrow) => arrow.is_async,
        Expr::Fn(function) => function.function.is_async,
        Expr::Paren(paren) => promise_source(&paren.expr),
        _ => false,
    }
}

/// The statements of a handler's body, through blocks, `if`, `try`, loops and `switch`, but not
/// into functions of their own.
pub(super) fn unawaited(
    stmts: &[Stmt],
    asynchronous: &Asynchronous,
    offsets: Offsets,
    findings: &mut Vec<Finding>,
) {
    for stmt in stmts {
        match stmt {
            Stmt::Expr(statement) => {
                if let Some(what) = promise_call(&statement.expr, asynchronous) {
                    findings.push(
                        Finding::new(
                            Code::PromiseNotAwaited,
                            offsets.span(statement.span),
                            format!("`{what}(…)` returns a promise the handler does not await: the Action may end before it settles, and its failure goes unseen"),
                        )
                        .with_help("`await` it, so that the handler waits for it and its failure is seen"),
                    );
                }
            }
            Stmt::Block(block) => unawaited(&block.stmts, asynchronous, offsets, findings),
            Stmt::If(branch) => {
                unawaited(
                    std::slice::from_ref(&*branch.cons),
                    asynchronous,
                    offsets,
                    findings,
                );
                if let Some(alt) = &branch.alt {
                    unawaited(
                        std::slice::from_ref(&**alt),
                        asynchronous,
                        offsets,
                        findings,
                    );
                }
            }
            Stmt::Try(attempt) => {
                unawaited(&attempt.block.stmts, asynchronous, offsets, findings);
                if let Some(handler) = &attempt.handler {
                    unawaited(&handler.body.stmts, asynchronous, offsets, findings);
                }
                if let Some(finalizer) = &attempt.finalizer {
                    unawaited(&finalizer.stmts, asynchronous, offsets, findings);
                }
            }
            Stmt::ForOf(each) => unawaited(
                std::slice::from_ref(&*each.body),
                asynchronous,
                offsets,
                findings,
            ),
            Stmt::ForIn(each) => unawaited(
                std::slice::from_ref(&*each.body),
                asynchronous,
                offsets,
                findings,
            ),
            Stmt::For(each) => unawaited(
                std::slice::from_ref(&*each.body),
                asynchronous,
                offsets,
                findings,
            ),
            Stmt::Switch(switch) => {
                for case in &switch.cases {
                    unawaited(&case.cons, asynchronous, offsets, findings);
                }
            }
            Stmt::While(each) => unawaited(
                std::slice::from_ref(&*each.body),
                asynchronous,
                offsets,
                findings,
            ),
            _ => {}
        }
    }
}

/// What the call an expression statement makes is called, when it returns a promise.
fn promise_call(expr: &Expr, asynchronous: &Asynchronous) -> Option<String> {
    let Expr::Call(call) = expr else {
        return match expr {
            Expr::Paren(paren) => promise_call(&paren.expr, asynchronous),
            _ => None,
        };
    };
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    match &**callee {
        Expr::Ident(name) if name.sym == "fetch" || asynchronous.names.contains(&name.sym) => {
            Some(name.sym.to_string())
        }
        Expr::Member(member) => {
            let method = match &member.prop {
                MemberProp::Ident(p) => p.sym.to_string(),
                _ => return None,
            };
            let chain = matches!(method.as_str(), "then" | "catch" | "finally")
                && matches!(&*member.obj, Expr::Call(_));
            let root = root_name(&member.obj)?;
            let through_promise_binding = asynchronous.names.contains(&root);
            (chain || through_promise_binding).then(|| format!("{}.{method}", path_of(&member.obj)))
        }
        _ => None,
    }
}

/// The identifier a member chain starts from (`management` in `management.users.update`).
fn root_name(expr: &Expr) -> Option<Atom> {
    match expr {
        Expr::Ident(ident) => Some(ident.sym.clone()),
        Expr::Member(member) => root_name(&member.obj),
        Expr::Call(call) => match &call.callee {
            Callee::Expr(callee) => root_name(callee),
            _ => None,
        },
        Expr::Paren(paren) => root_name(&paren.expr),
        _ => None,
    }
}

/// A short name for what is called: `axios`, `management.users`, `fetch(…)`.
fn path_of(expr: &Expr) -> String {
    match expr {
        Expr::Ident(ident) => ident.sym.to_string(),
        Expr::Member(member) => match &member.prop {
            MemberProp::Ident(p) => format!("{}.{}", path_of(&member.obj), p.sym),
            _ => format!("{}[…]", path_of(&member.obj)),
        },
        Expr::Call(call) => match &call.callee {
            Callee::Expr(callee) => format!("{}(…)", path_of(callee)),
            _ => "…".to_string(),
        },
        Expr::Paren(paren) => path_of(&paren.expr),
        _ => "…".to_string(),
    }
}
