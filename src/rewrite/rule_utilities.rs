//! `@auth0/rule-utilities`, the helper library of the marketplace rules, which Actions cannot
//! install: its members become the Rules code they ran, before the rewrite, so that every other
//! family converts them as if the rule had written that code itself.
//!
//! Rule:
//! ```js
//! const { Auth0RedirectRuleUtilities } = require('@auth0/rule-utilities@0.1.0');
//! const ruleUtils = new Auth0RedirectRuleUtilities(user, context, configuration);
//! if (ruleUtils.canRedirect && !user.app_metadata.verified) {
//!   ruleUtils.doRedirect(configuration.VERIFY_URL);
//! }
//! callback(null, user, context);
//! ```
//! Action:
//! ```js
//!   if (!resumed && api.redirect.canRedirect() && !event.user.app_metadata.verified) {
//!     api.redirect.sendUserTo(event.secrets.VERIFY_URL + '?session_token=' + jwt.sign({ ip: event.request.ip, iss: `https://${event.request.hostname}/`, sub: event.user.user_id }, event.secrets.SESSION_TOKEN_SECRET, { expiresIn: event.secrets.SESSION_TOKEN_EXPIRES_IN || '3d' }));
//! ```
//! `canRedirect` and `doRedirect` also refused a resumed login (`context.protocol` was
//! `redirect-callback`), which Rules ran again from the top: the Action runs again on resume
//! too, with `resumed` set (`redirect.rs`).
//! The session token keeps the library's claims and `jsonwebtoken` calls, because the site on
//! the other end verifies and signs those tokens. `Auth0UserUpdateUtilities` becomes reads and
//! writes of `user.app_metadata` / `user_metadata` (under its namespace) and
//! `auth0.users.updateAppMetadata(user.user_id, user.app_metadata)`. Every expansion reports
//! `R2A608`; `canRedirect` reports `R2A609`. Refused, leaving the rule as written: any other
//! member or use of a utility object (passed as a value, stored in an object), `setUser` /
//! `updateUser`, a utility built from anything but the rule's own `user`, `context` and
//! `auth0`, and rules that rebind those names, `jwt` or `auth0`.

use std::collections::HashMap;

use swc_atoms::Atom;
use swc_common::Spanned;
use swc_ecma_ast::{
    BinaryOp, CallExpr, Callee, Decl, Expr, ExprOrSpread, Ident, IfStmt, Lit, MemberExpr,
    MemberProp, ObjectPatProp, Pat, Prop, PropName, PropOrSpread, ReturnStmt, Stmt, VarDecl,
    VarDeclarator,
};
use swc_ecma_visit::{Visit, VisitWith};

use super::recognise::method_call;
use super::trivia::{member_key, string_literal};
use super::walk::unparen;
use crate::edit::{apply_within, Edit};
use crate::finding::Finding;
use crate::parse::{Offsets, RuleFunction};
use crate::registry::Code;
use crate::span::{indentation_at, line_start, newline_of, Span};

/// The package, as `require` names it (any pinned version).
const PACKAGE: &str = "@auth0/rule-utilities";

/// Stands for the handler's `api` parameter in the expanded rule, whose name the rewrite picks;
/// [`resolve_placeholders`] puts the name in.
pub const API_PLACEHOLDER: &str = "__r2aApi";

/// The rule with the library expanded: its text, the edits that made it from the rule, and
/// the findings about the expansion, with spans in the rule or (`in_text`) in the expansion.
pub struct Expanded {
    pub text: String,
    pub edits: Vec<Edit>,
    pub findings: Vec<Finding>,
    pub in_text: Vec<Finding>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Redirect,
    UserUpdate,
}

/// One utility object: `const ruleUtils = new Auth0RedirectRuleUtilities(user, context, configuration)`.
struct Utility {
    class: Class,
    /// The statement that builds it.
    statement: Span,
    /// Redirect utilities: the configuration object's text.
    configuration: String,
    /// User-update utilities: the namespace key.
    namespace: Option<String>,
}

/// `None` when the rule does not require the library; an error finding (`R2A610`) when it uses
/// it in a way this expansion refuses, since the Action could not install it.
pub fn expand(
    source: &str,
    rule: &RuleFunction,
    offsets: Offsets,
) -> Option<Result<Expanded, Finding>> {
    if !source.contains(PACKAGE) {
        return None;
    }
    let mut requires = Requires::default();
    rule.function.visit_with(&mut requires);
    let at = offsets.span(requires.first?);
    Some(try_expand(source, rule, offsets).ok_or_else(|| {
        Finding::new(
            Code::RuleUtilitiesNotExpanded,
            at,
            "`@auth0/rule-utilities` was never published to npm, and this rule uses it in a way the tool does not expand",
        )
        .with_help("replace the utility objects by what they do (`rules2actions explain R2A610`), or use them only as `const x = new …(user, context, configuration)` with the members it lists")
    }))
}

/// The first `require` of the package.
#[derive(Default)]
struct Requires {
    first: Option<swc_common::Span>,
}

impl Visit for Requires {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        if is_require_of_package(call) && self.first.is_none() {
            self.first = Some(call.span);
        }
        call.visit_children_with(self);
    }
}

