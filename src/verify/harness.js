// Runs a Rule and its generated Action side by side in Node over generated scenarios and
// prints the scenarios whose observable effects differ.
//
// usage: node harness.js RULE_FILE ACTION_FILE [enforced|relaxed]
//
// Prints {"scenarios": N, "mismatches": [{"scenario": …, "rule": …, "action": …}]}. Effects are
// compared after Auth0's claim filter, so a claim both pipelines drop is no difference.
'use strict';

const fs = require('fs');
const nodeRequire = require;

const [ruleFile, actionFile, claimsPolicy = 'enforced'] = process.argv.slice(2);
const ruleText = fs.readFileSync(ruleFile, 'utf8');
const actionText = fs.readFileSync(actionFile, 'utf8');

class UnauthorizedError extends Error {}

// Both runs of a scenario must see the same clock and the same random numbers.
const NOW = 1767225600000;
Date.now = () => NOW;
// `new Date()` reads the same frozen clock; dates built from values are untouched.
globalThis.Date = class extends Date {
  constructor(...args) {
    super(...(args.length === 0 ? [NOW] : args));
  }
};
const nodeCrypto = nodeRequire('crypto');
let seed = 1;
function nextByte() {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed >>> 24;
}
function resetRandomness() {
  seed = 1;
  // `uuid` draws from a pool of random bytes it keeps between calls: each run loads it afresh,
  // so that the Rule and the Action start from the same bytes.
  for (const path of Object.keys(nodeRequire.cache)) {
    if (/[\\/]node_modules[\\/]uuid[\\/]/.test(path)) delete nodeRequire.cache[path];
  }
}
function fillRandom(buffer, offset = 0, size = buffer.length - offset) {
  for (let i = offset; i < offset + size; i++) buffer[i] = nextByte();
  return buffer;
}
nodeCrypto.randomBytes = (size, done) => {
  const bytes = fillRandom(Buffer.alloc(size));
  return done ? done(null, bytes) : bytes;
};
nodeCrypto.randomFillSync = fillRandom;
nodeCrypto.randomUUID = () => {
  const hex = fillRandom(Buffer.alloc(16)).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
Math.random = () => (nextByte() * 256 + nextByte()) / 65536;

// No scenario reaches the network: HTTP clients get canned responses instead.
const { Readable, Writable } = nodeRequire('stream');

/** The canned answer for a call, recorded as `METHOD URL`. */
function answer(method, target) {
  // `https://host:443/x` and `https://host/x` are the same call.
  const url = URL.canParse(String(target)) ? new URL(String(target)).href : String(target);
  currentHttp.calls.push(`${method} ${url}`);
  const canned = currentHttp.canned.find((c) => (c.method ?? 'GET').toUpperCase() === method && String(url).startsWith(c.url));
  return { status: canned?.status ?? 200, body: JSON.stringify(canned?.body ?? {}) };
}

/** `http.request` for callback-style clients (`request`, `axios` on Node): a canned response. */
function cannedRequest(protocol) {
  return (target, options, callback) => {
    if (typeof options === 'function') [callback, options] = [options, {}];
    const spec = typeof target === 'string' || target instanceof URL ? { ...options, url: String(target) } : { ...target, ...options };
    // `request` hands over a parsed URL object.
    const url = (spec.url?.href ?? spec.url) ?? `${spec.protocol ?? protocol}//${spec.hostname ?? spec.host}${spec.port ? `:${spec.port}` : ''}${spec.path ?? '/'}`;
    const { status, body } = answer((spec.method ?? 'GET').toUpperCase(), url);
    const request = new Writable({ write: (chunk, encoding, done) => done() });
    Object.assign(request, {
      setTimeout: () => request, setHeader() {}, getHeader() {}, removeHeader() {}, abort() {}, setNoDelay() {}, setSocketKeepAlive() {},
    });
    request.on('finish', () => {
      const response = Readable.from([Buffer.from(body)]);
      Object.assign(response, { statusCode: status, statusMessage: 'OK', headers: { 'content-type': 'application/json' }, rawHeaders: [] });
      if (callback) callback(response);
      request.emit('response', response);
    });
    return request;
  };
}
for (const [name, protocol] of [['http', 'http:'], ['https', 'https:']]) {
  const request = cannedRequest(protocol);
  Object.assign(nodeRequire(name), { request, get: (...args) => { const r = request(...args); r.end(); return r; } });
}
// `fetch` answers from the scenario's canned responses (`http: [{method, url, status, body}]`,
// matched by method and URL prefix; 200 `{}` otherwise) and records every call.
let currentHttp = { canned: [], calls: [] };
globalThis.fetch = async (url, init = {}) => {
  const { status, body } = answer((init.method ?? 'GET').toUpperCase(), url);
  return new Response(body, { status, headers: { 'content-type': 'application/json' } });
};

// Callbacks that fire after a run ended (an asynchronous rule's) must not end the harness.
process.on('uncaughtException', () => {});
process.on('unhandledRejection', () => {});

// Rules and Actions log freely; only the report may reach stdout.
for (const level of ['log', 'info', 'warn', 'error', 'debug']) console[level] = () => {};

/** Modules resolve from the folder `verify` runs in, where the user installed the packages. */
function moduleRequire(specifier) {
  const name = specifier.replace(/(.)@[^/]*$/, '$1');
  return nodeRequire(nodeRequire.resolve(name, { paths: [process.cwd()] }));
}

/** Packages the Rule or the Action needs that are not installed where `verify` runs. */
function missingPackages() {
  return DEPENDENCIES.filter((name) => {
    try {
      nodeRequire.resolve(name, { paths: [process.cwd()] });
      return false;
    } catch {
      return true;
    }
  });
}

function baseScenario() {
  return {
    user: {
      user_id: 'auth0|100',
      email: 'ada@example.com',
      email_verified: true,
      name: 'Ada',
      nickname: 'ada',
      app_metadata: { roles: ['viewer'], plan: 'pro', primary_id: '200' },
      user_metadata: { color: 'green', locale: 'fr', department: 'eng', prefs: '{}' },
      identities: [{ provider: 'auth0', connection: 'Username-Password-Authentication', isSocial: false, user_id: '100' }],
      multifactor: [],
    },
    clientID: 'client-a',
    clientName: 'Web App',
    clientMetadata: { required_role: 'viewer' },
    connection: 'Username-Password-Authentication',
    connectionID: 'con_1',
    connectionStrategy: 'auth0',
    connectionMetadata: { region: 'eu' },
    tenant: 'acme',
    protocol: 'oidc-basic-profile',
    loginsCount: 3,
    request: {
      ip: '203.0.113.7',
      hostname: 'login.example.com',
      userAgent: 'Mozilla/5.0',
      query: { audience: 'https://api.example.com', scope: 'openid profile read:reports' },
      body: {},
      geoip: {
        country_code: 'FR', country_code3: 'FRA', country_name: 'France', city_name: 'Paris',
        latitude: 48.8, longitude: 2.3, time_zone: 'Europe/Paris', continent_code: 'EU',
        subdivision_code: 'IDF', subdivision_name: 'Ile-de-France',
      },
    },
    authentication: { methods: [{ name: 'pwd', timestamp: 1700000000000 }] },
    authorization: { roles: ['viewer'] },
    organization: undefined,
    riskAssessment: { confidence: 'high', version: '1', assessments: {} },
    currentClients: ['client-a'],
    requestedScopes: ['openid', 'profile', 'read:reports'],
    // Every secret has a value; scenarios may set their own.
    secrets: new Proxy({}, {
      get: (target, key) => (typeof key !== 'string' ? undefined : key in target ? target[key] : `secret-${key}`),
    }),
  };
}

/** Variants seeded with the rule's own string literals, so constant-guarded branches run. */
function scenarios() {
  const literals = new Set();
  for (const match of ruleText.matchAll(/'([^'\\\n]{1,80})'|"([^"\\\n]{1,80})"/g)) {
    literals.add(match[1] ?? match[2]);
  }
  const seeded = [...literals].slice(0, 40);
  const variants = [
    (s) => s,
    (s) => { s.user.email_verified = false; },
    (s) => { s.user.app_metadata = { roles: ['admin'], blocked: true, suspended: true }; },
    (s) => { s.user.app_metadata = {}; s.user.user_metadata = {}; },
    (s) => { s.loginsCount = 1; s.protocol = 'oauth2-refresh-token'; },
    (s) => { s.request.query.prompt = 'none'; },
    (s) => { s.organization = { id: 'org_1', name: 'acme', metadata: { tier: 'gold', require_mfa: 'true' } }; },
    (s) => { s.riskAssessment.confidence = 'low'; s.authorization.roles = ['admin']; },
    (s) => { s.authentication.methods.push({ name: 'mfa', timestamp: 1700000001000 }); s.authorization.roles = ['admin']; },
  ];
  for (const literal of seeded) {
    variants.push((s) => {
      s.clientID = literal; s.clientName = literal; s.connection = literal; s.tenant = literal;
      s.request.query.audience = literal; s.request.hostname = literal;
      s.request.geoip.country_code = literal; s.request.geoip.continent_code = literal;
      s.user.app_metadata.roles = [literal]; s.authorization.roles = [literal];
      if (literal.includes('@')) s.user.email = `someone${literal.slice(literal.indexOf('@'))}`;
      else if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(literal)) s.user.email = `someone@${literal}`;
      if (/^[0-9.:a-f]+$/i.test(literal) && /[.:]/.test(literal)) s.request.ip = literal;
      if (/^[a-z0-9]+(-[a-z0-9]+)+$/.test(literal)) s.protocol = literal;
    });
  }
  for (const extra of EXTRA_SCENARIOS) variants.push((s) => deepMerge(s, extra));
  return variants.map((apply) => { const s = baseScenario(); apply(s); return s; });
}

