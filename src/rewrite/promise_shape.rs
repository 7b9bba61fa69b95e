//! Recognises promise chains that end in the rule's callback and can be awaited instead:
//! `source.then(h1).then(h2)….catch(c)` where the last `.then` handler and the `.catch` handler
//! call back on every path and nothing runs after the chain. Pure shape checks, shared by the
//! prepass (which then treats the rule as synchronous) and `promise_chain.rs` (which rewrites).

use swc_atoms::Atom;
use swc_common::{Span, Spanned};
use swc_ecma_ast::{
    ArrowFunctionBody, CallExpr, Callee, Expr, FunctionBody, Ident, MemberProp, Pat, ReturnStmt,
    Stmt, UnaryOp,
};
use swc_ecma_visit::{Visit, VisitWith};

use super::scope::{self, Names};
use super::walk::unparen;
use crate::tables::modules::CALLS_THAT_REPEAT_THEIR_HANDLER;

pub(super) struct AwaitableChain<'a> {
    /// The promise the chain starts from.
    pub(super) source: &'a Expr,
    /// The `.then` handlers, in order; the last one calls back.
    pub(super) steps: Vec<Handler<'a>>,
    pub(super) catch: Option<Catch<'a>>,
    /// `.then(handler, failure)` on a metadata update: the failure handler is gone.
    pub(super) drops_failure_handler: bool,
}

pub(super) enum Catch<'a> {
    /// `.catch(callback)`.
    Callback,
    Handler(Handler<'a>),
}

pub(super) struct Handler<'a> {
    pub(super) params: Vec<&'a Pat>,
    pub(super) body: Body<'a>,
}

pub(super) enum Body<'a> {
    Expr(&'a Expr),
    Block(&'a FunctionBody),
}

impl Handler<'_> {
    /// Names the handler declares: its parameter and the declarations at the top of its body.
    /// The one parameter of a promise handler.
    pub(super) fn param(&self) -> Option<&Pat> {
        self.params.first().copied()
    }

    pub(super) fn names(&self) -> Names {
        let mut names = Names::new();
        for param in &self.params {
            scope::pattern_names(param, &mut names);
        }
        if let Body::Block(block) = self.body {
            names.extend(scope::body_names(&block.stmts));
        }
        names
    }

    /// For a step before the last: its statements before the final `return`, and what it
    /// returns.
    pub(super) fn passes_on(&self) -> (&[Stmt], &Expr) {
        match self.body {
            Body::Expr(expr) => (&[], expr),
            Body::Block(block) => match block.stmts.split_last() {
                Some((Stmt::Return(ReturnStmt { arg: Some(arg), .. }), rest)) => (rest, arg),
                _ => unreachable!("checked by `recognise`"),
            },
        }
    }
}

/// Statements after which nothing else in the rule runs (a `return <expr>`, the last statement
/// of the rule, one followed by `return;`), outside loops, `try` and nested functions; each with
/// the names declared in its statement list. `rule_names` are the rule function's own names.
pub(crate) fn final_statements<'a>(body: &'a [Stmt], rule_names: &Names) -> Vec<(&'a Stmt, Names)> {
    let mut out = Vec::new();
    scan(body, true, rule_names, &mut out);
    out
}

fn scan<'a>(list: &'a [Stmt], tail: bool, names: &Names, out: &mut Vec<(&'a Stmt, Names)>) {
    let significant: Vec<&'a Stmt> = list
        .iter()
        .filter(|s| !matches!(s, Stmt::Empty(_)))
        .collect();
    for (i, stmt) in significant.iter().enumerate() {
        let next = significant.get(i + 1);
        let last = next.is_none() && tail;
        let ends = match stmt {
            Stmt::Return(ret) => ret.arg.is_some(),
            Stmt::Expr(_) => last || matches!(next, Some(Stmt::Return(r)) if r.arg.is_none()),
            _ => false,
        };
        if ends {
            out.push((*stmt, names.clone()));
        }
        match stmt {
            Stmt::If(branch) => {
                scan_single(&branch.cons, last, out);
                if let Some(alt) = &branch.alt {
                    scan_single(alt, last, out);
                }
            }
            Stmt::Block(block) => scan(&block.stmts, last, &scope::block_names(&block.stmts), out),
            _ => {}
        }
    }
}

