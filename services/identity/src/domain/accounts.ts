import { createHash, randomBytes } from 'node:crypto';
import { invalid, notFound, precondition, type FieldError } from '@edu/kit';
import type { Actor } from '@edu/grpc';
import { actorOf, bareActor, type ResolvedActor } from './actor';
import { putGuardianshipCopy } from './esia-linking';
import { disableUsers, emitAll, ensureAccount, linkInUnit, unlinkInUnit, type IdentityDeps } from './links';
import type { AccountDoc, CandidateDoc, InvitationDoc, LinkedBy } from './model';
import { authorize, isRegionOperator, isSchoolAdmin, maySeeSchoolLists } from './policy';

// The caller's own account (GetMe), link candidates, invitations and direct links.

export interface ChildView {
  personId: string;
  schoolId: string;
  displayName: string;
  kind: string;
  consentActive: boolean;
}

export interface MeView extends ResolvedActor {
  displayName: string;
  children: ChildView[];
  loginKind: string;
  esiaTrusted: boolean;
}

/** Invitation codes live this long. */
export const INVITATION_TTL_DAYS = 14;
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export const hashCode = (code: string) =>
  createHash('sha256').update(code.trim().toUpperCase().replace(/[\s-]/g, '')).digest('hex');

/** A random code of `length` characters from an alphabet without look-alikes. */
export function randomCode(length: number, alphabet = CODE_ALPHABET): string {
  const bytes = randomBytes(length);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

function required(fields: Record<string, string>, messages: Record<string, string>): void {
  const errors: FieldError[] = Object.entries(fields)
    .filter(([, value]) => !value.trim())
    .map(([field]) => ({ field, message: messages[field] ?? 'Обязательное поле' }));
  if (errors.length > 0) throw invalid('identity.invalid', 'Проверьте заполнение полей', errors);
}

/** GetMe: the caller's own account, roles and children. */
export async function getMe(deps: IdentityDeps, actor: Actor): Promise<MeView> {
  const account = await deps.runner.get('accounts', actor.accountId);
  const resolved = account ? await actorOf(deps.runner, account) : bareActor(actor.accountId);
  const person = account?.personId ? await deps.runner.get('people', account.personId) : null;
  const children: ChildView[] = [];
  for (const link of await deps.runner.getMany('guardianships', person?.guardianIds ?? [])) {
    if (link.status !== 'active') continue;
    const child = await deps.runner.get('people', link.studentId);
    children.push({
      personId: link.studentId,
      schoolId: link.schoolId,
      displayName: child?.displayName ?? '',
      kind: link.kind,
      consentActive: link.consentActive,
    });
  }
  const profile = account?.esiaOid ? await deps.runner.get('esiaProfiles', account.esiaOid) : null;
  return {
    ...resolved,
    displayName: person?.displayName ?? '',
    children,
    loginKind: account?.loginKind ?? 'password',
    esiaTrusted: account?.loginKind === 'esia' && (profile?.profile?.trusted ?? false),
  };
}

export async function listLinkCandidates(
  deps: IdentityDeps,
  actor: Actor,
  schoolId: string,
): Promise<CandidateDoc[]> {
  authorize(deps.log, actor, maySeeSchoolLists(actor, schoolId), {
    action: 'candidate.list',
    object: `school:${schoolId}`,
  });
  const school = await deps.runner.get('schools', schoolId);
  const candidates = await deps.runner.getMany('candidates', school?.candidateIds ?? []);
  return candidates
    .filter((c) => c.status === 'pending')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function decideLinkCandidate(
  deps: IdentityDeps,
  actor: Actor,
  input: { candidateId: string; decision: string },
): Promise<CandidateDoc> {
  const candidate = await deps.runner.get('candidates', input.candidateId);
  if (!candidate) {
    authorize(deps.log, actor, false, {
      action: 'candidate.decide',
      object: `candidate:${input.candidateId}`,
    });
    throw notFound('identity.not_found', 'Кандидат на привязку не найден');
  }
  authorize(deps.log, actor, isSchoolAdmin(actor, candidate.schoolId), {
    action: 'candidate.decide',
    object: `candidate:${candidate._id}`,
  });
  if (input.decision !== 'confirm' && input.decision !== 'reject') {
    throw invalid('identity.invalid', 'Укажите решение: подтвердить или отклонить', [
      { field: 'decision', message: 'Допустимые значения: confirm, reject' },
    ]);
  }
  if (candidate.status !== 'pending') {
    throw precondition('identity.candidate_decided', 'По этому кандидату решение уже принято');
  }
  const now = deps.now();
  if (input.decision === 'confirm' && candidate.kind === 'child') {
    const link = await deps.roster.linkGuardian({
      studentId: candidate.personId,
      guardianId: candidate.guardianId,
      kind: 'legal_representative',
    });
    await deps.runner.unit((tx) => putGuardianshipCopy(tx, link));
  }
  let disable: string[] = [];
  const decided = await deps.runner.unit(async (tx) => {
    const current = (await tx.get('candidates', candidate._id)) ?? candidate;
    const next: CandidateDoc = {
      ...current,
      status: input.decision === 'confirm' ? 'confirmed' : 'rejected',
      decidedAt: now.toISOString(),
      decidedBy: actor.accountId,
    };
    tx.put('candidates', next);
    disable = [];
    if (input.decision === 'confirm' && current.kind === 'self') {
      const outcome = await linkInUnit(tx, {
        accountId: current.accountId,
        personId: current.personId,
        linkedBy: 'candidate',
        schoolId: current.schoolId,
        now,
      });
      emitAll(deps, tx, outcome.facts);
      disable = outcome.disable;
    }
    if (input.decision === 'confirm' && current.kind === 'child') {
      const account = await tx.get('accounts', current.accountId);
      if (account) {
        tx.put('accounts', { ...account, version: account.version + 1 });
        deps.emit(tx, { kind: 'actorChanged', accountId: account._id, schoolId: current.schoolId });
      }
    }
    return next;
  });
  if (disable.length > 0) await disableUsers(deps, disable);
  return decided;
}

/**
 * A one-time code linking whoever redeems it to the person: the school admin of the school
 * (class teachers are not told apart yet: identity keeps no class copy).
 */
export async function issueInvitation(
  deps: IdentityDeps,
  actor: Actor,
  input: { personId: string; schoolId: string },
): Promise<{ invitation: InvitationDoc; code: string }> {
  authorize(deps.log, actor, isSchoolAdmin(actor, input.schoolId), {
    action: 'invitation.issue',
    object: `school:${input.schoolId}`,
  });
  const person = await deps.runner.get('people', input.personId);
  if (!person || person.status !== 'active' || !['student', 'guardian'].includes(person.kind)) {
    throw notFound('identity.not_found', 'Ученик или родитель не найден');
  }
  if (
    person.kind === 'student'
      ? person.schoolId !== input.schoolId && !(await enrolledIn(deps, person.enrolmentIds, input.schoolId))
      : !(await guardsIn(deps, person.guardianIds, input.schoolId)) && person.schoolId !== input.schoolId
  ) {
    throw notFound('identity.not_found', 'Ученик или родитель не найден в этой школе');
  }
  const code = randomCode(10);
  const now = deps.now();
  const invitation: InvitationDoc = {
    _id: hashCode(code),
    invitationId: deps.newId(),
    personId: input.personId,
    schoolId: input.schoolId,
    issuedBy: actor.accountId,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000).toISOString(),
    redeemedBy: '',
    redeemedAt: '',
  };
  await deps.runner.unit(async (tx) => tx.put('invitations', invitation));
  return { invitation, code };
}

async function enrolledIn(deps: IdentityDeps, enrolmentIds: string[], schoolId: string): Promise<boolean> {
  return (await deps.runner.getMany('enrolments', enrolmentIds)).some(
    (e) => e.schoolId === schoolId && e.status === 'active',
  );
}

async function guardsIn(deps: IdentityDeps, guardianshipIds: string[], schoolId: string): Promise<boolean> {
  return (await deps.runner.getMany('guardianships', guardianshipIds)).some(
    (g) => g.schoolId === schoolId && g.status === 'active',
  );
}

const INVALID_CODE = 'Код приглашения недействителен или устарел';

/** The caller's account redeems a code and becomes linked to its person. */
export async function redeemInvitation(deps: IdentityDeps, actor: Actor, code: string): Promise<AccountDoc> {
  required({ code }, { code: 'Введите код приглашения' });
  const now = deps.now();
  let disable: string[] = [];
  const result = await deps.runner.unit(async (tx) => {
    const invitation = await tx.get('invitations', hashCode(code));
    if (!invitation || invitation.redeemedAt || invitation.expiresAt <= now.toISOString()) {
      return 'invalid' as const;
    }
    const existing = await ensureAccount(tx, actor.accountId, 'password', now);
    if (existing.personId && existing.personId !== invitation.personId) return 'linked' as const;
    tx.put('invitations', { ...invitation, redeemedBy: actor.accountId, redeemedAt: now.toISOString() });
    const outcome = await linkInUnit(tx, {
      accountId: actor.accountId,
      personId: invitation.personId,
      linkedBy: 'invitation',
      schoolId: invitation.schoolId,
      now,
    });
    emitAll(deps, tx, outcome.facts);
    disable = outcome.disable;
    return (await tx.get('accounts', actor.accountId))!;
  });
  if (result === 'invalid') throw invalid('identity.invitation_invalid', INVALID_CODE);
  if (result === 'linked') {
    throw precondition('identity.already_linked', 'Учётная запись уже привязана к другому человеку');
  }
  if (disable.length > 0) await disableUsers(deps, disable);
  return result;
}

/**
 * Links an account to a person directly: the region operator (also a person identity has not
 * seen yet: provisioning), or the school admin of the person's school. A reason is required.
 */
export async function linkAccount(
  deps: IdentityDeps,
  actor: Actor,
  input: { accountId: string; personId: string; reason: string },
): Promise<AccountDoc> {
  const person = input.personId ? await deps.runner.get('people', input.personId) : null;
  const schoolId = person?.schoolId ?? '';
  authorize(deps.log, actor, isRegionOperator(actor) || (!!schoolId && isSchoolAdmin(actor, schoolId)), {
    action: 'account.link',
    object: `person:${input.personId}`,
  });
  required(
    { accountId: input.accountId, personId: input.personId, reason: input.reason },
    { accountId: 'Укажите учётную запись', personId: 'Укажите человека', reason: 'Укажите причину' },
  );
  const known = await deps.runner.get('accounts', input.accountId);
  if (!known && !(await deps.keycloak.getUser(input.accountId))) {
    throw notFound('identity.not_found', 'Учётная запись не найдена');
  }
  const now = deps.now();
  let disable: string[] = [];
  const account = await deps.runner.unit(async (tx) => {
    await ensureAccount(tx, input.accountId, 'password', now);
    const outcome = await linkInUnit(tx, {
      accountId: input.accountId,
      personId: input.personId,
      linkedBy: 'provisioned' as LinkedBy,
      schoolId,
      now,
    });
    emitAll(deps, tx, outcome.facts);
    disable = outcome.disable;
    return (await tx.get('accounts', input.accountId))!;
  });
  if (disable.length > 0) await disableUsers(deps, disable);
  deps.log.info(
    { event: 'account_linked', accountId: input.accountId, by: actor.accountId },
    'account linked by hand',
  );
  return account;
}

/** Unlinks an account from its person: the school admin of the person's school, or the region operator. */
export async function unlinkAccount(
  deps: IdentityDeps,
  actor: Actor,
  input: { accountId: string; reason: string },
): Promise<AccountDoc> {
  const account = await deps.runner.get('accounts', input.accountId);
  const schoolId = account?.personId
    ? ((await deps.runner.get('people', account.personId))?.schoolId ?? '')
    : '';
  authorize(deps.log, actor, isRegionOperator(actor) || (!!schoolId && isSchoolAdmin(actor, schoolId)), {
    action: 'account.unlink',
    object: `account:${input.accountId}`,
  });
  required({ reason: input.reason }, { reason: 'Укажите причину' });
  if (!account) throw notFound('identity.not_found', 'Учётная запись не найдена');
  if (!account.personId) throw precondition('identity.not_linked', 'Учётная запись ни к кому не привязана');
  return deps.runner.unit(async (tx) => {
    const current = (await tx.get('accounts', input.accountId)) ?? account;
    emitAll(deps, tx, await unlinkInUnit(tx, current, input.reason.trim()));
    return (await tx.get('accounts', input.accountId))!;
  });
}
