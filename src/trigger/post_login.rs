//! The post-login trigger, which Rules become: `function (user, context, callback)` runs as
//! `exports.onExecutePostLogin = async (event, api) => …`, resumed after a redirect in
//! `exports.onContinuePostLogin`. Secrets move from `configuration` to `event.secrets`; the
//! context members map through `tables::context`.

use super::{
    ApiObject, CallbackContract, CallbackResult, ErrorClass, Failure, HandlerParam, Legacy,
    RuleParam, Secrets, Trigger, UserFields,
};
use crate::tables::context::CONTEXT_READS;
use crate::tables::user::{EVENT_USER_PROPERTIES, USER_REDIRECTS};

/// The Rules stage post-login Actions replace.
pub const LOGIN_SUCCESS: &str = "login_success";

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
    legacy: Legacy::RulesStage(LOGIN_SUCCESS),
    secrets: Secrets {
        rules_global: "configuration",
        event_member: "secrets",
    },
    terraform_binding: "post_login",
    api: API,
    // `configuration` holds a Marketplace integration's settings.
    event_members: &[
        "agent",
        "authentication",
        "authorization",
        "client",
        "configuration",
        "connection",
        "custom_domain",
        "organization",
        "prompt",
        "refresh_token",
        "request",
        "resource_server",
        "secrets",
        "security_context",
        "session",
        "session_transfer_token",
        "stats",
        "tenant",
        "transaction",
        "user",
    ],
    context_reads: CONTEXT_READS,
    user_fields: UserFields {
        properties: EVENT_USER_PROPERTIES,
        redirects: USER_REDIRECTS,
        unsupported: &[],
    },
    callback: CallbackContract {
        result: CallbackResult::UserAndContext,
        failure: Failure::Deny { code: None },
        error_classes: &[
            ErrorClass {
                name: "UnauthorizedError",
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

/// Every member of the post-login `api` (`../shared/reference/auth0-rules-to-actions.md` §8).
const API: &[ApiObject] = &[
    ApiObject {
        name: "access",
        methods: &["deny"],
    },
    ApiObject {
        name: "accessToken",
        methods: &["setCustomClaim", "addScope", "removeScope"],
    },
    ApiObject {
        name: "idToken",
        methods: &["setCustomClaim"],
    },
    ApiObject {
        name: "multifactor",
        methods: &["enable"],
    },
    ApiObject {
        name: "authentication",
        methods: &[
            "challengeWith",
            "challengeWithAny",
            "enrollWith",
            "enrollWithAny",
            "recordMethod",
            "setPrimaryUser",
        ],
    },
    ApiObject {
        name: "redirect",
        methods: &["sendUserTo", "encodeToken", "validateToken", "canRedirect"],
    },
    ApiObject {
        name: "user",
        methods: &["setAppMetadata", "setUserMetadata"],
    },
    ApiObject {
        name: "cache",
        methods: &["get", "set", "delete"],
    },
    ApiObject {
        name: "samlResponse",
        methods: &[
            "setAttribute",
            "setAudience",
            "setRecipient",
            "setCreateUpnClaim",
            "setPassthroughClaimsWithNoMapping",
            "setMapUnknownClaimsAsIs",
            "setMapIdentities",
            "setSignatureAlgorithm",
            "setDigestAlgorithm",
            "setDestination",
            "setLifetimeInSeconds",
            "setSignResponse",
            "setNameIdentifierFormat",
            "setNameIdentifierProbes",
            "setAuthnContextClassRef",
            "setSigningCert",
            "setIncludeAttributeNameFormat",
            "setTypedAttributes",
            "setEncryptionCert",
            "setEncryptionPublicKey",
            "setCert",
            "setKey",
            "setRelayState",
            "setIssuer",
            "setEncryptionAlgorithm",
        ],
    },
    ApiObject {
        name: "validation",
        methods: &["error"],
    },
    ApiObject {
        name: "rules",
        methods: &["wasExecuted"],
    },
    ApiObject {
        name: "prompt",
        methods: &["render"],
    },
    ApiObject {
        name: "refreshToken",
        methods: &[
            "revoke",
            "setExpiresAt",
            "setIdleExpiresAt",
            "setMetadata",
            "deleteMetadata",
            "evictMetadata",
        ],
    },
    ApiObject {
        name: "session",
        methods: &[
            "revoke",
            "setExpiresAt",
            "setIdleExpiresAt",
            "setCookieMode",
            "setMetadata",
            "deleteMetadata",
            "evictMetadata",
        ],
    },
    ApiObject {
        name: "transaction",
        methods: &["setMetadata"],
    },
    ApiObject {
        name: "groups",
        methods: &["getUserGroups", "hasGroupMembership"],
    },
    ApiObject {
        name: "roles",
        methods: &[
            "getUserEffectiveRoles",
            "getUserEffectiveRolesByIds",
            "getUserEffectiveRolesByNames",
        ],
    },
];
