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

#[cfg(test)]
mod tests {
    use swc_ecma_ast::Ident;
    use swc_ecma_visit::{Visit, VisitWith};

    /// Every `user` reference, with whether it resolves to the first one declared.
    fn user_references(code: &str) -> Vec<bool> {
        let (mut script, _) = crate::parse::parse_code(code).expect("parses");
        super::resolve(&mut script);
        struct Refs(Vec<Ident>);
        impl Visit for Refs {
            fn visit_ident(&mut self, ident: &Ident) {
                if &*ident.sym == "user" {
                    self.0.push(ident.clone());
                }
            }
        }
        let mut refs = Refs(Vec::new());
        script.visit_with(&mut refs);
        let first = refs.0[0].ctxt;
        refs.0[1..].iter().map(|i| i.ctxt == first).collect()
    }

    #[test]
    fn a_helper_parameter_shadows_the_rule_parameter_of_the_same_name() {
        let rule = "function rule(user, context, callback) {\n  function label(user) { return user.name; }\n  user.x = label({ name: 'a' });\n  try { } catch (user) { user.y = 1; }\n  callback(null, user, context);\n}";
        // `label`'s parameter and its read, the catch parameter and its write: not the rule's.
        assert_eq!(
            user_references(rule),
            vec![false, false, true, false, false, true]
        );
    }
}
