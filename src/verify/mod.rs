//! `rules2actions verify`: proof by execution. Each Rule and its Action run side by side in
//! Node.js over generated scenarios, and every difference in what the login does is reported.
//!
//! The harness (`harness.js`) builds a Rules runtime (`configuration`, `UnauthorizedError`, the
//! callback contract) and an Actions runtime (an `event` mapped from the same scenario, and a
//! strict `api` that throws on members the post-login API does not have). Effects are compared
//! after Auth0's claim filter. A difference that a finding announced (the `unauthorized` error
//! code, shapes that change, code left for a human) is counted as expected, tied to the codes.

use std::process::Command;

use serde_json::Value;

use crate::finding::Finding;
use crate::migrate::Migration;
use crate::options::ClaimsPolicy;
use crate::registry::{Code, Severity};
use crate::tables::claims::{OIDC_PROFILE_CLAIMS, RESTRICTED_CLAIMS};
use crate::tables::context::PROTOCOLS_THAT_CANNOT_REDIRECT;
use crate::tables::modules::SANDBOX_GLOBALS;

const HARNESS: &str = include_str!("harness.js");

/// Findings that announce a behaviour change the harness will see.
const ANNOUNCING: &[Code] = &[
    Code::ErrorValueOfUnknownType,
    Code::CodeAfterCallback,
    Code::CallbackNeverCalled,
    Code::CallbackMissedOnSomePath,
    Code::ShapeChanges,
    Code::ProtocolValueAbsent,
    Code::ClaimsObjectReplaced,
    Code::ScopesComputed,
    Code::RedirectGuardBecomesCanRedirect,
    Code::RedirectTokenValidated,
    Code::ManagementApiFromClientCredentials,
];

/// One scenario on which the Rule and the Action did different things.
#[derive(Debug, Clone)]
pub struct Mismatch {
    pub scenario: Value,
    pub rule: String,
    pub action: String,
}

#[derive(Debug, Default)]
pub struct Verification {
    pub scenarios: usize,
    /// Differences no finding announced: bugs in the conversion.
    pub unexpected: Vec<Mismatch>,
    /// Differences a finding announced, with its codes.
    pub expected: Vec<(Mismatch, Vec<Code>)>,
    /// npm packages the rule needs that are not installed where `verify` runs: nothing ran.
    pub missing_packages: Vec<String>,
    /// The Action's effects on each user-written scenario, in order (JSON, or `throws: …`).
    pub given: Vec<String>,
}

#[derive(Debug)]
pub enum VerifyError {
    NodeMissing,
    Harness(String),
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::NodeMissing => f.write_str(
                "Node.js 18 or later is needed to run Rules and Actions: install it (for example `apt-get install nodejs`) and make sure `node` is on the PATH",
            ),
            VerifyError::Harness(message) => write!(f, "the verification harness failed: {message}"),
        }
    }
}

/// How to run the comparison.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    pub claims_policy: ClaimsPolicy,
    /// User-written scenarios: partial scenario objects merged over the base scenario.
    pub scenarios: Vec<Value>,
    /// The folder whose `node_modules` holds the packages the rules require (default: the
    /// current directory).
    pub modules: Option<std::path::PathBuf>,
}

/// Reads `--scenarios FILE`: a JSON array of scenario objects.
pub fn read_scenarios(text: &str) -> Result<Vec<Value>, String> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) if items.iter().all(Value::is_object) => Ok(items),
        Ok(_) => Err("the scenarios file must hold a JSON array of objects".into()),
        Err(e) => Err(format!("the scenarios file is not valid JSON: {e}")),
    }
}

