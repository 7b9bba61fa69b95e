//! Triggers as data: what an Action for one Auth0 trigger looks like. The rewrite writes its
//! handler's header and resume handler from it, the layouts write `supported_triggers` and the
//! bindings from it, `--guard` finds the handler by it, the parser recognises code that already
//! is an Action by it, the sources decide which Rules stage runs on it, and `verify` runs the
//! Action's handlers and gives it exactly the trigger's `api` by it. A second trigger
//! (the Hooks' ones) is a second description here, not edits across the code.

mod credentials_exchange;
mod post_change_password;
mod post_login;
mod post_user_registration;
mod pre_user_registration;
mod send_phone_message;

pub use credentials_exchange::CREDENTIALS_EXCHANGE;
pub use post_change_password::POST_CHANGE_PASSWORD;
pub use post_login::{LOGIN_SUCCESS, POST_LOGIN};
pub use post_user_registration::POST_USER_REGISTRATION;
pub use pre_user_registration::PRE_USER_REGISTRATION;
pub use send_phone_message::SEND_PHONE_MESSAGE;

use crate::registry::Code;
use crate::tables::context::ContextRead;

/// One Auth0 Actions trigger.
#[derive(Debug)]
pub struct Trigger {
    /// Auth0's id, as in `supported_triggers` and the bindings (`post-login`).
    pub id: &'static str,
    /// The trigger version the Actions are written for (`v3`).
    pub version: &'static str,
    /// The exported handler (`onExecutePostLogin`).
    pub handler: &'static str,
    /// The handler a redirect resumes in, for triggers that can redirect.
    pub resume_handler: Option<&'static str>,
    /// The handler's two parameters, each with the name used when the rule already uses the
    /// preferred one.
    pub handler_params: [HandlerParam; 2],
    /// What the Rules-era function's parameters are, by position.
    pub rule_params: &'static [RuleParam],
    /// What ran here before Actions: a Rules stage or a Hook extensibility point.
    pub legacy: Legacy,
    /// The Rules global that held the secrets, and the `event` member that holds them.
    pub secrets: Secrets,
    /// The Terraform resource name of the trigger's bindings.
    pub terraform_binding: &'static str,
    /// Every member of the handler's `api`, by object: `verify` gives the Action exactly these,
    /// and any other member throws, as it does in Auth0.
    pub api: &'static [ApiObject],
    /// The top-level members of the handler's `event` (`user`, `client`, …).
    pub event_members: &'static [&'static str],
    /// The Rules-era `context` members and their `event` equivalents, longest prefix first.
    pub context_reads: &'static [(&'static str, ContextRead)],
    /// The Rules-era `user` object's members on `event.user`.
    pub user_fields: UserFields,
    /// What the Rules-era callback meant.
    pub callback: CallbackContract,
}

/// Where the code an Action of this trigger replaces ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// A Rules stage (deploy-cli and export `stage`).
    RulesStage(&'static str),
    /// A Hook extensibility point (its `triggerId`).
    Hook(&'static str),
}

/// The members of the Rules-era `user` object.
#[derive(Debug)]
pub struct UserFields {
    /// Members that are the same on `event.user`.
    pub properties: &'static [&'static str],
    /// Members found elsewhere on `event`: `(member, event path, finding)`.
    pub redirects: &'static [(&'static str, &'static str, Option<Code>)],
    /// Members with no equivalent, and the finding they get.
    pub unsupported: &'static [(&'static str, Code)],
}

/// What the Rules-era callback's arguments meant, and what an error did.
#[derive(Debug)]
pub struct CallbackContract {
    /// What a successful call handed back.
    pub result: CallbackResult,
    /// What an error did to the transaction.
    pub failure: Failure,
    /// The error classes the sandbox defined, and what each becomes.
    pub error_classes: &'static [ErrorClass],
}

