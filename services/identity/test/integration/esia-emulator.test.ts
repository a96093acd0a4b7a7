// The ESIA emulator (deploy/local/esia-emulator/server.js), as the bridge will use it: requests
// signed with the EDUJOURNAL test key, answers checked against ESIA's protocol and the fixtures.
// Talks to the emulator infra.sh runs (endpoints().esiaUrl); one test starts a second one with a
// 1-second code lifetime to see a code expire.
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import * as path from 'node:path';
import { endpoints } from '@edu/testing';

const EMULATOR_DIR = path.resolve(__dirname, '../../../../deploy/local/esia-emulator');
const readKey = (name: string) => fs.readFileSync(path.join(EMULATOR_DIR, 'dev-keys', name));
const clientKey = crypto.createPrivateKey(readKey('edu-client-test.key.pem'));
const esiaPublicKey = crypto.createPublicKey(readKey('esia-emulator.pub.pem'));
const CERT_HASH = crypto
  .createHash('sha256')
  .update(crypto.createPublicKey(readKey('edu-client-test.pub.pem')).export({ type: 'spki', format: 'der' }))
  .digest('hex')
  .toUpperCase();

const CLIENT_ID = 'EDUJOURNAL';
const REDIRECT_URI = 'http://127.0.0.1:3999/esia/callback';
const SCOPE =
  'openid fullname snils birthdate gender kid_fullname kid_birthdate kid_snils birth_cert_doc kid_birth_cert_doc';

let esiaUrl = '';
beforeAll(() => {
  esiaUrl = endpoints().esiaUrl;
});

/** ESIA's `yyyy.MM.dd HH:mm:ss Z`, in the given UTC offset (minutes). */
function esiaTimestamp(date = new Date(), offsetMinutes = 180): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return (
    `${local.getUTCFullYear()}.${p(local.getUTCMonth() + 1)}.${p(local.getUTCDate())} ` +
    `${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())} ${sign}${p(Math.floor(abs / 60))}${p(abs % 60)}`
  );
}

/** The raw 64-byte r||s signature, base64url without padding (what the bridge's test signer makes). */
function sign(text: string): string {
  return crypto
    .sign('sha256', Buffer.from(text, 'utf8'), { key: clientKey, dsaEncoding: 'ieee-p1363' })
    .toString('base64url');
}

type Fields = Record<string, string | undefined>;

/** Parameters of a request, signed over client_id+scope+scope_org+timestamp+state+redirect_uri(+code) unless given. */
function signed(fields: Fields, extra = ''): URLSearchParams {
  const f = { ...fields };
  if (!('client_secret' in f)) {
    f.client_secret = sign(
      `${f.client_id ?? ''}${f.scope ?? ''}${f.scope_org ?? ''}${f.timestamp ?? ''}${f.state ?? ''}${f.redirect_uri ?? ''}${extra}`,
    );
  }
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined) params.set(k, v);
  return params;
}

function acFields(overrides: Fields = {}): Fields {
  return {
    client_id: CLIENT_ID,
    client_certificate_hash: CERT_HASH,
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    response_type: 'code',
    state: crypto.randomUUID(),
    access_type: 'offline',
    timestamp: esiaTimestamp(),
    ...overrides,
  };
}

async function authorize(
  params: URLSearchParams,
  headers: Record<string, string> = {},
  base = esiaUrl,
): Promise<Response> {
  return fetch(`${base}/aas/oauth2/v2/ac?${params}`, { headers, redirect: 'manual' });
}

/** The query the emulator redirected back with; fails unless it is a redirect to REDIRECT_URI. */
function callbackQuery(response: Response, redirectUri = REDIRECT_URI): URLSearchParams {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  return location.searchParams;
}

