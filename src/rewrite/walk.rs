//! The traversal: scopes, control flow, and dispatch to the rewrite families.
//!
//! This file is the one place that says which family claims a node, and in which order; the
//! first family that claims a node rewrites it and the ones after it do not see it:
//! - a statement: the resume branch (`redirect`), a claims alias (`claims`), a call of the
//!   callback (`callback`), a metadata update (`metadata`), an awaited promise chain or
//!   node-style call (`promise-chain`), an assignment, then any other expression;
//! - an assignment, by its target: a claims alias (`claims`), a default that Actions make
//!   needless (`metadata`, `saml`), `context.*` (`claims`, `redirect`, `saml`,
//!   `multifactor`, `primary-user`, `access-scopes`), `user.*` (`user-fields`),
//!   `configuration` (`secrets`), `global.*` (`globals`);
//! - a call: a bound helper (`helpers`), lodash or a library over `context` (`context-view`),
//!   `require` (`modules`), a redirect token (`redirect-token`), another user's metadata
//!   (`management-api`), a `forEach` whose arrow's value is discarded;
//! - a member chain read, by its root: `user` (`user`), `context` (`context-reads`),
//!   `configuration` (`secrets`), a claims alias (`claims`), the platform (`platform`).

use swc_common::Spanned;
use swc_ecma_ast::{
    ArrowExpr, ArrowFunctionBody, AssignExpr, AssignTarget, BlockStmt, BreakStmt, Callee,
    CatchClause, ClassDecl, ClassExpr, Constructor, ContinueStmt, Decl, DoWhileStmt, Expr,
    ExprStmt, FnDecl, FnExpr, ForInStmt, ForOfStmt, ForStmt, Function, LabeledStmt, Lit,
    MemberProp, OptChainBase, ParamOrTsParamProp, Prop, ReturnStmt, SimpleAssignTarget, Stmt,
    UnaryOp, VarDeclarator, WhileStmt,
};
use swc_ecma_visit::{Visit, VisitWith};

use super::scope::{self, Names};
use super::{chain, Flow, Param, Rewriter, Value};
use crate::family::Family;
use crate::registry::Code;

pub(super) fn unparen(mut expr: &Expr) -> &Expr {
    while let Expr::Paren(paren) = expr {
        expr = &paren.expr;
    }
    expr
}

