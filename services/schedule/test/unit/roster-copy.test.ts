import type { RosterCopyWriter } from '../../src/domain/ports';
import { applyRosterFact } from '../../src/domain/roster-copy';
import { person, position } from './fixtures';

// Applying roster's facts to the copy: what is kept, and the outcome reported.

function writer(answer: boolean) {
  const written: string[] = [];
  const put = (kind: string) => async () => {
    written.push(kind);
    return answer;
  };
  const copy: RosterCopyWriter = {
    putSchool: put('school'),
    putYear: put('year'),
    putClass: put('class'),
    putSubgroup: put('subgroup'),
    putStaffPosition: put('staffPosition'),
    putPerson: put('person'),
  };
  return { copy, written };
}

describe('roster copy: applying facts', () => {
  it('when a staff person or a position comes, then it is written and reported applied (or stale when not newer)', async () => {
    const fresh = writer(true);
    const old = writer(false);

    const applied = await applyRosterFact(fresh.copy, {
      kind: 'person',
      personKind: 'staff',
      person: person('teacher-1', 'Иванова Анна Петровна'),
    });
    const stale = await applyRosterFact(old.copy, { kind: 'staffPosition', position: position('teacher-1') });

    expect(applied).toBe('applied');
    expect(stale).toBe('stale');
    expect([...fresh.written, ...old.written]).toEqual(['person', 'staffPosition']);
  });

  it('when a student or a guardian comes, then nothing is written: schedule keeps no such personal data', async () => {
    const { copy, written } = writer(true);

    const outcomes = await Promise.all(
      ['student', 'guardian'].map((personKind) =>
        applyRosterFact(copy, { kind: 'person', personKind, person: person('child-1', 'Иванов Ваня') }),
      ),
    );

    expect(outcomes).toEqual(['not_kept', 'not_kept']);
    expect(written).toEqual([]);
  });
});
