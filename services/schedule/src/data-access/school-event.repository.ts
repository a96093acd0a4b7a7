import { saveVersioned, type VersionedSaveOptions } from '@edu/events';
import type { Model } from 'mongoose';
import type { RequestContext, SchoolEventFact, SchoolEventRepository } from '../domain/ports';
import { schoolEventVersionConflict } from '../domain/school-event.use-cases';
import { fromDocument, toDocument, toSchoolEventState } from './school-event.mapper';
import type { SchoolEventDocument } from './school-event.model';
import { scheduleEnvelope } from './schedule-events';

/** More events than any school's year has; the list is not paged. */
const LIST_LIMIT = 5_000;

export interface SchoolEventRepositoryOptions extends VersionedSaveOptions {
  onEventsWritten: () => void;
}

/** Events of the calendar in their own collection; a change and its facts are one write (outbox). */
export function createSchoolEventRepository(
  events: Model<SchoolEventDocument>,
  { onEventsWritten, ...options }: SchoolEventRepositoryOptions,
): SchoolEventRepository {
  const envelopes = (facts: SchoolEventFact[], ctx: RequestContext) =>
    facts.map((fact) =>
      scheduleEnvelope(
        {
          type: fact.type,
          schoolId: fact.event.schoolId,
          aggregateId: fact.event.id,
          aggregateVersion: fact.event.version,
          payload:
            fact.type === 'edu.schedule.event.changed'
              ? { event: toSchoolEventState(fact.event), change: fact.change }
              : { event: toSchoolEventState(fact.event) },
        },
        ctx,
      ),
    );
  const save = async (
    event: Parameters<SchoolEventRepository['create']>[0],
    expectedVersion: number,
    facts: SchoolEventFact[],
    ctx: RequestContext,
  ) => {
    await saveVersioned(
      events,
      toDocument(event),
      expectedVersion,
      envelopes(facts, ctx),
      options,
      schoolEventVersionConflict,
    );
    onEventsWritten();
  };

  return {
    create: (event, facts, ctx) => save(event, 0, facts, ctx),
    update: (event, expectedVersion, facts, ctx) => save(event, expectedVersion, facts, ctx),

    async get(id) {
      const doc = await events.findById(id).lean<SchoolEventDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async listByYear(schoolId, academicYearId) {
      const docs = await events
        .find({ schoolId, academicYearId })
        .limit(LIST_LIMIT)
        .lean<SchoolEventDocument[]>();
      return docs.map(fromDocument);
    },
  };
}
