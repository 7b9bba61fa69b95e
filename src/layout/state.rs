//! `DIR/.rules2actions-state.json`: for each Action `migrate --out` wrote, a hash of the rule it
//! came from and of the code generated from it. `check --actions DIR` compares them with the
//! rules and Actions of today to tell a stale Action (its rule changed since) from one a human
//! edited (which is not drift).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

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

/// The state file as written: keys in sorted order, as `read_state` and older versions expect.
#[derive(Serialize)]
struct StateFile<'a> {
    actions: BTreeMap<&'a str, StateEntry<'a>>,
    version: u32,
}

#[derive(Serialize)]
struct StateEntry<'a> {
    code: &'a str,
    rule: &'a str,
}

/// The state file's text for `state`, serialised straight from it: a JSON value tree of
/// 10,000 Actions would cost ten times the text.
pub fn state_text(state: &State) -> String {
    let file = StateFile {
        actions: state
            .iter()
            .map(|(name, g)| {
                let entry = StateEntry {
                    code: &g.code,
                    rule: &g.rule,
                };
                (name.as_str(), entry)
            })
            .collect(),
        version: 1,
    };
    let mut text = serde_json::to_string_pretty(&file).expect("JSON serialises");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_file_keeps_its_sorted_keys_and_reads_back() {
        let mut state = State::new();
        for (name, rule, code) in [("b", "02", "0b"), ("a", "01", "0a")] {
            let generated = Generated {
                rule: rule.into(),
                code: code.into(),
            };
            state.insert(name.into(), generated);
        }
        let text = state_text(&state);
        assert_eq!(
            text,
            "{\n  \"actions\": {\n    \"a\": {\n      \"code\": \"0a\",\n      \"rule\": \"01\"\n    },\n    \"b\": {\n      \"code\": \"0b\",\n      \"rule\": \"02\"\n    }\n  },\n  \"version\": 1\n}\n"
        );
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(STATE), text).unwrap();
        assert_eq!(read_state(dir.path()), state);
    }
}
