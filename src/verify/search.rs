//! The search for scenarios that tell the Rule and the Action apart. It runs the initial
//! scenarios, then keeps every scenario that reached a probe no earlier one reached (on either
//! side) or ended a new way, and mutates exactly the fields those scenarios read, one candidate
//! value at a time, round-robin over the fields, until the budget is spent or nothing is left
//! to try. The order is fixed, so the same input gives the same scenarios.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::sandbox::{NoAnswer, Worker};
use super::scenarios::{self, Harvest};

/// How much searching one rule gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub scenarios: usize,
    pub time: Duration,
    /// The longest one scenario may run on one side before its worker is killed.
    pub per_scenario: Duration,
    /// Stop at the first unexpected difference (enough to know an Action differs).
    pub stop_at_first_difference: bool,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            scenarios: 256,
            time: Duration::from_secs(10),
            per_scenario: Duration::from_secs(2),
            stop_at_first_difference: false,
        }
    }
}

/// A scenario derived from a kept one by one change, built only when it is tried: a rule with
/// many fields has thousands waiting, and each whole scenario would be kilobytes.
struct Mutation {
    /// The change, as text: the same change on another scenario is the same idea again.
    change: String,
    parent: Rc<Value>,
    edit: Edit,
}

enum Edit {
    /// A canned HTTP answer that comes before the scenario's own.
    Http(Value),
    /// A field set to a value, or removed.
    Field(Vec<String>, Option<Value>),
}

impl Mutation {
    fn scenario(self) -> Option<Value> {
        match self.edit {
            Edit::Http(answer) => {
                let mut scenario = Rc::unwrap_or_clone(self.parent);
                let mut canned = vec![answer];
                if let Some(existing) = scenario["http"].as_array() {
                    canned.extend(existing.iter().cloned());
                }
                scenario["http"] = json!(canned);
                Some(scenario)
            }
            Edit::Field(path, value) => scenarios::with(&self.parent, &path, value),
        }
    }
}

/// Mutations in a row that reach nothing new before the search stops early.
const PLATEAU: usize = 96;

/// What one side did on one scenario.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The effects, as comparable JSON, or `throws: …`.
    pub outcome: String,
    pub hits: Vec<usize>,
    pub reads: Vec<Vec<String>>,
    pub http: Vec<String>,
    /// Values the code compared at run time.
    pub seen: Vec<Value>,
    /// A field and the value a comparison wanted it to hold.
    pub hints: Vec<(Vec<String>, Value)>,
}

impl Answer {
    pub(super) fn from_worker(answer: Result<Value, NoAnswer>, per_scenario: Duration) -> Answer {
        match answer {
            Ok(value) => Answer {
                outcome: value["outcome"].as_str().unwrap_or_default().to_string(),
                hits: value["hits"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|h| h.as_u64().map(|h| h as usize))
                    .collect(),
                reads: value["reads"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|path| {
                        path.as_array().map(|keys| {
                            keys.iter()
                                .map(|k| k.as_str().map_or_else(|| k.to_string(), str::to_string))
                                .collect()
                        })
                    })
                    .collect(),
                http: value["http"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c.as_str().map(str::to_string))
                    .collect(),
                seen: value["seen"].as_array().cloned().unwrap_or_default(),
                hints: value["hints"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|hint| {
                        let path = hint[0]
                            .as_array()?
                            .iter()
                            .map(|k| k.as_str().map(str::to_string))
                            .collect::<Option<Vec<_>>>()?;
                        Some((path, hint[1].clone()))
                    })
                    .collect(),
            },
            Err(NoAnswer::TimedOut) => Answer::failure(format!(
                "throws: did not finish within {} ms (an endless loop?)",
                per_scenario.as_millis()
            )),
            Err(NoAnswer::Crashed) => Answer::failure(
                "throws: the process ended (out of memory, or the code ended it)".into(),
            ),
        }
    }

    fn failure(outcome: String) -> Answer {
        Answer {
            outcome,
            hits: Vec::new(),
            reads: Vec::new(),
            http: Vec::new(),
            seen: Vec::new(),
            hints: Vec::new(),
        }
    }

