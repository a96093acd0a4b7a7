import type { Connection } from 'mongoose';
import { createUnitStore, type ReadCache, type UnitStore } from '@edu/store';
import { DOC_COLLECTIONS, type IdentityDocs } from '../domain/model';

// Every document of the service in one unit store over its own database (`edu_identity`): read
// by `_id`, changed in units that run one at a time in the process, through an in-process cache
// (identity runs one replica). The outbox is written once and emptied by the relay: never cached.

export type IdentityStore = UnitStore<IdentityDocs>;

export function createIdentityStore(connection: Connection, cache?: ReadCache): IdentityStore {
  return createUnitStore<IdentityDocs>({
    connection,
    collections: DOC_COLLECTIONS,
    collectionName: (name) => name,
    cache: () => cache,
    uncached: ['outbox', 'loginAudit'],
  });
}
