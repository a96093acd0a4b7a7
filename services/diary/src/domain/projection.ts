import type {
  ClassDoc,
  GuardianLink,
  LessonDoc,
  PeriodMarkDoc,
  PersonDoc,
  PolicyDoc,
  RecordDoc,
  SchoolDoc,
  SchoolEventDoc,
  SubjectDoc,
  SubgroupDoc,
  YearDoc,
} from './model';
import { calendarId } from './model';
import type { ModelTx } from './ports';
import { emptyStudent, write } from './projection-docs';
import { applyLesson, applyRecord } from './projection-lessons';
import {
  applyClass,
  applyGuardianship,
  applyMovement,
  applyPerson,
  applySchool,
  applySubgroup,
  applyYear,
} from './projection-roster';

// The projection: the diary's own facts (mapped from roster's, schedule's and gradebook's events
// at the edge) applied to the read model. Every apply reads the documents it needs through the
// unit of work, changes them in memory and puts only what changed; each field is guarded by its
// source's version, so that a duplicate, a replay or another interleaving of the topics ends in
// the same documents.

/** A student's move into and/or out of a class (roster's student events). */
export interface MovementFact {
  /** "<year id>:<student id>". */
  enrolmentId: string;
  schoolId: string;
  /** The year of the enrolment (for a promotion the new year). */
  academicYearId: string;
  studentId: string;
  kind: 'enrolled' | 'transferred' | 'withdrawn' | 'promoted' | 'graduated';
  /** '' for an enrolment. */
  fromClassId: string;
  /** '' for a withdrawal or a graduation. */
  toClassId: string;
  /** YYYY-MM-DD; for a graduation the last day in the class. */
  effectiveOn: string;
  version: number;
}

/** A subgroup as roster tells it after one of its events. */
export interface SubgroupFact {
  /** The event's action: "formed", "members_changed", "changed" or "disbanded". */
  action: string;
  subgroup: Omit<SubgroupDoc, 'memberIds'> & { status: 'open' | 'closed' };
  /** The members now (roster's state; ignored once closed). */
  memberIds: string[];
  /** When it happened (RFC 3339): its day in the school's zone starts and ends stints. */
  occurredAt: string;
}

/** A dated lesson as schedule tells it, whole (its version: the lesson's aggregate version). */
export interface ScheduledLesson extends Omit<LessonDoc, 'record' | 'lessonVersion'> {
  schoolId: string;
  academicYearId: string;
  classId: string;
  /** The class's name at generation (names a class roster has not told yet). */
  className: string;
  version: number;
}

/** What a lesson record tells of its lesson (the lesson as gradebook last knew it). */
export type RecordedLesson = Pick<
  LessonDoc,
  | 'lessonId'
  | 'date'
  | 'lessonNumber'
  | 'startsAt'
  | 'endsAt'
  | 'period'
  | 'subgroupId'
  | 'subjectId'
  | 'subjectKey'
  | 'teacherId'
  | 'substituteTeacherId'
  | 'status'
> & { schoolId: string; academicYearId: string; classId: string };

/** Everything the diary keeps, in its own terms. */
export type DiaryFact =
  | { kind: 'school'; school: Omit<SchoolDoc, 'policy'> }
  | { kind: 'year'; year: YearDoc }
  | { kind: 'class'; schoolClass: Omit<ClassDoc, 'teacherIds'> }
  | { kind: 'person'; person: PersonDoc }
  | { kind: 'movement'; movement: MovementFact }
  | { kind: 'subgroup'; change: SubgroupFact }
  | { kind: 'guardianship'; link: GuardianLink }
  | { kind: 'lesson'; lesson: ScheduledLesson }
  | { kind: 'subject'; subject: SubjectDoc }
  | { kind: 'schoolEvent'; schoolId: string; academicYearId: string; event: SchoolEventDoc }
  | { kind: 'record'; lesson: RecordedLesson; record: RecordDoc }
  | { kind: 'periodMark'; schoolId: string; studentId: string; mark: PeriodMarkDoc }
  | { kind: 'policy'; schoolId: string; policy: PolicyDoc };

/** Applies one fact to the model; true when some document changed. */
export async function applyFact(tx: ModelTx, fact: DiaryFact): Promise<boolean> {
  switch (fact.kind) {
    case 'school':
      return applySchool(tx, fact.school);
    case 'year':
      return applyYear(tx, fact.year);
    case 'class':
      return applyClass(tx, fact.schoolClass);
    case 'person':
      return applyPerson(tx, fact.person);
    case 'movement':
      return applyMovement(tx, fact.movement);
    case 'subgroup':
      return applySubgroup(tx, fact.change);
    case 'guardianship':
      return applyGuardianship(tx, fact.link);
    case 'lesson':
      return applyLesson(tx, fact.lesson);
    case 'record':
      return applyRecord(tx, fact.lesson, fact.record);
    case 'subject':
      return applySubject(tx, fact.subject);
    case 'schoolEvent':
      return applySchoolEvent(tx, fact.schoolId, fact.academicYearId, fact.event);
    case 'periodMark':
      return applyPeriodMark(tx, fact.schoolId, fact.studentId, fact.mark);
    case 'policy':
      return applyPolicy(tx, fact.schoolId, fact.policy);
  }
}

/** A catalogue subject: created once, never versioned, so replaced only when it differs. */
async function applySubject(tx: ModelTx, subject: SubjectDoc): Promise<boolean> {
  return write(tx, 'subjects', await tx.get('subjects', subject._id), subject);
}

function byDayThenEvent(a: SchoolEventDoc, b: SchoolEventDoc): number {
  return a.startsOn.localeCompare(b.startsOn) || a.eventId.localeCompare(b.eventId);
}

/** A school event into its year's calendar, by the event's version. */
async function applySchoolEvent(
  tx: ModelTx,
  schoolId: string,
  academicYearId: string,
  event: SchoolEventDoc,
): Promise<boolean> {
  const id = calendarId(schoolId, academicYearId);
  const stored = await tx.get('calendars', id);
  const known = stored?.events.find((e) => e.eventId === event.eventId);
  if (known && known.version >= event.version) return false;
  const events = [...(stored?.events ?? []).filter((e) => e !== known), event].sort(byDayThenEvent);
  return write(tx, 'calendars', stored, { _id: id, schoolId, academicYearId, events });
}

/** A student's period, year, exam or final mark, by its version. */
async function applyPeriodMark(
  tx: ModelTx,
  schoolId: string,
  studentId: string,
  mark: PeriodMarkDoc,
): Promise<boolean> {
  const stored = await tx.get('students', studentId);
  const student = stored ?? emptyStudent(studentId, schoolId);
  const known = student.periodMarks.find((m) => m.id === mark.id);
  if (known && known.version >= mark.version) return false;
  const periodMarks = [...student.periodMarks.filter((m) => m !== known), mark].sort((a, b) =>
    a.id.localeCompare(b.id),
  );
  return write(tx, 'students', stored, { ...student, periodMarks });
}

/** The school's grading policy, by the policy's version (the school is created when unknown). */
async function applyPolicy(tx: ModelTx, schoolId: string, policy: PolicyDoc): Promise<boolean> {
  const stored = await tx.get('schools', schoolId);
  if (stored?.policy && stored.policy.version >= policy.version) return false;
  const school: SchoolDoc = stored ?? {
    _id: schoolId,
    name: '',
    shortName: '',
    timeZone: '',
    version: 0,
    policy: null,
  };
  return write(tx, 'schools', stored, { ...school, policy });
}
