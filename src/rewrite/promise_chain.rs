//! Promise chains that end in the callback become `await` with `try`/`catch`.
//!
//! Rule:
//! ```js
//! fetch('https://loyalty.example.com/members/' + user.user_id)
//!   .then(function (res) { return res.json(); })
//!   .then(function (member) {
//!     if (member.banned) return callback(new Error('Suspended'));
//!     context.idToken['https://example.com/tier'] = member.tier;
//!     callback(null, user, context);
//!   })
//!   .catch(function (err) {
//!     callback(err);
//!   });
//! ```
//! Action:
//! ```js
//! try {
//!   const res = await fetch('https://loyalty.example.com/members/' + event.user.user_id);
//!   const member = await res.json();
//!   if (member.banned) return api.access.deny('Suspended');
//!   api.idToken.setCustomClaim('https://example.com/tier', member.tier);
//! } catch (err) {
//!   return err ? api.access.deny(err.message ?? String(err)) : undefined;
//! }
//! ```
//! `.then(a).catch(b)` and `try { a } catch { b }` catch the same errors, so every path keeps
//! its outcome. A chain starting with `auth0.users.update*Metadata(…)` for the user's own
//! metadata starts with the `api.user.set*Metadata` calls instead.
//!
//! Refused (the rule keeps its callback as a shim, `R2A108`): anything may run after the
//! chain, a `.then` with two handlers or a `.finally`, a step before the last that does not end
//! in `return value`, a last handler that can finish without calling back or that calls back
//! from a nested function, handlers that use `this` or `arguments`, and handlers whose names
//! would meet once they share one block.

use swc_common::Spanned;
use swc_ecma_ast::{CallExpr, Callee, Expr, Pat, Stmt};
use swc_ecma_visit::VisitWith;

use super::promise_shape::{self, Awaitable, AwaitableChain, Body, Catch, Handler};
use super::{Flow, Param, Rewriter};
use crate::edit::Edit;
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;
use crate::span::{indentation_at, newline_of, Span};

/// Lines of the Action's code, without indentation; empty strings are blank lines.
pub(super) type Lines = Vec<String>;

impl Rewriter<'_> {
    /// Rewrites the statement `statement` holding `expr` when the asynchronous work in it can be
    /// awaited: a promise chain here, a node-style call in `node_callback.rs`.
    pub(super) fn awaited_chain(&mut self, expr: &Expr, statement: swc_common::Span) -> bool {
        if self.depth > 0 {
            return false;
        }
        let Some(names) = self
            .calls
            .awaitable
            .iter()
            .find(|(s, _)| *s == statement)
            .map(|(_, names)| names.clone())
        else {
            return false;
        };
        let Some(callback) = self.bindings.name(Param::Callback).cloned() else {
            return false;
        };
        let Some(work) = promise_shape::awaitable(expr, &callback, &names) else {
            return false;
        };
        let statement = self.span(statement);
        let last_in_rule_body = self.flow.last_in_rule_body;
        let mark = self.out.edits.len();
        let awaited = match &work {
            Awaitable::Chain(chain) => {
                // `api.user.set*Metadata` does not fail: with nothing else in the chain that
                // could throw, a `catch` would be dead code.
                let cannot_fail = self.only_own_metadata_then_callback(chain);
                let body = self.chain_body(chain, last_in_rule_body);
                let catch = chain
                    .catch
                    .as_ref()
                    .filter(|_| !cannot_fail)
                    .map(|c| self.catch_body(c, last_in_rule_body));
                Awaited {
                    comments: self.comments_between_handlers(statement, chain),
                    body,
                    catch,
                }
            }
            Awaitable::NodeCallback(call) => Awaited {
                comments: Lines::new(),
                body: self.node_callback_body(call, last_in_rule_body),
                catch: None,
            },
        };
        if let Some(stray) = self.out.edits[mark..]
            .iter()
            .find(|e| e.span.end > statement.start && e.span.start < statement.end)
        {
            self.out.internal_error = Some(format!("an edit inside awaited work: {stray:?}"));
        }
        self.calls.uses += 1;
        let text = self.awaited_text(statement, awaited);
        self.replace(Family::PromiseChain, statement, text);
        let finding = match &work {
            Awaitable::Chain(chain) => Finding::new(
                Code::PromiseChainAwaited,
                self.span(chain.source.span()),
                "the promise chain is awaited: its handlers run in order inside the Action",
            )
            .with_help("the `.catch` handler became a `catch` block that handles the same errors"),
            Awaitable::NodeCallback(call) => Finding::new(
                Code::NodeCallbackAwaited,
                self.span(call.call.span),
                "the call is awaited: its handler's statements follow it in the Action",
            )
            .with_help("the handler's parameters are the values the call passed to it"),
        };
        self.report(finding);
        true
    }

    /// The statement's new text: the body, in a `try` when there is a `catch`, in braces when
    /// the statement stood alone as an `if` branch.
    fn awaited_text(&self, statement: Span, awaited: Awaited) -> String {
        let indent = indentation_at(self.source, statement.start).to_string();
        let unit = if self.handler.indent.is_empty() {
            "  ".to_string()
        } else {
            self.handler.indent.clone()
        };
        let mut lines = awaited.comments;
        match awaited.catch {
            Some((param, handler_lines)) => {
                lines.push("try {".to_string());
                lines.extend(awaited.body.into_iter().map(|l| indented(&unit, l)));
                lines.push(format!("}} catch ({param}) {{"));
                lines.extend(handler_lines.into_iter().map(|l| indented(&unit, l)));
                lines.push("}".to_string());
            }
            None if self.flow.in_list => lines.extend(awaited.body),
            None => {
                lines.push("{".to_string());
                lines.extend(awaited.body.into_iter().map(|l| indented(&unit, l)));
                lines.push("}".to_string());
            }
        }
        lines
            .iter()
            .flat_map(|entry| entry.split('\n'))
            .enumerate()
            .map(|(i, line)| match (i, line.trim().is_empty()) {
                (_, true) => String::new(),
                (0, _) => line.to_string(),
                _ => format!("{indent}{line}"),
            })
            .collect::<Vec<_>>()
            .join(newline_of(self.source))
    }
}

