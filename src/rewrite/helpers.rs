//! Helpers that take the rule's objects: a function of the rule called with the rule's own
//! `user` or `context` reads them through the Action's `event` and `api`, which it closes over.
//!
//! Rule:
//! ```js
//! function (user, context, callback) {
//!   function isPrivileged(user, context) {
//!     return user.email_verified && context.clientName === 'Admin Console';
//!   }
//!   if (!isPrivileged(user, context)) return callback(new UnauthorizedError('Admins only'));
//!   callback(null, user, context);
//! }
//! ```
//! Action:
//! ```js
//!   function isPrivileged() {
//!     return event.user.email_verified && event.client.name === 'Admin Console';
//!   }
//!   if (!isPrivileged()) return api.access.deny('Admins only');
//! ```
//! A parameter is bound when every call passes the rule's object in its place: then the body
//! means the rule's object, and the parameter and the arguments go. Under another name than the
//! rule's (`function audience(ctx)`), the parameter must only be read. Refused: helpers used as values, reassigned, reading `arguments`, or
//! assigning the parameter. A helper called with the rule's `context` in some calls and other
//! values in others keeps its parameter, with `R2A208`.

use std::collections::HashMap;

use swc_atoms::Atom;
use swc_common::Spanned;
use swc_ecma_ast::Id;
use swc_ecma_ast::{
    ArrowExpr, AssignExpr, CallExpr, Callee, Decl, Expr, FnDecl, Function, Pat, Stmt, UpdateExpr,
    VarDeclarator,
};
use swc_ecma_visit::{Visit, VisitWith};

use super::bindings::Bindings;
use super::walk::unparen;
use super::{Param, Rewriter};
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::Span;

/// The rule's helpers whose parameters stand for the rule's objects.
#[derive(Default)]
pub(super) struct BoundHelpers {
    helpers: Vec<BoundHelper>,
    /// Helpers that take the rule's `context` in some calls only: the parameter's span.
    mixed: Vec<(Atom, swc_common::Span)>,
}

struct BoundHelper {
    name: Atom,
    /// The helper's function or arrow, by its span in the parsed text.
    function: swc_common::Span,
    /// Positions of the bound parameters, ascending, with their bindings and what they stand
    /// for.
    bound: Vec<(usize, Id, Param)>,
}

impl BoundHelpers {
    /// Finds the helpers among the functions the rule body declares outside nested functions,
    /// given the rule's own bindings.
    pub(super) fn of(body: &[Stmt], bindings: &Bindings) -> Self {
        let mut candidates = Candidates::default();
        body.iter().for_each(|s| s.visit_with(&mut candidates));
        let names: Vec<Atom> = candidates.found.iter().map(|c| c.name.clone()).collect();
        let mut uses = Uses {
            helpers: &names,
            calls: HashMap::new(),
            disqualified: Vec::new(),
            declarations: HashMap::new(),
        };
        body.iter().for_each(|s| s.visit_with(&mut uses));
        let rule_ids: Vec<(&Id, Param)> = [Param::User, Param::Context]
            .into_iter()
            .filter_map(|role| bindings.id(role).map(|id| (id, role)))
            .collect();
        // A parameter under the rule's own name is only bound when the rule declares the name
        // nowhere else: the helper's body is rewritten as if it read the rule's object.
        let helper_params = |name: &Atom| {
            candidates
                .found
                .iter()
                .flat_map(|c| c.params.iter())
                .filter(|p| p.as_ref().is_some_and(|((n, _), _)| n == name))
                .count()
        };
        let mut bound = BoundHelpers::default();
        for candidate in &candidates.found {
            let declared_once = uses.declarations.get(&candidate.name) == Some(&1);
            let calls = uses.calls.get(&candidate.name).map(Vec::as_slice);
            let (Some(calls), true, false) = (
                calls,
                declared_once,
                uses.disqualified.contains(&candidate.name),
            ) else {
                continue;
            };
            let mut helper = BoundHelper {
                name: candidate.name.clone(),
                function: candidate.function,
                bound: Vec::new(),
            };
            for (position, param) in candidate.params.iter().enumerate() {
                let Some((id, span)) = param else { continue };
                let name = &id.0;
                // The rule parameter each call passes here, by binding.
                let passed: Vec<Option<(&Atom, Param)>> = calls
                    .iter()
                    .map(|args| {
                        let arg = args.get(position)?.as_ref()?;
                        rule_ids
                            .iter()
                            .find(|(rule, _)| *rule == arg)
                            .map(|(rule, r)| (&rule.0, *r))
                    })
                    .collect();
                let passes_context = passed
                    .iter()
                    .any(|p| matches!(p, Some((_, Param::Context))));
                let Some(Some((rule_name, role))) = passed.first().copied() else {
                    if passes_context {
                        bound.mixed.push((candidate.name.clone(), *span));
                    }
                    continue;
                };
                if passed.iter().any(|p| p.map(|(n, _)| n) != Some(rule_name)) {
                    if passes_context {
                        bound.mixed.push((candidate.name.clone(), *span));
                    }
                    continue;
                }
                // Names are resolved by name: the rule's own must not be declared anywhere
                // else, and a parameter that stands for it under another name is only read.
                let shadowed = uses.declarations.get(rule_name).copied().unwrap_or(0)
                    != helper_params(rule_name);
                let renamed_and_written =
                    name != rule_name && candidate.written_through.contains(name);
                if shadowed || candidate.assigned.contains(name) || renamed_and_written {
                    continue;
                }
                helper.bound.push((position, id.clone(), role));
            }
            if !helper.bound.is_empty() {
                bound.helpers.push(helper);
            }
        }
        bound
    }

