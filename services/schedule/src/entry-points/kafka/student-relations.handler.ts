import type { EventEnvelope } from '@edu/events';
import type { Logger } from '@edu/kit';
import {
  academicYearFrom,
  enrolmentFrom,
  guardianshipFrom,
  requiredPayload,
  rosterEventsAbout,
  type RosterPayload,
} from '@edu/roster-events';
import { noteTransfers } from '../../domain/calendar-warning';
import type { CalendarWarningRepository, RequestContext, StudentRelationsWriter } from '../../domain/ports';
import { applyRelationFact, type RelationFact } from '../../domain/student-relations';
import {
  endAssignmentsAfterRoster,
  type AssignmentEndingDeps,
} from '../../domain/teaching-assignment.use-cases';

// Roster's events beyond the copy of schools, classes and staff: the student relations schedule
// decides guardians' and students' reads with, and what schedule does when roster changes —
// ending assignments of a dismissed teacher, a closed class, a disbanded subgroup; warning about
// a day transfer announced late.

/** The student-relation events of roster, with their payload messages (for the codec). */
export const STUDENT_RELATION_EVENTS = rosterEventsAbout(['student', 'guardian', 'consent']);

/** Maps roster's enrolment and guardianship events into schedule's own types (ids only). */
export function toRelationFact(event: EventEnvelope<RosterPayload>): RelationFact {
  if (event.type.startsWith('edu.roster.student.')) {
    return {
      kind: 'enrolment',
      enrolment: enrolmentFrom(requiredPayload(event.payload.enrolment, event, 'enrolment'), event),
    };
  }
  // The link's kind (mother, father…) decides nothing in schedule: not kept.
  const { kind: _kind, ...guardianship } = guardianshipFrom(
    requiredPayload(event.payload.guardianship, event, 'guardianship'),
    event,
  );
  return { kind: 'guardianship', guardianship };
}

/** What the roster consumer does besides the copy (see `rosterCopyHandler`). */
export interface RosterExtras {
  /** Applies the events the copy of roster does not keep (student relations); false: not one. */
  handle(event: EventEnvelope<unknown>): Promise<boolean>;
  /** Reacts to an event once the copy has applied it (or had it already: a replay reacts again, harmlessly). */
  afterCopy(event: EventEnvelope<unknown>): Promise<void>;
}

export interface RosterExtrasDeps {
  relations: StudentRelationsWriter;
  warnings: CalendarWarningRepository;
  ending: AssignmentEndingDeps;
}

/** The roster's actor and trace on schedule's own events that follow from roster's. */
function contextOf(event: EventEnvelope<unknown>): RequestContext {
  return {
    actor: { accountId: event.actor.accountId, personId: event.actor.personId, schoolRoles: [], grants: [] },
    traceId: event.traceId,
  };
}

/** The states the reactions read, and the day of a dismissal (StaffDismissed's own field). */
type FollowedPayload = RosterPayload & { effective_on?: string };

export function rosterExtras(deps: RosterExtrasDeps, logger: Logger): RosterExtras {
  return {
    async handle(event) {
      if (!(event.type in STUDENT_RELATION_EVENTS)) return false;
      const outcome = await applyRelationFact(
        deps.relations,
        toRelationFact(event as EventEnvelope<RosterPayload>),
      );
      logger.debug({ eventId: event.id, type: event.type, outcome }, 'roster relation handled');
      return true;
    },

    async afterCopy(event) {
      const p = event.payload as FollowedPayload;
      const common = { schoolId: event.schoolId, occurredAt: event.occurredAt };
      let ended = 0;
      switch (event.type) {
        case 'edu.roster.staff.dismissed':
          ended = (
            await endAssignmentsAfterRoster(deps.ending, contextOf(event), {
              reason: 'teacher_dismissed',
              ...common,
              teacherId: p.position?.person_id ?? '',
              lastDay: p.effective_on ?? '',
            })
          ).length;
          break;
        case 'edu.roster.class.closed':
          ended = (
            await endAssignmentsAfterRoster(deps.ending, contextOf(event), {
              reason: 'class_closed',
              ...common,
              classId: p.school_class?.class_id || event.aggregateId,
            })
          ).length;
          break;
        case 'edu.roster.subgroup.disbanded':
          ended = (
            await endAssignmentsAfterRoster(deps.ending, contextOf(event), {
              reason: 'subgroup_disbanded',
              ...common,
              subgroupId: p.subgroup?.subgroup_id || event.aggregateId,
            })
          ).length;
          break;
        case 'edu.roster.academic_year.opened':
        case 'edu.roster.academic_year.calendar_changed': {
          if (!p.academic_year) return;
          const year = academicYearFrom(p.academic_year, event);
          const warned = await noteTransfers(
            { warnings: deps.warnings, roster: deps.ending.roster },
            {
              academicYearId: year.id,
              schoolId: year.schoolId,
              version: year.version,
              occurredAt: event.occurredAt,
              transfers: year.transfers,
              holidays: year.holidays,
            },
          );
          if (warned > 0) logger.info({ eventId: event.id, warned }, 'late day transfer recorded');
          return;
        }
        default:
          return;
      }
      if (ended > 0)
        logger.info({ eventId: event.id, type: event.type, ended }, 'assignments ended after roster');
    },
  };
}