/** A fresh authorization code for a fixture user (consent through the test header). */
async function codeFor(
  user: string,
  overrides: Fields = {},
  base = esiaUrl,
): Promise<{ code: string; fields: Fields }> {
  const fields = acFields(overrides);
  const query = callbackQuery(
    await authorize(signed(fields), { 'x-esia-emulator-user': user }, base),
    fields.redirect_uri,
  );
  expect(query.get('state')).toBe(fields.state);
  expect(query.get('error')).toBeNull();
  const code = query.get('code');
  expect(code).toBeTruthy();
  return { code: code as string, fields };
}

function teFields(code: string, overrides: Fields = {}): Fields {
  return {
    client_id: CLIENT_ID,
    code,
    grant_type: 'authorization_code',
    client_certificate_hash: CERT_HASH,
    state: crypto.randomUUID(),
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    timestamp: esiaTimestamp(),
    token_type: 'Bearer',
    ...overrides,
  };
}

interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

async function tokenCall(params: URLSearchParams, base = esiaUrl): Promise<TokenAnswer> {
  const response = await fetch(`${base}/aas/oauth2/v3/te`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: params.toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Exchanges a code; the signature covers the code unless client_secret is given. */
function exchange(code: string, overrides: Fields = {}, base = esiaUrl): Promise<TokenAnswer> {
  const fields = teFields(code, overrides);
  return tokenCall(signed(fields, fields.code ?? ''), base);
}

function expectEsiaError(answer: TokenAnswer, code: string, error: string, state?: string): void {
  expect(answer.status).toBe(400);
  expect(answer.body.error).toBe(error);
  expect(String(answer.body.error_description)).toMatch(new RegExp(`^${code}: \\S`));
  if (state) expect(answer.body.state).toBe(state);
}

/** Header and claims of a JWT, after checking its ES256 signature with the emulator's public key. */
function jwtParts(token: string): [string, string, string] {
  const parts = token.split('.');
  expect(parts).toHaveLength(3);
  return parts as [string, string, string];
}

function verifiedJwt(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [h, p, s] = jwtParts(token);
  const ok = crypto.verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key: esiaPublicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  expect(ok).toBe(true);
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')),
    claims: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')),
  };
}

async function tokensFor(user: string, scope = SCOPE): Promise<Record<string, unknown>> {
  const { code } = await codeFor(user, { scope });
  const answer = await exchange(code, { scope });
  expect(answer.status).toBe(200);
  return answer.body;
}

// Response bodies are only read through jest matchers, so a loose type keeps the checks short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function getJson(pathAndQuery: string, accessToken?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${esiaUrl}${pathAndQuery}`, {
    headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
  });
  return { status: response.status, body: await response.json() };
}

describe('ESIA emulator: emulator endpoints', () => {
  it('answers its health check and lists the four fixture users without personal details', async () => {
    expect(await getJson('/emulator/health')).toEqual({ status: 200, body: { status: 'ok' } });
    const { status, body } = await getJson('/emulator/fixtures');
    expect(status).toBe(200);
    expect(body.map((u: { key: string; oid: string }) => [u.key, u.oid])).toEqual([
      ['parent-trusted', '1000000001'],
      ['untrusted', '1000000002'],
      ['child-kd', '1000000003'],
      ['child-name-only', '1000000004'],
    ]);
    const listed = JSON.stringify(body);
    for (const secret of ['112-233-445 95', '12.03.1985', 'snils', 'birthDate'])
      expect(listed).not.toContain(secret);
  });
});

