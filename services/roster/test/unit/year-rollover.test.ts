import { planRuleErrors } from '../../src/domain/academic-year';
import {
  derivedId,
  nextYearDate,
  nextYearId,
  nextYearPlan,
  nextYearRange,
  planRollover,
  promotedClassId,
  promotionErrors,
} from '../../src/domain/year-rollover';
import { storedClass, storedEnrolment, storedYear } from './fixtures';

// The year rollover's rules without I/O (R2.5).

const order = { number: '77-о', date: '2027-06-20', title: 'О переводе и выпуске обучающихся' };
const at = { now: '2027-06-20T03:00:00.000Z', by: 'acc-director' };

describe('the next year of a calendar', () => {
  it('keeps the day and month a year later', () => {
    expect(nextYearDate('2026-09-01')).toBe('2027-09-01');
    expect(nextYearDate('2027-05-31')).toBe('2028-05-31');
    expect(nextYearDate('2026-12-31')).toBe('2027-12-31');
  });

  it('keeps the last day of February the last, in and out of a leap year', () => {
    expect(nextYearDate('2027-02-28')).toBe('2028-02-29');
    expect(nextYearDate('2028-02-29')).toBe('2029-02-28');
    expect(nextYearDate('2028-02-28')).toBe('2029-02-28');
  });

  it('keeps ranges that follow each other without a gap when a leap day comes or goes', () => {
    // A period to the end of February and holidays from 1 March, in 2027 and then in 2028.
    expect(nextYearRange({ startsOn: '2027-01-12', endsOn: '2027-02-28' })).toEqual({
      startsOn: '2028-01-12',
      endsOn: '2028-02-29',
    });
    expect(nextYearRange({ startsOn: '2027-03-01', endsOn: '2027-03-07' })).toEqual({
      startsOn: '2028-03-01',
      endsOn: '2028-03-07',
    });
    // Out of the leap year: a range starting on 29 February starts on 1 March.
    expect(nextYearRange({ startsOn: '2028-02-29', endsOn: '2028-03-07' })).toEqual({
      startsOn: '2029-03-01',
      endsOn: '2029-03-07',
    });
  });

  it('when 2026/2027 is shifted, then 2027/2028 has the same periods and holidays a year later and keeps every calendar rule', () => {
    const year = storedYear({
      status: 'closed',
      closures: [{ reason: 'Карантин', days: { startsOn: '2027-02-01', endsOn: '2027-02-07' }, grades: [] }],
      transfers: [{ date: '2027-02-13', worksAs: 1 }],
    });

    const next = nextYearPlan(year);

    expect(next.days).toEqual({ startsOn: '2027-09-01', endsOn: '2028-05-31' });
    expect(next.holidays.map((h) => [h.name, h.days.startsOn, h.days.endsOn])).toEqual([
      ['Осенние каникулы', '2027-10-26', '2027-11-03'],
      ['Зимние каникулы', '2027-12-29', '2028-01-11'],
      ['Весенние каникулы', '2028-03-22', '2028-03-29'],
    ]);
    expect(next.periodSchemes.map((s) => [s.grades, s.kind, s.periods.at(-1)!.days])).toEqual([
      [[1, 2, 3, 4, 5, 6, 7, 8, 9], 'quarter', { startsOn: '2028-03-30', endsOn: '2028-05-31' }],
      [[10, 11], 'half_year', { startsOn: '2028-01-12', endsOn: '2028-05-31' }],
    ]);
    expect(next).not.toHaveProperty('closures');
    expect(planRuleErrors(next)).toEqual([]);
  });
});

