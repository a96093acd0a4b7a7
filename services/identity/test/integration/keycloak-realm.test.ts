import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt } from 'jose';
import {
  createTestUser,
  deleteTestUser,
  DEV_USERS,
  endpoints,
  GATEWAY_CLIENT,
  keycloakAdmin,
  passwordToken,
  type TestUser,
} from '@edu/testing';

// Realm `edu` as deploy/local/keycloak/realm-edu.json defines it, checked against the real
// Keycloak: brute-force lockout, PKCE and exact redirect URIs of edu-web, token lifetime and
// claims, refresh-token rotation, the `esia` identity provider and its first-login flow.
const { issuer } = endpoints();

async function tokenCall(
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

function passwordGrant(username: string, password: string) {
  return tokenCall({
    grant_type: 'password',
    client_id: GATEWAY_CLIENT.clientId,
    client_secret: GATEWAY_CLIENT.secret,
    username,
    password,
    scope: 'openid',
  });
}

async function adminJson<T>(path: string): Promise<T> {
  return (await (await keycloakAdmin('GET', path)).json()) as T;
}

/**
 * More than the realm's quickLoginCheckMilliSeconds (1000) between failures: quicker failures
 * lock the account at once for minimumQuickLoginWaitSeconds, which would hide the failure count.
 */
const BETWEEN_FAILURES_MS = 1_150;

describe('realm edu: brute-force detection', () => {
  const testUsers: TestUser[] = [];
  afterAll(async () => {
    for (const user of testUsers) await deleteTestUser(user);
  });

  it('when 9 wrong passwords were given, then the right one still logs in (the limit is 10, not less)', async () => {
    const user = await createTestUser();
    testUsers.push(user);
    for (let i = 0; i < 9; i++) {
      const wrong = await passwordGrant(user.username, `Wrong-Password-${i}A`);
      expect(wrong.body.error).toBe('invalid_grant');
      await sleep(BETWEEN_FAILURES_MS);
    }
    const right = await passwordGrant(user.username, user.password);
    expect(right.status).toBe(200);
    expect(right.body.access_token).toBeDefined();
  }, 60_000);

  it('when 10 wrong passwords were given, then the right one is refused with the same answer as a wrong password', async () => {
    const user = await createTestUser();
    testUsers.push(user);
    const wrongAnswers: Array<{ status: number; body: Record<string, string> }> = [];
    for (let i = 0; i < 10; i++) {
      wrongAnswers.push(await passwordGrant(user.username, `Wrong-Password-${i}A`));
      await sleep(BETWEEN_FAILURES_MS);
    }
    // the first failures were ordinary wrong passwords
    expect(wrongAnswers[0]!.body.error).toBe('invalid_grant');

    const locked = await passwordGrant(user.username, user.password);
    expect(locked.status).not.toBe(200);
    expect(locked.body.access_token).toBeUndefined();
    // indistinguishable from a wrong password: same status, error and description
    expect(locked).toEqual(wrongAnswers[0]!);

    // Keycloak does hold the account locked (temporarily, not for good)
    const status = await adminJson<{ disabled: boolean; numFailures: number }>(
      `/attack-detection/brute-force/users/${user.id}`,
    );
    expect(status.disabled).toBe(true);
    expect(status.numFailures).toBeGreaterThanOrEqual(10);
    const realm = await adminJson<{ permanentLockout: boolean; failureFactor: number }>('');
    expect(realm).toMatchObject({ permanentLockout: false, failureFactor: 10 });

    // an administrator can lift the lock; then the right password works again
    await keycloakAdmin('DELETE', `/attack-detection/brute-force/users/${user.id}`);
    expect((await passwordGrant(user.username, user.password)).status).toBe(200);
  }, 60_000);
});

describe('realm edu: the web client (public, PKCE S256, exact redirect URIs)', () => {
  const authorize = (params: Record<string, string>) =>
    fetch(`${issuer}/protocol/openid-connect/auth?${new URLSearchParams(params)}`, { redirect: 'manual' });
  const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
  const base = {
    client_id: 'edu-web',
    redirect_uri: 'http://127.0.0.1:8080/callback',
    response_type: 'code',
    scope: 'openid',
    state: 'st-1',
  };

  it('when the request carries an S256 code challenge and the registered redirect URI, then the login page opens', async () => {
    for (const redirect_uri of ['http://127.0.0.1:8080/callback', 'http://localhost:8080/callback']) {
      const response = await authorize({
        ...base,
        redirect_uri,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('kc-form-login');
    }
  });

  it('when the code challenge is missing, then Keycloak sends the browser back with an error and no code', async () => {
    const response = await authorize(base);
    expect([302, 303]).toContain(response.status);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('http://127.0.0.1:8080/callback');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/code_challenge/i);
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('when the code challenge method is plain, then Keycloak refuses it', async () => {
    const response = await authorize({ ...base, code_challenge: challenge, code_challenge_method: 'plain' });
    expect([302, 303]).toContain(response.status);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it.each([
    'http://127.0.0.1:8080/callback/more',
    'http://127.0.0.1:8080/callback?next=x',
    'http://127.0.0.1:8080/',
    'http://127.0.0.1:8081/callback',
    'http://evil.example/callback',
  ])(
    'when the redirect URI is %s (not exactly registered), then Keycloak shows an error and redirects nowhere',
    async (redirect_uri) => {
      const response = await authorize({
        ...base,
        redirect_uri,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).not.toContain('kc-form-login');
    },
  );
});

describe('realm edu: tokens', () => {
  const testUsers: TestUser[] = [];
  afterAll(async () => {
    for (const user of testUsers) await deleteTestUser(user);
  });

  it('when a user logs in by password, then the access token lives at most 300 s and carries no interim actor claims', async () => {
    const { access_token } = await passwordToken(DEV_USERS.teacher.username, DEV_USERS.teacher.password);
    const claims = decodeJwt(access_token);
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(300);
    expect(claims.exp! - claims.iat!).toBeGreaterThan(0);
    expect(claims).not.toHaveProperty('edu_person_id');
    expect(claims).not.toHaveProperty('edu_school_roles');
    // the dev user has no ESIA account
    expect(claims).not.toHaveProperty('esia_oid');
  });

  it('when an administrator sets the old interim attributes, then the realm keeps none and the token carries none', async () => {
    const user = await createTestUser();
    testUsers.push(user);
    const current = await adminJson<Record<string, unknown>>(`/users/${user.id}`);
    await keycloakAdmin('PUT', `/users/${user.id}`, {
      ...current,
      attributes: { edu_person_id: ['p-1'], edu_school_roles: ['school-1:director'] },
    }).catch(() => undefined); // refused or ignored: either way nothing may be stored
    const after = await adminJson<{ attributes?: Record<string, string[]> }>(`/users/${user.id}`);
    expect(after.attributes?.edu_person_id).toBeUndefined();
    expect(after.attributes?.edu_school_roles).toBeUndefined();
    const claims = decodeJwt(await user.token());
    expect(claims).not.toHaveProperty('edu_person_id');
    expect(claims).not.toHaveProperty('edu_school_roles');
  });

  it('when the user has an ESIA oid, then the access token carries it as esia_oid', async () => {
    const user = await createTestUser();
    testUsers.push(user);
    const current = await adminJson<Record<string, unknown>>(`/users/${user.id}`);
    await keycloakAdmin('PUT', `/users/${user.id}`, { ...current, attributes: { esia_oid: ['1000000001'] } });

    const { access_token, id_token } = await passwordToken(user.username, user.password);
    expect(decodeJwt(access_token).esia_oid).toBe('1000000001');
    // only in the access token
    expect(decodeJwt(id_token!)).not.toHaveProperty('esia_oid');
  });

  it('when a refresh token is used twice, then the second use is refused (rotation)', async () => {
    const user = await createTestUser();
    testUsers.push(user);
    const first = await passwordToken(user.username, user.password);
    const refresh = (refresh_token: string) =>
      tokenCall({
        grant_type: 'refresh_token',
        client_id: GATEWAY_CLIENT.clientId,
        client_secret: GATEWAY_CLIENT.secret,
        refresh_token,
      });

    const once = await refresh(first.refresh_token!);
    expect(once.status).toBe(200);
    expect(once.body.refresh_token).toBeDefined();
    expect(once.body.refresh_token).not.toBe(first.refresh_token);

    const twice = await refresh(first.refresh_token!);
    expect(twice.status).toBe(400);
    expect(twice.body.error).toBe('invalid_grant');
  });
});

describe('realm edu: configuration', () => {
  it('has the esia identity provider with FORCE sync, no e-mail trust and the bridge as OIDC endpoints', async () => {
    const idp = await adminJson<{
      alias: string;
      providerId: string;
      enabled: boolean;
      trustEmail: boolean;
      storeToken: boolean;
      linkOnly: boolean;
      displayName: string;
      firstBrokerLoginFlowAlias: string;
      config: Record<string, string>;
    }>('/identity-provider/instances/esia');
    expect(idp).toMatchObject({
      alias: 'esia',
      providerId: 'oidc',
      enabled: true,
      trustEmail: false,
      storeToken: false,
      linkOnly: false,
      displayName: 'Госуслуги',
      firstBrokerLoginFlowAlias: 'edu first broker login',
    });
    expect(idp.config).toMatchObject({
      syncMode: 'FORCE',
      issuer: 'http://127.0.0.1:8095',
      authorizationUrl: 'http://127.0.0.1:8095/authorize',
      tokenUrl: 'http://127.0.0.1:8095/token',
      userInfoUrl: 'http://127.0.0.1:8095/userinfo',
      jwksUrl: 'http://127.0.0.1:8095/jwks',
      useJwksUrl: 'true',
      validateSignature: 'true',
      clientId: 'keycloak',
      clientAuthMethod: 'client_secret_post',
      defaultScope: 'openid',
      pkceEnabled: 'true',
      pkceMethod: 'S256',
    });
  });

  it('maps the ESIA claims to user attributes and the username, all with FORCE sync', async () => {
    const mappers = await adminJson<
      Array<{ name: string; identityProviderMapper: string; config: Record<string, string> }>
    >('/identity-provider/instances/esia/mappers');
    const byAttribute = Object.fromEntries(
      mappers
        .filter((m) => m.identityProviderMapper === 'oidc-user-attribute-idp-mapper')
        .map((m) => [m.config['user.attribute'], m.config.claim]),
    );
    expect(byAttribute).toEqual({
      esia_oid: 'esia_oid',
      snils: 'snils',
      esia_trusted: 'esia_trusted',
      esia_level: 'esia_level',
      firstName: 'given_name',
      lastName: 'family_name',
    });
    const username = mappers.filter((m) => m.identityProviderMapper === 'oidc-username-idp-mapper');
    expect(username).toHaveLength(1);
    expect(username[0]!.config.template).toBe('esia-${CLAIM.esia_oid}');
    expect(mappers).toHaveLength(7);
    for (const mapper of mappers) expect(mapper.config.syncMode).toBe('FORCE');
  });

  it('has a first-login flow that creates a unique user and never links an existing account', async () => {
    const executions = await adminJson<
      Array<{ providerId?: string; requirement: string; authenticationConfig?: string }>
    >(`/authentication/flows/${encodeURIComponent('edu first broker login')}/executions`);
    expect(executions.map((e) => [e.providerId, e.requirement])).toEqual([
      ['idp-review-profile', 'REQUIRED'],
      ['idp-create-user-if-unique', 'REQUIRED'],
    ]);
    const review = await adminJson<{ config: Record<string, string> }>(
      `/authentication/config/${executions[0]!.authenticationConfig}`,
    );
    expect(review.config['update.profile.on.first.login']).toBe('missing');
  });

  it('lets an ESIA user in without an e-mail: the user profile does not require one, and the ESIA attributes are admin-only', async () => {
    const profile = await adminJson<{
      attributes: Array<{
        name: string;
        required?: unknown;
        permissions?: { view: string[]; edit: string[] };
      }>;
    }>('/users/profile');
    const attribute = (name: string) => profile.attributes.find((a) => a.name === name);
    expect(attribute('email')).toBeDefined();
    expect(attribute('email')!.required).toBeUndefined();
    for (const name of ['esia_oid', 'snils', 'esia_trusted', 'esia_level', 'edu_temporary_login']) {
      expect(attribute(name)).toMatchObject({ permissions: { view: ['admin'], edit: ['admin'] } });
      expect(attribute(name)!.required).toBeUndefined();
    }
    expect(attribute('edu_person_id')).toBeUndefined();
    expect(attribute('edu_school_roles')).toBeUndefined();
  });

  it('stores login events and has no interim actor scope', async () => {
    const realm = await adminJson<{
      eventsEnabled: boolean;
      eventsListeners: string[];
      enabledEventTypes: string[];
      accessTokenLifespan: number;
      revokeRefreshToken: boolean;
      refreshTokenMaxReuse: number;
      bruteForceProtected: boolean;
      passwordPolicy: string;
    }>('');
    expect(realm).toMatchObject({
      eventsEnabled: true,
      accessTokenLifespan: 300,
      revokeRefreshToken: true,
      refreshTokenMaxReuse: 0,
      bruteForceProtected: true,
    });
    expect(realm.eventsListeners).toContain('jboss-logging');
    expect(realm.enabledEventTypes).toEqual(expect.arrayContaining(['LOGIN', 'LOGIN_ERROR']));
    expect(realm.passwordPolicy).toMatch(/length\(10\)/);
    const scopes = await adminJson<Array<{ name: string }>>('/client-scopes');
    expect(scopes.map((s) => s.name)).not.toContain('edu-actor');
  });

  it('gives the edu-identity service account exactly the user and event roles of realm-management', async () => {
    const [client = { id: '' }] = await adminJson<
      Array<{
        id: string;
        standardFlowEnabled: boolean;
        directAccessGrantsEnabled: boolean;
        serviceAccountsEnabled: boolean;
        publicClient: boolean;
      }>
    >('/clients?clientId=edu-identity');
    expect(client).toMatchObject({
      standardFlowEnabled: false,
      directAccessGrantsEnabled: false,
      serviceAccountsEnabled: true,
      publicClient: false,
    });
    const serviceAccount = await adminJson<{ id: string }>(`/clients/${client.id}/service-account-user`);
    const [realmManagement = { id: '' }] = await adminJson<Array<{ id: string }>>(
      '/clients?clientId=realm-management',
    );
    const roles = await adminJson<Array<{ name: string }>>(
      `/users/${serviceAccount.id}/role-mappings/clients/${realmManagement.id}`,
    );
    expect(roles.map((r) => r.name).sort()).toEqual([
      'manage-users',
      'query-users',
      'view-events',
      'view-users',
    ]);
  });

  it('has the dev users (dev only): enabled, with e-mail and names, no pending actions; the new ones log in by password', async () => {
    const devUsers = [
      ['dev-operator', 'Dev-Operator-1'],
      ['dev-school-admin', 'Dev-SchoolAdmin-1'],
      ['dev-teacher', 'Dev-Teacher-1'],
      ['dev-guardian', 'Dev-Guardian-1'],
      ['dev-director', 'Dev-Director-1'],
      ['dev-deputy', 'Dev-Deputy-1'],
      ['dev-student', 'Dev-Student-1'],
    ] as const;
    for (const [username] of devUsers) {
      const [user] = await adminJson<Array<Record<string, unknown>>>(
        `/users?username=${username}&exact=true`,
      );
      expect(user).toMatchObject({
        username,
        enabled: true,
        email: `${username}@example.invalid`,
        requiredActions: [],
      });
      expect(user?.firstName).toEqual(expect.any(String));
      expect(user?.lastName).toEqual(expect.any(String));
    }
    // Logins of the older four are covered by other suites (which also try wrong passwords on
    // them, so a lockout from a parallel run could touch them); the new three are only used here.
    for (const [username, password] of devUsers.slice(4)) {
      const { access_token } = await passwordToken(username, password);
      expect(decodeJwt(access_token).preferred_username).toBe(username);
    }
  });
});
