import { DomainError, forbidden } from '@edu/kit';
import type { CopiedClass, CopiedYear, CopyReader, Course, CourseLesson } from '../../src/domain/copies';
import { emptyRecord, recordLesson, type LessonRecord } from '../../src/domain/lesson-record';
import type {
  Actor,
  Authorize,
  GradebookFact,
  RequestContext,
  ThematicPlan,
  ThematicPlanRepository,
} from '../../src/domain/ports';
import type { PlanItemInput } from '../../src/domain/thematic-plan';
import {
  getPlanProgress,
  getThematicPlan,
  planVersionConflict,
  setThematicPlan,
  type ThematicPlanDeps,
} from '../../src/domain/thematic-plan.use-cases';

// Thematic plans with in-memory ports: who sets and reads, versions, kept item ids, a course
// schedule has not told yet, a closed year, and progress at an injected "now".

const as = (actor: Actor): RequestContext => ({ actor, traceId: 'trace-1' });
const inSchool = (role: string, personId = `person-${role}`, schoolId = 'school-1'): Actor => ({
  accountId: `acc-${personId}`,
  personId,
  schoolRoles: [{ schoolId, role }],
  grants: [],
});

const teacher = inSchool('teacher', 'person-teacher');
const otherTeacher = inSchool('teacher', 'person-other-teacher');
const classTeacher = inSchool('teacher', 'person-class-teacher');
const director = inSchool('director');
const deputy = inSchool('deputy');
const schoolAdmin = inSchool('schoolAdmin');
const otherDirector = inSchool('director', 'person-director-2', 'school-2');
const guardian: Actor = {
  accountId: 'acc-guardian',
  personId: 'person-guardian',
  schoolRoles: [],
  grants: [],
};

const schoolClass: CopiedClass = {
  id: 'class-5a',
  schoolId: 'school-1',
  academicYearId: 'year-1',
  grade: 5,
  name: '5А',
  classTeacherId: 'person-class-teacher',
  status: 'open',
  version: 1,
};

const year: CopiedYear = {
  id: 'year-1',
  schoolId: 'school-1',
  name: '2026/2027',
  startsOn: '2026-09-01',
  endsOn: '2027-05-31',
  status: 'open',
  periodSchemes: [
    {
      grades: [5, 6],
      kind: 'quarter',
      periods: [
        { number: 1, startsOn: '2026-09-01', endsOn: '2026-10-25' },
        { number: 2, startsOn: '2026-11-04', endsOn: '2026-12-27' },
      ],
    },
  ],
  version: 1,
};

const lesson = (id: string, date: string, overrides: Partial<CourseLesson> = {}): CourseLesson => ({
  lessonId: id,
  period: 1,
  date,
  lessonNumber: 2,
  startsAt: '09:20',
  endsAt: '10:00',
  teacherId: 'person-teacher',
  substituteTeacherId: '',
  room: '214',
  status: 'scheduled',
  version: 1,
  ...overrides,
});

const mathCourseId = 'year-1:class-5a:-:math';
const mathCourse: Course = {
  id: mathCourseId,
  schoolId: 'school-1',
  academicYearId: 'year-1',
  classId: 'class-5a',
  className: '5А',
  subgroupId: '',
  subgroupName: '',
  subjectId: 'math',
  subjectKey: 'mathematics',
  subjectName: 'Математика',
  subjectShortName: 'Матем.',
  lessons: [
    lesson('l1', '2026-09-01'),
    lesson('l2', '2026-09-02', { substituteTeacherId: 'person-substitute' }),
    lesson('l3', '2026-09-03', { status: 'cancelled' }),
    lesson('l4', '2026-11-05', { period: 2 }),
    lesson('l5', '2026-11-06', { period: 2 }),
  ],
  curriculum: { hoursPerYear: 3, hoursPerWeek: 1, version: 1 },
  version: 1,
};

const items = (...titles: string[]): PlanItemInput[] =>
  titles.map((title) => ({ itemId: '', section: '', title, hours: 1, controlWork: false }));

const mathRef = { classId: 'class-5a', subgroupId: '', subjectId: 'math' };

