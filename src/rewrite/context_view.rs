//! `context` objects read whole, in the Rules shape: where the Actions value has other keys
//! (`request.geoip`, `stats`), the Action builds the object the rule read from `event`, so
//! tokens, metadata and requests carry what they carried before. Lodash over `context` reads
//! the same members through the table.
//!
//! Rule:
//! ```js
//! context.idToken['https://example.com/geoip'] = context.request.geoip;
//! const picked = _.pick(context, ['clientID', 'stats']);
//! const audience = _.get(context, 'request.query.audience');
//! ```
//! Action:
//! ```js
//! api.idToken.setCustomClaim('https://example.com/geoip', rulesGeoip(event.request.geoip));
//! const picked = { clientID: event.client.client_id, stats: { loginsCount: event.stats.logins_count } };
//! const audience = _.get(event, 'request.query.audience');
//! ```
//! `rulesGeoip` is declared above the handler. Refused (`R2A203` stays): `_.pick` and `_.get`
//! with paths that are not literals or that reach members without an Actions equivalent, and
//! objects with such members (`sso`).

use swc_common::Spanned;
use swc_ecma_ast::{CallExpr, Callee, Expr, Lit};
use swc_ecma_visit::VisitWith;

use super::walk::unparen;
use super::{Param, Rewriter};
use crate::family::Family;
use crate::span::newline_of;
use crate::tables::context::{longest_match, Children, ContextRead, CONTEXT_READS};

/// What the context views need.
#[derive(Default)]
pub(super) struct View {
    /// A Rules-shaped view uses the `rulesGeoip` helper.
    pub(super) needs_geoip_helper: bool,
    /// A view of the whole `context` uses `rulesContext`.
    pub(super) needs_context_helper: bool,
    /// A view of the whole `user` uses `rulesUser` (announced once).
    pub(super) needs_user_helper: bool,
    /// `user` as the first argument of a method that changes it in place (`_.extend(user, …)`:
    /// not a copy, since later reads must see the change) or reads a path of it (`_.get`).
    pub(super) user_kept: Vec<crate::span::Span>,
    /// Inside the arguments of a library method call (`request.post(…)`), outside any
    /// function of their own.
    pub(super) library_arguments: usize,
    /// The rule body's constant lists of strings.
    pub(super) string_lists: std::collections::HashMap<swc_atoms::Atom, Vec<String>>,
}

/// The helper for `context.request.geoip`, with its name.
const GEOIP_HELPER: &str = "rulesGeoip";
/// The helper for `context` read whole, with its name.
const CONTEXT_HELPER: &str = "rulesContext";
/// The helper for `user` read whole, with its name.
const USER_HELPER: &str = "rulesUser";
/// Methods that change their first argument in place.
const IN_PLACE: &[&str] = &[
    "assign",
    "assignIn",
    "defaults",
    "defaultsDeep",
    "extend",
    "merge",
    "mergeWith",
];

