import { DomainError } from '@edu/kit';
import {
  listLackingMarks,
  listPeriodMarks,
  setPeriodMark,
  type SetPeriodMarkInput,
} from '../../src/domain/period-mark.use-cases';
import { periodMarkId, type PeriodMark } from '../../src/domain/ports';
import {
  ANNA,
  BORIS,
  CLASS,
  CLASS_1,
  CLASS_TEACHER,
  ENGLISH,
  ENGLISH_TEACHER,
  MATH,
  MATH_TEACHER,
  OTHER_TEACHER,
  SUBGROUP,
  VERA,
  YEAR,
  actor,
  context,
  mark,
  policyWith,
  putMarks,
  world,
  type World,
} from './period-mark.fixtures';

// Period marks through their use cases with in-memory ports: who sets and corrects them when,
// what they are set against, who reads them, who lacks marks.

const math = { classId: CLASS, subgroupId: '', subjectId: MATH.id };
const english = { classId: CLASS, subgroupId: SUBGROUP, subjectId: ENGLISH.id };
const mathTeacher = context(actor(MATH_TEACHER));
const classTeacher = context(actor(CLASS_TEACHER));
const director = context(actor('director-1', 'director'));

function input(patch: Partial<SetPeriodMarkInput> = {}): SetPeriodMarkInput {
  return {
    studentId: ANNA,
    course: math,
    kind: 'period',
    period: 2,
    value: '5',
    expectedVersion: 0,
    reason: '',
    orderRef: '',
    ...patch,
  };
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

let w: World;
beforeEach(() => {
  w = world();
});

const mathCourse = () => [...w.courses.values()].find((c) => c.classId === CLASS && c.subjectId === MATH.id)!;

describe('SetPeriodMark: setting', () => {
  it("the subject's teacher sets a quarter mark in the window, against the quarter's marks; the event is posted", async () => {
    putMarks(w, mathCourse(), 'm-1', [mark(ANNA, '5', 1), mark(ANNA, '3', 2), mark(VERA, '2')]);
    putMarks(w, mathCourse(), 'm-2', [mark(ANNA, 'н/а'), mark(ANNA, '2', 1, 'voided')]);
    // Outside the quarter and in a cancelled lesson: not counted.
    putMarks(w, mathCourse(), 'm-q1', [mark(ANNA, '2')]);
    putMarks(w, mathCourse(), 'm-4', [mark(ANNA, '2')]);

    const set = await setPeriodMark(w.deps, mathTeacher, input({ value: '4' }));

    expect(set).toMatchObject({
      id: periodMarkId({
        academicYearId: YEAR,
        studentId: ANNA,
        subjectId: MATH.id,
        kind: 'period',
        period: 2,
      }),
      classId: CLASS,
      kind: 'period',
      period: 2,
      value: '4',
      setBy: MATH_TEACHER,
      setAt: '2026-12-25T03:00:00.000Z',
      arithmeticAverage: 4,
      weightedAverage: 3.67,
      marksCount: 2,
      version: 1,
      history: [{ kind: 'posted', value: '4', by: MATH_TEACHER, reason: '' }],
    });
    expect(w.saved).toHaveLength(1);
    expect(w.saved[0]!.expectedVersion).toBe(0);
    expect(w.saved[0]!.facts).toEqual([
      {
        type: 'edu.gradebook.period_mark.posted',
        schoolId: 'school-1',
        aggregateId: set.id,
        aggregateVersion: 1,
        payload: {},
      },
    ]);
  });

  it('the class teacher sets a mark in any subject of the class, a subgroup course included', async () => {
    const set = await setPeriodMark(w.deps, classTeacher, input({ course: english }));
    expect(set).toMatchObject({ subjectId: ENGLISH.id, setBy: CLASS_TEACHER });
  });

  it.each([
    ['a teacher of another subject', context(actor(ENGLISH_TEACHER))],
    ['a teacher who does not teach the class', context(actor(OTHER_TEACHER))],
    ['the school admin', context(actor('admin-1', 'schoolAdmin'))],
    [
      'a guardian with no school role',
      context({ accountId: 'g', personId: 'g', schoolRoles: [], grants: [] }),
    ],
    ["the subject's teacher in another school", context(actor(MATH_TEACHER, 'teacher', 'school-2'))],
  ])('refuses %s', async (_who, ctx) => {
    const error = await refusal(setPeriodMark(w.deps, ctx, input()));
    expect(error.kind).toBe('forbidden');
    expect(w.refusals).toEqual([{ action: 'period_mark.set', object: expect.stringContaining(ANNA) }]);
    expect(w.saved).toHaveLength(0);
  });

  it('refuses an outsider asking for a course that does not exist the same way as a forbidden one', async () => {
    const error = await refusal(
      setPeriodMark(
        w.deps,
        context(actor('x', 'teacher', 'school-2')),
        input({ course: { ...math, subjectId: 'nope' } }),
      ),
    );
    expect(error.kind).toBe('forbidden');
    const known = await refusal(
      setPeriodMark(w.deps, mathTeacher, input({ course: { ...math, subjectId: 'nope' } })),
    );
    expect(known.code).toBe('course.not_found');
  });

  it("opens the window in the school's time zone: 24 December has begun in Krasnoyarsk, not yet in UTC", async () => {
    w.now.at = new Date('2026-12-23T16:59:00Z');
    const early = await refusal(setPeriodMark(w.deps, mathTeacher, input()));
    expect(early.code).toBe('period_mark.outside_window');
    expect(early.detail).toBe('Отметку за 2 четверть можно выставить с 24.12.2026 по 28.12.2026');
    w.now.at = new Date('2026-12-23T17:00:00Z');
    await expect(setPeriodMark(w.deps, mathTeacher, input())).resolves.toMatchObject({ value: '5' });
  });

  it("refuses a mark after the window closes, and follows the policy's window length", async () => {
    w.now.at = new Date('2026-12-28T17:00:00Z'); // 29 December in Krasnoyarsk
    const late = await refusal(setPeriodMark(w.deps, mathTeacher, input()));
    expect(late.code).toBe('period_mark.outside_window');
    expect(late.detail).toContain('истёк 28.12.2026');

    w.now.at = new Date('2026-12-20T03:00:00Z');
    expect((await refusal(setPeriodMark(w.deps, mathTeacher, input()))).code).toBe(
      'period_mark.outside_window',
    );
    w.policy.value = policyWith({ periodMarkWindowDays: 10 });
    await expect(setPeriodMark(w.deps, mathTeacher, input())).resolves.toMatchObject({ version: 1 });
  });

  it('leaves the mark to the teacher in its window: the director is refused then', async () => {
    const error = await refusal(setPeriodMark(w.deps, director, input()));
    expect(error.code).toBe('period_mark.set_by_teacher');
    expect(w.saved).toHaveLength(0);
  });

  it('lets the director set a mark forgotten in its window, late, with a reason and an order', async () => {
    w.now.at = new Date('2026-12-28T17:00:00Z'); // 29 December in Krasnoyarsk: the window closed
    const teacherLate = await refusal(setPeriodMark(w.deps, mathTeacher, input()));
    expect(teacherLate.detail).toContain('по приказу');
    const bare = await refusal(setPeriodMark(w.deps, director, input()));
    expect(bare.errors?.map((e) => e.field)).toEqual(['reason', 'order_ref']);
    const late = await setPeriodMark(
      w.deps,
      director,
      input({ reason: 'Не выставлена в срок', orderRef: '№ 50 от 29.12.2026' }),
    );
    expect(late.history).toMatchObject([
      { kind: 'posted', reason: 'Не выставлена в срок', orderRef: '№ 50 от 29.12.2026' },
    ]);
  });

  it('refuses marks where the first grade has no marks', async () => {
    const error = await refusal(
      setPeriodMark(
        w.deps,
        classTeacher,
        input({ studentId: 'student-first', course: { ...math, classId: CLASS_1 } }),
      ),
    );
    expect(error.code).toBe('period_mark.no_marks_scale');
    expect(w.saved).toHaveLength(0);
  });

  it('lists every input problem at once', async () => {
    const error = await refusal(setPeriodMark(w.deps, mathTeacher, input({ period: 7, value: '6' })));
    expect(error.code).toBe('period_mark.invalid');
    expect(error.errors?.map((e) => e.field)).toEqual(['period', 'value']);
    const kind = await refusal(setPeriodMark(w.deps, mathTeacher, input({ kind: 'quarter', studentId: '' })));
    expect(kind.errors?.map((e) => e.field)).toEqual(['student_id', 'kind']);
    const yearWithPeriod = await refusal(
      setPeriodMark(w.deps, mathTeacher, input({ kind: 'year', period: 2 })),
    );
    expect(yearWithPeriod.errors?.map((e) => e.field)).toEqual(['period']);
  });

  it('checks the value on the policy: pass/fail subjects and the special values', async () => {
    w.policy.value = policyWith({
      scales: [{ grades: [5], subjectKeys: ['math'], scale: 'pass_fail' }],
      allowExempt: false,
    });
    const error = await refusal(setPeriodMark(w.deps, mathTeacher, input({ value: '5' })));
    expect(error.errors).toEqual([{ field: 'value', message: 'допустимые отметки: зачёт, незачёт, н/а' }]);
    expect(
      (await refusal(setPeriodMark(w.deps, mathTeacher, input({ value: 'осв' })))).errors?.[0]?.field,
    ).toBe('value');
    await expect(setPeriodMark(w.deps, mathTeacher, input({ value: 'зачёт' }))).resolves.toMatchObject({
      value: 'зачёт',
    });
  });

  it('refuses a student who was not in the course during the period', async () => {
    // Boris left in October; Vera is not in the English subgroup.
    expect((await refusal(setPeriodMark(w.deps, mathTeacher, input({ studentId: BORIS })))).code).toBe(
      'period_mark.student_not_in_course',
    );
    const vera = await refusal(
      setPeriodMark(w.deps, context(actor(ENGLISH_TEACHER)), input({ studentId: VERA, course: english })),
    );
    expect(vera.code).toBe('period_mark.student_not_in_course');
    expect(vera.detail).toBe('Обучающийся не числился в группе «Английский, группа 1» в период «2 четверть»');
    // Boris was in the class in the first quarter, so a year mark is his.
    w.now.at = new Date('2027-05-25T03:00:00Z');
    await expect(
      setPeriodMark(w.deps, mathTeacher, input({ studentId: BORIS, kind: 'year', period: 0 })),
    ).resolves.toMatchObject({
      kind: 'year',
    });
  });

  it('refuses setting a mark twice and a stale version', async () => {
    await setPeriodMark(w.deps, mathTeacher, input());
    expect((await refusal(setPeriodMark(w.deps, mathTeacher, input({ value: '4' })))).code).toBe(
      'period_mark.already_set',
    );
    const stale = await refusal(
      setPeriodMark(w.deps, mathTeacher, input({ value: '4', expectedVersion: 3, reason: 'ошибка' })),
    );
    expect(stale.code).toBe('period_mark.version_conflict');
    const missing = await refusal(
      setPeriodMark(
        w.deps,
        mathTeacher,
        input({ period: 1, value: '4', expectedVersion: 1, reason: 'ошибка' }),
      ),
    );
    expect(missing.code).toBe('period_mark.not_found');
    expect(w.saved).toHaveLength(1);
  });

  it("sets a year mark in the last days of the last period, against the quarters' marks", async () => {
    for (const [period, value] of [
      [1, '5'],
      [2, '4'],
      [3, 'зачёт'],
    ] as const) {
      const id = periodMarkId({
        academicYearId: YEAR,
        studentId: ANNA,
        subjectId: MATH.id,
        kind: 'period',
        period,
      });
      w.marks.set(id, { id, value, kind: 'period', period } as PeriodMark);
    }
    w.now.at = new Date('2027-05-20T03:00:00Z');
    expect(
      (await refusal(setPeriodMark(w.deps, mathTeacher, input({ kind: 'year', period: 0 })))).detail,
    ).toBe('Отметку (годовая) можно выставить с 22.05.2027 по 26.05.2027');
    w.now.at = new Date('2027-05-22T03:00:00Z');
    const year = await setPeriodMark(w.deps, mathTeacher, input({ kind: 'year', period: 0 }));
    expect(year).toMatchObject({ period: 0, arithmeticAverage: 4.5, weightedAverage: 4.5, marksCount: 2 });
  });

  it('sets exam and final marks from the first day of the last period on, without an end', async () => {
    w.now.at = new Date('2027-03-28T03:00:00Z');
    expect((await refusal(setPeriodMark(w.deps, mathTeacher, input({ kind: 'exam', period: 0 })))).code).toBe(
      'period_mark.outside_window',
    );
    w.now.at = new Date('2027-06-20T03:00:00Z');
    await setPeriodMark(w.deps, mathTeacher, input({ kind: 'exam', period: 0, value: '3' }));
    const yearId = periodMarkId({
      academicYearId: YEAR,
      studentId: ANNA,
      subjectId: MATH.id,
      kind: 'year',
      period: 0,
    });
    w.marks.set(yearId, { id: yearId, value: '4', kind: 'year', period: 0 } as PeriodMark);
    const final = await setPeriodMark(w.deps, mathTeacher, input({ kind: 'final', period: 0, value: '4' }));
    expect(final).toMatchObject({ arithmeticAverage: 3.5, marksCount: 2 });
  });
});

describe('SetPeriodMark: correcting', () => {
  async function setThenMove(days: number): Promise<PeriodMark> {
    const set = await setPeriodMark(w.deps, mathTeacher, input({ value: '3' }));
    w.now.at = new Date(w.now.at.getTime() + days * 86_400_000);
    return set;
  }

  it('the author corrects within the correction days with a reason; history keeps both, the event tells the old value', async () => {
    const set = await setThenMove(7);
    const fixed = await setPeriodMark(
      w.deps,
      mathTeacher,
      input({ value: '4', expectedVersion: set.version, reason: ' Пересчитана с учётом контрольной ' }),
    );
    expect(fixed).toMatchObject({ value: '4', version: 2, setBy: MATH_TEACHER, setAt: set.setAt });
    expect(fixed.history.map((h) => [h.kind, h.value, h.reason])).toEqual([
      ['posted', '3', ''],
      ['corrected', '4', 'Пересчитана с учётом контрольной'],
    ]);
    expect(w.saved[1]).toMatchObject({
      expectedVersion: 1,
      facts: [
        {
          type: 'edu.gradebook.period_mark.corrected',
          aggregateVersion: 2,
          payload: { previous_value: '3', reason: 'Пересчитана с учётом контрольной' },
        },
      ],
    });
  });

  it('requires a reason and a different value', async () => {
    const set = await setThenMove(1);
    const noReason = await refusal(
      setPeriodMark(w.deps, mathTeacher, input({ value: '4', expectedVersion: set.version })),
    );
    expect(noReason.errors).toEqual([{ field: 'reason', message: 'Укажите причину исправления' }]);
    const same = await refusal(
      setPeriodMark(w.deps, mathTeacher, input({ value: '3', expectedVersion: set.version, reason: 'x' })),
    );
    expect(same.errors?.[0]?.field).toBe('value');
    expect(w.saved).toHaveLength(1);
  });

  it('within the correction days the class teacher corrects too, the director does not', async () => {
    const set = await setThenMove(2);
    const byDirector = await refusal(
      setPeriodMark(
        w.deps,
        director,
        input({ value: '4', expectedVersion: 1, reason: 'x', orderRef: '№ 1' }),
      ),
    );
    expect(byDirector.code).toBe('period_mark.correction_by_author');
    await expect(
      setPeriodMark(
        w.deps,
        classTeacher,
        input({ value: '4', expectedVersion: set.version, reason: 'ошибка' }),
      ),
    ).resolves.toMatchObject({ version: 2, history: [{ by: MATH_TEACHER }, { by: CLASS_TEACHER }] });
  });

  it('after the correction days only the director or a deputy corrects, with the order', async () => {
    const set = await setThenMove(8);
    const byAuthor = await refusal(
      setPeriodMark(
        w.deps,
        mathTeacher,
        input({ value: '4', expectedVersion: set.version, reason: 'ошибка' }),
      ),
    );
    expect(byAuthor.code).toBe('period_mark.correction_window_closed');
    const noOrder = await refusal(
      setPeriodMark(w.deps, director, input({ value: '4', expectedVersion: set.version, reason: 'ошибка' })),
    );
    expect(noOrder.errors?.map((e) => e.field)).toEqual(['order_ref']);
    const deputy = context(actor('deputy-1', 'deputy'));
    const fixed = await setPeriodMark(
      w.deps,
      deputy,
      input({
        value: '4',
        expectedVersion: set.version,
        reason: 'апелляция',
        orderRef: '№ 45 от 12.01.2027',
      }),
    );
    expect(fixed.history[1]).toMatchObject({
      kind: 'corrected',
      by: 'deputy-1',
      orderRef: '№ 45 от 12.01.2027',
    });
  });

  it('refuses a correction by a teacher with no relation to the course, and by the school admin', async () => {
    await setThenMove(1);
    for (const ctx of [context(actor(OTHER_TEACHER)), context(actor('admin-1', 'schoolAdmin'))]) {
      const error = await refusal(
        setPeriodMark(w.deps, ctx, input({ value: '4', expectedVersion: 1, reason: 'x' })),
      );
      expect(error.kind).toBe('forbidden');
    }
    expect(w.refusals.map((r) => r.action)).toEqual(['period_mark.correct', 'period_mark.correct']);
  });

  it('with no correction days in the policy only the heads correct, at once', async () => {
    w.policy.value = policyWith({ correctionDays: 0 });
    const set = await setThenMove(0);
    expect(
      (
        await refusal(
          setPeriodMark(
            w.deps,
            mathTeacher,
            input({ value: '4', expectedVersion: set.version, reason: 'x' }),
          ),
        )
      ).code,
    ).toBe('period_mark.correction_window_closed');
    await expect(
      setPeriodMark(
        w.deps,
        director,
        input({ value: '4', expectedVersion: set.version, reason: 'x', orderRef: '№ 2' }),
      ),
    ).resolves.toMatchObject({ version: 2 });
  });
});

describe('ListPeriodMarks', () => {
  beforeEach(async () => {
    await setPeriodMark(w.deps, mathTeacher, input({ studentId: ANNA }));
    await setPeriodMark(w.deps, mathTeacher, input({ studentId: VERA, value: '4' }));
    await setPeriodMark(w.deps, classTeacher, input({ studentId: ANNA, course: english, value: '3' }));
  });

  const list = (ctx = classTeacher, patch = {}) =>
    listPeriodMarks(w.deps, ctx, { classId: CLASS, subjectId: '', kind: '', period: 0, ...patch });

  it('gives the class teacher every subject, in roster order then subject', async () => {
    const marks = await list();
    expect(marks.map((m) => [m.studentId, m.subjectId])).toEqual([
      [VERA, MATH.id],
      [ANNA, ENGLISH.id],
      [ANNA, MATH.id],
    ]);
  });

  it('gives a teacher of the class only their subjects, and refuses one asking for another subject', async () => {
    expect((await list(context(actor(ENGLISH_TEACHER)))).map((m) => m.subjectId)).toEqual([ENGLISH.id]);
    const error = await refusal(list(context(actor(ENGLISH_TEACHER)), { subjectId: MATH.id }));
    expect(error.kind).toBe('forbidden');
  });

  it('filters by subject, kind and period', async () => {
    expect(await list(classTeacher, { subjectId: MATH.id, period: 1 })).toEqual([]);
    expect((await list(classTeacher, { subjectId: MATH.id, kind: 'period', period: 2 })).length).toBe(2);
    expect(await list(classTeacher, { kind: 'year' })).toEqual([]);
    expect((await refusal(list(classTeacher, { kind: 'term' }))).errors?.[0]?.field).toBe('kind');
  });

  it.each([
    ['a teacher who does not teach the class', context(actor(OTHER_TEACHER))],
    [
      'a guardian with no school role',
      context({ accountId: 'g', personId: 'g', schoolRoles: [], grants: [] }),
    ],
  ])('refuses %s', async (_who, ctx) => {
    expect((await refusal(list(ctx))).kind).toBe('forbidden');
  });

  it('lets the school admin read', async () => {
    expect(await list(context(actor('admin-1', 'schoolAdmin')))).toHaveLength(3);
  });
});

describe('ListLackingMarks', () => {
  const lacking = (ctx = mathTeacher, course = math) => listLackingMarks(w.deps, ctx, { course, period: 2 });

  it("lists the course's current students below the minimum, in roster order, with the days left", async () => {
    putMarks(w, mathCourse(), 'm-1', [
      mark(ANNA, '5'),
      mark(ANNA, 'зачёт'),
      mark(VERA, 'н/а'),
      mark(BORIS, '5'),
    ]);
    const result = await lacking();
    // 3 lessons held or planned in ~7.7 weeks: under 2 a week, so 3 marks are needed.
    expect(result).toEqual({
      required: 3,
      hoursPerWeek: 0.39,
      periodEndsOn: '2026-12-28',
      daysLeft: 3,
      students: [
        { studentId: VERA, displayName: 'Ёлкина Вера', marksCount: 0, required: 3 },
        { studentId: ANNA, displayName: 'Яковлева Анна', marksCount: 2, required: 3 },
      ],
    });
  });

  it('takes the curriculum hours when known; "осв" attests a student', async () => {
    mathCourse().curriculum = { hoursPerYear: 170, hoursPerWeek: 5, version: 1 };
    putMarks(w, mathCourse(), 'm-1', [mark(VERA, 'осв'), mark(ANNA, '5'), mark(ANNA, '4'), mark(ANNA, '4')]);
    const result = await lacking();
    expect(result.required).toBe(7);
    expect(result.hoursPerWeek).toBe(5);
    expect(result.students.map((s) => s.studentId)).toEqual([ANNA]);
  });

  it('needs no marks where the course has none, and refuses an unknown period', async () => {
    const first = await listLackingMarks(w.deps, classTeacher, {
      course: { ...math, classId: CLASS_1 },
      period: 2,
    });
    expect(first).toMatchObject({ required: 0, students: [] });
    expect(
      (await refusal(listLackingMarks(w.deps, mathTeacher, { course: math, period: 9 }))).errors?.[0]?.field,
    ).toBe('period');
  });

  it('shows no days left once the period is over', async () => {
    w.now.at = new Date('2027-01-15T03:00:00Z');
    expect((await lacking()).daysLeft).toBe(0);
  });

  it.each([
    ['a teacher of another subject', context(actor(ENGLISH_TEACHER))],
    [
      'a guardian with no school role',
      context({ accountId: 'g', personId: 'g', schoolRoles: [], grants: [] }),
    ],
  ])('refuses %s', async (_who, ctx) => {
    expect((await refusal(lacking(ctx))).kind).toBe('forbidden');
  });

  it('lets the class teacher and the school admin read', async () => {
    await expect(lacking(classTeacher)).resolves.toMatchObject({ required: 3 });
    await expect(lacking(context(actor('admin-1', 'schoolAdmin')))).resolves.toMatchObject({ required: 3 });
  });
});
