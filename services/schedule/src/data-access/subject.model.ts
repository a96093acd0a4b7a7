import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { EducationArea } from '../domain/subject';

/** A subject as stored: one document per subject (catalogue: `schoolId` ''), with pending events. */
export interface SubjectDocument extends Partial<OutboxFields> {
  _id: string;
  schoolId: string;
  key: string;
  name: string;
  /** The name compared for uniqueness: lower case, "ё" as "е". */
  nameKey: string;
  shortName: string;
  educationArea: EducationArea;
  splitIntoSubgroups: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const subjectSchema = new Schema<SubjectDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, default: '' },
    key: { type: String, required: true },
    name: { type: String, required: true },
    nameKey: { type: String, required: true },
    shortName: { type: String, required: true },
    educationArea: { type: String, required: true },
    splitIntoSubgroups: { type: Boolean, required: true },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'subjects', versionKey: false },
);
// One key and one name per school (and per catalogue, school ''): the rule holds under concurrent
// creations from any number of processes. A school's key or name equal to the catalogue's is
// refused by the use case (the catalogue is fixed in code).
subjectSchema.index({ schoolId: 1, key: 1 }, { unique: true });
subjectSchema.index({ schoolId: 1, nameKey: 1 }, { unique: true });
subjectSchema.plugin(outboxPlugin);

export function subjectModel(connection: Connection): Model<SubjectDocument> {
  return connection.model<SubjectDocument>('Subject', subjectSchema);
}
