import type { OrderRef } from './academic-year';

/**
 * `promoted`: the first movement of a new year's enrolment at a rollover (from the class of the
 * year before); `graduated`: the last movement of a graduate's enrolment (R2.5).
 */
export type MovementKind = 'enrolled' | 'transferred' | 'withdrawn' | 'promoted' | 'graduated';

/** One movement of a student within a year; kept forever (the movement report, R8.2). */
export interface Movement {
  kind: MovementKind;
  fromClassId: string;
  toClassId: string;
  effectiveOn: string;
  order: OrderRef;
  reason: string;
  recordedAt: string;
  recordedBy: string;
}

export type EnrolmentStatus = 'active' | 'withdrawn' | 'graduated';

/**
 * A student's place in one academic year. One per student and year (its id says so): a student
 * is in exactly one class of a year, and every move is appended, never rewritten.
 */
export interface Enrolment {
  id: string;
  schoolId: string;
  academicYearId: string;
  studentId: string;
  /** '' after a withdrawal or graduation. */
  classId: string;
  status: EnrolmentStatus;
  movements: Movement[];
  version: number;
}

export function enrolmentId(academicYearId: string, studentId: string): string {
  return `${academicYearId}:${studentId}`;
}
