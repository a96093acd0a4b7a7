import { Schema, type Connection } from 'mongoose';
import { putIfNewer } from '@edu/store';
import type { DirectorySchool, SchoolDirectory } from '../domain/school-directory';

interface DirectorySchoolDocument extends Omit<DirectorySchool, 'schoolId'> {
  _id: string;
  updatedAt: Date;
}

const schema = new Schema<DirectorySchoolDocument>(
  {
    _id: { type: String, required: true },
    fullName: { type: String, required: true },
    shortName: { type: String, required: true },
    inn: { type: String, required: true },
    timeZone: { type: String, required: true },
    municipalityId: { type: String, default: '' },
    version: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'school_directory', versionKey: false },
);

/** The directory in reports' own database, one document per school. */
export function createSchoolDirectory(connection: Connection): SchoolDirectory {
  const model = connection.model<DirectorySchoolDocument>('DirectorySchool', schema);

  return {
    upsertIfNewer: ({ schoolId, ...card }) => putIfNewer(model, schoolId, { ...card, updatedAt: new Date() }),

    async get(schoolId) {
      const doc = await model.findById(schoolId).lean<DirectorySchoolDocument>();
      if (!doc) return null;
      const { _id, updatedAt: _updatedAt, ...card } = doc;
      return { schoolId: _id, ...card };
    },
  };
}
