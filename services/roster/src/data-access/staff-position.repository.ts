import type { Model } from 'mongoose';
import { outboxFields, withOutbox, type EventCodec, type OutboxLock } from '@edu/events';
import type { RequestContext, StaffPositionEvent, StaffPositionRepository } from '../domain/ports';
import type { StaffPosition } from '../domain/staff-position';
import { directorTaken, positionHeld, staffVersionConflict } from '../domain/staff.use-cases';
import { fromDocument, toDocument, toStaffPositionState } from './staff-position.mapper';
import type { StaffPositionDocument } from './staff-position.model';
import { rosterEnvelope } from './roster-events';

const DUPLICATE_KEY = 11000;

export interface StaffPositionRepositoryOptions {
  codec: EventCodec;
  /** `edu.roster.v1` with the environment's prefix. */
  topic: string;
  onEventsWritten: () => void;
  /** The relay's lock: on FerretDB 1.x an update must not interleave with the relay's. */
  lock: OutboxLock;
}

function payloadOf(event: StaffPositionEvent) {
  const position = toStaffPositionState(event.position);
  const { effectiveOn: effective_on, order } = event.change;
  if (event.type === 'edu.roster.staff.position_changed') {
    return { position, previous_title: event.previousTitle, effective_on, order };
  }
  return { position, effective_on, order };
}

/** Staff positions in their own collection; a change and its events are one write (outbox). */
export function createStaffPositionRepository(
  positions: Model<StaffPositionDocument>,
  { codec, topic, onEventsWritten, lock }: StaffPositionRepositoryOptions,
): StaffPositionRepository {
  const envelopes = (events: StaffPositionEvent[], ctx: RequestContext) =>
    events.map((event) =>
      rosterEnvelope(
        {
          type: event.type,
          schoolId: event.position.schoolId,
          aggregateId: event.position.id,
          aggregateVersion: event.position.version,
          payload: payloadOf(event),
        },
        ctx,
      ),
    );

  // FerretDB names no index in a duplicate-key error: of the two unique keys, the director's is
  // the one taken when another active director of the school exists now.
  async function duplicateOf(position: StaffPosition) {
    if (position.status === 'active' && position.kind === 'director') {
      const director = await positions.exists({
        schoolId: position.schoolId,
        directorKey: 'director',
        _id: { $ne: position.id },
      });
      if (director) return directorTaken();
    }
    return positionHeld(position.title);
  }
  const isDuplicate = (error: unknown) => (error as { code?: number }).code === DUPLICATE_KEY;

  return {
    async create(position, events, ctx) {
      try {
        await positions.create({
          ...toDocument(position, new Date()),
          ...outboxFields(envelopes(events, ctx), { topic, codec }),
        });
      } catch (error) {
        if (isDuplicate(error)) throw await duplicateOf(position);
        throw error;
      }
      onEventsWritten();
    },

    async update(position, expectedVersion, events, ctx) {
      const { _id, createdAt: _createdAt, ...fields } = toDocument(position, new Date());
      const update = withOutbox<StaffPositionDocument>({ $set: fields }, envelopes(events, ctx), {
        topic,
        codec,
      });
      let matched: number;
      try {
        ({ matchedCount: matched } = await lock.run(positions, [_id], () =>
          positions.updateOne({ _id, version: expectedVersion }, update),
        ));
      } catch (error) {
        if (isDuplicate(error)) throw await duplicateOf(position);
        throw error;
      }
      if (matched === 0) throw staffVersionConflict();
      onEventsWritten();
    },

    async get(id) {
      const doc = await positions.findById(id).lean<StaffPositionDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async listBySchool(schoolId, { includeDismissed }) {
      const filter: Record<string, unknown> = { schoolId };
      if (!includeDismissed) filter.status = 'active';
      const docs = await positions.find(filter).limit(5000).lean<StaffPositionDocument[]>();
      return docs.map(fromDocument);
    },

    async listByPerson(personId) {
      const docs = await positions.find({ personId }).limit(500).lean<StaffPositionDocument[]>();
      return docs.map(fromDocument);
    },
  };
}
