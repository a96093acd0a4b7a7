import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { createEsiaBridge, type BridgeLogger } from '../../src/bridge/oidc-provider';
import { listenEsiaBridge, type RunningBridge } from '../../src/bridge/server';
import { EsiaError } from '../../src/esia/errors';
import type { EsiaGateway, EsiaTokens } from '../../src/esia/esia-client';
import type { EsiaProfile } from '../../src/esia/profile';

const SECRET = 'keycloak-secret-0123456789';
const KC_REDIRECT = 'http://127.0.0.1:8180/realms/edu/broker/esia/endpoint';

const PROFILE: EsiaProfile = {
  oid: '1000000001',
  sub: 'esia:1000000001',
  lastName: 'Иванова',
  firstName: 'Мария',
  middleName: 'Петровна',
  birthDate: '1985-03-12',
  gender: 'female',
  snils: '11223344595',
  trusted: true,
  level: 'PR',
  children: [],
  fetchedAt: '2026-09-01T07:00:00.000Z',
};

/** A fake ESIA: the authorization URL carries the state; any code but 'bad' works. */
class FakeEsia implements EsiaGateway {
  redirectUri = '';
  failWith: EsiaError | undefined;
  codes: string[] = [];
  async authorizationUrl(state: string): Promise<string> {
    return `http://esia.test/aas/oauth2/v2/ac?state=${state}&redirect_uri=${encodeURIComponent(this.redirectUri)}`;
  }
  async exchangeCode(code: string): Promise<EsiaTokens> {
    this.codes.push(code);
    if (this.failWith) throw this.failWith;
    return { accessToken: 'esia-at', idTokenClaims: { sub: 1000000001 }, refreshToken: '' };
  }
  async fetchProfile(accessToken: string): Promise<EsiaProfile> {
    expect(accessToken).toBe('esia-at');
    return PROFILE;
  }
}

let clock = new Date('2026-09-01T07:00:00Z');
let running: RunningBridge;
let base: string;
const esia = new FakeEsia();
const received: EsiaProfile[] = [];
let profileFails = false;
const logLines: string[] = [];
const logger: BridgeLogger = {
  info: (object, message) => logLines.push(JSON.stringify({ ...object, message })),
  warn: (object, message) => logLines.push(JSON.stringify({ ...object, message })),
  error: (object, message) => logLines.push(JSON.stringify({ ...object, message })),
};

beforeAll(async () => {
  running = await listenEsiaBridge({
    host: '127.0.0.1',
    port: 0,
    build: (issuer) => {
      esia.redirectUri = `${issuer}/esia/callback`;
      return createEsiaBridge({
        issuer,
        clients: [
          {
            clientId: 'keycloak',
            clientSecret: SECRET,
            redirectUriPatterns: ['http://127.0.0.1:*/realms/edu/broker/*/endpoint'],
          },
        ],
        esia,
        onProfile: async (profile) => {
          if (profileFails) throw new Error('store down');
          received.push(profile);
        },
        now: () => clock,
        logger,
      });
    },
  });
  base = running.bridge.issuer;
});

afterAll(async () => {
  await running.close();
});

beforeEach(() => {
  clock = new Date();
  esia.failWith = undefined;
  profileFails = false;
});

function authorizeUrl(params: Record<string, string> = {}): string {
  const query = new URLSearchParams({
    client_id: 'keycloak',
    redirect_uri: KC_REDIRECT,
    response_type: 'code',
    scope: 'openid',
    state: 'kc-state-1',
    nonce: 'kc-nonce-1',
    ...params,
  });
  return `${base}/authorize?${query}`;
}

async function get(url: string): Promise<Response> {
  return fetch(url, { redirect: 'manual' });
}

/** /authorize → the ESIA state the bridge chose. */
async function startLogin(params: Record<string, string> = {}): Promise<string> {
  const response = await get(authorizeUrl(params));
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!);
  expect(location.origin).toBe('http://esia.test');
  return location.searchParams.get('state')!;
}

/** A whole login up to the bridge's code. */
async function loginCode(params: Record<string, string> = {}): Promise<string> {
  const state = await startLogin(params);
  const response = await get(`${base}/esia/callback?code=esia-code&state=${state}`);
  expect(response.status).toBe(302);
  const back = new URL(response.headers.get('location')!);
  expect(`${back.origin}${back.pathname}`).toBe(KC_REDIRECT);
  expect(back.searchParams.get('state')).toBe(params.state ?? 'kc-state-1');
  return back.searchParams.get('code')!;
}

