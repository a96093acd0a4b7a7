import {
  curriculumFormErrors,
  curriculumId,
  duplicateSubjectLines,
  hoursPerYear,
  maxWeeklyHoursByGrade,
  periodTotals,
  studyWeekdays,
  studyWeeks,
  unknownPeriodErrors,
  weeklyLoadExcess,
  type CurriculumLineInput,
} from '../../src/domain/curriculum';
import { quarterCalendar, year } from './fixtures';

// The rules of a curriculum without I/O: the form of lines, duplicates, weeks of study from the
// calendar (or the defaults), hours per year with period overrides, periods and the weekly load.

const line = (fields: Partial<CurriculumLineInput> = {}): CurriculumLineInput => ({
  subjectId: 'subject-1',
  hoursPerWeek: 5,
  periodHours: [],
  component: 'mandatory',
  ...fields,
});

describe('curriculum: rules', () => {
  it('when lines have bad hours, components and periods, then every problem is named by its field at once', () => {
    const errors = curriculumFormErrors([
      line(),
      line({ subjectId: '', hoursPerWeek: 0 }),
      line({ hoursPerWeek: 10.5, component: 'elective' }),
      line({ hoursPerWeek: 1.25 }),
      line({
        periodHours: [
          { period: 0, hoursPerWeek: 1 },
          { period: 2, hoursPerWeek: 0 },
          { period: 2, hoursPerWeek: 0.3 },
        ],
      }),
    ]);

    expect(errors.map((e) => e.field)).toEqual([
      'lines[1].subjectId',
      'lines[1].hoursPerWeek',
      'lines[2].hoursPerWeek',
      'lines[2].component',
      'lines[3].hoursPerWeek',
      'lines[4].periodHours[0].period',
      'lines[4].periodHours[2].period',
      'lines[4].periodHours[2].hoursPerWeek',
    ]);
    expect(errors[1]!.message).toBe('Часов в неделю — от 0,5 до 10 с шагом 0,5');
    expect(errors[6]!.message).toBe('Период 2 указан в строке дважды');
  });

  it('when a plan has more than 40 lines, then that alone is reported', () => {
    expect(curriculumFormErrors(Array.from({ length: 41 }, () => line({ hoursPerWeek: 0 })))).toEqual([
      { field: 'lines', message: 'В учебном плане не больше 40 строк' },
    ]);
  });

  it('when a subject repeats, then each repeat is found with the line it repeats', () => {
    expect(duplicateSubjectLines(['a', 'b', 'a', 'c', 'a'])).toEqual([
      { index: 2, firstIndex: 0, subjectId: 'a' },
      { index: 4, firstIndex: 0, subjectId: 'a' },
    ]);
    expect(duplicateSubjectLines(['a', 'b'])).toEqual([]);
  });

  it('when weekdays are counted, then weekends and holidays are left out', () => {
    // Monday 2026-10-19 .. Sunday 2026-11-08: 15 weekdays, 7 of them (26.10–30.10, 02.11–03.11) in holidays.
    const days = { startsOn: '2026-10-19', endsOn: '2026-11-08' };

    expect(studyWeekdays(days, [])).toBe(15);
    expect(studyWeekdays(days, [{ startsOn: '2026-10-26', endsOn: '2026-11-03' }])).toBe(8);
  });

  it('when the grade has a period scheme in the copy, then each period has its weeks from its weekdays outside holidays', () => {
    const weeks = studyWeeks(year({ calendar: quarterCalendar }), 5);
    const halves = studyWeeks(year({ calendar: quarterCalendar }), 10);

    expect(weeks).toEqual({
      source: 'calendar',
      periodKind: 'quarter',
      periods: [
        { number: 1, name: '1-я четверть', startsOn: '2026-09-01', endsOn: '2026-10-25', weeks: 8 },
        { number: 2, name: '2-я четверть', startsOn: '2026-11-04', endsOn: '2026-12-27', weeks: 8 },
        { number: 3, name: '3-я четверть', startsOn: '2027-01-11', endsOn: '2027-03-21', weeks: 10 },
        { number: 4, name: '4-я четверть', startsOn: '2027-04-01', endsOn: '2027-05-31', weeks: 9 },
      ],
      perYear: 35,
    });
    expect(halves.periods.map((p) => [p.name, p.weeks])).toEqual([
      ['1-е полугодие', 15],
      ['2-е полугодие', 19],
    ]);
  });

  it('when the grade has no scheme but holidays are known, then the year has its weeks outside holidays, as four equal periods', () => {
    const weeks = studyWeeks(year({ calendar: quarterCalendar }), 1);

    expect(weeks.source).toBe('calendar');
    expect(weeks.periodKind).toBe('');
    expect(weeks.perYear).toBe(34);
    expect(weeks.periods.map((p) => [p.number, p.name, p.weeks])).toEqual([
      [1, 'Период 1', 8.5],
      [2, 'Период 2', 8.5],
      [3, 'Период 3', 8.5],
      [4, 'Период 4', 8.5],
    ]);
  });

  it('when the copy knows no calendar (or no year), then 34 weeks, and 33 in the 1st grade', () => {
    expect(studyWeeks(year(), 5)).toMatchObject({ source: 'default', perYear: 34 });
    expect(studyWeeks(year({ calendar: { holidays: [], periodSchemes: [] } }), 1)).toMatchObject({
      source: 'default',
      perYear: 33,
    });
    expect(studyWeeks(null, 7).periods.map((p) => p.weeks)).toEqual([8.5, 8.5, 8.5, 8.5]);
  });

  it('when a line has other hours in some periods, then its hours per year and the period totals follow them', () => {
    const weeks = studyWeeks(year({ calendar: quarterCalendar }), 5);
    const math = { hoursPerWeek: 5, periodHours: [] };
    const astronomy = { hoursPerWeek: 1, periodHours: [{ period: 4, hoursPerWeek: 0 }] };
    const pe = { hoursPerWeek: 2, periodHours: [{ period: 3, hoursPerWeek: 2.5 }] };

    expect(hoursPerYear(math, weeks)).toBe(175);
    expect(hoursPerYear(astronomy, weeks)).toBe(26);
    expect(hoursPerYear(pe, weeks)).toBe(75);
    expect(hoursPerYear(math, studyWeeks(year(), 1))).toBe(165);
    expect(periodTotals([math, astronomy, pe], weeks)).toEqual([
      { period: 1, hoursPerWeek: 8 },
      { period: 2, hoursPerWeek: 8 },
      { period: 3, hoursPerWeek: 8.5 },
      { period: 4, hoursPerWeek: 7 },
    ]);
  });

  it('when a period is not of the grade’s scheme, then it is named; while the scheme is unknown, 1..4 are accepted', () => {
    const known = studyWeeks(year({ calendar: quarterCalendar }), 10);
    const unknown = studyWeeks(year(), 10);
    const lines = [
      { periodHours: [{ period: 2, hoursPerWeek: 1 }] },
      { periodHours: [{ period: 4, hoursPerWeek: 1 }] },
    ];

    expect(unknownPeriodErrors(lines, known, { grade: 10, yearName: '2026/2027' })).toEqual([
      {
        field: 'lines[1].periodHours[0].period',
        message: 'Периода 4 нет: у 10-х классов в 2026/2027 учебном году полугодия 1–2',
      },
    ]);
    expect(unknownPeriodErrors(lines, unknown, { grade: 10, yearName: '2026/2027' })).toEqual([]);
    expect(
      unknownPeriodErrors([{ periodHours: [{ period: 5, hoursPerWeek: 1 }] }], unknown, {
        grade: 10,
        yearName: '2026/2027',
      })[0]?.message,
    ).toBe('Периода 5 нет: пока учебные периоды 10-х классов не известны, допускаются периоды 1–4');
  });

  it('when the weekly load is over the grade’s maximum in every period or in some, then the detail says where and by how much', () => {
    const weeks = studyWeeks(year({ calendar: quarterCalendar }), 5);
    const context = { className: '5А', grade: 5, max: 29 };

    const everywhere = weeklyLoadExcess([{ hoursPerWeek: 29.5, periodHours: [] }], weeks, context);
    const some = weeklyLoadExcess(
      [
        { hoursPerWeek: 28, periodHours: [] },
        { hoursPerWeek: 1, periodHours: [{ period: 2, hoursPerWeek: 2 }] },
      ],
      weeks,
      context,
    );
    const atMax = weeklyLoadExcess([{ hoursPerWeek: 29, periodHours: [] }], weeks, context);

    expect(everywhere?.detail).toBe(
      'Недельная нагрузка класса 5А — 29,5 ч, а для 5-х классов допускается не больше 29 ч',
    );
    expect(everywhere?.errors).toEqual([{ field: 'lines', message: everywhere?.detail }]);
    expect(some?.detail).toBe(
      'Недельная нагрузка класса 5А больше допустимой (для 5-х классов допускается не больше 29 ч): 2-я четверть — 30 ч',
    );
    expect(atMax).toBeUndefined();
  });

  it('when the deployment changes some grades, then those differ and the rest keep the SanPiN-like defaults', () => {
    const defaults = maxWeeklyHoursByGrade();
    const changed = maxWeeklyHoursByGrade({ 5: 30, 10: 37 });

    expect([1, 2, 4, 5, 6, 7, 8, 9, 10, 11].map(defaults)).toEqual([21, 23, 23, 29, 30, 32, 33, 33, 34, 34]);
    expect([5, 6, 10].map(changed)).toEqual([30, 30, 37]);
    expect(changed(12)).toBe(37);
  });

  it('when the id of a class’s curriculum is derived twice, then it is the same, and another class gets another', () => {
    expect(curriculumId('class-1')).toBe(curriculumId('class-1'));
    expect(curriculumId('class-2')).not.toBe(curriculumId('class-1'));
  });
});
