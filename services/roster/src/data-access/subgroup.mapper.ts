import type { SubgroupState } from '@edu/proto/dist/generated/edu/events/v1/SubgroupState';
import type { Subgroup as SubgroupMessage } from '@edu/proto/dist/generated/edu/roster/v1/Subgroup';
import type { Subgroup } from '../domain/subgroup';
import type { SubgroupDocument } from './subgroup.model';

// A subgroup in its outer shapes: document, gRPC message, event payload.

export function fromDocument(doc: SubgroupDocument): Subgroup {
  return {
    id: doc._id,
    schoolId: doc.schoolId,
    academicYearId: doc.academicYearId,
    classId: doc.classId,
    subjectKey: doc.subjectKey,
    name: doc.name,
    teacherId: doc.teacherId ?? '',
    memberIds: [...(doc.memberIds ?? [])],
    history: (doc.history ?? []).map((c) => ({
      kind: c.kind,
      added: [...c.added],
      removed: [...c.removed],
      order:
        c.order?.number || c.order?.date
          ? { number: c.order.number, date: c.order.date, title: c.order.title }
          : null,
      recordedAt: c.recordedAt.toISOString(),
      recordedBy: c.recordedBy,
    })),
    status: doc.status,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
  };
}

export function toDocument(subgroup: Subgroup, updatedAt: Date): SubgroupDocument {
  const { id, createdAt, history, ...fields } = subgroup;
  return {
    _id: id,
    ...fields,
    history: history.map((c) => ({ ...c, recordedAt: new Date(c.recordedAt) })),
    createdAt: new Date(createdAt),
    updatedAt,
  };
}

export function toMessage(subgroup: Subgroup): SubgroupMessage {
  return {
    id: subgroup.id,
    school_id: subgroup.schoolId,
    academic_year_id: subgroup.academicYearId,
    class_id: subgroup.classId,
    subject_key: subgroup.subjectKey,
    name: subgroup.name,
    teacher_id: subgroup.teacherId,
    member_ids: [...subgroup.memberIds],
    status: subgroup.status,
    version: String(subgroup.version),
    created_at: subgroup.createdAt,
    history: subgroup.history.map((c) => ({
      kind: c.kind,
      added: [...c.added],
      removed: [...c.removed],
      order: c.order ?? undefined,
      recorded_at: c.recordedAt,
      recorded_by: c.recordedBy,
    })),
  };
}

/** `edu.events.v1.SubgroupState`: ids, subject, name, teacher, member ids and status. */
export function toSubgroupState(subgroup: Subgroup): SubgroupState {
  return {
    subgroup_id: subgroup.id,
    school_id: subgroup.schoolId,
    academic_year_id: subgroup.academicYearId,
    class_id: subgroup.classId,
    subject_key: subgroup.subjectKey,
    name: subgroup.name,
    teacher_id: subgroup.teacherId,
    member_ids: [...subgroup.memberIds],
    status: subgroup.status,
  };
}
