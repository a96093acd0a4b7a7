import type { CopyCollection, CopyDocs } from '../../src/domain/model';
import type { CopyTx } from '../../src/domain/ports';

/** The copies in memory, for unit tests: a CopyTx that writes at once, counting its puts. */
export class MemoryCopies implements CopyTx {
  readonly docs = new Map<CopyCollection, Map<string, unknown>>();
  /** Every put, in order (a duplicate event must add none). */
  puts = 0;

  private collection(name: CopyCollection): Map<string, unknown> {
    let docs = this.docs.get(name);
    if (!docs) this.docs.set(name, (docs = new Map()));
    return docs;
  }

  get<K extends CopyCollection>(collection: K, id: string): Promise<CopyDocs[K] | null> {
    const doc = this.collection(collection).get(id) as CopyDocs[K] | undefined;
    // A copy, as a store would hand out: callers may change what they got.
    return Promise.resolve(doc ? structuredClone(doc) : null);
  }

  put<K extends CopyCollection>(collection: K, doc: CopyDocs[K]): void {
    this.puts += 1;
    this.collection(collection).set(doc._id, structuredClone(doc));
  }

  /** Every document of a collection, by id order (comparisons of two sets of copies). */
  all<K extends CopyCollection>(collection: K): CopyDocs[K][] {
    return [...this.collection(collection).entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, doc]) => doc as CopyDocs[K]);
  }

  /** A snapshot of every collection (for "nothing changed" assertions). */
  snapshot(): Record<string, unknown[]> {
    const names = [...this.docs.keys()].sort();
    return Object.fromEntries(names.map((name) => [name, this.all(name)]));
  }
}