    /// Whether `name` is a call of a bound helper; the positions of its bound arguments.
    pub(super) fn bound_positions(&self, callee: &Atom) -> Option<Vec<usize>> {
        self.helpers
            .iter()
            .find(|h| h.name == *callee)
            .map(|h| h.bound.iter().map(|(p, ..)| *p).collect())
    }

    /// Each bound parameter, by binding, with the rule's object it stands for.
    pub(super) fn bound_parameters(&self) -> impl Iterator<Item = (&Id, Param)> {
        self.helpers
            .iter()
            .flat_map(|h| h.bound.iter().map(|(_, id, role)| (id, *role)))
    }

    pub(super) fn names_and_positions(&self) -> Vec<(Atom, Vec<usize>)> {
        self.helpers
            .iter()
            .map(|h| (h.name.clone(), h.bound.iter().map(|(p, ..)| *p).collect()))
            .collect()
    }

    fn helper_at(&self, function: swc_common::Span) -> Option<&BoundHelper> {
        self.helpers.iter().find(|h| h.function == function)
    }
}

impl Rewriter<'_> {
    /// The names `function` declares, without the parameters bound to the rule's objects,
    /// whose declarations go.
    pub(super) fn helper_scope(
        &mut self,
        function: swc_common::Span,
        params: &[swc_common::Span],
        mut names: super::scope::Names,
    ) -> super::scope::Names {
        let Some(helper) = self.helpers.helper_at(function) else {
            return names;
        };
        let positions: Vec<usize> = helper.bound.iter().map(|(p, ..)| *p).collect();
        // Each bound parameter stands for the rule's object in the helper's body
        // (`Bindings::alias`); its declaration goes.
        for (_, id, _) in &helper.bound {
            if let Some(at) = names.iter().position(|n| *n == id.0) {
                names.remove(at);
            }
        }
        let items: Vec<Span> = params.iter().map(|s| self.span(*s)).collect();
        for span in removals(&items, &positions) {
            self.replace(Family::Helpers, span, "");
        }
        names
    }

    /// A call of a bound helper: its bound arguments go, the others are rewritten as usual.
    /// Returns whether it was one.
    pub(super) fn bound_helper_call(&mut self, call: &CallExpr) -> bool {
        let Callee::Expr(callee) = &call.callee else {
            return false;
        };
        let Expr::Ident(name) = unparen(callee) else {
            return false;
        };
        let Some(positions) = self.helpers.bound_positions(&name.sym) else {
            return false;
        };
        let items: Vec<Span> = call.args.iter().map(|a| self.span(a.span())).collect();
        for span in removals(&items, &positions) {
            self.replace(Family::Helpers, span, "");
        }
        for (i, arg) in call.args.iter().enumerate() {
            if !positions.contains(&i) {
                arg.visit_with(self);
            }
        }
        true
    }

    /// `R2A208` for each helper that takes the rule's `context` in some calls only.
    pub(super) fn report_mixed_helpers(&mut self) {
        for (name, span) in std::mem::take(&mut self.helpers.mixed) {
            let span = self.span(span);
            self.report(
                Finding::new(
                    Code::HelperTakesOtherValues,
                    span,
                    format!("`{name}` is called with the rule's `context` and with other values, so its parameter stays, and the calls that pass `context` are not converted"),
                )
                .with_help("give the helper the values it needs (`event.client.name`, …) instead of the whole `context`"),
            );
        }
    }
}

