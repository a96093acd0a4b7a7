import { saveVersioned, type VersionedSaveOptions } from '@edu/events';
import type { Model } from 'mongoose';
import type { GradebookFact, PeriodMark, PeriodMarkRepository, RequestContext } from '../domain/ports';
import { periodMarkVersionConflict } from '../domain/period-mark.use-cases';
import { gradebookEnvelopes } from './gradebook-events';
import { fromDocument, toDocument, toPeriodMarkState } from './period-mark.mapper';
import type { PeriodMarkDocument } from './period-mark.model';

/** Ids per `_id $in` read: a class's marks of a year can be thousands of computed ids. */
const IDS_PER_READ = 500;

export interface PeriodMarkRepositoryOptions extends VersionedSaveOptions {
  onEventsWritten: () => void;
}

/**
 * Period marks in `period_marks`, read only by `_id`; a mark and its events are one document
 * write (outbox). Every fact's payload gets the mark's state as `period_mark` here, so the domain
 * names only what else the event says (the previous value and the reason of a correction).
 */
export function createPeriodMarkRepository(
  marks: Model<PeriodMarkDocument>,
  { onEventsWritten, ...options }: PeriodMarkRepositoryOptions,
): PeriodMarkRepository {
  const envelopes = (mark: PeriodMark, facts: GradebookFact[], ctx: RequestContext) =>
    gradebookEnvelopes(
      facts.map((fact) => ({ ...fact, payload: { period_mark: toPeriodMarkState(mark), ...fact.payload } })),
      ctx,
    );

  return {
    async get(id) {
      const doc = await marks.findById(id).lean<PeriodMarkDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async getMany(ids) {
      const unique = [...new Set(ids)];
      const found: PeriodMark[] = [];
      for (let i = 0; i < unique.length; i += IDS_PER_READ) {
        const docs = await marks
          .find({ _id: { $in: unique.slice(i, i + IDS_PER_READ) } })
          .lean<PeriodMarkDocument[]>();
        found.push(...docs.map(fromDocument));
      }
      return found;
    },

    async save(mark, expectedVersion, facts, ctx) {
      await saveVersioned(
        marks,
        toDocument(mark),
        expectedVersion,
        envelopes(mark, facts, ctx),
        options,
        periodMarkVersionConflict,
      );
      onEventsWritten();
    },
  };
}
