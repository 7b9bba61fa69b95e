//! The one registry of finding codes. A code never changes meaning; retired codes are not reused.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Static description of one code: what `explain` prints.
pub struct CodeInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub doc: &'static str,
}

macro_rules! codes {
    ($($variant:ident = $id:literal, $name:literal, $severity:ident, $summary:literal, $doc:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant),* }

        pub static REGISTRY: &[(Code, CodeInfo)] = &[
            $((Code::$variant, CodeInfo {
                id: $id,
                name: $name,
                severity: Severity::$severity,
                summary: $summary,
                doc: $doc,
            })),*
        ];
    };
}

codes! {
    SyntaxError = "R2A001", "syntax-error", Error,
        "The rule is not valid JavaScript",
        "The rule could not be parsed, so nothing was converted.\n\nFix the syntax error in the rule (the span shows where the parser stopped) and run the migration again. Auth0 stored this rule as-is, so it may never have run successfully.";
    NotARule = "R2A002", "not-a-rule", Error,
        "The file does not hold exactly one rule function",
        "A rule is a single function expression: `function (user, context, callback) { ... }`,\noptionally named or `async`, optionally followed by `;`.\n\nThe file held something else (several statements, a non-function expression, or a\nfunction with a different parameter shape), so it was not converted.";
    AlreadyAnAction = "R2A003", "already-an-action", Info,
        "The file is already a post-login Action; left unchanged",
        "The file assigns `exports.onExecutePostLogin`, so it is already an Action.\nMigrating an Action again changes nothing.";
    InputTooComplex = "R2A004", "input-too-complex", Error,
        "The rule is too large or too deeply nested to convert safely",
        "Rules larger than the size cap or nested deeper than the nesting cap are refused with this\nerror instead of risking a crash. Auth0 Actions are limited to 100 KB of code, so such a rule\nneeds to be split by hand.";
    UnreadableInput = "R2A005", "unreadable-input", Error,
        "The file is binary or not UTF-8 text",
        "Rules are JavaScript source text. The file contains NUL bytes or invalid UTF-8, so it was\nnot treated as a rule. Re-export it as UTF-8.";
    InvalidOutput = "R2A006", "invalid-output", Error,
        "Internal error: the generated Action did not re-parse; nothing was written",
        "Every generated Action is parsed again before it is used. This one failed, which is a bug in\nrules2actions. The rule is reported as failed and no file is written. Please report the rule.";
    HandlerParamsRenamed = "R2A007", "handler-params-renamed", Info,
        "The rule already uses the name `event` or `api`; the handler parameters were renamed",
        "The Action handler receives `(event, api)`. The rule itself uses one of those names, so the\nhandler uses other parameter names to avoid shadowing. Behaviour is unchanged.";
    ThisOrArguments = "R2A008", "this-or-arguments", Error,
        "The rule uses `this` or `arguments`, which an arrow-function handler does not bind",
        "The Action handler is an arrow function, so `this` and `arguments` inside it refer to the\nmodule, not to the rule's call. Replace them with explicit parameters.";
    RuleParamReassigned = "R2A009", "rule-param-reassigned", Error,
        "A rule parameter (user, context or callback) is reassigned or redeclared",
        "The conversion follows the rule's parameters by name. After `user = ...`, `context = ...` or\n`callback = ...` the name no longer means the parameter, so uses after it cannot be converted\nsafely. Use a new local variable instead.";
    UnsupportedSignature = "R2A010", "unsupported-signature", Error,
        "The rule's parameters are not three plain identifiers",
        "Rules are called as `(user, context, callback)`. Destructured, defaulted or rest parameters,\nand generator functions, are not converted. Rewrite the header as three plain names.";
    RewriteLeftOut = "R2A012", "rewrite-left-out", Error,
        "A statement is left as the Rule wrote it: its rewrites did not fit together",
        "The rewrites of this statement made an Action that does not parse, so the statement was\nleft exactly as the Rule wrote it and the rest of the rule was converted. It still uses the\nRules names (`user`, `context`, `callback`), so the Action fails here until it is converted\nby hand; the Action is written unbound. This is a gap in rules2actions: please report the rule.";
    ActionApiMemberUnknown = "R2A013", "action-api-member-unknown", Error,
        "An Action calls an `api` member its trigger does not have",
        "Action (a widely read tutorial's):\n    api.idToken.addClaim({ 'https://example.com/role': role });\nAction that runs:\n    api.idToken.setCustomClaim('https://example.com/role', role);\n\n`check` reads Actions already in a repository too. The `api` object of each trigger has a fixed\nset of members (for post-login: `access.deny`, `idToken.setCustomClaim`, `accessToken.addScope`,\n`user.setAppMetadata`, …); calling any other one throws `TypeError: … is not a function` on\nevery login that reaches it.";
    CodeAfterDeny = "R2A014", "code-after-deny", Warning,
        "An Action goes on after `api.access.deny`",
        "Action:\n    if (!event.user.email_verified) {\n      api.access.deny('Email is unverified');\n    }\n    api.idToken.setCustomClaim('https://example.com/plan', plan);\nWhat stops there:\n    if (!event.user.email_verified) {\n      return api.access.deny('Email is unverified');\n    }\n\n`api.access.deny` records the denial; it does not end the handler. The code after it still\nruns: its requests are sent, its metadata updates are queued and a later `deny` replaces the\nreason. Return after the deny unless that is meant.";
    ActionEventMemberUnknown = "R2A015", "action-event-member-unknown", Warning,
        "An Action reads an `event` member its trigger does not have",
        "Action:\n    exports.onExecuteCredentialsExchange = async (event, api) => {\n      if (event.user.email_verified) { … }\n    };\n\nEach trigger's `event` has a fixed set of members: a credentials exchange has a `client` and\nno `user`, a post-login has no `message_options`. Reading one it lacks gives `undefined`, and\nreading a member of that throws on every execution. `check` knows each trigger's top-level\nmembers; read the one the trigger has (`event.client`, `event.resource_server`).";
    PromiseNotAwaited = "R2A016", "promise-not-awaited", Warning,
        "An Action starts asynchronous work it does not await",
        "Action:\n    exports.onExecutePostLogin = async (event, api) => {\n      axios.post(event.secrets.AUDIT_URL, { user: event.user.user_id });\n    };\nWhat waits for it:\n    await axios.post(event.secrets.AUDIT_URL, { user: event.user.user_id });\n\nAuth0 may end the execution as soon as the handler's promise settles: a request that is not\nawaited may never be sent, an `api` call in its `.then` lands after the handler returned and is\nignored, and its failure is never seen. `check` reports calls that return a promise (`fetch`,\n`axios`, a `ManagementClient` method, a `.then` chain, an `async` function of the file) made\nas a statement of the handler without `await` or `return`.";
    UnknownSuppression = "R2A011", "unknown-suppression", Warning,
        "A `rules2actions-ignore` comment names a code that does not exist",
        "`// rules2actions-ignore R2A101` suppresses the findings of that code on its line and the next\n(`rules2actions-ignore-file` on the whole rule). This comment names a code that rules2actions\ndoes not have, so it suppresses nothing: check the spelling with `rules2actions explain`.";

    UnauthorizedBecomesAccessDenied = "R2A101", "unauthorized-becomes-access-denied", Warning,
        "`UnauthorizedError` returned `error=unauthorized`; `api.access.deny` returns `error=access_denied`",
        "Rule:\n    return callback(new UnauthorizedError('Blocked'));\nAction:\n    return api.access.deny('Blocked');\n\nIn Rules the application received `error=unauthorized`. Actions always return\n`error=access_denied`; no API chooses the code. Applications that branch on the error code must\nbe updated. Auth0 suggests encoding a code in the message instead.";
    CallbackInNestedFunction = "R2A102", "callback-in-nested-function", Error,
        "`callback` is called inside a nested function (asynchronous rule); not converted",
        "The callback is called from a nested function such as a request callback or a promise\nhandler. The Action must await that work instead. This conversion is not automatic yet: rewrite\nthe asynchronous call with `await` and `return api.access.deny(...)` on failure.";
    CallbackAsValue = "R2A103", "callback-as-value", Error,
        "`callback` is used as a value or inside an expression; not converted",
        "The callback is passed to another function, stored in a variable, or called inside a larger\nexpression. Only `callback(...);` and `return callback(...);` statements are converted.";
    ErrorValueOfUnknownType = "R2A104", "error-value-of-unknown-type", Warning,
        "`callback` receives an error of an unknown kind; the Action denies with its message",
        "Rule:\n    return callback(buildError(user));\nAction:\n    return api.access.deny(((error) => error?.message ?? String(error))(buildError(event.user)));\n\nThe first argument is neither a literal, `new Error(...)`, `new UnauthorizedError(...)` nor a\nvariable. In Rules an empty value meant success; the Action always denies. Check that the value\nis never empty here. (A plain variable such as `err` is converted to a check at run time.)";
    CodeAfterCallback = "R2A105", "code-after-callback", Warning,
        "Code after this callback ran in the Rule but no longer runs in the Action",
        "`callback(...)` did not stop the rule: statements after it still ran. The Action returns at\nthat point, which is what the rule meant in almost every case, but side effects after the call\n(logging, HTTP calls) no longer happen.";
    CallbackNeverCalled = "R2A106", "callback-never-called", Warning,
        "The rule never calls `callback`",
        "A rule that never calls its callback timed out and failed the login. The Action returns and\nthe login succeeds. Check that this rule was really in use.";
    CallbackMissedOnSomePath = "R2A109", "callback-missed-on-some-path", Warning,
        "On some path the rule ends without calling `callback`",
        "Rule:\n    if (user.email_verified) {\n      return callback(null, user, context);\n    }\n    // falls off the end: the login timed out\nIn Rules a path that never called back made the login time out and fail. The Action returns\nand the login succeeds. Call back (or deny) on every path.";
    CallbackShim = "R2A108", "callback-shim", Warning,
        "Asynchronous rule: the Action keeps the callback as a shim and waits for it",
        "The rule calls `callback` from nested functions (request callbacks, promise handlers,\ntimers) or hands it on. The Action wraps the rule's body in a promise and defines the callback\nas a local function: an error denies the login with its message, any call ends the handler,\nand a second call is ignored, as in Rules. A rule that never calls back makes the Action wait\nuntil Auth0's time limit, as Rules timed out. Rewriting the calls with `await` reads better.";
    PromiseChainAwaited = "R2A110", "promise-chain-awaited", Info,
        "A promise chain that ended in `callback` is awaited",
        "Rule:\n    fetch(url).then(function (res) { ...; callback(null, user, context); })\n      .catch(function (err) { callback(err); });\nAction:\n    try {\n      const res = await fetch(url);\n      ...\n    } catch (err) {\n      return err ? api.access.deny(err.message ?? String(err)) : undefined;\n    }\nThe handlers run in the same order and the `catch` block handles the same errors as the\n`.catch` handler did (a `.catch` after `.then` also caught errors thrown by the handler).\nReview that the Action reads well; its behaviour is the Rule's.";
    CodeAfterCallbackRunsFirst = "R2A113", "code-after-callback-runs-first", Warning,
        "The rule went on after calling back; the Action runs the rest before the login completes",
        "Rule:\n    callback(null, user, context);\n    auth0.users.updateAppMetadata(user.user_id, user.app_metadata);\nAction:\n    api.user.setAppMetadata('last_login', …);\n\nThe statements after the call ran in the Rule, so the Action keeps them, and it ends after\nthem. In the Rule the login had already succeeded when they ran; in the Action an error they\nthrow now fails the login, and they delay it. Check that they cannot throw.";
    CallbackCalledTwice = "R2A111", "callback-called-twice", Warning,
        "`callback` is called again on a path that already called it",
        "Rule:\n    if (!user.email_verified) {\n      callback(new UnauthorizedError('verify your email')); // no return\n    }\n    callback(null, user, context);\nEach rule must call its callback exactly once; a second call had unpredictable results. The\nAction returns at the first call, so the login ends the way the first call said. Add the\nmissing `return` in the Rule's logic, or check that the first call is the intended outcome.";
    NodeCallbackAwaited = "R2A112", "node-callback-awaited", Info,
        "A node-style call whose handler called back is awaited",
        "Rule:\n    request.post(options, function (err, res, body) {\n      if (err) return callback(err);\n      callback(null, user, context);\n    });\nAction:\n    const [err, res, body] = await new Promise((resolve) => request.post(options, (...results) => resolve(results)));\n    if (err) return api.access.deny(err.message ?? String(err));\n\nThe call still gets a handler, which hands its arguments to the Action; the handler's\nstatements follow, with `callback` converted as everywhere else. Only error-first handlers\n(`err`, `error`, …) are awaited this way: by convention they are called exactly once. The\nlibrary stays a dependency; the diff is easier to review than a rewrite to `fetch`, whose\nstatus, JSON and timeout handling differ from `request`'s.";
    CallbackReplacesUserOrContext = "R2A107", "callback-replaces-user-or-context", Error,
        "`callback` passes a different user or context object; not converted",
        "Rules could hand a modified `user` or `context` to the next rule. Actions cannot: use\n`api.*` methods for side effects and `api.transaction.setMetadata` to pass data on.";

    ContextMemberUnsupported = "R2A201", "context-member-unsupported", Error,
        "This `context` member has no Actions equivalent",
        "Auth0 documents no alternative for this member (for example `context.connectionOptions`,\n`context.sso.with_auth0`, `context.sso.with_dbconn`, `context.sessionID` or\n`context.jwtConfiguration`). The code was left in place and must be rewritten by hand.";
    ContextMemberUnknown = "R2A202", "context-member-unknown", Error,
        "Unknown `context` member; not converted",
        "The rule reads a `context` member that is not in the Rules context reference, so there is no\nknown mapping. It was left unchanged and the Action will fail at that line until it is fixed.";
    ContextAsValue = "R2A203", "context-as-value", Error,
        "`context` is used as a whole value; not converted",
        "`context` is passed to a function, aliased or iterated. Actions have no single object that\nmatches it: reads go to `event.*` and writes to `api.*`. Rewrite the use by hand.";
    ContextWriteNotConverted = "R2A204", "context-write-not-converted", Error,
        "This write to `context` is not converted",
        "The rule changes a `context` member that this version of the tool does not convert (for\nexample `context.redirect`, `context.samlConfiguration` or `context.accessToken.scope`), or a\nread-only one. The statement was left in place.";
    ShapeChanges = "R2A205", "shape-changes", Warning,
        "The Actions value has a different shape (keys or type) from the Rules value",
        "Examples: `context.request.geoip` keys are camelCase in Actions (`countryCode`, not\n`country_code`); `context.stats` becomes `event.stats` with `logins_count`;\n`context.sso.current_clients` held client ids but `event.session.clients` holds objects. Code\nthat reads such an object whole, or with a computed key, needs review.";
    UnofficialMapping = "R2A206", "unofficial-mapping", Warning,
        "The Actions equivalent used here is not documented by Auth0",
        "The member is undocumented in Rules and the equivalent used comes from community tooling (for\nexample `context.locale` to `event.transaction.locale`). Test it before relying on it.";
    ProtocolValueAbsent = "R2A207", "protocol-value-absent", Error,
        "Actions never report this protocol value, so code that checks for it does not run",
        "`event.transaction.protocol` is never `redirect-callback` or `delegation`. A rule that\nresumed after a redirect in a `context.protocol === 'redirect-callback'` branch must move that\ncode into `exports.onContinuePostLogin`; delegation no longer exists.";

    HelperTakesOtherValues = "R2A208", "helper-takes-other-values", Warning,
        "A helper is called with the rule's `context` and with other values",
        "Rule:\n    function audience(context) { return context.request.query.audience; }\n    audience(context); audience({ request: { query: {} } });\nA helper whose parameter is always the rule's `user` or `context` is converted: its parameter\ngoes, and its body reads `event` and `api`, which it closes over. When some calls pass other\nvalues, the parameter stays, and the calls that pass `context` keep it (`R2A203`). Give the\nhelper the values it needs instead of the whole object.";
    ContextView = "R2A209", "context-view", Warning,
        "`context` read whole becomes a copy in the Rules shape",
        "Rule:\n    request.post({ url, json: { user: user, context: context } }, …);\nAction:\n    request.post({ url, json: { user: event.user, context: rulesContext(event) } }, …);\n\nWhere the rule hands the whole `context` to code that only reads it (a request body,\n`JSON.stringify`, a log line), the Action builds the object from `event` with the Rules\nnames and shapes (`clientID`, `stats.loginsCount`, `request.geoip.country_code`, …), in a\nhelper above the handler. Members with no Actions equivalent (`sso`, `connectionOptions`,\n`sessionID`, `multifactor`, `redirect`, …) and the claims set so far (`idToken`,\n`accessToken`) are not in it: check that whatever reads it does without them.";

    UpstreamIdpToken = "R2A301", "upstream-idp-token", Error,
        "Upstream identity-provider tokens are not available in Actions",
        "`user.identities[i].access_token` and similar tokens are not exposed to Actions. Auth0\ndocuments no alternative inside the Action; the Token Vault is a separate mechanism.";
    UserMutation = "R2A302", "user-mutation", Error,
        "The rule changes the `user` object; `event.user` is read-only in Actions",
        "Rule:\n    user.app_metadata.plan = 'free';\nIn Rules such changes were visible to later rules and sometimes persisted. In Actions\n`event.user` must not be changed. Use `api.user.setAppMetadata(key, value)` to persist and\n`api.transaction.setMetadata` to pass data to later Actions.";
    UserFieldLost = "R2A304", "user-field-lost", Error,
        "A `user` field is set but nothing reads it: the change reaches nothing in Actions",
        "Rule:\n    user.connection = context.connection;\nIn Rules the change reached later rules and, in legacy flows, the tokens. In an Action the\n`event.user` object is read-only and the change reaches nothing. If applications read the value\nfrom the token, set a claim instead:\n    api.idToken.setCustomClaim('https://example.com/connection', event.connection.name);";
    UserChangeStaysLocal = "R2A305", "user-change-stays-local", Warning,
        "A change to `user` is kept in a local variable: later Actions do not see it",
        "The rule changed the user object and read it again. The Action keeps the changed value in a\nlocal variable (metadata objects are copied with `structuredClone`), so reads in this Action\nsee it, but later Actions do not and nothing is persisted. Use\n`api.user.setAppMetadata` / `setUserMetadata` to persist, or `api.transaction.setMetadata` to\npass the value on.";
    MetadataUpdateBatched = "R2A306", "metadata-update-batched", Warning,
        "Metadata is persisted when the login flow ends, and the update can no longer fail the login",
        "Rule:\n    auth0.users.updateAppMetadata(user.user_id, user.app_metadata)\n      .then(() => callback(null, user, context))\n      .catch((err) => callback(err));\nAction:\n    api.user.setAppMetadata('roles', appMetadata['roles']);\n\nActions batch metadata updates into one Management API call at the end of the flow. A failed\nupdate no longer denies the login, and the update is applied even if a later Action denies.";
    MetadataNeverMissing = "R2A307", "metadata-never-missing", Warning,
        "A read that failed in Rules for a user without metadata succeeds in Actions",
        "In Rules `user.app_metadata` and `user.user_metadata` are `undefined` for a user who has none, so\n`user.app_metadata.blocked` threw and the login failed. In Actions `event.user.app_metadata` is\nalways an object (`{}` when empty), so the same read gives `undefined` and the login goes on.\nIf users without metadata must not log in, deny them explicitly, for example\n`if (Object.keys(event.user.app_metadata).length === 0) return api.access.deny('…')`.";
    UserPropertyNotInActions = "R2A303", "user-property-not-in-actions", Warning,
        "This `user` property is not in the Actions `event.user` reference",
        "The property (an identity-provider attribute at the root of the profile, or `permissions`)\nis not documented on `event.user`. It was converted to `event.user.<name>`; check that it is\npresent for your connections.";

    RestrictedClaim = "R2A401", "restricted-claim", Error,
        "Auth0 silently ignores this restricted claim name",
        "Claims such as `roles`, `permissions`, `groups`, `sub` or `aud` cannot be set by Actions; the\ncall succeeds but the claim is not added. Use a namespaced name such as\n`https://example.com/roles`.";
    ReservedNamespace = "R2A402", "reserved-namespace", Error,
        "Claims namespaced under auth0.com, webtask.io or webtask.run are silently dropped",
        "Auth0 ignores custom claims whose namespace is on auth0.com, webtask.io or webtask.run. Use a\nnamespace on a domain you own.";
    NonNamespacedClaim = "R2A403", "non-namespaced-claim", Error,
        "Non-namespaced claim: dropped by tenants that enforce claim namespacing",
        "Reported under `--claims-policy enforced` (the default). Tenants with \"Custom claims must be\nnamespaced\" enabled, and every Rules tenant before July 2022, drop claims whose name is not a\nURL: the Action calls `setCustomClaim`, and the claim silently never reaches the token.\nNamespace it (`--namespace https://example.com/` does it for you), or switch the tenant and\nuse `--claims-policy relaxed`. OIDC profile claims such as `picture` are exempt.";
    ClaimReadBack = "R2A404", "claim-read-back", Error,
        "Reading a claim back from `context.idToken` / `context.accessToken` is not possible in Actions",
        "Actions have no getter for claims set earlier. Pass the value with\n`api.transaction.setMetadata(key, value)` and read `event.transaction.metadata[key]` instead.";
    ClaimDelete = "R2A405", "claim-delete", Error,
        "Deleting a claim is not supported in Actions",
        "Standard claims of an ID or access token cannot be deleted from an Action. The statement was\nleft in place.";
    ClaimWriteNotConverted = "R2A406", "claim-write-not-converted", Error,
        "This claim write is not converted",
        "Only `context.idToken[key] = value;` and `context.idToken.key = value;` statements (and the\nsame for `context.accessToken`) are converted. Compound assignments, assignments whose value is\nused, and whole-object replacement are left for a human.";
    ClaimNameNotChecked = "R2A407", "claim-name-not-checked", Info,
        "The claim name is computed; its namespace could not be checked",
        "The claim is converted, but its name is only known at run time (a variable, a loop value, or a\nsecret such as `configuration.NAMESPACE`), so the checks for restricted names and namespaces\ncould not run.";
    ClaimsObjectReplaced = "R2A409", "claims-object-replaced", Warning,
        "The rule replaced the whole claims object; the Action sets each claim",
        "Rule:\n    context.idToken = { 'https://example.com/a': 1, 'https://example.com/b': 2 };\nAction:\n    api.idToken.setCustomClaim('https://example.com/a', 1);\n    api.idToken.setCustomClaim('https://example.com/b', 2);\n\nReplacing the object may have dropped claims that earlier rules set (Auth0 never documented\nit); Actions can only add claims. Check the tokens when earlier rules also set claims.";
    ScopesReplaced = "R2A410", "scopes-replaced", Info,
        "The rule replaced the access token's scopes with a fixed list",
        "The Action compares the list with `event.transaction.requested_scopes`, removes the scopes it\ndoes not keep with `api.accessToken.removeScope` and adds the listed ones with `addScope`.";
    ScopesComputed = "R2A411", "scopes-computed", Warning,
        "The rule replaced the access token's scopes with a list computed at run time",
        "The Action applies the same list at run time with `addScope` / `removeScope` against\n`event.transaction.requested_scopes`. Scopes that earlier rules changed are not visible to it:\nreview the result against the scopes the API grants.";
    ClaimRenamed = "R2A412", "claim-renamed", Warning,
        "`--namespace` renamed this claim: applications must read the new name",
        "With `--namespace https://example.com/`, restricted and non-namespaced claim names get the\nnamespace in front, so Auth0 keeps them. Every application and API that reads the old name\nmust be updated before the Action is deployed; the report lists each renamed claim.";
    ClaimsTooLarge = "R2A413", "claims-too-large", Error,
        "The literal claim values alone exceed Auth0's 100 KB limit for one token",
        "Auth0 fails the login when the custom claims of one token exceed 100 KB (names and values).\nThe literal values this rule puts in the token already exceed it. Move the data out of the\ntoken: let the application fetch it from an API.";
    NonNamespacedClaimAppears = "R2A408", "non-namespaced-claim-appears", Warning,
        "Non-namespaced claim on a tenant that accepts them: tokens now carry it",
        "Reported under `--claims-policy relaxed`. The tenant accepts non-namespaced claims, so the\nAction adds a claim that tokens from an enforcing Rules pipeline never carried. Applications\nthat see it for the first time may behave differently. On access tokens for Auth0's own APIs\n(`/api/v2`, `/mfa`, `/userinfo` audiences) such claims are still ignored.";

    SecretRequired = "R2A501", "secret-required", Info,
        "`configuration` value becomes an Action secret",
        "Rule:\n    configuration.API_KEY\nAction:\n    event.secrets.API_KEY\n\nRules configuration was global; Actions secrets are per Action. Add each listed secret to this\nAction.";
    SecretsUsedDynamically = "R2A502", "secrets-used-dynamically", Warning,
        "`configuration` is used with a computed key or as a whole object",
        "The secrets this Action needs cannot be listed statically. Add every key it may read to the\nAction's secrets.";
    ConfigurationWrite = "R2A503", "configuration-write", Error,
        "The rule writes to `configuration`; Action secrets are read-only",
        "`event.secrets` cannot be changed. Use a local variable.";

    PinnedRequire = "R2A601", "pinned-require", Info,
        "The version in `require('pkg@version')` moves into the Action's dependencies",
        "Rule:\n    const _ = require('lodash@4.17.21');\nAction:\n    const _ = require('lodash');\n    // dependency: lodash 4.17.21\n\nActions declare dependency versions outside the code.";
    ImplicitSandboxGlobal = "R2A602", "implicit-sandbox-global", Warning,
        "The rule relies on a module global of the old Rules sandbox; a `require` was added",
        "Rules on Node 12 and earlier could use modules such as `_`, `jwt`, `uuid`, `request` or\n`crypto` without requiring them. Actions cannot. The tool adds the `require` and the\ndependency. The version the sandbox provided may differ from the one installed now, so review\nthe calls (for example `jwt.sign` options changed across jsonwebtoken majors). Note that a bare\n`crypto` in Node 20+ is the Web Crypto object, not the Node module.";
    UnpinnedDependency = "R2A603", "unpinned-dependency", Info,
        "The required package has no version; Auth0 will pin the latest one",
        "Rules resolved an unversioned `require` to the version on Auth0's allow-list. Actions resolve\nit to the latest version when the Action is saved. Pin the version you tested.";
    DependencyPinnedToRulesApi = "R2A604", "dependency-pinned-to-rules-api", Info,
        "An unversioned package is pinned to the last version with the API the rule uses",
        "Rule:\n    const uuid = require('uuid');\n    const id = uuid();\nAction:\n    const uuid = require('uuid');\n    // dependency: uuid 3.4.0\n\nActions install the latest version of an unversioned package when the Action is saved. For a\nfew packages the latest version no longer has the API that rules used (uuid 7 removed the\ndefault export; auth0 4 removed callbacks; node-fetch 3 cannot be required), and the Action\nwould throw on every login. The tool pins the last version with that API. Move to the current\nAPI when you can, then remove the pin.";
    CoreModulePinned = "R2A605", "core-module-pinned", Warning,
        "A pinned `require` names a Node built-in: the Action uses the built-in",
        "Rule:\n    const url = require('url@0.10.3');\nAction:\n    const url = require('url');\n\nThe npm packages named like Node's built-in modules (`url`, `querystring`, `punycode`,\n`events`, `util`, …) are ports of those modules, and in Node a `require` of the name always\nreturns the built-in, so a dependency of that name would never load. Left as written, the\nversioned `require` throws \"Cannot find module\" on every login.";
    NativeModuleReplaced = "R2A606", "native-module-replaced", Warning,
        "A native module, which Actions cannot install, is replaced by its plain-JS twin",
        "Rule:\n    const bcrypt = require('bcrypt');\nAction:\n    const bcrypt = require('bcryptjs');\n\nActions do not allow packages with native code. `bcryptjs` has the API of `bcrypt` in plain\nJavaScript, and reads and writes the same hashes; it is slower, so check the cost factor.";
    JwtLegacyOption = "R2A607", "jwt-legacy-option", Info,
        "A `jwt.sign` option removed in jsonwebtoken 6 is converted",
        "Rule:\n    jwt.sign(payload, secret, { expiresInMinutes: 5 });\nAction:\n    jwt.sign(payload, secret, { expiresIn: 300 });\n\nThe Rules `jwt` global translated `expiresInMinutes` and `expiresInSeconds` into `expiresIn`;\njsonwebtoken 6 and later reject them, so the Action would throw where the rule signed.";
    RuleUtilitiesExpanded = "R2A608", "rule-utilities-expanded", Info,
        "`@auth0/rule-utilities` is replaced by the code its members ran",
        "Rule:\n    const { Auth0RedirectRuleUtilities } = require('@auth0/rule-utilities@0.2.0');\n    const ruleUtils = new Auth0RedirectRuleUtilities(user, context, configuration);\n    if (ruleUtils.canRedirect) ruleUtils.doRedirect(configuration.FORM_URL);\nAction:\n    if (api.redirect.canRedirect()) {\n      api.redirect.sendUserTo(event.secrets.FORM_URL + '?session_token=' + jwt.sign({ ip: …, iss: …, sub: … }, event.secrets.SESSION_TOKEN_SECRET, { expiresIn: event.secrets.SESSION_TOKEN_EXPIRES_IN || '3d' }));\n\nThe package was never published to npm, so an Action cannot install it. Each member becomes\nwhat the library did: `queryParams` is `event.request.query`, `isRedirectCallback` moves the\nbranch into `onContinuePostLogin`, the session token is signed and verified with\n`jsonwebtoken` and the same claims (`ip`, `iss`, `sub`), so the site on the other end keeps\nworking, and `Auth0UserUpdateUtilities` reads and writes the metadata under its namespace and\npersists it with `api.user.setAppMetadata` / `setUserMetadata`.";
    RuleUtilitiesNotExpanded = "R2A610", "rule-utilities-not-expanded", Error,
        "`@auth0/rule-utilities` is used in a way the tool does not expand",
        "The package was never published to npm, so an Action that requires it cannot be saved. The\ntool expands a utility object declared as `const x = new Auth0RedirectRuleUtilities(user,\ncontext, configuration)` or `new Auth0UserUpdateUtilities(user, auth0[, 'namespace'])` and\nused only through its members: `queryParams` (`event.request.query`), `isRedirectCallback`\n(the resume branch), `canRedirect` (`api.redirect.canRedirect()`), `createSessionToken` /\n`validateSessionToken` (a `jsonwebtoken` token with `ip`, `iss` and `sub`, signed with\n`SESSION_TOKEN_SECRET`), `doRedirect`, and `getAppMeta` / `setAppMeta` / `updateAppMeta`\n(and the `UserMeta` ones). Anything else (an object passed to a helper or kept in another\nobject, `setUser`, `updateUser`) is yours to replace with those equivalents.";
    RuleUtilitiesNamespace = "R2A611", "rule-utilities-namespace", Warning,
        "The user-update utility's namespace becomes a member of the metadata copy",
        "Rule:\n    const userUtils = new Auth0UserUpdateUtilities(user, auth0, 'terms');\n    userUtils.setAppMeta('version', '2026-01');\nAction:\n    appMetadata.terms = appMetadata.terms || {};\n    appMetadata.terms.version = '2026-01';\n\nThe library kept each value under the namespace, as the Action does. Where the user's\nmetadata already held something other than an object under that name (`terms: true`), the\nlibrary's write threw and the login failed; the Action's write does nothing, and the user\nlogs in.";
    JwtLegacyOptionLeft = "R2A612", "jwt-legacy-option-left", Error,
        "A `jwt.sign` option removed in jsonwebtoken 6 is left as written",
        "Rule:\n    const options = { expiresInMinutes: 5 };\n    const ticket = jwt.sign(payload, secret, options);\n    log(options);\nAction: unchanged, and `jwt.sign` throws \"expiresInMinutes\" is not allowed in \"options\".\n\nThe tool converts the options object where it is written when `jwt.sign` is its only reader.\nWhen other code reads the object too, or it is built some other way, replace\n`expiresInMinutes: n` with `expiresIn: n * 60` (and `expiresInSeconds` with `expiresIn`) by\nhand.";
    CanRedirectIgnoresEarlierRules = "R2A609", "can-redirect-ignores-earlier-rules", Warning,
        "`ruleUtils.canRedirect` becomes `api.redirect.canRedirect()`",
        "The library's `canRedirect` was false for the flows that cannot redirect, for `prompt=none`,\nand also when an earlier rule had already set `context.redirect` or `context.multifactor`.\n`api.redirect.canRedirect()` covers the first two; it does not know what earlier Actions did.\nIf an Action before this one redirects or enables multifactor, check that both redirects are\nmeant to happen.";

    RememberBrowserMadeExplicit = "R2A701", "remember-browser-made-explicit", Warning,
        "`allowRememberBrowser` was omitted; the Action sets it to `false` explicitly",
        "The documented defaults disagree: the Rules Duo template says `true`, the Actions API says\n`false`. The Action always prompts (`false`), which is the safe choice. Set it to `true` if users\nmay skip MFA on remembered browsers.";
    MultifactorNotConverted = "R2A702", "multifactor-not-converted", Error,
        "This `context.multifactor` assignment is not converted",
        "Only object literals with static keys (`provider`, `allowRememberBrowser`, and the Duo keys\n`ikey`, `skey`, `host`, `username`) are converted to `api.multifactor.enable(...)`.";

    PrimaryUserConstraints = "R2A801", "primary-user-constraints", Warning,
        "`api.authentication.setPrimaryUser` has constraints that `context.primaryUser` did not",
        "The authenticating identity must already be a secondary identity of the target user, the\ncall may happen once per transaction, and user metadata set in the same Action is discarded.";

    HookPasswordUnavailable = "R2A850", "hook-password-unavailable", Error,
        "The Hook reads the user's password, which no Action receives",
        "Pre-user-registration Hooks received the new user's password (`user.password`), and custom\npassword policies were written with it. The pre-user-registration `event.user` has no password,\nso the check cannot move to an Action as written.\n\nUse the connection's password policy (Authentication → Database → Password Policy), or check\nthe password where it is entered.";
    HookScopeChange = "R2A851", "hook-scope-change", Error,
        "The Hook changed the access token's scopes, which the Action does not",
        "A credentials-exchange Hook could hand back a `scope` that replaced the token's scopes. The\nAction sets the claims only: scope changes need the Early Access `api.transaction` target-scope\nmethods, whose result is intersected with the client grant.\n\nGrant the scopes on the client grant instead, or adopt the Early Access API and test it.";
    WebtaskStorage = "R2A852", "webtask-storage", Error,
        "The Hook uses webtask storage, which Actions do not have",
        "`context.webtask.storage` kept data between runs of a Hook. Actions cannot persist data across\nexecutions; `api.cache` keeps values for a short while only.\n\nKeep the data in a store of your own (a database or an API) and call it from the Action.";
    HookClaimIgnored = "R2A853", "hook-claim-ignored", Info,
        "The Hook handed back a key that never became a claim",
        "A credentials-exchange Hook's result became claims only for keys namespaced with an http(s)\nURL; other keys (except `scope`) were ignored. The Action does not set them either, so the token\nstays as it was.";
    HookPointUnknown = "R2A854", "hook-point-unknown", Error,
        "The Hook's extensibility point is not known",
        "A Hook file with `(user, context, cb)` could be a pre-user-registration, post-user-registration\nor post-change-password Hook, and each becomes a different Action. Without its `triggerId`\n(deploy-cli `hooks/<name>.json`, tenant.yaml `hooks:` or the export) the tool cannot choose.\n\nMigrate the repository the Hook came from, or add the JSON file with its `triggerId`.";
    HooksEnabledTogether = "R2A855", "hooks-enabled-together", Warning,
        "More than one Hook of one extensibility point is enabled",
        "Auth0 ran only one enabled Hook per extensibility point, while every Action bound to a trigger\nruns. The repository enables several Hooks of the same point, so the Actions together do more\nthan the tenant did.\n\nBind only the Action of the Hook that was running, or check that running all of them is meant.";
    HookErrorCode = "R2A856", "hook-error-code", Warning,
        "The error code of this denial is chosen by the tool",
        "A credentials-exchange Hook failed with an error class that named the OAuth error\n(`InvalidScopeError` is `invalid_scope`). A plain `Error` named none; the Action denies with\n`server_error` (what Auth0 answered for a plain error is not documented).\n\nUse `invalid_request` or `invalid_scope` if the client expects it.";
    HookMemberUnavailable = "R2A857", "hook-member-unavailable", Error,
        "This member of the Hook's input has no equivalent in the Action's event",
        "The Hook read a member of its input that the trigger's `event` does not carry, so the Action\nwould read `undefined` where the Hook had a value.\n\nFind the value elsewhere (a Management API call, the connection's settings) or drop the check.";
    HookUserIdPrefixed = "R2A858", "hook-user-id-prefixed", Warning,
        "`user.id` had no strategy prefix; `event.user.user_id` has it",
        "Hooks received the new user's id without its connection strategy (`5f…`), while Actions get the\nfull id (`auth0|5f…`). Code that builds an id from it (`'auth0|' + user.id`) would now repeat\nthe prefix.\n\nCheck how the value is used; strip the prefix where the Hook's shape is needed.";

    Auth0Object = "R2A901", "auth0-object", Error,
        "The `auth0` object (Management API token and helpers) does not exist in Actions",
        "Actions get no Management API token. Metadata updates of the current user become\n`api.user.setAppMetadata` / `setUserMetadata`; other calls need an M2M application whose\ncredentials are stored as secrets.";
    GlobalObject = "R2A902", "global-object", Error,
        "The Rules `global` object is not shared across executions in Actions",
        "Use module-scope variables for helpers, or `api.cache` for values that should survive between\nexecutions.";
    GlobalFromAnotherRule = "R2A906", "global-from-another-rule", Error,
        "The rule reads a `global` value or helper that another rule defined",
        "Rule A:\n    global.lookupPlan = function (user) { ... };\nRule B:\n    const plan = global.lookupPlan(user);\nAll rules ran in one container and shared `global`. Actions share nothing: each Action must\ndefine the helpers it calls (copy the helper into this Action), and values computed by an\nearlier Action travel with `api.transaction.setMetadata` / `event.transaction.metadata`.";
    GlobalBecomesModuleVariable = "R2A907", "global-becomes-module-variable", Warning,
        "A `global.X` cache becomes a module-scope variable",
        "Rule:\n    global.token = global.token || fetchToken();\nAction:\n    let token; // module scope\n    ...\n    token = token || fetchToken();\n\nA module-scope variable lives as long as the Action's instance, as `global` lived as long as\nthe Rules container: the value may be gone on any execution, so the code must still work\nwithout it. It holds any value, functions included. Other Actions no longer see it.\n`api.cache.get(key)?.value` / `api.cache.set(key, value, {ttl})` survives instances but\nholds only strings (4 KB per value, 20 entries, 24 h at most): use it for tokens if the\ncache hit rate matters.";
    RedirectGuardBecomesCanRedirect = "R2A908", "redirect-guard-becomes-can-redirect", Warning,
        "A protocol guard before a redirect becomes `api.redirect.canRedirect()`",
        "Rule:\n    if (context.protocol === 'oauth2-refresh-token') return callback(null, user, context);\n    context.redirect = { url: 'https://consent.example.com' };\nAction:\n    if (!api.redirect.canRedirect()) return;\n    api.redirect.sendUserTo('https://consent.example.com');\n\nRules tested the protocols it knew could not redirect. `api.redirect.canRedirect()` is false\nfor every flow that cannot redirect, including the ones the guard did not list and requests\nwith `prompt=none` (silent authentication). The Rule redirected those and the login failed;\nthe Action lets them through without the redirect. Check that skipping the redirect is\nacceptable for silent authentication.";
    ResumeSkipsEarlierStatements = "R2A909", "resume-skips-earlier-statements", Warning,
        "(retired) The resume branch moved to `onContinuePostLogin` without the statements before it",
        "No longer reported: such a rule now runs its whole handler again on resume (`R2A917`). Kept so\nthat suppressions keep their meaning.\n\nRule:\n    if (context.clientName !== 'Shop') return callback(null, user, context);\n    if (context.protocol === 'redirect-callback') { ... }\nIn Rules every rule ran again from the top when the user came back to /continue, so the\nchecks before the branch applied to the resumed login too. `onContinuePostLogin` runs only\nthe branch, plus copies of the declarations it uses. Repeat any earlier check that must\nstill hold; usually it tests a property of the login that cannot change during the redirect.";
    ResumeConditionEndsHandler = "R2A916", "resume-condition-ends-handler", Warning,
        "(retired) A resume branch with more conditions than the protocol moved to `onContinuePostLogin`",
        "No longer reported: such a rule now runs its whole handler again on resume (`R2A917`). Kept so\nthat suppressions keep their meaning.\n\nRule:\n    if (context.protocol === 'redirect-callback' && context.request.query.session_token) { ... }\nAction:\n    exports.onContinuePostLogin = async (event, api) => {\n      if (event.request.query.session_token) { ... }\n    };\n\nIn Rules, when the user came back without the other conditions holding, the rule went on\npast the branch, with `context.protocol` set to `redirect-callback`. `onContinuePostLogin`\nruns only the branch, so nothing else happens and the login completes. Usually the rest of\nthe rule did nothing on resume (it redirects only when it can); if it did more, repeat that\nin `onContinuePostLogin`.";
    ResumeRunsHandlerAgain = "R2A917", "resume-runs-handler-again", Info,
        "The resumed login runs the whole handler again, as Rules ran the whole rule again",
        "Rule:\n    if (context.protocol === 'redirect-callback' && context.request.query.token) { ... }\n    ...\n    context.redirect = { url: 'https://consent.example.com' };\nAction:\n    exports.onExecutePostLogin = async (event, api, resumed = false) => {\n      if (resumed && event.request.query.token) { ... }\n      ...\n    };\n    exports.onContinuePostLogin = async (event, api) => exports.onExecutePostLogin(event, api, true);\n\nWhen the user came back to /continue, Rules ran the rule again from the top with\n`context.protocol` set to `redirect-callback`. Where the resumed-login code cannot move into\n`onContinuePostLogin` on its own (it sits inside a block or a helper, has an `else`, more\nconditions, or relies on the statements before it), the protocol test becomes the handler's\nthird parameter, and `onContinuePostLogin` runs the handler with it set. Nothing changes for\nthis Action. Earlier Actions do not run again on resume, where earlier rules did.";
    ResumeRunsNothing = "R2A918", "resume-runs-nothing", Warning,
        "The rule redirects but never tests for the login coming back; `onContinuePostLogin` does nothing",
        "Rule:\n    if (!user.app_metadata.terms_accepted) {\n      context.redirect = { url: 'https://terms.example.com' };\n    }\nAction:\n    exports.onContinuePostLogin = async (event, api) => {};\n\nWhen the user came back to /continue, Rules ran the rule again from the top with\n`context.protocol` set to `redirect-callback`: it redirected again if its condition still held\n(a loop, unless the site changed the profile), and ran its other statements again. The Action\nredirects once, and its `onContinuePostLogin` lets the login finish. That is what the rule\nmeant in almost every case; if something must happen on the way back, test\n`context.protocol === 'redirect-callback'` in the rule before migrating, or write it in\n`onContinuePostLogin`.";
    RedirectTokenEncoded = "R2A910", "redirect-token-encoded", Warning,
        "`jwt.sign` of the redirect token becomes `api.redirect.encodeToken`",
        "Rule:\n    const token = jwt.sign({ plan: 'pro' }, configuration.SECRET, { expiresIn: '10m' });\nAction:\n    const token = api.redirect.encodeToken({ secret: event.secrets.SECRET, payload: { plan: 'pro' }, expiresInSeconds: 600 });\n\nThe Actions token is an HS256 JWT like the Rule's, but it also carries `sub` (the user id),\n`iss` (the tenant host), `ip` and the transaction's `state`, and it expires after 900 s unless\n`expiresInSeconds` says otherwise. The site that receives it must accept those claims, and it\nmust send `state` back to /continue.";
    RedirectTokenValidated = "R2A911", "redirect-token-validated", Warning,
        "`jwt.verify` of the returned token becomes `api.redirect.validateToken`",
        "Rule (redirect-callback branch):\n    const answer = jwt.verify(context.request.body.token, configuration.SECRET);\nAction (onContinuePostLogin):\n    const answer = api.redirect.validateToken({ secret: event.secrets.SECRET, tokenParameterName: 'token' });\n\n`validateToken` checks the signature and expiry as `jwt.verify` did, and also that the token\ncarries the `state` of this transaction, which prevents replay. The site that signs the token\nit sends back must add that `state` claim; until it does, every resumed login fails. Deploy\nthe site's change together with the Action.";
    RedirectTokenKept = "R2A912", "redirect-token-kept", Info,
        "A hand-rolled redirect token stays as it is",
        "The rule signs or verifies a JWT with `jsonwebtoken`, and its shape (options such as\n`audience`, `issuer` or `subject`, a secret that is not a `configuration` value, a token that\ndoes not come from the /continue request) has no `api.redirect.encodeToken` /\n`validateToken` equivalent, so it stays, with `jsonwebtoken` as a dependency. It still works.\nThe Actions helpers bind the token to the transaction's `state`; consider moving to them.";
    ManagementApiFromClientCredentials = "R2A913", "management-api-from-client-credentials", Warning,
        "The Management API token comes from an M2M application's client credentials",
        "Rule:\n    headers: { Authorization: 'Bearer ' + auth0.accessToken }\nAction:\n    headers: { Authorization: 'Bearer ' + (await managementApiToken(event, api)) }\n\nActions get neither `auth0.accessToken` nor `auth0.domain`. The Action exchanges the client\ncredentials of a Machine to Machine application for a Management API token (a helper above\nthe handler) and keeps it in `api.cache` until a minute before it expires.\n\nTo do: create an M2M application, authorize it for the Auth0 Management API with the scopes\nthe rule uses (for example `read:users update:users`), and add the secrets DOMAIN (the tenant\ndomain), CLIENT_ID and CLIENT_SECRET to the Action. The Rules token had those scopes\nimplicitly; a token with fewer scopes fails with 403.";
    GlobalSharedAcrossRules = "R2A950", "global-shared-across-rules", Warning,
        "A `global` value or helper set by one rule is used by another",
        "Rule A:\n    global.lookupPlan = function (user) { ... };\nRule B (later):\n    const plan = global.lookupPlan(user);\nAll rules ran in one container and shared `global`. Actions share nothing. Copy the helper\ninto every Action that uses it, pass computed values with `api.transaction.setMetadata`, or\nmerge the two rules into one Action.";
    ValuePassedBetweenRules = "R2A951", "value-passed-between-rules", Warning,
        "A `user` or `context` value set by one rule is read by a later one",
        "Rule A:\n    user.tier = 'gold';\nRule B (later):\n    if (user.tier === 'gold') { ... }\nRules handed `user` and `context` down the pipeline. A change to `event` in one Action is\nnot visible to the next. In A: `api.transaction.setMetadata('tier', 'gold')`; in B:\n`event.transaction.metadata.tier` (strings, numbers and booleans; 8 KB a value). Metadata\npersisted with `api.user.setAppMetadata` does reach later Actions in `event.user`.";
    ClaimSharedAcrossRules = "R2A952", "claim-shared-across-rules", Warning,
        "A claim set by one rule is read back or set again by another",
        "Actions have no getter for claims: a later Action cannot read a claim an earlier one set,\nso pass the value with `api.transaction.setMetadata` instead. A claim set by two Actions ends\nwith the last one's value, as it did with rules, as long as the Actions are bound in the\nrules' order.";
    ConfigurationKeyMissing = "R2A953", "configuration-key-missing", Warning,
        "A rule reads a `configuration` key that the repository's rules-configs does not define",
        "The rule reads `configuration.X`, which becomes the Action secret `X`, but `rules-configs`\n(or `rulesConfigs` in tenant.yaml) has no key `X`: the secret would have no value to take.\nAdd the key to the repository's configuration (and to the keyword mappings the deploy tool\nuses), or check the name for a typo.";
    CredentialInCode = "R2A914", "credential-in-code", Warning,
        "A credential written into the rule moves to a secret of the Action",
        "Rule:\n    const apiKey = 'k3Jd92LmQp0sXv7TzR4wYb8N';\nAction:\n    const apiKey = event.secrets.API_KEY;\n\nA provider key (`ghp_…`, `sk_live_…`, `AKIA…`, `xoxb-…`, a PEM private key), or a long random\nstring given to a name like `token` or `apiKey`, was committed with the rule. The Action reads\nit from a declared secret; give the secret its value in the deploy tool's keyword mappings,\nand rotate the credential, because it is in the repository's history.";
    SecretExposed = "R2A915", "secret-exposed", Warning,
        "A secret goes into a token claim, a deny message or a log line",
        "Secrets (Rules `configuration`, Actions `event.secrets`) must stay inside the Action. A claim\nreaches the application and the browser, a deny message reaches the user, and a log line\nreaches everyone who can read the tenant's logs.";
    TooManyActionsForTrigger = "R2A954", "too-many-actions-for-trigger", Error,
        "More enabled rules than Actions one trigger can bind",
        "A trigger binds at most 20 Actions, and every enabled rule becomes one. The deployment of\nthe bindings fails. Merge rules that run one after another into one Action (`--merge \"a,b\"`;\nthe finding suggests a merge of the last rules that brings the count to 20), or disable rules\nthat no longer matter.";
    ActionLimitExceeded = "R2A955", "action-limit-exceeded", Error,
        "The Action is over an Actions limit: 10 dependencies, 30 secrets or 100 kB of code",
        "Auth0 refuses to save an Action with more than 10 npm dependencies, more than 30 secrets or\nmore than 100 kB of code. Move code that does not need the login into an API of your own,\nreplace small dependencies with built-ins (`fetch`, `crypto`), or split the rule into\nActions that run one after another.";
    RuntimeUnsupported = "R2A956", "runtime-unsupported", Error,
        "The Action's `runtime` is not one Auth0 deploys",
        "Actions run on `node22` (recommended) or `node18`. An Action whose metadata names another\nruntime (`node12`, `node16`, the Rules-era versions) is refused when it is saved, or runs on a\nruntime that no longer receives fixes. Set `\"runtime\": \"node22\"` in `actions/<name>.json`\nand test the packages it requires on Node 22.";
    ActionStale = "R2A960", "action-stale", Error,
        "The rule changed after its Action was generated",
        "`check --actions DIR` found that the rule's source no longer matches the one its Action in\nDIR was generated from (`DIR/.rules2actions-state.json` records both). The committed Action\nis stale: run `rules2actions migrate … --out DIR` again (an Action a human edited since is\nkept and reported; replace it with `--force` once the edit is carried over).";
    ActionMissing = "R2A961", "action-missing", Error,
        "A rule has no Action in the Actions folder",
        "`check --actions DIR` found a rule without `DIR/actions/<name>/code.js`: it was added or\nrenamed after the last migration, or its Action was deleted. Run `rules2actions migrate …\n--out DIR` to generate it.";
    RedirectSuspendsFlow = "R2A904", "redirect-suspends-flow", Warning,
        "The Rule redirected after every rule ran; the Action suspends the flow right after itself",
        "Rule:\n    context.redirect = { url: 'https://consent.example.com' };\nAction:\n    api.redirect.sendUserTo('https://consent.example.com');\n\nIn Rules the redirect happened once all rules had finished, and every rule ran again when the\nuser came back (with `context.protocol === 'redirect-callback'`). In Actions the flow pauses\nright after this Action, later Actions wait, and only this Action resumes, in\n`exports.onContinuePostLogin`.";
    SamlMappingsReplaced = "R2A905", "saml-mappings-replaced", Warning,
        "The rule replaced every SAML mapping; the Action sets attributes one by one",
        "Assigning `context.samlConfiguration.mappings = {…}` replaced the whole mapping in Rules, so\nattributes that earlier rules mapped may have been dropped. Actions can only set or remove\nattributes one by one: the Action removes those this rule set before and sets the new ones,\nbut keeps attributes that earlier Actions set.";
    UnauthorizedErrorOutsideCallback = "R2A903", "unauthorized-error-outside-callback", Error,
        "`UnauthorizedError` does not exist in Actions",
        "`callback(new UnauthorizedError(message))` becomes `return api.access.deny(message)` and any\nother `new UnauthorizedError(message)` becomes `new Error(message)`. Other uses (`instanceof`\nchecks, passing the class around) must be rewritten by hand.";
}

