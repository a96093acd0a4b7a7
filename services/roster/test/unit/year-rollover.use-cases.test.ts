import { conflict, forbidden } from '@edu/kit';
import type { AcademicYear } from '../../src/domain/academic-year';
import { changeCalendar, closeAcademicYear } from '../../src/domain/academic-year.use-cases';
import type { Enrolment, Movement } from '../../src/domain/enrolment';
import { enrolStudent, moveStudent } from '../../src/domain/enrolment.use-cases';
import type { Person } from '../../src/domain/person';
import type {
  AcademicYearEvent,
  EnrolmentEvent,
  SchoolClassEvent,
  SubgroupEvent,
} from '../../src/domain/ports';
import type { School } from '../../src/domain/school';
import type { SchoolClass } from '../../src/domain/school-class';
import { changeClass, openClass } from '../../src/domain/school-class.use-cases';
import type { Subgroup } from '../../src/domain/subgroup';
import { nextYearId, promotedClassId } from '../../src/domain/year-rollover';
import { rolloverAcademicYear, type RolloverInput } from '../../src/domain/year-rollover.use-cases';
import {
  as,
  failure,
  inSchool,
  storedClass,
  storedEnrolment,
  storedPerson,
  storedYear,
  validCard,
} from './fixtures';

// Closing a year and the rollover (R2.5) with in-memory repositories (port fakes).

type AnyEvent = AcademicYearEvent | SchoolClassEvent | EnrolmentEvent | SubgroupEvent;

/**
 * A school (Asia/Krasnoyarsk, UTC+7) with 2026/2027 closed: 5А (teacher t-5a) with s1, s2 and a
 * withdrawn student, 5Б (its teacher archived) with s3, 11А with g1 and g2, and two subgroups of
 * 5А and one of 11А. `crash` makes one write fail once, as a process dying half way would.
 */
