import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { outboxFields, withOutbox, type EventCodec, type OutboxLock } from '@edu/events';
import { conflict } from '@edu/kit';
import type { EnrolmentEvent, EnrolmentRepository, RequestContext } from '../domain/ports';
import { fromDocument, toDocument, toEnrolmentState, toMovementFact } from './enrolment.mapper';
import type { EnrolmentDocument } from './enrolment.model';
import { rosterEnvelope } from './roster-events';

const DUPLICATE_KEY = 11000;
/** Documents per insert command of an import or a rollover. */
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

/** The collection that keeps a bulk replacement's new documents until all of them are in place. */
export const ENROLMENT_JOURNAL = 'enrolment_journal';

interface JournalEntry {
  _id: string;
  /** The documents as they are to be, outbox included. */
  docs: EnrolmentDocument[];
  at: Date;
}

/** The enrolment repository, plus what the service runs at start. */
export interface EnrolmentStore extends EnrolmentRepository {
  /**
   * Finishes bulk replacements a crash interrupted (see `endMany`): puts back every document a
   * journal entry holds that is missing from the collection, then drops the entry.
   */
  recover(): Promise<void>;
}

/** Enrolments in their own collection; a movement and its event are one write (outbox). */
export function createEnrolmentRepository(
  enrolments: Model<EnrolmentDocument>,
  { codec, topic, onEventsWritten, lock }: EnrolmentRepositoryOptions,
): EnrolmentStore {
  const journal = enrolments.db.collection<JournalEntry>(ENROLMENT_JOURNAL);
  // The driver's collection, typed: documents go back exactly as read (outbox bytes included).
  const raw = enrolments.db.collection<EnrolmentDocument>(enrolments.collection.collectionName);
  const insertChunks = async (docs: EnrolmentDocument[]) => {
    for (let i = 0; i < docs.length; i += IMPORT_CHUNK) {
      await raw.insertMany(docs.slice(i, i + IMPORT_CHUNK), { ordered: true });
    }
  };
  async function recover(): Promise<void> {
    for (const entry of await journal.find({}).toArray()) {
      const ids = entry.docs.map((doc) => doc._id);
      const present = new Set(
        (await enrolments.find({ _id: { $in: ids } }, { _id: 1 }).lean<{ _id: string }[]>()).map(
          (d) => d._id,
        ),
      );
      await insertChunks(entry.docs.filter((doc) => !present.has(doc._id)));
      await journal.deleteOne({ _id: entry._id });
    }
  }

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

    // FerretDB 1.24 (SQLite) scans the whole collection for every update statement, also for
    // `{ _id }` and for each document of an `updateMany` (180 graduates of a 2,000-student school:
    // over 30 s), while a find, a delete by `$in` and an insert each scan at most once. So the
    // enrolments are replaced: the new documents (their pending outbox carried over) go to a
    // journal entry first, then the old ones are deleted and the new ones inserted in bulk, then
    // the entry is dropped. A crash in between loses nothing: `recover` (at start, and before
    // the next `endMany`) puts back whatever the entry holds and the collection lacks.
    async endMany(items, status) {
      if (items.length === 0) return 0;
      const movementOf = new Map(items.map(({ id, movement }) => [id, movement]));
      const ids = [...movementOf.keys()];
      return lock.run(enrolments, ids, async () => {
        await recover();
        const current = await enrolments
          .find({ _id: { $in: ids }, status: 'active' })
          .select('+outbox')
          .lean<EnrolmentDocument[]>();
        if (current.length === 0) return 0;
        const ended = current.map((doc) => {
          const movement = movementOf.get(doc._id)!;
          return {
            ...doc,
            status,
            classId: '',
            movements: [...doc.movements, { ...movement, recordedAt: new Date(movement.recordedAt) }],
            version: doc.version + 1,
          };
        });
        const entry = { _id: randomUUID(), docs: ended, at: new Date() };
        await journal.insertOne(entry);
        await raw.deleteMany({ _id: { $in: ended.map((doc) => doc._id) } });
        await insertChunks(ended);
        await journal.deleteOne({ _id: entry._id });
        if (ended.some((doc) => doc.outboxPending)) onEventsWritten();
        return ended.length;
      });
    },

    recover,

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

    async countActiveByClass(academicYearId) {
      const groups = await enrolments.aggregate<{ _id: string; count: number }>([
        { $match: { academicYearId, status: 'active' } },
        { $group: { _id: '$classId', count: { $sum: 1 } } },
      ]);
      return new Map(groups.map((g) => [g._id, g.count]));
    },

    async listByStudent(studentId) {
      const docs = await enrolments.find({ studentId }).limit(50).lean<EnrolmentDocument[]>();
      // The latest year first: by the first movement's date (year ids carry no order).
      const since = (e: { movements: { effectiveOn: string }[] }) => e.movements[0]?.effectiveOn ?? '';
      return docs.map(fromDocument).sort((a, b) => since(b).localeCompare(since(a)));
    },
  };
}
