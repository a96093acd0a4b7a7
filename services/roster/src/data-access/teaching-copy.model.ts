import { Schema, type Connection, type Model } from 'mongoose';

/** Schedule's teaching assignment as roster keeps it (`_id` is the assignment id). */
export interface TeachingCopyDocument {
  _id: string;
  schoolId: string;
  academicYearId: string;
  teacherId: string;
  classId: string;
  subgroupId: string;
  subjectKey: string;
  startsOn: string;
  endsOn: string;
  status: 'active' | 'ended';
  version: number;
}

const teachingCopySchema = new Schema<TeachingCopyDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    teacherId: { type: String, required: true },
    classId: { type: String, required: true },
    subgroupId: { type: String, default: '' },
    subjectKey: { type: String, default: '' },
    startsOn: { type: String, required: true },
    endsOn: { type: String, required: true },
    status: { type: String, required: true },
    version: { type: Number, required: true },
  },
  { collection: 'teaching_copy', versionKey: false },
);
// May this teacher read this class's list.
teachingCopySchema.index({ teacherId: 1, classId: 1 });

export function teachingCopyModel(connection: Connection): Model<TeachingCopyDocument> {
  return connection.model<TeachingCopyDocument>('TeachingCopy', teachingCopySchema);
}
