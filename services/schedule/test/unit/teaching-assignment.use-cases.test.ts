import type { Actor } from '../../src/domain/ports';
import {
  assignTeacher,
  endAssignment,
  endAssignmentsAfterRoster,
  getAssignment,
  listAssignments,
  type AssignmentDeps,
} from '../../src/domain/teaching-assignment.use-cases';
import {
  as,
  assignmentsInMemory,
  catalogue,
  failure,
  guardian,
  inSchool,
  person,
  position,
  recordingAuthorize,
  rosterInMemory,
  school,
  schoolClass,
  subgroup,
  subjectsInMemory,
  year,
} from './fixtures';

// Teaching assignments with in-memory repositories and copy of roster (port fakes) and the
// deny-by-default policy. School 1, year 2026/2027: 5А is divided into English groups, 5Б is not.

const deputy = inSchool('deputy');
const teacherOne: Actor = inSchool('teacher', 'school-1', 'teacher-1');
const teacherTwo: Actor = inSchool('teacher', 'school-1', 'teacher-2');
const classTeacher: Actor = inSchool('teacher', 'school-1', 'class-teacher-5a');

function setUp(now = '2026-08-20T03:00:00Z') {
  const subjects = subjectsInMemory();
  const assignments = assignmentsInMemory();
  const roster = rosterInMemory({
    schools: [school(), school({ id: 'school-2' })],
    years: [
      year(),
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
      schoolClass('class-5a', '5А', { classTeacherId: 'class-teacher-5a' }),
      schoolClass('class-5b', '5Б'),
      schoolClass('class-6v', '6В', { status: 'closed' }),
      schoolClass('class-4a-old', '4А', { academicYearId: 'year-0' }),
      schoolClass('class-x', '5А', { schoolId: 'school-2', academicYearId: 'year-x' }),
    ],
    subgroups: [
      subgroup('g1', 'class-5a', 'english', 'Английский язык, группа 1'),
      subgroup('g2', 'class-5a', 'english', 'Английский язык, группа 2'),
      subgroup('g-closed', 'class-5a', 'english', 'Английский язык, старая группа', { status: 'closed' }),
    ],
    positions: [
      position('teacher-1'),
      position('teacher-2'),
      position('dismissed-1', 'teacher', { status: 'dismissed' }),
      position('hr-1', 'hr'),
      position('class-teacher-5a'),
    ],
    people: [person('teacher-1', 'Иванова Анна Петровна'), person('teacher-2', 'Петров Олег Ильич')],
  });
  const policy = recordingAuthorize();
  let ids = 0;
  const deps: AssignmentDeps = {
    assignments: assignments.repository,
    subjects: subjects.repository,
    roster: roster.reader,
    authorize: policy.authorize,
    newId: () => `assignment-${++ids}`,
    now: () => new Date(now),
  };
  return { deps, assignments, denials: policy.denials };
}

const math = catalogue('mathematics').id;
const english = catalogue('english').id;
const pe = catalogue('pe').id;

/** A request to assign teacher-1 to 5Б for mathematics over the whole year; `overrides` change it. */
const request = (overrides: Record<string, unknown> = {}) => ({
  schoolId: 'school-1',
  academicYearId: 'year-1',
  teacherId: 'teacher-1',
  classId: 'class-5b',
  subgroupId: '',
  subjectId: math,
  startsOn: '',
  endsOn: '',
  hoursPerWeek: 5,
  ...overrides,
});

