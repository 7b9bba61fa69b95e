// Stands in for the upstream `test/utils/load-rule.js`: the upstream jest suites call
// `loadRule(name, globals, stubs)` and run the result as a Rule, `rule(user, context, callback)`.
// This adapter loads the Action rules2actions generated for that rule instead (never the rule
// itself), builds the Actions `event` from the test's Rules-shaped `user`, `context` and
// `globals.configuration`, and turns the Action's `api` calls back into the `context` changes,
// callback arguments and `auth0.users` calls the suite asserts on. The mapping follows
// ../../../shared/reference/auth0-rules-to-actions.md, read from the Rules side.
'use strict';

const fs = require('fs');
const path = require('path');

const GEOIP_KEYS = {
  country_code: 'countryCode',
  country_code3: 'countryCode3',
  country_name: 'countryName',
  city_name: 'cityName',
  latitude: 'latitude',
  longitude: 'longitude',
  time_zone: 'timeZone',
  continent_code: 'continentCode',
  subdivision_code: 'subdivisionCode',
  subdivision_name: 'subdivisionName',
};

// All an Actions `event.user.identities[i]` has (§2).
const IDENTITY_FIELDS = ['connection', 'provider', 'user_id', 'profileData', 'isSocial'];

// Logins that cannot be redirected (reference §4c).
const PROTOCOLS_THAT_CANNOT_REDIRECT = ['oauth2-password', 'oauth2-refresh-token', 'oauth2-resource-owner'];

// The post-login `api` members this adapter has no Rules counterpart for: calling one fails the
// test with a message saying so, rather than passing silently.
const UNMODELLED_API = {
  authentication: ['challengeWith', 'challengeWithAny', 'enrollWith', 'enrollWithAny', 'recordMethod'],
  redirect: ['encodeToken', 'validateToken'],
  validation: ['error'],
  prompt: ['render'],
  refreshToken: ['revoke', 'setExpiresAt', 'setIdleExpiresAt', 'setMetadata', 'deleteMetadata', 'evictMetadata'],
  session: ['revoke', 'setExpiresAt', 'setIdleExpiresAt', 'setCookieMode', 'setMetadata', 'deleteMetadata', 'evictMetadata'],
  transaction: ['setMetadata'],
  groups: ['getUserGroups', 'hasGroupMembership'],
  roles: ['getUserEffectiveRoles', 'getUserEffectiveRolesByIds', 'getUserEffectiveRolesByNames'],
};

// The M2M application whose credentials a migrated Action exchanges for a Management API token:
// the test tenant's token endpoint (tenantFetch) accepts exactly these.
const M2M_CLIENT = { CLIENT_ID: 'adapter-m2m-client-id', CLIENT_SECRET: 'adapter-m2m-client-secret' };

module.exports = function loadRule(ruleName, globals = {}, stubs = {}) {
  const file = path.join(process.env.R2A_ACTIONS_DIR, 'actions', ruleName, 'code.js');
  // One evaluation per `loadRule`, as upstream compiles the rule once: module scope lives as long
  // as an Action instance.
  const action = evaluate(fs.readFileSync(file, 'utf8'), actionRequire(stubs), tenantFetch(globals.auth0));
  return function rule(user, context, callback) {
    run(action, globals, user, context ?? {}, callback);
  };
};

/** `require` as the Action gets it: the test's stubs first, then the installed packages. */
function actionRequire(stubs) {
  const stripVersion = (specifier) => specifier.replace(/(.)@[^/]*$/, '$1');
  return function (specifier) {
    const name = stripVersion(specifier);
    // Stubs may be keyed by the rule's pinned `name@version`; the Action requires `name`.
    const stubKey = Object.keys(stubs).find((key) => key === specifier || stripVersion(key) === name);
    return stubKey === undefined ? require(name) : stubs[stubKey];
  };
}

function evaluate(code, requireForAction, fetchForAction) {
  const module = { exports: {} };
  new Function('exports', 'module', 'require', 'fetch', code)(module.exports, module, requireForAction, fetchForAction);
  return module.exports;
}

/**
 * The tenant's `/oauth/token` for the Management API: a Rule got `auth0.accessToken`, its Action
 * exchanges the M2M credentials for a token, and the tenant answers with that same token. Every
 * other request goes to the real `fetch`.
 */