/** Writes `extra` over `target`, object by object; arrays and values replace. */
function deepMerge(target, extra) {
  for (const [key, value] of Object.entries(extra)) {
    const plain = (v) => v && typeof v === 'object' && !Array.isArray(v);
    if (plain(value) && plain(target[key])) deepMerge(target[key], value);
    else target[key] = value;
  }
  return target;
}

function ruleContext(s) {
  return {
    clientID: s.clientID, clientName: s.clientName, clientMetadata: s.clientMetadata,
    connection: s.connection, connectionID: s.connectionID, connectionStrategy: s.connectionStrategy,
    connectionMetadata: s.connectionMetadata, tenant: s.tenant, protocol: s.protocol,
    stats: { loginsCount: s.loginsCount },
    request: JSON.parse(JSON.stringify(s.request)),
    authentication: s.authentication, authorization: s.authorization, organization: s.organization,
    riskAssessment: s.riskAssessment, sso: { current_clients: s.currentClients },
    idToken: {}, accessToken: { scope: [...s.requestedScopes] },
    samlConfiguration: {},
  };
}

function actionEvent(s) {
  const g = s.request.geoip;
  return {
    user: JSON.parse(JSON.stringify(s.user)),
    client: { client_id: s.clientID, name: s.clientName, metadata: s.clientMetadata },
    connection: { name: s.connection, id: s.connectionID, strategy: s.connectionStrategy, metadata: s.connectionMetadata },
    tenant: { id: s.tenant },
    transaction: { protocol: s.protocol, requested_scopes: [...s.requestedScopes] },
    stats: { logins_count: s.loginsCount },
    request: {
      ip: s.request.ip, hostname: s.request.hostname, user_agent: s.request.userAgent,
      query: s.request.query, body: s.request.body,
      geoip: {
        countryCode: g.country_code, countryCode3: g.country_code3, countryName: g.country_name,
        cityName: g.city_name, latitude: g.latitude, longitude: g.longitude, timeZone: g.time_zone,
        continentCode: g.continent_code, subdivisionCode: g.subdivision_code, subdivisionName: g.subdivision_name,
      },
    },
    authentication: { methods: s.authentication.methods, riskAssessment: s.riskAssessment },
    authorization: s.authorization, organization: s.organization,
    session: { clients: s.currentClients.map((client_id) => ({ client_id })) },
    secrets: s.secrets,
  };
}