/// The value a successful `cb(null, value)` handed back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackResult {
    /// Rules: the same `user` and `context`, or the login fails differently.
    UserAndContext,
    /// Logged and ignored.
    Ignored,
    /// The access token's claims (credentials-exchange): namespaced keys become claims.
    AccessTokenClaims,
    /// `{ user: { app_metadata, user_metadata } }` (pre-user-registration).
    RegistrationMetadata,
}

/// What an error passed to the callback did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// It ended the transaction with an error: `api.access.deny(…)`, with this error code first
    /// where the trigger's `deny` takes one (credentials-exchange).
    Deny { code: Option<&'static str> },
    /// It was logged (the trigger does not block) or failed the delivery: the Action throws.
    Throw,
}

/// An error class the Rules-era sandbox defined.
#[derive(Debug)]
pub struct ErrorClass {
    pub name: &'static str,
    /// The `deny` error code it stands for (credentials-exchange).
    pub code: Option<&'static str>,
    /// How many of its arguments `deny` takes (`PreUserRegistrationError(log, userMessage)`).
    pub arguments: usize,
}

/// One object of a handler's `api` and its methods (`api.idToken.setCustomClaim`).
#[derive(Debug)]
pub struct ApiObject {
    pub name: &'static str,
    pub methods: &'static [&'static str],
}

#[derive(Debug)]
pub struct HandlerParam {
    pub name: &'static str,
    pub fallback: &'static str,
}

/// The role of a Rules-era parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleParam {
    User,
    Context,
    Callback,
    /// A Hook parameter that is an `event` member (`recipient` is `event.message_options.recipient`),
    /// with the members that moved (`client.id` is `event.client.client_id`), as `event` paths.
    Event {
        path: &'static str,
        members: &'static [(&'static str, &'static str)],
    },
}

#[derive(Debug)]
pub struct Secrets {
    pub rules_global: &'static str,
    pub event_member: &'static str,
}

/// The handler parameters of the Actions Hooks become.
const HOOK_HANDLER_PARAMS: [HandlerParam; 2] = [
    HandlerParam {
        name: "event",
        fallback: "actionEvent",
    },
    HandlerParam {
        name: "api",
        fallback: "actionApi",
    },
];

/// Hooks read their secrets from `context.webtask.secrets` (the context tables), never a global.
const HOOK_SECRETS: Secrets = Secrets {
    rules_global: "",
    event_member: "secrets",
};

/// The `api` of the triggers that only read: the cache.
const CACHE_ONLY: &[ApiObject] = &[ApiObject {
    name: "cache",
    methods: &["get", "set", "delete"],
}];

/// The callback of a Hook that does not block: its result was ignored, an error only logged.
const LOGGED_ONLY: CallbackContract = CallbackContract {
    result: CallbackResult::Ignored,
    failure: Failure::Throw,
    error_classes: &[ErrorClass {
        name: "Error",
        code: None,
        arguments: 1,
    }],
};

/// Every trigger the tool writes Actions for.
pub static TRIGGERS: &[&Trigger] = &[
    &POST_LOGIN,
    &CREDENTIALS_EXCHANGE,
    &PRE_USER_REGISTRATION,
    &POST_USER_REGISTRATION,
    &POST_CHANGE_PASSWORD,
    &SEND_PHONE_MESSAGE,
];

/// The trigger a Hook of this extensibility point (`triggerId`) becomes.
pub fn for_hook(trigger_id: &str) -> Option<&'static Trigger> {
    TRIGGERS
        .iter()
        .copied()
        .find(|t| matches!(t.legacy, Legacy::Hook(point) if point == trigger_id))
}

/// The Hook extensibility points, as `triggerId`s name them.
pub fn hook_points() -> Vec<&'static str> {
    TRIGGERS
        .iter()
        .filter_map(|t| match t.legacy {
            Legacy::Hook(point) => Some(point),
            Legacy::RulesStage(_) => None,
        })
        .collect()
}

