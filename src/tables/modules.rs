//! Node modules: core modules, and the implicit globals of the old Rules sandbox (reference §5).

/// A module global that Rules on Node ≤ 12 provided without `require`.
pub struct SandboxGlobal {
    pub name: &'static str,
    pub package: &'static str,
    /// The version recorded as the Action's dependency; `None` leaves it to the user.
    pub version: Option<&'static str>,
}

const fn global(
    name: &'static str,
    package: &'static str,
    version: Option<&'static str>,
) -> SandboxGlobal {
    SandboxGlobal {
        name,
        package,
        version,
    }
}

pub static SANDBOX_GLOBALS: &[SandboxGlobal] = &[
    global("_", "lodash", Some("4.17.21")),
    global("async", "async", Some("2.6.4")),
    global("Auth0", "auth0", Some("2.44.1")),
    global("azure_storage", "azure-storage", None),
    // Native modules cannot be installed in Actions: bcryptjs has the same API in plain JS.
    global("bcrypt", "bcryptjs", Some("2.4.3")),
    global("couchbase", "couchbase", None),
    global("cql", "node-cassandra-cql", None),
    global("crypto", "crypto", None),
    global("ip", "ip", Some("1.1.9")),
    global("jwt", "jsonwebtoken", Some("8.5.1")),
    global("Knex", "knex", None),
    global("mongo", "mongodb", None),
    global("mysql", "mysql", None),
    global("pbkdf2", "pbkdf2", None),
    global("pg", "pg", None),
    global("postgres", "pg", None),
    global("Pubnub", "pubnub", None),
    global("q", "q", Some("1.5.1")),
    global("querystring", "querystring", None),
    global("request", "request", Some("2.88.2")),
    global("sqlserver", "tedious", None),
    global("uuid", "uuid", Some("3.4.0")),
    global("xml2js", "xml2js", Some("0.4.23")),
    global("xmldom", "xmldom", None),
    global("xpath", "xpath", None),
    global("xtend", "xtend", Some("4.0.2")),
];

/// Node core modules: required without a dependency.
pub static CORE_MODULES: &[&str] = &[
    "assert",
    "buffer",
    "child_process",
    "crypto",
    "dns",
    "events",
    "fs",
    "http",
    "https",
    "net",
    "os",
    "path",
    "punycode",
    "querystring",
    "stream",
    "string_decoder",
    "timers",
    "tls",
    "url",
    "util",
    "zlib",
];

/// Packages whose latest version lacks the API rules were written against: an unversioned
/// `require` of one gets the last version that has it (reference §1.4).
pub static RULES_ERA_PINS: &[(&str, &str, &str)] = &[
    (
        "uuid",
        "3.4.0",
        "uuid 7 removed the default export that `uuid()` calls, and uuid 12 cannot be required",
    ),
    (
        "auth0",
        "2.44.1",
        "auth0 4 removed callbacks and wraps every response in `{ data }`",
    ),
    (
        "jsonwebtoken",
        "8.5.1",
        "jsonwebtoken 9 changed which tokens and keys `verify` accepts by default",
    ),
    (
        "node-fetch",
        "2.7.0",
        "node-fetch 3 is an ES module and cannot be required",
    ),
];

/// Native modules, which Actions cannot install, with the plain-JS package of the same API.
pub static NATIVE_REPLACEMENTS: &[(&str, &str, &str)] = &[("bcrypt", "bcryptjs", "2.4.3")];

pub fn rules_era_pin(package: &str) -> Option<(&'static str, &'static str)> {
    RULES_ERA_PINS
        .iter()
        .find(|(name, ..)| *name == package)
        .map(|(_, version, why)| (*version, *why))
}

pub fn native_replacement(package: &str) -> Option<(&'static str, &'static str)> {
    NATIVE_REPLACEMENTS
        .iter()
        .find(|(name, ..)| *name == package)
        .map(|(_, replacement, version)| (*replacement, *version))
}

pub fn sandbox_global(name: &str) -> Option<&'static SandboxGlobal> {
    SANDBOX_GLOBALS.iter().find(|g| g.name == name)
}

pub fn is_core_module(name: &str) -> bool {
    name.starts_with("node:") || CORE_MODULES.contains(&name)
}

/// Splits `pkg@1.2.3` / `@scope/pkg@1.2.3` into name and version.
pub fn split_versioned(specifier: &str) -> (&str, Option<&str>) {
    let search_from = usize::from(specifier.starts_with('@'));
    match specifier[search_from..].find('@') {
        Some(i) => {
            let at = search_from + i;
            (&specifier[..at], Some(&specifier[at + 1..]))
        }
        None => (specifier, None),
    }
}

/// Names that `global.X` reaches in any Node program: the Action has them too, so a
/// `global.X` read of one of them is not a value another rule left behind.
pub static NODE_GLOBALS: &[&str] = &[
    "Buffer",
    "console",
    "process",
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "setImmediate",
    "fetch",
    "URL",
    "URLSearchParams",
    "JSON",
    "Math",
    "Date",
    "Promise",
    "Object",
    "Array",
    "String",
    "Number",
    "Boolean",
    "Error",
    "crypto",
    "structuredClone",
    "TextEncoder",
    "TextDecoder",
    "AbortController",
];

/// Functions and methods that call the function they are given more than once, or never in
/// the error-first way: a last-argument handler of theirs is not a one-shot callback.
pub static CALLS_THAT_REPEAT_THEIR_HANDLER: &[&str] = &[
    "forEach",
    "map",
    "filter",
    "some",
    "every",
    "reduce",
    "reduceRight",
    "find",
    "findIndex",
    "flatMap",
    "sort",
    "replace",
    "replaceAll",
    "then",
    "catch",
    "finally",
    "on",
    "once",
    "addListener",
    "each",
    "eachSeries",
    "eachLimit",
    "eachOf",
    "forEachOf",
    "mapSeries",
    "mapLimit",
    "whilst",
    "until",
    "times",
    "timesSeries",
    "waterfall",
    "series",
    "parallel",
    "setTimeout",
    "setInterval",
    "setImmediate",
    "nextTick",
    "queueMicrotask",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_plain_and_scoped_specifiers() {
        assert_eq!(
            split_versioned("lodash@4.17.21"),
            ("lodash", Some("4.17.21"))
        );
        assert_eq!(
            split_versioned("@slack/webhook@6.1.0"),
            ("@slack/webhook", Some("6.1.0"))
        );
        assert_eq!(split_versioned("@slack/webhook"), ("@slack/webhook", None));
        assert_eq!(split_versioned("request"), ("request", None));
    }
}
