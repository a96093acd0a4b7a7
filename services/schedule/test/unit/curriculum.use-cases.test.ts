import { curriculumId, maxWeeklyHoursByGrade, type CurriculumLineInput } from '../../src/domain/curriculum';
import {
  describeCurricula,
  getCurriculum,
  listCurricula,
  setCurriculum,
  type CurriculumDeps,
} from '../../src/domain/curriculum.use-cases';
import type { Subject } from '../../src/domain/subject';
import {
  as,
  catalogue,
  curriculaInMemory,
  failure,
  guardian,
  inSchool,
  quarterCalendar,
  recordingAuthorize,
  rosterInMemory,
  schoolClass,
  subjectsInMemory,
  year,
} from './fixtures';

// Curricula with in-memory repositories and copy of roster (port fakes) and the deny-by-default
// policy. School 1, year 2026/2027 in quarters (grades 2..9), 1st grade without a scheme.

const deputy = inSchool('deputy');
const math = catalogue('mathematics').id;
const russian = catalogue('russian').id;
const english = catalogue('english').id;
const robotics = 'robotics-school-1';
const chess = 'chess-school-2';

function ownSubject(id: string, schoolId: string, key: string, name: string): Subject {
  return {
    id,
    schoolId,
    key,
    name,
    shortName: name,
    educationArea: 'other',
    splitIntoSubgroups: false,
    version: 1,
    createdAt: '2026-08-01T00:00:00.000Z',
  };
}

function setUp(options: { maxWeeklyHours?: Record<number, number> } = {}) {
  const subjects = subjectsInMemory();
  subjects.stored.push(
    ownSubject(robotics, 'school-1', 'robotics', 'Робототехника'),
    ownSubject(chess, 'school-2', 'chess', 'Шахматы'),
  );
  const curricula = curriculaInMemory();
  const roster = rosterInMemory({
    years: [
      year({ calendar: quarterCalendar }),
      year({
        id: 'year-0',
        name: '2025/2026',
        startsOn: '2025-09-01',
        endsOn: '2026-05-31',
        status: 'closed',
      }),
      year({ id: 'year-x', schoolId: 'school-2' }),
    ],
    classes: [
      schoolClass('class-5a', '5А'),
      schoolClass('class-1a', '1А'),
      schoolClass('class-6v', '6В', { status: 'closed' }),
      schoolClass('class-4a-old', '4А', { academicYearId: 'year-0' }),
      schoolClass('class-x', '5А', { schoolId: 'school-2', academicYearId: 'year-x' }),
    ],
  });
  const policy = recordingAuthorize();
  let clock = Date.parse('2026-08-20T03:00:00Z');
  const deps: CurriculumDeps = {
    curricula: curricula.repository,
    subjects: subjects.repository,
    roster: roster.reader,
    authorize: policy.authorize,
    now: () => new Date((clock += 60_000)),
    maxWeeklyHours: maxWeeklyHoursByGrade(options.maxWeeklyHours),
  };
  const set = (fields: Partial<Parameters<typeof setCurriculum>[2]> = {}, actor = deputy) =>
    setCurriculum(deps, as(actor), {
      schoolId: 'school-1',
      academicYearId: 'year-1',
      classId: 'class-5a',
      lines: plan5a,
      expectedVersion: 0,
      ...fields,
    });
  return { deps, set, curricula, roster, denials: policy.denials };
}

const line = (subjectId: string, hoursPerWeek: number, fields: Partial<CurriculumLineInput> = {}) => ({
  subjectId,
  hoursPerWeek,
  periodHours: [],
  component: 'mandatory',
  ...fields,
});

/** 5А: mathematics 5, Russian 5, English 3, robotics 1 (the participants' part, not in the 4th quarter). */
const plan5a: CurriculumLineInput[] = [
  line(math, 5),
  line(russian, 5),
  line(english, 3),
  line(robotics, 1, { component: 'optional', periodHours: [{ period: 4, hoursPerWeek: 0 }] }),
];

