import type { ChangeClassRequest } from '@edu/proto/dist/generated/edu/roster/v1/ChangeClassRequest';
import type { SchoolClass__Output } from '@edu/proto/dist/generated/edu/roster/v1/SchoolClass';

// Classes between the REST shape (camelCase, as in the OpenAPI document) and roster's messages.

export interface SchoolClassDto {
  id: string;
  schoolId: string;
  academicYearId: string;
  grade: number;
  letter: string;
  name: string;
  /** null when no class teacher is assigned. */
  classTeacherId: string | null;
  /** null when not set. */
  capacity: number | null;
  status: string;
  version: number;
  createdAt: string;
}

/** The body of POST /api/v1/academic-years/{id}/classes. */
export interface OpenClassDto {
  grade: number;
  letter: string;
  capacity?: number;
}

/** The body of PATCH /api/v1/classes/{id}: absent fields stay; null clears. */
export interface ChangeClassDto {
  expectedVersion: number;
  letter?: string;
  capacity?: number | null;
  classTeacherId?: string | null;
  close?: boolean;
}

export function schoolClassDto(message: SchoolClass__Output | null): SchoolClassDto {
  if (!message) throw new Error('roster answered without a class');
  return {
    id: message.id,
    schoolId: message.school_id,
    academicYearId: message.academic_year_id,
    grade: message.grade,
    letter: message.letter,
    name: message.name,
    classTeacherId: message.class_teacher_id || null,
    capacity: message.capacity || null,
    status: message.status,
    version: Number(message.version),
    createdAt: message.created_at,
  };
}

/** Roster's conventions for "keep" ("" and 0) and "clear" (-1 and "-"). */
export function changeClassRequest(id: string, change: ChangeClassDto): ChangeClassRequest {
  return {
    id,
    expected_version: String(change.expectedVersion),
    letter: change.letter ?? '',
    capacity: change.capacity === undefined ? 0 : change.capacity === null ? -1 : change.capacity,
    class_teacher_id:
      change.classTeacherId === undefined ? '' : change.classTeacherId === null ? '-' : change.classTeacherId,
    close: change.close ?? false,
  };
}