describe('teaching assignments: assigning', () => {
  it('when a deputy assigns a teacher to a class without dates, then the whole year is assigned and assigned is published', async () => {
    const { deps, assignments } = setUp();

    const assignment = await assignTeacher(deps, as(deputy), request());

    expect(assignment).toEqual({
      id: 'assignment-1',
      schoolId: 'school-1',
      academicYearId: 'year-1',
      teacherId: 'teacher-1',
      classId: 'class-5b',
      subgroupId: '',
      subjectId: math,
      subjectKey: 'mathematics',
      subjectName: 'Математика',
      startsOn: '2026-09-01',
      endsOn: '2027-05-31',
      hoursPerWeek: 5,
      status: 'active',
      history: [
        {
          kind: 'assigned',
          effectiveOn: '2026-09-01',
          reason: '',
          recordedAt: '2026-08-20T03:00:00.000Z',
          recordedBy: 'acc-deputy',
        },
      ],
      version: 1,
      createdAt: '2026-08-20T03:00:00.000Z',
    });
    expect(assignments.events).toEqual([{ type: 'edu.schedule.teaching.assigned', assignment }]);
  });

  it('when the teacher is dismissed, an HR officer or unknown to the school, then assignment.teacher_not_staff', async () => {
    const { deps, assignments } = setUp();

    const errors = await Promise.all(
      ['dismissed-1', 'hr-1', 'nobody'].map((teacherId) =>
        failure(assignTeacher(deps, as(deputy), request({ teacherId }))),
      ),
    );

    expect(errors.map((e) => [e.code, e.kind])).toEqual([
      ['assignment.teacher_not_staff', 'precondition'],
      ['assignment.teacher_not_staff', 'precondition'],
      ['assignment.teacher_not_staff', 'precondition'],
    ]);
    expect(errors[0]?.errors?.[0]?.field).toBe('teacherId');
    expect(assignments.stored.size).toBe(0);
  });

  it('when the class is unknown, of another school, closed or of another year, or the year is closed, then each is refused by its code', async () => {
    const { deps, assignments } = setUp();

    const cases = await Promise.all([
      failure(assignTeacher(deps, as(deputy), request({ classId: 'class-none' }))),
      failure(assignTeacher(deps, as(deputy), request({ classId: 'class-x' }))),
      failure(assignTeacher(deps, as(deputy), request({ classId: 'class-6v' }))),
      failure(assignTeacher(deps, as(deputy), request({ classId: 'class-4a-old' }))),
      failure(
        assignTeacher(deps, as(deputy), request({ academicYearId: 'year-0', classId: 'class-4a-old' })),
      ),
      failure(assignTeacher(deps, as(deputy), request({ academicYearId: 'year-x' }))),
    ]);

    expect(cases.map((e) => e.code)).toEqual([
      'class.not_found',
      'class.not_found',
      'class.closed',
      'assignment.other_year',
      'academic_year.closed',
      'academic_year.not_found',
    ]);
    expect(cases[3]?.detail).toBe('Класс 4А не из учебного года 2026/2027');
    expect(assignments.stored.size).toBe(0);
  });

  it('when English, split into subgroups, is assigned to the whole of 5А which has English groups, then assignment.split_subject names them', async () => {
    const { deps, assignments } = setUp();

    const error = await failure(
      assignTeacher(deps, as(deputy), request({ classId: 'class-5a', subjectId: english })),
    );

    expect(error).toMatchObject({ code: 'assignment.split_subject', kind: 'precondition' });
    expect(error.detail).toBe(
      'Предмет «Иностранный язык (английский)» в классе 5А изучают по подгруппам («Английский язык, группа 1», «Английский язык, группа 2»): назначьте учителя подгруппе, а не всему классу',
    );
    expect(assignments.stored.size).toBe(0);
  });

  it('when a split subject goes to a class not divided for it, then the whole class is assigned', async () => {
    const { deps } = setUp();

    const englishIn5b = await assignTeacher(deps, as(deputy), request({ subjectId: english }));
    const peIn5a = await assignTeacher(deps, as(deputy), request({ classId: 'class-5a', subjectId: pe }));

    expect(englishIn5b).toMatchObject({ classId: 'class-5b', subgroupId: '', subjectKey: 'english' });
    expect(peIn5a).toMatchObject({ classId: 'class-5a', subgroupId: '', subjectKey: 'pe' });
  });

  it('when a teacher is assigned to an English group, then the assignment names the group and its class', async () => {
    const { deps, assignments } = setUp();

    const assignment = await assignTeacher(
      deps,
      as(deputy),
      request({ classId: '', subgroupId: 'g1', subjectId: english, hoursPerWeek: 1.5 }),
    );

    expect(assignment).toMatchObject({ classId: 'class-5a', subgroupId: 'g1', subjectKey: 'english' });
    expect(assignments.events[0]?.assignment.subgroupId).toBe('g1');
  });

  it('when a group gets another subject, is disbanded, or is not of the class named, then each is refused', async () => {
    const { deps, assignments } = setUp();

    const mismatch = await failure(
      assignTeacher(deps, as(deputy), request({ classId: '', subgroupId: 'g1' })),
    );
    const closed = await failure(
      assignTeacher(deps, as(deputy), request({ classId: '', subgroupId: 'g-closed', subjectId: english })),
    );
    const otherClass = await failure(
      assignTeacher(deps, as(deputy), request({ classId: 'class-5b', subgroupId: 'g1', subjectId: english })),
    );

    expect(mismatch).toMatchObject({ code: 'assignment.subject_mismatch', kind: 'precondition' });
    expect(mismatch.detail).toContain('«english»');
    expect(closed.code).toBe('subgroup.closed');
    expect(otherClass).toMatchObject({ code: 'assignment.invalid', errors: [{ field: 'classId' }] });
    expect(assignments.stored.size).toBe(0);
  });

  it('when the same teacher, class and subject are assigned again for days that overlap, then 409 assignment.duplicate', async () => {
    const { deps, assignments } = setUp();
    await assignTeacher(deps, as(deputy), request({ endsOn: '2026-12-28' }));

    const overlap = await failure(assignTeacher(deps, as(deputy), request({ startsOn: '2026-12-28' })));
    const after = await assignTeacher(deps, as(deputy), request({ startsOn: '2026-12-29' }));
    const colleague = await assignTeacher(deps, as(deputy), request({ teacherId: 'teacher-2' }));

    expect(overlap).toMatchObject({ code: 'assignment.duplicate', kind: 'conflict' });
    expect(overlap.detail).toContain('01.09.2026–28.12.2026');
    expect(after.startsOn).toBe('2026-12-29');
    expect(colleague.teacherId).toBe('teacher-2');
    expect(assignments.stored.size).toBe(3);
  });

  it('when the days lie outside the year, are malformed or reversed, or hours are odd, then each is refused', async () => {
    const { deps, assignments } = setUp();

    const outside = await failure(assignTeacher(deps, as(deputy), request({ endsOn: '2027-06-15' })));
    const malformed = await failure(
      assignTeacher(deps, as(deputy), request({ startsOn: '01.09.2026', hoursPerWeek: 0.3 })),
    );
    const reversed = await failure(
      assignTeacher(deps, as(deputy), request({ startsOn: '2026-10-01', endsOn: '2026-09-30' })),
    );
    const missing = await failure(
      assignTeacher(deps, as(deputy), request({ teacherId: '', classId: '', subjectId: '' })),
    );

    expect(outside).toMatchObject({ code: 'assignment.outside_year', kind: 'precondition' });
    expect(outside.errors).toEqual([
      { field: 'endsOn', message: 'Дата 15.06.2027 вне учебного года 2026/2027 (01.09.2026–31.05.2027)' },
    ]);
    expect(malformed.code).toBe('assignment.invalid');
    expect(malformed.errors?.map((e) => e.field)).toEqual(['hoursPerWeek', 'startsOn']);
    expect(reversed).toMatchObject({ code: 'assignment.invalid', errors: [{ field: 'endsOn' }] });
    expect(missing.errors?.map((e) => e.field)).toEqual(['teacherId', 'subjectId', 'classId']);
    expect(assignments.stored.size).toBe(0);
  });

  it('when a subject of another school is assigned, then subject.not_found', async () => {
    const { deps } = setUp();

    const error = await failure(
      assignTeacher(deps, as(deputy), request({ subjectId: 'subject-of-school-2' })),
    );

    expect(error.code).toBe('subject.not_found');
  });

  it('when a teacher assigns, then it is refused and logged; someone of another school gets not found', async () => {
    const { deps, assignments, denials } = setUp();

    const teacher = await failure(assignTeacher(deps, as(teacherOne), request()));
    const stranger = await failure(assignTeacher(deps, as(inSchool('director', 'school-2')), request()));

    expect(teacher).toMatchObject({ code: 'access.denied', kind: 'forbidden' });
    expect(stranger).toMatchObject({ code: 'school.not_found', kind: 'not_found' });
    expect(denials).toEqual([
      { accountId: 'acc-teacher', action: 'assignment.create', object: 'school:school-1' },
      { accountId: 'acc-director', action: 'assignment.create', object: 'school:school-1' },
    ]);
    expect(assignments.stored.size).toBe(0);
  });
});