impl Rewriter<'_> {
    pub(super) fn with_scope(&mut self, names: Names, visit: impl FnOnce(&mut Self)) {
        self.scopes.push(names);
        visit(self);
        self.scopes.pop();
    }

    fn enter_function(&mut self, names: Names, binds_this: bool, visit: impl FnOnce(&mut Self)) {
        let saved_flow = std::mem::take(&mut self.flow);
        let saved_loops = std::mem::take(&mut self.loops);
        self.depth += 1;
        self.binding_depth += usize::from(binds_this);
        self.with_scope(names, visit);
        self.depth -= 1;
        self.binding_depth -= usize::from(binds_this);
        self.flow = saved_flow;
        self.loops = saved_loops;
    }

    pub(super) fn visit_statement_list(&mut self, stmts: &[Stmt], rule_body: bool) {
        let outer = self.flow;
        // The only statement of a branch stays, so that the branch does not become empty.
        let alone = stmts
            .iter()
            .filter(|s| !matches!(s, Stmt::Empty(_)))
            .count()
            == 1;
        for (i, stmt) in stmts.iter().enumerate() {
            let next = stmts[i + 1..].iter().find(|s| !matches!(s, Stmt::Empty(_)));
            self.flow = Flow {
                following: next.is_some() || outer.following,
                last_in_rule_body: next.is_none()
                    && (rule_body || (outer.block_ends_rule && !alone)),
                block_ends_rule: false,
                next_is_return: matches!(next, Some(Stmt::Return(r)) if r.arg.is_none()),
                in_list: true,
            };
            stmt.visit_with(self);
        }
        self.flow = outer;
    }

    /// The rewritten texts of the member chains `test` requires to be set: `a.b` for `a.b`,
    /// both for `a.b && c.d`. `mark` is where the test's own edits start.
    fn found_set(&self, test: &Expr, mark: usize) -> Vec<String> {
        let mut guards = Vec::new();
        let mut operands = vec![test];
        while let Some(operand) = operands.pop() {
            match unparen(operand) {
                Expr::Bin(inner) if inner.op == swc_ecma_ast::BinaryOp::LogicalAnd => {
                    operands.push(&inner.left);
                    operands.push(&inner.right);
                }
                Expr::Member(_) | Expr::OptChain(_) => {
                    let span = self.span(operand.span());
                    if let Ok(text) =
                        crate::edit::apply_within(self.source, span, &self.out.edits[mark..])
                    {
                        guards.push(text);
                    }
                }
                _ => {}
            }
        }
        guards
    }

    /// `cb(...)` where `cb` is the rule's callback parameter.
    pub(super) fn as_callback_call<'e>(
        &self,
        expr: &'e Expr,
    ) -> Option<&'e swc_ecma_ast::CallExpr> {
        let Expr::Call(call) = unparen(expr) else {
            return None;
        };
        let Callee::Expr(callee) = &call.callee else {
            return None;
        };
        match &**callee {
            Expr::Ident(ident) if self.param(ident) == Some(Param::Callback) => Some(call),
            _ => None,
        }
    }

    /// Visits an expression whose value is thrown away, so that assignments in it may become
    /// calls that return nothing.
    fn visit_discarded(&mut self, expr: &Expr) {
        match unparen(expr) {
            Expr::Assign(assign) => self.assignment(assign, Value::Discarded),
            Expr::Seq(seq) => seq.exprs.iter().for_each(|e| self.visit_discarded(e)),
            _ => expr.visit_with(self),
        }
    }

    /// `list.forEach((x) => context.idToken[x] = true)`: the arrow's value is discarded.
    fn visit_for_each(&mut self, call: &swc_ecma_ast::CallExpr) -> bool {
        let Callee::Expr(callee) = &call.callee else {
            return false;
        };
        let is_for_each = matches!(&**callee, Expr::Member(member)
            if matches!(&member.prop, MemberProp::Ident(p) if &*p.sym == "forEach"));
        let Some((arrow, body)) = call.args.first().and_then(|arg| match &*arg.expr {
            Expr::Arrow(arrow) => match &*arrow.body {
                ArrowFunctionBody::Expr(body) => Some((arrow, body)),
                ArrowFunctionBody::FunctionBody(_) => None,
            },
            _ => None,
        }) else {
            return false;
        };
        if !is_for_each {
            return false;
        }
        callee.visit_with(self);
        self.enter_function(scope::arrow_names(arrow), false, |this| {
            arrow.params.visit_with(this);
            this.visit_discarded(body);
        });
        call.args[1..].iter().for_each(|a| a.visit_with(self));
        true
    }

    /// `user.app_metadata = user.app_metadata || {}` and
    /// `context.samlConfiguration = context.samlConfiguration || {}`: in Actions the metadata
    /// is always an object and SAML settings are `api` calls, so the statement does nothing.
    fn goes_without_a_trace(
        &mut self,
        assign: &AssignExpr,
        chain: &chain::Chain<'_>,
        value: Value,
    ) -> bool {
        let (Value::Statement(statement), true) = (value, self.flow.in_list) else {
            return false;
        };
        let family = match (self.param(chain.root), chain.static_prefix().as_slice()) {
            (Some(Param::User), ["app_metadata" | "user_metadata"]) => Family::Metadata,
            (Some(Param::Context), ["samlConfiguration"]) => Family::Saml,
            _ => return false,
        };
        if chain.links.len() != 1 || !super::recognise::defaults_to_empty_object(assign) {
            return false;
        }
        self.delete_statement(family, statement, self.flow.last_in_rule_body);
        true
    }

    fn assignment(&mut self, assign: &AssignExpr, value: Value) {
        match &assign.left {
            AssignTarget::Simple(SimpleAssignTarget::Member(member)) => {
                if let Some(chain) = chain::flatten_member(member, self.offsets) {
                    if let Some(token) = self.token_alias(chain.root) {
                        return self.write_claims(assign, &chain, value, token, 0);
                    }
                    if self.goes_without_a_trace(assign, &chain, value) {
                        return;
                    }
                    if self.param(chain.root) == Some(Param::Context) {
                        return self.context_write(assign, &chain, value);
                    }
                    if self.param(chain.root) == Some(Param::User) {
                        return self.user_write(assign, &chain, value);
                    }
                    if self.is_global(chain.root, "configuration") {
                        self.configuration_write(assign);
                    }
                    if self.is_global(chain.root, "global") && self.global_member(&chain) {
                        for key in chain.computed_keys() {
                            key.visit_with(self);
                        }
                        return assign.right.visit_with(self);
                    }
                }
            }
            AssignTarget::Simple(SimpleAssignTarget::Ident(binding)) => {
                if self.param(&binding.id).is_some() {
                    self.report_at(
                        Code::RuleParamReassigned,
                        self.span(assign.span),
                        format!("`{}` is reassigned", binding.id.sym),
                    );
                } else if self.is_global(&binding.id, "configuration") {
                    self.configuration_write(assign);
                }
            }
            _ => {}
        }
        assign.visit_children_with(self);
    }
}

