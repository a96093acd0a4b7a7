import { conflict, invalid, notFound, precondition } from '@edu/kit';
import {
  calendarFormErrors,
  calendarRuleErrors,
  calendarSummary,
  orderErrors,
  planFormErrors,
  planRuleErrors,
  ruDate,
  yearName,
  type AcademicYear,
  type AcademicYearPlan,
  type Calendar,
  type OrderRef,
} from './academic-year';
import type { AcademicYearRepository, Authorize, RequestContext, SchoolRepository } from './ports';
import { authorizeOrHide, canManageSchool, canReadSchool } from './school-policy';
import { dateIn } from './person';

export const ACADEMIC_YEAR_OPENED = 'edu.roster.academic_year.opened' as const;
export const CALENDAR_CHANGED = 'edu.roster.academic_year.calendar_changed' as const;
export const ACADEMIC_YEAR_CLOSED = 'edu.roster.academic_year.closed' as const;

export interface AcademicYearDeps {
  schools: SchoolRepository;
  academicYears: AcademicYearRepository;
  authorize: Authorize;
  newId: () => string;
  now: () => Date;
}

/**
 * Opens a school's academic year with its holidays and study periods (R2.2) and publishes
 * edu.roster.academic_year.opened. Malformed input is 400; dates that break the calendar rules
 * are 422 naming the periods; a year overlapping another of the school is 409.
 */
export async function openAcademicYear(
  deps: AcademicYearDeps,
  ctx: RequestContext,
  plan: AcademicYearPlan,
): Promise<AcademicYear> {
  deps.authorize(ctx.actor, canManageSchool(ctx.actor, plan.schoolId), {
    action: 'academic_year.open',
    object: `school:${plan.schoolId}`,
  });
  if (!(await deps.schools.get(plan.schoolId))) throw notFound('school.not_found', 'Школа не найдена');
  const formErrors = planFormErrors(plan);
  if (formErrors.length > 0) {
    throw invalid('academic_year.invalid', 'Учебный год заполнен с ошибками', formErrors);
  }
  const ruleErrors = planRuleErrors(plan);
  if (ruleErrors.length > 0) {
    throw precondition(
      'academic_year.calendar_invalid',
      'Даты учебного года, каникул и периодов не согласованы',
      ruleErrors,
    );
  }
  const overlapping = (await deps.academicYears.listBySchool(plan.schoolId)).find(
    (year) => year.days.startsOn <= plan.days.endsOn && plan.days.startsOn <= year.days.endsOn,
  );
  if (overlapping) {
    throw conflict(
      'academic_year.overlaps',
      `Учебный год ${overlapping.name} (${ruDate(overlapping.days.startsOn)}–${ruDate(overlapping.days.endsOn)}) уже открыт и пересекается с этими датами`,
    );
  }
  const year: AcademicYear = {
    ...plan,
    holidays: [...plan.holidays].sort((a, b) => a.days.startsOn.localeCompare(b.days.startsOn)),
    periodSchemes: plan.periodSchemes.map((scheme) => ({
      ...scheme,
      grades: [...new Set(scheme.grades)].sort((a, b) => a - b),
      periods: [...scheme.periods].sort((a, b) => a.number - b.number),
    })),
    closures: [],
    transfers: [],
    changes: [],
    id: deps.newId(),
    name: yearName(plan.days),
    status: 'open',
    version: 1,
    createdAt: deps.now().toISOString(),
  };
  await deps.academicYears.create(year, [{ type: ACADEMIC_YEAR_OPENED, academicYear: year }], ctx);
  return year;
}

/** Reads one year; a year of a school the actor has no role in is reported as missing. */
export async function getAcademicYear(
  deps: AcademicYearDeps,
  ctx: RequestContext,
  id: string,
): Promise<AcademicYear> {
  const year = await deps.academicYears.get(id);
  if (!year || !canReadSchool(ctx.actor, year.schoolId)) {
    throw notFound('academic_year.not_found', 'Учебный год не найден');
  }
  return year;
}

/** The years of a school, latest first. */
export async function listAcademicYears(
  deps: AcademicYearDeps,
  ctx: RequestContext,
  schoolId: string,
): Promise<AcademicYear[]> {
  if (!canReadSchool(ctx.actor, schoolId) || !(await deps.schools.get(schoolId))) {
    throw notFound('school.not_found', 'Школа не найдена');
  }
  return deps.academicYears.listBySchool(schoolId);
}

/** Sorted copies, so that equal calendars compare equal and the stored order is by date. */
function normalised(calendar: Calendar): Calendar {
  const byStart = <T extends { days: { startsOn: string } }>(list: T[]) =>
    [...list].sort((a, b) => a.days.startsOn.localeCompare(b.days.startsOn));
  return {
    holidays: byStart(calendar.holidays),
    periodSchemes: calendar.periodSchemes.map((scheme) => ({
      ...scheme,
      grades: [...new Set(scheme.grades)].sort((a, b) => a - b),
      periods: [...scheme.periods].sort((a, b) => a.number - b.number),
    })),
    closures: byStart(calendar.closures).map((c) => ({
      ...c,
      grades: [...new Set(c.grades)].sort((a, b) => a - b),
    })),
    transfers: [...calendar.transfers].sort((a, b) => a.date.localeCompare(b.date)),
  };
}

