import type { Metrics } from '@edu/kit';

/**
 * An in-process cache of documents (`<collection>/<id>` → document, or null for a known miss),
 * least recently used out first: the unit store reads through it and writes through it when a
 * unit ends, so a read right after a unit sees its effect without asking the store. Callers get
 * copies. Only for a store one process writes (a second writer's changes are not seen here).
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

/** `metricPrefix` names the metrics: `<prefix>_cache_requests_total`, `<prefix>_cache_documents`. */
export function createReadCache(capacity: number, metrics?: Metrics, metricPrefix = 'store'): ReadCache {
  const entries = new Map<string, unknown>();
  const requests = metrics?.counter(
    `${metricPrefix}_cache_requests_total`,
    'Reads of the document cache by result: hit or miss',
    ['result'],
  );
  const documents = metrics?.gauge(`${metricPrefix}_cache_documents`, 'Documents in the read cache');
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
