//! The early error swc's parser does not report and Node does: a name declared twice in one
//! scope (`let x; const x = 1;`, `var a; let a;`, a `let` that shadows a parameter at the top of
//! its function). Rules with one are not valid JavaScript, and an Action with one would fail to
//! load, so both the input and every generated Action are checked.
//!
//! Scopes follow the language: a function (its parameters and the top of its body), each block,
//! a `for` head, a `catch` clause, a `switch`'s cases. `var` and function declarations at the
//! top of a function may repeat (sloppy scripts allow it); a `let`, `const` or `class` may not
//! share its scope with any other declaration of the name, and a `var` may not pass through a
//! block that declares the name lexically.

use std::collections::HashSet;

use swc_atoms::Atom;
use swc_ecma_ast::{
    ArrowExpr, ArrowFunctionBody, BlockStmt, CatchClause, ClassDecl, Constructor, Decl, FnDecl,
    ForHead, ForInStmt, ForOfStmt, ForStmt, Function, ObjectPatProp, Pat, Script, Stmt, SwitchStmt,
    VarDeclKind, VarDeclOrExpr,
};
use swc_ecma_visit::{Visit, VisitWith};

/// The first name declared twice, with the span of its second declaration.
pub fn first_redeclaration(script: &Script) -> Option<(Atom, swc_common::Span)> {
    let mut scopes = Scopes {
        stack: vec![Scope::function()],
        found: None,
    };
    for stmt in &script.body {
        scopes.statement(stmt);
    }
    scopes.found
}

#[derive(Default)]
struct Scope {
    /// A function's scope (where `var` stops), or a block's.
    function: bool,
    lexical: HashSet<Atom>,
    /// `var`s that are or pass through here, parameters, and top-level functions.
    var_like: HashSet<Atom>,
    /// Function declarations in a block: lexical, but they may repeat.
    block_functions: HashSet<Atom>,
    /// A `catch` clause's parameters: a `let` of the name clashes, a `var` does not.
    catch_params: HashSet<Atom>,
}

impl Scope {
    fn function() -> Scope {
        Scope {
            function: true,
            ..Scope::default()
        }
    }
}

struct Scopes {
    stack: Vec<Scope>,
    found: Option<(Atom, swc_common::Span)>,
}

impl Scopes {
    fn top(&mut self) -> &mut Scope {
        self.stack.last_mut().expect("a scope")
    }

    fn clash(&mut self, name: &Atom, span: swc_common::Span) {
        self.found.get_or_insert((name.clone(), span));
    }

    fn lexical(&mut self, name: &Atom, span: swc_common::Span) {
        let scope = self.top();
        let taken = scope.lexical.contains(name)
            || scope.var_like.contains(name)
            || scope.block_functions.contains(name)
            || scope.catch_params.contains(name);
        scope.lexical.insert(name.clone());
        if taken {
            self.clash(name, span);
        }
    }

    fn var(&mut self, name: &Atom, span: swc_common::Span) {
        let mut clash = false;
        for scope in self.stack.iter_mut().rev() {
            clash |= scope.lexical.contains(name)
                || (!scope.function && scope.block_functions.contains(name));
            scope.var_like.insert(name.clone());
            if scope.function {
                break;
            }
        }
        if clash {
            self.clash(name, span);
        }
    }

    fn function_declaration(&mut self, name: &Atom, span: swc_common::Span) {
        let scope = self.top();
        let taken = if scope.function {
            scope.lexical.contains(name)
        } else {
            scope.lexical.contains(name) || scope.var_like.contains(name)
        };
        if scope.function {
            scope.var_like.insert(name.clone());
        } else {
            scope.block_functions.insert(name.clone());
        }
        if taken {
            self.clash(name, span);
        }
    }

    fn pattern(&mut self, pat: &Pat, kind: VarDeclKind) {
        let mut names = Vec::new();
        pattern_idents(pat, &mut names);
        for (name, span) in names {
            match kind {
                VarDeclKind::Var => self.var(&name, span),
                VarDeclKind::Let | VarDeclKind::Const => self.lexical(&name, span),
            }
        }
        // Defaults and computed keys hold expressions, which may hold functions.
        pat.visit_with(self);
    }

