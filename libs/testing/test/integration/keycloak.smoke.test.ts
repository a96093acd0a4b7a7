import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { clientCredentialsToken, DEV_USERS, endpoints, passwordToken } from '../../src';

// Smoke test (c): tokens from the real Keycloak realm `edu`, verified against its JWKS.
describe('Keycloak realm edu (real process)', () => {
  const { issuer } = endpoints();
  const jwks = createRemoteJWKSet(new URL(`${issuer}/protocol/openid-connect/certs`));
  const verify = (token: string, options: { currentDate?: Date } = {}) =>
    jwtVerify(token, jwks, { issuer, audience: 'edu-gateway', algorithms: ['RS256'], ...options });

  it('when the gateway asks with client credentials, then it gets a token that verifies against the realm keys', async () => {
    const { access_token } = await clientCredentialsToken();
    const { payload } = await verify(access_token);
    expect(payload.azp).toBe('edu-gateway');
    expect(payload.aud).toContain('edu-gateway');
  });

  it('when a dev user logs in by password, then the verified token carries the user and realm roles', async () => {
    const { access_token } = await passwordToken(DEV_USERS.operator.username, DEV_USERS.operator.password);
    const { payload } = await verify(access_token);
    expect(payload.preferred_username).toBe('dev-operator');
    expect((payload.realm_access as { roles: string[] }).roles).toEqual(
      expect.arrayContaining(['region-operator', 'edu-user']),
    );
  });

  it('when a token payload is tampered with, then verification fails', async () => {
    const { access_token } = await passwordToken(DEV_USERS.teacher.username, DEV_USERS.teacher.password);
    const [header, payload, signature] = access_token.split('.');
    const claims = decodeJwt(access_token);
    const forged = Buffer.from(
      JSON.stringify({ ...claims, realm_access: { roles: ['region-operator'] } }),
    ).toString('base64url');
    expect(forged).not.toBe(payload);

    await expect(verify(`${header}.${forged}.${signature}`)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('when a token is used after it expired, then verification fails', async () => {
    const { access_token } = await clientCredentialsToken();
    const exp = decodeJwt(access_token).exp!;

    await expect(verify(access_token, { currentDate: new Date((exp + 1) * 1000) })).rejects.toMatchObject({
      code: 'ERR_JWT_EXPIRED',
    });
  });

  it('when a wrong password is given, then the realm refuses the login', async () => {
    await expect(passwordToken(DEV_USERS.guardian.username, 'Wrong-Password-1')).rejects.toThrow(
      /400 invalid_grant/,
    );
  });

  it('when the public web client tries the password grant, then it is refused (PKCE code flow only)', async () => {
    const response = await fetch(`${issuer}/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'edu-web',
        username: DEV_USERS.teacher.username,
        password: DEV_USERS.teacher.password,
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('unauthorized_client');
  });
});
