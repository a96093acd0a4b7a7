import {
  addDays,
  dateFormErrors,
  hoursErrors,
  isDate,
  outsideYearErrors,
  overlappingAssignment,
  rangesOverlap,
  splitSubgroupsBlocking,
  teachesInSchool,
  todayIn,
  type TeachingAssignment,
} from '../../src/domain/teaching-assignment';
import { catalogue, position, subgroup } from './fixtures';

// The rules of teaching assignments without I/O.

const year = { name: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-05-31' };

const stored = (overrides: Partial<TeachingAssignment> = {}): TeachingAssignment => ({
  id: 'a-1',
  schoolId: 'school-1',
  academicYearId: 'year-1',
  teacherId: 'teacher-1',
  classId: 'class-5a',
  subgroupId: '',
  subjectId: 'math',
  subjectKey: 'mathematics',
  subjectName: 'Математика',
  startsOn: '2026-09-01',
  endsOn: '2027-05-31',
  hoursPerWeek: 5,
  status: 'active',
  history: [],
  version: 1,
  createdAt: '2026-08-20T00:00:00Z',
  ...overrides,
});

describe('teaching assignments: rules', () => {
  it('when dates are checked, then only real YYYY-MM-DD days pass and days are counted across months', () => {
    expect(isDate('2027-02-28')).toBe(true);
    expect(isDate('2027-02-29')).toBe(false);
    expect(isDate('2026-9-1')).toBe(false);
    expect(isDate('')).toBe(false);
    expect(addDays('2026-09-01', -1)).toBe('2026-08-31');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('when ranges share a day, then they overlap; an empty range overlaps nothing', () => {
    const year1 = { startsOn: '2026-09-01', endsOn: '2027-05-31' };

    expect(rangesOverlap(year1, { startsOn: '2027-05-31', endsOn: '2027-05-31' })).toBe(true);
    expect(
      rangesOverlap(
        { startsOn: '2026-09-01', endsOn: '2026-10-31' },
        { startsOn: '2026-11-01', endsOn: '2027-05-31' },
      ),
    ).toBe(false);
    expect(rangesOverlap(year1, { startsOn: '2026-11-01', endsOn: '2026-10-31' })).toBe(false);
  });

  it('when the days are malformed or reversed, then each field is named; outside the year, the date is named', () => {
    expect(dateFormErrors({ startsOn: '01.09.2026', endsOn: '2027-02-30' }).map((e) => e.field)).toEqual([
      'startsOn',
      'endsOn',
    ]);
    expect(dateFormErrors({ startsOn: '2026-10-01', endsOn: '2026-09-30' })).toEqual([
      { field: 'endsOn', message: 'Последний день раньше первого' },
    ]);
    expect(outsideYearErrors({ startsOn: '2026-08-31', endsOn: '2027-06-01' }, year)).toEqual([
      { field: 'startsOn', message: 'Дата 31.08.2026 вне учебного года 2026/2027 (01.09.2026–31.05.2027)' },
      { field: 'endsOn', message: 'Дата 01.06.2027 вне учебного года 2026/2027 (01.09.2026–31.05.2027)' },
    ]);
    expect(outsideYearErrors({ startsOn: '2026-09-01', endsOn: '2027-05-31' }, year)).toEqual([]);
  });

  it('when hours per week are given, then 0 and 0.5..40 in halves pass', () => {
    expect([0, 0.5, 2, 5.5, 40].flatMap(hoursErrors)).toEqual([]);
    expect([0.25, -1, 41, 2.3, Number.NaN].map((h) => hoursErrors(h).length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('when a split subject meets a class with subgroups for it, then those subgroups block a whole-class assignment', () => {
    const groups = [
      subgroup('g1', 'class-5a', 'english', 'Группа 1'),
      subgroup('g2', 'class-5a', 'english', 'Группа 2'),
      subgroup('g3', 'class-5a', 'pe', 'Мальчики'),
    ];

    expect(splitSubgroupsBlocking(catalogue('english'), groups).map((s) => s.id)).toEqual(['g1', 'g2']);
    expect(splitSubgroupsBlocking(catalogue('informatics'), groups)).toEqual([]);
    expect(splitSubgroupsBlocking({ key: 'english', splitIntoSubgroups: false }, groups)).toEqual([]);
  });

  it('when positions are looked at, then an active teaching post counts and HR, secretary or dismissed do not', () => {
    expect(teachesInSchool([position('p', 'teacher')])).toBe(true);
    expect(teachesInSchool([position('p', 'deputy')])).toBe(true);
    expect(teachesInSchool([position('p', 'hr'), position('p', 'secretary')])).toBe(false);
    expect(teachesInSchool([position('p', 'teacher', { status: 'dismissed' })])).toBe(false);
    expect(teachesInSchool([])).toBe(false);
  });

  it('when an assignment of the same teacher, target and subject shares a day, then it is found; else not', () => {
    const others = [stored({ id: 'a-1', endsOn: '2026-12-28', status: 'ended' })];
    const candidate = { ...stored({ id: 'new' }) };

    expect(overlappingAssignment({ ...candidate, startsOn: '2026-12-28' }, others)?.id).toBe('a-1');
    expect(overlappingAssignment({ ...candidate, startsOn: '2026-12-29' }, others)).toBeUndefined();
    expect(overlappingAssignment({ ...candidate, teacherId: 'teacher-2' }, others)).toBeUndefined();
    expect(overlappingAssignment({ ...candidate, subgroupId: 'g1' }, others)).toBeUndefined();
    // Ended before it began: it never took effect, so it blocks nothing.
    expect(
      overlappingAssignment(candidate, [stored({ endsOn: '2026-08-31', status: 'ended' })]),
    ).toBeUndefined();
  });

  it('when today is asked in a school time zone, then it is that zone day, not UTC day', () => {
    const lateEveningUtc = new Date('2026-09-01T20:00:00Z');

    expect(todayIn('Asia/Krasnoyarsk', lateEveningUtc)).toBe('2026-09-02');
    expect(todayIn('Europe/Kaliningrad', lateEveningUtc)).toBe('2026-09-01');
  });
});
