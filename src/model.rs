//! What one rule's migration yields beside its text, shared by the rewrite, the cross-rule
//! analysis and the reports. A leaf: it depends on nothing else in the crate.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub name: String,
    /// `None` when the rule did not pin a version.
    pub version: Option<String>,
}

/// A claim the Action sets: on which token, and its name when it is known before run time
/// (`https://example.com/role_…` when only the start is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub token: String,
    pub name: Option<String>,
}

/// What a rule sets and reads that other rules of the pipeline could share with it, by the first
/// key below `global`, `user` or `context`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedState {
    pub globals_set: Vec<String>,
    pub globals_read: Vec<String>,
    pub user_written: Vec<String>,
    pub user_read: Vec<String>,
    /// `context` members that are not Auth0's own inputs or outputs.
    pub context_written: Vec<String>,
    pub context_read: Vec<String>,
    /// `(token, claim)` read back from `context.idToken` / `context.accessToken`.
    pub claims_read: Vec<(String, String)>,
}
