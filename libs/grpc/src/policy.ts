import { forbidden, type Logger } from '@edu/kit';
import type { Actor } from './actor';

/** What is being attempted on what, for the security log (ids only, never personal data). */
export interface AccessAttempt {
  /** e.g. `mark.post`, `school.update`. */
  action: string;
  /** e.g. `school:4f1c…`, `lesson:91ab…`. */
  object: string;
  logger: Logger;
}

/** Refuses with a forbidden DomainError unless `allowed`, logging the denial as a security event. */
export function authorize(actor: Actor, allowed: boolean, { action, object, logger }: AccessAttempt): void {
  if (allowed) return;
  logger.warn({ event: 'access_denied', accountId: actor.accountId, action, object }, 'access denied');
  throw forbidden('access.denied', 'Недостаточно прав для этого действия');
}

/** True when the actor holds the explicit grant, e.g. `regionOperator` or `schoolAdmin:<schoolId>`. */
export function hasGrant(actor: Actor, grant: string): boolean {
  return actor.grants.includes(grant);
}

/** True when the actor holds one of `roles` in the school; with no roles given, any role there. */
export function hasSchoolRole(actor: Actor, schoolId: string, ...roles: string[]): boolean {
  return actor.schoolRoles.some(
    (schoolRole) =>
      schoolRole.schoolId === schoolId && (roles.length === 0 || roles.includes(schoolRole.role)),
  );
}