    /// The Rule's answer and the Action's are the same login when their effects are equal.
    /// A Rule that failed (threw, or never called back) failed the login: an Action that
    /// fails it too, by denying or failing itself, does the same, whatever the message.
    pub fn same_login(&self, action: &Answer) -> bool {
        self.outcome == action.outcome
            || (self.failed() && (action.failed() || action.denies()))
            || self.denied_with_what_action_threw(action)
    }

    /// The Rule denied with an error's message where the Action threw that very error: a
    /// library that caught an exception in the Rule's callback and handed it back, where the
    /// Action's awaited code lets it end the login. Same code, same message, both fail.
    fn denied_with_what_action_threw(&self, action: &Answer) -> bool {
        let Some(thrown) = action.outcome.strip_prefix("throws: ") else {
            return false;
        };
        serde_json::from_str::<Value>(&self.outcome)
            .is_ok_and(|effects| effects["denied"].as_str() == Some(thrown))
    }

    /// The outcome's kind, for telling a new way a login ended from the same way with other
    /// values: whether and how it failed, which claims, scopes, challenge and settings it made.
    fn shape(&self) -> String {
        let Ok(Value::Object(effects)) = serde_json::from_str::<Value>(&self.outcome) else {
            return if self.throws() {
                "throws".into()
            } else {
                self.outcome.clone()
            };
        };
        let keys = |v: Option<&Value>| {
            v.and_then(Value::as_object)
                .map(|o| o.keys().cloned().collect::<Vec<_>>().join(","))
                .unwrap_or_default()
        };
        format!(
            "{}|{}|{}|{}|{}|{}|{}|{}",
            effects
                .get("denied")
                .map_or(String::new(), Value::to_string),
            keys(effects.get("idToken")),
            keys(effects.get("accessToken")),
            effects
                .get("scopes")
                .map_or(String::new(), Value::to_string),
            // Challenges differ by their options too (whether the browser may be remembered).
            effects.get("mfa").map_or(String::new(), Value::to_string),
            effects.get("redirect").is_some_and(|r| !r.is_null()),
            effects.get("saml").is_some_and(|r| !r.is_null()),
            keys(effects.get("metadata").and_then(|m| m.get("app_metadata"))),
        )
    }

    pub fn throws(&self) -> bool {
        self.outcome.starts_with("throws:")
    }

    /// Threw, or timed out.
    pub fn failed(&self) -> bool {
        self.throws() || self.outcome.contains("\"error\":\"timeout\"")
    }

    fn denies(&self) -> bool {
        self.outcome.starts_with('{') && !self.outcome.contains("\"denied\":null")
    }
}

/// A scenario and what each side did.
pub struct Compared {
    pub scenario: Value,
    pub rule: Answer,
    pub action: Answer,
}

/// The Rule's answers by scenario, kept across several Actions checked against one Rule.
#[derive(Default)]
pub struct RuleCache {
    answers: HashMap<String, Answer>,
}

pub struct Search<'w> {
    pub rule: &'w mut Worker,
    pub action: &'w mut Worker,
    pub cache: &'w mut RuleCache,
    pub harvest: Harvest,
    pub budget: Budget,
    pub rule_probes: usize,
    pub action_probes: usize,
    /// Whether a scenario's answers are an unexpected difference, for
    /// [`Budget::stop_at_first_difference`].
    pub unexpected: &'w dyn Fn(&Value, &Answer, &Answer) -> bool,
}

/// Everything the search ran.
pub struct Searched {
    pub compared: Vec<Compared>,
    pub rule_reached: Vec<bool>,
    pub action_reached: Vec<bool>,
    /// Why the search stopped before it ran out of scenarios to try, if it did.
    pub cut_short: Option<String>,
}

