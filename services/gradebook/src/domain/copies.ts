// Gradebook's own copies of what it needs from roster and schedule (no service reads another's
// store), kept from their events: idempotent (every record carries the source aggregate's
// version, an older event never wins) and rebuildable by replaying the topics.
//
// Shapes are chosen for the store: FerretDB 1.24 finds documents quickly only by `_id`, so every
// question the journal asks is answered by reading documents whose ids it can compute — a course
// (class-or-subgroup × subject × year) holds its dated lessons, a class roll holds who was in the
// class when, a teacher's index lists the courses they teach or substitute in.

/** A range of days, both ends included, YYYY-MM-DD. */
export interface Days {
  startsOn: string;
  endsOn: string;
}

/** A school: its time zone decides "today" and the end of a lesson's day. */
export interface CopiedSchool {
  id: string;
  shortName: string;
  /** IANA time zone, e.g. "Asia/Krasnoyarsk". */
  timeZone: string;
  version: number;
}

/** Study periods of some grades: "quarter", "trimester" or "half_year", in date order. */
export interface CopiedPeriodScheme {
  grades: number[];
  kind: string;
  periods: ({ number: number } & Days)[];
}

/** An academic year with its study periods by grade. */
export interface CopiedYear {
  id: string;
  schoolId: string;
  /** E.g. "2026/2027". */
  name: string;
  startsOn: string;
  endsOn: string;
  status: 'open' | 'closed';
  periodSchemes: CopiedPeriodScheme[];
  version: number;
}

/** A class of a year. */
export interface CopiedClass {
  id: string;
  schoolId: string;
  academicYearId: string;
  grade: number;
  /** E.g. "5А". */
  name: string;
  /** Person id of the class teacher; '' when none. */
  classTeacherId: string;
  status: 'open' | 'closed';
  version: number;
}

/**
 * A stretch of days a student belongs to a class or subgroup: from `from` (included) until
 * `until` (excluded; '' while it lasts). A student who joined on 10 October has no journal cells
 * before it; one who left keeps the cells of the stretch and gets no new ones.
 */
export interface Stint {
  studentId: string;
  from: string;
  until: string;
}

/**
 * Who was in a class when, from roster's enrolment events (enrolled, transferred, withdrawn,
 * promoted, graduated: each moves a student out of one class and/or into another on its
 * `effective_on`). `applied` remembers the newest enrolment version applied, so a replayed event
 * changes nothing.
 */
export interface ClassRoll {
  /** The class id. */
  classId: string;
  schoolId: string;
  academicYearId: string;
  stints: Stint[];
  /**
   * Newest version applied per enrolment id ("<year id>:<student id>"): a promotion is the new
   * year's enrolment closing the old year's class, so versions of one student's different
   * enrolments are never compared.
   */
  applied: Record<string, number>;
}

/** A subgroup of a class for one subject, with its members over time. */
export interface CopiedSubgroup {
  id: string;
  schoolId: string;
  academicYearId: string;
  classId: string;
  /** The subject's key, e.g. "english". */
  subjectKey: string;
  name: string;
  /**
   * Members over time: a member added by an event counts from the event's day (school time
   * zone), a removed one until it; members at formation count from the formation's day.
   */
  stints: Stint[];
  status: 'open' | 'closed';
  version: number;
}

/** A person's display name (students and staff), for the journal page; guardians are not kept. */
export interface CopiedPerson {
  id: string;
  schoolId: string;
  /** "student" or "staff". */
  kind: string;
  /** Last, first and middle name. */
  displayName: string;
  status: string;
  version: number;
}

/** A dated lesson as schedule last told it (schedule's LessonState, without names). */
export interface CourseLesson {
  lessonId: string;
  /** Study period number of the class's grade scheme. */
  period: number;
  date: string;
  lessonNumber: number;
  /** "HH:MM", school local time. */
  startsAt: string;
  endsAt: string;
  teacherId: string;
  /** '' when none. */
  substituteTeacherId: string;
  room: string;
  /** "scheduled" or "cancelled". */
  status: string;
  /** Schedule's lesson version. */
  version: number;
}

/**
 * A course: what one class (or one subgroup of it) studies in one subject in one year — the unit
 * of a journal page and of a thematic plan. Its id is computed (`courseId`), its lessons come
 * from schedule's lesson events, its hours from schedule's curriculum events.
 */