fn scan_single<'a>(stmt: &'a Stmt, tail: bool, out: &mut Vec<(&'a Stmt, Names)>) {
    match stmt {
        Stmt::Block(block) => scan(&block.stmts, tail, &scope::block_names(&block.stmts), out),
        // A lone `if` body gets braces when it becomes several statements.
        other => scan(std::slice::from_ref(other), tail, &Names::new(), out),
    }
}

/// The expression of an expression or `return` statement.
pub(super) fn statement_expr(stmt: &Stmt) -> Option<&Expr> {
    match stmt {
        Stmt::Expr(e) => Some(&e.expr),
        Stmt::Return(r) => r.arg.as_deref(),
        _ => None,
    }
}

/// A node-style call whose last argument is an error-first handler that calls back on every
/// path: `request.post(options, function (err, res, body) { …; callback(null, user, context); })`.
pub(super) struct NodeCallback<'a> {
    pub(super) call: &'a CallExpr,
    pub(super) handler: Handler<'a>,
    pub(super) handler_expr: &'a Expr,
    /// Parameters the handler never reads whose names are taken where it will stand
    /// (`function (err, resp, body)` beside a `const body`): they are not declared.
    pub(super) unused: Names,
}

/// Asynchronous work at the end of the rule that the Action can await.
pub(super) enum Awaitable<'a> {
    Chain(AwaitableChain<'a>),
    NodeCallback(NodeCallback<'a>),
}

/// `expr` as awaitable work: a promise chain or a node-style call that ends in the callback.
pub(super) fn awaitable<'a>(
    expr: &'a Expr,
    callback: &Atom,
    enclosing: &Names,
) -> Option<Awaitable<'a>> {
    awaitable_at(expr, callback, enclosing, 0)
}

/// Handlers may end in awaitable work of their own, this many levels deep.
const MAX_NESTING: usize = 8;

fn awaitable_at<'a>(
    expr: &'a Expr,
    callback: &Atom,
    enclosing: &Names,
    depth: usize,
) -> Option<Awaitable<'a>> {
    if depth > MAX_NESTING {
        return None;
    }
    if let Some(chain) = recognise(expr, callback, enclosing, depth) {
        return Some(Awaitable::Chain(chain));
    }
    node_callback(expr, callback, enclosing, depth).map(Awaitable::NodeCallback)
}

/// Every statement of the rule body holding awaitable work, nested ones (at the end of an
/// awaited handler) included, with the names declared where each will stand.
pub(super) fn awaitable_statements(
    body: &[Stmt],
    rule_names: &Names,
    callback: &Atom,
) -> Vec<(Span, Names)> {
    let mut out = Vec::new();
    collect_awaitable(body, rule_names, callback, 0, &mut out);
    out
}

fn collect_awaitable(
    stmts: &[Stmt],
    names: &Names,
    callback: &Atom,
    depth: usize,
    out: &mut Vec<(Span, Names)>,
) {
    for (stmt, names) in final_statements(stmts, names) {
        let Some(work) =
            statement_expr(stmt).and_then(|e| awaitable_at(e, callback, &names, depth))
        else {
            continue;
        };
        out.push((stmt.span(), names.clone()));
        for (handler, inner) in work.final_handlers(&names) {
            if let Body::Block(block) = handler.body {
                collect_awaitable(&block.stmts, &inner, callback, depth + 1, out);
            }
        }
    }
}

impl Awaitable<'_> {
    /// The handlers whose statements end the work, with the names in scope where they will
    /// stand once inlined.
    fn final_handlers(&self, enclosing: &Names) -> Vec<(&Handler<'_>, Names)> {
        match self {
            Awaitable::Chain(chain) => chain.final_handlers(enclosing),
            Awaitable::NodeCallback(call) => vec![(&call.handler, with(enclosing, &call.handler))],
        }
    }
}

/// `enclosing` and the names `handler` declares.
fn with(enclosing: &Names, handler: &Handler<'_>) -> Names {
    let mut names = enclosing.clone();
    names.extend(handler.names());
    names
}