impl Search<'_> {
    pub fn run(mut self, initial: Vec<Value>) -> Searched {
        let started = Instant::now();
        let mut rule_reached = vec![false; self.rule_probes];
        let mut action_reached = vec![false; self.action_probes];
        let mut compared: Vec<Compared> = Vec::new();
        let mut tried: HashSet<String> = HashSet::new();
        let mut outcomes: HashSet<(String, String)> = HashSet::new();
        // For each kept scenario, its mutations still to try, how many it has had, and its
        // weight: how much new code it reached.
        let mut pending: Vec<(VecDeque<Mutation>, usize, usize)> = Vec::new();
        // How often each change (a field and its new value) was tried on scenarios that
        // reached the same code.
        let mut changes_tried: HashMap<String, usize> = HashMap::new();
        // Every field either side has read: a scenario that reads a new one leads somewhere.
        let mut fields_read: HashSet<(bool, Vec<String>)> = HashSet::new();
        let mut queue: VecDeque<Value> = initial.into();
        let mut cut_short = None;
        // Scenarios since coverage or outcomes last grew: a long plateau ends the search.
        let mut since_growth = 0;
        loop {
            if since_growth >= PLATEAU && queue.is_empty() {
                break;
            }
            // The initial scenarios first. Then over the kept scenarios, each in proportion to
            // the new code it reached, each one's next change not yet tried on a scenario that
            // reached the same code: a change is a new idea again where the code it runs in is
            // new.
            let next = queue.pop_front().map(Some).or_else(|| {
                let (entry, position, _) = pending
                    .iter()
                    .enumerate()
                    .filter_map(|(i, (items, taken, weight))| {
                        let (position, tried) = items
                            .iter()
                            .map(|m| changes_tried.get(&m.change).copied().unwrap_or(0))
                            .enumerate()
                            .min_by_key(|(position, tried)| (*tried, *position))?;
                        Some((i, position, (tried, *taken * 64 / *weight, position, i)))
                    })
                    .min_by_key(|(_, _, key)| *key)?;
                let (items, taken, _) = &mut pending[entry];
                let mutation = items.remove(position)?;
                *taken += 1;
                *changes_tried.entry(mutation.change.clone()).or_default() += 1;
                Some(mutation.scenario())
            });
            let Some(scenario) = next else { break };
            // A change that does not apply to its scenario (a field under a value that is not
            // a record) is no scenario.
            let Some(scenario) = scenario else { continue };
            let key = serde_json::to_string(&scenario).unwrap_or_default();
            if !tried.insert(key.clone()) {
                continue;
            }
            if compared.len() >= self.budget.scenarios {
                cut_short = Some(format!("the budget of {} scenarios", self.budget.scenarios));
                break;
            }
            if started.elapsed() >= self.budget.time {
                cut_short = Some(format!(
                    "the time budget of {} s",
                    self.budget.time.as_secs()
                ));
                break;
            }
            let id = compared.len();
            let rule = match self.cache.answers.get(&key) {
                Some(answer) => answer.clone(),
                None => {
                    let answer = Answer::from_worker(
                        self.rule.run(id, &scenario, self.budget.per_scenario),
                        self.budget.per_scenario,
                    );
                    self.cache.answers.insert(key, answer.clone());
                    answer
                }
            };
            let action = Answer::from_worker(
                self.action.run(id, &scenario, self.budget.per_scenario),
                self.budget.per_scenario,
            );
            self.harvest.learn(rule.seen.iter().chain(&action.seen));
            for (path, value) in rule.hints.iter().chain(&action.hints) {
                self.harvest.hint(path, value);
            }
            // How much new this scenario found: probes first reached, a new way to end, fields
            // first read.
            let mut found = usize::from(outcomes.insert((rule.shape(), action.shape())));
            for (side, reads) in [(false, &rule.reads), (true, &action.reads)] {
                for path in reads {
                    found += usize::from(fields_read.insert((side, path.clone())));
                }
            }
            for (hits, reached) in [
                (&rule.hits, &mut rule_reached),
                (&action.hits, &mut action_reached),
            ] {
                for &hit in hits {
                    if let Some(slot) = reached.get_mut(hit) {
                        // New code counts for more than a new field.
                        found += if *slot { 0 } else { 4 };
                        *slot = true;
                    }
                }
            }
            if found > 0 {
                since_growth = 0;
                pending.push((self.mutations(&scenario, &rule, &action), 0, found.min(64)));
            } else {
                since_growth += 1;
            }
            let stop = self.budget.stop_at_first_difference
                && (self.unexpected)(&scenario, &rule, &action);
            compared.push(Compared {
                scenario,
                rule,
                action,
            });
            if stop {
                break;
            }
        }
        Searched {
            compared,
            rule_reached,
            action_reached,
            cut_short,
        }
    }

    /// Every variation of `scenario` at the fields either side read, field by field
    /// interleaved so that each field gets its first candidate before any gets its second.
    fn mutations(&self, scenario: &Value, rule: &Answer, action: &Answer) -> VecDeque<Mutation> {
        // The code this scenario reached, on both sides: the same change on a scenario that
        // reached the same code is the same idea again.
        let mut rule_hits = rule.hits.clone();
        let mut action_hits = action.hits.clone();
        rule_hits.sort_unstable();
        action_hits.sort_unstable();
        let mut hasher = DefaultHasher::new();
        (rule_hits, action_hits).hash(&mut hasher);
        let signature = format!("{:016x}", hasher.finish());
        let parent = Rc::new(scenario.clone());
        let mut fields: Vec<&Vec<String>> = Vec::new();
        let mut body_fields: HashMap<&str, Vec<Vec<String>>> = HashMap::new();
        for path in rule.reads.iter().chain(&action.reads) {
            if path.first().map(String::as_str) == Some("@http") {
                if let (Some(call), Some(rest)) = (path.get(1), path.get(2..)) {
                    body_fields
                        .entry(call.as_str())
                        .or_default()
                        .push(rest.to_vec());
                }
                continue;
            }
            // Secrets only the Action reads are the ones the migration added (a Management API
            // application's): varying them tests the tenant's setup, not the conversion.
            let added_secret =
                path.first().is_some_and(|k| k == "secrets") && !rule.reads.contains(path);
            if !fields.contains(&path) && !added_secret {
                fields.push(path);
            }
        }
        // HTTP answers first: a few of them reach whole paths (errors, failures, bodies).
        let mut per_field: Vec<VecDeque<Mutation>> = Vec::new();
        // The Rule's calls make the world both sides run in; calls only the Action makes (a
        // Management API token, say) answer as the tenant does, and their failures are the
        // findings' business.
        let mut calls: Vec<&String> = rule.http.iter().collect();
        calls.dedup();
        let http_change = |answer: Value| Mutation {
            change: format!("{signature} http {answer}"),
            parent: Rc::clone(&parent),
            edit: Edit::Http(answer),
        };
        let mut answers = Vec::new();
        for call in calls {
            let bodies = body_fields.get(call.as_str()).cloned().unwrap_or_default();
            let current = answer_for(scenario, call);
            let candidates = scenarios::http_candidates(call, current, &bodies, &self.harvest);
            // Every call's failures before any call's bodies.
            per_field.extend(
                candidates
                    .failures
                    .into_iter()
                    .map(|answer| VecDeque::from([http_change(answer)])),
            );
            answers.extend(candidates.groups);
        }
        per_field.extend(
            answers
                .into_iter()
                .map(|group| group.into_iter().map(http_change).collect()),
        );
        let secrets: Vec<&str> = rule
            .reads
            .iter()
            .filter(|p| p.len() == 2 && p[0] == "secrets")
            .map(|p| p[1].as_str())
            .collect();
        per_field.extend(fields.iter().map(|path| {
            scenarios::signed_tokens(path, &secrets)
                .into_iter()
                .chain(scenarios::candidates(
                    scenarios::get(scenario, path),
                    path,
                    &self.harvest,
                ))
                .map(|value| Mutation {
                    change: format!(
                        "{signature} {} = {}",
                        path.join("."),
                        serde_json::to_string(&value).unwrap_or_default()
                    ),
                    parent: Rc::clone(&parent),
                    edit: Edit::Field(path.to_vec(), value),
                })
                .collect::<VecDeque<Mutation>>()
        }));
        let mut out = VecDeque::new();
        while per_field.iter().any(|f| !f.is_empty()) {
            for field in &mut per_field {
                if let Some(next) = field.pop_front() {
                    out.push_back(next);
                }
            }
        }
        out
    }
}

/// The canned answer `scenario` gives the call `METHOD URL`, as the workers match it: the first
/// of the same method whose URL starts the call's.
fn answer_for<'s>(scenario: &'s Value, call: &str) -> Option<&'s Value> {
    let (method, url) = call.split_once(' ')?;
    scenario["http"].as_array()?.iter().find(|answer| {
        answer["method"]
            .as_str()
            .unwrap_or("GET")
            .eq_ignore_ascii_case(method)
            && answer["url"]
                .as_str()
                .is_some_and(|prefix| url.starts_with(prefix))
    })
}
