import type { CollectionName, ModelDocs } from '../../src/domain/model';
import type { ModelReader, ModelTx } from '../../src/domain/ports';

/** The read model in memory, for unit tests: a ModelTx that writes at once and a ModelReader. */
export class MemoryModel implements ModelTx, ModelReader {
  readonly docs = new Map<CollectionName, Map<string, unknown>>();

  private collection(name: CollectionName): Map<string, unknown> {
    let docs = this.docs.get(name);
    if (!docs) this.docs.set(name, (docs = new Map()));
    return docs;
  }

  get<K extends CollectionName>(collection: K, id: string): Promise<ModelDocs[K] | null> {
    const doc = this.collection(collection).get(id) as ModelDocs[K] | undefined;
    // A copy, as a store would hand out: callers may change what they got.
    return Promise.resolve(doc ? structuredClone(doc) : null);
  }

  async getMany<K extends CollectionName>(collection: K, ids: string[]): Promise<ModelDocs[K][]> {
    const docs = await Promise.all(ids.map((id) => this.get(collection, id)));
    return docs.filter((doc): doc is Awaited<ModelDocs[K]> => doc !== null);
  }

  put<K extends CollectionName>(collection: K, doc: ModelDocs[K]): void {
    this.collection(collection).set(doc._id, structuredClone(doc));
  }

  /** Every document of a collection, by id order (comparisons of two models). */
  all<K extends CollectionName>(collection: K): ModelDocs[K][] {
    return [...this.collection(collection).entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, doc]) => doc as ModelDocs[K]);
  }
}
