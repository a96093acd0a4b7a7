import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { AcademicYearStatus, PeriodKind, YearChangeKind } from '../domain/academic-year';
import type { ClassOutcome } from '../domain/year-rollover';

interface DateRangeDoc {
  startsOn: string;
  endsOn: string;
}

/** An academic year as stored: one document per year, with its calendar and pending events. */
export interface AcademicYearDocument extends Partial<OutboxFields> {
  _id: string;
  schoolId: string;
  name: string;
  days: DateRangeDoc;
  holidays: { name: string; days: DateRangeDoc }[];
  periodSchemes: { grades: number[]; kind: PeriodKind; periods: { number: number; days: DateRangeDoc }[] }[];
  closures: { reason: string; days: DateRangeDoc; grades: number[] }[];
  transfers: { date: string; worksAs: number }[];
  changes: {
    kind: YearChangeKind;
    order: { number: string; date: string; title: string };
    recordedAt: Date;
    recordedBy: string;
    summary: string[];
  }[];
  status: AcademicYearStatus;
  version: number;
  createdAt: Date;
  /** The year this one was rolled over from ('' when opened by hand). */
  rolledOverFrom?: string;
  /** On a rolled-over year: what the rollover did, answered to every repeat. */
  rollover?: RolloverDoc | null;
}

/** A finished rollover as stored on the old year. */
export interface RolloverDoc {
  toYearId: string;
  toName: string;
  toDays: DateRangeDoc;
  graduatingGrades: number[];
  classes: {
    fromClassId: string;
    fromName: string;
    outcome: ClassOutcome;
    toClassId: string;
    toName: string;
    students: number;
    subgroupsKept: number;
    classTeacherId: string;
  }[];
  classesPromoted: number;
  studentsPromoted: number;
  studentsGraduated: number;
  subgroupsKept: number;
  studentsNotMoved: number;
  order: { number: string; date: string; title: string };
  completedAt: Date;
}

const dateRange = {
  startsOn: { type: String, required: true },
  endsOn: { type: String, required: true },
};

const academicYearSchema = new Schema<AcademicYearDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    name: { type: String, required: true },
    days: dateRange,
    holidays: [{ _id: false, name: { type: String, required: true }, days: dateRange }],
    periodSchemes: [
      {
        _id: false,
        grades: [Number],
        kind: { type: String, required: true },
        periods: [{ _id: false, number: { type: Number, required: true }, days: dateRange }],
      },
    ],
    closures: [{ _id: false, reason: { type: String, required: true }, days: dateRange, grades: [Number] }],
    transfers: [
      { _id: false, date: { type: String, required: true }, worksAs: { type: Number, required: true } },
    ],
    changes: [
      {
        _id: false,
        kind: { type: String, default: 'calendar' },
        order: { number: String, date: String, title: String },
        recordedAt: { type: Date, required: true },
        recordedBy: { type: String, required: true },
        summary: [String],
      },
    ],
    status: { type: String, required: true },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    rolledOverFrom: { type: String, default: '' },
    rollover: {
      type: new Schema<RolloverDoc>(
        {
          toYearId: { type: String, required: true },
          toName: { type: String, required: true },
          toDays: dateRange,
          graduatingGrades: [Number],
          classes: [
            {
              _id: false,
              fromClassId: String,
              fromName: String,
              outcome: String,
              toClassId: String,
              toName: String,
              students: Number,
              subgroupsKept: Number,
              classTeacherId: String,
            },
          ],
          classesPromoted: Number,
          studentsPromoted: Number,
          studentsGraduated: Number,
          subgroupsKept: Number,
          studentsNotMoved: Number,
          order: { number: String, date: String, title: String },
          completedAt: { type: Date, required: true },
        },
        { _id: false },
      ),
      default: null,
    },
  },
  { collection: 'academic_years', versionKey: false },
);
// One year of a name per school: two concurrent openings of 2026/2027 cannot both succeed.
academicYearSchema.index({ schoolId: 1, name: 1 }, { unique: true });
// A school's years, the latest first.
academicYearSchema.index({ schoolId: 1, 'days.startsOn': -1 });
academicYearSchema.plugin(outboxPlugin);

export function academicYearModel(connection: Connection): Model<AcademicYearDocument> {
  return connection.model<AcademicYearDocument>('AcademicYear', academicYearSchema);
}
