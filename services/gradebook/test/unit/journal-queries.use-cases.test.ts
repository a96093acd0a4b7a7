import { DomainError, forbidden } from '@edu/kit';
import {
  courseId,
  type ClassRoll,
  type CopiedClass,
  type CopiedPerson,
  type CopiedSubgroup,
  type CopyReader,
  type Course,
  type CourseLesson,
} from '../../src/domain/copies';
import { defaultPolicy, type GradingPolicy } from '../../src/domain/grading-policy';
import {
  getJournalKeeping,
  getJournalPage,
  getStudentMarks,
  getTeacherDay,
  type JournalQueryDeps,
} from '../../src/domain/journal-queries.use-cases';
import { emptyRecord, recordLesson, type LessonRecord, type Mark } from '../../src/domain/lesson-record';
import { periodMarkId, type Actor, type PeriodMark, type RequestContext } from '../../src/domain/ports';

// The journal's queries against in-memory ports: who may read what, what each answer holds.

const SCHOOL = 'school-1';
const YEAR = 'year-1';
const CLASS_5A = 'class-5a';
const CLASS_1A = 'class-1a';
const MATH = 'math';
const ENGLISH = 'english';
const GROUP_1 = 'group-1';

const as = (actor: Actor): RequestContext => ({ actor, traceId: 'trace-1' });
const staff = (personId: string, role = 'teacher', schoolId = SCHOOL): Actor => ({
  accountId: `acc-${personId}`,
  personId,
  schoolRoles: [{ schoolId, role }],
  grants: [],
});
const mathTeacher = staff('t-math');
const englishTeacher = staff('t-english');
const otherTeacher = staff('t-other');
const classTeacher = staff('t-class');
const substitute = staff('t-sub');
const director = staff('director-1', 'director');
const deputy = staff('deputy-1', 'deputy');
const otherDirector = staff('director-2', 'director', 'school-2');
const guardian: Actor = { accountId: 'acc-guardian', personId: 'g-1', schoolRoles: [], grants: [] };
const student = staff('s-ann', 'student');

function lesson(id: string, date: string, o: Partial<CourseLesson> = {}): CourseLesson {
  return {
    lessonId: id,
    period: 1,
    date,
    lessonNumber: 1,
    startsAt: '08:00',
    endsAt: '08:40',
    teacherId: 't-math',
    substituteTeacherId: '',
    room: '214',
    status: 'scheduled',
    version: 1,
    ...o,
  };
}

function course(classId: string, subjectId: string, subgroupId: string, lessons: CourseLesson[]): Course {
  return {
    id: courseId({ academicYearId: YEAR, classId, subgroupId, subjectId }),
    schoolId: SCHOOL,
    academicYearId: YEAR,
    classId,
    className: classId === CLASS_5A ? '5А' : '1А',
    subgroupId,
    subgroupName: subgroupId ? 'Группа 1' : '',
    subjectId,
    subjectKey: subjectId,
    subjectName: subjectId === MATH ? 'Математика' : 'Английский язык',
    subjectShortName: subjectId,
    lessons,
    version: 1,
  };
}

function mark(studentId: string, value: string, o: Partial<Mark> = {}): Mark {
  return {
    id: `m-${studentId}-${value}`,
    studentId,
    value,
    workType: 'oral',
    workTypeName: 'Устный ответ',
    weight: 1,
    comment: '',
    postedBy: 't-math',
    postedAt: '2026-09-02T02:00:00.000Z',
    status: 'active',
    history: [],
    ...o,
  };
}

function periodMark(
  studentId: string,
  subjectId: string,
  kind: PeriodMark['kind'],
  period: number,
): PeriodMark {
  const m = { academicYearId: YEAR, studentId, subjectId, kind, period };
  return {
    ...m,
    id: periodMarkId(m),
    schoolId: SCHOOL,
    classId: CLASS_5A,
    subjectKey: subjectId,
    value: '5',
    setBy: 't-math',
    setAt: '2026-10-24T05:00:00.000Z',
    arithmeticAverage: 4.5,
    weightedAverage: 4.6,
    marksCount: 4,
    history: [],
    version: 1,
  };
}

