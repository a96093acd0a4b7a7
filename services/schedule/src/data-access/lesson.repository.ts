import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { outboxFields, type EventCodec, type OutboxLock } from '@edu/events';
import { putIfNewer } from '@edu/store';
import type { LessonChange } from '../domain/lesson';
import type { LessonRepository, LessonTemplate, RequestContext } from '../domain/ports';
import type { ChunkLesson, LessonChangeBatchDocument } from './lesson-change-batch.model';
import { fromDocument, toDocument, toEventPayload } from './lesson.mapper';
import type { LessonDocument } from './lesson.model';
import type { LessonTemplateDocument } from './lesson-template.model';
import { scheduleEnvelope } from './schedule-events';

/** Lessons per chunk: one document of states and events (≈ 400 KB at 500), one bulk write. */
export const LESSON_CHUNK = 500;

export interface LessonRepositoryOptions {
  codec: EventCodec;
  /** `edu.schedule.v1` with the environment's prefix. */
  topic: string;
  /** The relay's lock: the chunks carry an outbox, and the relay rewrites them. */
  lock: OutboxLock;
  /** Wakes the relay after chunks were written. */
  onEventsWritten: () => void;
  /**
   * Runs a bulk write with the relay standing still (`relay.quiet`): on FerretDB over SQLite the
   * relay's rounds next to a generation's inserts slow both down.
   */
  quiet: <T>(write: () => Promise<T>) => Promise<T>;
}

type StoredLesson = Pick<LessonDocument, 'version' | 'hasJournalContent' | 'journalVersion'> & {
  _id: string;
};

/**
 * Lessons (no outbox), their change chunks (with the outbox) and the published templates. A chunk
 * is applied by deleting the lessons it replaces and inserting their new states: FerretDB 1.24
 * reads the whole collection for every update (an update per lesson would cost a scan per lesson),
 * while an insert of 500 documents costs about as much as one find by id.
 */