impl Visit for Rewriter<'_> {
    fn visit_function(&mut self, function: &Function) {
        let params: Vec<_> = function.params.iter().map(|p| p.span).collect();
        let names = self.helper_scope(function.span, &params, scope::function_names(function));
        let library_arguments = std::mem::take(&mut self.view.library_arguments);
        let calling = self.depth == 0 && self.calls.helpers.contains(function.span);
        let last = function.body.as_ref().and_then(|b| b.stmts.last());
        let in_helper = last.filter(|_| calling).map(|s| self.span(s.span()));
        let outer = std::mem::replace(&mut self.calls.in_helper, in_helper);
        self.enter_function(names, true, |this| function.visit_children_with(this));
        self.calls.in_helper = outer;
        self.view.library_arguments = library_arguments;
    }

    fn visit_arrow_expr(&mut self, arrow: &ArrowExpr) {
        let params: Vec<_> = arrow.params.iter().map(|p| p.span()).collect();
        let names = self.helper_scope(arrow.span, &params, scope::arrow_names(arrow));
        let library_arguments = std::mem::take(&mut self.view.library_arguments);
        let calling = self.depth == 0 && self.calls.helpers.contains(arrow.span);
        let last = match &*arrow.body {
            ArrowFunctionBody::FunctionBody(block) => block.stmts.last(),
            ArrowFunctionBody::Expr(_) => None,
        };
        let in_helper = last.filter(|_| calling).map(|s| self.span(s.span()));
        let outer = std::mem::replace(&mut self.calls.in_helper, in_helper);
        self.enter_function(names, false, |this| arrow.visit_children_with(this));
        self.calls.in_helper = outer;
        self.view.library_arguments = library_arguments;
    }

    fn visit_constructor(&mut self, constructor: &Constructor) {
        let mut names = Names::new();
        for param in &constructor.params {
            if let ParamOrTsParamProp::Param(param) = param {
                scope::pattern_names(&param.pat, &mut names);
            }
        }
        if let Some(body) = &constructor.body {
            names.extend(scope::body_names(&body.stmts));
        }
        self.enter_function(names, true, |this| constructor.body.visit_with(this));
    }

    fn visit_fn_expr(&mut self, fn_expr: &FnExpr) {
        let own_name = fn_expr.ident.iter().map(|i| i.sym.clone()).collect();
        self.with_scope(own_name, |this| fn_expr.function.visit_with(this));
    }

    fn visit_fn_decl(&mut self, decl: &FnDecl) {
        decl.function.visit_with(self);
    }

    fn visit_class_decl(&mut self, decl: &ClassDecl) {
        decl.class.visit_with(self);
    }

    fn visit_class_expr(&mut self, class: &ClassExpr) {
        class.class.visit_with(self);
    }

    // Names in binding, label and property-key positions are not references.
    fn visit_binding_ident(&mut self, _: &swc_ecma_ast::BindingIdent) {}
    fn visit_break_stmt(&mut self, _: &BreakStmt) {}
    fn visit_continue_stmt(&mut self, _: &ContinueStmt) {}

    fn visit_labeled_stmt(&mut self, labeled: &LabeledStmt) {
        labeled.body.visit_with(self);
    }

    fn visit_block_stmt(&mut self, block: &BlockStmt) {
        self.with_scope(scope::block_names(&block.stmts), |this| {
            block.visit_children_with(this)
        });
    }

    fn visit_stmts(&mut self, stmts: &[Stmt]) {
        self.visit_statement_list(stmts, false);
    }

    fn visit_catch_clause(&mut self, clause: &CatchClause) {
        let mut names = Names::new();
        if let Some(param) = &clause.param {
            scope::pattern_names(param, &mut names);
        }
        let added = names.len();
        self.catch_params.extend(names.iter().cloned());
        self.with_scope(names, |this| clause.body.visit_with(this));
        self.catch_params.truncate(self.catch_params.len() - added);
    }

    fn visit_for_stmt(&mut self, stmt: &ForStmt) {
        let names = scope::for_head_names(stmt.init.as_ref(), None);
        self.with_scope(names, |this| stmt.visit_children_with(this));
    }

    fn visit_for_in_stmt(&mut self, stmt: &ForInStmt) {
        let names = scope::for_head_names(None, Some(&stmt.left));
        self.with_scope(names, |this| stmt.visit_children_with(this));
    }

    fn visit_for_of_stmt(&mut self, stmt: &ForOfStmt) {
        let names = scope::for_head_names(None, Some(&stmt.left));
        self.with_scope(names, |this| stmt.visit_children_with(this));
    }

    fn visit_if_stmt(&mut self, branch: &swc_ecma_ast::IfStmt) {
        let mark = self.out.edits.len();
        if !self.redirect_guard(&branch.test) {
            let skips = self.skips_the_rule(branch);
            let outer = std::mem::replace(&mut self.guards.in_skip_test, skips);
            branch.test.visit_with(self);
            self.guards.in_skip_test = outer;
        }
        // Inside the branch, what the test found set is set.
        let guards = self.found_set(&branch.test, mark);
        let guarded = guards.len();
        self.guards.set.extend(guards);
        // SAML attributes mapped in one branch were never set on the other's path.
        let before = self.saml.attributes.clone();
        if self.drops_final_success_else(branch) {
            // Nothing runs on the other path: what the branch maps is all there is.
            branch.cons.visit_with(self);
            self.guards.set.truncate(self.guards.set.len() - guarded);
            return;
        }
        let tested = match unparen(&branch.test) {
            swc_ecma_ast::Expr::Ident(name) => Some(name.sym.clone()),
            _ => None,
        };
        self.calls.tested_truthy.extend(tested.clone());
        branch.cons.visit_with(self);
        self.guards.set.truncate(self.guards.set.len() - guarded);
        if tested.is_some() {
            self.calls.tested_truthy.pop();
        }
        let after_cons = std::mem::replace(&mut self.saml.attributes, before);
        branch.alt.visit_with(self);
        for attribute in after_cons {
            if !self.saml.attributes.contains(&attribute) {
                self.saml.attributes.push(attribute);
            }
        }
    }

    /// `a && a.b`: inside the right side, `a` is known to be set, so a `?.` right after its
    /// rewritten text is noise (`event.authorization && event.authorization.roles`).
    fn visit_bin_expr(&mut self, bin: &swc_ecma_ast::BinExpr) {
        if self.resume_flag(bin) {
            return;
        }
        if bin.op != swc_ecma_ast::BinaryOp::LogicalAnd {
            return bin.visit_children_with(self);
        }
        let mark = self.out.edits.len();
        bin.left.visit_with(self);
        let guards = self.found_set(&bin.left, mark);
        let added = guards.len();
        self.guards.set.extend(guards);
        bin.right.visit_with(self);
        self.guards.set.truncate(self.guards.set.len() - added);
    }

    fn visit_while_stmt(&mut self, stmt: &WhileStmt) {
        stmt.visit_children_with(self);
    }

    fn visit_do_while_stmt(&mut self, stmt: &DoWhileStmt) {
        stmt.visit_children_with(self);
    }

    fn visit_stmt(&mut self, stmt: &Stmt) {
        let span = self.span(stmt.span());
        self.out.statements.push(span);
        if let Stmt::If(branch) = stmt {
            if self.resume_branch(branch, span) {
                return;
            }
        }
        if let Stmt::Decl(Decl::Var(var)) = stmt {
            let rule_top_level = self.depth == 0 && self.scopes.len() == 1;
            if rule_top_level && self.alias_declaration(var, span) {
                return;
            }
        }
        let saved = self.flow;
        if !matches!(stmt, Stmt::Expr(_) | Stmt::Return(_)) {
            let ends_rule = self.flow.last_in_rule_body || self.flow.block_ends_rule;
            self.flow.block_ends_rule = ends_rule && matches!(stmt, Stmt::If(_) | Stmt::Block(_));
            self.flow.last_in_rule_body = false;
            self.flow.in_list = false;
            self.flow.next_is_return = false;
        }
        let is_loop = matches!(
            stmt,
            Stmt::For(_) | Stmt::ForIn(_) | Stmt::ForOf(_) | Stmt::While(_) | Stmt::DoWhile(_)
        );
        if is_loop {
            // A loop body may run again after any of its statements.
            self.flow.following = true;
        }
        self.loops += usize::from(is_loop);
        stmt.visit_children_with(self);
        self.loops -= usize::from(is_loop);
        self.flow = saved;
    }

    fn visit_expr_stmt(&mut self, stmt: &ExprStmt) {
        let span = self.span(stmt.span);
        if let Some(call) = self.as_callback_call(&stmt.expr) {
            return self.callback_statement(span, call, false);
        }
        if self.metadata_update_statement(&stmt.expr, span, false)
            || self.awaited_chain(&stmt.expr, stmt.span)
        {
            return;
        }
        match unparen(&stmt.expr) {
            Expr::Assign(assign) => self.assignment(assign, Value::Statement(span)),
            Expr::Call(call) if self.claims_object_assign(call, span) => {}
            _ => self.visit_discarded(&stmt.expr),
        }
    }

    fn visit_return_stmt(&mut self, stmt: &ReturnStmt) {
        let call = stmt.arg.as_deref().and_then(|arg| match unparen(arg) {
            Expr::Unary(unary) if unary.op == UnaryOp::Void => self.as_callback_call(&unary.arg),
            arg => self.as_callback_call(arg),
        });
        let span = self.span(stmt.span);
        match (call, stmt.arg.as_deref()) {
            (Some(call), _) => self.callback_statement(span, call, true),
            (None, Some(arg)) if self.metadata_update_statement(arg, span, true) => {}
            (None, Some(arg)) if self.awaited_chain(arg, stmt.span) => {}
            (None, _) => stmt.visit_children_with(self),
        }
    }

    fn visit_var_declarator(&mut self, declarator: &VarDeclarator) {
        if !self.secrets_destructuring(declarator) && !self.credential_declaration(declarator) {
            declarator.visit_children_with(self);
        }
    }

    fn visit_prop(&mut self, prop: &Prop) {
        match prop {
            Prop::Shorthand(ident) => self.shorthand_property(ident),
            Prop::KeyValue(kv) => match unparen(&kv.value) {
                Expr::Ident(ident)
                    if self.param(ident) == Some(Param::Context)
                        && self.view.library_arguments > 0 =>
                {
                    kv.key.visit_with(self);
                    let span = self.span(kv.value.span());
                    self.context_view(span, "");
                }
                _ => prop.visit_children_with(self),
            },
            _ => prop.visit_children_with(self),
        }
    }

    fn visit_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Ident(ident) => self.identifier(ident),
            Expr::This(this) => self.this_or_arguments(self.span(this.span), "this"),
            Expr::Member(_) | Expr::OptChain(_) => {
                let handled =
                    chain::flatten(expr, self.offsets).is_some_and(|chain| self.chain_read(&chain));
                if !handled {
                    self.visit_chain_parts(expr);
                }
            }
            Expr::Call(call) => {
                self.legacy_jwt_options(call);
                self.secret_logged(call);
                if self.as_callback_call(expr).is_some() {
                    self.callback_in_expression(call);
                } else if !self.bound_helper_call(call)
                    && !self.lodash_over_context(call)
                    && !self.context_view_call(call)
                    && !self.require_call(call)
                    && !self.redirect_token_call(call)
                    && !self.other_user_metadata_update(call)
                    && !self.visit_for_each(call)
                {
                    // Objects handed to a library method (`request.post`, `JSON.stringify`)
                    // are only read by it.
                    let library = matches!(&call.callee, swc_ecma_ast::Callee::Expr(callee)
                        if matches!(unparen(callee), Expr::Member(_)));
                    self.note_user_kept(call);
                    self.view.library_arguments += usize::from(library);
                    call.visit_children_with(self);
                    self.view.library_arguments -= usize::from(library);
                }
            }
            Expr::Assign(assign) => self.assignment(assign, Value::Used),
            Expr::Unary(unary) if unary.op == UnaryOp::Delete => self.delete(unary),
            Expr::Update(update) => self.update(update),
            Expr::New(new) => self.new_expression(new),
            Expr::Lit(Lit::Str(literal)) => {
                if !self.credential_literal(literal) {
                    self.string_literal_read(literal);
                }
            }
            _ => expr.visit_children_with(self),
        }
    }
}

