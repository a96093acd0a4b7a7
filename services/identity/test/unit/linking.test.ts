import { applyEsiaProfile, decideLink, resolveActor } from '../../src/domain/esia-linking';
import { issueTemporaryLogin } from '../../src/domain/temporary-logins';
import type { PersonMatch } from '../../src/domain/ports';
import { world, type World } from './memory';
import { SCHOOL, SCHOOL_ADMIN, apply, enrolled, person, profile } from './fixtures';

const match = (personId: string, matchedBy: string, kind = 'guardian', schoolId = SCHOOL): PersonMatch => ({
  personId,
  schoolId,
  kind,
  displayName: `Человек ${personId}`,
  matchedBy,
});

describe('decideLink', () => {
  it('links exactly one strong match of an account ESIA vouches for', () => {
    expect(decideLink(true, [match('p1', 'snils')]).link?.personId).toBe('p1');
    expect(decideLink(true, [match('p1', 'birth_certificate')]).link?.personId).toBe('p1');
  });

  it('makes candidates of weak, several or unvouched matches', () => {
    expect(decideLink(true, [match('p1', 'name_birth_date')])).toEqual({
      candidates: [match('p1', 'name_birth_date')],
    });
    expect(decideLink(true, [match('p1', 'snils'), match('p2', 'snils')]).candidates).toHaveLength(2);
    expect(decideLink(false, [match('p1', 'snils')])).toEqual({ candidates: [match('p1', 'snils')] });
    expect(decideLink(true, [])).toEqual({ candidates: [] });
  });
});

describe('linking at an ESIA login', () => {
  let w: World;
  beforeEach(async () => {
    w = world();
    await apply(w, person('p-mother', 'guardian', 'Иванова Мария Петровна'));
  });

  it('links a confirmed account by СНИЛС and publishes the link', async () => {
    w.roster.matcher = (c) => (c.snils === '11223344595' ? [match('p-mother', 'snils')] : []);
    await applyEsiaProfile(w.deps, profile());
    const actor = await resolveActor(w.deps, { keycloakSub: 'kc-mother', esiaOid: '1000000001' });
    expect(actor.personId).toBe('p-mother');
    expect(actor.version).toBeGreaterThan(1);
    expect(w.facts).toContainEqual({
      kind: 'accountLinked',
      accountId: 'kc-mother',
      personId: 'p-mother',
      schoolId: SCHOOL,
      linkedBy: 'snils',
    });
    const account = await w.store.get('accounts', 'kc-mother');
    expect(account).toMatchObject({ esiaOid: '1000000001', loginKind: 'esia', linkedBy: 'snils' });
  });

  it('never links an unconfirmed account: a СНИЛС match only makes a candidate', async () => {
    w.roster.matcher = () => [match('p-mother', 'snils')];
    await applyEsiaProfile(w.deps, profile({ oid: '1000000002', trusted: false, level: 'P' }));
    const actor = await resolveActor(w.deps, { keycloakSub: 'kc-x', esiaOid: '1000000002' });
    expect(actor.personId).toBe('');
    const candidate = await w.store.get('candidates', 'kc-x:p-mother');
    expect(candidate).toMatchObject({
      status: 'pending',
      schoolId: SCHOOL,
      kind: 'self',
      matchedBy: 'snils',
    });
    expect(w.facts.filter((f) => f.kind === 'accountLinked')).toEqual([]);
  });

  it("links a child's account (level KD) by СНИЛС", async () => {
    await apply(w, person('p-petr', 'student', 'Иванов Пётр Сергеевич'));
    w.roster.matcher = () => [match('p-petr', 'snils', 'student')];
    await applyEsiaProfile(
      w.deps,
      profile({ oid: '1000000003', level: 'KD', trusted: false, snils: '12345678964' }),
    );
    expect((await resolveActor(w.deps, { keycloakSub: 'kc-petr', esiaOid: '1000000003' })).personId).toBe(
      'p-petr',
    );
  });

  it('makes candidates when several people match', async () => {
    w.roster.matcher = () => [match('p-a', 'snils'), match('p-b', 'snils', 'guardian', 'school-2')];
    await applyEsiaProfile(w.deps, profile());
    const actor = await resolveActor(w.deps, { keycloakSub: 'kc-m', esiaOid: '1000000001' });
    expect(actor.personId).toBe('');
    expect((await w.store.get('schools', SCHOOL))?.candidateIds).toEqual(['kc-m:p-a']);
    expect((await w.store.get('schools', 'school-2'))?.candidateIds).toEqual(['kc-m:p-b']);
  });

  it('a match by name and birth date is a candidate for the school admin, not a link', async () => {
    w.roster.matcher = () => [match('p-mother', 'name_birth_date')];
    await applyEsiaProfile(w.deps, profile({ snils: '' }));
    expect((await resolveActor(w.deps, { keycloakSub: 'kc-m', esiaOid: '1000000001' })).personId).toBe('');
    expect(await w.store.get('candidates', 'kc-m:p-mother')).toMatchObject({
      status: 'pending',
      matchedBy: 'name_birth_date',
    });
  });

  it('an unknown account without ESIA resolves to a bare actor and is remembered', async () => {
    const actor = await resolveActor(w.deps, { keycloakSub: 'kc-staff', esiaOid: '' });
    expect(actor).toMatchObject({ accountId: 'kc-staff', personId: '', schoolRoles: [], grants: [] });
    expect(await w.store.get('accounts', 'kc-staff')).toMatchObject({ loginKind: 'password' });
    expect(w.roster.asked).toEqual([]);
  });

  it('a profile arriving after the account was seen re-links at once', async () => {
    w.roster.matcher = () => [match('p-mother', 'snils')];
    await resolveActor(w.deps, { keycloakSub: 'kc-late', esiaOid: '1000000001' });
    expect((await w.store.get('accounts', 'kc-late'))?.personId).toBe('');
    await applyEsiaProfile(w.deps, profile());
    expect((await w.store.get('accounts', 'kc-late'))?.personId).toBe('p-mother');
  });

  it("linking the student's ESIA account replaces an active temporary login", async () => {
    await apply(w, person('p-petr', 'student', 'Иванов Пётр Сергеевич'), enrolled('p-petr'));
    const { login } = await issueTemporaryLogin(w.deps, SCHOOL_ADMIN, {
      schoolId: SCHOOL,
      studentId: 'p-petr',
      reason: 'Нет учётной записи ЕСИА',
      documentRef: 'Заявление № 5 от 01.09.2026',
      validDays: 30,
    });
    w.roster.matcher = () => [match('p-petr', 'snils', 'student')];
    await applyEsiaProfile(w.deps, profile({ oid: '1000000003', level: 'KD', snils: '12345678964' }));
    await resolveActor(w.deps, { keycloakSub: 'kc-petr', esiaOid: '1000000003' });
    expect(await w.store.get('temporaryLogins', login._id)).toMatchObject({ status: 'replaced' });
    expect(w.keycloak.users.get(login.accountId)?.enabled).toBe(false);
    expect(w.facts).toContainEqual(
      expect.objectContaining({ kind: 'temporaryLoginRevoked', reason: 'esia_linked' }),
    );
  });
});
