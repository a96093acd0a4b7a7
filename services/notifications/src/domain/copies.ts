import { addDays } from '@edu/kit';
import type {
  AbsenceCopy,
  ClassCopy,
  CopyCollection,
  CopyDocs,
  GuardianCopy,
  SchoolCopy,
  StudentCopy,
  StudentMove,
} from './model';
import { ABSENCE_MEMORY_DAYS } from './model';
import type { CopyReader, CopyTx } from './ports';

// The service's own facts (mapped from roster's, schedule's and gradebook's events at the edge)
// and how they change the copies the triggers decide with. Every apply reads the documents it needs
// through the unit of work, changes them in memory and puts only what changed; each document (or
// item of one) is guarded by its source's version, so that a duplicate, a replay or another
// interleaving of the three topics ends in the same copies.
//
// A student's class is kept as dated moves (roster's student events), never as "the class now":
// which moves have taken effect depends on the day asked, so `classOn(student, day)` answers it
// and the copies stay a pure function of the events. A class lists every student ever moved into
// it; readers keep those whose class on the day is that class.

/** Readers fall back to this zone while roster has not told the school's. */
export const FALLBACK_TIME_ZONE = 'Europe/Moscow';

/** A mark at or below this is low while gradebook has not told the school's policy. */
export const DEFAULT_LOW_MARK_THRESHOLD = 2;

// --- Facts ----------------------------------------------------------------------------------------

/** Where a trigger's intents come from: the source event. */
export interface SourceRef {
  eventId: string;
  /** RFC 3339. */
  occurredAt: string;
}

