//! Checks for Actions that are already Actions (written by hand, or in a repository): each call
//! through a handler's `api` must name a member its trigger has (`R2A013`; the members are the
//! trigger's data, `crate::trigger`, the same that `verify`'s strict `api` is built from), and
//! code that still runs after `api.access.deny` is a warning (`R2A014`). The packages and
//! secrets it uses are counted against the platform's limits like a converted rule's.
//!
//! Action:
//! ```js
//! exports.onExecutePostLogin = async (event, api) => {
//!   api.idToken.addClaim({ 'https://example.com/role': event.user.app_metadata.role });
//! };
//! ```
//! Finding: `api.idToken.addClaim` does not exist (the method is `setCustomClaim(name, value)`).
//! An `api` shadowed by a binding of its own, or reached through a computed member, is not
//! judged. A deny is followed only through the handler's own statements (`if`, blocks, `try`):
//! one inside a loop, or in a function the handler calls, is not judged.

mod claim_names;
mod event_members;
mod unawaited;

use swc_ecma_ast::{
    ArrowFunctionBody, AssignTarget, Callee, Expr, Id, MemberExpr, MemberProp, Pat, Script,
    SimpleAssignTarget, Stmt,
};
use swc_ecma_visit::{Visit, VisitWith};

use std::collections::{BTreeMap, BTreeSet, HashMap};

use self::claim_names::ClaimNames;
use self::event_members::EventMembers;
use self::unawaited::Asynchronous;

use crate::finding::Finding;
use crate::options::ClaimsPolicy;
use crate::parse::Offsets;
use crate::registry::Code;
use crate::tables::modules::{is_core_module, split_versioned};
use crate::trigger::Trigger;

/// What an Action of `trigger` does that Auth0 does not: calls through its `api` and reads of
/// its `event` that name no member of the trigger's (`R2A013`, `R2A015`), code after a deny
/// (`R2A014`), claim names Auth0 drops (`R2A401`–`R2A403`, `R2A408`), and asynchronous work it
/// does not await (`R2A016`).
pub fn check_action(
    script: &Script,
    offsets: Offsets,
    trigger: &Trigger,
    claims_policy: ClaimsPolicy,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let asynchronous = Asynchronous::of(script);
    let mut module_constants = HashMap::new();
    claim_names::string_constants(&script.body, &mut module_constants);
    for stmt in &script.body {
        let Some((handler, function)) = exported_handler(stmt, trigger) else {
            continue;
        };
        if let Some(event) = parameter(function, 0) {
            let mut members = EventMembers {
                event,
                trigger,
                offsets,
                findings: Vec::new(),
            };
            function.visit_with(&mut members);
            findings.extend(members.findings);
        }
        let Some(api) = api_parameter(function) else {
            continue;
        };
        let mut members = ApiMembers {
            api: api.clone(),
            trigger,
            offsets,
            handler,
            findings: Vec::new(),
        };
        function.visit_with(&mut members);
        findings.extend(members.findings);
        let mut constants = module_constants.clone();
        if let Some(body) = handler_body(function) {
            claim_names::string_constants(body, &mut constants);
        }
        let mut claims = ClaimNames {
            api: api.clone(),
            constants,
            claims_policy,
            offsets,
            findings: Vec::new(),
        };
        function.visit_with(&mut claims);
        findings.extend(claims.findings);
        if let Some(body) = handler_body(function) {
            code_after_deny(body, true, &api, offsets, &mut findings);
            unawaited::unawaited(body, &asynchronous, offsets, &mut findings);
        }
    }
    findings.sort_by_key(|f| f.span.start);
    findings
}

/// The trigger of the handlers an Action exports (post-login when it exports none known).
pub fn trigger_of(script: &Script) -> &'static Trigger {
    script
        .body
        .iter()
        .find_map(|stmt| {
            let Expr::Assign(assign) = &*stmt.as_expr()?.expr else {
                return None;
            };
            let AssignTarget::Simple(SimpleAssignTarget::Member(member)) = &assign.left else {
                return None;
            };
            crate::trigger::for_handler(member.prop.as_ident()?.sym.as_str())
        })
        .unwrap_or(crate::trigger::RULES)
}

