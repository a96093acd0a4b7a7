import type { Connection } from 'mongoose';
import type { DiarySettings } from '../domain/model';
import type { SettingsRepository } from '../domain/ports';

interface SettingsDoc {
  _id: string;
  showCorrectionReasons: boolean;
  updatedBy: string;
  updatedAt: string;
}

/** How long an instance trusts the settings it read (another instance may have changed them). */
const SETTINGS_TTL_MS = 30_000;

/**
 * A school's diary settings, outside the generations of the model: no event tells them, so a
 * rebuild must not lose them. Every diary read needs them: kept in memory for a while, and
 * replaced at once by this instance's own writes.
 */
export function createSettingsRepository(
  connection: Connection,
  now: () => number = Date.now,
): SettingsRepository {
  const settings = connection.collection<SettingsDoc>('settings');
  const known = new Map<string, { value: DiarySettings; at: number }>();
  const from = (doc: SettingsDoc): DiarySettings => ({
    schoolId: doc._id,
    showCorrectionReasons: doc.showCorrectionReasons,
    updatedBy: doc.updatedBy,
    updatedAt: doc.updatedAt,
  });
  return {
    async get(schoolId) {
      const cached = known.get(schoolId);
      if (cached && now() - cached.at < SETTINGS_TTL_MS) return cached.value;
      const doc = await settings.findOne({ _id: schoolId });
      const value = doc
        ? from(doc)
        : { schoolId, showCorrectionReasons: false, updatedBy: '', updatedAt: '' };
      known.set(schoolId, { value, at: now() });
      return value;
    },
    async put(s) {
      const doc: SettingsDoc = {
        _id: s.schoolId,
        showCorrectionReasons: s.showCorrectionReasons,
        updatedBy: s.updatedBy,
        updatedAt: s.updatedAt,
      };
      await settings.replaceOne({ _id: doc._id }, doc, { upsert: true });
      known.set(doc._id, { value: from(doc), at: now() });
      return from(doc);
    },
  };
}
