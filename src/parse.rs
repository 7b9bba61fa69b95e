//! Parsing rules and Actions with swc, without a `SourceMap`: spans map straight to byte offsets.
//!
//! A rule is a function *expression*, which is not a valid script when it is anonymous. The
//! parser first tries the text as a script (named rules, Actions), then as the expression
//! `0,<rule>`, which accepts anonymous and `async` functions and a trailing `;`.

use swc_common::{BytePos, Spanned, SyntaxContext};
use swc_ecma_ast::{
    AssignOp, AssignTarget, Decl, EsVersion, Expr, Function, MemberProp, Script,
    SimpleAssignTarget, Stmt,
};
use swc_ecma_parser::{EsSyntax, Parser, StringInput, Syntax};

use crate::span::Span;

/// swc reserves `BytePos(0)` for dummy spans, so source text starts at 1.
const BASE: u32 = 1;
/// Turns an anonymous function expression into a valid expression statement.
const EXPRESSION_PREFIX: &str = "0,";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

/// What a file holds.
pub enum Parsed {
    Rule(RuleFunction),
    /// Already an Action: the whole script, resolved.
    Action(Box<Script>),
    /// Valid JavaScript, but not a single rule function.
    Other,
}

pub struct RuleFunction {
    pub function: Box<Function>,
    /// From `async`/`function` to the closing `}`, in the original text.
    pub span: Span,
    /// The rule's whole expression, including any parentheses around the function.
    pub outer: Span,
    /// Text around the rule that goes with the header: the function expression that returned
    /// the rule (`(function () { … return function (user, context, callback) {…}; })()`) and
    /// left its declarations at module scope.
    pub wrapper: Vec<Span>,
    /// The syntax context [`crate::semantic::resolve`] gave identifiers no declaration binds.
    pub unresolved: SyntaxContext,
}

/// Byte offsets of a swc span, given where the parsed text started in the original.
#[derive(Clone, Copy)]
pub struct Offsets {
    shift: u32,
}

impl Offsets {
    pub fn span(self, span: swc_common::Span) -> Span {
        Span::new(self.offset(span.lo), self.offset(span.hi))
    }

    /// Whether `pos` lies in the original text, not in what parsing put before it.
    pub fn in_text(self, pos: BytePos) -> bool {
        pos.0 >= self.shift
    }

    pub fn offset(self, pos: BytePos) -> usize {
        pos.0.saturating_sub(self.shift) as usize
    }
}

/// A rule, an Action or other code; a rule's identifiers come resolved to their bindings.
pub fn parse_rule(text: &str) -> Result<(Parsed, Offsets), SyntaxError> {
    let (mut script, offsets) = parse_code(text)?;
    let unresolved = crate::semantic::resolve(&mut script);
    let mut parsed = if offsets.shift == BASE {
        classify_script(script, offsets)
    } else {
        classify_expression(script, offsets)
    };
    if let Parsed::Rule(rule) = &mut parsed {
        rule.unresolved = unresolved;
    }
    Ok((parsed, offsets))
}

/// Any code that is a rule or an Action: the script, and the offsets of its spans in `text`.
/// The text is tried as a script first (named rules, Actions), then as the expression
/// `0,<text>` (anonymous and `async` rule functions).
pub fn parse_code(text: &str) -> Result<(Script, Offsets), SyntaxError> {
    let as_script = Offsets { shift: BASE };
    let script_error = match parse_script(text, as_script) {
        Ok(script) => return Ok((script, as_script)),
        Err(error) => error,
    };
    let as_expression = Offsets {
        shift: BASE + EXPRESSION_PREFIX.len() as u32,
    };
    match parse_script(&format!("{EXPRESSION_PREFIX}{text}"), as_expression) {
        Ok(script) => Ok((script, as_expression)),
        // Report whichever attempt got further into the text.
        Err(error) if error.span.start >= script_error.span.start => Err(error),
        Err(_) => Err(script_error),
    }
}

/// Checks that generated code is a valid script.
pub fn check_script(text: &str) -> Result<(), SyntaxError> {
    parse_script(text, Offsets { shift: BASE }).map(drop)
}

