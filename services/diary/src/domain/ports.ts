import type { CollectionName, DiarySettings, ModelDocs } from './model';

/** Who acts: the verified actor from the gateway (structurally the @edu/grpc Actor). */
export interface Actor {
  accountId: string;
  personId?: string;
  schoolRoles: { schoolId: string; role: string }[];
  grants: string[];
}

/** Request context a use case needs besides its input. */
export interface RequestContext {
  actor: Actor;
  traceId: string;
}

/** Refuses (PERMISSION_DENIED) and records a security event when `allowed` is false. */
export type Authorize = (actor: Actor, allowed: boolean, what: { action: string; object: string }) => void;

/**
 * The projection's unit of work: documents read once and changed in memory, written together
 * when the event (or a run of events) has been applied. `get` sees the unit's own `put`s.
 */
export interface ModelTx {
  get<K extends CollectionName>(collection: K, id: string): Promise<ModelDocs[K] | null>;
  /** Replaces (or creates) the document; written when the unit commits. */
  put<K extends CollectionName>(collection: K, doc: ModelDocs[K]): void;
}

/** Reads of the model by id (through the in-process cache). */
export interface ModelReader {
  get<K extends CollectionName>(collection: K, id: string): Promise<ModelDocs[K] | null>;
  /** Documents by id, in the order asked; unknown ids are left out. */
  getMany<K extends CollectionName>(collection: K, ids: string[]): Promise<ModelDocs[K][]>;
}

export interface SettingsRepository {
  /** The school's settings; the defaults (nothing shown beyond old → new) when never set. */
  get(schoolId: string): Promise<DiarySettings>;
  put(settings: DiarySettings): Promise<DiarySettings>;
}
