/** The part of a mongoose model a lock needs: the collection's name. */
export interface LockableModel {
  collection: { collectionName: string };
}

/**
 * Serializes writes to the same documents inside this process.
 *
 * Why: FerretDB 1.24 runs every update as read → modify in memory → write the whole document by
 * `_id`, without isolation, so two concurrent updates of one document lose one of them (400
 * concurrent `$inc` of one counter left it at 11), and a filter such as `{ _id, version: 3 }` is
 * no compare-and-set (49 of 50 races had several "winners"). MongoDB does not need this; on
 * FerretDB it makes writers of one process (and the outbox relay) safe, not several processes.
 */
export interface DocumentLock {
  /** Runs `fn` while holding the given documents of `model` (in a fixed order: no deadlock). */
  run<T>(model: LockableModel, ids: readonly unknown[], fn: () => Promise<T>): Promise<T>;
}

/** Creates a process-wide lock; share one between all writers of a service and its relay. */
export function createDocumentLock(): DocumentLock {
  // Per key, the promise the next holder waits for; removed when the last holder leaves.
  const tails = new Map<string, Promise<void>>();

  async function acquire(key: string): Promise<() => void> {
    const previous = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => held);
    tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    };
  }

  return {
    async run(model, ids, fn) {
      const keys = [...new Set(ids.map((id) => `${model.collection.collectionName}/${String(id)}`))].sort();
      const releases: (() => void)[] = [];
      try {
        for (const key of keys) releases.push(await acquire(key));
        return await fn();
      } finally {
        for (const release of releases.reverse()) release();
      }
    },
  };
}
