import {
  createTestUser,
  deleteTestUser,
  endpoints,
  GATEWAY_CLIENT,
  keycloakAdmin,
  passwordToken,
  uniqueName,
  waitFor,
  type TestUser,
} from '@edu/testing';
import { KeycloakAdminUsers } from '../../src/adapters/keycloak-admin';

// The Keycloak admin adapter against the real Keycloak (realm `edu` from
// deploy/local/keycloak/realm-edu.json) with the real `edu-identity` service account.
const IDENTITY_CLIENT = { clientId: 'edu-identity', clientSecret: 'dev-only-edu-identity-secret' };

const { keycloakUrl, realm, issuer } = endpoints();

/** A fetch that remembers the bearer tokens it sent and counts the token requests. */
function recordingFetch() {
  const seen = { bearerTokens: new Set<string>(), tokenRequests: 0 };
  const wrapped: typeof fetch = async (input, init) => {
    const url = String(input);
    if (url.endsWith('/protocol/openid-connect/token')) seen.tokenRequests += 1;
    const auth = new Headers(init?.headers).get('authorization');
    if (auth?.startsWith('Bearer ')) seen.bearerTokens.add(auth.slice('Bearer '.length));
    return fetch(input, init);
  };
  return { fetch: wrapped, seen };
}

function adapter(options: { fetch?: typeof fetch; clientSecret?: string } = {}) {
  return new KeycloakAdminUsers({
    keycloakUrl,
    realm,
    clientId: IDENTITY_CLIENT.clientId,
    clientSecret: options.clientSecret ?? IDENTITY_CLIENT.clientSecret,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** The token endpoint's raw answer (status and JSON body), for refusals. */
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

describe('KeycloakAdminUsers (real Keycloak, edu-identity service account)', () => {
  const users = adapter();
  const created: string[] = [];
  const testUsers: TestUser[] = [];

  afterAll(async () => {
    for (const id of created) await users.deleteUser(id).catch(() => undefined);
    for (const user of testUsers) await deleteTestUser(user);
  });

  it('when a user is created with a one-time password, then it cannot log in until it sets its own, and the adapter finds, disables and deletes it', async () => {
    const username = uniqueName('tmp-login');
    const temporaryPassword = `Tmp-${Date.now().toString(36)}-Aa1`;
    const id = await users.createUser({
      username,
      firstName: 'Пётр',
      lastName: 'Иванов',
      temporaryPassword,
      attributes: { edu_temporary_login: ['tl-1'] },
    });
    created.push(id);

    const fetched = await users.getUser(id);
    expect(fetched).toEqual({ id, username, enabled: true, attributes: { edu_temporary_login: ['tl-1'] } });
    expect(await users.findByUsername(username)).toEqual(fetched);
    // exact match only: a prefix of the username finds nobody
    expect(await users.findByUsername(username.slice(0, -2))).toBeUndefined();

    const raw = (await (await keycloakAdmin('GET', `/users/${id}`)).json()) as {
      requiredActions: string[];
      firstName: string;
      lastName: string;
    };
    expect(raw.requiredActions).toEqual(['UPDATE_PASSWORD']);
    expect([raw.firstName, raw.lastName]).toEqual(['Пётр', 'Иванов']);

    // The password is right, but the required action stops a non-interactive login.
    const refused = await passwordGrant(username, temporaryPassword);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      error: 'invalid_grant',
      error_description: 'Account is not fully set up',
    });

    await users.setEnabled(id, false);
    const disabled = await users.getUser(id);
    expect(disabled?.enabled).toBe(false);
    // a partial update: the attributes stay
    expect(disabled?.attributes).toEqual({ edu_temporary_login: ['tl-1'] });

    await users.setEnabled(id, true);
    expect((await users.getUser(id))?.enabled).toBe(true);

    await users.deleteUser(id);
    expect(await users.getUser(id)).toBeUndefined();
    expect(await users.findByUsername(username)).toBeUndefined();
    // deleting again is not an error
    await expect(users.deleteUser(id)).resolves.toBeUndefined();
  });

  it('when the username is taken, then createUser fails with code username_taken', async () => {
    const username = uniqueName('taken');
    const id = await users.createUser({
      username,
      firstName: 'А',
      lastName: 'Б',
      temporaryPassword: 'Tmp-Password-1',
    });
    created.push(id);

    await expect(
      users.createUser({ username, firstName: 'В', lastName: 'Г', temporaryPassword: 'Tmp-Password-2' }),
    ).rejects.toMatchObject({ code: 'username_taken' });
  });

  it('when a user is disabled, then its password login is refused and its existing session ends', async () => {
    const user = await createTestUser();
    testUsers.push(user);
    const before = await passwordToken(user.username, user.password);
    expect(before.refresh_token).toBeDefined();

    await users.setEnabled(user.id, false);

    const refused = await passwordGrant(user.username, user.password);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_grant');
    // the session of the earlier login is gone: its refresh token no longer works
    const refresh = await tokenCall({
      grant_type: 'refresh_token',
      client_id: GATEWAY_CLIENT.clientId,
      client_secret: GATEWAY_CLIENT.secret,
      refresh_token: before.refresh_token!,
    });
    expect(refresh.status).toBe(400);
    expect(refresh.body.error).toBe('invalid_grant');

    await users.setEnabled(user.id, true);
    await expect(passwordToken(user.username, user.password)).resolves.toHaveProperty('access_token');
  });

  it('when a login fails and then succeeds, then loginEvents lists LOGIN_ERROR then LOGIN for the user, oldest first, after the given time', async () => {
    const user = await createTestUser();
    testUsers.push(user);
    const since = Date.now() - 1;

    const wrong = await passwordGrant(user.username, 'Wrong-Password-1');
    expect(wrong.body.error).toBe('invalid_grant');
    await passwordToken(user.username, user.password);

    const mine = await waitFor(
      async () => {
        const events = (await users.loginEvents(since, 500)).filter((e) => e.userId === user.id);
        return events.length >= 2 ? events : undefined;
      },
      { what: 'the login events of the test user', timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(mine.map((e) => e.type)).toEqual(['LOGIN_ERROR', 'LOGIN']);
    expect(mine[0]!).toMatchObject({
      type: 'LOGIN_ERROR',
      userId: user.id,
      error: 'invalid_user_credentials',
      clientId: 'edu-gateway',
      identityProvider: '',
    });
    expect(mine[0]!.ipAddress).toMatch(/127\.0\.0\.1|::1/);
    expect(mine[1]!).toMatchObject({ type: 'LOGIN', userId: user.id, error: '', clientId: 'edu-gateway' });
    for (const event of mine) {
      expect(event.id).toMatch(/\S{8,}/);
      expect(event.time).toBeGreaterThan(since);
    }
    expect(mine[0]!.time).toBeLessThanOrEqual(mine[1]!.time);
    expect(mine[0]!.id).not.toBe(mine[1]!.id);

    // `sinceMs` is exclusive: from the error's time on, only the later login is left
    const after = (await users.loginEvents(mine[0]!.time, 500)).filter((e) => e.userId === user.id);
    expect(after.map((e) => e.type)).toEqual(['LOGIN']);
    // and everything the adapter returns is a login or a failed login
    const all = await users.loginEvents(since, 500);
    expect(new Set(all.map((e) => e.type))).toEqual(new Set(['LOGIN', 'LOGIN_ERROR']));
    expect(all.map((e) => e.time)).toEqual([...all.map((e) => e.time)].sort((a, b) => a - b));
  });

  it('when max is smaller than the number of events, then the oldest ones come first', async () => {
    const user = await createTestUser();
    testUsers.push(user);
    const since = Date.now() - 1;
    await passwordToken(user.username, user.password);
    await passwordToken(user.username, user.password);
    await passwordToken(user.username, user.password);

    const all = await waitFor(
      async () => {
        const events = await users.loginEvents(since, 500);
        return events.filter((e) => e.userId === user.id).length >= 3 ? events : undefined;
      },
      { what: 'three logins', intervalMs: 200 },
    );
    const first = await users.loginEvents(since, 1);
    expect(first).toHaveLength(1);
    expect(first[0]).toEqual(all[0]);
    expect(all[0]).toBeDefined();
  });

  it('when the adapter makes several calls, then it asks for one service-account token and never names it in an error', async () => {
    const { fetch: recording, seen } = recordingFetch();
    const counted = adapter({ fetch: recording });

    expect(await counted.findByUsername(uniqueName('nobody'))).toBeUndefined();
    expect(await counted.getUser('00000000-0000-0000-0000-000000000000')).toBeUndefined();
    await counted.loginEvents(Date.now() - 1000, 1);
    expect(seen.tokenRequests).toBe(1);
    expect(seen.bearerTokens.size).toBe(1);

    // a user the realm refuses (a username shorter than the user profile allows) → 400
    const error = (await counted
      .createUser({ username: 'ab', firstName: 'А', lastName: 'Б', temporaryPassword: 'Tmp-Password-1' })
      .then(
        () => undefined,
        (e: unknown) => e,
      )) as Error | undefined;
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(/POST \/users: 400/);
    const [token = ''] = [...seen.bearerTokens];
    expect(token.length).toBeGreaterThan(100);
    expect(error!.message).not.toContain(token);
    expect(error!.message).not.toContain(token.slice(0, 40));
  });

  it('when the client secret is wrong, then the calls fail naming the refusal, not the secret', async () => {
    const wrongSecret = 'not-the-edu-identity-secret';
    const wrong = adapter({ clientSecret: wrongSecret });
    const error = (await wrong.getUser('00000000-0000-0000-0000-000000000000').then(
      () => undefined,
      (e: unknown) => e,
    )) as Error | undefined;
    expect(error?.message).toMatch(/edu-identity.*401/);
    expect(error?.message).not.toContain(wrongSecret);
  });
});

describe('the edu-identity service account is limited to users and events', () => {
  let token: string;

  beforeAll(async () => {
    const answer = await tokenCall({
      grant_type: 'client_credentials',
      client_id: IDENTITY_CLIENT.clientId,
      client_secret: IDENTITY_CLIENT.clientSecret,
    });
    expect(answer.status).toBe(200);
    token = answer.body.access_token ?? '';
  });

  const asIdentity = (method: string, path: string, body?: unknown) =>
    fetch(`${keycloakUrl}/admin/realms/${realm}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('when it reads users and login events, then Keycloak allows it', async () => {
    expect((await asIdentity('GET', '/users?max=1')).status).toBe(200);
    expect((await asIdentity('GET', '/events?max=1')).status).toBe(200);
  });

  it('when it reads the clients, then Keycloak refuses (403)', async () => {
    expect((await asIdentity('GET', '/clients')).status).toBe(403);
  });

  it('when it creates a realm role, then Keycloak refuses (403) and no role appears', async () => {
    const name = uniqueName('role');
    expect((await asIdentity('POST', '/roles', { name })).status).toBe(403);
    await expect(keycloakAdmin('GET', `/roles/${name}`)).rejects.toThrow(/: 404 /);
  });

  it('when it changes the realm or reads the identity providers, then Keycloak refuses (403)', async () => {
    // the realm's own value: harmless even if Keycloak wrongly accepted it
    expect((await asIdentity('PUT', '', { failureFactor: 10 })).status).toBe(403);
    expect((await asIdentity('GET', '/identity-provider/instances')).status).toBe(403);
    expect((await asIdentity('GET', '/authentication/flows')).status).toBe(403);
  });

  it('when it asks for a user token by password, then the client refuses (no direct grants)', async () => {
    const answer = await tokenCall({
      grant_type: 'password',
      client_id: IDENTITY_CLIENT.clientId,
      client_secret: IDENTITY_CLIENT.clientSecret,
      username: 'dev-teacher',
      password: 'Dev-Teacher-1',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('unauthorized_client');
  });
});