/// The handler calls back on every path: directly, or through awaitable work at its end.
fn handler_calls_back(handler: &Handler<'_>, callback: &Atom, names: &Names, depth: usize) -> bool {
    match handler.body {
        Body::Expr(expr) => is_callback_call(expr, callback),
        Body::Block(block) => {
            let nested: Vec<Span> = final_statements(&block.stmts, names)
                .into_iter()
                .filter(|(stmt, names)| {
                    statement_expr(stmt)
                        .is_some_and(|e| awaitable_at(e, callback, names, depth + 1).is_some())
                })
                .map(|(stmt, _)| stmt.span())
                .collect();
            ends_in_callback(&block.stmts, callback, &nested)
                && returns_only_after_callback(&block.stmts, callback)
                && !calls_back_from_nested_functions(block, callback, &nested)
        }
    }
}

fn node_callback<'a>(
    expr: &'a Expr,
    callback: &Atom,
    enclosing: &Names,
    depth: usize,
) -> Option<NodeCallback<'a>> {
    let Expr::Call(call) = unparen(expr) else {
        return None;
    };
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    let called = match unparen(callee) {
        Expr::Member(member) => member.prop.as_ident().map(|p| p.sym.clone()),
        Expr::Ident(function) => Some(function.sym.clone()),
        _ => None,
    };
    if called.is_some_and(|name| {
        CALLS_THAT_REPEAT_THEIR_HANDLER.contains(&name.as_ref()) || &name == callback
    }) {
        return None;
    }
    let (last, arguments) = call.args.split_last()?;
    let handler_expr = unparen(&last.expr);
    let handler = handler_of(handler_expr).filter(|_| last.spread.is_none())?;
    // The error-first convention: such a handler is called exactly once.
    let Some(Pat::Ident(error)) = handler.params.first() else {
        return None;
    };
    let error = error.id.sym.as_ref();
    let error_first = matches!(error, "e" | "er" | "ex")
        || error.starts_with("err")
        || error.ends_with("Err")
        || error.ends_with("Error");
    let calls_back = handler_calls_back(&handler, callback, &with(enclosing, &handler), depth);
    let before_handler = |name: &Atom| {
        references(&**callee, name) || arguments.iter().any(|a| references(&*a.expr, name))
    };
    let taken = |n: &Atom| enclosing.contains(n) || n == callback || before_handler(n);
    let read = |n: &Atom| match handler.body {
        Body::Expr(body) => references(body, n),
        Body::Block(block) => references(block, n),
    };
    let unused: Names = handler
        .params
        .iter()
        .skip(1)
        .filter_map(|p| p.as_ident().map(|b| b.id.sym.clone()))
        .filter(|n| taken(n) && !read(n))
        .collect();
    let names = handler.names();
    let names_apart = names.iter().all(|n| unused.contains(n) || !taken(n));
    (error_first
        && calls_back
        && names_apart
        && !before_handler(callback)
        && !has_multiline_template(expr))
    .then_some(NodeCallback {
        call,
        handler,
        handler_expr,
        unused,
    })
}

