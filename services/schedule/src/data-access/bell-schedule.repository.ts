import { saveVersioned, type VersionedSaveOptions } from '@edu/events';
import type { Model } from 'mongoose';
import type { BellScheduleEvent, BellScheduleRepository, RequestContext } from '../domain/ports';
import { bellsVersionConflict } from '../domain/bell-schedule.use-cases';
import { fromDocument, toBellScheduleState, toDocument } from './bell-schedule.mapper';
import type { BellScheduleDocument } from './bell-schedule.model';
import { scheduleEnvelope } from './schedule-events';

export interface BellScheduleRepositoryOptions extends VersionedSaveOptions {
  onEventsWritten: () => void;
}

/** Bell schedules in their own collection; a change and its event are one write (outbox). */
export function createBellScheduleRepository(
  bellSchedules: Model<BellScheduleDocument>,
  { onEventsWritten, ...options }: BellScheduleRepositoryOptions,
): BellScheduleRepository {
  const envelopes = (events: BellScheduleEvent[], ctx: RequestContext) =>
    events.map((event) =>
      scheduleEnvelope(
        {
          type: event.type,
          schoolId: event.bellSchedule.schoolId,
          aggregateId: event.bellSchedule.id,
          aggregateVersion: event.bellSchedule.version,
          payload: { bell_schedule: toBellScheduleState(event.bellSchedule) },
        },
        ctx,
      ),
    );

  return {
    async save(bellSchedule, expectedVersion, events, ctx) {
      await saveVersioned(
        bellSchedules,
        toDocument(bellSchedule),
        expectedVersion,
        envelopes(events, ctx),
        options,
        bellsVersionConflict,
      );
      onEventsWritten();
    },

    async get(id) {
      const doc = await bellSchedules.findById(id).lean<BellScheduleDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async listBySchool(schoolId) {
      // At most one per shift.
      const docs = await bellSchedules.find({ schoolId }).limit(10).lean<BellScheduleDocument[]>();
      return docs.map(fromDocument);
    },
  };
}
