import { isPlainDate, type FieldError } from './school';
import type { RolloverSummary } from './year-rollover';

/** A range of days, both ends included, as plain dates `YYYY-MM-DD`. */
export interface DateRange {
  startsOn: string;
  endsOn: string;
}

/** School holidays (каникулы). */
export interface Holiday {
  name: string;
  days: DateRange;
}

export interface StudyPeriod {
  number: number;
  days: DateRange;
}

export const PERIOD_KINDS = ['quarter', 'trimester', 'half_year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** How many periods each kind has. */
export const PERIOD_COUNT: Record<PeriodKind, number> = { quarter: 4, trimester: 3, half_year: 2 };

// Russian words agree with the period's gender: «1-я четверть должна», «1-й триместр должен».
const KIND_NAMES: Record<
  PeriodKind,
  { one: string; ending: string; must: string; count: (n: number) => string }
> = {
  quarter: {
    one: 'четверть',
    ending: 'я',
    must: 'должна',
    count: (n) => (n === 4 ? '4 четверти' : `${n} четвертей`),
  },
  trimester: { one: 'триместр', ending: 'й', must: 'должен', count: (n) => `${n} триместра` },
  half_year: { one: 'полугодие', ending: 'е', must: 'должно', count: (n) => `${n} полугодия` },
};

/** Study periods for some grades (the type may differ by grade, R2.2). */
export interface PeriodScheme {
  grades: number[];
  kind: PeriodKind;
  periods: StudyPeriod[];
}

/** What a school states when it opens a year. */
export interface AcademicYearPlan {
  schoolId: string;
  days: DateRange;
  holidays: Holiday[];
  periodSchemes: PeriodScheme[];
}

export type AcademicYearStatus = 'open' | 'closed';

/** A closure (quarantine and the like) of some grades, or of the whole school when `grades` is empty. */
export interface Closure {
  reason: string;
  days: DateRange;
  grades: number[];
}

/** A weekend day that works by the timetable of an ISO weekday (1 = Monday … 6 = Saturday). */
export interface DayTransfer {
  date: string;
  worksAs: number;
}

/** The order (приказ) behind a change. */
export interface OrderRef {
  number: string;
  date: string;
  title: string;
}

/** What a recorded change of a year did: changed its calendar, closed it, or rolled it over. */
export type YearChangeKind = 'calendar' | 'closed' | 'rolled_over';

/** One recorded change of the calendar: the order, who recorded it and what changed. */
export interface CalendarChange {
  kind: YearChangeKind;
  order: OrderRef;
  recordedAt: string;
  recordedBy: string;
  summary: string[];
}

/** The changeable part of a year's calendar (R2.6). */
export interface Calendar {
  holidays: Holiday[];
  periodSchemes: PeriodScheme[];
  closures: Closure[];
  transfers: DayTransfer[];
}

export interface AcademicYear extends AcademicYearPlan, Calendar {
  id: string;
  /** "2026/2027": the calendar years of its first and last day. */
  name: string;
  status: AcademicYearStatus;
  version: number;
  createdAt: string;
  /** Every change since opening, oldest first (closing and the rollover are recorded here too). */
  changes: CalendarChange[];
  /** The year this one was rolled over from (R2.5); '' or absent when it was opened by hand. */
  rolledOverFrom?: string;
  /** On a closed year, once it has been rolled over into the next: what the rollover did. */
  rollover?: RolloverSummary;
}

export const GRADES = { min: 1, max: 11 } as const;
/** A year is at most this long (a leap year plus slack is not a school year). */
const MAX_YEAR_DAYS = 366;
const NAME_MAX = 200;

const DAY_MS = 86_400_000;

/** Days from the epoch; plain dates compare and subtract as numbers. */
export function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Russian `dd.mm.yyyy`, as people write dates in school documents. */
export function ruDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}

export function yearName(days: DateRange): string {
  return `${days.startsOn.slice(0, 4)}/${days.endsOn.slice(0, 4)}`;
}

