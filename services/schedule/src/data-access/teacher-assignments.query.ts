import type { Model } from 'mongoose';
import type { TeachingAssignment } from '../domain/teaching-assignment';
import { fromDocument } from './teaching-assignment.mapper';
import type { TeachingAssignmentDocument } from './teaching-assignment.model';

/**
 * The active assignments of a teacher in a school, of every year (roster's dismissal ends them).
 * Uses the `{teacherId, academicYearId}` index by its prefix.
 */
export function activeAssignmentsOfTeacher(
  assignments: Model<TeachingAssignmentDocument>,
): (schoolId: string, teacherId: string) => Promise<TeachingAssignment[]> {
  return async (schoolId, teacherId) =>
    (
      await assignments
        .find({ teacherId, schoolId, status: 'active' })
        .limit(5_000)
        .lean<TeachingAssignmentDocument[]>()
    ).map(fromDocument);
}
