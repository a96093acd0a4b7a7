import type { Model } from 'mongoose';
import { outboxFields, withOutbox, type EventCodec, type OutboxLock } from '@edu/events';
import { conflict } from '@edu/kit';
import { className, type SchoolClass } from '../domain/school-class';
import type { RequestContext, SchoolClassEvent, SchoolClassRepository } from '../domain/ports';
import { fromDocument, toClassState, toDocument } from './school-class.mapper';
import type { SchoolClassDocument } from './school-class.model';
import { rosterEnvelope } from './roster-events';

const DUPLICATE_KEY = 11000;

export interface SchoolClassRepositoryOptions {
  codec: EventCodec;
  /** `edu.roster.v1` with the environment's prefix. */
  topic: string;
  onEventsWritten: () => void;
  /** The relay's lock: on FerretDB 1.x an update must not interleave with the relay's. */
  lock: OutboxLock;
}

function payloadOf(event: SchoolClassEvent) {
  const school_class = toClassState(event.schoolClass);
  switch (event.type) {
    case 'edu.roster.class.renamed':
      return { school_class, previous_name: event.previousName };
    case 'edu.roster.class.teacher_assigned':
      return { school_class, previous_class_teacher_id: event.previousClassTeacherId };
    default:
      return { school_class };
  }
}

const nameTaken = (schoolClass: SchoolClass) =>
  conflict('class.name_taken', `Класс ${className(schoolClass)} в этом учебном году уже есть`);

/** Classes in their own collection; a change and its events are one write (outbox). */
export function createSchoolClassRepository(
  classes: Model<SchoolClassDocument>,
  { codec, topic, onEventsWritten, lock }: SchoolClassRepositoryOptions,
): SchoolClassRepository {
  const envelopes = (events: SchoolClassEvent[], ctx: RequestContext) =>
    events.map((event) =>
      rosterEnvelope(
        {
          type: event.type,
          schoolId: event.schoolClass.schoolId,
          aggregateId: event.schoolClass.id,
          aggregateVersion: event.schoolClass.version,
          payload: payloadOf(event),
        },
        ctx,
      ),
    );
  const isDuplicate = (error: unknown) => (error as { code?: number }).code === DUPLICATE_KEY;

  return {
    async create(schoolClass, events, ctx) {
      try {
        await classes.create({
          ...toDocument(schoolClass),
          ...outboxFields(envelopes(events, ctx), { topic, codec }),
        });
      } catch (error) {
        if (isDuplicate(error)) throw nameTaken(schoolClass);
        throw error;
      }
      onEventsWritten();
    },

    async update(schoolClass, expectedVersion, events, ctx) {
      const { _id, ...fields } = toDocument(schoolClass);
      const update = withOutbox<SchoolClassDocument>({ $set: fields }, envelopes(events, ctx), {
        topic,
        codec,
      });
      let matched: number;
      try {
        ({ matchedCount: matched } = await lock.run(classes, [_id], () =>
          classes.updateOne({ _id, version: expectedVersion }, update),
        ));
      } catch (error) {
        if (isDuplicate(error)) throw nameTaken(schoolClass);
        throw error;
      }
      if (matched === 0)
        throw conflict('class.version_conflict', 'Класс уже изменили: обновите страницу и повторите');
      if (events.length > 0) onEventsWritten();
    },

    async get(id) {
      const doc = await classes.findById(id).lean<SchoolClassDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async listByYear(academicYearId) {
      const docs = await classes
        .find({ academicYearId })
        .sort({ grade: 1, letter: 1 })
        .limit(1000)
        .lean<SchoolClassDocument[]>();
      return docs.map(fromDocument);
    },
  };
}
