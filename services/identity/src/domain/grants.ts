import { invalid, notFound, precondition, type FieldError } from '@edu/kit';
import type { Actor } from '@edu/grpc';
import { ensureAccount, type IdentityDeps } from './links';
import { REGION_KEY, STAFF_ROLES, type GrantDoc, type GrantRole, type StaffRole } from './model';
import { authorize, isRegionOperator } from './policy';
import type { Tx } from './ports';

// Explicit grants (region operator only): schoolAdmin of a school, municipalOfficer of a
// municipality (or region-wide with no scope), regionOperator, or a staff role of a school with a
// reason (an acting appointment before roster has the order). Giving a grant that is already
// active returns it unchanged.

const GRANT_ROLES: readonly string[] = ['schoolAdmin', 'municipalOfficer', 'regionOperator', ...STAFF_ROLES];

/** The scope key a grant is listed under (and its events' record key). */
export const scopeKey = (scopeId: string) => scopeId || REGION_KEY;

/** The record key of a grant's events: the school for school roles, else "region". */
export const grantEventKey = (grant: Pick<GrantDoc, 'role' | 'scopeId'>) =>
  grant.role === 'schoolAdmin' || STAFF_ROLES.includes(grant.role as StaffRole) ? grant.scopeId : REGION_KEY;

export function validateGrant(input: {
  accountId: string;
  role: string;
  scopeId: string;
  reason: string;
}): void {
  const errors: FieldError[] = [];
  if (!input.accountId.trim()) errors.push({ field: 'accountId', message: 'Укажите учётную запись' });
  if (!GRANT_ROLES.includes(input.role)) {
    errors.push({ field: 'role', message: 'Неизвестная роль' });
  } else if (input.role === 'regionOperator' && input.scopeId) {
    errors.push({ field: 'scopeId', message: 'Роль оператора региона не ограничивается школой' });
  } else if (
    (input.role === 'schoolAdmin' || STAFF_ROLES.includes(input.role as StaffRole)) &&
    !input.scopeId.trim()
  ) {
    errors.push({ field: 'scopeId', message: 'Укажите школу' });
  }
  if (STAFF_ROLES.includes(input.role as StaffRole) && !input.reason.trim()) {
    errors.push({
      field: 'reason',
      message: 'Укажите основание (например, приказ о временном исполнении обязанностей)',
    });
  }
  if (input.reason.length > 300) errors.push({ field: 'reason', message: 'Не более 300 символов' });
  if (errors.length > 0) throw invalid('identity.invalid', 'Проверьте заполнение полей', errors);
}

/** Gives (or finds) the grant in a unit; whether it is new. */
export async function giveGrantInUnit(
  deps: Pick<IdentityDeps, 'emit' | 'newId'>,
  tx: Tx,
  input: {
    accountId: string;
    role: GrantRole;
    scopeId: string;
    reason: string;
    givenBy: string;
    now: Date;
    grantId: string;
  },
): Promise<GrantDoc> {
  const account = await ensureAccount(tx, input.accountId, 'password', input.now);
  for (const id of account.grantIds) {
    const grant = await tx.get('grants', id);
    if (grant && grant.status === 'active' && grant.role === input.role && grant.scopeId === input.scopeId)
      return grant;
  }
  const grant: GrantDoc = {
    _id: input.grantId,
    accountId: input.accountId,
    role: input.role,
    scopeId: input.scopeId,
    reason: input.reason,
    status: 'active',
    givenAt: input.now.toISOString(),
    givenBy: input.givenBy,
    revokedAt: '',
    revokedBy: '',
    revokeReason: '',
  };
  tx.put('grants', grant);
  tx.put('accounts', {
    ...account,
    grantIds: [...account.grantIds, grant._id],
    version: account.version + 1,
  });
  const key = scopeKey(input.scopeId);
  const scope = (await tx.get('scopeGrants', key)) ?? { _id: key, grantIds: [] };
  tx.put('scopeGrants', { ...scope, grantIds: [...scope.grantIds, grant._id] });
  deps.emit(tx, {
    kind: 'grantGiven',
    grantId: grant._id,
    accountId: grant.accountId,
    role: grant.role,
    scopeId: grant.scopeId,
    schoolId: grantEventKey(grant),
  });
  return grant;
}

