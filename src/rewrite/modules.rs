//! Dependencies: pinned `require`s lose their version, and sandbox globals gain a `require`.
//!
//! Rule:
//! ```js
//! function (user, context, callback) {
//!   const _ = require('lodash@4.17.21');
//!   const url = require('url@0.10.3');
//!   const bcrypt = require('bcrypt');
//!   const token = jwt.sign({ sub: user.user_id }, configuration.SECRET, { expiresInMinutes: 5 });
//!   …
//! }
//! ```
//! Action:
//! ```js
//! const jwt = require('jsonwebtoken');
//! exports.onExecutePostLogin = async (event, api) => {
//!   const _ = require('lodash');
//!   const url = require('url');
//!   const bcrypt = require('bcryptjs');
//!   const token = jwt.sign({ sub: event.user.user_id }, event.secrets.SECRET, { expiresIn: 300 });
//!   …
//! };
//! ```
//! The versions go into the Action's dependencies (`R2A601`); Node core modules are not
//! dependencies, and a pinned one (`require('url@0.10.3')`) becomes the built-in (`R2A605`).
//! An unversioned package whose latest version dropped the Rules-era API is pinned to the last
//! version that has it (`uuid` 3.4.0, `R2A604`); a native module becomes its plain-JS twin
//! (`bcrypt` → `bcryptjs`, `R2A606`). Each sandbox global (`_`, `jwt`, `uuid`, `request`, `crypto`, …) used without a
//! declaration gets a `require` and `R2A602`. Dynamic `require(name)` is left alone.
//! `jwt.sign`'s jsonwebtoken 5 options (`expiresInMinutes`) are converted inline, or where the
//! options variable is written when `jwt.sign` is its only reader (`R2A607`); an object other
//! code reads too is left as written, with `R2A612`.

use std::collections::HashMap;

use swc_common::Spanned;
use swc_ecma_ast::{
    CallExpr, Callee, Expr, Id, Ident, Lit, ObjectLit, PropName, Stmt, VarDeclarator,
};
use swc_ecma_visit::{Visit, VisitWith};

use super::walk::unparen;

use super::Rewriter;
use crate::edit::Edit;
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::newline_of;
use crate::tables::modules::{
    is_core_module, native_replacement, rules_era_pin, sandbox_global, split_versioned,
};

/// The sandbox modules the rule uses.
#[derive(Default)]
pub(super) struct Modules {
    pub(super) sandbox_globals: Vec<&'static crate::tables::modules::SandboxGlobal>,
    /// Names bound to `require('jsonwebtoken')` at the top of the rule.
    pub(super) jwt_names: Vec<swc_atoms::Atom>,
    /// Objects with a jsonwebtoken 5 option held by a variable, and whether one place reads it.
    pub(super) option_objects: HashMap<Id, OptionObject>,
}

pub(super) struct OptionObject {
    object: ObjectLit,
    /// Read in one place only, so converting the object where it is declared changes only that
    /// read.
    sole_read: bool,
}

/// `const options = { expiresInMinutes: 2, … }` anywhere in the rule.
pub(super) fn option_objects(source: &str, stmts: &[Stmt]) -> HashMap<Id, OptionObject> {
    // Most rules name no legacy key, and the walks cost every rule: a key is written as is
    // (`expiresIn…`) or with escapes, which need a backslash.
    if !source.contains("expiresIn") && !source.contains('\\') {
        return HashMap::new();
    }
    let mut declared = OptionObjects::default();
    stmts.visit_with(&mut declared);
    if declared.objects.is_empty() {
        return HashMap::new();
    }
    let mut reads = Reads {
        counts: declared.objects.keys().map(|id| (id.clone(), 0)).collect(),
    };
    stmts.visit_with(&mut reads);
    declared
        .objects
        .into_iter()
        .map(|(id, object)| {
            // The count includes the declaration's own name.
            let sole_read = reads.counts.get(&id) == Some(&2);
            (id, OptionObject { object, sole_read })
        })
        .collect()
}

