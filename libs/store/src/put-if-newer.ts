import type { Model } from 'mongoose';

const DUPLICATE_KEY = 11000;

/**
 * Stores a read model's copy of another service's aggregate unless the stored copy is as new or
 * newer: the filter matches only an older version (or nothing, then the upsert inserts). True
 * when it was applied. Replays and out-of-order deliveries are thereby harmless.
 */
export async function putIfNewer<D extends { _id: string; version: number }>(
  model: Model<D>,
  id: string,
  fields: Omit<D, '_id'>,
): Promise<boolean> {
  try {
    const result = await model.updateOne(
      { _id: id, version: { $lt: fields.version } } as never,
      { $set: fields } as never,
      { upsert: true },
    );
    return result.modifiedCount + result.upsertedCount > 0;
  } catch (error) {
    // The upsert tried to insert because the stored version is not older: already applied.
    if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
    throw error;
  }
}
