import type { Connection } from 'mongoose';
import { createUnitStore, type ReadCache, type UnitStore } from '@edu/store';
import { MODEL_COLLECTIONS, type CollectionName, type ModelDocs } from '../domain/model';

// The read model in the store: one collection per document kind and generation (`g2_weeks`), so
// that a rebuild fills a fresh generation beside the one serving reads and swaps it in. Documents
// are plain objects replaced whole by `_id`, changed in units (@edu/store's unit store: batched
// `$in` reads, inserts at once, journaled batch replacements finished by `recover()`).

/** The collection name of a model collection in a generation. */
export function generationCollection(generation: number, name: CollectionName | 'pending'): string {
  return `g${generation}_${name}`;
}

/** One generation of the model in the store. */
export interface ModelStore extends UnitStore<ModelDocs> {
  readonly generation: number;
}

/**
 * A generation of the model. With a cache, reads go through it and units write through it: the
 * projection that applies an event is the one that refreshes what the next read sees.
 */
export function createModelStore(
  connection: Connection,
  generation: number,
  /** The cache while this generation serves reads; undefined while it is being rebuilt. */
  cacheNow: () => ReadCache | undefined = () => undefined,
): ModelStore {
  return {
    generation,
    ...createUnitStore<ModelDocs>({
      connection,
      collections: MODEL_COLLECTIONS,
      collectionName: (name) => generationCollection(generation, name),
      cache: cacheNow,
      cacheKeyPrefix: `g${generation}/`,
    }),
  };
}
