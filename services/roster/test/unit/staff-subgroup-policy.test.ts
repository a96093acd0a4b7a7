import type { Actor } from '../../src/domain/ports';
import {
  canListStaff,
  canManageStaff,
  canManageSubgroups,
  canReadSubgroups,
} from '../../src/domain/school-policy';

// Who may do what with staff positions and subgroups (deny by default).

const actor = (role: string, schoolId = 'school-1'): Actor => ({
  accountId: `acc-${role}`,
  personId: `person-${role}`,
  schoolRoles: [{ schoolId, role }],
  grants: [],
});
const operator: Actor = { accountId: 'acc-op', schoolRoles: [], grants: ['regionOperator'] };

describe('staff and subgroup policy', () => {
  test.each(['director', 'deputy', 'schoolAdmin', 'hr'])('the %s of the school keeps the staff', (role) => {
    expect(canManageStaff(actor(role), 'school-1')).toBe(true);
    expect(canListStaff(actor(role), 'school-1')).toBe(true);
  });

  it('a teacher lists the staff but keeps nothing', () => {
    expect(canListStaff(actor('teacher'), 'school-1')).toBe(true);
    expect(canManageStaff(actor('teacher'), 'school-1')).toBe(false);
  });

  test.each(['director', 'deputy', 'schoolAdmin'])(
    'the %s of the school manages and reads subgroups',
    (role) => {
      expect(canManageSubgroups(actor(role), 'school-1')).toBe(true);
      expect(canReadSubgroups(actor(role), 'school-1')).toBe(true);
    },
  );

  it('a teacher reads subgroups only; HR neither manages nor reads them', () => {
    expect(canReadSubgroups(actor('teacher'), 'school-1')).toBe(true);
    expect(canManageSubgroups(actor('teacher'), 'school-1')).toBe(false);
    expect(canReadSubgroups(actor('hr'), 'school-1')).toBe(false);
    expect(canManageSubgroups(actor('hr'), 'school-1')).toBe(false);
  });

  it('secretaries, other schools and the region operator get nothing', () => {
    for (const who of [actor('secretary'), actor('director', 'school-2'), operator]) {
      expect(canManageStaff(who, 'school-1')).toBe(false);
      expect(canListStaff(who, 'school-1')).toBe(false);
      expect(canManageSubgroups(who, 'school-1')).toBe(false);
      expect(canReadSubgroups(who, 'school-1')).toBe(false);
    }
  });
});
