import { GrpcCallError } from '@edu/grpc';
import { GRPC_STATUS, forbidden, precondition, type Problem } from '@edu/kit';
import { apiCaller, devAccessToken, startApp, type RunningApp } from '../helpers';

// Curricula and the timetable through the gateway with a fake schedule port and real Keycloak
// tokens: the gateway's part is the contract (names, validation before schedule, status codes).

const SERVICE = 'edu.schedule.v1.ScheduleService';
const PROBLEM_JSON = /^application\/problem\+json/;

const LINE = { subjectId: 'subject-math', hoursPerWeek: 5, component: 'mandatory' };
const ENTRY = { weekday: 1, lessonNumber: 1, subjectId: 'subject-math', teacherId: 'staff-1' };

describe('gateway: curricula and the timetable', () => {
  let app: RunningApp;
  let token: string;
  const call = apiCaller(
    () => app,
    () => token,
  );

  beforeAll(async () => {
    token = await devAccessToken('schoolAdmin');
    app = await startApp();
  });
  afterAll(() => app.close());
  beforeEach(() => app.schedule.reset());

  it('when a class’s curriculum is set, then schedule gets the class from the path, the school, year and lines in proto names and the version as text; the answer is camelCase', async () => {
    const response = await call('/api/v1/classes/class-1/curriculum', {
      method: 'PUT',
      body: {
        schoolId: 'school-1',
        academicYearId: 'year-1',
        expectedVersion: 0,
        lines: [{ ...LINE, periodHours: [{ period: 4, hoursPerWeek: 4.5 }] }],
      },
      headers: { 'idempotency-key': 'curriculum-class-1' },
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      classId: 'class-1',
      className: '5А',
      totalHoursPerWeek: 5,
      maxHoursPerWeek: 29,
      lines: [{ subjectName: 'Математика', hoursPerWeek: 5, hoursPerYear: 170, periodHours: [] }],
      weeks: { source: 'default', perYear: 34 },
      version: 1,
    });
    expect(app.schedule.calls).toMatchObject([
      {
        method: 'SetCurriculum',
        request: {
          school_id: 'school-1',
          academic_year_id: 'year-1',
          class_id: 'class-1',
          expected_version: '0',
          lines: [
            {
              subject_id: 'subject-math',
              hours_per_week: 5,
              component: 'mandatory',
              period_hours: [{ period: 4, hours_per_week: 4.5 }],
            },
          ],
        },
        options: { idempotencyKey: 'curriculum-class-1' },
      },
    ]);
  });

  it('when a class’s curriculum and a year’s curricula are read, then schedule gets the class, the school and the year', async () => {
    const one = await call('/api/v1/classes/class-1/curriculum');
    const all = await call('/api/v1/schools/school-1/curricula?academicYearId=year-1');

    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ classId: 'class-1', version: 1 });
    expect(await all.json()).toMatchObject({ items: [{ schoolId: 'school-1', className: '5А' }] });
    expect(app.schedule.calls.map((c) => [c.method, c.request])).toEqual([
      ['GetCurriculum', { class_id: 'class-1' }],
      ['ListCurricula', { school_id: 'school-1', academic_year_id: 'year-1' }],
    ]);
  });

  it('when a class’s week is set, then schedule gets the class and period from the path, the entries with schedule’s defaults for what is absent; the answer is camelCase', async () => {
    const response = await call('/api/v1/classes/class-1/timetable/2', {
      method: 'PUT',
      body: {
        schoolId: 'school-1',
        academicYearId: 'year-1',
        expectedVersion: 3,
        entries: [ENTRY, { ...ENTRY, lessonNumber: 2, subgroupId: 'sg-1', room: '214', weekParity: 'odd' }],
      },
      headers: { 'idempotency-key': 'week-class-1-2' },
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      classId: 'class-1',
      period: 2,
      shift: 1,
      version: 4,
      entries: [
        { weekdayName: 'понедельник', lessonNumber: 1, startsAt: '08:00', teacherName: expect.any(String) },
      ],
    });
    expect(app.schedule.calls).toMatchObject([
      {
        method: 'SetTimetableEntries',
        request: {
          school_id: 'school-1',
          academic_year_id: 'year-1',
          class_id: 'class-1',
          period: 2,
          shift: 0,
          expected_version: '3',
          entries: [
            {
              weekday: 1,
              lesson_number: 1,
              subgroup_id: '',
              subject_id: 'subject-math',
              teacher_id: 'staff-1',
              room: '',
              week_parity: '',
            },
            { lesson_number: 2, subgroup_id: 'sg-1', room: '214', week_parity: 'odd' },
          ],
        },
        options: { idempotencyKey: 'week-class-1-2' },
      },
    ]);
  });

  it('when a class’s, a teacher’s and the school’s weeks are read and a period published, then schedule gets each from the path, query and body', async () => {
    const classWeek = await call('/api/v1/classes/class-1/timetable/1');
    const teacherWeek = await call(
      '/api/v1/schools/school-1/teachers/staff-1/timetable/3?academicYearId=year-1',
    );
    const school = await call('/api/v1/schools/school-1/timetable/1?academicYearId=year-1');
    const published = await call('/api/v1/schools/school-1/timetable/1/publish', {
      method: 'POST',
      body: { academicYearId: 'year-1' },
      headers: { 'idempotency-key': 'publish-school-1-1' },
    });

    expect(await classWeek.json()).toMatchObject({
      classId: 'class-1',
      period: 1,
      publication: { version: 1, changedSince: true },
    });
    expect(await teacherWeek.json()).toMatchObject({ teacherId: 'staff-1', entries: [{ className: '5А' }] });
    expect(await school.json()).toMatchObject({
      items: [{ classId: 'class-1' }],
      publication: { version: 1 },
    });
    expect(published.status).toBe(200);
    expect(await published.json()).toMatchObject({ publication: { version: 1 }, classes: 1, entries: 1 });
    expect(app.schedule.calls.map((c) => [c.method, c.request])).toEqual([
      ['GetClassTimetable', { class_id: 'class-1', period: 1 }],
      [
        'GetTeacherTimetable',
        { school_id: 'school-1', academic_year_id: 'year-1', teacher_id: 'staff-1', period: 3 },
      ],
      ['ListTimetable', { school_id: 'school-1', academic_year_id: 'year-1', period: 1 }],
      ['PublishTimetable', { school_id: 'school-1', academic_year_id: 'year-1', period: 1 }],
    ]);
    expect(app.schedule.calls[3]!.options).toMatchObject({ idempotencyKey: 'publish-school-1-1' });
  });

  it.each([
    {
      what: 'a curriculum without a school, with 0.3 hours and an unknown component',
      method: 'PUT',
      path: '/api/v1/classes/class-1/curriculum',
      body: {
        academicYearId: 'year-1',
        expectedVersion: 0,
        lines: [{ subjectId: 'subject-math', hoursPerWeek: 0.3, component: 'elective' }],
      },
      fields: ['schoolId', 'lines[0].hoursPerWeek', 'lines[0].component'],
    },
    {
      what: 'a year’s curricula without the year',
      method: 'GET',
      path: '/api/v1/schools/school-1/curricula',
      fields: ['academicYearId'],
    },
    {
      what: 'a week of period 5 on Sunday with no version',
      method: 'PUT',
      path: '/api/v1/classes/class-1/timetable/5',
      body: { schoolId: 'school-1', academicYearId: 'year-1', entries: [{ ...ENTRY, weekday: 7 }] },
      fields: ['period', 'expectedVersion', 'entries[0].weekday'],
    },
    {
      what: 'a lesson without a teacher, with fortnightly weeks and a room of 21 characters',
      method: 'PUT',
      path: '/api/v1/classes/class-1/timetable/1',
      body: {
        schoolId: 'school-1',
        academicYearId: 'year-1',
        expectedVersion: 0,
        entries: [
          { weekday: 1, lessonNumber: 1, subjectId: 's', weekParity: 'biweekly', room: 'x'.repeat(21) },
        ],
      },
      fields: ['entries[0].teacherId', 'entries[0].weekParity', 'entries[0].room'],
    },
    {
      what: 'a publication without the year',
      method: 'POST',
      path: '/api/v1/schools/school-1/timetable/1/publish',
      body: {},
      fields: ['academicYearId'],
    },
    {
      what: 'the school’s week of period 0',
      method: 'GET',
      path: '/api/v1/schools/school-1/timetable/0?academicYearId=year-1',
      fields: ['period'],
    },
    {
      what: 'a teacher’s week without the year',
      method: 'GET',
      path: '/api/v1/schools/school-1/teachers/staff-1/timetable/1',
      fields: ['academicYearId'],
    },
  ])(
    'when $what is sent, then 400 naming each field, and schedule is not called',
    async ({ method, path, body, fields }) => {
      const response = await call(path, { method, body });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const problem = (await response.json()) as Problem;
      expect(problem.code).toBe('request.invalid');
      expect(problem.errors?.map((e) => e.field).sort()).toEqual([...fields].sort());
      expect(app.schedule.calls).toHaveLength(0);
    },
  );

  it('when schedule finds the teacher busy, then 422 with its code, Russian detail and the lesson named', async () => {
    app.schedule.failWith(
      new GrpcCallError(
        `${SERVICE}/SetTimetableEntries`,
        GRPC_STATUS.FAILED_PRECONDITION,
        'busy',
        precondition('timetable.teacher_busy', 'Педагог в это время ведёт другой урок', [
          { field: 'entries[0].teacherId', message: 'В понедельник на 1-м уроке он ведёт урок в 5Б' },
        ]),
      ),
    );

    const response = await call('/api/v1/classes/class-1/timetable/1', {
      method: 'PUT',
      body: { schoolId: 'school-1', academicYearId: 'year-1', expectedVersion: 0, entries: [ENTRY] },
    });

    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      code: 'timetable.teacher_busy',
      detail: 'Педагог в это время ведёт другой урок',
      errors: [{ field: 'entries[0].teacherId' }],
    });
  });

  it.each([
    [
      'PUT',
      '/api/v1/classes/class-1/curriculum',
      { schoolId: 's', academicYearId: 'y', expectedVersion: 0, lines: [] },
    ],
    ['GET', '/api/v1/classes/class-1/curriculum', undefined],
    ['GET', '/api/v1/schools/school-1/curricula?academicYearId=year-1', undefined],
    [
      'PUT',
      '/api/v1/classes/class-1/timetable/1',
      { schoolId: 's', academicYearId: 'y', expectedVersion: 0, entries: [] },
    ],
    ['GET', '/api/v1/classes/class-1/timetable/1', undefined],
    ['GET', '/api/v1/schools/school-1/timetable/1?academicYearId=year-1', undefined],
    ['POST', '/api/v1/schools/school-1/timetable/1/publish', { academicYearId: 'year-1' }],
    ['GET', '/api/v1/schools/school-1/teachers/staff-1/timetable/1?academicYearId=year-1', undefined],
  ])(
    'when schedule refuses a teacher’s %s %s, then 403 access.denied; without a token 401',
    async (method, path, body) => {
      token = await devAccessToken('teacher');
      app.schedule.failWith(
        new GrpcCallError(
          `${SERVICE}/Any`,
          GRPC_STATUS.PERMISSION_DENIED,
          'denied',
          forbidden('access.denied', 'Недостаточно прав для этого действия'),
        ),
      );

      const refused = await call(path, { method, body });
      const anonymous = await call(path, { method, body, auth: false });
      token = await devAccessToken('schoolAdmin');

      expect(refused.status).toBe(403);
      expect(((await refused.json()) as Problem).code).toBe('access.denied');
      expect(anonymous.status).toBe(401);
      expect(app.schedule.calls).toHaveLength(1);
    },
  );
});
