import { actorFromClaims } from '../../src/domain/actor-from-claims';

// The actor from a verified access token. Until the identity service exists the person link and
// the school roles come from the Keycloak attributes mapped into the token (edu_person_id,
// edu_school_roles); a claim of the wrong shape must never grant anything, nor throw.
describe('actor from access-token claims', () => {
  const base = { sub: 'account-1', typ: 'Bearer' };
  const withRoles = (edu_school_roles: unknown) => actorFromClaims({ ...base, edu_school_roles });

  it('when the token carries only sub, then the actor is that account with no person, roles or grants', () => {
    expect(actorFromClaims(base)).toEqual({ accountId: 'account-1', schoolRoles: [], grants: [] });
  });

  it('when the realm roles include region-operator and municipal-officer, then they become grants, other realm roles do not', () => {
    const actor = actorFromClaims({
      ...base,
      realm_access: { roles: ['edu-user', 'region-operator', 'municipal-officer', 'school-admin', 42] },
    });

    expect(actor.grants).toEqual(['regionOperator', 'municipalOfficer']);
  });

  it('when a realm role is named like an Object.prototype member, then it grants nothing', () => {
    const actor = actorFromClaims({
      ...base,
      realm_access: { roles: ['toString', 'constructor', '__proto__'] },
    });

    expect(actor.grants).toEqual([]);
  });

  it('when realm_access is not the expected shape, then there are no grants', () => {
    expect(actorFromClaims({ ...base, realm_access: { roles: 'region-operator' } }).grants).toEqual([]);
    expect(actorFromClaims({ ...base, realm_access: 'region-operator' }).grants).toEqual([]);
  });

  describe('person link (edu_person_id)', () => {
    it('when edu_person_id is a non-empty string, then it is the personId', () => {
      expect(actorFromClaims({ ...base, edu_person_id: 'person-7' })).toEqual({
        accountId: 'account-1',
        personId: 'person-7',
        schoolRoles: [],
        grants: [],
      });
    });

    it.each([
      ['absent', undefined],
      ['empty', ''],
      ['blank', '   '],
      ['a number', 7],
      ['an array (a multivalued mapper)', ['person-7']],
      ['null', null],
    ])('when edu_person_id is %s, then the actor has no personId property', (_case, value) => {
      const actor = actorFromClaims({ ...base, edu_person_id: value });

      expect(actor).not.toHaveProperty('personId');
    });
  });

  describe('school roles (edu_school_roles)', () => {
    it('when every entry is <schoolId>:<role> with a known role, then each becomes a school role, in order', () => {
      expect(
        withRoles([
          'school-1:director',
          'school-1:deputy',
          'school-2:schoolAdmin',
          'school-2:teacher',
          'school-3:hr',
          'school-3:secretary',
        ]).schoolRoles,
      ).toEqual([
        { schoolId: 'school-1', role: 'director' },
        { schoolId: 'school-1', role: 'deputy' },
        { schoolId: 'school-2', role: 'schoolAdmin' },
        { schoolId: 'school-2', role: 'teacher' },
        { schoolId: 'school-3', role: 'hr' },
        { schoolId: 'school-3', role: 'secretary' },
      ]);
    });

    it('when a school id contains colons, then the entry is split at the last colon', () => {
      expect(withRoles(['urn:edu:school:42:teacher']).schoolRoles).toEqual([
        { schoolId: 'urn:edu:school:42', role: 'teacher' },
      ]);
    });

    it('when the same entry appears twice, then the role is there once', () => {
      expect(withRoles(['school-1:teacher', 'school-2:teacher', 'school-1:teacher']).schoolRoles).toEqual([
        { schoolId: 'school-1', role: 'teacher' },
        { schoolId: 'school-2', role: 'teacher' },
      ]);
    });

    it.each([
      ['unknown role', 'school-1:superuser'],
      ['role in another case', 'school-1:Director'],
      ['realm-wide grant as a role', 'school-1:regionOperator'],
      ['role with padding', 'school-1: teacher'],
      ['no colon', 'school-1'],
      ['only a role', 'teacher'],
      ['empty school id', ':teacher'],
      ['empty role', 'school-1:'],
      ['blank school id', '  :teacher'],
      ['whitespace in the school id', 'school 1:teacher'],
      ['role before the school', 'teacher:school-1'],
      ['empty string', ''],
      ['a number', 42],
      ['null', null],
      ['an object', { schoolId: 'school-1', role: 'teacher' }],
      ['an array', ['school-1:teacher']],
    ])('when one entry is malformed (%s), then it is ignored and the valid ones remain', (_case, entry) => {
      expect(withRoles(['school-9:deputy', entry]).schoolRoles).toEqual([
        { schoolId: 'school-9', role: 'deputy' },
      ]);
    });

    it.each([
      ['absent', undefined],
      ['a lone string (a mapper not set multivalued)', 'school-1:director'],
      ['an object', { 'school-1': 'director' }],
      ['a number', 1],
      ['null', null],
      ['an empty array', []],
    ])('when the claim is %s, then there are no school roles', (_case, claim) => {
      expect(withRoles(claim).schoolRoles).toEqual([]);
    });

    it('when every entry is malformed, then nothing is granted and nothing is thrown', () => {
      const actor = withRoles(['x', ':', '::', 'a:b:c', 'school-1:root', {}, []]);

      expect(actor).toEqual({ accountId: 'account-1', schoolRoles: [], grants: [] });
    });

    it('when the roles come with a person link and realm grants, then the actor carries all three', () => {
      const actor = actorFromClaims({
        ...base,
        edu_person_id: 'person-7',
        edu_school_roles: ['school-1:teacher'],
        realm_access: { roles: ['edu-user', 'municipal-officer'] },
      });

      expect(actor).toEqual({
        accountId: 'account-1',
        personId: 'person-7',
        schoolRoles: [{ schoolId: 'school-1', role: 'teacher' }],
        grants: ['municipalOfficer'],
      });
    });
  });
});
