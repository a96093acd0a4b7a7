#!/usr/bin/env node
// ESIA emulator for development and tests: the parts of ESIA's OAuth 2.0 / OpenID Connect
// protocol (Госуслуги) the identity service's ESIA bridge uses, with fixture users.
//   GET  /aas/oauth2/v2/ac          authorization request (picker page, or test headers)
//   POST /aas/oauth2/v2/ac/choose   the picker page's form
//   POST /aas/oauth2/v3/te          code (or refresh token) for tokens
//   GET  /rs/prns/{oid}             person data, GET /rs/prns/{oid}/kids[/{kidId}[/docs]]
//   GET  /emulator/health, /emulator/fixtures, /emulator/jwks
// Dev only: ECDSA P-256 / SHA-256 (ES256) stands in for GOST R 34.10-2012. See README.md.
// Plain CommonJS, no dependencies: it runs before `npm ci`.
'use strict';
/* global setInterval, URL */
const http = require('node:http');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

// ---------------------------------------------------------------- configuration

function intEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`esia-emulator: ${name} must be a non-negative integer, got '${raw}'`);
    process.exit(2);
  }
  return value;
}

const PORT = intEnv('EDU_ESIA_PORT', 8190);
const HOST = process.env.EDU_ESIA_HOST || '127.0.0.1';
const CODE_TTL_SECONDS = intEnv('EDU_ESIA_CODE_TTL_SECONDS', 300);
const CLOCK_SKEW_SECONDS = intEnv('EDU_ESIA_CLOCK_SKEW_SECONDS', 300);
const TOKEN_TTL_SECONDS = 3600;
const PENDING_TTL_SECONDS = 900;
const REFRESH_TTL_SECONDS = 24 * 3600;
const ISSUER = 'http://esia.gosuslugi.ru/';
const KID = 'esia-emulator';
const MAX_BODY_BYTES = 64 * 1024;

const KNOWN_SCOPES = new Set([
  'openid',
  'fullname',
  'snils',
  'birthdate',
  'gender',
  'kid_fullname',
  'kid_birthdate',
  'kid_snils',
  'birth_cert_doc',
  'kid_birth_cert_doc',
  'contacts',
  'email',
  'mobile',
  'id_doc',
]);

const HERE = __dirname;
const fixtures = JSON.parse(fs.readFileSync(path.join(HERE, 'fixtures.json'), 'utf8'));
const emulatorKey = crypto.createPrivateKey(
  fs.readFileSync(path.join(HERE, 'dev-keys', 'esia-emulator.key.pem')),
);
const emulatorPublicKey = crypto.createPublicKey(emulatorKey);

/** Registered clients by client_id, with their public key and certificate hash checked at start-up. */
const clients = new Map();
for (const registration of [fixtures.client]) {
  const publicKey = crypto.createPublicKey(fs.readFileSync(path.join(HERE, registration.publicKeyFile)));
  const hash = crypto
    .createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .toUpperCase();
  if (hash !== registration.certificateHash.toUpperCase()) {
    console.error(
      `esia-emulator: fixtures.json certificateHash of ${registration.clientId} is ${registration.certificateHash}, ` +
        `but ${registration.publicKeyFile} hashes to ${hash}`,
    );
    process.exit(2);
  }
  clients.set(registration.clientId, {
    clientId: registration.clientId,
    publicKey,
    certificateHash: hash,
    redirectPatterns: registration.redirectUriPatterns.map(patternToRegExp),
  });
}

const users = new Map(Object.entries(fixtures.users));
const usersByOid = new Map([...users.values()].map((u) => [String(u.oid), u]));