function tenantFetch(auth0) {
  const domain = tenantDomain(auth0);
  return async function (url, init = {}) {
    const target = new URL(String(url?.url ?? url));
    if (domain && target.host === domain && target.pathname === '/oauth/token') {
      const { client_id: clientId, client_secret: clientSecret } = formOrJson(init.body);
      const known = clientId === M2M_CLIENT.CLIENT_ID && clientSecret === M2M_CLIENT.CLIENT_SECRET;
      const answer = known ? { access_token: auth0.accessToken, token_type: 'Bearer', expires_in: 86400 } : { error: 'access_denied' };
      return new Response(JSON.stringify(answer), { status: known ? 200 : 401, headers: { 'content-type': 'application/json' } });
    }
    return fetch(url, init);
  };
}

/** A token request's parameters, sent as JSON or as a form. */
function formOrJson(body) {
  const text = String(body ?? '');
  try {
    return JSON.parse(text);
  } catch {
    return Object.fromEntries(new URLSearchParams(text));
  }
}

/** The tenant's domain as a Rule saw it: `auth0.domain`, or the host of `auth0.baseUrl`. */
function tenantDomain(auth0) {
  if (!auth0) return undefined;
  if (auth0.domain) return auth0.domain;
  return auth0.baseUrl ? new URL(auth0.baseUrl).host : undefined;
}

async function run(action, globals, user, context, callback) {
  const outcome = { denied: null, appMetadataChanged: false, userMetadataChanged: false };
  // Rules ran every rule again after a redirect; Actions resume the redirecting one (§1, P8).
  const resumed = context.protocol === 'redirect-callback' && action.onContinuePostLogin;
  const handler = resumed ? action.onContinuePostLogin : action.onExecutePostLogin;
  // What the handler threw: a rejection without a reason still failed the login.
  let failure = null;
  try {
    // Called without a prior `await`: code up to the Action's first `await` runs before
    // `rule()` returns, as a Rule's synchronous part did (some suites rely on it).
    await handler(actionEvent(user, context, globals), actionApi(outcome, user, context));
  } catch (thrown) {
    failure = { thrown };
  }
  // Written even after a denial (reference §8), and a failed write no longer fails the login
  // (rules2actions explain R2A306).
  await persistMetadata(globals.auth0, user, outcome).catch(() => {});
  // A throw in the test's callback (a failed `expect`) must fail the test, not be taken for the
  // Action's error: it leaves this promise chain as an uncaught exception.
  const report = (...args) => {
    try {
      callback(...args);
    } catch (assertion) {
      setImmediate(() => { throw assertion; });
    }
  };
  if (failure !== null) report(failure.thrown ?? new Error('the Action failed'));
  else if (outcome.denied !== null) report(denial(outcome.denied, globals));
  else report(null, user, context);
}

/** `api.access.deny(reason)` as the Rule's `callback(new UnauthorizedError(reason))`. */
function denial(reason, globals) {
  const ErrorClass = typeof globals.UnauthorizedError === 'function' ? globals.UnauthorizedError : Error;
  return new ErrorClass(reason);
}

/**
 * Metadata set with `api.user.set*Metadata` is written once, when the login flow ends (§2b):
 * in the Rules world that is one `auth0.users.update*Metadata(user_id, metadata)` call, made
 * here if the test provides it, awaited whether it returns a promise or takes a callback.
 */
async function persistMetadata(auth0, user, outcome) {
  const updates = [
    [outcome.appMetadataChanged, 'updateAppMetadata', 'app_metadata'],
    [outcome.userMetadataChanged, 'updateUserMetadata', 'user_metadata'],
  ];
  for (const [changed, method, field] of updates) {
    const update = auth0?.users?.[method];
    if (!changed || typeof update !== 'function') continue;
    await new Promise((resolve, reject) => {
      const done = (err) => (err ? reject(err) : resolve());
      const result = update.call(auth0.users, user.user_id, user[field], done);
      if (result && typeof result.then === 'function') result.then(() => resolve(), reject);
      // Neither a promise nor a callback parameter: a mock that returns nothing, done at once.
      else if (update.length < 3) resolve();
    });
  }
}