describe('ESIA emulator: the happy path (parent-trusted)', () => {
  it('issues a code, exchanges it for signed tokens and serves the person and the kids', async () => {
    const { code } = await codeFor('parent-trusted');
    const tokenState = crypto.randomUUID();
    const answer = await exchange(code, { state: tokenState });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ state: tokenState, token_type: 'Bearer', expires_in: 3600 });
    expect(typeof answer.body.refresh_token).toBe('string');

    const { header, claims } = verifiedJwt(String(answer.body.id_token));
    expect(header).toMatchObject({ alg: 'ES256', kid: 'esia-emulator' });
    const now = Math.floor(Date.now() / 1000);
    expect(claims).toMatchObject({
      aud: CLIENT_ID,
      sub: '1000000001',
      iss: 'http://esia.gosuslugi.ru/',
      amr: 'PWD',
      'urn:esia:sbj': {
        'urn:esia:sbj:typ': 'P',
        'urn:esia:sbj:is_tru': true,
        'urn:esia:sbj:oid': 1000000001,
        'urn:esia:sbj:nam': 'OID.1000000001',
        'urn:esia:sbj:lvl': 'PR',
      },
    });
    expect(typeof claims['urn:esia:sid']).toBe('string');
    expect(Math.abs(Number(claims.iat) - now)).toBeLessThan(30);
    expect(claims.nbf).toBe(claims.iat);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
    expect(Math.abs(Number(claims.auth_time) - now)).toBeLessThan(30);

    const access = verifiedJwt(String(answer.body.access_token)).claims;
    expect(access).toMatchObject({
      scope: SCOPE,
      'urn:esia:sbj_id': 1000000001,
      iss: 'http://esia.gosuslugi.ru/',
    });

    const accessToken = String(answer.body.access_token);
    const person = await getJson('/rs/prns/1000000001', accessToken);
    expect(person.status).toBe(200);
    expect(person.body).toMatchObject({
      stateFacts: ['EntityRoot'],
      firstName: 'Мария',
      lastName: 'Иванова',
      middleName: 'Петровна',
      birthDate: '12.03.1985',
      gender: 'F',
      snils: '112-233-445 95',
      trusted: true,
      citizenship: 'RUS',
      status: 'REGISTERED',
    });
    expect(typeof person.body.eTag).toBe('string');

    const kidsUrls = await getJson('/rs/prns/1000000001/kids', accessToken);
    expect(kidsUrls.status).toBe(200);
    expect(kidsUrls.body).toEqual({
      stateFacts: ['hasSize'],
      size: 2,
      elements: [
        `${esiaUrl}/rs/prns/1000000001/kids/kid-1001`,
        `${esiaUrl}/rs/prns/1000000001/kids/kid-1002`,
      ],
    });

    const kids = await getJson('/rs/prns/1000000001/kids?embed=(elements)', accessToken);
    expect(kids.status).toBe(200);
    expect(kids.body.size).toBe(2);
    const [petr, anna] = kids.body.elements;
    expect(petr).toMatchObject({
      id: 'kid-1001',
      lastName: 'Иванов',
      firstName: 'Пётр',
      middleName: 'Сергеевич',
      birthDate: '01.02.2013',
      gender: 'M',
      snils: '123-456-789 64',
      documents: {
        size: 1,
        elements: [{ type: 'RF_BRTH_CERT', series: 'II-МЮ', number: '654321', issueDate: '10.02.2013' }],
      },
    });
    expect(typeof petr.documents.elements[0].issuedBy).toBe('string');
    expect(anna).toMatchObject({
      id: 'kid-1002',
      lastName: 'Иванова',
      firstName: 'Анна',
      middleName: 'Сергеевна',
      birthDate: '15.06.2016',
      gender: 'F',
      documents: {
        size: 1,
        elements: [{ type: 'RF_BRTH_CERT', series: 'III-МЮ', number: '123456', issueDate: '25.06.2016' }],
      },
    });
    expect(anna).not.toHaveProperty('snils');

    const one = await getJson('/rs/prns/1000000001/kids/kid-1002', accessToken);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(anna);
  });

  it('marks untrusted and child accounts by level and leaves is_tru out for the untrusted one', async () => {
    const untrusted = verifiedJwt(String((await tokensFor('untrusted')).id_token)).claims[
      'urn:esia:sbj'
    ] as Record<string, unknown>;
    expect(untrusted).toEqual({
      'urn:esia:sbj:typ': 'P',
      'urn:esia:sbj:oid': 1000000002,
      'urn:esia:sbj:nam': 'OID.1000000002',
      'urn:esia:sbj:lvl': 'P',
    });
    const child = await tokensFor('child-kd');
    const claims = verifiedJwt(String(child.id_token)).claims;
    expect(claims.sub).toBe('1000000003');
    expect(claims['urn:esia:sbj']).toMatchObject({ 'urn:esia:sbj:is_tru': true, 'urn:esia:sbj:lvl': 'KD' });
    const person = await getJson('/rs/prns/1000000003', String(child.access_token));
    expect(person.body).toMatchObject({
      lastName: 'Иванов',
      firstName: 'Пётр',
      snils: '123-456-789 64',
      birthDate: '01.02.2013',
    });
  });

  it('gives only the fields the scope allows', async () => {
    const tokens = await tokensFor('parent-trusted', 'openid fullname');
    const person = await getJson('/rs/prns/1000000001', String(tokens.access_token));
    expect(person.status).toBe(200);
    expect(person.body).toMatchObject({ firstName: 'Мария', lastName: 'Иванова' });
    for (const field of ['birthDate', 'gender', 'snils']) expect(person.body).not.toHaveProperty(field);
  });

  it('refreshes with a refresh token once, rotating it', async () => {
    const first = await tokensFor('parent-trusted');
    const refreshFields = (refreshToken: string): Fields => ({
      client_id: CLIENT_ID,
      refresh_token: refreshToken,
      grant_type: 'refresh_token',
      client_certificate_hash: CERT_HASH,
      state: crypto.randomUUID(),
      redirect_uri: REDIRECT_URI,
      scope: SCOPE,
      timestamp: esiaTimestamp(),
      token_type: 'Bearer',
    });
    const again = refreshFields(String(first.refresh_token));
    const second = await tokenCall(signed(again));
    expect(second.status).toBe(200);
    expect(second.body.state).toBe(again.state);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(verifiedJwt(String(second.body.id_token)).claims.sub).toBe('1000000001');
    const reuse = refreshFields(String(first.refresh_token));
    expectEsiaError(await tokenCall(signed(reuse)), 'ESIA-007011', 'invalid_grant', reuse.state);
  });

  it('gives no refresh token without access_type=offline', async () => {
    const { code } = await codeFor('untrusted', { access_type: undefined });
    const answer = await exchange(code);
    expect(answer.status).toBe(200);
    expect(answer.body).not.toHaveProperty('refresh_token');
  });

  it('accepts client_secret in base64url with and without = padding', async () => {
    for (const pad of [false, true]) {
      const fields = acFields();
      const unpadded = sign(`${CLIENT_ID}${SCOPE}${fields.timestamp}${fields.state}${REDIRECT_URI}`);
      expect(unpadded).not.toContain('=');
      const secret = pad ? `${unpadded}==` : unpadded;
      const query = callbackQuery(
        await authorize(signed({ ...fields, client_secret: secret }), {
          'x-esia-emulator-user': 'untrusted',
        }),
      );
      expect(query.get('code')).toBeTruthy();
    }
  });

  it('accepts scope_org in the signed string and a timestamp in another UTC offset', async () => {
    const { code } = await codeFor('untrusted', {
      scope_org: 'org_shortname',
      timestamp: esiaTimestamp(new Date(), -300),
    });
    const answer = await exchange(code, {
      scope_org: 'org_shortname',
      timestamp: esiaTimestamp(new Date(), 0),
    });
    expect(answer.status).toBe(200);
  });
});

