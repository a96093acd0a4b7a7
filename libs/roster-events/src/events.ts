import type { EventEnvelope } from '@edu/events';
import type { AcademicYearState } from '@edu/proto/dist/generated/edu/events/v1/AcademicYearState';
import type { ClassState } from '@edu/proto/dist/generated/edu/events/v1/ClassState';
import type { EnrolmentState } from '@edu/proto/dist/generated/edu/events/v1/EnrolmentState';
import type { GuardianshipState } from '@edu/proto/dist/generated/edu/events/v1/GuardianshipState';
import type { MovementFact } from '@edu/proto/dist/generated/edu/events/v1/MovementFact';
import type { PersonState } from '@edu/proto/dist/generated/edu/events/v1/PersonState';
import type { SchoolCard } from '@edu/proto/dist/generated/edu/events/v1/SchoolCard';
import type { StaffPositionState } from '@edu/proto/dist/generated/edu/events/v1/StaffPositionState';
import type { SubgroupState } from '@edu/proto/dist/generated/edu/events/v1/SubgroupState';

/** Roster's topic (after the environment's prefix): every roster fact, keyed by school. */
export const ROSTER_TOPIC = 'edu.roster.v1';

/**
 * Every event roster publishes with its payload message (proto/edu/events/v1/roster.proto), for
 * a consumer's codec: a consumer picks the types it handles from here instead of restating them.
 */
export const ROSTER_EVENT_PAYLOADS = {
  'edu.roster.school.created': 'edu.events.v1.SchoolCreated',
  'edu.roster.school.updated': 'edu.events.v1.SchoolUpdated',
  'edu.roster.academic_year.opened': 'edu.events.v1.AcademicYearOpened',
  'edu.roster.academic_year.calendar_changed': 'edu.events.v1.CalendarChanged',
  'edu.roster.academic_year.closed': 'edu.events.v1.AcademicYearClosed',
  'edu.roster.academic_year.rolled_over': 'edu.events.v1.YearRolledOver',
  'edu.roster.person.registered': 'edu.events.v1.PersonRegistered',
  'edu.roster.person.updated': 'edu.events.v1.PersonUpdated',
  'edu.roster.class.opened': 'edu.events.v1.ClassOpened',
  'edu.roster.class.renamed': 'edu.events.v1.ClassRenamed',
  'edu.roster.class.teacher_assigned': 'edu.events.v1.ClassTeacherAssigned',
  'edu.roster.class.closed': 'edu.events.v1.ClassClosed',
  'edu.roster.student.enrolled': 'edu.events.v1.StudentEnrolled',
  'edu.roster.student.transferred': 'edu.events.v1.StudentTransferred',
  'edu.roster.student.withdrawn': 'edu.events.v1.StudentWithdrawn',
  'edu.roster.student.promoted': 'edu.events.v1.StudentPromoted',
  'edu.roster.student.graduated': 'edu.events.v1.StudentGraduated',
  'edu.roster.guardian.linked': 'edu.events.v1.GuardianLinked',
  'edu.roster.guardian.unlinked': 'edu.events.v1.GuardianUnlinked',
  'edu.roster.consent.recorded': 'edu.events.v1.ConsentRecorded',
  'edu.roster.consent.revoked': 'edu.events.v1.ConsentRevoked',
  'edu.roster.staff.hired': 'edu.events.v1.StaffHired',
  'edu.roster.staff.position_changed': 'edu.events.v1.StaffPositionChanged',
  'edu.roster.staff.dismissed': 'edu.events.v1.StaffDismissed',
  'edu.roster.subgroup.formed': 'edu.events.v1.SubgroupFormed',
  'edu.roster.subgroup.members_changed': 'edu.events.v1.SubgroupMembersChanged',
  'edu.roster.subgroup.changed': 'edu.events.v1.SubgroupChanged',
  'edu.roster.subgroup.disbanded': 'edu.events.v1.SubgroupDisbanded',
} as const;

/** A roster event type, e.g. `edu.roster.class.opened`. */
export type RosterEventType = keyof typeof ROSTER_EVENT_PAYLOADS;

/** The entity of a roster event type: `class` of `edu.roster.class.opened`. */
export type RosterEntity = RosterEventType extends `edu.roster.${infer E}.${string}` ? E : never;

/** The entity and the action of an event type (`edu.roster.<entity>.<action>`); '' where absent. */
export function rosterEventParts(type: string): { entity: string; action: string } {
  const [, , entity = '', action = ''] = type.split('.');
  return { entity, action };
}

/**
 * The roster events about the entities named, but for the types excepted, with their payload
 * messages: what a consumer hands its codec and checks `type in` against.
 */
export function rosterEventsAbout(
  entities: readonly RosterEntity[],
  except: readonly RosterEventType[] = [],
): Record<string, string> {
  const wanted = new Set<string>(entities);
  const skipped = new Set<string>(except);
  return Object.fromEntries(
    Object.entries(ROSTER_EVENT_PAYLOADS).filter(
      ([type]) => wanted.has(rosterEventParts(type).entity) && !skipped.has(type),
    ),
  );
}

/**
 * The state fields roster's payloads carry (proto field names, keepCase): each event carries one
 * of them (the student events two), besides fields of its own that a consumer reads itself.
 */
export interface RosterPayload {
  school?: SchoolCard | null;
  academic_year?: AcademicYearState | null;
  school_class?: ClassState | null;
  subgroup?: SubgroupState | null;
  position?: StaffPositionState | null;
  person?: PersonState | null;
  enrolment?: EnrolmentState | null;
  movement?: MovementFact | null;
  guardianship?: GuardianshipState | null;
}

/** What the mappers read of an envelope: the ids that stand in for a state's empty ones, and the version. */
export type RosterEnvelope = Pick<
  EventEnvelope<unknown>,
  'id' | 'type' | 'schoolId' | 'aggregateId' | 'aggregateVersion'
>;

/**
 * The value, or an error naming the event when it is absent (or empty): a handled type without
 * its state can never be applied, so the consumer retries it and then sends it to the DLQ.
 */
export function requiredPayload<T>(value: T | null | undefined, event: RosterEnvelope, field: string): T {
  if (!value) throw new Error(`${event.type} ${event.id} carries no ${field}`);
  return value;
}
