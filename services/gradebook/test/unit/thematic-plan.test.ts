import type { CourseLesson } from '../../src/domain/copies';
import type { PlanItem, ThematicPlan } from '../../src/domain/ports';
import type { StudyPeriod } from '../../src/domain/study-periods';
import {
  PLAN_RULES,
  emptyPlan,
  foreignItemErrors,
  isHeld,
  planHours,
  planItemErrors,
  planItemOf,
  planItems,
  planProgress,
  planSetFact,
  type PlanItemInput,
} from '../../src/domain/thematic-plan';

// The rules of a thematic plan without a store: the items' form, numbering and ids, hours
// against the curriculum, the item a topic picks, when a lesson counts as held, and progress.

const input = (overrides: Partial<PlanItemInput> = {}): PlanItemInput => ({
  itemId: '',
  section: 'Натуральные числа',
  title: 'Ряд натуральных чисел',
  hours: 1,
  controlWork: false,
  ...overrides,
});

const item = (id: string, hours = 1, number = 1): PlanItem => ({
  id,
  number,
  section: '',
  title: `Тема ${id}`,
  hours,
  controlWork: false,
});

const target = {
  courseId: 'year-1:class-5a:-:math',
  schoolId: 'school-1',
  academicYearId: 'year-1',
  classId: 'class-5a',
  subgroupId: '',
  subjectId: 'math',
};

const plan = (items: PlanItem[], version = 1): ThematicPlan => ({
  ...emptyPlan(target),
  items,
  updatedBy: 'person-teacher',
  updatedAt: '2026-08-25T03:00:00.000Z',
  version,
});

const lesson = (
  id: string,
  period: number,
  date: string,
  overrides: Partial<CourseLesson> = {},
): CourseLesson => ({
  lessonId: id,
  period,
  date,
  lessonNumber: 1,
  startsAt: '08:30',
  endsAt: '09:10',
  teacherId: 'person-teacher',
  substituteTeacherId: '',
  room: '214',
  status: 'scheduled',
  version: 1,
  ...overrides,
});

const quarters: StudyPeriod[] = [
  { kind: 'quarter', number: 1, startsOn: '2026-09-01', endsOn: '2026-10-25' },
  { kind: 'quarter', number: 2, startsOn: '2026-11-04', endsOn: '2026-12-27' },
  { kind: 'quarter', number: 3, startsOn: '2027-01-11', endsOn: '2027-03-21' },
];

const topic = (planItemId: string) => ({
  text: 'Тема урока',
  planItemId,
  setBy: 'person-teacher',
  setAt: '',
});

