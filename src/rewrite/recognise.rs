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

use swc_ecma_ast::{AssignExpr, AssignOp, BinaryOp, CallExpr, Callee, Expr, MemberProp};

use super::walk::unparen;

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
