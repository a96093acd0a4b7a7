import type { Model } from 'mongoose';
import { putIfNewer } from '@edu/store';
import type { StudentRelationsReader, StudentRelationsWriter } from '../domain/ports';
import type { CopyDocument } from './roster-copy.model';
import type { StudentRelationsModels } from './student-relations.model';

/** More links or students than one query needs; nothing here is paged. */
const LIMIT = 5_000;

function fromDocument<T extends { id: string }>(doc: CopyDocument<T>): T {
  const { _id, updatedAt: _updatedAt, ...fields } = doc;
  return { id: _id, ...fields } as unknown as T;
}

function put<T extends { id: string; version: number }>(
  model: Model<CopyDocument<T>>,
  record: T,
): Promise<boolean> {
  const { id, ...fields } = record;
  return putIfNewer(model, id, { ...fields, updatedAt: new Date() } as unknown as Omit<
    CopyDocument<T>,
    '_id'
  >);
}

async function many<T extends { id: string }>(
  model: Model<CopyDocument<T>>,
  filter: Record<string, unknown>,
): Promise<T[]> {
  return (await model.find(filter).limit(LIMIT).lean<CopyDocument<T>[]>()).map((doc) => fromDocument<T>(doc));
}

/** The copy of student relations in schedule's own database. */
export function createStudentRelations(
  models: StudentRelationsModels,
): StudentRelationsWriter & StudentRelationsReader {
  return {
    putEnrolment: (enrolment) => put(models.enrolments, enrolment),
    putGuardianship: (guardianship) => put(models.guardianships, guardianship),

    async enrolment(academicYearId, studentId) {
      if (!academicYearId || !studentId) return null;
      const [found] = await many(models.enrolments, { academicYearId, studentId });
      return found ?? null;
    },
    enrolments: (academicYearId, studentIds) =>
      studentIds.length === 0
        ? Promise.resolve([])
        : many(models.enrolments, { academicYearId, studentId: { $in: studentIds } }),
    guardianshipsOf: (guardianId) =>
      guardianId ? many(models.guardianships, { guardianId }) : Promise.resolve([]),
  };
}
