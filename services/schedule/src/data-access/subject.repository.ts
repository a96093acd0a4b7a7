import type { Model } from 'mongoose';
import { outboxFields, type EventCodec } from '@edu/events';
import type { RequestContext, SubjectEvent, SubjectRepository } from '../domain/ports';
import type { Subject } from '../domain/subject';
import { keyTaken, nameTaken } from '../domain/subject.use-cases';
import { fromDocument, toDocument, toSubjectState } from './subject.mapper';
import type { SubjectDocument } from './subject.model';
import { SYSTEM_CONTEXT, scheduleEnvelope } from './schedule-events';

const DUPLICATE_KEY = 11000;
const isDuplicate = (error: unknown) => (error as { code?: number }).code === DUPLICATE_KEY;

export interface SubjectRepositoryOptions {
  codec: EventCodec;
  /** `edu.schedule.v1` with the environment's prefix. */
  topic: string;
  onEventsWritten: () => void;
}

/** Subjects in their own collection; a new subject and its event are one insert (outbox). */
export function createSubjectRepository(
  subjects: Model<SubjectDocument>,
  { codec, topic, onEventsWritten }: SubjectRepositoryOptions,
): SubjectRepository {
  const envelopes = (events: SubjectEvent[], ctx: RequestContext) =>
    events.map((event) =>
      scheduleEnvelope(
        {
          type: event.type,
          schoolId: event.subject.schoolId,
          aggregateId: event.subject.id,
          aggregateVersion: event.subject.version,
          payload: { subject: toSubjectState(event.subject) },
        },
        ctx,
      ),
    );
  const insert = (subject: Subject, events: SubjectEvent[], ctx: RequestContext) =>
    subjects.create({
      ...toDocument(subject, new Date()),
      ...outboxFields(envelopes(events, ctx), { topic, codec }),
    });

  return {
    async create(subject, events, ctx) {
      try {
        await insert(subject, events, ctx);
      } catch (error) {
        if (!isDuplicate(error)) throw error;
        // FerretDB names no index in a duplicate-key error: the key is the one taken if it is.
        const sameKey = await subjects.exists({ schoolId: subject.schoolId, key: subject.key });
        throw sameKey ? keyTaken(subject.key) : nameTaken(subject.name);
      }
      onEventsWritten();
    },

    async seedCatalogue(items) {
      const stored = new Set(
        (await subjects.find({ schoolId: '' }, { _id: 1 }).lean<{ _id: string }[]>()).map((d) => d._id),
      );
      let added = 0;
      // One insert per new subject (a few dozen, once): a crash half way is finished next start.
      for (const { subject, events } of items) {
        if (stored.has(subject.id)) continue;
        try {
          await insert(subject, events, SYSTEM_CONTEXT);
          added += 1;
        } catch (error) {
          if (!isDuplicate(error)) throw error; // another instance seeded it meanwhile
        }
      }
      if (added > 0) onEventsWritten();
      return added;
    },

    async get(id) {
      const doc = await subjects.findById(id).lean<SubjectDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async listForSchool(schoolId) {
      const docs = await subjects
        .find({ schoolId: { $in: ['', schoolId] } })
        .limit(1000)
        .lean<SubjectDocument[]>();
      return docs.map(fromDocument);
    },
  };
}
