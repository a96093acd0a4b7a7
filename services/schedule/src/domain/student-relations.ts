import type { StudentRelationsWriter } from './ports';

// Schedule's minimal copy of who is whose, kept from roster's events so that a student reads their
// own timetable and events and a guardian their child's (R1.9): ids only — no names, no contacts,
// no consent documents. Each record carries roster's aggregate version, like the rest of the copy.

/** A student's place in one academic year (roster's enrolment "<year>:<student>"). */
export interface CopiedEnrolment {
  id: string;
  schoolId: string;
  academicYearId: string;
  studentId: string;
  /** The class now; '' after a withdrawal or graduation. */
  classId: string;
  /** "active", "withdrawn" or "graduated". */
  status: string;
  version: number;
}

/** A guardian's link to a student and whether the guardian's consent is in effect. */
export interface CopiedGuardianship {
  id: string;
  schoolId: string;
  guardianId: string;
  studentId: string;
  /** "active" or "ended". */
  status: string;
  /** True only while the link is active and a written consent is in effect. */
  consentActive: boolean;
  version: number;
}

/** One relation fact from roster, mapped into schedule's types at the edge. */
export type RelationFact =
  | { kind: 'enrolment'; enrolment: CopiedEnrolment }
  | { kind: 'guardianship'; guardianship: CopiedGuardianship };

/** Applies a relation fact; 'stale' when the stored record is as new or newer. */
export async function applyRelationFact(
  copy: StudentRelationsWriter,
  fact: RelationFact,
): Promise<'applied' | 'stale'> {
  const applied =
    fact.kind === 'enrolment'
      ? await copy.putEnrolment(fact.enrolment)
      : await copy.putGuardianship(fact.guardianship);
  return applied ? 'applied' : 'stale';
}

/** The student's current class in a year, '' when not (or no longer) in one. */
export function classOfStudent(enrolment: CopiedEnrolment | null | undefined): string {
  return enrolment && enrolment.status === 'active' ? enrolment.classId : '';
}

/** Whether a guardian may read for the student now: an active link with a consent in effect. */
export function readsForChild(links: CopiedGuardianship[], guardianId: string, studentId: string): boolean {
  return links.some(
    (l) =>
      l.guardianId === guardianId && l.studentId === studentId && l.status === 'active' && l.consentActive,
  );
}