fn handler_body(function: &Expr) -> Option<&[Stmt]> {
    match function {
        Expr::Arrow(arrow) => match &*arrow.body {
            ArrowFunctionBody::FunctionBody(block) => Some(&block.stmts),
            ArrowFunctionBody::Expr(_) => None,
        },
        Expr::Fn(function) => Some(&function.function.body.as_ref()?.stmts),
        Expr::Paren(paren) => handler_body(&paren.expr),
        _ => None,
    }
}

/// Denies in `stmts` after which more of the handler runs. `ends` says whether falling off the
/// end of `stmts` ends the handler.
fn code_after_deny(
    stmts: &[Stmt],
    ends: bool,
    api: &Id,
    offsets: Offsets,
    findings: &mut Vec<Finding>,
) {
    for (i, stmt) in stmts.iter().enumerate() {
        let next = stmts.get(i + 1);
        let last = next.is_none();
        match stmt {
            Stmt::Expr(expr) if is_deny(&expr.expr, api) => {
                let stops = matches!(next, Some(Stmt::Return(_) | Stmt::Throw(_)));
                // Nothing of the handler runs after it when it is followed by a return, or is
                // the last thing the handler does.
                let nothing_after = stops || (last && ends);
                if !nothing_after {
                    findings.push(
                        Finding::new(
                            Code::CodeAfterDeny,
                            offsets.span(expr.span),
                            "the handler goes on after `api.access.deny`: the code after it still runs",
                        )
                        .with_help("`return api.access.deny(…)` unless the rest is meant to run"),
                    );
                }
            }
            Stmt::If(branch) => {
                let ends = ends && last;
                code_after_deny(
                    std::slice::from_ref(&*branch.cons),
                    ends,
                    api,
                    offsets,
                    findings,
                );
                if let Some(alt) = &branch.alt {
                    code_after_deny(std::slice::from_ref(&**alt), ends, api, offsets, findings);
                }
            }
            Stmt::Block(block) => {
                code_after_deny(&block.stmts, ends && last, api, offsets, findings)
            }
            Stmt::Try(attempt) if attempt.finalizer.is_none() => {
                let ends = ends && last;
                code_after_deny(&attempt.block.stmts, ends, api, offsets, findings);
                if let Some(handler) = &attempt.handler {
                    code_after_deny(&handler.body.stmts, ends, api, offsets, findings);
                }
            }
            _ => {}
        }
    }
}

/// `api.access.deny(…)`, awaited or not.
fn is_deny(expr: &Expr, api: &Id) -> bool {
    let expr = match expr {
        Expr::Await(awaited) => &*awaited.arg,
        other => other,
    };
    let Expr::Call(call) = expr else {
        return false;
    };
    let Callee::Expr(callee) = &call.callee else {
        return false;
    };
    let Expr::Member(deny) = &**callee else {
        return false;
    };
    let Expr::Member(access) = &*deny.obj else {
        return false;
    };
    let named = |prop: &MemberProp, name: &str| prop.as_ident().is_some_and(|p| p.sym == name);
    matches!(&*access.obj, Expr::Ident(ident) if ident.to_id() == *api)
        && named(&access.prop, "access")
        && named(&deny.prop, "deny")
}

/// What an Action written by hand uses that counts against the platform's limits: the npm
/// packages it requires (core modules and relative paths are not dependencies) and the secrets
/// it reads (`event.secrets.NAME` in a handler).
pub fn used_dependencies_and_secrets(
    script: &Script,
    trigger: &Trigger,
) -> (BTreeMap<String, Option<String>>, BTreeSet<String>) {
    let mut requires = Requires::default();
    script.visit_with(&mut requires);
    let mut names = BTreeSet::new();
    for stmt in &script.body {
        let Some((_, function)) = exported_handler(stmt, trigger) else {
            continue;
        };
        if let Some(event) = parameter(function, 0) {
            let mut secrets = Secrets {
                event,
                member: trigger.secrets.event_member,
                names: BTreeSet::new(),
            };
            function.visit_with(&mut secrets);
            names.extend(secrets.names);
        }
    }
    (requires.dependencies, names)
}

