/**
 * The part of Keycloak's admin API identity uses (realm `edu`), through the `edu-identity`
 * service account (manage-users and view-events in realm `edu`, nothing else).
 */
export interface NewKeycloakUser {
  username: string;
  firstName: string;
  lastName: string;
  /** A one-time password: the user must set a new one at the first login (UPDATE_PASSWORD). */
  temporaryPassword: string;
  /** Attributes, e.g. `{ edu_temporary_login: ['<id>'] }`. */
  attributes?: Record<string, string[]>;
}

export interface KeycloakUser {
  id: string;
  username: string;
  enabled: boolean;
  attributes: Record<string, string[]>;
}

/** One login or failed login, from Keycloak's user events (types LOGIN and LOGIN_ERROR). */
export interface KeycloakLoginEvent {
  /** Keycloak's event id when it has one, else a stable hash of the fields below. */
  id: string;
  type: 'LOGIN' | 'LOGIN_ERROR';
  /** Epoch milliseconds. */
  time: number;
  /** The user's id; '' when the username matched nobody. */
  userId: string;
  ipAddress: string;
  /** e.g. "invalid_user_credentials", "user_temporarily_disabled", "user_not_found". */
  error: string;
  /** `identity_provider` detail ("esia" or a test alias) when the login came through an IdP. */
  identityProvider: string;
  /** The client the login was for (`edu-web`, `edu-gateway`). */
  clientId: string;
}

export interface KeycloakUsers {
  /** Creates a user; returns its id. A taken username is an error with code `username_taken`. */
  createUser(user: NewKeycloakUser): Promise<string>;
  getUser(id: string): Promise<KeycloakUser | undefined>;
  findByUsername(username: string): Promise<KeycloakUser | undefined>;
  /** Enables or disables a user; disabling also ends the user's sessions. */
  setEnabled(id: string, enabled: boolean): Promise<void>;
  deleteUser(id: string): Promise<void>;
  /** Login events after `sinceMs` (epoch ms), oldest first, at most `max`. */
  loginEvents(sinceMs: number, max: number): Promise<KeycloakLoginEvent[]>;
}
