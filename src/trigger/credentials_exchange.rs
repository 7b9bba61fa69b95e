//! The credentials-exchange trigger, which credentials-exchange Hooks become:
//! `module.exports = function (client, scope, audience, context, cb)` runs as
//! `exports.onExecuteCredentialsExchange = async (event, api) => …`. The claims handed back
//! through `cb(null, accessToken)` become `api.accessToken.setCustomClaim`, and the Hook's error
//! classes `api.access.deny(code, reason)`.

use super::{
    ApiObject, CallbackContract, CallbackResult, ErrorClass, Failure, Legacy, RuleParam, Trigger,
    UserFields,
};
use crate::tables::hook_context::WEBTASK_ONLY;

pub const CREDENTIALS_EXCHANGE: Trigger = Trigger {
    id: "credentials-exchange",
    version: "v2",
    handler: "onExecuteCredentialsExchange",
    resume_handler: None,
    handler_params: super::HOOK_HANDLER_PARAMS,
    rule_params: &[
        RuleParam::Event {
            path: "client",
            members: &[("id", "client.client_id"), ("tenant", "tenant.id")],
        },
        RuleParam::Event {
            path: "accessToken.scope",
            members: &[],
        },
        RuleParam::Event {
            path: "resource_server.identifier",
            members: &[],
        },
        RuleParam::Context,
        RuleParam::Callback,
    ],
    legacy: Legacy::Hook("credentials-exchange"),
    secrets: super::HOOK_SECRETS,
    terraform_binding: "credentials_exchange",
    api: &[
        ApiObject {
            name: "access",
            methods: &["deny"],
        },
        ApiObject {
            name: "accessToken",
            methods: &["setCustomClaim"],
        },
        ApiObject {
            name: "cache",
            methods: &["get", "set", "delete"],
        },
    ],
    // `configuration` holds a Marketplace integration's settings.
    event_members: &[
        "accessToken",
        "client",
        "configuration",
        "custom_domain",
        "request",
        "resource_server",
        "secrets",
        "tenant",
        "transaction",
    ],
    context_reads: WEBTASK_ONLY,
    user_fields: UserFields {
        properties: &[],
        redirects: &[],
        unsupported: &[],
    },
    callback: CallbackContract {
        result: CallbackResult::AccessTokenClaims,
        failure: Failure::Deny {
            code: Some("server_error"),
        },
        error_classes: &[
            ErrorClass {
                name: "InvalidRequestError",
                code: Some("invalid_request"),
                arguments: 1,
            },
            ErrorClass {
                name: "InvalidScopeError",
                code: Some("invalid_scope"),
                arguments: 1,
            },
            ErrorClass {
                name: "ServerError",
                code: Some("server_error"),
                arguments: 1,
            },
            ErrorClass {
                name: "Error",
                code: None,
                arguments: 1,
            },
        ],
    },
};
