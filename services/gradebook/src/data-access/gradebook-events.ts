import { newEvent, type EventEnvelope } from '@edu/events';
import type { GradebookFact, RequestContext } from '../domain/ports';

/** Gradebook's topic (after the environment's prefix): every journal fact, keyed by school. */
export const GRADEBOOK_TOPIC = 'edu.gradebook.v1';

/** The payload message of each event gradebook publishes, for the codec. */
export const GRADEBOOK_EVENT_TYPES = {
  'edu.gradebook.lesson.record_changed': 'edu.events.v1.LessonRecordChanged',
  'edu.gradebook.lesson.topic_set': 'edu.events.v1.LessonTopicSet',
  'edu.gradebook.homework.assigned': 'edu.events.v1.HomeworkAssigned',
  'edu.gradebook.homework.changed': 'edu.events.v1.HomeworkAssigned',
  'edu.gradebook.mark.posted': 'edu.events.v1.MarkPosted',
  'edu.gradebook.mark.corrected': 'edu.events.v1.MarkCorrected',
  'edu.gradebook.mark.voided': 'edu.events.v1.MarkVoided',
  'edu.gradebook.attendance.recorded': 'edu.events.v1.AttendanceRecorded',
  'edu.gradebook.absence.reason_set': 'edu.events.v1.AbsenceReasonSet',
  'edu.gradebook.period_mark.posted': 'edu.events.v1.PeriodMarkPosted',
  'edu.gradebook.period_mark.corrected': 'edu.events.v1.PeriodMarkCorrected',
  'edu.gradebook.plan.set': 'edu.events.v1.ThematicPlanSet',
  'edu.gradebook.policy.set': 'edu.events.v1.GradingPolicySet',
};

/** The actor of what gradebook does by itself. */
export const SYSTEM_CONTEXT: RequestContext = {
  actor: { accountId: '', schoolRoles: [], grants: [] },
  traceId: '',
};

/** Gradebook facts in their envelopes, keyed by school (a school's facts stay in order), with the caller. */
export function gradebookEnvelopes(facts: GradebookFact[], ctx: RequestContext): EventEnvelope<unknown>[] {
  return facts.map((fact) =>
    newEvent({
      ...fact,
      actor: { accountId: ctx.actor.accountId, personId: ctx.actor.personId ?? '' },
      traceId: ctx.traceId,
    }),
  );
}