function inMemory(options: { now?: string; yearStatus?: 'open' | 'closed' } = {}) {
  const school: School = { ...validCard(), id: 'school-1', version: 1, createdAt: '2026-08-01T00:00:00Z' };
  const years: AcademicYear[] = [
    storedYear({ status: options.yearStatus ?? 'closed', version: options.yearStatus === 'open' ? 1 : 2 }),
  ];
  const classes: SchoolClass[] = [
    storedClass('c-5a', 5, 'А', { classTeacherId: 't-5a', capacity: 30 }),
    storedClass('c-5b', 5, 'Б', { classTeacherId: 't-archived' }),
    storedClass('c-11a', 11, 'А'),
  ];
  const enrolments: Enrolment[] = [
    storedEnrolment('s1', 'c-5a'),
    storedEnrolment('s2', 'c-5a'),
    storedEnrolment('s-gone', '', { status: 'withdrawn' }),
    storedEnrolment('s3', 'c-5b'),
    storedEnrolment('g1', 'c-11a'),
    storedEnrolment('g2', 'c-11a'),
  ];
  const subgroup = (id: string, classId: string, memberIds: string[], name: string): Subgroup => ({
    id,
    schoolId: 'school-1',
    academicYearId: 'year-1',
    classId,
    subjectKey: 'english',
    name,
    teacherId: 't-english',
    memberIds,
    history: [],
    status: 'open',
    version: 1,
    createdAt: '2026-09-02T00:00:00Z',
  });
  const subgroups: Subgroup[] = [
    subgroup('sg-5a-1', 'c-5a', ['s1', 's-gone'], 'Английский язык, группа 1'),
    subgroup('sg-5a-2', 'c-5a', ['s2'], 'Английский язык, группа 2'),
    subgroup('sg-11a', 'c-11a', ['g1'], 'Английский язык, группа 1'),
  ];
  const people: Person[] = [
    storedPerson('t-5a'),
    storedPerson('t-english'),
    storedPerson('t-archived', { status: 'archived' }),
    ...['s1', 's2', 's3', 'g1', 'g2', 'new'].map((id) => storedPerson(id, { kind: 'student' })),
  ];
  const events: AnyEvent[] = [];
  const writes: string[] = [];
  const denials: { action: string; object: string }[] = [];
  const crash = { at: '' };
  const write = (what: string) => {
    if (crash.at === what) {
      crash.at = '';
      throw new Error(`the process died while writing ${what}`);
    }
    writes.push(what);
  };
  let quiet = 0;
  const exclusive: string[] = [];
  const deps = {
    schools: {
      create: async () => undefined,
      update: async () => undefined,
      get: async (id: string) => (id === school.id ? school : null),
      list: async () => [school],
    },
    academicYears: {
      async create(year: AcademicYear, written: AcademicYearEvent[]) {
        if (years.some((y) => y.id === year.id)) throw conflict('academic_year.overlaps', 'уже есть');
        write('year');
        years.push(year);
        events.push(...written);
      },
      async update(year: AcademicYear, expectedVersion: number, written: AcademicYearEvent[]) {
        const at = years.findIndex((y) => y.id === year.id && y.version === expectedVersion);
        if (at < 0) throw conflict('academic_year.version_conflict', 'Учебный год уже изменили');
        write(`year ${year.id}`);
        years[at] = year;
        events.push(...written);
      },
      get: async (id: string) => years.find((y) => y.id === id) ?? null,
      listBySchool: async (schoolId: string) => years.filter((y) => y.schoolId === schoolId),
    },
    schoolClasses: {
      async create(schoolClass: SchoolClass, written: SchoolClassEvent[]) {
        write(`class ${schoolClass.grade}${schoolClass.letter}`);
        classes.push(schoolClass);
        events.push(...written);
      },
      async update(schoolClass: SchoolClass, expectedVersion: number, written: SchoolClassEvent[]) {
        const at = classes.findIndex((c) => c.id === schoolClass.id && c.version === expectedVersion);
        if (at < 0) throw conflict('class.version_conflict', 'Класс уже изменили');
        classes[at] = schoolClass;
        events.push(...written);
      },
      get: async (id: string) => classes.find((c) => c.id === id) ?? null,
      listByYear: async (yearId: string) => classes.filter((c) => c.academicYearId === yearId),
    },
    enrolments: {
      async create(enrolment: Enrolment, written: EnrolmentEvent[]) {
        enrolments.push(enrolment);
        events.push(...written);
      },
      async createMany(items: { enrolment: Enrolment; events: EnrolmentEvent[] }[]) {
        write(`enrolments ×${items.length}`);
        for (const item of items) {
          enrolments.push(item.enrolment);
          events.push(...item.events);
        }
      },
      async update(enrolment: Enrolment, expectedVersion: number, written: EnrolmentEvent[]) {
        const at = enrolments.findIndex((e) => e.id === enrolment.id && e.version === expectedVersion);
        if (at < 0) throw conflict('enrolment.version_conflict', 'уже изменили');
        enrolments[at] = enrolment;
        events.push(...written);
      },
      async endMany(items: { id: string; movement: Movement }[], status: 'graduated') {
        const ending = items.flatMap(({ id, movement }) => {
          const e = enrolments.find((x) => x.id === id && x.status === 'active');
          return e ? [{ e, movement }] : [];
        });
        write(`graduates ×${ending.length}`);
        for (const { e, movement } of ending) {
          Object.assign(e, {
            status,
            classId: '',
            movements: [...e.movements, movement],
            version: e.version + 1,
          });
        }
        return ending.length;
      },
      get: async (id: string) => enrolments.find((e) => e.id === id) ?? null,
      listActiveInClass: async (classId: string) =>
        enrolments.filter((e) => e.classId === classId && e.status === 'active'),
      countActiveInClass: async (classId: string) =>
        enrolments.filter((e) => e.classId === classId && e.status === 'active').length,
      listByYear: async (yearId: string) => enrolments.filter((e) => e.academicYearId === yearId),
      countActiveByClass: async (yearId: string) => {
        const counts = new Map<string, number>();
        for (const e of enrolments) {
          if (e.academicYearId === yearId && e.status === 'active')
            counts.set(e.classId, (counts.get(e.classId) ?? 0) + 1);
        }
        return counts;
      },
      listByStudent: async (studentId: string) => enrolments.filter((e) => e.studentId === studentId),
    },
    subgroups: {
      async create(created: Subgroup, written: SubgroupEvent[]) {
        write(`subgroup ${created.name}`);
        subgroups.push(created);
        events.push(...written);
      },
      get: async (id: string) => subgroups.find((s) => s.id === id) ?? null,
      listByClass: async (classId: string, { includeClosed }: { includeClosed: boolean }) =>
        subgroups.filter((s) => s.classId === classId && (includeClosed || s.status === 'open')),
      async update(changed: Subgroup, _expectedVersion: number, written: SubgroupEvent[]) {
        write(`subgroup ${changed.name} v${changed.version}`);
        subgroups[subgroups.findIndex((s) => s.id === changed.id)] = changed;
        events.push(...written);
      },
      exclusive: <T>(_classId: string, work: () => Promise<T>) => work(),
      listByYear: async (yearId: string) => subgroups.filter((s) => s.academicYearId === yearId),
    },
    people: {
      get: async (id: string) => people.find((p) => p.id === id) ?? null,
      getMany: async (ids: string[]) => people.filter((p) => ids.includes(p.id)),
    },
    teaching: { listForTeacherInClass: async () => [] },
    guardianships: { listActiveByStudents: async () => [] },
    authorize: (_actor: unknown, allowed: boolean, what: { action: string; object: string }) => {
      if (!allowed) {
        denials.push(what);
        throw forbidden('access.denied', 'Недостаточно прав для этого действия');
      }
    },
    newId: () => 'new-id',
    now: () => new Date(options.now ?? '2027-06-20T03:00:00Z'),
    quietly: async <T>(work: () => Promise<T>) => {
      quiet += 1;
      try {
        return await work();
      } finally {
        quiet -= 1;
      }
    },
    exclusive: async <T>(key: string, work: () => Promise<T>) => {
      exclusive.push(key);
      return work();
    },
  };
  return {
    deps,
    years,
    classes,
    enrolments,
    subgroups,
    events,
    writes,
    denials,
    crash,
    exclusive,
    quiet: () => quiet,
  };
}

