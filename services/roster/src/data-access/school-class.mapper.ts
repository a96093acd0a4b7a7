import type { ClassState } from '@edu/proto/dist/generated/edu/events/v1/ClassState';
import type { SchoolClass as SchoolClassMessage } from '@edu/proto/dist/generated/edu/roster/v1/SchoolClass';
import { className, type SchoolClass } from '../domain/school-class';
import type { SchoolClassDocument } from './school-class.model';

// A class in its outer shapes: document, gRPC message, event payload.

export function fromDocument(doc: SchoolClassDocument): SchoolClass {
  return {
    id: doc._id,
    schoolId: doc.schoolId,
    academicYearId: doc.academicYearId,
    grade: doc.grade,
    letter: doc.letter,
    classTeacherId: doc.classTeacherId ?? '',
    capacity: doc.capacity ?? 0,
    status: doc.status,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
  };
}

export function toDocument(schoolClass: SchoolClass): SchoolClassDocument {
  const { id, createdAt, ...fields } = schoolClass;
  return { _id: id, ...fields, createdAt: new Date(createdAt) };
}

export function toMessage(schoolClass: SchoolClass): SchoolClassMessage {
  return {
    id: schoolClass.id,
    school_id: schoolClass.schoolId,
    academic_year_id: schoolClass.academicYearId,
    grade: schoolClass.grade,
    letter: schoolClass.letter,
    name: className(schoolClass),
    class_teacher_id: schoolClass.classTeacherId,
    capacity: schoolClass.capacity,
    status: schoolClass.status,
    version: String(schoolClass.version),
    created_at: schoolClass.createdAt,
  };
}

export function toClassState(schoolClass: SchoolClass): ClassState {
  return {
    class_id: schoolClass.id,
    school_id: schoolClass.schoolId,
    academic_year_id: schoolClass.academicYearId,
    grade: schoolClass.grade,
    letter: schoolClass.letter,
    name: className(schoolClass),
    class_teacher_id: schoolClass.classTeacherId,
    status: schoolClass.status,
  };
}