impl Rewriter<'_> {
    /// Visits the base and computed keys of a member chain without descending link by link:
    /// re-examining every inner chain would be quadratic in the chain's length.
    fn visit_chain_parts(&mut self, expr: &Expr) {
        let mut keys = Vec::new();
        let mut current = expr;
        loop {
            let member = match current {
                Expr::Member(member) => member,
                Expr::OptChain(chain) => match &*chain.base {
                    OptChainBase::Member(member) => member,
                    OptChainBase::Call(_) => break,
                },
                _ => break,
            };
            if let MemberProp::Computed(computed) = &member.prop {
                keys.push(&*computed.expr);
            }
            current = &member.obj;
        }
        if std::ptr::eq(current, expr) {
            return expr.visit_children_with(self);
        }
        current.visit_with(self);
        for key in keys.into_iter().rev() {
            key.visit_with(self);
        }
    }

    /// A member chain in read position. Returns whether a family handled it.
    fn chain_read(&mut self, chain: &chain::Chain<'_>) -> bool {
        match self.param(chain.root) {
            Some(Param::User) => self.user_read(chain),
            Some(Param::Context) => self.context_read(chain),
            Some(Param::Event(path, members)) => self.hook_parameter_read(chain, path, members),
            Some(Param::Callback) => {
                self.calls.uses += 1;
                if !self.shim {
                    self.report_at(
                        Code::CallbackAsValue,
                        chain.span(),
                        "`callback` is used as an object",
                    );
                }
            }
            None if self.is_global(chain.root, "configuration") => self.secret_read(chain),
            None if self.token_alias(chain.root).is_some() => self.alias_read(chain.span()),
            None if self.platform_chain(chain) => {}
            None => {
                self.identity_token_through_alias(chain);
                return false;
            }
        }
        for key in chain.computed_keys() {
            key.visit_with(self);
        }
        true
    }

    fn identifier(&mut self, ident: &swc_ecma_ast::Ident) {
        let span = self.span(ident.span);
        match self.param(ident) {
            Some(Param::User) => {
                if self.view.library_arguments == 0 || !self.user_view(span, "") {
                    self.replace(Family::User, span, format!("{}.user", self.event))
                }
            }
            Some(Param::Event(path, _)) => self.hook_parameter_value(span, path, ""),
            Some(Param::Context) => self.report_at(
                Code::ContextAsValue,
                span,
                "`context` is used as a whole value",
            ),
            Some(Param::Callback) => {
                self.calls.uses += 1;
                if !self.shim {
                    self.report_at(
                        Code::CallbackAsValue,
                        span,
                        "`callback` is passed as a value",
                    );
                }
            }
            None if self.is_global(ident, "configuration") => self.bare_configuration(span, ""),
            None if self.token_alias(ident).is_some() => self.alias_read(span),
            None => self.global_identifier(ident),
        }
    }

    fn shorthand_property(&mut self, ident: &swc_ecma_ast::Ident) {
        let span = self.span(ident.span);
        match self.param(ident) {
            Some(Param::User) => {
                if self.view.library_arguments == 0 || !self.user_view(span, "user: ") {
                    self.replace(Family::User, span, format!("user: {}.user", self.event))
                }
            }
            Some(Param::Event(path, _)) => {
                self.hook_parameter_value(span, path, &format!("{}: ", ident.sym))
            }
            Some(Param::Context) if self.view.library_arguments > 0 => {
                self.context_view(span, "context: ")
            }
            None if self.is_global(ident, "configuration") => {
                self.bare_configuration(span, "configuration: ")
            }
            _ => self.identifier(ident),
        }
    }
}