describe('teaching assignments: ending', () => {
  it('when a deputy ends an assignment at a day, then it is ended from then, kept, and unassigned is published', async () => {
    const { deps, assignments } = setUp();
    const assignment = await assignTeacher(deps, as(deputy), request());

    const ended = await endAssignment(deps, as(deputy), {
      id: assignment.id,
      expectedVersion: 1,
      endsOn: '2026-12-28',
      reason: ' Перераспределение   нагрузки ',
    });

    expect(ended).toMatchObject({
      status: 'ended',
      startsOn: '2026-09-01',
      endsOn: '2026-12-28',
      version: 2,
    });
    expect(ended.history.map((h) => [h.kind, h.effectiveOn, h.reason])).toEqual([
      ['assigned', '2026-09-01', ''],
      ['ended', '2026-12-28', 'Перераспределение нагрузки'],
    ]);
    expect(assignments.stored.get(assignment.id)).toEqual(ended);
    expect(assignments.events.at(-1)).toEqual({
      type: 'edu.schedule.teaching.unassigned',
      assignment: ended,
      previousEndsOn: '2027-05-31',
      reason: 'Перераспределение нагрузки',
    });
  });

  it('when the version is stale, the assignment already ended, or the day outside it, then each is refused and nothing changes', async () => {
    const { deps, assignments } = setUp();
    const assignment = await assignTeacher(deps, as(deputy), request({ startsOn: '2026-11-04' }));

    const outside = await failure(
      endAssignment(deps, as(deputy), {
        id: assignment.id,
        expectedVersion: 1,
        endsOn: '2026-11-02',
        reason: '',
      }),
    );
    const stale = await failure(
      endAssignment(deps, as(deputy), { id: assignment.id, expectedVersion: 7, endsOn: '', reason: '' }),
    );
    await endAssignment(deps, as(deputy), {
      id: assignment.id,
      expectedVersion: 1,
      endsOn: '2027-01-31',
      reason: '',
    });
    const again = await failure(
      endAssignment(deps, as(deputy), { id: assignment.id, expectedVersion: 2, endsOn: '', reason: '' }),
    );

    expect(outside).toMatchObject({ code: 'assignment.end_outside', kind: 'precondition' });
    expect(outside.detail).toBe(
      'Последний день нагрузки — от 03.11.2026 (тогда она не начнётся) до 31.05.2027',
    );
    expect(stale).toMatchObject({ code: 'assignment.version_conflict', kind: 'conflict' });
    expect(again).toMatchObject({ code: 'assignment.ended', kind: 'precondition' });
    expect(assignments.stored.get(assignment.id)).toMatchObject({ version: 2, endsOn: '2027-01-31' });
  });

  it('when no day is given, then today in the school time zone is the last day', async () => {
    // 20:00 UTC on 15 October is already 16 October in Krasnoyarsk.
    const { deps } = setUp('2026-10-15T20:00:00Z');
    const assignment = await assignTeacher(deps, as(deputy), request());

    const ended = await endAssignment(deps, as(deputy), {
      id: assignment.id,
      expectedVersion: 1,
      endsOn: '',
      reason: '',
    });

    expect(ended.endsOn).toBe('2026-10-16');
  });

  it('when an assignment that has not begun is ended today, then it never takes effect and frees its days', async () => {
    const { deps } = setUp('2026-08-25T03:00:00Z');
    const assignment = await assignTeacher(deps, as(deputy), request());

    const ended = await endAssignment(deps, as(deputy), {
      id: assignment.id,
      expectedVersion: 1,
      endsOn: '',
      reason: 'Ошибочно назначена',
    });
    const again = await assignTeacher(deps, as(deputy), request());

    expect(ended.endsOn).toBe('2026-08-31');
    expect(again.startsOn).toBe('2026-09-01');
  });

  it('when the teacher ends their own assignment, then it is refused and logged; a stranger gets not found', async () => {
    const { deps, denials } = setUp();
    const assignment = await assignTeacher(deps, as(deputy), request());

    const own = await failure(
      endAssignment(deps, as(teacherOne), { id: assignment.id, expectedVersion: 1, endsOn: '', reason: '' }),
    );
    const stranger = await failure(
      endAssignment(deps, as(inSchool('deputy', 'school-2')), {
        id: assignment.id,
        expectedVersion: 1,
        endsOn: '',
        reason: '',
      }),
    );

    expect(own.code).toBe('access.denied');
    expect(stranger.code).toBe('assignment.not_found');
    expect(denials.map((d) => d.object)).toEqual([
      `assignment:${assignment.id}`,
      `assignment:${assignment.id}`,
    ]);
  });
});