describe('rollover ids', () => {
  it('are UUIDs derived from the old ids: the same on every run, different for different sources', () => {
    expect(nextYearId('year-1')).toBe(nextYearId('year-1'));
    expect(nextYearId('year-1')).not.toBe(nextYearId('year-2'));
    expect(promotedClassId('class-5a')).not.toBe(promotedClassId('class-5b'));
    expect(derivedId('class', 'year-1')).not.toBe(nextYearId('year-1'));
    expect(nextYearId('year-1')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('planning a rollover', () => {
  const source = () => ({
    fromYear: storedYear({ status: 'closed', version: 2 }),
    classes: [
      storedClass('c-5a', 5, 'А', { classTeacherId: 't-5a', capacity: 30 }),
      storedClass('c-9v', 9, 'В', { status: 'closed' }),
      storedClass('c-11a', 11, 'А'),
    ],
    enrolments: [
      storedEnrolment('s1', 'c-5a'),
      storedEnrolment('s2', 'c-5a'),
      storedEnrolment('gone', '', { status: 'withdrawn' }),
      storedEnrolment('x1', 'c-9v'),
      storedEnrolment('g1', 'c-11a'),
    ],
    keptSubgroups: [],
    isActiveStaff: (id: string) => id === 't-5a',
  });

  it('promotes open classes one grade up with the letter, teacher and capacity, moves their students, graduates the 11th and leaves a closed class', () => {
    const plan = planRollover(source(), { graduatingGrades: [11], order, dryRun: false }, at);

    expect(plan.year).toMatchObject({
      id: nextYearId('year-1'),
      name: '2027/2028',
      status: 'open',
      version: 1,
      rolledOverFrom: 'year-1',
      closures: [],
      transfers: [],
    });
    expect(plan.classes).toEqual([
      expect.objectContaining({
        id: promotedClassId('c-5a'),
        academicYearId: plan.year.id,
        grade: 6,
        letter: 'А',
        classTeacherId: 't-5a',
        capacity: 30,
        status: 'open',
      }),
    ]);
    expect(plan.promotions.map((e) => [e.id, e.classId, e.movements])).toEqual(
      ['s1', 's2'].map((s) => [
        `${plan.year.id}:${s}`,
        promotedClassId('c-5a'),
        [
          {
            kind: 'promoted',
            fromClassId: 'c-5a',
            toClassId: promotedClassId('c-5a'),
            effectiveOn: '2027-09-01',
            order,
            reason: '',
            recordedAt: at.now,
            recordedBy: 'acc-director',
          },
        ],
      ]),
    );
    const graduation = {
      kind: 'graduated',
      fromClassId: 'c-11a',
      toClassId: '',
      effectiveOn: '2027-05-31',
      order,
      reason: '',
      recordedAt: at.now,
      recordedBy: 'acc-director',
    };
    expect(plan.graduating).toEqual([{ classId: 'c-11a', ids: ['year-1:g1'], movement: graduation }]);
    expect(plan.graduates).toEqual([
      {
        ...storedEnrolment('g1', 'c-11a'),
        status: 'graduated',
        classId: '',
        version: 2,
        movements: [...storedEnrolment('g1', 'c-11a').movements, graduation],
      },
    ]);
    expect(plan.summary).toMatchObject({
      fromName: '2026/2027',
      toName: '2027/2028',
      classesPromoted: 1,
      studentsPromoted: 2,
      studentsGraduated: 1,
      studentsNotMoved: 1,
      subgroupsKept: 0,
      completedAt: '',
    });
    expect(plan.summary.classes.map((c) => [c.fromName, c.outcome, c.toName, c.students])).toEqual([
      ['5А', 'promoted', '6А', 2],
      ['9В', 'not_moved', '', 1],
      ['11А', 'graduated', '', 1],
    ]);
  });

  it('when a class teacher no longer works at the school, then the promoted class has none', () => {
    const plan = planRollover(
      { ...source(), isActiveStaff: () => false },
      { graduatingGrades: [11], order, dryRun: true },
      at,
    );

    expect(plan.classes[0]!.classTeacherId).toBe('');
    expect(plan.summary.dryRun).toBe(true);
  });

  it('when graduates were ended by an interrupted run, then they are counted and not ended again', () => {
    const interrupted = source();
    const first = planRollover(interrupted, { graduatingGrades: [11], order, dryRun: false }, at);
    interrupted.enrolments[4] = first.graduates[0]!;

    const again = planRollover(interrupted, { graduatingGrades: [11], order, dryRun: false }, at);

    expect(again.graduating).toEqual([]);
    expect(again.graduates).toEqual(first.graduates);
    expect(again.summary.studentsGraduated).toBe(1);
    expect(again.summary.classes).toEqual(first.summary.classes);
  });

  it('keeps a subgroup with the members who move up and its teacher if still on staff', () => {
    const subgroup = {
      id: 'sg-1',
      schoolId: 'school-1',
      academicYearId: 'year-1',
      classId: 'c-5a',
      subjectKey: 'english',
      name: 'Английский язык, группа 1',
      teacherId: 't-gone',
      memberIds: ['s1', 'gone'],
      history: [],
      status: 'open' as const,
      version: 3,
      createdAt: '2026-09-02T00:00:00Z',
    };

    const plan = planRollover(
      { ...source(), keptSubgroups: [subgroup] },
      { graduatingGrades: [11], order, dryRun: false },
      at,
    );

    expect(plan.subgroups).toEqual([
      expect.objectContaining({
        classId: promotedClassId('c-5a'),
        academicYearId: plan.year.id,
        name: 'Английский язык, группа 1',
        teacherId: '',
        memberIds: ['s1'],
        version: 1,
      }),
    ]);
    expect(plan.summary.classes[0]!.subgroupsKept).toBe(1);
  });

  it('names every class that has no next grade', () => {
    const next = nextYearPlan(storedYear());
    const classes = [
      storedClass('c-11a', 11, 'А'),
      storedClass('c-11b', 11, 'Б'),
      storedClass('c-5a', 5, 'А'),
    ];

    expect(promotionErrors(classes, [9], next).map((e) => e.message)).toEqual([
      'Класс 11А: 12-го класса нет — укажите 11-ю параллель среди выпускных',
      'Класс 11Б: 12-го класса нет — укажите 11-ю параллель среди выпускных',
    ]);
    expect(promotionErrors(classes, [11], next)).toEqual([]);
  });
});