fn parse_script(text: &str, offsets: Offsets) -> Result<Script, SyntaxError> {
    let input = StringInput::new(text, BytePos(BASE), BytePos(BASE + text.len() as u32));
    let syntax = Syntax::Es(EsSyntax::default());
    let lexer = swc_ecma_parser::lexer::Lexer::new(syntax, EsVersion::latest(), input, None);
    let mut parser = Parser::new_from(lexer);
    let to_error = |e: swc_ecma_parser::error::Error| {
        let span = offsets.span(e.span());
        SyntaxError {
            span: Span::new(span.start.min(text.len()), span.end.min(text.len())),
            message: e.kind().msg().into_owned(),
        }
    };
    let script = parser.parse_script().map_err(to_error)?;
    // Recovered errors mean swc only half understood the code: never convert that.
    if let Some(error) = parser.take_errors().into_iter().next() {
        return Err(to_error(error));
    }
    // Node rejects a name declared twice in one scope; swc's parser accepts it.
    match crate::redeclared::first_redeclaration(&script) {
        Some((name, span)) => {
            let span = offsets.span(span);
            Err(SyntaxError {
                span: Span::new(span.start.min(text.len()), span.end.min(text.len())),
                message: format!("Identifier '{name}' has already been declared"),
            })
        }
        None => Ok(script),
    }
}

fn significant(script: Script) -> Vec<Stmt> {
    script
        .body
        .into_iter()
        .filter(|s| !matches!(s, Stmt::Empty(_)))
        .collect()
}

fn classify_script(script: Script, offsets: Offsets) -> Parsed {
    if script.body.iter().any(is_action_export) {
        return Parsed::Action(Box::new(script));
    }
    let mut body = significant(script);
    if body.len() != 1 {
        return Parsed::Other;
    }
    match body.pop() {
        Some(Stmt::Decl(Decl::Fn(decl))) => Parsed::Rule(RuleFunction {
            span: offsets.span(decl.function.span),
            outer: offsets.span(decl.function.span),
            function: decl.function,
            wrapper: Vec::new(),
            unresolved: SyntaxContext::empty(),
        }),
        Some(Stmt::Expr(stmt)) => {
            let outer = offsets.span(stmt.expr.span());
            rule_from_expr(*stmt.expr, outer, offsets)
        }
        _ => Parsed::Other,
    }
}

fn classify_expression(script: Script, offsets: Offsets) -> Parsed {
    let mut body = significant(script);
    let Some(Stmt::Expr(stmt)) = body.pop() else {
        return Parsed::Other;
    };
    if !body.is_empty() {
        return Parsed::Other;
    }
    match *stmt.expr {
        Expr::Seq(mut seq) if seq.exprs.len() == 2 => {
            let rule = seq.exprs.remove(1);
            let outer = offsets.span(rule.span());
            rule_from_expr(*rule, outer, offsets)
        }
        _ => Parsed::Other,
    }
}

fn rule_from_expr(expr: Expr, outer: Span, offsets: Offsets) -> Parsed {
    match expr {
        Expr::Fn(fn_expr) => Parsed::Rule(RuleFunction {
            span: offsets.span(fn_expr.function.span),
            outer,
            function: fn_expr.function,
            wrapper: Vec::new(),
            unresolved: SyntaxContext::empty(),
        }),
        Expr::Call(call) => rule_from_wrapper(call, outer, offsets),
        Expr::Paren(paren) => rule_from_expr(*paren.expr, outer, offsets),
        // `module.exports = function (user, context, callback) {…}`: the assignment goes with
        // the rule's header.
        Expr::Assign(assign)
            if assign.op == AssignOp::Assign && is_module_exports(&assign.left) =>
        {
            match rule_from_expr(*assign.right, outer, offsets) {
                Parsed::Rule(rule) => Parsed::Rule(RuleFunction {
                    span: Span::new(outer.start, rule.span.end),
                    ..rule
                }),
                other => other,
            }
        }
        _ => Parsed::Other,
    }
}

