import { invalid, notFound, type FieldError } from '@edu/kit';
import type {
  Authorize,
  CalendarWarning,
  CalendarWarningRepository,
  RequestContext,
  RosterCopyReader,
} from './ports';
import { authorizeInSchool, canManageSchedule } from './schedule-policy';
import { TRANSFER_NOTICE_WORKING_DAYS, workingDaysBetween } from './school-event';
import { formatDate, todayIn } from './teaching-assignment';

// Calendar warnings (R4.2): a transfer of days (a weekend day working as a weekday) is announced
// at least 3 working days ahead. Roster owns the calendar and accepts any change; schedule, seeing
// the change in roster's events, records a warning for the managers when a new transfer came late.

const WEEKDAY_NAMES_GENITIVE = ['', 'понедельника', 'вторника', 'среды', 'четверга', 'пятницы', 'субботы'];

/** A year's calendar as a roster event states it (ids, transfers, holidays), mapped at the edge. */
export interface YearTransfers {
  academicYearId: string;
  schoolId: string;
  /** Roster's version of the year. */
  version: number;
  /** When roster changed it (the event's occurredAt). */
  occurredAt: string;
  transfers: { date: string; worksAs: number }[];
  holidays: { startsOn: string; endsOn: string }[];
}

/**
 * The warnings of the transfers that are new (not in `seen`) and announced fewer than 3 working
 * days (Mon–Fri outside holidays) before the day, counted from the school's day of the change.
 */
export function lateTransferWarnings(
  year: YearTransfers,
  seen: { date: string; worksAs: number }[],
  announcedOn: string,
): CalendarWarning[] {
  const known = new Set(seen.map((t) => `${t.date}:${t.worksAs}`));
  return year.transfers
    .filter((t) => !known.has(`${t.date}:${t.worksAs}`))
    .flatMap((t) => {
      const ahead = workingDaysBetween(announcedOn, t.date, year.holidays);
      if (ahead >= TRANSFER_NOTICE_WORKING_DAYS) return [];
      const warning: CalendarWarning = {
        id: `${year.academicYearId}:${t.date}`,
        schoolId: year.schoolId,
        academicYearId: year.academicYearId,
        code: 'calendar.transfer_late_notice',
        date: t.date,
        worksAs: t.worksAs,
        announcedAt: year.occurredAt,
        workingDaysAhead: ahead,
        message:
          `Перенос рабочего дня на ${formatDate(t.date)} (работа по расписанию ${WEEKDAY_NAMES_GENITIVE[t.worksAs] ?? `дня ${t.worksAs}`}) ` +
          `объявлен ${formatDate(announcedOn)}: рабочих дней до него — ${ahead}, а по положению перенос объявляют не позднее чем за ${TRANSFER_NOTICE_WORKING_DAYS} рабочих дня`,
      };
      return [warning];
    });
}

/**
 * Looks at a year's transfers as a roster event states them: records a warning for each new late
 * one, then remembers the transfers at roster's version. An event as old as the last one looked
 * at (a replay, or out of order) changes nothing.
 */
export async function noteTransfers(
  deps: { warnings: CalendarWarningRepository; roster: Pick<RosterCopyReader, 'school'> },
  year: YearTransfers,
): Promise<number> {
  const seen = await deps.warnings.seenTransfers(year.academicYearId);
  if (seen && seen.version >= year.version) return 0;
  const school = await deps.roster.school(year.schoolId);
  const announcedOn = todayIn(school?.timeZone || 'UTC', new Date(year.occurredAt));
  const warnings = lateTransferWarnings(year, seen?.transfers ?? [], announcedOn);
  await deps.warnings.record(warnings, {
    academicYearId: year.academicYearId,
    schoolId: year.schoolId,
    transfers: year.transfers,
    version: year.version,
  });
  return warnings.length;
}

/** The calendar warnings of a school's year, by date: managers of the school. */
export async function listCalendarWarnings(
  deps: { warnings: CalendarWarningRepository; authorize: Authorize },
  ctx: RequestContext,
  query: { schoolId: string; academicYearId: string },
): Promise<CalendarWarning[]> {
  authorizeInSchool(
    deps,
    ctx,
    query.schoolId,
    canManageSchedule(ctx.actor, query.schoolId),
    { action: 'calendar_warning.list', object: `school:${query.schoolId}` },
    () => notFound('school.not_found', 'Школа не найдена'),
  );
  const errors: FieldError[] = [];
  if (!query.academicYearId) errors.push({ field: 'academicYearId', message: 'Укажите учебный год' });
  if (errors.length > 0) {
    throw invalid('calendar_warning.filter_invalid', 'Отбор предупреждений указан с ошибками', errors);
  }
  return (await deps.warnings.listByYear(query.schoolId, query.academicYearId)).sort(
    (a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id),
  );
}
