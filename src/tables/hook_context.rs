//! The `context` of each Hook extensibility point and its Actions `event` equivalents
//! (`../shared/reference/hooks-and-runtime.md` §2.1–2.2). Every Hook's `context` carries
//! `webtask`, whose `secrets` become the Action's secrets.

use super::context::{event, noted, object, ContextRead};
use crate::registry::Code;

use ContextRead::{Secrets, Unavailable};

/// credentials-exchange: `context` holds the webtask alone.
pub static WEBTASK_ONLY: &[(&str, ContextRead)] = &[
    ("webtask", object("webtask", None)),
    ("webtask.secrets", Secrets),
    ("webtask.storage", Unavailable(Code::WebtaskStorage)),
];

/// pre- and post-user-registration.
pub static REGISTRATION: &[(&str, ContextRead)] = &[
    ("webtask", object("webtask", None)),
    ("webtask.secrets", Secrets),
    ("webtask.storage", Unavailable(Code::WebtaskStorage)),
    ("requestLanguage", event("request.language")),
    (
        "renderLanguage",
        noted("transaction?.locale", Code::UnofficialMapping),
    ),
    ("connection", object("connection", None)),
    ("connection.id", event("connection.id")),
    ("connection.name", event("connection.name")),
    ("connection.tenant", event("tenant.id")),
    ("request", object("request", None)),
    ("request.ip", event("request.ip")),
    ("request.language", event("request.language")),
    ("request.userAgent", event("request.user_agent")),
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
];

/// post-change-password: the connection and the webtask.
pub static PASSWORD_CHANGE: &[(&str, ContextRead)] = &[
    ("webtask", object("webtask", None)),
    ("webtask.secrets", Secrets),
    ("webtask.storage", Unavailable(Code::WebtaskStorage)),
    ("connection", object("connection", None)),
    ("connection.id", event("connection.id")),
    ("connection.name", event("connection.name")),
    ("connection.tenant", event("tenant.id")),
];

/// send-phone-message: the message, the client and the user are `context` members.
pub static PHONE_MESSAGE: &[(&str, ContextRead)] = &[
    ("webtask", object("webtask", None)),
    ("webtask.secrets", Secrets),
    ("webtask.storage", Unavailable(Code::WebtaskStorage)),
    ("message_type", event("message_options.message_type")),
    ("action", event("message_options.action")),
    ("code", event("message_options.code")),
    (
        "language",
        noted("request.language", Code::UnofficialMapping),
    ),
    ("ip", noted("request.ip", Code::UnofficialMapping)),
    (
        "user_agent",
        noted("request.user_agent", Code::UnofficialMapping),
    ),
    ("client", object("client", None)),
    ("client.client_id", event("client.client_id")),
    ("client.name", event("client.name")),
    (
        "client.client_metadata",
        noted("client.metadata", Code::UnofficialMapping),
    ),
    ("user", event("user")),
    ("factor_type", Unavailable(Code::HookMemberUnavailable)),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parent_of_a_nested_entry_is_in_each_table() {
        for table in [WEBTASK_ONLY, REGISTRATION, PASSWORD_CHANGE, PHONE_MESSAGE] {
            for (path, _) in table {
                if let Some((parent, _)) = path.rsplit_once('.') {
                    assert!(
                        table.iter().any(|(p, _)| *p == parent),
                        "{path} has no parent entry"
                    );
                }
            }
        }
    }
}