/** A recording `api` that throws on any member the post-login API does not have. */
/** Every member of the post-login `api` (reference §8); the ones compared are modelled below. */
const POST_LOGIN_API = {
  access: ['deny'],
  accessToken: ['setCustomClaim', 'addScope', 'removeScope'],
  idToken: ['setCustomClaim'],
  multifactor: ['enable'],
  authentication: ['challengeWith', 'challengeWithAny', 'enrollWith', 'enrollWithAny', 'recordMethod', 'setPrimaryUser'],
  redirect: ['sendUserTo', 'encodeToken', 'validateToken', 'canRedirect'],
  user: ['setAppMetadata', 'setUserMetadata'],
  cache: ['get', 'set', 'delete'],
  samlResponse: [
    'setAttribute', 'setAudience', 'setRecipient', 'setCreateUpnClaim', 'setPassthroughClaimsWithNoMapping',
    'setMapUnknownClaimsAsIs', 'setMapIdentities', 'setSignatureAlgorithm', 'setDigestAlgorithm', 'setDestination',
    'setLifetimeInSeconds', 'setSignResponse', 'setNameIdentifierFormat', 'setNameIdentifierProbes',
    'setAuthnContextClassRef', 'setSigningCert', 'setIncludeAttributeNameFormat', 'setTypedAttributes',
    'setEncryptionCert', 'setEncryptionPublicKey', 'setCert', 'setKey', 'setRelayState', 'setIssuer',
    'setEncryptionAlgorithm',
  ],
  validation: ['error'],
  rules: ['wasExecuted'],
  prompt: ['render'],
  refreshToken: ['revoke', 'setExpiresAt', 'setIdleExpiresAt', 'setMetadata', 'deleteMetadata', 'evictMetadata'],
  session: ['revoke', 'setExpiresAt', 'setIdleExpiresAt', 'setCookieMode', 'setMetadata', 'deleteMetadata', 'evictMetadata'],
  transaction: ['setMetadata'],
  groups: ['getUserGroups', 'hasGroupMembership'],
  roles: ['getUserEffectiveRoles', 'getUserEffectiveRolesByIds', 'getUserEffectiveRolesByNames'],
};

