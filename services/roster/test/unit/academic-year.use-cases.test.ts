import { conflict, forbidden } from '@edu/kit';
import type { AcademicYear } from '../../src/domain/academic-year';
import {
  changeCalendar,
  getAcademicYear,
  openAcademicYear,
  type AcademicYearDeps,
} from '../../src/domain/academic-year.use-cases';
import type { AcademicYearEvent } from '../../src/domain/ports';
import type { School } from '../../src/domain/school';
import { as, failure, inSchool, validCard, validPlan } from './fixtures';

// The use cases with in-memory repositories (port fakes) and the deny-by-default policy port.

function inMemory() {
  const years: AcademicYear[] = [];
  const events: AcademicYearEvent[] = [];
  const school: School = { ...validCard(), id: 'school-1', version: 1, createdAt: '2026-08-01T00:00:00Z' };
  let n = 0;
  const deps: AcademicYearDeps = {
    schools: {
      create: async () => undefined,
      update: async () => undefined,
      get: async (id) => (id === school.id ? school : null),
      list: async () => [school],
    },
    academicYears: {
      async create(year, written) {
        years.push(year);
        events.push(...written);
      },
      async update(year, expectedVersion, written) {
        const at = years.findIndex((y) => y.id === year.id && y.version === expectedVersion);
        if (at < 0) throw conflict('academic_year.version_conflict', 'Календарь уже изменили');
        years[at] = year;
        events.push(...written);
      },
      get: async (id) => years.find((y) => y.id === id) ?? null,
      listBySchool: async (schoolId) => years.filter((y) => y.schoolId === schoolId),
    },
    authorize: (_actor, allowed) => {
      if (!allowed) throw forbidden('access.denied', 'Недостаточно прав для этого действия');
    },
    newId: () => `year-${(n += 1)}`,
    now: () => new Date('2026-08-20T06:00:00Z'),
  };
  return { deps, years, events };
}

