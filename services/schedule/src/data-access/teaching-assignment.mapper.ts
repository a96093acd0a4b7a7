import type { TeachingAssignmentState } from '@edu/proto/dist/generated/edu/events/v1/TeachingAssignmentState';
import type { TeachingAssignment as AssignmentMessage } from '@edu/proto/dist/generated/edu/schedule/v1/TeachingAssignment';
import type { TeachingAssignment } from '../domain/teaching-assignment';
import type { AssignmentView } from '../domain/teaching-assignment.use-cases';
import type { TeachingAssignmentDocument } from './teaching-assignment.model';

// An assignment in its outer shapes: document, gRPC message, event payload.

export function fromDocument(doc: TeachingAssignmentDocument): TeachingAssignment {
  return {
    id: doc._id,
    schoolId: doc.schoolId,
    academicYearId: doc.academicYearId,
    teacherId: doc.teacherId,
    classId: doc.classId,
    subgroupId: doc.subgroupId ?? '',
    subjectId: doc.subjectId,
    subjectKey: doc.subjectKey,
    subjectName: doc.subjectName,
    startsOn: doc.startsOn,
    endsOn: doc.endsOn,
    hoursPerWeek: doc.hoursPerWeek ?? 0,
    status: doc.status,
    history: (doc.history ?? []).map((change) => ({
      kind: change.kind,
      effectiveOn: change.effectiveOn,
      reason: change.reason ?? '',
      recordedAt: change.recordedAt,
      recordedBy: change.recordedBy ?? '',
    })),
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
  };
}

export function toDocument(assignment: TeachingAssignment, updatedAt: Date): TeachingAssignmentDocument {
  const { id, createdAt, ...fields } = assignment;
  return { _id: id, ...fields, createdAt: new Date(createdAt), updatedAt };
}

export function toMessage({
  assignment,
  teacherName,
  className,
  subgroupName,
}: AssignmentView): AssignmentMessage {
  return {
    id: assignment.id,
    school_id: assignment.schoolId,
    academic_year_id: assignment.academicYearId,
    teacher_id: assignment.teacherId,
    teacher_name: teacherName,
    class_id: assignment.classId,
    class_name: className,
    subgroup_id: assignment.subgroupId,
    subgroup_name: subgroupName,
    subject_id: assignment.subjectId,
    subject_key: assignment.subjectKey,
    subject_name: assignment.subjectName,
    starts_on: assignment.startsOn,
    ends_on: assignment.endsOn,
    hours_per_week: assignment.hoursPerWeek,
    status: assignment.status,
    history: assignment.history.map((change) => ({
      kind: change.kind,
      effective_on: change.effectiveOn,
      reason: change.reason,
      recorded_at: change.recordedAt,
      recorded_by: change.recordedBy,
    })),
    version: String(assignment.version),
    created_at: assignment.createdAt,
  };
}

/** `edu.events.v1.TeachingAssignmentState`: ids, subject, days and status; no names of people. */
export function toAssignmentState(assignment: TeachingAssignment): TeachingAssignmentState {
  return {
    assignment_id: assignment.id,
    school_id: assignment.schoolId,
    academic_year_id: assignment.academicYearId,
    teacher_id: assignment.teacherId,
    class_id: assignment.classId,
    subgroup_id: assignment.subgroupId,
    subject_id: assignment.subjectId,
    subject_key: assignment.subjectKey,
    subject_name: assignment.subjectName,
    starts_on: assignment.startsOn,
    ends_on: assignment.endsOn,
    hours_per_week: assignment.hoursPerWeek,
    status: assignment.status,
  };
}
