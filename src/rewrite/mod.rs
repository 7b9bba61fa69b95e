//! The rewrite pass: one walk over the rule that records text edits and findings.
//!
//! `walk.rs` tracks scopes and control flow and dispatches each construct to its family:
//! one file per family, each starting with the Rule it reads, the Action it writes and the
//! cases it refuses.

mod bindings;
mod callback;
mod callback_twice;
mod calling_helpers;
mod chain;
mod claim_aliases;
mod claim_names;
mod claims;
mod context_reads;
mod context_view;
mod credentials;
mod globals;
mod header;
mod helpers;
mod hook_parameters;
mod hook_result;
mod management_api;
mod metadata;
mod modules;
mod multifactor;
mod node_callback;
mod objects;
mod platform;
mod prepass;
mod primary_user;
mod promise_chain;
pub(crate) mod promise_shape;
mod recognise;
mod redirect;
mod redirect_token;
pub mod rule_utilities;
mod saml;
pub(crate) mod scope;
mod scopes;
mod secrets;
pub mod trivia;
mod user;
mod user_fields;
mod walk;

use std::collections::{BTreeMap, BTreeSet};

use swc_atoms::Atom;
use swc_common::Spanned;
use swc_ecma_ast::Ident;

use crate::edit::{apply_within, Edit};
use crate::family::Family;
use crate::finding::Finding;
use crate::options::Options;
use crate::parse::{Offsets, RuleFunction};
use crate::registry::Code;
use crate::span::{indentation_at, Span};

/// Everything the rewrite of one rule produced.
pub struct Rewrite {
    /// The trigger the Action is written for.
    pub trigger: &'static crate::trigger::Trigger,
    pub edits: Vec<Edit>,
    pub findings: Vec<Finding>,
    pub secrets: BTreeSet<String>,
    /// Package name → version (`None` when the rule did not pin one).
    pub dependencies: BTreeMap<String, Option<String>>,
    /// Spans of every statement, for placing marker comments.
    pub statements: Vec<Span>,
    /// Every claim the Action sets.
    pub claims: Vec<crate::model::Claim>,
    /// Set when two rewrites produced overlapping edits: a bug, reported as invalid output.
    pub internal_error: Option<String>,
    /// Code that moved elsewhere in the Action (the resume branch): its findings carry their
    /// markers with them.
    pub moved: Vec<Span>,
}

impl Rewrite {
    fn for_trigger(trigger: &'static crate::trigger::Trigger) -> Self {
        Rewrite {
            trigger,
            edits: Vec::new(),
            findings: Vec::new(),
            secrets: BTreeSet::new(),
            dependencies: BTreeMap::new(),
            statements: Vec::new(),
            claims: Vec::new(),
            internal_error: None,
            moved: Vec::new(),
        }
    }
}

pub use header::signature_problem;

/// How much of the rule the rewrite converts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every rewrite that applies.
    Full,
    /// The body inside the callback shim (R2A108), as for an asynchronous rule: the fallback
    /// when the full rewrite cannot make an Action that parses.
    Conservative,
}

pub fn rewrite(
    source: &str,
    rule: &RuleFunction,
    offsets: Offsets,
    options: &Options,
    mode: Mode,
) -> Rewrite {
    let mut rewriter = Rewriter::new(source, offsets, rule, options.clone());
    rewriter.conservative = mode == Mode::Conservative;
    rewriter.run(rule);
    rewriter.out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Param {
    User,
    Context,
    Callback,
    /// A Hook parameter that is the `event` member at this path, with the members that moved.
    Event(&'static str, &'static [(&'static str, &'static str)]),
}

/// Whether an expression's value is used, and whether it is a whole statement.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Value {
    Used,
    Discarded,
    /// The whole expression statement with this span.
    Statement(Span),
}

/// Where the statement being visited sits in the rule's control flow.
#[derive(Clone, Copy, Default)]
struct Flow {
    /// Some statement of the rule body may run after this one.
    following: bool,
    /// Nothing of the rule runs after this statement: it is the last of the rule body, or the
    /// last (not the only) statement of a branch of an `if` that is.
    last_in_rule_body: bool,
    /// A block entered now is the last thing the rule runs (the branches of a final `if`).
    block_ends_rule: bool,
    /// The next statement in the same list is a bare `return;`.
    next_is_return: bool,
    /// The statement stands in a list of statements, not alone as an `if` or loop body, so it
    /// may become several statements, a declaration, or nothing.
    in_list: bool,
}

