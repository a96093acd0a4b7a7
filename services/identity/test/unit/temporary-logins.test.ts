import {
  expireTemporaryLogins,
  issueTemporaryLogin,
  listTemporaryLogins,
  oneTimePassword,
  revokeTemporaryLogin,
  splitDisplayName,
} from '../../src/domain/temporary-logins';
import { applyEsiaProfile, resolveActor } from '../../src/domain/esia-linking';
import { world, type World } from './memory';
import { OTHER_SCHOOL, SCHOOL, SCHOOL_ADMIN, apply, enrolled, person, profile } from './fixtures';

const request = (overrides = {}) => ({
  schoolId: SCHOOL,
  studentId: 'p-petr',
  reason: 'Нет подтверждённой учётной записи ЕСИА',
  documentRef: 'Заявление № 15 от 01.09.2026',
  validDays: 0,
  ...overrides,
});

describe('temporary student logins', () => {
  let w: World;
  beforeEach(async () => {
    w = world(new Date('2026-09-07T09:00:00Z'));
    await apply(
      w,
      person('p-petr', 'student', 'Иванов Пётр Сергеевич'),
      enrolled('p-petr'),
      person('p-other', 'student', 'Другой Ученик', OTHER_SCHOOL),
      enrolled('p-other', '2026-09-01', OTHER_SCHOOL),
    );
  });

  it('one-time passwords satisfy the realm policy', () => {
    for (let i = 0; i < 200; i += 1) {
      const password = oneTimePassword();
      expect(password).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*\d).{10,}$/);
    }
    expect(splitDisplayName('Иванов Пётр Сергеевич')).toEqual({
      lastName: 'Иванов',
      firstName: 'Пётр Сергеевич',
    });
  });

  it('issues a Keycloak login linked to the student, 90 days by default', async () => {
    const { login, password } = await issueTemporaryLogin(w.deps, SCHOOL_ADMIN, request());
    const user = w.keycloak.users.get(login.accountId)!;
    expect(user).toMatchObject({
      username: login.username,
      enabled: true,
      lastName: 'Иванов',
      firstName: 'Пётр Сергеевич',
    });
    expect(user.temporaryPassword).toBe(password);
    expect(login.username).toMatch(/^t-school-[a-z2-7]{6}$/);
    expect(login.expiresAt).toBe('2026-12-06T09:00:00.000Z');
    const actor = await resolveActor(w.deps, { keycloakSub: login.accountId, esiaOid: '' });
    expect(actor.personId).toBe('p-petr');
    expect(w.facts).toContainEqual(
      expect.objectContaining({
        kind: 'temporaryLoginIssued',
        temporaryLoginId: login._id,
        schoolId: SCHOOL,
      }),
    );
    expect(
      (await listTemporaryLogins(w.deps, SCHOOL_ADMIN, { schoolId: SCHOOL, includeEnded: false })).map(
        (l) => l._id,
      ),
    ).toEqual([login._id]);
  });

  it('requires a reason and the application, and at most 90 days (Russian field errors)', async () => {
    await expect(
      issueTemporaryLogin(w.deps, SCHOOL_ADMIN, request({ reason: '', documentRef: ' ', validDays: 91 })),
    ).rejects.toMatchObject({
      code: 'identity.invalid',
      errors: [
        { field: 'reason', message: 'Укажите причину выдачи временного входа' },
        { field: 'documentRef', message: 'Укажите номер и дату заявления родителя' },
        { field: 'validDays', message: 'Срок действия — от 1 до 90 дней' },
      ],
    });
    expect(w.keycloak.users.size).toBe(0);
  });

  it('only for an active student of that school, with no ESIA account and no active temporary login', async () => {
    await expect(
      issueTemporaryLogin(w.deps, SCHOOL_ADMIN, request({ studentId: 'p-other' })),
    ).rejects.toMatchObject({ code: 'identity.not_a_student' });
    await issueTemporaryLogin(w.deps, SCHOOL_ADMIN, request());
    await expect(issueTemporaryLogin(w.deps, SCHOOL_ADMIN, request())).rejects.toMatchObject({
      code: 'identity.temporary_login_exists',
    });
  });

  it('refuses a student whose ESIA account is linked', async () => {
    w.roster.matcher = () => [
      { personId: 'p-petr', schoolId: SCHOOL, kind: 'student', displayName: '', matchedBy: 'snils' },
    ];
    await applyEsiaProfile(w.deps, profile({ oid: '1000000003', level: 'KD' }));
    await resolveActor(w.deps, { keycloakSub: 'kc-petr', esiaOid: '1000000003' });
    await expect(issueTemporaryLogin(w.deps, SCHOOL_ADMIN, request())).rejects.toMatchObject({
      code: 'identity.student_has_esia',
    });
  });

  it('expires after its end: disabled in Keycloak, an event, ended in the list', async () => {
    const { login } = await issueTemporaryLogin(w.deps, SCHOOL_ADMIN, request({ validDays: 1 }));
    w.clock.now = new Date('2026-09-08T08:59:59Z');
    expect(await expireTemporaryLogins(w.deps)).toBe(0);
    w.clock.now = new Date('2026-09-08T09:00:00Z');
    expect(await expireTemporaryLogins(w.deps)).toBe(1);
    expect(w.keycloak.users.get(login.accountId)?.enabled).toBe(false);
    expect(await w.store.get('temporaryLogins', login._id)).toMatchObject({
      status: 'expired',
      endedAt: '2026-09-08T09:00:00.000Z',
    });
    expect(w.facts).toContainEqual(
      expect.objectContaining({ kind: 'temporaryLoginExpired', temporaryLoginId: login._id }),
    );
    expect(
      await listTemporaryLogins(w.deps, SCHOOL_ADMIN, { schoolId: SCHOOL, includeEnded: false }),
    ).toEqual([]);
    expect(await expireTemporaryLogins(w.deps)).toBe(0);
  });

  it('is revoked by the school admin with a reason', async () => {
    const { login } = await issueTemporaryLogin(w.deps, SCHOOL_ADMIN, request());
    await expect(
      revokeTemporaryLogin(w.deps, SCHOOL_ADMIN, { temporaryLoginId: login._id, reason: '' }),
    ).rejects.toMatchObject({ code: 'identity.invalid' });
    const revoked = await revokeTemporaryLogin(w.deps, SCHOOL_ADMIN, {
      temporaryLoginId: login._id,
      reason: 'Заявление родителя',
    });
    expect(revoked.status).toBe('revoked');
    expect(w.keycloak.users.get(login.accountId)?.enabled).toBe(false);
    expect(w.facts).toContainEqual(
      expect.objectContaining({ kind: 'temporaryLoginRevoked', reason: 'Заявление родителя' }),
    );
  });
});
