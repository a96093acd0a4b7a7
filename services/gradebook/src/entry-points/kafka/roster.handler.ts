import type { EventEnvelope, EventHandler } from '@edu/events';
import type { Logger } from '@edu/kit';
import type { AcademicYearState } from '@edu/proto/dist/generated/edu/events/v1/AcademicYearState';
import type { ClassState } from '@edu/proto/dist/generated/edu/events/v1/ClassState';
import type { EnrolmentState } from '@edu/proto/dist/generated/edu/events/v1/EnrolmentState';
import type { MovementFact } from '@edu/proto/dist/generated/edu/events/v1/MovementFact';
import type { PersonState } from '@edu/proto/dist/generated/edu/events/v1/PersonState';
import type { SchoolCard } from '@edu/proto/dist/generated/edu/events/v1/SchoolCard';
import type { SubgroupState } from '@edu/proto/dist/generated/edu/events/v1/SubgroupState';
import { applyRosterFact, type CopyWriter, type Movement, type RosterFact } from '../../domain/copies';

/** Roster's topic (after the environment's prefix): schools, years, classes, people, enrolments. */
export const ROSTER_TOPIC = 'edu.roster.v1';

/** The roster events gradebook keeps copies from, with their payload messages (for the codec). */
export const HANDLED_ROSTER_EVENTS = {
  'edu.roster.school.created': 'edu.events.v1.SchoolCreated',
  'edu.roster.school.updated': 'edu.events.v1.SchoolUpdated',
  'edu.roster.academic_year.opened': 'edu.events.v1.AcademicYearOpened',
  'edu.roster.academic_year.calendar_changed': 'edu.events.v1.CalendarChanged',
  'edu.roster.academic_year.closed': 'edu.events.v1.AcademicYearClosed',
  'edu.roster.class.opened': 'edu.events.v1.ClassOpened',
  'edu.roster.class.renamed': 'edu.events.v1.ClassRenamed',
  'edu.roster.class.teacher_assigned': 'edu.events.v1.ClassTeacherAssigned',
  'edu.roster.class.closed': 'edu.events.v1.ClassClosed',
  'edu.roster.subgroup.formed': 'edu.events.v1.SubgroupFormed',
  'edu.roster.subgroup.members_changed': 'edu.events.v1.SubgroupMembersChanged',
  'edu.roster.subgroup.changed': 'edu.events.v1.SubgroupChanged',
  'edu.roster.subgroup.disbanded': 'edu.events.v1.SubgroupDisbanded',
  'edu.roster.person.registered': 'edu.events.v1.PersonRegistered',
  'edu.roster.person.updated': 'edu.events.v1.PersonUpdated',
  'edu.roster.student.enrolled': 'edu.events.v1.StudentEnrolled',
  'edu.roster.student.transferred': 'edu.events.v1.StudentTransferred',
  'edu.roster.student.withdrawn': 'edu.events.v1.StudentWithdrawn',
  'edu.roster.student.promoted': 'edu.events.v1.StudentPromoted',
  'edu.roster.student.graduated': 'edu.events.v1.StudentGraduated',
};

/** The payload fields the handled events carry (each event has one or two of them). */
interface RosterPayload {
  school?: SchoolCard | null;
  academic_year?: AcademicYearState | null;
  school_class?: ClassState | null;
  subgroup?: SubgroupState | null;
  person?: PersonState | null;
  enrolment?: EnrolmentState | null;
  movement?: MovementFact | null;
}

function required<T>(value: T | null | undefined, event: EventEnvelope<unknown>, field: string): T {
  // A handled type without its state can never be applied: retried, then the DLQ.
  if (!value) throw new Error(`${event.type} ${event.id} carries no ${field}`);
  return value;
}

const MOVEMENT_KINDS = new Set<Movement['kind']>([
  'enrolled',
  'transferred',
  'withdrawn',
  'promoted',
  'graduated',
]);

/** Maps roster's event into gradebook's own types at the edge (never roster's code). */
export function toRosterFact(event: EventEnvelope<RosterPayload>): RosterFact {
  const version = event.aggregateVersion;
  const [, , entity, action] = event.type.split('.');
  const p = event.payload;
  switch (entity) {
    case 'school': {
      const card = required(p.school, event, 'school');
      return {
        kind: 'school',
        school: {
          id: card.school_id || event.aggregateId,
          shortName: card.short_name ?? '',
          timeZone: card.time_zone ?? '',
          version,
        },
      };
    }
    case 'academic_year': {
      const year = required(p.academic_year, event, 'academic_year');
      return {
        kind: 'year',
        year: {
          id: year.academic_year_id || event.aggregateId,
          schoolId: year.school_id || event.schoolId,
          name: year.name ?? '',
          startsOn: year.days?.starts_on ?? '',
          endsOn: year.days?.ends_on ?? '',
          status: year.status === 'closed' ? 'closed' : 'open',
          periodSchemes: (year.period_schemes ?? []).map((scheme) => ({
            grades: [...(scheme.grades ?? [])].map(Number),
            kind: scheme.kind ?? '',
            periods: (scheme.periods ?? []).map((period) => ({
              number: Number(period.number ?? 0),
              startsOn: period.days?.starts_on ?? '',
              endsOn: period.days?.ends_on ?? '',
            })),
          })),
          version,
        },
      };
    }
    case 'class': {
      const c = required(p.school_class, event, 'school_class');
      return {
        kind: 'class',
        schoolClass: {
          id: c.class_id || event.aggregateId,
          schoolId: c.school_id || event.schoolId,
          academicYearId: c.academic_year_id ?? '',
          grade: Number(c.grade ?? 0),
          name: c.name ?? '',
          classTeacherId: c.class_teacher_id ?? '',
          status: c.status === 'closed' ? 'closed' : 'open',
          version,
        },
      };
    }
    case 'subgroup': {
      const s = required(p.subgroup, event, 'subgroup');
      return {
        kind: 'subgroup',
        change: {
          subgroup: {
            id: s.subgroup_id || event.aggregateId,
            schoolId: s.school_id || event.schoolId,
            academicYearId: s.academic_year_id ?? '',
            classId: s.class_id ?? '',
            subjectKey: s.subject_key ?? '',
            name: s.name ?? '',
            status: s.status === 'closed' ? 'closed' : 'open',
            version,
          },
          // The state's members decide; `added`/`removed` of members_changed agree with them.
          memberIds: [...(s.member_ids ?? [])],
          occurredAt: event.occurredAt,
        },
      };
    }
    case 'person': {
      const person = required(p.person, event, 'person');
      return {
        kind: 'person',
        person: {
          id: person.person_id || event.aggregateId,
          schoolId: person.school_id || event.schoolId,
          kind: person.kind ?? '',
          displayName: person.display_name ?? '',
          status: person.status ?? '',
          version,
        },
      };
    }
    case 'student': {
      const enrolment = required(p.enrolment, event, 'enrolment');
      const movement = required(p.movement, event, 'movement');
      const kind = action as Movement['kind'];
      if (!MOVEMENT_KINDS.has(kind)) throw new Error(`${event.type} ${event.id}: not a move gradebook knows`);
      return {
        kind: 'movement',
        movement: {
          enrolmentId: enrolment.enrolment_id || event.aggregateId,
          schoolId: enrolment.school_id || event.schoolId,
          academicYearId: enrolment.academic_year_id ?? '',
          studentId: required(enrolment.student_id, event, 'student_id'),
          kind,
          fromClassId: movement.from_class_id ?? '',
          toClassId: movement.to_class_id ?? '',
          effectiveOn: required(movement.effective_on, event, 'effective_on'),
          version,
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