const director = inSchool('director');
const order = { number: '77-о', date: '2027-06-20', title: 'О переводе и выпуске обучающихся' };
const closeOrder = { number: '70-о', date: '2027-05-31', title: 'О завершении 2026/2027 учебного года' };
const rollover = (overrides: Partial<RolloverInput> = {}): RolloverInput => ({
  fromYearId: 'year-1',
  order,
  dryRun: false,
  graduatingGrades: [],
  keepSubgroupIds: [],
  keepSubgroupsOfClassIds: [],
  ...overrides,
});
const toYear = nextYearId('year-1');

describe('closing an academic year', () => {
  it('when the director closes 2026/2027 on its last day in the school time zone (still the day before in UTC), then it is closed by the order and closed is published', async () => {
    const { deps, years, events } = inMemory({ yearStatus: 'open', now: '2027-05-30T17:30:00Z' });

    const closed = await closeAcademicYear(deps, as(director), {
      academicYearId: 'year-1',
      expectedVersion: 1,
      order: closeOrder,
    });

    expect(closed).toMatchObject({ status: 'closed', version: 2 });
    expect(closed.changes).toEqual([
      {
        kind: 'closed',
        order: closeOrder,
        recordedAt: '2027-05-30T17:30:00.000Z',
        recordedBy: 'acc-director',
        summary: ['Учебный год 2026/2027 закрыт 31.05.2027'],
      },
    ]);
    expect(years[0]).toEqual(closed);
    expect(events).toEqual([
      {
        type: 'edu.roster.academic_year.closed',
        academicYear: closed,
        order: closeOrder,
        closedOn: '2027-05-31',
      },
    ]);
  });

  it('when the year is not over yet in the school time zone, then 422 academic_year.not_over names its last day and nothing changes', async () => {
    const { deps, years, events } = inMemory({ yearStatus: 'open', now: '2027-05-30T16:59:00Z' });

    const error = await failure(
      closeAcademicYear(deps, as(director), {
        academicYearId: 'year-1',
        expectedVersion: 1,
        order: closeOrder,
      }),
    );

    expect(error).toMatchObject({ kind: 'precondition', code: 'academic_year.not_over' });
    expect(error.detail).toBe(
      'Учебный год 2026/2027 ещё идёт: он заканчивается 31.05.2027, закрыть его можно начиная с этого дня',
    );
    expect(years[0]!.status).toBe('open');
    expect(events).toEqual([]);
  });

  test.each([
    ['a teacher of the school', inSchool('teacher'), 'forbidden'],
    ['the director of another school', inSchool('director', 'school-2'), 'not_found'],
  ])(
    'when %s closes the year, then it is refused (%s), logged, and nothing changes',
    async (_who, actor, kind) => {
      const { deps, years, events, denials } = inMemory({ yearStatus: 'open' });

      const error = await failure(
        closeAcademicYear(deps, as(actor), {
          academicYearId: 'year-1',
          expectedVersion: 1,
          order: closeOrder,
        }),
      );

      expect(error.kind).toBe(kind);
      expect(denials).toEqual([{ action: 'academic_year.close', object: 'academic_year:year-1' }]);
      expect(years[0]!.status).toBe('open');
      expect(events).toEqual([]);
    },
  );

  it('when the version is stale, the order is missing, or the year is closed already, then each is refused', async () => {
    const { deps } = inMemory({ yearStatus: 'open' });
    const close = (expectedVersion: number, o = closeOrder) =>
      closeAcademicYear(deps, as(director), { academicYearId: 'year-1', expectedVersion, order: o });

    expect(await failure(close(7))).toMatchObject({
      kind: 'conflict',
      code: 'academic_year.version_conflict',
    });
    const invalid = await failure(close(1, { number: '', date: '31.05.2027', title: '' }));
    expect(invalid.code).toBe('academic_year.invalid');
    expect(invalid.errors?.map((e) => e.field)).toEqual(['order.number', 'order.date', 'order.title']);
    await close(1);
    expect(await failure(close(2))).toMatchObject({ kind: 'precondition', code: 'academic_year.closed' });
  });
});

