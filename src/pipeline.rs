//! Pipeline analysis: rules ran as one pipeline that shared `user`, `context` and `global`;
//! Actions share none of them. Given the enabled rules in the order they ran, this finds where
//! a rule relied on another: each finding names both rules and suggests the fix.

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

pub fn analyse(rules: &[PipelineRule<'_>]) -> Vec<PipelineFinding> {
    let mut findings: Vec<PipelineFinding> = too_many_for_the_trigger(rules).into_iter().collect();
    for (later_index, later) in rules.iter().enumerate() {
        let shared = &later.migration.shared;
        for global in &shared.globals_read {
            if shared.globals_set.contains(global) {
                continue;
            }
            if let Some(provider) = rules
                .iter()
                .find(|r| r.migration.shared.globals_set.contains(global))
            {
                findings.push(PipelineFinding {
                    code: Code::GlobalSharedAcrossRules,
                    rules: [provider.name.to_string(), later.name.to_string()],
                    message: format!(
                        "`global.{global}` is set by rule `{}` and used by rule `{}`; Actions share no `global`",
                        provider.name, later.name
                    ),
                    help: format!(
                        "copy the definition of `{global}` from `{}` into the Action of `{}`, or merge the two rules into one Action",
                        provider.name, later.name
                    ),
                });
            }
        }
        for earlier in &rules[..later_index] {
            let provided = &earlier.migration.shared;
            for key in shared.user_read.iter().filter(|k| {
                provided.user_written.contains(k) && !PERSISTED_USER_KEYS.contains(&k.as_str())
            }) {
                findings.push(passed_on("user", key, earlier.name, later.name));
            }
            for key in shared
                .context_read
                .iter()
                .filter(|k| provided.context_written.contains(k))
            {
                findings.push(passed_on("context", key, earlier.name, later.name));
            }
            for (token, claim) in &shared.claims_read {
                let set = earlier
                    .migration
                    .claims
                    .iter()
                    .any(|c| c.token == *token && c.name.as_deref() == Some(claim));
                if set {
                    findings.push(claim_dependency(
                        format!("rule `{}` reads back the {token} claim `{claim}` that rule `{}` set; Actions cannot read claims", later.name, earlier.name),
                        "pass the value with `api.transaction.setMetadata` in the first Action and read `event.transaction.metadata` in the second",
                        earlier.name,
                        later.name,
                    ));
                }
            }
            for claim in &later.migration.claims {
                let Some(name) = &claim.name else { continue };
                let overwrites = earlier
                    .migration
                    .claims
                    .iter()
                    .any(|c| c.token == claim.token && c.name.as_ref() == Some(name));
                if overwrites {
                    findings.push(claim_dependency(
                        format!("the {} claim `{name}` is set by rule `{}` and again by rule `{}`: the last Action to run wins, as the last rule did", claim.token, earlier.name, later.name),
                        "keep the Actions bound in the rules' order, or set the claim in one Action only",
                        earlier.name,
                        later.name,
                    ));
                }
            }
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
