import type { Model } from 'mongoose';
import type { EventCodec } from './codec';
import type { EventEnvelope } from './envelope';
import { outboxFields, withOutbox, type OutboxFields } from './outbox';
import type { OutboxLock } from './relay';

const DUPLICATE_KEY = 11000;

/** Where a versioned write puts its events, and the relay's lock. */
export interface VersionedSaveOptions {
  codec: EventCodec;
  /** The service's topic with the environment's prefix, e.g. `edu.schedule.v1`. */
  topic: string;
  /** The relay's lock: on FerretDB 1.x an update must not interleave with the relay's. */
  lock: OutboxLock;
}

/**
 * Writes a whole aggregate document replaced by version, with its events, in one document write:
 * an insert when `expectedVersion` is 0 (the `_id` is derived, so a second insert of the same
 * aggregate fails on the unique `_id` in any number of processes), otherwise an update of the
 * document still at `expectedVersion`. Throws `conflict()` when either finds another version.
 */
export async function saveVersioned<D extends { _id: string; createdAt: Date } & Partial<OutboxFields>>(
  model: Model<D>,
  doc: D,
  expectedVersion: number,
  events: EventEnvelope<unknown>[],
  { codec, topic, lock }: VersionedSaveOptions,
  conflict: () => Error,
): Promise<void> {
  if (expectedVersion === 0) {
    try {
      await model.create({ ...doc, ...outboxFields(events, { topic, codec }) });
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) throw conflict();
      throw error;
    }
    return;
  }
  const { _id, createdAt: _createdAt, ...fields } = doc;
  const update = withOutbox<D>({ $set: fields } as never, events, { topic, codec });
  // FerretDB 1.x: the version filter is no compare-and-set; the lock makes it one in-process.
  const { matchedCount } = await lock.run(model, [_id], () =>
    model.updateOne({ _id, version: expectedVersion } as never, update),
  );
  if (matchedCount === 0) throw conflict();
}
