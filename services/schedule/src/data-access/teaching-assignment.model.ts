import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { AssignmentChange, AssignmentStatus } from '../domain/teaching-assignment';

/** An assignment as stored: one document per assignment with its history and pending events. */
export interface TeachingAssignmentDocument extends Partial<OutboxFields> {
  _id: string;
  schoolId: string;
  academicYearId: string;
  teacherId: string;
  classId: string;
  subgroupId: string;
  subjectId: string;
  subjectKey: string;
  subjectName: string;
  startsOn: string;
  endsOn: string;
  hoursPerWeek: number;
  status: AssignmentStatus;
  history: AssignmentChange[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const changeSchema = new Schema<AssignmentChange>(
  {
    kind: { type: String, required: true },
    effectiveOn: { type: String, required: true },
    reason: { type: String, default: '' },
    recordedAt: { type: String, required: true },
    recordedBy: { type: String, default: '' },
  },
  { _id: false },
);

const assignmentSchema = new Schema<TeachingAssignmentDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    teacherId: { type: String, required: true },
    classId: { type: String, required: true },
    subgroupId: { type: String, default: '' },
    subjectId: { type: String, required: true },
    subjectKey: { type: String, required: true },
    subjectName: { type: String, required: true },
    startsOn: { type: String, required: true },
    endsOn: { type: String, required: true },
    hoursPerWeek: { type: Number, default: 0 },
    status: { type: String, required: true },
    history: { type: [changeSchema], default: [] },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'teaching_assignments', versionKey: false },
);
// The three lists: a school's year, a class (with its subgroups), a teacher's year.
assignmentSchema.index({ schoolId: 1, academicYearId: 1 });
assignmentSchema.index({ classId: 1 });
assignmentSchema.index({ teacherId: 1, academicYearId: 1 });
assignmentSchema.plugin(outboxPlugin);

export function teachingAssignmentModel(connection: Connection): Model<TeachingAssignmentDocument> {
  return connection.model<TeachingAssignmentDocument>('TeachingAssignment', assignmentSchema);
}
