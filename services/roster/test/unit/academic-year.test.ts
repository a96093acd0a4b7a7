import {
  calendarFormErrors,
  calendarRuleErrors,
  calendarSummary,
  planFormErrors,
  planRuleErrors,
  type AcademicYearPlan,
  type Calendar,
} from '../../src/domain/academic-year';
import { validPlan } from './fixtures';

// The calendar rules of R2.2 without I/O: every message names what a deputy has to fix.

function withQuarter(plan: AcademicYearPlan, number: number, startsOn: string, endsOn: string) {
  const quarters = plan.periodSchemes[0]!;
  quarters.periods[number - 1] = { number, days: { startsOn, endsOn } };
  return plan;
}

const messages = (plan: AcademicYearPlan) => planRuleErrors(plan).map((e) => e.message);

describe('academic year plan rules', () => {
  test('when quarters and half-years meet at holidays, then the plan is accepted', () => {
    const plan = validPlan();

    expect(planFormErrors(plan)).toEqual([]);
    expect(planRuleErrors(plan)).toEqual([]);
  });

  test('when a quarter ends after the year, then it is named with the year boundaries', () => {
    const plan = withQuarter(validPlan(), 4, '2027-03-30', '2027-06-15');

    expect(messages(plan)).toContain('4-я четверть выходит за границы учебного года 01.09.2026–31.05.2027');
  });

  test('when two quarters overlap, then both are named', () => {
    const plan = withQuarter(validPlan(), 2, '2026-10-20', '2026-12-28');

    expect(messages(plan)).toContain('«1-я четверть» и «2-я четверть» пересекаются');
  });

  test('when days between two quarters are not holidays, then the gap is named with its dates', () => {
    const plan = withQuarter(validPlan(), 3, '2027-01-18', '2027-03-21');

    expect(messages(plan)).toEqual([
      'Пропуск между «2-я четверть» и «3-я четверть»: дни 12.01.2027–17.01.2027 не входят ни в период, ни в каникулы',
    ]);
    expect(planRuleErrors(plan)[0]!.field).toBe('periodSchemes[0].periods[1].days');
  });

  test('when the first half-year starts after the year does, then that is named', () => {
    const plan = validPlan();
    plan.periodSchemes[1]!.periods[0]!.days.startsOn = '2026-09-02';

    expect(messages(plan)).toContain(
      '1-е полугодие должно начинаться в первый день учебного года, 01.09.2026',
    );
  });

  test('when a scheme has three quarters, then the count is refused', () => {
    const plan = validPlan();
    plan.periodSchemes[0]!.periods.pop();

    expect(messages(plan)).toContain('Нужно 4 четверти, указано 3');
  });

  test('when a grade is in two schemes, then it is named', () => {
    const plan = validPlan();
    plan.periodSchemes[1]!.grades.push(9);

    expect(messages(plan)).toContain('9-я параллель уже есть в другой схеме периодов');
  });

  test('when holidays overlap or leave the year, then each is named', () => {
    const plan = validPlan();
    plan.holidays.push(
      { name: 'Дополнительные каникулы', days: { startsOn: '2026-11-01', endsOn: '2026-11-05' } },
      { name: 'Летние каникулы', days: { startsOn: '2027-06-01', endsOn: '2027-08-31' } },
    );

    expect(messages(plan)).toEqual(
      expect.arrayContaining([
        '«Дополнительные каникулы» пересекаются с «Осенние каникулы»',
        '«Летние каникулы» выходят за границы учебного года 01.09.2026–31.05.2027',
      ]),
    );
  });

  test('when a year is longer than a year, then it is refused', () => {
    const plan = validPlan();
    plan.days.endsOn = '2027-12-31';

    expect(messages(plan)).toContain('Учебный год длиннее 366 дней');
  });

  test('when dates are not dates and the kind is unknown, then the form errors name the fields', () => {
    const plan = validPlan();
    plan.days.endsOn = '31.05.2027';
    plan.periodSchemes[0]!.kind = 'semester' as never;
    plan.periodSchemes[1]!.grades = [12];
    plan.holidays[0]!.name = ' ';

    expect(planFormErrors(plan).map((e) => e.field)).toEqual([
      'days.endsOn',
      'holidays[0].name',
      'periodSchemes[0].kind',
      'periodSchemes[1].grades',
    ]);
  });

  test('when a holiday ends before it starts, then that is named', () => {
    const plan = validPlan();
    plan.holidays[1]!.days = { startsOn: '2027-01-11', endsOn: '2026-12-29' };

    expect(planFormErrors(plan)).toEqual([
      { field: 'holidays[1].days.endsOn', message: 'Зимние каникулы: окончание раньше начала' },
    ]);
  });
});

describe('calendar changes by order (R2.6)', () => {
  const days = validPlan().days;
  const calendarOf = (plan: AcademicYearPlan): Calendar => ({
    holidays: plan.holidays,
    periodSchemes: plan.periodSchemes,
    closures: [],
    transfers: [],
  });

  test('when autumn holidays are extended and the second quarter starts later, then the summary says both', () => {
    const before = calendarOf(validPlan());
    const after = calendarOf(validPlan());
    after.holidays[0]!.days.endsOn = '2026-11-08';
    after.periodSchemes[0]!.periods[1]!.days.startsOn = '2026-11-09';

    expect(calendarRuleErrors(after, days)).toEqual([]);
    expect(calendarSummary(before, after)).toEqual([
      '«Осенние каникулы»: 26.10.2026–03.11.2026 → 26.10.2026–08.11.2026',
      '2-я четверть (параллели 1, 2, 3, 4, 5, 6, 7, 8, 9): 04.11.2026–28.12.2026 → 09.11.2026–28.12.2026',
    ]);
  });

  test('when a quarantine and a working Saturday are added, then the summary names them', () => {
    const before = calendarOf(validPlan());
    const after = {
      ...calendarOf(validPlan()),
      closures: [
        {
          reason: 'Карантин по гриппу',
          days: { startsOn: '2027-02-01', endsOn: '2027-02-07' },
          grades: [1, 2],
        },
      ],
      transfers: [{ date: '2027-02-13', worksAs: 1 }],
    };

    expect(calendarRuleErrors(after, days)).toEqual([]);
    expect(calendarSummary(before, after)).toEqual([
      'Карантин по гриппу: 01.02.2027–07.02.2027, параллели 1, 2',
      'Суббота 13.02.2027 работает как понедельник',
    ]);
  });

  test('when a transfer falls on a weekday or in holidays, or a closure leaves the year, then each is named', () => {
    const calendar = {
      ...calendarOf(validPlan()),
      closures: [{ reason: 'Карантин', days: { startsOn: '2027-05-25', endsOn: '2027-06-05' }, grades: [] }],
      transfers: [
        { date: '2027-02-10', worksAs: 1 },
        { date: '2027-01-09', worksAs: 5 },
      ],
    };

    expect(calendarRuleErrors(calendar, days).map((e) => e.message)).toEqual([
      '«Карантин» выходит за границы учебного года 01.09.2026–31.05.2027',
      '10.02.2027 — среда, а переносить можно только выходной день',
      '09.01.2027 приходится на каникулы',
    ]);
  });

  test('when the order has no number and a transfer says weekday 7, then the form errors name them', () => {
    const calendar = { ...calendarOf(validPlan()), transfers: [{ date: '2027-02-13', worksAs: 7 }] };

    expect(
      calendarFormErrors({ number: ' ', date: '2026-10-20', title: 'О переносе' }, calendar, days).map(
        (e) => e.field,
      ),
    ).toEqual(['order.number', 'transfers[0].worksAs']);
  });
});
