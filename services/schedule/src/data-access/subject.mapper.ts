import type { SubjectState } from '@edu/proto/dist/generated/edu/events/v1/SubjectState';
import type { Subject as SubjectMessage } from '@edu/proto/dist/generated/edu/schedule/v1/Subject';
import { EDUCATION_AREAS, subjectNameKey, type Subject } from '../domain/subject';
import type { SubjectDocument } from './subject.model';

// A subject in its outer shapes: document, gRPC message, event payload.

export function fromDocument(doc: SubjectDocument): Subject {
  return {
    id: doc._id,
    schoolId: doc.schoolId ?? '',
    key: doc.key,
    name: doc.name,
    shortName: doc.shortName,
    educationArea: doc.educationArea,
    splitIntoSubgroups: doc.splitIntoSubgroups,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
  };
}

export function toDocument(subject: Subject, updatedAt: Date): SubjectDocument {
  const { id, createdAt, ...fields } = subject;
  return {
    _id: id,
    ...fields,
    nameKey: subjectNameKey(subject.name),
    createdAt: new Date(createdAt),
    updatedAt,
  };
}

export function toMessage(subject: Subject): SubjectMessage {
  return {
    id: subject.id,
    school_id: subject.schoolId,
    key: subject.key,
    name: subject.name,
    short_name: subject.shortName,
    education_area: subject.educationArea,
    education_area_name: EDUCATION_AREAS[subject.educationArea],
    split_into_subgroups: subject.splitIntoSubgroups,
    version: String(subject.version),
    created_at: subject.createdAt,
  };
}

/** `edu.events.v1.SubjectState`. */
export function toSubjectState(subject: Subject): SubjectState {
  return {
    subject_id: subject.id,
    school_id: subject.schoolId,
    key: subject.key,
    name: subject.name,
    short_name: subject.shortName,
    education_area: subject.educationArea,
    education_area_name: EDUCATION_AREAS[subject.educationArea],
    split_into_subgroups: subject.splitIntoSubgroups,
  };
}