/**
 * Applies an order that changes the calendar (R2.6): the amended calendar replaces the old one
 * if it keeps every rule, the change is recorded with its order and a summary, and
 * edu.roster.academic_year.calendar_changed is published. A stale version is 409.
 */
export async function changeCalendar(
  deps: AcademicYearDeps,
  ctx: RequestContext,
  change: { academicYearId: string; expectedVersion: number; order: OrderRef; calendar: Calendar },
): Promise<AcademicYear> {
  const year = await deps.academicYears.get(change.academicYearId);
  // A year of a school the actor has nothing to do with is as missing as a wrong id.
  if (!year || !canReadSchool(ctx.actor, year.schoolId)) {
    throw notFound('academic_year.not_found', 'Учебный год не найден');
  }
  deps.authorize(ctx.actor, canManageSchool(ctx.actor, year.schoolId), {
    action: 'academic_year.change_calendar',
    object: `academic_year:${year.id}`,
  });
  if (year.status !== 'open') {
    throw precondition('academic_year.closed', `Учебный год ${year.name} закрыт: календарь не меняется`);
  }
  if (change.expectedVersion !== year.version) {
    throw conflict('academic_year.version_conflict', 'Календарь уже изменили: обновите страницу и повторите');
  }
  const formErrors = calendarFormErrors(change.order, change.calendar, year.days);
  if (formErrors.length > 0)
    throw invalid('academic_year.invalid', 'Изменение календаря заполнено с ошибками', formErrors);
  const ruleErrors = calendarRuleErrors(change.calendar, year.days);
  if (ruleErrors.length > 0) {
    throw precondition(
      'academic_year.calendar_invalid',
      'Даты учебного года, каникул и периодов не согласованы',
      ruleErrors,
    );
  }
  const calendar = normalised(change.calendar);
  const summary = calendarSummary(year, calendar);
  if (summary.length === 0)
    throw precondition('academic_year.no_change', 'Календарь не изменился: нечего записывать');
  const changed: AcademicYear = {
    ...year,
    ...calendar,
    version: year.version + 1,
    changes: [
      ...year.changes,
      {
        kind: 'calendar',
        order: change.order,
        recordedAt: deps.now().toISOString(),
        recordedBy: ctx.actor.accountId,
        summary,
      },
    ],
  };
  await deps.academicYears.update(
    changed,
    year.version,
    [{ type: CALENDAR_CHANGED, academicYear: changed, order: change.order, summary }],
    ctx,
  );
  return changed;
}

/**
 * Closes a year by order (R2.5) on or after its last day in the school's time zone; publishes
 * edu.roster.academic_year.closed. A closed year no longer changes (calendar, classes,
 * enrolments) and can be rolled over. Earlier is 422 `academic_year.not_over`; a stale version 409.
 */
export async function closeAcademicYear(
  deps: AcademicYearDeps,
  ctx: RequestContext,
  input: { academicYearId: string; expectedVersion: number; order: OrderRef },
): Promise<AcademicYear> {
  const yearNotFound = () => notFound('academic_year.not_found', 'Учебный год не найден');
  const year = await deps.academicYears.get(input.academicYearId);
  if (!year) throw yearNotFound();
  const what = { action: 'academic_year.close', object: `academic_year:${year.id}` };
  // A stranger to the school is refused as if the year did not exist (the denial is logged).
  authorizeOrHide(deps, ctx, canReadSchool(ctx.actor, year.schoolId), what, yearNotFound);
  deps.authorize(ctx.actor, canManageSchool(ctx.actor, year.schoolId), what);
  const errors = [
    ...orderErrors(input.order),
    ...(Number.isInteger(input.expectedVersion) && input.expectedVersion >= 1
      ? []
      : [{ field: 'expectedVersion', message: 'Укажите версию учебного года, которую вы закрываете' }]),
  ];
  if (errors.length > 0)
    throw invalid('academic_year.invalid', 'Закрытие учебного года заполнено с ошибками', errors);
  if (year.status !== 'open') {
    throw precondition('academic_year.closed', `Учебный год ${year.name} уже закрыт`);
  }
  if (input.expectedVersion !== year.version) {
    throw conflict(
      'academic_year.version_conflict',
      'Учебный год уже изменили: обновите страницу и повторите',
    );
  }
  const school = await deps.schools.get(year.schoolId);
  if (!school) throw notFound('school.not_found', 'Школа не найдена');
  const now = deps.now();
  const today = dateIn(school.timeZone, now);
  if (today < year.days.endsOn) {
    throw precondition(
      'academic_year.not_over',
      `Учебный год ${year.name} ещё идёт: он заканчивается ${ruDate(year.days.endsOn)}, закрыть его можно начиная с этого дня`,
    );
  }
  const closed: AcademicYear = {
    ...year,
    status: 'closed',
    version: year.version + 1,
    changes: [
      ...year.changes,
      {
        kind: 'closed',
        order: input.order,
        recordedAt: now.toISOString(),
        recordedBy: ctx.actor.accountId,
        summary: [`Учебный год ${year.name} закрыт ${ruDate(today)}`],
      },
    ],
  };
  await deps.academicYears.update(
    closed,
    year.version,
    [{ type: ACADEMIC_YEAR_CLOSED, academicYear: closed, order: input.order, closedOn: today }],
    ctx,
  );
  return closed;
}
