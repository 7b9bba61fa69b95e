//! The post-user-registration trigger, which post-user-registration Hooks become:
//! `module.exports = function (user, context, cb)` runs as
//! `exports.onExecutePostUserRegistration = async (event, api) => …`. The trigger does not block
//! the registration: what the Hook handed back was logged and ignored, and an error only logged,
//! so the Action throws where the Hook failed.

use super::{Legacy, RuleParam, Trigger, UserFields};
use crate::registry::Code;
use crate::tables::hook_context::REGISTRATION;

pub const POST_USER_REGISTRATION: Trigger = Trigger {
    id: "post-user-registration",
    version: "v2",
    handler: "onExecutePostUserRegistration",
    resume_handler: None,
    handler_params: super::HOOK_HANDLER_PARAMS,
    rule_params: &[RuleParam::User, RuleParam::Context, RuleParam::Callback],
    legacy: Legacy::Hook("post-user-registration"),
    secrets: super::HOOK_SECRETS,
    terraform_binding: "post_user_registration",
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
    context_reads: REGISTRATION,
    user_fields: UserFields {
        properties: &[
            "app_metadata",
            "created_at",
            "email",
            "email_verified",
            "family_name",
            "given_name",
            "name",
            "nickname",
            "phone_number",
            "phone_verified",
            "picture",
            "user_id",
            "user_metadata",
            "username",
        ],
        redirects: &[
            ("id", "user.user_id", Some(Code::HookUserIdPrefixed)),
            ("emailVerified", "user.email_verified", None),
            ("phoneNumber", "user.phone_number", None),
            ("phoneNumberVerified", "user.phone_verified", None),
            ("tenant", "tenant.id", None),
        ],
        unsupported: &[],
    },
    callback: super::LOGGED_ONLY,
};