/// The deletions that take the items at `positions` out of a comma-separated list, with their
/// commas.
fn removals(items: &[Span], positions: &[usize]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < items.len() {
        if !positions.contains(&i) {
            i += 1;
            continue;
        }
        let first = i;
        while i + 1 < items.len() && positions.contains(&(i + 1)) {
            i += 1;
        }
        let last = i;
        let span = if last + 1 < items.len() {
            Span::new(items[first].start, items[last + 1].start)
        } else if first > 0 {
            Span::new(items[first - 1].end, items[last].end)
        } else {
            Span::new(items[first].start, items[last].end)
        };
        out.push(span);
        i += 1;
    }
    out
}

struct Candidate {
    name: Atom,
    function: swc_common::Span,
    /// Each parameter's binding and span when it is a plain name.
    params: Vec<Option<(Id, swc_common::Span)>>,
    /// Names the helper assigns anywhere in its body, or `arguments` when it reads it.
    assigned: Vec<Atom>,
    /// Roots of the member chains the helper assigns, updates or deletes.
    written_through: Vec<Atom>,
}

/// Functions the rule body declares, outside nested functions.
#[derive(Default)]
struct Candidates {
    found: Vec<Candidate>,
}

impl Candidates {
    fn add(
        &mut self,
        name: &Atom,
        function: swc_common::Span,
        params: Vec<&Pat>,
        body: &dyn Fn(&mut Assigned),
    ) {
        let params = params
            .into_iter()
            .map(|p| match p {
                Pat::Ident(binding) if binding.type_ann.is_none() => {
                    Some((binding.id.to_id(), binding.span))
                }
                _ => None,
            })
            .collect();
        let mut assigned = Assigned::default();
        body(&mut assigned);
        self.found.push(Candidate {
            name: name.clone(),
            function,
            params,
            assigned: assigned.names,
            written_through: assigned.roots,
        });
    }
}

impl Visit for Candidates {
    fn visit_fn_decl(&mut self, decl: &FnDecl) {
        let function = &decl.function;
        self.add(
            &decl.ident.sym,
            function.span,
            function.params.iter().map(|p| &p.pat).collect(),
            &|assigned| function.visit_with(assigned),
        );
    }

    fn visit_var_declarator(&mut self, declarator: &VarDeclarator) {
        let (Pat::Ident(name), Some(init)) = (&declarator.name, declarator.init.as_deref()) else {
            return declarator.visit_children_with(self);
        };
        match unparen(init) {
            Expr::Fn(function) if function.ident.is_none() => self.add(
                &name.id.sym,
                function.function.span,
                function.function.params.iter().map(|p| &p.pat).collect(),
                &|assigned| function.function.visit_with(assigned),
            ),
            Expr::Arrow(arrow) => self.add(
                &name.id.sym,
                arrow.span,
                arrow.params.iter().collect(),
                &|assigned| arrow.visit_with(assigned),
            ),
            _ => {}
        }
    }

    fn visit_function(&mut self, _: &Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
}

/// Names assigned inside a helper, and `arguments` when it is read; the roots of the member
/// chains it writes.
#[derive(Default)]
struct Assigned {
    names: Vec<Atom>,
    roots: Vec<Atom>,
}

impl Assigned {
    fn written(&mut self, target: &Expr) {
        let mut object = unparen(target);
        while let Expr::Member(member) = object {
            object = unparen(&member.obj);
        }
        if let (Expr::Ident(root), false) = (object, matches!(unparen(target), Expr::Ident(_))) {
            self.roots.push(root.sym.clone());
        }
    }
}

impl Visit for Assigned {
    fn visit_assign_expr(&mut self, assign: &AssignExpr) {
        match assign.left.as_simple() {
            Some(swc_ecma_ast::SimpleAssignTarget::Ident(binding)) => {
                self.names.push(binding.id.sym.clone())
            }
            Some(swc_ecma_ast::SimpleAssignTarget::Member(member)) => {
                self.written(&Expr::Member(member.clone()))
            }
            _ => {}
        }
        assign.visit_children_with(self);
    }