function periodLabel(kind: PeriodKind, number: number): string {
  return `${number}-${KIND_NAMES[kind].ending} ${KIND_NAMES[kind].one}`;
}

function rangeErrors(range: DateRange, field: string, what: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!isPlainDate(range.startsOn)) {
    errors.push({ field: `${field}.startsOn`, message: `Начало: ${what} — дата в формате ГГГГ-ММ-ДД` });
  }
  if (!isPlainDate(range.endsOn)) {
    errors.push({ field: `${field}.endsOn`, message: `Окончание: ${what} — дата в формате ГГГГ-ММ-ДД` });
  }
  if (errors.length === 0 && range.endsOn < range.startsOn) {
    errors.push({ field: `${field}.endsOn`, message: `${what}: окончание раньше начала` });
  }
  return errors;
}

/**
 * The form of a plan: dates are dates, names are given, kinds and grades are known. Every
 * problem at once, so a form can show them all. Rules between the dates come after (`planRuleErrors`).
 */
export function planFormErrors(plan: AcademicYearPlan): FieldError[] {
  const errors: FieldError[] = [...rangeErrors(plan.days, 'days', 'учебный год')];
  plan.holidays.forEach((holiday, i) => {
    if (!holiday.name.trim())
      errors.push({ field: `holidays[${i}].name`, message: 'Укажите название каникул' });
    else if (holiday.name.length > NAME_MAX) {
      errors.push({ field: `holidays[${i}].name`, message: `Название длиннее ${NAME_MAX} символов` });
    }
    errors.push(...rangeErrors(holiday.days, `holidays[${i}].days`, holiday.name || 'каникулы'));
  });
  if (plan.periodSchemes.length === 0) {
    errors.push({
      field: 'periodSchemes',
      message: 'Укажите учебные периоды (четверти, триместры или полугодия)',
    });
  }
  plan.periodSchemes.forEach((scheme, s) => {
    const field = `periodSchemes[${s}]`;
    if (!(PERIOD_KINDS as readonly string[]).includes(scheme.kind)) {
      errors.push({ field: `${field}.kind`, message: 'Вид периода: quarter, trimester или half_year' });
    }
    if (scheme.grades.length === 0) {
      errors.push({ field: `${field}.grades`, message: 'Укажите параллели, к которым относятся периоды' });
    }
    for (const grade of scheme.grades) {
      if (!Number.isInteger(grade) || grade < GRADES.min || grade > GRADES.max) {
        errors.push({
          field: `${field}.grades`,
          message: `Параллель — число от ${GRADES.min} до ${GRADES.max}`,
        });
        break;
      }
    }
    scheme.periods.forEach((period, p) =>
      errors.push(...rangeErrors(period.days, `${field}.periods[${p}].days`, `период ${p + 1}`)),
    );
  });
  return errors;
}

/**
 * The rules between the dates of a well-formed plan (R2.2): the year is at most a year long;
 * holidays lie inside it and do not overlap; each grade follows one scheme; each scheme has the
 * number of periods its kind says, inside the year, in order, without overlaps, from the year's
 * first day to its last, and any days between two periods are holidays. Messages name the
 * periods, as a deputy would look for them.
 */
