import { newEvent, type EventEnvelope } from '@edu/events';
import type { RequestContext } from '../domain/ports';

/** Roster's topic (after the environment's prefix): every roster fact, keyed by school. */
export const ROSTER_TOPIC = 'edu.roster.v1';

/** The payload message of each event roster publishes, for the codec. */
export const ROSTER_EVENT_TYPES = {
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
};

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
