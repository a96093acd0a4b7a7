import type { Actor, Caller } from './actor';

/** Resolves a caller to an actor (identity's ResolveActor). */
export type ResolveActor = (caller: Caller) => Promise<Actor>;

export interface ActorCacheOptions {
  /** How long a resolved actor is used without asking identity again. */
  ttlMs: number;
  /** Most actors kept; the least recently used go first. */
  maxEntries: number;
  now?: () => number;
}

export interface ActorCache {
  resolve: ResolveActor;
  /** Drops one account's actor (identity said it changed). */
  invalidate(accountId: string): void;
  /** Drops everything (the invalidation stream was interrupted). */
  clear(): void;
  size(): number;
}

/**
 * The actor of each account, cached briefly: identity is asked once per account per `ttlMs`,
 * not on every request, and identity's events drop an entry as soon as the account changes (a
 * grant revoked, a link ended), so the TTL only bounds how stale a missed event can leave it.
 * Concurrent first requests of one account share one call; a failed call is not cached.
 */
export function createActorCache(resolve: ResolveActor, options: ActorCacheOptions): ActorCache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { actor: Promise<Actor>; expiresAt: number }>();

  const keyOf = (caller: Caller) => caller.keycloakSub;

  return {
    async resolve(caller) {
      const key = keyOf(caller);
      const cached = entries.get(key);
      if (cached && cached.expiresAt > now()) {
        // Re-inserted: a Map keeps insertion order, so the first key is the least recently used.
        entries.delete(key);
        entries.set(key, cached);
        return cached.actor;
      }
      const entry = { actor: resolve(caller), expiresAt: now() + options.ttlMs };
      entries.delete(key);
      entries.set(key, entry);
      while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
      try {
        return await entry.actor;
      } catch (error) {
        if (entries.get(key) === entry) entries.delete(key);
        throw error;
      }
    },
    invalidate(accountId) {
      entries.delete(accountId);
    },
    clear() {
      entries.clear();
    },
    size: () => entries.size,
  };
}
