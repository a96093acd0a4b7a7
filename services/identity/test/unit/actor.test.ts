import { resolveActor } from '../../src/domain/esia-linking';
import { giveGrant, revokeGrant } from '../../src/domain/grants';
import { linkAccount } from '../../src/domain/accounts';
import type { PositionFact } from '../../src/domain/copies';
import { world, type World } from './memory';
import { OPERATOR, SCHOOL, apply, hired, person } from './fixtures';

describe('the actor of an account', () => {
  let w: World;
  beforeEach(async () => {
    w = world();
    await apply(
      w,
      person('p-olga', 'staff', 'Петрова Ольга Ивановна'),
      hired('pos-1', 'p-olga', 'teacher'),
      hired('pos-2', 'p-olga', 'other'),
    );
    w.keycloak.add('olga', 'kc-olga');
    await linkAccount(w.deps, OPERATOR, {
      accountId: 'kc-olga',
      personId: 'p-olga',
      reason: 'Приём на работу',
    });
  });

  const resolve = () => resolveActor(w.deps, { keycloakSub: 'kc-olga', esiaOid: '' });

  it("has the school roles of the person's active positions ('other' gives none)", async () => {
    expect((await resolve()).schoolRoles).toEqual([{ schoolId: SCHOOL, role: 'teacher' }]);
  });

  it('a position change bumps the version and tells the gateway', async () => {
    const before = await resolve();
    await apply(w, {
      ...(hired('pos-1', 'p-olga', 'teacher') as PositionFact),
      action: 'dismissed',
      status: 'dismissed',
      version: 2,
    });
    const after = await resolve();
    expect(after.schoolRoles).toEqual([]);
    expect(after.version).toBeGreaterThan(before.version);
    expect(w.facts).toContainEqual({ kind: 'actorChanged', accountId: 'kc-olga', schoolId: SCHOOL });
  });

  it('an older or repeated event changes nothing', async () => {
    const before = await resolve();
    await apply(w, hired('pos-1', 'p-olga', 'director', '2026-09-01', 1));
    expect(await resolve()).toEqual(before);
  });

  it('adds explicit grants: schoolAdmin as grant and role, staff roles as roles, then revoked', async () => {
    const admin = await giveGrant(w.deps, OPERATOR, {
      accountId: 'kc-olga',
      role: 'schoolAdmin',
      scopeId: SCHOOL,
      reason: '',
    });
    await giveGrant(w.deps, OPERATOR, {
      accountId: 'kc-olga',
      role: 'deputy',
      scopeId: 'school-9',
      reason: 'Приказ № 12 о временном исполнении',
    });
    await giveGrant(w.deps, OPERATOR, {
      accountId: 'kc-olga',
      role: 'municipalOfficer',
      scopeId: 'mun-1',
      reason: '',
    });
    const actor = await resolve();
    expect(actor.grants).toEqual([`schoolAdmin:${SCHOOL}`, 'municipalOfficer:mun-1']);
    expect(actor.schoolRoles).toEqual([
      { schoolId: SCHOOL, role: 'teacher' },
      { schoolId: SCHOOL, role: 'schoolAdmin' },
      { schoolId: 'school-9', role: 'deputy' },
    ]);
    // The same grant again is the same grant.
    const again = await giveGrant(w.deps, OPERATOR, {
      accountId: 'kc-olga',
      role: 'schoolAdmin',
      scopeId: SCHOOL,
      reason: '',
    });
    expect(again._id).toBe(admin._id);
    await revokeGrant(w.deps, OPERATOR, { grantId: admin._id, reason: 'Перевод' });
    expect((await resolve()).grants).toEqual(['municipalOfficer:mun-1']);
    expect(w.facts.filter((f) => f.kind === 'grantGiven')).toHaveLength(3);
    expect(w.facts).toContainEqual(
      expect.objectContaining({ kind: 'grantRevoked', grantId: admin._id, schoolId: SCHOOL }),
    );
  });

  it('a staff role grant needs a reason', async () => {
    await expect(
      giveGrant(w.deps, OPERATOR, { accountId: 'kc-olga', role: 'teacher', scopeId: SCHOOL, reason: ' ' }),
    ).rejects.toMatchObject({
      code: 'identity.invalid',
      errors: [expect.objectContaining({ field: 'reason' })],
    });
  });
});
