//! Recognisers shared by the prepass and the rewrite families, so that both passes agree on
//! what a construct is. Each is syntax only; the callers add what the semantic model knows
//! (whether `auth0` is the sandbox global, whether an argument is the rule's `user`).
//!
//! A metadata update of the Rules `auth0` object is a promise with exactly two arguments:
//! ```js
//! auth0.users.updateAppMetadata(user.user_id, user.app_metadata).then(…).catch(…);
//! ```
//! A Management API client's method of the same name with a node-style callback
//! (`management.updateAppMetadata({ id }, data, function (err) { … })`) is not one: the
//! callback inside it makes the rule asynchronous.

use swc_ecma_ast::{AssignExpr, AssignOp, BinaryOp, CallExpr, Callee, Expr, MemberProp, Stmt};

use super::walk::unparen;

/// Whether every path through `stmts` calls back: some statement always does, and no statement
/// before it can return without doing so (`else { console.log(…); return; }`). A throw ends a
/// path as a call does. `calls_back` says which statements call back by themselves (a
/// `callback(…)` statement, awaited work that ends in one); functions inside do not return from
/// the one `stmts` belong to.
pub(super) fn calls_back_on_every_path(stmts: &[Stmt], calls_back: &dyn Fn(&Stmt) -> bool) -> bool {
    first_ending(stmts, calls_back) == Some(Ending::CallsBack)
}

/// How a list of statements ends, read in order: by a statement that calls back on every path,
/// by one that can return without calling back first, or (`None`) by falling through.
#[derive(PartialEq, Eq)]
enum Ending {
    CallsBack,
    ReturnsSilently,
}

fn first_ending(stmts: &[Stmt], calls_back: &dyn Fn(&Stmt) -> bool) -> Option<Ending> {
    stmts.iter().find_map(|stmt| {
        if statement_calls_back(stmt, calls_back) {
            Some(Ending::CallsBack)
        } else if returns_without_calling_back(stmt, calls_back) {
            Some(Ending::ReturnsSilently)
        } else {
            None
        }
    })
}

fn statement_calls_back(stmt: &Stmt, calls_back: &dyn Fn(&Stmt) -> bool) -> bool {
    if calls_back(stmt) {
        return true;
    }
    let every_path = |stmts: &[Stmt]| calls_back_on_every_path(stmts, calls_back);
    match stmt {
        Stmt::Throw(_) => true,
        Stmt::Block(block) => every_path(&block.stmts),
        Stmt::If(branch) => {
            statement_calls_back(&branch.cons, calls_back)
                && branch
                    .alt
                    .as_deref()
                    .is_some_and(|alt| statement_calls_back(alt, calls_back))
        }
        Stmt::Try(attempt) => {
            let finalizer = attempt
                .finalizer
                .as_ref()
                .is_some_and(|f| every_path(&f.stmts));
            let body = every_path(&attempt.block.stmts)
                && attempt
                    .handler
                    .as_ref()
                    .is_none_or(|h| every_path(&h.body.stmts));
            finalizer || body
        }
        Stmt::Labeled(labeled) => statement_calls_back(&labeled.body, calls_back),
        _ => false,
    }
}

/// Whether some path through `stmt` returns without calling back first.
fn returns_without_calling_back(stmt: &Stmt, calls_back: &dyn Fn(&Stmt) -> bool) -> bool {
    let silent = |stmts: &[Stmt]| first_ending(stmts, calls_back) == Some(Ending::ReturnsSilently);
    let inner = |stmt: &Stmt| returns_without_calling_back(stmt, calls_back);
    match stmt {
        Stmt::Return(_) => !statement_calls_back(stmt, calls_back),
        Stmt::Block(block) => silent(&block.stmts),
        Stmt::If(branch) => inner(&branch.cons) || branch.alt.as_deref().is_some_and(inner),
        Stmt::Try(attempt) => {
            silent(&attempt.block.stmts)
                || attempt
                    .handler
                    .as_ref()
                    .is_some_and(|h| silent(&h.body.stmts))
                || attempt.finalizer.as_ref().is_some_and(|f| silent(&f.stmts))
        }
        Stmt::Switch(switch) => switch.cases.iter().any(|case| silent(&case.cons)),
        Stmt::While(l) => inner(&l.body),
        Stmt::DoWhile(l) => inner(&l.body),
        Stmt::For(l) => inner(&l.body),
        Stmt::ForIn(l) => inner(&l.body),
        Stmt::ForOf(l) => inner(&l.body),
        Stmt::Labeled(labeled) => inner(&labeled.body),
        _ => false,
    }
}

