// The ESIA bridge against the running ESIA emulator (deploy/local/esia-emulator, port 8190):
// this test plays Keycloak with fetch; the emulator is real, with its committed dev keys.
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createEsiaBridge } from '../../src/bridge/oidc-provider';
import { listenEsiaBridge, type RunningBridge } from '../../src/bridge/server';
import { EsiaClient } from '../../src/esia/esia-client';
import type { EsiaProfile } from '../../src/esia/profile';
import { TestEsiaSigner, testEsiaSignerFromFile, type EsiaSigner } from '../../src/esia/signer';
import { Es256TestVerifier } from '../../src/esia/token-verifier';

const ESIA_URL = process.env.EDU_ESIA_URL ?? `http://127.0.0.1:${process.env.EDU_ESIA_PORT ?? 8190}`;
const DEV_KEYS = join(__dirname, '../../../../deploy/local/esia-emulator/dev-keys');
const SECRET = 'bridge-test-secret-0123456789';
// A fake Keycloak broker endpoint: only its Location is read, nothing listens there.
const KC_REDIRECT = 'http://127.0.0.1:18180/realms/edu/broker/esia/endpoint';

interface TestBridge {
  running: RunningBridge;
  base: string;
  profiles: EsiaProfile[];
  /** Every URL the bridge's ESIA client fetched (the real fetch, recorded). */
  esiaCalls: string[];
}

const started: RunningBridge[] = [];
let signer: TestEsiaSigner;
let verifier: Es256TestVerifier;

async function startBridge(customSigner?: EsiaSigner): Promise<TestBridge> {
  const profiles: EsiaProfile[] = [];
  const esiaCalls: string[] = [];
  const recordingFetch = ((input: string | URL | Request, init?: RequestInit) => {
    esiaCalls.push(String(input));
    return fetch(input, init);
  }) as typeof fetch;
  const running = await listenEsiaBridge({
    host: '127.0.0.1',
    port: 0,
    build: (issuer) =>
      createEsiaBridge({
        issuer,
        clients: [
          {
            clientId: 'keycloak',
            clientSecret: SECRET,
            redirectUriPatterns: ['http://127.0.0.1:*/realms/edu/broker/*/endpoint'],
          },
        ],
        esia: new EsiaClient({
          baseUrl: ESIA_URL,
          clientId: 'EDUJOURNAL',
          signer: customSigner ?? signer,
          tokenVerifier: verifier,
          redirectUri: `${issuer}/esia/callback`,
          fetch: recordingFetch,
        }),
        onProfile: async (profile) => {
          profiles.push(profile);
        },
      }),
  });
  started.push(running);
  return { running, base: running.bridge.issuer, profiles, esiaCalls };
}

/**
 * Keycloak sends the browser to /authorize; the browser follows to the emulator (with the test
 * headers instead of clicking) and back to /esia/callback. Returns the callback's response.
 */
