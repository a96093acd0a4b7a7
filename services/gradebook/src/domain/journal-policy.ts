import type { CopiedClass, Course } from './copies';
import type { Actor } from './ports';

// Who may do what in the journal (R1.3, R1.5, R11.1). Deny by default: only the roles and
// relations below give access. Roles come from the signed actor; relations (who teaches a course,
// who substitutes in a lesson, who leads a class) from gradebook's copies of schedule and roster.
// Guardians and students read through the diary, never here.

/** Any role in the school. */
export function hasRoleIn(actor: Actor, schoolId: string): boolean {
  return actor.schoolRoles.some((r) => r.schoolId === schoolId);
}

/** The director and deputies: correct after the window, set the school's policy. */
export function isSchoolHead(actor: Actor, schoolId: string): boolean {
  return actor.schoolRoles.some(
    (r) => r.schoolId === schoolId && (r.role === 'director' || r.role === 'deputy'),
  );
}

/** The director, deputies and the school admin read the whole school's journal. */
export function readsWholeSchool(actor: Actor, schoolId: string): boolean {
  return actor.schoolRoles.some(
    (r) =>
      r.schoolId === schoolId && (r.role === 'director' || r.role === 'deputy' || r.role === 'schoolAdmin'),
  );
}

/** The class teacher of a class (with a role in its school). */
export function isClassTeacher(
  actor: Actor,
  schoolClass: Pick<CopiedClass, 'schoolId' | 'classTeacherId'>,
): boolean {
  return (
    !!actor.personId &&
    actor.personId === schoolClass.classTeacherId &&
    hasRoleIn(actor, schoolClass.schoolId)
  );
}

/** A teacher of the course: the teacher of any of its lessons (substitutes only of their lessons). */
export function teachesCourse(actor: Actor, course: Pick<Course, 'schoolId' | 'lessons'>): boolean {
  return (
    !!actor.personId &&
    hasRoleIn(actor, course.schoolId) &&
    course.lessons.some((l) => l.teacherId === actor.personId)
  );
}

/** Reads a course's journal page: its teachers, the class teacher, the school's heads and admin. */
export function canReadCourse(
  actor: Actor,
  course: Pick<Course, 'schoolId' | 'lessons'>,
  schoolClass: Pick<CopiedClass, 'schoolId' | 'classTeacherId'> | null,
): boolean {
  return (
    readsWholeSchool(actor, course.schoolId) ||
    teachesCourse(actor, course) ||
    (schoolClass !== null && isClassTeacher(actor, schoolClass))
  );
}

/** Writes a lesson: its substitute while there is one, else its teacher (R1.5). */
export function keepsLesson(
  actor: Actor,
  lesson: { schoolId: string; teacherId: string; substituteTeacherId: string },
): boolean {
  return (
    !!actor.personId &&
    hasRoleIn(actor, lesson.schoolId) &&
    actor.personId === (lesson.substituteTeacherId || lesson.teacherId)
  );
}