describe('teaching assignments: reading (R1.3)', () => {
  /** teacher-1: mathematics in 5Б and English group 1 of 5А; teacher-2: English group 2 of 5А (ended). */
  async function assigned() {
    const world = setUp();
    const { deps } = world;
    const math5b = await assignTeacher(deps, as(deputy), request());
    const group1 = await assignTeacher(
      deps,
      as(deputy),
      request({ classId: '', subgroupId: 'g1', subjectId: english }),
    );
    const group2 = await assignTeacher(
      deps,
      as(deputy),
      request({ teacherId: 'teacher-2', classId: '', subgroupId: 'g2', subjectId: english }),
    );
    await endAssignment(deps, as(deputy), {
      id: group2.id,
      expectedVersion: 1,
      endsOn: '2026-12-28',
      reason: '',
    });
    const pe5a = await assignTeacher(
      deps,
      as(deputy),
      request({ teacherId: 'teacher-2', classId: 'class-5a', subjectId: pe }),
    );
    return { ...world, math5b, group1, group2, pe5a };
  }
  const query = (overrides: Record<string, unknown> = {}) => ({
    schoolId: 'school-1',
    academicYearId: 'year-1',
    teacherId: '',
    classId: '',
    includeEnded: false,
    ...overrides,
  });

  it('when a deputy lists the year, then every active one comes by class, subject and group, with names', async () => {
    const { deps, math5b, group1, pe5a } = await assigned();

    const list = await listAssignments(deps, as(deputy), query());
    const all = await listAssignments(deps, as(deputy), query({ includeEnded: true }));

    expect(list.map((v) => v.assignment.id)).toEqual([group1.id, pe5a.id, math5b.id]);
    expect(list[0]).toMatchObject({
      teacherName: 'Иванова Анна Петровна',
      className: '5А',
      subgroupName: 'Английский язык, группа 1',
    });
    expect(all).toHaveLength(4);
  });

  it('when a teacher lists their own, or a class they teach, then they get them; another teacher or the school is refused', async () => {
    const { deps, denials, math5b, group1, pe5a } = await assigned();

    const own = await listAssignments(deps, as(teacherOne), query({ teacherId: 'teacher-1' }));
    const classTaught = await listAssignments(deps, as(teacherOne), query({ classId: 'class-5a' }));
    const colleague = await failure(listAssignments(deps, as(teacherOne), query({ teacherId: 'teacher-2' })));
    const wholeSchool = await failure(listAssignments(deps, as(teacherOne), query()));
    const notTaught = await failure(listAssignments(deps, as(teacherTwo), query({ classId: 'class-5b' })));

    expect(own.map((v) => v.assignment.id).sort()).toEqual([math5b.id, group1.id].sort());
    expect(classTaught.map((v) => v.assignment.id)).toEqual([group1.id, pe5a.id]);
    expect([colleague, wholeSchool, notTaught].map((e) => e.code)).toEqual([
      'access.denied',
      'access.denied',
      'access.denied',
    ]);
    expect(denials.map((d) => d.object)).toEqual(['teacher:teacher-2', 'school:school-1', 'class:class-5b']);
  });

  it('when the class teacher of 5А, who teaches none of it, lists 5А, then they get its assignments', async () => {
    const { deps } = await assigned();

    const list = await listAssignments(
      deps,
      as(classTeacher),
      query({ classId: 'class-5a', includeEnded: true }),
    );

    expect(list.map((v) => v.subgroupName)).toEqual([
      'Английский язык, группа 1',
      'Английский язык, группа 2',
      '',
    ]);
  });

  it('when no academic year is given, then assignment.filter_invalid names it', async () => {
    const { deps } = await assigned();

    const error = await failure(listAssignments(deps, as(deputy), query({ academicYearId: '' })));

    expect(error).toMatchObject({ code: 'assignment.filter_invalid', errors: [{ field: 'academicYearId' }] });
  });

  it('when a guardian or someone of another school lists, then the school is not found', async () => {
    const { deps, denials } = await assigned();

    const errors = await Promise.all([
      failure(listAssignments(deps, as(guardian), query({ classId: 'class-5a' }))),
      failure(listAssignments(deps, as(inSchool('director', 'school-2')), query())),
    ]);

    expect(errors.map((e) => e.code)).toEqual(['school.not_found', 'school.not_found']);
    expect(denials).toHaveLength(2);
  });

  it('when one assignment is read, then its teacher, a colleague of the class and the managers may; others are refused', async () => {
    const { deps, denials, group1, math5b } = await assigned();

    const own = await getAssignment(deps, as(teacherOne), group1.id);
    const colleague = await getAssignment(deps, as(teacherTwo), group1.id);
    const leader = await getAssignment(deps, as(classTeacher), group1.id);
    const unrelated = await failure(getAssignment(deps, as(teacherTwo), math5b.id));
    const stranger = await failure(
      getAssignment(deps, as(inSchool('teacher', 'school-2', 'teacher-1')), math5b.id),
    );

    expect([own, colleague, leader].map((v) => v.assignment.id)).toEqual([group1.id, group1.id, group1.id]);
    expect(own.teacherName).toBe('Иванова Анна Петровна');
    expect(unrelated.code).toBe('access.denied');
    expect(stranger.code).toBe('assignment.not_found');
    expect(denials.map((d) => d.action)).toEqual(['assignment.read', 'assignment.read']);
  });
});

