import type { CopiedYear, Days } from './copies';

/** A study period of a grade: its kind ("quarter", "trimester", "half_year"), number and days. */
export interface StudyPeriod extends Days {
  kind: string;
  number: number;
}

/** The study periods of a grade in a year, in date order; [] when roster has not told them. */
export function periodsOf(year: Pick<CopiedYear, 'periodSchemes'>, grade: number): StudyPeriod[] {
  const scheme = year.periodSchemes.find((s) => s.grades.includes(grade));
  if (!scheme) return [];
  return scheme.periods
    .map((p) => ({ kind: scheme.kind, number: p.number, startsOn: p.startsOn, endsOn: p.endsOn }))
    .sort((a, b) => a.startsOn.localeCompare(b.startsOn));
}

/** One study period of a grade by number, or null. */
export function periodOf(
  year: Pick<CopiedYear, 'periodSchemes'>,
  grade: number,
  number: number,
): StudyPeriod | null {
  return periodsOf(year, grade).find((p) => p.number === number) ?? null;
}

/** Whether a day (YYYY-MM-DD) lies inside a range of days, both ends included. */
export function within(date: string, days: Days): boolean {
  return date >= days.startsOn && date <= days.endsOn;
}
