import { getMe } from '../../src/domain/accounts';
import { applyEsiaProfile, resolveActor } from '../../src/domain/esia-linking';
import type { MatchCriteria, PersonMatch } from '../../src/domain/ports';
import { world, type World } from './memory';
import { SCHOOL, apply, guardianship, kid, person, profile } from './fixtures';

// A parent's ESIA kids become guardianships in roster (proposed by identity) and go again when
// ESIA stops listing them.

const students: Record<string, PersonMatch> = {
  '12345678964': {
    personId: 'p-petr',
    schoolId: SCHOOL,
    kind: 'student',
    displayName: 'Иванов Пётр Сергеевич',
    matchedBy: 'snils',
  },
};

function matcher(c: MatchCriteria): PersonMatch[] {
  if (c.kind === '' && c.snils === '11223344595') {
    return [
      {
        personId: 'p-mother',
        schoolId: SCHOOL,
        kind: 'guardian',
        displayName: 'Иванова Мария Петровна',
        matchedBy: 'snils',
      },
    ];
  }
  if (c.kind !== 'student') return [];
  if (c.snils && students[c.snils]) return [students[c.snils]!];
  if (c.birthCertificate?.number === '123456' && c.birthDate === '2016-06-15') {
    return [
      {
        personId: 'p-anna',
        schoolId: SCHOOL,
        kind: 'student',
        displayName: 'Иванова Анна Сергеевна',
        matchedBy: 'birth_certificate',
      },
    ];
  }
  if (c.lastName === 'Сидоров') {
    return [
      {
        personId: 'p-sid',
        schoolId: SCHOOL,
        kind: 'student',
        displayName: 'Сидоров Олег',
        matchedBy: 'name_birth_date',
      },
    ];
  }
  return [];
}

const anna = kid({
  esiaKidId: 'kid-1002',
  firstName: 'Анна',
  lastName: 'Иванова',
  middleName: 'Сергеевна',
  birthDate: '2016-06-15',
  gender: 'female',
  snils: '',
  birthCertificate: { series: 'III-МЮ', number: '123456', issueDate: '2016-06-25' },
});

describe('children of a parent ESIA account', () => {
  let w: World;
  beforeEach(async () => {
    w = world();
    w.roster.matcher = matcher;
    await apply(
      w,
      person('p-mother', 'guardian', 'Иванова Мария Петровна'),
      person('p-petr', 'student', 'Иванов Пётр Сергеевич'),
      person('p-anna', 'student', 'Иванова Анна Сергеевна'),
    );
  });

  async function login(p = profile({ children: [kid(), anna] })) {
    await applyEsiaProfile(w.deps, p);
    await resolveActor(w.deps, { keycloakSub: 'kc-mother', esiaOid: p.oid });
  }

  it('links each kid matched by СНИЛС or birth certificate in roster, without consent, and tells the gateway', async () => {
    await login();
    expect(w.roster.linked).toEqual([
      { studentId: 'p-petr', guardianId: 'p-mother', kind: 'legal_representative' },
      { studentId: 'p-anna', guardianId: 'p-mother', kind: 'legal_representative' },
    ]);
    const me = await getMe(w.deps, { accountId: 'kc-mother', schoolRoles: [], grants: [] });
    expect(me.children.map((c) => [c.personId, c.consentActive])).toEqual([
      ['p-petr', false],
      ['p-anna', false],
    ]);
    expect(me.esiaTrusted).toBe(true);
    expect(w.facts).toContainEqual({ kind: 'actorChanged', accountId: 'kc-mother', schoolId: SCHOOL });
  });

  it('does not ask roster again for a child already linked', async () => {
    await apply(w, guardianship('g-existing', 'p-mother', 'p-petr'));
    await login(profile({ children: [kid()] }));
    expect(w.roster.linked).toEqual([]);
  });

  it('ends the link identity proposed when ESIA no longer lists the kid, and only that one', async () => {
    await apply(w, guardianship('g-roster', 'p-mother', 'p-anna'));
    await login(profile({ children: [kid()] }));
    expect(w.roster.linked.map((l) => l.studentId)).toEqual(['p-petr']);
    await applyEsiaProfile(w.deps, profile({ children: [] }));
    expect(w.roster.unlinked).toEqual([
      expect.objectContaining({ guardianshipId: 'g-1', expectedVersion: 1 }),
    ]);
    expect((await w.store.get('esiaProposals', 'kc-mother'))?.proposals).toEqual([]);
  });

  it('a kid found by name and birth date only is a "child" candidate, not a link', async () => {
    await login(
      profile({
        children: [kid({ esiaKidId: 'kid-9', lastName: 'Сидоров', snils: '', birthCertificate: undefined })],
      }),
    );
    expect(w.roster.linked).toEqual([]);
    expect(await w.store.get('candidates', 'kc-mother:child:p-sid')).toMatchObject({
      kind: 'child',
      guardianId: 'p-mother',
    });
  });

  it('an unconfirmed account gets no children', async () => {
    await login(profile({ trusted: false, level: 'P', children: [kid()] }));
    expect(w.roster.linked).toEqual([]);
  });
});
