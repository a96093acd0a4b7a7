import type { Model } from 'mongoose';
import { outboxFields, withOutbox, type EventCodec, type OutboxLock } from '@edu/events';
import { isConsentActive } from '../domain/guardianship';
import { alreadyLinked, guardianshipVersionConflict } from '../domain/guardianship.use-cases';
import type { GuardianshipEvent, GuardianshipRepository, RequestContext } from '../domain/ports';
import { activeKeyOf, fromDocument, toDocument, toGuardianshipState } from './guardianship.mapper';
import type { GuardianshipDocument } from './guardianship.model';
import { rosterEnvelope } from './roster-events';

const DUPLICATE_KEY = 11000;
/** Documents per insert command of an import. */
const IMPORT_CHUNK = 500;
/** More links than a student or a guardian plausibly has; a guard, not a page size. */
const LIST_LIMIT = 200;

export interface GuardianshipRepositoryOptions {
  codec: EventCodec;
  /** `edu.roster.v1` with the environment's prefix. */
  topic: string;
  onEventsWritten: () => void;
  /** The relay's lock: on FerretDB 1.x an update must not interleave with the relay's. */
  lock: OutboxLock;
}

/** Links in their own collection; a change and its event are one write (outbox). */
export function createGuardianshipRepository(
  guardianships: Model<GuardianshipDocument>,
  { codec, topic, onEventsWritten, lock }: GuardianshipRepositoryOptions,
): GuardianshipRepository {
  const envelopes = (events: GuardianshipEvent[], ctx: RequestContext) =>
    events.map((event) =>
      rosterEnvelope(
        {
          type: event.type,
          schoolId: event.guardianship.schoolId,
          aggregateId: event.guardianship.id,
          aggregateVersion: event.guardianship.version,
          payload: { guardianship: toGuardianshipState(event.guardianship) },
        },
        ctx,
      ),
    );
  const findActive = async (guardianId: string, studentId: string) => {
    const doc = await guardianships
      .findOne({ activeKey: activeKeyOf({ id: '', guardianId, studentId, status: 'active' }) })
      .lean<GuardianshipDocument>();
    return doc ? fromDocument(doc) : null;
  };

  return {
    async create(link, events, ctx) {
      try {
        await guardianships.create({
          ...toDocument(link, new Date()),
          ...outboxFields(envelopes(events, ctx), { topic, codec }),
        });
      } catch (error) {
        // The same pair linked at the same moment by someone else: one of the two wins.
        if ((error as { code?: number }).code === DUPLICATE_KEY) throw alreadyLinked();
        throw error;
      }
      onEventsWritten();
    },

    async createMany(items, ctx) {
      if (items.length === 0) return;
      const now = new Date();
      const docs = items.map(({ link, events }) => ({
        ...toDocument(link, now),
        ...outboxFields(envelopes(events, ctx), { topic, codec }),
      }));
      for (let i = 0; i < docs.length; i += IMPORT_CHUNK) {
        try {
          await guardianships.insertMany(docs.slice(i, i + IMPORT_CHUNK), { ordered: true, lean: true });
        } catch (error) {
          if ((error as { code?: number }).code === DUPLICATE_KEY) throw alreadyLinked();
          throw error;
        }
      }
      onEventsWritten();
    },

    async update(link, expectedVersion, events, ctx) {
      const { _id, ...fields } = toDocument(link, new Date());
      const update = withOutbox<GuardianshipDocument>({ $set: fields }, envelopes(events, ctx), {
        topic,
        codec,
      });
      const { matchedCount } = await lock.run(guardianships, [_id], () =>
        guardianships.updateOne({ _id, version: expectedVersion }, update),
      );
      if (matchedCount === 0) throw guardianshipVersionConflict();
      onEventsWritten();
    },

    async get(id) {
      const doc = await guardianships.findById(id).lean<GuardianshipDocument>();
      return doc ? fromDocument(doc) : null;
    },

    findActive,

    async isGuardianOf(guardianId, studentId) {
      const link = await findActive(guardianId, studentId);
      return link !== null && isConsentActive(link);
    },

    async listActiveByStudents(studentIds) {
      if (studentIds.length === 0) return [];
      const docs = await guardianships
        .find({ studentId: { $in: studentIds }, status: 'active' })
        .lean<GuardianshipDocument[]>();
      return docs.map(fromDocument);
    },

    async listByStudent(studentId) {
      const docs = await guardianships
        .find({ studentId })
        .sort({ linkedAt: 1, _id: 1 })
        .limit(LIST_LIMIT)
        .lean<GuardianshipDocument[]>();
      return docs.map(fromDocument);
    },

    async listActiveBySchool(schoolId) {
      const docs = await guardianships.find({ schoolId, status: 'active' }).lean<GuardianshipDocument[]>();
      return docs.map(fromDocument);
    },

    async listActiveByGuardian(guardianId) {
      const docs = await guardianships
        .find({ guardianId, status: 'active' })
        .sort({ linkedAt: 1, _id: 1 })
        .limit(LIST_LIMIT)
        .lean<GuardianshipDocument[]>();
      return docs.map(fromDocument);
    },
  };
}