/** A recording `api` that throws on any member the post-login API does not have. */
function recordingApi(effects, run, s) {
  const cache = new Map();
  const modelled = {
    idToken: { setCustomClaim: (k, v) => { effects.idToken[k] = v; } },
    accessToken: {
      setCustomClaim: (k, v) => { effects.accessToken[k] = v; },
      addScope: (scope) => { effects.scopes = scopeList([...effects.scopes, scope]); },
      removeScope: (scope) => { effects.scopes = effects.scopes.filter((s) => s !== scope); },
    },
    access: {
      deny: (reason) => {
        if (effects.denied === null) Object.assign(effects, { denied: String(reason), error: 'access_denied' });
      },
    },
    multifactor: {
      enable: (provider, options = {}) => {
        effects.mfa = { provider, allowRememberBrowser: options.allowRememberBrowser ?? false, ...(options.providerOptions ?? {}) };
      },
    },
    authentication: { setPrimaryUser: (id) => { effects.primaryUser = id; } },
    redirect: {
      canRedirect: () => !CANNOT_REDIRECT_LIST.includes(s.protocol) && s.request.query.prompt !== 'none',
      sendUserTo: (url, options = {}) => {
        const query = new URLSearchParams(options.query ?? {}).toString();
        effects.redirect = query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
      },
      encodeToken: ({ secret, payload = {}, expiresInSeconds = 900 }) => {
        const iat = Math.floor(Date.now() / 1000);
        const claims = { ...payload, sub: s.user.user_id, iss: TENANT_HOST, ip: s.request.ip, state: TRANSACTION_STATE, iat, exp: iat + expiresInSeconds };
        return signHs256(claims, secret);
      },
      validateToken: ({ secret, tokenParameterName }) => {
        const token = s.request.body?.[tokenParameterName] ?? s.request.query?.[tokenParameterName];
        const claims = verifyHs256(String(token ?? ''), secret);
        if (claims.state !== TRANSACTION_STATE) throw new Error('the token does not carry this transaction\'s state');
        return claims;
      },
    },
    user: {
      setAppMetadata: (key, value) => persistMetadata(effects, 'app_metadata', { [key]: value }),
      setUserMetadata: (key, value) => persistMetadata(effects, 'user_metadata', { [key]: value }),
    },
    rules: { wasExecuted: () => false },
    // The cache is an implementation detail: it starts empty on every scenario.
    cache: {
      get: (key) => (cache.has(key) ? { value: cache.get(key) } : undefined),
      set: (key, value) => { cache.set(key, String(value)); return { type: 'success' }; },
      delete: (key) => { cache.delete(key); return { type: 'success' }; },
    },
  };
  const strict = (name, members) => new Proxy(members, {
    get(target, key) {
      if (typeof key === 'symbol' || key === 'then') return undefined;
      if (!(key in target)) throw new Error(`api${name}.${String(key)} does not exist`);
      return target[key];
    },
  });
  modelled.samlResponse = Object.fromEntries(
    POST_LOGIN_API.samlResponse.map((method) => [method, (...args) => samlSetting(effects, method, args)]),
  );
  const api = {};
  for (const [object, methods] of Object.entries(POST_LOGIN_API)) {
    const members = {};
    for (const method of methods) {
      // Calls the comparison does not model yet are recorded, so they still count as effects.
      const call = modelled[object]?.[method]
        ?? ((...args) => { effects.calls.push(`api.${object}.${method}(${JSON.stringify(args).slice(1, -1)})`); });
      members[method] = (...args) => {
        if (run.ended) return effects.late.push(`api.${object}.${method}`);
        return call(...args);
      };
    }
    api[object] = strict(`.${object}`, members);
  }
  return strict('', api);
}

