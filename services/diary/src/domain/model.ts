// The diary's read model: documents built only from roster's, schedule's and gradebook's events,
// each read by an id the service can compute (FerretDB 1.24 uses only the `_id` index). Every
// document is replaced whole; every field that an event sets is guarded by that source's version,
// so that a replay or events arriving in another order across topics end in the same documents
// (a rebuild must equal the incrementally built model).
//
// A student's week is: the student (class and subgroup stints) → the class-week documents of the
// classes they were in that week → the lessons of their class and subgroups, filtered to what is
// theirs (their marks, their attendance, the general and their own homework).

/** Names of the model's collections (each prefixed with the generation: `g3_weeks`). */
export const MODEL_COLLECTIONS = [
  'schools',
  'years',
  'classes',
  'subgroups',
  'subjects',
  'people',
  'students',
  'guardians',
  'weeks',
  'lessons',
  'calendars',
] as const;

export type CollectionName = (typeof MODEL_COLLECTIONS)[number];

/** A stretch of days: from `from` (included) until `until` (excluded; '' while it lasts). */
export interface Days {
  from: string;
  until: string;
}

/** A school: name and time zone from roster, rounding and work types from gradebook's policy. */
export interface SchoolDoc {
  _id: string;
  name: string;
  shortName: string;
  /** IANA zone; '' until roster told it (readers fall back to Europe/Moscow). */
  timeZone: string;
  /** Roster's school version (0 while only known from other facts). */
  version: number;
  /** From `edu.gradebook.policy.set`; null while the school has the defaults. */
  policy: PolicyDoc | null;
}

export interface PolicyDoc {
  /** Rounding of a weighted average: from this fraction up (0.5: 4.5 → 5). */
  roundingThreshold: number;
  /** A mark at or below it is low. */
  lowMarkThreshold: number;
  workTypes: { key: string; name: string; weight: number; active: boolean }[];
  version: number;
}

/** An academic year with its study periods per grade scheme. */
export interface YearDoc {
  _id: string;
  schoolId: string;
  name: string;
  startsOn: string;
  endsOn: string;
  periodSchemes: {
    grades: number[];
    /** "quarter", "trimester" or "half_year". */
    kind: string;
    periods: { number: number; startsOn: string; endsOn: string }[];
  }[];
  version: number;
}

/** A class; `teacherIds` are everyone who taught or substituted a lesson of it (from lessons). */
export interface ClassDoc {
  _id: string;
  schoolId: string;
  academicYearId: string;
  grade: number;
  name: string;
  classTeacherId: string;
  /** Roster's class version (0 while only known from lessons). */
  version: number;
  /** Sorted, unique. */
  teacherIds: string[];
}

/** A subgroup with its members now (the members' stints live on the students). */
export interface SubgroupDoc {
  _id: string;
  schoolId: string;
  academicYearId: string;
  classId: string;
  name: string;
  subjectKey: string;
  /** Sorted. */
  memberIds: string[];
  version: number;
}

/** A subject of the catalogue (names for period marks and summaries). */
export interface SubjectDoc {
  _id: string;
  key: string;
  name: string;
  shortName: string;
}

/** A student's or a staff member's name; guardians' names are not kept. */
export interface PersonDoc {
  _id: string;
  schoolId: string;
  /** "student" or "staff". */
  kind: string;
  displayName: string;
  version: number;
}

/** A period, year, exam or final mark (R5.5, R6.4). */
export interface PeriodMarkDoc {
  /** "<year id>:<student id>:<subject id>:<kind>:<period>". */
  id: string;
  academicYearId: string;
  classId: string;
  subjectId: string;
  subjectKey: string;
  /** "period", "year", "exam" or "final". */
  kind: string;
  period: number;
  value: string;
  corrected: boolean;
  /** The values before, oldest first. */
  previousValues: string[];
  setAt: string;
  version: number;
}

/** A guardian of a student as roster tells it. */
export interface GuardianLink {
  guardianshipId: string;
  guardianId: string;
  studentId: string;
  schoolId: string;
  /** Guardianship active and consent recorded (R1.9): only then the guardian reads the diary. */
  active: boolean;
  version: number;
}

/** Everything about one student that is not a lesson. */
export interface StudentDoc {
  _id: string;
  schoolId: string;
  /** Class membership over time, from enrolment movements, ordered by `from`. */
  classStints: ({ academicYearId: string; classId: string } & Days)[];
  /** Newest enrolment version applied per enrolment id ("<year id>:<student id>"). */
  applied: Record<string, number>;
  /** Subgroup membership over time (from the subgroup's member changes, the event's local day). */
  subgroupStints: ({ subgroupId: string; classId: string } & Days)[];
  guardians: GuardianLink[];
  periodMarks: PeriodMarkDoc[];
}