fn try_expand(source: &str, rule: &RuleFunction, offsets: Offsets) -> Option<Expanded> {
    if source.contains(API_PLACEHOLDER) {
        return None;
    }
    let param = |i: usize| match rule.function.params.get(i).map(|p| &p.pat) {
        Some(Pat::Ident(binding)) => Some(binding.id.sym.clone()),
        _ => None,
    };
    let (user, context) = (param(0)?, param(1)?);
    let body = rule.function.body.as_ref()?;

    let mut bindings = Bindings::default();
    rule.function.visit_with(&mut bindings);
    let bound_once =
        |name: &str| bindings.count(name) <= 1 && bindings.shadowing(&[name]).is_empty();
    if bindings.count(&user) != 1 || bindings.count(&context) != 1 || bindings.count("auth0") > 0 {
        return None;
    }

    let mut finder = Finder {
        offsets,
        user: user.clone(),
        context: context.clone(),
        classes: HashMap::new(),
        require: None,
        utilities: HashMap::new(),
        refused: false,
    };
    body.visit_with(&mut finder);
    let require = finder.require?;
    if finder.refused
        || finder.utilities.is_empty()
        || finder.utilities.keys().any(|n| !bound_once(n))
        || finder.classes.keys().any(|n| !bound_once(n))
    {
        return None;
    }
    let needs_jwt = source.contains(".createSessionToken")
        || source.contains(".validateSessionToken")
        || source.contains(".doRedirect");
    if needs_jwt && bindings.count("jwt") > 0 {
        return None;
    }
    // The expansion's text names these; a nested function that rebinds one cannot hold it.
    let mut named: Vec<&str> = vec![&user, &context, "jwt", "auth0"];
    named.extend(
        finder
            .utilities
            .values()
            .map(|u| u.configuration.as_str())
            .filter(|c| !c.is_empty()),
    );
    let shadowing = bindings.shadowing(&named);

    let mut expander = Expander {
        source,
        offsets,
        user: user.to_string(),
        context: context.to_string(),
        quote: super::header::dominant_quote(source),
        classes: finder.classes,
        utilities: finder.utilities,
        edits: Vec::new(),
        findings: Vec::new(),
        safe_tests: Vec::new(),
        list_statements: Vec::new(),
        redirect_guarded: 0,
        names: bindings.names,
        skipped: Vec::new(),
        shadowing,
        uses: Vec::new(),
        refused: false,
    };
    expander.skipped.push(require);
    expander
        .skipped
        .extend(expander.utilities.values().map(|u| u.statement));
    expander.uses = expander.collect_uses(body);
    body.visit_with(&mut expander);
    if expander.refused {
        return None;
    }
    if needs_jwt {
        // The library signed and verified its tokens with `jsonwebtoken`.
        let jwt = format!("const jwt = require({});", expander.literal("jsonwebtoken"));
        expander.edits.push(Edit::replace(require, jwt));
    } else {
        expander.delete_statement(require);
    }
    let mut namespaced = Vec::new();
    let mut constructions = Vec::new();
    for (name, utility) in &expander.utilities {
        let writes = expander.uses.iter().any(|(n, _, sets)| n == name && *sets);
        if let (Some(namespace), true) = (&utility.namespace, writes) {
            namespaced.push((
                namespace.clone(),
                Finding::new(
                    Code::RuleUtilitiesNamespace,
                    utility.statement,
                    format!("`{name}` keeps its values under `app_metadata.{namespace}` and `user_metadata.{namespace}`; where either holds something other than an object, the library threw and the Action's write does nothing"),
                )
                .with_help("check for users whose metadata holds a value that is not an object under that name"),
            ));
        }
        let replacement = expander.construction(name, utility);
        let lines = expander.statement_lines(utility.statement);
        constructions.push((utility.statement, lines));
        expander.edits.push(Edit::replace(lines, replacement));
    }
    let text = crate::edit::apply(source, &expander.edits).ok()?;
    // The namespace's finding goes with the statement that gives the namespace its object, in
    // the expanded text, so that its marker sits beside it.
    let applied = crate::edit::Applied::new(&expander.edits);
    let in_text: Vec<Finding> = namespaced
        .into_iter()
        .filter_map(|(namespace, mut finding)| {
            let (_, lines) = constructions.iter().find(|(s, _)| *s == finding.span)?;
            let assigned = format!("_metadata{} = ", member_key(&namespace, expander.quote));
            let region = applied.span_to_edited(*lines);
            let statement = text[region.range()]
                .lines()
                .map(str::trim)
                .find(|line| line.starts_with(&expander.user) && line.contains(&assigned))?;
            let start = region.start + text[region.range()].find(statement)?;
            finding.span = Span::new(start, start + statement.len());
            Some(finding)
        })
        .collect();
    let mut findings = expander.findings;
    findings.insert(
        0,
        Finding::new(
            Code::RuleUtilitiesExpanded,
            require,
            "`@auth0/rule-utilities` is replaced by the code its members ran",
        )
        .with_help("Actions cannot install the package; the session token keeps its claims (`ip`, `iss`, `sub`) and its `SESSION_TOKEN_SECRET` and `SESSION_TOKEN_EXPIRES_IN` settings, now secrets"),
    );
    Some(Expanded {
        text,
        edits: expander.edits,
        findings,
        in_text,
    })
}

/// The names the placeholder stands for, read from the handler the rewrite wrote.
pub fn resolve_placeholders(action: &str) -> String {
    let api = action
        .find("exports.onExecutePostLogin = async (")
        .and_then(|at| {
            let params = &action[at..];
            let open = params.find('(')? + 1;
            let close = params.find(')')?;
            params[open..close]
                .split(',')
                .nth(1)
                .map(|name| name.trim().to_string())
        })
        .unwrap_or_else(|| "api".to_string());
    action.replace(API_PLACEHOLDER, &api)
}

