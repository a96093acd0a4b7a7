import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { LessonDocument } from './lesson.model';

/** A lesson's new state in a chunk, with the version it replaces (0: a new lesson). */
export type ChunkLesson = LessonDocument & { previousVersion: number };

/**
 * A chunk of lesson changes (at most 500): the lessons' new states and their events (outbox) in
 * one document, so that intent and events are written atomically without transactions; `applied`
 * once the states are in `lessons` (then the states are dropped, the events stay until the relay
 * has published them, then the chunk is purged).
 */
export interface LessonChangeBatchDocument extends Partial<OutboxFields> {
  _id: string;
  schoolId: string;
  lessons: ChunkLesson[];
  applied: boolean;
  createdAt: Date;
}

const batchSchema = new Schema<LessonChangeBatchDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    // Plain documents: cast and checked when built from the domain's lessons.
    lessons: { type: Schema.Types.Mixed, default: [] },
    applied: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'lesson_change_batches', versionKey: false },
);
batchSchema.plugin(outboxPlugin);
// Unapplied chunks (after a crash), in order.
batchSchema.index({ applied: 1, createdAt: 1 });

export function lessonChangeBatchModel(connection: Connection): Model<LessonChangeBatchDocument> {
  return connection.model<LessonChangeBatchDocument>('LessonChangeBatch', batchSchema);
}
