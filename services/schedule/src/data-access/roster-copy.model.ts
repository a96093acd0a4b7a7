import { Schema, type Connection, type Model } from 'mongoose';
import type {
  CopiedCalendar,
  CopiedClass,
  CopiedPerson,
  CopiedSchool,
  CopiedStaffPosition,
  CopiedSubgroup,
  CopiedYear,
} from '../domain/roster-copy';

// Schedule's copy of roster, one collection per kind of record, each document at roster's
// aggregate version (`_id` = roster's id). Written only by the roster consumer.

/** A copied record as stored: roster's id as `_id`, and when schedule last wrote it. */
export type CopyDocument<T extends { id: string }> = Omit<T, 'id'> & { _id: string; updatedAt: Date };

const common = {
  _id: { type: String, required: true },
  version: { type: Number, required: true },
  updatedAt: { type: Date, required: true },
};
const options = (collection: string) => ({ collection, versionKey: false as const });

const schoolSchema = new Schema<CopyDocument<CopiedSchool>>(
  { ...common, shortName: { type: String, default: '' }, timeZone: { type: String, default: '' } },
  options('roster_schools'),
);

const daysFields = { startsOn: { type: String, default: '' }, endsOn: { type: String, default: '' } };
const calendarSchema = new Schema<CopiedCalendar>(
  {
    holidays: {
      type: [new Schema({ name: { type: String, default: '' }, ...daysFields }, { _id: false })],
      default: [],
    },
    periodSchemes: {
      type: [
        new Schema(
          {
            grades: { type: [Number], default: [] },
            kind: { type: String, default: '' },
            periods: {
              type: [new Schema({ number: { type: Number, required: true }, ...daysFields }, { _id: false })],
              default: [],
            },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    // Absent in records stored before they were kept (no default: absence reads as none).
    closures: {
      type: [
        new Schema(
          { reason: { type: String, default: '' }, ...daysFields, grades: { type: [Number], default: [] } },
          { _id: false },
        ),
      ],
      default: undefined,
    },
    transfers: {
      type: [
        new Schema(
          { date: { type: String, required: true }, worksAs: { type: Number, required: true } },
          { _id: false },
        ),
      ],
      default: undefined,
    },
  },
  { _id: false },
);

const yearSchema = new Schema<CopyDocument<CopiedYear>>(
  {
    ...common,
    schoolId: { type: String, required: true },
    name: { type: String, default: '' },
    startsOn: { type: String, required: true },
    endsOn: { type: String, required: true },
    status: { type: String, required: true },
    // Absent in records stored before calendars were kept (no default: absence means "unknown").
    calendar: { type: calendarSchema, required: false, default: undefined },
  },
  options('roster_years'),
);

const classSchema = new Schema<CopyDocument<CopiedClass>>(
  {
    ...common,
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    grade: { type: Number, required: true },
    letter: { type: String, default: '' },
    name: { type: String, default: '' },
    classTeacherId: { type: String, default: '' },
    status: { type: String, required: true },
  },
  options('roster_classes'),
);

const subgroupSchema = new Schema<CopyDocument<CopiedSubgroup>>(
  {
    ...common,
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    classId: { type: String, required: true },
    subjectKey: { type: String, required: true },
    name: { type: String, default: '' },
    teacherId: { type: String, default: '' },
    memberIds: { type: [String], default: [] },
    status: { type: String, required: true },
  },
  options('roster_subgroups'),
);
// The open subgroups of a class (the split rule).
subgroupSchema.index({ classId: 1, status: 1 });

const staffSchema = new Schema<CopyDocument<CopiedStaffPosition>>(
  {
    ...common,
    schoolId: { type: String, required: true },
    personId: { type: String, required: true },
    kind: { type: String, required: true },
    title: { type: String, default: '' },
    status: { type: String, required: true },
  },
  options('roster_staff_positions'),
);
// A person's positions in a school (is the teacher current staff).
staffSchema.index({ schoolId: 1, personId: 1 });

const personSchema = new Schema<CopyDocument<CopiedPerson>>(
  {
    ...common,
    schoolId: { type: String, required: true },
    displayName: { type: String, default: '' },
    status: { type: String, required: true },
  },
  options('roster_people'),
);

export interface RosterCopyModels {
  schools: Model<CopyDocument<CopiedSchool>>;
  years: Model<CopyDocument<CopiedYear>>;
  classes: Model<CopyDocument<CopiedClass>>;
  subgroups: Model<CopyDocument<CopiedSubgroup>>;
  staffPositions: Model<CopyDocument<CopiedStaffPosition>>;
  people: Model<CopyDocument<CopiedPerson>>;
}

export function rosterCopyModels(connection: Connection): RosterCopyModels {
  return {
    schools: connection.model<CopyDocument<CopiedSchool>>('RosterSchool', schoolSchema),
    years: connection.model<CopyDocument<CopiedYear>>('RosterYear', yearSchema),
    classes: connection.model<CopyDocument<CopiedClass>>('RosterClass', classSchema),
    subgroups: connection.model<CopyDocument<CopiedSubgroup>>('RosterSubgroup', subgroupSchema),
    staffPositions: connection.model<CopyDocument<CopiedStaffPosition>>('RosterStaffPosition', staffSchema),
    people: connection.model<CopyDocument<CopiedPerson>>('RosterPerson', personSchema),
  };
}
