import type { EventEnvelope, EventHandler } from '@edu/events';
import type { Logger } from '@edu/kit';
import type { AcademicYearState } from '@edu/proto/dist/generated/edu/events/v1/AcademicYearState';
import type { ClassState } from '@edu/proto/dist/generated/edu/events/v1/ClassState';
import type { PersonState } from '@edu/proto/dist/generated/edu/events/v1/PersonState';
import type { SchoolCard } from '@edu/proto/dist/generated/edu/events/v1/SchoolCard';
import type { StaffPositionState } from '@edu/proto/dist/generated/edu/events/v1/StaffPositionState';
import type { SubgroupState } from '@edu/proto/dist/generated/edu/events/v1/SubgroupState';
import type { RosterCopyWriter } from '../../domain/ports';
import { applyRosterFact, type RosterFact } from '../../domain/roster-copy';
import { STUDENT_RELATION_EVENTS, type RosterExtras } from './student-relations.handler';

/** The roster events schedule keeps a copy from, with their payload messages (for the codec). */
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
  'edu.roster.staff.hired': 'edu.events.v1.StaffHired',
  'edu.roster.staff.position_changed': 'edu.events.v1.StaffPositionChanged',
  'edu.roster.staff.dismissed': 'edu.events.v1.StaffDismissed',
  'edu.roster.person.registered': 'edu.events.v1.PersonRegistered',
  'edu.roster.person.updated': 'edu.events.v1.PersonUpdated',
  // Student relations (ids only), kept apart from the copy: see student-relations.handler.ts.
  ...STUDENT_RELATION_EVENTS,
};

/** The payload fields the handled events carry (each event has one of them). */
interface RosterPayload {
  school?: SchoolCard | null;
  academic_year?: AcademicYearState | null;
  school_class?: ClassState | null;
  subgroup?: SubgroupState | null;
  position?: StaffPositionState | null;
  person?: PersonState | null;
}

function required<T>(value: T | null | undefined, event: EventEnvelope<unknown>, field: string): T {
  // A handled type without its state can never be applied: retried, then the DLQ.
  if (!value) throw new Error(`${event.type} ${event.id} carries no ${field}`);
  return value;
}

/** Maps roster's event into schedule's own types at the edge (never roster's code). */
export function toRosterFact(event: EventEnvelope<RosterPayload>): RosterFact {
  const version = event.aggregateVersion;
  const entity = event.type.split('.')[2];
  const p = event.payload;
  switch (entity) {
    case 'school': {
      const card = required(p.school, event, 'school');
      return {
        kind: 'school',
        school: {
          id: event.aggregateId,
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
          calendar: {
            holidays: (year.holidays ?? []).map((h) => ({
              name: h.name ?? '',
              startsOn: h.days?.starts_on ?? '',
              endsOn: h.days?.ends_on ?? '',
            })),
            periodSchemes: (year.period_schemes ?? []).map((scheme) => ({
              grades: [...(scheme.grades ?? [])].map(Number),
              kind: scheme.kind ?? '',
              periods: (scheme.periods ?? []).map((p) => ({
                number: Number(p.number ?? 0),
                startsOn: p.days?.starts_on ?? '',
                endsOn: p.days?.ends_on ?? '',
              })),
            })),
            closures: (year.closures ?? []).map((c) => ({
              reason: c.reason ?? '',
              startsOn: c.days?.starts_on ?? '',
              endsOn: c.days?.ends_on ?? '',
              grades: [...(c.grades ?? [])].map(Number),
            })),
            transfers: (year.transfers ?? []).map((t) => ({
              date: t.date ?? '',
              worksAs: Number(t.works_as ?? 0),
            })),
          },
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
          letter: c.letter ?? '',
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
        subgroup: {
          id: s.subgroup_id || event.aggregateId,
          schoolId: s.school_id || event.schoolId,
          academicYearId: s.academic_year_id ?? '',
          classId: s.class_id ?? '',
          subjectKey: s.subject_key ?? '',
          name: s.name ?? '',
          teacherId: s.teacher_id ?? '',
          memberIds: [...(s.member_ids ?? [])],
          status: s.status === 'closed' ? 'closed' : 'open',
          version,
        },
      };
    }
    case 'staff': {
      const position = required(p.position, event, 'position');
      return {
        kind: 'staffPosition',
        position: {
          id: position.position_id || event.aggregateId,
          schoolId: position.school_id || event.schoolId,
          personId: position.person_id ?? '',
          kind: position.kind ?? '',
          title: position.title ?? '',
          status: position.status === 'active' ? 'active' : 'dismissed',
          version,
        },
      };
    }
    case 'person': {
      const person = required(p.person, event, 'person');
      return {
        kind: 'person',
        personKind: person.kind ?? '',
        person: {
          id: person.person_id || event.aggregateId,
          schoolId: person.school_id || event.schoolId,
          displayName: person.display_name ?? '',
          status: person.status ?? '',
          version,
        },
      };
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
