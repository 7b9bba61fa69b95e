//! The logins `verify` tries: a base scenario, a grid of variants every rule meets (an
//! unverified email, a first login, a refresh-token exchange, …), variants seeded with the
//! code's own literals, and then mutations of exactly the fields the code read, with values
//! harvested from the Rule and the Action (compared strings, client ids, numbers and their
//! neighbours, array members), flipped booleans, missing fields and empty collections, and HTTP
//! answers varied by status, failure and the body fields the code read.
//!
//! A scenario is the JSON the workers build a Rules `context` and an Actions `event` from.

use serde_json::{json, Map, Value};
use swc_ecma_ast::{Lit, Str};
use swc_ecma_visit::{Visit, VisitWith};

/// The literals of the Rule and the Action: what their branches compare against.
#[derive(Debug, Default, Clone)]
pub struct Harvest {
    pub strings: Vec<String>,
    pub numbers: Vec<f64>,
    /// Property names the code reads (`body.frozen`): fields worth setting in HTTP answers a
    /// client parsed where the reads cannot be seen.
    pub properties: Vec<String>,
    /// Values comparisons wanted, by the field compared (an HTTP answer's field by its path in
    /// the body, whatever the call).
    pub hints: Vec<(Vec<String>, Value)>,
    /// The code uses `Date`: logins at other times are worth trying (`clock`).
    pub dates: bool,
}

impl Harvest {
    pub fn of(texts: &[&str]) -> Harvest {
        let mut collector = Collector::default();
        for text in texts {
            if let Ok((script, offsets)) = crate::parse::parse_code(text) {
                collector.offsets = Some(offsets);
                script.visit_with(&mut collector);
            }
        }
        let mut strings = collector.strings;
        if collector.dates {
            // Code that works with dates meets one long past and one far ahead of the
            // workers' clock (2026-01-01).
            strings.splice(0..0, DATES.map(str::to_string));
        }
        strings.retain(|s| !s.is_empty() && s.len() <= 120 && !s.contains('\n'));
        dedup(&mut strings);
        let mut numbers = collector.numbers;
        numbers.retain(|n| n.is_finite());
        numbers.dedup();
        let mut properties = collector.properties;
        properties.retain(|p| !COMMON_MEMBERS.contains(&p.as_str()));
        dedup(&mut properties);
        Harvest {
            strings,
            numbers,
            properties,
            hints: Vec::new(),
            dates: collector.dates,
        }
    }
}

impl Harvest {
    /// Records that a comparison wanted `field` to hold `value`.
    pub fn hint(&mut self, field: &[String], value: &Value) {
        let field = hint_key(field);
        if !self.hints.iter().any(|(f, v)| *f == field && v == value) {
            self.hints.push((field, value.clone()));
        }
    }