async function loginThroughEmulator(bridge: TestBridge, headers: Record<string, string>): Promise<Response> {
  const query = new URLSearchParams({
    client_id: 'keycloak',
    redirect_uri: KC_REDIRECT,
    response_type: 'code',
    scope: 'openid',
    state: 'kc-state',
    nonce: 'kc-nonce',
  });
  const authorize = await fetch(`${bridge.base}/authorize?${query}`, { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const esiaUrl = authorize.headers.get('location')!;
  expect(esiaUrl.startsWith(`${ESIA_URL}/aas/oauth2/v2/ac?`)).toBe(true);

  const atEsia = await fetch(esiaUrl, { redirect: 'manual', headers });
  expect(atEsia.status).toBe(302);
  const callback = atEsia.headers.get('location')!;
  expect(callback.startsWith(`${bridge.base}/esia/callback?`)).toBe(true);

  return fetch(callback, { redirect: 'manual' });
}

beforeAll(async () => {
  const health = await fetch(`${ESIA_URL}/emulator/health`).catch(() => undefined);
  if (!health?.ok)
    throw new Error(
      `the ESIA emulator is not running at ${ESIA_URL} (node deploy/local/esia-emulator/server.js)`,
    );
  signer = await testEsiaSignerFromFile(join(DEV_KEYS, 'edu-client-test.key.pem'));
  verifier = await Es256TestVerifier.fromFile(join(DEV_KEYS, 'esia-emulator.pub.pem'));
});

afterAll(async () => {
  await Promise.all(started.map((running) => running.close()));
});

describe('ESIA bridge with the ESIA emulator', () => {
  it('a trusted parent: Keycloak gets a code and an id_token; identity gets both children', async () => {
    const bridge = await startBridge();
    const callback = await loginThroughEmulator(bridge, { 'x-esia-emulator-user': 'parent-trusted' });
    expect(callback.status).toBe(302);
    const back = new URL(callback.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(KC_REDIRECT);
    expect(back.searchParams.get('state')).toBe('kc-state');
    const code = back.searchParams.get('code')!;
    expect(code).toBeTruthy();

    const tokenResponse = await fetch(`${bridge.base}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: KC_REDIRECT,
        client_id: 'keycloak',
        client_secret: SECRET,
      }),
    });
    expect(tokenResponse.status).toBe(200);
    const tokens = (await tokenResponse.json()) as { id_token: string; access_token: string };
    const { payload } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(`${bridge.base}/jwks`)), {
      issuer: bridge.base,
      audience: 'keycloak',
    });
    expect(payload).toMatchObject({
      sub: 'esia:1000000001',
      nonce: 'kc-nonce',
      esia_oid: '1000000001',
      snils: '11223344595',
      esia_trusted: true,
      esia_level: 'PR',
      family_name: 'Иванова',
      given_name: 'Мария',
      middle_name: 'Петровна',
      birthdate: '1985-03-12',
      gender: 'female',
      preferred_username: 'esia-1000000001',
    });

    expect(bridge.profiles).toHaveLength(1);
    const children = bridge.profiles[0]!.children;
    expect(children).toHaveLength(2);
    const peter = children.find((child) => child.esiaKidId === 'kid-1001');
    const anna = children.find((child) => child.esiaKidId === 'kid-1002');
    expect(peter).toMatchObject({
      lastName: 'Иванов',
      firstName: 'Пётр',
      birthDate: '2013-02-01',
      gender: 'male',
      snils: '12345678964',
      birthCertificate: { series: 'II-МЮ', number: '654321', issueDate: '2013-02-10' },
    });
    expect(anna).toMatchObject({
      firstName: 'Анна',
      birthDate: '2016-06-15',
      gender: 'female',
      snils: '',
      birthCertificate: { series: 'III-МЮ', number: '123456', issueDate: '2016-06-25' },
    });

    const userinfo = await fetch(`${bridge.base}/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await userinfo.json()).toMatchObject({ sub: 'esia:1000000001', esia_trusted: true });
  });

  it('an untrusted account: no children, and the kids were never asked for', async () => {
    const bridge = await startBridge();
    const callback = await loginThroughEmulator(bridge, { 'x-esia-emulator-user': 'untrusted' });
    expect(callback.status).toBe(302);
    expect(bridge.profiles).toHaveLength(1);
    expect(bridge.profiles[0]).toMatchObject({
      oid: '1000000002',
      trusted: false,
      level: 'P',
      snils: '22334455639',
      children: [],
    });
    expect(bridge.esiaCalls.some((url) => url.includes('/rs/prns/1000000002'))).toBe(true);
    expect(bridge.esiaCalls.some((url) => url.includes('/kids'))).toBe(false);
  });

  it('the person declines: the Russian 007004 page with a way back to Keycloak', async () => {
    const bridge = await startBridge();
    const callback = await loginThroughEmulator(bridge, { 'x-esia-emulator-decline': '1' });
    expect(callback.headers.get('location')).toBeNull();
    expect(callback.headers.get('content-type')).toContain('text/html');
    const html = await callback.text();
    expect(html).toContain('Вы отказались от входа через Госуслуги');
    expect(html).toContain('ESIA-007004');
    expect(html).toContain('Вернуться ко входу');
    expect(html).toContain('error=access_denied');
    expect(bridge.profiles).toHaveLength(0);
  });

  it("a certificate ESIA does not know for the mnemonic: the emulator's ESIA-007002, shown in Russian", async () => {
    const stranger = TestEsiaSigner.fromKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    const bridge = await startBridge(stranger);
    const callback = await loginThroughEmulator(bridge, { 'x-esia-emulator-user': 'parent-trusted' });
    expect(callback.headers.get('location')).toBeNull();
    const html = await callback.text();
    expect(html).toContain('ESIA-007002');
    expect(html).toContain('не признали сертификат');
    expect(html).toContain('службу поддержки');
    expect(bridge.profiles).toHaveLength(0);
  });

  it("a tampered signature: the emulator's ESIA-007053, shown in Russian", async () => {
    const tampering: EsiaSigner = {
      certificateHash: signer.certificateHash,
      sign: async (data) => {
        const signature = Uint8Array.from(await signer.sign(data));
        signature[10] = signature[10]! ^ 0xff;
        return signature;
      },
    };
    const bridge = await startBridge(tampering);
    const callback = await loginThroughEmulator(bridge, { 'x-esia-emulator-user': 'parent-trusted' });
    expect(callback.headers.get('location')).toBeNull();
    const html = await callback.text();
    expect(html).toContain('ESIA-007053');
    expect(html).toContain('не приняли подпись');
    expect(bridge.profiles).toHaveLength(0);
  });
});
