import type { FieldError } from '@edu/kit';
import { SCHEDULE_ID_NAMESPACE } from './bell-schedule';
import type { CopiedDays, CopiedYear } from './roster-copy';
import type { EducationArea } from './subject';
import { uuidV5 } from './subject-catalogue';

// The curriculum (учебный план, R2.3) of a class: subjects with hours per week (optionally other
// hours in some study periods) and the part of the plan each belongs to. Hours per year follow
// from the weeks of study of the class's grade in its year. Replaced as a whole, by version.

/** The parts of a curriculum (ФГОС): обязательная часть and часть, формируемая участниками. */
export const CURRICULUM_COMPONENTS = {
  mandatory: 'Обязательная часть',
  optional: 'Часть, формируемая участниками образовательных отношений',
} as const;

export type CurriculumComponent = keyof typeof CURRICULUM_COMPONENTS;

export function isCurriculumComponent(value: string): value is CurriculumComponent {
  return Object.hasOwn(CURRICULUM_COMPONENTS, value);
}

/** Weekly hours of a line in one study period, when they differ from its usual weekly hours. */
export interface PeriodHours {
  period: number;
  /** 0: the subject is not studied in that period. */
  hoursPerWeek: number;
}

/** One line of a plan, with the subject as it was when the plan was set. */
export interface CurriculumLine {
  subjectId: string;
  subjectKey: string;
  subjectName: string;
  educationArea: EducationArea;
  component: CurriculumComponent;
  hoursPerWeek: number;
  /** By period number, each period once. */
  periodHours: PeriodHours[];
}

export interface Curriculum {
  /** Derived from the class (`curriculumId`): one plan per class for ever. */
  id: string;
  schoolId: string;
  academicYearId: string;
  classId: string;
  /** The class's grade when the plan was set (roster does not change a class's grade). */
  grade: number;
  /** In the order given. */
  lines: CurriculumLine[];
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Account id. */
  updatedBy: string;
}

/**
 * The largest weekly load of a class by grade (академические часы в неделю при пятидневной
 * неделе, as in СанПиН 1.2.3685-21): the defaults; a deployment may change some grades with
 * `EDU_SCHEDULE_MAX_WEEKLY_HOURS` (config.ts).
 */
export const DEFAULT_MAX_WEEKLY_HOURS: Readonly<Record<number, number>> = {
  1: 21,
  2: 23,
  3: 23,
  4: 23,
  5: 29,
  6: 30,
  7: 32,
  8: 33,
  9: 33,
  10: 34,
  11: 34,
};

/**
 * The maximum weekly load by grade: the defaults with a deployment's overrides (some grades).
 * A grade outside 1..11 (roster has none) gets the highest maximum.
 */
export function maxWeeklyHoursByGrade(
  overrides: Readonly<Record<number, number>> = {},
): (grade: number) => number {
  const table: Record<number, number> = { ...DEFAULT_MAX_WEEKLY_HOURS, ...overrides };
  const highest = Math.max(...Object.values(table));
  return (grade) => table[grade] ?? highest;
}

export const CURRICULUM_RULES = {
  hoursPerWeek: { max: 10, step: 0.5 },
  maxLines: 40,
  /**
   * Weeks of study when schedule does not know the year's calendar (neither the grade's periods
   * nor holidays): 34, and 33 in the 1st grade, which has an extra week of holidays (ФООП).
   */
  defaultWeeks: 34,
  defaultWeeksFirstGrade: 33,
  /** Periods assumed (of equal length) while the grade's scheme is unknown. */
  unknownSchemePeriods: 4,
} as const;

/** The id of a class's curriculum: the same at every call, so a class has one. */
export function curriculumId(classId: string): string {
  return uuidV5(`curriculum:${classId}`, SCHEDULE_ID_NAMESPACE);
}

