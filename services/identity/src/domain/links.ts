import type { KeycloakUsers } from './keycloak-port';
import type { AccountDoc, IdentityFact, LinkedBy, LoginKind } from './model';
import type { Emit, RosterPort, SecurityLog, Tx, UnitRunner } from './ports';

// Units of work may run more than once (a pass that read a document not loaded yet sees null and
// runs again once it is): code inside a unit never throws on a missing document, it returns, and
// the use case decides from the unit's final result.
//
// The link between an account and a person, as every path makes it (ESIA matching, a confirmed
// candidate, an invitation, provisioning, a temporary login): one place that keeps the person's
// index, the actor version, the events, and replaces the person's temporary login.

/** Everything the use cases need; the gRPC handlers pass the call's logger as `log`. */
export interface IdentityDeps {
  runner: UnitRunner;
  emit: Emit;
  roster: RosterPort;
  keycloak: KeycloakUsers;
  now: () => Date;
  newId: () => string;
  log: SecurityLog;
}

export const ACTIVE_TEMPORARY_LOGINS = 'active-temporary-logins';
export const DISABLE_PENDING = 'disable-pending';

export function newAccount(accountId: string, loginKind: LoginKind, now: Date, esiaOid = ''): AccountDoc {
  return {
    _id: accountId,
    personId: '',
    linkedBy: '',
    linkedAt: '',
    esiaOid,
    loginKind,
    version: 1,
    grantIds: [],
    createdAt: now.toISOString(),
  };
}

/** The school a person belongs to in the copy ('' when identity has not seen the person). */
export async function schoolOfPerson(tx: Pick<Tx, 'get'>, personId: string): Promise<string> {
  return (await tx.get('people', personId))?.schoolId ?? '';
}

/** Result of a link made in a unit: the facts, and Keycloak users to disable after the unit. */
export interface LinkOutcome {
  facts: IdentityFact[];
  disable: string[];
}

/**
 * Links the account to the person in the unit (unlinking it from another person first). A link
 * other than a temporary login replaces the person's active temporary logins: they are marked
 * "replaced" here and their Keycloak users are returned to disable after the unit.
 */
export async function linkInUnit(
  tx: Tx,
  input: { accountId: string; personId: string; linkedBy: LinkedBy; schoolId?: string; now: Date },
): Promise<LinkOutcome> {
  const { accountId, personId, linkedBy, now } = input;
  const account = await tx.get('accounts', accountId);
  const facts: IdentityFact[] = [];
  const disable: string[] = [];
  // Not loaded yet in this pass (the unit runs again once it is), or already this person's.
  if (!account || account.personId === personId) return { facts, disable };
  if (account.personId) facts.push(...(await unlinkInUnit(tx, account, 'relinked')));
  const current = (await tx.get('accounts', accountId)) ?? account;
  tx.put('accounts', {
    ...current,
    personId,
    linkedBy,
    linkedAt: now.toISOString(),
    version: current.version + 1,
  });
  const index = (await tx.get('personAccounts', personId)) ?? { _id: personId, accountIds: [] };
  if (!index.accountIds.includes(accountId)) {
    tx.put('personAccounts', { ...index, accountIds: [...index.accountIds, accountId] });
  }
  const schoolId = input.schoolId || (await schoolOfPerson(tx, personId));
  if (linkedBy !== 'temporary') {
    facts.push({ kind: 'accountLinked', accountId, personId, schoolId, linkedBy });
    const replaced = await replaceTemporaryLogins(tx, personId, now);
    facts.push(...replaced.facts);
    disable.push(...replaced.disable);
  }
  return { facts, disable };
}

/** Ends the account's link (the account stays, with its grants). */
export async function unlinkInUnit(tx: Tx, account: AccountDoc, reason: string): Promise<IdentityFact[]> {
  if (!account.personId) return [];
  const personId = account.personId;
  tx.put('accounts', { ...account, personId: '', linkedBy: '', linkedAt: '', version: account.version + 1 });
  const index = await tx.get('personAccounts', personId);
  if (index)
    tx.put('personAccounts', { ...index, accountIds: index.accountIds.filter((id) => id !== account._id) });
  return [
    {
      kind: 'accountUnlinked',
      accountId: account._id,
      personId,
      schoolId: await schoolOfPerson(tx, personId),
      reason,
    },
  ];
}

/** Active temporary logins of the person become "replaced" (the student's own account is linked). */
async function replaceTemporaryLogins(tx: Tx, personId: string, now: Date): Promise<LinkOutcome> {
  const active = await tx.get('meta', ACTIVE_TEMPORARY_LOGINS);
  const facts: IdentityFact[] = [];
  const disable: string[] = [];
  const remaining: string[] = [];
  for (const id of active?.ids ?? []) {
    const login = await tx.get('temporaryLogins', id);
    if (!login || login.status !== 'active') continue;
    if (login.studentId !== personId) {
      remaining.push(id);
      continue;
    }
    tx.put('temporaryLogins', { ...login, status: 'replaced', endedAt: now.toISOString() });
    disable.push(login.accountId);
    facts.push({
      kind: 'temporaryLoginRevoked',
      temporaryLoginId: login._id,
      accountId: login.accountId,
      studentId: login.studentId,
      schoolId: login.schoolId,
      reason: 'esia_linked',
    });
  }
  if (disable.length > 0) {
    tx.put('meta', { _id: ACTIVE_TEMPORARY_LOGINS, ids: remaining });
    const pending = (await tx.get('meta', DISABLE_PENDING))?.ids ?? [];
    tx.put('meta', { _id: DISABLE_PENDING, ids: [...new Set([...pending, ...disable])] });
  }
  return { facts, disable };
}

/**
 * Disables Keycloak users after a unit decided so; each success leaves the `disable-pending` list
 * (the temporary-login timer retries what failed).
 */
export async function disableUsers(deps: IdentityDeps, userIds: string[]): Promise<void> {
  const done: string[] = [];
  for (const id of userIds) {
    try {
      await deps.keycloak.setEnabled(id, false);
      done.push(id);
    } catch (error) {
      deps.log.error({ err: error, accountId: id }, 'disabling a keycloak user failed; retried later');
    }
  }
  if (done.length === 0) return;
  await deps.runner.unit(async (tx) => {
    const pending = await tx.get('meta', DISABLE_PENDING);
    if (pending) tx.put('meta', { ...pending, ids: (pending.ids ?? []).filter((id) => !done.includes(id)) });
  });
}

/** Emits every fact in the unit. */
export function emitAll(deps: Pick<IdentityDeps, 'emit'>, tx: Tx, facts: IdentityFact[]): void {
  for (const fact of facts) deps.emit(tx, fact);
}

/** The account, created (no person, no grants) when the service has not seen it. */
export async function ensureAccount(
  tx: Tx,
  accountId: string,
  loginKind: LoginKind,
  now: Date,
  esiaOid = '',
): Promise<AccountDoc> {
  const existing = await tx.get('accounts', accountId);
  if (existing) return existing;
  const account = newAccount(accountId, loginKind, now, esiaOid);
  tx.put('accounts', account);
  return account;
}

export type { RosterPort };
