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
}