export function createLessonRepository(
  models: {
    lessons: Model<LessonDocument>;
    batches: Model<LessonChangeBatchDocument>;
    templates: Model<LessonTemplateDocument>;
  },
  { codec, topic, lock, onEventsWritten, quiet }: LessonRepositoryOptions,
): LessonRepository {
  const { lessons, batches, templates } = models;
  const strip = ({ previousVersion: _previous, ...doc }: ChunkLesson): LessonDocument => doc;

  /** Right after the chunk was written, under the school's lock: the stored versions are known. */
  async function applyFresh(chunk: ChunkLesson[]): Promise<void> {
    const replaced = chunk.filter((l) => l.previousVersion > 0).map((l) => l._id);
    if (replaced.length > 0) await lessons.collection.deleteMany({ _id: { $in: replaced } } as never);
    await lessons.collection.insertMany(chunk.map(strip) as never[], { ordered: false });
  }

  /**
   * A chunk left by a crash, maybe partly applied: only the lessons stored at an older version (or
   * missing) are written, keeping a journal flag recorded since; the rest is already there.
   */
  async function applyAgain(chunk: ChunkLesson[]): Promise<void> {
    const stored = new Map(
      (
        await lessons.collection
          .find<StoredLesson>({ _id: { $in: chunk.map((l) => l._id) } } as never, {
            projection: { version: 1, hasJournalContent: 1, journalVersion: 1 },
          })
          .toArray()
      ).map((doc) => [doc._id, doc]),
    );
    const due = chunk
      .filter((l) => (stored.get(l._id)?.version ?? 0) < l.version)
      .map((l) => {
        const current = stored.get(l._id);
        return current && (current.journalVersion ?? 0) > l.journalVersion
          ? {
              ...strip(l),
              hasJournalContent: current.hasJournalContent,
              journalVersion: current.journalVersion,
            }
          : strip(l);
      });
    const present = due.filter((l) => stored.has(l._id)).map((l) => l._id);
    if (present.length > 0) await lessons.collection.deleteMany({ _id: { $in: present } } as never);
    if (due.length > 0) await lessons.collection.insertMany(due as never[], { ordered: false });
  }

  /** The states are in `lessons`: drop them from the chunk; its events stay for the relay. */
  async function markApplied(id: string): Promise<void> {
    await lock.run(batches, [id], () =>
      batches.collection.updateOne({ _id: id } as never, { $set: { applied: true, lessons: [] } }),
    );
  }

  /** Chunks applied and published: nothing left in them. */
  async function purge(): Promise<void> {
    await batches.collection.deleteMany({ applied: true, outboxPending: false });
  }

  async function writeChunk(changes: LessonChange[], ctx: RequestContext): Promise<void> {
    const envelopes = changes
      .filter((change) => change.event)
      .map((change) =>
        scheduleEnvelope(
          {
            type: change.event!.type,
            schoolId: change.lesson.schoolId,
            aggregateId: change.lesson.id,
            aggregateVersion: change.lesson.version,
            payload: toEventPayload(change),
          },
          ctx,
        ),
      );
    const chunk: ChunkLesson[] = changes.map((c) => ({
      ...toDocument(c.lesson),
      previousVersion: c.previousVersion,
    }));
    const id = randomUUID();
    await batches.collection.insertOne({
      _id: id,
      schoolId: changes[0]!.lesson.schoolId,
      lessons: chunk,
      applied: false,
      createdAt: new Date(),
      ...outboxFields(envelopes, { topic, codec }),
    } as never);
    await applyFresh(chunk);
    await markApplied(id);
  }

  function fromTemplate(doc: LessonTemplateDocument): LessonTemplate {
    return {
      id: doc._id,
      schoolId: doc.schoolId,
      academicYearId: doc.academicYearId,
      period: doc.period,
      version: doc.version,
      classes: doc.classes ?? [],
      generatedVersion: doc.generatedVersion ?? 0,
    };
  }

  return {
    async write(changes, ctx) {
      if (changes.length === 0) return;
      await purge();
      // Only a write of several chunks stills the relay: a quiet relay leaves entries it has
      // published but not yet removed to be published again (consumers drop them by id), a fair
      // price for a generation but not for one lesson's change.
      const write = async () => {
        for (let start = 0; start < changes.length; start += LESSON_CHUNK) {
          await writeChunk(changes.slice(start, start + LESSON_CHUNK), ctx);
        }
      };
      await (changes.length > LESSON_CHUNK ? quiet(write) : write());
      onEventsWritten();
    },

    async applyPending(schoolId) {
      const pending = await batches.collection
        .find<LessonChangeBatchDocument>(schoolId ? { applied: false, schoolId } : { applied: false }, {
          projection: { outbox: 0 },
        })
        .sort({ createdAt: 1 })
        .toArray();
      for (const chunk of pending) {
        await applyAgain(chunk.lessons ?? []);
        await markApplied(chunk._id);
      }
      return pending.length;
    },

    async get(id) {
      const doc = await lessons.findById(id).lean<LessonDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async listByPeriod(schoolId, academicYearId, period) {
      const docs = await lessons.collection
        .find<LessonDocument>({ schoolId, academicYearId, period })
        .toArray();
      return docs.map(fromDocument);
    },

    async list(filter, limit) {
      const query: Record<string, unknown> = {
        ...(filter.classId ? { classId: filter.classId } : { schoolId: filter.schoolId }),
        // A teacher's lessons: the ones they teach, and the ones they substitute in.
        ...(filter.teacherId
          ? { $or: [{ teacherId: filter.teacherId }, { substituteTeacherId: filter.teacherId }] }
          : {}),
        ...(filter.withSubstitute ? { substituteTeacherId: { $gt: '' } } : {}),
        date: { $gte: filter.from, $lte: filter.to },
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.needsDecision ? { needsDecision: true } : {}),
      };
      const docs = await lessons.collection.find<LessonDocument>(query).limit(limit).toArray();
      return docs.map(fromDocument);
    },

    async setJournalContent(lessonId, hasContent, recordVersion) {
      const { modifiedCount } = await lessons.collection.updateOne(
        { _id: lessonId, journalVersion: { $lt: recordVersion } } as never,
        { $set: { hasJournalContent: hasContent, journalVersion: recordVersion } },
      );
      return modifiedCount > 0;
    },

    async saveTemplate(template) {
      const { id, ...fields } = template;
      await putIfNewer(templates, id, { ...fields, updatedAt: new Date() });
    },

    async getTemplate(id) {
      const doc = await templates.findById(id).lean<LessonTemplateDocument>();
      return doc ? fromTemplate(doc) : null;
    },

    async templatesOfYear(schoolId, academicYearId) {
      const docs = await templates.find({ schoolId, academicYearId }).lean<LessonTemplateDocument[]>();
      return docs.map(fromTemplate);
    },

    async templatesBehind() {
      // FerretDB 1.24 has no $expr: the (small) collection is compared here.
      const docs = await templates.find({}, { classes: 0 }).lean<Omit<LessonTemplateDocument, 'classes'>[]>();
      const behind = docs.filter((doc) => (doc.generatedVersion ?? 0) < doc.version);
      const full = await Promise.all(
        behind.map((doc) => templates.findById(doc._id).lean<LessonTemplateDocument>()),
      );
      return full.filter((doc): doc is LessonTemplateDocument => doc !== null).map(fromTemplate);
    },

    async markGenerated(id, version) {
      await templates.updateOne({ _id: id }, { $set: { generatedVersion: version } });
    },

    // A key of its own under the lessons' collection (lesson ids are UUIDs: none is this one).
    exclusive: (schoolId, work) => lock.run(lessons, [`school:${schoolId}`], work),
  };
}