/// `auth0.users.updateAppMetadata(a, b)` / `updateUserMetadata(a, b)`: which metadata it updates.
pub(super) fn auth0_metadata_update(call: &CallExpr) -> Option<&'static str> {
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    let Expr::Member(method) = unparen(callee) else {
        return None;
    };
    let kind = match method.prop.as_ident()?.sym.as_str() {
        "updateAppMetadata" => "app_metadata",
        "updateUserMetadata" => "user_metadata",
        _ => return None,
    };
    let Expr::Member(users) = unparen(&method.obj) else {
        return None;
    };
    let is_users = matches!(&users.prop, MemberProp::Ident(p) if p.sym == "users");
    let on_auth0 = matches!(unparen(&users.obj), Expr::Ident(root) if root.sym == "auth0");
    (is_users && on_auth0 && call.args.len() == 2 && call.args.iter().all(|a| a.spread.is_none()))
        .then_some(kind)
}

/// A metadata update followed by any `.then(h)` / `.catch(h)` handlers: the update and the
/// handlers, innermost first.
pub(super) fn metadata_chain(call: &CallExpr) -> Option<(&CallExpr, Vec<(&'static str, &Expr)>)> {
    let mut handlers = Vec::new();
    let mut current = call;
    loop {
        if auth0_metadata_update(current).is_some() {
            handlers.reverse();
            return Some((current, handlers));
        }
        let Callee::Expr(callee) = &current.callee else {
            return None;
        };
        let Expr::Member(member) = unparen(callee) else {
            return None;
        };
        let name = match member.prop.as_ident()?.sym.as_str() {
            "then" => "then",
            "catch" => "catch",
            _ => return None,
        };
        if current.args.len() != 1 {
            return None;
        }
        handlers.push((name, &*current.args[0].expr));
        let Expr::Call(inner) = unparen(&member.obj) else {
            return None;
        };
        current = inner;
    }
}

/// `object.method(…)` with both plain names: the object and the method's name.
pub(super) fn method_call(call: &CallExpr) -> Option<(&swc_ecma_ast::Ident, &str)> {
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    let Expr::Member(member) = unparen(callee) else {
        return None;
    };
    match (unparen(&member.obj), &member.prop) {
        (Expr::Ident(object), MemberProp::Ident(method)) => Some((object, &*method.sym)),
        _ => None,
    }
}

/// `x.y = x.y || {}` (or `??`, `||=`, `??=`): makes sure an object exists and changes nothing
/// else.
pub(super) fn defaults_to_empty_object(assign: &AssignExpr) -> bool {
    use swc_common::EqIgnoreSpan;
    let Some(target) = assign.left.as_simple().and_then(|s| s.as_member()) else {
        return false;
    };
    let empty = |e: &Expr| matches!(unparen(e), Expr::Object(o) if o.props.is_empty());
    match assign.op {
        AssignOp::OrAssign | AssignOp::NullishAssign => empty(&assign.right),
        AssignOp::Assign => match unparen(&assign.right) {
            Expr::Bin(bin) => {
                matches!(bin.op, BinaryOp::LogicalOr | BinaryOp::NullishCoalescing)
                    && matches!(unparen(&bin.left), Expr::Member(m) if m.eq_ignore_span(target))
                    && empty(&bin.right)
            }
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use swc_common::{sync::Lrc, FileName, SourceMap};
    use swc_ecma_parser::{parse_file_as_expr, EsSyntax, Syntax};

    fn with_call<T>(code: &str, check: impl FnOnce(&CallExpr) -> T) -> T {
        let map: Lrc<SourceMap> = Default::default();
        let file = map.new_source_file(FileName::Anon.into(), code.to_string());
        let expr = parse_file_as_expr(
            &file,
            Syntax::Es(EsSyntax::default()),
            Default::default(),
            None,
            &mut Vec::new(),
        )
        .expect("parses");
        let Expr::Call(call) = *expr else {
            panic!("not a call: {code}")
        };
        check(&call)
    }

    #[test]
    fn the_auth0_objects_update_and_its_handlers() {
        with_call(
            "auth0.users.updateAppMetadata(user.user_id, user.app_metadata).then(() => callback(null, user, context)).catch(callback)",
            |call| {
                let (update, handlers) = metadata_chain(call).expect("a chain");
                assert_eq!(auth0_metadata_update(update), Some("app_metadata"));
                let names: Vec<&str> = handlers.iter().map(|h| h.0).collect();
                assert_eq!(names, ["then", "catch"]);
            },
        );
        with_call(
            "auth0.users.updateUserMetadata(user.user_id, user.user_metadata)",
            |call| assert_eq!(auth0_metadata_update(call), Some("user_metadata")),
        );
    }

    #[test]
    fn a_management_client_with_a_node_callback_is_not_one() {
        with_call(
            "management.updateAppMetadata({ id: user.user_id }, { a: 1 }, function (err) { callback(err); })",
            |call| {
                assert_eq!(auth0_metadata_update(call), None);
                assert!(metadata_chain(call).is_none());
            },
        );
        with_call(
            "auth0.users.updateAppMetadata(user.user_id, user.app_metadata, callback)",
            |call| assert_eq!(auth0_metadata_update(call), None),
        );
    }
}