describe('thematic plan: the items', () => {
  it('when every item has a title and hours in half hours, then there is no problem', () => {
    expect(
      planItemErrors([
        input({ hours: 0.5 }),
        input({ hours: 2, title: 'т'.repeat(PLAN_RULES.maxTitleLength), section: '' }),
        input({ section: 'р'.repeat(PLAN_RULES.maxSectionLength) }),
      ]),
    ).toEqual([]);
  });

  it('when several items are wrong, then every problem is listed at once with its field', () => {
    expect(
      planItemErrors([
        input({ title: '   ' }),
        input({ title: 'т'.repeat(PLAN_RULES.maxTitleLength + 1), hours: 0 }),
        input({ hours: 0.3, section: 'р'.repeat(PLAN_RULES.maxSectionLength + 1) }),
        input({ hours: -1 }),
        input({ hours: Number.NaN }),
        input({ hours: Number.POSITIVE_INFINITY }),
      ]),
    ).toEqual([
      { field: 'items[0].title', message: 'Укажите тему' },
      { field: 'items[1].title', message: 'Тема — не длиннее 500 символов' },
      { field: 'items[1].hours', message: 'Часы — число больше 0, кратное 0,5' },
      { field: 'items[2].section', message: 'Раздел — не длиннее 200 символов' },
      { field: 'items[2].hours', message: 'Часы — число больше 0, кратное 0,5' },
      { field: 'items[3].hours', message: 'Часы — число больше 0, кратное 0,5' },
      { field: 'items[4].hours', message: 'Часы — число больше 0, кратное 0,5' },
      { field: 'items[5].hours', message: 'Часы — число больше 0, кратное 0,5' },
    ]);
  });

  it('when an item id is given twice, then the second is refused', () => {
    expect(planItemErrors([input({ itemId: 'a' }), input({ itemId: 'b' }), input({ itemId: 'a' })])).toEqual([
      { field: 'items[2].itemId', message: 'Пункт указан дважды' },
    ]);
  });

  it('when a plan has 400 items it is accepted, and 401 are refused', () => {
    expect(planItemErrors(Array.from({ length: PLAN_RULES.maxItems }, () => input()))).toEqual([]);
    expect(planItemErrors(Array.from({ length: PLAN_RULES.maxItems + 1 }, () => input()))).toEqual([
      { field: 'items', message: 'В тематическом плане не больше 400 пунктов' },
    ]);
  });

  it('when an item id is not in the stored plan, then it is refused; new items and kept ones pass', () => {
    const stored = plan([item('a'), item('b', 1, 2)]);
    expect(foreignItemErrors([input({ itemId: 'b' }), input(), input({ itemId: 'zzz' })], stored)).toEqual([
      { field: 'items[2].itemId', message: 'Такого пункта нет в сохранённом плане' },
    ]);
    expect(foreignItemErrors([input({ itemId: 'a' })], emptyPlan(target))).toHaveLength(1);
  });

  it('when items are stored, then they are numbered in the given order, ids kept or new, text trimmed', () => {
    const ids = ['new-1', 'new-2'];
    expect(
      planItems(
        [
          input({ title: '  Дроби ', section: ' Дроби ', hours: 2, controlWork: true }),
          input({ itemId: 'kept' }),
          input({ title: 'Повторение' }),
        ],
        () => ids.shift()!,
      ),
    ).toEqual([
      { id: 'new-1', number: 1, section: 'Дроби', title: 'Дроби', hours: 2, controlWork: true },
      {
        id: 'kept',
        number: 2,
        section: 'Натуральные числа',
        title: 'Ряд натуральных чисел',
        hours: 1,
        controlWork: false,
      },
      {
        id: 'new-2',
        number: 3,
        section: 'Натуральные числа',
        title: 'Повторение',
        hours: 1,
        controlWork: false,
      },
    ]);
  });
});

describe('thematic plan: hours against the curriculum', () => {
  const curriculum = (hoursPerYear: number) => ({
    curriculum: { hoursPerYear, hoursPerWeek: 1, version: 1 },
  });

  it('when the items add up to the curriculum hours, then there is no mismatch', () => {
    expect(planHours(plan([item('a', 1.5), item('b', 0.5), item('c', 3)]), curriculum(5))).toEqual({
      totalHours: 5,
      curriculumHours: 5,
      hoursMismatch: false,
    });
  });

  it('when they differ, then the plan is flagged', () => {
    expect(planHours(plan([item('a', 4)]), curriculum(5))).toEqual({
      totalHours: 4,
      curriculumHours: 5,
      hoursMismatch: true,
    });
  });

  it('when the curriculum is unknown, then the curriculum hours are 0 and the plan is flagged', () => {
    expect(planHours(plan([]), null)).toEqual({ totalHours: 0, curriculumHours: 0, hoursMismatch: true });
    expect(planHours(plan([item('a', 2)]), {})).toEqual({
      totalHours: 2,
      curriculumHours: 0,
      hoursMismatch: true,
    });
  });

  it('when a plan is set, then its event carries the plan state with the hours checked', () => {
    const stored = plan([{ ...item('a', 2), section: 'Дроби', controlWork: true }], 3);
    expect(planSetFact(stored, curriculum(2))).toEqual({
      type: 'edu.gradebook.plan.set',
      schoolId: 'school-1',
      aggregateId: 'year-1:class-5a:-:math',
      aggregateVersion: 3,
      payload: {
        plan: {
          course_id: 'year-1:class-5a:-:math',
          school_id: 'school-1',
          academic_year_id: 'year-1',
          class_id: 'class-5a',
          subgroup_id: '',
          subject_id: 'math',
          items: [
            { item_id: 'a', number: 1, section: 'Дроби', title: 'Тема a', hours: 2, control_work: true },
          ],
          total_hours: 2,
          curriculum_hours: 2,
          hours_mismatch: false,
          updated_by: 'person-teacher',
          updated_at: '2026-08-25T03:00:00.000Z',
          version: '3',
        },
      },
    });
  });
});

