import { Schema, type Connection, type Model } from 'mongoose';
import type { CopiedEnrolment, CopiedGuardianship } from '../domain/student-relations';
import type { CopyDocument } from './roster-copy.model';

// Schedule's copy of student relations (ids only), each document at roster's aggregate version
// (`_id` = roster's enrolment or guardianship id). Written only by the roster consumer.

const common = {
  _id: { type: String, required: true },
  version: { type: Number, required: true },
  updatedAt: { type: Date, required: true },
};

const enrolmentSchema = new Schema<CopyDocument<CopiedEnrolment>>(
  {
    ...common,
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    studentId: { type: String, required: true },
    classId: { type: String, default: '' },
    status: { type: String, required: true },
  },
  { collection: 'roster_enrolments', versionKey: false },
);
// A student's enrolment in a year (roster's id is "<year>:<student>", but look up by fields).
enrolmentSchema.index({ academicYearId: 1, studentId: 1 });

const guardianshipSchema = new Schema<CopyDocument<CopiedGuardianship>>(
  {
    ...common,
    schoolId: { type: String, required: true },
    guardianId: { type: String, required: true },
    studentId: { type: String, required: true },
    status: { type: String, required: true },
    consentActive: { type: Boolean, default: false },
  },
  { collection: 'roster_guardianships', versionKey: false },
);
// A guardian's links (who reads for whom).
guardianshipSchema.index({ guardianId: 1 });

export interface StudentRelationsModels {
  enrolments: Model<CopyDocument<CopiedEnrolment>>;
  guardianships: Model<CopyDocument<CopiedGuardianship>>;
}

export function studentRelationsModels(connection: Connection): StudentRelationsModels {
  return {
    enrolments: connection.model<CopyDocument<CopiedEnrolment>>('RosterEnrolment', enrolmentSchema),
    guardianships: connection.model<CopyDocument<CopiedGuardianship>>(
      'RosterGuardianship',
      guardianshipSchema,
    ),
  };
}
