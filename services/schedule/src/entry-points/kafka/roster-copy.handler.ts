import type { EventEnvelope, EventHandler } from '@edu/events';
import type { Logger } from '@edu/kit';
import {
  academicYearFrom,
  classFrom,
  personFrom,
  requiredPayload,
  rosterEventParts,
  rosterEventsAbout,
  schoolFrom,
  staffPositionFrom,
  subgroupFrom,
  type RosterPayload,
} from '@edu/roster-events';
import type { RosterCopyWriter } from '../../domain/ports';
import { applyRosterFact, type RosterFact } from '../../domain/roster-copy';
import { STUDENT_RELATION_EVENTS, type RosterExtras } from './student-relations.handler';

/** The roster events schedule keeps a copy from, with their payload messages (for the codec). */
export const HANDLED_ROSTER_EVENTS = {
  ...rosterEventsAbout(
    ['school', 'academic_year', 'class', 'subgroup', 'staff', 'person'],
    // A rollover's own facts (opened years, classes, subgroups) come as events of their own.
    ['edu.roster.academic_year.rolled_over'],
  ),
  // Student relations (ids only), kept apart from the copy: see student-relations.handler.ts.
  ...STUDENT_RELATION_EVENTS,
};

/**
 * Maps roster's event into schedule's own types at the edge: the shared records, less what
 * schedule does not keep (persons' kinds decide, and are not stored).
 */
export function toRosterFact(event: EventEnvelope<RosterPayload>): RosterFact {
  const p = event.payload;
  switch (rosterEventParts(event.type).entity) {
    case 'school':
      return { kind: 'school', school: schoolFrom(requiredPayload(p.school, event, 'school'), event) };
    case 'academic_year': {
      const { holidays, periodSchemes, closures, transfers, ...year } = academicYearFrom(
        requiredPayload(p.academic_year, event, 'academic_year'),
        event,
      );
      return { kind: 'year', year: { ...year, calendar: { holidays, periodSchemes, closures, transfers } } };
    }
    case 'class':
      return {
        kind: 'class',
        schoolClass: classFrom(requiredPayload(p.school_class, event, 'school_class'), event),
      };
    case 'subgroup':
      return {
        kind: 'subgroup',
        subgroup: subgroupFrom(requiredPayload(p.subgroup, event, 'subgroup'), event),
      };
    case 'staff':
      return {
        kind: 'staffPosition',
        position: staffPositionFrom(requiredPayload(p.position, event, 'position'), event),
      };
    case 'person': {
      const { kind, ...person } = personFrom(requiredPayload(p.person, event, 'person'), event);
      return { kind: 'person', personKind: kind, person };
    }
    default:
      throw new Error(`${event.type} ${event.id}: not a roster event schedule keeps`);
  }
}

/** Applies roster's events to schedule's copy, idempotently by aggregate version. */
export function rosterCopyHandler(
  copy: RosterCopyWriter,
  logger: Logger,
  extras?: RosterExtras,
): EventHandler {
  return async (event) => {
    if (await extras?.handle(event)) return;
    const fact = toRosterFact(event as EventEnvelope<RosterPayload>);
    const outcome = await applyRosterFact(copy, fact);
    logger.debug(
      {
        eventId: event.id,
        type: event.type,
        aggregateId: event.aggregateId,
        version: event.aggregateVersion,
        outcome,
      },
      'roster event handled',
    );
    // After the copy, also when it was already applied: a retry after a failed reaction redoes it.
    await extras?.afterCopy(event);
  };
}
