import { DomainError } from '@edu/kit';
import { authorize, hasGrant, hasSchoolRole, type Actor } from '../src';
import { captureLogs } from './helpers';

const teacher: Actor = {
  accountId: 'acc-7',
  personId: 'person-7',
  schoolRoles: [
    { schoolId: 'school-1', role: 'teacher' },
    { schoolId: 'school-2', role: 'deputy' },
  ],
  grants: ['schoolAdmin:school-2'],
};

describe('policy', () => {
  test('when access is denied, then it throws forbidden in Russian and logs a security event with ids only', () => {
    const { logger, lines } = captureLogs();

    let thrown: unknown;
    try {
      authorize(teacher, false, { action: 'mark.post', object: 'lesson:l-9', logger });
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ kind: 'forbidden', detail: 'Недостаточно прав для этого действия' });
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'warn',
        event: 'access_denied',
        accountId: 'acc-7',
        action: 'mark.post',
        object: 'lesson:l-9',
      }),
    ]);
  });

  test('when access is allowed, then nothing is thrown or logged', () => {
    const { logger, lines } = captureLogs();

    authorize(teacher, true, { action: 'mark.post', object: 'lesson:l-1', logger });

    expect(lines()).toEqual([]);
  });

  test('roles are checked per school and grants are exact strings', () => {
    expect(hasSchoolRole(teacher, 'school-1', 'teacher')).toBe(true);
    expect(hasSchoolRole(teacher, 'school-1', 'deputy', 'director')).toBe(false);
    expect(hasSchoolRole(teacher, 'school-2', 'deputy', 'director')).toBe(true);
    expect(hasSchoolRole(teacher, 'school-3')).toBe(false);
    expect(hasSchoolRole(teacher, 'school-2')).toBe(true);
    expect(hasGrant(teacher, 'schoolAdmin:school-2')).toBe(true);
    expect(hasGrant(teacher, 'schoolAdmin:school-1')).toBe(false);
    expect(hasGrant(teacher, 'regionOperator')).toBe(false);
  });
});
