import type { BellSchedule } from './bell-schedule';
import type { Curriculum, StudyWeeks } from './curriculum';
import type { Subject } from './subject';
import type { TeachingAssignment } from './teaching-assignment';
import type { ClassTimetable, PublishedClassTimetable, TimetablePublication } from './timetable';

/** Who acts: the verified actor from the gateway (structurally the @edu/grpc Actor). */
export interface Actor {
  accountId: string;
  personId?: string;
  schoolRoles: { schoolId: string; role: string }[];
  grants: string[];
}

/** Request context a use case needs besides its input. */
export interface RequestContext {
  actor: Actor;
  traceId: string;
}

/** Refuses (PERMISSION_DENIED) and records a security event when `allowed` is false. */
export type Authorize = (actor: Actor, allowed: boolean, what: { action: string; object: string }) => void;

/** A fact about a subject, carrying the subject as stored. */
export interface SubjectEvent {
  type: 'edu.schedule.subject.created';
  subject: Subject;
}

export interface SubjectRepository {
  /**
   * Stores a school's new subject and its event atomically; throws conflict `subject.key_taken`
   * or `subject.name_taken` when the school got a subject of that key or name meanwhile.
   */
  create(subject: Subject, events: SubjectEvent[], ctx: RequestContext): Promise<void>;
  /**
   * Stores those catalogue subjects that are not stored yet, each with its event; leaves stored
   * ones as they are. Idempotent, also when two instances seed at once. Returns how many it added.
   */
  seedCatalogue(items: { subject: Subject; events: SubjectEvent[] }[]): Promise<number>;
  get(id: string): Promise<Subject | null>;
  /** The catalogue's subjects and the school's own, in no particular order. */
  listForSchool(schoolId: string): Promise<Subject[]>;
}

/** A fact about a teaching assignment, carrying the assignment after the change. */
export type AssignmentEvent =
  | { type: 'edu.schedule.teaching.assigned'; assignment: TeachingAssignment }
  | {
      type: 'edu.schedule.teaching.unassigned';
      assignment: TeachingAssignment;
      previousEndsOn: string;
      reason: string;
    };

export interface AssignmentRepository {
  /** Stores a new assignment and its events atomically. */
  create(assignment: TeachingAssignment, events: AssignmentEvent[], ctx: RequestContext): Promise<void>;
  /**
   * Replaces an assignment if still at `expectedVersion`; throws conflict
   * `assignment.version_conflict` when someone changed it meanwhile.
   */
  update(
    assignment: TeachingAssignment,
    expectedVersion: number,
    events: AssignmentEvent[],
    ctx: RequestContext,
  ): Promise<void>;
  get(id: string): Promise<TeachingAssignment | null>;
  /** Every assignment of a school's year (ended ones too), in no particular order. */
  listByYear(schoolId: string, academicYearId: string): Promise<TeachingAssignment[]>;
  /** Every assignment of a class, its subgroups' included (ended ones too). */
  listByClass(classId: string): Promise<TeachingAssignment[]>;
  /** Every assignment of a teacher in a year (ended ones too). */
  listByTeacher(teacherId: string, academicYearId: string): Promise<TeachingAssignment[]>;
  /**
   * Runs `work` while no other writer of this process assigns the same class and subject: the
   * rule "no two assignments of one teacher, target and subject cover the same day" is checked
   * and relied on by one write. There are no multi-document transactions, and FerretDB 1.24 has
   * no partial unique indexes, so this serialises the writers of one process.
   */
  exclusive<T>(classId: string, subjectId: string, work: () => Promise<T>): Promise<T>;
}

/** A fact about a bell schedule, carrying it after the change. */
export interface BellScheduleEvent {
  type: 'edu.schedule.bells.set';
  bellSchedule: BellSchedule;
}