/** `http://127.0.0.1:*\/esia/callback`: `*` stands for any port, the rest must match exactly. */
function patternToRegExp(pattern) {
  const parts = pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^${parts.join('\\d{1,5}')}$`);
}

// ---------------------------------------------------------------- errors

/** An ESIA protocol error: its ESIA code, the OAuth `error` value and a short Russian text. */
class EsiaError extends Error {
  constructor(code, oauthError, text, status = 400) {
    super(`${code}: ${text}`);
    this.code = code;
    this.oauthError = oauthError;
    this.text = text;
    this.status = status;
  }
  get description() {
    return `${this.code}: ${this.text}`;
  }
}

const errors = {
  missing: (name) =>
    new EsiaError('ESIA-007014', 'invalid_request', `отсутствует обязательный параметр ${name}`),
  invalid: (name) =>
    new EsiaError('ESIA-007014', 'invalid_request', `недопустимое значение параметра ${name}`),
  responseType: () =>
    new EsiaError(
      'ESIA-007014',
      'unsupported_response_type',
      'недопустимое значение параметра response_type',
    ),
  grantType: () =>
    new EsiaError('ESIA-007014', 'unsupported_grant_type', 'недопустимое значение параметра grant_type'),
  certificate: () =>
    new EsiaError(
      'ESIA-007002',
      'unauthorized_client',
      'сертификат не соответствует мнемонике системы-клиента',
    ),
  redirect: () =>
    new EsiaError(
      'ESIA-007023',
      'invalid_request',
      'адрес возврата (redirect_uri) не зарегистрирован для системы-клиента',
    ),
  scope: (text) => new EsiaError('ESIA-007006', 'invalid_scope', text),
  time: (text) => new EsiaError('ESIA-007015', 'invalid_request', text),
  secret: () => new EsiaError('ESIA-007053', 'invalid_request', 'неверная подпись запроса (client_secret)'),
  grant: (text) => new EsiaError('ESIA-007011', 'invalid_grant', text),
  declined: () => new EsiaError('ESIA-007004', 'access_denied', 'пользователь отказал в доступе'),
};

// ---------------------------------------------------------------- helpers

const b64url = (buffer) => Buffer.from(buffer).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Base64url with or without `=` padding; null when it is neither. */
function decodeBase64url(text) {
  const match = /^([A-Za-z0-9_-]+)(={0,2})$/.exec(text);
  if (!match) return null;
  const [, body, padding] = match;
  if (body.length % 4 === 1) return null;
  if (padding && (body.length + padding.length) % 4 !== 0) return null;
  return Buffer.from(body, 'base64url');
}

/** ESIA's `yyyy.MM.dd HH:mm:ss Z` (e.g. `2026.09.01 10:00:00 +0300`) as epoch ms; NaN when malformed. */
function parseEsiaTimestamp(text) {
  const m = /^(\d{4})\.(\d{2})\.(\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s, sign, oh, om] = m;
  const fields = [y, mo, d, h, mi, s].map(Number);
  const local = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]);
  const check = new Date(local);
  if (
    check.getUTCMonth() !== fields[1] - 1 ||
    check.getUTCDate() !== fields[2] ||
    fields[3] > 23 ||
    fields[4] > 59 ||
    fields[5] > 59
  ) {
    return NaN;
  }
  const offsetMs = (Number(oh) * 60 + Number(om)) * 60_000 * (sign === '+' ? 1 : -1);
  return local - offsetMs;
}

function escapeHtml(text) {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

function signJwt(payload, subjectType) {
  const header = { alg: 'ES256', typ: 'JWT', kid: KID, sbt: subjectType };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = crypto.sign('sha256', Buffer.from(input), {
    key: emulatorKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${b64url(signature)}`;
}

/** The payload of a JWT this emulator signed, or null (bad form, signature, or expired). */
function verifyJwt(token, subjectType) {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    if (header.alg !== 'ES256' || header.kid !== KID || header.sbt !== subjectType) return null;
    const ok = crypto.verify(
      'sha256',
      Buffer.from(`${parts[0]}.${parts[1]}`),
      { key: emulatorPublicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(parts[2], 'base64url'),
    );
    if (!ok) return null;
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds()) return null;
    return payload;
  } catch {
    return null;
  }
}

function fullName(user) {
  return [user.lastName, user.firstName, user.middleName].filter(Boolean).join(' ');
}

const LEVEL_NAMES = { PR: 'подтверждённая', P: 'упрощённая', KD: 'учётная запись ребёнка' };

