import type { PeriodMarkState } from '@edu/proto/dist/generated/edu/events/v1/PeriodMarkState';
import { isCorrected } from '../domain/period-mark';
import type { MarkRevision } from '../domain/lesson-record';
import type { PeriodMark } from '../domain/ports';
import type { PeriodMarkDocument } from './period-mark.model';

// Period marks in their outer shapes: documents, and the state message of the API and events.

export function fromDocument(doc: PeriodMarkDocument): PeriodMark {
  return {
    id: doc._id,
    schoolId: doc.schoolId,
    academicYearId: doc.academicYearId,
    studentId: doc.studentId,
    classId: doc.classId,
    subjectId: doc.subjectId,
    subjectKey: doc.subjectKey ?? '',
    kind: doc.kind,
    period: doc.period ?? 0,
    value: doc.value,
    setBy: doc.setBy ?? '',
    setAt: doc.setAt,
    arithmeticAverage: doc.arithmeticAverage ?? 0,
    weightedAverage: doc.weightedAverage ?? 0,
    marksCount: doc.marksCount ?? 0,
    history: (doc.history ?? []).map(revisionFromDocument),
    version: doc.version,
  };
}

function revisionFromDocument(r: MarkRevision): MarkRevision {
  return {
    kind: r.kind,
    value: r.value ?? '',
    workType: r.workType ?? '',
    weight: r.weight ?? 0,
    comment: r.comment ?? '',
    by: r.by ?? '',
    at: r.at,
    reason: r.reason ?? '',
    orderRef: r.orderRef ?? '',
  };
}

/** The document of a mark; `createdAt` is the first setting's (kept by updates). */
export function toDocument(mark: PeriodMark): PeriodMarkDocument {
  const { id, ...fields } = mark;
  return { _id: id, ...fields, createdAt: new Date(mark.setAt), updatedAt: new Date() };
}

/** The state message of a period mark (API responses and event payloads). */
export function toPeriodMarkState(mark: PeriodMark): PeriodMarkState {
  return {
    period_mark_id: mark.id,
    school_id: mark.schoolId,
    academic_year_id: mark.academicYearId,
    student_id: mark.studentId,
    class_id: mark.classId,
    subject_id: mark.subjectId,
    subject_key: mark.subjectKey,
    kind: mark.kind,
    period: mark.period,
    value: mark.value,
    set_by: mark.setBy,
    set_at: mark.setAt,
    arithmetic_average: mark.arithmeticAverage,
    weighted_average: mark.weightedAverage,
    marks_count: mark.marksCount,
    corrected: isCorrected(mark),
    history: mark.history.map((h) => ({
      kind: h.kind,
      value: h.value,
      work_type: h.workType,
      weight: h.weight,
      comment: h.comment,
      by: h.by,
      at: h.at,
      reason: h.reason,
      order_ref: h.orderRef,
    })),
    version: mark.version,
  };
}