export function planRuleErrors(plan: AcademicYearPlan): FieldError[] {
  const errors: FieldError[] = [];
  const yearStart = dayNumber(plan.days.startsOn);
  const yearEnd = dayNumber(plan.days.endsOn);
  if (yearEnd - yearStart + 1 > MAX_YEAR_DAYS) {
    errors.push({ field: 'days', message: `Учебный год длиннее ${MAX_YEAR_DAYS} дней` });
  }
  const inYear = (range: DateRange) =>
    dayNumber(range.startsOn) >= yearStart && dayNumber(range.endsOn) <= yearEnd;

  const holidays = plan.holidays
    .map((holiday, index) => ({ holiday, index }))
    .sort((a, b) => a.holiday.days.startsOn.localeCompare(b.holiday.days.startsOn));
  holidays.forEach(({ holiday, index }, i) => {
    if (!inYear(holiday.days)) {
      errors.push({
        field: `holidays[${index}].days`,
        message: `«${holiday.name}» выходят за границы учебного года ${ruDate(plan.days.startsOn)}–${ruDate(plan.days.endsOn)}`,
      });
    }
    const next = holidays[i + 1];
    if (next && next.holiday.days.startsOn <= holiday.days.endsOn) {
      errors.push({
        field: `holidays[${next.index}].days`,
        message: `«${next.holiday.name}» пересекаются с «${holiday.name}»`,
      });
    }
  });
  const isHoliday = (day: number) =>
    plan.holidays.some((h) => dayNumber(h.days.startsOn) <= day && day <= dayNumber(h.days.endsOn));

  const schemeOfGrade = new Map<number, number>();
  plan.periodSchemes.forEach((scheme, s) => {
    const field = `periodSchemes[${s}]`;
    for (const grade of scheme.grades) {
      const other = schemeOfGrade.get(grade);
      if (other !== undefined && other !== s) {
        errors.push({
          field: `${field}.grades`,
          message: `${grade}-я параллель уже есть в другой схеме периодов`,
        });
      }
      schemeOfGrade.set(grade, s);
    }
    const kind = scheme.kind;
    const expected = PERIOD_COUNT[kind];
    if (scheme.periods.length !== expected) {
      errors.push({
        field: `${field}.periods`,
        message: `Нужно ${KIND_NAMES[kind].count(expected)}, указано ${scheme.periods.length}`,
      });
      return;
    }
    const periods = [...scheme.periods].sort((a, b) => a.days.startsOn.localeCompare(b.days.startsOn));
    periods.forEach((period, p) => {
      const label = periodLabel(kind, p + 1);
      const at = `${field}.periods[${scheme.periods.indexOf(period)}]`;
      if (period.number !== p + 1) {
        errors.push({ field: `${at}.number`, message: `${label} по датам имеет номер ${period.number}` });
      }
      if (!inYear(period.days)) {
        errors.push({
          field: `${at}.days`,
          message: `${label} выходит за границы учебного года ${ruDate(plan.days.startsOn)}–${ruDate(plan.days.endsOn)}`,
        });
      }
      const next = periods[p + 1];
      if (!next) return;
      const nextLabel = periodLabel(kind, p + 2);
      const end = dayNumber(period.days.endsOn);
      const nextStart = dayNumber(next.days.startsOn);
      if (nextStart <= end) {
        errors.push({ field: `${at}.days`, message: `«${label}» и «${nextLabel}» пересекаются` });
        return;
      }
      const uncovered = [];
      for (let day = end + 1; day < nextStart; day++) if (!isHoliday(day)) uncovered.push(day);
      if (uncovered.length > 0) {
        const from = ruDate(dateOfDay(uncovered[0]!));
        const to = ruDate(dateOfDay(uncovered.at(-1)!));
        errors.push({
          field: `${at}.days`,
          message: `Пропуск между «${label}» и «${nextLabel}»: ${from === to ? `день ${from} не входит` : `дни ${from}–${to} не входят`} ни в период, ни в каникулы`,
        });
      }
    });
    const first = periods[0];
    const last = periods.at(-1);
    if (first && first.days.startsOn !== plan.days.startsOn) {
      errors.push({
        field: `${field}.periods`,
        message: `${periodLabel(kind, 1)} ${KIND_NAMES[kind].must} начинаться в первый день учебного года, ${ruDate(plan.days.startsOn)}`,
      });
    }
    if (last && last.days.endsOn !== plan.days.endsOn) {
      errors.push({
        field: `${field}.periods`,
        message: `${periodLabel(kind, periods.length)} ${KIND_NAMES[kind].must} заканчиваться в последний день учебного года, ${ruDate(plan.days.endsOn)}`,
      });
    }
  });
  return errors;
}

