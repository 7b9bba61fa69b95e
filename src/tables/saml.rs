//! Rules `context.samlConfiguration` settings and their `api.samlResponse` setters
//! (reference §4d). Each setter is `set` + the setting's name with its first letter capitalised.

/// Settings with an `api.samlResponse.set…` equivalent.
pub static SAML_SETTINGS: &[&str] = &[
    "audience",
    "recipient",
    "destination",
    "issuer",
    "createUpnClaim",
    "passthroughClaimsWithNoMapping",
    "mapUnknownClaimsAsIs",
    "mapIdentities",
    "signatureAlgorithm",
    "digestAlgorithm",
    "lifetimeInSeconds",
    "signResponse",
    "nameIdentifierFormat",
    "nameIdentifierProbes",
    "authnContextClassRef",
    "signingCert",
    "includeAttributeNameFormat",
    "typedAttributes",
    "encryptionCert",
    "encryptionPublicKey",
    "cert",
    "key",
    "RelayState",
];

/// Settings Actions cannot set at all.
pub static SAML_UNSUPPORTED: &[&str] = &["logout", "binding", "authnContextDeclRef", "wctx"];

/// `audience` → `setAudience`.
pub fn setter(setting: &str) -> Option<String> {
    SAML_SETTINGS.contains(&setting).then(|| {
        let mut chars = setting.chars();
        let first = chars
            .next()
            .map(|c| c.to_ascii_uppercase())
            .unwrap_or_default();
        format!("set{first}{}", chars.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setters_are_named_after_settings() {
        assert_eq!(setter("audience").as_deref(), Some("setAudience"));
        assert_eq!(setter("RelayState").as_deref(), Some("setRelayState"));
        assert_eq!(
            setter("mapUnknownClaimsAsIs").as_deref(),
            Some("setMapUnknownClaimsAsIs")
        );
        assert_eq!(setter("logout"), None);
    }
}
