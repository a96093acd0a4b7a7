import { newEvent, type EventEnvelope } from '@edu/events';
import type { RequestContext } from '../domain/ports';

/** Schedule's topic (after the environment's prefix): every schedule fact, keyed by school. */
export const SCHEDULE_TOPIC = 'edu.schedule.v1';

/** The payload message of each event schedule publishes, for the codec. */
export const SCHEDULE_EVENT_TYPES = {
  'edu.schedule.subject.created': 'edu.events.v1.SubjectCreated',
  'edu.schedule.teaching.assigned': 'edu.events.v1.TeachingAssigned',
  'edu.schedule.teaching.unassigned': 'edu.events.v1.TeachingUnassigned',
  'edu.schedule.bells.set': 'edu.events.v1.BellScheduleSet',
  'edu.schedule.curriculum.set': 'edu.events.v1.CurriculumSet',
  'edu.schedule.timetable.published': 'edu.events.v1.TimetablePublished',
  'edu.schedule.event.scheduled': 'edu.events.v1.SchoolEventScheduled',
  'edu.schedule.event.changed': 'edu.events.v1.SchoolEventChanged',
  'edu.schedule.event.cancelled': 'edu.events.v1.SchoolEventCancelled',
  'edu.schedule.lesson.scheduled': 'edu.events.v1.LessonScheduled',
  'edu.schedule.lesson.rescheduled': 'edu.events.v1.LessonRescheduled',
  'edu.schedule.lesson.cancelled': 'edu.events.v1.LessonCancelled',
  'edu.schedule.substitution.assigned': 'edu.events.v1.SubstitutionAssigned',
  'edu.schedule.substitution.revoked': 'edu.events.v1.SubstitutionRevoked',
};

/** The actor of what schedule does by itself (seeding the catalogue at start). */
export const SYSTEM_CONTEXT: RequestContext = {
  actor: { accountId: '', schoolRoles: [], grants: [] },
  traceId: '',
};

/**
 * A schedule fact in its envelope: keyed by school (a school's facts stay in order; "" for the
 * region-wide catalogue), with the caller.
 */
export function scheduleEnvelope<P>(
  fact: { type: string; schoolId: string; aggregateId: string; aggregateVersion: number; payload: P },
  ctx: RequestContext,
): EventEnvelope<P> {
  return newEvent({
    ...fact,
    actor: { accountId: ctx.actor.accountId, personId: ctx.actor.personId ?? '' },
    traceId: ctx.traceId,
  });
}
