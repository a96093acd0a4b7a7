import { addDays } from '@edu/kit';
import {
  courseId,
  type ClassRoll,
  type CopiedSubgroup,
  type Course,
  type CourseHeading,
  type CourseLesson,
  type CurriculumLine,
  type Movement,
  type Stint,
  type SubgroupChange,
} from './copies';

// The arithmetic of the copies, without a store: stints from moves, lessons into courses, hours
// onto courses. Each function returns null when the fact changes nothing (stale or a repeat), so
// that the repository writes only what changed.

function byStudentAndDay(a: Stint, b: Stint): number {
  return a.studentId.localeCompare(b.studentId) || a.from.localeCompare(b.from);
}

/**
 * Ends the student's open stint before `until` (excluded). A stint that would end on or before
 * its first day never took effect and is dropped (joined and left on the same day).
 */
export function closeStint(stints: Stint[], studentId: string, until: string): Stint[] | null {
  const open = stints.find((s) => s.studentId === studentId && s.until === '');
  if (!open) return null;
  const rest = stints.filter((s) => s !== open);
  return open.from < until ? [...rest, { ...open, until }] : rest;
}

/**
 * Starts a stint of the student on `from`, unless one is open already; a stint that ended on
 * that very day is continued instead (left and came back on the same day).
 */
export function openStint(stints: Stint[], studentId: string, from: string): Stint[] | null {
  if (stints.some((s) => s.studentId === studentId && s.until === '')) return null;
  const adjoining = stints.find((s) => s.studentId === studentId && s.until === from);
  const rest = stints.filter((s) => s !== adjoining);
  const opened = adjoining ? { ...adjoining, until: '' } : { studentId, from, until: '' };
  return [...rest, opened].sort(byStudentAndDay);
}

/**
 * What a move does to one class's roll: the class left loses the student on `effectiveOn` (a
 * graduate's last day is `effectiveOn`, so on the day after), the class joined gains them then.
 */
export function rollEdits(movement: Movement, classId: string): { close?: string; open?: string } {
  const edits: { close?: string; open?: string } = {};
  if (movement.fromClassId === classId) {
    edits.close = movement.kind === 'graduated' ? addDays(movement.effectiveOn, 1) : movement.effectiveOn;
  }
  if (movement.toClassId === classId) edits.open = movement.effectiveOn;
  return edits;
}

/**
 * Applies a move to the roll of one of its classes; null when the roll has this enrolment's
 * version or a newer one, or the move does not concern the class.
 */
export function applyMovementToRoll(roll: ClassRoll, movement: Movement): ClassRoll | null {
  if ((roll.applied[movement.enrolmentId] ?? 0) >= movement.version) return null;
  const edits = rollEdits(movement, roll.classId);
  if (edits.close === undefined && edits.open === undefined) return null;
  let stints = roll.stints;
  if (edits.close !== undefined) stints = closeStint(stints, movement.studentId, edits.close) ?? stints;
  if (edits.open !== undefined) stints = openStint(stints, movement.studentId, edits.open) ?? stints;
  return {
    ...roll,
    stints: [...stints].sort(byStudentAndDay),
    applied: { ...roll.applied, [movement.enrolmentId]: movement.version },
  };
}

/**
 * The subgroup after roster's state of it: members now have an open stint (from `day` for those
 * who had none), others' open stints end on `day`; a disbanded subgroup has no members. Null when
 * the stored subgroup is as new or newer.
 */
export function applySubgroupChange(
  stored: CopiedSubgroup | null,
  change: SubgroupChange,
  day: string,
): CopiedSubgroup | null {
  if (stored && stored.version >= change.subgroup.version) return null;
  const members = new Set(change.subgroup.status === 'closed' ? [] : change.memberIds);
  let stints = stored?.stints ?? [];
  for (const stint of stints.filter((s) => s.until === '' && !members.has(s.studentId))) {
    stints = closeStint(stints, stint.studentId, day) ?? stints;
  }
  for (const studentId of members) stints = openStint(stints, studentId, day) ?? stints;
  return { ...change.subgroup, stints: [...stints].sort(byStudentAndDay) };
}

function byDateAndNumber(a: CourseLesson, b: CourseLesson): number {
  return (
    a.date.localeCompare(b.date) || a.lessonNumber - b.lessonNumber || a.lessonId.localeCompare(b.lessonId)
  );
}

/**
 * The course's lessons with `lesson` put in date and lesson-number order; null when the course
 * has this lesson at its version or a newer one.
 */
export function upsertLesson(lessons: CourseLesson[], lesson: CourseLesson): CourseLesson[] | null {
  const stored = lessons.find((l) => l.lessonId === lesson.lessonId);
  if (stored && stored.version >= lesson.version) return null;
  return [...lessons.filter((l) => l !== stored), lesson].sort(byDateAndNumber);
}

/**
 * The course's lessons without a lesson that moved to another course at `version`: 'stale' when
 * the course holds it at that version or a newer one (the move is older news), null when it does
 * not hold it.
 */
export function removeLesson(
  lessons: CourseLesson[],
  lessonId: string,
  version: number,
): CourseLesson[] | 'stale' | null {
  const stored = lessons.find((l) => l.lessonId === lessonId);
  if (!stored) return null;
  if (stored.version >= version) return 'stale';
  return lessons.filter((l) => l !== stored);
}

/** A course no event has filled yet (version 0: not stored). */
export function emptyCourse(heading: CourseHeading): Course {
  return { ...heading, id: courseId(heading), lessons: [], version: 0 };
}

/**
 * The course with the hours of its curriculum line (hours 0 when the plan no longer has the
 * subject); null when it has them from this curriculum version or a newer one.
 */
export function withCurriculum(course: Course, line: CurriculumLine | null, version: number): Course | null {
  if ((course.curriculum?.version ?? 0) >= version) return null;
  return {
    ...course,
    curriculum: { hoursPerYear: line?.hoursPerYear ?? 0, hoursPerWeek: line?.hoursPerWeek ?? 0, version },
  };
}