export interface BellScheduleRepository {
  /**
   * Stores a bell schedule and its events atomically: inserts it when `expectedVersion` is 0,
   * otherwise replaces the stored one if still at `expectedVersion`. Throws conflict
   * `bells.version_conflict` when it exists already (insert) or was changed meanwhile.
   */
  save(
    bellSchedule: BellSchedule,
    expectedVersion: number,
    events: BellScheduleEvent[],
    ctx: RequestContext,
  ): Promise<void>;
  get(id: string): Promise<BellSchedule | null>;
  /** The school's bell schedules, in no particular order. */
  listBySchool(schoolId: string): Promise<BellSchedule[]>;
}

/**
 * A fact about a curriculum, carrying it after the change and what its hours per year were
 * computed with (the weeks of study known then).
 */
export interface CurriculumEvent {
  type: 'edu.schedule.curriculum.set';
  curriculum: Curriculum;
  weeks: StudyWeeks;
}

export interface CurriculumRepository {
  /**
   * Stores a curriculum and its events atomically: inserts it when `expectedVersion` is 0,
   * otherwise replaces the stored one if still at `expectedVersion`. Throws conflict
   * `curriculum.version_conflict` when it exists already (insert) or was changed meanwhile.
   */
  save(
    curriculum: Curriculum,
    expectedVersion: number,
    events: CurriculumEvent[],
    ctx: RequestContext,
  ): Promise<void>;
  get(id: string): Promise<Curriculum | null>;
  /** The curricula of a school's year, in no particular order. */
  listByYear(schoolId: string, academicYearId: string): Promise<Curriculum[]>;
}

/**
 * The publication of a school's template of a period, with each class's week as published (times
 * from the bells at publication).
 */
export interface TimetableEvent {
  type: 'edu.schedule.timetable.published';
  publication: TimetablePublication;
  classes: PublishedClassTimetable[];
}

export interface TimetableRepository {
  /**
   * Stores a class's week of a period: inserts it when `expectedVersion` is 0, otherwise replaces
   * the stored one if still at `expectedVersion`. Throws conflict `timetable.version_conflict`
   * when it exists already (insert) or was changed meanwhile. No event: the template becomes a
   * fact when published.
   */
  save(timetable: ClassTimetable, expectedVersion: number): Promise<void>;
  get(id: string): Promise<ClassTimetable | null>;
  /** Every class's week of every period of a school's year, in no particular order. */
  listByYear(schoolId: string, academicYearId: string): Promise<ClassTimetable[]>;
  getPublication(id: string): Promise<TimetablePublication | null>;
  /**
   * Stores a publication and its events atomically, as `save` does by version (0: the first);
   * throws conflict `timetable.version_conflict` when another publication won meanwhile.
   */
  publish(
    publication: TimetablePublication,
    expectedVersion: number,
    events: TimetableEvent[],
    ctx: RequestContext,
  ): Promise<void>;
  /**
   * Runs `work` while no other writer of this process changes or publishes the school's timetable
   * of the year: the rules are checked across the whole school's week (and across periods of
   * other grades' schemes that share days), so one writer at a time reads and writes it.
   */
  exclusive<T>(schoolId: string, academicYearId: string, work: () => Promise<T>): Promise<T>;
}

// Schedule's copy of roster, kept from roster's events (never read from roster's store).
type CopiedSchool = import('./roster-copy').CopiedSchool;
type CopiedYear = import('./roster-copy').CopiedYear;
type CopiedClass = import('./roster-copy').CopiedClass;
type CopiedSubgroup = import('./roster-copy').CopiedSubgroup;
type CopiedStaffPosition = import('./roster-copy').CopiedStaffPosition;
type CopiedPerson = import('./roster-copy').CopiedPerson;

/**
 * Writes the copy. Each `put` stores the record unless the stored one is as new or newer (by
 * roster's aggregate version) and says whether it did: the same event twice, or an old one after
 * a newer one, changes nothing.
 */
