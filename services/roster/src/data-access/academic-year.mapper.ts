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
import type { RolloverAcademicYearResponse } from '@edu/proto/dist/generated/edu/roster/v1/RolloverAcademicYearResponse';
import type { YearRolledOver } from '@edu/proto/dist/generated/edu/events/v1/YearRolledOver';
import type { RolloverSummary } from '../domain/year-rollover';
import type { AcademicYearDocument, RolloverDoc } from './academic-year.model';

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
      kind: c.kind ?? 'calendar',
      order: { number: c.order.number, date: c.order.date, title: c.order.title },
      recordedAt: c.recordedAt.toISOString(),
      recordedBy: c.recordedBy,
      summary: [...c.summary],
    })),
    status: doc.status,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    ...(doc.rolledOverFrom ? { rolledOverFrom: doc.rolledOverFrom } : {}),
    ...(doc.rollover ? { rollover: rolloverFromDocument(doc, doc.rollover) } : {}),
  };
}

function rolloverFromDocument(doc: AcademicYearDocument, r: RolloverDoc): RolloverSummary {
  return {
    dryRun: false,
    fromYearId: doc._id,
    fromName: doc.name,
    toYearId: r.toYearId,
    toName: r.toName,
    toDays: { startsOn: r.toDays.startsOn, endsOn: r.toDays.endsOn },
    graduatingGrades: [...r.graduatingGrades],
    classes: r.classes.map((c) => ({
      fromClassId: c.fromClassId,
      fromName: c.fromName,
      outcome: c.outcome,
      toClassId: c.toClassId,
      toName: c.toName,
      students: c.students,
      subgroupsKept: c.subgroupsKept,
      classTeacherId: c.classTeacherId,
    })),
    classesPromoted: r.classesPromoted,
    studentsPromoted: r.studentsPromoted,
    studentsGraduated: r.studentsGraduated,
    subgroupsKept: r.subgroupsKept,
    studentsNotMoved: r.studentsNotMoved,
    order: { number: r.order.number, date: r.order.date, title: r.order.title },
    completedAt: r.completedAt.toISOString(),
  };
}

function rolloverToDocument(r: RolloverSummary): RolloverDoc {
  const { dryRun: _dryRun, fromYearId: _fromYearId, fromName: _fromName, completedAt, ...fields } = r;
  return { ...fields, completedAt: new Date(completedAt) };
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
    rolledOverFrom: year.rolledOverFrom ?? '',
    rollover: year.rollover ? rolloverToDocument(year.rollover) : null,
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
      kind: c.kind,
      order: c.order,
      recorded_at: c.recordedAt,
      recorded_by: c.recordedBy,
      summary: c.summary,
    })),
    version: String(year.version),
    created_at: year.createdAt,
    rolled_over_from: year.rolledOverFrom ?? '',
    rolled_over_into: year.rollover?.toYearId ?? '',
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

/** The RolloverAcademicYear response. */
export function toRolloverMessage(summary: RolloverSummary): RolloverAcademicYearResponse {
  return {
    dry_run: summary.dryRun,
    from_academic_year_id: summary.fromYearId,
    from_name: summary.fromName,
    to_academic_year_id: summary.toYearId,
    to_name: summary.toName,
    to_days: range(summary.toDays),
    graduating_grades: summary.graduatingGrades,
    classes: summary.classes.map((c) => ({
      from_class_id: c.fromClassId,
      from_name: c.fromName,
      outcome: c.outcome,
      to_class_id: c.toClassId,
      to_name: c.toName,
      students: c.students,
      subgroups_kept: c.subgroupsKept,
      class_teacher_id: c.classTeacherId,
    })),
    classes_promoted: summary.classesPromoted,
    students_promoted: summary.studentsPromoted,
    students_graduated: summary.studentsGraduated,
    subgroups_kept: summary.subgroupsKept,
    students_not_moved: summary.studentsNotMoved,
    order: summary.order,
    completed_at: summary.completedAt,
  };
}

/** The payload of edu.roster.academic_year.rolled_over. */
export function toYearRolledOver(schoolId: string, summary: RolloverSummary): YearRolledOver {
  return {
    school_id: schoolId,
    from_academic_year_id: summary.fromYearId,
    from_name: summary.fromName,
    to_academic_year_id: summary.toYearId,
    to_name: summary.toName,
    order: summary.order,
    classes_promoted: summary.classesPromoted,
    students_promoted: summary.studentsPromoted,
    students_graduated: summary.studentsGraduated,
    subgroups_kept: summary.subgroupsKept,
    classes: summary.classes
      .filter((c) => c.outcome === 'promoted')
      .map((c) => ({ from_class_id: c.fromClassId, to_class_id: c.toClassId })),
  };
}
