import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { createTokenVerifier, TokenRejected } from '../../src/auth/token-verifier';

// The verifier against a local issuer whose keys the test holds, so that every kind of bad token
// can be minted. Real Keycloak tokens are verified in the component tests.
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

describe('access token verification', () => {
  const issuer = 'https://id.example.test/realms/edu';
  const audience = 'edu-gateway';
  let server: Server;
  let jwksUrl: string;
  let key: PrivateKey;
  let publicPem: string;
  let otherKey: PrivateKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    key = pair.privateKey;
    publicPem = await exportSPKI(pair.publicKey);
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/certs`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const verifier = () => createTokenVerifier({ issuer, audience, jwksUrl });
  const claims = { sub: 'account-1', typ: 'Bearer', realm_access: { roles: ['region-operator'] } };
  const mint = (
    overrides: {
      kid?: string;
      iss?: string;
      aud?: string;
      exp?: number;
      nbf?: number;
      signWith?: PrivateKey;
    } = {},
  ) => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: overrides.kid ?? 'k1', typ: 'JWT' })
      .setIssuer(overrides.iss ?? issuer)
      .setAudience(overrides.aud ?? audience)
      .setIssuedAt(now - 10)
      .setExpirationTime(overrides.exp ?? now + 300);
    if (overrides.nbf) jwt.setNotBefore(overrides.nbf);
    return jwt.sign(overrides.signWith ?? key);
  };
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

  it('when the token is signed by the realm key for the gateway, then its claims come back', async () => {
    await expect(verifier()(await mint())).resolves.toMatchObject({ sub: 'account-1' });
  });

  it('when the token says alg none and has no signature, then it is rejected', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss: issuer, aud: audience, exp: 9999999999, iat: 1 })}.`;
    await expect(verifier()(token)).rejects.toBeInstanceOf(TokenRejected);
  });

  it('when the token is HS256-signed with the public key as the secret (algorithm confusion), then it is rejected', async () => {
    const secret = new TextEncoder().encode(publicPem);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(secret);
    await expect(verifier()(token)).rejects.toMatchObject({ reason: 'ERR_JOSE_ALG_NOT_ALLOWED' });
  });

  it('when the token names a key the realm does not have, then it is rejected', async () => {
    await expect(verifier()(await mint({ kid: 'unknown' }))).rejects.toMatchObject({
      reason: 'ERR_JWKS_NO_MATCHING_KEY',
    });
  });

  it('when the token is signed by another key under the realm kid, then it is rejected', async () => {
    await expect(verifier()(await mint({ signWith: otherKey }))).rejects.toMatchObject({
      reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('when the token is not valid before a future time, then it is rejected', async () => {
    const nbf = Math.floor(Date.now() / 1000) + 600;
    await expect(verifier()(await mint({ nbf }))).rejects.toMatchObject({
      reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    });
  });

  it('when the token is for another audience or from another issuer, then it is rejected', async () => {
    await expect(verifier()(await mint({ aud: 'edu-web' }))).rejects.toMatchObject({
      reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    });
    await expect(verifier()(await mint({ iss: 'https://evil.example/realms/edu' }))).rejects.toMatchObject({
      reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    });
  });

  it('when the payload was changed after signing, then it is rejected', async () => {
    const [header, , signature] = (await mint()).split('.');
    const forged = b64({
      ...claims,
      sub: 'someone-else',
      iss: issuer,
      aud: audience,
      exp: 9999999999,
      iat: 1,
    });
    await expect(verifier()(`${header}.${forged}.${signature}`)).rejects.toMatchObject({
      reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('when an ID token of the same realm and audience is presented, then it is rejected', async () => {
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({ ...claims, typ: 'ID' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(now - 10)
      .setExpirationTime(now + 300)
      .sign(key);
    await expect(verifier()(idToken)).rejects.toMatchObject({ reason: 'not_an_access_token' });
  });

  it('when the token has expired, then it is rejected', async () => {
    const exp = Math.floor(Date.now() / 1000) - 60;
    await expect(verifier()(await mint({ exp }))).rejects.toMatchObject({ reason: 'ERR_JWT_EXPIRED' });
  });
});
