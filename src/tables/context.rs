//! Rules `context.*` reads and their Actions `event.*` equivalents (reference §3).

use crate::registry::Code;

#[derive(Debug)]
pub enum ContextRead {
    /// Rewrite the matched path to `event.<target>`.
    Event {
        target: &'static str,
        /// Reported whenever the mapping is used.
        finding: Option<Code>,
        /// `Closed` objects only have the children listed in this table.
        children: Children,
    },
    /// No Actions equivalent; reported, left in place.
    Unsupported,
    /// No Actions equivalent, with a finding of its own; reported, left in place.
    Unavailable(Code),
    /// The Hook's secrets (`context.webtask.secrets`): each becomes `event.secrets.<name>`, a
    /// secret the Action declares.
    Secrets,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Children {
    Open,
    Closed,
}

use Children::{Closed, Open};
use ContextRead::{Event, Unsupported};

pub const fn event(target: &'static str) -> ContextRead {
    Event {
        target,
        finding: None,
        children: Open,
    }
}

pub const fn object(target: &'static str, finding: Option<Code>) -> ContextRead {
    Event {
        target,
        finding,
        children: Closed,
    }
}

pub const fn noted(target: &'static str, code: Code) -> ContextRead {
    Event {
        target,
        finding: Some(code),
        children: Open,
    }
}

/// Keyed by the dotted path below `context`. Lookups use the longest matching prefix.
pub static CONTEXT_READS: &[(&str, ContextRead)] = &[
    ("clientID", event("client.client_id")),
    ("clientName", event("client.name")),
    ("clientMetadata", event("client.metadata")),
    ("connection", event("connection.name")),
    ("connectionID", event("connection.id")),
    ("connectionStrategy", event("connection.strategy")),
    ("connectionMetadata", event("connection.metadata")),
    ("connectionOptions", Unsupported),
    ("tenant", event("tenant.id")),
    ("protocol", event("transaction?.protocol")),
    ("stats", object("stats", Some(Code::ShapeChanges))),
    ("stats.loginsCount", event("stats.logins_count")),
    ("sso", object("session", Some(Code::ShapeChanges))),
    (
        "sso.current_clients",
        noted(
            "session?.clients?.map((client) => client.client_id)",
            Code::ShapeChanges,
        ),
    ),
    ("sso.with_auth0", Unsupported),
    ("sso.with_dbconn", Unsupported),
    ("sessionID", Unsupported),
    (
        "auth0SessionId",
        noted("session?.id", Code::UnofficialMapping),
    ),
    (
        "locale",
        noted("transaction?.locale", Code::UnofficialMapping),
    ),
    ("original_protocol", Unsupported),
    ("jwtConfiguration", Unsupported),
    ("primaryUser", Unsupported),
    ("multifactor", Unsupported),
    ("redirect", Unsupported),
    ("samlConfiguration", Unsupported),
    ("riskAssessment", event("authentication?.riskAssessment")),
    ("authentication", object("authentication", None)),
    ("authentication.methods", event("authentication?.methods")),
    ("authorization", object("authorization", None)),
    ("authorization.roles", event("authorization?.roles")),
    ("organization", event("organization")),
    ("request", object("request", Some(Code::ShapeChanges))),
    ("request.ip", event("request.ip")),
    ("request.hostname", event("request.hostname")),
    ("request.userAgent", event("request.user_agent")),
    ("request.query", event("request.query")),
    ("request.body", event("request.body")),
    (
        "request.geoip",
        object("request.geoip", Some(Code::ShapeChanges)),
    ),
    (
        "request.geoip.country_code",
        event("request.geoip.countryCode"),
    ),
    (
        "request.geoip.country_code3",
        event("request.geoip.countryCode3"),
    ),
    (
        "request.geoip.country_name",
        event("request.geoip.countryName"),
    ),
    ("request.geoip.city_name", event("request.geoip.cityName")),
    ("request.geoip.latitude", event("request.geoip.latitude")),
    ("request.geoip.longitude", event("request.geoip.longitude")),
    ("request.geoip.time_zone", event("request.geoip.timeZone")),
    (
        "request.geoip.continent_code",
        event("request.geoip.continentCode"),
    ),
    (
        "request.geoip.subdivision_code",
        event("request.geoip.subdivisionCode"),
    ),
    (
        "request.geoip.subdivision_name",
        event("request.geoip.subdivisionName"),
    ),
];

/// `context.protocol` values of Rules that `event.transaction.protocol` never takes.
/// Protocols whose logins cannot be redirected (reference: "certain protocols such as
/// `oauth2-resource-owner`, `oauth2-refresh-token` do not support redirecting the user").
pub static PROTOCOLS_THAT_CANNOT_REDIRECT: &[&str] = &[
    "oauth2-password",
    "oauth2-refresh-token",
    "oauth2-resource-owner",
];

pub static PROTOCOLS_ABSENT_IN_ACTIONS: &[&str] = &["redirect-callback", "delegation"];

/// Top-level members that are written, not read: their handling lives in the write rewrites.
pub static TOKEN_MEMBERS: &[&str] = &["idToken", "accessToken"];

/// The longest table entry that is a prefix of `keys`, and how many keys it covers.
pub fn longest_match<'t>(
    table: &'t [(&str, ContextRead)],
    keys: &[&str],
) -> Option<(usize, &'t ContextRead)> {
    let mut path = String::new();
    let mut best = None;
    for (depth, key) in keys.iter().enumerate() {
        if depth > 0 {
            path.push('.');
        }
        path.push_str(key);
        match table.iter().find(|(p, _)| *p == path) {
            Some((_, read)) => best = Some((depth + 1, read)),
            None => break,
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_prefix_wins() {
        let (depth, read) = longest_match(
            CONTEXT_READS,
            &["request", "geoip", "country_code", "toLowerCase"],
        )
        .expect("geoip is mapped");
        assert_eq!(depth, 3);
        assert!(matches!(
            read,
            Event {
                target: "request.geoip.countryCode",
                ..
            }
        ));
    }

    #[test]
    fn unknown_members_do_not_match() {
        assert!(longest_match(CONTEXT_READS, &["someCustomThing"]).is_none());
    }

    #[test]
    fn every_parent_of_a_nested_entry_is_in_the_table() {
        for (path, _) in CONTEXT_READS {
            if let Some((parent, _)) = path.rsplit_once('.') {
                assert!(
                    CONTEXT_READS.iter().any(|(p, _)| *p == parent),
                    "{path} has no parent entry, so longest_match cannot reach it"
                );
            }
        }
    }
}
