import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { EsiaClient, checkIdTokenClaims } from '../../src/esia/esia-client';
import { EsiaError } from '../../src/esia/errors';
import { TestEsiaSigner } from '../../src/esia/signer';
import { Es256TestVerifier } from '../../src/esia/token-verifier';

const NOW = new Date('2026-09-01T07:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const BASE = 'http://esia.test';
const REDIRECT = 'http://127.0.0.1:8095/esia/callback';

const client = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const esiaKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });

interface Call {
  url: string;
  init: RequestInit | undefined;
}

function idToken(claims: Record<string, unknown>, key: KeyObject = esiaKey.privateKey): Promise<string> {
  return new SignJWT({
    iss: 'http://esia.gosuslugi.ru/',
    aud: 'EDUJOURNAL',
    sub: 1000000001,
    nbf: NOW_S - 10,
    iat: NOW_S - 10,
    exp: NOW_S + 3600,
    amr: 'PWD',
    'urn:esia:sbj': {
      'urn:esia:sbj:typ': 'P',
      'urn:esia:sbj:oid': 1000000001,
      'urn:esia:sbj:is_tru': true,
      'urn:esia:sbj:lvl': 'PR',
    },
    ...claims,
  } as unknown as JWTPayload)
    .setProtectedHeader({ alg: 'ES256', kid: 'esia-emulator' })
    .sign(key);
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A client whose fetch answers by `route`; records every call. */
function setup(route: (url: URL, init: RequestInit | undefined) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fake = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, init });
    return route(new URL(url), init);
  }) as typeof fetch;
  const esia = new EsiaClient({
    baseUrl: BASE,
    clientId: 'EDUJOURNAL',
    signer: TestEsiaSigner.fromKey(client.privateKey),
    redirectUri: REDIRECT,
    tokenVerifier: new Es256TestVerifier(esiaKey.publicKey),
    fetch: fake,
    now: () => NOW,
  });
  return { esia, calls };
}

function formOf(init: RequestInit | undefined): URLSearchParams {
  return new URLSearchParams(String(init?.body));
}