/** Scopes as Rules allowed them (an array or a space-separated string), sorted and unique. */
function scopeList(scopes) {
  return [...new Set([].concat(scopes ?? []).join(' ').split(' ').filter(Boolean))].sort();
}

function emptyEffects(s) {
  currentHttp = { canned: s.http ?? [], calls: [] };
  return {
    denied: null, error: null, idToken: {}, accessToken: {}, scopes: scopeList(s.requestedScopes), mfa: null,
    primaryUser: null, redirect: null, saml: null, http: currentHttp.calls, calls: [],
    // `api` calls made after the handler returned: work the Action did not await.
    late: [],
    // The stored profile's metadata after the login: only the final state matters.
    metadata: { app_metadata: { ...(s.user.app_metadata ?? {}) }, user_metadata: { ...(s.user.user_metadata ?? {}) } },
  };
}

/** Rules SAML settings as effects; attribute mappings name profile paths, resolved here. */
function samlFromRules(configuration, user) {
  const { mappings, ...settings } = configuration ?? {};
  if (!mappings && Object.keys(settings).length === 0) return null;
  const attributes = {};
  for (const [name, path] of Object.entries(mappings ?? {})) {
    // A path with no value puts no attribute in the assertion.
    const value = String(path).split('.').reduce((current, key) => current?.[key], user);
    if (value !== undefined && value !== null) attributes[name] = value;
  }
  return { attributes, settings };
}

/** `api.samlResponse.setX(value)` as the Rules setting it replaces. */
function samlSetting(effects, method, args) {
  effects.saml ??= { attributes: {}, settings: {} };
  if (method === 'setAttribute') {
    // `null` or `undefined` removes the attribute.
    if (args[1] === undefined || args[1] === null) delete effects.saml.attributes[args[0]];
    else effects.saml.attributes[args[0]] = args[1];
    return;
  }
  const name = method.slice(3);
  const key = name === 'RelayState' ? name : name[0].toLowerCase() + name.slice(1);
  effects.saml.settings[key] = args[0];
}