export async function giveGrant(
  deps: IdentityDeps,
  actor: Actor,
  input: { accountId: string; role: string; scopeId: string; reason: string },
): Promise<GrantDoc> {
  authorize(deps.log, actor, isRegionOperator(actor), {
    action: 'grant.give',
    object: `account:${input.accountId}`,
  });
  const clean = { ...input, scopeId: input.scopeId.trim(), reason: input.reason.trim() };
  validateGrant(clean);
  if (
    !(await deps.runner.get('accounts', clean.accountId)) &&
    !(await deps.keycloak.getUser(clean.accountId))
  ) {
    throw notFound('identity.not_found', 'Учётная запись не найдена');
  }
  const now = deps.now();
  const grantId = deps.newId();
  const grant = await deps.runner.unit((tx) =>
    giveGrantInUnit(deps, tx, {
      ...clean,
      role: clean.role as GrantRole,
      givenBy: actor.accountId,
      now,
      grantId,
    }),
  );
  deps.log.info(
    { event: 'grant_given', grantId: grant._id, accountId: grant.accountId, by: actor.accountId },
    'grant given',
  );
  return grant;
}

export async function revokeGrant(
  deps: IdentityDeps,
  actor: Actor,
  input: { grantId: string; reason: string },
): Promise<GrantDoc> {
  authorize(deps.log, actor, isRegionOperator(actor), {
    action: 'grant.revoke',
    object: `grant:${input.grantId}`,
  });
  const grant = await deps.runner.get('grants', input.grantId);
  if (!grant) throw notFound('identity.not_found', 'Право не найдено');
  if (grant.status !== 'active') throw precondition('identity.grant_revoked', 'Право уже отозвано');
  const now = deps.now();
  const revoked = await deps.runner.unit(async (tx) => {
    const current = (await tx.get('grants', grant._id)) ?? grant;
    const next: GrantDoc = {
      ...current,
      status: 'revoked',
      revokedAt: now.toISOString(),
      revokedBy: actor.accountId,
      revokeReason: input.reason.trim(),
    };
    tx.put('grants', next);
    const account = await tx.get('accounts', grant.accountId);
    if (account) tx.put('accounts', { ...account, version: account.version + 1 });
    deps.emit(tx, {
      kind: 'grantRevoked',
      grantId: next._id,
      accountId: next.accountId,
      role: next.role,
      scopeId: next.scopeId,
      schoolId: grantEventKey(next),
    });
    return next;
  });
  deps.log.info({ event: 'grant_revoked', grantId: grant._id, by: actor.accountId }, 'grant revoked');
  return revoked;
}

/** Grants of an account, or of a scope (school, municipality; '' = region-wide) when no account is given. */
export async function listGrants(
  deps: IdentityDeps,
  actor: Actor,
  input: { accountId: string; scopeId: string },
): Promise<GrantDoc[]> {
  authorize(deps.log, actor, isRegionOperator(actor), {
    action: 'grant.list',
    object: input.accountId ? `account:${input.accountId}` : `scope:${scopeKey(input.scopeId)}`,
  });
  let ids: string[];
  if (input.accountId) ids = (await deps.runner.get('accounts', input.accountId))?.grantIds ?? [];
  else ids = (await deps.runner.get('scopeGrants', scopeKey(input.scopeId)))?.grantIds ?? [];
  const grants = await deps.runner.getMany('grants', ids);
  return grants.filter((g) => !input.accountId || !input.scopeId || g.scopeId === input.scopeId);
}

/**
 * Bootstrap grants from config (`user=regionOperator,admin=schoolAdmin@<schoolId>`), applied at
 * start by username; users Keycloak does not know are skipped with a warning.
 */
export function parseBootstrapGrants(text: string): { username: string; role: GrantRole; scopeId: string }[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [username = '', grant = ''] = part.split('=').map((s) => s.trim());
      const [role = '', scopeId = ''] = grant.split('@').map((s) => s.trim());
      if (!username || !GRANT_ROLES.includes(role)) throw new Error(`bad bootstrap grant "${part}"`);
      validateGrant({ accountId: username, role, scopeId, reason: 'bootstrap' });
      return { username, role: role as GrantRole, scopeId };
    });
}

export async function applyBootstrapGrants(deps: IdentityDeps, text: string): Promise<number> {
  let given = 0;
  for (const entry of parseBootstrapGrants(text)) {
    const user = await deps.keycloak.findByUsername(entry.username);
    if (!user) {
      deps.log.warn(
        { event: 'bootstrap_grant_skipped', username: entry.username },
        'bootstrap grant: no such user',
      );
      continue;
    }
    const now = deps.now();
    const grantId = deps.newId();
    const grant = await deps.runner.unit((tx) =>
      giveGrantInUnit(deps, tx, {
        accountId: user.id,
        role: entry.role,
        scopeId: entry.scopeId,
        reason: 'Начальная настройка (EDU_IDENTITY_BOOTSTRAP_GRANTS)',
        givenBy: 'bootstrap',
        now,
        grantId,
      }),
    );
    if (grant._id === grantId) given += 1;
  }
  return given;
}