function signatureValid(signed: string, secret: string): boolean {
  return verify(
    'sha256',
    Buffer.from(signed, 'utf8'),
    { key: client.publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(secret, 'base64url'),
  );
}

/** A token endpoint answering with the state it was sent (or `override`). */
function tokenEndpoint(claims: Record<string, unknown> = {}, override: Record<string, unknown> = {}) {
  return async (url: URL, init: RequestInit | undefined) => {
    if (url.pathname !== '/aas/oauth2/v3/te') return json(404, {});
    const form = formOf(init);
    return json(200, {
      access_token: 'at-1',
      id_token: await idToken(claims),
      refresh_token: 'rt-1',
      state: form.get('state'),
      token_type: 'Bearer',
      expires_in: 3600,
      ...override,
    });
  };
}

describe('EsiaClient.authorizationUrl', () => {
  it('builds the v2/ac URL with every parameter and a client_secret over the documented string', async () => {
    const { esia } = setup(() => json(500, {}));
    const state = '7f1e6c1a-3b7e-4b9a-9c55-0d4f0e6a1b2c';
    const url = new URL(await esia.authorizationUrl(state));
    expect(`${url.origin}${url.pathname}`).toBe(`${BASE}/aas/oauth2/v2/ac`);
    const p = url.searchParams;
    expect(p.get('client_id')).toBe('EDUJOURNAL');
    expect(p.get('client_certificate_hash')).toBe(TestEsiaSigner.fromKey(client.privateKey).certificateHash);
    expect(p.get('redirect_uri')).toBe(REDIRECT);
    expect(p.get('scope')).toBe(
      'openid fullname snils birthdate gender kid_fullname kid_birthdate kid_snils birth_cert_doc kid_birth_cert_doc',
    );
    expect(p.get('response_type')).toBe('code');
    expect(p.get('state')).toBe(state);
    expect(p.get('timestamp')).toBe('2026.09.01 10:00:00 +0300');
    expect(p.get('access_type')).toBe('online');
    const secret = p.get('client_secret')!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(64);
    const signed = `EDUJOURNAL${p.get('scope')}2026.09.01 10:00:00 +0300${state}${REDIRECT}`;
    expect(signatureValid(signed, secret)).toBe(true);
    expect(signatureValid(signed + 'x', secret)).toBe(false);
  });
});

describe('EsiaClient.exchangeCode', () => {
  it('posts the form with a new UUID state, signs string + code, and returns verified claims', async () => {
    const { esia, calls } = setup(tokenEndpoint());
    const tokens = await esia.exchangeCode('the-code');
    expect(tokens.accessToken).toBe('at-1');
    expect(tokens.refreshToken).toBe('rt-1');
    expect(tokens.idTokenClaims.sub).toBe(1000000001);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.init?.method).toBe('POST');
    const form = formOf(calls[0]!.init);
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code')).toBe('the-code');
    expect(form.get('token_type')).toBe('Bearer');
    expect(form.get('redirect_uri')).toBe(REDIRECT);
    expect(form.get('state')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const signed =
      'EDUJOURNAL' + form.get('scope') + form.get('timestamp') + form.get('state') + REDIRECT + 'the-code';
    expect(signatureValid(signed, form.get('client_secret')!)).toBe(true);
  });

  it('uses a different state each time', async () => {
    const { esia, calls } = setup(tokenEndpoint());
    await esia.exchangeCode('a');
    await esia.exchangeCode('b');
    expect(formOf(calls[0]!.init).get('state')).not.toBe(formOf(calls[1]!.init).get('state'));
  });

  it('refuses a response whose state is not the one sent', async () => {
    const { esia } = setup(tokenEndpoint({}, { state: '00000000-0000-4000-8000-000000000000' }));
    await expect(esia.exchangeCode('c')).rejects.toMatchObject({ code: 'esia.bad_response' });
  });

  it.each([
    ['a wrong issuer', { iss: 'http://evil.example/' }],
    ['another audience', { aud: 'OTHER' }],
    ['an expired token', { exp: NOW_S - 120 }],
    ['a token not yet valid', { nbf: NOW_S + 120 }],
  ])('refuses an id_token with %s', async (_label, claims) => {
    const { esia } = setup(tokenEndpoint(claims));
    await expect(esia.exchangeCode('c')).rejects.toMatchObject({ code: 'esia.bad_response' });
  });

  it('tolerates a small clock skew', async () => {
    const { esia } = setup(tokenEndpoint({ nbf: NOW_S + 30, exp: NOW_S - 30 }));
    await expect(esia.exchangeCode('c')).resolves.toMatchObject({ accessToken: 'at-1' });
  });

  it('refuses an id_token signed by another key', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { esia } = setup(async (_url, init) =>
      json(200, {
        access_token: 'a',
        id_token: await idToken({}, other.privateKey),
        state: formOf(init).get('state'),
        token_type: 'Bearer',
      }),
    );
    await expect(esia.exchangeCode('c')).rejects.toMatchObject({ code: 'esia.bad_response' });
  });

  it('turns an ESIA error answer into its ESIA code with the Russian message', async () => {
    const { esia } = setup(() =>
      json(400, { error: 'invalid_grant', error_description: 'ESIA-007011: код устарел' }),
    );
    const error = await esia.exchangeCode('c').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EsiaError);
    expect(error).toMatchObject({ code: 'ESIA-007011' });
    expect((error as EsiaError).message).toContain('попробуйте ещё раз');
  });

  it('ESIA down or answering garbage is esia.unavailable', async () => {
    const down = setup(() => {
      throw new TypeError('fetch failed');
    });
    await expect(down.esia.exchangeCode('c')).rejects.toMatchObject({ code: 'esia.unavailable' });
    const proxy = setup(() => new Response('<html>502</html>', { status: 502 }));
    await expect(proxy.esia.exchangeCode('c')).rejects.toMatchObject({ code: 'esia.unavailable' });
  });
});

