//! The pre-user-registration trigger, which pre-user-registration Hooks become:
//! `module.exports = function (user, context, cb)` runs as
//! `exports.onExecutePreUserRegistration = async (event, api) => …`. The metadata handed back
//! through `cb(null, { user: { app_metadata, user_metadata } })` becomes `api.user.setAppMetadata`
//! / `setUserMetadata` per key, and `PreUserRegistrationError(log, userMessage)`
//! `api.access.deny(log, userMessage)`.

use super::{
    ApiObject, CallbackContract, CallbackResult, ErrorClass, Failure, Legacy, RuleParam, Trigger,
    UserFields,
};
use crate::registry::Code;
use crate::tables::hook_context::REGISTRATION;

pub const PRE_USER_REGISTRATION: Trigger = Trigger {
    id: "pre-user-registration",
    version: "v2",
    handler: "onExecutePreUserRegistration",
    resume_handler: None,
    handler_params: super::HOOK_HANDLER_PARAMS,
    rule_params: &[RuleParam::User, RuleParam::Context, RuleParam::Callback],
    legacy: Legacy::Hook("pre-user-registration"),
    secrets: super::HOOK_SECRETS,
    terraform_binding: "pre_user_registration",
    api: &[
        ApiObject {
            name: "access",
            methods: &["deny"],
        },
        ApiObject {
            name: "user",
            methods: &["setAppMetadata", "setUserMetadata"],
        },
        ApiObject {
            name: "validation",
            methods: &["error"],
        },
        ApiObject {
            name: "cache",
            methods: &["get", "set", "delete"],
        },
    ],
    // `configuration` holds a Marketplace integration's settings.
    event_members: &[
        "client",
        "configuration",
        "connection",
        "custom_domain",
        "request",
        "secrets",
        "tenant",
        "transaction",
        "user",
    ],
    context_reads: REGISTRATION,
    user_fields: UserFields {
        // The pre-user-registration `event.user` (hooks-and-runtime.md §2.2).
        properties: &[
            "app_metadata",
            "email",
            "family_name",
            "given_name",
            "name",
            "nickname",
            "phone_number",
            "picture",
            "user_metadata",
            "username",
        ],
        redirects: &[
            ("phoneNumber", "user.phone_number", None),
            ("tenant", "tenant.id", None),
        ],
        unsupported: &[
            ("password", Code::HookPasswordUnavailable),
            ("emailVerified", Code::HookMemberUnavailable),
            ("phoneNumberVerified", Code::HookMemberUnavailable),
        ],
    },
    callback: CallbackContract {
        result: CallbackResult::RegistrationMetadata,
        failure: Failure::Deny { code: None },
        error_classes: &[
            ErrorClass {
                name: "PreUserRegistrationError",
                code: None,
                arguments: 2,
            },
            ErrorClass {
                name: "Error",
                code: None,
                arguments: 1,
            },
        ],
    },
};