export interface RosterCopyWriter {
  putSchool(school: CopiedSchool): Promise<boolean>;
  putYear(year: CopiedYear): Promise<boolean>;
  putClass(schoolClass: CopiedClass): Promise<boolean>;
  putSubgroup(subgroup: CopiedSubgroup): Promise<boolean>;
  putStaffPosition(position: CopiedStaffPosition): Promise<boolean>;
  putPerson(person: CopiedPerson): Promise<boolean>;
}

/** Reads the copy, as roster's events have made it so far. */
export interface RosterCopyReader {
  school(id: string): Promise<CopiedSchool | null>;
  year(id: string): Promise<CopiedYear | null>;
  schoolClass(id: string): Promise<CopiedClass | null>;
  /** Classes by id (the ones found). */
  classes(ids: string[]): Promise<CopiedClass[]>;
  subgroup(id: string): Promise<CopiedSubgroup | null>;
  /** Subgroups by id (the ones found). */
  subgroups(ids: string[]): Promise<CopiedSubgroup[]>;
  /** The open subgroups of a class. */
  openSubgroupsOfClass(classId: string): Promise<CopiedSubgroup[]>;
  /** Every position (active and dismissed) of a person in a school. */
  positionsOf(schoolId: string, personId: string): Promise<CopiedStaffPosition[]>;
  /** Staff people by id (the ones found). */
  people(ids: string[]): Promise<CopiedPerson[]>;
}

// The events calendar (school-event.ts), the copy of student relations (student-relations.ts)
// and the calendar warnings kept from roster's day transfers.
type SchoolEvent = import('./school-event').SchoolEvent;
type CopiedEnrolment = import('./student-relations').CopiedEnrolment;
type CopiedGuardianship = import('./student-relations').CopiedGuardianship;

/** A fact about a school event, carrying the event after the change. */
export type SchoolEventFact =
  | { type: 'edu.schedule.event.scheduled'; event: SchoolEvent }
  | { type: 'edu.schedule.event.changed'; event: SchoolEvent; change: 'card' | 'results' }
  | { type: 'edu.schedule.event.cancelled'; event: SchoolEvent };

export interface SchoolEventRepository {
  /** Stores a new event and its facts atomically. */
  create(event: SchoolEvent, facts: SchoolEventFact[], ctx: RequestContext): Promise<void>;
  /**
   * Replaces an event if still at `expectedVersion`; throws conflict `event.version_conflict`
   * when someone changed it meanwhile.
   */
  update(
    event: SchoolEvent,
    expectedVersion: number,
    facts: SchoolEventFact[],
    ctx: RequestContext,
  ): Promise<void>;
  get(id: string): Promise<SchoolEvent | null>;
  /** Every event of a school's year, in no particular order. */
  listByYear(schoolId: string, academicYearId: string): Promise<SchoolEvent[]>;
}

/** Writes the copy of student relations; each put as `RosterCopyWriter`'s (newer versions only). */
export interface StudentRelationsWriter {
  putEnrolment(enrolment: CopiedEnrolment): Promise<boolean>;
  putGuardianship(guardianship: CopiedGuardianship): Promise<boolean>;
}

/** Reads the copy of student relations. */
export interface StudentRelationsReader {
  /** A student's enrolment in a year (any status), null when roster told of none. */
  enrolment(academicYearId: string, studentId: string): Promise<CopiedEnrolment | null>;
  /** Enrolments of some students in a year (the ones found). */
  enrolments(academicYearId: string, studentIds: string[]): Promise<CopiedEnrolment[]>;
  /** Every link (active and ended) of a guardian. */
  guardianshipsOf(guardianId: string): Promise<CopiedGuardianship[]>;
}

/** A warning about a school's calendar, recorded once per transferred day. */
export interface CalendarWarning {
  /** "<year id>:<date>". */
  id: string;
  schoolId: string;
  academicYearId: string;
  code: 'calendar.transfer_late_notice';
  /** The transferred day, YYYY-MM-DD. */
  date: string;
  /** ISO weekday it works as. */
  worksAs: number;
  /** When roster announced it (the event's occurredAt). */
  announcedAt: string;
  workingDaysAhead: number;
  message: string;
}