describe('EsiaClient.fetchProfile', () => {
  const person = {
    firstName: 'Мария',
    lastName: 'Иванова',
    middleName: 'Петровна',
    birthDate: '12.03.1985',
    gender: 'F',
    snils: '112-233-445 95',
    trusted: true,
  };
  const kids = {
    stateFacts: ['hasSize'],
    size: 2,
    elements: [
      {
        id: 'kid-1001',
        firstName: 'Пётр',
        lastName: 'Иванов',
        middleName: 'Сергеевич',
        birthDate: '01.02.2013',
        gender: 'M',
        snils: '123-456-789 64',
        documents: {
          size: 1,
          elements: [
            {
              type: 'RF_BRTH_CERT',
              series: 'II-МЮ',
              number: '654321',
              issueDate: '10.02.2013',
              issuedBy: 'ЗАГС',
            },
          ],
        },
      },
      `${BASE}/rs/prns/1000000001/kids/kid-1002`,
    ],
  };
  const kid2 = {
    id: 'kid-1002',
    firstName: 'Анна',
    lastName: 'Иванова',
    middleName: 'Сергеевна',
    birthDate: '15.06.2016',
    gender: 'F',
    documents: {
      size: 1,
      elements: [{ type: 'RF_BRTH_CERT', series: 'III-МЮ', number: '123456', issueDate: '25.06.2016' }],
    },
  };
  const routes = (url: URL) => {
    const path = url.pathname + url.search;
    if (path === '/rs/prns/1000000001') return json(200, person);
    if (path === '/rs/prns/1000000001/kids?embed=(elements)') return json(200, kids);
    if (path === '/rs/prns/1000000001/kids/kid-1002') return json(200, kid2);
    return json(404, {});
  };
  const trustedClaims = {
    sub: 1000000001,
    'urn:esia:sbj': { 'urn:esia:sbj:oid': 1000000001, 'urn:esia:sbj:is_tru': true, 'urn:esia:sbj:lvl': 'PR' },
  };

  it('a trusted account: person and kids (embedded or linked), with the bearer token', async () => {
    const { esia, calls } = setup(routes);
    const profile = await esia.fetchProfile('at-1', trustedClaims);
    expect(profile).toMatchObject({
      oid: '1000000001',
      sub: 'esia:1000000001',
      snils: '11223344595',
      birthDate: '1985-03-12',
      gender: 'female',
      trusted: true,
      level: 'PR',
      fetchedAt: NOW.toISOString(),
    });
    expect(profile.children).toHaveLength(2);
    expect(profile.children[0]).toMatchObject({
      esiaKidId: 'kid-1001',
      snils: '12345678964',
      birthCertificate: { series: 'II-МЮ', number: '654321', issueDate: '2013-02-10' },
    });
    expect(profile.children[1]).toMatchObject({
      esiaKidId: 'kid-1002',
      snils: '',
      birthCertificate: { series: 'III-МЮ', number: '123456' },
    });
    for (const call of calls)
      expect(new Headers(call.init?.headers).get('authorization')).toBe('Bearer at-1');
  });

  it('an untrusted account: never asks for kids', async () => {
    const { esia, calls } = setup(routes);
    const profile = await esia.fetchProfile('at-1', {
      sub: 1000000001,
      'urn:esia:sbj': { 'urn:esia:sbj:oid': 1000000001, 'urn:esia:sbj:lvl': 'P' },
    });
    expect(profile.trusted).toBe(false);
    expect(profile.children).toEqual([]);
    expect(calls.map((call) => new URL(call.url).pathname)).toEqual(['/rs/prns/1000000001']);
  });

  it('never sends the access token to a link outside ESIA', async () => {
    const { esia, calls } = setup((url) =>
      url.pathname.endsWith('/kids') ? json(200, { elements: ['http://evil.example/steal'] }) : routes(url),
    );
    await expect(esia.fetchProfile('at-1', trustedClaims)).rejects.toMatchObject({
      code: 'esia.bad_response',
    });
    expect(calls.some((call) => call.url.includes('evil'))).toBe(false);
  });
});

describe('checkIdTokenClaims', () => {
  const expected = { issuer: 'http://esia.gosuslugi.ru/', audience: 'EDUJOURNAL', now: 1000, skew: 60 };
  it('accepts aud as an array and refuses a missing exp', () => {
    expect(
      checkIdTokenClaims({ iss: expected.issuer, aud: ['X', 'EDUJOURNAL'], exp: 2000 }, expected),
    ).toBeUndefined();
    expect(checkIdTokenClaims({ iss: expected.issuer, aud: 'EDUJOURNAL' }, expected)).toBe('no exp');
  });
});