describe('ESIA emulator: the picker page', () => {
  it('lists the four users and «Отказаться», and a choice posts back to a code', async () => {
    const fields = acFields();
    const response = await authorize(signed(fields));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    for (const name of [
      'Иванова Мария Петровна',
      'Смирнов Алексей Игоревич',
      'Иванов Пётр Сергеевич',
      'Петров Иван Андреевич',
    ]) {
      expect(html).toContain(name);
    }
    expect(html).toContain('Отказаться');
    const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
    expect(requestId).toBeTruthy();

    const choose = (form: Record<string, string>) =>
      fetch(`${esiaUrl}/aas/oauth2/v2/ac/choose`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
        redirect: 'manual',
      });
    const query = callbackQuery(await choose({ request_id: requestId as string, user: 'child-name-only' }));
    expect(query.get('state')).toBe(fields.state);
    const answer = await exchange(query.get('code') as string);
    expect(verifiedJwt(String(answer.body.id_token)).claims.sub).toBe('1000000004');
    // The pending request is gone once chosen.
    expect((await choose({ request_id: requestId as string, user: 'untrusted' })).status).toBe(400);

    const declineFields = acFields();
    const declineHtml = await (await authorize(signed(declineFields))).text();
    const declineId = /name="request_id" value="([^"]+)"/.exec(declineHtml)?.[1] as string;
    const declined = callbackQuery(await choose({ request_id: declineId, decline: '1' }));
    expect(declined.get('error')).toBe('access_denied');
    expect(declined.get('error_description')).toMatch(/^ESIA-007004: /);
    expect(declined.get('state')).toBe(declineFields.state);
  });
});

