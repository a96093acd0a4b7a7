import type { Model } from 'mongoose';
import { saveVersioned } from '@edu/events';
import { policyVersionConflict } from '../domain/grading-policy.use-cases';
import type { PolicyRepository } from '../domain/ports';
import { gradebookEnvelopes } from './gradebook-events';
import type { RepositoryOptions } from './lesson-record.repository';
import { fromDocument, toDocument, toPolicyState } from './policy.mapper';
import type { GradingPolicy } from '../domain/grading-policy';
import type { PolicyDocument } from './policy.model';

/** Schools' grading policies, one document each with its events. */
export function createPolicyRepository(
  policies: Model<PolicyDocument>,
  { onEventsWritten, ...options }: RepositoryOptions,
): PolicyRepository {
  return {
    async get(schoolId) {
      const doc = await policies.findById(schoolId).lean<PolicyDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async save(policy, expectedVersion, facts, ctx) {
      await saveVersioned(
        policies,
        toDocument(policy, new Date()),
        expectedVersion,
        gradebookEnvelopes(
          facts.map((fact) => ({
            ...fact,
            payload: { policy: toPolicyState(fact.payload.policy as GradingPolicy) },
          })),
          ctx,
        ),
        options,
        policyVersionConflict,
      );
      onEventsWritten();
    },
  };
}
