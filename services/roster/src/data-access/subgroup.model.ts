import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { SubgroupChangeKind, SubgroupStatus } from '../domain/subgroup';

/** A subgroup as stored: one document per subgroup, members as student ids, with pending events. */
export interface SubgroupDocument extends Partial<OutboxFields> {
  _id: string;
  schoolId: string;
  academicYearId: string;
  classId: string;
  subjectKey: string;
  name: string;
  teacherId: string;
  memberIds: string[];
  history: {
    kind: SubgroupChangeKind;
    added: string[];
    removed: string[];
    order: { number: string; date: string; title: string } | null;
    recordedAt: Date;
    recordedBy: string;
  }[];
  status: SubgroupStatus;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const subgroupSchema = new Schema<SubgroupDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    classId: { type: String, required: true },
    subjectKey: { type: String, required: true },
    name: { type: String, required: true },
    teacherId: { type: String, default: '' },
    memberIds: { type: [String], default: [] },
    history: [
      {
        _id: false,
        kind: { type: String, required: true },
        added: [String],
        removed: [String],
        order: { type: { _id: false, number: String, date: String, title: String }, default: null },
        recordedAt: { type: Date, required: true },
        recordedBy: { type: String, required: true },
      },
    ],
    status: { type: String, required: true },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'subgroups', versionKey: false },
);
// The subgroups of a class (open ones, or all), in list order.
subgroupSchema.index({ classId: 1, status: 1, subjectKey: 1, name: 1 });
// A year's subgroups (the register of orders).
subgroupSchema.index({ academicYearId: 1 });
subgroupSchema.plugin(outboxPlugin);

export function subgroupModel(connection: Connection): Model<SubgroupDocument> {
  return connection.model<SubgroupDocument>('Subgroup', subgroupSchema);
}