impl Code {
    pub fn info(self) -> &'static CodeInfo {
        &REGISTRY
            .iter()
            .find(|(code, _)| *code == self)
            .expect("every code is registered")
            .1
    }

    pub fn id(self) -> &'static str {
        self.info().id
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn severity(self) -> Severity {
        self.info().severity
    }

    /// Looks a code up by id (`R2A101`, case-insensitive) or by name (`unauthorized-becomes-access-denied`).
    pub fn lookup(key: &str) -> Option<Code> {
        REGISTRY
            .iter()
            .find(|(_, info)| info.id.eq_ignore_ascii_case(key) || info.name == key)
            .map(|(code, _)| *code)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_and_names_are_unique() {
        let ids: HashSet<_> = REGISTRY.iter().map(|(_, i)| i.id).collect();
        let names: HashSet<_> = REGISTRY.iter().map(|(_, i)| i.name).collect();
        assert_eq!(ids.len(), REGISTRY.len());
        assert_eq!(names.len(), REGISTRY.len());
    }

    #[test]
    fn lookup_accepts_id_and_name() {
        assert_eq!(
            Code::lookup("r2a101"),
            Some(Code::UnauthorizedBecomesAccessDenied)
        );
        assert_eq!(Code::lookup("claim-delete"), Some(Code::ClaimDelete));
        assert_eq!(Code::lookup("nope"), None);
    }
}