/// Every name the rule binds, and the nested function that binds it (`None` for the rule).
#[derive(Default)]
struct Bindings {
    names: Vec<Atom>,
    inside: Vec<Option<swc_common::Span>>,
    functions: Vec<swc_common::Span>,
}

impl Bindings {
    /// How often `name` is bound in the rule's own scope.
    fn count(&self, name: &str) -> usize {
        self.names
            .iter()
            .zip(&self.inside)
            .filter(|(n, inside)| &***n == name && inside.is_none())
            .count()
    }

    /// The nested functions that bind one of `names`: the expansion's text, which names the
    /// rule's objects, cannot go inside them.
    fn shadowing(&self, names: &[&str]) -> Vec<swc_common::Span> {
        self.names
            .iter()
            .zip(&self.inside)
            .filter(|(n, _)| names.contains(&&***n))
            .filter_map(|(_, inside)| *inside)
            .collect()
    }

    fn bind(&mut self, name: &Atom) {
        self.names.push(name.clone());
        // The rule function itself is the first one entered.
        self.inside
            .push(self.functions.get(1..).and_then(|f| f.last().copied()));
    }
}

impl Visit for Bindings {
    fn visit_function(&mut self, function: &swc_ecma_ast::Function) {
        self.functions.push(function.span);
        function.visit_children_with(self);
        self.functions.pop();
    }

    fn visit_arrow_expr(&mut self, arrow: &swc_ecma_ast::ArrowExpr) {
        self.functions.push(arrow.span);
        arrow.visit_children_with(self);
        self.functions.pop();
    }

    fn visit_binding_ident(&mut self, binding: &swc_ecma_ast::BindingIdent) {
        self.bind(&binding.id.sym);
    }

    fn visit_fn_decl(&mut self, decl: &swc_ecma_ast::FnDecl) {
        self.bind(&decl.ident.sym);
        decl.function.visit_with(self);
    }

    fn visit_class_decl(&mut self, decl: &swc_ecma_ast::ClassDecl) {
        self.bind(&decl.ident.sym);
        decl.class.visit_with(self);
    }
}

/// Finds the `require` of the package and the utility objects built from it.
struct Finder {
    offsets: Offsets,
    user: Atom,
    context: Atom,
    /// Local class names from the `require`.
    classes: HashMap<Atom, Class>,
    require: Option<Span>,
    utilities: HashMap<Atom, Utility>,
    refused: bool,
}

impl Finder {
    fn require_statement(&mut self, decl: &VarDecl) -> bool {
        let [declarator] = decl.decls.as_slice() else {
            return false;
        };
        let Some(Expr::Call(call)) = declarator.init.as_deref().map(unparen) else {
            return false;
        };
        if !is_require_of_package(call) {
            return false;
        }
        let Pat::Object(pattern) = &declarator.name else {
            self.refused = true;
            return true;
        };
        for prop in &pattern.props {
            let (key, local) = match prop {
                ObjectPatProp::Assign(assign) if assign.value.is_none() => {
                    (assign.key.id.sym.clone(), assign.key.id.sym.clone())
                }
                ObjectPatProp::KeyValue(kv) => match (&kv.key, &*kv.value) {
                    (PropName::Ident(key), Pat::Ident(local)) => {
                        (key.sym.clone(), local.id.sym.clone())
                    }
                    _ => {
                        self.refused = true;
                        continue;
                    }
                },
                _ => {
                    self.refused = true;
                    continue;
                }
            };
            match &*key {
                "Auth0RedirectRuleUtilities" => self.classes.insert(local, Class::Redirect),
                "Auth0UserUpdateUtilities" => self.classes.insert(local, Class::UserUpdate),
                _ => {
                    self.refused = true;
                    None
                }
            };
        }
        true
    }

    /// `const x = new Class(user, context, configuration)` / `new Class(user, auth0, 'ns')`.
    fn utility(&self, declarator: &VarDeclarator) -> Option<(Atom, Utility)> {
        let Pat::Ident(name) = &declarator.name else {
            return None;
        };
        let Expr::New(new) = unparen(declarator.init.as_deref()?) else {
            return None;
        };
        let Expr::Ident(class) = unparen(&new.callee) else {
            return None;
        };
        let class = *self.classes.get(&class.sym)?;
        let args = new.args.as_deref().unwrap_or_default();
        let ident = |arg: Option<&ExprOrSpread>| match arg {
            Some(ExprOrSpread { spread: None, expr }) => match unparen(expr) {
                Expr::Ident(ident) => Some(ident.sym.clone()),
                _ => None,
            },
            _ => None,
        };
        let utility = match class {
            Class::Redirect => {
                if args.len() != 3
                    || ident(args.first())? != self.user
                    || ident(args.get(1))? != self.context
                {
                    return None;
                }
                Utility {
                    class,
                    statement: Span::empty(0),
                    configuration: ident(args.get(2))?.to_string(),
                    namespace: None,
                }
            }
            Class::UserUpdate => {
                if !(2..=3).contains(&args.len())
                    || ident(args.first())? != self.user
                    || &*ident(args.get(1))? != "auth0"
                {
                    return None;
                }
                let namespace = match args.get(2).map(|a| unparen(&a.expr)) {
                    None => None,
                    Some(Expr::Lit(Lit::Str(s))) => Some(s.value.to_string_lossy().into_owned()),
                    Some(_) => return None,
                };
                Utility {
                    class,
                    statement: Span::empty(0),
                    configuration: String::new(),
                    namespace,
                }
            }
        };
        Some((name.id.sym.clone(), utility))
    }
}

