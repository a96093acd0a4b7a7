import { createHash } from 'node:crypto';
import type {
  KeycloakLoginEvent,
  KeycloakUser,
  KeycloakUsers,
  NewKeycloakUser,
} from '../domain/keycloak-port';

export interface KeycloakAdminOptions {
  /** Keycloak's base URL, e.g. http://127.0.0.1:8180 (no trailing /realms). */
  keycloakUrl: string;
  /** The realm the users live in (`edu`); the service account's client lives there too. */
  realm: string;
  /** The confidential client with the service account (`edu-identity`). */
  clientId: string;
  clientSecret: string;
  /** For tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

/** A service-account token is renewed this long before Keycloak says it expires. */
const TOKEN_RENEW_MARGIN_MS = 10_000;

/** A refusal or failure of Keycloak's admin API; names the call and the status, never the token. */
export class KeycloakAdminError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'KeycloakAdminError';
  }
}

interface UserRepresentation {
  id: string;
  username: string;
  enabled?: boolean;
  attributes?: Record<string, string[]>;
}

interface EventRepresentation {
  id?: string;
  time: number;
  type: string;
  clientId?: string;
  userId?: string;
  sessionId?: string;
  ipAddress?: string;
  error?: string;
  details?: Record<string, string>;
}

/**
 * Keycloak's admin REST API for realm `edu`, as the `edu-identity` service account: a token by
 * the client-credentials grant, cached until shortly before it expires. The account holds only
 * manage-users, view-users, query-users and view-events of `realm-management`.
 */
export class KeycloakAdminUsers implements KeycloakUsers {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private token: { value: string; renewAt: number } | undefined;
  private pendingToken: Promise<string> | undefined;