/// The walk's shared state: the rule, the traversal (scopes and control flow) and what the
/// rewrite produced. Each family keeps its own state in a struct of its file.
struct Rewriter<'s> {
    source: &'s str,
    options: Options,
    offsets: Offsets,
    /// [`Mode::Conservative`]: every rule with a callback gets the shim.
    conservative: bool,
    /// The rule's own bindings, from the one semantic model.
    bindings: bindings::Bindings,
    /// Names of the handler's `(event, api)` parameters.
    event: String,
    api: String,
    quote: char,
    /// The rule is asynchronous: its callback stays, as a shim that settles the handler.
    shim: bool,
    /// Names assigned anywhere in the rule: never constants or aliases.
    reassigned: Vec<Atom>,
    /// Declared names per scope; index 0 is the rule function itself.
    scopes: Vec<Vec<Atom>>,
    catch_params: Vec<Atom>,
    /// Functions entered below the rule body (arrows included).
    depth: usize,
    /// Non-arrow functions entered below the rule body: they rebind `this` and `arguments`.
    binding_depth: usize,
    /// Loops entered at the current function depth; a statement in one may run again.
    loops: usize,
    flow: Flow,
    /// Edits, findings and what the Action needs, as the rewrite records them.
    out: Rewrite,
    handler: header::Handler,
    calls: callback::Calls,
    tokens: claims::Tokens,
    metadata: metadata::MetadataState,
    user: user_fields::UserState,
    globals: globals::Globals,
    saml: saml::Saml,
    resume: redirect::Resume,
    management: management_api::Management,
    modules: modules::Modules,
    view: context_view::View,
    guards: context_reads::Guards,
    access_scopes: scopes::AccessScopes,
    helpers: helpers::BoundHelpers,
}

/// A declaration statement of the rule body.
struct TopDeclaration {
    span: Span,
    declares: Vec<Atom>,
    /// Every name it mentions.
    uses: Vec<Atom>,
}

impl<'s> Rewriter<'s> {
    fn top_declaration(&self, stmt: &swc_ecma_ast::Stmt) -> Option<TopDeclaration> {
        use swc_ecma_ast::{Decl, Stmt};
        use swc_ecma_visit::VisitWith;
        let declares = match stmt {
            Stmt::Decl(Decl::Var(var)) => {
                let mut names = Vec::new();
                for d in &var.decls {
                    scope::pattern_names(&d.name, &mut names);
                }
                names
            }
            Stmt::Decl(Decl::Fn(function)) => vec![function.ident.sym.clone()],
            _ => return None,
        };
        let mut used = redirect::UsedNames::default();
        stmt.visit_with(&mut used);
        Some(TopDeclaration {
            span: self.span(stmt.span()),
            declares,
            uses: used.names,
        })
    }

    fn new(source: &'s str, offsets: Offsets, rule: &RuleFunction, options: Options) -> Self {
        let trigger = options.trigger.unwrap_or(crate::trigger::RULES);
        Rewriter {
            source,
            options,
            offsets,
            conservative: false,
            bindings: Default::default(),
            event: "event".into(),
            api: "api".into(),
            quote: header::dominant_quote(source),
            shim: false,
            reassigned: Vec::new(),
            scopes: vec![scope::function_names(&rule.function)],
            catch_params: Vec::new(),
            depth: 0,
            binding_depth: 0,
            loops: 0,
            flow: Flow::default(),
            out: Rewrite::for_trigger(trigger),
            handler: Default::default(),
            calls: Default::default(),
            tokens: Default::default(),
            metadata: Default::default(),
            user: Default::default(),
            globals: Default::default(),
            saml: Default::default(),
            resume: Default::default(),
            management: Default::default(),
            modules: Default::default(),
            view: Default::default(),
            guards: Default::default(),
            access_scopes: Default::default(),
            helpers: Default::default(),
        }
    }

    fn span(&self, span: swc_common::Span) -> Span {
        self.offsets.span(span)
    }

    fn text(&self, span: Span) -> &'s str {
        &self.source[span.range()]
    }

    fn replace(&mut self, family: Family, span: Span, replacement: impl Into<String>) {
        self.fix(family, Edit::replace(span, replacement));
    }

    /// Records an edit as made by `family`.
    fn fix(&mut self, family: Family, edit: Edit) {
        self.out.edits.push(edit.by(family));
    }

    fn report(&mut self, finding: Finding) {
        self.out.findings.push(finding);
    }

    /// `R2A101` once per rule: every `UnauthorizedError` changes the error code alike.
    fn report_unauthorized(&mut self, finding: Finding) {
        if !self
            .out
            .findings
            .iter()
            .any(|f| f.code == Code::UnauthorizedBecomesAccessDenied)
        {
            self.report(finding);
        }
    }

    fn report_at(
        &mut self,
        code: Code,
        span: Span,
        message: impl Into<std::borrow::Cow<'static, str>>,
    ) {
        self.report(Finding::new(code, span, message));
    }

    /// Runs `visit` and takes back the edits it recorded, so a caller can fold them into one
    /// larger replacement.
    fn capture(&mut self, visit: impl FnOnce(&mut Self)) -> Vec<Edit> {
        let mark = self.out.edits.len();
        visit(self);
        self.out.edits.split_off(mark)
    }

    /// The source of `span` with `inner` edits applied.
    fn render(&mut self, span: Span, inner: &[Edit]) -> String {
        match apply_within(self.source, span, inner) {
            Ok(text) => text,
            Err(overlap) => {
                self.out.internal_error = Some(format!("overlapping edits: {overlap:?}"));
                self.text(span).to_string()
            }
        }
    }

    /// Visits `expr` and returns its text with the rewrites inside it applied.
    fn rewritten(&mut self, expr: &swc_ecma_ast::Expr) -> String {
        use swc_common::Spanned;
        use swc_ecma_visit::VisitWith;
        let inner = self.capture(|this| expr.visit_with(this));
        let span = self.span(expr.span());
        self.render(span, &inner)
    }

    fn string_literal(&self, value: &str) -> String {
        trivia::string_literal(value, self.quote)
    }

    /// Declared in a scope below the rule function (or anywhere, for `include_rule_scope`).
    fn is_declared(&self, name: &Atom, include_rule_scope: bool) -> bool {
        let skip = usize::from(!include_rule_scope);
        self.scopes.iter().skip(skip).any(|s| s.contains(name))
    }

    /// Which rule parameter `ident` refers to, if any: by its binding, or through a bound
    /// helper's parameter that stands for it.
    fn param(&self, ident: &Ident) -> Option<Param> {
        self.bindings.role(ident)
    }

    /// `ident` is a global with this name: nothing in the rule or around it declares it.
    fn is_global(&self, ident: &Ident, name: &str) -> bool {
        &*ident.sym == name && self.bindings.is_global(ident)
    }
}

