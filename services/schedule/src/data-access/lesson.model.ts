import { Schema, type Connection, type Model } from 'mongoose';
import type { Lesson } from '../domain/lesson';

/**
 * A dated lesson as stored: one document per lesson (`_id` derived from class, subgroup, date and
 * lesson number). No outbox here: lessons change in bulk, and their events travel in the chunks of
 * `lesson_change_batches` (lesson-change-batch.model.ts), so that the relay empties one document
 * per 500 lessons instead of one per lesson. Written by inserts (and deletes of replaced
 * versions), never updated in bulk: FerretDB 1.24 scans the collection for every update.
 */
export type LessonDocument = Omit<Lesson, 'id' | 'createdAt' | 'updatedAt'> & {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
};

const lessonSchema = new Schema<LessonDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    period: { type: Number, required: true },
    classId: { type: String, required: true },
    className: { type: String, default: '' },
    subgroupId: { type: String, default: '' },
    subgroupName: { type: String, default: '' },
    subjectId: { type: String, required: true },
    subjectKey: { type: String, default: '' },
    subjectName: { type: String, default: '' },
    subjectShortName: { type: String, default: '' },
    teacherId: { type: String, required: true },
    date: { type: String, required: true },
    lessonNumber: { type: Number, required: true },
    startsAt: { type: String, default: '' },
    endsAt: { type: String, default: '' },
    room: { type: String, default: '' },
    status: { type: String, required: true },
    origin: { type: String, required: true },
    cancellationReason: { type: String, default: '' },
    substituteTeacherId: { type: String, default: '' },
    substitutionReason: { type: String, default: '' },
    substitutionApprovedBy: { type: String, default: '' },
    movedFromDate: { type: String, default: '' },
    movedFromLessonNumber: { type: Number, default: 0 },
    changeReason: { type: String, default: '' },
    hasJournalContent: { type: Boolean, default: false },
    journalVersion: { type: Number, default: 0 },
    needsDecision: { type: Boolean, default: false },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'lessons', versionKey: false },
);
// A class's days, a teacher's days, a school's period (the generation's comparison).
lessonSchema.index({ classId: 1, date: 1 });
lessonSchema.index({ schoolId: 1, teacherId: 1, date: 1 });
lessonSchema.index({ schoolId: 1, academicYearId: 1, period: 1 });

export function lessonModel(connection: Connection): Model<LessonDocument> {
  return connection.model<LessonDocument>('Lesson', lessonSchema);
}
