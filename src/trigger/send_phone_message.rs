//! The send-phone-message trigger, which send-phone-message Hooks become:
//! `module.exports = function (recipient, text, context, cb)` runs as
//! `exports.onExecuteSendPhoneMessage = async (event, api) => …`, with `recipient` and `text`
//! in `event.message_options`. A failure (`SendPhoneMessageError`) failed the delivery; the
//! Action throws.

use super::{
    CallbackContract, CallbackResult, ErrorClass, Failure, Legacy, RuleParam, Trigger, UserFields,
};
use crate::tables::hook_context::PHONE_MESSAGE;

pub const SEND_PHONE_MESSAGE: Trigger = Trigger {
    id: "send-phone-message",
    version: "v2",
    handler: "onExecuteSendPhoneMessage",
    resume_handler: None,
    handler_params: super::HOOK_HANDLER_PARAMS,
    rule_params: &[
        RuleParam::Event {
            path: "message_options.recipient",
            members: &[],
        },
        RuleParam::Event {
            path: "message_options.text",
            members: &[],
        },
        RuleParam::Context,
        RuleParam::Callback,
    ],
    legacy: Legacy::Hook("send-phone-message"),
    secrets: super::HOOK_SECRETS,
    terraform_binding: "send_phone_message",
    api: super::CACHE_ONLY,
    // `configuration` holds a Marketplace integration's settings.
    event_members: &[
        "client",
        "configuration",
        "custom_domain",
        "message_options",
        "request",
        "secrets",
        "tenant",
        "user",
    ],
    context_reads: PHONE_MESSAGE,
    user_fields: UserFields {
        properties: &[],
        redirects: &[],
        unsupported: &[],
    },
    callback: CallbackContract {
        result: CallbackResult::Ignored,
        failure: Failure::Throw,
        error_classes: &[
            ErrorClass {
                name: "SendPhoneMessageError",
                code: None,
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