    fn statement(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Decl(Decl::Var(var)) => {
                for decl in &var.decls {
                    self.pattern(&decl.name, var.kind);
                    decl.init.visit_with(self);
                }
            }
            Stmt::Decl(Decl::Fn(FnDecl {
                ident, function, ..
            })) => {
                self.function_declaration(&ident.sym, ident.span);
                self.function(function);
            }
            Stmt::Decl(Decl::Class(ClassDecl { ident, class, .. })) => {
                self.lexical(&ident.sym, ident.span);
                class.visit_with(self);
            }
            Stmt::Block(block) => self.block(block, |_| {}),
            _ => stmt.visit_children_with(self),
        }
    }

    fn block(&mut self, block: &BlockStmt, prepare: impl FnOnce(&mut Self)) {
        self.stack.push(Scope::default());
        prepare(self);
        for stmt in &block.stmts {
            self.statement(stmt);
        }
        self.stack.pop();
    }

    fn function(&mut self, function: &Function) {
        self.stack.push(Scope::function());
        for param in &function.params {
            self.pattern(&param.pat, VarDeclKind::Var);
        }
        for stmt in function.body.iter().flat_map(|b| &b.stmts) {
            self.statement(stmt);
        }
        self.stack.pop();
    }

    /// `for (head in|of right) body`: the head's declarations are the loop's own scope.
    fn each_loop(&mut self, head: &ForHead, right: &swc_ecma_ast::Expr, body: &Stmt) {
        self.stack.push(Scope::default());
        self.for_head(head);
        right.visit_with(self);
        self.statement(body);
        self.stack.pop();
    }

    fn for_head(&mut self, head: &ForHead) {
        match head {
            ForHead::VarDecl(var) => {
                for decl in &var.decls {
                    self.pattern(&decl.name, var.kind);
                }
            }
            other => other.visit_with(self),
        }
    }
}

impl Visit for Scopes {
    fn visit_stmt(&mut self, stmt: &Stmt) {
        self.statement(stmt);
    }

    fn visit_block_stmt(&mut self, block: &BlockStmt) {
        self.block(block, |_| {});
    }

    fn visit_function(&mut self, function: &Function) {
        self.function(function);
    }

    fn visit_constructor(&mut self, constructor: &Constructor) {
        self.stack.push(Scope::function());
        constructor.params.visit_with(self);
        for stmt in constructor.body.iter().flat_map(|b| &b.stmts) {
            self.statement(stmt);
        }
        self.stack.pop();
    }

    fn visit_arrow_expr(&mut self, arrow: &ArrowExpr) {
        self.stack.push(Scope::function());
        for param in &arrow.params {
            self.pattern(param, VarDeclKind::Var);
        }
        match &*arrow.body {
            ArrowFunctionBody::FunctionBody(body) => {
                for stmt in &body.stmts {
                    self.statement(stmt);
                }
            }
            ArrowFunctionBody::Expr(expr) => expr.visit_with(self),
        }
        self.stack.pop();
    }

    fn visit_catch_clause(&mut self, clause: &CatchClause) {
        // The parameter and the clause's body share one scope.
        self.stack.push(Scope::default());
        if let Some(param) = &clause.param {
            let mut names = Vec::new();
            pattern_idents(param, &mut names);
            self.top()
                .catch_params
                .extend(names.into_iter().map(|(name, _)| name));
            param.visit_with(self);
        }
        for stmt in &clause.body.stmts {
            self.statement(stmt);
        }
        self.stack.pop();
    }

    fn visit_for_stmt(&mut self, stmt: &ForStmt) {
        self.stack.push(Scope::default());
        match &stmt.init {
            Some(VarDeclOrExpr::VarDecl(var)) => {
                for decl in &var.decls {
                    self.pattern(&decl.name, var.kind);
                    decl.init.visit_with(self);
                }
            }
            Some(VarDeclOrExpr::Expr(expr)) => expr.visit_with(self),
            None => {}
        }
        stmt.test.visit_with(self);
        stmt.update.visit_with(self);
        self.statement(&stmt.body);
        self.stack.pop();
    }

    fn visit_for_in_stmt(&mut self, stmt: &ForInStmt) {
        self.each_loop(&stmt.left, &stmt.right, &stmt.body);
    }

    fn visit_for_of_stmt(&mut self, stmt: &ForOfStmt) {
        self.each_loop(&stmt.left, &stmt.right, &stmt.body);
    }

    fn visit_switch_stmt(&mut self, stmt: &SwitchStmt) {
        stmt.discriminant.visit_with(self);
        self.stack.push(Scope::default());
        for case in &stmt.cases {
            case.test.visit_with(self);
            for stmt in &case.cons {
                self.statement(stmt);
            }
        }
        self.stack.pop();
    }
}

/// The names a binding pattern declares, with their spans.
pub(crate) fn pattern_idents(pat: &Pat, out: &mut Vec<(Atom, swc_common::Span)>) {
    match pat {
        Pat::Ident(binding) => out.push((binding.id.sym.clone(), binding.id.span)),
        Pat::Array(array) => array
            .elems
            .iter()
            .flatten()
            .for_each(|p| pattern_idents(p, out)),
        Pat::Rest(rest) => pattern_idents(&rest.arg, out),
        Pat::Object(object) => {
            for prop in &object.props {
                match prop {
                    ObjectPatProp::KeyValue(kv) => pattern_idents(&kv.value, out),
                    ObjectPatProp::Assign(assign) => {
                        out.push((assign.key.id.sym.clone(), assign.key.id.span))
                    }
                    ObjectPatProp::Rest(rest) => pattern_idents(&rest.arg, out),
                }
            }
        }
        Pat::Assign(assign) => pattern_idents(&assign.left, out),
        Pat::Invalid(_) | Pat::Expr(_) => {}
    }
}