/// `expr` as an awaitable chain, if it is one. `enclosing` are the names declared in the
/// statement list the chain stands in.
fn recognise<'a>(
    expr: &'a Expr,
    callback: &Atom,
    enclosing: &Names,
    depth: usize,
) -> Option<AwaitableChain<'a>> {
    let mut links = Vec::new();
    let mut current = unparen(expr);
    let source = loop {
        let Expr::Call(call) = current else {
            break current;
        };
        let Callee::Expr(callee) = &call.callee else {
            break current;
        };
        let Expr::Member(member) = unparen(callee) else {
            break current;
        };
        let method = match &member.prop {
            MemberProp::Ident(name) if name.sym == "then" || name.sym == "catch" => &name.sym,
            _ => break current,
        };
        if call.args.iter().any(|a| a.spread.is_some()) {
            return None;
        }
        match call.args.as_slice() {
            [handler] => links.push((method.clone(), &*handler.expr, None)),
            [handler, failure] if method == "then" => {
                links.push((method.clone(), &*handler.expr, Some(&*failure.expr)))
            }
            _ => return None,
        }
        current = unparen(&member.obj);
    };
    links.reverse();
    // `.then(handler, failure)` only on a metadata update, which cannot fail in an Action: the
    // failure handler has nothing left to handle.
    let drops_failure_handler = match links.first() {
        Some((_, _, Some(failure))) => {
            let passes_error = matches!(unparen(failure), Expr::Ident(i) if &i.sym == callback)
                || promise_handler(unparen(failure))
                    .is_some_and(|h| handler_calls_back(&h, callback, &with(enclosing, &h), depth));
            if !is_metadata_update(source) || !passes_error {
                return None;
            }
            true
        }
        _ => false,
    };
    if links[1.min(links.len())..]
        .iter()
        .any(|(_, _, failure)| failure.is_some())
    {
        return None;
    }
    let links: Vec<(Atom, &Expr)> = links.into_iter().map(|(m, h, _)| (m, h)).collect();
    let mut links = links;
    let catch = match links.last() {
        Some((method, handler)) if method == "catch" => {
            let catch = match unparen(handler) {
                Expr::Ident(ident) if &ident.sym == callback => Catch::Callback,
                other => Catch::Handler(promise_handler(other)?),
            };
            links.pop();
            Some(catch)
        }
        _ => None,
    };
    if links.is_empty() || links.iter().any(|(method, _)| method != "then") {
        return None;
    }
    let steps = links
        .iter()
        .map(|(_, handler)| promise_handler(unparen(handler)))
        .collect::<Option<Vec<_>>>()?;
    if has_multiline_template(expr) {
        // Reindenting the handlers would change the text of the template.
        return None;
    }
    let chain = AwaitableChain {
        source,
        steps,
        catch,
        drops_failure_handler,
    };
    chain
        .is_awaitable(callback, enclosing, depth)
        .then_some(chain)
}

fn handler_of(expr: &Expr) -> Option<Handler<'_>> {
    let (params, body) = match expr {
        Expr::Arrow(arrow) if !arrow.is_generator => {
            let body = match &*arrow.body {
                ArrowFunctionBody::Expr(expr) => Body::Expr(expr),
                ArrowFunctionBody::FunctionBody(block) => Body::Block(block),
            };
            (arrow.params.iter().collect::<Vec<_>>(), body)
        }
        Expr::Fn(function) if function.ident.is_none() && !function.function.is_generator => {
            let block = function.function.body.as_ref()?;
            if uses_own_this_or_arguments(block) {
                return None;
            }
            let params = function.function.params.iter().map(|p| &p.pat).collect();
            (params, Body::Block(block))
        }
        _ => return None,
    };
    Some(Handler { params, body })
}

/// A promise handler takes at most one plain parameter.
fn promise_handler(expr: &Expr) -> Option<Handler<'_>> {
    handler_of(expr).filter(|h| match h.params.as_slice() {
        [] => true,
        [param] => !matches!(param, Pat::Rest(_) | Pat::Assign(_)),
        _ => false,
    })
}

impl AwaitableChain<'_> {
    fn is_awaitable(&self, callback: &Atom, enclosing: &Names, depth: usize) -> bool {
        let (_, earlier) = self.steps.split_last().expect("at least one step");
        let passes_values = earlier.iter().all(|step| returns_only_at_end(step))
            && !references(self.source, callback)
            && earlier.iter().all(|step| !step_references(step, callback));
        passes_values
            && self.names_stay_apart(callback, enclosing)
            && self
                .final_handlers(enclosing)
                .iter()
                .all(|(handler, names)| handler_calls_back(handler, callback, names, depth))
    }

    /// The last step (every step's names are in scope there) and the `catch` handler.
    fn final_handlers(&self, enclosing: &Names) -> Vec<(&Handler<'_>, Names)> {
        let mut names = enclosing.clone();
        for step in &self.steps {
            names.extend(step.names());
        }
        let last = self.steps.last().expect("at least one step");
        let mut handlers = vec![(last, names)];
        if let Some(Catch::Handler(handler)) = &self.catch {
            handlers.push((handler, with(enclosing, handler)));
        }
        handlers
    }

    /// Inlined into one block, the handlers' names must not meet: no two declare the same name,
    /// none is declared next to the chain, and no code refers to a name another handler declares.
    fn names_stay_apart(&self, callback: &Atom, enclosing: &Names) -> bool {
        let declared: Vec<Names> = self.steps.iter().map(Handler::names).collect();
        let mut seen = Names::new();
        for names in &declared {
            for name in names {
                if seen.contains(name) || enclosing.contains(name) || name == callback {
                    return false;
                }
                seen.push(name.clone());
            }
        }
        if let Some(Catch::Handler(handler)) = &self.catch {
            if handler.names().contains(callback) {
                return false;
            }
        }
        declared.iter().enumerate().all(|(i, names)| {
            names.iter().all(|name| {
                !references(self.source, name)
                    && self
                        .steps
                        .iter()
                        .enumerate()
                        .all(|(j, step)| i == j || !step_references(step, name))
            })
        })
    }
}