/** A line as a request gives it (before the subject is looked up). */
export interface CurriculumLineInput {
  subjectId: string;
  hoursPerWeek: number;
  periodHours: PeriodHours[];
  component: string;
}

/** A number of hours 0.5 .. 10 (or 0 .. 10 when `zeroAllowed`) in steps of 0.5. */
function isHours(hours: number, zeroAllowed: boolean): boolean {
  const { max, step } = CURRICULUM_RULES.hoursPerWeek;
  return (
    Number.isFinite(hours) &&
    (zeroAllowed ? hours >= 0 : hours > 0) &&
    hours <= max &&
    Number.isInteger(hours / step)
  );
}

/** Problems with the form of a plan's lines (every one at once). */
export function curriculumFormErrors(lines: CurriculumLineInput[]): FieldError[] {
  const errors: FieldError[] = [];
  if (lines.length > CURRICULUM_RULES.maxLines) {
    errors.push({ field: 'lines', message: `В учебном плане не больше ${CURRICULUM_RULES.maxLines} строк` });
    return errors;
  }
  const { max } = CURRICULUM_RULES.hoursPerWeek;
  lines.forEach((line, i) => {
    const field = `lines[${i}]`;
    if (!line.subjectId) errors.push({ field: `${field}.subjectId`, message: 'Укажите предмет' });
    if (!isHours(line.hoursPerWeek, false)) {
      errors.push({
        field: `${field}.hoursPerWeek`,
        message: `Часов в неделю — от 0,5 до ${max} с шагом 0,5`,
      });
    }
    if (!isCurriculumComponent(line.component)) {
      errors.push({
        field: `${field}.component`,
        message:
          'Выберите часть учебного плана: обязательная часть или часть, формируемая участниками образовательных отношений',
      });
    }
    const periods = new Set<number>();
    line.periodHours.forEach((ph, j) => {
      const at = `${field}.periodHours[${j}]`;
      if (!Number.isInteger(ph.period) || ph.period < 1) {
        errors.push({ field: `${at}.period`, message: 'Номер учебного периода — целое число от 1' });
      } else if (periods.has(ph.period)) {
        errors.push({ field: `${at}.period`, message: `Период ${ph.period} указан в строке дважды` });
      }
      periods.add(ph.period);
      if (!isHours(ph.hoursPerWeek, true)) {
        errors.push({
          field: `${at}.hoursPerWeek`,
          message: `Часов в неделю в периоде — от 0 до ${max} с шагом 0,5 (0 — предмет в этом периоде не изучается)`,
        });
      }
    });
  });
  return errors;
}

/** Each repeat of a subject after its first line, with the line it repeats (0-based). */
export function duplicateSubjectLines(
  subjectIds: string[],
): { index: number; firstIndex: number; subjectId: string }[] {
  const first = new Map<string, number>();
  const repeats: { index: number; firstIndex: number; subjectId: string }[] = [];
  subjectIds.forEach((subjectId, index) => {
    const seen = first.get(subjectId);
    if (seen === undefined) first.set(subjectId, index);
    else repeats.push({ index, firstIndex: seen, subjectId });
  });
  return repeats;
}

// Weeks of study.

/** One study period of a grade with its weeks of study. */
export interface StudyPeriodWeeks {
  number: number;
  /** "1-я четверть", or "Период 1" while the scheme is unknown. */
  name: string;
  /** '' while the scheme is unknown. */
  startsOn: string;
  endsOn: string;
  weeks: number;
}

/** The weeks of study of a grade in a year, and how they were counted. */
export interface StudyWeeks {
  /** "calendar": from roster's calendar; "default": the constants (calendar unknown). */
  source: 'calendar' | 'default';
  /** "quarter", "trimester", "half_year"; '' while the grade's scheme is unknown. */
  periodKind: string;
  periods: StudyPeriodWeeks[];
  perYear: number;
}

