import { addDays, daysBetween, formatDate } from '@edu/kit';
import type { Days } from './copies';
import { EXEMPT, NOT_ATTESTED, numericValue, type GradingPolicy } from './grading-policy';
import type { Mark } from './lesson-record';
import type { PeriodMark } from './ports';
import type { StudyPeriod } from './study-periods';

// Period, year, exam and final marks (R5.5) and the accumulation of marks before them (R5.6):
// the windows, who belongs to a course when, what a mark is set against. Pure: no store, no clock.

export const PERIOD_MARK_KINDS = ['period', 'year', 'exam', 'final'] as const;
export type PeriodMarkKind = PeriodMark['kind'];

/** Whether a string names a kind of period mark. */
export function isPeriodMarkKind(kind: string): kind is PeriodMarkKind {
  return (PERIOD_MARK_KINDS as readonly string[]).includes(kind);
}

/** Russian names of the kinds, for messages. */
export const PERIOD_MARK_KIND_NAMES: Record<PeriodMarkKind, string> = {
  period: 'за период',
  year: 'годовая',
  exam: 'экзаменационная',
  final: 'итоговая',
};

const PERIOD_NAMES: Record<string, string> = {
  quarter: 'четверть',
  trimester: 'триместр',
  half_year: 'полугодие',
};

/** "2 четверть", "1 полугодие": a study period as people name it. */
export function periodName(period: Pick<StudyPeriod, 'kind' | 'number'>): string {
  return `${period.number} ${PERIOD_NAMES[period.kind] ?? 'период'}`;
}

/**
 * When a mark of a kind may first be set: `closesOn` '' means no end.
 * - "period": the last `periodMarkWindowDays` days of the period, its last day included (the
 *   policy's "last N days": N = 1 is the last day only);
 * - "year": the same days before the last period's end;
 * - "exam" and "final": from the first day of the last period on, without an end — exams and the
 *   final attestation come after the year's marks and their dates vary by school.
 * Corrections are not bound by it (they have the correction window).
 */
export function setWindow(
  policy: Pick<GradingPolicy, 'periodMarkWindowDays'>,
  kind: PeriodMarkKind,
  period: StudyPeriod | null,
  periods: StudyPeriod[],
): Days & { closesOn: string } {
  const last = periods[periods.length - 1];
  const target = kind === 'period' ? period : last;
  if (!target) throw new Error('setWindow needs the study periods');
  if (kind === 'exam' || kind === 'final') return { startsOn: target.startsOn, endsOn: '', closesOn: '' };
  const opens = addDays(target.endsOn, -(Math.max(1, policy.periodMarkWindowDays) - 1));
  return { startsOn: opens, endsOn: target.endsOn, closesOn: target.endsOn };
}

/** Why a mark cannot be set today (Russian), or null when the window is open. */
export function outsideWindowProblem(
  window: Days & { closesOn: string },
  today: string,
  what: string,
): string | null {
  if (today < window.startsOn) {
    return window.closesOn
      ? `Отметку ${what} можно выставить с ${formatDate(window.startsOn)} по ${formatDate(window.closesOn)}`
      : `Отметку ${what} можно выставить с ${formatDate(window.startsOn)}`;
  }
  if (window.closesOn && today > window.closesOn) {
    return `Срок выставления отметки ${what} истёк ${formatDate(window.closesOn)}`;
  }
  return null;
}

/** The averages a mark is set against. */
export interface MarkBasis {
  arithmeticAverage: number;
  weightedAverage: number;
  marksCount: number;
}

/**
 * What a year, exam or final mark is set against: the arithmetic mean of the numeric marks it
 * rests on (the periods' marks for a year or exam mark; the year and exam marks for a final
 * one). Period marks have no weights, so the weighted average equals the arithmetic one.
 */
export function basisOfMarks(values: string[]): MarkBasis {
  const numbers = values.map(numericValue).filter((v): v is number => v !== null);
  const average =
    numbers.length === 0 ? 0 : Math.round((numbers.reduce((a, b) => a + b, 0) / numbers.length) * 100) / 100;
  return { arithmeticAverage: average, weightedAverage: average, marksCount: numbers.length };
}

/** The kinds whose marks a year/exam/final mark rests on (see `basisOfMarks`). */
export function basisKinds(kind: Exclude<PeriodMarkKind, 'period'>): PeriodMarkKind[] {
  return kind === 'final' ? ['year', 'exam'] : ['period'];
}

/**
 * How a student stands for attestation in a period by their lesson marks (R5.6): the marks that
 * count are active ones with a value on the scale (numbers, зачёт/незачёт); "н/а" does not count;
 * an active "осв" (exempt) means the student is attested without marks and never lacks any.
 */
export function attestationCount(
  marks: Pick<Mark, 'studentId' | 'value' | 'status'>[],
  studentId: string,
): {
  count: number;
  exempt: boolean;
} {
  let count = 0;
  let exempt = false;
  for (const mark of marks) {
    if (mark.studentId !== studentId || mark.status !== 'active') continue;
    if (mark.value === EXEMPT) exempt = true;
    else if (mark.value && mark.value !== NOT_ATTESTED) count += 1;
  }
  return { count, exempt };
}

/**
 * The weekly load of a course in a period: the curriculum's hours when schedule told them, else
 * the period's held-or-planned lessons per week (7-day weeks, at least one), to two decimals.
 */
export function weeklyHours(
  curriculumHoursPerWeek: number | undefined,
  lessonsInPeriod: number,
  period: Days,
): number {
  if (curriculumHoursPerWeek !== undefined && curriculumHoursPerWeek > 0) return curriculumHoursPerWeek;
  const weeks = Math.max(1, (daysBetween(period.startsOn, period.endsOn) + 1) / 7);
  return Math.round((lessonsInPeriod / weeks) * 100) / 100;
}

/** Whether the mark was corrected at least once. */
export function isCorrected(mark: Pick<PeriodMark, 'history'>): boolean {
  return mark.history.some((h) => h.kind === 'corrected');
}