export interface CalendarWarningRepository {
  /** The transfers of a year already looked at, and roster's version of the year then. */
  seenTransfers(
    academicYearId: string,
  ): Promise<{ transfers: { date: string; worksAs: number }[]; version: number } | null>;
  /**
   * Records warnings not recorded yet (by id; a repeat keeps the first) and then the year's
   * transfers as seen at `version` (unless a newer version was seen).
   */
  record(
    warnings: CalendarWarning[],
    seen: {
      academicYearId: string;
      schoolId: string;
      transfers: { date: string; worksAs: number }[];
      version: number;
    },
  ): Promise<void>;
  listByYear(schoolId: string, academicYearId: string): Promise<CalendarWarning[]>;
}

// Dated lessons (lesson.ts): the lessons, and the published weeks they are generated from.
type Lesson = import('./lesson').Lesson;
type LessonChange = import('./lesson').LessonChange;

/** A published template of a school's period as the lessons were (or are to be) generated from it. */
export interface LessonTemplate {
  /** The publication's id (school, year, period). */
  id: string;
  schoolId: string;
  academicYearId: string;
  period: number;
  /** The publication's version. */
  version: number;
  classes: PublishedClassTimetable[];
  /** The publication version whose lessons were last generated (0: none yet). */
  generatedVersion: number;
}

/** Which lessons a list reads: one class (with its subgroups), a teacher's, or a school's, over days. */
export interface LessonFilter {
  schoolId?: string;
  classId?: string;
  teacherId?: string;
  from: string;
  to: string;
  status?: 'scheduled' | 'cancelled';
  needsDecision?: boolean;
  /** Only lessons with a substitute. */
  withSubstitute?: boolean;
}

export interface LessonRepository {
  /**
   * Stores lesson changes in bulk with their facts: chunks of at most 500 lessons, each written
   * first as one document holding the new states and their events (atomic: intent and events),
   * then applied to the lessons, then marked applied. A crash in between leaves the chunk
   * unapplied: `applyPending` applies it again, harmlessly (by version).
   */
  write(changes: LessonChange[], ctx: RequestContext): Promise<void>;
  /**
   * Applies the chunks left unapplied by a crash — of one school (while holding its `exclusive`),
   * or of every school at start, before any writer runs; returns how many.
   */
  applyPending(schoolId?: string): Promise<number>;
  get(id: string): Promise<Lesson | null>;
  /** Every lesson of a school's period (all origins and statuses). */
  listByPeriod(schoolId: string, academicYearId: string, period: number): Promise<Lesson[]>;
  /** Lessons by the filter, at most `limit`, in no particular order. */
  list(filter: LessonFilter, limit: number): Promise<Lesson[]>;
  /**
   * Records gradebook's journal content of a lesson unless a newer record version was recorded;
   * false when the lesson is unknown or the version is not newer.
   */
  setJournalContent(lessonId: string, hasContent: boolean, recordVersion: number): Promise<boolean>;
  /** Stores a publication's template unless a newer one of the period is stored. */
  saveTemplate(template: LessonTemplate): Promise<void>;
  getTemplate(id: string): Promise<LessonTemplate | null>;
  /** The templates of a school's year. */
  templatesOfYear(schoolId: string, academicYearId: string): Promise<LessonTemplate[]>;
  /** Templates whose last publication has not been generated yet (a crash in between). */
  templatesBehind(): Promise<LessonTemplate[]>;
  /** Records that the lessons of the template's `version` were generated. */
  markGenerated(id: string, version: number): Promise<void>;
  /**
   * Runs `work` while no other writer of this process changes the school's lessons: a generation
   * reads, compares and writes the lessons of a period as one step, and the journal flags gradebook
   * sets must not slip in between.
   */
  exclusive<T>(schoolId: string, work: () => Promise<T>): Promise<T>;
}
