import type {
  Attachment,
  Channel,
  ChannelMessage,
  CopyCollection,
  CopyDocs,
  DocCollection,
  NotificationDocs,
  PublishedFact,
} from './model';

/** Who acts: the verified actor from the gateway (structurally the @edu/grpc Actor). */
export interface Actor {
  accountId: string;
  personId?: string;
  schoolRoles: { schoolId: string; role: string }[];
  grants: string[];
}

/** Refuses (PERMISSION_DENIED, logged as a security event) when `allowed` is false. */
export type Authorize = (actor: Actor, allowed: boolean, what: { action: string; object: string }) => void;

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

/** Reads of any of the service's documents by id. */
export interface DocReader {
  get<K extends DocCollection>(collection: K, id: string): Promise<NotificationDocs[K] | null>;
}

/**
 * The service's unit of work over all its documents (copies, inboxes, deliveries, threads …):
 * what a run of events, a request or a dispatch changes is written together when it ends. Units
 * of one process run one at a time, so a unit's read-modify-write is never overtaken.
 * A unit's function may run more than once (the store fetches what it missed and runs it again):
 * it must decide from what it reads and its input only, and do nothing outside the unit.
 */
export interface UnitTx extends DocReader {
  put<K extends DocCollection>(collection: K, doc: NotificationDocs[K]): void;
}

/** Runs units of work (the store). */
export interface UnitRunner extends DocReader {
  /** Runs `work` as one unit and returns its result once its writes are stored. */
  unit<T>(work: (tx: UnitTx) => Promise<T>): Promise<T>;
}

/** Publishes a fact with the unit: its event is written by the unit and relayed to Kafka after. */
export type Emit = (tx: UnitTx, fact: PublishedFact) => void;

/** A provider error: `retryable` ones are retried with backoff, others fail the delivery at once. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/**
 * A channel's provider: e-mail (SMTP), SMS or mobile push. `send` resolves when the provider
 * accepted the message and throws a ProviderError (or any error: retryable) when it did not.
 */
export interface ChannelProvider {
  readonly channel: Channel;
  send(message: ChannelMessage): Promise<void>;
}

/**
 * The virus-scan hook for attachments: production plugs in the school's antivirus (ICAP or the file
 * store's scanner); "pending" is accepted and shown as such, "infected" is refused.
 */
export interface FileScanner {
  scan(attachment: Omit<Attachment, 'scanStatus'>): Promise<Attachment['scanStatus']>;
}
