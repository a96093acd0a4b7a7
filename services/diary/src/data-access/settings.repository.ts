import type { Connection } from 'mongoose';
import type { DiarySettings } from '../domain/model';
import type { SettingsRepository } from '../domain/ports';

interface SettingsDoc {
  _id: string;
  showCorrectionReasons: boolean;
  updatedBy: string;
  updatedAt: string;
}

/**
 * A school's diary settings, outside the generations of the model: no event tells them, so a
 * rebuild must not lose them.
 */
export function createSettingsRepository(connection: Connection): SettingsRepository {
  const settings = connection.collection<SettingsDoc>('settings');
  const from = (doc: SettingsDoc): DiarySettings => ({
    schoolId: doc._id,
    showCorrectionReasons: doc.showCorrectionReasons,
    updatedBy: doc.updatedBy,
    updatedAt: doc.updatedAt,
  });
  return {
    async get(schoolId) {
      const doc = await settings.findOne({ _id: schoolId });
      return doc ? from(doc) : { schoolId, showCorrectionReasons: false, updatedBy: '', updatedAt: '' };
    },
    async put(s) {
      const doc: SettingsDoc = {
        _id: s.schoolId,
        showCorrectionReasons: s.showCorrectionReasons,
        updatedBy: s.updatedBy,
        updatedAt: s.updatedAt,
      };
      await settings.replaceOne({ _id: doc._id }, doc, { upsert: true });
      return from(doc);
    },
  };
}
