import { putIfNewer } from '@edu/store';
import type { CalendarWarning, CalendarWarningRepository } from '../domain/ports';
import type { CalendarWarningModels } from './calendar-warning.model';

const DUPLICATE_KEY = 11000;

/** Calendar warnings and the transfers already looked at, in schedule's own database. */
export function createCalendarWarningRepository(models: CalendarWarningModels): CalendarWarningRepository {
  return {
    async seenTransfers(academicYearId) {
      const doc = await models.seen.findById(academicYearId).lean();
      return doc
        ? {
            transfers: doc.transfers.map((t) => ({ date: t.date, worksAs: t.worksAs })),
            version: doc.version,
          }
        : null;
    },

    async record(warnings, seen) {
      for (const warning of warnings) {
        // The first warning of a day stays; a repeat (a retried event) is no error.
        if (await models.warnings.exists({ _id: warning.id })) continue;
        const { id, ...fields } = warning;
        try {
          await models.warnings.create({ _id: id, ...fields, createdAt: new Date() });
        } catch (error) {
          if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
        }
      }
      await putIfNewer(models.seen, seen.academicYearId, {
        schoolId: seen.schoolId,
        transfers: seen.transfers,
        version: seen.version,
        updatedAt: new Date(),
      });
    },

    async listByYear(schoolId, academicYearId) {
      const docs = await models.warnings.find({ schoolId, academicYearId }).limit(1_000).lean();
      return docs.map((doc): CalendarWarning => ({
        id: doc._id,
        schoolId: doc.schoolId,
        academicYearId: doc.academicYearId,
        code: 'calendar.transfer_late_notice',
        date: doc.date,
        worksAs: doc.worksAs,
        announcedAt: doc.announcedAt,
        workingDaysAhead: doc.workingDaysAhead,
        message: doc.message,
      }));
    },
  };
}