impl Visit for Finder {
    fn visit_stmt(&mut self, stmt: &Stmt) {
        if let Stmt::Decl(Decl::Var(decl)) = stmt {
            let span = self.offsets.span(decl.span);
            if self.require_statement(decl) {
                if self.require.replace(span).is_some() {
                    self.refused = true;
                }
                return;
            }
            if let [declarator] = decl.decls.as_slice() {
                if let Some((name, mut utility)) = self.utility(declarator) {
                    utility.statement = span;
                    self.utilities.insert(name, utility);
                    return;
                }
            }
        }
        stmt.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        // A `require` of the package anywhere but a statement of its own.
        if is_require_of_package(call) {
            self.refused = true;
        }
        call.visit_children_with(self);
    }

    fn visit_new_expr(&mut self, new: &swc_ecma_ast::NewExpr) {
        // Built anywhere but a declaration of its own (`{ util: new Auth0RedirectRuleUtilities(…) }`).
        if let Expr::Ident(class) = unparen(&new.callee) {
            if self.classes.contains_key(&class.sym) {
                self.refused = true;
            }
        }
        new.visit_children_with(self);
    }
}

fn is_require_of_package(call: &CallExpr) -> bool {
    let Callee::Expr(callee) = &call.callee else {
        return false;
    };
    let (Expr::Ident(require), [arg]) = (unparen(callee), call.args.as_slice()) else {
        return false;
    };
    if &*require.sym != "require" {
        return false;
    }
    match unparen(&arg.expr) {
        Expr::Lit(Lit::Str(s)) => {
            let name = s.value.to_string_lossy();
            name == PACKAGE || name.starts_with(&format!("{PACKAGE}@"))
        }
        _ => false,
    }
}

/// Replaces each use of a utility object with the code the library ran.
struct Expander<'s> {
    source: &'s str,
    offsets: Offsets,
    user: String,
    context: String,
    quote: char,
    classes: HashMap<Atom, Class>,
    utilities: HashMap<Atom, Utility>,
    edits: Vec<Edit>,
    findings: Vec<Finding>,
    /// Expressions in a position where a comparison needs no parentheses: an `if` test, an
    /// operand of `&&` / `||`.
    safe_tests: Vec<Span>,
    /// Statements that stand in a list of statements, so they may become several.
    list_statements: Vec<Span>,
    /// Inside an `if` whose test requires `canRedirect`.
    redirect_guarded: usize,
    /// Every name the rule binds, for naming new locals.
    names: Vec<Atom>,
    /// The `require` and the constructions, replaced whole.
    skipped: Vec<Span>,
    /// Nested functions that rebind `user`, `context`, `jwt` or `auth0`.
    shadowing: Vec<swc_common::Span>,
    /// `(utility, kind, writes)`: each metadata call (`setAppMeta` → `app_metadata`, `true`;
    /// `updateAppMeta` writes too).
    uses: Vec<(Atom, &'static str, bool)>,
    refused: bool,
}

