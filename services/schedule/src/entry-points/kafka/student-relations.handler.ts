import type { EventEnvelope } from '@edu/events';
import type { Logger } from '@edu/kit';
import type { AcademicYearState } from '@edu/proto/dist/generated/edu/events/v1/AcademicYearState';
import type { EnrolmentState } from '@edu/proto/dist/generated/edu/events/v1/EnrolmentState';
import type { GuardianshipState } from '@edu/proto/dist/generated/edu/events/v1/GuardianshipState';
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
export const STUDENT_RELATION_EVENTS = {
  'edu.roster.student.enrolled': 'edu.events.v1.StudentEnrolled',
  'edu.roster.student.transferred': 'edu.events.v1.StudentTransferred',
  'edu.roster.student.withdrawn': 'edu.events.v1.StudentWithdrawn',
  'edu.roster.student.promoted': 'edu.events.v1.StudentPromoted',
  'edu.roster.student.graduated': 'edu.events.v1.StudentGraduated',
  'edu.roster.guardian.linked': 'edu.events.v1.GuardianLinked',
  'edu.roster.guardian.unlinked': 'edu.events.v1.GuardianUnlinked',
  'edu.roster.consent.recorded': 'edu.events.v1.ConsentRecorded',
  'edu.roster.consent.revoked': 'edu.events.v1.ConsentRevoked',
};

interface RelationPayload {
  enrolment?: EnrolmentState | null;
  guardianship?: GuardianshipState | null;
}

/** Maps roster's enrolment and guardianship events into schedule's own types (ids only). */
export function toRelationFact(event: EventEnvelope<RelationPayload>): RelationFact {
  const version = event.aggregateVersion;
  if (event.type.startsWith('edu.roster.student.')) {
    const e = event.payload.enrolment;
    if (!e) throw new Error(`${event.type} ${event.id} carries no enrolment`);
    return {
      kind: 'enrolment',
      enrolment: {
        id: e.enrolment_id || event.aggregateId,
        schoolId: e.school_id || event.schoolId,
        academicYearId: e.academic_year_id ?? '',
        studentId: e.student_id ?? '',
        classId: e.class_id ?? '',
        status: e.status ?? '',
        version,
      },
    };
  }
  const g = event.payload.guardianship;
  if (!g) throw new Error(`${event.type} ${event.id} carries no guardianship`);
  return {
    kind: 'guardianship',
    guardianship: {
      id: g.guardianship_id || event.aggregateId,
      schoolId: g.school_id || event.schoolId,
      guardianId: g.guardian_id ?? '',
      studentId: g.student_id ?? '',
      status: g.status ?? '',
      consentActive: !!g.consent_active && g.status === 'active',
      version,
    },
  };
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

interface FollowedPayload {
  academic_year?: AcademicYearState | null;
  school_class?: { class_id?: string } | null;
  subgroup?: { subgroup_id?: string } | null;
  position?: { person_id?: string } | null;
  effective_on?: string;
}

export function rosterExtras(deps: RosterExtrasDeps, logger: Logger): RosterExtras {
  return {
    async handle(event) {
      if (!(event.type in STUDENT_RELATION_EVENTS)) return false;
      const outcome = await applyRelationFact(
        deps.relations,
        toRelationFact(event as EventEnvelope<RelationPayload>),
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
          const year = p.academic_year;
          if (!year) return;
          const warned = await noteTransfers(
            { warnings: deps.warnings, roster: deps.ending.roster },
            {
              academicYearId: year.academic_year_id || event.aggregateId,
              schoolId: year.school_id || event.schoolId,
              version: event.aggregateVersion,
              occurredAt: event.occurredAt,
              transfers: (year.transfers ?? []).map((t) => ({
                date: t.date ?? '',
                worksAs: Number(t.works_as ?? 0),
              })),
              holidays: (year.holidays ?? []).map((h) => ({
                startsOn: h.days?.starts_on ?? '',
                endsOn: h.days?.ends_on ?? '',
              })),
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