/** A student's move into and/or out of a class (roster's student events). */
export interface MovementFact {
  /** "<year id>:<student id>". */
  enrolmentId: string;
  schoolId: string;
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

/** A lesson as a gradebook record tells it. */
export interface RecordLesson {
  lessonId: string;
  schoolId: string;
  classId: string;
  /** '' for the whole class. */
  subgroupId: string;
  subjectId: string;
  subjectKey: string;
  /** YYYY-MM-DD. */
  date: string;
  lessonNumber: number;
  /** The record's version (+1 per save of the lesson). */
  recordVersion: number;
}

/** A lesson as schedule tells it (timetable changes). */
export interface ScheduleLesson {
  lessonId: string;
  schoolId: string;
  classId: string;
  subgroupId: string;
  subjectId: string;
  subjectKey: string;
  subjectName: string;
  date: string;
  lessonNumber: number;
  startsAt: string;
  endsAt: string;
  room: string;
  teacherId: string;
  substituteTeacherId: string;
  status: 'scheduled' | 'cancelled';
  /** The day it was on before a manager moved it ('' unless moved). */
  movedFromDate: string;
}

export interface MarkFact {
  markId: string;
  studentId: string;
  value: string;
  /** The work type's name, e.g. "Контрольная работа" ('' when not told). */
  workTypeName: string;
}

export interface SchoolEventFact {
  eventId: string;
  schoolId: string;
  kindName: string;
  title: string;
  startsOn: string;
  endsOn: string;
  startsAt: string;
  endsAt: string;
  place: string;
  /** "school" or "classes". */
  scope: string;
  classIds: string[];
  participantIds: string[];
  cancelReason: string;
}

/** Everything the service keeps or reacts to, in its own terms. */
export type NotificationFact =
  | { kind: 'school'; school: { id: string; name: string; timeZone: string; version: number } }
  | {
      kind: 'class';
      schoolClass: {
        id: string;
        schoolId: string;
        academicYearId: string;
        name: string;
        classTeacherId: string;
        status: 'open' | 'closed';
        version: number;
      };
    }
  | {
      kind: 'person';
      person: { id: string; schoolId: string; kind: string; displayName: string; version: number };
    }
  | { kind: 'movement'; movement: MovementFact }
  | {
      kind: 'subgroup';
      subgroup: {
        id: string;
        schoolId: string;
        classId: string;
        memberIds: string[];
        status: 'open' | 'closed';
        version: number;
      };
    }
  | {
      kind: 'guardianship';
      link: {
        guardianshipId: string;
        schoolId: string;
        guardianId: string;
        studentId: string;
        /** Active link with the guardian's consent in effect. */
        active: boolean;
        version: number;
      };
    }
  | {
      kind: 'staff';
      position: {
        id: string;
        schoolId: string;
        personId: string;
        kind: string;
        status: 'active' | 'dismissed';
        version: number;
      };
    }
  | { kind: 'policy'; schoolId: string; lowMarkThreshold: number; version: number }
  | { kind: 'subject'; subject: { id: string; key: string; name: string } }
  | {
      kind: 'teaching';
      assignment: {
        id: string;
        schoolId: string;
        academicYearId: string;
        classId: string;
        teacherId: string;
        active: boolean;
        subjectId: string;
        subjectKey: string;
        subjectName: string;
        version: number;
      };
    }
  | {
      kind: 'timetableChange';
      source: SourceRef;
      change: 'cancelled' | 'rescheduled' | 'substituted';
      lesson: ScheduleLesson;
      /** For a rescheduling: "date", "time", "teacher", "room", "subject". */
      changed: string[];
    }
  | { kind: 'marksPosted'; source: SourceRef; lesson: RecordLesson; marks: MarkFact[] }
  | {
      kind: 'markCorrected';
      source: SourceRef;
      lesson: RecordLesson;
      mark: MarkFact;
      previousValue: string;
    }
  | {
      kind: 'attendance';
      source: SourceRef;
      lesson: RecordLesson;
      /** Absences and latenesses recorded or changed now. */
      changed: { studentId: string; kind: string; reason: string }[];
      /** Students no longer absent or late. */
      clearedStudentIds: string[];
    }
  | {
      kind: 'absenceReason';
      source: SourceRef;
      lesson: RecordLesson;
      attendance: { studentId: string; kind: string; reason: string };
    }
  | {
      kind: 'homework';
      source: SourceRef;
      lesson: RecordLesson;
      /** What was set now: the general homework (studentId '') and/or individual ones. */
      homework: { text: string; dueDate: string; studentId: string }[];
    }
  | {
      kind: 'periodMark';
      source: SourceRef;
      mark: {
        id: string;
        schoolId: string;
        studentId: string;
        academicYearId: string;
        subjectId: string;
        subjectKey: string;
        /** "period", "year", "exam" or "final". */
        kind: string;
        period: number;
        value: string;
        version: number;
      };
      /** '' when posted; the value before for a correction. */
      previousValue: string;
      corrected: boolean;
    }
  | {
      kind: 'schoolEvent';
      source: SourceRef;
      action: 'scheduled' | 'changed' | 'cancelled';
      /** For "changed": "card" or "results". */
      change: string;
      event: SchoolEventFact;
    };

// --- Tools ----------------------------------------------------------------------------------------

/**
 * Equality of JSON-like values (what documents hold), whatever the objects' prototypes and their
 * keys' order; a key set to undefined counts as absent.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameValue(item, b[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const key of keys) if (!sameValue(x[key], y[key])) return false;
  return true;
}

/** Puts `after` when it differs from `before` (null: not stored yet); true when it did. */
function write<K extends CopyCollection>(
  tx: CopyTx,
  collection: K,
  before: CopyDocs[K] | null,
  after: CopyDocs[K],
): boolean {
  if (before && sameValue(before, after)) return false;
  tx.put(collection, after);
  return true;
}

/** Sorted, without repeats and empty ids. */
export function sortedIds(ids: Iterable<string>): string[] {
  return [...new Set(ids)].filter((id) => id !== '').sort();
}

/** A versioned item in place of its older copy (null when the stored one is as new or newer). */
function withItem<T extends { version: number }>(
  items: T[],
  item: T,
  same: (a: T) => boolean,
  order: (a: T, b: T) => number,
): T[] | null {
  const known = items.find(same);
  if (known && known.version >= item.version) return null;
  return [...items.filter((i) => i !== known), item].sort(order);
}

function emptySchool(id: string): SchoolCopy {
  return {
    _id: id,
    name: '',
    timeZone: '',
    lowMarkThreshold: DEFAULT_LOW_MARK_THRESHOLD,
    version: 0,
    policyVersion: 0,
    classIds: [],
    staffPositionIds: [],
  };
}

function emptyClass(id: string, schoolId: string, academicYearId = ''): ClassCopy {
  return {
    _id: id,
    schoolId,
    academicYearId,
    name: '',
    classTeacherId: '',
    status: 'open',
    studentIds: [],
    teacherIds: [],
    assignments: [],
    version: 0,
  };
}

function emptyStudent(id: string, schoolId: string): StudentCopy {
  return { _id: id, schoolId, classId: '', moves: [], guardians: [], applied: {} };
}

function byMoveOrder(a: StudentMove, b: StudentMove): number {
  return (
    a.from.localeCompare(b.from) ||
    // On one day a move out of a class comes before a move into one.
    Number(a.toClassId !== '') - Number(b.toClassId !== '') ||
    a.enrolmentId.localeCompare(b.enrolmentId) ||
    a.version - b.version
  );
}

/** The class a student is in on a day ('' when none): the latest move effective by then. */
export function classOn(student: Pick<StudentCopy, 'moves'>, day: string): string {
  let classId = '';
  for (const move of student.moves) {
    if (move.from > day) break;
    classId = move.toClassId;
  }
  return classId;
}

/** The guardians who may be told about a student (active link, consent in effect), sorted. */
export function guardiansOf(student: StudentCopy | null): string[] {
  return sortedIds((student?.guardians ?? []).filter((g) => g.active).map((g) => g.guardianId));
}

/** Reads a document, for readers that only look. */
export async function read<K extends CopyCollection>(
  copies: CopyReader,
  collection: K,
  id: string,
): Promise<CopyDocs[K] | null> {
  return id ? copies.get(collection, id) : null;
}

// --- Apply ----------------------------------------------------------------------------------------

/**
 * Applies one fact to the copies; true when some document changed. Facts that only trigger
 * (timetable changes, marks, homework, events) change no copy but the names and absences they carry.
 */
export async function applyFact(tx: CopyTx, fact: NotificationFact): Promise<boolean> {
  switch (fact.kind) {
    case 'school':
      return applySchool(tx, fact.school);
    case 'class':
      return applyClass(tx, fact.schoolClass);
    case 'person':
      return applyPerson(tx, fact.person);
    case 'movement':
      return applyMovement(tx, fact.movement);
    case 'subgroup':
      return applySubgroup(tx, fact.subgroup);
    case 'guardianship':
      return applyGuardianship(tx, fact.link);
    case 'staff':
      return applyStaff(tx, fact.position);
    case 'policy':
      return applyPolicy(tx, fact.schoolId, fact.lowMarkThreshold, fact.version);
    case 'subject':
      return applySubject(tx, { ...fact.subject, source: 'catalogue' });
    case 'teaching':
      return applyTeaching(tx, fact.assignment);
    case 'timetableChange':
      return applySubject(tx, {
        id: fact.lesson.subjectId,
        key: fact.lesson.subjectKey,
        name: fact.lesson.subjectName,
        source: 'mention',
      });
    case 'attendance':
      return applyAttendance(tx, fact.lesson, fact.changed, fact.clearedStudentIds);
    case 'absenceReason':
      return applyAttendance(tx, fact.lesson, [fact.attendance], []);
    case 'marksPosted':
    case 'markCorrected':
    case 'homework':
    case 'periodMark':
    case 'schoolEvent':
      return false;
  }
}

/** Roster's school card; the policy (gradebook's) and the lists are kept. */
async function applySchool(
  tx: CopyTx,
  school: { id: string; name: string; timeZone: string; version: number },
): Promise<boolean> {
  const stored = await tx.get('schools', school.id);
  if (stored && stored.version >= school.version) return false;
  const base = stored ?? emptySchool(school.id);
  return write(tx, 'schools', stored, {
    ...base,
    name: school.name,
    timeZone: school.timeZone,
    version: school.version,
  });
}

/** Gradebook's low-mark threshold, by the policy's version (0 in the policy: the default). */
async function applyPolicy(
  tx: CopyTx,
  schoolId: string,
  threshold: number,
  version: number,
): Promise<boolean> {
  const stored = await tx.get('schools', schoolId);
  if (stored && stored.policyVersion >= version) return false;
  const base = stored ?? emptySchool(schoolId);
  return write(tx, 'schools', stored, {
    ...base,
    lowMarkThreshold: threshold > 0 ? threshold : DEFAULT_LOW_MARK_THRESHOLD,
    policyVersion: version,
  });
}

/** Adds ids to one of a school's lists (the school is created when unknown). */
async function listInSchool(
  tx: CopyTx,
  schoolId: string,
  list: 'classIds' | 'staffPositionIds',
  id: string,
): Promise<boolean> {
  if (!schoolId) return false;
  const stored = await tx.get('schools', schoolId);
  const base = stored ?? emptySchool(schoolId);
  if (base[list].includes(id)) return false;
  return write(tx, 'schools', stored, { ...base, [list]: sortedIds([...base[list], id]) });
}

/** Roster's class; the students (movements) and teachers (schedule) are kept. */
async function applyClass(
  tx: CopyTx,
  c: Extract<NotificationFact, { kind: 'class' }>['schoolClass'],
): Promise<boolean> {
  let changed = await listInSchool(tx, c.schoolId, 'classIds', c.id);
  const stored = await tx.get('classes', c.id);
  if (stored && stored.version >= c.version) return changed;
  const base = stored ?? emptyClass(c.id, c.schoolId, c.academicYearId);
  changed =
    write(tx, 'classes', stored, {
      ...base,
      schoolId: c.schoolId,
      academicYearId: c.academicYearId,
      name: c.name,
      classTeacherId: c.classTeacherId,
      status: c.status,
      version: c.version,
    }) || changed;
  return changed;
}

/** People by roster's version: students, guardians and staff (whatever kind roster tells). */
async function applyPerson(
  tx: CopyTx,
  p: Extract<NotificationFact, { kind: 'person' }>['person'],
): Promise<boolean> {
  const stored = await tx.get('people', p.id);
  if (stored && stored.version >= p.version) return false;
  return write(tx, 'people', stored, {
    _id: p.id,
    schoolId: p.schoolId,
    kind: p.kind,
    displayName: p.displayName,
    version: p.version,
  });
}

/**
 * A move, by the enrolment's version: kept on the student with its effective day (a graduate's
 * last day is `effectiveOn`, so in no class from the day after); the class joined lists the student.
 */
async function applyMovement(tx: CopyTx, m: MovementFact): Promise<boolean> {
  const stored = await tx.get('students', m.studentId);
  const student = stored ?? emptyStudent(m.studentId, m.schoolId);
  if ((student.applied[m.enrolmentId] ?? 0) >= m.version) return false;
  const move: StudentMove = {
    enrolmentId: m.enrolmentId,
    version: m.version,
    from: m.kind === 'graduated' ? addDays(m.effectiveOn, 1) : m.effectiveOn,
    toClassId: m.toClassId,
  };
  const moves = [...student.moves, move].sort(byMoveOrder);
  let changed = write(tx, 'students', stored, {
    ...student,
    // The school the student was last moved into (a student may change schools).
    schoolId: m.toClassId ? m.schoolId : student.schoolId,
    classId: moves[moves.length - 1]?.toClassId ?? '',
    moves,
    applied: { ...student.applied, [m.enrolmentId]: m.version },
  });
  if (m.toClassId) {
    const storedClass = await tx.get('classes', m.toClassId);
    const schoolClass = storedClass ?? emptyClass(m.toClassId, m.schoolId);
    if (!schoolClass.studentIds.includes(m.studentId)) {
      const studentIds = sortedIds([...schoolClass.studentIds, m.studentId]);
      changed = write(tx, 'classes', storedClass, { ...schoolClass, studentIds }) || changed;
    }
    changed = (await listInSchool(tx, m.schoolId, 'classIds', m.toClassId)) || changed;
  }
  return changed;
}

/** A subgroup with its members now, by roster's version (no members once disbanded). */
async function applySubgroup(
  tx: CopyTx,
  s: Extract<NotificationFact, { kind: 'subgroup' }>['subgroup'],
): Promise<boolean> {
  const stored = await tx.get('subgroups', s.id);
  if (stored && stored.version >= s.version) return false;
  return write(tx, 'subgroups', stored, {
    _id: s.id,
    schoolId: s.schoolId,
    classId: s.classId,
    memberIds: s.status === 'closed' ? [] : sortedIds(s.memberIds),
    status: s.status,
    version: s.version,
  });
}

/**
 * A guardian's link to a student, kept on both sides (the student's guardians, the guardian's
 * children), each by the link's version; an ended link (or one without consent) stays, inactive.
 */
async function applyGuardianship(
  tx: CopyTx,
  link: Extract<NotificationFact, { kind: 'guardianship' }>['link'],
): Promise<boolean> {
  let changed = false;
  const storedStudent = await tx.get('students', link.studentId);
  const student = storedStudent ?? emptyStudent(link.studentId, link.schoolId);
  const guardians = withItem(
    student.guardians,
    {
      guardianshipId: link.guardianshipId,
      guardianId: link.guardianId,
      active: link.active,
      version: link.version,
    },
    (g) => g.guardianshipId === link.guardianshipId,
    (a, b) => a.guardianshipId.localeCompare(b.guardianshipId),
  );
  if (guardians) changed = write(tx, 'students', storedStudent, { ...student, guardians });

  const storedGuardian = await tx.get('guardians', link.guardianId);
  const guardian: GuardianCopy = storedGuardian ?? { _id: link.guardianId, studentIds: [], links: [] };
  const links = withItem(
    guardian.links,
    {
      guardianshipId: link.guardianshipId,
      studentId: link.studentId,
      active: link.active,
      version: link.version,
    },
    (l) => l.guardianshipId === link.guardianshipId,
    (a, b) => a.guardianshipId.localeCompare(b.guardianshipId),
  );
  if (links) {
    const studentIds = sortedIds(links.filter((l) => l.active).map((l) => l.studentId));
    changed = write(tx, 'guardians', storedGuardian, { ...guardian, links, studentIds }) || changed;
  }
  return changed;
}

/** A staff position by roster's version; the school lists it (its deputies are found so). */
async function applyStaff(
  tx: CopyTx,
  p: Extract<NotificationFact, { kind: 'staff' }>['position'],
): Promise<boolean> {
  let changed = await listInSchool(tx, p.schoolId, 'staffPositionIds', p.id);
  const stored = await tx.get('staff', p.id);
  if (stored && stored.version >= p.version) return changed;
  changed =
    write(tx, 'staff', stored, {
      _id: p.id,
      schoolId: p.schoolId,
      personId: p.personId,
      kind: p.kind,
      status: p.status,
      version: p.version,
    }) || changed;
  return changed;
}

/**
 * A subject's name: schedule's catalogue event is final; an assignment or a lesson that names it
 * fills in only a subject not known by name yet (never versioned, so never flip-flops).
 */
async function applySubject(
  tx: CopyTx,
  s: { id: string; key: string; name: string; source: 'catalogue' | 'mention' },
): Promise<boolean> {
  if (!s.id || (!s.name && s.source === 'mention')) return false;
  const stored = await tx.get('subjects', s.id);
  if (stored && s.source === 'mention' && (stored.source === 'catalogue' || stored.name)) return false;
  return write(tx, 'subjects', stored, { _id: s.id, key: s.key, name: s.name, source: s.source });
}

/** A teaching assignment into its class's teachers, by the assignment's version. */
async function applyTeaching(
  tx: CopyTx,
  a: Extract<NotificationFact, { kind: 'teaching' }>['assignment'],
): Promise<boolean> {
  let changed = await applySubject(tx, {
    id: a.subjectId,
    key: a.subjectKey,
    name: a.subjectName,
    source: 'mention',
  });
  const stored = await tx.get('classes', a.classId);
  const schoolClass = stored ?? emptyClass(a.classId, a.schoolId, a.academicYearId);
  const assignments = withItem(
    schoolClass.assignments,
    { assignmentId: a.id, teacherId: a.teacherId, active: a.active, version: a.version },
    (x) => x.assignmentId === a.id,
    (x, y) => x.assignmentId.localeCompare(y.assignmentId),
  );
  if (!assignments) return changed;
  const teacherIds = sortedIds(assignments.filter((x) => x.active).map((x) => x.teacherId));
  changed = write(tx, 'classes', stored, { ...schoolClass, assignments, teacherIds }) || changed;
  return (await listInSchool(tx, a.schoolId, 'classIds', a.classId)) || changed;
}

type AbsenceEntry = AbsenceCopy['lessons'][number];

function byDateThenLesson(a: AbsenceEntry, b: AbsenceEntry): number {
  return a.date.localeCompare(b.date) || a.lessonId.localeCompare(b.lessonId);
}

/**
 * Absences of a lesson into the students' absence copies, by the record's version: a student
 * absent with the reason "unexcused" counts, anything else (late, excused, cleared) does not.
 */
async function applyAttendance(
  tx: CopyTx,
  lesson: RecordLesson,
  changedNow: { studentId: string; kind: string; reason: string }[],
  clearedStudentIds: string[],
): Promise<boolean> {
  const states = new Map<string, { absent: boolean; unexcused: boolean }>();
  for (const id of clearedStudentIds) states.set(id, { absent: false, unexcused: false });
  for (const a of changedNow) {
    const absent = a.kind === 'absent';
    states.set(a.studentId, { absent, unexcused: absent && a.reason === 'unexcused' });
  }
  let changed = false;
  for (const studentId of sortedIds(states.keys())) {
    const { absent, unexcused } = states.get(studentId) ?? { absent: false, unexcused: false };
    const stored = await tx.get('absences', studentId);
    // Nothing to remember of a student never absent.
    if (!stored && !absent) continue;
    const copy: AbsenceCopy = stored ?? { _id: studentId, schoolId: lesson.schoolId, lessons: [] };
    const entry: AbsenceEntry = {
      lessonId: lesson.lessonId,
      classId: lesson.classId,
      date: lesson.date,
      absent,
      unexcused,
      version: lesson.recordVersion,
    };
    const lessons = withItem(copy.lessons, entry, (l) => l.lessonId === lesson.lessonId, byDateThenLesson);
    if (!lessons) continue;
    const newest = lessons[lessons.length - 1]?.date ?? lesson.date;
    const keptFrom = addDays(newest, -ABSENCE_MEMORY_DAYS);
    const kept = lessons.filter((l) => l.date >= keptFrom);
    changed = write(tx, 'absences', stored, { ...copy, lessons: kept }) || changed;
  }
  return changed;
}
