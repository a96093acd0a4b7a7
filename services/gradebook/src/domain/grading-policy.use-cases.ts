import { conflict } from '@edu/kit';
import { validatePolicy, type GradingPolicy } from './grading-policy';
import { hasRoleIn, isSchoolHead } from './journal-policy';
import { effectivePolicy } from './lesson-record.use-cases';
import type { Authorize, PolicyRepository, RequestContext } from './ports';

/** The policy changed since it was read (also the store's answer to a lost race). */
export function policyVersionConflict(): Error {
  return conflict(
    'policy.version_conflict',
    'Политику оценивания уже изменили: обновите страницу и повторите',
  );
}

export interface PolicyDeps {
  policies: PolicyRepository;
  authorize: Authorize;
  now: () => Date;
}

/** Anyone with a role in the school reads its policy (teachers enter marks by it). */
export async function getPolicy(
  deps: PolicyDeps,
  ctx: RequestContext,
  schoolId: string,
): Promise<GradingPolicy> {
  deps.authorize(ctx.actor, hasRoleIn(ctx.actor, schoolId), {
    action: 'read',
    object: `grading-policy:${schoolId}`,
  });
  return effectivePolicy(deps.policies, schoolId);
}

/**
 * The director or a deputy sets the school's policy as a whole, by version. Marks already posted
 * keep the weight they were posted with; a work type in use is deactivated, never removed.
 */
export async function setPolicy(
  deps: PolicyDeps,
  ctx: RequestContext,
  input: { policy: Omit<GradingPolicy, 'updatedBy' | 'updatedAt' | 'version'>; expectedVersion: number },
): Promise<GradingPolicy> {
  const schoolId = input.policy.schoolId;
  deps.authorize(ctx.actor, isSchoolHead(ctx.actor, schoolId), {
    action: 'set',
    object: `grading-policy:${schoolId}`,
  });
  const current = await effectivePolicy(deps.policies, schoolId);
  if (current.version !== input.expectedVersion) throw policyVersionConflict();
  // Work types are referenced by posted marks: a dropped one is kept, inactive.
  const given = new Set(input.policy.workTypes.map((w) => w.key));
  const kept = current.workTypes.filter((w) => !given.has(w.key)).map((w) => ({ ...w, active: false }));
  const policy: GradingPolicy = {
    ...input.policy,
    workTypes: [...input.policy.workTypes, ...(current.version === 0 ? [] : kept)],
    updatedBy: ctx.actor.personId ?? ctx.actor.accountId,
    updatedAt: deps.now().toISOString(),
    version: current.version + 1,
  };
  validatePolicy(policy);
  await deps.policies.save(
    policy,
    current.version,
    [
      {
        type: 'edu.gradebook.policy.set',
        schoolId,
        aggregateId: schoolId,
        aggregateVersion: policy.version,
        payload: { policy },
      },
    ],
    ctx,
  );
  return policy;
}