const WEEKDAYS = ['', 'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота', 'воскресенье'];
// "Суббота 06.02.2027 работает как понедельник": the weekday names in the accusative after "как".
const WEEKDAY_AS = ['', 'понедельник', 'вторник', 'среду', 'четверг', 'пятницу', 'субботу'];

/** ISO weekday of a plain date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

function gradesText(grades: number[]): string {
  return grades.length === 0 ? 'вся школа' : `параллели ${grades.join(', ')}`;
}

/** The form of an order (приказ): number, date, title; every problem at once. */
export function orderErrors(order: OrderRef): FieldError[] {
  const errors: FieldError[] = [];
  if (!order.number.trim() || order.number.length > 50) {
    errors.push({ field: 'order.number', message: 'Укажите номер приказа (до 50 символов)' });
  }
  if (!isPlainDate(order.date))
    errors.push({ field: 'order.date', message: 'Дата приказа в формате ГГГГ-ММ-ДД' });
  if (!order.title.trim() || order.title.length > 300) {
    errors.push({ field: 'order.title', message: 'Укажите, о чём приказ (до 300 символов)' });
  }
  return errors;
}

/** The form of an order and of the calendar's new parts; every problem at once. */
export function calendarFormErrors(order: OrderRef, calendar: Calendar, days: DateRange): FieldError[] {
  const errors: FieldError[] = orderErrors(order);
  errors.push(
    ...planFormErrors({
      schoolId: '',
      days,
      holidays: calendar.holidays,
      periodSchemes: calendar.periodSchemes,
    }),
  );
  calendar.closures.forEach((closure, i) => {
    if (!closure.reason.trim() || closure.reason.length > NAME_MAX) {
      errors.push({ field: `closures[${i}].reason`, message: 'Укажите причину, например «Карантин»' });
    }
    errors.push(...rangeErrors(closure.days, `closures[${i}].days`, closure.reason || 'закрытие'));
    if (closure.grades.some((g) => !Number.isInteger(g) || g < GRADES.min || g > GRADES.max)) {
      errors.push({
        field: `closures[${i}].grades`,
        message: `Параллель — число от ${GRADES.min} до ${GRADES.max}`,
      });
    }
  });
  calendar.transfers.forEach((transfer, i) => {
    if (!isPlainDate(transfer.date)) {
      errors.push({ field: `transfers[${i}].date`, message: 'Дата переноса в формате ГГГГ-ММ-ДД' });
    }
    if (!Number.isInteger(transfer.worksAs) || transfer.worksAs < 1 || transfer.worksAs > 6) {
      errors.push({
        field: `transfers[${i}].worksAs`,
        message: 'День недели, по расписанию которого работают: 1–6',
      });
    }
  });
  return errors;
}

/**
 * The rules of a changed calendar: those of a plan (periods, holidays), plus closures inside the
 * year, and transfers of weekend days inside the year, outside holidays, one per date.
 */
export function calendarRuleErrors(calendar: Calendar, days: DateRange): FieldError[] {
  const errors = planRuleErrors({
    schoolId: '',
    days,
    holidays: calendar.holidays,
    periodSchemes: calendar.periodSchemes,
  });
  const yearText = `${ruDate(days.startsOn)}–${ruDate(days.endsOn)}`;
  const inYear = (from: string, to: string) => from >= days.startsOn && to <= days.endsOn;
  calendar.closures.forEach((closure, i) => {
    if (!inYear(closure.days.startsOn, closure.days.endsOn)) {
      errors.push({
        field: `closures[${i}].days`,
        message: `«${closure.reason}» выходит за границы учебного года ${yearText}`,
      });
    }
  });
  const seen = new Set<string>();
  calendar.transfers.forEach((transfer, i) => {
    const field = `transfers[${i}].date`;
    const date = ruDate(transfer.date);
    if (!inYear(transfer.date, transfer.date)) {
      errors.push({ field, message: `${date} вне учебного года ${yearText}` });
    } else if (isoWeekday(transfer.date) < 6) {
      errors.push({
        field,
        message: `${date} — ${WEEKDAYS[isoWeekday(transfer.date)]}, а переносить можно только выходной день`,
      });
    } else if (
      calendar.holidays.some((h) => h.days.startsOn <= transfer.date && transfer.date <= h.days.endsOn)
    ) {
      errors.push({ field, message: `${date} приходится на каникулы` });
    }
    if (seen.has(transfer.date)) errors.push({ field, message: `${date} указан дважды` });
    seen.add(transfer.date);
  });
  return errors;
}