fn step_references(step: &Handler<'_>, name: &Atom) -> bool {
    match step.body {
        Body::Expr(expr) => references(expr, name),
        Body::Block(block) => references(block, name),
    }
}

/// A step before the last passes a value on: its only `return` is its last statement.
fn returns_only_at_end(step: &Handler<'_>) -> bool {
    let Body::Block(block) = step.body else {
        return true;
    };
    let Some((Stmt::Return(ReturnStmt { arg: Some(_), .. }), rest)) = block.stmts.split_last()
    else {
        return false;
    };
    let mut returns = OwnReturns::default();
    rest.iter().for_each(|s| s.visit_with(&mut returns));
    returns.count == 0
}

/// `expr` without parentheses and a leading `void`.
pub(super) fn unparen_void(expr: &Expr) -> &Expr {
    match unparen(expr) {
        Expr::Unary(unary) if unary.op == UnaryOp::Void => unparen(&unary.arg),
        other => other,
    }
}

pub(super) fn is_callback_call(expr: &Expr, callback: &Atom) -> bool {
    let expr = unparen_void(expr);
    matches!(expr, Expr::Call(call) if matches!(&call.callee, Callee::Expr(callee)
        if matches!(unparen(callee), Expr::Ident(c) if &c.sym == callback)))
}

fn is_callback_statement(stmt: &Stmt, callback: &Atom) -> bool {
    statement_expr(stmt).is_some_and(|e| is_callback_call(e, callback))
}

/// Every path through `stmts` ends in a callback call, a throw, or `nested` awaitable work.
fn ends_in_callback(stmts: &[Stmt], callback: &Atom, nested: &[Span]) -> bool {
    let Some(last) = stmts.iter().rev().find(|s| !matches!(s, Stmt::Empty(_))) else {
        return false;
    };
    match last {
        Stmt::Throw(_) => true,
        Stmt::Block(block) => ends_in_callback(&block.stmts, callback, nested),
        Stmt::If(branch) => {
            let ends = |s: &Stmt| ends_in_callback(std::slice::from_ref(s), callback, nested);
            ends(&branch.cons) && branch.alt.as_deref().is_some_and(ends)
        }
        other => is_callback_statement(other, callback) || nested.contains(&other.span()),
    }
}

/// Every `return` in the handler hands its outcome to the callback: `return callback(…)`, or a
/// bare `return;` right after a callback call.
fn returns_only_after_callback(stmts: &[Stmt], callback: &Atom) -> bool {
    let mut check = ReturnsAfterCallback {
        callback,
        after_callback: Vec::new(),
        ok: true,
    };
    check.visit_stmts(stmts);
    check.ok
}

struct ReturnsAfterCallback<'c> {
    callback: &'c Atom,
    /// Bare `return;` statements that directly follow a callback call.
    after_callback: Vec<Span>,
    ok: bool,
}

impl Visit for ReturnsAfterCallback<'_> {
    fn visit_stmts(&mut self, stmts: &[Stmt]) {
        for pair in stmts.windows(2) {
            if matches!(&pair[1], Stmt::Return(r) if r.arg.is_none())
                && is_callback_statement(&pair[0], self.callback)
            {
                self.after_callback.push(pair[1].span());
            }
        }
        stmts.iter().for_each(|s| s.visit_with(self));
    }
    fn visit_return_stmt(&mut self, ret: &ReturnStmt) {
        self.ok &= match ret.arg.as_deref() {
            Some(arg) => is_callback_call(arg, self.callback),
            None => self.after_callback.contains(&ret.span),
        };
    }
    fn visit_function(&mut self, _: &swc_ecma_ast::Function) {}
    fn visit_arrow_expr(&mut self, _: &swc_ecma_ast::ArrowExpr) {}
    fn visit_class(&mut self, _: &swc_ecma_ast::Class) {}
}

