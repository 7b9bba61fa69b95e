//! `context.primaryUser = id` becomes `api.authentication.setPrimaryUser(id)`.
//!
//! Rule:
//! ```js
//! context.primaryUser = 'auth0|' + user.app_metadata.primary_id;
//! ```
//! Action:
//! ```js
//! api.authentication.setPrimaryUser('auth0|' + event.user.app_metadata.primary_id);
//! ```
//! Always reported with `R2A801`: the Actions call has constraints the Rules property did not.
//! Compound or value-used assignments are refused with `R2A204`.

use swc_ecma_ast::{AssignExpr, AssignOp};
use swc_ecma_visit::VisitWith;

use super::Rewriter;
use crate::family::Family;
use crate::finding::Finding;
use crate::registry::Code;

impl Rewriter<'_> {
    pub(super) fn primary_user_write(&mut self, assign: &AssignExpr, unused: bool) {
        let span = self.span(assign.span);
        if assign.op != AssignOp::Assign || !unused {
            self.report_at(
                Code::ContextWriteNotConverted,
                span,
                "this write to `context.primaryUser` is not a plain assignment statement",
            );
            return assign.right.visit_with(self);
        }
        let id = self.rewritten(&assign.right);
        self.report(
            Finding::new(
                Code::PrimaryUserConstraints,
                span,
                "the authenticating identity must already be linked to the primary user, and user metadata set in the same Action is discarded",
            )
            .with_help("test account linking end to end before switching"),
        );
        self.replace(
            Family::PrimaryUser,
            span,
            format!("{}.authentication.setPrimaryUser({id})", self.api),
        );
    }
}
