/**
 * Short-lived state of the bridge: pending authorizations (keyed by the ESIA state), issued
 * one-time codes and access tokens. Values are plain JSON so a shared store (Mongo, Redis) can
 * implement the port.
 */

/** A Keycloak authorization request waiting for ESIA's callback. */
export interface PendingAuthorization {
  kind: 'pending';
  clientId: string;
  /** Verified against the client's patterns. */
  redirectUri: string;
  /** Keycloak's state, returned as is. */
  state: string;
  nonce: string;
  scope: string;
  /** PKCE S256 challenge, '' when none. */
  codeChallenge: string;
}

/** The claims about a person the bridge gives Keycloak (id_token and userinfo). */
export interface PersonClaims {
  sub: string;
  esia_oid: string;
  snils: string;
  esia_trusted: boolean;
  esia_level: string;
  given_name: string;
  family_name: string;
  middle_name: string;
  birthdate: string;
  gender: string;
  name: string;
  preferred_username: string;
}

/** A one-time bridge code, bound to the client and redirect_uri it was issued for. */
export interface IssuedCode {
  kind: 'code';
  clientId: string;
  redirectUri: string;
  nonce: string;
  codeChallenge: string;
  /** Epoch seconds of the ESIA login. */
  authTime: number;
  claims: PersonClaims;
}

/** An access token for /userinfo. */
export interface IssuedAccessToken {
  kind: 'token';
  clientId: string;
  claims: PersonClaims;
}

export type BridgeRecord = PendingAuthorization | IssuedCode | IssuedAccessToken;

export interface BridgeSessions {
  put(key: string, record: BridgeRecord, ttlMs: number): Promise<void>;
  /** Returns and deletes in one step (a code or a pending state is used once). */
  take(key: string): Promise<BridgeRecord | undefined>;
  /** Returns without deleting. */
  get(key: string): Promise<BridgeRecord | undefined>;
}

/**
 * In-process store with TTLs. The bridge's state lives in ONE process: run a single bridge replica
 * (or route every request of a login to the same one with sticky sessions); several replicas need
 * a shared implementation of `BridgeSessions`.
 */
export class InMemoryBridgeSessions implements BridgeSessions {
  private readonly records = new Map<string, { record: BridgeRecord; expiresAt: number }>();
  private writes = 0;

  constructor(
    private readonly now: () => Date = () => new Date(),
    /** Refuses new records beyond this (a flood of unfinished logins must not eat the memory). */
    private readonly maxEntries = 100_000,
  ) {}

  async put(key: string, record: BridgeRecord, ttlMs: number): Promise<void> {
    if (++this.writes % 1000 === 0 || this.records.size >= this.maxEntries) this.sweep();
    if (this.records.size >= this.maxEntries) throw new Error('too many pending bridge records');
    this.records.set(key, { record: structuredClone(record), expiresAt: this.now().getTime() + ttlMs });
  }

  async take(key: string): Promise<BridgeRecord | undefined> {
    const record = await this.get(key);
    this.records.delete(key);
    return record;
  }

  async get(key: string): Promise<BridgeRecord | undefined> {
    const entry = this.records.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now().getTime()) {
      this.records.delete(key);
      return undefined;
    }
    return structuredClone(entry.record);
  }

  /** Number of live records (tests, metrics). */
  size(): number {
    this.sweep();
    return this.records.size;
  }

  private sweep(): void {
    const now = this.now().getTime();
    for (const [key, entry] of this.records) if (entry.expiresAt <= now) this.records.delete(key);
  }
}
