//! Auth0's limits on Actions (reference: hooks-and-runtime.md §1, "Actions limits that break
//! naive 1:1 migration"). A repository or an Action over one does not deploy.

/// Actions bound to one trigger.
pub const ACTIONS_PER_TRIGGER: usize = 20;
/// npm dependencies of one Action.
pub const DEPENDENCIES_PER_ACTION: usize = 10;
/// Secrets of one Action.
pub const SECRETS_PER_ACTION: usize = 30;
/// Bytes of code of one Action ("100 kB").
pub const CODE_BYTES_PER_ACTION: usize = 100_000;
/// The Node runtimes an Action may name (`runtime` in its metadata).
pub const RUNTIMES: &[&str] = &["node18", "node22"];