/** The Actions `event` for a Rules `user` and `context` (reference §2, §3). */
function actionEvent(user, context, globals) {
  const request = context.request ?? {};
  const query = request.query ?? {};
  const body = request.body ?? {};
  const eventUser = structuredClone(user ?? {});
  // In Actions the metadata objects are never undefined, and identities carry no tokens from
  // the identity provider (§2).
  eventUser.app_metadata ??= {};
  eventUser.user_metadata ??= {};
  if (Array.isArray(eventUser.identities)) eventUser.identities = eventUser.identities.map(actionIdentity);
  const audience = query.audience ?? body.audience;
  return {
    user: eventUser,
    client: { client_id: context.clientID, name: context.clientName, metadata: context.clientMetadata ?? {} },
    connection: {
      id: context.connectionID,
      name: context.connection,
      strategy: context.connectionStrategy,
      metadata: context.connectionMetadata,
    },
    tenant: { id: context.tenant },
    transaction: {
      protocol: context.protocol,
      requested_scopes: words(body.scope ?? query.scope),
      acr_values: words(query.acr_values),
      ui_locales: words(query.ui_locales),
      prompt: words(query.prompt),
      response_type: words(query.response_type),
      redirect_uri: query.redirect_uri,
      response_mode: query.response_mode,
      state: query.state,
      login_hint: query.login_hint,
      locale: context.locale,
      metadata: {},
    },
    stats: { logins_count: context.stats?.loginsCount },
    request: {
      ip: request.ip,
      hostname: request.hostname,
      user_agent: request.userAgent,
      query: request.query,
      body: request.body,
      geoip: request.geoip && renameKeys(request.geoip, GEOIP_KEYS),
    },
    authentication: (context.authentication || context.riskAssessment) && {
      // Rules timestamps are numbers, Actions' are ISO-8601 strings (P9).
      methods: (context.authentication?.methods ?? []).map((method) => ({
        ...method,
        timestamp: method.timestamp === undefined ? undefined : new Date(method.timestamp).toISOString(),
      })),
      riskAssessment: context.riskAssessment,
    },
    authorization: context.authorization,
    organization: context.organization,
    session: {
      id: context.auth0SessionId,
      clients: (context.sso?.current_clients ?? []).map((clientId) => ({ client_id: clientId })),
    },
    resource_server: audience === undefined ? undefined : { identifier: audience },
    secrets: actionSecrets(globals),
  };
}

function actionIdentity(identity) {
  return Object.fromEntries(IDENTITY_FIELDS.filter((field) => field in identity).map((field) => [field, identity[field]]));
}

/**
 * `configuration` becomes `event.secrets` (§5). A Rule's `auth0` object has no Actions
 * counterpart; its Action reads the tenant's domain and an M2M application's credentials from
 * secrets instead, so a test that gives the Rule `auth0` gives the Action those.
 */
function actionSecrets(globals) {
  const domain = tenantDomain(globals.auth0);
  const management = domain === undefined ? {} : { DOMAIN: domain, ...M2M_CLIENT };
  return { ...management, ...(globals.configuration ?? {}) };
}

/** A space-separated Rules string (or a list) as the Actions list. */
function words(value) {
  if (value === undefined || value === null) return [];
  return [].concat(value).join(' ').split(' ').filter(Boolean);
}

function renameKeys(object, names) {
  return Object.fromEntries(Object.entries(object).filter(([key]) => key in names).map(([key, value]) => [names[key], value]));
}

