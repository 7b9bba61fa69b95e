//! Claim names and namespaces that Auth0 treats specially (reference §7).

/// Restricted claims: Auth0 silently ignores attempts to set them.
pub static RESTRICTED_CLAIMS: &[&str] = &[
    "acr",
    "act",
    "active",
    "amr",
    "at_hash",
    "ath",
    "attest",
    "aud",
    "auth_time",
    "authorization_details",
    "azp",
    "c_hash",
    "client_id",
    "cnf",
    "cty",
    "dest",
    "entitlements",
    "events",
    "exp",
    "groups",
    "gty",
    "htm",
    "htu",
    "iat",
    "internalService",
    "iss",
    "jcard",
    "jku",
    "jti",
    "jwe",
    "jwk",
    "kid",
    "may_act",
    "mky",
    "nbf",
    "nonce",
    "object_id",
    "org_id",
    "org_name",
    "orig",
    "origid",
    "permissions",
    "roles",
    "rph",
    "s_hash",
    "sid",
    "sip_callid",
    "sip_cseq_num",
    "sip_date",
    "sip_from_tag",
    "sip_via_branch",
    "sub",
    "sub_jwk",
    "toe",
    "txn",
    "typ",
    "uuid",
    "vot",
    "vtm",
    "x5t#S256",
];

/// OIDC profile claims that may be set without a namespace.
pub static OIDC_PROFILE_CLAIMS: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
];

/// Namespaces Auth0 reserves: claims under them never reach the token.
pub static RESERVED_NAMESPACE_HOSTS: &[&str] = &["auth0.com", "webtask.io", "webtask.run"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimName {
    Restricted,
    ReservedNamespace,
    NotNamespaced,
    Accepted,
}

pub fn classify(name: &str) -> ClaimName {
    if RESTRICTED_CLAIMS.contains(&name) {
        return ClaimName::Restricted;
    }
    if name.starts_with("urn:auth0") {
        return ClaimName::ReservedNamespace;
    }
    let Some(rest) = name
        .strip_prefix("https://")
        .or_else(|| name.strip_prefix("http://"))
    else {
        return if OIDC_PROFILE_CLAIMS.contains(&name) {
            ClaimName::Accepted
        } else {
            ClaimName::NotNamespaced
        };
    };
    let host = rest.split(['/', ':', '?', '#']).next().unwrap_or_default();
    let reserved = RESERVED_NAMESPACE_HOSTS
        .iter()
        .any(|r| host == *r || host.ends_with(&format!(".{r}")));
    if reserved {
        ClaimName::ReservedNamespace
    } else {
        ClaimName::Accepted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_claim_names() {
        assert_eq!(classify("roles"), ClaimName::Restricted);
        assert_eq!(classify("https://example.com/roles"), ClaimName::Accepted);
        assert_eq!(
            classify("https://acme.auth0.com/roles"),
            ClaimName::ReservedNamespace
        );
        assert_eq!(classify("https://notauth0.com/x"), ClaimName::Accepted);
        assert_eq!(classify("favorite_color"), ClaimName::NotNamespaced);
        assert_eq!(classify("picture"), ClaimName::Accepted);
    }
}
