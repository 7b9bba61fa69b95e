//! The post-login trigger, which Rules become: `function (user, context, callback)` runs as
//! `exports.onExecutePostLogin = async (event, api) => …`, resumed after a redirect in
//! `exports.onContinuePostLogin`. Secrets move from `configuration` to `event.secrets`; the
//! context members map through `tables::context`.

use super::{HandlerParam, RuleParam, Secrets, Trigger};

pub const POST_LOGIN: Trigger = Trigger {
    id: "post-login",
    version: "v3",
    handler: "onExecutePostLogin",
    resume_handler: Some("onContinuePostLogin"),
    handler_params: [
        HandlerParam {
            name: "event",
            fallback: "postLoginEvent",
        },
        HandlerParam {
            name: "api",
            fallback: "postLoginApi",
        },
    ],
    rule_params: &[RuleParam::User, RuleParam::Context, RuleParam::Callback],
    rules_stage: "login_success",
    secrets: Secrets {
        rules_global: "configuration",
        event_member: "secrets",
    },
    terraform_binding: "post_login",
};
