import type { EventEnvelope, EventHandler, EventRuns } from '@edu/events';
import type { Logger } from '@edu/kit';
import {
  academicYearFrom,
  classFrom,
  enrolmentFrom,
  movementFrom,
  personFrom,
  requiredPayload,
  rosterEventParts,
  rosterEventsAbout,
  schoolFrom,
  subgroupFrom,
  type RosterPayload,
} from '@edu/roster-events';
import { applyRosterFact, applyRosterRun, type CopyWriter, type RosterFact } from '../../domain/copies';

export { ROSTER_TOPIC } from '@edu/roster-events';

/** The roster events gradebook keeps copies from, with their payload messages (for the codec). */
export const HANDLED_ROSTER_EVENTS = rosterEventsAbout(
  ['school', 'academic_year', 'class', 'subgroup', 'person', 'student'],
  // A rollover's own facts (opened years, classes, promotions) come as events of their own.
  ['edu.roster.academic_year.rolled_over'],
);

/**
 * Maps roster's event into gradebook's own types at the edge: the shared records, less what
 * gradebook does not keep (a class's letter, a year's holidays, closures and transfers, a subgroup's
 * teacher).
 */
export function toRosterFact(event: EventEnvelope<RosterPayload>): RosterFact {
  const p = event.payload;
  switch (rosterEventParts(event.type).entity) {
    case 'school':
      return { kind: 'school', school: schoolFrom(requiredPayload(p.school, event, 'school'), event) };
    case 'academic_year': {
      const {
        holidays: _holidays,
        closures: _closures,
        transfers: _transfers,
        ...year
      } = academicYearFrom(requiredPayload(p.academic_year, event, 'academic_year'), event);
      return { kind: 'year', year };
    }
    case 'class': {
      const { letter: _letter, ...schoolClass } = classFrom(
        requiredPayload(p.school_class, event, 'school_class'),
        event,
      );
      return { kind: 'class', schoolClass };
    }
    case 'subgroup': {
      const {
        teacherId: _teacherId,
        memberIds,
        ...subgroup
      } = subgroupFrom(requiredPayload(p.subgroup, event, 'subgroup'), event);
      // The state's members decide; `added`/`removed` of members_changed agree with them.
      return { kind: 'subgroup', change: { subgroup, memberIds, occurredAt: event.occurredAt } };
    }
    case 'person':
      return { kind: 'person', person: personFrom(requiredPayload(p.person, event, 'person'), event) };
    case 'student': {
      const {
        id: enrolmentId,
        classId: _classId,
        status: _status,
        ...enrolment
      } = enrolmentFrom(requiredPayload(p.enrolment, event, 'enrolment'), event);
      const movement = movementFrom(requiredPayload(p.movement, event, 'movement'), event);
      return {
        kind: 'movement',
        movement: {
          enrolmentId,
          ...enrolment,
          studentId: requiredPayload(enrolment.studentId, event, 'student_id'),
          ...movement,
          effectiveOn: requiredPayload(movement.effectiveOn, event, 'effective_on'),
        },
      };
    }
    default:
      throw new Error(`${event.type} ${event.id}: not a roster event gradebook keeps`);
  }
}

/** Applies roster's events to gradebook's copies, idempotently by aggregate version; other types are skipped. */
export function rosterCopyHandler(copy: CopyWriter, logger: Logger): EventHandler {
  return async (event) => {
    if (!(event.type in HANDLED_ROSTER_EVENTS)) return;
    const outcome = await applyRosterFact(copy, toRosterFact(event as EventEnvelope<RosterPayload>));
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
  };
}

/**
 * Runs of roster's person and enrolment events applied together: an import registers and
 * enrols hundreds of students in a row, and one insert of the people and one roll write per class
 * keep the journal up with it.
 */
export function rosterRuns(copy: CopyWriter, logger: Logger): EventRuns {
  return {
    accepts: (event) => {
      if (!(event.type in HANDLED_ROSTER_EVENTS)) return false;
      const { entity } = rosterEventParts(event.type);
      return entity === 'person' || entity === 'student';
    },
    async handle(events) {
      const applied = await applyRosterRun(
        copy,
        events.map((event) => toRosterFact(event as EventEnvelope<RosterPayload>)),
      );
      logger.debug({ events: events.length, applied }, 'a run of roster events handled');
    },
  };
}
