import type { CopyCollection, CopyDocs } from './model';

/** Reads of the copies by id (what the triggers decide with). */
export interface CopyReader {
  get<K extends CopyCollection>(collection: K, id: string): Promise<CopyDocs[K] | null>;
}

/**
 * The copies' unit of work: documents read once and changed in memory, written together when the
 * event (or a run of events) has been applied. `get` sees the unit's own `put`s, so that the
 * triggers of an event read the copies with the event applied.
 */
export interface CopyTx extends CopyReader {
  /** Replaces (or creates) the document; written when the unit commits. */
  put<K extends CopyCollection>(collection: K, doc: CopyDocs[K]): void;
}
