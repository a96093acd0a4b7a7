import type { Model } from 'mongoose';
import { putIfNewer } from '@edu/store';
import type { TeachingCopyRepository } from '../domain/ports';
import type { TeachingCopy } from '../domain/teaching';
import type { TeachingCopyDocument } from './teaching-copy.model';

const fromDocument = ({ _id, ...fields }: TeachingCopyDocument): TeachingCopy => ({
  assignmentId: _id,
  ...fields,
});

/**
 * The copy of schedule's assignments. Events of one school come in order on one partition, but
 * a replay delivers them again: a version not newer than the stored one is skipped.
 */
export function createTeachingCopyRepository(copies: Model<TeachingCopyDocument>): TeachingCopyRepository {
  return {
    apply: ({ assignmentId, ...fields }) => putIfNewer(copies, assignmentId, fields),

    async listForTeacherInClass(teacherId, classId) {
      const docs = await copies.find({ teacherId, classId }).limit(200).lean<TeachingCopyDocument[]>();
      return docs.map(fromDocument);
    },
  };
}