describe('teaching assignments: ending them when roster changes', () => {
  const rosterCtx = as({ accountId: 'acc-roster', personId: '', schoolRoles: [], grants: [] });

  /** Teacher-1 teaches maths in 5А and English group 1; teacher-2 English group 2. */
  async function withAssignments(positions = [position('teacher-1', 'teacher', { status: 'dismissed' })]) {
    const subjects = subjectsInMemory();
    const assignments = assignmentsInMemory();
    const copy = rosterInMemory({
      schools: [school()],
      years: [year()],
      classes: [schoolClass('class-5a', '5А')],
      subgroups: [
        subgroup('g1', 'class-5a', 'english', 'Группа 1'),
        subgroup('g2', 'class-5a', 'english', 'Группа 2'),
      ],
      positions: [position('teacher-1'), position('teacher-2')],
    });
    const { authorize } = recordingAuthorize();
    let n = 0;
    const deps: AssignmentDeps = {
      assignments: assignments.repository,
      subjects: subjects.repository,
      roster: copy.reader,
      authorize,
      newId: () => `a-${++n}`,
      now: () => new Date('2026-08-20T03:00:00Z'),
    };
    const base = {
      schoolId: 'school-1',
      academicYearId: 'year-1',
      startsOn: '',
      endsOn: '',
      hoursPerWeek: 0,
    };
    await assignTeacher(deps, as(deputy), {
      ...base,
      teacherId: 'teacher-1',
      classId: 'class-5a',
      subgroupId: '',
      subjectId: catalogue('mathematics').id,
    });
    await assignTeacher(deps, as(deputy), {
      ...base,
      teacherId: 'teacher-1',
      classId: '',
      subgroupId: 'g1',
      subjectId: catalogue('english').id,
    });
    await assignTeacher(deps, as(deputy), {
      ...base,
      teacherId: 'teacher-2',
      classId: '',
      subgroupId: 'g2',
      subjectId: catalogue('english').id,
    });
    assignments.events.length = 0;
    copy.data.positions = positions;
    const ending = {
      assignments: assignments.repository,
      activeAssignmentsOfTeacher: async (schoolId: string, teacherId: string) =>
        [...assignments.stored.values()].filter(
          (a) => a.schoolId === schoolId && a.teacherId === teacherId && a.status === 'active',
        ),
      roster: copy.reader,
      now: () => new Date('2026-12-16T03:00:00Z'),
    };
    return { assignments, copy, ending };
  }

  it('when roster dismisses a teacher from their last teaching position, then their active assignments end on the last day with teaching.unassigned, once', async () => {
    const { assignments, ending } = await withAssignments();
    const dismissal = {
      reason: 'teacher_dismissed' as const,
      schoolId: 'school-1',
      teacherId: 'teacher-1',
      lastDay: '2026-12-15',
      occurredAt: '2026-12-15T05:00:00Z',
    };

    const ended = await endAssignmentsAfterRoster(ending, rosterCtx, dismissal);
    const again = await endAssignmentsAfterRoster(ending, rosterCtx, dismissal);

    expect(ended.map((a) => [a.id, a.status, a.endsOn, a.version])).toEqual([
      ['a-1', 'ended', '2026-12-15', 2],
      ['a-2', 'ended', '2026-12-15', 2],
    ]);
    expect(again).toEqual([]);
    expect(
      assignments.events.map((e) => [
        e.type,
        e.assignment.id,
        e.type === 'edu.schedule.teaching.unassigned' && e.reason,
      ]),
    ).toEqual([
      ['edu.schedule.teaching.unassigned', 'a-1', 'teacher_dismissed'],
      ['edu.schedule.teaching.unassigned', 'a-2', 'teacher_dismissed'],
    ]);
    expect(assignments.stored.get('a-1')!.history.at(-1)).toMatchObject({
      kind: 'ended',
      reason: 'teacher_dismissed',
      recordedBy: 'acc-roster',
    });
    expect(assignments.stored.get('a-3')!.status).toBe('active');
  });

  it('when the teacher still holds a teaching position (another post, or hired again), then nothing ends', async () => {
    const { assignments, ending } = await withAssignments([
      position('teacher-1', 'teacher', { status: 'dismissed' }),
      position('teacher-1', 'deputy'),
    ]);

    const ended = await endAssignmentsAfterRoster(ending, rosterCtx, {
      reason: 'teacher_dismissed',
      schoolId: 'school-1',
      teacherId: 'teacher-1',
      lastDay: '2026-12-15',
      occurredAt: '2026-12-15T05:00:00Z',
    });

    expect(ended).toEqual([]);
    expect(assignments.events).toEqual([]);
  });

  it('when a subgroup is disbanded, then only its assignment ends, on the school’s day of the event; before the first day, on the day before it', async () => {
    const { assignments, copy, ending } = await withAssignments([
      position('teacher-1'),
      position('teacher-2'),
    ]);
    copy.data.subgroups[1] = { ...copy.data.subgroups[1]!, status: 'closed' };
    assignments.stored.set('a-3', { ...assignments.stored.get('a-3')!, startsOn: '2027-01-11' });

    // 20:00 UTC on the 15th is the 16th in Krasnoyarsk.
    const early = await endAssignmentsAfterRoster(ending, rosterCtx, {
      reason: 'subgroup_disbanded',
      schoolId: 'school-1',
      subgroupId: 'g2',
      occurredAt: '2026-12-15T20:00:00Z',
    });
    copy.data.subgroups[0] = { ...copy.data.subgroups[0]!, status: 'closed' };
    const onTheDay = await endAssignmentsAfterRoster(ending, rosterCtx, {
      reason: 'subgroup_disbanded',
      schoolId: 'school-1',
      subgroupId: 'g1',
      occurredAt: '2026-12-15T20:00:00Z',
    });

    expect(early.map((a) => [a.id, a.endsOn])).toEqual([['a-3', '2027-01-10']]);
    expect(onTheDay.map((a) => [a.id, a.endsOn])).toEqual([['a-2', '2026-12-16']]);
    expect(assignments.stored.get('a-1')!.status).toBe('active');
  });

  it('when a class is closed, then its and its subgroups’ assignments end; a replay for a class open again ends nothing', async () => {
    const { copy, ending } = await withAssignments([position('teacher-1'), position('teacher-2')]);
    const closure = {
      reason: 'class_closed' as const,
      schoolId: 'school-1',
      classId: 'class-5a',
      occurredAt: '2026-12-15T05:00:00Z',
    };

    const whileOpen = await endAssignmentsAfterRoster(ending, rosterCtx, closure);
    copy.data.classes[0] = { ...copy.data.classes[0]!, status: 'closed' };
    const closed = await endAssignmentsAfterRoster(ending, rosterCtx, closure);

    expect(whileOpen).toEqual([]);
    expect(closed.map((a) => [a.id, a.endsOn, a.history.at(-1)?.reason])).toEqual([
      ['a-1', '2026-12-15', 'class_closed'],
      ['a-2', '2026-12-15', 'class_closed'],
      ['a-3', '2026-12-15', 'class_closed'],
    ]);
  });
});