    fn visit_update_expr(&mut self, update: &UpdateExpr) {
        if let Expr::Ident(ident) = &*update.arg {
            self.names.push(ident.sym.clone());
        }
        self.written(&update.arg);
        update.visit_children_with(self);
    }

    fn visit_unary_expr(&mut self, unary: &swc_ecma_ast::UnaryExpr) {
        if unary.op == swc_ecma_ast::UnaryOp::Delete {
            self.written(&unary.arg);
        }
        unary.visit_children_with(self);
    }

    fn visit_ident(&mut self, ident: &swc_ecma_ast::Ident) {
        if ident.sym == "arguments" {
            // Reading `arguments` sees the parameters that go: nothing of the helper is bound.
            self.names.push(ident.sym.clone());
        }
    }
}

/// How the rule uses each candidate helper, and how often it declares each name.
struct Uses<'a> {
    helpers: &'a [Atom],
    /// Each call of a helper: per argument, its binding when it is a plain name.
    calls: HashMap<Atom, Vec<Vec<Option<Id>>>>,
    /// Helpers used other than by a direct call, or reassigned.
    disqualified: Vec<Atom>,
    declarations: HashMap<Atom, usize>,
}

impl Visit for Uses<'_> {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        let callee = match &call.callee {
            Callee::Expr(callee) => match unparen(callee) {
                Expr::Ident(name) if self.helpers.contains(&name.sym) => Some(name.sym.clone()),
                _ => None,
            },
            _ => None,
        };
        let Some(callee) = callee else {
            return call.visit_children_with(self);
        };
        let mut args = Vec::new();
        for arg in &call.args {
            if arg.spread.is_some() {
                // Arguments after a spread have no known position.
                break;
            }
            args.push(match &*arg.expr {
                Expr::Ident(name) => Some(name.to_id()),
                _ => None,
            });
        }
        self.calls.entry(callee).or_default().push(args);
        call.args.visit_with(self);
    }

    fn visit_ident(&mut self, ident: &swc_ecma_ast::Ident) {
        if self.helpers.contains(&ident.sym) {
            self.disqualified.push(ident.sym.clone());
        }
    }

    fn visit_binding_ident(&mut self, binding: &swc_ecma_ast::BindingIdent) {
        *self.declarations.entry(binding.id.sym.clone()).or_default() += 1;
    }

    fn visit_fn_decl(&mut self, decl: &FnDecl) {
        *self.declarations.entry(decl.ident.sym.clone()).or_default() += 1;
        decl.function.visit_with(self);
    }

    fn visit_var_declarator(&mut self, declarator: &VarDeclarator) {
        declarator.name.visit_with(self);
        declarator.init.visit_with(self);
    }

    fn visit_decl(&mut self, decl: &Decl) {
        if let Decl::Class(class) = decl {
            *self
                .declarations
                .entry(class.ident.sym.clone())
                .or_default() += 1;
        }
        decl.visit_children_with(self);
    }

    fn visit_fn_expr(&mut self, function: &swc_ecma_ast::FnExpr) {
        if let Some(ident) = &function.ident {
            *self.declarations.entry(ident.sym.clone()).or_default() += 1;
        }
        function.function.visit_with(self);
    }

    fn visit_member_prop(&mut self, prop: &swc_ecma_ast::MemberProp) {
        // `x.isPrivileged` names a property, not the helper.
        if let swc_ecma_ast::MemberProp::Computed(computed) = prop {
            computed.visit_with(self);
        }
    }

    fn visit_prop_name(&mut self, name: &swc_ecma_ast::PropName) {
        if let swc_ecma_ast::PropName::Computed(computed) = name {
            computed.visit_with(self);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removals_take_the_commas_with_them() {
        // `(user, context, level)` at 1..5, 7..14, 16..21
        let items = [Span::new(1, 5), Span::new(7, 14), Span::new(16, 21)];
        assert_eq!(removals(&items, &[0, 1]), vec![Span::new(1, 16)]);
        assert_eq!(removals(&items, &[2]), vec![Span::new(14, 21)]);
        assert_eq!(removals(&items, &[1]), vec![Span::new(7, 16)]);
        assert_eq!(removals(&items, &[0, 1, 2]), vec![Span::new(1, 21)]);
        assert_eq!(
            removals(&items, &[0, 2]),
            vec![Span::new(1, 7), Span::new(14, 21)]
        );
    }
}
