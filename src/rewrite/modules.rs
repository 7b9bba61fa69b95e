//! Dependencies: pinned `require`s lose their version, and sandbox globals gain a `require`.
//!
//! Rule:
//! ```js
//! function (user, context, callback) {
//!   const _ = require('lodash@4.17.21');
//!   const token = jwt.sign({ sub: user.user_id }, configuration.SECRET);
//!   …
//! }
//! ```
//! Action:
//! ```js
//! const jwt = require('jsonwebtoken');
//! exports.onExecutePostLogin = async (event, api) => {
//!   const _ = require('lodash');
//!   const token = jwt.sign({ sub: event.user.user_id }, event.secrets.SECRET);
//!   …
//! };
//! ```
//! The versions go into the Action's dependencies (`R2A601`); Node core modules are not
//! dependencies. Each sandbox global (`_`, `jwt`, `uuid`, `request`, `crypto`, …) used without a
//! declaration gets a `require` and `R2A602`. Dynamic `require(name)` is left alone.

use swc_ecma_ast::{CallExpr, Callee, Expr, Ident, Lit};

use super::Rewriter;
use crate::edit::Edit;
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::newline_of;
use crate::tables::modules::{is_core_module, sandbox_global, split_versioned};

impl Rewriter<'_> {
    /// `require('pkg@version')`. Returns whether the call was handled.
    pub(super) fn require_call(&mut self, call: &CallExpr) -> bool {
        let Callee::Expr(callee) = &call.callee else {
            return false;
        };
        let Expr::Ident(ident) = &**callee else {
            return false;
        };
        if !self.is_global(ident, "require") || call.args.len() != 1 {
            return false;
        }
        let Expr::Lit(Lit::Str(literal)) = &*call.args[0].expr else {
            return false;
        };
        let Some(specifier) = literal.value.as_atom().map(|a| a.to_string()) else {
            return false;
        };
        let (name, version) = split_versioned(&specifier);
        if name.starts_with('.') || name.starts_with('/') || is_core_module(name) {
            return true;
        }
        self.dependencies
            .insert(name.to_string(), version.map(str::to_string));
        let span = self.span(literal.span);
        match version {
            Some(version) => {
                let quote = self.text(span).chars().next().unwrap_or(self.quote);
                let replacement = super::trivia::string_literal(name, quote);
                self.report(
                    Finding::new(
                        Code::PinnedRequire,
                        span,
                        format!("`{name}` {version} becomes a dependency of the Action"),
                    )
                    .with_fix(vec![Edit::replace(span, replacement.clone())]),
                );
                self.replace(span, replacement);
            }
            None => self.report(
                Finding::new(
                    Code::UnpinnedDependency,
                    span,
                    format!("`{name}` has no version; Auth0 will install the latest one"),
                )
                .with_help(format!(
                    "pin it: add `{name}` with the version you tested to the Action's dependencies"
                )),
            ),
        }
        true
    }

    /// A free identifier that the old Rules sandbox provided as a module.
    pub(super) fn sandbox_global_use(&mut self, ident: &Ident) -> bool {
        let Some(global) = sandbox_global(&ident.sym) else {
            return false;
        };
        if self.is_declared(&ident.sym, true) {
            return false;
        }
        if self.sandbox_globals.iter().any(|g| g.name == global.name) {
            return true;
        }
        self.sandbox_globals.push(global);
        if !is_core_module(global.package) {
            self.dependencies.insert(
                global.package.to_string(),
                global.version.map(str::to_string),
            );
        }
        let version = global.version.map_or(String::new(), |v| format!(" {v}"));
        self.report(
            Finding::new(
                Code::ImplicitSandboxGlobal,
                self.span(ident.span),
                format!(
                    "`{}` was a global of the Rules sandbox; the Action requires `{}`{version}",
                    global.name, global.package
                ),
            )
            .with_help("check the calls against the API of the version that is installed now"),
        );
        true
    }

    pub(super) fn insert_sandbox_requires(&mut self, at: usize) {
        let mut globals = self.sandbox_globals.clone();
        globals.sort_by_key(|g| g.name);
        let requires: String = globals
            .iter()
            .map(|g| {
                format!(
                    "const {} = require({});{}",
                    g.name,
                    self.string_literal(g.package),
                    newline_of(self.source)
                )
            })
            .collect();
        if !requires.is_empty() {
            self.edits.push(Edit::insert(at, requires));
        }
    }
}
