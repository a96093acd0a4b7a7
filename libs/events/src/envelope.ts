import { randomUUIDv7 } from 'node:crypto';

/** Who caused an event ("" for the system itself). */
export interface EventActor {
  accountId: string;
  personId: string;
}

/** One fact as published: the `edu.events.v1.EventEnvelope` fields with the payload decoded. */
export interface EventEnvelope<P = unknown> {
  /** UUIDv7; consumers apply an event at most once by this id. */
  id: string;
  /** `edu.<service>.<entity>.<past-tense>`, e.g. `edu.roster.school.created`. */
  type: string;
  /** The school the fact belongs to; also the Kafka record key. */
  schoolId: string;
  aggregateId: string;
  /** Version of the aggregate after the change (1 when created). */
  aggregateVersion: number;
  /** RFC 3339 instant in UTC. */
  occurredAt: string;
  actor: EventActor;
  traceId: string;
  /** The event's own protobuf message as a plain object (proto field names, keepCase). */
  payload: P;
}

/** What a caller supplies for a new event; `newEvent` adds the id and the time. */
export type NewEvent<P> = Omit<EventEnvelope<P>, 'id' | 'occurredAt'>;

/** A new event with a fresh UUIDv7 id and `occurredAt` = now. */
export function newEvent<P>(event: NewEvent<P>): EventEnvelope<P> {
  // Node's own UUIDv7 (24.16+): the `uuid` package is ES-module only, which jest cannot
  // require without --experimental-vm-modules in every service that imports this library.
  return { id: randomUUIDv7(), occurredAt: new Date().toISOString(), ...event };
}
