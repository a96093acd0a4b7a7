// @edu/store: the MongoDB-protocol plumbing every service needs in the same way. No models here.
export {
  STORE_CONNECTION_DEFAULTS,
  closeStore,
  connectStore,
  storeCheck,
  syncAllIndexes,
} from './connection';
export type { StoreOptions } from './connection';
export { createDocumentLock } from './document-lock';
export type { DocumentLock, LockableModel } from './document-lock';
export { IdempotencyError, createIdempotencyStore } from './idempotency';
export { once } from './once';
export { putIfNewer } from './put-if-newer';
export type { IdempotentCall } from './once';
export type {
  IdempotencyErrorCode,
  IdempotencyOptions,
  IdempotencyStore,
  IdempotentResult,
} from './idempotency';
export { createUnitStore } from './unit-store';
export type { UnitCache, UnitDocs, UnitStore, UnitStoreOptions, UnitTx } from './unit-store';
export { createReadCache } from './read-cache';
export type { ReadCache } from './read-cache';