/** Auth0 merges metadata updates at the root; `null` removes a key. */
function persistMetadata(effects, kind, changes) {
  const stored = effects.metadata[kind];
  for (const [key, value] of Object.entries(changes ?? {})) {
    if (value === null) delete stored[key];
    else stored[key] = value;
  }
}

async function runRule(s) {
  resetRandomness();
  const effects = emptyEffects(s);
  const context = ruleContext(s);
  // The sandbox globals of old Rules runtimes: `_`, `jwt`, `crypto`, … without a require.
  const globals = Object.entries(SANDBOX_GLOBALS).filter(([name]) => new RegExp(`\\b${name.replace('$', '\\$')}\\b`).test(ruleText));
  const auth0 = {
    accessToken: 'management-api-token',
    domain: 'tenant.example.auth0.com',
    baseUrl: 'https://tenant.example.auth0.com/api/v2',
    users: {
      updateAppMetadata: async (id, changes) => persistMetadata(effects, 'app_metadata', changes),
      updateUserMetadata: async (id, changes) => persistMetadata(effects, 'user_metadata', changes),
    },
  };
  const rule = new Function('configuration', 'UnauthorizedError', 'require', 'auth0', 'global', ...globals.map(([name]) => name),
    `return (${ruleText.trim().replace(/;$/, '')});`)(s.secrets, UnauthorizedError, moduleRequire, auth0, {},
    ...globals.map(([, pkg]) => { try { return moduleRequire(pkg); } catch { return undefined; } }));
  let called = false;
  let finish;
  const finished = new Promise((resolve) => { finish = resolve; });
  const result = rule(JSON.parse(JSON.stringify(s.user)), context, (error) => {
    if (called) return;
    called = true;
    if (error) {
      effects.denied = String(error instanceof Error ? error.message : error);
      effects.error = error instanceof UnauthorizedError ? 'unauthorized' : 'access_denied';
    }
    finish();
  });
  // An asynchronous rule calls back later; one that never does timed out in Rules.
  // With the network stubbed, asynchronous work settles within a few event-loop turns.
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(resolve, 50); });
  await Promise.race([Promise.resolve(result).then(() => (called ? undefined : finished)), timeout]);
  clearTimeout(timer);
  if (!called) Object.assign(effects, { denied: 'timeout: callback never called', error: 'timeout' });
  if (effects.denied !== null) effects.scopes = [];
  if (effects.denied === null) {
    effects.idToken = { ...context.idToken };
    const { scope, ...accessClaims } = context.accessToken;
    effects.accessToken = accessClaims;
    effects.scopes = scopeList(scope);
    if (context.multifactor) {
      const { provider, allowRememberBrowser, ...options } = context.multifactor;
      effects.mfa = { provider, allowRememberBrowser: allowRememberBrowser ?? false, ...options };
    }
    effects.primaryUser = context.primaryUser ?? null;
    effects.redirect = context.redirect?.url ?? null;
    effects.saml = samlFromRules(context.samlConfiguration, s.user);
  }
  return effects;
}

async function runAction(s) {
  resetRandomness();
  const effects = emptyEffects(s);
  const module = { exports: {} };
  // A fresh `global` per run, as the Rule gets: no scenario sees what an earlier one cached.
  new Function('exports', 'module', 'require', 'global', actionText)(module.exports, module, moduleRequire, {});
  // Coming back from a redirect: Rules ran again with this protocol, Actions resume.
  const resumed = s.protocol === 'redirect-callback' && module.exports.onContinuePostLogin;
  const handler = resumed ? module.exports.onContinuePostLogin : module.exports.onExecutePostLogin;
  // A handler that never settles (an asynchronous rule that never calls back) times out.
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), 50); });
  const run = { ended: false };
  const ended = await Promise.race([handler(actionEvent(s), recordingApi(effects, run, s)), timeout]);
  clearTimeout(timer);
  run.ended = true;
  // Work the handler started but did not await gets a few turns of the event loop to show.
  for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  if (ended === 'timeout') Object.assign(effects, { denied: 'timeout: callback never called', error: 'timeout' });
  if (effects.denied !== null) {
    // A denied login issues no tokens and runs no MFA, in both systems.
    Object.assign(effects, { idToken: {}, accessToken: {}, scopes: [], mfa: null, primaryUser: null, redirect: null, saml: null });
  }
  return effects;
}