/** The post-login `api`, each call written back the way the Rule would have left it (§4, §8). */
function actionApi(outcome, user, context) {
  const cache = new Map();
  const tokenClaims = (token) => (key, value) => {
    context[token] ??= {};
    context[token][key] = value;
  };
  const scopes = (change) => (scope) => {
    context.accessToken ??= {};
    // Rules allowed the scope as a list or as a space-separated string (P7): keep its form.
    const asString = typeof context.accessToken.scope === 'string';
    const current = words(context.accessToken.scope ?? context.request?.body?.scope ?? context.request?.query?.scope);
    const next = change(current, scope);
    context.accessToken.scope = asString ? next.join(' ') : next;
  };
  const metadata = (field, flag) => (key, value) => {
    // Auth0 merges at the root, and `null` removes a key (§2b); later Rules saw the change.
    user[field] ??= {};
    if (value === null) delete user[field][key];
    else user[field][key] = value;
    outcome[flag] = true;
  };
  const api = {
    access: {
      deny(reason) {
        if (outcome.denied === null) outcome.denied = reason;
      },
    },
    idToken: { setCustomClaim: tokenClaims('idToken') },
    accessToken: {
      setCustomClaim: tokenClaims('accessToken'),
      addScope: scopes((current, scope) => (current.includes(scope) ? current : [...current, scope])),
      removeScope: scopes((current, scope) => current.filter((s) => s !== scope)),
    },
    multifactor: {
      // Rules kept the provider's options (Duo's ikey, skey, host) on `context.multifactor`
      // itself; Actions take them under `providerOptions` (§4b).
      enable(provider, options = {}) {
        const { providerOptions, ...rest } = options;
        context.multifactor = { provider, ...rest, ...(providerOptions ?? {}) };
      },
    },
    authentication: {
      setPrimaryUser(id) {
        context.primaryUser = id;
      },
    },
    redirect: {
      canRedirect() {
        return !PROTOCOLS_THAT_CANNOT_REDIRECT.includes(context.protocol) && context.request?.query?.prompt !== 'none';
      },
      sendUserTo(url, options = {}) {
        const query = new URLSearchParams(options.query ?? {}).toString();
        context.redirect = { url: query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url };
      },
    },
    user: {
      setAppMetadata: metadata('app_metadata', 'appMetadataChanged'),
      setUserMetadata: metadata('user_metadata', 'userMetadataChanged'),
    },
    samlResponse: samlResponse(user, context),
    cache: {
      get: (key) => (cache.has(key) ? { value: cache.get(key) } : undefined),
      set: (key, value) => {
        cache.set(key, String(value));
        return { type: 'success' };
      },
      delete: (key) => {
        cache.delete(key);
        return { type: 'success' };
      },
    },
    // The suites run no Rule beside the Action.
    rules: { wasExecuted: () => false },
  };
  for (const [object, methods] of Object.entries(UNMODELLED_API)) {
    api[object] ??= {};
    for (const method of methods) {
      api[object][method] = () => {
        throw new Error(`the upstream-jest adapter does not model api.${object}.${method}`);
      };
    }
  }
  return api;
}

/**
 * `api.samlResponse.*` as `context.samlConfiguration` (§4d). `setAttribute` takes a value where a
 * Rules mapping named a profile path (P13): the mapping gets the path of the user's profile that
 * holds that value, when exactly one does.
 */
function samlResponse(user, context) {
  const configuration = () => (context.samlConfiguration ??= {});
  const setting = (method) => (method === 'setRelayState' ? 'RelayState' : method[3].toLowerCase() + method.slice(4));
  const methods = [
    'setAudience', 'setRecipient', 'setCreateUpnClaim', 'setPassthroughClaimsWithNoMapping', 'setMapUnknownClaimsAsIs',
    'setMapIdentities', 'setSignatureAlgorithm', 'setDigestAlgorithm', 'setDestination', 'setLifetimeInSeconds',
    'setSignResponse', 'setNameIdentifierFormat', 'setNameIdentifierProbes', 'setAuthnContextClassRef', 'setSigningCert',
    'setIncludeAttributeNameFormat', 'setTypedAttributes', 'setEncryptionCert', 'setEncryptionPublicKey', 'setCert',
    'setKey', 'setRelayState', 'setIssuer', 'setEncryptionAlgorithm',
  ];
  const api = Object.fromEntries(methods.map((method) => [method, (value) => { configuration()[setting(method)] = value; }]));
  api.setAttribute = (name, value) => {
    const mappings = (configuration().mappings ??= {});
    const paths = profilePaths(user ?? {}, value);
    if (paths.length === 1) mappings[name] = paths[0];
    else delete mappings[name];
  };
  return api;
}

/** The dotted paths in `object` whose value is `value` (a non-empty primitive). */
function profilePaths(object, value, prefix = '') {
  if (value === undefined || value === null || value === '' || typeof value === 'object') return [];
  return Object.entries(object).flatMap(([key, child]) => {
    const here = `${prefix}${key}`;
    if (child === value) return [here];
    return child !== null && typeof child === 'object' && !Array.isArray(child) ? profilePaths(child, value, `${here}.`) : [];
  });
}