function setUp(options: { year?: Partial<CopiedYear>; records?: LessonRecord[] } = {}) {
  const stored = new Map<string, ThematicPlan>();
  const saved: { plan: ThematicPlan; expectedVersion: number; facts: GradebookFact[] }[] = [];
  const plans: ThematicPlanRepository = {
    get: async (id) => stored.get(id) ?? null,
    save: async (plan, expectedVersion, facts) => {
      if ((stored.get(plan.courseId)?.version ?? 0) !== expectedVersion) throw planVersionConflict();
      stored.set(plan.courseId, plan);
      saved.push({ plan, expectedVersion, facts });
    },
  };
  const courses = new Map([[mathCourseId, mathCourse]]);
  const copies: ThematicPlanDeps['copies'] = {
    schoolClass: async (id) => (id === schoolClass.id ? schoolClass : null),
    subgroup: async (id) =>
      id === 'group-1'
        ? {
            id,
            schoolId: 'school-1',
            academicYearId: 'year-1',
            classId: 'class-5a',
            subjectKey: 'english',
            name: 'Группа 1',
            stints: [],
            status: 'open',
            version: 1,
          }
        : null,
    course: async (id) => courses.get(id) ?? null,
    year: async (id) => (id === year.id ? { ...year, ...options.year } : null),
    school: async (id) =>
      id === 'school-1' ? { id, shortName: 'МБОУ СШ № 1', timeZone: 'Asia/Krasnoyarsk', version: 1 } : null,
  } satisfies Pick<CopyReader, 'schoolClass' | 'subgroup' | 'course' | 'year' | 'school'>;
  const asked: string[][] = [];
  const records = {
    getMany: async (ids: string[]) => {
      asked.push(ids);
      return (options.records ?? []).filter((r) => ids.includes(r.lessonId));
    },
  };
  const denials: { accountId: string; action: string; object: string }[] = [];
  const authorize: Authorize = (actor, allowed, what) => {
    if (allowed) return;
    denials.push({ accountId: actor.accountId, ...what });
    throw forbidden('access.denied', 'Недостаточно прав для этого действия');
  };
  let nextId = 0;
  let now = new Date('2026-08-25T03:00:00Z');
  const deps: ThematicPlanDeps = {
    plans,
    copies,
    records,
    authorize,
    newId: () => `item-${++nextId}`,
    now: () => now,
  };
  return {
    deps,
    stored,
    saved,
    denials,
    asked,
    setNow: (at: string) => {
      now = new Date(at);
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('it succeeded');
}

describe('thematic plan: setting it', () => {
  it('when a teacher of the course sets the plan, then items are numbered with new ids, version 1, and the event goes with it', async () => {
    const { deps, saved } = setUp();
    const { plan, course } = await setThematicPlan(deps, as(teacher), {
      course: mathRef,
      expectedVersion: 0,
      items: [
        { itemId: '', section: ' Натуральные числа ', title: ' Ряд чисел ', hours: 1.5, controlWork: false },
        { itemId: '', section: '', title: 'Контрольная работа № 1', hours: 1.5, controlWork: true },
      ],
    });
    expect(course?.id).toBe(mathCourseId);
    expect(plan).toEqual({
      courseId: mathCourseId,
      schoolId: 'school-1',
      academicYearId: 'year-1',
      classId: 'class-5a',
      subgroupId: '',
      subjectId: 'math',
      items: [
        {
          id: 'item-1',
          number: 1,
          section: 'Натуральные числа',
          title: 'Ряд чисел',
          hours: 1.5,
          controlWork: false,
        },
        {
          id: 'item-2',
          number: 2,
          section: '',
          title: 'Контрольная работа № 1',
          hours: 1.5,
          controlWork: true,
        },
      ],
      updatedBy: 'person-teacher',
      updatedAt: '2026-08-25T03:00:00.000Z',
      version: 1,
    });
    expect(saved).toHaveLength(1);
    expect(saved[0]!.expectedVersion).toBe(0);
    expect(saved[0]!.facts).toEqual([
      expect.objectContaining({
        type: 'edu.gradebook.plan.set',
        schoolId: 'school-1',
        aggregateId: mathCourseId,
        aggregateVersion: 1,
        payload: {
          plan: expect.objectContaining({
            total_hours: 3,
            curriculum_hours: 3,
            hours_mismatch: false,
            version: '1',
          }),
        },
      }),
    ]);
  });

  it('when the hours differ from the curriculum, then the plan is stored and flagged', async () => {
    const { deps, saved } = setUp();
    await setThematicPlan(deps, as(teacher), {
      course: mathRef,
      expectedVersion: 0,
      items: items('Одна тема'),
    });
    expect(saved[0]!.facts[0]!.payload).toEqual({
      plan: expect.objectContaining({ total_hours: 1, curriculum_hours: 3, hours_mismatch: true }),
    });
  });

  it('when the plan is set again with some item ids, then those ids stay, new items get new ids, the version grows', async () => {
    const { deps, stored } = setUp();
    const first = await setThematicPlan(deps, as(teacher), {
      course: mathRef,
      expectedVersion: 0,
      items: items('А', 'Б'),
    });
    const [a, b] = first.plan.items;
    const second = await setThematicPlan(deps, as(director), {
      course: mathRef,
      expectedVersion: 1,
      items: [
        { itemId: b!.id, section: '', title: 'Б исправленная', hours: 2, controlWork: false },
        { itemId: '', section: '', title: 'В', hours: 1, controlWork: false },
      ],
    });
    expect(second.plan.items.map((i) => [i.id, i.number, i.title])).toEqual([
      [b!.id, 1, 'Б исправленная'],
      ['item-3', 2, 'В'],
    ]);
    expect(second.plan.items.some((i) => i.id === a!.id)).toBe(false);
    expect(stored.get(mathCourseId)).toMatchObject({ version: 2, updatedBy: 'person-director' });
  });

  it('when an item id is not of the stored plan, then the plan is refused and nothing stored', async () => {
    const { deps, saved } = setUp();
    await setThematicPlan(deps, as(teacher), { course: mathRef, expectedVersion: 0, items: items('А') });
    const error = await failure(
      setThematicPlan(deps, as(teacher), {
        course: mathRef,
        expectedVersion: 1,
        items: [{ itemId: 'someone-elses', section: '', title: 'А', hours: 1, controlWork: false }],
      }),
    );
    expect(error).toMatchObject({ kind: 'invalid', code: 'plan.invalid' });
    expect(error.errors).toEqual([
      { field: 'items[0].itemId', message: 'Такого пункта нет в сохранённом плане' },
    ]);
    expect(saved).toHaveLength(1);
  });

  it('when the caller read an older version, then the plan is refused as a conflict', async () => {
    const { deps, saved } = setUp();
    await setThematicPlan(deps, as(teacher), { course: mathRef, expectedVersion: 0, items: items('А') });
    const error = await failure(
      setThematicPlan(deps, as(director), { course: mathRef, expectedVersion: 0, items: items('Б') }),
    );
    expect(error).toMatchObject({ kind: 'conflict', code: 'plan.version_conflict' });
    expect(saved).toHaveLength(1);
  });

  it('when items and the version are wrong, then every problem is listed at once and nothing stored', async () => {
    const { deps, saved } = setUp();
    const error = await failure(
      setThematicPlan(deps, as(teacher), {
        course: mathRef,
        expectedVersion: -1,
        items: [
          { itemId: '', section: '', title: '', hours: 1, controlWork: false },
          { itemId: '', section: '', title: 'Дроби', hours: 0.25, controlWork: false },
        ],
      }),
    );
    expect(error).toMatchObject({ kind: 'invalid', code: 'plan.invalid' });
    expect(error.errors?.map((e) => e.field)).toEqual([
      'expectedVersion',
      'items[0].title',
      'items[1].hours',
    ]);
    expect(saved).toHaveLength(0);
  });

  it('when the course is not named, then the request is refused with both fields', async () => {
    const { deps } = setUp();
    const error = await failure(
      setThematicPlan(deps, as(director), {
        course: { classId: '', subgroupId: '', subjectId: '' },
        expectedVersion: 0,
        items: [],
      }),
    );
    expect(error).toMatchObject({ kind: 'invalid', code: 'plan.invalid' });
    expect(error.errors?.map((e) => e.field)).toEqual(['course.classId', 'course.subjectId']);
  });

  it('when the year is closed, then the plan no longer changes', async () => {
    const { deps, saved } = setUp({ year: { status: 'closed' } });
    const error = await failure(
      setThematicPlan(deps, as(teacher), { course: mathRef, expectedVersion: 0, items: items('А') }),
    );
    expect(error).toMatchObject({ kind: 'precondition', code: 'academic_year.closed' });
    expect(saved).toHaveLength(0);
  });

  it.each([
    ['a teacher of another course', otherTeacher],
    ['the class teacher who does not teach the course', classTeacher],
    ['a substitute of one lesson', inSchool('teacher', 'person-substitute')],
    ['the school admin', schoolAdmin],
    ['a guardian without a school role', guardian],
    ['the director of another school', otherDirector],
  ])('when %s sets the plan, then it is refused and nothing stored', async (_who, actor) => {
    const { deps, saved, denials } = setUp();
    const error = await failure(
      setThematicPlan(deps, as(actor), { course: mathRef, expectedVersion: 0, items: items('А') }),
    );
    expect(error.kind).toBe('forbidden');
    expect(denials).toEqual([
      { accountId: actor.accountId, action: 'plan.set', object: `course:${mathCourseId}` },
    ]);
    expect(saved).toHaveLength(0);
  });

  it('when the deputy sets the plan, then it is stored', async () => {
    const { deps, saved } = setUp();
    await setThematicPlan(deps, as(deputy), { course: mathRef, expectedVersion: 0, items: items('А') });
    expect(saved).toHaveLength(1);
  });

  it('when the class is unknown, then the request is refused like a forbidden one', async () => {
    const { deps, denials } = setUp();
    const error = await failure(
      setThematicPlan(deps, as(director), {
        course: { classId: 'class-unknown', subgroupId: '', subjectId: 'math' },
        expectedVersion: 0,
        items: items('А'),
      }),
    );
    expect(error.kind).toBe('forbidden');
    expect(denials).toEqual([
      { accountId: director.accountId, action: 'plan.set', object: 'course:class-unknown:-:math' },
    ]);
  });
});

describe('thematic plan: a course schedule has not told yet', () => {
  const historyRef = { classId: 'class-5a', subgroupId: '', subjectId: 'history' };

  it('when the director sets it, then it is stored under the computed course id, curriculum unknown and flagged', async () => {
    const { deps, saved } = setUp();
    const { plan, course } = await setThematicPlan(deps, as(director), {
      course: historyRef,
      expectedVersion: 0,
      items: items('Древний мир'),
    });
    expect(course).toBeNull();
    expect(plan.courseId).toBe('year-1:class-5a:-:history');
    expect(saved[0]!.facts[0]!.payload).toEqual({
      plan: expect.objectContaining({ curriculum_hours: 0, hours_mismatch: true }),
    });
  });

  it('when a teacher sets it, then it is refused: no teacher of the course is known yet', async () => {
    const { deps, saved } = setUp();
    const error = await failure(
      setThematicPlan(deps, as(teacher), { course: historyRef, expectedVersion: 0, items: items('А') }),
    );
    expect(error.kind).toBe('forbidden');
    expect(saved).toHaveLength(0);
  });

  it('when it names a subgroup of the class, then it is stored; a subgroup not of the class is not found', async () => {
    const { deps, saved } = setUp();
    const { plan } = await setThematicPlan(deps, as(director), {
      course: { classId: 'class-5a', subgroupId: 'group-1', subjectId: 'english' },
      expectedVersion: 0,
      items: items('Alphabet'),
    });
    expect(plan.courseId).toBe('year-1:class-5a:group-1:english');
    const error = await failure(
      setThematicPlan(deps, as(director), {
        course: { classId: 'class-5a', subgroupId: 'group-x', subjectId: 'english' },
        expectedVersion: 0,
        items: items('Alphabet'),
      }),
    );
    expect(error).toMatchObject({ kind: 'not_found', code: 'plan.subgroup_not_found' });
    expect(saved).toHaveLength(1);
  });
});

describe('thematic plan: reading it', () => {
  it('when no plan was set, then an empty plan at version 0 is read', async () => {
    const { deps } = setUp();
    const { plan } = await getThematicPlan(deps, as(teacher), mathRef);
    expect(plan).toMatchObject({ courseId: mathCourseId, items: [], version: 0, updatedBy: '' });
  });

  it.each([
    ['a teacher of the course', teacher],
    ['the class teacher', classTeacher],
    ['the deputy', deputy],
    ['the school admin', schoolAdmin],
  ])('when %s reads the plan, then it is read as set', async (_who, actor) => {
    const { deps } = setUp();
    await setThematicPlan(deps, as(teacher), { course: mathRef, expectedVersion: 0, items: items('А') });
    const { plan } = await getThematicPlan(deps, as(actor), mathRef);
    expect(plan.items.map((i) => i.title)).toEqual(['А']);
  });

  it.each([
    ['a teacher of another course', otherTeacher],
    ['a guardian without a school role', guardian],
    ['the director of another school', otherDirector],
  ])('when %s reads the plan, then it is refused', async (_who, actor) => {
    const { deps, denials } = setUp();
    const error = await failure(getThematicPlan(deps, as(actor), mathRef));
    expect(error.kind).toBe('forbidden');
    expect(denials).toEqual([
      { accountId: actor.accountId, action: 'plan.read', object: `course:${mathCourseId}` },
    ]);
  });
});

describe('thematic plan: progress', () => {
  function withRecords() {
    const topic = (lessonId: string, planItemId: string): LessonRecord => {
      const courseLesson = mathCourse.lessons.find((l) => l.lessonId === lessonId)!;
      return {
        ...emptyRecord(recordLesson(mathCourse, courseLesson)),
        topic: { text: 'Тема', planItemId, setBy: 'person-teacher', setAt: '' },
        version: 1,
      };
    };
    return setUp({
      records: [topic('l1', 'item-1'), topic('l2', 'item-2'), topic('l3', 'item-3'), topic('l4', 'item-3')],
    });
  }

  it('when lessons were held, then each period shows held lessons, topics, items covered and hours so far', async () => {
    const { deps, setNow, asked } = withRecords();
    await setThematicPlan(deps, as(teacher), {
      course: mathRef,
      expectedVersion: 0,
      items: items('А', 'Б', 'В'),
    });
    // 10:00 in Krasnoyarsk is 03:00 UTC: on 5 November l4 has just ended, l5 is a day away.
    setNow('2026-11-05T03:00:00Z');
    const { plan, progress } = await getPlanProgress(deps, as(classTeacher), mathRef);
    expect(plan.version).toBe(1);
    expect(asked).toEqual([['l1', 'l2', 'l4']]);
    expect(progress).toEqual({
      periods: [
        { period: 1, lessonsHeld: 2, lessonsWithTopic: 2, itemsDone: 2, hoursDone: 2 },
        { period: 2, lessonsHeld: 1, lessonsWithTopic: 1, itemsDone: 1, hoursDone: 3 },
      ],
      itemsLeft: [],
      totalHours: 3,
      hoursDone: 3,
    });
  });

  it('when the last lesson of a day has not ended yet, then it is not counted', async () => {
    const { deps, setNow } = withRecords();
    await setThematicPlan(deps, as(teacher), {
      course: mathRef,
      expectedVersion: 0,
      items: items('А', 'Б', 'В'),
    });
    setNow('2026-11-05T02:59:00Z');
    const { progress } = await getPlanProgress(deps, as(teacher), mathRef);
    expect(progress.periods[1]).toEqual({
      period: 2,
      lessonsHeld: 0,
      lessonsWithTopic: 0,
      itemsDone: 0,
      hoursDone: 2,
    });
    expect(progress.itemsLeft.map((i) => i.title)).toEqual(['В']);
  });

  it('when nothing was held yet, then no record is read', async () => {
    const { deps, asked } = withRecords();
    const { progress } = await getPlanProgress(deps, as(director), mathRef);
    expect(asked).toEqual([]);
    expect(progress.periods.map((p) => p.lessonsHeld)).toEqual([0, 0]);
  });

  it.each([
    ['a teacher of another course', otherTeacher],
    ['a guardian without a school role', guardian],
  ])('when %s asks for the progress, then it is refused', async (_who, actor) => {
    const { deps, denials, asked } = withRecords();
    const error = await failure(getPlanProgress(deps, as(actor), mathRef));
    expect(error.kind).toBe('forbidden');
    expect(denials).toEqual([
      { accountId: actor.accountId, action: 'plan.progress', object: `course:${mathCourseId}` },
    ]);
    expect(asked).toEqual([]);
  });
});
