import type { EventEnvelope, EventHandler } from '@edu/events';
import type { Logger } from '@edu/kit';
import type { LessonRecordChanged } from '@edu/proto/dist/generated/edu/events/v1/LessonRecordChanged';
import { recordJournalContent, regenerateYearLessons, type LessonDeps } from '../../domain/lesson.use-cases';
import type { RosterCopyReader } from '../../domain/ports';
import { SYSTEM_CONTEXT } from '../../data-access/schedule-events';

/** Gradebook's topic (after the environment's prefix): whether lessons have journal content. */
export const GRADEBOOK_TOPIC = 'edu.gradebook.v1';

/** The gradebook events schedule handles, with their payload messages (for the codec). */
export const HANDLED_GRADEBOOK_EVENTS = {
  'edu.gradebook.lesson.record_changed': 'edu.events.v1.LessonRecordChanged',
};

/**
 * Gradebook's `lesson.record_changed` → the lesson's `hasJournalContent`, newest record version
 * (the envelope's aggregate version) winning: a repeat or an older one changes nothing. A lesson
 * schedule does not know is skipped (logged).
 */
export function gradebookHandler(deps: Pick<LessonDeps, 'lessons'>, logger: Logger): EventHandler {
  return async (event) => {
    const payload = (event as EventEnvelope<LessonRecordChanged>).payload;
    const lessonId = payload.lesson_id || event.aggregateId;
    if (!lessonId) throw new Error(`${event.type} ${event.id} names no lesson`);
    const applied = await recordJournalContent(deps, {
      lessonId,
      schoolId: payload.school_id || event.schoolId,
      hasContent: payload.has_content ?? false,
      recordVersion: event.aggregateVersion,
    });
    logger.debug(
      { eventId: event.id, type: event.type, lessonId, version: event.aggregateVersion, applied },
      'gradebook event handled',
    );
  };
}

/**
 * After roster's year event is in the copy: when the copy holds this very version of an open year
 * (not an older event delivered late), regenerates the lessons of every published period of the
 * year — closures, holidays, transfers or periods may have changed. Idempotent: with nothing
 * changed the comparison writes nothing, so a redelivery (after a crash in between) is safe.
 */
export function lessonsAfterRosterEvent(
  deps: Pick<LessonDeps, 'lessons' | 'subjects' | 'now'> & {
    roster: Pick<RosterCopyReader, 'year' | 'schoolClass' | 'subgroups'>;
  },
  logger: Logger,
): (event: EventEnvelope<unknown>) => Promise<void> {
  return async (event) => {
    if (!event.type.startsWith('edu.roster.academic_year.')) return;
    const year = await deps.roster.year(event.aggregateId);
    if (!year || year.version !== event.aggregateVersion || year.status !== 'open') return;
    const results = await regenerateYearLessons(
      deps,
      { ...SYSTEM_CONTEXT, traceId: event.traceId },
      { schoolId: year.schoolId, academicYearId: year.id },
    );
    if (results.length > 0) {
      logger.info(
        {
          academicYearId: year.id,
          periods: results.length,
          scheduled: results.reduce((n, r) => n + r.scheduled, 0),
          rescheduled: results.reduce((n, r) => n + r.rescheduled, 0),
          cancelled: results.reduce((n, r) => n + r.cancelled, 0),
          kept: results.reduce((n, r) => n + r.keptCount, 0),
        },
        'lessons regenerated after a calendar change',
      );
    }
  };
}
