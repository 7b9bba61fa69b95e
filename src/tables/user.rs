//! Rules `user.*` properties and their Actions equivalents (reference §2).

use crate::registry::Code;

/// Properties documented on the Actions `event.user` object.
pub static EVENT_USER_PROPERTIES: &[&str] = &[
    "app_metadata",
    "created_at",
    "email",
    "email_verified",
    "enrolledFactors",
    "family_name",
    "given_name",
    "identities",
    "last_password_reset",
    "multifactor",
    "name",
    "nickname",
    "phone_number",
    "phone_verified",
    "picture",
    "updated_at",
    "user_id",
    "user_metadata",
    "username",
];

/// `user.<key>` reads that do not map to `event.user.<key>`: `(key, event target, finding)`.
pub static USER_REDIRECTS: &[(&str, &str, Option<Code>)] = &[
    (
        "connection",
        "connection.name",
        Some(Code::UnofficialMapping),
    ),
    (
        "clientID",
        "client.client_id",
        Some(Code::UnofficialMapping),
    ),
];

/// Tokens from the upstream identity provider that Rules exposed under `user.identities[i]`.
pub static UPSTREAM_TOKEN_KEYS: &[&str] = &[
    "access_token",
    "access_token_secret",
    "refresh_token",
    "id_token",
];
