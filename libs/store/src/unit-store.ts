import { randomUUID } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';

// Documents replaced whole by `_id` (the only index FerretDB 1.24 uses), changed in units of work:
// a unit reads what it needs, changes it in memory and its writes are stored together when it
// ends. Built for read models and copies kept from events (and what a request changes next to
// them): on FerretDB 1.24 over SQLite every statement costs about a scan of its collection, `_id`
// lookups too, so a unit's reads are batched (`$in`), new documents inserted at once and many
// replacements journaled and swapped in two statements per collection.

type AnyDoc = { _id: string };

/** The collections of a store and their documents: `{ weeks: WeekDoc; … }`. */
export type UnitDocs<D> = { [K in keyof D]: AnyDoc };

/** A unit of work: `get` sees the unit's own `put`s; puts are written when the unit ends. */
export interface UnitTx<D extends UnitDocs<D>> {
  get<K extends keyof D & string>(collection: K, id: string): Promise<D[K] | null>;
  /** Replaces (or creates) the document; written when the unit ends. */
  put<K extends keyof D & string>(collection: K, doc: D[K]): void;
}

/**
 * An in-process cache the store reads through and writes through (keys `<prefix><collection>/<id>`).
 * `peek` hands the cached document itself (the unit copies before changing it).
 */
export interface UnitCache {
  read<T>(key: string, load: () => Promise<T | null>): Promise<T | null>;
  peek(key: string): unknown;
  write(key: string, doc: unknown): void;
}

export interface UnitStoreOptions<D extends UnitDocs<D>> {
  connection: Connection;
  collections: readonly (keyof D & string)[];
  /** The store collection of a document collection, and of the journal (`pending`). */
  collectionName: (name: (keyof D & string) | 'pending') => string;
  /** The cache while there is one to keep current (undefined: none). */
  cache?: () => UnitCache | undefined;
  /** Distinguishes this store's keys in a shared cache. */
  cacheKeyPrefix?: string;
  /** Collections never cached (written once and read by others, e.g. an outbox). */
  uncached?: readonly (keyof D & string)[];
}

export interface UnitStore<D extends UnitDocs<D>> {
  get<K extends keyof D & string>(collection: K, id: string): Promise<D[K] | null>;
  /** Documents by id, in the order asked; unknown ids are left out. */
  getMany<K extends keyof D & string>(collection: K, ids: string[]): Promise<D[K][]>;
  /**
   * Runs `work` as one unit and writes what it changed; the result of its last pass. The documents
   * it reads are fetched in batches: `work` runs against what is loaded, noting the ids it missed;
   * those are fetched with one query per collection, and again until nothing is missing; the first
   * pass that missed nothing is the result. So `work` may run more than once: it must decide from
   * what it reads and its input only. Units of one store run one at a time.
   */
  unit<T>(work: (tx: UnitTx<D>) => Promise<T>): Promise<T>;
  /** `unit` for a projection: how many documents were written. */
  apply(project: (tx: UnitTx<D>) => Promise<unknown>): Promise<number>;
  /** Every document of a collection (comparisons, diagnostics, start-up scans; not per request). */
  all<K extends keyof D & string>(collection: K): Promise<D[K][]>;
  /** Finishes batch writes a crash interrupted; how many batches. Call before any unit. */
  recover(): Promise<number>;
  /** Drops the store's collections. */
  drop(): Promise<void>;
}

/** A document to write, and whether an older version of it is stored. */
interface Write {
  name: string;
  doc: AnyDoc;
  existed: boolean;
}

/** A journaled new version of a document, until its batch is written. */
interface PendingDoc {
  _id: string;
  batch: string;
  collection: string;
  doc: AnyDoc;
}

/** Replacements per round trip batch when few documents change. */
const WRITE_CONCURRENCY = 4;
/** From this many changed documents in one unit, they are replaced in a journaled batch. */
const JOURNAL_FROM = 4;
/** Rounds of batched reads before a unit gives up (work that keeps asking for more). */
const MAX_FETCH_ROUNDS = 8;
/** Ids per `$in` query. */
const FETCH_CHUNK = 500;
const DUPLICATE_KEY = 11000;

