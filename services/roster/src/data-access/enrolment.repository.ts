import type { Model } from 'mongoose';
import { outboxFields, withOutbox, type EventCodec, type OutboxLock } from '@edu/events';
import { conflict } from '@edu/kit';
import type { EnrolmentEvent, EnrolmentRepository, RequestContext } from '../domain/ports';
import { fromDocument, toDocument, toEnrolmentState, toMovementFact } from './enrolment.mapper';
import type { EnrolmentDocument } from './enrolment.model';
import { rosterEnvelope } from './roster-events';

const DUPLICATE_KEY = 11000;
/** Documents per insert command of an import. */
const IMPORT_CHUNK = 500;

export interface EnrolmentRepositoryOptions {
  codec: EventCodec;
  /** `edu.roster.v1` with the environment's prefix. */
  topic: string;
  onEventsWritten: () => void;
  /** The relay's lock: on FerretDB 1.x an update must not interleave with the relay's. */
  lock: OutboxLock;
}

const versionConflict = () =>
  conflict('enrolment.version_conflict', 'Данные о зачислении уже изменили: обновите страницу и повторите');

/** Enrolments in their own collection; a movement and its event are one write (outbox). */
export function createEnrolmentRepository(
  enrolments: Model<EnrolmentDocument>,
  { codec, topic, onEventsWritten, lock }: EnrolmentRepositoryOptions,
): EnrolmentRepository {
  const envelopes = (events: EnrolmentEvent[], ctx: RequestContext) =>
    events.map((event) =>
      rosterEnvelope(
        {
          type: event.type,
          schoolId: event.enrolment.schoolId,
          aggregateId: event.enrolment.id,
          aggregateVersion: event.enrolment.version,
          payload: { enrolment: toEnrolmentState(event.enrolment), movement: toMovementFact(event.movement) },
        },
        ctx,
      ),
    );

  return {
    async create(enrolment, events, ctx) {
      try {
        await enrolments.create({
          ...toDocument(enrolment),
          ...outboxFields(envelopes(events, ctx), { topic, codec }),
        });
      } catch (error) {
        // The same student enrolled at the same moment by someone else: one of the two wins.
        if ((error as { code?: number }).code === DUPLICATE_KEY) throw versionConflict();
        throw error;
      }
      onEventsWritten();
    },

    async createMany(items, ctx) {
      if (items.length === 0) return;
      const docs = items.map(({ enrolment, events }) => ({
        ...toDocument(enrolment),
        ...outboxFields(envelopes(events, ctx), { topic, codec }),
      }));
      for (let i = 0; i < docs.length; i += IMPORT_CHUNK) {
        try {
          await enrolments.insertMany(docs.slice(i, i + IMPORT_CHUNK), { ordered: true, lean: true });
        } catch (error) {
          if ((error as { code?: number }).code === DUPLICATE_KEY) throw versionConflict();
          throw error;
        }
      }
      onEventsWritten();
    },

    async update(enrolment, expectedVersion, events, ctx) {
      const { _id, ...fields } = toDocument(enrolment);
      const update = withOutbox<EnrolmentDocument>({ $set: fields }, envelopes(events, ctx), {
        topic,
        codec,
      });
      const { matchedCount } = await lock.run(enrolments, [_id], () =>
        enrolments.updateOne({ _id, version: expectedVersion }, update),
      );
      if (matchedCount === 0) throw versionConflict();
      onEventsWritten();
    },

    async get(id) {
      const doc = await enrolments.findById(id).lean<EnrolmentDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async listActiveInClass(classId) {
      const docs = await enrolments
        .find({ classId, status: 'active' })
        .limit(2000)
        .lean<EnrolmentDocument[]>();
      return docs.map(fromDocument);
    },

    async listByYear(academicYearId) {
      const docs = await enrolments.find({ academicYearId }).lean<EnrolmentDocument[]>();
      return docs.map(fromDocument);
    },

    countActiveInClass: (classId) => enrolments.countDocuments({ classId, status: 'active' }),

    async listByStudent(studentId) {
      const docs = await enrolments.find({ studentId }).limit(50).lean<EnrolmentDocument[]>();
      // The latest year first: by the first movement's date (year ids carry no order).
      const since = (e: { movements: { effectiveOn: string }[] }) => e.movements[0]?.effectiveOn ?? '';
      return docs.map(fromDocument).sort((a, b) => since(b).localeCompare(since(a)));
    },
  };
}
