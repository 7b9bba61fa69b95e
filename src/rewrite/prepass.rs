//! One pass over the rule, before rewriting, for the facts the rewrites need up front: names
//! that could clash with the handler's parameters, names assigned anywhere, and how the rule
//! reads and changes `user`.

use swc_atoms::Atom;
use swc_ecma_ast::Ident;
use swc_ecma_visit::{Visit, VisitWith};

/// What the prepass found.
#[derive(Default)]
pub(super) struct Prepass {
    /// Identifiers that could clash with the handler's parameter names.
    pub(super) handler_like: Vec<Atom>,
    /// Names assigned anywhere (`x = …`, `x++`): not constants.
    pub(super) reassigned: Vec<Atom>,
    /// The rule's `user` and `callback` parameters.
    user: Option<Atom>,
    callback: Option<Atom>,
    /// `user.<key>` reads, with their offsets in the parsed text and whether they sit in a
    /// nested function.
    pub(super) user_reads: Vec<(Atom, u32, bool)>,
    /// The rule uses `user` itself as a value (`helper(user)`), so changes must stay on it.
    pub(super) user_as_value: bool,
    /// Functions entered below the rule.
    depth: usize,
    /// `app_metadata` / `user_metadata` when the rule writes into them.
    pub(super) metadata_written: Vec<&'static str>,
}

impl Prepass {
    /// Runs over the whole rule function, given its `user` and `callback` parameters.
    pub(super) fn of(
        function: &swc_ecma_ast::Function,
        user: Option<Atom>,
        callback: Option<Atom>,
    ) -> Self {
        let mut prepass = Prepass {
            user,
            callback,
            ..Prepass::default()
        };
        function.visit_with(&mut prepass);
        prepass
    }

    pub(super) fn uses(&self, name: &str) -> bool {
        self.handler_like.iter().any(|n| n == name)
    }
}

impl Visit for Prepass {
    fn visit_ident(&mut self, ident: &Ident) {
        if ident.sym.starts_with("event")
            || ident.sym.starts_with("api")
            || ident.sym.starts_with("postLogin")
        {
            self.handler_like.push(ident.sym.clone());
        }
    }

    fn visit_assign_expr(&mut self, assign: &swc_ecma_ast::AssignExpr) {
        if let Some(binding) = assign.left.as_simple().and_then(|s| s.as_ident()) {
            self.reassigned.push(binding.id.sym.clone());
        }
        if let Some(member) = assign.left.as_simple().and_then(|s| s.as_member()) {
            // The outermost object of the target: `user.app_metadata` in `user.app_metadata.a.b`.
            let mut root = member;
            while let swc_ecma_ast::Expr::Member(inner) = &*root.obj {
                root = inner;
            }
            let is_user = matches!(&*root.obj, swc_ecma_ast::Expr::Ident(o) if Some(&o.sym) == self.user.as_ref());
            let key = root.prop.as_ident().map(|p| p.sym.as_str());
            if let (true, Some(key @ ("app_metadata" | "user_metadata"))) = (is_user, key) {
                let key = if key == "app_metadata" {
                    "app_metadata"
                } else {
                    "user_metadata"
                };
                if !self.metadata_written.contains(&key) {
                    self.metadata_written.push(key);
                }
            }
            if is_user && std::ptr::eq(root, member) {
                // A write of `user.<key>` itself is not a read of it.
                return assign.right.visit_with(self);
            }
        }
        assign.visit_children_with(self);
    }

    fn visit_member_expr(&mut self, member: &swc_ecma_ast::MemberExpr) {
        if let (swc_ecma_ast::Expr::Ident(object), Some(key)) =
            (&*member.obj, member.prop.as_ident())
        {
            if Some(&object.sym) == self.user.as_ref() {
                let nested = self.depth > 1;
                self.user_reads
                    .push((key.sym.clone(), member.span.lo.0, nested));
                return;
            }
        }
        member.visit_children_with(self);
    }

    fn visit_expr(&mut self, expr: &swc_ecma_ast::Expr) {
        if let swc_ecma_ast::Expr::Ident(ident) = expr {
            self.user_as_value |= Some(&ident.sym) == self.user.as_ref();
        }
        expr.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, call: &swc_ecma_ast::CallExpr) {
        let to_callback = matches!(&call.callee, swc_ecma_ast::Callee::Expr(callee)
            if matches!(&**callee, swc_ecma_ast::Expr::Ident(c) if Some(&c.sym) == self.callback.as_ref()));
        if !to_callback {
            return call.visit_children_with(self);
        }
        // `callback(null, user, context)` hands `user` back; it is not a use of its own.
        let user = self.user.clone();
        for arg in call.args.iter().filter(
            |a| !matches!(&*a.expr, swc_ecma_ast::Expr::Ident(u) if Some(&u.sym) == user.as_ref()),
        ) {
            arg.visit_with(self);
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

    fn visit_update_expr(&mut self, update: &swc_ecma_ast::UpdateExpr) {
        if let swc_ecma_ast::Expr::Ident(ident) = &*update.arg {
            self.reassigned.push(ident.sym.clone());
        }
        update.visit_children_with(self);
    }
}
