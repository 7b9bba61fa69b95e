//! The post-change-password trigger, which post-change-password Hooks become:
//! `module.exports = function (user, context, cb)` runs as
//! `exports.onExecutePostChangePassword = async (event, api) => …`. Like post-user-registration,
//! it does not block: an error was only logged, so the Action throws where the Hook failed.

use super::{Legacy, RuleParam, Trigger, UserFields};
use crate::registry::Code;
use crate::tables::hook_context::PASSWORD_CHANGE;

pub const POST_CHANGE_PASSWORD: Trigger = Trigger {
    id: "post-change-password",
    version: "v2",
    handler: "onExecutePostChangePassword",
    resume_handler: None,
    handler_params: super::HOOK_HANDLER_PARAMS,
    rule_params: &[RuleParam::User, RuleParam::Context, RuleParam::Callback],
    legacy: Legacy::Hook("post-change-password"),
    secrets: super::HOOK_SECRETS,
    terraform_binding: "post_change_password",
    api: super::CACHE_ONLY,
    // `configuration` holds a Marketplace integration's settings.
    event_members: &[
        "configuration",
        "connection",
        "request",
        "secrets",
        "tenant",
        "transaction",
        "user",
    ],
    context_reads: PASSWORD_CHANGE,
    user_fields: UserFields {
        properties: &[
            "email",
            "email_verified",
            "last_password_reset",
            "phone_number",
            "phone_verified",
            "user_id",
            "username",
        ],
        redirects: &[
            ("id", "user.user_id", Some(Code::HookUserIdPrefixed)),
            ("tenant", "tenant.id", None),
        ],
        unsupported: &[],
    },
    callback: super::LOGGED_ONLY,
};
