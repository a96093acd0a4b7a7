import { GrpcCallError } from '@edu/grpc';
import { DomainError, GRPC_STATUS, conflict, forbidden, invalid, notFound, type Problem } from '@edu/kit';
import { openApiDocument } from '../../src/entry-points/http/openapi';
import { apiCaller, devAccessToken, startApp, type RunningApp } from '../helpers';

// Subjects through the gateway with a fake schedule port and real Keycloak tokens.

const SERVICE = 'edu.schedule.v1.ScheduleService';
const PROBLEM_JSON = /^application\/problem\+json/;

const ROBOTICS = {
  key: 'robotics',
  name: 'Робототехника',
  shortName: 'Робототех.',
  educationArea: 'technology',
};

describe('gateway: subjects', () => {
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

  it('when a school adds a subject, then schedule gets the school from the path, proto names and the idempotency key, and 201 answers the subject with its Location', async () => {
    const response = await call('/api/v1/schools/school-1/subjects', {
      method: 'POST',
      body: { ...ROBOTICS, splitIntoSubgroups: true },
      headers: { 'idempotency-key': 'subject-robotics-0001' },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/v1/subjects/subject-robotics');
    expect(await response.json()).toEqual({
      id: 'subject-robotics',
      schoolId: 'school-1',
      key: 'robotics',
      name: 'Робототехника',
      shortName: 'Робототех.',
      educationArea: 'technology',
      educationAreaName: 'Технология',
      splitIntoSubgroups: true,
      version: 1,
      createdAt: '2026-08-01T00:00:00.000Z',
    });
    expect(app.schedule.calls).toEqual([
      expect.objectContaining({
        method: 'CreateSubject',
        request: {
          key: 'robotics',
          name: 'Робототехника',
          short_name: 'Робототех.',
          education_area: 'technology',
          split_into_subgroups: true,
          school_id: 'school-1',
        },
        options: expect.objectContaining({
          idempotencyKey: 'subject-robotics-0001',
          actorToken: expect.any(String),
          traceId: expect.any(String),
        }),
      }),
    ]);
    expect(app.roster.calls).toHaveLength(0);
  });

  it('when the subjects of a school are listed and one is read, then schedule gets the school and the id, and the answers are camelCase with numeric versions', async () => {
    const list = await call('/api/v1/schools/school-1/subjects');
    const one = await call('/api/v1/subjects/subject-math');

    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({
      items: [
        expect.objectContaining({ id: 'subject-math', schoolId: '', name: 'Математика', version: 1 }),
        expect.objectContaining({ key: 'english', shortName: 'Англ. яз.', splitIntoSubgroups: true }),
      ],
    });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      id: 'subject-math',
      educationArea: 'mathematics_and_informatics',
      educationAreaName: 'Математика и информатика',
    });
    expect(app.schedule.calls.map((c) => [c.method, c.request, c.options.idempotencyKey])).toEqual([
      ['ListSubjects', { school_id: 'school-1' }, undefined],
      ['GetSubject', { id: 'subject-math' }, undefined],
    ]);
  });

  it.each([
    {
      what: 'a key in Cyrillic, an unknown education area and no name',
      body: { key: 'робо', educationArea: 'robots' },
      fields: ['educationArea', 'key', 'name'],
    },
    {
      what: 'a short name over 30 characters, a flag as text and an unknown field',
      body: { ...ROBOTICS, shortName: 'Р'.repeat(31), splitIntoSubgroups: 'да', hours: 2 },
      fields: ['hours', 'shortName', 'splitIntoSubgroups'],
    },
    {
      what: 'a key with a capital letter and an empty name',
      body: { ...ROBOTICS, key: 'Robotics', name: '' },
      fields: ['key', 'name'],
    },
  ])(
    'when $what is sent, then 400 naming each field in Russian, and schedule is not called',
    async ({ body, fields }) => {
      const response = await call('/api/v1/schools/school-1/subjects', { method: 'POST', body });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const problem = (await response.json()) as Problem;
      expect(problem).toMatchObject({ code: 'request.invalid', title: expect.stringMatching(/[а-я]/i) });
      expect(problem.errors?.map((e) => e.field).sort()).toEqual(fields);
      expect(problem.errors?.every((e) => /[а-я]/i.test(e.message))).toBe(true);
      expect(app.schedule.calls).toHaveLength(0);
    },
  );

  it('when a subject id is longer than any id, then 400 before schedule', async () => {
    const response = await call(`/api/v1/subjects/${'x'.repeat(65)}`);

    expect(response.status).toBe(400);
    expect(((await response.json()) as Problem).errors).toEqual([
      { field: 'id', message: 'Слишком длинное значение' },
    ]);
    expect(app.schedule.calls).toHaveLength(0);
  });

  it.each([
    {
      name: 'a taken key (ALREADY_EXISTS)',
      error: new GrpcCallError(
        `${SERVICE}/CreateSubject`,
        GRPC_STATUS.ALREADY_EXISTS,
        'занят',
        conflict('subject.key_taken', 'Предмет с кодом «robotics» уже есть'),
      ),
      status: 409,
      code: 'subject.key_taken',
    },
    {
      name: 'bad fields named by schedule (INVALID_ARGUMENT)',
      error: new GrpcCallError(
        `${SERVICE}/CreateSubject`,
        GRPC_STATUS.INVALID_ARGUMENT,
        'ошибки',
        invalid('subject.invalid', 'Предмет заполнен с ошибками', [
          { field: 'shortName', message: 'Полное название длиннее 30 символов: укажите краткое' },
        ]),
      ),
      status: 400,
      code: 'subject.invalid',
    },
    {
      name: 'a school outside the caller’s (NOT_FOUND)',
      error: new GrpcCallError(
        `${SERVICE}/CreateSubject`,
        GRPC_STATUS.NOT_FOUND,
        'нет школы',
        notFound('school.not_found', 'Школа не найдена'),
      ),
      status: 404,
      code: 'school.not_found',
    },
  ])(
    'when schedule refuses a new subject with $name, then $status with its Russian detail, code and fields',
    async ({ error, status, code }) => {
      app.schedule.failWith(error);

      const response = await call('/api/v1/schools/school-1/subjects', { method: 'POST', body: ROBOTICS });

      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const domain = error.domainError as DomainError;
      expect(await response.json()).toMatchObject({
        status,
        code,
        detail: domain.detail,
        ...(domain.errors ? { errors: domain.errors } : {}),
      });
    },
  );

  it.each([
    { status: GRPC_STATUS.UNAVAILABLE, http: 503, code: 'grpc.unavailable' },
    { status: GRPC_STATUS.DEADLINE_EXCEEDED, http: 504, code: 'grpc.deadline_exceeded' },
    { status: GRPC_STATUS.NOT_FOUND, http: 404, code: 'grpc.not_found' },
  ])(
    'when schedule fails with a bare status $code, then $http problem+json in Russian',
    async ({ status, http, code }) => {
      app.schedule.failWith(new GrpcCallError(`${SERVICE}/ListSubjects`, status, 'bare'));

      const response = await call('/api/v1/schools/school-1/subjects');

      expect(response.status).toBe(http);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({ code, detail: expect.stringMatching(/[а-я]/i) });
    },
  );

  // A teacher of the school reads subjects but does not add them: schedule refuses.
  it.each([
    { rpc: 'CreateSubject', method: 'POST', path: '/api/v1/schools/school-1/subjects', body: ROBOTICS },
    { rpc: 'ListSubjects', method: 'GET', path: '/api/v1/schools/school-1/subjects' },
    { rpc: 'GetSubject', method: 'GET', path: '/api/v1/subjects/subject-math' },
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

  it('when the OpenAPI document is read, then every schedule operation is in it with a Russian summary and description', () => {
    const operations = Object.values(openApiDocument.paths).flatMap((item) =>
      Object.values(item as Record<string, { operationId: string; summary: string; description?: string }>),
    );
    const schedule = [
      'createSubject',
      'listSubjects',
      'getSubject',
      'assignTeacher',
      'listTeachingAssignments',
      'getTeachingAssignment',
      'endTeachingAssignment',
    ].map((id) => operations.find((op) => op.operationId === id));

    for (const operation of schedule) {
      expect(operation?.summary).toMatch(/[а-яё]/i);
      expect(operation?.description).toMatch(/[а-яё]/i);
    }
  });

  it('when there is no token, then 401 and schedule is not called', async () => {
    const response = await call('/api/v1/schools/school-1/subjects', { auth: false });

    expect(response.status).toBe(401);
    expect(app.schedule.calls).toHaveLength(0);
  });
});
