import { randomBytes, randomInt } from 'node:crypto';
import { conflict, invalid, notFound, precondition, type FieldError } from '@edu/kit';
import type { Actor } from '@edu/grpc';
import {
  ACTIVE_TEMPORARY_LOGINS,
  DISABLE_PENDING,
  disableUsers,
  linkInUnit,
  newAccount,
  type IdentityDeps,
} from './links';
import { emptySchool, withItem, type TemporaryLoginDoc } from './model';
import { authorize, isSchoolAdmin, maySeeSchoolLists } from './policy';

// Temporary student logins (R1.6): a school admin issues a Keycloak login for an active student
// with no ESIA account, on a guardian's written application; it ends by itself after at most 90
// days, when revoked, or when the student's ESIA account gets linked ("replaced").

export const MAX_VALID_DAYS = 90;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A one-time password the realm policy accepts: 12 characters with upper, lower and digits. */
export function oneTimePassword(): string {
  const upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  const lower = 'abcdefghijkmnpqrstuvwxyz';
  const digits = '23456789';
  const all = upper + lower + digits;
  const pick = (set: string) => set[randomInt(set.length)];
  const chars = [pick(upper), pick(lower), pick(digits), ...Array.from({ length: 9 }, () => pick(all))];
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** `t-<school>-<6 random base32>`: the school part is the first letters and digits of its id. */
export function temporaryUsername(schoolId: string): string {
  const school =
    schoolId
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 6) || 'school';
  const suffix = [...randomBytes(6)].map((b) => BASE32[b % 32]).join('');
  return `t-${school}-${suffix}`;
}

/** "Фамилия Имя Отчество" → Keycloak's last and first name. */
export function splitDisplayName(displayName: string): { lastName: string; firstName: string } {
  const [lastName = '', ...rest] = displayName.trim().split(/\s+/);
  return { lastName, firstName: rest.join(' ') };
}

export interface IssueTemporaryLoginInput {
  schoolId: string;
  studentId: string;
  reason: string;
  documentRef: string;
  validDays: number;
}

export function validateIssue(input: IssueTemporaryLoginInput): void {
  const errors: FieldError[] = [];
  if (!input.studentId.trim()) errors.push({ field: 'studentId', message: 'Укажите ученика' });
  if (!input.reason.trim())
    errors.push({ field: 'reason', message: 'Укажите причину выдачи временного входа' });
  else if (input.reason.length > 300) errors.push({ field: 'reason', message: 'Не более 300 символов' });
  if (!input.documentRef.trim()) {
    errors.push({ field: 'documentRef', message: 'Укажите номер и дату заявления родителя' });
  } else if (input.documentRef.length > 200)
    errors.push({ field: 'documentRef', message: 'Не более 200 символов' });
  if (!Number.isInteger(input.validDays) || input.validDays < 0 || input.validDays > MAX_VALID_DAYS) {
    errors.push({ field: 'validDays', message: 'Срок действия — от 1 до 90 дней' });
  }
  if (errors.length > 0) throw invalid('identity.invalid', 'Проверьте заполнение полей', errors);
}

export async function issueTemporaryLogin(
  deps: IdentityDeps,
  actor: Actor,
  input: IssueTemporaryLoginInput,
): Promise<{ login: TemporaryLoginDoc; password: string }> {
  authorize(deps.log, actor, isSchoolAdmin(actor, input.schoolId), {
    action: 'temporary_login.issue',
    object: `school:${input.schoolId}`,
  });
  validateIssue(input);
  const student = await deps.runner.get('people', input.studentId);
  const enrolments = await deps.runner.getMany('enrolments', student?.enrolmentIds ?? []);
  const inSchool =
    student?.kind === 'student' &&
    student.status === 'active' &&
    (enrolments.some((e) => e.schoolId === input.schoolId && e.status === 'active') ||
      (enrolments.length === 0 && student.schoolId === input.schoolId));
  if (!student || !inSchool) {
    throw precondition('identity.not_a_student', 'Ученик не найден среди обучающихся этой школы');
  }
  const accounts = await deps.runner.getMany(
    'accounts',
    (await deps.runner.get('personAccounts', student._id))?.accountIds ?? [],
  );
  if (accounts.some((a) => a.personId === student._id && a.loginKind === 'esia')) {
    throw precondition(
      'identity.student_has_esia',
      'У ученика уже есть учётная запись ЕСИА: временный вход не нужен',
    );
  }
  const active = await deps.runner.getMany(
    'temporaryLogins',
    (await deps.runner.get('meta', ACTIVE_TEMPORARY_LOGINS))?.ids ?? [],
  );
  if (active.some((l) => l.studentId === student._id && l.status === 'active')) {
    throw conflict('identity.temporary_login_exists', 'У ученика уже есть действующий временный вход');
  }
  const id = deps.newId();
  const password = oneTimePassword();
  const names = splitDisplayName(student.displayName);
  let username = '';
  let userId = '';
  for (let attempt = 0; !userId; attempt += 1) {
    username = temporaryUsername(input.schoolId);
    try {
      userId = await deps.keycloak.createUser({
        username,
        ...names,
        temporaryPassword: password,
        attributes: { edu_temporary_login: [id], edu_person_id: [student._id] },
      });
    } catch (error) {
      if ((error as { code?: string }).code !== 'username_taken' || attempt >= 3) throw error;
    }
  }
  const now = deps.now();
  const days = input.validDays || MAX_VALID_DAYS;
  const login: TemporaryLoginDoc = {
    _id: id,
    schoolId: input.schoolId,
    studentId: student._id,
    accountId: userId,
    username,
    reason: input.reason.trim(),
    documentRef: input.documentRef.trim(),
    status: 'active',
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + days * 86_400_000).toISOString(),
    endedAt: '',
    issuedBy: actor.accountId,
  };
  const store = deps.runner.unit(async (tx) => {
    tx.put('accounts', newAccount(userId, 'temporary', now));
    await linkInUnit(tx, {
      accountId: userId,
      personId: student._id,
      linkedBy: 'temporary',
      schoolId: input.schoolId,
      now,
    });
    tx.put('temporaryLogins', login);
    const meta = (await tx.get('meta', ACTIVE_TEMPORARY_LOGINS)) ?? { _id: ACTIVE_TEMPORARY_LOGINS, ids: [] };
    tx.put('meta', { ...meta, ids: withItem(meta.ids ?? [], id) });
    const school = (await tx.get('schools', input.schoolId)) ?? emptySchool(input.schoolId);
    tx.put('schools', { ...school, temporaryLoginIds: withItem(school.temporaryLoginIds, id) });
    deps.emit(tx, {
      kind: 'temporaryLoginIssued',
      temporaryLoginId: id,
      accountId: userId,
      studentId: student._id,
      schoolId: input.schoolId,
      expiresAt: login.expiresAt,
    });
  });
  try {
    await store;
  } catch (error) {
    // Not stored: the Keycloak user must not outlive the failure (best effort).
    await deps.keycloak.deleteUser(userId).catch(() => undefined);
    throw error;
  }
  deps.log.info(
    { event: 'temporary_login_issued', temporaryLoginId: id, by: actor.accountId },
    'temporary login issued',
  );
  return { login, password };
}