/// `(function () { const X = …; function helper() {…} return function (user, context, callback)
/// {…}; })()`: declarations, then the rule, returned. The declarations stay, at module scope,
/// when they use nothing of the Rules sandbox.
fn rule_from_wrapper(call: swc_ecma_ast::CallExpr, outer: Span, offsets: Offsets) -> Parsed {
    let swc_ecma_ast::Callee::Expr(callee) = call.callee else {
        return Parsed::Other;
    };
    let mut callee = *callee;
    while let Expr::Paren(paren) = callee {
        callee = *paren.expr;
    }
    let body = match callee {
        Expr::Fn(f)
            if f.function.params.is_empty() && !f.function.is_async && !f.function.is_generator =>
        {
            f.function.body
        }
        Expr::Arrow(a) if a.params.is_empty() && !a.is_async => match *a.body {
            swc_ecma_ast::ArrowFunctionBody::FunctionBody(block) => Some(block),
            swc_ecma_ast::ArrowFunctionBody::Expr(_) => None,
        },
        _ => None,
    };
    let Some(mut body) = body.filter(|_| call.args.is_empty()) else {
        return Parsed::Other;
    };
    let Some(Stmt::Return(returned)) = body.stmts.pop() else {
        return Parsed::Other;
    };
    let declarations_only = body.stmts.iter().all(|s| matches!(s, Stmt::Decl(_)));
    let mut uses = SandboxUses::default();
    body.stmts
        .iter()
        .for_each(|s| swc_ecma_visit::VisitWith::visit_with(s, &mut uses));
    let Some(Expr::Fn(rule)) = returned.arg.map(|a| *a) else {
        return Parsed::Other;
    };
    if !declarations_only || uses.found {
        return Parsed::Other;
    }
    let returned_span = offsets.span(returned.span);
    let function = offsets.span(rule.function.span);
    let first = body
        .stmts
        .first()
        .map_or(returned_span.start, |s| offsets.span(s.span()).start);
    Parsed::Rule(RuleFunction {
        span: Span::new(returned_span.start, function.end),
        outer: Span::new(returned_span.start, outer.end),
        function: rule.function,
        wrapper: vec![
            Span::new(outer.start, first),
            Span::new(function.end, outer.end),
        ],
        unresolved: SyntaxContext::empty(),
    })
}

/// Whether code names anything the Rules sandbox provided, which module scope lacks.
#[derive(Default)]
struct SandboxUses {
    found: bool,
}

impl swc_ecma_visit::Visit for SandboxUses {
    fn visit_ident(&mut self, ident: &swc_ecma_ast::Ident) {
        let rules_global = [
            "configuration",
            "auth0",
            "UnauthorizedError",
            "global",
            "require",
        ]
        .contains(&ident.sym.as_ref());
        self.found |= rules_global || crate::tables::modules::sandbox_global(&ident.sym).is_some();
    }
}

/// `module.exports`, the target of a rule written as a module.
fn is_module_exports(target: &AssignTarget) -> bool {
    let AssignTarget::Simple(SimpleAssignTarget::Member(member)) = target else {
        return false;
    };
    let is_module = matches!(&*member.obj, Expr::Ident(module) if module.sym == "module");
    is_module && matches!(&member.prop, MemberProp::Ident(p) if p.sym == "exports")
}