impl Rewriter<'_> {
    /// Binds the rule's parameters, gathers what the rewrites need up front, walks the body,
    /// then replaces the header.
    fn run(&mut self, rule: &RuleFunction) {
        self.bindings = bindings::Bindings::of(rule, self.out.trigger.rule_params);
        if let Some(body) = &rule.function.body {
            self.helpers = helpers::BoundHelpers::of(&body.stmts, &self.bindings);
            for (id, role) in self.helpers.bound_parameters() {
                self.bindings.alias(id.clone(), role);
            }
            self.calls.helpers = calling_helpers::CallingHelpers::of(&body.stmts, &self.bindings);
        }
        let mut prepass = prepass::Prepass::of(
            &rule.function,
            &self.bindings,
            &self.scopes[0],
            &self.helpers,
            &self.calls.helpers,
        );
        self.resume.in_rule = prepass.redirects;
        self.choose_handler_names(rule, &prepass);
        self.shim = (prepass.asynchronous || self.conservative)
            && self.bindings.name(Param::Callback).is_some();
        if !self.shim {
            self.calls.awaitable = std::mem::take(&mut prepass.awaitable);
        }
        self.choose_module_globals(&prepass.globals_set, prepass.global_other_use, rule);

        let Some(body) = &rule.function.body else {
            return;
        };
        self.report_redeclared_params();
        self.resume.top_declarations = body
            .stmts
            .iter()
            .filter_map(|s| self.top_declaration(s))
            .collect();
        self.collect_jwt_names(&body.stmts);
        self.modules.option_objects = modules::option_objects(self.source, &body.stmts);
        self.resume.top_statements = body
            .stmts
            .iter()
            .filter(|s| !matches!(s, swc_ecma_ast::Stmt::Empty(_)))
            .map(|s| self.span(s.span()))
            .collect();
        self.resume.top_defaults = body
            .stmts
            .iter()
            .filter(|s| {
                let assign = s.as_expr().and_then(|e| walk::unparen(&e.expr).as_assign());
                assign.is_some_and(recognise::defaults_to_empty_object)
            })
            .map(|s| self.span(s.span()))
            .collect();
        if self.bindings.name(Param::Callback).is_some() {
            self.calls.quiet_tails =
                callback::quiet_tails(&body.stmts, self.offsets, &self.bindings);
        }
        self.user.identities = user::identity_names(self.source, self.offsets, &body.stmts);
        self.view.string_lists = context_view::string_lists(&body.stmts);
        self.collect_constants(&body.stmts, &prepass.reassigned);
        self.reassigned = prepass.reassigned;
        self.user.reads = prepass
            .user_reads
            .into_iter()
            .map(|(key, pos, nested)| (key, self.offsets.offset(swc_common::BytePos(pos)), nested))
            .collect();
        // A rule that hands `user` to other code relies on the changes being on that object.
        self.user.as_value = prepass.user_as_value;
        self.handler.top = self.span(body.span).start + 1;
        self.handler.indent = match body.stmts.first() {
            Some(first) => indentation_at(self.source, self.span(first.span()).start).to_string(),
            None => "  ".to_string(),
        };
        if !self.user.as_value {
            self.declare_metadata_copies(&prepass.metadata_written);
            self.metadata.keys = prepass.metadata_keys;
            self.metadata.persisted = prepass.metadata_persisted;
        }
        self.visit_statement_list(&body.stmts, true);
        self.report_resume_without_rerun();
        self.report_mixed_helpers();

        self.report_claim_sizes(rule.span);
        self.report_uncalled_callback(rule);
        self.report_second_calls(&body.stmts);
        self.write_header(rule, body);
    }
}