function groupByCollection(writes: Write[]): Map<string, AnyDoc[]> {
  const groups = new Map<string, AnyDoc[]>();
  for (const { name, doc } of writes) groups.set(name, [...(groups.get(name) ?? []), doc]);
  return groups;
}

const splitKey = (k: string): [string, string] => {
  const slash = k.indexOf('/');
  return [k.slice(0, slash), k.slice(slash + 1)];
};

export function createUnitStore<D extends UnitDocs<D>>(options: UnitStoreOptions<D>): UnitStore<D> {
  const { connection, collectionName } = options;
  const cached = options.cache ?? (() => undefined);
  const uncached = new Set<string>(options.uncached ?? []);
  /** The cache for a collection's documents (none for the uncached ones). */
  const cacheFor = (name: string) => (uncached.has(name) ? undefined : cached());
  const prefix = options.cacheKeyPrefix ?? '';
  const collections = new Map<string, Collection<AnyDoc>>();
  const collection = (name: string): Collection<AnyDoc> => {
    let c = collections.get(name);
    if (!c) collections.set(name, (c = connection.collection<AnyDoc>(collectionName(name as never))));
    return c;
  };
  const pending = () => connection.collection<PendingDoc>(collectionName('pending'));
  /** Unit keys are `<collection>/<id>`; cache keys carry the prefix too. */
  const unitKey = (name: string, id: string) => `${name}/${id}`;
  const cacheKey = (k: string) => `${prefix}${k}`;
  /** The tail of the units' queue: units of one store run one at a time. */
  let queue: Promise<unknown> = Promise.resolve();

  async function load(name: string, id: string): Promise<AnyDoc | null> {
    const find = () => collection(name).findOne({ _id: id });
    const cache = cacheFor(name);
    return cache ? cache.read(cacheKey(unitKey(name, id)), find) : find();
  }

  /** Loads the keys into `loaded`: from the cache when there, else one `$in` query per collection. */
  async function fetchInto(keys: string[], loaded: Map<string, AnyDoc | null>): Promise<void> {
    const byCollection = new Map<string, string[]>();
    for (const k of keys) {
      const [name, id] = splitKey(k);
      const hit = cacheFor(name)?.peek(cacheKey(k));
      if (hit !== undefined) {
        loaded.set(k, hit as AnyDoc | null);
        continue;
      }
      byCollection.set(name, [...(byCollection.get(name) ?? []), id]);
    }
    for (const [name, ids] of byCollection) {
      for (const id of ids) loaded.set(unitKey(name, id), null);
      for (let i = 0; i < ids.length; i += FETCH_CHUNK) {
        const docs = await collection(name)
          .find({ _id: { $in: ids.slice(i, i + FETCH_CHUNK) } })
          .toArray();
        for (const doc of docs) loaded.set(unitKey(name, doc._id), doc);
      }
    }
  }

  /** A unit over `loaded`: reads what is there (noting what is not), keeps its puts. */
  function unitOver(loaded: Map<string, AnyDoc | null>, missing: Set<string>) {
    const put = new Map<string, { name: string; doc: AnyDoc }>();
    const tx: UnitTx<D> = {
      get(name, id) {
        const k = unitKey(name, id);
        const mine = put.get(k);
        if (mine) return Promise.resolve(mine.doc as never);
        if (!loaded.has(k)) {
          missing.add(k);
          return Promise.resolve(null);
        }
        const doc = loaded.get(k);
        return Promise.resolve((doc ? structuredClone(doc) : null) as never);
      },
      put(name, doc) {
        put.set(unitKey(name, doc._id), { name, doc });
      },
    };
    return { tx, put };
  }

  /** New documents in one insert per collection, changed ones replaced one by one. */
  async function replaceOneByOne(writes: Write[]): Promise<void> {
    for (const [name, docs] of groupByCollection(writes.filter((w) => !w.existed))) {
      try {
        await collection(name).insertMany(docs, { ordered: false });
      } catch (error) {
        // Written by an earlier attempt that failed later: replace those instead.
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
        for (const doc of docs) await collection(name).replaceOne({ _id: doc._id }, doc, { upsert: true });
      }
    }
    const replaced = writes.filter((w) => w.existed);
    for (let i = 0; i < replaced.length; i += WRITE_CONCURRENCY) {
      await Promise.all(
        replaced
          .slice(i, i + WRITE_CONCURRENCY)
          .map(({ name, doc }) => collection(name).replaceOne({ _id: doc._id }, doc, { upsert: true })),
      );
    }
  }

  /** Per collection: the old versions deleted by `$in`, every new one inserted (two statements). */
  async function swapDocuments(writes: Write[]): Promise<void> {
    for (const [name, docs] of groupByCollection(writes)) {
      await collection(name).deleteMany({ _id: { $in: docs.map((d) => d._id) } });
      await collection(name).insertMany(docs, { ordered: false });
    }
  }

  /**
   * Many changed documents at once. Each replacement would cost a scan of its collection on
   * FerretDB over SQLite; instead the new versions are journaled first (one insert), then each
   * collection's old versions are deleted and the new ones inserted, then the journal entry goes.
   * A crash in between is finished by `recover()` at start, so no document is ever lost.
   */
  async function replaceInBatch(writes: Write[]): Promise<void> {
    const batch = randomUUID();
    await pending().insertMany(
      writes.map(({ name, doc }, i) => ({ _id: `${batch}:${i}`, batch, collection: name, doc })),
    );
    await swapDocuments(writes);
    await pending().deleteMany({ batch });
  }

  async function runUnit<T>(work: (tx: UnitTx<D>) => Promise<T>): Promise<{ result: T; written: number }> {
    const loaded = new Map<string, AnyDoc | null>();
    let pass: { result: T; put: Map<string, { name: string; doc: AnyDoc }> };
    for (let round = 1; ; round += 1) {
      const missing = new Set<string>();
      const unit = unitOver(loaded, missing);
      const result = await work(unit.tx);
      // A pass that missed nothing saw every document it read: its writes are the result.
      if (missing.size === 0) {
        pass = { result, put: unit.put };
        break;
      }
      if (round === MAX_FETCH_ROUNDS) throw new Error(`the unit still misses ${missing.size} documents`);
      await fetchInto([...missing], loaded);
    }
    const writes = [...pass.put].map(([k, { name, doc }]) => ({
      name,
      doc,
      existed: loaded.get(k) !== null,
    }));
    // This instance's readers see the new documents from now on, whatever the store is doing.
    for (const [k, { name, doc }] of pass.put) cacheFor(name)?.write(cacheKey(k), doc);
    if (writes.filter((w) => w.existed).length >= JOURNAL_FROM) await replaceInBatch(writes);
    else await replaceOneByOne(writes);
    return { result: pass.result, written: pass.put.size };
  }

  /** Runs units one at a time, in the order asked; a failed unit does not stop the next. */
  function serialized<T>(run: () => Promise<T>): Promise<T> {
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  }

  return {
    get: (name, id) => load(name, id) as never,

    async getMany(name, ids) {
      const docs = await Promise.all([...new Set(ids)].map((id) => load(name, id)));
      return docs.filter((doc) => doc !== null) as never;
    },

    unit: (work) => serialized(async () => (await runUnit(work)).result),

    apply: (project) => serialized(async () => (await runUnit(project)).written),

    async recover() {
      const entries = await pending().find({}).toArray();
      const batches = new Map<string, Write[]>();
      for (const entry of entries) {
        batches.set(entry.batch, [
          ...(batches.get(entry.batch) ?? []),
          { name: entry.collection, doc: entry.doc, existed: true },
        ]);
      }
      for (const [batch, writes] of batches) {
        await swapDocuments(writes);
        await pending().deleteMany({ batch });
      }
      return batches.size;
    },

    async all(name) {
      return (await collection(name).find({}).sort({ _id: 1 }).toArray()) as never;
    },

    async drop() {
      const existing = new Set(
        (await connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name),
      );
      for (const name of [...options.collections, 'pending' as const]) {
        const full = collectionName(name);
        if (existing.has(full)) await connection.db!.dropCollection(full);
      }
    },
  };
}