const PERIOD_NAMES: Record<string, (n: number) => string> = {
  quarter: (n) => `${n}-я четверть`,
  trimester: (n) => `${n}-й триместр`,
  half_year: (n) => `${n}-е полугодие`,
};

const PERIOD_KIND_PLURALS: Record<string, string> = {
  quarter: 'четверти',
  trimester: 'триместры',
  half_year: 'полугодия',
};

/** The name of a period for people. */
export function periodName(kind: string, number: number): string {
  return (PERIOD_NAMES[kind] ?? ((n: number) => `Период ${n}`))(number);
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/**
 * Weekdays (Monday..Friday) of a range of days outside the holidays: the school days of a
 * five-day week. Days off moved by the government and transfers are left out: rounding to whole
 * weeks absorbs them.
 */
export function studyWeekdays(days: CopiedDays, holidays: CopiedDays[]): number {
  const from = dayNumber(days.startsOn);
  const to = dayNumber(days.endsOn);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return 0;
  const off = holidays.map((h) => [dayNumber(h.startsOn), dayNumber(h.endsOn)] as const);
  let count = 0;
  for (let day = from; day <= to; day += 1) {
    // Day 0 (1970-01-01) was a Thursday: (day + 4) % 7 is 0 on Sundays.
    const weekday = (day + 4) % 7;
    if (weekday === 0 || weekday === 6) continue;
    if (off.some(([start, end]) => start <= day && day <= end)) continue;
    count += 1;
  }
  return count;
}

/** Whole weeks of a number of school days (five a week). */
const toWeeks = (weekdays: number) => Math.round(weekdays / 5);

/**
 * The weeks of study of a grade in a year (the copy of roster's calendar):
 * - the grade's period scheme known: each period's weekdays outside holidays, in whole weeks;
 * - no scheme, holidays known: the year's weekdays outside holidays, in whole weeks, as 4 equal
 *   periods;
 * - neither (or no year): 34 weeks (33 in the 1st grade), as 4 equal periods.
 * Roster's holidays are the whole school's: the 1st grade's extra February week is in them only
 * when the school has made it a holiday for everyone.
 */
export function studyWeeks(year: CopiedYear | null, grade: number): StudyWeeks {
  const holidays = year?.calendar?.holidays ?? [];
  const scheme = year?.calendar?.periodSchemes.find((s) => s.grades.includes(grade) && s.periods.length > 0);
  if (scheme) {
    const periods = [...scheme.periods]
      .sort((a, b) => a.number - b.number)
      .map((p) => ({
        number: p.number,
        name: periodName(scheme.kind, p.number),
        startsOn: p.startsOn,
        endsOn: p.endsOn,
        weeks: toWeeks(studyWeekdays(p, holidays)),
      }));
    return {
      source: 'calendar',
      periodKind: scheme.kind,
      periods,
      perYear: periods.reduce((sum, p) => sum + p.weeks, 0),
    };
  }
  const fromCalendar = year !== null && holidays.length > 0;
  const perYear = fromCalendar
    ? toWeeks(studyWeekdays(year, holidays))
    : grade === 1
      ? CURRICULUM_RULES.defaultWeeksFirstGrade
      : CURRICULUM_RULES.defaultWeeks;
  const count = CURRICULUM_RULES.unknownSchemePeriods;
  return {
    source: fromCalendar ? 'calendar' : 'default',
    periodKind: '',
    periods: Array.from({ length: count }, (_, i) => ({
      number: i + 1,
      name: periodName('', i + 1),
      startsOn: '',
      endsOn: '',
      weeks: perYear / count,
    })),
    perYear,
  };
}

// Hours.

/** Rounds away binary noise (hours are multiples of 0.5, weeks of 0.25). */
const round2 = (value: number) => Math.round(value * 100) / 100;

/** A line's weekly hours in a period: the period's own, or the usual ones. */
export function hoursInPeriod(
  line: Pick<CurriculumLine, 'hoursPerWeek' | 'periodHours'>,
  period: number,
): number {
  return line.periodHours.find((p) => p.period === period)?.hoursPerWeek ?? line.hoursPerWeek;
}

/** A line's hours per year: its weekly hours in each period times the period's weeks. */
export function hoursPerYear(
  line: Pick<CurriculumLine, 'hoursPerWeek' | 'periodHours'>,
  weeks: StudyWeeks,
): number {
  return round2(weeks.periods.reduce((sum, p) => sum + hoursInPeriod(line, p.number) * p.weeks, 0));
}

/** The class's weekly hours: usually (the lines' usual hours summed). */
export function totalHoursPerWeek(lines: Pick<CurriculumLine, 'hoursPerWeek'>[]): number {
  return round2(lines.reduce((sum, line) => sum + line.hoursPerWeek, 0));
}

/** The class's weekly hours in each period. */
export function periodTotals(
  lines: Pick<CurriculumLine, 'hoursPerWeek' | 'periodHours'>[],
  weeks: StudyWeeks,
): { period: number; hoursPerWeek: number }[] {
  return weeks.periods.map((p) => ({
    period: p.number,
    hoursPerWeek: round2(lines.reduce((sum, line) => sum + hoursInPeriod(line, p.number), 0)),
  }));
}

/** Hours as people write them: "29", "1,5". */
export function formatHours(hours: number): string {
  return String(hours).replace('.', ',');
}

/**
 * The period overrides that name a period the grade does not have in the year, as field errors
 * (empty when all are known).
 */
export function unknownPeriodErrors(
  lines: Pick<CurriculumLine, 'periodHours'>[],
  weeks: StudyWeeks,
  context: { grade: number; yearName: string },
): FieldError[] {
  const known = new Set(weeks.periods.map((p) => p.number));
  const numbers = weeks.periods.map((p) => p.number);
  const range = `${Math.min(...numbers)}–${Math.max(...numbers)}`;
  const kinds = PERIOD_KIND_PLURALS[weeks.periodKind];
  const scheme = kinds
    ? `у ${context.grade}-х классов в ${context.yearName} учебном году ${kinds} ${range}`
    : `пока учебные периоды ${context.grade}-х классов не известны, допускаются периоды ${range}`;
  return lines.flatMap((line, i) =>
    line.periodHours.flatMap((ph, j) =>
      known.has(ph.period)
        ? []
        : [
            {
              field: `lines[${i}].periodHours[${j}].period`,
              message: `Периода ${ph.period} нет: ${scheme}`,
            },
          ],
    ),
  );
}

/**
 * What breaks the grade's maximum weekly load, or undefined: the load is checked in every period
 * (a period's own hours count there). The detail names the class, its load and the maximum.
 */
export function weeklyLoadExcess(
  lines: Pick<CurriculumLine, 'hoursPerWeek' | 'periodHours'>[],
  weeks: StudyWeeks,
  context: { className: string; grade: number; max: number },
): { detail: string; errors: FieldError[] } | undefined {
  const totals = periodTotals(lines, weeks);
  const over = totals.filter((t) => t.hoursPerWeek > context.max);
  if (over.length === 0) return undefined;
  const limit = `для ${context.grade}-х классов допускается не больше ${formatHours(context.max)} ч`;
  const same = over.length === totals.length && over.every((t) => t.hoursPerWeek === over[0]!.hoursPerWeek);
  const nameOf = (period: number) => weeks.periods.find((p) => p.number === period)!.name;
  const detail = same
    ? `Недельная нагрузка класса ${context.className} — ${formatHours(over[0]!.hoursPerWeek)} ч, а ${limit}`
    : `Недельная нагрузка класса ${context.className} больше допустимой (${limit}): ${over
        .map((t) => `${nameOf(t.period)} — ${formatHours(t.hoursPerWeek)} ч`)
        .join(', ')}`;
  return { detail, errors: [{ field: 'lines', message: detail }] };
}
