import type { ClassDoc, StudentDoc } from './model';
import type { Actor } from './ports';

// Who reads what in the diary (R6.1). Deny by default: only the relations and roles below give
// access, all of them from the diary's own read model (guardianship with consent from roster,
// class teachers from roster, the teachers of a class from schedule's lessons) and the signed
// actor's school roles. An unknown student is refused exactly like a foreign one.

/** The roles that read every diary of their school and manage its diary settings. */
const SCHOOL_STAFF_READERS = ['director', 'deputy', 'schoolAdmin'];

/** Any role in the school. */
export function hasRoleIn(actor: Actor, schoolId: string): boolean {
  return !!schoolId && actor.schoolRoles.some((r) => r.schoolId === schoolId);
}

/** The director, a deputy or the school admin of the school. */
export function readsWholeSchool(actor: Actor, schoolId: string): boolean {
  return (
    !!schoolId &&
    actor.schoolRoles.some((r) => r.schoolId === schoolId && SCHOOL_STAFF_READERS.includes(r.role))
  );
}

/** A guardian whose guardianship is active with consent recorded (R1.9). */
export function isActiveGuardian(actor: Actor, student: Pick<StudentDoc, 'guardians'>): boolean {
  return !!actor.personId && student.guardians.some((g) => g.guardianId === actor.personId && g.active);
}

/** The class teacher of the class, or a teacher who taught one of its lessons (with a role there). */
export function teachesClass(
  actor: Actor,
  schoolClass: Pick<ClassDoc, 'schoolId' | 'classTeacherId' | 'teacherIds'>,
): boolean {
  if (!actor.personId || !hasRoleIn(actor, schoolClass.schoolId)) return false;
  return schoolClass.classTeacherId === actor.personId || schoolClass.teacherIds.includes(actor.personId);
}

/**
 * Reads a student's diary: the student themself, an active guardian, the class teacher and the
 * teachers of any class the student has been in, and the school's director, deputies and admins.
 * `classes` are the class documents of the student's stints (others are ignored).
 */
export function readsStudentDiary(actor: Actor, student: StudentDoc | null, classes: ClassDoc[]): boolean {
  if (!student) return false;
  if (actor.personId && actor.personId === student._id) return true;
  if (isActiveGuardian(actor, student)) return true;
  if (readsWholeSchool(actor, student.schoolId)) return true;
  const stintClassIds = new Set(student.classStints.map((s) => s.classId));
  return classes.some((c) => stintClassIds.has(c._id) && teachesClass(actor, c));
}

/** Reads and changes a school's diary settings: its director, deputies and school admins. */
export function managesSettings(actor: Actor, schoolId: string): boolean {
  return readsWholeSchool(actor, schoolId);
}
