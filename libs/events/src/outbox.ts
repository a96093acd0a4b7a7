import { Schema, type UpdateQuery } from 'mongoose';
import type { EventCodec } from './codec';
import type { EventEnvelope } from './envelope';

/** One pending event inside an aggregate document, ready to publish as is. */
export interface OutboxEntry {
  /** The event id (also the `id` header). */
  id: string;
  /** The event type (also the `type` header). */
  type: string;
  topic: string;
  /** Record key: the school id. */
  key: string;
  /** The encoded EventEnvelope. */
  value: Buffer;
  createdAt: Date;
}

/** The fields the outbox adds to an aggregate document. */
export interface OutboxFields {
  /** Events not yet acknowledged by the broker, oldest first. */
  outbox: OutboxEntry[];
  /** True while `outbox` may hold entries: the relay's query (FerretDB has no partial indexes). */
  outboxPending: boolean;
  /** When the oldest pending entry was written: relay order and the age metric. */
  outboxSince?: Date;
}

/** Where the events of one write go. */
export interface OutboxOptions {
  /** The publishing service's topic, e.g. `edu.roster.v1`. */
  topic: string;
  codec: EventCodec;
}

const outboxEntrySchema = new Schema<OutboxEntry>(
  {
    id: { type: String, required: true },
    type: { type: String, required: true },
    topic: { type: String, required: true },
    key: { type: String, default: '' },
    value: { type: Buffer, required: true },
    createdAt: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * Mongoose plugin for an aggregate's schema: adds the outbox fields and the relay's index.
 * `outbox` is not selected by default, so reads of the aggregate do not carry pending events.
 */
export function outboxPlugin(schema: Schema): void {
  schema.add({
    outbox: { type: [outboxEntrySchema], default: [], select: false },
    outboxPending: { type: Boolean, default: false },
    outboxSince: { type: Date },
  });
  schema.index({ outboxPending: 1, outboxSince: 1 });
}

/** Encodes events into outbox entries (in the given order, which is the publishing order). */
export function outboxEntries(
  events: EventEnvelope<unknown>[],
  { topic, codec }: OutboxOptions,
): OutboxEntry[] {
  const createdAt = new Date();
  return events.map((event) => ({
    id: event.id,
    type: event.type,
    topic,
    key: event.schoolId,
    value: codec.encode(event),
    createdAt,
  }));
}

/** The outbox fields of a new document: `Model.create({ ...doc, ...outboxFields(events, options) })`. */
export function outboxFields(events: EventEnvelope<unknown>[], options: OutboxOptions): OutboxFields {
  const outbox = outboxEntries(events, options);
  return {
    outbox,
    outboxPending: outbox.length > 0,
    ...(outbox[0] ? { outboxSince: outbox[0].createdAt } : {}),
  };
}

/**
 * Merges the events into the caller's update, so that the change and its events are one
 * single-document write: `Model.updateOne(filter, withOutbox(update, events, options))`.
 * Works with `upsert` too.
 */
export function withOutbox<T = unknown>(
  // NoInfer: T comes from where the update goes (Model<T>.updateOne), not from this literal.
  update: UpdateQuery<NoInfer<T>>,
  events: EventEnvelope<unknown>[],
  options: OutboxOptions,
): UpdateQuery<T> {
  const outbox = outboxEntries(events, options);
  if (!outbox[0]) return update;
  const { $set, $push, $min, ...rest } = update as Record<string, Record<string, unknown> | undefined>;
  if ($push && 'outbox' in $push) throw new Error('withOutbox: the update already pushes to outbox');
  // Plain fields in an update mean $set to mongoose; make that explicit so our $set adds to them.
  const operators: Record<string, unknown> = {};
  const plain: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(rest))
    (field.startsWith('$') ? operators : plain)[field] = value;
  return {
    ...operators,
    $set: { ...plain, ...$set, outboxPending: true },
    $push: { ...$push, outbox: { $each: outbox } },
    $min: { ...$min, outboxSince: outbox[0].createdAt },
  } as UpdateQuery<T>;
}
