import { saveVersioned, type VersionedSaveOptions } from '@edu/events';
import type { Model } from 'mongoose';
import type { CurriculumEvent, CurriculumRepository, RequestContext } from '../domain/ports';
import { curriculumVersionConflict } from '../domain/curriculum.use-cases';
import { fromDocument, toCurriculumState, toDocument } from './curriculum.mapper';
import type { CurriculumDocument } from './curriculum.model';
import { scheduleEnvelope } from './schedule-events';

/** More classes than any school's year has; the list is not paged. */
const LIST_LIMIT = 500;

export interface CurriculumRepositoryOptions extends VersionedSaveOptions {
  onEventsWritten: () => void;
}

/** Curricula in their own collection; a change and its event are one write (outbox). */
export function createCurriculumRepository(
  curricula: Model<CurriculumDocument>,
  { onEventsWritten, ...options }: CurriculumRepositoryOptions,
): CurriculumRepository {
  const envelopes = (events: CurriculumEvent[], ctx: RequestContext) =>
    events.map((event) =>
      scheduleEnvelope(
        {
          type: event.type,
          schoolId: event.curriculum.schoolId,
          aggregateId: event.curriculum.id,
          aggregateVersion: event.curriculum.version,
          payload: { curriculum: toCurriculumState(event.curriculum, event.weeks) },
        },
        ctx,
      ),
    );

  return {
    async save(curriculum, expectedVersion, events, ctx) {
      await saveVersioned(
        curricula,
        toDocument(curriculum),
        expectedVersion,
        envelopes(events, ctx),
        options,
        curriculumVersionConflict,
      );
      onEventsWritten();
    },

    async get(id) {
      const doc = await curricula.findById(id).lean<CurriculumDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async listByYear(schoolId, academicYearId) {
      const docs = await curricula
        .find({ schoolId, academicYearId })
        .limit(LIST_LIMIT)
        .lean<CurriculumDocument[]>();
      return docs.map(fromDocument);
    },
  };
}