const classes: CopiedClass[] = [
  {
    id: CLASS_5A,
    schoolId: SCHOOL,
    academicYearId: YEAR,
    grade: 5,
    name: '5А',
    classTeacherId: 't-class',
    status: 'open',
    version: 1,
  },
  {
    id: CLASS_1A,
    schoolId: SCHOOL,
    academicYearId: YEAR,
    grade: 1,
    name: '1А',
    classTeacherId: '',
    status: 'open',
    version: 1,
  },
];
const rolls: ClassRoll[] = [
  {
    classId: CLASS_5A,
    schoolId: SCHOOL,
    academicYearId: YEAR,
    stints: [
      { studentId: 's-ann', from: '2026-09-01', until: '' },
      { studentId: 's-boris', from: '2026-09-01', until: '' },
      { studentId: 's-late', from: '2026-09-10', until: '' },
      { studentId: 's-left', from: '2026-09-01', until: '2026-09-09' },
    ],
    applied: {},
  },
  {
    classId: CLASS_1A,
    schoolId: SCHOOL,
    academicYearId: YEAR,
    stints: [{ studentId: 's-kid', from: '2026-09-01', until: '' }],
    applied: {},
  },
];
const subgroups: CopiedSubgroup[] = [
  {
    id: GROUP_1,
    schoolId: SCHOOL,
    academicYearId: YEAR,
    classId: CLASS_5A,
    subjectKey: ENGLISH,
    name: 'Группа 1',
    stints: [{ studentId: 's-boris', from: '2026-09-01', until: '' }],
    status: 'open',
    version: 1,
  },
];
const people: CopiedPerson[] = [
  ['s-ann', 'Смирнова Анна'],
  ['s-boris', 'Андреев Борис'],
  ['s-late', 'Яковлев Пётр'],
  ['s-left', 'Ёлкин Олег'],
  ['s-kid', 'Малышев Кирилл'],
  ['t-math', 'Иванова Мария Петровна'],
  ['t-sub', 'Петров Сергей Ильич'],
].map(([id, displayName]) => ({
  id: id!,
  schoolId: SCHOOL,
  kind: 'student',
  displayName: displayName!,
  status: 'active',
  version: 1,
}));

// Wednesday 2 September (quarter 1), Thursday 3 (substituted), Friday 4 (cancelled), 10 September, 5 November (quarter 2).
const math = course(CLASS_5A, MATH, '', [
  lesson('m1', '2026-09-02', { lessonNumber: 2 }),
  lesson('m2', '2026-09-03', { lessonNumber: 3, substituteTeacherId: 't-sub' }),
  lesson('m3', '2026-09-04', { status: 'cancelled' }),
  lesson('m4', '2026-09-10', { lessonNumber: 1 }),
  lesson('m5', '2026-11-05', { period: 2 }),
]);
const english = course(CLASS_5A, ENGLISH, GROUP_1, [
  lesson('e1', '2026-09-02', { lessonNumber: 1, teacherId: 't-english', startsAt: '07:30', endsAt: '08:10' }),
]);
const reading = course(CLASS_1A, 'reading', '', [
  lesson('r1', '2026-09-02', { lessonNumber: 4, startsAt: '11:00', endsAt: '11:40' }),
]);
const courses = [math, english, reading];

const quarters = [
  { number: 1, startsOn: '2026-09-01', endsOn: '2026-10-25' },
  { number: 2, startsOn: '2026-11-05', endsOn: '2026-12-28' },
  { number: 3, startsOn: '2027-01-12', endsOn: '2027-03-21' },
  { number: 4, startsOn: '2027-03-30', endsOn: '2027-05-26' },
];

function copies(): CopyReader {
  const teacherIndex = (teacherId: string) =>
    courses
      .filter((c) => c.lessons.some((l) => l.teacherId === teacherId || l.substituteTeacherId === teacherId))
      .map((c) => c.id);
  return {
    school: async (id) =>
      id === SCHOOL ? { id, shortName: 'Школа № 1', timeZone: 'Asia/Krasnoyarsk', version: 1 } : null,
    year: async (id) =>
      id === YEAR
        ? {
            id,
            schoolId: SCHOOL,
            name: '2026/2027',
            startsOn: '2026-09-01',
            endsOn: '2027-05-26',
            status: 'open',
            periodSchemes: [{ grades: [1, 2, 3, 4, 5, 6, 7, 8, 9], kind: 'quarter', periods: quarters }],
            version: 1,
          }
        : null,
    schoolClass: async (id) => classes.find((c) => c.id === id) ?? null,
    classRoll: async (id) => rolls.find((r) => r.classId === id) ?? null,
    subgroup: async (id) => subgroups.find((g) => g.id === id) ?? null,
    people: async (ids) => people.filter((p) => ids.includes(p.id)),
    course: async (id) => courses.find((c) => c.id === id) ?? null,
    courses: async (ids) => courses.filter((c) => ids.includes(c.id)),
    classCourseIds: async (classId) => courses.filter((c) => c.classId === classId).map((c) => c.id),
    teacherCourseIds: async (teacherId) => teacherIndex(teacherId),
    schoolCourseIds: async (schoolId) => courses.filter((c) => c.schoolId === schoolId).map((c) => c.id),
    lessonCourseId: async (lessonId) =>
      courses.find((c) => c.lessons.some((l) => l.lessonId === lessonId))?.id ?? null,
  };
}

