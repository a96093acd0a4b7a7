import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { TimetableEntry } from '../domain/timetable';

/** A class's week of a period as stored: one document per class and period (`_id` derived from both). */
export interface ClassTimetableDocument {
  _id: string;
  schoolId: string;
  academicYearId: string;
  period: number;
  classId: string;
  shift: number;
  entries: TimetableEntry[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string;
}

const entrySchema = new Schema<TimetableEntry>(
  {
    weekday: { type: Number, required: true },
    lessonNumber: { type: Number, required: true },
    subgroupId: { type: String, default: '' },
    subjectId: { type: String, required: true },
    teacherId: { type: String, required: true },
    room: { type: String, default: '' },
    weekParity: { type: String, required: true },
  },
  { _id: false },
);

const classTimetableSchema = new Schema<ClassTimetableDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    period: { type: Number, required: true },
    classId: { type: String, required: true },
    shift: { type: Number, required: true },
    entries: { type: [entrySchema], default: [] },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, default: '' },
  },
  { collection: 'timetable_classes', versionKey: false },
);
// The school's weeks of a year (every check reads them all); one per class and period by `_id`.
classTimetableSchema.index({ schoolId: 1, academicYearId: 1 });

export function classTimetableModel(connection: Connection): Model<ClassTimetableDocument> {
  return connection.model<ClassTimetableDocument>('ClassTimetable', classTimetableSchema);
}

/** A publication as stored: one per school, year and period, with its events (outbox). */
export interface TimetablePublicationDocument extends Partial<OutboxFields> {
  _id: string;
  schoolId: string;
  academicYearId: string;
  period: number;
  version: number;
  classes: { classId: string; version: number }[];
  publishedAt: Date;
  publishedBy: string;
  createdAt: Date;
}

const publishedClassSchema = new Schema<{ classId: string; version: number }>(
  {
    classId: { type: String, required: true },
    version: { type: Number, required: true },
  },
  { _id: false },
);

const publicationSchema = new Schema<TimetablePublicationDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    period: { type: Number, required: true },
    version: { type: Number, required: true },
    classes: { type: [publishedClassSchema], default: [] },
    publishedAt: { type: Date, required: true },
    publishedBy: { type: String, default: '' },
    createdAt: { type: Date, required: true },
  },
  { collection: 'timetable_publications', versionKey: false },
);
publicationSchema.plugin(outboxPlugin);

export function timetablePublicationModel(connection: Connection): Model<TimetablePublicationDocument> {
  return connection.model<TimetablePublicationDocument>('TimetablePublication', publicationSchema);
}
