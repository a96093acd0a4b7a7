import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { BellLesson } from '../domain/bell-schedule';

/** A bell schedule as stored: one document per school and shift (`_id` derived from both). */
export interface BellScheduleDocument extends Partial<OutboxFields> {
  _id: string;
  schoolId: string;
  shift: number;
  name: string;
  lessons: BellLesson[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string;
}

const lessonSchema = new Schema<BellLesson>(
  {
    number: { type: Number, required: true },
    startsAt: { type: String, required: true },
    endsAt: { type: String, required: true },
  },
  { _id: false },
);

const bellScheduleSchema = new Schema<BellScheduleDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    shift: { type: Number, required: true },
    name: { type: String, default: '' },
    lessons: { type: [lessonSchema], default: [] },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, default: '' },
  },
  { collection: 'bell_schedules', versionKey: false },
);
// A school's schedules (ListBellSchedules); one per shift is guaranteed by the derived `_id`.
bellScheduleSchema.index({ schoolId: 1 });
bellScheduleSchema.plugin(outboxPlugin);

export function bellScheduleModel(connection: Connection): Model<BellScheduleDocument> {
  return connection.model<BellScheduleDocument>('BellSchedule', bellScheduleSchema);
}
