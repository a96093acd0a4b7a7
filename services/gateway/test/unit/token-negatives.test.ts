import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { createTokenVerifier } from '../../src/auth/token-verifier';
import { startApp, type RunningApp } from '../helpers';

// Bad tokens through the whole gateway: each one is a 401 problem+json, identity is never asked
// who it is and no service is called. The issuer is a local one whose keys the test holds, so that
// every kind of bad token can be minted (real Keycloak tokens: app.test.ts).
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

describe('the gateway refuses bad access tokens', () => {
  const issuer = 'https://id.example.test/realms/edu';
  const audience = 'edu-gateway';
  let jwks: Server;
  let app: RunningApp;
  let key: PrivateKey;
  let otherKey: PrivateKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    key = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/certs`;
    app = await startApp({ verifyToken: createTokenVerifier({ issuer, audience, jwksUrl }) });
  });
  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => jwks.close(resolve));
  });
  beforeEach(() => {
    app.roster.reset();
    app.identity.reset();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const mint = (
    overrides: { kid?: string; iss?: string; aud?: string; exp?: number; signWith?: PrivateKey } = {},
  ) =>
    new SignJWT({ sub: 'account-1', typ: 'Bearer' })
      .setProtectedHeader({ alg: 'RS256', kid: overrides.kid ?? 'k1', typ: 'JWT' })
      .setIssuer(overrides.iss ?? issuer)
      .setAudience(overrides.aud ?? audience)
      .setIssuedAt(now() - 10)
      .setExpirationTime(overrides.exp ?? now() + 300)
      .sign(overrides.signWith ?? key);
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

  const call = (token: string) =>
    fetch(`${app.url}/api/v1/schools/school-1`, { headers: { authorization: `Bearer ${token}` } });

  it('when the token is good, then the call goes through (the negatives below differ in one thing each)', async () => {
    const response = await call(await mint());

    expect(response.status).toBe(200);
    expect(app.identity.calls.map((c) => c.method)).toEqual(['ResolveActor']);
  });

  const negatives: [string, () => Promise<string>][] = [
    [
      'alg none without a signature',
      async () => `${b64({ alg: 'none', typ: 'JWT' })}.${(await mint()).split('.')[1]}.`,
    ],
    ['another audience', () => mint({ aud: 'edu-web' })],
    ['another issuer', () => mint({ iss: 'https://evil.example.test/realms/edu' })],
    ['a key id the realm does not have', () => mint({ kid: 'k2' })],
    ['another key under the realm key id', () => mint({ signWith: otherKey })],
    ['expired', () => mint({ exp: now() - 60 })],
    [
      'a payload changed after signing',
      async () => {
        const [header, , signature] = (await mint()).split('.');
        const forged = b64({
          sub: 'account-2',
          typ: 'Bearer',
          iss: issuer,
          aud: audience,
          exp: now() + 300,
          iat: now(),
        });
        return `${header}.${forged}.${signature}`;
      },
    ],
  ];

  it.each(negatives)(
    'when the token has %s, then 401 problem+json, and neither identity nor roster is called',
    async (_what, token) => {
      const response = await call(await token());

      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="edu", error="invalid_token"');
      expect(await response.json()).toMatchObject({ code: 'auth.unauthenticated' });
      expect(app.identity.calls).toEqual([]);
      expect(app.roster.calls).toEqual([]);
    },
  );
});