/// Runs the migration's Rule and `action` side by side. The migration's findings tell
/// announced differences from unexpected ones.
pub fn verify(
    migration: &Migration,
    action: &str,
    options: &VerifyOptions,
) -> Result<Verification, VerifyError> {
    let (rule, findings) = (migration.source.as_str(), migration.findings.as_slice());
    let dependencies: Vec<&str> = migration
        .dependencies
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    let sandbox: serde_json::Map<String, Value> = SANDBOX_GLOBALS
        .iter()
        .map(|g| (g.name.to_string(), Value::from(g.package)))
        .collect();
    let dir = tempfile::tempdir().map_err(|e| VerifyError::Harness(e.to_string()))?;
    let paths = ["harness.js", "rule.js", "action.js"].map(|name| dir.path().join(name));
    let harness = format!(
        "const RESTRICTED_CLAIMS_LIST = {};\nconst OIDC_PROFILE_CLAIMS_LIST = {};\nconst SANDBOX_GLOBALS = {};\nconst DEPENDENCIES = {};\nconst EXTRA_SCENARIOS = {};\nconst CANNOT_REDIRECT_LIST = {};\n{HARNESS}",
        Value::from(RESTRICTED_CLAIMS.to_vec()),
        Value::from(OIDC_PROFILE_CLAIMS.to_vec()),
        Value::Object(sandbox),
        Value::from(dependencies),
        Value::Array(options.scenarios.clone()),
        Value::from(PROTOCOLS_THAT_CANNOT_REDIRECT.to_vec()),
    );
    for (path, text) in paths.iter().zip([harness.as_str(), rule, action]) {
        std::fs::write(path, text).map_err(|e| VerifyError::Harness(e.to_string()))?;
    }
    let policy = match options.claims_policy {
        ClaimsPolicy::Enforced => "enforced",
        ClaimsPolicy::Relaxed => "relaxed",
    };
    let mut command = Command::new("node");
    if let Some(modules) = &options.modules {
        command.current_dir(modules);
    }
    let output = command
        .args(&paths)
        .arg(policy)
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => VerifyError::NodeMissing,
            _ => VerifyError::Harness(e.to_string()),
        })?;
    if !output.status.success() {
        return Err(VerifyError::Harness(
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ));
    }
    let report: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| VerifyError::Harness(format!("unreadable report: {e}")))?;
    let mut verification = Verification {
        scenarios: report["scenarios"].as_u64().unwrap_or(0) as usize,
        given: report["given"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str().map(str::to_string))
            .collect(),
        missing_packages: report["missing"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str().map(str::to_string))
            .collect(),
        ..Verification::default()
    };
    for mismatch in report["mismatches"].as_array().into_iter().flatten() {
        let mismatch = Mismatch {
            scenario: mismatch["scenario"].clone(),
            rule: mismatch["rule"].as_str().unwrap_or_default().to_string(),
            action: mismatch["action"].as_str().unwrap_or_default().to_string(),
        };
        match announced_by(&mismatch, findings) {
            Some(codes) => verification.expected.push((mismatch, codes)),
            None => verification.unexpected.push(mismatch),
        }
    }
    Ok(verification)
}

/// The findings that announced this difference, if any did.
fn announced_by(mismatch: &Mismatch, findings: &[Finding]) -> Option<Vec<Code>> {
    let has = |code: Code| findings.iter().any(|f| f.code == code);
    if only_error_code_differs(mismatch) && has(Code::UnauthorizedBecomesAccessDenied) {
        return Some(vec![Code::UnauthorizedBecomesAccessDenied]);
    }
    // Code left for a human (an error finding) behaves differently until someone fixes it.
    let mut codes: Vec<Code> = findings
        .iter()
        .map(|f| f.code)
        .filter(|code| ANNOUNCING.contains(code) || code.severity() == Severity::Error)
        .collect();
    codes.sort();
    codes.dedup();
    (!codes.is_empty()).then_some(codes)
}

/// Both denied with the same message; only `unauthorized` versus `access_denied` differs.
fn only_error_code_differs(mismatch: &Mismatch) -> bool {
    let parse = |text: &str| serde_json::from_str::<Value>(text).ok();
    let (Some(mut rule), Some(mut action)) = (parse(&mismatch.rule), parse(&mismatch.action))
    else {
        return false;
    };
    rule["error"] = Value::Null;
    action["error"] = Value::Null;
    rule == action
}
