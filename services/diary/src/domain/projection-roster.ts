import { addDays, localDate } from '@edu/kit';
import type { ClassDoc, GuardianDoc, GuardianLink, PersonDoc, SchoolDoc, StudentDoc, YearDoc } from './model';
import type { ModelTx } from './ports';
import type { MovementFact, SubgroupFact } from './projection';
import { closeStint, emptyStudent, openStint, sortedIds, write } from './projection-docs';

// Roster's part of the model: schools, years, classes, people, and on the students their class
// and subgroup stints and their guardians. Every document (or link) is guarded by roster's
// aggregate version; roster's own order (one topic, keyed by school) is kept, so that a
// subgroup's day is computed with the time zone its school had then.

/** Readers fall back to this zone while roster has not told the school's. */
export const FALLBACK_TIME_ZONE = 'Europe/Moscow';

/** People the diary names: students and staff (guardians' names are not kept). */
const KEPT_PEOPLE = new Set(['student', 'staff']);

/** Roster's card of the school; the policy (gradebook's) is kept. */
export async function applySchool(tx: ModelTx, school: Omit<SchoolDoc, 'policy'>): Promise<boolean> {
  const stored = await tx.get('schools', school._id);
  if (stored && stored.version >= school.version) return false;
  return write(tx, 'schools', stored, { ...school, policy: stored?.policy ?? null });
}

export async function applyYear(tx: ModelTx, year: YearDoc): Promise<boolean> {
  const stored = await tx.get('years', year._id);
  if (stored && stored.version >= year.version) return false;
  return write(tx, 'years', stored, year);
}

/** Roster's class; the teachers (from schedule's lessons) are kept. */
export async function applyClass(tx: ModelTx, schoolClass: Omit<ClassDoc, 'teacherIds'>): Promise<boolean> {
  const stored = await tx.get('classes', schoolClass._id);
  if (stored && stored.version >= schoolClass.version) return false;
  return write(tx, 'classes', stored, { ...schoolClass, teacherIds: stored?.teacherIds ?? [] });
}

export async function applyPerson(tx: ModelTx, person: PersonDoc): Promise<boolean> {
  if (!KEPT_PEOPLE.has(person.kind)) return false;
  const stored = await tx.get('people', person._id);
  if (stored && stored.version >= person.version) return false;
  return write(tx, 'people', stored, person);
}

type ClassStint = StudentDoc['classStints'][number];
type SubgroupStint = StudentDoc['subgroupStints'][number];

function byDayThen(a: { from: string; id: string }, b: { from: string; id: string }): number {
  return a.from.localeCompare(b.from) || a.id.localeCompare(b.id);
}

function sortClassStints(stints: ClassStint[]): ClassStint[] {
  return [...stints].sort((a, b) =>
    byDayThen({ from: a.from, id: a.classId }, { from: b.from, id: b.classId }),
  );
}

function sortSubgroupStints(stints: SubgroupStint[]): SubgroupStint[] {
  return [...stints].sort((a, b) =>
    byDayThen({ from: a.from, id: a.subgroupId }, { from: b.from, id: b.subgroupId }),
  );
}

/**
 * A move: the class left ends on `effectiveOn` (a graduate's last day is `effectiveOn`, so on the
 * day after), the class joined starts on it. Guarded by the enrolment's version.
 */
export async function applyMovement(tx: ModelTx, movement: MovementFact): Promise<boolean> {
  const stored = await tx.get('students', movement.studentId);
  const student = stored ?? emptyStudent(movement.studentId, movement.schoolId);
  if ((student.applied[movement.enrolmentId] ?? 0) >= movement.version) return false;
  let stints = student.classStints;
  if (movement.fromClassId) {
    const until = movement.kind === 'graduated' ? addDays(movement.effectiveOn, 1) : movement.effectiveOn;
    stints = closeStint(stints, (s) => s.classId === movement.fromClassId, until);
  }
  if (movement.toClassId) {
    stints = openStint(stints, (s) => s.classId === movement.toClassId, {
      academicYearId: movement.academicYearId,
      classId: movement.toClassId,
      from: movement.effectiveOn,
      until: '',
    });
  }
  return write(tx, 'students', stored, {
    ...student,
    // The school the student was last moved into (a student may change schools).
    schoolId: movement.toClassId ? movement.schoolId : student.schoolId,
    classStints: sortClassStints(stints),
    applied: { ...student.applied, [movement.enrolmentId]: movement.version },
  });
}

/**
 * A subgroup's state: the difference between its members now and the members stored moves the
 * students' subgroup stints. Members at formation belong to it from '' (unbounded: its lessons
 * exist only since it does), members added later from the event's day in the school's zone;
 * removed members (every member once it is disbanded) until that day.
 */
export async function applySubgroup(tx: ModelTx, change: SubgroupFact): Promise<boolean> {
  const { subgroup } = change;
  const stored = await tx.get('subgroups', subgroup._id);
  if (stored && stored.version >= subgroup.version) return false;
  const members = subgroup.status === 'closed' ? [] : sortedIds(change.memberIds);
  const before = new Set(stored?.memberIds ?? []);
  const now = new Set(members);
  const school = await tx.get('schools', subgroup.schoolId);
  const day = localDate(change.occurredAt, school?.timeZone || FALLBACK_TIME_ZONE);
  const from = change.action === 'formed' && !stored ? '' : day;

  let changed = false;
  const isThis = (s: SubgroupStint): boolean => s.subgroupId === subgroup._id;
  for (const studentId of sortedIds([...before, ...now])) {
    if (before.has(studentId) === now.has(studentId)) continue;
    const storedStudent = await tx.get('students', studentId);
    const student = storedStudent ?? emptyStudent(studentId, subgroup.schoolId);
    const stints = now.has(studentId)
      ? openStint(student.subgroupStints, isThis, {
          subgroupId: subgroup._id,
          classId: subgroup.classId,
          from,
          until: '',
        })
      : closeStint(student.subgroupStints, isThis, day);
    const next = { ...student, subgroupStints: sortSubgroupStints(stints) };
    changed = write(tx, 'students', storedStudent, next) || changed;
  }

  const { status: _status, ...doc } = subgroup;
  return write(tx, 'subgroups', stored, { ...doc, memberIds: members }) || changed;
}

function withLink(links: GuardianLink[], link: GuardianLink): GuardianLink[] | null {
  const known = links.find((l) => l.guardianshipId === link.guardianshipId);
  if (known && known.version >= link.version) return null;
  return [...links.filter((l) => l !== known), link].sort((a, b) =>
    a.guardianshipId.localeCompare(b.guardianshipId),
  );
}

/**
 * A guardian's link to a student, kept on both sides (the student's guardians, the guardian's
 * children), each by the link's version; an ended link stays, inactive.
 */
export async function applyGuardianship(tx: ModelTx, link: GuardianLink): Promise<boolean> {
  let changed = false;
  const storedStudent = await tx.get('students', link.studentId);
  const student = storedStudent ?? emptyStudent(link.studentId, link.schoolId);
  const guardians = withLink(student.guardians, link);
  if (guardians) changed = write(tx, 'students', storedStudent, { ...student, guardians });

  const storedGuardian = await tx.get('guardians', link.guardianId);
  const guardian: GuardianDoc = storedGuardian ?? { _id: link.guardianId, children: [] };
  const children = withLink(guardian.children, link);
  if (children) changed = write(tx, 'guardians', storedGuardian, { ...guardian, children }) || changed;
  return changed;
}
