import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { LessonRecord } from '../domain/lesson-record';

/**
 * A lesson's journal record as stored: one document per dated lesson (`_id` = the lesson id) with
 * its pending events, so that saving a whole lesson is one document write. The content is kept as
 * the domain shapes them (topic, homework, marks with their history, attendance).
 */
export interface LessonRecordDocument extends Omit<LessonRecord, 'lessonId'>, Partial<OutboxFields> {
  _id: string;
  createdAt: Date;
}

const text = { type: String, default: '' };

const lessonRecordSchema = new Schema<LessonRecordDocument>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    classId: { type: String, required: true },
    subgroupId: text,
    subjectId: { type: String, required: true },
    subjectKey: text,
    period: { type: Number, default: 0 },
    date: { type: String, required: true },
    lessonNumber: { type: Number, required: true },
    startsAt: text,
    endsAt: text,
    teacherId: text,
    substituteTeacherId: text,
    lessonStatus: text,
    topic: { type: Schema.Types.Mixed, default: null },
    homework: { type: Schema.Types.Mixed, default: null },
    individualHomework: { type: Schema.Types.Mixed, default: [] },
    marks: { type: Schema.Types.Mixed, default: [] },
    attendance: { type: Schema.Types.Mixed, default: [] },
    attendanceTaken: { type: Boolean, default: false },
    firstEntries: { type: Schema.Types.Mixed, default: {} },
    version: { type: Number, required: true },
    updatedAt: text,
    createdAt: { type: Date, required: true },
  },
  { collection: 'lesson_records', versionKey: false, minimize: false },
);
lessonRecordSchema.plugin(outboxPlugin);

export function lessonRecordModel(connection: Connection): Model<LessonRecordDocument> {
  return connection.model<LessonRecordDocument>('LessonRecord', lessonRecordSchema);
}
