import { saveVersioned, type VersionedSaveOptions } from '@edu/events';
import type { Model } from 'mongoose';
import type { TimetableRepository } from '../domain/ports';
import { timetableVersionConflict } from '../domain/timetable.use-cases';
import {
  fromDocument,
  fromPublicationDocument,
  toDocument,
  toPublicationDocument,
  toPublishedPayload,
} from './timetable.mapper';
import type { ClassTimetableDocument, TimetablePublicationDocument } from './timetable.model';
import { scheduleEnvelope } from './schedule-events';

/** More weeks than a school's year has (classes × periods); the list is not paged. */
const LIST_LIMIT = 2_000;

export interface TimetableRepositoryOptions extends VersionedSaveOptions {
  onEventsWritten: () => void;
}

/**
 * Classes' weeks (no events) and the publications (with their event, outbox) in two collections;
 * both replaced by version.
 */
export function createTimetableRepository(
  models: {
    timetables: Model<ClassTimetableDocument>;
    publications: Model<TimetablePublicationDocument>;
  },
  { onEventsWritten, ...options }: TimetableRepositoryOptions,
): TimetableRepository {
  return {
    async save(timetable, expectedVersion) {
      // The weeks' collection has no outbox: the document's own fields only.
      await saveVersioned(
        models.timetables,
        toDocument(timetable),
        expectedVersion,
        [],
        options,
        timetableVersionConflict,
      );
    },

    async get(id) {
      const doc = await models.timetables.findById(id).lean<ClassTimetableDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async listByYear(schoolId, academicYearId) {
      const docs = await models.timetables
        .find({ schoolId, academicYearId })
        .limit(LIST_LIMIT)
        .lean<ClassTimetableDocument[]>();
      return docs.map(fromDocument);
    },

    async getPublication(id) {
      const doc = await models.publications.findById(id).lean<TimetablePublicationDocument>();
      return doc ? fromPublicationDocument(doc) : null;
    },

    async publish(publication, expectedVersion, events, ctx) {
      const envelopes = events.map((event) =>
        scheduleEnvelope(
          {
            type: event.type,
            schoolId: event.publication.schoolId,
            aggregateId: event.publication.id,
            aggregateVersion: event.publication.version,
            payload: toPublishedPayload(event),
          },
          ctx,
        ),
      );
      const doc = toPublicationDocument(publication);
      await saveVersioned(
        models.publications,
        doc,
        expectedVersion,
        envelopes,
        options,
        timetableVersionConflict,
      );
      onEventsWritten();
    },

    // A key of its own under the weeks' collection (ids are UUIDs: no document has this one), so
    // the relay, which locks documents by id, never waits for it.
    exclusive: (schoolId, academicYearId, work) =>
      options.lock.run(models.timetables, [`school:${schoolId}:${academicYearId}`], work),
  };
}