// ---------------------------------------------------------------- in-memory state

/** Authorization codes: code → {clientId, redirectUri, scopes, scopeOrg, userKey, sid, authTime, expiresAt, used}. */
const codes = new Map();
/** Picker pages waiting for a choice: id → {params, expiresAt}. */
const pending = new Map();
/** Refresh tokens: token → {clientId, scopes, scopeOrg, userKey, sid, authTime, expiresAt, used}. */
const refreshTokens = new Map();

setInterval(() => {
  const now = Date.now();
  for (const map of [codes, pending, refreshTokens]) {
    for (const [key, entry] of map) if (entry.expiresAt + 3600_000 < now) map.delete(key);
  }
}, 60_000).unref();

// ---------------------------------------------------------------- request checks (ac and te)

/**
 * The checks the authorization and the token request share, in ESIA's order: required
 * parameters, client and certificate, redirect_uri, scope, timestamp, signature.
 * `signedExtra` is appended to the signed string (the code at the token call).
 */
function checkClientRequest(params, required, signedExtra) {
  for (const name of required) {
    if (!params.get(name)) throw errors.missing(name);
  }
  const client = clients.get(params.get('client_id'));
  if (!client || params.get('client_certificate_hash').toUpperCase() !== client.certificateHash) {
    throw errors.certificate();
  }
  const redirectUri = params.get('redirect_uri');
  if (!client.redirectPatterns.some((re) => re.test(redirectUri))) throw errors.redirect();
  const scopes = params.get('scope').split(' ').filter(Boolean);
  const unknown = scopes.filter((s) => !KNOWN_SCOPES.has(s));
  if (unknown.length > 0) throw errors.scope(`неизвестная область доступа: ${unknown.join(' ')}`);
  if (!scopes.includes('openid')) throw errors.scope('в параметре scope нет openid');
  const timestamp = params.get('timestamp');
  const at = parseEsiaTimestamp(timestamp);
  if (Number.isNaN(at))
    throw errors.time('неверный формат параметра timestamp (ожидается yyyy.MM.dd HH:mm:ss Z)');
  if (Math.abs(Date.now() - at) > CLOCK_SKEW_SECONDS * 1000) {
    throw errors.time('время запроса расходится с временем ЕСИА более чем на 5 минут');
  }
  const scopeOrg = params.get('scope_org') ?? '';
  const signed =
    params.get('client_id') +
    params.get('scope') +
    scopeOrg +
    timestamp +
    params.get('state') +
    redirectUri +
    signedExtra;
  const signature = decodeBase64url(params.get('client_secret'));
  let valid = false;
  if (signature && signature.length === 64) {
    try {
      valid = crypto.verify(
        'sha256',
        Buffer.from(signed, 'utf8'),
        { key: client.publicKey, dsaEncoding: 'ieee-p1363' },
        signature,
      );
    } catch {
      valid = false;
    }
  }
  if (!valid) throw errors.secret();
  if (!UUID.test(params.get('state'))) throw errors.invalid('state');
  return { client, scopes, scopeOrg, redirectUri };
}

/** Where an authorization error may be sent back: the client is known and the redirect_uri is its. */
function redirectableUri(params) {
  const client = clients.get(params.get('client_id') ?? '');
  const uri = params.get('redirect_uri') ?? '';
  return client && client.redirectPatterns.some((re) => re.test(uri)) ? uri : null;
}

function withQuery(uri, fields) {
  const query = Object.entries(fields)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return `${uri}${uri.includes('?') ? '&' : '?'}${query}`;
}

// ---------------------------------------------------------------- responses

