import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { MarkRevision } from '../domain/lesson-record';
import type { PeriodMark } from '../domain/ports';

/**
 * A period, year, exam or final mark as stored: one document per mark, `_id` = `periodMarkId`
 * (computed, so a class's marks are read by `_id` — the only fast lookup on FerretDB 1.24), with
 * its pending events.
 */
export interface PeriodMarkDocument extends Omit<PeriodMark, 'id'>, Partial<OutboxFields> {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
}

const text = { type: String, default: '' };

const revisionSchema = new Schema<MarkRevision>(
  {
    kind: { type: String, required: true },
    value: text,
    workType: text,
    weight: { type: Number, default: 0 },
    comment: text,
    by: text,
    at: { type: String, required: true },
    reason: text,
    orderRef: text,
  },
  { _id: false },
);

const periodMarkSchema = new Schema<PeriodMarkDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    studentId: { type: String, required: true },
    classId: { type: String, required: true },
    subjectId: { type: String, required: true },
    subjectKey: text,
    kind: { type: String, required: true },
    period: { type: Number, default: 0 },
    value: { type: String, required: true },
    setBy: text,
    setAt: { type: String, required: true },
    arithmeticAverage: { type: Number, default: 0 },
    weightedAverage: { type: Number, default: 0 },
    marksCount: { type: Number, default: 0 },
    history: { type: [revisionSchema], default: [] },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'period_marks', versionKey: false },
);
periodMarkSchema.plugin(outboxPlugin);

export function periodMarkModel(connection: Connection): Model<PeriodMarkDocument> {
  return connection.model<PeriodMarkDocument>('PeriodMark', periodMarkSchema);
}