export interface Course {
  id: string;
  schoolId: string;
  academicYearId: string;
  classId: string;
  className: string;
  /** '' for the whole class. */
  subgroupId: string;
  subgroupName: string;
  subjectId: string;
  subjectKey: string;
  subjectName: string;
  subjectShortName: string;
  /** Dated lessons in date and lesson-number order (cancelled ones too, with their status). */
  lessons: CourseLesson[];
  /**
   * Hours of the subject in the class's curriculum: per year, and per period where the plan says
   * (from `edu.schedule.curriculum.set`); absent until schedule sent a curriculum with the subject.
   */
  curriculum?: { hoursPerYear: number; hoursPerWeek: number; version: number };
  version: number;
}

/** The id of a course: class, subgroup ('' for the whole class), subject, year. */
export function courseId(c: {
  academicYearId: string;
  classId: string;
  subgroupId: string;
  subjectId: string;
}): string {
  return `${c.academicYearId}:${c.classId}:${c.subgroupId || '-'}:${c.subjectId}`;
}

/** The courses a teacher teaches or substituted in (ids), per year: the teacher's "today" starts here. */
export interface TeacherCourses {
  teacherId: string;
  courseIds: string[];
}

/** Reads of the copies, all by computed ids. */
export interface CopyReader {
  school(id: string): Promise<CopiedSchool | null>;
  year(id: string): Promise<CopiedYear | null>;
  schoolClass(id: string): Promise<CopiedClass | null>;
  classRoll(classId: string): Promise<ClassRoll | null>;
  subgroup(id: string): Promise<CopiedSubgroup | null>;
  /** People by id; unknown ids are left out. */
  people(ids: string[]): Promise<CopiedPerson[]>;
  course(id: string): Promise<Course | null>;
  /** Courses by id; unknown ids are left out. */
  courses(ids: string[]): Promise<Course[]>;
  /** The course ids of a class (its subgroups' included). */
  classCourseIds(classId: string): Promise<string[]>;
  teacherCourseIds(teacherId: string): Promise<string[]>;
  /** Every course id of a school (all years): journal keeping over the whole school. */
  schoolCourseIds(schoolId: string): Promise<string[]>;
  /** The course holding a lesson, by the lesson id; null when schedule has not told it. */
  lessonCourseId(lessonId: string): Promise<string | null>;
}

/** A student's move as roster's enrolment events tell it, in gradebook's terms. */
export interface Movement {
  /** Roster's enrolment id ("<year id>:<student id>"): the aggregate whose version orders moves. */
  enrolmentId: string;
  schoolId: string;
  /** The enrolment's year (for a promotion: the new year; its `fromClassId` is of the old one). */
  academicYearId: string;
  studentId: string;
  kind: 'enrolled' | 'transferred' | 'withdrawn' | 'promoted' | 'graduated';
  /** The class left ('' for an enrolment). */
  fromClassId: string;
  /** The class joined ('' for a withdrawal or graduation). */
  toClassId: string;
  /** YYYY-MM-DD; for a graduation the last day of membership, otherwise the first day of the new state. */
  effectiveOn: string;
  version: number;
}

/**
 * A subgroup as roster last told it: the state with its members now, and when it was told (the
 * day members joined or left is the event's day in the school's time zone).
 */
export interface SubgroupChange {
  subgroup: Omit<CopiedSubgroup, 'stints'>;
  memberIds: string[];
  /** The event's instant, RFC 3339. */
  occurredAt: string;
}

/** What identifies a course and names it, as a lesson carries it. */
export type CourseHeading = Omit<Course, 'id' | 'lessons' | 'curriculum' | 'version'>;

/** A lesson from schedule's events: the lesson and the course it belongs to. */
export interface LessonFact {
  course: CourseHeading;
  lesson: CourseLesson;
}

/** One subject line of a class's curriculum. */
export interface CurriculumLine {
  subjectId: string;
  subjectKey: string;
  subjectName: string;
  hoursPerWeek: number;
  hoursPerYear: number;
}

/** A class's curriculum as schedule last set it (the whole plan; version of the curriculum). */
export interface CurriculumFact {
  schoolId: string;
  academicYearId: string;
  classId: string;
  lines: CurriculumLine[];
  version: number;
}

