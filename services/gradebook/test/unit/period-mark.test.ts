import { daysBetween } from '@edu/kit';
import type { StudyPeriod } from '../../src/domain/study-periods';
import {
  attestationCount,
  basisOfMarks,
  outsideWindowProblem,
  setWindow,
  weeklyHours,
} from '../../src/domain/period-mark';
import { mark } from './period-mark.fixtures';

// The pure rules of period marks: windows, membership, what a mark rests on, what counts.

const periods: StudyPeriod[] = [
  { kind: 'quarter', number: 1, startsOn: '2026-09-01', endsOn: '2026-10-25' },
  { kind: 'quarter', number: 2, startsOn: '2026-11-05', endsOn: '2026-12-28' },
  { kind: 'quarter', number: 4, startsOn: '2027-03-30', endsOn: '2027-05-26' },
];

describe('period marks: the window', () => {
  it('opens a period mark for the last N days of the period, its last day included', () => {
    const window = setWindow({ periodMarkWindowDays: 5 }, 'period', periods[1]!, periods);
    expect(window).toEqual({ startsOn: '2026-12-24', endsOn: '2026-12-28', closesOn: '2026-12-28' });
    expect(outsideWindowProblem(window, '2026-12-23', 'за 2 четверть')).toBe(
      'Отметку за 2 четверть можно выставить с 24.12.2026 по 28.12.2026',
    );
    expect(outsideWindowProblem(window, '2026-12-24', 'x')).toBeNull();
    expect(outsideWindowProblem(window, '2026-12-28', 'x')).toBeNull();
    expect(outsideWindowProblem(window, '2026-12-29', 'за 2 четверть')).toBe(
      'Срок выставления отметки за 2 четверть истёк 28.12.2026',
    );
  });

  it('a window of one day is the last day only', () => {
    expect(setWindow({ periodMarkWindowDays: 1 }, 'period', periods[0]!, periods)).toMatchObject({
      startsOn: '2026-10-25',
      closesOn: '2026-10-25',
    });
  });

  it('puts the year mark before the last period ends, and exam and final marks from the last period on', () => {
    expect(setWindow({ periodMarkWindowDays: 5 }, 'year', null, periods)).toEqual({
      startsOn: '2027-05-22',
      endsOn: '2027-05-26',
      closesOn: '2027-05-26',
    });
    const exam = setWindow({ periodMarkWindowDays: 5 }, 'exam', null, periods);
    expect(exam.startsOn).toBe('2027-03-30');
    expect(outsideWindowProblem(exam, '2027-03-29', 'x')).toBe('Отметку x можно выставить с 30.03.2027');
    expect(outsideWindowProblem(exam, '2027-06-20', 'x')).toBeNull();
    expect(setWindow({ periodMarkWindowDays: 5 }, 'final', null, periods).startsOn).toBe('2027-03-30');
  });
});

describe('period marks: what they rest on and what counts', () => {
  it('averages the numeric marks of a year basis, leaving out pass/fail and special values', () => {
    expect(basisOfMarks(['5', '4', '4', 'зачёт', 'н/а', 'осв'])).toEqual({
      arithmeticAverage: 4.33,
      weightedAverage: 4.33,
      marksCount: 3,
    });
    expect(basisOfMarks([])).toEqual({ arithmeticAverage: 0, weightedAverage: 0, marksCount: 0 });
  });

  it('counts active numeric and pass/fail marks, not "н/а" nor voided ones; "осв" attests', () => {
    const marks = [
      mark('a', '5'),
      mark('a', 'зачёт'),
      mark('a', 'н/а'),
      mark('a', '3', 1, 'voided'),
      mark('b', '4'),
      mark('c', 'осв'),
    ];
    expect(attestationCount(marks, 'a')).toEqual({ count: 2, exempt: false });
    expect(attestationCount(marks, 'c')).toEqual({ count: 0, exempt: true });
    expect(attestationCount(marks, 'd')).toEqual({ count: 0, exempt: false });
  });

  it("takes the curriculum's weekly hours, else the period's lessons per week", () => {
    expect(weeklyHours(3, 1, periods[1]!)).toBe(3);
    // 54 days ≈ 7.71 weeks; 16 lessons → 2.07 a week.
    expect(weeklyHours(undefined, 16, periods[1]!)).toBe(2.07);
    expect(weeklyHours(0, 3, { startsOn: '2026-11-05', endsOn: '2026-11-06' })).toBe(3);
  });

  it('counts days between dates across months', () => {
    expect(daysBetween('2026-12-25', '2026-12-28')).toBe(3);
    expect(daysBetween('2026-12-28', '2027-01-02')).toBe(5);
    expect(daysBetween('2026-12-28', '2026-12-25')).toBe(-3);
  });
});
