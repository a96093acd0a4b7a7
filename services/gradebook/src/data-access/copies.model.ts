import { Schema, type Connection, type Model } from 'mongoose';
import type {
  CopiedClass,
  CopiedPerson,
  CopiedSchool,
  CopiedSubgroup,
  CopiedYear,
  Course,
  Stint,
} from '../domain/copies';

// Gradebook's copies of roster and schedule, one collection per kind of record, every document
// found by its `_id` (FerretDB 1.24 on SQLite uses no other index): the source's id, or an id
// gradebook computes (a course's, a class's roll, an index's owner). Written only by the
// consumers of roster's and schedule's topics.

/** A copied record as stored: its id as `_id`, and when gradebook last wrote it. */
export type CopyDocument<T extends { id: string }> = Omit<T, 'id'> & { _id: string; updatedAt: Date };

/** A class roll as stored: `applied` as a list (ids never become field names), `revision` guards writes. */
export interface ClassRollDocument {
  _id: string;
  schoolId: string;
  academicYearId: string;
  stints: Stint[];
  applied: { enrolmentId: string; version: number }[];
  revision: number;
  updatedAt: Date;
}

/** Where a lesson is: its course, at the lesson version that put it there. */
export interface LessonLocationDocument {
  _id: string;
  courseId: string;
  version: number;
}

/** An index from an owner (a class, a teacher) to course ids. */
export interface CourseIndexDocument {
  _id: string;
  courseIds: string[];
}

const id = { type: String, required: true };
const text = { type: String, default: '' };
const common = {
  _id: id,
  version: { type: Number, required: true },
  updatedAt: { type: Date, required: true },
};
const options = (collection: string) => ({ collection, versionKey: false as const });

const stintSchema = new Schema<Stint>(
  { studentId: { type: String, required: true }, from: { type: String, required: true }, until: text },
  { _id: false },
);

const schoolSchema = new Schema<CopyDocument<CopiedSchool>>(
  { ...common, shortName: text, timeZone: text },
  options('roster_schools'),
);

const daysFields = { startsOn: text, endsOn: text };
const yearSchema = new Schema<CopyDocument<CopiedYear>>(
  {
    ...common,
    schoolId: id,
    name: text,
    startsOn: text,
    endsOn: text,
    status: { type: String, required: true },
    periodSchemes: {
      type: [
        new Schema(
          {
            grades: { type: [Number], default: [] },
            kind: text,
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
  },
  options('roster_years'),
);

const classSchema = new Schema<CopyDocument<CopiedClass>>(
  {
    ...common,
    schoolId: id,
    academicYearId: text,
    grade: { type: Number, required: true },
    name: text,
    classTeacherId: text,
    status: { type: String, required: true },
  },
  options('roster_classes'),
);

const classRollSchema = new Schema<ClassRollDocument>(
  {
    _id: id,
    schoolId: text,
    academicYearId: text,
    stints: { type: [stintSchema], default: [] },
    applied: {
      type: [
        new Schema(
          { enrolmentId: { type: String, required: true }, version: { type: Number, required: true } },
          { _id: false },
        ),
      ],
      default: [],
    },
    revision: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  options('roster_class_rolls'),
);

const subgroupSchema = new Schema<CopyDocument<CopiedSubgroup>>(
  {
    ...common,
    schoolId: id,
    academicYearId: text,
    classId: text,
    subjectKey: text,
    name: text,
    stints: { type: [stintSchema], default: [] },
    status: { type: String, required: true },
  },
  options('roster_subgroups'),
);

const personSchema = new Schema<CopyDocument<CopiedPerson>>(
  { ...common, schoolId: text, kind: text, displayName: text, status: text },
  options('roster_people'),
);

const lessonSchema = new Schema(
  {
    lessonId: { type: String, required: true },
    period: { type: Number, default: 0 },
    date: { type: String, required: true },
    lessonNumber: { type: Number, required: true },
    startsAt: text,
    endsAt: text,
    teacherId: text,
    substituteTeacherId: text,
    room: text,
    status: { type: String, required: true },
    version: { type: Number, required: true },
  },
  { _id: false },
);

const courseSchema = new Schema<CopyDocument<Course>>(
  {
    ...common,
    schoolId: text,
    academicYearId: id,
    classId: id,
    className: text,
    subgroupId: text,
    subgroupName: text,
    subjectId: id,
    subjectKey: text,
    subjectName: text,
    subjectShortName: text,
    lessons: { type: [lessonSchema], default: [] },
    // Absent until schedule sent a curriculum with the subject (no default: absence means unknown).
    curriculum: {
      type: new Schema(
        {
          hoursPerYear: { type: Number, required: true },
          hoursPerWeek: { type: Number, required: true },
          version: { type: Number, required: true },
        },
        { _id: false },
      ),
      required: false,
      default: undefined,
    },
  },
  options('schedule_courses'),
);

const lessonLocationSchema = new Schema<LessonLocationDocument>(
  { _id: id, courseId: id, version: { type: Number, required: true } },
  options('schedule_lesson_locations'),
);

const courseIndexFields = { _id: id, courseIds: { type: [String], default: [] } };
const classCoursesSchema = new Schema<CourseIndexDocument>(
  courseIndexFields,
  options('schedule_class_courses'),
);
const teacherCoursesSchema = new Schema<CourseIndexDocument>(
  courseIndexFields,
  options('schedule_teacher_courses'),
);
const schoolCoursesSchema = new Schema<CourseIndexDocument>(
  courseIndexFields,
  options('schedule_school_courses'),
);

export interface CopyModels {
  schools: Model<CopyDocument<CopiedSchool>>;
  years: Model<CopyDocument<CopiedYear>>;
  classes: Model<CopyDocument<CopiedClass>>;
  classRolls: Model<ClassRollDocument>;
  subgroups: Model<CopyDocument<CopiedSubgroup>>;
  people: Model<CopyDocument<CopiedPerson>>;
  courses: Model<CopyDocument<Course>>;
  lessonLocations: Model<LessonLocationDocument>;
  classCourses: Model<CourseIndexDocument>;
  teacherCourses: Model<CourseIndexDocument>;
  schoolCourses: Model<CourseIndexDocument>;
}

/** Registers the copies' models on gradebook's connection. */
export function copyModels(connection: Connection): CopyModels {
  return {
    schools: connection.model<CopyDocument<CopiedSchool>>('CopySchool', schoolSchema),
    years: connection.model<CopyDocument<CopiedYear>>('CopyYear', yearSchema),
    classes: connection.model<CopyDocument<CopiedClass>>('CopyClass', classSchema),
    classRolls: connection.model<ClassRollDocument>('CopyClassRoll', classRollSchema),
    subgroups: connection.model<CopyDocument<CopiedSubgroup>>('CopySubgroup', subgroupSchema),
    people: connection.model<CopyDocument<CopiedPerson>>('CopyPerson', personSchema),
    courses: connection.model<CopyDocument<Course>>('CopyCourse', courseSchema),
    lessonLocations: connection.model<LessonLocationDocument>('CopyLessonLocation', lessonLocationSchema),
    classCourses: connection.model<CourseIndexDocument>('CopyClassCourses', classCoursesSchema),
    teacherCourses: connection.model<CourseIndexDocument>('CopyTeacherCourses', teacherCoursesSchema),
    schoolCourses: connection.model<CourseIndexDocument>('CopySchoolCourses', schoolCoursesSchema),
  };
}