impl Rewriter<'_> {
    /// The Rules-shaped value of `context.<path>` built from `event`, for an object the table
    /// describes whole; `None` when some member has no Actions equivalent.
    pub(super) fn rules_view(&mut self, path: &str) -> Option<String> {
        let (_, read) = longest_match(
            self.out.trigger.context_reads,
            &path.split('.').collect::<Vec<_>>(),
        )
        .filter(|(depth, _)| *depth == path.split('.').count())?;
        let ContextRead::Event {
            target, children, ..
        } = read
        else {
            return None;
        };
        if path == "request.geoip" {
            self.view.needs_geoip_helper = true;
            return Some(format!("{GEOIP_HELPER}({}.{target})", self.event));
        }
        if *children == Children::Open {
            return Some(format!("{}.{target}", self.event));
        }
        let prefix = format!("{path}.");
        let members: Vec<&str> = self
            .out
            .trigger
            .context_reads
            .iter()
            .map(|(p, _)| *p)
            .filter(|p| {
                p.strip_prefix(&prefix)
                    .is_some_and(|rest| !rest.contains('.'))
            })
            .collect();
        let mut props = Vec::new();
        for member in members {
            let key = &member[prefix.len()..];
            props.push(format!("{key}: {}", self.rules_view(member)?));
        }
        Some(format!("{{ {} }}", props.join(", ")))
    }

    /// The view of a table object with members of its own (`request.geoip`, `stats`).
    pub(super) fn rules_view_if_closed(&mut self, path: &str) -> Option<String> {
        let keys: Vec<&str> = path.split('.').collect();
        match longest_match(self.out.trigger.context_reads, &keys) {
            Some((
                depth,
                ContextRead::Event {
                    children: Children::Closed,
                    ..
                },
            )) if depth == keys.len() => self.rules_view(path),
            _ => None,
        }
    }

    /// `_.pick(context, ['clientID', …])` and `_.get(context, 'request.query.audience')`.
    /// Returns whether the call was one.
    pub(super) fn lodash_over_context(&mut self, call: &CallExpr) -> bool {
        let Callee::Expr(callee) = &call.callee else {
            return false;
        };
        let Expr::Member(member) = unparen(callee) else {
            return false;
        };
        let (Expr::Ident(lodash), Some(method)) = (unparen(&member.obj), member.prop.as_ident())
        else {
            return false;
        };
        let on_context = call.args.first().is_some_and(
            |a| matches!(unparen(&a.expr), Expr::Ident(c) if self.param(c) == Some(Param::Context)),
        );
        if lodash.sym != "_" || !on_context || call.args.iter().any(|a| a.spread.is_some()) {
            return false;
        }
        match (method.sym.as_str(), call.args.len()) {
            ("pick", 2) => {
                let Some(view) = self.picked_view(&call.args[1].expr) else {
                    return false;
                };
                self.replace(Family::ContextView, self.span(call.span), view);
                true
            }
            ("get", 2 | 3) => {
                let Some(path) = self.event_path(&call.args[1].expr) else {
                    return false;
                };
                let object = self.span(call.args[0].expr.span());
                let path_span = self.span(call.args[1].expr.span());
                let literal = self.string_literal(&path);
                self.replace(Family::ContextView, object, self.event.clone());
                self.replace(Family::ContextView, path_span, literal);
                call.callee.visit_with(self);
                call.args[2..].iter().for_each(|a| a.visit_with(self));
                true
            }
            _ => false,
        }
    }

    /// `{ clientID: event.client.client_id, … }` for `['clientID', …]`, or for a constant of
    /// the rule that holds such a list.
    fn picked_view(&mut self, keys: &Expr) -> Option<String> {
        let keys = match unparen(keys) {
            Expr::Array(array) => string_list(array)?,
            Expr::Ident(name)
                if !self.reassigned.contains(&name.sym) && !self.is_declared(&name.sym, false) =>
            {
                self.view.string_lists.get(&name.sym)?.clone()
            }
            _ => return None,
        };
        let mut props = Vec::new();
        for key in keys {
            if !super::trivia::is_identifier_name(&key) {
                return None;
            }
            props.push(format!("{key}: {}", self.rules_view(&key)?));
        }
        Some(format!("{{ {} }}", props.join(", ")))
    }

    /// The `event` path of a literal `context` path whose members all map to plain `event`
    /// members: `'clientID'` → `client.client_id`.
    fn event_path(&self, path: &Expr) -> Option<String> {
        let Expr::Lit(Lit::Str(literal)) = unparen(path) else {
            return None;
        };
        let path = literal.value.as_atom()?.to_string();
        let keys: Vec<&str> = path.split('.').collect();
        let (depth, read) = longest_match(self.out.trigger.context_reads, &keys)?;
        let ContextRead::Event {
            target,
            children,
            finding,
        } = read
        else {
            return None;
        };
        let whole_with_other_keys = depth == keys.len() && finding.is_some();
        let plain = target
            .chars()
            .all(|c| c.is_alphanumeric() || "_.?".contains(c));
        if !plain || whole_with_other_keys || (*children == Children::Closed && depth < keys.len())
        {
            return None;
        }
        let mut mapped = target.replace('?', "");
        for key in &keys[depth..] {
            mapped.push('.');
            mapped.push_str(key);
        }
        Some(mapped)
    }

    /// `context` handed whole to code that only reads it: a property of an object literal
    /// (a request body), or an argument of `JSON.stringify` / `console.*`. It becomes
    /// `rulesContext(event)`, a copy in the Rules shape of every member Actions provide.
    pub(super) fn context_view(&mut self, span: crate::span::Span, prefix: &str) {
        self.view.needs_context_helper = true;
        let missing = self.context_view_members().1;
        self.replace(
            Family::ContextView,
            span,
            format!("{prefix}{CONTEXT_HELPER}({})", self.event),
        );
        self.report(
            crate::finding::Finding::new(
                crate::registry::Code::ContextView,
                span,
                format!(
                    "`context` read whole becomes `{CONTEXT_HELPER}({})`, a copy in the Rules shape without {}",
                    self.event,
                    missing.join(", ")
                ),
            )
            .with_help("check what reads it: those members have no Actions equivalent, and claims set so far are not in it"),
        );
    }

    /// `user` handed whole to a library method, which only reads it (a request body,
    /// `JSON.stringify`, `_.extend({}, user, …)`): `rulesUser(event)`, the profile with the
    /// members Rules had put on it and `event.user` lacks (the trigger's user redirects:
    /// `clientID`, `connection`). `false` where there are none (Hooks) or the method changes
    /// `user` in place, and the value stays `event.user`.
    pub(super) fn user_view(&mut self, span: crate::span::Span, prefix: &str) -> bool {
        let trigger = self.out.trigger;
        if trigger.is_hook()
            || trigger.user_fields.redirects.is_empty()
            || self.view.user_kept.contains(&span)
        {
            return false;
        }
        if !self.view.needs_user_helper {
            let added: Vec<String> = trigger
                .user_fields
                .redirects
                .iter()
                .map(|(key, _, _)| format!("`{key}`"))
                .collect();
            self.report(crate::finding::Finding::new(
                crate::registry::Code::UnofficialMapping,
                span,
                format!(
                    "`user` read whole becomes `{USER_HELPER}({})`, with the {} the Rules profile carried",
                    self.event,
                    added.join(" and ")
                ),
            ));
        }
        self.view.needs_user_helper = true;
        self.replace(
            Family::ContextView,
            span,
            format!("{prefix}{USER_HELPER}({})", self.event),
        );
        true
    }

    /// Notes the `user` that needs no copy: one that `_.extend(user, …)` and the like change in
    /// place, and one `_.get(user, 'a.b')` or `_.pick(user, [...])` reads members of that
    /// `event.user` has as they are.
    pub(super) fn note_user_kept(&mut self, call: &CallExpr) {
        let Some((_, method)) = super::recognise::method_call(call) else {
            return;
        };
        let Some(Expr::Ident(ident)) = call.args.first().map(|a| unparen(&a.expr)) else {
            return;
        };
        if self.param(ident) != Some(Param::User) {
            return;
        }
        let added = &self.out.trigger.user_fields.redirects;
        let reads_own_path = matches!(method, "get" | "has")
            && matches!(call.args.get(1).map(|a| unparen(&a.expr)), Some(Expr::Lit(Lit::Str(path)))
            if path.value.as_atom().is_some_and(|p| {
                let first = p.split(['.', '[']).next().unwrap_or_default();
                !added.iter().any(|(key, _, _)| *key == first)
            }));
        // `_.pick(user, ['email', 'user_id'])` keeps members `event.user` has as they are.
        let picks_own_members = method == "pick"
            && match call.args.get(1).map(|a| unparen(&a.expr)) {
                Some(Expr::Array(array)) => string_list(array),
                Some(Expr::Ident(list)) => self.view.string_lists.get(&list.sym).cloned(),
                _ => None,
            }
            .is_some_and(|keys| {
                !keys
                    .iter()
                    .any(|k| added.iter().any(|(key, _, _)| key == k))
            });
        if IN_PLACE.contains(&method) || reads_own_path || picks_own_members {
            let span = self.span(ident.span);
            self.view.user_kept.push(span);
        }
    }

    /// `JSON.stringify(context)`, `console.log('…', context)`: whether the call was one, with
    /// its other arguments visited.
    pub(super) fn context_view_call(&mut self, call: &CallExpr) -> bool {
        let Some((object, method)) = super::recognise::method_call(call) else {
            return false;
        };
        let reads_only = match &*object.sym {
            "JSON" => method == "stringify",
            "console" => true,
            _ => false,
        } && !self.is_declared(&object.sym, true);
        let whole: Vec<bool> = call
            .args
            .iter()
            .map(|arg| {
                arg.spread.is_none()
                    && matches!(unparen(&arg.expr), Expr::Ident(i) if self.param(i) == Some(Param::Context))
            })
            .collect();
        if !reads_only || !whole.contains(&true) {
            return false;
        }
        for (arg, whole) in call.args.iter().zip(whole) {
            if whole {
                let span = self.span(arg.expr.span());
                self.context_view(span, "");
            } else {
                arg.visit_with(self);
            }
        }
        true
    }

    /// The members of `rulesContext` (key, value), and the Rules members it lacks.
    fn context_view_members(&mut self) -> (Vec<(String, String)>, Vec<String>) {
        let mut members = Vec::new();
        let mut missing = Vec::new();
        let top: Vec<&str> = self
            .out
            .trigger
            .context_reads
            .iter()
            .map(|(p, _)| *p)
            .filter(|p| !p.contains('.'))
            .collect();
        for key in top {
            match self.rules_view(key) {
                Some(value) => members.push((key.to_string(), value)),
                None => missing.push(format!("`{key}`")),
            }
        }
        missing.extend(["`idToken`".to_string(), "`accessToken`".to_string()]);
        (members, missing)
    }

    /// `rulesGeoip`, `rulesContext` and `rulesUser` above the handler, when a view uses them.
    pub(super) fn declare_view_helpers(&mut self, at: usize) {
        let nl = newline_of(self.source);
        if self.view.needs_user_helper {
            let event = self.event.clone();
            let added: Vec<String> = self
                .out
                .trigger
                .user_fields
                .redirects
                .iter()
                .map(|(key, target, _)| format!("{key}: {event}.{target}"))
                .collect();
            let text = format!(
                "// `user` as Rules gave it: the profile, with what Rules added to it.{nl}function {USER_HELPER}({event}) {{{nl}  return {{ ...{event}.user, {} }};{nl}}}{nl}{nl}",
                added.join(", ")
            );
            self.fix(Family::ContextView, crate::edit::Edit::insert(at, text));
        }
        if self.view.needs_context_helper {
            let event = self.event.clone();
            let (members, _) = self.context_view_members();
            let fields: Vec<String> = members
                .iter()
                .map(|(key, value)| format!("    {key}: {value},"))
                .collect();
            let text = format!(
                "// `context` as Rules gave it, for the members Actions provide.{nl}function {CONTEXT_HELPER}({event}) {{{nl}  return {{{nl}{}{nl}  }};{nl}}}{nl}{nl}",
                fields.join(nl)
            );
            self.fix(Family::ContextView, crate::edit::Edit::insert(at, text));
        }
        if !self.view.needs_geoip_helper {
            return;
        }
        let fields: Vec<String> = CONTEXT_READS
            .iter()
            .filter_map(|(path, read)| {
                let key = path.strip_prefix("request.geoip.")?;
                let ContextRead::Event { target, .. } = read else {
                    return None;
                };
                let camel = target.rsplit('.').next()?;
                Some(format!("  {key}: geoip.{camel},"))
            })
            .collect();
        let text = format!(
            "// `context.request.geoip` as Rules gave it, with snake_case keys.{nl}function {GEOIP_HELPER}(geoip) {{{nl}  return geoip && {{{nl}{}{nl}  }};{nl}}}{nl}{nl}",
            fields
                .iter()
                .map(|f| format!("  {f}"))
                .collect::<Vec<_>>()
                .join(nl)
        );
        self.fix(Family::ContextView, crate::edit::Edit::insert(at, text));
    }
}

/// `['a', 'b']`: its strings, when it holds only string literals.
fn string_list(array: &swc_ecma_ast::ArrayLit) -> Option<Vec<String>> {
    array
        .elems
        .iter()
        .map(|element| {
            let element = element.as_ref().filter(|e| e.spread.is_none())?;
            match unparen(&element.expr) {
                Expr::Lit(Lit::Str(key)) => key.value.as_atom().map(|a| a.to_string()),
                _ => None,
            }
        })
        .collect()
}

/// The rule body's `const NAME = ['a', 'b']` declarations.
pub(super) fn string_lists(
    stmts: &[swc_ecma_ast::Stmt],
) -> std::collections::HashMap<swc_atoms::Atom, Vec<String>> {
    let mut lists = std::collections::HashMap::new();
    for stmt in stmts {
        let Some(var) = stmt.as_decl().and_then(|d| d.as_var()) else {
            continue;
        };
        for declarator in &var.decls {
            let (Some(name), Some(Expr::Array(array))) = (
                declarator.name.as_ident(),
                declarator.init.as_deref().map(unparen),
            ) else {
                continue;
            };
            if let Some(list) = string_list(array) {
                lists.insert(name.id.sym.clone(), list);
            }
        }
    }
    lists
}
