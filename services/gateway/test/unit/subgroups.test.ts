import { GrpcCallError } from '@edu/grpc';
import { DomainError, GRPC_STATUS, conflict, forbidden, precondition, type Problem } from '@edu/kit';
import { apiCaller, devAccessToken, startApp, type RunningApp } from '../helpers';

// Subgroups of classes through the gateway with a fake roster port and real Keycloak tokens.

const SERVICE = 'edu.roster.v1.SubgroupService';
const PROBLEM_JSON = /^application\/problem\+json/;

/** The order behind a change of members. */
const ORDER = { number: '12-у', date: '2026-09-10', title: 'О делении на подгруппы' };

describe('gateway: subgroups', () => {
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
    app.roster.reset();
    token = adminToken;
  });

  it('when a subgroup is formed, then roster gets the class from the path and the members, and 201 answers the subgroup with its Location', async () => {
    const response = await call('/api/v1/classes/class-1/subgroups', {
      method: 'POST',
      body: { subjectKey: 'english', name: 'Английский язык, группа 1', memberIds: ['person-1', 'person-2'] },
      headers: { 'idempotency-key': 'form-english-0001' },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/v1/subgroups/subgroup-1');
    expect(await response.json()).toEqual({
      id: 'subgroup-1',
      schoolId: 'school-1',
      academicYearId: 'year-1',
      classId: 'class-1',
      subjectKey: 'english',
      name: 'Английский язык, группа 1',
      teacherId: '',
      memberIds: ['person-1', 'person-2'],
      history: [],
      status: 'open',
      version: 1,
      createdAt: '2026-09-01T06:00:00.000Z',
    });
    expect(app.roster.calls).toEqual([
      expect.objectContaining({
        method: 'subgroups.FormSubgroup',
        request: {
          subject_key: 'english',
          name: 'Английский язык, группа 1',
          member_ids: ['person-1', 'person-2'],
          class_id: 'class-1',
        },
        options: expect.objectContaining({ idempotencyKey: 'form-english-0001' }),
      }),
    ]);
  });

  it('when subgroups are listed (with closed) and one is read, then roster gets the class, the flag and the id', async () => {
    const list = await call('/api/v1/classes/class-1/subgroups?includeClosed=true');
    const one = await call('/api/v1/subgroups/subgroup-1');

    expect(await list.json()).toEqual({ items: [expect.objectContaining({ id: 'subgroup-1', version: 1 })] });
    expect(await one.json()).toMatchObject({ id: 'subgroup-1', memberIds: ['person-1'] });
    expect(app.roster.calls.map((c) => [c.method, c.request])).toEqual([
      ['subgroups.ListSubgroups', { class_id: 'class-1', include_closed: true }],
      ['subgroups.GetSubgroup', { id: 'subgroup-1' }],
    ]);
  });

  it("when a subgroup is renamed, given a teacher and then its teacher removed, then roster gets '' for kept and '-' for removed", async () => {
    await call('/api/v1/subgroups/subgroup-1', {
      method: 'PATCH',
      body: { expectedVersion: 1, name: 'Английский язык, группа А' },
    });
    await call('/api/v1/subgroups/subgroup-1', {
      method: 'PATCH',
      body: { expectedVersion: 2, teacherId: 'staff-1' },
    });
    const removed = await call('/api/v1/subgroups/subgroup-1', {
      method: 'PATCH',
      body: { expectedVersion: 3, teacherId: null },
    });

    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({ id: 'subgroup-1', version: 2 });
    expect(app.roster.calls.map((c) => c.request)).toEqual([
      { id: 'subgroup-1', expected_version: '1', name: 'Английский язык, группа А', teacher_id: '' },
      { id: 'subgroup-1', expected_version: '2', name: '', teacher_id: 'staff-1' },
      { id: 'subgroup-1', expected_version: '3', name: '', teacher_id: '-' },
    ]);
  });

  it('when members are changed and the subgroup disbanded, then roster gets add/remove (empty when absent) and the versions as strings', async () => {
    const changed = await call('/api/v1/subgroups/subgroup-1/members', {
      method: 'PATCH',
      body: { expectedVersion: 1, add: ['person-2'], order: ORDER },
    });
    const disbanded = await call('/api/v1/subgroups/subgroup-1/disband', {
      method: 'POST',
      body: { expectedVersion: 2 },
      headers: { 'idempotency-key': 'disband-subgroup-1' },
    });

    expect(await changed.json()).toMatchObject({ memberIds: ['person-2'], version: 2 });
    expect(await disbanded.json()).toMatchObject({ status: 'closed', version: 2 });
    expect(app.roster.calls.map((c) => [c.method, c.request, c.options.idempotencyKey])).toEqual([
      [
        'subgroups.ChangeSubgroupMembers',
        { add: ['person-2'], remove: [], expected_version: '1', id: 'subgroup-1', order: ORDER },
        undefined,
      ],
      ['subgroups.DisbandSubgroup', { expected_version: '2', id: 'subgroup-1' }, 'disband-subgroup-1'],
    ]);
  });

  it.each([
    {
      what: 'a subject key in Cyrillic and no name',
      method: 'POST',
      path: '/api/v1/classes/class-1/subgroups',
      body: { subjectKey: 'английский', memberIds: ['person-1'] },
      fields: ['name', 'subjectKey'],
    },
    {
      what: 'members that are not ids',
      method: 'POST',
      path: '/api/v1/classes/class-1/subgroups',
      body: { subjectKey: 'english', name: 'Группа 1', memberIds: ['', 7] },
      fields: ['memberIds[0]', 'memberIds[1]'],
    },
    {
      what: "a teacher id of '-' (roster's wire value, not an id)",
      method: 'PATCH',
      path: '/api/v1/subgroups/subgroup-1',
      body: { expectedVersion: 1, teacherId: '-' },
      fields: ['teacherId'],
    },
    {
      what: 'a member change without a version',
      method: 'PATCH',
      path: '/api/v1/subgroups/subgroup-1/members',
      body: { add: ['person-2'] },
      fields: ['expectedVersion', 'order'],
    },
    {
      what: 'a disbanding with the version as text',
      method: 'POST',
      path: '/api/v1/subgroups/subgroup-1/disband',
      body: { expectedVersion: '1' },
      fields: ['expectedVersion'],
    },
  ])(
    'when $what is sent, then 400 naming each field, and roster is not called',
    async ({ method, path, body, fields }) => {
      const response = await call(path, { method, body });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(((await response.json()) as Problem).errors?.map((e) => e.field).sort()).toEqual(fields);
      expect(app.roster.calls).toHaveLength(0);
    },
  );

  it.each([
    {
      name: 'a stale version',
      error: new GrpcCallError(
        `${SERVICE}/ChangeSubgroupMembers`,
        GRPC_STATUS.ALREADY_EXISTS,
        'версия',
        conflict('subgroup.version_conflict', 'Подгруппу уже изменили: обновите страницу и повторите'),
      ),
      status: 409,
      code: 'subgroup.version_conflict',
    },
    {
      name: 'a student already in another subgroup for the subject (named field)',
      error: new GrpcCallError(
        `${SERVICE}/ChangeSubgroupMembers`,
        GRPC_STATUS.ALREADY_EXISTS,
        'уже в подгруппе',
        new DomainError({
          code: 'subgroup.already_member',
          kind: 'conflict',
          detail:
            'Обучающийся уже в подгруппе «Английский язык, группа 2» по этому предмету: сначала исключите его оттуда',
          errors: [{ field: 'add[0]', message: 'Уже в подгруппе «Английский язык, группа 2»' }],
        }),
      ),
      status: 409,
      code: 'subgroup.already_member',
    },
    {
      name: 'a student not in the class (FAILED_PRECONDITION)',
      error: new GrpcCallError(
        `${SERVICE}/ChangeSubgroupMembers`,
        GRPC_STATUS.FAILED_PRECONDITION,
        'не в классе',
        precondition(
          'subgroup.student_not_enrolled',
          'В подгруппу можно включить только обучающихся, которые сейчас учатся в классе 5А',
          [{ field: 'add[0]', message: 'Обучающийся не учится в классе 5А' }],
        ),
      ),
      status: 422,
      code: 'subgroup.student_not_enrolled',
    },
  ])(
    'when roster refuses a member change with $name, then $status with its Russian detail, code and fields',
    async ({ error, status, code }) => {
      app.roster.failWith(error);

      const response = await call('/api/v1/subgroups/subgroup-1/members', {
        method: 'PATCH',
        body: { expectedVersion: 1, add: ['person-9'], order: ORDER },
      });

      expect(response.status).toBe(status);
      const domain = error.domainError!;
      expect(await response.json()).toMatchObject({
        status,
        code,
        detail: domain.detail,
        ...(domain.errors ? { errors: domain.errors } : {}),
      });
    },
  );

  // A teacher of the school reads subgroups but does not manage them: roster refuses.
  it.each([
    {
      rpc: 'FormSubgroup',
      method: 'POST',
      path: '/api/v1/classes/class-1/subgroups',
      body: { subjectKey: 'english', name: 'Группа 1' },
    },
    { rpc: 'ListSubgroups', method: 'GET', path: '/api/v1/classes/class-1/subgroups' },
    { rpc: 'GetSubgroup', method: 'GET', path: '/api/v1/subgroups/subgroup-1' },
    {
      rpc: 'ChangeSubgroup',
      method: 'PATCH',
      path: '/api/v1/subgroups/subgroup-1',
      body: { expectedVersion: 1, name: 'Группа 2' },
    },
    {
      rpc: 'ChangeSubgroupMembers',
      method: 'PATCH',
      path: '/api/v1/subgroups/subgroup-1/members',
      body: { expectedVersion: 1, remove: ['person-1'], order: ORDER },
    },
    {
      rpc: 'DisbandSubgroup',
      method: 'POST',
      path: '/api/v1/subgroups/subgroup-1/disband',
      body: { expectedVersion: 1 },
    },
  ])(
    'when a teacher calls $method $path and roster refuses ($rpc), then 403 access.denied in Russian',
    async ({ method, path, body, rpc }) => {
      token = teacherToken;
      app.roster.failWith(
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
      expect(app.roster.calls.map((c) => c.method)).toEqual([`subgroups.${rpc}`]);
    },
  );

  it('when a bare PERMISSION_DENIED comes back (no domain error), then 403 grpc.permission_denied in Russian', async () => {
    app.roster.failWith(new GrpcCallError(`${SERVICE}/GetSubgroup`, GRPC_STATUS.PERMISSION_DENIED, 'denied'));

    const response = await call('/api/v1/subgroups/subgroup-1');

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      code: 'grpc.permission_denied',
      title: 'Доступ запрещён',
      detail: 'Недостаточно прав для этого действия.',
    });
  });
});