impl Expander<'_> {
    fn text(&self, span: Span) -> String {
        apply_within(self.source, span, &self.edits)
            .unwrap_or_else(|_| self.source[span.range()].to_string())
    }

    fn text_of(&self, node: &impl Spanned) -> String {
        self.text(self.offsets.span(node.span()))
    }

    /// Replaces `span`, with the edits already made inside it folded into `replacement`.
    fn replace(&mut self, span: Span, replacement: String) {
        self.edits.retain(|e| !span.contains(e.span));
        self.edits.push(Edit::replace(span, replacement));
    }

    fn literal(&self, value: &str) -> String {
        string_literal(value, self.quote)
    }

    /// The whole lines of a statement that stands alone on them, with its line break; else the
    /// statement.
    fn statement_lines(&self, statement: Span) -> Span {
        let start = line_start(self.source, statement.start);
        let before_alone = self.source[start..statement.start].trim().is_empty();
        let rest = &self.source[statement.end..];
        let line_end = rest
            .find('\n')
            .map_or(self.source.len(), |i| statement.end + i + 1);
        let after_alone = self.source[statement.end..line_end].trim().is_empty();
        if before_alone && after_alone {
            // Between two blank lines, one of them goes too.
            let blank_before = self.source[..start]
                .strip_suffix('\n')
                .map(|text| text.trim_end_matches('\r'))
                .is_some_and(|text| text[line_start(text, text.len())..].trim().is_empty());
            let next_end = self.source[line_end..].find('\n').map(|i| line_end + i + 1);
            match next_end {
                Some(next) if blank_before && self.source[line_end..next].trim().is_empty() => {
                    Span::new(start, next)
                }
                _ => Span::new(start, line_end),
            }
        } else {
            statement
        }
    }

    fn delete_statement(&mut self, statement: Span) {
        let span = self.statement_lines(statement);
        self.edits.push(Edit::delete(span));
    }

    /// What the construction statement becomes: nothing, or the metadata objects (and the
    /// namespace objects in them) the library created, for the metadata the rule uses.
    fn construction(&self, name: &Atom, utility: &Utility) -> String {
        if utility.class != Class::UserUpdate {
            return String::new();
        }
        let indent = indentation_at(self.source, utility.statement.start);
        let nl = newline_of(self.source);
        let mut lines = String::new();
        for kind in ["app_metadata", "user_metadata"] {
            let uses: Vec<bool> = self
                .uses
                .iter()
                .filter(|(n, k, _)| n == name && *k == kind)
                .map(|(_, _, sets)| *sets)
                .collect();
            if uses.is_empty() {
                continue;
            }
            let default = |target: &str| format!("{indent}{target} = {target} || {{}};{nl}");
            let metadata = format!("{}.{kind}", self.user);
            lines.push_str(&default(&metadata));
            if let (Some(namespace), true) = (&utility.namespace, uses.contains(&true)) {
                lines.push_str(&default(&format!(
                    "{metadata}{}",
                    member_key(namespace, self.quote)
                )));
            }
        }
        lines
    }

    /// Which metadata each user-update utility reads or writes, and whether it writes it.
    fn collect_uses(&self, body: &swc_ecma_ast::FunctionBody) -> Vec<(Atom, &'static str, bool)> {
        struct Uses<'u> {
            utilities: &'u HashMap<Atom, Utility>,
            found: Vec<(Atom, &'static str, bool)>,
        }
        impl Visit for Uses<'_> {
            fn visit_call_expr(&mut self, call: &CallExpr) {
                if let Some((object, method)) = method_call(call) {
                    if self.utilities.contains_key(&object.sym) && method.ends_with("Meta") {
                        // An update persists the namespace object the library created, too.
                        let sets = method.starts_with("set") || method.starts_with("update");
                        self.found
                            .push((object.sym.clone(), metadata_kind(method), sets));
                    }
                }
                call.visit_children_with(self);
            }
        }
        let mut uses = Uses {
            utilities: &self.utilities,
            found: Vec::new(),
        };
        body.visit_with(&mut uses);
        uses.found
    }

    fn report(&mut self, code: Code, span: Span, message: &str, help: &str) {
        self.findings
            .push(Finding::new(code, span, message.to_string()).with_help(help.to_string()));
    }

    /// The signed session token `createSessionToken(extra)` made.
    fn session_token(&self, configuration: &str, extra: Option<&Expr>) -> String {
        let (user, context) = (&self.user, &self.context);
        let mut claims = format!(
            "ip: {context}.request.ip, iss: `https://${{{context}.request.hostname}}/`, sub: {user}.user_id"
        );
        match extra.map(unparen) {
            None => {}
            Some(Expr::Object(object)) if object.props.is_empty() => {}
            Some(Expr::Object(object)) => {
                let first = self.offsets.span(object.props[0].span()).start;
                let last = self
                    .offsets
                    .span(object.props[object.props.len() - 1].span())
                    .end;
                let props = self.text(Span::new(first, last));
                claims = format!("{claims}, {}", props.trim());
            }
            Some(other) => claims = format!("{claims}, ...{}", self.text_of(other)),
        }
        format!(
            "jwt.sign({{ {claims} }}, {configuration}.SESSION_TOKEN_SECRET, {{ expiresIn: {configuration}.SESSION_TOKEN_EXPIRES_IN || {} }})",
            self.literal("3d")
        )
    }

    /// `jwt.verify` of the returned `session_token`, with the checks the library added.
    fn verified_session_token(&self, configuration: &str, options: Option<&Expr>) -> String {
        let (user, context) = (&self.user, &self.context);
        let extra = match options.map(unparen) {
            None => String::new(),
            Some(Expr::Object(object)) if object.props.is_empty() => String::new(),
            Some(other) => format!("...{}, ", self.text_of(other)),
        };
        format!(
            "jwt.verify({context}.request.query.session_token, {configuration}.SESSION_TOKEN_SECRET, {{ {extra}subject: {user}.user_id, issuer: `https://${{{context}.request.hostname}}/` }})"
        )
    }

    fn free_name(&self, base: &str) -> String {
        let taken = |n: &str| self.names.iter().any(|b| &**b == n) || self.source.contains(n);
        if !taken(base) {
            return base.to_string();
        }
        (2..)
            .map(|i| format!("{base}{i}"))
            .find(|n| !taken(n))
            .unwrap_or_default()
    }

    fn member(&mut self, member: &MemberExpr, utility: &Atom, key: &str) {
        let span = self.offsets.span(member.span);
        let Some(class) = self.utilities.get(utility).map(|u| u.class) else {
            return;
        };
        let context = self.context.clone();
        // A test written where an operand was: parenthesised unless it stands alone.
        let safe = self.safe_tests.contains(&span);
        let as_operand = |test: String| if safe { test } else { format!("({test})") };
        let replacement = match (class, key) {
            (Class::Redirect, "queryParams") => format!("{context}.request.query"),
            (Class::Redirect, "isRedirectCallback") => as_operand(format!(
                "{context}.protocol === {}",
                self.literal("redirect-callback")
            )),
            (Class::Redirect, "canRedirect") => {
                self.report(
                    Code::CanRedirectIgnoresEarlierRules,
                    span,
                    "`canRedirect` becomes `api.redirect.canRedirect()`, which does not know whether an earlier rule redirected or required multifactor",
                    "the library also refused to redirect when `context.redirect` or `context.multifactor` was already set by an earlier rule; check the Actions before this one",
                );
                // The library never redirected a resumed login again; Actions can.
                as_operand(format!(
                    "{context}.protocol !== {} && {API_PLACEHOLDER}.redirect.canRedirect()",
                    self.literal("redirect-callback")
                ))
            }
            _ => {
                self.refused = true;
                return;
            }
        };
        self.replace(span, replacement);
    }

    /// A call of a utility method. Returns whether it was handled.
    fn call(&mut self, call: &CallExpr, name: &Atom, method: &str) {
        call.args.iter().for_each(|a| a.visit_with(self));
        let Some(utility) = self.utilities.get(name) else {
            return;
        };
        let (class, configuration, namespace) = (
            utility.class,
            utility.configuration.clone(),
            utility.namespace.clone(),
        );
        let sets = |kind: &str| {
            self.uses
                .iter()
                .any(|(n, k, s)| n == name && *k == kind && *s)
        };
        let span = self.offsets.span(call.span);
        let arg = |i: usize| {
            call.args
                .get(i)
                .filter(|a| a.spread.is_none())
                .map(|a| &*a.expr)
        };
        if call.args.iter().any(|a| a.spread.is_some()) {
            self.refused = true;
            return;
        }
        let replacement = match (class, method) {
            (Class::Redirect, "createSessionToken") if call.args.len() <= 1 => {
                self.session_token(&configuration, arg(0))
            }
            (Class::UserUpdate, "getAppMeta" | "getUserMeta") if call.args.len() == 1 => {
                let kind = metadata_kind(method);
                let key = self.key_access(arg(0).expect("one argument"));
                match namespace {
                    None => format!("{}.{kind}{key}", self.user),
                    Some(ns) if sets(kind) => {
                        format!("{}.{kind}{}{key}", self.user, member_key(&ns, self.quote))
                    }
                    Some(ns) => format!(
                        "({}.{kind}{} || {{}}){key}",
                        self.user,
                        member_key(&ns, self.quote)
                    ),
                }
            }
            (Class::UserUpdate, "updateAppMeta" | "updateUserMeta") if call.args.is_empty() => {
                let (kind, update) = match method {
                    "updateAppMeta" => ("app_metadata", "updateAppMetadata"),
                    _ => ("user_metadata", "updateUserMetadata"),
                };
                format!(
                    "auth0.users.{update}({user}.user_id, {user}.{kind})",
                    user = self.user
                )
            }
            // Statements of their own, handled where the statement is visited.
            _ => {
                self.refused = true;
                return;
            }
        };
        self.replace(span, replacement);
    }

    /// `.key` or `[expr]` for a metadata key argument.
    fn key_access(&self, key: &Expr) -> String {
        match unparen(key) {
            Expr::Lit(Lit::Str(s)) => member_key(&s.value.to_string_lossy(), self.quote),
            other => format!("[{}]", self.text_of(other)),
        }
    }

    /// `ruleUtils.doRedirect(url[, options]);`, `userUtils.setAppMeta(key, value);` and
    /// `x = ruleUtils.validateSessionToken();` (or `const x = …`, `return …`) as statements.
    fn statement(&mut self, stmt: &Stmt) -> bool {
        let (call, target) = match stmt {
            Stmt::Expr(expr) => match unparen(&expr.expr) {
                Expr::Call(call) => (call, Target::Discarded),
                Expr::Assign(assign) if assign.op == swc_ecma_ast::AssignOp::Assign => {
                    match (assign.left.as_ident(), unparen(&assign.right)) {
                        (Some(name), Expr::Call(call)) => {
                            (call, Target::Assigned(name.id.sym.to_string()))
                        }
                        _ => return false,
                    }
                }
                _ => return false,
            },
            Stmt::Decl(Decl::Var(decl)) => match decl.decls.as_slice() {
                [VarDeclarator {
                    name: Pat::Ident(name),
                    init: Some(init),
                    ..
                }] => match unparen(init) {
                    Expr::Call(call) => (call, Target::Assigned(name.id.sym.to_string())),
                    _ => return false,
                },
                _ => return false,
            },
            Stmt::Return(ReturnStmt { arg: Some(arg), .. }) => match unparen(arg) {
                Expr::Call(call) => (call, Target::Returned),
                _ => return false,
            },
            _ => return false,
        };
        let Some((object, method)) = method_call(call) else {
            return false;
        };
        let Some(utility) = self.utilities.get(&object.sym) else {
            return false;
        };
        if self
            .shadowing
            .iter()
            .any(|f| f.lo <= call.span.lo && call.span.hi <= f.hi)
        {
            self.refused = true;
            return true;
        }
        let (class, configuration, namespace) = (
            utility.class,
            utility.configuration.clone(),
            utility.namespace.clone(),
        );
        let statement = self.offsets.span(stmt.span());
        let in_list = self.list_statements.contains(&statement);
        let indent = indentation_at(self.source, statement.start).to_string();
        let nl = newline_of(self.source);
        match (class, method, &target) {
            (Class::Redirect, "validateSessionToken", _) if call.args.len() <= 1 && in_list => {
                call.args.iter().for_each(|a| a.visit_with(self));
                let options = call.args.first().map(|a| &*a.expr);
                let verified = self.verified_session_token(&configuration, options);
                let expired = |name: &str| {
                    format!(
                        "if (!{name}.exp) throw new Error({});",
                        self.literal("Expired token")
                    )
                };
                let replacement = match &target {
                    Target::Assigned(name) => {
                        let call_span = self.offsets.span(call.span);
                        let head = self.text(Span::new(statement.start, call_span.start));
                        let tail = self.text(Span::new(call_span.end, statement.end));
                        format!("{head}{verified}{tail}{nl}{indent}{}", expired(name))
                    }
                    Target::Returned => {
                        let name = self.free_name("sessionToken");
                        format!(
                            "const {name} = {verified};{nl}{indent}{}{nl}{indent}return {name};",
                            expired(&name)
                        )
                    }
                    Target::Discarded => {
                        let name = self.free_name("sessionToken");
                        format!("const {name} = {verified};{nl}{indent}{}", expired(&name))
                    }
                };
                self.replace(statement, replacement);
            }
            (Class::Redirect, "doRedirect", Target::Discarded)
                if (1..=2).contains(&call.args.len()) =>
            {
                call.args.iter().for_each(|a| a.visit_with(self));
                let Some(url) = call.args.first().filter(|a| a.spread.is_none()) else {
                    self.refused = true;
                    return true;
                };
                if !is_pure(&url.expr) {
                    self.refused = true;
                    return true;
                }
                let url_text = self.text_of(&*url.expr);
                let url_text = match unparen(&url.expr) {
                    Expr::Ident(_) | Expr::Member(_) | Expr::Lit(_) | Expr::Tpl(_) => url_text,
                    _ => format!("({url_text})"),
                };
                let token = match call.args.get(1).map(|a| unparen(&a.expr)) {
                    None => Some(self.session_token(&configuration, None)),
                    Some(Expr::Object(options)) => {
                        match self.redirect_options(&configuration, options) {
                            Some(token) => token,
                            None => {
                                self.refused = true;
                                return true;
                            }
                        }
                    }
                    // The library reads `{ sessionToken }` from its second argument: a token
                    // passed as a plain string was ignored, and a new one signed.
                    Some(Expr::Ident(_) | Expr::Lit(Lit::Str(_)) | Expr::Tpl(_)) => {
                        self.report(
                            Code::RuleUtilitiesExpanded,
                            self.offsets.span(call.args[1].span()),
                            "the library ignored this token (it reads `{ sessionToken }`) and signed a new one without its claims; so does the Action",
                            "pass `{ sessionToken: token }` in the Rule's place, or add the claims to the token the Action signs",
                        );
                        Some(self.session_token(&configuration, None))
                    }
                    Some(_) => {
                        self.refused = true;
                        return true;
                    }
                };
                let url_value = match token {
                    Some(token) => {
                        format!("{url_text} + {} + {token}", self.literal("?session_token="))
                    }
                    None => url_text.clone(),
                };
                let guard = if self.redirect_guarded > 0 {
                    String::new()
                } else {
                    // The library refused to redirect a resumed login again.
                    format!(
                        "if ({}.protocol === {} || !{API_PLACEHOLDER}.redirect.canRedirect() || !{url_text}) throw new Error({});{nl}{indent}",
                        self.context,
                        self.literal("redirect-callback"),
                        self.literal("Cannot redirect")
                    )
                };
                if !guard.is_empty() && !in_list {
                    self.refused = true;
                    return true;
                }
                self.replace(
                    statement,
                    format!("{guard}{}.redirect = {{ url: {url_value} }};", self.context),
                );
            }
            (Class::UserUpdate, "setAppMeta" | "setUserMeta", Target::Discarded)
                if call.args.len() == 2 =>
            {
                call.args.iter().for_each(|a| a.visit_with(self));
                let kind = metadata_kind(method);
                let key = self.key_access(&call.args[0].expr);
                let value = self.text_of(&*call.args[1].expr);
                let ns = namespace.map_or(String::new(), |n| member_key(&n, self.quote));
                self.replace(
                    statement,
                    format!("{}.{kind}{ns}{key} = {value};", self.user),
                );
            }
            _ => return false,
        }
        true
    }

    /// The token `doRedirect(url, { sessionToken, generateSessionToken })` adds, if any.
    fn redirect_options(
        &self,
        configuration: &str,
        options: &swc_ecma_ast::ObjectLit,
    ) -> Option<Option<String>> {
        let mut token = None;
        let mut generate = true;
        for prop in &options.props {
            let PropOrSpread::Prop(prop) = prop else {
                return None;
            };
            match &**prop {
                Prop::KeyValue(kv) => match (&kv.key, unparen(&kv.value)) {
                    (PropName::Ident(key), value) if &*key.sym == "sessionToken" => {
                        token = Some(self.text_of(value));
                    }
                    (PropName::Ident(key), Expr::Lit(Lit::Bool(b)))
                        if &*key.sym == "generateSessionToken" =>
                    {
                        generate = b.value;
                    }
                    _ => return None,
                },
                Prop::Shorthand(ident) if &*ident.sym == "sessionToken" => {
                    token = Some(ident.sym.to_string());
                }
                _ => return None,
            }
        }
        Some(match (token, generate) {
            (Some(token), _) => Some(token),
            (None, true) => Some(self.session_token(configuration, None)),
            (None, false) => None,
        })
    }

    fn refuse_when_shadowed(&mut self, at: swc_common::Span) {
        if self
            .shadowing
            .iter()
            .any(|f| f.lo <= at.lo && at.hi <= f.hi)
        {
            self.refused = true;
        }
    }

    /// Whether an `if` test requires `ruleUtils.canRedirect` (alone or as a conjunct).
    fn requires_can_redirect(&self, test: &Expr) -> bool {
        match unparen(test) {
            Expr::Bin(bin) if bin.op == BinaryOp::LogicalAnd => {
                self.requires_can_redirect(&bin.left) || self.requires_can_redirect(&bin.right)
            }
            Expr::Member(member) => match (unparen(&member.obj), &member.prop) {
                (Expr::Ident(object), MemberProp::Ident(prop)) => {
                    &*prop.sym == "canRedirect"
                        && self
                            .utilities
                            .get(&object.sym)
                            .is_some_and(|u| u.class == Class::Redirect)
                }
                _ => false,
            },
            _ => false,
        }
    }
}

