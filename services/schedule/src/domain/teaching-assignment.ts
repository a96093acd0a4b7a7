import type { FieldError } from '@edu/kit';
import type { CopiedStaffPosition, CopiedSubgroup } from './roster-copy';
import type { Subject } from './subject';
import { addDays, formatDate, isDate } from '@edu/kit';

// Teaching assignments (нагрузка, тарификация; R2.3, R1.3): teacher × class-or-subgroup × subject
// × days of an academic year. Never deleted: ending one shortens it and keeps the history.

export type AssignmentStatus = 'active' | 'ended';

/** One recorded step: assigned, or ended at a date. */
export interface AssignmentChange {
  kind: 'assigned' | 'ended';
  /** For "assigned" the first day, for "ended" the new last day. */
  effectiveOn: string;
  reason: string;
  recordedAt: string;
  /** Account id. */
  recordedBy: string;
}

export interface TeachingAssignment {
  id: string;
  schoolId: string;
  academicYearId: string;
  /** Person id (roster). */
  teacherId: string;
  /** The class taught; for a subgroup, the subgroup's class. */
  classId: string;
  /** '' when the whole class is taught. */
  subgroupId: string;
  subjectId: string;
  subjectKey: string;
  subjectName: string;
  /** First day, YYYY-MM-DD. */
  startsOn: string;
  /** Last day, YYYY-MM-DD; the day before `startsOn` when ended before it began. */
  endsOn: string;
  /** 0 when not given. */
  hoursPerWeek: number;
  status: AssignmentStatus;
  history: AssignmentChange[];
  version: number;
  createdAt: string;
}

/**
 * Kinds of staff position that may teach: teachers, and the director and deputies, who often
 * teach too, and other posts (a педагог дополнительного образования). Not the HR officer or the
 * secretary.
 */
export const TEACHING_POSITION_KINDS = new Set(['teacher', 'director', 'deputy', 'other']);

/** True when one of the person's positions in the school is active and may teach. */
export function teachesInSchool(positions: CopiedStaffPosition[]): boolean {
  return positions.some((p) => p.status === 'active' && TEACHING_POSITION_KINDS.has(p.kind));
}

// The calendar-day helpers are the platform's (`@edu/kit`), kept reachable from here.
export { addDays, formatDate, isDate };

/** Today in a time zone (the school's), YYYY-MM-DD: "the day" is the school's day (docs/architecture.md, Cross-cutting). */
export function todayIn(timeZone: string, now: Date): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** A range of days, both ends included; empty when `endsOn` is before `startsOn`. */
export interface DayRange {
  startsOn: string;
  endsOn: string;
}

export function isEmptyRange(range: DayRange): boolean {
  return range.endsOn < range.startsOn;
}

/** True when two ranges share a day (an empty range shares none). */
export function rangesOverlap(a: DayRange, b: DayRange): boolean {
  if (isEmptyRange(a) || isEmptyRange(b)) return false;
  return a.startsOn <= b.endsOn && b.startsOn <= a.endsOn;
}

/** Problems with the form of an assignment's days: real dates, the last not before the first. */
export function dateFormErrors(range: DayRange): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['startsOn', 'endsOn'] as const) {
    if (!isDate(range[field])) errors.push({ field, message: 'Укажите дату в виде ГГГГ-ММ-ДД' });
  }
  if (errors.length === 0 && isEmptyRange(range)) {
    errors.push({ field: 'endsOn', message: 'Последний день раньше первого' });
  }
  return errors;
}

/** The days of `range` (well formed) outside the academic year, by field. */
export function outsideYearErrors(range: DayRange, year: DayRange & { name: string }): FieldError[] {
  const inYear = `${formatDate(year.startsOn)}–${formatDate(year.endsOn)}`;
  return (['startsOn', 'endsOn'] as const).flatMap((field) =>
    range[field] < year.startsOn || range[field] > year.endsOn
      ? [{ field, message: `Дата ${formatDate(range[field])} вне учебного года ${year.name} (${inYear})` }]
      : [],
  );
}

/** Hours per week: 0 (not given) or 0.5 .. 40 in steps of 0.5. */
export function hoursErrors(hoursPerWeek: number): FieldError[] {
  const ok =
    hoursPerWeek === 0 ||
    (Number.isFinite(hoursPerWeek) &&
      hoursPerWeek >= 0.5 &&
      hoursPerWeek <= 40 &&
      Number.isInteger(hoursPerWeek * 2));
  return ok ? [] : [{ field: 'hoursPerWeek', message: 'Часов в неделю — от 0,5 до 40 с шагом 0,5' }];
}

export const REASON_MAX = 300;

export function reasonErrors(reason: string): FieldError[] {
  if (reason.length > REASON_MAX) {
    return [{ field: 'reason', message: `Причина — не длиннее ${REASON_MAX} символов` }];
  }
  return /\p{Cc}/u.test(reason)
    ? [{ field: 'reason', message: 'Причина содержит недопустимые символы' }]
    : [];
}

/**
 * The subgroups that forbid assigning a split subject to the whole class: a subject taught in
 * subgroups (languages, PE, informatics, труд) goes to each subgroup where the class has open
 * subgroups for it. None when the subject is not split or the class is not divided for it.
 */
export function splitSubgroupsBlocking(
  subject: Pick<Subject, 'key' | 'splitIntoSubgroups'>,
  openSubgroupsOfClass: CopiedSubgroup[],
): CopiedSubgroup[] {
  if (!subject.splitIntoSubgroups) return [];
  return openSubgroupsOfClass.filter((s) => s.status === 'open' && s.subjectKey === subject.key);
}

/**
 * The assignment of the same teacher, target (class or subgroup) and subject that shares a day
 * with `candidate`, if any. Ended assignments count with their shortened days.
 */
export function overlappingAssignment(
  candidate: Pick<TeachingAssignment, 'id' | 'teacherId' | 'classId' | 'subgroupId' | 'subjectId'> & DayRange,
  others: TeachingAssignment[],
): TeachingAssignment | undefined {
  return others.find(
    (other) =>
      other.id !== candidate.id &&
      other.teacherId === candidate.teacherId &&
      other.classId === candidate.classId &&
      other.subgroupId === candidate.subgroupId &&
      other.subjectId === candidate.subjectId &&
      rangesOverlap(other, candidate),
  );
}

/**
 * Whether the person teaches the class now or later in the year: an active assignment to the
 * class or to one of its subgroups whose days are not empty.
 */
export function teachesClass(personId: string, assignmentsOfClass: TeachingAssignment[]): boolean {
  return assignmentsOfClass.some(
    (a) => a.teacherId === personId && a.status === 'active' && !isEmptyRange(a),
  );
}

/** The order of lists: class (grade, then name), subject, subgroup, first day. */
export function compareAssignments(
  a: TeachingAssignment,
  b: TeachingAssignment,
  names: {
    classOf(id: string): { grade: number; name: string } | undefined;
    subgroupName(id: string): string;
  },
): number {
  const ca = names.classOf(a.classId);
  const cb = names.classOf(b.classId);
  return (
    (ca?.grade ?? 99) - (cb?.grade ?? 99) ||
    (ca?.name ?? '').localeCompare(cb?.name ?? '', 'ru') ||
    a.subjectName.localeCompare(b.subjectName, 'ru') ||
    names.subgroupName(a.subgroupId).localeCompare(names.subgroupName(b.subgroupId), 'ru') ||
    a.startsOn.localeCompare(b.startsOn) ||
    a.id.localeCompare(b.id)
  );
}
