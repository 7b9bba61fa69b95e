//! One pass over the rule, before rewriting, for the facts the rewrites need up front: names
//! that could clash with the handler's parameters, names assigned anywhere, and how the rule
//! reads and changes `user`.

use swc_atoms::Atom;
use swc_ecma_ast::Ident;
use swc_ecma_visit::{Visit, VisitWith};

use super::Param;

/// What the prepass found.
#[derive(Default)]
pub(super) struct Prepass {
    /// Identifiers that could clash with the handler's parameter names.
    pub(super) handler_like: Vec<Atom>,
    /// Names assigned anywhere (`x = …`, `x++`): not constants.
    pub(super) reassigned: Vec<Atom>,
    /// The rule's own bindings: which names are its `user`, `context` and `callback`.
    bindings: super::bindings::Bindings,
    /// The rule assigns `context.redirect`.
    pub(super) redirects: bool,
    /// `user.<key>` reads, with their offsets in the parsed text and whether they sit in a
    /// nested function.
    pub(super) user_reads: Vec<(Atom, u32, bool)>,
    /// The rule uses `user` itself as a value (`helper(user)`), so changes must stay on it.
    pub(super) user_as_value: bool,
    /// Functions entered below the rule.
    depth: usize,
    /// `app_metadata` / `user_metadata` when the rule writes into them.
    pub(super) metadata_written: Vec<&'static str>,
    /// The rule has changed its metadata by now (more than giving it its `{}` default).
    metadata_changed: bool,
    /// Inside the arguments of a library method call (`request.post(…)`).
    library_arguments: usize,
    /// The rule calls back from nested functions or hands `callback` on: it is asynchronous.
    pub(super) asynchronous: bool,
    /// Inside `auth0.users.update*Metadata(…).then(…).catch(…)`, which `metadata.rs` converts,
    /// or inside a promise chain that `promise_chain.rs` awaits.
    in_converted_chain: bool,
    /// Statements holding a promise chain that ends in the callback and can be awaited, with
    /// the names declared next to each.
    pub(super) awaitable: Vec<(swc_common::Span, super::scope::Names)>,
    /// `global.X` names the rule assigns.
    pub(super) globals_set: Vec<Atom>,
    /// `global` used other than as `global.X`.
    pub(super) global_other_use: bool,
    /// Metadata objects the rule persists with `auth0.users.update*Metadata`.
    pub(super) metadata_persisted: Vec<&'static str>,
    /// The top-level metadata keys the rule changes; `None` when it cannot be told statically.
    pub(super) metadata_keys: Vec<(&'static str, Option<Atom>)>,
    /// Helpers whose parameters at these positions stand for the rule's objects: passing them
    /// there is not a use of the object as a value.
    helpers: Vec<(Atom, Vec<usize>)>,
    /// Functions of the rule's helpers that call back at once (`calling_helpers.rs`).
    calling_helpers: Vec<swc_common::Span>,
    /// Inside one of them, at its own level.
    in_calling_helper: bool,
}

impl Prepass {
    /// Runs over the whole rule function, given its `user`, `context` and `callback` parameters
    /// and the names it declares.
    pub(super) fn of(
        function: &swc_ecma_ast::Function,
        bindings: &super::bindings::Bindings,
        rule_names: &super::scope::Names,
        helpers: &super::helpers::BoundHelpers,
        calling: &super::calling_helpers::CallingHelpers,
    ) -> Self {
        let mut prepass = Prepass {
            bindings: bindings.clone(),
            ..Prepass::default()
        };
        prepass.helpers = helpers.names_and_positions().into_iter().collect();
        prepass.calling_helpers = calling.spans();
        if let (Some(body), Some(callback)) = (&function.body, bindings.name(Param::Callback)) {
            prepass.awaitable =
                super::promise_shape::awaitable_statements(&body.stmts, rule_names, callback);
        }
        function.visit_with(&mut prepass);
        prepass
    }

    /// A SAML mapping names a profile path: `'awsRole'` reads `user.awsRole` where the
    /// mapping stands.
    fn saml_mapping_reads(&mut self, value: &swc_ecma_ast::Expr) {
        let mut paths = Vec::new();
        match value {
            swc_ecma_ast::Expr::Object(object) => {
                for prop in &object.props {
                    if let Some(kv) = prop.as_prop().and_then(|p| p.as_key_value()) {
                        paths.push(&*kv.value);
                    }
                }
            }
            other => paths.push(other),
        }
        for path in paths {
            if let swc_ecma_ast::Expr::Lit(swc_ecma_ast::Lit::Str(literal)) = path {
                if let Some(first) = literal
                    .value
                    .as_atom()
                    .and_then(|p| p.split('.').next().map(Atom::from))
                {
                    self.user_reads
                        .push((first, literal.span.lo.0, self.depth > 1));
                }
            }
        }
    }

