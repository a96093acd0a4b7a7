import { newEvent } from '@edu/events';
import type { RosterCopyWriter } from '../../src/domain/ports';
import { applyRosterFact } from '../../src/domain/roster-copy';
import { toRosterFact } from '../../src/entry-points/kafka/roster-copy.handler';
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

describe('roster copy: the calendar of a year', () => {
  it('when roster opens a year with holidays, period schemes, closures and transfers, then the fact carries them in schedule’s own shape', () => {
    const fact = toRosterFact(
      newEvent({
        type: 'edu.roster.academic_year.opened',
        schoolId: 'school-1',
        aggregateId: 'year-1',
        aggregateVersion: 3,
        actor: { accountId: '', personId: '' },
        traceId: '',
        payload: {
          academic_year: {
            academic_year_id: 'year-1',
            school_id: 'school-1',
            name: '2026/2027',
            days: { starts_on: '2026-09-01', ends_on: '2027-05-31' },
            holidays: [
              { name: 'Осенние каникулы', days: { starts_on: '2026-10-26', ends_on: '2026-11-03' } },
            ],
            period_schemes: [
              {
                grades: [10, 11],
                kind: 'half_year',
                periods: [
                  { number: 1, days: { starts_on: '2026-09-01', ends_on: '2026-12-27' } },
                  { number: 2, days: { starts_on: '2027-01-11', ends_on: '2027-05-31' } },
                ],
              },
            ],
            status: 'open',
            closures: [
              {
                reason: 'Карантин по гриппу',
                days: { starts_on: '2027-02-01', ends_on: '2027-02-07' },
                grades: [5, 6],
              },
            ],
            transfers: [{ date: '2026-11-07', works_as: 1 }],
          },
        },
      }),
    );

    expect(fact).toEqual({
      kind: 'year',
      year: {
        id: 'year-1',
        schoolId: 'school-1',
        name: '2026/2027',
        startsOn: '2026-09-01',
        endsOn: '2027-05-31',
        status: 'open',
        calendar: {
          holidays: [{ name: 'Осенние каникулы', startsOn: '2026-10-26', endsOn: '2026-11-03' }],
          periodSchemes: [
            {
              grades: [10, 11],
              kind: 'half_year',
              periods: [
                { number: 1, startsOn: '2026-09-01', endsOn: '2026-12-27' },
                { number: 2, startsOn: '2027-01-11', endsOn: '2027-05-31' },
              ],
            },
          ],
          closures: [
            { reason: 'Карантин по гриппу', startsOn: '2027-02-01', endsOn: '2027-02-07', grades: [5, 6] },
          ],
          transfers: [{ date: '2026-11-07', worksAs: 1 }],
        },
        version: 3,
      },
    });
  });
});