    /// The values comparisons wanted at `field`, most recent first.
    pub fn hinted(&self, field: &[String]) -> Vec<Value> {
        let field = hint_key(field);
        self.hints
            .iter()
            .rev()
            .filter(|(f, _)| *f == field)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Adds values the code compared at run time.
    pub fn learn<'v>(&mut self, values: impl Iterator<Item = &'v Value>) {
        for value in values {
            match value {
                // What the code compared at run time comes first: it is what a branch wanted.
                Value::String(s)
                    if !s.is_empty() && s.len() <= 120 && !self.strings.contains(s) =>
                {
                    self.strings.insert(0, s.clone());
                }
                Value::Number(n) => {
                    if let Some(n) = n.as_f64().filter(|n| n.is_finite()) {
                        if !self.numbers.contains(&n) {
                            self.numbers.push(n);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// A field as hints know it: an HTTP answer's field without the call, which varies.
fn hint_key(field: &[String]) -> Vec<String> {
    match field.first().map(String::as_str) {
        Some("@http") => std::iter::once("@http".to_string())
            .chain(field.iter().skip(2).cloned())
            .collect(),
        _ => field.to_vec(),
    }
}

fn dedup(values: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    values.retain(|v| seen.insert(v.clone()));
}

/// Members of the platform and of JavaScript itself, never fields of an HTTP answer.
const COMMON_MEMBERS: &[&str] = &[
    "length",
    "push",
    "map",
    "filter",
    "find",
    "includes",
    "indexOf",
    "join",
    "split",
    "some",
    "every",
    "forEach",
    "reduce",
    "then",
    "catch",
    "json",
    "text",
    "status",
    "statusCode",
    "ok",
    "body",
    "data",
    "headers",
    "message",
    "toString",
    "toLowerCase",
    "toUpperCase",
    "trim",
    "replace",
    "test",
    "get",
    "set",
    "has",
    "keys",
    "values",
    "entries",
    "assign",
    "stringify",
    "parse",
    "user",
    "app_metadata",
    "user_metadata",
    "idToken",
    "accessToken",
    "request",
    "query",
    "access",
    "deny",
    "secrets",
    "event",
    "api",
    "context",
    "callback",
    "exports",
    "onExecutePostLogin",
    "onContinuePostLogin",
    "setCustomClaim",
    "setAppMetadata",
    "setUserMetadata",
    "prototype",
    "call",
    "apply",
    "bind",
    "concat",
    "slice",
    "sort",
];

/// Dates for code that uses `Date`: before and after the workers' fixed clock.
const DATES: [&str; 2] = ["2001-01-01T00:00:00.000Z", "2999-01-01T00:00:00.000Z"];

#[derive(Default)]
struct Collector {
    offsets: Option<crate::parse::Offsets>,
    /// Whether the code uses `Date`.
    dates: bool,
    strings: Vec<String>,
    numbers: Vec<f64>,
    properties: Vec<String>,
}

impl Visit for Collector {
    fn visit_ident(&mut self, ident: &swc_ecma_ast::Ident) {
        self.dates |= &*ident.sym == "Date";
    }

    fn visit_str(&mut self, literal: &Str) {
        if let Some(value) = literal.value.as_atom() {
            self.strings.push(value.to_string());
        }
    }

    fn visit_lit(&mut self, literal: &Lit) {
        let in_text = self
            .offsets
            .is_none_or(|o| o.in_text(swc_common::Spanned::span(literal).lo));
        match literal {
            Lit::Num(number) if in_text => self.numbers.push(number.value),
            // `/@staff\.acme\.com$/` is compared like the string `@staff.acme.com`.
            Lit::Regex(regex) => self.strings.extend(regex_text(&regex.exp)),
            _ => {}
        }
        literal.visit_children_with(self);
    }

    fn visit_member_prop(&mut self, prop: &swc_ecma_ast::MemberProp) {
        if let swc_ecma_ast::MemberProp::Ident(name) = prop {
            self.properties.push(name.sym.to_string());
        }
        prop.visit_children_with(self);
    }
}

/// The literal text a simple regular expression matches: anchors dropped, `\.` unescaped;
/// `None` when it has classes, groups or repetition.
fn regex_text(pattern: &str) -> Option<String> {
    let pattern = pattern.strip_prefix('^').unwrap_or(pattern);
    let pattern = pattern.strip_suffix('$').unwrap_or(pattern);
    let mut text = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                escaped @ ('.' | '-' | '/' | '@' | '+' | '?' | '(' | ')' | '$' | '^' | '*') => {
                    text.push(escaped)
                }
                _ => return None,
            },
            '[' | ']' | '(' | ')' | '{' | '}' | '*' | '+' | '?' | '|' | '.' | '^' | '$' => {
                return None
            }
            c => text.push(c),
        }
    }
    (!text.is_empty()).then_some(text)
}

/// The login every scenario starts from.
pub fn base() -> Value {
    json!({
        "user": {
            "user_id": "auth0|100",
            "email": "ada@example.com",
            "email_verified": true,
            "name": "Ada",
            "nickname": "ada",
            "app_metadata": { "roles": ["viewer"], "plan": "pro", "primary_id": "200" },
            "user_metadata": { "color": "green", "locale": "fr", "department": "eng", "prefs": "{}" },
            "identities": [{ "provider": "auth0", "connection": "Username-Password-Authentication", "isSocial": false, "user_id": "100" }],
            "multifactor": []
        },
        "clientID": "client-a",
        "clientName": "Web App",
        "clientMetadata": { "required_role": "viewer" },
        "connection": "Username-Password-Authentication",
        "connectionID": "con_1",
        "connectionStrategy": "auth0",
        "connectionMetadata": { "region": "eu" },
        "tenant": "acme",
        "protocol": "oidc-basic-profile",
        "loginsCount": 3,
        "request": {
            "ip": "203.0.113.7",
            "hostname": "login.example.com",
            "userAgent": "Mozilla/5.0",
            "query": { "audience": "https://api.example.com", "scope": "openid profile read:reports" },
            "body": {},
            "geoip": {
                "country_code": "FR", "country_code3": "FRA", "country_name": "France", "city_name": "Paris",
                "latitude": 48.8, "longitude": 2.3, "time_zone": "Europe/Paris", "continent_code": "EU",
                "subdivision_code": "IDF", "subdivision_name": "Ile-de-France"
            }
        },
        "authentication": { "methods": [{ "name": "pwd", "timestamp": 1_700_000_000_000u64 }] },
        "authorization": { "roles": ["viewer"] },
        "riskAssessment": { "confidence": "high", "version": "1", "assessments": {} },
        "currentClients": ["client-a"],
        "locale": "en",
        "sessionId": "sess_1",
        "requestedScopes": ["openid", "profile", "read:reports"],
        "secrets": {},
        // What only Hooks read: the API a credentials exchange asks for, and the message a
        // send-phone-message Hook delivers.
        "audience": "https://api.example.com",
        "message": {
            "recipient": "+15555550100", "text": "Your code is 246810", "message_type": "sms",
            "action": "second-factor-authentication", "code": "246810"
        }
    })
}

/// The first scenarios: the base, a grid of variants, one seeded with each literal (up to 40),
/// and the user's own (`--scenarios`, merged over the base), which come last.
pub fn initial(harvest: &Harvest, extra: &[Value]) -> Vec<Value> {
    type Variant = fn(&mut Value);
    let grid: [Variant; 9] = [
        |_| {},
        |s| s["user"]["email_verified"] = json!(false),
        |s| {
            s["user"]["app_metadata"] =
                json!({ "roles": ["admin"], "blocked": true, "suspended": true })
        },
        |s| {
            s["user"]["app_metadata"] = json!({});
            s["user"]["user_metadata"] = json!({});
        },
        |s| {
            s["loginsCount"] = json!(1);
            s["protocol"] = json!("oauth2-refresh-token");
        },
        |s| s["request"]["query"]["prompt"] = json!("none"),
        |s| s["organization"] = json!({ "id": "org_1", "name": "acme", "metadata": { "tier": "gold", "require_mfa": "true" } }),
        |s| {
            s["riskAssessment"]["confidence"] = json!("low");
            s["authorization"]["roles"] = json!(["admin"]);
        },
        |s| {
            if let Some(methods) = s["authentication"]["methods"].as_array_mut() {
                methods.push(json!({ "name": "mfa", "timestamp": 1_700_000_001_000u64 }));
            }
            s["authorization"]["roles"] = json!(["admin"]);
        },
    ];
    let mut scenarios: Vec<Value> = grid
        .iter()
        .map(|variant| {
            let mut s = base();
            variant(&mut s);
            s
        })
        .collect();
    for literal in harvest.strings.iter().take(24) {
        let mut s = base();
        seed_with(&mut s, literal);
        scenarios.push(s);
    }
    // The workers' clock stands on a Thursday at midnight UTC; code that looks at the day or
    // the hour meets a weekend night and a weekday afternoon too.
    if harvest.dates {
        for clock in CLOCKS {
            let mut s = base();
            s["clock"] = json!(clock);
            scenarios.push(s);
            // The day or hour usually matters for some clients or users only.
            for literal in harvest.strings.iter().take(8) {
                let mut s = base();
                seed_with(&mut s, literal);
                s["clock"] = json!(clock);
                scenarios.push(s);
            }
        }
    }
    for overrides in extra {
        let mut s = base();
        merge(&mut s, overrides);
        scenarios.push(s);
    }
    scenarios
}

/// 2026-01-03 (a Saturday) 02:30 UTC, 2026-01-04 (a Sunday) 23:30 UTC, and 2025-12-31 (a
/// Wednesday) 15:45 UTC, in milliseconds.
const CLOCKS: [u64; 3] = [1_767_407_400_000, 1_767_569_400_000, 1_767_195_900_000];

/// A variant where every field a rule typically compares with a constant holds `literal`.
fn seed_with(s: &mut Value, literal: &str) {
    let text = json!(literal);
    for field in ["clientID", "clientName", "connection", "tenant"] {
        s[field] = text.clone();
    }
    s["request"]["query"]["audience"] = text.clone();
    s["request"]["hostname"] = text.clone();
    s["request"]["geoip"]["country_code"] = text.clone();
    s["request"]["geoip"]["continent_code"] = text.clone();
    s["user"]["app_metadata"]["roles"] = json!([literal]);
    s["authorization"]["roles"] = json!([literal]);
    if let Some(at) = literal.find('@') {
        s["user"]["email"] = json!(format!("someone{}", &literal[at..]));
    } else if is_domain(literal) {
        s["user"]["email"] = json!(format!("someone@{literal}"));
    }
    let ip_like = literal
        .chars()
        .all(|c| c.is_ascii_hexdigit() || c == '.' || c == ':')
        && literal.contains(['.', ':']);
    if ip_like {
        s["request"]["ip"] = text.clone();
    }
    let protocol_like = literal.contains('-')
        && literal
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if protocol_like {
        s["protocol"] = text;
    }
}

fn is_domain(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// Writes `extra` over `target`, object by object; arrays and values replace.
pub fn merge(target: &mut Value, extra: &Value) {
    match (target, extra) {
        (Value::Object(target), Value::Object(extra)) => {
            for (key, value) in extra {
                match target.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge(existing, value)
                    }
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (target, extra) => *target = extra.clone(),
    }
}

/// How `scenario` differs from the base login, as `path = value` lines (`path` removed for a
/// field it lacks): what a reader needs to reproduce a difference.
pub fn changes_from_base(scenario: &Value) -> Vec<String> {
    fn walk(path: &str, base: Option<&Value>, value: Option<&Value>, out: &mut Vec<String>) {
        match (base, value) {
            (Some(Value::Object(b)), Some(Value::Object(v))) => {
                let mut keys: Vec<&String> = b.keys().chain(v.keys()).collect();
                keys.sort();
                keys.dedup();
                for key in keys {
                    let child = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    walk(&child, b.get(key), v.get(key), out);
                }
            }
            (b, Some(v)) if b != Some(v) => out.push(format!("{path} = {v}")),
            (Some(_), None) => out.push(format!("{path} removed")),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk("", Some(&base()), Some(scenario), &mut out);
    out
}

/// The value at `path` in a scenario, if any; `[]` is an array's first element.
pub fn get<'v>(scenario: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter()
        .try_fold(scenario, |value, key| match key.as_str() {
            "[]" => value.get(0),
            key => value.get(key),
        })
}

/// `scenario` with `path` set to `value` (`None` removes it), creating objects (and, for `[]`,
/// an array with one element) on the way.
pub fn with(scenario: &Value, path: &[String], value: Option<Value>) -> Option<Value> {
    let mut out = scenario.clone();
    let (last, parents) = path.split_last()?;
    let mut current = &mut out;
    for key in parents {
        current = step(current, key)?;
    }
    if last == "[]" {
        let array = current.as_array_mut()?;
        match value {
            Some(value) if array.is_empty() => array.push(value),
            Some(value) => array[0] = value,
            None if !array.is_empty() => {
                array.remove(0);
            }
            None => {}
        }
        return Some(out);
    }
    if !current.is_object() {
        *current = Value::Object(Map::new());
    }
    let object = current.as_object_mut()?;
    match value {
        Some(value) => {
            object.insert(last.clone(), value);
        }
        None => {
            object.remove(last);
        }
    }
    Some(out)
}

/// One step down `path` while building it.
fn step<'v>(current: &'v mut Value, key: &str) -> Option<&'v mut Value> {
    if key == "[]" {
        if !current.is_array() {
            *current = Value::Array(Vec::new());
        }
        let array = current.as_array_mut()?;
        if array.is_empty() {
            array.push(Value::Object(Map::new()));
        }
        return array.get_mut(0);
    }
    if !current.is_object() {
        *current = Value::Object(Map::new());
    }
    let object = current.as_object_mut()?;
    Some(
        object
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Map::new())),
    )
}

/// How freely a field of the scenario may vary: the platform always sends some fields, with a
/// fixed type, while data a team stores (metadata, query parameters, secrets, HTTP bodies) can
/// hold anything or be missing. Mutations outside that would be logins that cannot happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Freedom {
    /// Never replaced: the scenario's skeleton.
    Fixed,
    /// Another value of the same type; never removed.
    Typed,
    /// Another value of the same type, or missing.
    TypedOrMissing,
    /// Any value, or missing.
    Free,
}

fn freedom(path: &[String]) -> Freedom {
    let keys: Vec<&str> = path.iter().map(String::as_str).collect();
    match keys.as_slice() {
        [] | ["user"] | ["request"] | ["secrets"] | ["authentication"] | ["riskAssessment"] => {
            Freedom::Fixed
        }
        ["request", "geoip" | "query" | "body"] | ["clientMetadata"] | ["connectionMetadata"] => {
            Freedom::Fixed
        }
        // A user has metadata objects, or none at all.
        ["user", "app_metadata" | "user_metadata"] => Freedom::TypedOrMissing,
        ["user", "app_metadata" | "user_metadata", ..] | ["request", "query" | "body", _, ..] => {
            Freedom::Free
        }
        // Secrets are strings, and a secret the Action declares always has a value.
        ["secrets", _] => Freedom::Typed,
        ["organization", ..] | ["clientMetadata", ..] | ["connectionMetadata", ..] => Freedom::Free,
        // Whether the Rules runtime's Management API calls fail.
        ["managementApiFails"] => Freedom::Free,
        ["user", "email_verified" | "email" | "name" | "nickname" | "picture" | "given_name"
        | "family_name"] => Freedom::Free,
        ["authorization", ..] | ["request", "geoip", _] | ["user", "multifactor"] => Freedom::Free,
        // Sent on most logins, not all.
        ["locale" | "sessionId"] => Freedom::Free,
        // Derived in the Rules runtime from the client and the connection.
        ["user", "clientID" | "connection"] => Freedom::Fixed,
        _ => Freedom::Typed,
    }
}

fn same_type(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// The values worth trying at a field: the opposite of a boolean, the code's literals (and a
/// string field's email domain), numbers around the code's numbers, a list with and without
/// each literal, empty values, and nothing.
pub fn candidates(
    current: Option<&Value>,
    path: &[String],
    harvest: &Harvest,
) -> Vec<Option<Value>> {
    let freedom = freedom(path);
    if freedom == Freedom::Fixed {
        return Vec::new();
    }
    if path == ["managementApiFails"] {
        return vec![Some(json!(true))];
    }
    // The login that comes back from a redirect: an Action tests it with a flag of its own, and
    // a library the Rule used (`@auth0/rule-utilities`) with a literal the search cannot see.
    let resumed = (path == ["protocol"]).then(|| Some(json!("redirect-callback")));
    let field = path.last().map_or("", String::as_str);
    let scopes = path.first().is_some_and(|k| k == "requestedScopes");
    // What a comparison wanted this field to hold comes first, then the changes that take
    // most branches (the other boolean, nothing, empty values), then the code's literals.
    let mut out: Vec<Option<Value>> = harvest.hinted(path).into_iter().map(Some).collect();
    out.extend(resumed);
    match current {
        Some(Value::Bool(b)) => out.push(Some(json!(!b))),
        Some(Value::Number(n)) => {
            let n = n.as_f64().unwrap_or(0.0);
            out.extend([0.0, n - 1.0, n + 1.0].map(|v| Some(json!(v))));
        }
        // A secret is never empty: the Action could not be saved.
        Some(Value::String(_)) if path.first().is_none_or(|k| k != "secrets") => {
            out.push(Some(json!("")))
        }
        Some(Value::Array(_)) => out.push(Some(json!([]))),
        Some(Value::Object(_)) => out.push(Some(json!({}))),
        // A record, whose fields the next round can set, and one with an entry already, for
        // code that goes through its keys.
        Some(Value::Null) | None => out.extend([
            Some(json!(true)),
            Some(json!(false)),
            Some(json!({})),
            Some(json!([])),
            Some(json!({ "key": "value" })),
        ]),
        Some(Value::String(_)) => {}
    }
    if current.is_some() && freedom != Freedom::Typed {
        out.push(None);
    }
    if current.is_some() && freedom == Freedom::Free {
        out.push(Some(Value::Null));
    }
    let strings = || harvest.strings.iter().take(16);
    match current {
        Some(Value::Number(_)) => {
            for h in harvest.numbers.iter().take(12) {
                out.extend([*h - 1.0, *h, *h + 1.0].map(|v| Some(json!(v))));
            }
        }
        Some(Value::String(_)) => {
            for literal in strings() {
                out.push(Some(json!(literal)));
                if field.contains("email") {
                    if let Some(at) = literal.find('@') {
                        out.push(Some(json!(format!("someone{}", &literal[at..]))));
                    } else if is_domain(literal) {
                        out.push(Some(json!(format!("someone@{literal}"))));
                    }
                }
            }
        }
        Some(Value::Array(items)) => {
            // Scopes are single words: a literal scope string gives its words.
            let words: Vec<&str> = if scopes {
                strings().flat_map(|l| l.split_whitespace()).collect()
            } else {
                strings().map(String::as_str).collect()
            };
            let mut seen_words = std::collections::HashSet::new();
            for literal in words.into_iter().filter(|w| seen_words.insert(*w)) {
                out.push(Some(json!([literal])));
                let mut more = items.clone();
                more.push(json!(literal));
                out.push(Some(Value::Array(more)));
            }
            if scopes {
                // A login that asks for one scope more than the code knows of.
                let mut more = items.clone();
                more.push(json!("offline_access"));
                out.push(Some(Value::Array(more)));
            }
        }
        Some(Value::Object(_) | Value::Bool(_)) => {}
        Some(Value::Null) | None => {
            // A list with something in it, for code that goes through one.
            if let Some(first) = harvest.strings.first() {
                out.push(Some(json!([first])));
            }
            for literal in strings() {
                out.push(Some(json!(literal)));
            }
            for h in harvest.numbers.iter().take(6) {
                out.extend([*h - 1.0, *h, *h + 1.0].map(|v| Some(json!(v))));
            }
        }
    }
    if path.first().is_some_and(|k| k == "secrets") {
        // A secret that is a claims namespace, or a URL.
        out.push(Some(json!("https://claims.example.com/")));
    }
    if matches!(freedom, Freedom::Typed | Freedom::TypedOrMissing) {
        // A missing secret gets a string, missing metadata an object; another missing typed
        // field, any value.
        let secret = path.first().is_some_and(|k| k == "secrets");
        let metadata = freedom == Freedom::TypedOrMissing;
        out.retain(|v| match (v, current) {
            (Some(v), Some(current)) => same_type(v, current),
            (Some(v), None) => (!secret || v.is_string()) && (!metadata || v.is_object()),
            (None, _) => freedom == Freedom::TypedOrMissing,
        });
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|v| {
        seen.insert(serde_json::to_string(v).unwrap_or_default()) && v.as_ref() != current
    });
    out
}

/// For a parameter of the request that comes back to /continue, a token signed with each of the
/// secrets the Rule read, as the site the user was sent to signs it (`withSignedTokens` in
/// `worker.js` signs it): without one, the code that validates it is never reached.
pub fn signed_tokens(path: &[String], secrets: &[&str]) -> Vec<Option<Value>> {
    let parameter =
        path.len() == 3 && path[0] == "request" && matches!(path[1].as_str(), "query" | "body");
    if !parameter {
        return Vec::new();
    }
    secrets
        .iter()
        .map(|name| Some(json!(format!("r2a-signed-token:{name}"))))
        .collect()
}

/// Canned answers for one HTTP call: its failures (a network error, 404, 500), each of which may
/// reach a whole path, and groups of successful answers tried side by side.
pub struct HttpCandidates {
    pub failures: Vec<Value>,
    pub groups: Vec<Vec<Value>>,
}

/// Canned answers worth trying for an HTTP call the code made: its failures, then statuses the
/// code compares with, then per body field the code read, bodies where it holds the code's
/// literals (over the body the scenario's answer already has).
pub fn http_candidates(
    call: &str,
    current: Option<&Value>,
    body_fields: &[Vec<String>],
    harvest: &Harvest,
) -> HttpCandidates {
    let (method, url) = call.split_once(' ').unwrap_or(("GET", call));
    let answer = |status: u64, body: Value| json!({ "method": method, "url": url, "status": status, "body": body });
    // A successful answer the scenario already gives is built on: its status, and its body
    // with one more field set (the next field a branch wanted).
    let current_status = current
        .and_then(|c| c.get("status"))
        .and_then(Value::as_u64);
    let succeeded = current.is_some_and(|c| c.get("error").is_none())
        && current_status.is_none_or(|s| (200..300).contains(&s));
    let (ok_status, ok_body) = match current {
        Some(c) if succeeded => (
            current_status.unwrap_or(200),
            c.get("body")
                .filter(|b| b.is_object())
                .cloned()
                .unwrap_or_else(|| json!({})),
        ),
        _ => (200, json!({})),
    };
    let failures = vec![
        json!({ "method": method, "url": url, "error": "ECONNRESET" }),
        answer(404, json!({})),
        answer(500, json!({ "error": "server_error" })),
    ];
    let mut groups = Vec::new();
    // Statuses the code compares with, and their neighbours, with the body it gets now.
    let statuses: Vec<u64> = harvest
        .numbers
        .iter()
        .filter(|n| n.fract() == 0.0 && (100.0..600.0).contains(*n))
        .flat_map(|n| [*n as u64 - 1, *n as u64, *n as u64 + 1])
        .filter(|s| (100..600).contains(s) && ![404, 500, ok_status].contains(s))
        .collect();
    let mut seen_statuses = std::collections::HashSet::new();
    let status_group: Vec<Value> = statuses
        .into_iter()
        .filter(|s| seen_statuses.insert(*s))
        .map(|s| answer(s, ok_body.clone()))
        .collect();
    if !status_group.is_empty() {
        groups.push(status_group);
    }
    // A client that parsed the body itself hides its reads: the code's property names stand in.
    let guessed: Vec<Vec<String>> = harvest
        .properties
        .iter()
        .take(12)
        .map(|p| vec![p.clone()])
        .collect();
    let fields = if body_fields.is_empty() {
        &guessed
    } else {
        body_fields
    };
    for field in fields.iter().take(12) {
        let with_value = |value: Value| {
            answer(
                ok_status,
                with(&ok_body, field, Some(value)).unwrap_or_else(|| ok_body.clone()),
            )
        };
        let mut hinted_path = vec!["@http".to_string(), call.to_string()];
        hinted_path.extend(field.iter().cloned());
        let mut group: Vec<Value> = harvest
            .hinted(&hinted_path)
            .into_iter()
            .map(with_value)
            .collect();
        // Booleans, a list of one record and a record, whose fields the next round can set.
        group.extend([json!(true), json!(false), json!([{}]), json!({})].map(with_value));
        for literal in harvest.strings.iter().take(16) {
            group.push(with_value(json!(literal)));
            group.push(with_value(json!([literal])));
        }
        group.extend(harvest.numbers.iter().take(4).map(|n| with_value(json!(n))));
        groups.push(group);
    }
    // The Management API's searches answer a list, whatever else happens.
    if lists(method, url) {
        for group in &mut groups {
            group.retain(|answer| {
                answer.get("status").is_none_or(|s| s != 200) || answer["body"].is_array()
            });
        }
        groups.push(vec![answer(200, json!([])), answer(200, json!([{}]))]);
        groups.retain(|g| !g.is_empty());
    }
    HttpCandidates { failures, groups }
}

/// Whether a call is a Management API search, which answers a list (as the worker's
/// `tenantAnswer` does by default).
fn lists(method: &str, url: &str) -> bool {
    let path = url.split('?').next().unwrap_or(url);
    let Some((_, api)) = path.split_once("/api/v2/") else {
        return false;
    };
    method == "GET"
        && (api == "users-by-email"
            || api == "users"
            || [
                "roles",
                "organizations",
                "permissions",
                "members",
                "enrollments",
                "logs",
            ]
            .iter()
            .any(|last| api.ends_with(&format!("/{last}"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_continue_parameter_gets_a_token_per_secret_the_rule_read() {
        let path = |p: &[&str]| p.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        assert_eq!(
            signed_tokens(&path(&["request", "query", "session_token"]), &["A", "B"]),
            vec![
                Some(json!("r2a-signed-token:A")),
                Some(json!("r2a-signed-token:B"))
            ]
        );
        assert!(signed_tokens(&path(&["request", "body", "token"]), &["A"]).len() == 1);
        assert!(signed_tokens(&path(&["user", "email"]), &["A"]).is_empty());
        assert!(signed_tokens(&path(&["request", "query"]), &["A"]).is_empty());
    }

    #[test]
    fn the_protocol_is_tried_as_a_login_coming_back_from_a_redirect() {
        let harvest = Harvest::of(&[]);
        let candidates = candidates(
            Some(&json!("oidc-basic-profile")),
            &["protocol".to_string()],
            &harvest,
        );
        assert!(candidates.contains(&Some(json!("redirect-callback"))));
    }

    #[test]
    fn code_that_reads_the_date_meets_other_days_and_hours() {
        let weekday_only = "function (user, context, callback) { if (new Date().getDay() === 6) return callback(new Error('closed')); callback(null, user, context); }";
        let clocks = |text: &str| {
            initial(&Harvest::of(&[text]), &[])
                .iter()
                .filter_map(|s| s["clock"].as_u64())
                .collect::<Vec<_>>()
        };
        let tried = clocks(weekday_only);
        // A Saturday and a Sunday, by the day of the week they fall on.
        let days: Vec<u64> = tried.iter().map(|ms| (ms / 86_400_000 + 4) % 7).collect();
        assert!(days.contains(&6) && days.contains(&0), "{days:?}");
        assert!(
            clocks("function (user, context, callback) { callback(null, user, context); }")
                .is_empty()
        );
    }

    #[test]
    fn literals_are_harvested_from_both_sides() {
        let harvest = Harvest::of(&[
            "function (user, context, callback) { if (context.clientID === 'abc' && user.age > 17) {} }",
            "exports.onExecutePostLogin = async (event, api) => { if (event.client.client_id === 'xyz') {} };",
        ]);
        assert_eq!(harvest.strings, ["abc", "xyz"]);
        assert_eq!(harvest.numbers, [17.0]);
        assert!(harvest.properties.contains(&"clientID".to_string()));
        let regex =
            Harvest::of(&["function (u, c, cb) { if (/@staff\\.acme\\.com$/.test(u.email)) {} }"]);
        assert_eq!(regex.strings, ["@staff.acme.com"]);
    }

    #[test]
    fn fields_are_set_and_removed_on_copies() {
        let base = base();
        let path = |p: &str| p.split('.').map(str::to_string).collect::<Vec<_>>();
        let set = with(&base, &path("user.app_metadata.tier"), Some(json!("gold"))).unwrap();
        assert_eq!(
            get(&set, &path("user.app_metadata.tier")),
            Some(&json!("gold"))
        );
        assert!(get(&base, &path("user.app_metadata.tier")).is_none());
        let removed = with(&base, &path("user.email_verified"), None).unwrap();
        assert!(get(&removed, &path("user.email_verified")).is_none());
        let harvest = Harvest {
            strings: vec!["admin".into(), "example.org".into()],
            numbers: vec![18.0],
            properties: Vec::new(),
            hints: Vec::new(),
            dates: false,
        };
        let flips = candidates(Some(&json!(true)), &path("user.email_verified"), &harvest);
        assert!(flips.contains(&Some(json!(false))) && flips.contains(&None));
        let emails = candidates(Some(&json!("a@b.c")), &path("user.email"), &harvest);
        assert!(
            emails.contains(&Some(json!("someone@example.org"))),
            "{emails:?}"
        );
        let numbers = candidates(Some(&json!(3)), &path("loginsCount"), &harvest);
        assert!(numbers.contains(&Some(json!(17.0))) && numbers.contains(&Some(json!(19.0))));
        // The platform always sends these, with their types.
        assert!(candidates(Some(&json!({})), &path("user"), &harvest).is_empty());
        let client = candidates(Some(&json!("c")), &path("clientID"), &harvest);
        assert!(!client.is_empty() && client.iter().all(|v| matches!(v, Some(Value::String(_)))));
    }
}
