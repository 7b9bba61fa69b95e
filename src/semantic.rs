//! The one semantic model: swc's `resolver`, run once on every rule as it is parsed, gives each
//! identifier the binding it refers to (its `SyntaxContext`). Whether a name is the rule's
//! `user`, a helper's parameter of the same name, or a sandbox global nothing declares is then
//! a question of identity, which the prepass and every rewrite family ask alike
//! (`rewrite::bindings`), instead of each tracking shadowing its own way.

use swc_common::{Globals, Mark, SyntaxContext, GLOBALS};
use swc_ecma_ast::Script;
use swc_ecma_transforms_base::resolver;
use swc_ecma_visit::VisitMutWith;

/// Resolves every identifier of `script` to its binding, and returns the context of the ones
/// no declaration binds: the globals.
pub fn resolve(script: &mut Script) -> SyntaxContext {
    GLOBALS.set(&Globals::new(), || {
        let unresolved = Mark::new();
        let top_level = Mark::new();
        script.visit_mut_with(&mut resolver(unresolved, top_level, false));
        SyntaxContext::empty().apply_mark(unresolved)
    })
}