/** The children a guardian reads. */
export interface GuardianDoc {
  _id: string;
  children: GuardianLink[];
}

export interface HomeworkDoc {
  text: string;
  /** YYYY-MM-DD or '' (the next lesson of the subject). */
  dueDate: string;
  attachments: string[];
  /** '' for the general homework. */
  studentId: string;
}

export interface MarkDoc {
  markId: string;
  studentId: string;
  /** '' when voided. */
  value: string;
  workType: string;
  workTypeName: string;
  weight: number;
  comment: string;
  postedAt: string;
  /** "active" or "voided". */
  status: string;
  corrected: boolean;
  /** Every step after posting: what it became and why (reasons shown only if the school allows). */
  history: { kind: string; value: string; reason: string; at: string }[];
  /** The value first posted. */
  postedValue: string;
}

export interface AttendanceDoc {
  studentId: string;
  /** "absent" or "late". */
  kind: string;
  lateMinutes: number;
  /** "", "illness", "application", "other" or "unexcused". */
  reason: string;
}

/** A lesson's journal content from gradebook (the newest record by version). */
export interface RecordDoc {
  version: number;
  topic: string;
  homework: HomeworkDoc | null;
  individualHomework: HomeworkDoc[];
  marks: MarkDoc[];
  attendance: AttendanceDoc[];
  attendanceTaken: boolean;
}

/**
 * A dated lesson of a class or of one of its subgroups: schedule's part guarded by
 * `lessonVersion` (0 while known only from gradebook's record), the content by `record.version`.
 */
export interface LessonDoc {
  lessonId: string;
  date: string;
  lessonNumber: number;
  startsAt: string;
  endsAt: string;
  period: number;
  /** '' for the whole class. */
  subgroupId: string;
  subgroupName: string;
  subjectId: string;
  subjectKey: string;
  subjectName: string;
  teacherId: string;
  substituteTeacherId: string;
  room: string;
  /** "scheduled" or "cancelled". */
  status: string;
  cancellationReason: string;
  /** YYYY-MM-DD the lesson was moved from; '' unless moved. */
  movedFromDate: string;
  lessonVersion: number;
  record: RecordDoc | null;
}

/** The week id of a class: `<class id>:<Monday, YYYY-MM-DD>`. */
export function weekId(classId: string, monday: string): string {
  return `${classId}:${monday}`;
}

/** A class's lessons (its subgroups' too) of one week, ordered by date, number, subgroup. */
export interface WeekDoc {
  /** `weekId(classId, weekStart)`. */
  _id: string;
  classId: string;
  schoolId: string;
  academicYearId: string;
  /** The Monday. */
  weekStart: string;
  lessons: LessonDoc[];
}

/** Where a lesson lives: which week document (a moved lesson changes weeks). */
export interface LessonLocationDoc {
  /** The lesson id. */
  _id: string;
  weekId: string;
  /** Weeks it was in before; an interrupted move is finished on the next event. */
  formerWeekIds: string[];
  lessonVersion: number;
}

/** A school or class event (R6.6), from schedule. */
export interface SchoolEventDoc {
  eventId: string;
  kind: string;
  kindName: string;
  title: string;
  description: string;
  startsOn: string;
  endsOn: string;
  startsAt: string;
  endsAt: string;
  place: string;
  /** "school" or "classes". */
  scope: string;
  classIds: string[];
  /** Empty: everyone of the scope. */
  participantIds: string[];
  /** "scheduled", "held" or "cancelled". */
  status: string;
  version: number;
}

/** The events of a school's year: `<school id>:<year id>`. */
export interface CalendarDoc {
  _id: string;
  schoolId: string;
  academicYearId: string;
  /** Ordered by `startsOn`, then `eventId`. */
  events: SchoolEventDoc[];
}

export function calendarId(schoolId: string, academicYearId: string): string {
  return `${schoolId}:${academicYearId}`;
}

/** The document type of each collection. */
export interface ModelDocs {
  schools: SchoolDoc;
  years: YearDoc;
  classes: ClassDoc;
  subgroups: SubgroupDoc;
  subjects: SubjectDoc;
  people: PersonDoc;
  students: StudentDoc;
  guardians: GuardianDoc;
  weeks: WeekDoc;
  lessons: LessonLocationDoc;
  calendars: CalendarDoc;
}

/** A school's diary settings (kept outside the rebuildable model: no event tells them). */
export interface DiarySettings {
  schoolId: string;
  showCorrectionReasons: boolean;
  updatedBy: string;
  updatedAt: string;
}