function send(res, status, contentType, body, headers = {}) {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function sendJson(res, status, value) {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function redirect(res, location) {
  res.writeHead(302, { location, 'cache-control': 'no-store' });
  res.end();
}

function page(title, body) {
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1f2937}
h1{font-size:1.4rem}.note{color:#6b7280;font-size:.9rem}
form{margin:.5rem 0}button{width:100%;padding:.7rem;text-align:left;border:1px solid #0d4cd3;border-radius:.4rem;background:#fff;cursor:pointer;font-size:1rem}
button:hover{background:#eef3ff}button.decline{border-color:#9ca3af;color:#4b5563;text-align:center}
.error{border-left:4px solid #dc2626;padding:.5rem 1rem;background:#fef2f2}code{font-size:1rem}
</style></head><body>${body}</body></html>`;
}

function errorPage(res, status, code, text) {
  res.esiaCode = code;
  send(
    res,
    status,
    'text/html; charset=utf-8',
    page(
      'Ошибка авторизации — эмулятор ЕСИА',
      `<h1>Ошибка авторизации</h1><div class="error"><p><code>${escapeHtml(code)}</code></p><p>${escapeHtml(text)}</p></div>` +
        '<p class="note">Эмулятор ЕСИА (Госуслуги) для разработки и тестов.</p>',
    ),
  );
}

function authorizationError(res, params, error) {
  res.esiaCode = error.code;
  const uri = redirectableUri(params);
  if (!uri) {
    errorPage(res, 400, error.code, error.text);
    return;
  }
  redirect(
    res,
    withQuery(uri, {
      error: error.oauthError,
      error_description: error.description,
      state: params.get('state'),
    }),
  );
}

// ---------------------------------------------------------------- authorization

const AC_REQUIRED = [
  'client_id',
  'client_certificate_hash',
  'client_secret',
  'redirect_uri',
  'scope',
  'response_type',
  'state',
  'timestamp',
];

function issueCode(res, params, userKey) {
  const code = b64url(crypto.randomBytes(32));
  codes.set(code, {
    clientId: params.get('client_id'),
    redirectUri: params.get('redirect_uri'),
    scopes: params.get('scope').split(' ').filter(Boolean),
    scopeOrg: params.get('scope_org') ?? '',
    accessType: params.get('access_type') ?? 'online',
    userKey,
    sid: crypto.randomUUID(),
    authTime: nowSeconds(),
    expiresAt: Date.now() + CODE_TTL_SECONDS * 1000,
    used: false,
  });
  redirect(res, withQuery(params.get('redirect_uri'), { code, state: params.get('state') }));
}

function handleAuthorize(req, res, url) {
  const params = url.searchParams;
  try {
    checkClientRequest(params, AC_REQUIRED, '');
    if (params.get('response_type') !== 'code') throw errors.responseType();
  } catch (error) {
    if (error instanceof EsiaError) return authorizationError(res, params, error);
    throw error;
  }
  if (req.headers['x-esia-emulator-decline'] === '1')
    return authorizationError(res, params, errors.declined());
  const userKey = req.headers['x-esia-emulator-user'];
  if (userKey !== undefined) {
    if (!users.has(userKey)) {
      return errorPage(res, 400, 'EMULATOR', `В эмуляторе нет пользователя «${userKey}».`);
    }
    return issueCode(res, params, userKey);
  }
  const id = crypto.randomUUID();
  pending.set(id, {
    params: new URLSearchParams(params),
    expiresAt: Date.now() + PENDING_TTL_SECONDS * 1000,
  });
  const buttons = [...users.entries()]
    .map(
      ([key, user]) =>
        `<form method="post" action="/aas/oauth2/v2/ac/choose">` +
        `<input type="hidden" name="request_id" value="${id}"><input type="hidden" name="user" value="${escapeHtml(key)}">` +
        `<button type="submit" data-user="${escapeHtml(key)}"><strong>${escapeHtml(fullName(user))}</strong><br>` +
        `<span class="note">${escapeHtml(key)} · уровень ${escapeHtml(user.level)} (${escapeHtml(LEVEL_NAMES[user.level] ?? user.level)})` +
        `${user.kids.length ? ` · детей: ${user.kids.length}` : ''}</span></button></form>`,
    )
    .join('\n');
  const scopes = params.get('scope').split(' ').filter(Boolean).join(', ');
  send(
    res,
    200,
    'text/html; charset=utf-8',
    page(
      'Вход через Госуслуги — эмулятор ЕСИА',
      `<h1>Вход через Госуслуги (эмулятор)</h1>` +
        `<p>Система <strong>${escapeHtml(params.get('client_id'))}</strong> запрашивает доступ к данным: ${escapeHtml(scopes)}.</p>` +
        `<p>Выберите тестового пользователя:</p>${buttons}` +
        `<form method="post" action="/aas/oauth2/v2/ac/choose"><input type="hidden" name="request_id" value="${id}">` +
        `<input type="hidden" name="decline" value="1"><button type="submit" class="decline">Отказаться</button></form>` +
        '<p class="note">Это эмулятор ЕСИА для разработки и тестов; настоящие данные здесь не используются.</p>',
    ),
  );
}

async function handleChoose(req, res) {
  const form = await readForm(req);
  const entry = pending.get(form.get('request_id') ?? '');
  if (!entry || entry.expiresAt < Date.now()) {
    return errorPage(res, 400, 'EMULATOR', 'Запрос на вход не найден или устарел. Начните вход заново.');
  }
  pending.delete(form.get('request_id'));
  if (form.get('decline') === '1') return authorizationError(res, entry.params, errors.declined());
  const userKey = form.get('user') ?? '';
  if (!users.has(userKey))
    return errorPage(res, 400, 'EMULATOR', `В эмуляторе нет пользователя «${userKey}».`);
  return issueCode(res, entry.params, userKey);
}

// ---------------------------------------------------------------- token

function tokens(clientId, grant, scopes, stateSent) {
  const user = users.get(grant.userKey);
  const now = nowSeconds();
  const sbj = { 'urn:esia:sbj:typ': 'P' };
  if (user.trusted) sbj['urn:esia:sbj:is_tru'] = true;
  Object.assign(sbj, {
    'urn:esia:sbj:oid': user.oid,
    'urn:esia:sbj:nam': `OID.${user.oid}`,
    'urn:esia:sbj:lvl': user.level,
  });
  const idToken = signJwt(
    {
      aud: clientId,
      sub: String(user.oid),
      iss: ISSUER,
      nbf: now,
      iat: now,
      exp: now + TOKEN_TTL_SECONDS,
      auth_time: grant.authTime,
      amr: 'PWD',
      'urn:esia:amd': 'PWD',
      'urn:esia:sid': grant.sid,
      'urn:esia:sbj': sbj,
    },
    'id',
  );
  const accessToken = signJwt(
    {
      iss: ISSUER,
      client_id: clientId,
      scope: scopes.join(' '),
      'urn:esia:sbj_id': user.oid,
      'urn:esia:sid': grant.sid,
      nbf: now,
      iat: now,
      exp: now + TOKEN_TTL_SECONDS,
    },
    'access',
  );
  const refreshToken = b64url(crypto.randomBytes(32));
  refreshTokens.set(refreshToken, {
    clientId,
    scopes: grant.scopes,
    scopeOrg: grant.scopeOrg,
    userKey: grant.userKey,
    sid: grant.sid,
    authTime: grant.authTime,
    expiresAt: Date.now() + REFRESH_TTL_SECONDS * 1000,
    used: false,
  });
  return {
    access_token: accessToken,
    id_token: idToken,
    refresh_token: refreshToken,
    state: stateSent,
    token_type: 'Bearer',
    expires_in: TOKEN_TTL_SECONDS,
  };
}

function requireWithin(requested, granted) {
  const extra = requested.filter((s) => !granted.includes(s));
  if (extra.length > 0) throw errors.scope(`область доступа шире разрешённой: ${extra.join(' ')}`);
}

async function handleToken(req, res) {
  const params = await readForm(req);
  try {
    const grantType = params.get('grant_type');
    if (!grantType) throw errors.missing('grant_type');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') throw errors.grantType();
    const byCode = grantType === 'authorization_code';
    const secretName = byCode ? 'code' : 'refresh_token';
    const required = [
      'client_id',
      secretName,
      'client_certificate_hash',
      'client_secret',
      'state',
      'redirect_uri',
      'scope',
      'timestamp',
      'token_type',
    ];
    const { client, scopes, redirectUri } = checkClientRequest(
      params,
      required,
      byCode ? params.get('code') : '',
    );
    if (params.get('token_type') !== 'Bearer') throw errors.invalid('token_type');
    const store = byCode ? codes : refreshTokens;
    const key = params.get(secretName);
    const grant = store.get(key);
    const what = byCode ? 'код авторизации' : 'маркер обновления';
    if (!grant) throw errors.grant(`${what} не найден`);
    if (grant.used) throw errors.grant(`${what} уже использован`);
    if (grant.expiresAt < Date.now()) throw errors.grant(`срок действия: ${what} истёк`);
    if (grant.clientId !== client.clientId) throw errors.grant(`${what} выдан другой системе-клиенту`);
    if (byCode && grant.redirectUri !== redirectUri)
      throw errors.grant(`${what} выдан для другого redirect_uri`);
    requireWithin(scopes, grant.scopes);
    grant.used = true;
    const body = tokens(client.clientId, grant, scopes, params.get('state'));
    // Like ESIA: a refresh token only with access_type=offline; refreshing keeps it going.
    if (byCode && grant.accessType !== 'offline') {
      refreshTokens.delete(body.refresh_token);
      delete body.refresh_token;
    }
    sendJson(res, 200, body);
  } catch (error) {
    if (!(error instanceof EsiaError)) throw error;
    res.esiaCode = error.code;
    sendJson(res, error.status, {
      error: error.oauthError,
      error_description: error.description,
      state: params.get('state') ?? undefined,
    });
  }
}

// ---------------------------------------------------------------- person data

function bearer(req) {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match ? verifyJwt(match[1], 'access') : null;
}

function eTag(value) {
  return crypto.createHash('sha1').update(JSON.stringify(value)).digest('hex').toUpperCase();
}

function personView(user, scopes) {
  const view = { stateFacts: ['EntityRoot'], eTag: eTag(user) };
  if (scopes.has('fullname'))
    Object.assign(view, { firstName: user.firstName, lastName: user.lastName, middleName: user.middleName });
  if (scopes.has('birthdate')) view.birthDate = user.birthDate;
  if (scopes.has('gender')) view.gender = user.gender;
  if (scopes.has('snils') && user.snils) view.snils = user.snils;
  Object.assign(view, { trusted: user.trusted, verifying: false, citizenship: 'RUS', status: 'REGISTERED' });
  return view;
}

function documentsView(kid) {
  return {
    stateFacts: ['hasSize'],
    size: kid.documents.length,
    elements: kid.documents.map((d) => ({ stateFacts: ['Identifiable'], eTag: eTag(d), ...d })),
  };
}

function kidView(kid, scopes) {
  const view = { stateFacts: ['Identifiable'], id: kid.id, eTag: eTag(kid) };
  Object.assign(view, { firstName: kid.firstName, lastName: kid.lastName, middleName: kid.middleName });
  if (scopes.has('kid_birthdate')) view.birthDate = kid.birthDate;
  view.gender = kid.gender;
  if (scopes.has('kid_snils') && kid.snils) view.snils = kid.snils;
  if (scopes.has('kid_birth_cert_doc')) view.documents = documentsView(kid);
  return view;
}

function handlePerson(req, res, url, match) {
  const token = bearer(req);
  if (!token) {
    return sendJson(res, 401, {
      error: 'invalid_token',
      error_description: 'нет действительного маркера доступа',
    });
  }
  const [, oid, kidsPart, kidId, docsPart] = match;
  if (String(token['urn:esia:sbj_id']) !== oid) {
    return sendJson(res, 403, {
      error: 'forbidden',
      error_description: 'маркер доступа выдан для другого пользователя',
    });
  }
  const user = usersByOid.get(oid);
  if (!user) return sendJson(res, 404, { error: 'not_found', error_description: 'пользователь не найден' });
  const scopes = new Set(String(token.scope ?? '').split(' '));
  if (!kidsPart) return sendJson(res, 200, personView(user, scopes));
  if (!scopes.has('kid_fullname')) {
    return sendJson(res, 403, {
      error: 'insufficient_scope',
      error_description: 'нет разрешения kid_fullname',
    });
  }
  if (kidId === undefined) {
    const embed = url.searchParams.get('embed') === '(elements)';
    const base = `http://${req.headers.host ?? `${HOST}:${PORT}`}/rs/prns/${oid}/kids`;
    return sendJson(res, 200, {
      stateFacts: ['hasSize'],
      size: user.kids.length,
      elements: user.kids.map((kid) => (embed ? kidView(kid, scopes) : `${base}/${kid.id}`)),
    });
  }
  const kid = user.kids.find((k) => k.id === kidId);
  if (!kid) return sendJson(res, 404, { error: 'not_found', error_description: 'ребёнок не найден' });
  if (!docsPart) return sendJson(res, 200, kidView(kid, scopes));
  if (!scopes.has('kid_birth_cert_doc')) {
    return sendJson(res, 403, {
      error: 'insufficient_scope',
      error_description: 'нет разрешения kid_birth_cert_doc',
    });
  }
  return sendJson(res, 200, documentsView(kid));
}

// ---------------------------------------------------------------- emulator endpoints

function jwks() {
  const jwk = emulatorPublicKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, kid: KID, alg: 'ES256', use: 'sig' }] };
}

function fixtureList() {
  return [...users.entries()].map(([key, u]) => ({
    key,
    oid: String(u.oid),
    name: fullName(u),
    level: u.level,
    trusted: u.trusted,
    kids: u.kids.length,
  }));
}

// ---------------------------------------------------------------- server

function readForm(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

const PERSON_PATH = /^\/rs\/prns\/(\d+)(?:(\/kids)(?:\/([^/]+)(\/docs)?)?)?$/;

/** The route of a request for the log line: ids in paths become templates (no personal data). */
function routeOf(method, pathname) {
  const match = PERSON_PATH.exec(pathname);
  if (match) {
    return `${method} /rs/prns/{oid}${match[2] ? '/kids' : ''}${match[3] ? '/{kidId}' : ''}${match[4] ? '/docs' : ''}`;
  }
  const known = [
    '/emulator/health',
    '/emulator/fixtures',
    '/emulator/jwks',
    '/aas/oauth2/v2/ac',
    '/aas/oauth2/v2/ac/choose',
    '/aas/oauth2/v3/te',
  ];
  return `${method} ${known.includes(pathname) ? pathname : '(unknown path)'}`;
}

async function handle(req, res, url) {
  const { pathname } = url;
  const get = req.method === 'GET';
  if (get && pathname === '/emulator/health') return sendJson(res, 200, { status: 'ok' });
  if (get && pathname === '/emulator/fixtures') return sendJson(res, 200, fixtureList());
  if (get && pathname === '/emulator/jwks') return sendJson(res, 200, jwks());
  if (get && pathname === '/aas/oauth2/v2/ac') return handleAuthorize(req, res, url);
  if (req.method === 'POST' && pathname === '/aas/oauth2/v2/ac/choose') return handleChoose(req, res);
  if (req.method === 'POST' && pathname === '/aas/oauth2/v3/te') return handleToken(req, res);
  const match = PERSON_PATH.exec(pathname);
  if (get && match) return handlePerson(req, res, url, match);
  return sendJson(res, 404, { error: 'not_found', error_description: 'нет такого адреса' });
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const routeName = routeOf(req.method, url.pathname);
  res.on('finish', () => {
    console.log(
      `${new Date().toISOString()} ${routeName} ${res.statusCode}${res.esiaCode ? ` ${res.esiaCode}` : ''}`,
    );
  });
  try {
    await handle(req, res, url);
  } catch (error) {
    console.error(`esia-emulator: ${routeName} failed: ${error.message}`);
    if (!res.headersSent) {
      sendJson(res, error.status ?? 500, {
        error: 'server_error',
        error_description: 'внутренняя ошибка эмулятора',
      });
    }
  }
});

server.listen(PORT, HOST, () => {
  console.log(
    `esia-emulator listening on http://${HOST}:${PORT} (client ${fixtures.client.clientId}, ${users.size} users)`,
  );
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
