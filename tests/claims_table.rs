//! One case per entry of the claim tables: restricted names, reserved namespaces and OIDC
//! profile claims, checked end to end through a migrated rule.

use rules2actions::registry::Code;
use rules2actions::tables::claims::{
    OIDC_PROFILE_CLAIMS, RESERVED_NAMESPACE_HOSTS, RESTRICTED_CLAIMS,
};
use rules2actions::{migrate_rule_with, ClaimsPolicy, Options};

fn claim_codes(name: &str, token: &str, policy: ClaimsPolicy) -> Vec<Code> {
    let rule = format!(
        "function (user, context, callback) {{\n  context.{token}[{name:?}] = 1;\n  callback(null, user, context);\n}}\n"
    );
    let migration = migrate_rule_with(
        rule.as_bytes(),
        &Options {
            claims_policy: policy,
            ..Options::default()
        },
    );
    let output = migration.output().expect("converted");
    assert!(
        output.contains(&format!("api.{token}.setCustomClaim({name:?}, 1)")),
        "{output}"
    );
    migration.findings.iter().map(|f| f.code).collect()
}

#[test]
fn every_restricted_claim_is_an_error() {
    assert_eq!(RESTRICTED_CLAIMS.len(), 60);
    for name in RESTRICTED_CLAIMS {
        for token in ["idToken", "accessToken"] {
            assert_eq!(
                claim_codes(name, token, ClaimsPolicy::Enforced),
                [Code::RestrictedClaim],
                "{name}"
            );
        }
    }
}

#[test]
fn every_reserved_namespace_is_an_error() {
    for host in RESERVED_NAMESPACE_HOSTS {
        for name in [
            format!("https://{host}/roles"),
            format!("http://tenant.{host}/roles"),
        ] {
            assert_eq!(
                claim_codes(&name, "idToken", ClaimsPolicy::Enforced),
                [Code::ReservedNamespace],
                "{name}"
            );
        }
    }
    assert_eq!(
        claim_codes("urn:auth0:roles", "idToken", ClaimsPolicy::Enforced),
        [Code::ReservedNamespace]
    );
    assert!(claim_codes(
        "https://notauth0.com/roles",
        "idToken",
        ClaimsPolicy::Enforced
    )
    .is_empty());
}

#[test]
fn oidc_profile_claims_need_no_namespace() {
    assert_eq!(OIDC_PROFILE_CLAIMS.len(), 19);
    for name in OIDC_PROFILE_CLAIMS {
        assert!(
            claim_codes(name, "idToken", ClaimsPolicy::Enforced).is_empty(),
            "{name}"
        );
    }
}

#[test]
fn non_namespaced_claims_follow_the_policy() {
    assert_eq!(
        claim_codes("favorite_color", "idToken", ClaimsPolicy::Enforced),
        [Code::NonNamespacedClaim]
    );
    assert_eq!(
        claim_codes("favorite_color", "accessToken", ClaimsPolicy::Relaxed),
        [Code::NonNamespacedClaimAppears]
    );
    assert!(claim_codes(
        "https://example.com/color",
        "idToken",
        ClaimsPolicy::Relaxed
    )
    .is_empty());
}

#[test]
fn namespace_option_renames_restricted_and_private_claims_only() {
    let rule = "function (user, context, callback) {\n  context.idToken.roles = 1;\n  context.idToken.color = 2;\n  context.idToken.picture = 3;\n  context.idToken['https://other.example.org/x'] = 4;\n  user.connection = context.connection;\n  callback(null, user, context);\n}\n";
    let options = Options {
        namespace: Some(rules2actions::namespace_prefix("https://example.com").unwrap()),
        ..Options::default()
    };
    let migration = migrate_rule_with(rule.as_bytes(), &options);
    let output = migration.output().expect("converted");
    for expected in [
        "api.idToken.setCustomClaim('https://example.com/roles', 1);",
        "api.idToken.setCustomClaim('https://example.com/color', 2);",
        "api.idToken.setCustomClaim('picture', 3);",
        "api.idToken.setCustomClaim('https://other.example.org/x', 4);",
        "api.idToken.setCustomClaim('https://example.com/connection', event.connection.name);",
    ] {
        assert!(output.contains(expected), "missing {expected} in\n{output}");
    }
    let renamed = migration
        .findings
        .iter()
        .filter(|f| f.code == Code::ClaimRenamed)
        .count();
    assert_eq!(renamed, 3);
    assert!(!migration
        .findings
        .iter()
        .any(|f| matches!(f.code, Code::RestrictedClaim | Code::NonNamespacedClaim)));
}

#[test]
fn namespace_option_is_validated() {
    assert_eq!(
        rules2actions::namespace_prefix("https://example.com").unwrap(),
        "https://example.com/"
    );
    assert!(rules2actions::namespace_prefix("example.com").is_err());
    assert!(rules2actions::namespace_prefix("https://acme.auth0.com/").is_err());
    assert!(rules2actions::namespace_prefix("https://localhost/").is_err());
}

#[test]
fn literal_claims_over_100_kb_are_an_error() {
    let blob = format!("'{}'", "x".repeat(101 * 1024));
    let rule = format!("function (user, context, callback) {{\n  context.idToken['https://example.com/blob'] = {blob};\n  callback(null, user, context);\n}}\n");
    let migration = rules2actions::migrate_rule(rule.as_bytes());
    assert!(migration
        .findings
        .iter()
        .any(|f| f.code == Code::ClaimsTooLarge));
    let small = rule.replace(&"x".repeat(101 * 1024), "x");
    let migration = rules2actions::migrate_rule(small.as_bytes());
    assert!(!migration
        .findings
        .iter()
        .any(|f| f.code == Code::ClaimsTooLarge));
}
