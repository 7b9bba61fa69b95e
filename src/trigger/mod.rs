//! Triggers as data: what an Action for one Auth0 trigger looks like. The rewrite writes its
//! handler's header and resume handler from it, the layouts write `supported_triggers` and the
//! bindings from it, `--guard` finds the handler by it, the parser recognises code that already
//! is an Action by it, the sources decide which Rules stage runs on it, and `verify` runs the
//! Action's handlers and gives it exactly the trigger's `api` by it. A second trigger
//! (the Hooks' ones) is a second description here, not edits across the code.

mod post_login;

pub use post_login::POST_LOGIN;

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
    /// The Rules stage that ran where this trigger runs (deploy-cli and export `stage`).
    pub rules_stage: &'static str,
    /// The Rules global that held the secrets, and the `event` member that holds them.
    pub secrets: Secrets,
    /// The Terraform resource name of the trigger's bindings.
    pub terraform_binding: &'static str,
    /// Every member of the handler's `api`, by object: `verify` gives the Action exactly these,
    /// and any other member throws, as it does in Auth0.
    pub api: &'static [ApiObject],
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
}

#[derive(Debug)]
pub struct Secrets {
    pub rules_global: &'static str,
    pub event_member: &'static str,
}

/// Every trigger the tool writes Actions for.
pub static TRIGGERS: &[&Trigger] = &[&POST_LOGIN];

/// The trigger Rules become.
pub static RULES: &Trigger = &POST_LOGIN;

impl Trigger {
    /// `exports.onExecutePostLogin = async (event, api) => `.
    pub fn header(&self, event: &str, api: &str) -> String {
        format!("exports.{} = async ({event}, {api}) => ", self.handler)
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

    /// Whether `name` is one of the handlers an Action of this trigger exports.
    pub fn exports_handler(&self, name: &str) -> bool {
        name == self.handler || self.resume_handler == Some(name)
    }
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
            POST_LOGIN.header("event", "api"),
            "exports.onExecutePostLogin = async (event, api) => "
        );
        assert!(is_handler("onExecutePostLogin"));
        assert!(is_handler("onContinuePostLogin"));
        assert!(!is_handler("onExecuteCredentialsExchange"));
        assert!(POST_LOGIN.has_api("idToken", "setCustomClaim"));
        assert!(!POST_LOGIN.has_api("idToken", "addClaim"));
    }
}
