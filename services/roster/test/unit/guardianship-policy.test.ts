import type { Actor } from '../../src/domain/ports';
import {
  canGuardianReadCard,
  canKeepGuardianship,
  canListChildren,
  isClassTeacherOf,
  isOwnGuardianship,
} from '../../src/domain/school-policy';

// Who may keep guardianship and consents, and who reads what (deny by default).

const actor = (role: string, schoolId = 'school-1', personId = `person-${role}`): Actor => ({
  accountId: `acc-${role}`,
  personId,
  schoolRoles: [{ schoolId, role }],
  grants: [],
});
const operator: Actor = { accountId: 'acc-op', schoolRoles: [], grants: ['regionOperator'] };
/** A student of 5А, whose class teacher is `teacher-a`. */
const studentOf5A = { schoolId: 'school-1', classTeacherIds: ['teacher-a'] };
const notInClass = { schoolId: 'school-1', classTeacherIds: [] };

describe('guardianship policy', () => {
  test.each(['director', 'deputy', 'schoolAdmin'])(
    'the %s of the student’s school keeps every student’s links; of another school, none',
    (role) => {
      expect(canKeepGuardianship(actor(role), studentOf5A)).toBe(true);
      expect(canKeepGuardianship(actor(role), notInClass)).toBe(true);
      expect(canKeepGuardianship(actor(role, 'school-2'), studentOf5A)).toBe(false);
    },
  );

  it('the class teacher keeps the links of their class’s students only, and only with a role in the school', () => {
    const classTeacher = actor('teacher', 'school-1', 'teacher-a');
    expect(isClassTeacherOf(classTeacher, studentOf5A)).toBe(true);
    expect(canKeepGuardianship(classTeacher, studentOf5A)).toBe(true);
    expect(canKeepGuardianship(actor('teacher', 'school-1', 'teacher-b'), studentOf5A)).toBe(false);
    expect(canKeepGuardianship(classTeacher, notInClass)).toBe(false);
    expect(canKeepGuardianship(actor('teacher', 'school-2', 'teacher-a'), studentOf5A)).toBe(false);
    expect(
      canKeepGuardianship(
        { accountId: 'a', schoolRoles: [], grants: [] },
        { schoolId: 'school-1', classTeacherIds: [''] },
      ),
    ).toBe(false);
  });

  it('hr, a plain teacher, a guardian and the region operator keep no links', () => {
    for (const someone of [actor('hr'), actor('teacher'), actor('guardian'), operator]) {
      expect(canKeepGuardianship(someone, studentOf5A)).toBe(false);
    }
  });

  it('a guardian reads their own links and lists their own children', () => {
    const mother = actor('guardian', 'school-1', 'mother');
    expect(isOwnGuardianship(mother, { guardianId: 'mother' })).toBe(true);
    expect(isOwnGuardianship(mother, { guardianId: 'father' })).toBe(false);
    expect(isOwnGuardianship({ accountId: 'a', schoolRoles: [], grants: [] }, { guardianId: '' })).toBe(
      false,
    );
    expect(canListChildren(mother, { id: 'mother', schoolId: 'school-9' }, [])).toBe(true);
    expect(canListChildren(mother, { id: 'father', schoolId: 'school-1' }, ['school-1'])).toBe(false);
  });

  it('a manager lists a guardian’s children when the guardian or a child is of their school', () => {
    expect(canListChildren(actor('director'), { id: 'g', schoolId: 'school-1' }, [])).toBe(true);
    expect(canListChildren(actor('director'), { id: 'g', schoolId: 'school-2' }, ['school-1'])).toBe(true);
    expect(canListChildren(actor('director'), { id: 'g', schoolId: 'school-2' }, ['school-3'])).toBe(false);
    expect(canListChildren(actor('teacher'), { id: 'g', schoolId: 'school-1' }, ['school-1'])).toBe(false);
  });

  it('a guardian reads a student’s card only with an active link and consent, and no other kind of card', () => {
    const mother = actor('guardian', 'school-1', 'mother');
    const child = { id: 'child', kind: 'student' };
    expect(canGuardianReadCard(mother, child, true)).toBe(true);
    expect(canGuardianReadCard(mother, child, false)).toBe(false);
    expect(canGuardianReadCard(mother, { id: 'father', kind: 'guardian' }, true)).toBe(false);
    expect(canGuardianReadCard({ accountId: 'a', schoolRoles: [], grants: [] }, child, true)).toBe(false);
  });
});