#[derive(Default)]
struct OwnReturns {
    count: usize,
}

impl Visit for OwnReturns {
    fn visit_return_stmt(&mut self, _: &ReturnStmt) {
        self.count += 1;
    }
    fn visit_function(&mut self, _: &swc_ecma_ast::Function) {}
    fn visit_arrow_expr(&mut self, _: &swc_ecma_ast::ArrowExpr) {}
    fn visit_class(&mut self, _: &swc_ecma_ast::Class) {}
}

/// The callback is mentioned inside a function nested in `block`, other than in the `awaited`
/// statements, which are converted themselves.
fn calls_back_from_nested_functions(
    block: &FunctionBody,
    callback: &Atom,
    awaited: &[Span],
) -> bool {
    struct Nested<'c> {
        callback: &'c Atom,
        awaited: &'c [Span],
        depth: usize,
        found: bool,
    }
    impl Visit for Nested<'_> {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            if !self.awaited.contains(&stmt.span()) {
                stmt.visit_children_with(self);
            }
        }
        fn visit_ident(&mut self, ident: &Ident) {
            self.found |= self.depth > 0 && &ident.sym == self.callback;
        }
        fn visit_function(&mut self, f: &swc_ecma_ast::Function) {
            self.depth += 1;
            f.visit_children_with(self);
            self.depth -= 1;
        }
        fn visit_arrow_expr(&mut self, a: &swc_ecma_ast::ArrowExpr) {
            self.depth += 1;
            a.visit_children_with(self);
            self.depth -= 1;
        }
    }
    let mut nested = Nested {
        callback,
        awaited,
        depth: 0,
        found: false,
    };
    block.visit_with(&mut nested);
    nested.found
}

/// Whether `node` mentions the identifier `name` anywhere.
fn references<N: for<'n> VisitWith<Mentions<'n>> + ?Sized>(node: &N, name: &Atom) -> bool {
    let mut mentions = Mentions { name, found: false };
    node.visit_with(&mut mentions);
    mentions.found
}

struct Mentions<'n> {
    name: &'n Atom,
    found: bool,
}

impl Visit for Mentions<'_> {
    fn visit_ident(&mut self, ident: &Ident) {
        self.found |= &ident.sym == self.name;
    }
}

/// `this` or `arguments` of the handler function itself.
fn uses_own_this_or_arguments(block: &FunctionBody) -> bool {
    struct Own {
        found: bool,
    }
    impl Visit for Own {
        fn visit_this_expr(&mut self, _: &swc_ecma_ast::ThisExpr) {
            self.found = true;
        }
        fn visit_ident(&mut self, ident: &Ident) {
            self.found |= ident.sym == "arguments";
        }
        fn visit_function(&mut self, _: &swc_ecma_ast::Function) {}
        fn visit_class(&mut self, _: &swc_ecma_ast::Class) {}
    }
    let mut own = Own { found: false };
    block.visit_with(&mut own);
    own.found
}

fn has_multiline_template(expr: &Expr) -> bool {
    struct Templates {
        multiline: bool,
    }
    impl Visit for Templates {
        fn visit_tpl(&mut self, tpl: &swc_ecma_ast::Tpl) {
            self.multiline |= tpl.quasis.iter().any(|q| q.raw.contains('\n'));
            tpl.visit_children_with(self);
        }
    }
    let mut templates = Templates { multiline: false };
    expr.visit_with(&mut templates);
    templates.multiline
}

/// `auth0.users.updateAppMetadata(…)` / `updateUserMetadata(…)`.
fn is_metadata_update(expr: &Expr) -> bool {
    matches!(unparen(expr), Expr::Call(call) if is_metadata_update_call(call))
}

pub(super) fn is_metadata_update_call(call: &CallExpr) -> bool {
    super::recognise::auth0_metadata_update(call).is_some()
}
