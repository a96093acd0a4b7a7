import { Schema, type Connection, type Model } from 'mongoose';
import type { PublishedClassTimetable } from '../domain/timetable';

/**
 * The published weeks of a school's period that its lessons are generated from (`_id`: the
 * publication's id), at the publication's version; `generatedVersion` says which publication's
 * lessons were generated last (behind after a crash between the two).
 */
export interface LessonTemplateDocument {
  _id: string;
  schoolId: string;
  academicYearId: string;
  period: number;
  version: number;
  classes: PublishedClassTimetable[];
  generatedVersion: number;
  updatedAt: Date;
}

const templateSchema = new Schema<LessonTemplateDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    period: { type: Number, required: true },
    version: { type: Number, required: true },
    classes: { type: Schema.Types.Mixed, default: [] },
    generatedVersion: { type: Number, default: 0 },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'lesson_templates', versionKey: false },
);
// The published periods of a school's year (a calendar change regenerates them).
templateSchema.index({ schoolId: 1, academicYearId: 1 });

export function lessonTemplateModel(connection: Connection): Model<LessonTemplateDocument> {
  return connection.model<LessonTemplateDocument>('LessonTemplate', templateSchema);
}
