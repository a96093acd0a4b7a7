import { Schema, type Connection } from 'mongoose';
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

const DUPLICATE_KEY = 11000;

/** The directory in reports' own database, one document per school. */
export function createSchoolDirectory(connection: Connection): SchoolDirectory {
  const model = connection.model<DirectorySchoolDocument>('DirectorySchool', schema);

  return {
    async upsertIfNewer({ schoolId, ...card }) {
      try {
        // Matches only an older version (or nothing, then inserts): the version is the guard.
        const result = await model.updateOne(
          { _id: schoolId, version: { $lt: card.version } },
          { $set: { ...card, updatedAt: new Date() } },
          { upsert: true },
        );
        return result.modifiedCount + result.upsertedCount > 0;
      } catch (error) {
        // The upsert tried to insert because the stored version is not older: already applied.
        if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
        throw error;
      }
    },

    async get(schoolId) {
      const doc = await model.findById(schoolId).lean<DirectorySchoolDocument>();
      if (!doc) return null;
      const { _id, updatedAt: _updatedAt, ...card } = doc;
      return { schoolId: _id, ...card };
    },
  };
}
