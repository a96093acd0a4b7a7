import type { AcademicYear as AcademicYearMessage } from '@edu/proto/dist/generated/edu/roster/v1/AcademicYear';
import type { OpenAcademicYearRequest__Output } from '@edu/proto/dist/generated/edu/roster/v1/OpenAcademicYearRequest';
import type { AcademicYearState } from '@edu/proto/dist/generated/edu/events/v1/AcademicYearState';
import type { DateRange__Output } from '@edu/proto/dist/generated/edu/roster/v1/DateRange';
import type { ChangeCalendarRequest__Output } from '@edu/proto/dist/generated/edu/roster/v1/ChangeCalendarRequest';
import type {
  AcademicYear,
  AcademicYearPlan,
  Calendar,
  DateRange,
  PeriodKind,
} from '../domain/academic-year';
import type { AcademicYearDocument } from './academic-year.model';

// The academic year in its outer shapes: document, gRPC message, event payload.

export function fromDocument(doc: AcademicYearDocument): AcademicYear {
  return {
    id: doc._id,
    schoolId: doc.schoolId,
    name: doc.name,
    days: { startsOn: doc.days.startsOn, endsOn: doc.days.endsOn },
    holidays: doc.holidays.map((h) => ({ name: h.name, days: { ...h.days } })),
    periodSchemes: doc.periodSchemes.map((scheme) => ({
      grades: [...scheme.grades],
      kind: scheme.kind,
      periods: scheme.periods.map((p) => ({
        number: p.number,
        days: { startsOn: p.days.startsOn, endsOn: p.days.endsOn },
      })),
    })),
    closures: (doc.closures ?? []).map((c) => ({
      reason: c.reason,
      days: { ...c.days },
      grades: [...c.grades],
    })),
    transfers: (doc.transfers ?? []).map((t) => ({ date: t.date, worksAs: t.worksAs })),
    changes: (doc.changes ?? []).map((c) => ({
      order: { number: c.order.number, date: c.order.date, title: c.order.title },
      recordedAt: c.recordedAt.toISOString(),
      recordedBy: c.recordedBy,
      summary: [...c.summary],
    })),
    status: doc.status,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
  };
}

export function toDocument(year: AcademicYear): AcademicYearDocument {
  return {
    _id: year.id,
    schoolId: year.schoolId,
    name: year.name,
    days: year.days,
    holidays: year.holidays,
    periodSchemes: year.periodSchemes,
    closures: year.closures,
    transfers: year.transfers,
    changes: year.changes.map((c) => ({ ...c, recordedAt: new Date(c.recordedAt) })),
    status: year.status,
    version: year.version,
    createdAt: new Date(year.createdAt),
  };
}

const range = (days: DateRange) => ({ starts_on: days.startsOn, ends_on: days.endsOn });
const fromRange = (days: DateRange__Output | null | undefined): DateRange => ({
  startsOn: days?.starts_on ?? '',
  endsOn: days?.ends_on ?? '',
});

function yearBody(year: AcademicYear) {
  return {
    school_id: year.schoolId,
    name: year.name,
    days: range(year.days),
    holidays: year.holidays.map((h) => ({ name: h.name, days: range(h.days) })),
    period_schemes: year.periodSchemes.map((scheme) => ({
      grades: scheme.grades,
      kind: scheme.kind,
      periods: scheme.periods.map((p) => ({ number: p.number, days: range(p.days) })),
    })),
    closures: year.closures.map((c) => ({ reason: c.reason, days: range(c.days), grades: c.grades })),
    transfers: year.transfers.map((t) => ({ date: t.date, works_as: t.worksAs })),
    status: year.status,
  };
}

export function toMessage(year: AcademicYear): AcademicYearMessage {
  return {
    id: year.id,
    ...yearBody(year),
    changes: year.changes.map((c) => ({
      order: c.order,
      recorded_at: c.recordedAt,
      recorded_by: c.recordedBy,
      summary: c.summary,
    })),
    version: String(year.version),
    created_at: year.createdAt,
  };
}

/** The payload of academic-year events. */
export function toYearState(year: AcademicYear): AcademicYearState {
  return { academic_year_id: year.id, ...yearBody(year) };
}

type CalendarParts = Pick<ChangeCalendarRequest__Output, 'holidays' | 'period_schemes'>;

function holidaysAndPeriods(request: CalendarParts): Pick<Calendar, 'holidays' | 'periodSchemes'> {
  return {
    holidays: request.holidays.map((h) => ({ name: h.name, days: fromRange(h.days) })),
    periodSchemes: request.period_schemes.map((scheme) => ({
      grades: scheme.grades,
      kind: scheme.kind as PeriodKind,
      periods: scheme.periods.map((p) => ({ number: p.number, days: fromRange(p.days) })),
    })),
  };
}

export function planFromRequest(request: OpenAcademicYearRequest__Output): AcademicYearPlan {
  return { schoolId: request.school_id, days: fromRange(request.days), ...holidaysAndPeriods(request) };
}

export function calendarChangeFromRequest(request: ChangeCalendarRequest__Output) {
  return {
    academicYearId: request.academic_year_id,
    expectedVersion: Number(request.expected_version),
    order: {
      number: request.order?.number ?? '',
      date: request.order?.date ?? '',
      title: request.order?.title ?? '',
    },
    calendar: {
      ...holidaysAndPeriods(request),
      closures: request.closures.map((c) => ({
        reason: c.reason,
        days: fromRange(c.days),
        grades: c.grades,
      })),
      transfers: request.transfers.map((t) => ({ date: t.date, worksAs: t.works_as })),
    },
  };
}