describe('ESIA emulator: authorization errors', () => {
  async function acError(
    fields: Fields,
    code: string,
    error: string,
    headers: Record<string, string> = { 'x-esia-emulator-user': 'parent-trusted' },
  ) {
    const query = callbackQuery(await authorize(signed(fields), headers));
    expect(query.get('code')).toBeNull();
    expect(query.get('error')).toBe(error);
    expect(query.get('error_description')).toMatch(new RegExp(`^${code}: \\S`));
    expect(query.get('state')).toBe(fields.state);
    return query;
  }

  it('ESIA-007014 for a missing parameter, naming it', async () => {
    for (const name of ['client_certificate_hash', 'scope', 'response_type', 'state', 'timestamp']) {
      const fields = acFields({ [name]: undefined });
      const query = callbackQuery(
        await authorize(signed(fields), { 'x-esia-emulator-user': 'parent-trusted' }),
      );
      expect(query.get('error')).toBe('invalid_request');
      expect(query.get('error_description')).toBe(`ESIA-007014: отсутствует обязательный параметр ${name}`);
    }
    const noSecret = signed(acFields());
    noSecret.delete('client_secret');
    const query = callbackQuery(await authorize(noSecret));
    expect(query.get('error_description')).toBe(
      'ESIA-007014: отсутствует обязательный параметр client_secret',
    );
  });

  it('ESIA-007014 as an HTML page when redirect_uri itself is missing', async () => {
    const response = await authorize(signed(acFields({ redirect_uri: undefined })));
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('ESIA-007014');
  });

  it('ESIA-007014 for response_type other than code', async () => {
    await acError(acFields({ response_type: 'token' }), 'ESIA-007014', 'unsupported_response_type');
  });

  it('ESIA-007002 for a certificate hash that is not the client’s', async () => {
    await acError(
      acFields({ client_certificate_hash: 'AB'.repeat(32) }),
      'ESIA-007002',
      'unauthorized_client',
    );
  });

  it('ESIA-007002 as an HTML page for an unknown client_id (nowhere to redirect to)', async () => {
    const response = await authorize(signed(acFields({ client_id: 'SOMEONEELSE' })));
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('ESIA-007002');
  });

  it('ESIA-007023 as an HTML page, no redirect, for an unregistered redirect_uri', async () => {
    for (const uri of [
      'http://evil.example/esia/callback',
      'http://127.0.0.1:3999/esia/callback/x',
      'https://127.0.0.1:3999/esia/callback',
    ]) {
      const response = await authorize(signed(acFields({ redirect_uri: uri })), {
        'x-esia-emulator-user': 'parent-trusted',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('ESIA-007023');
    }
    // Both registered patterns accept any port.
    const localhost = await codeFor('untrusted', { redirect_uri: 'http://localhost:18080/esia/callback' });
    expect(localhost.code).toBeTruthy();
  });

  it('ESIA-007006 for an unknown scope or one without openid', async () => {
    await acError(acFields({ scope: 'openid fullname superpowers' }), 'ESIA-007006', 'invalid_scope');
    await acError(acFields({ scope: 'fullname snils' }), 'ESIA-007006', 'invalid_scope');
  });

  it('ESIA-007015 for a timestamp more than 5 minutes off or malformed', async () => {
    await acError(
      acFields({ timestamp: esiaTimestamp(new Date(Date.now() - 6 * 60_000)) }),
      'ESIA-007015',
      'invalid_request',
    );
    await acError(
      acFields({ timestamp: esiaTimestamp(new Date(Date.now() + 6 * 60_000)) }),
      'ESIA-007015',
      'invalid_request',
    );
    await acError(acFields({ timestamp: new Date().toISOString() }), 'ESIA-007015', 'invalid_request');
  });

  it('ESIA-007053 for a client_secret that is not a valid signature', async () => {
    const fields = acFields();
    const good = sign(`${CLIENT_ID}${SCOPE}${fields.timestamp}${fields.state}${REDIRECT_URI}`);
    const bytes = Buffer.from(good, 'base64url');
    bytes.writeUInt8(bytes.readUInt8(10) ^ 0x01, 10);
    const tampered = bytes.toString('base64url');
    expect(tampered).toHaveLength(good.length);
    // Right form, wrong bytes; a signature of other text; a signature by another key; not base64url.
    const otherKey = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const foreign = crypto
      .sign('sha256', Buffer.from(`${CLIENT_ID}${SCOPE}${fields.timestamp}${fields.state}${REDIRECT_URI}`), {
        key: otherKey,
        dsaEncoding: 'ieee-p1363',
      })
      .toString('base64url');
    for (const secret of [tampered, sign('something else'), foreign, 'not a signature!']) {
      await acError({ ...fields, client_secret: secret }, 'ESIA-007053', 'invalid_request');
    }
    // A signature that leaves out the state does not cover this request.
    await acError(
      { ...fields, client_secret: sign(`${CLIENT_ID}${SCOPE}${fields.timestamp}${REDIRECT_URI}`) },
      'ESIA-007053',
      'invalid_request',
    );
  });

  it('ESIA-007004 when the user declines (test header)', async () => {
    await acError(acFields(), 'ESIA-007004', 'access_denied', { 'x-esia-emulator-decline': '1' });
  });

  it('refuses an unknown fixture user in the test header', async () => {
    const response = await authorize(signed(acFields()), { 'x-esia-emulator-user': 'nobody' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('ESIA emulator: token errors', () => {
  it('ESIA-007011 for a code used twice', async () => {
    const { code } = await codeFor('parent-trusted');
    expect((await exchange(code)).status).toBe(200);
    const state = crypto.randomUUID();
    expectEsiaError(await exchange(code, { state }), 'ESIA-007011', 'invalid_grant', state);
  });

  it('ESIA-007011 for a code issued for another redirect_uri, and for an unknown code', async () => {
    const { code } = await codeFor('parent-trusted', { redirect_uri: 'http://127.0.0.1:4000/esia/callback' });
    expectEsiaError(await exchange(code, { redirect_uri: REDIRECT_URI }), 'ESIA-007011', 'invalid_grant');
    expectEsiaError(await exchange('no-such-code'), 'ESIA-007011', 'invalid_grant');
    // The code still works with its own redirect_uri.
    expect((await exchange(code, { redirect_uri: 'http://127.0.0.1:4000/esia/callback' })).status).toBe(200);
  });

  it('ESIA-007053 when the token call’s signature leaves out the code or is tampered', async () => {
    const { code } = await codeFor('parent-trusted');
    const fields = teFields(code);
    expectEsiaError(await tokenCall(signed(fields)), 'ESIA-007053', 'invalid_request', fields.state);
    const good = Buffer.from(signed(fields, code).get('client_secret') as string, 'base64url');
    good.writeUInt8(good.readUInt8(63) ^ 0x80, 63);
    expectEsiaError(
      await exchange(code, { client_secret: good.toString('base64url') }),
      'ESIA-007053',
      'invalid_request',
    );
    // Failed client checks do not use the code up.
    expect((await exchange(code)).status).toBe(200);
  });

  it('ESIA-007006 for a token scope wider than the authorized one', async () => {
    const { code } = await codeFor('parent-trusted', { scope: 'openid fullname' });
    expectEsiaError(await exchange(code, { scope: 'openid fullname snils' }), 'ESIA-007006', 'invalid_scope');
    expect((await exchange(code, { scope: 'openid fullname' })).status).toBe(200);
  });

  it('the same parameter, certificate and time checks as the authorization', async () => {
    const { code } = await codeFor('parent-trusted');
    expectEsiaError(await exchange(code, { token_type: undefined }), 'ESIA-007014', 'invalid_request');
    expectEsiaError(
      await exchange(code, { grant_type: 'password' }),
      'ESIA-007014',
      'unsupported_grant_type',
    );
    expectEsiaError(
      await exchange(code, { client_certificate_hash: '00'.repeat(32) }),
      'ESIA-007002',
      'unauthorized_client',
    );
    expectEsiaError(
      await exchange(code, { redirect_uri: 'http://evil.example/esia/callback' }),
      'ESIA-007023',
      'invalid_request',
    );
    expectEsiaError(
      await exchange(code, { timestamp: esiaTimestamp(new Date(Date.now() - 10 * 60_000)) }),
      'ESIA-007015',
      'invalid_request',
    );
  });

  it('ESIA-007011 for a code past its lifetime (a second emulator with a 1-second code TTL)', async () => {
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [path.join(EMULATOR_DIR, 'server.js')], {
      env: { ...process.env, EDU_ESIA_PORT: String(port), EDU_ESIA_CODE_TTL_SECONDS: '1' },
      stdio: 'ignore',
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForHealth(base);
      const { code } = await codeFor('parent-trusted', {}, base);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expectEsiaError(await exchange(code, {}, base), 'ESIA-007011', 'invalid_grant');
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('ESIA emulator: person data access', () => {
  it('401 without a valid access token, and for an id_token used as one', async () => {
    expect((await getJson('/rs/prns/1000000001')).status).toBe(401);
    expect((await getJson('/rs/prns/1000000001', 'garbage')).status).toBe(401);
    const tokens = await tokensFor('parent-trusted');
    expect((await getJson('/rs/prns/1000000001', String(tokens.id_token))).status).toBe(401);
    const [h, p, s] = jwtParts(String(tokens.access_token));
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, 'urn:esia:sbj_id': 1000000002 })).toString(
      'base64url',
    );
    expect((await getJson('/rs/prns/1000000002', `${h}.${forged}.${s}`)).status).toBe(401);
  });

  it('403 for another person’s oid and for /kids without kid_fullname', async () => {
    const parent = await tokensFor('parent-trusted');
    const other = await getJson('/rs/prns/1000000002', String(parent.access_token));
    expect(other.status).toBe(403);
    expect(other.body).not.toHaveProperty('lastName');
    const narrow = await tokensFor('parent-trusted', 'openid fullname snils birthdate');
    expect((await getJson('/rs/prns/1000000001/kids', String(narrow.access_token))).status).toBe(403);
    expect(
      (await getJson('/rs/prns/1000000001/kids?embed=(elements)', String(narrow.access_token))).status,
    ).toBe(403);
  });

  it('leaves kid fields out that the scope does not cover', async () => {
    const tokens = await tokensFor('parent-trusted', 'openid fullname kid_fullname');
    const kids = await getJson('/rs/prns/1000000001/kids?embed=(elements)', String(tokens.access_token));
    expect(kids.status).toBe(200);
    expect(kids.body.elements[0]).toMatchObject({ id: 'kid-1001', firstName: 'Пётр' });
    for (const field of ['birthDate', 'snils', 'documents'])
      expect(kids.body.elements[0]).not.toHaveProperty(field);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForHealth(base: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/emulator/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the emulator at ${base} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
