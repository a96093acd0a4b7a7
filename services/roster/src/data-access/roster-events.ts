import { newEvent, type EventEnvelope } from '@edu/events';
import type { RequestContext } from '../domain/ports';

// Roster's topic and the payload message of each event roster publishes (for the codec): one list,
// shared with the consumers through @edu/roster-events, so producer and consumers cannot disagree.
export { ROSTER_EVENT_PAYLOADS as ROSTER_EVENT_TYPES, ROSTER_TOPIC } from '@edu/roster-events';

/** A roster fact in its envelope: keyed by school (a school's facts stay in order), with the caller. */
export function rosterEnvelope<P>(
  fact: { type: string; schoolId: string; aggregateId: string; aggregateVersion: number; payload: P },
  ctx: RequestContext,
): EventEnvelope<P> {
  return newEvent({
    ...fact,
    actor: { accountId: ctx.actor.accountId, personId: ctx.actor.personId ?? '' },
    traceId: ctx.traceId,
  });
}