/// The pieces of an awaited statement, as lines relative to its indentation.
struct Awaited {
    /// Comments that sat between the pieces the Action keeps.
    comments: Lines,
    body: Lines,
    /// The catch parameter and block.
    catch: Option<(String, Lines)>,
}

/// `unit` in front of every line of `entry` that is not blank.
fn indented(unit: &str, entry: String) -> String {
    entry
        .split('\n')
        .map(|line| {
            if line.trim().is_empty() {
                String::new()
            } else {
                format!("{unit}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl Rewriter<'_> {
    /// The awaited source and the `.then` steps, as lines.
    fn chain_body(&mut self, chain: &AwaitableChain<'_>, last_in_rule_body: bool) -> Lines {
        let mut lines = Lines::new();
        let mut value = match self.metadata_source(chain) {
            Some(persisted) => {
                lines.extend(persisted);
                None
            }
            None => Some(self.relative_text(chain.source)),
        };
        let (last, earlier) = chain.steps.split_last().expect("at least one step");
        for step in earlier {
            let names = step.names();
            self.with_scope(names, |this| {
                this.bind(step.param(), value.take(), &mut lines);
                let (stmts, passed) = step.passes_on();
                if let Body::Block(block) = step.body {
                    let return_start = stmts_end(this, block, stmts);
                    let before_return = Span::new(this.span(block.span).start + 1, return_start);
                    lines.extend(this.statements_text(stmts, before_return, false));
                }
                // `return x;` hands the next step its `x`.
                value = Some(this.relative_text(passed));
            });
        }
        let names = last.names();
        self.with_scope(names, |this| {
            this.bind(last.param(), value.take(), &mut lines);
            lines.extend(this.handler_text(last, last_in_rule_body));
        });
        lines
    }

    /// `const <param> = await <value>;`, or `await <value>;` for a step without a parameter.
    fn bind(&mut self, param: Option<&Pat>, value: Option<String>, lines: &mut Lines) {
        let Some(value) = value else {
            return;
        };
        match param {
            None => lines.push(format!("await {value};")),
            Some(pattern) => {
                let text = self
                    .rewritten_piece(self.span(pattern.span()), |this| pattern.visit_with(this));
                let mut names = Vec::new();
                super::scope::pattern_names(pattern, &mut names);
                let reassigned = names.iter().any(|n| self.reassigned.contains(n));
                let keyword = if reassigned { "let" } else { "const" };
                lines.push(format!("{keyword} {text} = await {value};"));
            }
        }
    }

    /// The chain updates the user's own metadata, then calls back from a single step whose
    /// statements are all callback calls with constant arguments: nothing in it can throw.
    fn only_own_metadata_then_callback(&self, chain: &AwaitableChain<'_>) -> bool {
        let Expr::Call(call) = chain.source else {
            return false;
        };
        let updates: Vec<&CallExpr> = all_of(call).unwrap_or_else(|| vec![call]);
        let own = updates
            .iter()
            .all(|u| promise_shape::is_metadata_update_call(u) && self.persists_own_metadata(u));
        let [step] = chain.steps.as_slice() else {
            return false;
        };
        let constant_callback = |expr: &Expr| {
            self.as_callback_call(expr).is_some_and(|call| {
                call.args
                    .iter()
                    .all(|arg| match super::walk::unparen(&arg.expr) {
                        Expr::Lit(_) | Expr::Ident(_) => true,
                        Expr::New(new) => new
                            .args
                            .iter()
                            .flatten()
                            .all(|a| matches!(super::walk::unparen(&a.expr), Expr::Lit(_))),
                        _ => false,
                    })
            })
        };
        let calls_only = match step.body {
            Body::Expr(expr) => constant_callback(expr),
            Body::Block(block) => block.stmts.iter().all(|stmt| match stmt {
                Stmt::Expr(e) => constant_callback(&e.expr),
                Stmt::Return(r) => r.arg.as_deref().is_none_or(constant_callback),
                Stmt::Empty(_) => true,
                _ => false,
            }),
        };
        own && step.param().is_none() && calls_only
    }

    /// The user's own metadata update at the start of the chain, as `api.user` calls.
    /// `Promise.all([…])` of such updates becomes all their calls.
    fn metadata_source(&mut self, chain: &AwaitableChain<'_>) -> Option<Lines> {
        let Expr::Call(call) = chain.source else {
            return None;
        };
        let updates: Vec<&CallExpr> = match all_of(call) {
            Some(elements) => elements,
            None => vec![call],
        };
        let convertible = updates
            .iter()
            .all(|u| promise_shape::is_metadata_update_call(u) && self.persists_own_metadata(u));
        if chain.steps[0].param().is_some() || !convertible {
            return None;
        }
        let caught = if chain.catch.is_some() || chain.drops_failure_handler {
            super::metadata::Caught::Denied
        } else {
            super::metadata::Caught::Nothing
        };
        let mut lines = Lines::new();
        for update in updates {
            lines.extend(self.persisted_metadata(update, caught)?);
        }
        Some(lines)
    }

    /// The catch parameter and block of `.catch(handler)`.
    fn catch_body(&mut self, catch: &Catch<'_>, last_in_rule_body: bool) -> (String, Lines) {
        match catch {
            Catch::Callback => {
                let error = self.free_name("error");
                let api = &self.api;
                (
                    error.clone(),
                    vec![format!(
                        "return {error} ? {api}.access.deny({error}.message ?? String({error})) : undefined;"
                    )],
                )
            }
            Catch::Handler(handler) => {
                let param = match handler.param() {
                    Some(pattern) => self.rewritten_piece(self.span(pattern.span()), |this| {
                        pattern.visit_with(this)
                    }),
                    None => self.free_name("error"),
                };
                let names = handler.names();
                let mut lines = Lines::new();
                self.with_scope(names, |this| {
                    lines = this.handler_text(handler, last_in_rule_body);
                });
                (param, lines)
            }
        }
    }

    /// The body of the last `.then` handler or of the `.catch` handler, callbacks converted as
    /// if the handler's statements stood where the chain was.
    pub(super) fn handler_text(&mut self, handler: &Handler<'_>, last_in_rule_body: bool) -> Lines {
        match handler.body {
            Body::Expr(expr) => {
                let call = match promise_shape::unparen_void(expr) {
                    Expr::Call(call) => call,
                    _ => unreachable!("checked by `recognise`"),
                };
                let span = self.span(expr.span());
                let saved = self.flow;
                self.flow = Flow {
                    in_list: true,
                    ..Flow::default()
                };
                let text =
                    self.rewritten_piece(span, |this| this.callback_statement(span, call, true));
                self.flow = saved;
                if text == "return;" && last_in_rule_body {
                    Lines::new()
                } else {
                    vec![text]
                }
            }
            Body::Block(block) => {
                let window = self.span(block.span);
                let window = Span::new(window.start + 1, window.end - 1);
                self.statements_text(&block.stmts, window, last_in_rule_body)
            }
        }
    }

    /// Visits `stmts` as a statement list whose end is the end of the chain, and returns the
    /// text of `window` with their rewrites, as lines without their old indentation.
    fn statements_text(&mut self, stmts: &[Stmt], window: Span, last_in_rule_body: bool) -> Lines {
        let saved = self.flow;
        self.flow = Flow::default();
        let text = self.rewritten_piece(window, |this| {
            this.visit_statement_list(stmts, last_in_rule_body)
        });
        self.flow = saved;
        let old_indent = stmts
            .first()
            .map(|s| self.span(s.span()).start)
            .filter(|&start| self.source[..start].ends_with([' ', '\t', '\n']))
            .map_or("", |start| indentation_at(self.source, start));
        dedent(&text, old_indent)
    }

    /// `expr` rewritten, its continuation lines made relative to the line it starts on.
    pub(super) fn relative_text(&mut self, expr: &Expr) -> String {
        let text = self.rewritten(expr);
        self.relative_lines(text, self.span(expr.span()).start)
    }

    /// `text`, which started at `start`, with its continuation lines made relative to the line
    /// it started on.
    pub(super) fn relative_lines(&self, text: String, start: usize) -> String {
        if !text.contains('\n') {
            return text;
        }
        let old = indentation_at(self.source, start);
        text.lines()
            .map(|line| line.strip_prefix(old).unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Runs `visit` and returns the text of `window` with the edits it made there. Edits it made
    /// elsewhere (declarations at the top of the handler) stay.
    pub(super) fn rewritten_piece(
        &mut self,
        window: Span,
        visit: impl FnOnce(&mut Self),
    ) -> String {
        let (inside, outside): (Vec<Edit>, Vec<Edit>) = self
            .capture(visit)
            .into_iter()
            .partition(|e| window.contains(e.span));
        self.out.edits.extend(outside);
        self.render(window, &inside)
    }

    /// Comments that sat between the handlers, outside every piece the Action keeps.
    fn comments_between_handlers(&self, statement: Span, chain: &AwaitableChain<'_>) -> Lines {
        let mut kept: Vec<Span> = vec![self.span(chain.source.span())];
        let handlers = chain.steps.iter().chain(match &chain.catch {
            Some(Catch::Handler(h)) => Some(h),
            _ => None,
        });
        for handler in handlers {
            for param in &handler.params {
                kept.push(self.span(param.span()));
            }
            kept.push(match handler.body {
                Body::Expr(expr) => self.span(expr.span()),
                Body::Block(block) => self.span(block.span),
            });
        }
        kept.sort();
        let mut comments = Lines::new();
        let mut cursor = statement.start;
        for piece in kept
            .iter()
            .chain(std::iter::once(&Span::empty(statement.end)))
        {
            if piece.start > cursor {
                comments.extend(comments_in(&self.source[cursor..piece.start]));
            }
            cursor = cursor.max(piece.end);
        }
        comments
    }
}

/// Removes `old` indentation from every line of `text`, trimmed of the blank space around it.
/// (Chains with multi-line template literals are not rewritten: their lines are string content.)
fn dedent(text: &str, old: &str) -> Lines {
    let trimmed = text.trim_end().trim_start_matches([' ', '\t']);
    let trimmed = trimmed.trim_start_matches(['\r', '\n']);
    if trimmed.is_empty() {
        return Lines::new();
    }
    trimmed
        .lines()
        .map(|line| {
            if line.trim().is_empty() {
                String::new()
            } else {
                line.strip_prefix(old)
                    .unwrap_or(line.trim_start())
                    .to_string()
            }
        })
        .collect()
}

/// `//` and `/* */` comments in text that holds no strings.
fn comments_in(gap: &str) -> Lines {
    let mut out = Lines::new();
    let mut rest = gap;
    while let Some(at) = rest.find('/') {
        let after = &rest[at..];
        if let Some(line) = after.strip_prefix("//") {
            let end = line.find('\n').unwrap_or(line.len());
            out.push(format!("//{}", line[..end].trim_end()));
            rest = &line[end..];
        } else if let Some(block) = after.strip_prefix("/*") {
            let end = block.find("*/").map_or(block.len(), |e| e + 2);
            out.push(format!("/*{}", &block[..end]));
            rest = &block[end..];
        } else {
            rest = &after[1..];
        }
    }
    out
}

/// Where the `return` that ends a step's `stmts` starts.
fn stmts_end(rewriter: &Rewriter<'_>, block: &swc_ecma_ast::FunctionBody, stmts: &[Stmt]) -> usize {
    let returned = &block.stmts[stmts.len()];
    rewriter.span(returned.span()).start
}

/// The calls in `Promise.all([a(), b()])` or `q.all([a(), b()])`.
fn all_of(call: &CallExpr) -> Option<Vec<&CallExpr>> {
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    let Expr::Member(member) = &**callee else {
        return None;
    };
    // `Promise.all`, or `q.all` from the promise library of old rules.
    let is_all = matches!(&*member.obj, Expr::Ident(o) if o.sym == "Promise" || o.sym == "q")
        && member.prop.as_ident().is_some_and(|p| p.sym == "all");
    let [argument] = call.args.as_slice() else {
        return None;
    };
    let Expr::Array(array) = &*argument.expr else {
        return None;
    };
    if !is_all || argument.spread.is_some() {
        return None;
    }
    array
        .elems
        .iter()
        .map(|e| match e.as_ref().map(|e| (&*e.expr, e.spread)) {
            Some((Expr::Call(call), None)) => Some(call),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedent_moves_lines_to_the_left_and_keeps_blank_lines() {
        let text = "\n      a();\n\n      if (x) {\n        b();\n      }\n    ";
        assert_eq!(
            dedent(text, "      "),
            ["a();", "", "if (x) {", "  b();", "}"]
        );
    }

    #[test]
    fn comments_between_handlers_are_found() {
        assert_eq!(
            comments_in("\n  // parse the body\n  .then(function (res) /* first */ {"),
            ["// parse the body", "/* first */"]
        );
    }
}
