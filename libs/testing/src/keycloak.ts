import { randomBytes } from 'node:crypto';
import { endpoints } from './endpoints';
import { uniqueName } from './unique-name';

/** Development users of the local realm (deploy/local/keycloak/realm-edu.json). Dev only. */
export const DEV_USERS = {
  operator: { username: 'dev-operator', password: 'Dev-Operator-1' },
  schoolAdmin: { username: 'dev-school-admin', password: 'Dev-SchoolAdmin-1' },
  teacher: { username: 'dev-teacher', password: 'Dev-Teacher-1' },
  guardian: { username: 'dev-guardian', password: 'Dev-Guardian-1' },
} as const;

/** The gateway's confidential client in the local realm. The secret is a development one. */
export const GATEWAY_CLIENT = { clientId: 'edu-gateway', secret: 'dev-only-edu-gateway-secret' } as const;

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: string;
  refresh_token?: string;
  id_token?: string;
}

async function token(form: Record<string, string>): Promise<TokenResponse> {
  const { issuer } = endpoints();
  const response = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as TokenResponse & { error?: string; error_description?: string };
  if (!response.ok)
    throw new Error(
      `token request refused: ${response.status} ${body.error} ${body.error_description ?? ''}`,
    );
  return body;
}

/** A user's token by the password grant (through the gateway client; local realm only). */
export function passwordToken(username: string, password: string): Promise<TokenResponse> {
  return token({
    grant_type: 'password',
    client_id: GATEWAY_CLIENT.clientId,
    client_secret: GATEWAY_CLIENT.secret,
    username,
    password,
    scope: 'openid',
  });
}

/** The gateway's own service-account token by the client-credentials grant. */
export function clientCredentialsToken(): Promise<TokenResponse> {
  return token({
    grant_type: 'client_credentials',
    client_id: GATEWAY_CLIENT.clientId,
    client_secret: GATEWAY_CLIENT.secret,
  });
}

// ------------------------------------------------------------------ test users (admin REST API)

/** A role in one school (`director`, `deputy`, `schoolAdmin`, `teacher`, `hr`, `secretary`). */
export interface TestSchoolRole {
  schoolId: string;
  role: string;
}

export interface TestUserOptions {
  /** The roster person the account is linked to; none when not given. */
  personId?: string;
  /** School roles, given to the account as explicit grants in identity. */
  schoolRoles?: TestSchoolRole[];
  /** Region-wide grants: `regionOperator`, `municipalOfficer` or `municipalOfficer:<id>`. */
  grants?: string[];
}

/**
 * Makes identity know a test user: links the account to the person and gives the grants, the way
 * a region operator provisions a staff account. Installed by whoever runs identity for the tests
 * (the e2e platform); unit tests of one service fake identity and need none.
 */
export type TestUserProvisioner = (
  user: { id: string; username: string },
  options: TestUserOptions,
) => Promise<void>;

let provisioner: TestUserProvisioner | undefined;

/** Installs (or, with undefined, removes) the identity provisioner createTestUser uses. */
export function setTestUserProvisioner(next: TestUserProvisioner | undefined): void {
  provisioner = next;
}

/** A real user of realm `edu`, made for one test; its username starts with `test-`. */
export interface TestUser {
  username: string;
  password: string;
  /** Keycloak's user id: the token's `sub`. */
  id: string;
  /** A fresh access token by the password grant (through the gateway client). */
  token(): Promise<string>;
}

// Admin credentials of the local Keycloak (master realm, admin-cli): development only, the same
// defaults deploy/local/infra.sh bootstraps the server with.
let adminToken: { value: string; expiresAt: number } | undefined;

async function keycloakAdminToken(): Promise<string> {
  if (adminToken && adminToken.expiresAt > Date.now()) return adminToken.value;
  const { keycloakUrl } = endpoints();
  const response = await fetch(`${keycloakUrl}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'admin-cli',
      username: process.env.EDU_KEYCLOAK_ADMIN ?? 'admin',
      password: process.env.EDU_KEYCLOAK_ADMIN_PASSWORD ?? 'dev-admin-password',
    }),
  });
  if (!response.ok)
    throw new Error(`Keycloak refused the admin login: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as TokenResponse;
  // Renewed 10 s before it expires (admin-cli tokens of the master realm live 60 s).
  adminToken = { value: body.access_token, expiresAt: Date.now() + (body.expires_in - 10) * 1000 };
  return adminToken.value;
}

/**
 * A call of the realm's admin REST API (`/admin/realms/edu/…`) as the local admin; throws with
 * Keycloak's answer unless it is 2xx.
 */
export async function keycloakAdmin(method: string, path: string, body?: unknown): Promise<Response> {
  const { keycloakUrl, realm } = endpoints();
  const response = await fetch(`${keycloakUrl}/admin/realms/${realm}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await keycloakAdminToken()}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) {
    throw new Error(`Keycloak admin ${method} ${path}: ${response.status} ${await response.text()}`);
  }
  return response;
}

// 10+ characters with upper, lower and a digit (the realm's password policy), random per user.
function testPassword(): string {
  return `Test-${randomBytes(9).toString('base64url')}-a1Z`;
}

/**
 * Creates a real user in realm `edu` through the admin REST API: enabled, email verified, no
 * required actions, a password that satisfies the realm policy. A person link, school roles and
 * grants are identity's: they go through the installed provisioner (a test asking for them without
 * one fails, rather than getting a user with fewer rights than it thinks). The jest global setup
 * deletes `test-` users earlier runs left; `deleteTestUser` removes one sooner.
 */
export async function createTestUser(options: TestUserOptions = {}): Promise<TestUser> {
  const username = uniqueName('user');
  const password = testPassword();
  const created = await keycloakAdmin('POST', '/users', {
    username,
    enabled: true,
    email: `${username}@example.invalid`,
    emailVerified: true,
    // The realm's user profile requires both names of a user: without them Keycloak refuses the
    // password grant ("Account is not fully set up").
    firstName: 'Тест',
    lastName: 'Тестовый',
    requiredActions: [],
    credentials: [{ type: 'password', value: password, temporary: false }],
  });
  const id = created.headers.get('location')?.split('/').pop();
  if (!id) throw new Error('Keycloak created the user but named no Location');
  const wantsIdentity =
    options.personId !== undefined || !!options.schoolRoles?.length || !!options.grants?.length;
  if (wantsIdentity) {
    if (!provisioner) {
      throw new Error(
        'createTestUser: a person link, roles or grants need identity (setTestUserProvisioner)',
      );
    }
    await provisioner({ id, username }, options);
  }
  return {
    username,
    password,
    id,
    token: async () => (await passwordToken(username, password)).access_token,
  };
}

/** Deletes a user `createTestUser` made (a user already gone is fine). */
export async function deleteTestUser(user: Pick<TestUser, 'id'>): Promise<void> {
  await keycloakAdmin('DELETE', `/users/${user.id}`).catch((error: Error) => {
    if (!/: 404 /.test(error.message)) throw error;
  });
}
