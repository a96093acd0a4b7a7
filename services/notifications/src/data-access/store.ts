import type { Connection } from 'mongoose';
import { createUnitStore, type ReadCache, type UnitStore } from '@edu/store';
import { DOC_COLLECTIONS, type NotificationDocs } from '../domain/model';

// Every document of the service (copies, inboxes, preferences, deliveries, progress rounds,
// threads) in one unit store over its own database: read by `_id` (the only index FerretDB 1.24
// uses), changed in units that run one at a time in the process, written together when a unit
// ends (batched `$in` reads, one insert for new documents, journaled batch replacements that
// `recover()` finishes after a crash), through an in-process cache. One collection per document
// kind, named as in the model.

export type NotificationStore = UnitStore<NotificationDocs>;

/**
 * With a cache, reads go through it and units write through it (the service runs one replica: no
 * other process writes these documents), so the copies, inboxes and queues read on every event
 * come from memory; the outbox, written once and emptied by the relay, is never cached.
 */
export function createNotificationStore(connection: Connection, cache?: ReadCache): NotificationStore {
  return createUnitStore<NotificationDocs>({
    connection,
    collections: DOC_COLLECTIONS,
    collectionName: (name) => name,
    cache: () => cache,
    uncached: ['outbox'],
  });
}