fn legacy_option_key(key: &PropName) -> Option<(String, u32)> {
    let key = match key {
        PropName::Ident(name) => name.sym.to_string(),
        PropName::Str(name) => name.value.as_atom()?.to_string(),
        _ => return None,
    };
    let factor = match key.as_str() {
        "expiresInMinutes" => 60,
        "expiresInSeconds" => 1,
        _ => return None,
    };
    Some((key, factor))
}

#[derive(Default)]
struct OptionObjects {
    objects: HashMap<Id, ObjectLit>,
}

impl Visit for OptionObjects {
    fn visit_var_declarator(&mut self, declarator: &VarDeclarator) {
        if let (Some(name), Some(Expr::Object(object))) = (
            declarator.name.as_ident(),
            declarator.init.as_deref().map(unparen),
        ) {
            let legacy = object.props.iter().any(|prop| {
                prop.as_prop()
                    .and_then(|p| p.as_key_value())
                    .is_some_and(|kv| legacy_option_key(&kv.key).is_some())
            });
            if legacy {
                self.objects.insert(name.id.to_id(), object.clone());
            }
        }
        declarator.visit_children_with(self);
    }
}

struct Reads {
    counts: HashMap<Id, usize>,
}

impl Visit for Reads {
    fn visit_ident(&mut self, ident: &Ident) {
        if let Some(count) = self.counts.get_mut(&ident.to_id()) {
            *count += 1;
        }
    }
}

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
        let span = self.span(literal.span);
        let quote = self.text(span).chars().next().unwrap_or(self.quote);
        if is_core_module(name) && version.is_some() {
            let replacement = super::trivia::string_literal(name, quote);
            self.report(
                Finding::new(
                    Code::CoreModulePinned,
                    span,
                    format!("`{specifier}` names Node's built-in `{name}` module: the Action requires the built-in"),
                )
                .with_help("a versioned `require` does not load in Actions, and a dependency of this name would be shadowed by the built-in")
                .with_fix(vec![Edit::replace(span, replacement.clone())]),
            );
            self.replace(Family::Modules, span, replacement);
            return true;
        }
        if name.starts_with('.') || name.starts_with('/') || is_core_module(name) {
            return true;
        }
        if let Some((replacement, replacement_version)) = native_replacement(name) {
            let text = super::trivia::string_literal(replacement, quote);
            self.out.dependencies.insert(
                replacement.to_string(),
                Some(replacement_version.to_string()),
            );
            self.report(
                Finding::new(
                    Code::NativeModuleReplaced,
                    span,
                    format!("`{name}` is a native module, which Actions cannot install: the Action requires `{replacement}` {replacement_version}, which has the same API"),
                )
                .with_help("bcryptjs reads and writes the same hashes, more slowly: check the cost factor")
                .with_fix(vec![Edit::replace(span, text.clone())]),
            );
            self.replace(Family::Modules, span, text);
            return true;
        }
        // A Hook's metadata declared the version its `require` does not name: the Action's
        // dependency keeps it.
        let declared = self
            .options
            .declared_versions
            .iter()
            .find(|(declared, _)| declared == name);
        if let (None, Some((_, declared))) = (version, declared) {
            self.out
                .dependencies
                .insert(name.to_string(), Some(declared.clone()));
            return true;
        }
        if let (None, Some((pinned, why))) = (version, rules_era_pin(name)) {
            self.out
                .dependencies
                .insert(name.to_string(), Some(pinned.to_string()));
            self.report(
                Finding::new(
                    Code::DependencyPinnedToRulesApi,
                    span,
                    format!("`{name}` has no version: the Action pins {pinned}, the last with the API rules used ({why})"),
                )
                .with_help(format!("move to the current `{name}` API, then remove the pin")),
            );
            return true;
        }
        self.out
            .dependencies
            .insert(name.to_string(), version.map(str::to_string));
        match version {
            Some(version) => {
                let replacement = super::trivia::string_literal(name, quote);
                self.report(
                    Finding::new(
                        Code::PinnedRequire,
                        span,
                        format!("`{name}` {version} becomes a dependency of the Action"),
                    )
                    .with_fix(vec![Edit::replace(span, replacement.clone())]),
                );
                self.replace(Family::Modules, span, replacement);
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

    /// `jwt.sign(payload, secret, { expiresInMinutes: 5 })`: the Rules `jwt` global translated
    /// the options jsonwebtoken 6 removed; the Action's jsonwebtoken rejects them.
    pub(super) fn legacy_jwt_options(&mut self, call: &CallExpr) {
        let Callee::Expr(callee) = &call.callee else {
            return;
        };
        let Expr::Member(member) = unparen(callee) else {
            return;
        };
        let (Expr::Ident(library), Some("sign")) = (
            unparen(&member.obj),
            member.prop.as_ident().map(|p| p.sym.as_str()),
        ) else {
            return;
        };
        let is_jwt = self.is_global(library, "jwt")
            || (self.modules.jwt_names.contains(&library.sym)
                && !self.is_declared(&library.sym, false));
        // A rule that pinned jsonwebtoken 5 or older keeps options that version knows.
        let pinned_major = self
            .out
            .dependencies
            .get("jsonwebtoken")
            .and_then(|v| v.as_deref())
            .and_then(|v| {
                v.trim_start_matches(['^', '~'])
                    .split('.')
                    .next()?
                    .parse::<u32>()
                    .ok()
            });
        let Some(options) = call.args.get(2) else {
            return;
        };
        if !is_jwt || pinned_major.is_some_and(|major| major < 6) {
            return;
        }
        match unparen(&options.expr) {
            Expr::Object(object) => self.convert_legacy_jwt_options(object),
            // `const options = { expiresInMinutes: 2 }; jwt.sign(user, secret, options)`: the
            // object is converted where it is declared, when nothing else reads it.
            Expr::Ident(name) => match self.modules.option_objects.remove(&name.to_id()) {
                Some(OptionObject {
                    object,
                    sole_read: true,
                }) => self.convert_legacy_jwt_options(&object),
                Some(_) => self.report(
                    Finding::new(
                        Code::JwtLegacyOptionLeft,
                        self.span(name.span),
                        format!("`{}` holds an option jsonwebtoken 6 rejects, and other code reads it too: `jwt.sign` throws until it is converted", name.sym),
                    )
                    .with_help("use `expiresIn` (seconds) where the object is written"),
                ),
                None => {}
            },
            _ => {}
        }
    }

    fn convert_legacy_jwt_options(&mut self, object: &ObjectLit) {
        for prop in &object.props {
            let Some(kv) = prop.as_prop().and_then(|p| p.as_key_value()) else {
                continue;
            };
            let Some((key, factor)) = legacy_option_key(&kv.key) else {
                continue;
            };
            let key_span = self.span(kv.key.span());
            self.replace(Family::Modules, key_span, "expiresIn");
            let value = self.span(kv.value.span());
            match unparen(&kv.value) {
                _ if factor == 1 => {}
                Expr::Lit(Lit::Num(number)) => {
                    self.replace(
                        Family::Modules,
                        value,
                        format!("{}", number.value * f64::from(factor)),
                    );
                }
                Expr::Ident(_) | Expr::Member(_) => {
                    self.fix(
                        Family::Modules,
                        Edit::insert(value.end, format!(" * {factor}")),
                    );
                }
                _ => {
                    self.fix(Family::Modules, Edit::insert(value.start, "("));
                    self.fix(
                        Family::Modules,
                        Edit::insert(value.end, format!(") * {factor}")),
                    );
                }
            }
            self.report(Finding::new(
                Code::JwtLegacyOption,
                key_span,
                format!("`{key}` was removed in jsonwebtoken 6: the Action passes `expiresIn` in seconds"),
            ));
        }
    }

    /// A free identifier that the old Rules sandbox provided as a module.
    pub(super) fn sandbox_global_use(&mut self, ident: &Ident) -> bool {
        let Some(global) = sandbox_global(&ident.sym) else {
            return false;
        };
        if self.is_declared(&ident.sym, true) {
            return false;
        }
        if self
            .modules
            .sandbox_globals
            .iter()
            .any(|g| g.name == global.name)
        {
            return true;
        }
        self.modules.sandbox_globals.push(global);
        if !is_core_module(global.package) {
            self.out.dependencies.insert(
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
        let mut globals = self.modules.sandbox_globals.clone();
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
            self.fix(Family::Modules, Edit::insert(at, requires));
        }
    }
}
