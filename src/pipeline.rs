//! Pipeline analysis: rules ran as one pipeline that shared `user`, `context` and `global`;
//! Actions share none of them. Given the enabled rules in the order they ran, this finds where
//! a rule relied on another: each finding names both rules and suggests the fix.

use std::collections::{HashMap, HashSet};

use crate::registry::Code;
use crate::Migration;

/// A rule of the pipeline, in order.
pub struct PipelineRule<'a> {
    pub name: &'a str,
    pub migration: &'a Migration,
}

/// A dependency between two rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineFinding {
    pub code: Code,
    /// The rule that provides the value, then the rule that uses it.
    pub rules: [String; 2],
    pub message: String,
    pub help: String,
}

impl PipelineFinding {
    /// The rules concerned, each once: a finding about one rule names it once.
    pub fn rule_names(&self) -> Vec<&str> {
        let [first, second] = &self.rules;
        if first == second {
            vec![first]
        } else {
            vec![first, second]
        }
    }
}

/// Metadata persisted with `api.user.set*Metadata` reaches later Actions in `event.user`.
const PERSISTED_USER_KEYS: &[&str] = &["app_metadata", "user_metadata"];

/// The findings of a pipeline, in the rules' order. Each reader gets one finding per value it
/// relies on, naming the nearest earlier rule that provided it, so the findings grow with the
/// rules, not with the pairs of rules.
pub fn analyse(rules: &[PipelineRule<'_>]) -> Vec<PipelineFinding> {
    let mut findings: Vec<PipelineFinding> = too_many_for_the_trigger(rules).into_iter().collect();
    // A `global` is set once per container whichever rule ran first, so the first setter is
    // named, even when it runs later.
    let mut global_setters: HashMap<&str, &str> = HashMap::new();
    for rule in rules {
        for global in &rule.migration.shared.globals_set {
            global_setters.entry(global.as_str()).or_insert(rule.name);
        }
    }
    // The latest rule so far that wrote each value.
    let mut user_writers: HashMap<&str, &str> = HashMap::new();
    let mut context_writers: HashMap<&str, &str> = HashMap::new();
    let mut claim_setters: HashMap<(&str, &str), &str> = HashMap::new();
    for later in rules {
        let shared = &later.migration.shared;
        let mut reported: HashSet<(&str, &str)> = HashSet::new();
        for global in &shared.globals_read {
            if shared.globals_set.contains(global) || !reported.insert(("global", global)) {
                continue;
            }
            if let Some(provider) = global_setters.get(global.as_str()) {
                findings.push(PipelineFinding {
                    code: Code::GlobalSharedAcrossRules,
                    rules: [provider.to_string(), later.name.to_string()],
                    message: format!(
                        "`global.{global}` is set by rule `{provider}` and used by rule `{}`; Actions share no `global`",
                        later.name
                    ),
                    help: format!(
                        "copy the definition of `{global}` from `{provider}` into the Action of `{}`, or merge the two rules into one Action",
                        later.name
                    ),
                });
            }
        }
        for key in &shared.user_read {
            if PERSISTED_USER_KEYS.contains(&key.as_str()) || !reported.insert(("user", key)) {
                continue;
            }
            if let Some(earlier) = user_writers.get(key.as_str()) {
                findings.push(passed_on("user", key, earlier, later.name));
            }
        }
        for key in &shared.context_read {
            if !reported.insert(("context", key)) {
                continue;
            }
            if let Some(earlier) = context_writers.get(key.as_str()) {
                findings.push(passed_on("context", key, earlier, later.name));
            }
        }
        for (token, claim) in &shared.claims_read {
            if !reported.insert((token, claim)) {
                continue;
            }
            if let Some(earlier) = claim_setters.get(&(token.as_str(), claim.as_str())) {
                findings.push(claim_dependency(
                    format!("rule `{}` reads back the {token} claim `{claim}` that rule `{earlier}` set; Actions cannot read claims", later.name),
                    "pass the value with `api.transaction.setMetadata` in the first Action and read `event.transaction.metadata` in the second",
                    earlier,
                    later.name,
                ));
            }
        }
        let mut set_here: HashSet<(&str, &str)> = HashSet::new();
        for claim in &later.migration.claims {
            let Some(name) = &claim.name else { continue };
            if !set_here.insert((claim.token.as_str(), name)) {
                continue;
            }
            if let Some(earlier) = claim_setters.get(&(claim.token.as_str(), name.as_str())) {
                findings.push(claim_dependency(
                    format!("the {} claim `{name}` is set by rule `{earlier}` and again by rule `{}`: the last Action to run wins, as the last rule did", claim.token, later.name),
                    "keep the Actions bound in the rules' order, or set the claim in one Action only",
                    earlier,
                    later.name,
                ));
            }
        }
        // This rule's writes reach the rules after it, not itself.
        for key in &shared.user_written {
            user_writers.insert(key.as_str(), later.name);
        }
        for key in &shared.context_written {
            context_writers.insert(key.as_str(), later.name);
        }
        for (token, name) in set_here {
            claim_setters.insert((token, name), later.name);
        }
    }
    findings
}

fn passed_on(object: &str, key: &str, earlier: &str, later: &str) -> PipelineFinding {
    PipelineFinding {
        code: Code::ValuePassedBetweenRules,
        rules: [earlier.to_string(), later.to_string()],
        message: format!(
            "rule `{earlier}` sets `{object}.{key}` and rule `{later}` reads it; a change to `event` is not visible to other Actions"
        ),
        help: format!(
            "in `{earlier}`, call `api.transaction.setMetadata('{key}', value)`; in `{later}`, read `event.transaction.metadata.{key}`"
        ),
    }
}

fn claim_dependency(message: String, help: &str, earlier: &str, later: &str) -> PipelineFinding {
    PipelineFinding {
        code: Code::ClaimSharedAcrossRules,
        rules: [earlier.to_string(), later.to_string()],
        message,
        help: help.to_string(),
    }
}

/// `R2A954` when more rules are enabled than one trigger binds, with the merge of the last
/// rules that brings the count down to the limit.
fn too_many_for_the_trigger(pipeline: &[PipelineRule<'_>]) -> Option<PipelineFinding> {
    use crate::tables::limits::ACTIONS_PER_TRIGGER;
    if pipeline.len() <= ACTIONS_PER_TRIGGER {
        return None;
    }
    let tail: Vec<&str> = pipeline[ACTIONS_PER_TRIGGER - 1..]
        .iter()
        .map(|r| r.name)
        .collect();
    Some(PipelineFinding {
        code: Code::TooManyActionsForTrigger,
        rules: [tail[0].to_string(), tail[tail.len() - 1].to_string()],
        message: format!(
            "{} enabled rules become {} post-login Actions; a trigger binds at most {ACTIONS_PER_TRIGGER}",
            pipeline.len(),
            pipeline.len()
        ),
        help: format!(
            "merge rules that run together, for example the last ones: `--merge \"{}\"`",
            tail.join(",")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate_rule;

    fn rule(body: &str) -> Migration {
        migrate_rule(format!("function (user, context, callback) {{\n{body}\n  callback(null, user, context);\n}}\n").as_bytes())
    }

    fn codes(rules: &[(&str, &Migration)]) -> Vec<(Code, [String; 2])> {
        let pipeline: Vec<PipelineRule<'_>> = rules
            .iter()
            .map(|(name, migration)| PipelineRule { name, migration })
            .collect();
        analyse(&pipeline)
            .into_iter()
            .map(|f| (f.code, f.rules))
            .collect()
    }

    fn pair(a: &str, b: &str) -> [String; 2] {
        [a.to_string(), b.to_string()]
    }

    #[test]
    fn more_rules_than_a_trigger_binds_suggest_merging_the_last_ones() {
        let names: Vec<String> = (1..=22).map(|i| format!("rule {i}")).collect();
        let migrations: Vec<Migration> = (1..=22)
            .map(|i| {
                rule(&format!(
                    "  context.idToken['https://example.com/claim{i}'] = {i};"
                ))
            })
            .collect();
        let rules: Vec<(&str, &Migration)> = names
            .iter()
            .zip(&migrations)
            .map(|(n, m)| (n.as_str(), m))
            .collect();
        assert_eq!(
            codes(&rules),
            [(Code::TooManyActionsForTrigger, pair("rule 20", "rule 22"))]
        );
        let pipeline: Vec<PipelineRule<'_>> = rules
            .iter()
            .map(|(name, migration)| PipelineRule { name, migration })
            .collect();
        assert!(analyse(&pipeline)[0]
            .help
            .contains("--merge \"rule 20,rule 21,rule 22\""));
        assert!(codes(&rules[..20]).is_empty(), "20 rules fit");
    }

    #[test]
    fn a_helper_defined_in_one_rule_and_used_in_another_is_found() {
        let define = rule("  global.lookup = global.lookup || function (x) { return x; };");
        let using = rule("  context.idToken['https://example.com/v'] = global.lookup(1);");
        assert_eq!(
            codes(&[("define", &define), ("use", &using)]),
            [(Code::GlobalSharedAcrossRules, pair("define", "use"))]
        );
    }

    #[test]
    fn values_passed_on_user_and_context_are_found_but_persisted_metadata_is_not() {
        let first = rule(
            "  user.tier = 'gold';\n  context.riskScore = 3;\n  user.app_metadata.seen = true;",
        );
        let second = rule("  if (user.tier === 'gold' && context.riskScore < 5 && user.app_metadata.seen) {\n    context.idToken['https://example.com/ok'] = true;\n  }");
        let found = codes(&[("first", &first), ("second", &second)]);
        assert_eq!(
            found,
            [
                (Code::ValuePassedBetweenRules, pair("first", "second")),
                (Code::ValuePassedBetweenRules, pair("first", "second")),
            ]
        );
        // The other way round nothing was passed on.
        assert!(codes(&[("second", &second), ("first", &first)]).is_empty());
    }

    #[test]
    fn a_reader_hears_of_the_nearest_earlier_writer_only() {
        let writers: Vec<Migration> = (0..3).map(|_| rule("  user.tier = 'gold';")).collect();
        let reader = rule("  if (user.tier === 'gold') {\n    context.idToken['https://example.com/ok'] = true;\n  }");
        let found = codes(&[
            ("w1", &writers[0]),
            ("w2", &writers[1]),
            ("w3", &writers[2]),
            ("reader", &reader),
        ]);
        assert_eq!(
            found,
            [(Code::ValuePassedBetweenRules, pair("w3", "reader"))]
        );
    }

    #[test]
    fn findings_grow_linearly_with_a_replicated_pipeline() {
        let writer = rule("  user.tier = 'gold';\n  context.idToken['https://example.com/plan'] = 'pro';\n  global.lookup = function (x) { return x; };");
        let reader = rule("  const plan = context.idToken['https://example.com/plan'];\n  if (user.tier === plan) {\n    context.idToken['https://example.com/ok'] = global.lookup(1);\n  }");
        let count = |copies: usize| {
            let rules: Vec<(&str, &Migration)> = (0..copies)
                .flat_map(|_| [("writer", &writer), ("reader", &reader)])
                .collect();
            codes(&rules)
                .into_iter()
                .filter(|(code, _)| *code != Code::TooManyActionsForTrigger)
                .count()
        };
        let (small, large) = (count(50), count(200));
        // Every reader relies on three values and every rule after the first two sets a claim
        // again: a fixed number per pair of rules, so 4× the rules give 4× the findings (a
        // finding per pair of rules would give 16×).
        let growth = large as f64 / small as f64;
        assert!(
            small > 0 && growth < 4.5,
            "{small} findings for 100 rules, {large} for 400"
        );
    }

    #[test]
    fn claims_read_back_or_set_twice_are_found() {
        let first = rule("  context.idToken['https://example.com/plan'] = 'pro';");
        let second = rule("  const plan = context.idToken['https://example.com/plan'];\n  context.idToken['https://example.com/plan'] = plan + '+';");
        let found = codes(&[("first", &first), ("second", &second)]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found
            .iter()
            .all(|(code, _)| *code == Code::ClaimSharedAcrossRules));
    }
}