export async function listTemporaryLogins(
  deps: IdentityDeps,
  actor: Actor,
  input: { schoolId: string; includeEnded: boolean },
): Promise<TemporaryLoginDoc[]> {
  authorize(deps.log, actor, maySeeSchoolLists(actor, input.schoolId), {
    action: 'temporary_login.list',
    object: `school:${input.schoolId}`,
  });
  const school = await deps.runner.get('schools', input.schoolId);
  const logins = await deps.runner.getMany('temporaryLogins', school?.temporaryLoginIds ?? []);
  return logins
    .filter((l) => input.includeEnded || l.status === 'active')
    .sort((a, b) => b.issuedAt.localeCompare(a.issuedAt));
}

/** Ends an active login in a unit: status, the active list and the event. */
async function endLogin(
  deps: IdentityDeps,
  login: TemporaryLoginDoc,
  status: 'expired' | 'revoked',
  reason: string,
): Promise<TemporaryLoginDoc> {
  const now = deps.now();
  return deps.runner.unit(async (tx) => {
    const current = (await tx.get('temporaryLogins', login._id)) ?? login;
    if (current.status !== 'active') return current;
    const next: TemporaryLoginDoc = { ...current, status, endedAt: now.toISOString() };
    tx.put('temporaryLogins', next);
    const meta = await tx.get('meta', ACTIVE_TEMPORARY_LOGINS);
    if (meta) tx.put('meta', { ...meta, ids: (meta.ids ?? []).filter((id) => id !== login._id) });
    const account = await tx.get('accounts', login.accountId);
    if (account) tx.put('accounts', { ...account, version: account.version + 1 });
    const ids = {
      temporaryLoginId: login._id,
      accountId: login.accountId,
      studentId: login.studentId,
      schoolId: login.schoolId,
    };
    deps.emit(
      tx,
      status === 'expired'
        ? { kind: 'temporaryLoginExpired', ...ids }
        : { kind: 'temporaryLoginRevoked', ...ids, reason },
    );
    return next;
  });
}

export async function revokeTemporaryLogin(
  deps: IdentityDeps,
  actor: Actor,
  input: { temporaryLoginId: string; reason: string },
): Promise<TemporaryLoginDoc> {
  const login = await deps.runner.get('temporaryLogins', input.temporaryLoginId);
  authorize(deps.log, actor, !!login && isSchoolAdmin(actor, login.schoolId), {
    action: 'temporary_login.revoke',
    object: `temporary_login:${input.temporaryLoginId}`,
  });
  if (!login) throw notFound('identity.not_found', 'Временный вход не найден');
  if (!input.reason.trim()) {
    throw invalid('identity.invalid', 'Проверьте заполнение полей', [
      { field: 'reason', message: 'Укажите причину' },
    ]);
  }
  if (login.status !== 'active')
    throw precondition('identity.temporary_login_ended', 'Временный вход уже не действует');
  await deps.keycloak.setEnabled(login.accountId, false);
  const revoked = await endLogin(deps, login, 'revoked', input.reason.trim());
  deps.log.info(
    { event: 'temporary_login_revoked', temporaryLoginId: login._id, by: actor.accountId },
    'temporary login revoked',
  );
  return revoked;
}

/**
 * The timer's work: disables the logins past their end (→ expired) and retries Keycloak users a
 * link decided to disable but whose call failed. Returns how many logins expired.
 */
export async function expireTemporaryLogins(deps: IdentityDeps): Promise<number> {
  const now = deps.now().toISOString();
  const active = await deps.runner.getMany(
    'temporaryLogins',
    (await deps.runner.get('meta', ACTIVE_TEMPORARY_LOGINS))?.ids ?? [],
  );
  let expired = 0;
  for (const login of active) {
    if (login.status !== 'active' || login.expiresAt > now) continue;
    try {
      await deps.keycloak.setEnabled(login.accountId, false);
    } catch (error) {
      deps.log.error(
        { err: error, temporaryLoginId: login._id },
        'disabling an expired temporary login failed',
      );
      continue;
    }
    await endLogin(deps, login, 'expired', '');
    expired += 1;
  }
  const pending = (await deps.runner.get('meta', DISABLE_PENDING))?.ids ?? [];
  if (pending.length > 0) await disableUsers(deps, pending);
  return expired;
}
