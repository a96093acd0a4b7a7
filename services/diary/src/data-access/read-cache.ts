import type { Metrics } from '@edu/kit';

/**
 * The in-process cache of model documents (`<collection>/<id>` → document, or null for a known
 * miss), least recently used out first. The projection writes through it when it commits, so a
 * read right after an event sees the event's effect without asking the store. Callers get copies.
 */
export interface ReadCache {
  /**
   * The cached document, else what `load` finds (cached unless a write of the key came while
   * loading: a load that started before a commit must not put back the older document).
   */
  read<T>(key: string, load: () => Promise<T | null>): Promise<T | null>;
  /**
   * The cached document itself, not a copy, without counting a hit or a miss (undefined when not
   * cached): for a caller that copies before changing it, as the projection's unit does.
   */
  peek(key: string): unknown;
  /** A committed document: cached as the newest. */
  write(key: string, doc: unknown): void;
  clear(): void;
  readonly size: number;
}

export function createReadCache(capacity: number, metrics?: Metrics): ReadCache {
  const entries = new Map<string, unknown>();
  const requests = metrics?.counter(
    'diary_cache_requests_total',
    'Model reads by cache result: hit or miss',
    ['result'],
  );
  const documents = metrics?.gauge('diary_cache_documents', 'Documents in the read cache');
  /** Loads in flight per key; a write removes the key's token so that the load does not cache. */
  const loading = new Map<string, object>();

  function put(key: string, doc: unknown): void {
    if (capacity === 0) return;
    entries.delete(key);
    entries.set(key, doc);
    if (entries.size > capacity) entries.delete(entries.keys().next().value!);
    documents?.set(entries.size);
  }

  return {
    async read<T>(key: string, load: () => Promise<T | null>): Promise<T | null> {
      if (entries.has(key)) {
        const doc = entries.get(key) as T | null;
        // Most recently used last: Map keeps insertion order.
        entries.delete(key);
        entries.set(key, doc);
        requests?.inc({ result: 'hit' });
        return doc === null ? null : structuredClone(doc);
      }
      requests?.inc({ result: 'miss' });
      const token = {};
      loading.set(key, token);
      const doc = await load();
      if (loading.get(key) === token) {
        loading.delete(key);
        put(key, doc === null ? null : structuredClone(doc));
      }
      return doc;
    },
    peek(key) {
      return entries.has(key) ? entries.get(key) : undefined;
    },
    write(key, doc) {
      loading.delete(key);
      put(key, doc);
    },
    clear() {
      entries.clear();
      loading.clear();
      documents?.set(0);
    },
    get size() {
      return entries.size;
    },
  };
}
