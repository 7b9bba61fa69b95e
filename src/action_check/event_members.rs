//! `event.<member>` reads that the handler's trigger does not have (`R2A015`).
//!
//! Action:
//! ```js
//! exports.onExecuteCredentialsExchange = async (event, api) => {
//!   if (event.user.email_verified) api.accessToken.setCustomClaim('https://example.com/v', 1);
//! };
//! ```
//! Finding: `event.user` is not a member of the credentials-exchange trigger's `event`. Only
//! top-level members are judged, and only through the handler's own `event` binding: a
//! shadowing binding or a computed member (`event[key]`) is not.

use swc_ecma_ast::{Expr, Id, MemberExpr};
use swc_ecma_visit::{Visit, VisitWith};

use crate::finding::Finding;
use crate::parse::Offsets;
use crate::registry::Code;
use crate::trigger::Trigger;

pub(super) struct EventMembers<'t> {
    pub(super) event: Id,
    pub(super) trigger: &'t Trigger,
    pub(super) offsets: Offsets,
    pub(super) findings: Vec<Finding>,
}

impl Visit for EventMembers<'_> {
    fn visit_member_expr(&mut self, member: &MemberExpr) {
        let from_event = matches!(&*member.obj, Expr::Ident(i) if i.to_id() == self.event);
        if let (true, Some(name)) = (from_event, member.prop.as_ident()) {
            let name = name.sym.as_str();
            if !self.trigger.event_members.contains(&name) {
                self.findings.push(
                    Finding::new(
                        Code::ActionEventMemberUnknown,
                        self.offsets.span(member.span),
                        format!(
                            "`event.{name}` is not a member of the {} trigger's `event`: it reads `undefined`",
                            self.trigger.id
                        ),
                    )
                    .with_help(format!(
                        "the members of `event` are {}",
                        self.trigger.event_members.join(", ")
                    )),
                );
            }
        }
        member.visit_children_with(self);
    }
}
