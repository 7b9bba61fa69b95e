//! Which names a function or block declares, so that shadowed `user`, `context`, `callback` or
//! `configuration` are never rewritten.

use swc_ecma_ast::{
    ArrowExpr, ArrowFunctionBody, Decl, ForHead, Function, Pat, Stmt, VarDeclKind, VarDeclOrExpr,
};
use swc_ecma_visit::{Visit, VisitWith};

pub type Names = Vec<swc_atoms::Atom>;

pub fn pattern_names(pat: &Pat, out: &mut Names) {
    let mut named = Vec::new();
    crate::redeclared::pattern_idents(pat, &mut named);
    out.extend(named.into_iter().map(|(name, _)| name));
}

/// Parameters, hoisted `var`s and function declarations, and the body's own lexical names.
pub fn function_names(function: &Function) -> Names {
    let mut names = Names::new();
    for param in &function.params {
        pattern_names(&param.pat, &mut names);
    }
    if let Some(body) = &function.body {
        names.extend(body_names(&body.stmts));
    }
    names
}

pub fn arrow_names(arrow: &ArrowExpr) -> Names {
    let mut names = Names::new();
    for param in &arrow.params {
        pattern_names(param, &mut names);
    }
    if let ArrowFunctionBody::FunctionBody(body) = &*arrow.body {
        names.extend(body_names(&body.stmts));
    }
    names
}

pub fn body_names(stmts: &[Stmt]) -> Names {
    let mut hoisted = HoistedVars::default();
    stmts.iter().for_each(|s| s.visit_with(&mut hoisted));
    let mut names = hoisted.names;
    names.extend(block_names(stmts));
    names
}

/// `let`, `const`, `class` and function declarations directly in a block.
pub fn block_names(stmts: &[Stmt]) -> Names {
    let mut names = Names::new();
    for stmt in stmts {
        if let Stmt::Decl(decl) = stmt {
            match decl {
                Decl::Fn(f) => names.push(f.ident.sym.clone()),
                Decl::Class(c) => names.push(c.ident.sym.clone()),
                Decl::Var(var) if var.kind != VarDeclKind::Var => {
                    for d in &var.decls {
                        pattern_names(&d.name, &mut names);
                    }
                }
                _ => {}
            }
        }
    }
    names
}

pub fn for_head_names(init: Option<&VarDeclOrExpr>, head: Option<&ForHead>) -> Names {
    let mut names = Names::new();
    let var = match (init, head) {
        (Some(VarDeclOrExpr::VarDecl(var)), _) => Some(var),
        (_, Some(ForHead::VarDecl(var))) => Some(var),
        _ => None,
    };
    if let Some(var) = var.filter(|v| v.kind != VarDeclKind::Var) {
        for d in &var.decls {
            pattern_names(&d.name, &mut names);
        }
    }
    names
}

/// `var` declarations anywhere in a function body, not crossing into nested functions.
#[derive(Default)]
struct HoistedVars {
    names: Names,
}

impl Visit for HoistedVars {
    fn visit_var_decl(&mut self, var: &swc_ecma_ast::VarDecl) {
        if var.kind == VarDeclKind::Var {
            for d in &var.decls {
                pattern_names(&d.name, &mut self.names);
            }
        }
        var.visit_children_with(self);
    }

    fn visit_fn_decl(&mut self, decl: &swc_ecma_ast::FnDecl) {
        // Sloppy-mode function declarations in blocks are visible function-wide.
        self.names.push(decl.ident.sym.clone());
    }

    fn visit_function(&mut self, _: &Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
    fn visit_class(&mut self, _: &swc_ecma_ast::Class) {}
}