/// `exports.onExecutePostLogin = …` or `module.exports.onContinuePostLogin = …`.
fn is_action_export(stmt: &Stmt) -> bool {
    let Stmt::Expr(expr_stmt) = stmt else {
        return false;
    };
    let mut expr = &*expr_stmt.expr;
    while let Expr::Paren(paren) = expr {
        expr = &paren.expr;
    }
    let Expr::Assign(assign) = expr else {
        return false;
    };
    let AssignTarget::Simple(SimpleAssignTarget::Member(member)) = &assign.left else {
        return false;
    };
    let MemberProp::Ident(prop) = &member.prop else {
        return false;
    };
    let is_exports = match &*member.obj {
        Expr::Ident(obj) => &*obj.sym == "exports",
        Expr::Member(inner) => {
            matches!(&*inner.obj, Expr::Ident(m) if &*m.sym == "module")
                && matches!(&inner.prop, MemberProp::Ident(p) if &*p.sym == "exports")
        }
        _ => false,
    };
    is_exports && crate::trigger::is_handler(&prop.sym)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `user` reference, with whether it resolves to the first one declared.
    fn user_references(code: &str) -> Vec<bool> {
        use swc_ecma_ast::Ident;
        use swc_ecma_visit::{Visit, VisitWith};
        let (mut script, _) = parse_code(code).expect("parses");
        crate::semantic::resolve(&mut script);
        struct Refs(Vec<Ident>);
        impl Visit for Refs {
            fn visit_ident(&mut self, ident: &Ident) {
                if &*ident.sym == "user" {
                    self.0.push(ident.clone());
                }
            }
        }
        let mut refs = Refs(Vec::new());
        script.visit_with(&mut refs);
        let first = refs.0[0].ctxt;
        refs.0[1..].iter().map(|i| i.ctxt == first).collect()
    }

    #[test]
    fn a_helper_parameter_shadows_the_rule_parameter_of_the_same_name() {
        let rule = "function rule(user, context, callback) {\n  function label(user) { return user.name; }\n  user.x = label({ name: 'a' });\n  try { } catch (user) { user.y = 1; }\n  callback(null, user, context);\n}";
        // `label`'s parameter and its read, the catch parameter and its write: not the rule's.
        assert_eq!(
            user_references(rule),
            vec![false, false, true, false, false, true]
        );
    }

    /// Node rejects a name declared twice in one scope (`crate::redeclared`).
    fn rejected(code: &str) -> bool {
        check_script(code).is_err()
    }

    #[test]
    fn names_declared_twice_in_one_scope_are_rejected_as_node_does() {
        assert!(rejected("let x; const x = 1;"));
        assert!(rejected("var a; let a;"));
        assert!(rejected("let a; var a;"));
        assert!(rejected("function f(a) { let a; }"));
        assert!(rejected("(a) => { const a = 1; };"));
        assert!(rejected("{ let b; { var b; } }"));
        assert!(rejected("try {} catch (e) { let e; }"));
        assert!(rejected(
            "switch (1) { case 1: let c; break; case 2: let c; }"
        ));
        assert!(rejected("class K {} let K;"));
        assert!(rejected("{ function g() {} let g; }"));
    }

    #[test]
    fn what_javascript_allows_is_accepted() {
        assert!(!rejected("var a; var a; function a() {} function a() {}"));
        assert!(!rejected("let x; { let x; } function f() { let x; }"));
        assert!(!rejected("function f(a) { var a; { let a; } }"));
        assert!(!rejected("try {} catch (e) { var e; }"));
        assert!(!rejected(
            "for (let i = 0; i < 1; i++) { let j; } for (let i of []) {}"
        ));
        assert!(!rejected("{ function g() {} function g() {} }"));
        assert!(!rejected(
            "const o = { a() { let a; }, b: function b() { var b; } };"
        ));
        assert!(!rejected(
            "exports.onExecutePostLogin = async (event, api) => { const event2 = event; };"
        ));
    }

    fn rule_span(text: &str) -> Span {
        match parse_rule(text) {
            Ok((Parsed::Rule(rule), _)) => rule.span,
            _ => panic!("not parsed as a rule: {text}"),
        }
    }

    #[test]
    fn accepts_every_rule_shape() {
        let anonymous = "function (user, context, callback) { callback(null, user, context); }";
        assert_eq!(rule_span(anonymous), Span::new(0, anonymous.len()));
        let named = "/** doc */\nfunction addRoles(u, c, cb) {}\n";
        assert_eq!(rule_span(named).start, named.find("function").unwrap());
        let asynchronous = "async function (user, context, callback) {};";
        assert_eq!(
            rule_span(asynchronous),
            Span::new(0, asynchronous.len() - 1)
        );
    }

    #[test]
    fn recognises_actions_and_other_code() {
        let action = "exports.onExecutePostLogin = async (event, api) => {};";
        assert!(matches!(parse_rule(action), Ok((Parsed::Action(_), _))));
        assert!(matches!(parse_rule("var a = 1;"), Ok((Parsed::Other, _))));
        assert!(matches!(
            parse_rule("function (a) {}\n(x)"),
            Ok((Parsed::Other, _))
        ));
        let wrapped = "(exports.onExecutePostLogin = async (event, api) => {});";
        assert!(matches!(parse_rule(wrapped), Ok((Parsed::Action(_), _))));
    }

    #[test]
    fn syntax_errors_point_into_the_rule() {
        let text = "function (user, context, callback) {\n  var x = ;\n}";
        let error = parse_rule(text).err().expect("syntax error");
        assert_eq!(&text[error.span.start..error.span.start + 1], ";");
    }
}
