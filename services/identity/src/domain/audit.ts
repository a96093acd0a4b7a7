import type { Actor } from '@edu/grpc';
import type { KeycloakLoginEvent } from './keycloak-port';
import type { IdentityDeps } from './links';
import { emptySchool, type LoginAuditDoc } from './model';
import { authorize, isSchoolAdmin } from './policy';

// The login audit (R1.7): Keycloak's LOGIN and LOGIN_ERROR events, polled and kept with the
// account's person and school when the account is known. Schools see entries of accounts linked
// to their people only: a failed login for a username nobody has is never shown, so the audit
// does not tell whether a username exists.

export const LOGIN_AUDIT_META = 'login-audit';
/** Entries kept per school's index (newest). */
export const AUDIT_PER_SCHOOL = 5_000;
const BATCH = 500;

/** One poll: reads events after the last seen time, stores the new ones; how many were stored. */
export async function pollLoginAudit(deps: IdentityDeps): Promise<number> {
  const meta = await deps.runner.get('meta', LOGIN_AUDIT_META);
  // One millisecond back: events of the last seen millisecond may have come after the last poll.
  const since = Math.max(0, (meta?.sinceMs ?? 0) - 1);
  const events = await deps.keycloak.loginEvents(since, BATCH);
  if (events.length === 0) return 0;
  let stored = 0;
  await deps.runner.unit(async (tx) => {
    stored = 0;
    let latest = meta?.sinceMs ?? 0;
    for (const event of events) {
      latest = Math.max(latest, event.time);
      if (await tx.get('loginAudit', event.id)) continue;
      const entry = await entryOf(tx, event);
      tx.put('loginAudit', entry);
      stored += 1;
      for (const schoolId of entry.schoolId ? [entry.schoolId] : []) {
        const school = (await tx.get('schools', schoolId)) ?? emptySchool(schoolId);
        tx.put('schools', {
          ...school,
          auditEntryIds: [...school.auditEntryIds, entry._id].slice(-AUDIT_PER_SCHOOL),
        });
      }
    }
    tx.put('meta', { _id: LOGIN_AUDIT_META, sinceMs: latest });
  });
  return stored;
}

async function entryOf(
  tx: Parameters<Parameters<IdentityDeps['runner']['unit']>[0]>[0],
  event: KeycloakLoginEvent,
): Promise<LoginAuditDoc> {
  const account = event.userId ? await tx.get('accounts', event.userId) : null;
  const person = account?.personId ? await tx.get('people', account.personId) : null;
  const method =
    event.identityProvider === 'esia'
      ? 'esia'
      : account?.loginKind === 'temporary'
        ? 'temporary'
        : 'password';
  return {
    _id: event.id,
    accountId: account ? account._id : '',
    personId: account?.personId ?? '',
    schoolId: person?.schoolId ?? '',
    kind: event.type === 'LOGIN' ? 'login' : 'login_error',
    at: new Date(event.time).toISOString(),
    method,
    error: event.error,
    ipAddress: event.ipAddress,
  };
}

export async function listLoginAudit(
  deps: IdentityDeps,
  actor: Actor,
  input: { schoolId: string; accountId: string; limit: number },
): Promise<LoginAuditDoc[]> {
  authorize(deps.log, actor, isSchoolAdmin(actor, input.schoolId), {
    action: 'login_audit.list',
    object: `school:${input.schoolId}`,
  });
  const limit = input.limit > 0 ? Math.min(input.limit, 500) : 100;
  const school = await deps.runner.get('schools', input.schoolId);
  const entries = await deps.runner.getMany('loginAudit', school?.auditEntryIds ?? []);
  return entries
    .filter((e) => e.accountId && (!input.accountId || e.accountId === input.accountId))
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, limit);
}