/// The npm packages `require`d, with the version a specifier pins.
#[derive(Default)]
struct Requires {
    dependencies: BTreeMap<String, Option<String>>,
}

impl Visit for Requires {
    fn visit_call_expr(&mut self, call: &swc_ecma_ast::CallExpr) {
        let is_require = matches!(&call.callee, Callee::Expr(c) if matches!(&**c, Expr::Ident(i) if i.sym == "require"));
        let specifier = match call.args.first().map(|a| &*a.expr) {
            Some(Expr::Lit(swc_ecma_ast::Lit::Str(s))) => s.value.as_atom().map(|a| a.to_string()),
            _ => None,
        };
        if let (true, Some(specifier)) = (is_require, specifier) {
            let (name, version) = split_versioned(&specifier);
            let local = name.starts_with('.') || name.starts_with('/');
            if !local && !is_core_module(name) {
                self.dependencies
                    .insert(name.to_string(), version.map(str::to_string));
            }
        }
        call.visit_children_with(self);
    }
}

/// `event.secrets.NAME` reads, by the handler's `event` binding.
struct Secrets {
    event: Id,
    member: &'static str,
    names: BTreeSet<String>,
}

impl Visit for Secrets {
    fn visit_member_expr(&mut self, member: &MemberExpr) {
        if let (Expr::Member(inner), Some(name)) = (&*member.obj, member.prop.as_ident()) {
            let from_event = matches!(&*inner.obj, Expr::Ident(i) if i.to_id() == self.event);
            let secrets = inner.prop.as_ident().is_some_and(|p| p.sym == self.member);
            if from_event && secrets {
                self.names.insert(name.sym.to_string());
            }
        }
        member.visit_children_with(self);
    }
}

/// `exports.<handler> = <function>` for one of `trigger`'s handlers.
fn exported_handler<'s>(stmt: &'s Stmt, trigger: &Trigger) -> Option<(&'static str, &'s Expr)> {
    let Expr::Assign(assign) = &*stmt.as_expr()?.expr else {
        return None;
    };
    let AssignTarget::Simple(SimpleAssignTarget::Member(member)) = &assign.left else {
        return None;
    };
    let name = member.prop.as_ident()?.sym.as_str();
    let handler = [Some(trigger.handler), trigger.resume_handler]
        .into_iter()
        .flatten()
        .find(|h| *h == name)?;
    Some((handler, &assign.right))
}

/// The binding of the handler's second parameter, `api` by convention.
fn api_parameter(function: &Expr) -> Option<Id> {
    parameter(function, 1)
}

/// The binding of the handler's parameter at `index` (`event`, `api`).
fn parameter(function: &Expr, index: usize) -> Option<Id> {
    let pattern: &Pat = match function {
        Expr::Arrow(arrow) => arrow.params.get(index)?,
        Expr::Fn(function) => &function.function.params.get(index)?.pat,
        Expr::Paren(paren) => return parameter(&paren.expr, index),
        _ => return None,
    };
    Some(pattern.as_ident()?.id.to_id())
}

struct ApiMembers<'t> {
    api: Id,
    trigger: &'t Trigger,
    offsets: Offsets,
    handler: &'static str,
    findings: Vec<Finding>,
}

impl ApiMembers<'_> {
    fn is_api(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Ident(ident) if ident.to_id() == self.api)
    }

    fn report(&mut self, member: &MemberExpr, path: &str, help: String) {
        self.findings.push(
            Finding::new(
                Code::ActionApiMemberUnknown,
                self.offsets.span(member.span),
                format!(
                    "`api.{path}` does not exist in the {} trigger's `api` ({}): the call throws",
                    self.trigger.id, self.handler
                ),
            )
            .with_help(help),
        );
    }
}

