import type { School } from './school';

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

/**
 * A fact to publish with the state change, in the same write (outbox). The school is the
 * aggregate: the event carries the card as it stands after the change.
 */
export interface DomainEvent {
  type: 'edu.roster.school.created';
  school: School;
}

/** Page position after the last school of the previous page (ordered by short name, then id). */
export interface SchoolCursor {
  shortName: string;
  id: string;
}

export interface SchoolRepository {
  /** Stores a new school and its events atomically; throws conflict when the INN is taken. */
  create(school: School, events: DomainEvent[], ctx: RequestContext): Promise<void>;
  get(id: string): Promise<School | null>;
  /** Schools ordered by short name then id, after the cursor; only `ids` when given. */
  list(options: { limit: number; after?: SchoolCursor; ids?: string[] }): Promise<School[]>;
}

/** Refuses (PERMISSION_DENIED) and records a security event when `allowed` is false. */
export type Authorize = (actor: Actor, allowed: boolean, what: { action: string; object: string }) => void;
