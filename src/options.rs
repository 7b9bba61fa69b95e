//! Choices a user makes about how rules are judged.

/// How claims without a namespace are judged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ClaimsPolicy {
    /// The tenant enforces namespacing (every Rules tenant before July 2022, and any tenant with
    /// "Custom claims must be namespaced" on): Auth0 drops non-namespaced claims, so the Action
    /// silently loses them. The safe default: a dropped claim is an error.
    #[default]
    Enforced,
    /// The tenant accepts non-namespaced claims: claims the Rule's tokens never carried may now
    /// appear, which is a behaviour change to review.
    Relaxed,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub claims_policy: ClaimsPolicy,
    /// With `--namespace`: the prefix given to restricted and non-namespaced claim names, and to
    /// the claims suggested for lost `user` fields. Always ends with `/`.
    pub namespace: Option<String>,
    /// Codes whose findings are suppressed (`--ignore`, `rules2actions.toml`).
    pub ignore: Vec<crate::registry::Code>,
    /// `--explain-failure`: an internal error (R2A006) carries the text that did not parse.
    pub explain_failure: bool,
    /// The trigger the input is for, when its source says (a Hook's `triggerId`); otherwise a
    /// Rule, or a Hook its signature tells (`trigger::by_signature`). Not a user's choice.
    pub trigger: Option<&'static crate::trigger::Trigger>,
    /// The source says the input is a Hook (it was read from `hooks/`), so a Rule's signature
    /// does not make it a Rule.
    pub hook: bool,
    /// The `runtime` the metadata of an Action already written names (`actions/<name>.json`).
    pub declared_runtime: Option<String>,
    /// Package versions the Hook's metadata declared (`dependencies`), for the `require`s that
    /// name none.
    pub declared_versions: Vec<(String, String)>,
}

/// Checks a `--namespace` value and gives it a trailing `/`.
pub fn namespace_prefix(value: &str) -> Result<String, String> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or_else(|| format!("the namespace `{value}` must start with https:// or http://"))?;
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    if host.is_empty() || !host.contains('.') {
        return Err(format!(
            "the namespace `{value}` needs a domain name, like https://example.com/"
        ));
    }
    let prefix = format!("{}{}", value, if value.ends_with('/') { "" } else { "/" });
    match crate::tables::claims::classify(&format!("{prefix}x")) {
        crate::tables::claims::ClaimName::Accepted => Ok(prefix),
        _ => Err(format!("the namespace `{value}` is reserved by Auth0")),
    }
}
