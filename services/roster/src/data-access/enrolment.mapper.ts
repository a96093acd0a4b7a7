import type { EnrolmentState } from '@edu/proto/dist/generated/edu/events/v1/EnrolmentState';
import type { MovementFact } from '@edu/proto/dist/generated/edu/events/v1/MovementFact';
import type { Enrolment as EnrolmentMessage } from '@edu/proto/dist/generated/edu/roster/v1/Enrolment';
import type { Enrolment, Movement } from '../domain/enrolment';
import type { EnrolmentDocument } from './enrolment.model';

// An enrolment in its outer shapes: document, gRPC message, event payload.

export function fromDocument(doc: EnrolmentDocument): Enrolment {
  return {
    id: doc._id,
    schoolId: doc.schoolId,
    academicYearId: doc.academicYearId,
    studentId: doc.studentId,
    classId: doc.classId ?? '',
    status: doc.status,
    movements: doc.movements.map((m) => ({
      kind: m.kind,
      fromClassId: m.fromClassId ?? '',
      toClassId: m.toClassId ?? '',
      effectiveOn: m.effectiveOn,
      order: { number: m.order.number, date: m.order.date, title: m.order.title },
      reason: m.reason ?? '',
      recordedAt: m.recordedAt.toISOString(),
      recordedBy: m.recordedBy,
    })),
    version: doc.version,
  };
}

export function toDocument(enrolment: Enrolment): EnrolmentDocument {
  const { id, movements, ...fields } = enrolment;
  return {
    _id: id,
    ...fields,
    movements: movements.map((m) => ({ ...m, recordedAt: new Date(m.recordedAt) })),
  };
}

export function toMessage(enrolment: Enrolment): EnrolmentMessage {
  return {
    id: enrolment.id,
    school_id: enrolment.schoolId,
    academic_year_id: enrolment.academicYearId,
    student_id: enrolment.studentId,
    class_id: enrolment.classId,
    status: enrolment.status,
    movements: enrolment.movements.map((m) => ({
      kind: m.kind,
      from_class_id: m.fromClassId,
      to_class_id: m.toClassId,
      effective_on: m.effectiveOn,
      order: m.order,
      reason: m.reason,
      recorded_at: m.recordedAt,
      recorded_by: m.recordedBy,
    })),
    version: String(enrolment.version),
  };
}

export function toEnrolmentState(enrolment: Enrolment): EnrolmentState {
  return {
    enrolment_id: enrolment.id,
    school_id: enrolment.schoolId,
    academic_year_id: enrolment.academicYearId,
    student_id: enrolment.studentId,
    class_id: enrolment.classId,
    status: enrolment.status,
  };
}

export function toMovementFact(movement: Movement): MovementFact {
  return {
    from_class_id: movement.fromClassId,
    to_class_id: movement.toClassId,
    effective_on: movement.effectiveOn,
    order: movement.order,
  };
}