describe('curriculum: setting', () => {
  it('when a deputy sets the plan of 5А, then it is stored with the subjects and curriculum.set carries the weeks of the calendar', async () => {
    const { deps, set, curricula } = setUp();

    const curriculum = await set();
    const [view] = await describeCurricula(deps, [curriculum]);

    expect(curriculum).toMatchObject({
      id: curriculumId('class-5a'),
      schoolId: 'school-1',
      academicYearId: 'year-1',
      classId: 'class-5a',
      grade: 5,
      version: 1,
      updatedBy: 'acc-deputy',
    });
    expect(
      curriculum.lines.map((l) => [
        l.subjectKey,
        l.subjectName,
        l.educationArea,
        l.component,
        l.hoursPerWeek,
      ]),
    ).toEqual([
      ['mathematics', 'Математика', 'mathematics_and_informatics', 'mandatory', 5],
      ['russian', 'Русский язык', 'russian_and_literature', 'mandatory', 5],
      ['english', 'Иностранный язык (английский)', 'foreign_languages', 'mandatory', 3],
      ['robotics', 'Робототехника', 'other', 'optional', 1],
    ]);
    expect(curriculum.lines[3]!.periodHours).toEqual([{ period: 4, hoursPerWeek: 0 }]);
    expect(curricula.events).toHaveLength(1);
    expect(curricula.events[0]).toMatchObject({
      type: 'edu.schedule.curriculum.set',
      curriculum: { id: curriculum.id, version: 1 },
      weeks: { source: 'calendar', periodKind: 'quarter', perYear: 35 },
    });
    expect(view).toMatchObject({ className: '5А', maxHoursPerWeek: 29, weeks: { perYear: 35 } });
  });

  it('when the plan is replaced by its version, then version 2 keeps the first creation time; a stale or repeated 0 is curriculum.version_conflict', async () => {
    const { set, curricula } = setUp();
    const first = await set();

    const second = await set({ expectedVersion: 1, lines: [line(math, 6)] });
    const stale = await failure(set({ expectedVersion: 1 }));
    const again = await failure(set({ expectedVersion: 0 }));

    expect(second).toMatchObject({
      version: 2,
      createdAt: first.createdAt,
      lines: [{ subjectId: math, hoursPerWeek: 6 }],
    });
    expect([stale.code, stale.kind, again.code]).toEqual([
      'curriculum.version_conflict',
      'conflict',
      'curriculum.version_conflict',
    ]);
    expect(curricula.events.map((e) => e.curriculum.version)).toEqual([1, 2]);
  });

  it('when the plan is emptied, then it is stored without lines', async () => {
    const { set } = setUp();

    const empty = await set({ lines: [] });

    expect(empty).toMatchObject({ version: 1, lines: [] });
  });

  it('when lines are malformed, then curriculum.invalid names every field, and nothing is stored', async () => {
    const { set, curricula } = setUp();

    const error = await failure(
      set({
        academicYearId: '',
        expectedVersion: -1,
        lines: [line(math, 0), line('', 2, { component: 'extra' })],
      }),
    );

    expect(error).toMatchObject({
      code: 'curriculum.invalid',
      kind: 'invalid',
      detail: 'Учебный план заполнен с ошибками',
    });
    expect(error.errors?.map((e) => e.field)).toEqual([
      'academicYearId',
      'expectedVersion',
      'lines[0].hoursPerWeek',
      'lines[1].subjectId',
      'lines[1].component',
    ]);
    expect(curricula.stored.size).toBe(0);
  });

  it('when a subject is neither the catalogue’s nor the school’s, then curriculum.unknown_subject names the lines', async () => {
    const { set, curricula } = setUp();

    const error = await failure(set({ lines: [line(math, 5), line(chess, 1), line('no-such-subject', 1)] }));

    expect(error).toMatchObject({
      code: 'curriculum.unknown_subject',
      kind: 'precondition',
      detail: 'В учебном плане есть предметы (2), которых нет в справочнике предметов школы',
    });
    expect(error.errors?.map((e) => e.field)).toEqual(['lines[1].subjectId', 'lines[2].subjectId']);
    expect(curricula.stored.size).toBe(0);
  });

  it('when a subject is given on two lines, then curriculum.duplicate_subject names it and the line it repeats', async () => {
    const { set } = setUp();

    const error = await failure(
      set({ lines: [line(math, 5), line(russian, 4), line(math, 1, { component: 'optional' })] }),
    );

    expect(error).toMatchObject({
      code: 'curriculum.duplicate_subject',
      kind: 'invalid',
      detail: 'Каждый предмет — одной строкой учебного плана: «Математика» указан дважды',
      errors: [{ field: 'lines[2].subjectId', message: 'Предмет «Математика» уже есть в строке 1' }],
    });
  });

  it('when the weekly load is over the grade’s maximum, then curriculum.weekly_load_exceeded; a deployment’s higher maximum lets it pass', async () => {
    // 1А: 5 + 4 + 2 + 2 + 9 = 22 hours a week; the 1st grade's maximum is 21.
    const lines = [
      line(russian, 5),
      line(math, 4),
      line(english, 2),
      line(catalogue('world_around').id, 2),
      line(robotics, 9, { component: 'optional' }),
    ];

    const refused = await failure(setUp().set({ classId: 'class-1a', lines }));
    const allowed = await setUp({ maxWeeklyHours: { 1: 22 } }).set({ classId: 'class-1a', lines });

    expect(refused).toMatchObject({
      code: 'curriculum.weekly_load_exceeded',
      kind: 'precondition',
      detail: 'Недельная нагрузка класса 1А — 22 ч, а для 1-х классов допускается не больше 21 ч',
      errors: [{ field: 'lines' }],
    });
    expect(allowed).toMatchObject({ grade: 1, version: 1 });
  });

  it('when a period is not of the grade’s quarters, then curriculum.unknown_period; while the 1st grade’s scheme is unknown, 1..4 pass', async () => {
    const { set } = setUp();
    const fifthPeriod = [line(math, 4, { periodHours: [{ period: 5, hoursPerWeek: 3 }] })];

    const refused = await failure(set({ lines: fifthPeriod }));
    const firstGrade = await set({
      classId: 'class-1a',
      lines: [line(math, 4, { periodHours: [{ period: 4, hoursPerWeek: 3 }] })],
    });

    expect(refused).toMatchObject({
      code: 'curriculum.unknown_period',
      kind: 'precondition',
      detail: 'В учебном плане указаны учебные периоды, которых нет у 5-х классов',
      errors: [
        {
          field: 'lines[0].periodHours[0].period',
          message: 'Периода 5 нет: у 5-х классов в 2026/2027 учебном году четверти 1–4',
        },
      ],
    });
    expect(firstGrade.lines[0]!.periodHours).toEqual([{ period: 4, hoursPerWeek: 3 }]);
  });

  it('when the year or the class does not allow it, then each is refused by its own code and nothing is stored', async () => {
    const { set, curricula } = setUp();

    const errors = await Promise.all([
      failure(set({ academicYearId: 'no-such-year' })),
      failure(set({ academicYearId: 'year-x' })),
      failure(set({ academicYearId: 'year-0', classId: 'class-4a-old' })),
      failure(set({ classId: 'no-such-class' })),
      failure(set({ classId: 'class-x' })),
      failure(set({ classId: 'class-4a-old' })),
      failure(set({ classId: 'class-6v' })),
    ]);

    expect(errors.map((e) => [e.code, e.kind])).toEqual([
      ['academic_year.not_found', 'not_found'],
      ['academic_year.not_found', 'not_found'],
      ['academic_year.closed', 'precondition'],
      ['class.not_found', 'not_found'],
      ['class.not_found', 'not_found'],
      ['curriculum.other_year', 'precondition'],
      ['class.closed', 'precondition'],
    ]);
    expect(errors[2]!.detail).toBe('Учебный год 2025/2026 закрыт: учебный план в нём не меняется');
    expect(errors[5]!.detail).toBe('Класс 4А не из учебного года 2026/2027');
    expect(curricula.stored.size).toBe(0);
  });

  it('when a teacher sets a plan, then it is refused and recorded; a director of another school is told the school is not found', async () => {
    const { set, curricula, denials } = setUp();

    const teacher = await failure(set({}, inSchool('teacher')));
    const stranger = await failure(set({}, inSchool('director', 'school-2')));

    expect([teacher.kind, stranger.code]).toEqual(['forbidden', 'school.not_found']);
    expect(denials).toEqual([
      { accountId: 'acc-teacher', action: 'curriculum.set', object: 'class:class-5a' },
      { accountId: 'acc-director', action: 'curriculum.set', object: 'class:class-5a' },
    ]);
    expect(curricula.stored.size).toBe(0);
  });
});

