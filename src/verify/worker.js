// One side of `verify`: runs the Rule (or the Action) on the scenarios rules2actions sends, one
// JSON object per line on stdin, and answers each with the login's observable effects, the
// probes the code reached and the scenario fields it read.
//
// It runs in its own process under Node's permission model (no file writes, no child
// processes, no workers, reads only where packages are installed), with an empty environment;
// rules2actions compares the two sides, so nothing the code under test does here can touch the
// other side's results. Every answer carries a nonce the code under test cannot know.
'use strict';

const fs = require('fs');
const readline = require('readline');
const nodeRequire = require;
// Captured before any code under test runs: the only channel back to rules2actions.
const writeSync = fs.writeSync;
let NONCE = '';
function answer(message) {
  writeSync(1, `\n${JSON.stringify({ nonce: NONCE, ...message })}\n`);
}

// The code under test may not end, or signal, this process.
for (const name of ['exit', 'abort', 'kill', 'reallyExit']) {
  process[name] = () => { throw new Error(`process.${name} is not available in verify`); };
}
process.stdout.write = () => true;
process.stderr.write = () => true;
for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) console[level] = () => {};
// Callbacks that fire after a run ended (an asynchronous rule's) must not end the worker.
process.on('uncaughtException', () => {});
process.on('unhandledRejection', () => {});

// No network: only the canned HTTP below answers. Sockets, UDP and name lookups throw.
const denied = (what) => () => { throw new Error(`${what} is not allowed in verify`); };
const net = nodeRequire('net');
net.Socket.prototype.connect = denied('network access');
net.Server.prototype.listen = denied('listening on a port');
const dgram = nodeRequire('dgram');
dgram.createSocket = denied('UDP');
const dns = nodeRequire('dns');
for (const api of [dns, dns.promises]) {
  for (const key of Object.keys(api)) if (typeof api[key] === 'function' && /^(lookup|resolve)/.test(key)) api[key] = denied('DNS');
}

class UnauthorizedError extends Error {}

