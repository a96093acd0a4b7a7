import type { AcademicYear__Output } from '@edu/proto/dist/generated/edu/roster/v1/AcademicYear';
import type { ChangeCalendarRequest } from '@edu/proto/dist/generated/edu/roster/v1/ChangeCalendarRequest';
import type { DateRange__Output } from '@edu/proto/dist/generated/edu/roster/v1/DateRange';
import type { OpenAcademicYearRequest } from '@edu/proto/dist/generated/edu/roster/v1/OpenAcademicYearRequest';

// Academic years between the REST shape (camelCase, as in the OpenAPI document) and roster's
// messages (proto names).

export interface DateRangeDto {
  startsOn: string;
  endsOn: string;
}

/** The body of POST /api/v1/schools/{schoolId}/academic-years. */
export interface AcademicYearPlanDto {
  days: DateRangeDto;
  holidays?: { name: string; days: DateRangeDto }[];
  periodSchemes: {
    grades: number[];
    kind: string;
    periods: { number: number; days: DateRangeDto }[];
  }[];
}

export interface ClosureDto {
  reason: string;
  days: DateRangeDto;
  grades?: number[];
}

export interface DayTransferDto {
  date: string;
  worksAs: number;
}

export interface OrderRefDto {
  number: string;
  date: string;
  title: string;
}

/** The body of POST /api/v1/academic-years/{id}/calendar-changes. */
export interface CalendarChangeDto {
  expectedVersion: number;
  order: OrderRefDto;
  holidays?: AcademicYearPlanDto['holidays'];
  periodSchemes: AcademicYearPlanDto['periodSchemes'];
  closures?: ClosureDto[];
  transfers?: DayTransferDto[];
}

export interface AcademicYearDto extends Required<AcademicYearPlanDto> {
  closures: Required<ClosureDto>[];
  transfers: DayTransferDto[];
  changes: { kind: string; order: OrderRefDto; recordedAt: string; recordedBy: string; summary: string[] }[];
  id: string;
  schoolId: string;
  name: string;
  status: string;
  version: number;
  createdAt: string;
  /** The year this one was rolled over from; '' when opened by hand. */
  rolledOverFrom: string;
  /** The year a closed one was rolled over into; '' until then. */
  rolledOverInto: string;
}

const toRange = (days: DateRangeDto) => ({ starts_on: days.startsOn, ends_on: days.endsOn });
const fromRange = (days: DateRange__Output | null): DateRangeDto => ({
  startsOn: days?.starts_on ?? '',
  endsOn: days?.ends_on ?? '',
});

function holidaysAndPeriods(plan: Pick<AcademicYearPlanDto, 'holidays' | 'periodSchemes'>) {
  return {
    holidays: (plan.holidays ?? []).map((h) => ({ name: h.name, days: toRange(h.days) })),
    period_schemes: plan.periodSchemes.map((scheme) => ({
      grades: scheme.grades,
      kind: scheme.kind,
      periods: scheme.periods.map((p) => ({ number: p.number, days: toRange(p.days) })),
    })),
  };
}

export function openAcademicYearRequest(
  schoolId: string,
  plan: AcademicYearPlanDto,
): OpenAcademicYearRequest {
  return { school_id: schoolId, days: toRange(plan.days), ...holidaysAndPeriods(plan) };
}

export function changeCalendarRequest(
  academicYearId: string,
  change: CalendarChangeDto,
): ChangeCalendarRequest {
  return {
    academic_year_id: academicYearId,
    expected_version: String(change.expectedVersion),
    order: change.order,
    ...holidaysAndPeriods(change),
    closures: (change.closures ?? []).map((c) => ({
      reason: c.reason,
      days: toRange(c.days),
      grades: c.grades ?? [],
    })),
    transfers: (change.transfers ?? []).map((t) => ({ date: t.date, works_as: t.worksAs })),
  };
}

export function academicYearDto(year: AcademicYear__Output | null): AcademicYearDto {
  if (!year) throw new Error('roster answered without an academic year');
  return {
    id: year.id,
    schoolId: year.school_id,
    name: year.name,
    days: fromRange(year.days),
    holidays: year.holidays.map((h) => ({ name: h.name, days: fromRange(h.days) })),
    periodSchemes: year.period_schemes.map((scheme) => ({
      grades: scheme.grades,
      kind: scheme.kind,
      periods: scheme.periods.map((p) => ({ number: p.number, days: fromRange(p.days) })),
    })),
    closures: year.closures.map((c) => ({ reason: c.reason, days: fromRange(c.days), grades: c.grades })),
    transfers: year.transfers.map((t) => ({ date: t.date, worksAs: t.works_as })),
    changes: year.changes.map((c) => ({
      kind: c.kind || 'calendar',
      order: { number: c.order?.number ?? '', date: c.order?.date ?? '', title: c.order?.title ?? '' },
      recordedAt: c.recorded_at,
      recordedBy: c.recorded_by,
      summary: c.summary,
    })),
    status: year.status,
    version: Number(year.version),
    createdAt: year.created_at,
    rolledOverFrom: year.rolled_over_from,
    rolledOverInto: year.rolled_over_into,
  };
}