/**
 * Writes of the copies, each idempotent and order-safe by the source's versions; true when
 * something changed.
 */
export interface CopyWriter {
  putSchool(school: CopiedSchool): Promise<boolean>;
  putYear(year: CopiedYear): Promise<boolean>;
  putClass(schoolClass: CopiedClass): Promise<boolean>;
  putPerson(person: CopiedPerson): Promise<boolean>;
  /** Stores the subgroup and moves its members' stints to the state's members. */
  applySubgroup(change: SubgroupChange): Promise<boolean>;
  /** Closes the student's stint in the class left and opens one in the class joined. */
  applyMovement(movement: Movement): Promise<boolean>;
  /** Puts the lesson into its course (out of another one when its course changed) and the indexes. */
  /** Many people at once (a run of roster's events); how many were stored. */
  putPeople(people: CopiedPerson[]): Promise<number>;
  /** Many moves at once, in order (a run of enrolment events); how many rolls changed. */
  applyMovements(movements: Movement[]): Promise<number>;
  putLesson(fact: LessonFact): Promise<boolean>;
  /** Many lessons at once, in order (a run of schedule's events); how many changed a course. */
  putLessons(facts: LessonFact[]): Promise<number>;
  /** Sets the hours of each line on the class's courses of the subject. */
  setCurriculum(curriculum: CurriculumFact): Promise<boolean>;
}

/** One fact from roster, already mapped into gradebook's own types at the edge. */
export type RosterFact =
  | { kind: 'school'; school: CopiedSchool }
  | { kind: 'year'; year: CopiedYear }
  | { kind: 'class'; schoolClass: CopiedClass }
  | { kind: 'subgroup'; change: SubgroupChange }
  /** Every person event comes here; only students and staff are kept. */
  | { kind: 'person'; person: CopiedPerson }
  | { kind: 'movement'; movement: Movement };

/** One fact from schedule, already mapped into gradebook's own types at the edge. */
export type ScheduleFact =
  { kind: 'lesson'; fact: LessonFact } | { kind: 'curriculum'; curriculum: CurriculumFact };

/** What applying a fact did: stored, already as new or newer, or not kept by design. */
export type ApplyOutcome = 'applied' | 'stale' | 'not_kept';

/** The people the journal names: its students and who teaches; guardians are not kept (152-ФЗ). */
const KEPT_PEOPLE = new Set(['student', 'staff']);

/** Applies a roster fact to the copies. */
export async function applyRosterFact(copy: CopyWriter, fact: RosterFact): Promise<ApplyOutcome> {
  let applied: boolean;
  switch (fact.kind) {
    case 'school':
      applied = await copy.putSchool(fact.school);
      break;
    case 'year':
      applied = await copy.putYear(fact.year);
      break;
    case 'class':
      applied = await copy.putClass(fact.schoolClass);
      break;
    case 'subgroup':
      applied = await copy.applySubgroup(fact.change);
      break;
    case 'person':
      if (!KEPT_PEOPLE.has(fact.person.kind)) return 'not_kept';
      applied = await copy.putPerson(fact.person);
      break;
    case 'movement':
      applied = await copy.applyMovement(fact.movement);
      break;
  }
  return applied ? 'applied' : 'stale';
}

/**
 * Applies a run of people and movement facts (an import's registrations and enrolments): the
 * people gradebook keeps in one go, the moves one roll write per class. Other kinds are refused
 * (the consumer then applies the run one by one).
 */
export async function applyRosterRun(copy: CopyWriter, facts: RosterFact[]): Promise<number> {
  const people: CopiedPerson[] = [];
  const movements: Movement[] = [];
  for (const fact of facts) {
    if (fact.kind === 'person') {
      if (KEPT_PEOPLE.has(fact.person.kind)) people.push(fact.person);
    } else if (fact.kind === 'movement') movements.push(fact.movement);
    else throw new Error(`a ${fact.kind} fact is not applied in a run`);
  }
  return (await copy.putPeople(people)) + (await copy.applyMovements(movements));
}

/** Applies a schedule fact to the copies. */
export async function applyScheduleFact(copy: CopyWriter, fact: ScheduleFact): Promise<ApplyOutcome> {
  const applied =
    fact.kind === 'lesson' ? await copy.putLesson(fact.fact) : await copy.setCurriculum(fact.curriculum);
  return applied ? 'applied' : 'stale';
}
