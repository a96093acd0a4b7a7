import type { Model } from 'mongoose';
import { outboxFields, withOutbox, type EventCodec, type OutboxLock } from '@edu/events';
import { conflict } from '@edu/kit';
import { schoolVersionConflict } from '../domain/school.use-cases';
import type { DomainEvent, RequestContext, SchoolRepository } from '../domain/ports';
import { fromDocument, toCardEvent, toDocument } from './school.mapper';
import { rosterEnvelope } from './roster-events';
import type { SchoolDocument } from './school.model';

const DUPLICATE_KEY = 11000;

export interface SchoolRepositoryOptions {
  codec: EventCodec;
  /** `ROSTER_TOPIC` with the environment's prefix. */
  topic: string;
  /** Called after a write that added events, so the relay publishes without waiting to poll. */
  onEventsWritten: () => void;
  /** The relay's lock: on FerretDB 1.x an update must not interleave with the relay's. */
  lock: OutboxLock;
}

/** Schools in their own collection; a card and its events are one insert (outbox). */
export function createSchoolRepository(
  schools: Model<SchoolDocument>,
  { codec, topic, onEventsWritten, lock }: SchoolRepositoryOptions,
): SchoolRepository {
  function envelope(event: DomainEvent, ctx: RequestContext) {
    return rosterEnvelope(
      {
        type: event.type,
        schoolId: event.school.id,
        aggregateId: event.school.id,
        aggregateVersion: event.school.version,
        payload: { school: toCardEvent(event.school) },
      },
      ctx,
    );
  }

  return {
    async create(school, events, ctx) {
      const outbox = outboxFields(
        events.map((event) => envelope(event, ctx)),
        { topic, codec },
      );
      try {
        await schools.create({ ...toDocument(school), ...outbox });
      } catch (error) {
        if ((error as { code?: number }).code === DUPLICATE_KEY) {
          throw conflict('school.inn_taken', `Школа с ИНН ${school.inn} уже есть в системе`);
        }
        throw error;
      }
      onEventsWritten();
    },

    async update(school, expectedVersion, events, ctx) {
      const { _id, createdAt: _createdAt, ...fields } = toDocument(school);
      const update = withOutbox<SchoolDocument>(
        { $set: fields },
        events.map((event) => envelope(event, ctx)),
        { topic, codec },
      );
      const innTaken = () => conflict('school.inn_taken', `Школа с ИНН ${school.inn} уже есть в системе`);
      // Asked first: FerretDB 1.24 on SQLite reports a unique index broken by an update without
      // MongoDB's duplicate-key code. The index still guards a race (11000 on MongoDB).
      if (await schools.exists({ inn: school.inn, _id: { $ne: _id } })) throw innTaken();
      try {
        const { matchedCount } = await lock.run(schools, [_id], () =>
          schools.updateOne({ _id, version: expectedVersion }, update),
        );
        if (matchedCount === 0) throw schoolVersionConflict();
      } catch (error) {
        if ((error as { code?: number }).code === DUPLICATE_KEY) throw innTaken();
        throw error;
      }
      onEventsWritten();
    },

    async get(id) {
      const doc = await schools.findById(id).lean<SchoolDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async list({ limit, after, ids }) {
      const filter: Record<string, unknown> = {};
      if (ids) filter._id = { $in: ids };
      if (after) {
        filter.$or = [
          { shortName: { $gt: after.shortName } },
          { shortName: after.shortName, _id: { $gt: after.id } },
        ];
      }
      const docs = await schools
        .find(filter)
        .sort({ shortName: 1, _id: 1 })
        .limit(limit)
        .lean<SchoolDocument[]>();
      return docs.map(fromDocument);
    },
  };
}
