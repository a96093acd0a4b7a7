import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  createTestUser,
  deleteTestUser,
  endpoints,
  keycloakAdmin,
  uniqueName,
  type TestUser,
} from '../../src';

// The interim source of the actor's person link and school roles (until the identity service
// exists): the admin-only user attributes edu_person_id / edu_school_roles of realm `edu`, mapped
// into the access tokens of edu-gateway and edu-web. Against the real Keycloak.
describe('Keycloak realm edu: person link and school roles in the access token (real process)', () => {
  const { issuer } = endpoints();
  const jwks = createRemoteJWKSet(new URL(`${issuer}/protocol/openid-connect/certs`));
  const verified = async (token: string) =>
    (await jwtVerify(token, jwks, { issuer, audience: 'edu-gateway', algorithms: ['RS256'] })).payload;
  const users: TestUser[] = [];
  const created = async (options: Parameters<typeof createTestUser>[0]) => {
    const user = await createTestUser(options);
    users.push(user);
    return user;
  };
  const attributesOf = async (user: TestUser) =>
    (
      (await (await keycloakAdmin('GET', `/users/${user.id}`)).json()) as {
        attributes?: Record<string, string[]>;
      }
    ).attributes ?? {};
  afterAll(() => Promise.all(users.map(deleteTestUser)));

  it('when a user has a person id and two school roles, then the access token carries exactly them', async () => {
    const user = await created({
      personId: 'person-7f3e1c52',
      schoolRoles: [
        { schoolId: 'school-4d2a', role: 'teacher' },
        { schoolId: 'school-9b01', role: 'deputy' },
      ],
    });

    const claims = await verified(await user.token());

    expect(claims.sub).toBe(user.id);
    expect(claims.preferred_username).toBe(user.username);
    expect(claims.edu_person_id).toBe('person-7f3e1c52');
    expect(Array.isArray(claims.edu_school_roles)).toBe(true);
    expect([...(claims.edu_school_roles as string[])].sort()).toEqual([
      'school-4d2a:teacher',
      'school-9b01:deputy',
    ]);
  });

  it('when a user has one school role, then edu_school_roles is still an array', async () => {
    const user = await created({ schoolRoles: [{ schoolId: 'school-1', role: 'director' }] });

    const claims = await verified(await user.token());

    expect(claims.edu_school_roles).toEqual(['school-1:director']);
    expect(claims).not.toHaveProperty('edu_person_id');
  });

  it('when a user has neither attribute, then the token has neither claim; realm roles asked for are granted', async () => {
    const user = await created({ realmRoles: ['municipal-officer'] });

    const claims = await verified(await user.token());

    expect(claims).not.toHaveProperty('edu_person_id');
    expect(claims).not.toHaveProperty('edu_school_roles');
    expect((claims.realm_access as { roles: string[] }).roles).toEqual(
      expect.arrayContaining(['municipal-officer', 'edu-user']),
    );
  });

  it('when Keycloak makes an access token for the web client, then it carries the claims too', async () => {
    const user = await created({
      personId: 'person-web',
      schoolRoles: [{ schoolId: 'school-1', role: 'hr' }],
    });
    const [web] = (await (await keycloakAdmin('GET', '/clients?clientId=edu-web')).json()) as {
      id: string;
    }[];

    // The admin console's "evaluate client scopes": the token edu-web would get, without a browser.
    const example = (await (
      await keycloakAdmin(
        'GET',
        `/clients/${web!.id}/evaluate-scopes/generate-example-access-token?scope=openid&userId=${user.id}`,
      )
    ).json()) as Record<string, unknown>;

    expect(example.azp).toBe('edu-web');
    expect(example.edu_person_id).toBe('person-web');
    expect(example.edu_school_roles).toEqual(['school-1:hr']);
  });

  it('when an administrator sets a school role of the wrong form, then Keycloak refuses it', async () => {
    const user = await created({ schoolRoles: [{ schoolId: 'school-1', role: 'teacher' }] });
    const representation = (await (await keycloakAdmin('GET', `/users/${user.id}`)).json()) as Record<
      string,
      unknown
    >;

    for (const bad of ['school-1:superuser', 'teacher', 'school 1:teacher']) {
      await expect(
        keycloakAdmin('PUT', `/users/${user.id}`, {
          ...representation,
          attributes: { edu_school_roles: ['school-1:teacher', bad] },
        }),
      ).rejects.toThrow(/: 400 .*edu_school_roles/);
    }
    expect((await attributesOf(user)).edu_school_roles).toEqual(['school-1:teacher']);
  });

  // The account REST API is what the account console calls. The realm's account-console client
  // gives users no token that API accepts, so a scratch client issues one the way a working console
  // would (audience `account`, the account client's roles): what stops the user is then the
  // realm's user profile alone, which is what this proves.
  describe("a user's own account API", () => {
    let client: { id: string; clientId: string; secret: string };

    beforeAll(async () => {
      const clientId = uniqueName('account-probe');
      const secret = `Secret-${Date.now()}-A1`;
      const response = await keycloakAdmin('POST', '/clients', {
        clientId,
        enabled: true,
        protocol: 'openid-connect',
        publicClient: false,
        secret,
        standardFlowEnabled: false,
        directAccessGrantsEnabled: true,
        serviceAccountsEnabled: false,
        fullScopeAllowed: true,
        defaultClientScopes: [],
        optionalClientScopes: [],
        protocolMappers: [
          {
            name: 'sub',
            protocol: 'openid-connect',
            protocolMapper: 'oidc-sub-mapper',
            config: { 'access.token.claim': 'true' },
          },
          {
            name: 'audience account',
            protocol: 'openid-connect',
            protocolMapper: 'oidc-audience-mapper',
            config: { 'included.client.audience': 'account', 'access.token.claim': 'true' },
          },
          {
            name: 'account roles',
            protocol: 'openid-connect',
            protocolMapper: 'oidc-usermodel-client-role-mapper',
            config: {
              'usermodel.clientRoleMapping.clientId': 'account',
              'claim.name': 'resource_access.${client_id}.roles',
              multivalued: 'true',
              'jsonType.label': 'String',
              'access.token.claim': 'true',
            },
          },
        ],
      });
      client = { id: response.headers.get('location')!.split('/').pop()!, clientId, secret };
    });
    afterAll(() => client && keycloakAdmin('DELETE', `/clients/${client.id}`));

    const accountToken = async (user: TestUser) => {
      const response = await fetch(`${issuer}/protocol/openid-connect/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: client.clientId,
          client_secret: client.secret,
          username: user.username,
          password: user.password,
        }),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { access_token: string }).access_token;
    };
    const account = (token: string, body?: unknown) =>
      fetch(`${issuer}/account/`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    const original = {
      edu_person_id: ['person-own'],
      edu_school_roles: ['school-1:teacher'],
    };

    it('when the user reads their profile, then the attributes are not shown to them', async () => {
      const user = await created({
        personId: 'person-own',
        schoolRoles: [{ schoolId: 'school-1', role: 'teacher' }],
      });

      const response = await account(await accountToken(user));

      expect(response.status).toBe(200);
      const profile = (await response.json()) as { username: string; attributes?: Record<string, unknown> };
      expect(profile.username).toBe(user.username);
      expect(profile.attributes ?? {}).not.toHaveProperty('edu_person_id');
      expect(profile.attributes ?? {}).not.toHaveProperty('edu_school_roles');
    });

    it('when the user gives themselves another school role and person, then Keycloak refuses and nothing changes', async () => {
      const user = await created({
        personId: 'person-own',
        schoolRoles: [{ schoolId: 'school-1', role: 'teacher' }],
      });
      const token = await accountToken(user);
      const profile = (await (await account(token)).json()) as Record<string, unknown>;

      const response = await account(token, {
        ...profile,
        attributes: {
          edu_school_roles: ['school-1:teacher', 'school-1:director', 'school-2:director'],
          edu_person_id: ['person-someone-else'],
        },
      });

      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('error-user-attribute-read-only');
      expect(await attributesOf(user)).toEqual(original);
      const claims = await verified(await user.token());
      expect(claims.edu_school_roles).toEqual(['school-1:teacher']);
      expect(claims.edu_person_id).toBe('person-own');
    });

    it('when the user edits what they may (their name), then it is saved and the attributes stay as they were', async () => {
      const user = await created({
        personId: 'person-own',
        schoolRoles: [{ schoolId: 'school-1', role: 'teacher' }],
      });
      const token = await accountToken(user);
      const profile = (await (await account(token)).json()) as Record<string, unknown>;

      const response = await account(token, { ...profile, firstName: 'Изменённое' });

      expect(response.status).toBe(204);
      const stored = (await (await keycloakAdmin('GET', `/users/${user.id}`)).json()) as {
        firstName: string;
        attributes: Record<string, string[]>;
      };
      expect(stored.firstName).toBe('Изменённое');
      expect(stored.attributes).toEqual(original);
    });
  });
});