const RESTRICTED_CLAIMS = new Set(RESTRICTED_CLAIMS_LIST);
const OIDC_PROFILE_CLAIMS = new Set(OIDC_PROFILE_CLAIMS_LIST);

/** Whether Auth0 puts a claim with this name into the token. */
function claimSurvives(name) {
  if (RESTRICTED_CLAIMS.has(name) || name.startsWith('urn:auth0')) return false;
  const url = /^https?:\/\/([^/:?#]*)/.exec(name);
  if (!url) return claimsPolicy === 'relaxed' || OIDC_PROFILE_CLAIMS.has(name);
  const host = url[1];
  return !['auth0.com', 'webtask.io', 'webtask.run'].some((r) => host === r || host.endsWith(`.${r}`));
}

function filterClaims(claims) {
  return Object.fromEntries(Object.entries(claims).filter(([name]) => claimSurvives(name)));
}

// Redirect tokens: Actions sign their own, bound to the tenant, the IP and the transaction.
const TENANT_HOST = 'tenant.example.auth0.com';
const TRANSACTION_STATE = 'harness-state';

function signHs256(claims, secret) {
  const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = nodeCrypto.createHmac('sha256', String(secret)).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

function verifyHs256(token, secret) {
  const [head, body, signature] = token.split('.');
  const expected = nodeCrypto.createHmac('sha256', String(secret)).update(`${head}.${body}`).digest('base64url');
  if (!body || signature !== expected) throw new Error('invalid token signature');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
  if (claims.exp !== undefined && claims.exp < Date.now() / 1000) throw new Error('token expired');
  return claims;
}

/** A redirect URL with each JWT replaced by its claims, less the ones only Actions add. */
function comparableRedirect(url) {
  if (typeof url !== 'string') return url;
  return url.replace(/[\w-]{10,}\.([\w-]{10,})\.[\w-]{10,}/g, (token, body) => {
    try {
      const { iss, ip, state, ...claims } = JSON.parse(Buffer.from(body, 'base64url').toString());
      return `jwt${JSON.stringify(Object.fromEntries(Object.entries(claims).sort(([a], [b]) => a.localeCompare(b))))}`;
    } catch {
      return token;
    }
  });
}

function outcome(run) {
  return run.then(
    (effects) => JSON.stringify({
      ...effects, idToken: filterClaims(effects.idToken), accessToken: filterClaims(effects.accessToken), redirect: comparableRedirect(effects.redirect),
    }),
    (error) => `throws: ${error.message}`,
  );
}

/** The scenario's inputs as a rule author thinks of them. */
function describe(s) {
  const { secrets, ...inputs } = s;
  return inputs;
}

(async () => {
  const missing = missingPackages();
  if (missing.length > 0) {
    process.stdout.write(JSON.stringify({ missing }));
    return;
  }
  const all = scenarios();
  const mismatches = [];
  // What the Action did on each user-written scenario, which come last.
  const given = [];
  for (const [index, scenario] of all.entries()) {
    // One after the other, so both start from the same random numbers.
    const rule = await outcome(runRule(scenario));
    const action = await outcome(runAction(scenario));
    if (rule !== action) mismatches.push({ scenario: describe(scenario), rule, action });
    if (index >= all.length - EXTRA_SCENARIOS.length) given.push(action);
  }
  process.stdout.write(JSON.stringify({ scenarios: all.length, mismatches, given }));
})();
