//! What a credential looks like: the prefixes and shapes providers give their keys, and the
//! names code gives the variables that hold them.

/// Whether a value has one provider's shape.
type Shape = fn(&str) -> bool;

/// Each shape: the secret name the Action reads it from, and whether `value` has the shape.
static SHAPES: &[(&str, Shape)] = &[
    ("GITHUB_TOKEN", |v| {
        ["ghp_", "gho_", "ghs_", "github_pat_"]
            .iter()
            .any(|p| v.starts_with(p))
            && v.len() >= 36
    }),
    ("STRIPE_SECRET_KEY", |v| {
        (v.starts_with("sk_live_") || v.starts_with("rk_live_")) && v.len() >= 24
    }),
    ("AWS_ACCESS_KEY_ID", |v| {
        v.len() == 20
            && v.starts_with("AKIA")
            && v.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    }),
    ("SLACK_TOKEN", |v| {
        ["xoxb-", "xoxp-", "xoxa-"].iter().any(|p| v.starts_with(p)) && v.len() >= 24
    }),
    ("PRIVATE_KEY", |v| {
        v.contains("-----BEGIN") && v.contains("PRIVATE KEY-----")
    }),
];

/// The secret name for a value with the shape of a provider's credential.
pub fn shaped_credential(value: &str) -> Option<&'static str> {
    SHAPES
        .iter()
        .find(|(_, matches)| matches(value))
        .map(|(name, _)| *name)
}

/// Parts of variable names (lowercase, without `_` and `-`) that hold credentials.
pub static NAMES_OF_SECRETS: &[&str] = &[
    "token",
    "secret",
    "apikey",
    "password",
    "passwd",
    "privatekey",
    "accesskey",
    "clientsecret",
];
