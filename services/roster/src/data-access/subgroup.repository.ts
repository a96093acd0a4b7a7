import type { Model } from 'mongoose';
import { outboxFields, withOutbox, type EventCodec, type OutboxLock } from '@edu/events';
import type { RequestContext, SubgroupEvent, SubgroupRepository } from '../domain/ports';
import { subgroupVersionConflict } from '../domain/subgroup.use-cases';
import { fromDocument, toDocument, toSubgroupState } from './subgroup.mapper';
import type { SubgroupDocument } from './subgroup.model';
import { rosterEnvelope } from './roster-events';

export interface SubgroupRepositoryOptions {
  codec: EventCodec;
  /** `edu.roster.v1` with the environment's prefix. */
  topic: string;
  onEventsWritten: () => void;
  /** The relay's lock: on FerretDB 1.x an update must not interleave with the relay's. */
  lock: OutboxLock;
}

function payloadOf(event: SubgroupEvent) {
  const subgroup = toSubgroupState(event.subgroup);
  switch (event.type) {
    case 'edu.roster.subgroup.members_changed': {
      const change = event.subgroup.history.at(-1);
      return {
        subgroup,
        added: event.added,
        removed: event.removed,
        ...(change?.order ? { order: change.order } : {}),
        kind: change?.kind ?? 'members_changed',
      };
    }
    case 'edu.roster.subgroup.changed':
      return { subgroup, previous_name: event.previousName, previous_teacher_id: event.previousTeacherId };
    default:
      return { subgroup };
  }
}

/** Subgroups in their own collection; a change and its events are one write (outbox). */
export function createSubgroupRepository(
  subgroups: Model<SubgroupDocument>,
  { codec, topic, onEventsWritten, lock }: SubgroupRepositoryOptions,
): SubgroupRepository {
  const envelopes = (events: SubgroupEvent[], ctx: RequestContext) =>
    events.map((event) =>
      rosterEnvelope(
        {
          type: event.type,
          schoolId: event.subgroup.schoolId,
          aggregateId: event.subgroup.id,
          aggregateVersion: event.subgroup.version,
          payload: payloadOf(event),
        },
        ctx,
      ),
    );

  return {
    async create(subgroup, events, ctx) {
      await subgroups.create({
        ...toDocument(subgroup, new Date()),
        ...outboxFields(envelopes(events, ctx), { topic, codec }),
      });
      onEventsWritten();
    },

    async update(subgroup, expectedVersion, events, ctx) {
      const { _id, createdAt: _createdAt, ...fields } = toDocument(subgroup, new Date());
      const update = withOutbox<SubgroupDocument>({ $set: fields }, envelopes(events, ctx), { topic, codec });
      const { matchedCount } = await lock.run(subgroups, [_id], () =>
        subgroups.updateOne({ _id, version: expectedVersion }, update),
      );
      if (matchedCount === 0) throw subgroupVersionConflict();
      onEventsWritten();
    },

    async get(id) {
      const doc = await subgroups.findById(id).lean<SubgroupDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async listByYear(academicYearId) {
      const docs = await subgroups.find({ academicYearId }).lean<SubgroupDocument[]>();
      return docs.map(fromDocument);
    },

    async listByClass(classId, { includeClosed }) {
      const filter: Record<string, unknown> = { classId };
      if (!includeClosed) filter.status = 'open';
      const docs = await subgroups
        .find(filter)
        .sort({ subjectKey: 1, name: 1, _id: 1 })
        .limit(500)
        .lean<SubgroupDocument[]>();
      return docs.map(fromDocument);
    },

    // A key of its own under the collection's name (ids are UUIDs: no document has this one), so
    // the relay, which locks documents by id, never waits for it.
    exclusive: (classId, work) => lock.run(subgroups, [`class:${classId}`], work),
  };
}
