//! `DIR/.rules2actions-state.json`: for each Action `migrate --out` wrote, a hash of the rule it
//! came from and of the code generated from it. `check --actions DIR` compares them with the
//! rules and Actions of today to tell a stale Action (its rule changed since) from one a human
//! edited (which is not drift).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::{json, Value};

pub const STATE: &str = ".rules2actions-state.json";

/// What was generated for one Action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Hash of the rule's source.
    pub rule: String,
    /// Hash of the code generated from it.
    pub code: String,
}

/// The state file's contents: Action name → what was generated.
pub type State = BTreeMap<String, Generated>;

pub fn read_state(dir: &Path) -> State {
    let Some(value) = fs::read_to_string(dir.join(STATE))
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
    else {
        return State::new();
    };
    value["actions"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(name, entry)| {
            Some((
                name.clone(),
                Generated {
                    rule: entry["rule"].as_str()?.to_string(),
                    code: entry["code"].as_str()?.to_string(),
                },
            ))
        })
        .collect()
}

/// The state file's text for `state`.
pub fn state_text(state: &State) -> String {
    let actions: serde_json::Map<String, Value> = state
        .iter()
        .map(|(name, g)| (name.clone(), json!({ "rule": g.rule, "code": g.code })))
        .collect();
    let mut text = serde_json::to_string_pretty(&json!({ "version": 1, "actions": actions }))
        .expect("JSON serialises");
    text.push('\n');
    text
}

/// FNV-1a, 64 bits, as hex: stable across versions and platforms, enough to notice a change.
pub fn fingerprint(bytes: &[u8]) -> String {
    format!("{:016x}", fingerprint_more(FINGERPRINT_START, bytes))
}

/// The state of a [`fingerprint`] before any byte (FNV-1a).
pub(super) const FINGERPRINT_START: u64 = 0xcbf2_9ce4_8422_2325;

/// The fingerprint state `hash` carried on over `bytes`, for a file hashed as it is written.
pub(super) fn fingerprint_more(mut hash: u64, bytes: &[u8]) -> u64 {
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}
