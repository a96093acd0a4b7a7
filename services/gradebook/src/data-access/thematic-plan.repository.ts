import { saveVersioned, type VersionedSaveOptions } from '@edu/events';
import type { Model } from 'mongoose';
import type { ThematicPlanRepository } from '../domain/ports';
import { planVersionConflict } from '../domain/thematic-plan.use-cases';
import { gradebookEnvelopes } from './gradebook-events';
import { fromDocument, toDocument } from './thematic-plan.mapper';
import type { ThematicPlanDocument } from './thematic-plan.model';

export interface ThematicPlanRepositoryOptions extends VersionedSaveOptions {
  onEventsWritten: () => void;
}

/** Plans by course id; a plan and its events are one document write (outbox), checked by version. */
export function createThematicPlanRepository(
  plans: Model<ThematicPlanDocument>,
  { onEventsWritten, ...options }: ThematicPlanRepositoryOptions,
): ThematicPlanRepository {
  return {
    async get(courseId) {
      const doc = await plans.findById(courseId).lean<ThematicPlanDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async save(plan, expectedVersion, facts, ctx) {
      await saveVersioned(
        plans,
        toDocument(plan),
        expectedVersion,
        gradebookEnvelopes(facts, ctx),
        options,
        planVersionConflict,
      );
      onEventsWritten();
    },
  };
}
