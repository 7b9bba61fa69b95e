//! `global.X` caching becomes a module-scope variable.
//!
//! Rule:
//! ```js
//! if (!global.mgmtToken || global.mgmtTokenExpires < Date.now()) {
//!   global.mgmtToken = fetchToken();
//!   global.mgmtTokenExpires = Date.now() + 3600 * 1000;
//! }
//! ```
//! Action:
//! ```js
//! let mgmtToken; // module scope, above the handler
//! let mgmtTokenExpires;
//! exports.onExecutePostLogin = async (event, api) => {
//!   if (!mgmtToken || mgmtTokenExpires < Date.now()) { … }
//! };
//! ```
//! A module-scope variable lives as long as the Action's instance, as `global` lived as long as
//! the Rules container, and holds any value: helpers (`global.fn = global.fn || function…`)
//! and objects included. `api.cache` survives instances but holds strings only (4 KB, 24 h), so
//! it is named in the finding (`R2A907`) rather than chosen. A `global.X` the rule reads but
//! never sets came from another rule: `R2A906`, an error that names it. Refused (`R2A902`):
//! `global` used as a whole value or with computed keys.

use swc_atoms::Atom;

use super::chain::{Chain, Key};
use super::Rewriter;
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::tables::modules::NODE_GLOBALS;

/// The rule's `global.X` names.
#[derive(Default)]
pub(super) struct Globals {
    /// `global.X` names the rule sets, with the module-scope variable each becomes.
    pub(super) module: Vec<(swc_atoms::Atom, String)>,
    /// `global` is only ever used as `global.X`.
    pub(super) only_as_members: bool,
    /// `global.X` names already reported as module variables.
    pub(super) reported: Vec<swc_atoms::Atom>,
}

impl Rewriter<'_> {
    /// Chooses a module-scope variable for each `global.X` the rule sets, when `global` is only
    /// ever used as `global.X`: `X` itself, unless the rule mentions that name.
    pub(super) fn choose_module_globals(
        &mut self,
        set: &[Atom],
        other_use: bool,
        rule: &crate::parse::RuleFunction,
    ) {
        self.globals.only_as_members = !other_use;
        if other_use || set.is_empty() {
            return;
        }
        let identifiers = mentioned_names(rule);
        for name in set {
            if self.globals.module.iter().any(|(n, _)| n == name) {
                continue;
            }
            let taken = |candidate: &str| {
                identifiers.contains(&Atom::from(candidate))
                    || self.globals.module.iter().any(|(_, v)| v == candidate)
                    || ["event", "api", "exports", "require", "module"].contains(&candidate)
            };
            let capitalised: String = name
                .chars()
                .take(1)
                .flat_map(char::to_uppercase)
                .chain(name.chars().skip(1))
                .collect();
            let variable = [name.to_string(), format!("shared{capitalised}")]
                .into_iter()
                .chain((2..).map(|n| format!("shared{capitalised}{n}")))
                .find(|candidate| !taken(candidate))
                .expect("a free name");
            self.globals.module.push((name.clone(), variable));
        }
    }

    /// `let X;` above the handler for each module-scope variable.
    pub(super) fn declare_module_globals(&mut self, at: usize) {
        let nl = crate::span::newline_of(self.source);
        let declarations: String = self
            .globals
            .module
            .iter()
            .map(|(_, variable)| format!("let {variable};{nl}"))
            .collect();
        if !declarations.is_empty() {
            self.fix(Family::Globals, crate::edit::Edit::insert(at, declarations));
        }
    }

    /// `global.X…` in a chain. Returns whether it was handled here.
    pub(super) fn global_member(&mut self, chain: &Chain<'_>) -> bool {
        let Some(Key::Static(name)) = chain.links.first().map(|l| &l.key) else {
            return false;
        };
        let name = Atom::from(name.as_ref());
        let span = chain.prefix_span(1);
        if let Some((_, variable)) = self.globals.module.iter().find(|(n, _)| *n == name) {
            let variable = variable.clone();
            self.replace(Family::Globals, span, variable.clone());
            if !self.globals.reported.contains(&name) {
                self.globals.reported.push(name.clone());
                self.report(
                    Finding::new(
                        Code::GlobalBecomesModuleVariable,
                        span,
                        format!("`global.{name}` becomes the module-scope variable `{variable}`: it lives as long as the Action's instance, but other Actions no longer see it"),
                    )
                    .with_help("for a small string that should outlive the instance (a token), `api.cache.get/set` is the alternative"),
                );
            }
            return true;
        }
        if NODE_GLOBALS.contains(&name.as_ref()) || !self.globals.only_as_members {
            return false;
        }
        self.report(
            Finding::new(
                Code::GlobalFromAnotherRule,
                span,
                format!("`global.{name}` is read but never set in this rule: another rule of the pipeline defined it"),
            )
            .with_help(format!("Actions share no `global`: define `{name}` in this Action (move the helper here), or pass the value with `api.transaction.setMetadata`")),
        );
        true
    }
}

/// Every identifier the rule mentions.
fn mentioned_names(rule: &crate::parse::RuleFunction) -> std::collections::HashSet<Atom> {
    use swc_ecma_visit::{Visit, VisitWith};
    #[derive(Default)]
    struct Names(std::collections::HashSet<Atom>);
    impl Visit for Names {
        fn visit_ident(&mut self, ident: &swc_ecma_ast::Ident) {
            self.0.insert(ident.sym.clone());
        }
    }
    let mut names = Names::default();
    rule.function.visit_with(&mut names);
    names.0
}
