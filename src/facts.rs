//! What a rule shares with the rules after it: the `global`, `user` and `context` members it sets
//! and reads, and the claims it reads back. The pipeline analysis (`crate::pipeline`) compares
//! these across rules; a single rule's rewrite does not use them.

use swc_atoms::Atom;
use swc_ecma_ast::{AssignExpr, Expr, Function, MemberExpr, MemberProp, UpdateExpr};
use swc_ecma_visit::{Visit, VisitWith};

use crate::model::SharedState;
use crate::tables::context::{CONTEXT_READS, TOKEN_MEMBERS};

/// `context` members a rule may set that Actions map to `api` calls.
const CONTEXT_OUTPUTS: &[&str] = &[
    "idToken",
    "accessToken",
    "multifactor",
    "redirect",
    "samlConfiguration",
    "primaryUser",
];

/// The sharing facts of the rule, whose first two parameters are `user` and `context`.
pub(crate) fn shared_state(rule: &crate::parse::RuleFunction) -> SharedState {
    let function: &Function = &rule.function;
    let param = |i: usize| {
        function
            .params
            .get(i)
            .and_then(|p| p.pat.as_ident())
            .map(|b| b.id.sym.clone())
    };
    let (user, context): (Option<Atom>, Option<Atom>) = (param(0), param(1));
    let mut facts = Facts {
        user,
        context,
        state: SharedState::default(),
    };
    function.visit_with(&mut facts);
    let state = &mut facts.state;
    for list in [
        &mut state.globals_set,
        &mut state.globals_read,
        &mut state.user_written,
        &mut state.user_read,
        &mut state.context_written,
        &mut state.context_read,
    ] {
        list.sort();
        list.dedup();
    }
    state.claims_read.sort();
    state.claims_read.dedup();
    facts.state
}

struct Facts {
    user: Option<Atom>,
    context: Option<Atom>,
    state: SharedState,
}

enum Root {
    Global,
    User,
    Context,
}

impl Facts {
    /// The root and first key of `object.key…`, for the roots this analysis follows.
    fn first_key(&self, member: &MemberExpr) -> Option<(Root, String, Option<String>)> {
        let mut links = vec![member];
        let mut current = member;
        while let Expr::Member(inner) = &*current.obj {
            links.push(inner);
            current = inner;
        }
        let Expr::Ident(root) = &*current.obj else {
            return None;
        };
        let root = if root.sym == "global" {
            Root::Global
        } else if Some(&root.sym) == self.user.as_ref() {
            Root::User
        } else if Some(&root.sym) == self.context.as_ref() {
            Root::Context
        } else {
            return None;
        };
        let key = |m: &MemberExpr| match &m.prop {
            MemberProp::Ident(name) => Some(name.sym.to_string()),
            MemberProp::Computed(computed) => match &*computed.expr {
                Expr::Lit(swc_ecma_ast::Lit::Str(s)) => s.value.as_atom().map(|a| a.to_string()),
                _ => None,
            },
            MemberProp::PrivateName(_) => None,
        };
        let first = key(links[links.len() - 1])?;
        let second = links.len().checked_sub(2).and_then(|i| key(links[i]));
        Some((root, first, second))
    }

    fn record(&mut self, member: &MemberExpr, written: bool) {
        let Some((root, key, second)) = self.first_key(member) else {
            return;
        };
        let state = &mut self.state;
        match (root, written) {
            (Root::Global, true) => state.globals_set.push(key),
            (Root::Global, false) => state.globals_read.push(key),
            (Root::User, true) => state.user_written.push(key),
            (Root::User, false) => state.user_read.push(key),
            (Root::Context, written) if TOKEN_MEMBERS.contains(&key.as_str()) => {
                if let (false, Some(claim)) = (written, second) {
                    state.claims_read.push((key, claim));
                }
            }
            (Root::Context, true) if !CONTEXT_OUTPUTS.contains(&key.as_str()) => {
                state.context_written.push(key)
            }
            (Root::Context, false)
                if !is_context_input(&key) && !CONTEXT_OUTPUTS.contains(&key.as_str()) =>
            {
                state.context_read.push(key)
            }
            _ => {}
        }
    }
}

/// A member Auth0 fills in on every login (`clientID`, `request`, …).
fn is_context_input(key: &str) -> bool {
    CONTEXT_READS
        .iter()
        .any(|(path, _)| path.split('.').next() == Some(key))
}

impl Visit for Facts {
    fn visit_assign_expr(&mut self, assign: &AssignExpr) {
        if let Some(member) = assign.left.as_simple().and_then(|s| s.as_member()) {
            self.record(member, true);
            // The target's own object chain is not a read; its computed keys may be.
            member.prop.visit_with(self);
            return assign.right.visit_with(self);
        }
        assign.visit_children_with(self);
    }

    fn visit_update_expr(&mut self, update: &UpdateExpr) {
        if let Expr::Member(member) = &*update.arg {
            self.record(member, true);
        }
        update.visit_children_with(self);
    }

    fn visit_member_expr(&mut self, member: &MemberExpr) {
        self.record(member, false);
        // Only the outermost link of a chain is recorded; inner links are the same access.
        let mut current = member;
        while let Expr::Member(inner) = &*current.obj {
            current.prop.visit_with(self);
            current = inner;
        }
        current.prop.visit_with(self);
        current.obj.visit_with(self);
    }
}