function stored(c: Course, lessonId: string, content: Partial<LessonRecord>): LessonRecord {
  const l = c.lessons.find((x) => x.lessonId === lessonId)!;
  return { ...emptyRecord(recordLesson(c, l)), version: 1, ...content };
}

const topic = (text: string) => ({
  text,
  planItemId: '',
  setBy: 't-math',
  setAt: '2026-09-02T02:00:00.000Z',
});

function setup(
  o: { now?: string; policy?: GradingPolicy; records?: LessonRecord[]; periodMarks?: PeriodMark[] } = {},
) {
  const records = o.records ?? [
    stored(math, 'm1', {
      topic: topic('Дроби'),
      attendanceTaken: true,
      marks: [
        mark('s-ann', '5', { weight: 2 }),
        mark('s-ann', '3'),
        mark('s-boris', '4'),
        mark('s-boris', '2', { status: 'voided' }),
      ],
      attendance: [
        {
          studentId: 's-boris',
          kind: 'late',
          lateMinutes: 10,
          recordedBy: 't-math',
          recordedAt: '',
          reason: '',
          reasonSetBy: '',
          reasonSetAt: '',
          reasonNote: '',
        },
      ],
      firstEntries: { topic: '2026-09-02T02:00:00.000Z', attendance: '', marks: '', homework: '' },
    }),
    stored(english, 'e1', { marks: [mark('s-boris', '4')] }),
  ];
  const periodMarks = o.periodMarks ?? [
    periodMark('s-ann', MATH, 'period', 1),
    periodMark('s-ann', MATH, 'period', 2),
  ];
  const denials: { action: string; object: string }[] = [];
  const deps: JournalQueryDeps = {
    copies: copies(),
    records: { getMany: async (ids) => records.filter((r) => ids.includes(r.lessonId)) },
    periodMarks: { getMany: async (ids) => periodMarks.filter((m) => ids.includes(m.id)) },
    policies: { get: async () => o.policy ?? null, save: async () => undefined },
    authorize: (_actor, allowed, what) => {
      if (allowed) return;
      denials.push(what);
      throw forbidden('access.denied', 'Недостаточно прав для этого действия');
    },
    now: () => new Date(o.now ?? '2026-09-02T03:00:00.000Z'),
  };
  return { deps, denials };
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

const mathPage = { classId: CLASS_5A, subgroupId: '', subjectId: MATH, period: 1 };

describe('getJournalPage', () => {
  it('assembles the course page of a period for its teacher', async () => {
    const { deps } = setup();
    const page = await getJournalPage(deps, as(mathTeacher), mathPage);
    expect(page.course.id).toBe(math.id);
    expect(page.period).toMatchObject({ number: 1, startsOn: '2026-09-01', endsOn: '2026-10-25' });
    expect(page.scale).toBe('five_point');
    expect(page.students.map((s) => s.displayName)).toEqual([
      'Андреев Борис',
      'Ёлкин Олег',
      'Смирнова Анна',
      'Яковлев Пётр',
    ]);
    expect(page.students.find((s) => s.studentId === 's-late')).toMatchObject({
      from: '2026-09-10',
      until: '',
    });
    expect(page.lessons.map((l) => [l.lessonId, l.version])).toEqual([
      ['m1', 1],
      ['m2', 0],
      ['m4', 0],
    ]);
    expect(page.averages.find((a) => a.studentId === 's-ann')).toEqual({
      studentId: 's-ann',
      arithmeticAverage: 4,
      weightedAverage: 4.33,
      marksCount: 2,
      absences: 0,
      latenesses: 0,
    });
    expect(page.averages.find((a) => a.studentId === 's-boris')).toMatchObject({
      marksCount: 1,
      latenesses: 1,
    });
    expect(page.periodMarks.map((m) => m.id)).toEqual([
      periodMarkId({ academicYearId: YEAR, studentId: 's-ann', subjectId: MATH, kind: 'period', period: 1 }),
    ]);
    expect(page.workTypes.map((w) => w.key)).toContain('test');
  });

  it('shows year, exam and final marks on the last period', async () => {
    const { deps } = setup({
      periodMarks: [
        periodMark('s-ann', MATH, 'period', 4),
        periodMark('s-ann', MATH, 'year', 0),
        periodMark('s-ann', MATH, 'period', 3),
      ],
    });
    const page = await getJournalPage(deps, as(director), { ...mathPage, period: 4 });
    expect(page.periodMarks.map((m) => `${m.kind}:${m.period}`)).toEqual(['period:4', 'year:0']);
  });

  it('gives a first-grade course the scale without marks', async () => {
    const { deps } = setup();
    const page = await getJournalPage(deps, as(deputy), {
      classId: CLASS_1A,
      subgroupId: '',
      subjectId: 'reading',
      period: 1,
    });
    expect(page.scale).toBe('none');
    expect(page.students.map((s) => s.studentId)).toEqual(['s-kid']);
  });

  it('lists only the subgroup members on a subgroup course', async () => {
    const { deps } = setup();
    const page = await getJournalPage(deps, as(englishTeacher), {
      classId: CLASS_5A,
      subgroupId: GROUP_1,
      subjectId: ENGLISH,
      period: 1,
    });
    expect(page.students.map((s) => s.studentId)).toEqual(['s-boris']);
  });

  it('lets the class teacher and the school heads read it', async () => {
    const { deps } = setup();
    await expect(getJournalPage(deps, as(classTeacher), mathPage)).resolves.toBeDefined();
    await expect(getJournalPage(deps, as(director), mathPage)).resolves.toBeDefined();
  });

  it.each([
    ['a teacher of another course', englishTeacher],
    ['a teacher of nothing in the class', otherTeacher],
    ['a guardian', guardian],
    ['a student', student],
    ['the director of another school', otherDirector],
  ])('refuses %s', async (_who, actor) => {
    const { deps, denials } = setup();
    const error = await refusal(getJournalPage(deps, as(actor), mathPage));
    expect(error.kind).toBe('forbidden');
    expect(denials).toEqual([{ action: 'journal.read', object: `course:${math.id}` }]);
  });

  it('says a course is missing only to who reads the whole class', async () => {
    const { deps } = setup();
    const query = { ...mathPage, subjectId: 'physics' };
    expect((await refusal(getJournalPage(deps, as(director), query))).code).toBe('journal.course_not_found');
    expect((await refusal(getJournalPage(deps, as(mathTeacher), query))).kind).toBe('forbidden');
  });

  it('lists every input problem at once, and an unknown period', async () => {
    const { deps } = setup();
    const error = await refusal(
      getJournalPage(deps, as(director), { classId: '', subgroupId: '', subjectId: '', period: 0 }),
    );
    expect(error.code).toBe('journal.query_invalid');
    expect(error.errors?.map((e) => e.field)).toEqual(['course.class_id', 'course.subject_id', 'period']);
    const unknown = await refusal(getJournalPage(deps, as(director), { ...mathPage, period: 7 }));
    expect(unknown.errors?.[0]?.field).toBe('period');
    expect((await refusal(getJournalPage(deps, as(director), { ...mathPage, classId: 'nope' }))).code).toBe(
      'journal.class_not_found',
    );
  });
});

describe('getStudentMarks', () => {
  const query = { studentId: 's-boris', classId: CLASS_5A, period: 1 };

  it('gives the class teacher every course the student belongs to', async () => {
    const { deps } = setup({ periodMarks: [periodMark('s-boris', MATH, 'period', 1)] });
    const result = await getStudentMarks(deps, as(classTeacher), query);
    expect(result.displayName).toBe('Андреев Борис');
    expect(result.subjects.map((s) => s.course.subjectName)).toEqual(['Английский язык', 'Математика']);
    const mathMarks = result.subjects.find((s) => s.course.subjectId === MATH)!;
    expect(mathMarks.marks.map((m) => [m.lessonId, m.date, m.mark.value, m.mark.status])).toEqual([
      ['m1', '2026-09-02', '4', 'active'],
      ['m1', '2026-09-02', '2', 'voided'],
    ]);
    expect(mathMarks).toMatchObject({ arithmeticAverage: 4, weightedAverage: 4 });
    expect(mathMarks.periodMark?.value).toBe('5');
    expect(result.subjects.find((s) => s.course.subjectId === ENGLISH)?.periodMark).toBeNull();
  });

  it('leaves out subgroup courses the student is not in', async () => {
    const { deps } = setup();
    const result = await getStudentMarks(deps, as(director), { ...query, studentId: 's-ann' });
    expect(result.subjects.map((s) => s.course.subjectId)).toEqual([MATH]);
  });

  it('shows a teacher of the class only the subjects they teach', async () => {
    const { deps } = setup();
    const result = await getStudentMarks(deps, as(englishTeacher), query);
    expect(result.subjects.map((s) => s.course.subjectId)).toEqual([ENGLISH]);
  });

  it.each([
    ['a teacher of another class', otherTeacher],
    ['a guardian', guardian],
    ['a student', student],
  ])('refuses %s', async (_who, actor) => {
    const { deps, denials } = setup();
    expect((await refusal(getStudentMarks(deps, as(actor), query))).kind).toBe('forbidden');
    expect(denials).toEqual([{ action: 'journal.student_marks.read', object: 'student:s-boris' }]);
  });

  it('refuses a student who was not in the class in the period', async () => {
    const { deps } = setup();
    const error = await refusal(getStudentMarks(deps, as(director), { ...query, studentId: 's-kid' }));
    expect(error.code).toBe('journal.student_not_in_class');
  });
});

describe('getTeacherDay', () => {
  it("lists the caller's lessons of today in the school's zone, with what is missing", async () => {
    // 03:00 UTC is 10:00 in Krasnoyarsk on 2 September.
    const { deps } = setup();
    const day = await getTeacherDay(deps, as(mathTeacher), { teacherId: '', date: '' });
    expect(day.teacherId).toBe('t-math');
    expect(day.date).toBe('2026-09-02');
    expect(day.lessons.map((l) => l.record.lessonId)).toEqual(['m1', 'r1']);
    const [m1] = day.lessons;
    expect(m1).toMatchObject({ substitution: false, missing: ['homework'], students: 3, editable: true });
    expect(m1?.editableUntil.toISOString()).toBe('2026-09-02T17:00:00.000Z');
  });

  it('sorts by lesson number and counts the students of the day', async () => {
    const { deps } = setup();
    const day = await getTeacherDay(deps, as(mathTeacher), { teacherId: '', date: '2026-09-10' });
    expect(day.lessons.map((l) => [l.record.lessonId, l.students, l.missing])).toEqual([
      ['m4', 3, ['topic', 'attendance', 'homework', 'marks']],
    ]);
    // Before the lesson has started the window is not open yet.
    expect(day.lessons[0]?.editable).toBe(false);
  });

  it('gives a substituted lesson to the substitute, not to its teacher', async () => {
    const { deps } = setup({ now: '2026-09-03T03:00:00.000Z' });
    expect(
      (await getTeacherDay(deps, as(mathTeacher), { teacherId: '', date: '2026-09-03' })).lessons,
    ).toEqual([]);
    const day = await getTeacherDay(deps, as(substitute), { teacherId: '', date: '2026-09-03' });
    expect(day.lessons.map((l) => [l.record.lessonId, l.substitution])).toEqual([['m2', true]]);
  });

  it('leaves out cancelled lessons', async () => {
    const { deps } = setup();
    expect(
      (await getTeacherDay(deps, as(mathTeacher), { teacherId: '', date: '2026-09-04' })).lessons,
    ).toEqual([]);
  });

  it('does not ask a first-grade lesson for marks, and closes by the policy', async () => {
    const { deps } = setup({
      now: '2026-09-04T10:00:00.000Z',
      policy: { ...defaultPolicy(SCHOOL), entryDeadline: 'next_monday' },
    });
    const day = await getTeacherDay(deps, as(mathTeacher), { teacherId: '', date: '2026-09-02' });
    const r1 = day.lessons.find((l) => l.record.lessonId === 'r1');
    expect(r1?.missing).toEqual(['topic', 'attendance', 'homework']);
    expect(day.lessons.map((l) => l.record.lessonId)).toEqual(['m1', 'r1']);
    expect(r1).toMatchObject({ editable: true });
    expect(r1?.editableUntil.toISOString()).toBe('2026-09-07T17:00:00.000Z');
  });

  it('lets the school heads read any teacher', async () => {
    const { deps } = setup();
    const day = await getTeacherDay(deps, as(director), { teacherId: 't-math', date: '2026-09-02' });
    expect(day.lessons).toHaveLength(2);
  });

  it.each([
    ['another teacher', otherTeacher],
    ['the director of another school', otherDirector],
    ['a guardian', guardian],
  ])('refuses %s', async (_who, actor) => {
    const { deps, denials } = setup();
    expect(
      (await refusal(getTeacherDay(deps, as(actor), { teacherId: 't-math', date: '2026-09-02' }))).kind,
    ).toBe('forbidden');
    expect(denials).toEqual([{ action: 'journal.teacher_day.read', object: 'teacher:t-math' }]);
  });

  it('refuses a malformed date', async () => {
    const { deps } = setup();
    const error = await refusal(getTeacherDay(deps, as(mathTeacher), { teacherId: '', date: '2.09.2026' }));
    expect(error.code).toBe('teacher_day.query_invalid');
    expect(error.errors?.map((e) => e.field)).toEqual(['date']);
  });
});

describe('getJournalKeeping', () => {
  const query = { schoolId: SCHOOL, from: '2026-09-01', to: '2026-09-30', teacherId: '', classId: CLASS_5A };

  it('counts held lessons per keeper, course and week', async () => {
    const { deps } = setup({ now: '2026-09-10T12:00:00.000Z' });
    const rows = await getJournalKeeping(deps, as(director), query);
    expect(
      rows.map((r) => [
        r.teacherName,
        r.course.subjectId,
        r.week,
        r.lessonsHeld,
        r.topicsEntered,
        r.attendanceTaken,
        r.enteredOnTime,
        r.marks,
      ]),
    ).toEqual([
      ['Иванова Мария Петровна', MATH, '2026-08-31', 1, 1, 1, 1, 3],
      ['Иванова Мария Петровна', MATH, '2026-09-07', 1, 0, 0, 0, 0],
      ['Петров Сергей Ильич', MATH, '2026-08-31', 1, 0, 0, 0, 0],
      ['t-english', ENGLISH, '2026-08-31', 1, 0, 0, 0, 1],
    ]);
    // 3 active marks over the 3 students of 2 September (Ann, Boris, Oleg who left on the 9th).
    expect(rows[0]?.marksDensity).toBe(1);
  });

  it('narrows to a teacher', async () => {
    const { deps } = setup({ now: '2026-09-10T12:00:00.000Z' });
    const rows = await getJournalKeeping(deps, as(deputy), { ...query, classId: '', teacherId: 't-sub' });
    expect(rows.map((r) => [r.teacherId, r.course.id])).toEqual([['t-sub', math.id]]);
  });

  it('counts no lesson that has not ended', async () => {
    // 01:30 UTC on 2 September is 08:30 local: the 08:00–08:40 lesson is still going on.
    const { deps } = setup({ now: '2026-09-02T01:30:00.000Z' });
    const rows = await getJournalKeeping(deps, as(director), query);
    expect(rows.map((r) => r.course.subjectId)).toEqual([ENGLISH]);
  });

  it.each([
    ['a teacher', mathTeacher],
    ['the class teacher', classTeacher],
    ['the director of another school', otherDirector],
  ])('refuses %s', async (_who, actor) => {
    const { deps, denials } = setup();
    expect((await refusal(getJournalKeeping(deps, as(actor), query))).kind).toBe('forbidden');
    expect(denials).toEqual([{ action: 'journal.keeping.read', object: `school:${SCHOOL}` }]);
  });

  it('without a teacher or a class, covers every course of the school', async () => {
    const { deps } = setup({ now: '2026-09-10T12:00:00.000Z' });
    const whole = await getJournalKeeping(deps, as(director), { ...query, classId: '' });
    const byClass = await getJournalKeeping(deps, as(director), query);
    expect(byClass.length).toBeGreaterThan(0);
    expect(whole).toEqual(expect.arrayContaining(byClass));
  });

  it('takes at most 93 days', async () => {
    const { deps } = setup();
    const tooLong = await refusal(getJournalKeeping(deps, as(director), { ...query, to: '2026-12-03' }));
    expect(tooLong.code).toBe('keeping.query_invalid');
    expect(tooLong.errors?.map((e) => e.field)).toEqual(['to']);
    const bad = await refusal(
      getJournalKeeping(deps, as(director), { ...query, from: '2026-13-01', to: 'x' }),
    );
    expect(bad.errors?.map((e) => e.field)).toEqual(['from', 'to']);
  });
});