enum Target {
    Discarded,
    Assigned(String),
    Returned,
}

fn metadata_kind(method: &str) -> &'static str {
    if method.contains("App") {
        "app_metadata"
    } else {
        "user_metadata"
    }
}

/// An expression that may be evaluated twice: names, member reads, literals, templates of those.
fn is_pure(expr: &Expr) -> bool {
    match unparen(expr) {
        Expr::Ident(_) | Expr::Lit(_) => true,
        Expr::Member(member) => {
            is_pure(&member.obj)
                && match &member.prop {
                    MemberProp::Computed(key) => is_pure(&key.expr),
                    _ => true,
                }
        }
        Expr::Tpl(tpl) => tpl.exprs.iter().all(|e| is_pure(e)),
        Expr::Bin(bin) => is_pure(&bin.left) && is_pure(&bin.right),
        _ => false,
    }
}

impl Visit for Expander<'_> {
    fn visit_stmts(&mut self, stmts: &[Stmt]) {
        for stmt in stmts {
            self.list_statements.push(self.offsets.span(stmt.span()));
        }
        stmts.iter().for_each(|s| s.visit_with(self));
    }

    fn visit_stmt(&mut self, stmt: &Stmt) {
        if self.skipped.contains(&self.offsets.span(stmt.span())) {
            return;
        }
        if !self.statement(stmt) {
            stmt.visit_children_with(self);
        }
    }

    fn visit_if_stmt(&mut self, stmt: &IfStmt) {
        self.safe_tests
            .push(self.offsets.span(unparen(&stmt.test).span()));
        stmt.test.visit_with(self);
        let guarded = self.requires_can_redirect(&stmt.test);
        self.redirect_guarded += usize::from(guarded);
        stmt.cons.visit_with(self);
        self.redirect_guarded -= usize::from(guarded);
        stmt.alt.visit_with(self);
    }

    fn visit_bin_expr(&mut self, bin: &swc_ecma_ast::BinExpr) {
        if matches!(bin.op, BinaryOp::LogicalAnd | BinaryOp::LogicalOr) {
            self.safe_tests
                .push(self.offsets.span(unparen(&bin.left).span()));
            self.safe_tests
                .push(self.offsets.span(unparen(&bin.right).span()));
        }
        bin.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        if let Some((object, method)) = method_call(call) {
            if self.utilities.contains_key(&object.sym) {
                self.refuse_when_shadowed(call.span);
                let object = object.sym.clone();
                return self.call(call, &object, method);
            }
        }
        call.visit_children_with(self);
    }

    fn visit_member_expr(&mut self, member: &MemberExpr) {
        if let (Expr::Ident(object), MemberProp::Ident(prop)) = (unparen(&member.obj), &member.prop)
        {
            if self.utilities.contains_key(&object.sym) {
                self.refuse_when_shadowed(member.span);
                let object = object.sym.clone();
                return self.member(member, &object, &prop.sym);
            }
        }
        member.visit_children_with(self);
    }

    fn visit_ident(&mut self, ident: &Ident) {
        // Any other use of a utility object or class: passed, stored, compared.
        if self.utilities.contains_key(&ident.sym) || self.classes.contains_key(&ident.sym) {
            self.refused = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_rule, Parsed};

    fn expanded(rule: &str) -> Option<Result<Expanded, Finding>> {
        let Ok((Parsed::Rule(function), offsets)) = parse_rule(rule) else {
            panic!("a rule");
        };
        expand(rule, &function, offsets)
    }

    #[test]
    fn a_helper_that_rebinds_the_configuration_keeps_the_library() {
        let rule = "function (user, context, callback) {\n  const { Auth0RedirectRuleUtilities } = require('@auth0/rule-utilities@0.1.0');\n  const ruleUtils = new Auth0RedirectRuleUtilities(user, context, configuration);\n  function token(configuration) {\n    return ruleUtils.createSessionToken({ a: 1 });\n  }\n  context.idToken['https://example.com/t'] = token({});\n  callback(null, user, context);\n}\n";
        // Expanded there, `configuration.SESSION_TOKEN_SECRET` would read the helper's argument.
        assert!(matches!(expanded(rule), Some(Err(f)) if f.code == Code::RuleUtilitiesNotExpanded));
        let outside = rule.replace("function token(configuration)", "function token(settings)");
        let Some(Ok(expansion)) = expanded(&outside) else {
            panic!("expanded");
        };
        assert!(
            expansion
                .text
                .contains("configuration.SESSION_TOKEN_SECRET, { expiresIn: configuration.SESSION_TOKEN_EXPIRES_IN || '3d' })"),
            "{}",
            expansion.text
        );
        assert!(!expansion.text.contains("ruleUtils"), "{}", expansion.text);
    }

    #[test]
    fn a_rule_without_the_library_is_left_to_the_rewrite() {
        let rule = "function (user, context, callback) {\n  // uses nothing of @auth0/rule-utilities\n  callback(null, user, context);\n}\n";
        assert!(expanded(rule).is_none());
    }
}