describe('thematic plan: the item a lesson topic picks', () => {
  it('when the plan has the item, then it is found; otherwise null, also without a plan', () => {
    const stored = plan([item('a'), item('b', 2, 2)]);
    expect(planItemOf(stored, 'b')).toEqual(item('b', 2, 2));
    expect(planItemOf(stored, 'zzz')).toBeNull();
    expect(planItemOf(stored, '')).toBeNull();
    expect(planItemOf(null, 'a')).toBeNull();
  });
});

describe('thematic plan: lessons held', () => {
  // 09:10 in Krasnoyarsk (UTC+7) is 02:10 UTC.
  const first = lesson('l1', 1, '2026-09-01');

  it('when the lesson ended in the school time zone, then it was held; a minute before, not yet', () => {
    expect(isHeld(first, new Date('2026-09-01T02:09:00Z'), 'Asia/Krasnoyarsk')).toBe(false);
    expect(isHeld(first, new Date('2026-09-01T02:10:00Z'), 'Asia/Krasnoyarsk')).toBe(true);
  });

  it('when the school time zone is unknown, then UTC decides', () => {
    expect(isHeld(first, new Date('2026-09-01T09:09:00Z'), '')).toBe(false);
    expect(isHeld(first, new Date('2026-09-01T09:10:00Z'), '')).toBe(true);
  });

  it('when the lesson was cancelled, then it was not held', () => {
    expect(
      isHeld({ ...first, status: 'cancelled' }, new Date('2027-01-01T00:00:00Z'), 'Asia/Krasnoyarsk'),
    ).toBe(false);
  });
});

describe('thematic plan: progress', () => {
  const items = [item('a', 2, 1), item('b', 1, 2), item('c', 1.5, 3), item('d', 1, 4)];

  it('when held lessons pick items, then each item counts once, in the period of its first lesson, with cumulative hours', () => {
    const progress = planProgress({
      plan: plan(items),
      periods: quarters,
      // Out of order on purpose: the earliest lesson decides where an item counts.
      heldLessons: [
        lesson('l3', 2, '2026-11-05'),
        lesson('l1', 1, '2026-09-01'),
        lesson('l2', 1, '2026-09-02'),
        lesson('l4', 2, '2026-11-06'),
        lesson('l5', 2, '2026-11-07'),
        lesson('l6', 2, '2026-11-08'),
      ],
      records: [
        { lessonId: 'l1', topic: topic('a') },
        { lessonId: 'l2', topic: topic('a') },
        { lessonId: 'l3', topic: topic('c') },
        { lessonId: 'l4', topic: topic('') },
        { lessonId: 'l5', topic: topic('removed-item') },
        { lessonId: 'l6', topic: null },
      ],
    });
    expect(progress).toEqual({
      periods: [
        { period: 1, lessonsHeld: 2, lessonsWithTopic: 2, itemsDone: 1, hoursDone: 2 },
        { period: 2, lessonsHeld: 4, lessonsWithTopic: 3, itemsDone: 1, hoursDone: 3.5 },
        { period: 3, lessonsHeld: 0, lessonsWithTopic: 0, itemsDone: 0, hoursDone: 3.5 },
      ],
      itemsLeft: [items[1], items[3]],
      totalHours: 5.5,
      hoursDone: 3.5,
    });
  });

  it('when a held lesson names a period the grade scheme does not have, then it gets its own row after the others', () => {
    const progress = planProgress({
      plan: plan(items),
      periods: quarters.slice(0, 1),
      heldLessons: [lesson('l1', 1, '2026-09-01'), lesson('l9', 4, '2027-04-02')],
      records: [{ lessonId: 'l9', topic: topic('d') }],
    });
    expect(progress.periods).toEqual([
      { period: 1, lessonsHeld: 1, lessonsWithTopic: 0, itemsDone: 0, hoursDone: 0 },
      { period: 4, lessonsHeld: 1, lessonsWithTopic: 1, itemsDone: 1, hoursDone: 1 },
    ]);
    expect(progress.hoursDone).toBe(1);
  });

  it('when there is no plan yet, then lessons and topics still count and nothing is covered', () => {
    const progress = planProgress({
      plan: emptyPlan(target),
      periods: quarters.slice(0, 1),
      heldLessons: [lesson('l1', 1, '2026-09-01')],
      records: [{ lessonId: 'l1', topic: topic('a') }],
    });
    expect(progress).toEqual({
      periods: [{ period: 1, lessonsHeld: 1, lessonsWithTopic: 1, itemsDone: 0, hoursDone: 0 }],
      itemsLeft: [],
      totalHours: 0,
      hoursDone: 0,
    });
  });
});
