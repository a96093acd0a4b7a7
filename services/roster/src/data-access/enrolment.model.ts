import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { EnrolmentStatus, MovementKind } from '../domain/enrolment';

/** A student's place in one year: `_id` is "<year>:<student>", so there is one per year. */
export interface EnrolmentDocument extends Partial<OutboxFields> {
  _id: string;
  schoolId: string;
  academicYearId: string;
  studentId: string;
  classId: string;
  status: EnrolmentStatus;
  movements: {
    kind: MovementKind;
    fromClassId: string;
    toClassId: string;
    effectiveOn: string;
    order: { number: string; date: string; title: string };
    reason: string;
    recordedAt: Date;
    recordedBy: string;
  }[];
  version: number;
}

const enrolmentSchema = new Schema<EnrolmentDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    studentId: { type: String, required: true },
    classId: { type: String, default: '' },
    status: { type: String, required: true },
    movements: [
      {
        _id: false,
        kind: { type: String, required: true },
        fromClassId: { type: String, default: '' },
        toClassId: { type: String, default: '' },
        effectiveOn: { type: String, required: true },
        order: { number: String, date: String, title: String },
        reason: { type: String, default: '' },
        recordedAt: { type: Date, required: true },
        recordedBy: { type: String, required: true },
      },
    ],
    version: { type: Number, required: true },
  },
  { collection: 'enrolments', versionKey: false },
);
// A class list and its head count.
enrolmentSchema.index({ classId: 1, status: 1 });
// A student's years.
enrolmentSchema.index({ studentId: 1 });
// A year's enrolments (an import).
enrolmentSchema.index({ academicYearId: 1 });
enrolmentSchema.plugin(outboxPlugin);

export function enrolmentModel(connection: Connection): Model<EnrolmentDocument> {
  return connection.model<EnrolmentDocument>('Enrolment', enrolmentSchema);
}
