import { listAccountDeadlines, workingDaysBetween } from '../../src/domain/deadlines';
import { linkAccount } from '../../src/domain/accounts';
import { world } from './memory';
import { DIRECTOR, OPERATOR, SCHOOL, apply, enrolled, hired, person } from './fixtures';

describe('account deadlines', () => {
  it('counts working days Monday to Friday after the day', () => {
    // 2026-09-04 is a Friday.
    expect(workingDaysBetween('2026-09-04', '2026-09-04')).toBe(0);
    expect(workingDaysBetween('2026-09-04', '2026-09-06')).toBe(0);
    expect(workingDaysBetween('2026-09-04', '2026-09-09')).toBe(3);
    expect(workingDaysBetween('2026-09-04', '2026-09-10')).toBe(4);
  });

  it('lists staff and students more than 3 working days in without a linked account', async () => {
    const w = world();
    await apply(
      w,
      person('p-t1', 'staff', 'Учитель Первый'),
      hired('pos-1', 'p-t1', 'teacher', '2026-09-04'),
      person('p-t2', 'staff', 'Учитель Второй'),
      hired('pos-2', 'p-t2', 'teacher', '2026-09-07'),
      person('p-s1', 'student', 'Ученик Первый'),
      enrolled('p-s1', '2026-09-01'),
      person('p-s2', 'student', 'Ученик Второй'),
      enrolled('p-s2', '2026-09-01'),
    );
    w.keycloak.add('s2', 'kc-s2');
    await linkAccount(w.deps, OPERATOR, {
      accountId: 'kc-s2',
      personId: 'p-s2',
      reason: 'Выдача учётной записи',
    });
    const overdue = await listAccountDeadlines(w.deps, DIRECTOR, { schoolId: SCHOOL, on: '2026-09-10' });
    expect(overdue).toEqual([
      {
        personId: 'p-s1',
        displayName: 'Ученик Первый',
        kind: 'student',
        since: '2026-09-01',
        workingDays: 7,
      },
      { personId: 'p-t1', displayName: 'Учитель Первый', kind: 'staff', since: '2026-09-04', workingDays: 4 },
    ]);
    await expect(
      listAccountDeadlines(w.deps, DIRECTOR, { schoolId: SCHOOL, on: '10.09.2026' }),
    ).rejects.toMatchObject({ code: 'identity.invalid' });
  });
});