  constructor(private readonly options: KeycloakAdminOptions) {
    this.baseUrl = options.keycloakUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async createUser(user: NewKeycloakUser): Promise<string> {
    const response = await this.call(
      'POST',
      '/users',
      {
        username: user.username,
        enabled: true,
        firstName: user.firstName,
        lastName: user.lastName,
        requiredActions: ['UPDATE_PASSWORD'],
        credentials: [{ type: 'password', value: user.temporaryPassword, temporary: true }],
        attributes: user.attributes ?? {},
      },
      [409],
    );
    if (response.status === 409) {
      throw new KeycloakAdminError(`Keycloak: the username is taken (409)`, 409, 'username_taken');
    }
    const id = response.headers.get('location')?.split('/').pop();
    if (!id) throw new KeycloakAdminError('Keycloak created the user but named no Location', response.status);
    return id;
  }

  async getUser(id: string): Promise<KeycloakUser | undefined> {
    const response = await this.call('GET', `/users/${encodeURIComponent(id)}`, undefined, [404]);
    if (response.status === 404) return undefined;
    return toUser((await response.json()) as UserRepresentation);
  }

  async findByUsername(username: string): Promise<KeycloakUser | undefined> {
    const query = new URLSearchParams({ username, exact: 'true', briefRepresentation: 'false' });
    const response = await this.call('GET', `/users?${query}`);
    const users = (await response.json()) as UserRepresentation[];
    // exact=true already matches the whole username; Keycloak stores usernames in lower case.
    const found = users.find((u) => u.username === username.toLowerCase());
    return found ? toUser(found) : undefined;
  }

  async setEnabled(id: string, enabled: boolean): Promise<void> {
    const path = `/users/${encodeURIComponent(id)}`;
    // PUT with a partial representation: Keycloak updates only the fields given.
    await this.call('PUT', path, { enabled });
    if (!enabled) await this.call('POST', `${path}/logout`);
  }

  async deleteUser(id: string): Promise<void> {
    await this.call('DELETE', `/users/${encodeURIComponent(id)}`, undefined, [404]);
  }

  async loginEvents(sinceMs: number, max: number): Promise<KeycloakLoginEvent[]> {
    const query = new URLSearchParams([
      ['type', 'LOGIN'],
      ['type', 'LOGIN_ERROR'],
      // Epoch milliseconds, inclusive: +1 keeps exactly the events after `sinceMs`. Oldest first,
      // so that `max` cuts off the newest ones (a later call with the last time gets them).
      ['dateFrom', String(Math.max(0, Math.floor(sinceMs) + 1))],
      ['direction', 'asc'],
      ['first', '0'],
      ['max', String(max)],
    ]);
    const response = await this.call('GET', `/events?${query}`);
    const events = (await response.json()) as EventRepresentation[];
    return events
      .filter((e) => (e.type === 'LOGIN' || e.type === 'LOGIN_ERROR') && e.time > sinceMs)
      .map(toLoginEvent)
      .sort((a, b) => a.time - b.time)
      .slice(0, max);
  }

  /**
   * One admin API call; a status outside 2xx and `accepted` is an error. A 401 (a token revoked
   * or expired early) drops the cached token and retries once with a new one.
   */
  private async call(
    method: string,
    path: string,
    body?: unknown,
    accepted: number[] = [],
    retried = false,
  ): Promise<Response> {
    const url = `${this.baseUrl}/admin/realms/${encodeURIComponent(this.options.realm)}${path}`;
    const response = await this.fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${await this.accessToken()}`,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (response.ok || accepted.includes(response.status)) return response;
    if (response.status === 401 && !retried) {
      await response.body?.cancel();
      this.token = undefined;
      return this.call(method, path, body, accepted, true);
    }
    const detail = await errorDetail(response);
    throw new KeycloakAdminError(
      `Keycloak admin ${method} ${pathForMessage(path)}: ${response.status}${detail ? ` ${detail}` : ''}`,
      response.status,
    );
  }

  private async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.renewAt) return this.token.value;
    // Concurrent calls share one token request.
    this.pendingToken ??= this.requestToken().finally(() => {
      this.pendingToken = undefined;
    });
    return this.pendingToken;
  }

  private async requestToken(): Promise<string> {
    const { realm, clientId, clientSecret } = this.options;
    const response = await this.fetch(
      `${this.baseUrl}/realms/${encodeURIComponent(realm)}/protocol/openid-connect/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        }),
      },
    );
    if (!response.ok) {
      const detail = await errorDetail(response);
      throw new KeycloakAdminError(
        `Keycloak refused the ${clientId} service account token: ${response.status}${detail ? ` ${detail}` : ''}`,
        response.status,
      );
    }
    const body = (await response.json()) as { access_token?: string; expires_in?: number };
    if (!body.access_token)
      throw new KeycloakAdminError('Keycloak answered the token request without a token', response.status);
    const lifetimeMs = (body.expires_in ?? 60) * 1000;
    this.token = { value: body.access_token, renewAt: Date.now() + lifetimeMs - TOKEN_RENEW_MARGIN_MS };
    return body.access_token;
  }
}

function toUser(u: UserRepresentation): KeycloakUser {
  return { id: u.id, username: u.username, enabled: u.enabled === true, attributes: u.attributes ?? {} };
}

function toLoginEvent(e: EventRepresentation): KeycloakLoginEvent {
  const type = e.type as KeycloakLoginEvent['type'];
  const userId = e.userId ?? '';
  const ipAddress = e.ipAddress ?? '';
  return {
    id:
      e.id ||
      createHash('sha256')
        .update([e.time, e.type, userId, ipAddress, e.sessionId ?? ''].join('\u0000'))
        .digest('hex'),
    type,
    time: e.time,
    userId,
    ipAddress,
    error: e.error ?? '',
    identityProvider: e.details?.identity_provider ?? '',
    clientId: e.clientId ?? '',
  };
}

/** The query string can carry a username: keep it out of error messages and logs. */
function pathForMessage(path: string): string {
  return path.split('?')[0] ?? path;
}

/** Keycloak's own error text (`error`, `errorMessage`, `error_description`), short; never a token. */
async function errorDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const parts = [body.error, body.errorMessage, body.error_description].filter(
      (p): p is string => typeof p === 'string' && p.length > 0,
    );
    return parts.join(': ').slice(0, 200);
  } catch {
    return '';
  }
}