/// The trigger of code with `params` parameters and no metadata: five are a
/// credentials-exchange Hook's, four a send-phone-message Hook's; three are a Rule's, unless the
/// code is known to be a Hook (`hook`) or uses what only a Hook had. `None` for a Hook whose
/// extensibility point the code does not tell (`R2A854`).
pub fn by_signature(params: usize, text: &str, hook: bool) -> Option<&'static Trigger> {
    match params {
        5 => Some(&CREDENTIALS_EXCHANGE),
        4 => Some(&SEND_PHONE_MESSAGE),
        _ if text.contains("PreUserRegistrationError") => Some(&PRE_USER_REGISTRATION),
        _ if hook || text.contains("context.webtask") => None,
        _ => Some(RULES),
    }
}

/// The trigger a Rule of this stage becomes.
pub fn for_rules_stage(stage: &str) -> Option<&'static Trigger> {
    TRIGGERS
        .iter()
        .copied()
        .find(|t| matches!(t.legacy, Legacy::RulesStage(s) if s == stage))
}

/// The trigger Rules become.
pub static RULES: &Trigger = &POST_LOGIN;

impl Trigger {
    /// `exports.onExecutePostLogin = async (event, api) => `.
    /// `exports.<handler> = async (event, api) => `, with a third parameter `flag = false` when
    /// the resume handler runs this one again (`rewrite/redirect.rs`).
    pub fn header(&self, event: &str, api: &str, resume_flag: Option<&str>) -> String {
        match resume_flag {
            Some(flag) => format!(
                "exports.{} = async ({event}, {api}, {flag} = false) => ",
                self.handler
            ),
            None => format!("exports.{} = async ({event}, {api}) => ", self.handler),
        }
    }

    /// The start of the header as the tool writes it, up to the parameters.
    pub fn header_start(&self) -> String {
        format!("exports.{} = async (", self.handler)
    }

    /// Whether the handler's `api` has `object.method`.
    pub fn has_api(&self, object: &str, method: &str) -> bool {
        self.api
            .iter()
            .any(|o| o.name == object && o.methods.contains(&method))
    }

    /// Whether it replaces a Hook.
    pub fn is_hook(&self) -> bool {
        matches!(self.legacy, Legacy::Hook(_))
    }

    /// What `api.access.deny`'s arguments are, in order: `reason`, after the error code
    /// (`error`) where the trigger's failure names one, and before the message shown to the
    /// user (`userMessage`) where an error class carried one.
    pub fn deny_arguments(&self) -> Vec<&'static str> {
        let mut arguments = Vec::new();
        if matches!(self.callback.failure, Failure::Deny { code: Some(_) }) {
            arguments.push("error");
        }
        arguments.push("reason");
        if self.callback.error_classes.iter().any(|c| c.arguments > 1) {
            arguments.push("userMessage");
        }
        arguments
    }

    /// `api.access.deny` exists for it.
    pub fn denies(&self) -> bool {
        matches!(self.callback.failure, Failure::Deny { .. })
    }

    /// Whether `name` is one of the handlers an Action of this trigger exports.
    pub fn exports_handler(&self, name: &str) -> bool {
        name == self.handler || self.resume_handler == Some(name)
    }
}

/// The trigger of an exported handler (`onExecutePostLogin`, `onContinuePostLogin`).
pub fn for_handler(name: &str) -> Option<&'static Trigger> {
    TRIGGERS.iter().copied().find(|t| t.exports_handler(name))
}

/// Whether `name` is a handler some trigger's Action exports.
pub fn is_handler(name: &str) -> bool {
    TRIGGERS.iter().any(|t| t.exports_handler(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_and_the_handlers_come_from_the_description() {
        assert_eq!(
            POST_LOGIN.header("event", "api", None),
            "exports.onExecutePostLogin = async (event, api) => "
        );
        assert!(is_handler("onExecutePostLogin"));
        assert!(is_handler("onContinuePostLogin"));
        assert!(is_handler("onExecuteCredentialsExchange"));
        assert!(!is_handler("onExecuteSomethingElse"));
        assert!(POST_LOGIN.has_api("idToken", "setCustomClaim"));
        assert!(!POST_LOGIN.has_api("idToken", "addClaim"));
    }
}
