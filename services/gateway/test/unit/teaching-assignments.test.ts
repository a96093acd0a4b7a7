import { GrpcCallError } from '@edu/grpc';
import { GRPC_STATUS, conflict, forbidden, notFound, precondition, type Problem } from '@edu/kit';
import { apiCaller, devAccessToken, startApp, type RunningApp } from '../helpers';

// Teaching assignments through the gateway with a fake schedule port and real Keycloak tokens.

const SERVICE = 'edu.schedule.v1.ScheduleService';
const PROBLEM_JSON = /^application\/problem\+json/;
const ASSIGNMENTS = '/api/v1/schools/school-1/teaching-assignments';

const ASSIGN = {
  academicYearId: 'year-1',
  teacherId: 'staff-1',
  classId: 'class-1',
  subjectId: 'subject-math',
};

describe('gateway: teaching assignments', () => {
  let app: RunningApp;
  let adminToken: string;
  let teacherToken: string;
  let token: string;
  const call = apiCaller(
    () => app,
    () => token,
  );

  beforeAll(async () => {
    [adminToken, teacherToken] = await Promise.all([
      devAccessToken('schoolAdmin'),
      devAccessToken('teacher'),
    ]);
    app = await startApp();
  });
  afterAll(() => app.close());
  beforeEach(() => {
    app.schedule.reset();
    app.roster.reset();
    token = adminToken;
  });

  it('when a teacher is assigned to a class, then schedule gets the school from the path and proto names, and 201 answers the assignment with its Location', async () => {
    const response = await call(ASSIGNMENTS, {
      method: 'POST',
      body: { ...ASSIGN, startsOn: '2026-09-01', endsOn: '2027-05-31', hoursPerWeek: 5 },
      headers: { 'idempotency-key': 'assign-math-5a-0001' },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/v1/teaching-assignments/assignment-1');
    expect(await response.json()).toEqual({
      id: 'assignment-1',
      schoolId: 'school-1',
      academicYearId: 'year-1',
      teacherId: 'staff-1',
      teacherName: 'Петрова Ольга Ивановна',
      classId: 'class-1',
      className: '5А',
      subgroupId: '',
      subgroupName: '',
      subjectId: 'subject-math',
      subjectKey: 'math',
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
          recordedAt: '2026-08-28T06:00:00.000Z',
          recordedBy: 'account-1',
        },
      ],
      version: 1,
      createdAt: '2026-08-28T06:00:00.000Z',
    });
    expect(app.schedule.calls).toEqual([
      expect.objectContaining({
        method: 'AssignTeacher',
        request: {
          academic_year_id: 'year-1',
          teacher_id: 'staff-1',
          class_id: 'class-1',
          subject_id: 'subject-math',
          starts_on: '2026-09-01',
          ends_on: '2027-05-31',
          hours_per_week: 5,
          school_id: 'school-1',
        },
        options: expect.objectContaining({ idempotencyKey: 'assign-math-5a-0001' }),
      }),
    ]);
    expect(app.roster.calls).toHaveLength(0);
  });

  it('when a subgroup is assigned without a class or dates, then schedule gets only what was sent (its defaults fill the rest)', async () => {
    const response = await call(ASSIGNMENTS, {
      method: 'POST',
      body: {
        academicYearId: 'year-1',
        teacherId: 'staff-1',
        subgroupId: 'subgroup-1',
        subjectId: 'subject-english',
      },
    });

    expect(response.status).toBe(201);
    expect(app.schedule.calls[0]?.request).toEqual({
      academic_year_id: 'year-1',
      teacher_id: 'staff-1',
      subgroup_id: 'subgroup-1',
      subject_id: 'subject-english',
      school_id: 'school-1',
    });
    expect(app.schedule.calls[0]?.options).not.toHaveProperty('idempotencyKey');
  });

  it('when assignments are listed without and with filters, then schedule gets the year, empty filters by default, and the flag', async () => {
    const plain = await call(`${ASSIGNMENTS}?academicYearId=year-1`);
    const filtered = await call(
      `${ASSIGNMENTS}?academicYearId=year-1&teacherId=staff-1&classId=class-1&includeEnded=true`,
    );

    expect(plain.status).toBe(200);
    expect(await plain.json()).toEqual({
      items: [expect.objectContaining({ id: 'assignment-1', className: '5А', version: 1 })],
    });
    expect(filtered.status).toBe(200);
    expect(app.schedule.calls.map((c) => [c.method, c.request])).toEqual([
      [
        'ListAssignments',
        {
          school_id: 'school-1',
          academic_year_id: 'year-1',
          teacher_id: '',
          class_id: '',
          include_ended: false,
        },
      ],
      [
        'ListAssignments',
        {
          school_id: 'school-1',
          academic_year_id: 'year-1',
          teacher_id: 'staff-1',
          class_id: 'class-1',
          include_ended: true,
        },
      ],
    ]);
  });

  it('when one assignment is read, then schedule gets its id', async () => {
    const response = await call('/api/v1/teaching-assignments/assignment-1');

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 'assignment-1', subjectName: 'Математика' });
    expect(app.schedule.calls.map((c) => [c.method, c.request])).toEqual([
      ['GetAssignment', { id: 'assignment-1' }],
    ]);
  });

  it('when an assignment is ended at a day with a reason, and another at "today", then schedule gets the version as a string and only what was sent', async () => {
    const ended = await call('/api/v1/teaching-assignments/assignment-1/end', {
      method: 'POST',
      body: { expectedVersion: 1, endsOn: '2026-11-20', reason: 'Перераспределение нагрузки' },
      headers: { 'idempotency-key': 'end-assignment-1' },
    });
    const today = await call('/api/v1/teaching-assignments/assignment-2/end', {
      method: 'POST',
      body: { expectedVersion: 3 },
    });

    expect(ended.status).toBe(200);
    expect(await ended.json()).toMatchObject({
      id: 'assignment-1',
      status: 'ended',
      endsOn: '2026-11-20',
      history: [
        { kind: 'assigned' },
        { kind: 'ended', effectiveOn: '2026-11-20', reason: 'Перераспределение нагрузки' },
      ],
      version: 2,
    });
    expect(today.status).toBe(200);
    expect(app.schedule.calls.map((c) => [c.method, c.request, c.options.idempotencyKey])).toEqual([
      [
        'EndAssignment',
        {
          expected_version: '1',
          ends_on: '2026-11-20',
          reason: 'Перераспределение нагрузки',
          id: 'assignment-1',
        },
        'end-assignment-1',
      ],
      ['EndAssignment', { expected_version: '3', id: 'assignment-2' }, undefined],
    ]);
  });

  it.each([
    {
      what: 'an assignment without a year, teacher and subject',
      method: 'POST',
      path: ASSIGNMENTS,
      body: { classId: 'class-1' },
      fields: ['academicYearId', 'subjectId', 'teacherId'],
    },
    {
      what: 'dates not in ГГГГ-ММ-ДД, hours off the half-hour step and an unknown field',
      method: 'POST',
      path: ASSIGNMENTS,
      body: { ...ASSIGN, startsOn: '01.09.2026', endsOn: '2027-5-31', hoursPerWeek: 2.3, room: '101' },
      fields: ['endsOn', 'hoursPerWeek', 'room', 'startsOn'],
    },
    {
      what: 'more than 40 hours a week and an empty teacher id',
      method: 'POST',
      path: ASSIGNMENTS,
      body: { ...ASSIGN, teacherId: '', hoursPerWeek: 41 },
      fields: ['hoursPerWeek', 'teacherId'],
    },
    {
      what: 'a list without the year and with a flag that is not true/false',
      method: 'GET',
      path: `${ASSIGNMENTS}?includeEnded=yes`,
      fields: ['academicYearId', 'includeEnded'],
    },
    {
      what: 'an ending without a version, with a bad date and an empty reason',
      method: 'POST',
      path: '/api/v1/teaching-assignments/assignment-1/end',
      body: { endsOn: '2026-13', reason: '' },
      fields: ['endsOn', 'expectedVersion', 'reason'],
    },
    {
      what: 'an ending with the version as text',
      method: 'POST',
      path: '/api/v1/teaching-assignments/assignment-1/end',
      body: { expectedVersion: '1' },
      fields: ['expectedVersion'],
    },
  ])(
    'when $what is sent, then 400 naming each field in Russian, and schedule is not called',
    async ({ method, path, body, fields }) => {
      const response = await call(path, { method, body });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const problem = (await response.json()) as Problem;
      expect(problem).toMatchObject({ code: 'request.invalid', title: expect.stringMatching(/[а-я]/i) });
      expect(problem.errors?.map((e) => e.field).sort()).toEqual(fields);
      expect(problem.errors?.every((e) => /[а-я]/i.test(e.message))).toBe(true);
      expect(app.schedule.calls).toHaveLength(0);
    },
  );

  it('when an assignment is sent as text/plain, then 415 and schedule is not called', async () => {
    const response = await fetch(`${app.url}${ASSIGNMENTS}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: JSON.stringify(ASSIGN),
    });

    expect(response.status).toBe(415);
    expect(app.schedule.calls).toHaveLength(0);
  });

  it.each([
    {
      name: 'days outside the year (FAILED_PRECONDITION, fields named)',
      rpc: 'AssignTeacher',
      error: precondition(
        'assignment.outside_year',
        'Нагрузка назначается на дни учебного года 2026/2027: 01.09.2026–31.05.2027',
        [{ field: 'endsOn', message: 'После последнего дня учебного года' }],
      ),
      grpc: GRPC_STATUS.FAILED_PRECONDITION,
      status: 422,
    },
    {
      name: 'a teacher who is not current staff (FAILED_PRECONDITION)',
      rpc: 'AssignTeacher',
      error: precondition(
        'assignment.teacher_not_staff',
        'Нагрузку можно назначить только педагогу, который сейчас работает в этой школе',
        [{ field: 'teacherId', message: 'Выберите работающего педагога школы' }],
      ),
      grpc: GRPC_STATUS.FAILED_PRECONDITION,
      status: 422,
    },
    {
      name: 'overlapping days (ALREADY_EXISTS)',
      rpc: 'AssignTeacher',
      error: conflict(
        'assignment.duplicate',
        'У учителя уже есть нагрузка по предмету «Математика» в 5А на 01.09.2026–31.05.2027: дни пересекаются',
      ),
      grpc: GRPC_STATUS.ALREADY_EXISTS,
      status: 409,
    },
    {
      name: 'a class of another school (NOT_FOUND)',
      rpc: 'AssignTeacher',
      error: notFound('class.not_found', 'Класс не найден'),
      grpc: GRPC_STATUS.NOT_FOUND,
      status: 404,
    },
  ])(
    'when schedule refuses an assignment with $name, then $status with its Russian detail, code and fields',
    async ({ rpc, error, grpc, status }) => {
      app.schedule.failWith(new GrpcCallError(`${SERVICE}/${rpc}`, grpc, 'отказ', error));

      const response = await call(ASSIGNMENTS, { method: 'POST', body: ASSIGN });

      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({
        status,
        code: error.code,
        detail: error.detail,
        ...(error.errors ? { errors: error.errors } : {}),
      });
    },
  );

  it.each([
    {
      name: 'a stale version',
      error: conflict('assignment.version_conflict', 'Нагрузку уже изменили: откройте её заново и повторите'),
      grpc: GRPC_STATUS.ALREADY_EXISTS,
      status: 409,
    },
    {
      name: 'an assignment already ended',
      error: precondition('assignment.ended', 'Нагрузка уже снята: последний день — 20.11.2026'),
      grpc: GRPC_STATUS.FAILED_PRECONDITION,
      status: 422,
    },
    {
      name: 'an assignment the caller may not know of',
      error: notFound('assignment.not_found', 'Нагрузка не найдена'),
      grpc: GRPC_STATUS.NOT_FOUND,
      status: 404,
    },
  ])(
    'when schedule refuses an ending with $name, then $status and its code',
    async ({ error, grpc, status }) => {
      app.schedule.failWith(new GrpcCallError(`${SERVICE}/EndAssignment`, grpc, 'отказ', error));

      const response = await call('/api/v1/teaching-assignments/assignment-1/end', {
        method: 'POST',
        body: { expectedVersion: 1 },
      });

      expect(response.status).toBe(status);
      expect(await response.json()).toMatchObject({ status, code: error.code, detail: error.detail });
    },
  );

  it('when schedule is unreachable, then 503 grpc.unavailable in Russian, and roster routes are unaffected', async () => {
    app.schedule.failWith(new GrpcCallError(`${SERVICE}/GetAssignment`, GRPC_STATUS.UNAVAILABLE, 'down'));

    const assignment = await call('/api/v1/teaching-assignments/assignment-1');
    const school = await call('/api/v1/schools/school-1');

    expect(assignment.status).toBe(503);
    expect(await assignment.json()).toMatchObject({
      code: 'grpc.unavailable',
      detail: 'Сервис временно недоступен. Попробуйте повторить позже.',
    });
    expect(school.status).toBe(200);
  });

  // A teacher of the school may read their own assignments, not make or end any: schedule refuses.
  it.each([
    { rpc: 'AssignTeacher', method: 'POST', path: ASSIGNMENTS, body: ASSIGN },
    { rpc: 'ListAssignments', method: 'GET', path: `${ASSIGNMENTS}?academicYearId=year-1` },
    { rpc: 'GetAssignment', method: 'GET', path: '/api/v1/teaching-assignments/assignment-1' },
    {
      rpc: 'EndAssignment',
      method: 'POST',
      path: '/api/v1/teaching-assignments/assignment-1/end',
      body: { expectedVersion: 1 },
    },
  ])(
    'when a teacher calls $method $path and schedule refuses ($rpc), then 403 access.denied in Russian',
    async ({ method, path, body, rpc }) => {
      token = teacherToken;
      app.schedule.failWith(
        new GrpcCallError(
          `${SERVICE}/${rpc}`,
          GRPC_STATUS.PERMISSION_DENIED,
          'Недостаточно прав для этого действия',
          forbidden('access.denied', 'Недостаточно прав для этого действия'),
        ),
      );

      const response = await call(path, { method, body });

      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({
        code: 'access.denied',
        title: 'Доступ запрещён',
        detail: 'Недостаточно прав для этого действия',
      });
      expect(app.schedule.calls.map((c) => c.method)).toEqual([rpc]);
    },
  );

  it('when a bare PERMISSION_DENIED comes back (no domain error), then 403 grpc.permission_denied in Russian', async () => {
    app.schedule.failWith(
      new GrpcCallError(`${SERVICE}/ListAssignments`, GRPC_STATUS.PERMISSION_DENIED, 'denied'),
    );

    const response = await call(`${ASSIGNMENTS}?academicYearId=year-1&teacherId=staff-2`);

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      code: 'grpc.permission_denied',
      detail: 'Недостаточно прав для этого действия.',
    });
  });
});
