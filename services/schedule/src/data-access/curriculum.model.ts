import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { CurriculumLine, PeriodHours } from '../domain/curriculum';

/** A curriculum as stored: one document per class (`_id` derived from the class id). */
export interface CurriculumDocument extends Partial<OutboxFields> {
  _id: string;
  schoolId: string;
  academicYearId: string;
  classId: string;
  grade: number;
  lines: CurriculumLine[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string;
}

const periodHoursSchema = new Schema<PeriodHours>(
  {
    period: { type: Number, required: true },
    hoursPerWeek: { type: Number, required: true },
  },
  { _id: false },
);

const lineSchema = new Schema<CurriculumLine>(
  {
    subjectId: { type: String, required: true },
    subjectKey: { type: String, required: true },
    subjectName: { type: String, required: true },
    educationArea: { type: String, required: true },
    component: { type: String, required: true },
    hoursPerWeek: { type: Number, required: true },
    periodHours: { type: [periodHoursSchema], default: [] },
  },
  { _id: false },
);

const curriculumSchema = new Schema<CurriculumDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    classId: { type: String, required: true },
    grade: { type: Number, required: true },
    lines: { type: [lineSchema], default: [] },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, default: '' },
  },
  { collection: 'curricula', versionKey: false },
);
// The curricula of a school's year (ListCurricula); one per class by the derived `_id`.
curriculumSchema.index({ schoolId: 1, academicYearId: 1 });
curriculumSchema.plugin(outboxPlugin);

export function curriculumModel(connection: Connection): Model<CurriculumDocument> {
  return connection.model<CurriculumDocument>('Curriculum', curriculumSchema);
}
