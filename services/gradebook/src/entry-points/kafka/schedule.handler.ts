import type { EventEnvelope, EventHandler, EventRuns } from '@edu/events';
import type { Logger } from '@edu/kit';
import type { CurriculumState } from '@edu/proto/dist/generated/edu/events/v1/CurriculumState';
import type { LessonState } from '@edu/proto/dist/generated/edu/events/v1/LessonState';
import { applyScheduleFact, type CopyWriter, type ScheduleFact } from '../../domain/copies';

/** Schedule's topic (after the environment's prefix): lessons, substitutions, curricula. */
export const SCHEDULE_TOPIC = 'edu.schedule.v1';

/** The schedule events gradebook keeps copies from, with their payload messages (for the codec). */
export const HANDLED_SCHEDULE_EVENTS = {
  'edu.schedule.lesson.scheduled': 'edu.events.v1.LessonScheduled',
  'edu.schedule.lesson.rescheduled': 'edu.events.v1.LessonRescheduled',
  'edu.schedule.lesson.cancelled': 'edu.events.v1.LessonCancelled',
  'edu.schedule.substitution.assigned': 'edu.events.v1.SubstitutionAssigned',
  'edu.schedule.substitution.revoked': 'edu.events.v1.SubstitutionRevoked',
  'edu.schedule.curriculum.set': 'edu.events.v1.CurriculumSet',
};

/** The payload fields the handled events carry (each event has one of them). */
interface SchedulePayload {
  lesson?: LessonState | null;
  curriculum?: CurriculumState | null;
}

function required<T>(value: T | null | undefined, event: EventEnvelope<unknown>, field: string): T {
  // A handled type without its state can never be applied: retried, then the DLQ.
  if (!value) throw new Error(`${event.type} ${event.id} carries no ${field}`);
  return value;
}

/**
 * Maps schedule's event into gradebook's own types at the edge. Every lesson event carries the
 * whole lesson, its version the envelope's aggregate version; a curriculum carries the whole plan.
 */
export function toScheduleFact(event: EventEnvelope<SchedulePayload>): ScheduleFact {
  const version = event.aggregateVersion;
  if (event.type === 'edu.schedule.curriculum.set') {
    const c = required(event.payload.curriculum, event, 'curriculum');
    return {
      kind: 'curriculum',
      curriculum: {
        schoolId: c.school_id || event.schoolId,
        academicYearId: required(c.academic_year_id, event, 'academic_year_id'),
        classId: required(c.class_id, event, 'class_id'),
        lines: (c.lines ?? []).map((line) => ({
          subjectId: line.subject_id ?? '',
          subjectKey: line.subject_key ?? '',
          subjectName: line.subject_name ?? '',
          hoursPerWeek: Number(line.hours_per_week ?? 0),
          hoursPerYear: Number(line.hours_per_year ?? 0),
        })),
        version,
      },
    };
  }
  const l = required(event.payload.lesson, event, 'lesson');
  return {
    kind: 'lesson',
    fact: {
      course: {
        schoolId: l.school_id || event.schoolId,
        academicYearId: required(l.academic_year_id, event, 'academic_year_id'),
        classId: required(l.class_id, event, 'class_id'),
        className: l.class_name ?? '',
        subgroupId: l.subgroup_id ?? '',
        subgroupName: l.subgroup_name ?? '',
        subjectId: required(l.subject_id, event, 'subject_id'),
        subjectKey: l.subject_key ?? '',
        subjectName: l.subject_name ?? '',
        subjectShortName: l.subject_short_name ?? '',
      },
      lesson: {
        lessonId: l.lesson_id || event.aggregateId,
        period: Number(l.period ?? 0),
        date: required(l.date, event, 'date'),
        lessonNumber: Number(l.lesson_number ?? 0),
        startsAt: l.starts_at ?? '',
        endsAt: l.ends_at ?? '',
        teacherId: l.teacher_id ?? '',
        substituteTeacherId: l.substitute_teacher_id ?? '',
        room: l.room ?? '',
        status: l.status === 'cancelled' ? 'cancelled' : 'scheduled',
        version,
      },
    },
  };
}

/** Applies schedule's events to gradebook's courses, idempotently by version; other types are skipped. */
export function scheduleCopyHandler(copy: CopyWriter, logger: Logger): EventHandler {
  return async (event) => {
    if (!(event.type in HANDLED_SCHEDULE_EVENTS)) return;
    const outcome = await applyScheduleFact(copy, toScheduleFact(event as EventEnvelope<SchedulePayload>));
    logger.debug(
      {
        eventId: event.id,
        type: event.type,
        aggregateId: event.aggregateId,
        version: event.aggregateVersion,
        outcome,
      },
      'schedule event handled',
    );
  };
}

/**
 * Runs of schedule's lesson events applied together: a published period is thousands of lessons
 * in a row, and one course write per run instead of one per lesson is what keeps the journal's
 * copy up with it.
 */
export function scheduleLessonRuns(copy: CopyWriter, logger: Logger): EventRuns {
  return {
    accepts: (event) => event.type in HANDLED_SCHEDULE_EVENTS && event.type !== 'edu.schedule.curriculum.set',
    async handle(events) {
      const facts = events.map((event) => {
        const fact = toScheduleFact(event as EventEnvelope<SchedulePayload>);
        if (fact.kind !== 'lesson') throw new Error(`${event.type} is not a lesson fact`);
        return fact.fact;
      });
      const applied = await copy.putLessons(facts);
      logger.debug({ events: events.length, applied }, 'a run of lesson events handled');
    },
  };
}