describe('academic year use cases', () => {
  test.each(['director', 'deputy', 'schoolAdmin'])(
    'when the %s opens a year, then it is stored as 2026/2027 version 1 and opened is published',
    async (role) => {
      const { deps, years, events } = inMemory();

      const year = await openAcademicYear(deps, as(inSchool(role)), validPlan());

      expect(year).toMatchObject({ id: 'year-1', name: '2026/2027', status: 'open', version: 1 });
      expect(years).toEqual([year]);
      expect(events).toEqual([{ type: 'edu.roster.academic_year.opened', academicYear: year }]);
    },
  );

  test.each([
    ['a teacher of the school', inSchool('teacher')],
    ['the director of another school', inSchool('director', 'school-2')],
    ['the region operator', { accountId: 'op', schoolRoles: [], grants: ['regionOperator'] }],
  ])('when %s opens a year, then it is refused and nothing is stored', async (_who, actor) => {
    const { deps, years, events } = inMemory();

    const error = await failure(openAcademicYear(deps, as(actor), validPlan()));

    expect(error.kind).toBe('forbidden');
    expect(years).toEqual([]);
    expect(events).toEqual([]);
  });

  test('when the year overlaps an open one, then 409 names that year and nothing changes', async () => {
    const { deps, years } = inMemory();
    await openAcademicYear(deps, as(inSchool('director')), validPlan());
    const shifted = validPlan();
    shifted.days.endsOn = '2027-06-30';
    shifted.periodSchemes.forEach((s) => (s.periods.at(-1)!.days.endsOn = '2027-06-30'));

    const error = await failure(openAcademicYear(deps, as(inSchool('director')), shifted));

    expect(error).toMatchObject({ kind: 'conflict', code: 'academic_year.overlaps' });
    expect(error.detail).toContain('2026/2027 (01.09.2026–31.05.2027)');
    expect(years).toHaveLength(1);
  });

  test('when the periods leave a gap, then 422 with the periods named and nothing is stored', async () => {
    const { deps, years } = inMemory();
    const plan = validPlan();
    plan.holidays.splice(0, 1);

    const error = await failure(openAcademicYear(deps, as(inSchool('director')), plan));

    expect(error).toMatchObject({ kind: 'precondition', code: 'academic_year.calendar_invalid' });
    expect(error.errors?.map((e) => e.message)).toEqual([
      'Пропуск между «1-я четверть» и «2-я четверть»: дни 26.10.2026–03.11.2026 не входят ни в период, ни в каникулы',
    ]);
    expect(years).toEqual([]);
  });

  test('when the school does not exist, then 404', async () => {
    const { deps } = inMemory();

    const error = await failure(
      openAcademicYear(deps, as(inSchool('director', 'school-9')), validPlan('school-9')),
    );

    expect(error).toMatchObject({ kind: 'not_found', code: 'school.not_found' });
  });

  test('when a teacher of another school reads the year, then it is reported as missing', async () => {
    const { deps } = inMemory();
    const year = await openAcademicYear(deps, as(inSchool('director')), validPlan());

    expect(await getAcademicYear(deps, as(inSchool('teacher')), year.id)).toEqual(year);
    const error = await failure(getAcademicYear(deps, as(inSchool('teacher', 'school-2')), year.id));
    expect(error).toMatchObject({ kind: 'not_found', code: 'academic_year.not_found' });
  });

  describe('calendar changes', () => {
    const order = { number: '45-о', date: '2026-10-20', title: 'О продлении осенних каникул' };
    const extended = (year: AcademicYear) => {
      const calendar = {
        holidays: structuredClone(year.holidays),
        periodSchemes: structuredClone(year.periodSchemes),
        closures: [],
        transfers: [],
      };
      calendar.holidays[0]!.days.endsOn = '2026-11-08';
      calendar.periodSchemes[0]!.periods[1]!.days.startsOn = '2026-11-09';
      calendar.periodSchemes[1]!.periods[0]!.days.startsOn = '2026-09-01';
      return calendar;
    };

    test('when the deputy applies an order, then version 2 with the change recorded and calendar_changed published', async () => {
      const { deps, events } = inMemory();
      const year = await openAcademicYear(deps, as(inSchool('director')), validPlan());

      const changed = await changeCalendar(deps, as(inSchool('deputy')), {
        academicYearId: year.id,
        expectedVersion: 1,
        order,
        calendar: extended(year),
      });

      expect(changed.version).toBe(2);
      expect(changed.holidays[0]!.days.endsOn).toBe('2026-11-08');
      expect(changed.changes).toEqual([
        {
          kind: 'calendar',
          order,
          recordedAt: '2026-08-20T06:00:00.000Z',
          recordedBy: 'acc-deputy',
          summary: [
            '«Осенние каникулы»: 26.10.2026–03.11.2026 → 26.10.2026–08.11.2026',
            '2-я четверть (параллели 1, 2, 3, 4, 5, 6, 7, 8, 9): 04.11.2026–28.12.2026 → 09.11.2026–28.12.2026',
          ],
        },
      ]);
      expect(events.map((e) => e.type)).toEqual([
        'edu.roster.academic_year.opened',
        'edu.roster.academic_year.calendar_changed',
      ]);
    });

    test('when the change was made against an old version, then 409 and nothing changes', async () => {
      const { deps, years } = inMemory();
      const year = await openAcademicYear(deps, as(inSchool('director')), validPlan());
      await changeCalendar(deps, as(inSchool('director')), {
        academicYearId: year.id,
        expectedVersion: 1,
        order,
        calendar: extended(year),
      });

      const error = await failure(
        changeCalendar(deps, as(inSchool('director')), {
          academicYearId: year.id,
          expectedVersion: 1,
          order,
          calendar: extended(year),
        }),
      );

      expect(error).toMatchObject({ kind: 'conflict', code: 'academic_year.version_conflict' });
      expect(years[0]!.version).toBe(2);
    });

    test('when nothing differs, then 422 no_change; when a teacher tries, then forbidden', async () => {
      const { deps } = inMemory();
      const year = await openAcademicYear(deps, as(inSchool('director')), validPlan());
      const same = {
        holidays: year.holidays,
        periodSchemes: year.periodSchemes,
        closures: [],
        transfers: [],
      };

      const unchanged = await failure(
        changeCalendar(deps, as(inSchool('director')), {
          academicYearId: year.id,
          expectedVersion: 1,
          order,
          calendar: same,
        }),
      );
      const refused = await failure(
        changeCalendar(deps, as(inSchool('teacher')), {
          academicYearId: year.id,
          expectedVersion: 1,
          order,
          calendar: extended(year),
        }),
      );

      expect(unchanged).toMatchObject({ kind: 'precondition', code: 'academic_year.no_change' });
      expect(refused.kind).toBe('forbidden');
    });
  });
});