describe('curriculum: reading', () => {
  it('when anyone with a role in the school reads, then they get the plan with its class name and the year’s plans by grade and name', async () => {
    const { deps, set } = setUp();
    await set();
    await set({ classId: 'class-1a', lines: [line(math, 4)] });

    const one = await getCurriculum(deps, as(inSchool('teacher')), 'class-5a');
    const list = await listCurricula(deps, as(inSchool('hr')), {
      schoolId: 'school-1',
      academicYearId: 'year-1',
    });

    expect(one).toMatchObject({ className: '5А', maxHoursPerWeek: 29, curriculum: { classId: 'class-5a' } });
    expect(list.map((v) => v.className)).toEqual(['1А', '5А']);
    expect(list[0]!.weeks).toMatchObject({ source: 'calendar', periodKind: '', perYear: 34 });
  });

  it('when a guardian or another school reads, then the plan is not found and the denial recorded; a class without a plan is not found either', async () => {
    const { deps, set, denials } = setUp();
    await set();

    const guardianGet = await failure(getCurriculum(deps, as(guardian), 'class-5a'));
    const strangerList = await failure(
      listCurricula(deps, as(inSchool('director', 'school-2')), {
        schoolId: 'school-1',
        academicYearId: 'year-1',
      }),
    );
    const noPlan = await failure(getCurriculum(deps, as(deputy), 'class-1a'));
    const noClass = await failure(getCurriculum(deps, as(deputy), 'no-such-class'));
    const noYear = await failure(
      listCurricula(deps, as(deputy), { schoolId: 'school-1', academicYearId: '' }),
    );

    expect([guardianGet.code, strangerList.code, noPlan.code, noClass.code, noYear.code]).toEqual([
      'curriculum.not_found',
      'school.not_found',
      'curriculum.not_found',
      'curriculum.not_found',
      'curriculum.filter_invalid',
    ]);
    expect(denials).toEqual([
      { accountId: 'acc-guardian', action: 'curriculum.read', object: 'class:class-5a' },
      { accountId: 'acc-director', action: 'curriculum.list', object: 'school:school-1' },
    ]);
  });
});
