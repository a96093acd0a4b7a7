import { randomUUID } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import { MODEL_COLLECTIONS, type CollectionName, type ModelDocs } from '../domain/model';
import type { ModelReader, ModelTx } from '../domain/ports';
import type { ReadCache } from './read-cache';

// The read model in the store: one collection per document kind and generation (`g2_weeks`), so
// that a rebuild fills a fresh generation beside the one serving reads and swaps it in. Documents
// are plain objects replaced whole by `_id`, the only index FerretDB 1.24 uses.

/** Documents written per round trip batch; a run of events touches tens, rarely hundreds. */
const WRITE_CONCURRENCY = 4;

/** The collection name of a model collection in a generation. */
export function generationCollection(generation: number, name: CollectionName | 'pending'): string {
  return `g${generation}_${name}`;
}

/** One generation of the model in the store. */
export interface ModelStore extends ModelReader {
  readonly generation: number;
  /**
   * Runs `project` (the projection of some events) against the generation and writes what it
   * changed. The documents it reads are fetched in batches: `project` runs first against what is
   * loaded, noting the ids it missed; those are fetched with one query per collection, and again
   * until nothing is missing; the first pass that missed nothing is the result, and the changed documents are written — new
   * ones with one insert per collection. Returns how many documents were written.
   */
  apply(project: (tx: ModelTx) => Promise<unknown>): Promise<number>;
  /** Every document of a collection (comparisons, diagnostics; not for the request path). */
  all<K extends CollectionName>(collection: K): Promise<ModelDocs[K][]>;
  /** Finishes batch writes a crash interrupted; how many batches. Called before applying anything. */
  recover(): Promise<number>;
  /** Drops the generation's collections. */
  drop(): Promise<void>;
}

type AnyDoc = { _id: string };

/** A document to write, and whether an older version of it is stored. */
interface Write {
  name: CollectionName;
  doc: AnyDoc;
  existed: boolean;
}

/** A journaled new version of a document, until its batch is written (`g<N>_pending`). */
interface PendingDoc {
  _id: string;
  batch: string;
  collection: CollectionName;
  doc: AnyDoc;
}

/** From this many changed documents in one apply, they are replaced in a journaled batch. */
const JOURNAL_FROM = 4;

function groupByCollection(writes: Write[]): Map<CollectionName, AnyDoc[]> {
  const groups = new Map<CollectionName, AnyDoc[]>();
  for (const { name, doc } of writes) groups.set(name, [...(groups.get(name) ?? []), doc]);
  return groups;
}

/** Rounds of batched reads before `apply` gives up (a projection that keeps asking for more). */
const MAX_FETCH_ROUNDS = 8;
/** Ids per `$in` query. */
const FETCH_CHUNK = 500;

const splitKey = (k: string): [CollectionName, string] => {
  const slash = k.indexOf('/');
  return [k.slice(0, slash) as CollectionName, k.slice(slash + 1)];
};

/**
 * A generation of the model. With a cache, reads go through it and commits write through it:
 * the projection that applies an event is the one that refreshes what the next read sees.
 * On FerretDB 1.24 over SQLite every statement costs about a scan of its collection, `_id` lookups
 * too; hence the batched reads and inserts of `apply`.
 */
export function createModelStore(
  connection: Connection,
  generation: number,
  /** The cache while this generation serves reads; undefined while it is being rebuilt. */
  cacheNow: () => ReadCache | undefined = () => undefined,
): ModelStore {
  const collections = new Map<CollectionName, Collection<AnyDoc>>();
  const collection = (name: CollectionName): Collection<AnyDoc> => {
    let c = collections.get(name);
    if (!c)
      collections.set(name, (c = connection.collection<AnyDoc>(generationCollection(generation, name))));
    return c;
  };
  /** Unit keys are `<collection>/<id>`; cache keys carry the generation too. */
  const unitKey = (name: CollectionName, id: string) => `${name}/${id}`;
  const cacheKey = (k: string) => `g${generation}/${k}`;

  async function load<K extends CollectionName>(name: K, id: string): Promise<ModelDocs[K] | null> {
    const find = () => collection(name).findOne({ _id: id }) as Promise<ModelDocs[K] | null>;
    const cache = cacheNow();
    return cache ? cache.read(cacheKey(unitKey(name, id)), find) : find();
  }

  /** Loads the keys into `loaded`: from the cache when there, else one `$in` query per collection. */
  async function fetchInto(keys: string[], loaded: Map<string, AnyDoc | null>): Promise<void> {
    const cache = cacheNow();
    const byCollection = new Map<CollectionName, string[]>();
    for (const k of keys) {
      const cached = cache?.peek(cacheKey(k));
      if (cached !== undefined) {
        loaded.set(k, cached as AnyDoc | null);
        continue;
      }
      const [name, id] = splitKey(k);
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
    const put = new Map<string, { name: CollectionName; doc: AnyDoc }>();
    const tx: ModelTx = {
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

  const pending = () => connection.collection<PendingDoc>(generationCollection(generation, 'pending'));

  /** New documents in one insert per collection, changed ones replaced one by one. */
  async function replaceOneByOne(writes: Write[]): Promise<void> {
    for (const [name, docs] of groupByCollection(writes.filter((w) => !w.existed))) {
      try {
        await collection(name).insertMany(docs, { ordered: false });
      } catch (error) {
        // Written by an earlier attempt that failed later: replace those instead.
        if ((error as { code?: number }).code !== 11000) throw error;
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

  /** Finishes the batch writes a crash interrupted (before the generation is written again). */
  async function recover(): Promise<number> {
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
  }

  return {
    generation,

    get: load,

    async getMany(name, ids) {
      const docs = await Promise.all([...new Set(ids)].map((id) => load(name, id)));
      return docs.filter((doc) => doc !== null);
    },

    async apply(project) {
      const loaded = new Map<string, AnyDoc | null>();
      let put: Map<string, { name: CollectionName; doc: AnyDoc }>;
      for (let round = 1; ; round += 1) {
        const missing = new Set<string>();
        const unit = unitOver(loaded, missing);
        await project(unit.tx);
        // A pass that missed nothing saw every document it read: its writes are the result.
        if (missing.size === 0) {
          put = unit.put;
          break;
        }
        if (round === MAX_FETCH_ROUNDS)
          throw new Error(`the projection still misses ${missing.size} documents`);
        await fetchInto([...missing], loaded);
      }
      const writes = [...put].map(([k, { name, doc }]) => ({ name, doc, existed: loaded.get(k) !== null }));
      // This instance's readers see the new documents from now on, whatever the store is doing.
      const cache = cacheNow();
      for (const [k, { doc }] of put) cache?.write(cacheKey(k), doc);
      if (writes.filter((w) => w.existed).length >= JOURNAL_FROM) await replaceInBatch(writes);
      else await replaceOneByOne(writes);
      return put.size;
    },

    recover,

    async all(name) {
      return (await collection(name).find({}).sort({ _id: 1 }).toArray()) as never;
    },

    async drop() {
      const existing = new Set(
        (await connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name),
      );
      for (const name of [...MODEL_COLLECTIONS, 'pending' as const]) {
        const full = generationCollection(generation, name);
        if (existing.has(full)) await connection.db!.dropCollection(full);
      }
    },
  };
}
