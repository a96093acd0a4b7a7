import { forbidden } from '@edu/kit';
import type { Actor } from '@edu/grpc';
import type { SecurityLog } from './ports';

// Who may do what in identity: deny by default; every refusal is a security event (ids only).

export const GATEWAY_GRANT = 'service:gateway';

export const isRegionOperator = (actor: Actor) => actor.grants.includes('regionOperator');
export const isGateway = (actor: Actor) => actor.grants.includes(GATEWAY_GRANT);

/** School admin of the school: grant `schoolAdmin:<id>` (also seen as the role `schoolAdmin`). */
export function isSchoolAdmin(actor: Actor, schoolId: string): boolean {
  if (!schoolId) return false;
  return (
    actor.grants.includes(`schoolAdmin:${schoolId}`) ||
    actor.schoolRoles.some((r) => r.schoolId === schoolId && r.role === 'schoolAdmin')
  );
}

/** School admin or the director: who may read the school's identity lists. */
export function maySeeSchoolLists(actor: Actor, schoolId: string): boolean {
  return (
    isSchoolAdmin(actor, schoolId) ||
    actor.schoolRoles.some((r) => r.schoolId === schoolId && r.role === 'director')
  );
}

/** Refuses with `identity.forbidden` unless allowed, logging the denial (no personal data). */
export function authorize(
  log: SecurityLog,
  actor: Actor,
  allowed: boolean,
  what: { action: string; object: string },
): void {
  if (allowed) return;
  log.warn(
    { event: 'access_denied', accountId: actor.accountId, action: what.action, object: what.object },
    'access denied',
  );
  throw forbidden('identity.forbidden', 'Недостаточно прав для этого действия');
}
