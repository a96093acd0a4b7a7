import type { DocCollection, NotificationDocs } from '../../src/domain/model';
import type { UnitRunner, UnitTx } from '../../src/domain/ports';

/**
 * The service's documents in memory, for unit tests: a UnitTx that writes at once (counting its
 * puts), and a UnitRunner whose units write only when their work ends without an error.
 */
export class MemoryDocs implements UnitTx, UnitRunner {
  readonly docs = new Map<DocCollection, Map<string, unknown>>();
  /** Every put, in order (a duplicate event must add none). */
  puts = 0;
  /** Units run. */
  units = 0;

  private collection(name: DocCollection): Map<string, unknown> {
    let docs = this.docs.get(name);
    if (!docs) this.docs.set(name, (docs = new Map()));
    return docs;
  }

  get<K extends DocCollection>(collection: K, id: string): Promise<NotificationDocs[K] | null> {
    const doc = this.collection(collection).get(id) as NotificationDocs[K] | undefined;
    // A copy, as a store would hand out: callers may change what they got.
    return Promise.resolve(doc ? structuredClone(doc) : null);
  }

  put<K extends DocCollection>(collection: K, doc: NotificationDocs[K]): void {
    this.puts += 1;
    this.collection(collection).set(doc._id, structuredClone(doc));
  }

  async unit<T>(work: (tx: UnitTx) => Promise<T>): Promise<T> {
    this.units += 1;
    const staged = new Map<string, { collection: DocCollection; doc: { _id: string } }>();
    const tx: UnitTx = {
      get: async (collection, id) => {
        const mine = staged.get(`${collection}/${id}`);
        return mine ? (structuredClone(mine.doc) as never) : this.get(collection, id);
      },
      put: (collection, doc) => {
        staged.set(`${collection}/${doc._id}`, { collection, doc: structuredClone(doc) });
      },
    };
    const result = await work(tx);
    for (const { collection, doc } of staged.values()) this.put(collection, doc as never);
    return result;
  }

  /** Every document of a collection, by id order (comparisons of two sets of documents). */
  all<K extends DocCollection>(collection: K): NotificationDocs[K][] {
    return [...this.collection(collection).entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, doc]) => doc as NotificationDocs[K]);
  }

  /** A snapshot of every collection (for "nothing changed" assertions). */
  snapshot(): Record<string, unknown[]> {
    const names = [...this.docs.keys()].sort();
    return Object.fromEntries(names.map((name) => [name, this.all(name)]));
  }
}

/** The copies' tests' name for the same store. */
export { MemoryDocs as MemoryCopies };
