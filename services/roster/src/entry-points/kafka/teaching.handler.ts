import type { EventEnvelope, EventHandler } from '@edu/events';
import type { Logger } from '@edu/kit';
import type { TeachingAssignmentState } from '@edu/proto/dist/generated/edu/events/v1/TeachingAssignmentState';
import type { TeachingCopyRepository } from '../../domain/ports';
import type { TeachingCopy } from '../../domain/teaching';

/** The schedule events roster handles, with their payload messages (for the codec). */
export const HANDLED_SCHEDULE_EVENTS = {
  'edu.schedule.teaching.assigned': 'edu.events.v1.TeachingAssigned',
  'edu.schedule.teaching.unassigned': 'edu.events.v1.TeachingUnassigned',
};

/** Maps schedule's event into roster's own type at the edge. */
function toCopy(event: EventEnvelope<{ assignment?: TeachingAssignmentState | null }>): TeachingCopy {
  const a = event.payload.assignment;
  if (!a?.assignment_id || !a.teacher_id || !a.class_id) {
    throw new Error(`${event.type} ${event.id} carries no assignment with a teacher and a class`);
  }
  return {
    assignmentId: a.assignment_id,
    schoolId: a.school_id ?? '',
    academicYearId: a.academic_year_id ?? '',
    teacherId: a.teacher_id,
    classId: a.class_id,
    subgroupId: a.subgroup_id ?? '',
    subjectKey: a.subject_key ?? '',
    startsOn: a.starts_on ?? '',
    endsOn: a.ends_on ?? '',
    status: a.status === 'ended' ? 'ended' : 'active',
    version: event.aggregateVersion,
  };
}

/** Keeps roster's copy of teaching assignments, idempotently by the assignment's version. */
export function teachingHandler(copies: TeachingCopyRepository, logger: Logger): EventHandler {
  return async (event) => {
    const copy = toCopy(event as EventEnvelope<{ assignment?: TeachingAssignmentState | null }>);
    const applied = await copies.apply(copy);
    logger.debug(
      {
        eventId: event.id,
        type: event.type,
        assignmentId: copy.assignmentId,
        version: copy.version,
        applied,
      },
      applied ? 'teaching assignment applied' : 'teaching assignment already as new or newer; skipped',
    );
  };
}
