import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { SchoolClassStatus } from '../domain/school-class';

/** A class as stored: one document per class and year, with its pending events. */
export interface SchoolClassDocument extends Partial<OutboxFields> {
  _id: string;
  schoolId: string;
  academicYearId: string;
  grade: number;
  letter: string;
  classTeacherId: string;
  capacity: number;
  status: SchoolClassStatus;
  version: number;
  createdAt: Date;
}

const schoolClassSchema = new Schema<SchoolClassDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    grade: { type: Number, required: true },
    letter: { type: String, required: true },
    classTeacherId: { type: String, default: '' },
    capacity: { type: Number, default: 0 },
    status: { type: String, required: true },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'classes', versionKey: false },
);
// One «5А» per year, also under concurrent openings and renames; the year's list in this order.
schoolClassSchema.index({ academicYearId: 1, grade: 1, letter: 1 }, { unique: true });
schoolClassSchema.plugin(outboxPlugin);

export function schoolClassModel(connection: Connection): Model<SchoolClassDocument> {
  return connection.model<SchoolClassDocument>('SchoolClass', schoolClassSchema);
}
