//! The rule's own bindings, from the one semantic model (`crate::semantic`): which identifier
//! is the rule's `user`, `context` or `callback` (by binding, so a helper's parameter of the same
//! name is not), and which names no declaration binds (the sandbox's globals). The prepass, the
//! helpers' analysis and every family ask here.

use swc_atoms::Atom;
use swc_common::SyntaxContext;
use swc_ecma_ast::{Id, Ident};

use super::Param;
use crate::parse::RuleFunction;
use crate::trigger::RuleParam;

#[derive(Clone, Default)]
pub(super) struct Bindings {
    user: Option<Id>,
    context: Option<Id>,
    callback: Option<Id>,
    /// Parameters of the rule's helpers that stand for the rule's objects (`helpers.rs`).
    aliases: Vec<(Id, Param)>,
    /// A Hook's parameters that are `event` members (`recipient`, `client`).
    events: Vec<(Id, Param)>,
    unresolved: SyntaxContext,
}

impl Bindings {
    /// The rule's parameters, bound by the roles the trigger gives their positions.
    pub(super) fn of(rule: &RuleFunction, roles: &[RuleParam]) -> Self {
        let mut bindings = Bindings {
            unresolved: rule.unresolved,
            ..Bindings::default()
        };
        for (role, param) in roles.iter().zip(&rule.function.params) {
            let id = param.pat.as_ident().map(|b| b.id.to_id());
            match role {
                RuleParam::User => bindings.user = id,
                RuleParam::Context => bindings.context = id,
                RuleParam::Callback => bindings.callback = id,
                RuleParam::Event { path, members } => bindings
                    .events
                    .extend(id.map(|id| (id, Param::Event(path, members)))),
            }
        }
        bindings
    }

    /// `id`, a helper's parameter, stands for the rule's object in `role`.
    pub(super) fn alias(&mut self, id: Id, role: Param) {
        self.aliases.push((id, role));
    }

    /// Which of the rule's parameters `ident` refers to: by its binding, or through a helper's
    /// parameter that stands for it.
    pub(super) fn role(&self, ident: &Ident) -> Option<Param> {
        let binds = |(sym, ctxt): &Id| *sym == ident.sym && *ctxt == ident.ctxt;
        let refers_to = |id: &Option<Id>| id.as_ref().is_some_and(binds);
        if let Some((_, role)) = self
            .aliases
            .iter()
            .chain(&self.events)
            .find(|(id, _)| binds(id))
        {
            Some(*role)
        } else if refers_to(&self.user) {
            Some(Param::User)
        } else if refers_to(&self.context) {
            Some(Param::Context)
        } else if refers_to(&self.callback) {
            Some(Param::Callback)
        } else {
            None
        }
    }

    pub(super) fn is(&self, ident: &Ident, role: Param) -> bool {
        self.role(ident) == Some(role)
    }

    /// `ident` is a name no declaration binds: a global of the sandbox (or of Node).
    pub(super) fn is_global(&self, ident: &Ident) -> bool {
        ident.ctxt == self.unresolved
    }

    /// The binding of the rule's parameter in `role`.
    pub(super) fn id(&self, role: Param) -> Option<&Id> {
        match role {
            Param::User => self.user.as_ref(),
            Param::Context => self.context.as_ref(),
            Param::Callback => self.callback.as_ref(),
            Param::Event(..) => self
                .events
                .iter()
                .find(|(_, r)| *r == role)
                .map(|(id, _)| id),
        }
    }

    /// The binding of the Hook parameter that is the `event` member at `path`.
    pub(super) fn id_of_event(&self, path: &str) -> Option<&Id> {
        self.events
            .iter()
            .find(|(_, role)| matches!(role, Param::Event(p, _) if *p == path))
            .map(|(id, _)| id)
    }

    /// The name of the rule's parameter in `role`.
    pub(super) fn name(&self, role: Param) -> Option<&Atom> {
        self.id(role).map(|(sym, _)| sym)
    }
}