const rangeText = (d: DateRange) =>
  d.startsOn === d.endsOn ? ruDate(d.startsOn) : `${ruDate(d.startsOn)}–${ruDate(d.endsOn)}`;

/** What a change does, line by line in Russian, as the change log and the event show it. */
export function calendarSummary(before: Calendar, after: Calendar): string[] {
  const lines: string[] = [];
  const byName = (list: Holiday[]) => new Map(list.map((h) => [h.name, h]));
  const [oldHolidays, newHolidays] = [byName(before.holidays), byName(after.holidays)];
  for (const [name, holiday] of newHolidays) {
    const old = oldHolidays.get(name);
    if (!old) lines.push(`Добавлены «${name}»: ${rangeText(holiday.days)}`);
    else if (rangeText(old.days) !== rangeText(holiday.days)) {
      lines.push(`«${name}»: ${rangeText(old.days)} → ${rangeText(holiday.days)}`);
    }
  }
  for (const [name, holiday] of oldHolidays) {
    if (!newHolidays.has(name)) lines.push(`Отменены «${name}»: ${rangeText(holiday.days)}`);
  }
  after.periodSchemes.forEach((scheme) => {
    const old = before.periodSchemes.find(
      (s) => s.grades.join() === scheme.grades.join() && s.kind === scheme.kind,
    );
    scheme.periods.forEach((period) => {
      const was = old?.periods.find((p) => p.number === period.number);
      if (!was || rangeText(was.days) !== rangeText(period.days)) {
        lines.push(
          `${periodLabel(scheme.kind, period.number)} (${gradesText(scheme.grades)}): ${was ? `${rangeText(was.days)} → ` : ''}${rangeText(period.days)}`,
        );
      }
    });
  });
  const key = (c: Closure) => `${c.reason}|${rangeText(c.days)}|${c.grades.join()}`;
  const oldClosures = new Set(before.closures.map(key));
  const newClosures = new Set(after.closures.map(key));
  for (const closure of after.closures) {
    if (!oldClosures.has(key(closure)))
      lines.push(`${closure.reason}: ${rangeText(closure.days)}, ${gradesText(closure.grades)}`);
  }
  for (const closure of before.closures) {
    if (!newClosures.has(key(closure))) lines.push(`Отменено: ${closure.reason}, ${rangeText(closure.days)}`);
  }
  const transferKey = (t: DayTransfer) => `${t.date}|${t.worksAs}`;
  const oldTransfers = new Set(before.transfers.map(transferKey));
  const newTransfers = new Set(after.transfers.map(transferKey));
  for (const transfer of after.transfers) {
    if (!oldTransfers.has(transferKey(transfer))) {
      const weekday = WEEKDAYS[isoWeekday(transfer.date)]!;
      lines.push(
        `${weekday[0]!.toUpperCase()}${weekday.slice(1)} ${ruDate(transfer.date)} работает как ${WEEKDAY_AS[transfer.worksAs]}`,
      );
    }
  }
  for (const transfer of before.transfers) {
    if (!newTransfers.has(transferKey(transfer))) lines.push(`Отменён перенос на ${ruDate(transfer.date)}`);
  }
  return lines;
}
