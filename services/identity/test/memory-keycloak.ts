import type {
  KeycloakLoginEvent,
  KeycloakUser,
  KeycloakUsers,
  NewKeycloakUser,
} from '../src/domain/keycloak-port';

/** Keycloak's users in memory, for unit and component tests of the identity domain. */
export class MemoryKeycloakUsers implements KeycloakUsers {
  readonly users = new Map<
    string,
    KeycloakUser & { temporaryPassword: string; firstName: string; lastName: string }
  >();
  readonly events: KeycloakLoginEvent[] = [];
  private next = 1;

  createUser(user: NewKeycloakUser): Promise<string> {
    if ([...this.users.values()].some((u) => u.username === user.username)) {
      return Promise.reject(Object.assign(new Error('username taken'), { code: 'username_taken' }));
    }
    const id = `kc-${this.next++}`;
    this.users.set(id, {
      id,
      username: user.username,
      enabled: true,
      attributes: user.attributes ?? {},
      temporaryPassword: user.temporaryPassword,
      firstName: user.firstName,
      lastName: user.lastName,
    });
    return Promise.resolve(id);
  }

  /** A user created outside identity (a staff member's password account). */
  add(username: string, id = `kc-${this.next++}`): string {
    this.users.set(id, {
      id,
      username,
      enabled: true,
      attributes: {},
      temporaryPassword: '',
      firstName: '',
      lastName: '',
    });
    return id;
  }

  getUser(id: string): Promise<KeycloakUser | undefined> {
    return Promise.resolve(this.users.get(id));
  }

  findByUsername(username: string): Promise<KeycloakUser | undefined> {
    return Promise.resolve([...this.users.values()].find((u) => u.username === username));
  }

  setEnabled(id: string, enabled: boolean): Promise<void> {
    const user = this.users.get(id);
    if (!user) return Promise.reject(new Error(`no user ${id}`));
    user.enabled = enabled;
    return Promise.resolve();
  }

  deleteUser(id: string): Promise<void> {
    this.users.delete(id);
    return Promise.resolve();
  }

  loginEvents(sinceMs: number, max: number): Promise<KeycloakLoginEvent[]> {
    return Promise.resolve(
      this.events
        .filter((e) => e.time > sinceMs)
        .sort((a, b) => a.time - b.time)
        .slice(0, max),
    );
  }
}