// Both sides of a scenario see the same clock and the same random numbers. The clock stands
// still at 2026-01-01T00:00Z unless the scenario sets another time (`clock`, in ms).
const NOW = 1767225600000;
const clock = () => (typeof run?.scenario?.clock === 'number' ? run.scenario.clock : NOW);
Date.now = () => clock();
globalThis.Date = class extends Date {
  constructor(...args) {
    super(...(args.length === 0 ? [clock()] : args));
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
  // `uuid` keeps a pool of random bytes between calls: each run loads it afresh.
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

// HTTP answers from the scenario's canned responses: `http: [{method, url, status, body,
// error}]`, matched by method and URL prefix; 200 `{}` otherwise. Every call is recorded.
const { Readable, Writable } = nodeRequire('stream');
let run = null;

function canned(method, target, authorization, sent) {
  const url = URL.canParse(String(target)) ? new URL(String(target)).href : String(target);
  run.http.push(`${method} ${url}`);
  // What a request carried is an effect too: a webhook's payload is all a Hook may do.
  // A JSON payload says the same whatever the order of its keys.
  if (typeof sent === 'string' && sent !== '') run.sent.push(`${method} ${url} ${comparablePayload(sent)}`);
  // Only a PATCH the API accepts changes the profile.
  const patch = { url, body: sent, accepted: false };
  if (method === 'PATCH' && managementApi(url) && typeof sent === 'string') run.patches.push(patch);
  const entry = (run.scenario.http ?? []).find((c) => (c.method ?? 'GET').toUpperCase() === method && url.startsWith(c.url));
  // A failing Management API fails for the Action's own calls too.
  if (!entry && run.scenario.managementApiFails && url.includes('/api/v2/')) {
    return { call: `${method} ${url}`, status: 503, body: JSON.stringify({ error: 'temporarily_unavailable' }) };
  }
  // The tenant's Management API takes only the token the tenant issued.
  if (!entry && managementApi(url) && authorization !== undefined && !run.tokens.has(authorization.replace(/^Bearer\s+/i, ''))) {
    return { call: `${method} ${url}`, status: 401, body: JSON.stringify({ statusCode: 401, error: 'Unauthorized', message: 'Invalid token' }) };
  }
  const answer = entry ? entry.body ?? {} : tenantAnswer(method, url);
  // A token the tenant's token endpoint issued is one its Management API takes.
  if (/\/oauth\/token$/.test(URL.canParse(url) ? new URL(url).pathname : url) && typeof answer?.access_token === 'string') {
    run.tokens.add(answer.access_token);
  }
  const body = JSON.stringify(answer);
  run.bodies.set(body, `${method} ${url}`);
  patch.accepted = !entry?.error && (entry?.status ?? 200) < 400;
  return { call: `${method} ${url}`, status: entry?.status ?? 200, body, error: entry?.error };
}

function comparablePayload(sent) {
  try {
    return JSON.stringify(sortedKeys(nativeParse(sent)));
  } catch {
    return sent;
  }
}

const MANAGEMENT_TOKEN = 'management-api-token';

function managementApi(url) {
  return URL.canParse(url) && new URL(url).host === TENANT_HOST && new URL(url).pathname.startsWith('/api/v2/');
}

/** The `Authorization` header of a request, whatever form its headers take. */
function authorizationOf(headers) {
  if (!headers) return undefined;
  if (typeof headers.get === 'function') return headers.get('authorization') ?? undefined;
  const plain = unwrap(headers);
  const key = Object.keys(plain ?? {}).find((k) => k.toLowerCase() === 'authorization');
  return key === undefined ? undefined : String(plain[key]);
}

/** What the tenant's own endpoints answer when a scenario does not say: a token for a
 * client-credentials exchange, an empty list from Management API searches, `{}` otherwise. */
function tenantAnswer(method, url) {
  const path = URL.canParse(url) ? new URL(url).pathname : url;
  if (method === 'POST' && /\/oauth\/token$/.test(path)) {
    return { access_token: MANAGEMENT_TOKEN, token_type: 'Bearer', expires_in: 86400 };
  }
  if (method === 'GET' && /\/api\/v2\/(users-by-email|users|.*\/(roles|organizations|permissions|members|enrollments|logs))$/.test(path)) return [];
  return {};
}

// Clients that parse an answer themselves (`request` with `json: true`, axios) go through
// JSON.parse: an answer's body parses into a recording proxy, so its reads are seen too.
const nativeParse = JSON.parse;
JSON.parse = (text, reviver) => {
  const value = nativeParse(text, reviver);
  const call = typeof text === 'string' ? run?.bodies.get(text) : undefined;
  return call && value !== null && typeof value === 'object' ? record(value, ['@http', call]) : value;
};

function cannedRequest(protocol) {
  return (target, options, callback) => {
    if (typeof options === 'function') [callback, options] = [options, {}];
    const spec = typeof target === 'string' || target instanceof URL ? { ...options, url: String(target) } : { ...target, ...options };
    const url = (spec.url?.href ?? spec.url) ?? `${spec.protocol ?? protocol}//${spec.hostname ?? spec.host}${spec.port ? `:${spec.port}` : ''}${spec.path ?? '/'}`;
    const headers = { ...(unwrap(spec.headers) ?? {}) };
    const written = [];
    const request = new Writable({ write: (chunk, encoding, done) => { written.push(Buffer.from(chunk)); done(); } });
    Object.assign(request, {
      setTimeout: () => request, setHeader(name, value) { headers[name] = value; }, getHeader(name) { return headers[name]; },
      removeHeader(name) { delete headers[name]; }, abort() {}, destroy() {}, setNoDelay() {}, setSocketKeepAlive() {},
    });
    request.on('finish', () => {
      const sent = Buffer.concat(written).toString();
      const { status, body, error } = canned((spec.method ?? 'GET').toUpperCase(), url, authorizationOf(headers), sent);
      if (error) {
        request.emit('error', Object.assign(new Error(`connect ${error}`), { code: error }));
        return;
      }
      const response = Readable.from([Buffer.from(body)]);
      // A TLS answer comes over a verified connection: clients that check it (`request` with
      // `strictSSL`) take the answer, as they would from the real service.
      const socket = { authorized: protocol === 'https:', encrypted: protocol === 'https:', getPeerCertificate: () => ({}) };
      Object.assign(response, { statusCode: status, statusMessage: 'OK', headers: { 'content-type': 'application/json' }, rawHeaders: [], socket, connection: socket });
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
globalThis.fetch = async (url, init = {}) => {
  const request = url instanceof Request ? url : null;
  const headers = init.headers ?? request?.headers;
  const sent = typeof init.body === 'string' ? init.body : undefined;
  const { call, status, body, error } = canned((init.method ?? request?.method ?? 'GET').toUpperCase(), request?.url ?? url, authorizationOf(headers), sent);
  if (error) throw new TypeError('fetch failed');
  const response = new Response(body, { status, headers: { 'content-type': 'application/json' } });
  // What the code reads of the body decides which answers are worth varying.
  const parse = response.json.bind(response);
  response.json = async () => record(await parse(), ['@http', call]);
  return response;
};

// Reads: every field the code under test reads, as a path, translated to the scenario's own
// fields so that rules2actions can vary exactly those.
const proxies = new WeakMap();
const targets = new WeakMap();
// The field each recording proxy stands for, and the field a primitive last came from.
const fieldOf = new WeakMap();
function record(value, path) {
  if (value === null || typeof value !== 'object') {
    // Booleans say too little to tell which field they came from.
    if (value !== undefined && typeof value !== 'boolean' && run) run.lastRead.set(value, path);
    return value;
  }
  if (proxies.has(value)) return proxies.get(value);
  const proxy = new Proxy(value, {
    get(target, key, receiver) {
      const found = Reflect.get(target, key, receiver);
      // `await value` asks for `then`, and `JSON.stringify(value)` for `toJSON`: not fields
      // the code reads.
      if (typeof key !== 'string' || key === 'then' || key === 'toJSON') return found;
      // Inherited members (methods) are not fields of the scenario.
      const inherited = key in (Object.getPrototypeOf(target) ?? {}) && !Object.prototype.hasOwnProperty.call(target, key);
      // An array's elements and methods are reads of the array itself; fields of its elements
      // are fields of `[]`, any element.
      if (Array.isArray(target)) run?.reads.add(JSON.stringify(path));
      else if (!inherited) run?.reads.add(JSON.stringify([...path, key]));
      if (typeof found === 'function') {
        // `list.includes(x)` wants the list to hold `x`.
        if (Array.isArray(target) && (key === 'includes' || key === 'indexOf') && run) {
          return function (...args) {
            const wanted = unwrap(args[0]);
            if (wanted === null || ['string', 'number', 'boolean'].includes(typeof wanted)) run.listHints.push([path, wanted]);
            return found.apply(this, args);
          };
        }
        return found;
      }
      const field = Array.isArray(target) ? [...path, '[]'] : [...path, key];
      if (found === undefined && run) run.missing.push(field);
      return record(found, field);
    },
    has(target, key) {
      if (typeof key === 'string') run?.reads.add(JSON.stringify(Array.isArray(target) ? path : [...path, key]));
      return Reflect.has(target, key);
    },
  });
  proxies.set(value, proxy);
  targets.set(proxy, value);
  fieldOf.set(proxy, path);
  return proxy;
}
/** The plain value behind recording proxies, for what cannot take a proxy. */
function unwrap(value) {
  if (value === null || typeof value !== 'object') return value;
  const target = targets.get(value) ?? value;
  if (Array.isArray(target)) return target.map(unwrap);
  return Object.fromEntries(Object.entries(target).map(([k, v]) => [k, unwrap(v)]));
}
const nativeStructuredClone = globalThis.structuredClone;
globalThis.structuredClone = (value, options) => nativeStructuredClone(unwrap(value), options);

// Fields of the Rules `context` and of the Actions `event`, as fields of the scenario.
const GEOIP = {
  countryCode: 'country_code', countryCode3: 'country_code3', countryName: 'country_name', cityName: 'city_name',
  latitude: 'latitude', longitude: 'longitude', timeZone: 'time_zone', continentCode: 'continent_code',
  subdivisionCode: 'subdivision_code', subdivisionName: 'subdivision_name',
};
const RULE_FIELDS = {
  'user': ['user'], 'configuration': ['secrets'], 'managementApiFails': ['managementApiFails'],
  'context.clientID': ['clientID'], 'context.clientName': ['clientName'], 'context.clientMetadata': ['clientMetadata'],
  'context.connection': ['connection'], 'context.connectionID': ['connectionID'], 'context.connectionStrategy': ['connectionStrategy'],
  'context.connectionMetadata': ['connectionMetadata'], 'context.tenant': ['tenant'], 'context.protocol': ['protocol'],
  'context.stats.loginsCount': ['loginsCount'], 'context.request': ['request'], 'context.authentication': ['authentication'],
  'context.authorization': ['authorization'], 'context.organization': ['organization'], 'context.riskAssessment': ['riskAssessment'],
  'context.sso.current_clients': ['currentClients'], 'context.accessToken.scope': ['requestedScopes'],
  'context.locale': ['locale'], 'context.auth0SessionId': ['sessionId'],
};
const ACTION_FIELDS = {
  'event.user': ['user'], 'event.secrets': ['secrets'],
  'event.client.client_id': ['clientID'], 'event.client.name': ['clientName'], 'event.client.metadata': ['clientMetadata'],
  'event.connection.name': ['connection'], 'event.connection.id': ['connectionID'], 'event.connection.strategy': ['connectionStrategy'],
  'event.connection.metadata': ['connectionMetadata'], 'event.tenant.id': ['tenant'], 'event.transaction.protocol': ['protocol'],
  'event.transaction.requested_scopes': ['requestedScopes'], 'event.stats.logins_count': ['loginsCount'],
  'event.request.ip': ['request', 'ip'], 'event.request.hostname': ['request', 'hostname'], 'event.request.user_agent': ['request', 'userAgent'],
  'event.request.query': ['request', 'query'], 'event.request.body': ['request', 'body'], 'event.request.geoip': ['request', 'geoip'],
  ...Object.fromEntries(Object.entries(GEOIP).map(([camel, snake]) => [`event.request.geoip.${camel}`, ['request', 'geoip', snake]])),
  'event.authentication.methods': ['authentication', 'methods'], 'event.authentication.riskAssessment': ['riskAssessment'],
  'event.authorization': ['authorization'], 'event.organization': ['organization'], 'event.session.clients': ['currentClients'],
  'event.session.clients.[].client_id': ['currentClients', '[]'],
  'event.transaction.locale': ['locale'], 'event.session.id': ['sessionId'],
};
// Hooks (`../shared/reference/hooks-and-runtime.md` §2.1–2.2): for each extensibility point,
// the Hook's arguments and `context` and the Action's `event`, built from the same scenario;
// the fields each side reads, as scenario fields; and what the Hook's `cb(null, data)` did.
const REQUEST_EVENT = (s) => ({
  ip: s.request?.ip, language: s.locale, user_agent: s.request?.userAgent,
  geoip: Object.fromEntries(Object.entries(GEOIP).map(([camel, snake]) => [camel, s.request?.geoip?.[snake]])),
});
const HOOK_REQUEST = (s) => ({ ip: s.request?.ip, language: s.locale, userAgent: s.request?.userAgent, geoip: s.request?.geoip });
const CONNECTION_EVENT = (s) => ({ id: s.connectionID, name: s.connection, strategy: s.connectionStrategy, metadata: s.connectionMetadata });
const HOOK_CONNECTION = (s) => ({ id: s.connectionID, name: s.connection, tenant: s.tenant });
// Hooks had the user's id without its provider prefix.
const bareId = (s) => String(s.user?.user_id ?? '').replace(/^[^|]*\|/, '');
const registering = (s) => ({
  tenant: s.tenant, username: s.user?.username, email: s.user?.email, emailVerified: s.user?.email_verified,
  phoneNumber: s.user?.phone_number, phoneNumberVerified: s.user?.phone_verified,
  user_metadata: s.user?.user_metadata ?? {}, app_metadata: s.user?.app_metadata ?? {},
});
const USER_FIELDS = {
  'user.id': ['user', 'user_id'], 'user.emailVerified': ['user', 'email_verified'], 'user.phoneNumber': ['user', 'phone_number'],
  'user.phoneNumberVerified': ['user', 'phone_verified'], 'user.tenant': ['tenant'], user: ['user'],
};
const CONTEXT_FIELDS = {
  'context.webtask.secrets': ['secrets'], 'context.requestLanguage': ['locale'], 'context.renderLanguage': ['locale'],
  'context.connection.id': ['connectionID'], 'context.connection.name': ['connection'], 'context.connection.tenant': ['tenant'],
  'context.request.ip': ['request', 'ip'], 'context.request.language': ['locale'], 'context.request.userAgent': ['request', 'userAgent'],
  'context.request.geoip': ['request', 'geoip'],
};
const HOOKS = {
  'credentials-exchange': {
    args: (s) => [
      { id: s.clientID, name: s.clientName, tenant: s.tenant, metadata: s.clientMetadata },
      [...(s.requestedScopes ?? [])], s.audience,
    ],
    names: [['client'], ['requestedScopes'], ['audience']],
    context: () => ({}),
    event: (s) => ({
      client: { client_id: s.clientID, name: s.clientName, metadata: s.clientMetadata },
      tenant: { id: s.tenant }, resource_server: { identifier: s.audience },
      accessToken: { scope: [...(s.requestedScopes ?? [])] },
      transaction: { requested_scopes: [...(s.requestedScopes ?? [])] },
      request: REQUEST_EVENT(s),
    }),
    fields: {
      'client.id': ['clientID'], 'client.name': ['clientName'], 'client.metadata': ['clientMetadata'], 'client.tenant': ['tenant'],
      requestedScopes: ['requestedScopes'], audience: ['audience'],
    },
    // Only claims namespaced with an http(s) URL outside Auth0's own hosts became claims;
    // `scope` replaced the token's scopes.
    apply: (effects, data, config) => {
      for (const [name, value] of Object.entries(unwrap(data) ?? {})) {
        if (name === 'scope') effects.scopes = scopeList(value);
        else if (/^https?:\/\//.test(name) && claimSurvives(name, config)) effects.accessToken[name] = value;
      }
    },
  },
  'pre-user-registration': {
    args: (s) => [registering(s)],
    names: [['user']],
    context: (s) => ({ requestLanguage: s.locale, renderLanguage: s.locale, request: HOOK_REQUEST(s), connection: HOOK_CONNECTION(s) }),
    event: (s) => ({
      user: {
        email: s.user?.email, username: s.user?.username, phone_number: s.user?.phone_number, name: s.user?.name,
        nickname: s.user?.nickname, given_name: s.user?.given_name, family_name: s.user?.family_name, picture: s.user?.picture,
        app_metadata: s.user?.app_metadata, user_metadata: s.user?.user_metadata,
      },
      connection: CONNECTION_EVENT(s), tenant: { id: s.tenant }, request: REQUEST_EVENT(s),
      client: { client_id: s.clientID, name: s.clientName, metadata: s.clientMetadata }, transaction: { locale: s.locale },
    }),
    fields: { ...USER_FIELDS, ...CONTEXT_FIELDS },
    // Only the metadata of `{ user: { app_metadata, user_metadata } }` was applied, without
    // keys that start with `$` or hold a `.`.
    apply: (effects, data) => {
      const user = unwrap(data)?.user ?? {};
      for (const kind of ['app_metadata', 'user_metadata']) {
        const changes = Object.fromEntries(Object.entries(user[kind] ?? {}).filter(([key]) => !key.startsWith('$') && !key.includes('.')));
        persistMetadata(effects, kind, changes);
      }
    },
  },
  'post-user-registration': {
    args: (s) => [{ ...registering(s), id: bareId(s) }],
    names: [['user']],
    context: (s) => ({ requestLanguage: s.locale, connection: HOOK_CONNECTION(s) }),
    event: (s) => ({ user: s.user, connection: CONNECTION_EVENT(s), tenant: { id: s.tenant }, request: REQUEST_EVENT(s) }),
    fields: { ...USER_FIELDS, ...CONTEXT_FIELDS },
    apply: () => {},
  },
  'post-change-password': {
    args: (s) => [{ id: bareId(s), username: s.user?.username, email: s.user?.email, last_password_reset: s.user?.last_password_reset, tenant: s.tenant }],
    names: [['user']],
    context: (s) => ({ connection: HOOK_CONNECTION(s) }),
    event: (s) => ({ user: s.user, connection: CONNECTION_EVENT(s), tenant: { id: s.tenant }, request: REQUEST_EVENT(s) }),
    fields: { ...USER_FIELDS, ...CONTEXT_FIELDS },
    apply: () => {},
  },
  'send-phone-message': {
    args: (s) => [s.message?.recipient, s.message?.text],
    names: [['message', 'recipient'], ['message', 'text']],
    context: (s) => ({
      message_type: s.message?.message_type, action: s.message?.action, code: s.message?.code, language: s.locale,
      ip: s.request?.ip, user_agent: s.request?.userAgent,
      client: { client_id: s.clientID, name: s.clientName, client_metadata: s.clientMetadata },
      user: { user_id: s.user?.user_id, name: s.user?.name, email: s.user?.email, app_metadata: s.user?.app_metadata, user_metadata: s.user?.user_metadata },
    }),
    event: (s) => ({
      message_options: { ...s.message },
      client: { client_id: s.clientID, name: s.clientName, metadata: s.clientMetadata },
      user: { user_id: s.user?.user_id, name: s.user?.name, email: s.user?.email, app_metadata: s.user?.app_metadata, user_metadata: s.user?.user_metadata },
      request: REQUEST_EVENT(s), tenant: { id: s.tenant },
    }),
    fields: {
      ...CONTEXT_FIELDS, 'message.recipient': ['message', 'recipient'], 'message.text': ['message', 'text'],
      'context.message_type': ['message', 'message_type'], 'context.action': ['message', 'action'], 'context.code': ['message', 'code'],
      'context.language': ['locale'], 'context.ip': ['request', 'ip'], 'context.user_agent': ['request', 'userAgent'],
      'context.client.client_id': ['clientID'], 'context.client.name': ['clientName'], 'context.client.client_metadata': ['clientMetadata'],
      'context.user': ['user'],
    },
    apply: () => {},
  },
};
const HOOK_EVENT_FIELDS = {
  'event.message_options': ['message'], 'event.resource_server.identifier': ['audience'],
  'event.accessToken.scope': ['requestedScopes'], 'event.request.language': ['locale'],
};

/** A read path as the scenario field it comes from (longest known prefix), or `null`. */
function scenarioField(path, fields) {
  if (path[0] === '@http') return path;
  for (let length = path.length; length > 0; length -= 1) {
    const mapped = fields[path.slice(0, length).join('.')];
    if (mapped) return [...mapped, ...path.slice(length)];
  }
  return null;
}

/** Modules resolve from where the user installed the packages; some builtins are off limits. */
const FORBIDDEN = new Set(['child_process', 'worker_threads', 'cluster', 'inspector', 'v8', 'vm', 'repl', 'module', 'wasi']);
let modulesDir = process.cwd();
function moduleRequire(specifier) {
  const name = String(specifier).replace(/^node:/, '').replace(/(.)@[^/]*$/, '$1');
  if (name === `@${RULE_UTILITIES}`) return ruleUtilitiesModel();
  if (FORBIDDEN.has(name)) throw new Error(`require('${name}') is not allowed in verify`);
  return nodeRequire(nodeRequire.resolve(name, { paths: [modulesDir] }));
}

/**
 * `@auth0/rule-utilities` was never published to npm, so the Rule side gets a model of it,
 * written from its documented behaviour: redirect helpers over `context` with a session token
 * signed with `SESSION_TOKEN_SECRET`, and metadata helpers that persist through `auth0.users`
 * without waiting (the library's updates were fire-and-forget).
 */
const RULE_UTILITIES = 'auth0/rule-utilities';
function ruleUtilitiesModel() {
  const jsonwebtoken = () => moduleRequire('jsonwebtoken');
  const noRedirect = ['oauth2-resource-owner', 'oauth2-refresh-token', 'oauth2-password', 'redirect-callback'];
  const issuer = (context) => `https://${context.request.hostname}/`;
  class Auth0RedirectRuleUtilities {
    constructor(user, context, configuration) {
      this.user = user || {};
      this.context = context || {};
      this.secret = (configuration || {}).SESSION_TOKEN_SECRET;
      this.expiresIn = (configuration || {}).SESSION_TOKEN_EXPIRES_IN || '3d';
    }
    get queryParams() { return (this.context.request && this.context.request.query) || {}; }
    get isRedirectCallback() { return this.context.protocol === 'redirect-callback'; }
    get canRedirect() {
      const alreadyRedirecting = this.context.redirect && this.context.redirect.url;
      if (alreadyRedirecting || this.context.multifactor || this.queryParams.prompt === 'none') return false;
      return !noRedirect.includes(this.context.protocol);
    }
    createSessionToken(claims = {}) {
      const token = { ip: this.context.request.ip, iss: issuer(this.context), sub: this.user.user_id, ...claims };
      return jsonwebtoken().sign(token, this.secret, { expiresIn: this.expiresIn });
    }
    validateSessionToken(options = {}) {
      const checks = { ...options, subject: this.user.user_id, issuer: issuer(this.context) };
      const payload = jsonwebtoken().verify(this.queryParams.session_token, this.secret, checks);
      if (!payload.exp) throw new Error('Expired token');
      return payload;
    }
    doRedirect(url, options = {}) {
      if (!this.canRedirect || !url) throw new Error('Cannot redirect');
      const { sessionToken, generateSessionToken = true } = options || {};
      let token;
      if (sessionToken && typeof sessionToken === 'string') token = sessionToken;
      else if (generateSessionToken === true) token = this.createSessionToken();
      this.context.redirect = { url: token ? `${url}?session_token=${token}` : url };
    }
  }
  class Auth0UserUpdateUtilities {
    constructor(user, auth0, namespace) {
      this.auth0 = auth0;
      this.user = user;
      user.user_metadata = user.user_metadata || {};
      user.app_metadata = user.app_metadata || {};
      this.namespace = typeof namespace === 'string' && namespace ? namespace : null;
      if (this.namespace) {
        user.user_metadata[this.namespace] = user.user_metadata[this.namespace] || {};
        user.app_metadata[this.namespace] = user.app_metadata[this.namespace] || {};
      }
    }
    scope(kind) { return this.namespace ? this.user[kind][this.namespace] : this.user[kind]; }
    getAppMeta(key) { return this.scope('app_metadata')[key]; }
    getUserMeta(key) { return this.scope('user_metadata')[key]; }
    setAppMeta(key, value) { this.scope('app_metadata')[key] = value; }
    setUserMeta(key, value) { this.scope('user_metadata')[key] = value; }
    updateAppMeta() { this.persist('updateAppMetadata', 'app_metadata'); }
    updateUserMeta() { this.persist('updateUserMetadata', 'user_metadata'); }
    persist(method, kind) {
      Promise.resolve()
        .then(() => this.auth0.users[method](this.user.user_id, this.user[kind]))
        .catch(() => {});
    }
  }
  return { Auth0RedirectRuleUtilities, Auth0UserUpdateUtilities };
}

function missingPackages(dependencies) {
  return dependencies.filter((name) => name !== `@${RULE_UTILITIES}`).filter((name) => {
    try {
      nodeRequire.resolve(name, { paths: [modulesDir] });
      return false;
    } catch {
      return true;
    }
  });
}

function withSecrets(secrets) {
  // Every secret has a value (the tenant's own domain for DOMAIN); scenarios may set their own.
  return new Proxy({ DOMAIN: TENANT_HOST, ...(secrets ?? {}) }, {
    get: (target, key) => (typeof key !== 'string' ? undefined : key in target ? target[key] : `secret-${key}`),
  });
}

function ruleContext(s) {
  return {
    clientID: s.clientID, clientName: s.clientName, clientMetadata: s.clientMetadata,
    connection: s.connection, connectionID: s.connectionID, connectionStrategy: s.connectionStrategy,
    connectionMetadata: s.connectionMetadata, tenant: s.tenant, protocol: s.protocol,
    stats: { loginsCount: s.loginsCount },
    request: s.request,
    authentication: s.authentication, authorization: s.authorization, organization: s.organization,
    riskAssessment: s.riskAssessment, sso: { current_clients: s.currentClients },
    locale: s.locale, auth0SessionId: s.sessionId,
    idToken: {}, accessToken: { scope: [...(s.requestedScopes ?? [])] },
    samlConfiguration: {},
  };
}

// Actions never see the identity provider's tokens that Rules had on `user.identities[i]`.
function withoutProviderTokens(user) {
  if (!Array.isArray(user?.identities)) return user;
  const identities = user.identities.map((identity) => {
    if (identity === null || typeof identity !== 'object') return identity;
    const { access_token, access_token_secret, refresh_token, id_token, ...rest } = identity;
    return rest;
  });
  return { ...user, identities };
}

function actionEvent(s) {
  const g = s.request?.geoip ?? {};
  return {
    user: withoutProviderTokens(s.user),
    client: { client_id: s.clientID, name: s.clientName, metadata: s.clientMetadata },
    connection: { name: s.connection, id: s.connectionID, strategy: s.connectionStrategy, metadata: s.connectionMetadata },
    tenant: { id: s.tenant },
    transaction: { protocol: s.protocol, requested_scopes: [...(s.requestedScopes ?? [])], locale: s.locale },
    stats: { logins_count: s.loginsCount },
    request: {
      ip: s.request?.ip, hostname: s.request?.hostname, user_agent: s.request?.userAgent,
      query: s.request?.query, body: s.request?.body,
      geoip: Object.fromEntries(Object.entries(GEOIP).map(([camel, snake]) => [camel, g[snake]])),
    },
    authentication: { methods: s.authentication?.methods, riskAssessment: s.riskAssessment },
    authorization: s.authorization, organization: s.organization,
    session: { id: s.sessionId, clients: (s.currentClients ?? []).map((client_id) => ({ client_id })) },
    secrets: s.secrets,
  };
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

function recordingApi(effects, s, config) {
  const cache = new Map();
  const modelled = {
    idToken: { setCustomClaim: (k, v) => { effects.idToken[k] = v; } },
    accessToken: {
      setCustomClaim: (k, v) => { effects.accessToken[k] = v; },
      addScope: (scope) => { effects.scopes = scopeList([...effects.scopes, scope]); },
      removeScope: (scope) => { effects.scopes = effects.scopes.filter((x) => x !== scope); },
    },
    access: {
      // The trigger's own arguments: `(reason)`, `(code, reason)` or `(reason, userMessage)`.
      deny: (...args) => {
        if (effects.denied !== null) return;
        const given = Object.fromEntries(config.trigger.deny.map((name, index) => [name, args[index]]));
        Object.assign(effects, { denied: String(given.reason), error: given.error ?? 'access_denied' });
        if (given.userMessage !== undefined) effects.userMessage = String(given.userMessage);
      },
    },
    multifactor: {
      // The option as given: Rules and Actions document different defaults.
      enable: (provider, options = {}) => {
        effects.mfa = { provider, allowRememberBrowser: options.allowRememberBrowser, ...(options.providerOptions ?? {}) };
      },
    },
    authentication: { setPrimaryUser: (id) => { effects.primaryUser = id; } },
    redirect: {
      canRedirect: () => !config.cannotRedirect.includes(s.protocol) && s.request?.query?.prompt !== 'none',
      sendUserTo: (url, options = {}) => {
        const query = new URLSearchParams(options.query ?? {}).toString();
        effects.redirect = query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
      },
      encodeToken: ({ secret, payload = {}, expiresInSeconds = 900 }) => {
        const iat = Math.floor(Date.now() / 1000);
        const claims = { ...payload, sub: s.user?.user_id, iss: TENANT_HOST, ip: s.request?.ip, state: TRANSACTION_STATE, iat, exp: iat + expiresInSeconds };
        return signHs256(claims, secret);
      },
      validateToken: ({ secret, tokenParameterName }) => {
        const token = s.request?.body?.[tokenParameterName] ?? s.request?.query?.[tokenParameterName];
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
    // The cache starts empty on every scenario.
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
  // Every member of the trigger's `api`, from its description (`src/trigger/`); the ones
  // compared are modelled.
  const surface = config.trigger.api;
  modelled.samlResponse = Object.fromEntries(
    (surface.samlResponse ?? []).map((method) => [method, (...args) => samlSetting(effects, method, args)]),
  );
  const api = {};
  for (const [object, methods] of Object.entries(surface)) {
    const members = {};
    for (const method of methods) {
      // Calls the comparison does not model are recorded, so they still count as effects.
      const call = modelled[object]?.[method]
        ?? ((...args) => { effects.calls.push(`api.${object}.${method}(${JSON.stringify(unwrap(args)).slice(1, -1)})`); });
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
  return [...new Set([].concat(unwrap(scopes) ?? []).join(' ').split(' ').filter(Boolean))].sort();
}

function emptyEffects(s) {
  return {
    denied: null, error: null, idToken: {}, accessToken: {}, scopes: scopeList(s.requestedScopes), mfa: null,
    primaryUser: null, redirect: null, saml: null, http: run.http, sent: run.sent, calls: [],
    // `api` calls made after the handler returned: work the Action did not await.
    late: [],
    // The stored profile's metadata after the login: only the final state matters.
    metadata: { app_metadata: { ...(s.user?.app_metadata ?? {}) }, user_metadata: { ...(s.user?.user_metadata ?? {}) } },
  };
}

/** Rules SAML settings as effects; attribute mappings name profile paths, resolved here. */
function samlFromRules(configuration, user) {
  const { mappings, ...settings } = unwrap(configuration) ?? {};
  if (!mappings && Object.keys(settings).length === 0) return null;
  const attributes = {};
  for (const [name, path] of Object.entries(mappings ?? {})) {
    const value = String(path).split('.').reduce((current, key) => current?.[key], user);
    if (value !== undefined && value !== null) attributes[name] = value;
  }
  return { attributes, settings };
}

function samlSetting(effects, method, args) {
  effects.saml ??= { attributes: {}, settings: {} };
  if (method === 'setAttribute') {
    if (args[1] === undefined || args[1] === null) delete effects.saml.attributes[args[0]];
    else effects.saml.attributes[args[0]] = unwrap(args[1]);
    return;
  }
  const name = method.slice(3);
  const key = name === 'RelayState' ? name : name[0].toLowerCase() + name.slice(1);
  effects.saml.settings[key] = unwrap(args[0]);
}

/**
 * Auth0 merges metadata updates at the root; `null` removes a key. An update travels as JSON,
 * so a key set to `undefined` is not sent and keeps its value (Actions skip it too).
 */
function persistMetadata(effects, kind, changes) {
  const stored = effects.metadata[kind];
  for (const [key, value] of Object.entries(unwrap(changes) ?? {})) {
    if (value === undefined) continue;
    if (value === null) delete stored[key];
    else stored[key] = value;
  }
}

/**
 * A Management API `PATCH /api/v2/users/{id}` of the user logging in changes that user's
 * metadata, as `auth0.users.updateAppMetadata` did: either side may make the change that way.
 */
function ownProfilePatches(s, effects) {
  const own = `/api/v2/users/${encodeURIComponent(s.user?.user_id ?? '')}`;
  for (const { url, body, accepted } of run.patches) {
    if (!accepted || new URL(url).pathname !== own || effects.denied !== null) continue;
    let changes;
    try { changes = nativeParse(body); } catch { continue; }
    for (const kind of ['app_metadata', 'user_metadata']) {
      if (changes && typeof changes[kind] === 'object' && changes[kind] !== null) persistMetadata(effects, kind, changes[kind]);
    }
  }
}

/**
 * Resolves with the settled value of `promise`, or with 'timeout' after `ms`, or as soon as
 * nothing is left that could settle it: for a few turns of the event loop in a row, no timer,
 * socket or file operation pending but this worker's pipes and the timer below. Code that
 * never calls back then costs a few turns instead of the whole wait.
 */
async function settle(promise, ms) {
  let timer;
  let settled = false;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
    let quiet = 0;
    let turns = 0;
    const poll = () => {
      if (settled) return;
      const pending = process.getActiveResourcesInfo().filter((r) => r !== 'PipeWrap' && r !== 'TTYWrap');
      quiet = pending.length <= 1 ? quiet + 1 : 0;
      turns += 1;
      if (quiet >= 3) resolve('timeout');
      // The first turns back to back, then every few milliseconds: polling must not spin
      // while the code waits on a timer of its own.
      else if (turns < 8) setImmediate(poll);
      else setTimeout(poll, 5);
    };
    setImmediate(poll);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    settled = true;
    clearTimeout(timer);
  }
}

function clone(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

let compiled = null;

async function runRule(s, config) {
  const effects = emptyEffects(s);
  const context = ruleContext(clone(s));
  const user = clone(s.user);
  // The Rules runtime put the client's id and the connection on the user too.
  user.clientID ??= s.clientID;
  user.connection ??= s.connection;
  const auth0 = {
    accessToken: MANAGEMENT_TOKEN,
    domain: 'tenant.example.auth0.com',
    baseUrl: 'https://tenant.example.auth0.com/api/v2',
    users: {
      updateAppMetadata: async (id, changes) => update(id, 'app_metadata', changes),
      updateUserMetadata: async (id, changes) => update(id, 'user_metadata', changes),
    },
  };
  // The Management API can fail (`managementApiFails` in the scenario): the Rule's `.catch`.
  // Another user's profile is a call to the Management API, as the Action makes it.
  function update(id, kind, changes) {
    run.reads.add(JSON.stringify(['managementApiFails']));
    if (s.managementApiFails) throw new Error('Management API update failed');
    if (id !== s.user?.user_id) {
      const { status, error } = canned('PATCH', `https://${TENANT_HOST}/api/v2/users/${encodeURIComponent(id)}`);
      if (error || status >= 400) throw new Error(`Management API update failed: ${error ?? status}`);
      return;
    }
    persistMetadata(effects, kind, changes);
  }
  const rule = compiled(record(withSecrets(s.secrets), ['configuration']), UnauthorizedError, moduleRequire, auth0, {});
  let called = false;
  let finish;
  const finished = new Promise((resolve) => { finish = resolve; });
  const recordedContext = record(context, ['context']);
  const result = rule(record(user, ['user']), recordedContext, (error) => {
    if (called) return;
    called = true;
    if (error) {
      effects.denied = String(error instanceof Error ? error.message : error);
      effects.error = error instanceof UnauthorizedError ? 'unauthorized' : 'access_denied';
    }
    finish();
  });
  // An asynchronous rule calls back later; one that never does timed out in Rules.
  await settle(Promise.resolve(result).then(() => (called ? undefined : finished)), 50);
  if (!called) Object.assign(effects, { denied: 'timeout: callback never called', error: 'timeout' });
  if (effects.denied !== null) effects.scopes = [];
  if (effects.denied === null) {
    effects.idToken = unwrap(context.idToken);
    const { scope, ...accessClaims } = unwrap(context.accessToken);
    effects.accessToken = accessClaims;
    effects.scopes = scopeList(scope);
    if (context.multifactor) {
      const { provider, allowRememberBrowser, ...options } = unwrap(context.multifactor);
      effects.mfa = { provider, allowRememberBrowser, ...options };
    }
    effects.primaryUser = unwrap(context.primaryUser) ?? null;
    effects.redirect = unwrap(context.redirect)?.url ?? null;
    // Mappings are read from the profile as the Rule left it; those reads count as the Rule's.
    effects.saml = samlFromRules(context.samlConfiguration, record(user, ['user']));
  }
  // Work the rule started and did not wait for went on in the Rules sandbox (a webhook posted
  // just before calling back): it gets the turns of the event loop the Action's gets.
  for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  return effects;
}

/** A Hook, called as its extensibility point called it; its `cb` ends the run. */
async function runHook(s, config) {
  const effects = emptyEffects(s);
  const point = HOOKS[config.trigger.id];
  const hook = compiled();
  if (typeof hook !== 'function') throw new Error('the code exports no Hook function');
  const args = point.args(clone(s)).map((value, index) => {
    // An argument that is a plain value cannot record its reads: it counts as read.
    if (value === null || typeof value !== 'object') run.reads.add(JSON.stringify(point.names[index]));
    return record(value, point.names[index]);
  });
  const context = { ...point.context(clone(s)), webtask: { secrets: withSecrets(s.secrets) } };
  let called = false;
  let failure = null;
  let data;
  let finish;
  const finished = new Promise((resolve) => { finish = resolve; });
  const result = hook(...args, record(context, ['context']), (error, response) => {
    if (called) return;
    called = true;
    if (error) failure = error;
    else data = response;
    finish();
  });
  await settle(Promise.resolve(result).then(() => (called ? undefined : finished)), 50);
  run.ended = true;
  for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  if (!called) Object.assign(effects, { denied: 'timeout: callback never called', error: 'timeout' });
  else if (failure !== null) {
    const message = String(failure instanceof Error ? failure.message : failure);
    const { failure: how, errorClasses } = config.trigger.hook;
    // Where the trigger cannot deny, the Hook's error failed it, as a throw fails the Action.
    if (how.kind === 'throw') throw new Error(message);
    const known = errorClasses.find((c) => failure?.name === c.name && c.name !== 'Error');
    Object.assign(effects, { denied: message, error: known?.code ?? how.code ?? 'access_denied' });
    if (failure?.userMessage !== undefined) effects.userMessage = String(failure.userMessage);
  } else point.apply(effects, data, config);
  if (effects.denied !== null) Object.assign(effects, { accessToken: {}, scopes: [] });
  return effects;
}

/** The error classes a Hook's extensibility point put in scope, by name. */
function hookErrorClasses(classes) {
  return classes.filter((c) => c.name !== 'Error').map(({ name, arguments: count }) => {
    const made = class extends Error {
      constructor(message, userMessage) {
        super(message);
        this.name = name;
        if (count > 1 && userMessage !== undefined) this.userMessage = userMessage;
      }
    };
    return [name, made];
  });
}

async function runAction(s, config) {
  const effects = emptyEffects(s);
  const module = { exports: {} };
  // A fresh `global` per run, as the Rule gets.
  compiled(module.exports, module, moduleRequire, {});
  // Coming back from a redirect: Rules ran again with this protocol, Actions resume.
  const { handler: name, resumeHandler } = config.trigger;
  const resumed = s.protocol === 'redirect-callback' && resumeHandler && module.exports[resumeHandler];
  const handler = resumed ? module.exports[resumeHandler] : module.exports[name];
  if (typeof handler !== 'function') throw new Error(`the code exports no ${name} handler`);
  const point = HOOKS[config.trigger.id];
  // The login that resumes is the one that redirected: Actions report its own protocol, never
  // `redirect-callback`.
  const plain = clone({ ...s, secrets: undefined, ...(resumed ? { protocol: 'oidc-basic-profile' } : {}) });
  const event = point ? point.event(plain) : actionEvent(plain);
  // Credentials the migration moved into secrets hold what the rule had written.
  event.secrets = withSecrets({ ...s.secrets, ...config.movedSecrets });
  // In Actions a user's metadata is always an object, `{}` when there is none.
  if (event.user) {
    event.user.app_metadata ??= {};
    event.user.user_metadata ??= {};
  }
  const ended = await settle(handler(record(event, ['event']), recordingApi(effects, s, config)), 50);
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

function claimSurvives(name, config) {
  if (config.restricted.includes(name) || name.startsWith('urn:auth0')) return false;
  const url = /^https?:\/\/([^/:?#]*)/.exec(name);
  if (!url) return config.claimsPolicy === 'relaxed' || config.oidc.includes(name);
  const host = url[1];
  return !['auth0.com', 'webtask.io', 'webtask.run'].some((r) => host === r || host.endsWith(`.${r}`));
}

function filterClaims(claims, config) {
  return Object.fromEntries(Object.entries(unwrap(claims) ?? {}).filter(([name]) => claimSurvives(name, config)));
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

// The order of an object's keys is not part of what a token or the stored metadata says.
function sortedKeys(value) {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortedKeys(value[key])]));
}

function outcome(effects, config) {
  const plain = unwrap({
    ...effects, idToken: filterClaims(effects.idToken, config), accessToken: filterClaims(effects.accessToken, config),
    redirect: comparableRedirect(effects.redirect),
  });
  return JSON.stringify({
    ...plain, idToken: sortedKeys(plain.idToken), accessToken: sortedKeys(plain.accessToken), metadata: sortedKeys(plain.metadata),
  });
}

/** For each comparison between a field and a value: the field (as a scenario field) and the
 * value that would make the comparison true (in a list, for `includes` and `indexOf`). */
function hints(fields) {
  const out = [];
  const fieldPath = (value) => (value !== null && typeof value === 'object' ? fieldOf.get(value) : run.lastRead.get(value));
  const plain = (value) => {
    const raw = unwrap(value);
    return raw === null || ['string', 'number', 'boolean'].includes(typeof raw) ? raw : undefined;
  };
  for (const sides of run.comparisons.values()) {
    if (sides.length !== 2) continue;
    for (const [field, other] of [[sides[0], sides[1]], [sides[1], sides[0]]]) {
      const path = fieldPath(field);
      const wanted = plain(other);
      if (!path || wanted === undefined) continue;
      const mapped = scenarioField(path, fields);
      if (!mapped) continue;
      const list = Array.isArray(targets.get(field) ?? field);
      out.push([mapped, list ? [wanted] : wanted]);
    }
  }
  for (const [path, wanted] of run.listHints) {
    const mapped = scenarioField(path, fields);
    if (mapped) out.push([mapped, [wanted]]);
  }
  return out;
}

/**
 * A `/continue` parameter the search set to `r2a-signed-token:NAME` holds the token a site that
 * shares the secret NAME signs: HS256, for the user logging in, issued by the tenant, valid for
 * an hour. Both sides get the same token, so the code that validates it runs.
 */
const SIGNED_TOKEN = 'r2a-signed-token:';
function withSignedTokens(s) {
  const sign = (value) => {
    if (typeof value !== 'string' || !value.startsWith(SIGNED_TOKEN)) return value;
    // The secret's value as both sides read it.
    const secret = withSecrets(s.secrets)[value.slice(SIGNED_TOKEN.length)];
    if (typeof secret !== 'string') return value;
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: s.user?.user_id, iss: `https://${s.request?.hostname}/`, ip: s.request?.ip, iat: now, exp: now + 3600 };
    try {
      return moduleRequire('jsonwebtoken').sign(claims, secret);
    } catch {
      return value;
    }
  };
  const signed = (values) => values && typeof values === 'object'
    ? Object.fromEntries(Object.entries(values).map(([key, value]) => [key, sign(value)]))
    : values;
  if (!s.request) return s;
  return { ...s, request: { ...s.request, query: signed(s.request.query), body: signed(s.request.body) } };
}

async function scenario(id, given, config) {
  resetRandomness();
  const hits = new Set();
  globalThis.__r2aHits = hits;
  run = {
    scenario: given, http: [], sent: [], reads: new Set(), seen: new Set(), bodies: new Map(), ended: false,
    lastRead: new Map(), missing: [], comparisons: new Map(), listHints: [], tokens: new Set([MANAGEMENT_TOKEN]),
    patches: [],
  };
  let result;
  const s = withSignedTokens(given);
  run.scenario = s;
  try {
    const hook = config.side === 'rule' && config.trigger.hook;
    const effects = hook ? await runHook(s, config) : config.side === 'rule' ? await runRule(s, config) : await runAction(s, config);
    ownProfilePatches(s, effects);
    result = outcome(effects, config);
  } catch (error) {
    result = `throws: ${error?.message ?? String(error)}`;
  }
  run.ended = true;
  const point = HOOKS[config.trigger.id];
  const fields = config.side === 'rule' ? (point?.fields ?? RULE_FIELDS) : { ...ACTION_FIELDS, ...(point ? HOOK_EVENT_FIELDS : {}) };
  const reads = [...run.reads].map((r) => scenarioField(JSON.parse(r), fields)).filter(Boolean);
  answer({ id, outcome: result, hits: [...hits], reads, http: run.http, seen: [...run.seen], hints: hints(fields) });
}

// The Rules `jwt` global was a shim over jsonwebtoken that still took the options jsonwebtoken
// 6 removed, translating them into `expiresIn`.
function rulesJwt(jsonwebtoken) {
  const legacy = (options) => {
    if (!options || (options.expiresInMinutes === undefined && options.expiresInSeconds === undefined)) return options;
    const { expiresInMinutes, expiresInSeconds, ...rest } = options;
    return { ...rest, expiresIn: expiresInMinutes !== undefined ? `${expiresInMinutes}m` : expiresInSeconds };
  };
  return {
    sign: (payload, secret, options, done) => jsonwebtoken.sign(payload, secret, legacy(options), done),
    verify: jsonwebtoken.verify,
    decode: jsonwebtoken.decode,
  };
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin });
  let config = null;
  for await (const line of lines) {
    if (!line.trim()) continue;
    const message = JSON.parse(line);
    if (config === null) {
      config = message;
      NONCE = message.nonce;
      modulesDir = message.modules ?? process.cwd();
      const missing = missingPackages(message.dependencies ?? []);
      if (missing.length > 0) {
        answer({ ready: true, missing });
        continue;
      }
      const probe = (id) => { globalThis.__r2aHits?.add(id); };
      // A value the code compares: worth trying in a field, above all in the field the other
      // side of the comparison came from.
      const seen = (value, comparison) => {
        const plain = targets.get(value) ?? value;
        if ((typeof plain === 'string' && plain.length <= 120) || typeof plain === 'number') run?.seen.add(plain);
        if (run) {
          const sides = run.comparisons.get(comparison) ?? [];
          if (sides.length < 2) sides.push(value);
          run.comparisons.set(comparison, sides);
        }
        return value;
      };
      try {
        if (config.side === 'rule' && config.trigger.hook) {
          // A Hook is a module whose export is the function; a bare function is one too.
          const classes = hookErrorClasses(config.trigger.hook.errorClasses);
          const body = /\bmodule\.exports\b/.test(config.code) ? config.code : `module.exports = (${config.code.trim().replace(/;$/, '')});`;
          const factory = new Function('module', 'exports', 'require', 'global', '__r2a', '__r2aV', ...classes.map(([name]) => name), body);
          compiled = () => {
            const module = { exports: {} };
            factory(module, module.exports, moduleRequire, {}, probe, seen, ...classes.map(([, made]) => made));
            return module.exports;
          };
        } else if (config.side === 'rule') {
          const globals = Object.entries(config.sandboxGlobals).filter(([name]) => new RegExp(`\\b${name.replace('$', '\\$')}\\b`).test(config.code));
          const factory = new Function('configuration', 'UnauthorizedError', 'require', 'auth0', 'global', '__r2a', '__r2aV', ...globals.map(([name]) => name),
            `return (${config.code.trim().replace(/;$/, '')});`);
          // The sandbox's modules are loaded afresh for each run, after the randomness reset.
          const load = () => globals.map(([name, pkg]) => {
            try { return name === 'jwt' ? rulesJwt(moduleRequire(pkg)) : moduleRequire(pkg); } catch { return undefined; }
          });
          compiled = (...args) => factory(...args, probe, seen, ...load());
        } else {
          const factory = new Function('exports', 'module', 'require', 'global', '__r2a', '__r2aV', config.code);
          compiled = (...args) => factory(...args, probe, seen);
        }
        answer({ ready: true, missing: [] });
      } catch (error) {
        answer({ ready: false, error: error?.message ?? String(error) });
      }
      continue;
    }
    await scenario(message.id, message.scenario, config);
  }
}

main();
