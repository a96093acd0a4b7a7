import type { Model } from 'mongoose';
import { outboxFields, withOutbox, type EventCodec, type OutboxLock } from '@edu/events';
import { conflict } from '@edu/kit';
import type { PersonEvent, PersonRepository, RequestContext } from '../domain/ports';
import { versionConflict } from '../domain/person.use-cases';
import { fromDocument, toDocument, toPersonState } from './person.mapper';
import { rosterEnvelope } from './roster-events';
import type { PersonDocument } from './person.model';

const DUPLICATE_KEY = 11000;
const IMPORT_CHUNK = 500;
// More candidates than this for one ESIA person means the criterion identifies nobody.
const MATCH_LIMIT = 20;

export interface PersonRepositoryOptions {
  codec: EventCodec;
  /** `edu.roster.v1` with the environment's prefix. */
  topic: string;
  onEventsWritten: () => void;
  /** The relay's lock: on FerretDB 1.x an update must not interleave with the relay's. */
  lock: OutboxLock;
}

/**
 * People in their own collection; a person and their events are one write (outbox). A write
 * error is never passed on as it is: the driver's duplicate-key error quotes the key, a СНИЛС.
 */
export function createPersonRepository(
  people: Model<PersonDocument>,
  { codec, topic, onEventsWritten, lock }: PersonRepositoryOptions,
): PersonRepository {
  const envelope = (event: PersonEvent, ctx: RequestContext) =>
    rosterEnvelope(
      {
        type: event.type,
        schoolId: event.person.schoolId,
        aggregateId: event.person.id,
        aggregateVersion: event.person.version,
        payload: { person: toPersonState(event.person) },
      },
      ctx,
    );

  return {
    async create(person, events, ctx) {
      const outbox = outboxFields(
        events.map((event) => envelope(event, ctx)),
        { topic, codec },
      );
      try {
        await people.create({ ...toDocument(person, new Date()), ...outbox });
      } catch (error) {
        if ((error as { code?: number }).code === DUPLICATE_KEY) {
          throw conflict('person.snils_taken', 'СНИЛС уже зарегистрирован в этой школе');
        }
        throw new Error('people: the insert failed', { cause: withoutKeyValues(error) });
      }
      onEventsWritten();
    },

    async createMany(items, ctx) {
      if (items.length === 0) return;
      const now = new Date();
      const docs = items.map(({ person, events }) => ({
        ...toDocument(person, now),
        ...outboxFields(
          events.map((event) => envelope(event, ctx)),
          { topic, codec },
        ),
      }));
      // In chunks: one insert per chunk is what makes a school's import take seconds, not minutes.
      for (let i = 0; i < docs.length; i += IMPORT_CHUNK) {
        try {
          await people.insertMany(docs.slice(i, i + IMPORT_CHUNK), { ordered: true, lean: true });
        } catch (error) {
          if ((error as { code?: number }).code === DUPLICATE_KEY) {
            throw conflict('person.snils_taken', 'СНИЛС уже зарегистрирован в этой школе');
          }
          throw new Error('people: the insert failed', { cause: withoutKeyValues(error) });
        }
      }
      onEventsWritten();
    },

    async update(person, expectedVersion, events, ctx) {
      const { _id, snilsKey: _key, createdAt: _createdAt, ...fields } = toDocument(person, new Date());
      const update = withOutbox<PersonDocument>(
        { $set: fields },
        events.map((event) => envelope(event, ctx)),
        { topic, codec },
      );
      const { matchedCount } = await lock.run(people, [_id], () =>
        people.updateOne({ _id, version: expectedVersion }, update),
      );
      if (matchedCount === 0) throw versionConflict();
      onEventsWritten();
    },

    async get(id) {
      const doc = await people.findById(id).lean<PersonDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const docs = await people.find({ _id: { $in: ids } }).lean<PersonDocument[]>();
      return docs.map(fromDocument);
    },

    async findActive(criterion) {
      const filter: Record<string, unknown> = { status: 'active' };
      if ('snils' in criterion) filter.snils = criterion.snils;
      else if ('birthCertificateNumber' in criterion) {
        filter['birthCertificate.number'] = criterion.birthCertificateNumber;
        filter.birthDate = criterion.birthDate;
      } else filter.birthDate = criterion.birthDate;
      const docs = await people.find(filter).limit(MATCH_LIMIT).lean<PersonDocument[]>();
      return docs.map(fromDocument);
    },

    async list({ schoolId, kind, includeArchived, limit, after }) {
      const filter: Record<string, unknown> = { schoolId };
      if (kind) filter.kind = kind;
      if (!includeArchived) filter.status = 'active';
      if (after) {
        filter.$or = [
          { sortName: { $gt: after.sortName } },
          { sortName: after.sortName, _id: { $gt: after.id } },
        ];
      }
      const docs = await people
        .find(filter)
        .sort({ sortName: 1, _id: 1 })
        .limit(limit)
        .lean<PersonDocument[]>();
      return docs.map(fromDocument);
    },
  };
}

/** A driver error without the fields that quote the written document's values. */
function withoutKeyValues(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { code, codeName } = error as { code?: unknown; codeName?: unknown };
  const safe = new Error(`${error.name}${code !== undefined ? ` ${String(code)}` : ''}`);
  Object.assign(safe, { code, codeName });
  return safe;
}