    fn bound_positions(&self, call: &swc_ecma_ast::CallExpr) -> Option<Vec<usize>> {
        let swc_ecma_ast::Callee::Expr(callee) = &call.callee else {
            return None;
        };
        let swc_ecma_ast::Expr::Ident(name) = &**callee else {
            return None;
        };
        self.helpers
            .iter()
            .find(|(n, _)| *n == name.sym)
            .map(|(_, p)| p.clone())
    }

    /// `_.get(user, …)` / `_.has(user, …)`.
    fn lodash_reads_user(&self, call: &swc_ecma_ast::CallExpr) -> bool {
        let first_is_user = call.args.first().is_some_and(|a| {
            a.spread.is_none()
                && matches!(&*a.expr, swc_ecma_ast::Expr::Ident(u) if self.bindings.is(u, Param::User))
        });
        first_is_user
            && super::recognise::method_call(call).is_some_and(|(lodash, method)| {
                &*lodash.sym == "_" && matches!(method, "get" | "has")
            })
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
            if let (swc_ecma_ast::Expr::Ident(object), Some(name)) =
                (&*member.obj, member.prop.as_ident())
            {
                if object.sym == "global" {
                    self.globals_set.push(name.sym.clone());
                }
            }
            // The outermost object of the target: `user.app_metadata` in `user.app_metadata.a.b`.
            let mut root = member;
            let mut below_root = None;
            while let swc_ecma_ast::Expr::Member(inner) = &*root.obj {
                below_root = Some(root);
                root = inner;
            }
            let is_user = matches!(&*root.obj, swc_ecma_ast::Expr::Ident(o) if self.bindings.is(o, Param::User));
            let key = root.prop.as_ident().map(|p| p.sym.as_str());
            let is_context = matches!(&*root.obj, swc_ecma_ast::Expr::Ident(o) if self.bindings.is(o, Param::Context));
            self.redirects |= is_context && key == Some("redirect");
            if is_context && key == Some("samlConfiguration") {
                self.saml_mapping_reads(&assign.right);
            }
            if let (true, Some(key @ ("app_metadata" | "user_metadata"))) = (is_user, key) {
                let key = if key == "app_metadata" {
                    "app_metadata"
                } else {
                    "user_metadata"
                };
                if !self.metadata_written.contains(&key) {
                    self.metadata_written.push(key);
                }
                // `user.app_metadata = user.app_metadata || {}` changes nothing Actions can see.
                self.metadata_changed |=
                    below_root.is_some() || !super::recognise::defaults_to_empty_object(assign);
                let changed = match below_root {
                    Some(below) => match &below.prop {
                        swc_ecma_ast::MemberProp::Ident(name) => Some(Some(name.sym.clone())),
                        _ => Some(None),
                    },
                    // `user.app_metadata = user.app_metadata || {}` only makes sure it exists.
                    None if super::recognise::defaults_to_empty_object(assign) => None,
                    None => Some(None),
                };
                if let Some(changed) = changed {
                    self.metadata_keys.push((key, changed));
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
        if let (swc_ecma_ast::Expr::Ident(object), Some(_)) = (&*member.obj, member.prop.as_ident())
        {
            if object.sym == "global" {
                return;
            }
        }
        if let (swc_ecma_ast::Expr::Ident(object), Some(key)) =
            (&*member.obj, member.prop.as_ident())
        {
            if self.bindings.is(object, Param::User) {
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
            self.global_other_use |= ident.sym == "global";
            self.user_as_value |= self.bindings.is(ident, Param::User);
            // `callback` itself, not called here: passed to a promise or stored.
            self.asynchronous |=
                self.bindings.is(ident, Param::Callback) && !self.in_converted_chain;
        }
        expr.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, call: &swc_ecma_ast::CallExpr) {
        if !self.in_converted_chain && super::recognise::metadata_chain(call).is_some() {
            self.in_converted_chain = true;
            self.visit_call_expr(call);
            self.in_converted_chain = false;
            return;
        }
        if let swc_ecma_ast::Callee::Expr(callee) = &call.callee {
            if let swc_ecma_ast::Expr::Member(member) = &**callee {
                let persisted = match member.prop.as_ident().map(|p| p.sym.as_str()) {
                    Some("updateAppMetadata") => Some("app_metadata"),
                    Some("updateUserMetadata") => Some("user_metadata"),
                    _ => None,
                };
                if let Some(kind) = persisted.filter(|k| !self.metadata_persisted.contains(k)) {
                    self.metadata_persisted.push(kind);
                }
            }
        }
        // `_.get(user, 'a.b')` reads `user` as `user.a.b` does, and `event.user` has that shape,
        // as long as the rule has not changed its metadata before.
        if self.depth == 1 && !self.metadata_changed && self.lodash_reads_user(call) {
            call.callee.visit_with(self);
            call.args.iter().skip(1).for_each(|a| a.visit_with(self));
            return;
        }
        if let Some(positions) = self.bound_positions(call) {
            call.callee.visit_with(self);
            for (i, arg) in call.args.iter().enumerate() {
                if !positions.contains(&i) {
                    arg.visit_with(self);
                }
            }
            return;
        }
        let to_callback = matches!(&call.callee, swc_ecma_ast::Callee::Expr(callee)
            if matches!(&**callee, swc_ecma_ast::Expr::Ident(c) if self.bindings.is(c, Param::Callback)));
        if !to_callback {
            // The arguments of a library method (`request.post`) are only read by it.
            let library = matches!(&call.callee, swc_ecma_ast::Callee::Expr(callee)
                if matches!(&**callee, swc_ecma_ast::Expr::Member(_)));
            self.library_arguments += usize::from(library);
            call.visit_children_with(self);
            self.library_arguments -= usize::from(library);
            return;
        }
        // A helper that calls back at once calls back for the rule (`calling_helpers.rs`).
        let at_once = self.in_calling_helper && self.depth == 2;
        self.asynchronous |= self.depth > 1 && !self.in_converted_chain && !at_once;
        // `callback(null, user, context)` hands `user` back; it is not a use of its own.
        let bindings = self.bindings.clone();
        for arg in call.args.iter().filter(
            |a| !matches!(&*a.expr, swc_ecma_ast::Expr::Ident(u) if bindings.is(u, Param::User)),
        ) {
            arg.visit_with(self);
        }
    }

    /// `{ user: user }` in a request body (an object handed to a library method) reads the
    /// profile as `event.user` holds it, as long as the rule has not changed its metadata before.
    fn visit_key_value_prop(&mut self, prop: &swc_ecma_ast::KeyValueProp) {
        let whole_user = matches!(&*prop.value, swc_ecma_ast::Expr::Ident(u) if self.bindings.is(u, Param::User));
        let read_only = self.depth == 1 && self.library_arguments > 0 && !self.metadata_changed;
        if whole_user && read_only {
            return prop.key.visit_with(self);
        }
        prop.visit_children_with(self);
    }

    fn visit_stmt(&mut self, stmt: &swc_ecma_ast::Stmt) {
        let span = swc_common::Spanned::span(stmt);
        let awaited = self.depth == 1 && self.awaitable.iter().any(|(s, _)| *s == span);
        if !awaited || self.in_converted_chain {
            return stmt.visit_children_with(self);
        }
        self.in_converted_chain = true;
        stmt.visit_children_with(self);
        self.in_converted_chain = false;
    }

    fn visit_function(&mut self, function: &swc_ecma_ast::Function) {
        let calling = self.depth == 1 && self.calling_helpers.contains(&function.span);
        let outer = std::mem::replace(&mut self.in_calling_helper, calling);
        self.depth += 1;
        function.visit_children_with(self);
        self.depth -= 1;
        self.in_calling_helper = outer;
    }

    fn visit_arrow_expr(&mut self, arrow: &swc_ecma_ast::ArrowExpr) {
        let calling = self.depth == 1 && self.calling_helpers.contains(&arrow.span);
        let outer = std::mem::replace(&mut self.in_calling_helper, calling);
        self.depth += 1;
        arrow.visit_children_with(self);
        self.depth -= 1;
        self.in_calling_helper = outer;
    }

    fn visit_update_expr(&mut self, update: &swc_ecma_ast::UpdateExpr) {
        if let swc_ecma_ast::Expr::Member(member) = &*update.arg {
            if let (swc_ecma_ast::Expr::Ident(object), Some(name)) =
                (&*member.obj, member.prop.as_ident())
            {
                if object.sym == "global" {
                    self.globals_set.push(name.sym.clone());
                }
            }
        }
        if let swc_ecma_ast::Expr::Ident(ident) = &*update.arg {
            self.reassigned.push(ident.sym.clone());
        }
        update.visit_children_with(self);
    }
}