async function token(
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  });
}

function tokenFields(code: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    grant_type: 'authorization_code',
    code,
    redirect_uri: KC_REDIRECT,
    client_id: 'keycloak',
    client_secret: SECRET,
    ...extra,
  };
}

describe('discovery and keys', () => {
  it('publishes the OpenID configuration', async () => {
    const response = await get(`${base}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const config = (await response.json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      issuer: base,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      userinfo_endpoint: `${base}/userinfo`,
      jwks_uri: `${base}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(config.scopes_supported).toContain('openid');
    expect(config.claims_supported).toEqual(
      expect.arrayContaining(['esia_oid', 'snils', 'esia_trusted', 'esia_level']),
    );
  });

  it('serves its public key only', async () => {
    const jwks = (await (await get(`${base}/jwks`)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(jwks.keys[0]!.kid).toEqual(expect.any(String));
  });
});

describe('GET /authorize', () => {
  it('refuses an unregistered redirect_uri with a Russian page and never redirects to it', async () => {
    const response = await get(
      authorizeUrl({ redirect_uri: 'http://evil.example/realms/edu/broker/esia/endpoint' }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('Неверный запрос на вход');
    expect(html).not.toContain('evil.example');
  });

  it('refuses an unknown client the same way', async () => {
    const response = await get(authorizeUrl({ client_id: 'someone' }));
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('sends protocol errors back to a verified redirect_uri', async () => {
    const response = await get(authorizeUrl({ response_type: 'token' }));
    expect(response.status).toBe(302);
    const back = new URL(response.headers.get('location')!);
    expect(back.searchParams.get('error')).toBe('unsupported_response_type');
    expect(back.searchParams.get('state')).toBe('kc-state-1');
    const noOpenid = new URL((await get(authorizeUrl({ scope: 'profile' }))).headers.get('location')!);
    expect(noOpenid.searchParams.get('error')).toBe('invalid_scope');
    const plain = new URL(
      (
        await get(authorizeUrl({ code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' }))
      ).headers.get('location')!,
    );
    expect(plain.searchParams.get('error')).toBe('invalid_request');
  });

  it("redirects to ESIA with a fresh UUID state (not Keycloak's)", async () => {
    const first = await startLogin();
    const second = await startLogin();
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second).not.toBe(first);
  });
});

describe('GET /esia/callback', () => {
  it('refuses an unknown state with a Russian page', async () => {
    const response = await get(
      `${base}/esia/callback?code=esia-code&state=00000000-0000-4000-8000-000000000000`,
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    const html = await response.text();
    expect(html).toContain('Сеанс входа устарел');
    expect(html).toContain('identity.esia_login_expired');
  });

  it('accepts a state once', async () => {
    const state = await startLogin();
    expect((await get(`${base}/esia/callback?code=esia-code&state=${state}`)).status).toBe(302);
    const again = await get(`${base}/esia/callback?code=esia-code&state=${state}`);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('Сеанс входа устарел');
  });

  it("shows ESIA's decline in Russian with the code and a link back to Keycloak", async () => {
    const exchanged = esia.codes.length;
    const state = await startLogin();
    const response = await get(
      `${base}/esia/callback?error=access_denied&error_description=${encodeURIComponent('ESIA-007004: пользователь отказал')}&state=${state}`,
    );
    expect(response.headers.get('location')).toBeNull();
    const html = await response.text();
    expect(html).toContain('Вы отказались от входа через Госуслуги');
    expect(html).toContain('ESIA-007004');
    expect(html).toContain('Вернуться ко входу');
    const href = /href="([^"]+)"/.exec(html)![1]!.replace(/&#38;/g, '&');
    const back = new URL(href);
    expect(`${back.origin}${back.pathname}`).toBe(KC_REDIRECT);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('kc-state-1');
    expect(esia.codes).toHaveLength(exchanged);
  });

  it('shows a failed code exchange as its ESIA error, no code for Keycloak', async () => {
    esia.failWith = new EsiaError('ESIA-007053', 'signature refused');
    const state = await startLogin();
    const response = await get(`${base}/esia/callback?code=esia-code&state=${state}`);
    expect(response.status).toBe(502);
    expect(response.headers.get('location')).toBeNull();
    const html = await response.text();
    expect(html).toContain('Госуслуги не приняли подпись');
    expect(html).toContain('ESIA-007053');
    expect(html).not.toMatch(/at .*\.ts|Error:/);
  });

  it('does not let Keycloak in when storing the profile failed', async () => {
    profileFails = true;
    const state = await startLogin();
    const response = await get(`${base}/esia/callback?code=esia-code&state=${state}`);
    expect(response.status).toBe(503);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('Не удалось завершить вход');
  });
});

describe('POST /token and GET /userinfo', () => {
  it('issues an id_token that verifies against /jwks with the person claims', async () => {
    const code = await loginCode();
    expect(received.at(-1)).toEqual(PROFILE);
    const response = await token(tokenFields(code));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    const { payload, protectedHeader } = await jwtVerify(
      String(body.id_token),
      createRemoteJWKSet(new URL(`${base}/jwks`)),
      {
        issuer: base,
        audience: 'keycloak',
      },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: 'esia:1000000001',
      nonce: 'kc-nonce-1',
      esia_oid: '1000000001',
      snils: '11223344595',
      esia_trusted: true,
      esia_level: 'PR',
      given_name: 'Мария',
      family_name: 'Иванова',
      middle_name: 'Петровна',
      birthdate: '1985-03-12',
      gender: 'female',
      name: 'Иванова Мария Петровна',
      preferred_username: 'esia-1000000001',
    });
    expect(payload.exp! - payload.iat!).toBe(300);

    const userinfo = await fetch(`${base}/userinfo`, {
      headers: { authorization: `Bearer ${String(body.access_token)}` },
    });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({
      sub: 'esia:1000000001',
      esia_oid: '1000000001',
      snils: '11223344595',
      esia_trusted: true,
    });
  });

  it('refuses /userinfo without a valid token', async () => {
    const response = await fetch(`${base}/userinfo`, { headers: { authorization: 'Bearer nope' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('accepts client_secret_basic', async () => {
    const code = await loginCode();
    const { client_id: _id, client_secret: _secret, ...fields } = tokenFields(code);
    const response = await token(fields, {
      authorization: `Basic ${Buffer.from(`keycloak:${SECRET}`).toString('base64')}`,
    });
    expect(response.status).toBe(200);
    expect(decodeJwt(String(((await response.json()) as Record<string, unknown>).id_token)).aud).toBe(
      'keycloak',
    );
  });

  it('refuses a code used twice', async () => {
    const code = await loginCode();
    expect((await token(tokenFields(code))).status).toBe(200);
    const again = await token(tokenFields(code));
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a wrong client secret (post and basic), and the code stays unusable by guessing', async () => {
    const code = await loginCode();
    const wrong = await token(tokenFields(code, { client_secret: 'wrong-secret-0123456789' }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    const { client_id: _id, client_secret: _secret, ...fields } = tokenFields(code);
    const basic = await token(fields, {
      authorization: `Basic ${Buffer.from('keycloak:nope').toString('base64')}`,
    });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toContain('Basic');
    expect((await token(tokenFields(code))).status).toBe(200);
  });

  it("refuses a redirect_uri other than the authorization request's", async () => {
    const code = await loginCode();
    const response = await token(
      tokenFields(code, { redirect_uri: 'http://127.0.0.1:8180/realms/edu/broker/other/endpoint' }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses an expired code (60 s)', async () => {
    const code = await loginCode();
    clock = new Date(clock.getTime() + 61_000);
    const response = await token(tokenFields(code));
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('checks PKCE S256: a wrong or missing verifier is refused, the right one accepted', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };

    const wrong = await token(
      tokenFields(await loginCode(pkce), { code_verifier: randomBytes(32).toString('base64url') }),
    );
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });

    const missing = await token(tokenFields(await loginCode(pkce)));
    expect(await missing.json()).toMatchObject({ error: 'invalid_grant' });

    const right = await token(tokenFields(await loginCode(pkce), { code_verifier: verifier }));
    expect(right.status).toBe(200);
  });

  it('refuses other grant types', async () => {
    const response = await token({ grant_type: 'password', client_id: 'keycloak', client_secret: SECRET });
    expect(await response.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });
});

describe('logging', () => {
  it('logs outcomes without names or SNILS', async () => {
    await token(tokenFields(await loginCode()));
    const joined = logLines.join('\n');
    expect(joined).toContain('"outcome":"success"');
    expect(joined).toContain('"outcome":"declined"');
    for (const secret of ['Иванова', 'Мария', '11223344595', '1985-03-12', SECRET])
      expect(joined).not.toContain(secret);
  });
});