impl Visit for ApiMembers<'_> {
    fn visit_member_expr(&mut self, member: &MemberExpr) {
        let name = |prop: &MemberProp| prop.as_ident().map(|p| p.sym.to_string());
        if self.is_api(&member.obj) {
            if let Some(object) = name(&member.prop) {
                if !self.trigger.api.iter().any(|o| o.name == object) {
                    let objects: Vec<&str> = self.trigger.api.iter().map(|o| o.name).collect();
                    let help = format!("the members of `api` are {}", objects.join(", "));
                    self.report(member, &object, help);
                }
            }
        } else if let Expr::Member(inner) = &*member.obj {
            let object = name(&inner.prop);
            let known = object
                .as_deref()
                .and_then(|o| self.trigger.api.iter().find(|a| a.name == o));
            if let (true, Some(known), Some(method)) =
                (self.is_api(&inner.obj), known, name(&member.prop))
            {
                if !known.methods.contains(&method.as_str()) {
                    let help = if known.methods.contains(&"setCustomClaim") {
                        format!(
                            "set one claim at a time: `api.{}.setCustomClaim(name, value)`",
                            known.name
                        )
                    } else {
                        format!(
                            "`api.{}` has {}",
                            known.name,
                            known
                                .methods
                                .iter()
                                .map(|m| format!("`{m}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    self.report(member, &format!("{}.{method}", known.name), help);
                }
            }
        }
        member.visit_children_with(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_rule, Parsed};

    fn after_deny(action: &str) -> usize {
        let Ok((Parsed::Action(script), offsets)) = parse_rule(action) else {
            panic!("an Action");
        };
        check_action(
            &script,
            offsets,
            &crate::trigger::POST_LOGIN,
            ClaimsPolicy::Enforced,
        )
        .iter()
        .filter(|f| f.code == Code::CodeAfterDeny)
        .count()
    }

    #[test]
    fn a_deny_that_the_handler_goes_on_after_is_found() {
        let handler = |body: &str| {
            format!("exports.onExecutePostLogin = async (event, api) => {{\n{body}\n}};\n")
        };
        // The last thing the handler does, or followed by a return: nothing runs after it.
        assert_eq!(
            after_deny(&handler(
                "  if (!event.user.email_verified) {\n    api.access.deny('no');\n  }"
            )),
            0
        );
        assert_eq!(
            after_deny(&handler(
                "  if (a) {\n    api.access.deny('no');\n    return;\n  }\n  more();"
            )),
            0
        );
        assert_eq!(
            after_deny(&handler(
                "  if (a) {\n    return api.access.deny('no');\n  }\n  more();"
            )),
            0
        );
        assert_eq!(
            after_deny(&handler(
                "  try {\n    work();\n  } catch (e) {\n    api.access.deny('failed');\n  }"
            )),
            0
        );
        // The code after it runs.
        assert_eq!(
            after_deny(&handler(
                "  if (a) {\n    api.access.deny('no');\n  }\n  more();"
            )),
            1
        );
        assert_eq!(
            after_deny(&handler("  api.access.deny('no');\n  more();")),
            1
        );
        assert_eq!(after_deny(&handler("  if (a) {\n    if (b) {\n      await api.access.deny('no');\n    }\n  } else {\n    x();\n  }\n  more();")), 1);
    }

    fn check(action: &str) -> Vec<String> {
        let Ok((Parsed::Action(script), offsets)) = parse_rule(action) else {
            panic!("an Action");
        };
        check_action(
            &script,
            offsets,
            &crate::trigger::POST_LOGIN,
            ClaimsPolicy::Enforced,
        )
        .into_iter()
        .filter(|f| f.code == Code::ActionApiMemberUnknown)
        .map(|f| format!("{} {}", &action[f.span.start..f.span.end], f.message))
        .collect()
    }

    #[test]
    fn an_invented_method_or_object_is_found_and_real_ones_are_not() {
        let found = check(
            "exports.onExecutePostLogin = async (event, api) => {\n  api.idToken.addClaim({ a: 1 });\n  api.idToken.setCustomClaim('b', 2);\n  api.access.deny('no');\n  api.tokens.set('c');\n};\n",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("api.idToken.addClaim `api.idToken.addClaim` does not exist"));
        assert!(found[1].starts_with("api.tokens `api.tokens` does not exist"));
    }

    #[test]
    fn packages_and_secrets_are_counted_from_the_code() {
        let action = "const axios = require('axios@1.6.0');\nconst crypto = require('crypto');\nconst local = require('./x');\nexports.onExecutePostLogin = async (event, api) => {\n  const _ = require('lodash');\n  await axios.post(event.secrets.HOOK_URL, { key: event.secrets.API_KEY, again: event.secrets.API_KEY });\n};\n";
        let Ok((Parsed::Action(script), _)) = parse_rule(action) else {
            panic!("an Action");
        };
        let (dependencies, secrets) =
            used_dependencies_and_secrets(&script, &crate::trigger::POST_LOGIN);
        assert_eq!(
            dependencies.into_iter().collect::<Vec<_>>(),
            [
                ("axios".to_string(), Some("1.6.0".to_string())),
                ("lodash".to_string(), None)
            ]
        );
        assert_eq!(
            secrets.into_iter().collect::<Vec<_>>(),
            ["API_KEY", "HOOK_URL"]
        );
    }

    #[test]
    fn a_shadowed_api_and_other_objects_are_not_judged() {
        let found = check(
            "exports.onContinuePostLogin = async (event, api) => {\n  [1].forEach((api) => api.whatever());\n  const other = { idToken: {} };\n  other.idToken.addClaim();\n};\n",
        );
        assert!(found.is_empty(), "{found:?}");
    }

    fn codes(action: &str) -> Vec<(String, &'static str)> {
        let Ok((Parsed::Action(script), offsets)) = parse_rule(action) else {
            panic!("an Action");
        };
        check_action(
            &script,
            offsets,
            trigger_of(&script),
            ClaimsPolicy::Enforced,
        )
        .into_iter()
        .map(|f| (action[f.span.start..f.span.end].to_string(), f.code.id()))
        .collect()
    }

    #[test]
    fn event_members_are_judged_by_the_trigger_the_handler_exports() {
        let credentials = "exports.onExecuteCredentialsExchange = async (event, api) => {\n  if (event.user.email_verified) api.accessToken.setCustomClaim('https://example.com/v', event.client.name);\n};\n";
        assert_eq!(codes(credentials), [("event.user".to_string(), "R2A015")]);
        let login = "exports.onExecutePostLogin = async (event, api) => {\n  const id = event.user.user_id + event.message_options;\n};\n";
        assert_eq!(
            codes(login),
            [("event.message_options".to_string(), "R2A015")]
        );
    }

    #[test]
    fn claim_names_auth0_drops_are_found_when_they_are_constants() {
        let action = "const NS = 'https://example.com/';\nexports.onExecutePostLogin = async (event, api) => {\n  const local = 'tier';\n  api.idToken.setCustomClaim('roles', []);\n  api.idToken.setCustomClaim(NS + 'roles', []);\n  api.accessToken.setCustomClaim(local, 1);\n  api.idToken.setCustomClaim('https://x.auth0.com/a', 1);\n  api.idToken.setCustomClaim(event.secrets.NAME, 1);\n  api.idToken.setCustomClaim(`picture`, 1);\n};\n";
        assert_eq!(
            codes(action),
            [
                ("'roles'".to_string(), "R2A401"),
                ("local".to_string(), "R2A403"),
                ("'https://x.auth0.com/a'".to_string(), "R2A402"),
            ]
        );
    }

    #[test]
    fn promises_the_handler_does_not_await_are_found() {
        let action = "const axios = require('axios@1.6.0');\nconst { ManagementClient } = require('auth0');\nasync function notify(user) { await axios.post('https://x.example.com', user); }\nexports.onExecutePostLogin = async (event, api) => {\n  const management = new ManagementClient({ domain: event.secrets.DOMAIN });\n  axios.post(event.secrets.URL, {});\n  await axios.get(event.secrets.URL);\n  if (event.user.email) {\n    notify(event.user);\n  }\n  management.users.update({ id: event.user.user_id }, {});\n  fetch(event.secrets.URL).then((r) => r.json());\n  const kept = fetch(event.secrets.URL);\n  await kept;\n  [1].forEach(() => { fetch(event.secrets.URL); });\n  return fetch(event.secrets.URL);\n};\n";
        let found: Vec<String> = codes(action)
            .iter()
            .filter(|(_, code)| *code == "R2A016")
            .map(|(text, _)| {
                text.split('(')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            })
            .collect();
        assert_eq!(
            found,
            ["axios.post", "notify", "management.users.update", "fetch"]
        );
    }
}