describe('a closed year no longer changes', () => {
  it('refuses calendar changes, new classes, class changes, enrolments, transfers and withdrawals with 422 academic_year.closed', async () => {
    const { deps, classes, enrolments, events } = inMemory();
    const before = JSON.stringify({ classes, enrolments });
    const year = storedYear();
    const attempts = [
      changeCalendar(deps, as(director), {
        academicYearId: 'year-1',
        expectedVersion: 2,
        order,
        calendar: { holidays: year.holidays, periodSchemes: year.periodSchemes, closures: [], transfers: [] },
      }),
      openClass(deps, as(director), { academicYearId: 'year-1', grade: 6, letter: 'А', capacity: 0 }),
      changeClass(deps, as(director), { id: 'c-5a', expectedVersion: 1, letter: 'В', close: false }),
      enrolStudent(deps, as(director), {
        studentId: 'new',
        classId: 'c-5a',
        effectiveOn: '2027-05-20',
        order,
      }),
      moveStudent(deps, as(director), {
        enrolmentId: 'year-1:s1',
        expectedVersion: 1,
        toClassId: 'c-5b',
        effectiveOn: '2027-05-20',
        order,
        reason: '',
      }),
      moveStudent(deps, as(director), {
        enrolmentId: 'year-1:s1',
        expectedVersion: 1,
        toClassId: '',
        effectiveOn: '2027-05-20',
        order,
        reason: 'Переезд',
      }),
    ];

    for (const attempt of attempts) {
      expect(await failure(attempt)).toMatchObject({ kind: 'precondition', code: 'academic_year.closed' });
    }
    expect(JSON.stringify({ classes, enrolments })).toBe(before);
    expect(events).toEqual([]);
  });
});

describe('the year rollover', () => {
  it('when the director rolls 2026/2027 over, then 2027/2028 has 6А and 6Б with their students, 11А graduates, and the events are written once each with rolled_over last', async () => {
    const { deps, years, classes, enrolments, events, exclusive, quiet } = inMemory();
    let quietDuringWrites = false;
    const { quietly } = deps;
    deps.quietly = async (work) => quietly(async () => ((quietDuringWrites = quiet() === 1), work()));

    const summary = await rolloverAcademicYear(deps, as(director), rollover());

    const sixA = promotedClassId('c-5a');
    const sixB = promotedClassId('c-5b');
    expect(summary).toMatchObject({
      dryRun: false,
      fromYearId: 'year-1',
      toYearId: toYear,
      toName: '2027/2028',
      toDays: { startsOn: '2027-09-01', endsOn: '2028-05-31' },
      graduatingGrades: [11],
      classesPromoted: 2,
      studentsPromoted: 3,
      studentsGraduated: 2,
      subgroupsKept: 0,
      studentsNotMoved: 0,
      completedAt: '2027-06-20T03:00:00.000Z',
    });
    expect(
      summary.classes.map((c) => [c.fromName, c.outcome, c.toName, c.students, c.classTeacherId]),
    ).toEqual([
      ['5А', 'promoted', '6А', 2, 't-5a'],
      ['5Б', 'promoted', '6Б', 1, ''],
      ['11А', 'graduated', '', 2, ''],
    ]);
    expect(years.find((y) => y.id === toYear)).toMatchObject({ name: '2027/2028', status: 'open' });
    expect(years[0]).toMatchObject({ version: 3, rollover: summary });
    expect(years[0]!.changes.at(-1)).toMatchObject({
      order,
      summary: [
        'Переход на 2027/2028 учебный год: переведено классов — 2, обучающихся — 3; выпущено — 2; подгрупп сохранено — 0',
      ],
    });
    expect(classes.filter((c) => c.academicYearId === toYear).map((c) => [c.id, c.grade, c.letter])).toEqual([
      [sixA, 6, 'А'],
      [sixB, 6, 'Б'],
    ]);
    expect(
      enrolments
        .filter((e) => e.academicYearId === toYear)
        .map((e) => [e.id, e.classId, e.movements[0]!.kind]),
    ).toEqual([
      [`${toYear}:s1`, sixA, 'promoted'],
      [`${toYear}:s2`, sixA, 'promoted'],
      [`${toYear}:s3`, sixB, 'promoted'],
    ]);
    // The old year's enrolments stay as they were, except the graduates'.
    expect(enrolments.find((e) => e.id === 'year-1:s1')).toEqual(storedEnrolment('s1', 'c-5a'));
    expect(enrolments.find((e) => e.id === 'year-1:g1')).toMatchObject({
      status: 'graduated',
      classId: '',
      movements: [
        expect.objectContaining({ kind: 'enrolled' }),
        expect.objectContaining({ kind: 'graduated', order }),
      ],
    });
    expect(events.map((e) => e.type)).toEqual([
      'edu.roster.academic_year.opened',
      'edu.roster.class.opened',
      'edu.roster.class.opened',
      'edu.roster.student.promoted',
      'edu.roster.student.promoted',
      'edu.roster.student.promoted',
      'edu.roster.student.graduated',
      'edu.roster.student.graduated',
      'edu.roster.academic_year.rolled_over',
    ]);
    expect(quietDuringWrites).toBe(true);
    expect(exclusive).toEqual(['rollover:year-1']);
  });

  it('when it is run again, with another order or as a dry run, then the first summary is answered and nothing is written', async () => {
    const { deps, events, writes } = inMemory();
    const first = await rolloverAcademicYear(deps, as(director), rollover());
    const written = [...writes];
    const published = events.length;

    const again = await rolloverAcademicYear(
      deps,
      as(inSchool('schoolAdmin')),
      rollover({ order: { ...order, number: '78-о' }, graduatingGrades: [9, 11] }),
    );
    const dry = await rolloverAcademicYear(deps, as(director), rollover({ dryRun: true }));

    expect(again).toEqual(first);
    expect(dry).toEqual({ ...first, dryRun: true });
    expect(writes).toEqual(written);
    expect(events.length).toBe(published);
  });

  it('when a run died half way (after the promotions, before the graduates), then the next run completes it without doubling anything', async () => {
    const whole = inMemory();
    const expected = await rolloverAcademicYear(whole.deps, as(director), rollover());
    const { deps, events, writes, crash, enrolments } = inMemory();
    crash.at = 'graduates ×2';

    await expect(rolloverAcademicYear(deps, as(director), rollover())).rejects.toThrow('the process died');
    expect(writes).toEqual(['year', 'class 6А', 'class 6Б', 'enrolments ×3']);
    const summary = await rolloverAcademicYear(deps, as(director), rollover());

    expect(summary).toEqual(expected);
    expect(writes).toEqual([
      'year',
      'class 6А',
      'class 6Б',
      'enrolments ×3',
      'enrolments ×0',
      'graduates ×2',
      `year year-1`,
    ]);
    expect(events.map((e) => e.type)).toEqual(whole.events.map((e) => e.type));
    expect(enrolments.filter((e) => e.academicYearId === toYear)).toHaveLength(3);
  });

  it('when a dry run is asked, then the summary is the same as the real one and nothing is written', async () => {
    const real = inMemory();
    const done = await rolloverAcademicYear(
      real.deps,
      as(director),
      rollover({ keepSubgroupsOfClassIds: ['c-5a'] }),
    );
    const { deps, writes, events, years } = inMemory();

    const dry = await rolloverAcademicYear(
      deps,
      as(director),
      rollover({ dryRun: true, keepSubgroupsOfClassIds: ['c-5a'] }),
    );

    expect(dry).toEqual({ ...done, dryRun: true, completedAt: '' });
    expect(writes).toEqual([]);
    expect(events).toEqual([]);
    expect(years).toHaveLength(1);
  });

  it('when subgroups of 5А are kept, then they are formed in 6А with the members who moved up', async () => {
    const { deps, subgroups, events } = inMemory();

    const summary = await rolloverAcademicYear(
      deps,
      as(director),
      rollover({ keepSubgroupIds: ['sg-5a-1'], keepSubgroupsOfClassIds: ['c-5a'] }),
    );

    const kept = subgroups.filter((s) => s.academicYearId === toYear);
    expect(kept.map((s) => [s.classId, s.name, s.memberIds, s.teacherId])).toEqual([
      [promotedClassId('c-5a'), 'Английский язык, группа 1', ['s1'], 't-english'],
      [promotedClassId('c-5a'), 'Английский язык, группа 2', ['s2'], 't-english'],
    ]);
    expect(summary.subgroupsKept).toBe(2);
    expect(events.filter((e) => e.type === 'edu.roster.subgroup.formed')).toHaveLength(2);
  });

  it('when a subgroup of the graduating 11А or an unknown one is to be kept, then 400 names each by its place and nothing is written', async () => {
    const { deps, writes } = inMemory();

    const error = await failure(
      rolloverAcademicYear(
        deps,
        as(director),
        rollover({ keepSubgroupIds: ['sg-11a', 'nope'], keepSubgroupsOfClassIds: ['c-11a'] }),
      ),
    );

    expect(error).toMatchObject({ kind: 'invalid', code: 'rollover.invalid' });
    expect(error.errors).toEqual([
      { field: 'keepSubgroupsOfClassIds[0]', message: 'Класс 11А выпускается: его подгруппы не переносятся' },
      { field: 'keepSubgroupIds[0]', message: 'Класс 11А выпускается: его подгруппы не переносятся' },
      { field: 'keepSubgroupIds[1]', message: 'Действующая подгруппа не найдена в учебном году 2026/2027' },
    ]);
    expect(writes).toEqual([]);
  });

  it('when the year is not closed, then 422 academic_year.not_closed names it and nothing is written', async () => {
    const { deps, writes } = inMemory({ yearStatus: 'open' });

    const error = await failure(rolloverAcademicYear(deps, as(director), rollover({ dryRun: true })));

    expect(error).toMatchObject({ kind: 'precondition', code: 'academic_year.not_closed' });
    expect(error.detail).toContain('2026/2027');
    expect(writes).toEqual([]);
  });

  it('when 2027/2028 was opened by hand, then 409 academic_year.next_exists names it and nothing is written', async () => {
    const { deps, years, writes } = inMemory();
    years.push(
      storedYear({
        id: 'by-hand',
        name: '2027/2028',
        days: { startsOn: '2027-09-01', endsOn: '2028-05-31' },
      }),
    );

    const error = await failure(rolloverAcademicYear(deps, as(director), rollover()));

    expect(error).toMatchObject({ kind: 'conflict', code: 'academic_year.next_exists' });
    expect(error.detail).toContain('2027/2028 (01.09.2027–31.05.2028)');
    expect(writes).toEqual([]);
  });

  it('when the 11th grade is not graduating, then 422 names the classes without a next grade', async () => {
    const { deps, writes } = inMemory();

    const error = await failure(
      rolloverAcademicYear(deps, as(director), rollover({ graduatingGrades: [9] })),
    );

    expect(error).toMatchObject({ kind: 'precondition', code: 'rollover.no_next_grade' });
    expect(error.errors?.map((e) => e.message)).toEqual([
      'Класс 11А: 12-го класса нет — укажите 11-ю параллель среди выпускных',
    ]);
    expect(writes).toEqual([]);
  });

  it('when grades or the order are malformed, then 400 rollover.invalid names every field', async () => {
    const { deps } = inMemory();

    const error = await failure(
      rolloverAcademicYear(
        deps,
        as(director),
        rollover({
          order: { number: '', date: '', title: '' },
          graduatingGrades: [12, 0],
          keepSubgroupIds: [' '],
        }),
      ),
    );

    expect(error.code).toBe('rollover.invalid');
    expect(error.errors?.map((e) => e.field)).toEqual([
      'order.number',
      'order.date',
      'order.title',
      'graduatingGrades[0]',
      'graduatingGrades[1]',
      'keepSubgroupIds[0]',
    ]);
  });

  test.each([
    ['a teacher of the school', inSchool('teacher'), 'forbidden'],
    ['the class teacher of 5А', inSchool('teacher', 'school-1', 't-5a'), 'forbidden'],
    ['the director of another school', inSchool('director', 'school-2'), 'not_found'],
  ])('when %s rolls the year over, then it is refused and nothing is written', async (_who, actor, kind) => {
    const { deps, writes, denials } = inMemory();

    const error = await failure(rolloverAcademicYear(deps, as(actor), rollover({ dryRun: true })));

    expect(error.kind).toBe(kind);
    expect(writes).toEqual([]);
    // Every refusal is logged, also the one answered as not found.
    expect(denials).toEqual([{ action: 'academic_year.rollover', object: 'academic_year:year-1' }]);
  });
});
