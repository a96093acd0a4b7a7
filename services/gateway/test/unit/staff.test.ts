import { GrpcCallError } from '@edu/grpc';
import { GRPC_STATUS, conflict, forbidden, notFound, precondition, type Problem } from '@edu/kit';
import { apiCaller, devAccessToken, startApp, type RunningApp } from '../helpers';

// Staff positions through the gateway with a fake roster port and real Keycloak tokens.

const SERVICE = 'edu.roster.v1.StaffService';
const PROBLEM_JSON = /^application\/problem\+json/;
const order = { number: '15-к', date: '2026-08-25', title: 'О приёме на работу' };

describe('gateway: staff positions', () => {
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

  it('when a teacher is hired, then roster gets the school from the path, the rate as a number and the order, and 201 answers the position with its Location', async () => {
    const response = await call('/api/v1/schools/school-1/staff-positions', {
      method: 'POST',
      body: { personId: 'staff-1', kind: 'teacher', rate: 1, hiredOn: '2026-09-01', order },
      headers: { 'idempotency-key': 'hire-staff-1-0001' },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/v1/staff-positions/position-1');
    expect(await response.json()).toMatchObject({
      id: 'position-1',
      schoolId: 'school-1',
      personId: 'staff-1',
      kind: 'teacher',
      title: 'Учитель',
      rate: 1,
      hiredOn: '2026-09-01',
      hireOrder: order,
      status: 'active',
      dismissalOrder: { number: '', date: '', title: '' },
      history: [{ kind: 'hired', effectiveOn: '2026-09-01', order, rate: 1 }],
      version: 1,
    });
    expect(app.roster.calls).toEqual([
      expect.objectContaining({
        method: 'staff.HireStaff',
        request: {
          person_id: 'staff-1',
          kind: 'teacher',
          rate: 1,
          hired_on: '2026-09-01',
          order,
          school_id: 'school-1',
        },
        options: expect.objectContaining({ idempotencyKey: 'hire-staff-1-0001' }),
      }),
    ]);
  });

  it('when a position is changed (rate only) and then dismissal ordered, then roster gets the version as a string and absent fields left out (kept)', async () => {
    const changed = await call('/api/v1/staff-positions/position-1', {
      method: 'PATCH',
      body: { expectedVersion: 1, rate: 1.5, effectiveOn: '2026-10-01', order: { ...order, number: '30-к' } },
    });
    const dismissed = await call('/api/v1/staff-positions/position-1/dismiss', {
      method: 'POST',
      body: {
        expectedVersion: 2,
        dismissedOn: '2026-12-31',
        order: { ...order, number: '99-к', title: 'Об увольнении' },
        reason: 'По собственному желанию',
      },
    });

    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ rate: 1.5, version: 2 });
    expect(dismissed.status).toBe(200);
    expect(await dismissed.json()).toMatchObject({
      status: 'dismissed',
      dismissedOn: '2026-12-31',
      dismissalOrder: { number: '99-к' },
      dismissalReason: 'По собственному желанию',
      version: 2,
    });
    expect(app.roster.calls.map((c) => [c.method, c.request])).toEqual([
      [
        'staff.ChangePosition',
        {
          expected_version: '1',
          rate: 1.5,
          effective_on: '2026-10-01',
          order: { ...order, number: '30-к' },
          position_id: 'position-1',
        },
      ],
      [
        'staff.DismissStaff',
        {
          expected_version: '2',
          dismissed_on: '2026-12-31',
          order: { ...order, number: '99-к', title: 'Об увольнении' },
          reason: 'По собственному желанию',
          position_id: 'position-1',
        },
      ],
    ]);
  });

  it("when the staff list (with dismissed) and a person's positions are read, then roster gets the flag and the person, and items are camelCase", async () => {
    const list = await call('/api/v1/schools/school-1/staff-positions?includeDismissed=true');
    const plain = await call('/api/v1/schools/school-1/staff-positions');
    const positions = await call('/api/v1/people/staff-1/staff-positions');

    expect(await list.json()).toEqual({
      items: [
        {
          positionId: 'position-1',
          personId: 'staff-1',
          lastName: 'Петрова',
          firstName: 'Ольга',
          middleName: 'Ивановна',
          kind: 'teacher',
          title: 'Учитель',
          status: 'active',
          rate: 1,
          hiredOn: '2026-09-01',
          dismissedOn: '',
        },
      ],
    });
    expect(plain.status).toBe(200);
    expect(await positions.json()).toMatchObject({ items: [{ id: 'position-1', personId: 'staff-1' }] });
    expect(app.roster.calls.map((c) => [c.method, c.request])).toEqual([
      ['staff.ListStaff', { school_id: 'school-1', include_dismissed: true }],
      ['staff.ListStaff', { school_id: 'school-1', include_dismissed: false }],
      ['staff.ListPositionsOfPerson', { person_id: 'staff-1' }],
    ]);
  });

  it('when a position is read by the Location of its hire, then roster gets the id without an idempotency key, and 200 answers the position in camelCase', async () => {
    const hired = await call('/api/v1/schools/school-1/staff-positions', {
      method: 'POST',
      body: { personId: 'staff-1', kind: 'teacher', rate: 1, hiredOn: '2026-09-01', order },
    });
    app.roster.reset();

    const response = await call(hired.headers.get('location')!);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: 'position-1',
      schoolId: 'school-1',
      personId: 'staff-1',
      kind: 'teacher',
      title: 'Учитель',
      rate: 1,
      hiredOn: '2026-09-01',
      hireOrder: order,
      status: 'active',
      dismissedOn: '',
      dismissalOrder: { number: '', date: '', title: '' },
      dismissalReason: '',
      history: [
        {
          kind: 'hired',
          effectiveOn: '2026-09-01',
          order,
          title: 'Учитель',
          rate: 1,
          reason: '',
          recordedAt: '2026-08-25T06:00:00.000Z',
          recordedBy: 'account-1',
        },
      ],
      version: 1,
      createdAt: '2026-08-25T06:00:00.000Z',
    });
    expect(app.roster.calls).toEqual([
      expect.objectContaining({ method: 'staff.GetPosition', request: { position_id: 'position-1' } }),
    ]);
    expect(app.roster.calls[0]!.options.idempotencyKey).toBeUndefined();
  });

  it('when roster hides a position from someone without a role in its school (NOT_FOUND), then 404 staff.not_found problem+json', async () => {
    app.roster.failWith(
      new GrpcCallError(
        `${SERVICE}/GetPosition`,
        GRPC_STATUS.NOT_FOUND,
        'не найдена',
        notFound('staff.not_found', 'Должность не найдена'),
      ),
    );

    const response = await call('/api/v1/staff-positions/position-1');

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(await response.json()).toMatchObject({
      status: 404,
      code: 'staff.not_found',
      detail: 'Должность не найдена',
      instance: '/api/v1/staff-positions/position-1',
    });
  });

  it.each([
    {
      what: 'a hire with an unknown kind, a rate off the 0.25 step and no order',
      method: 'POST',
      path: '/api/v1/schools/school-1/staff-positions',
      body: { personId: 'staff-1', kind: 'janitor', rate: 0.3, hiredOn: '2026-09-01' },
      fields: ['kind', 'order', 'rate'],
    },
    {
      what: 'a hire with a rate of 3 and a date in another format',
      method: 'POST',
      path: '/api/v1/schools/school-1/staff-positions',
      body: { personId: 'staff-1', kind: 'teacher', rate: 3, hiredOn: '01.09.2026', order },
      fields: ['hiredOn', 'rate'],
    },
    {
      what: 'a change without a version and an order without a number',
      method: 'PATCH',
      path: '/api/v1/staff-positions/position-1',
      body: {
        title: 'Учитель математики',
        effectiveOn: '2026-10-01',
        order: { date: '2026-10-01', title: 'О переводе' },
      },
      fields: ['expectedVersion', 'order.number'],
    },
    {
      what: 'a dismissal without a reason',
      method: 'POST',
      path: '/api/v1/staff-positions/position-1/dismiss',
      body: { expectedVersion: 1, dismissedOn: '2026-12-31', order },
      fields: ['reason'],
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

  it('when includeDismissed is not true/false, then 400 naming it, and roster is not called', async () => {
    const response = await call('/api/v1/schools/school-1/staff-positions?includeDismissed=yes');

    expect(response.status).toBe(400);
    expect(((await response.json()) as Problem).errors?.map((e) => e.field)).toEqual(['includeDismissed']);
    expect(app.roster.calls).toHaveLength(0);
  });

  it.each([
    {
      name: 'a second director (ALREADY_EXISTS)',
      error: new GrpcCallError(
        `${SERVICE}/HireStaff`,
        GRPC_STATUS.ALREADY_EXISTS,
        'директор есть',
        conflict(
          'staff.director_taken',
          'В школе уже есть действующий директор: сначала оформите его увольнение приказом',
        ),
      ),
      status: 409,
      code: 'staff.director_taken',
    },
    {
      name: 'a person who is not staff of the school (FAILED_PRECONDITION)',
      error: new GrpcCallError(
        `${SERVICE}/HireStaff`,
        GRPC_STATUS.FAILED_PRECONDITION,
        'не сотрудник',
        precondition('staff.not_staff', 'Назначить на должность можно только сотрудника этой школы', [
          { field: 'personId', message: 'Выберите сотрудника школы (не в архиве)' },
        ]),
      ),
      status: 422,
      code: 'staff.not_staff',
    },
  ])(
    'when roster refuses a hire with $name, then $status with its Russian detail and code',
    async ({ error, status, code }) => {
      app.roster.failWith(error);

      const response = await call('/api/v1/schools/school-1/staff-positions', {
        method: 'POST',
        body: { personId: 'staff-1', kind: 'director', rate: 1, hiredOn: '2026-09-01', order },
      });

      expect(response.status).toBe(status);
      expect(await response.json()).toMatchObject({
        status,
        code,
        detail: (error.domainError as { detail: string }).detail,
      });
    },
  );

  it('when roster answers a stale version of a position, then 409 staff.version_conflict in Russian', async () => {
    app.roster.failWith(
      new GrpcCallError(
        `${SERVICE}/DismissStaff`,
        GRPC_STATUS.ALREADY_EXISTS,
        'версия',
        conflict('staff.version_conflict', 'Должность уже изменили: откройте её заново и повторите'),
      ),
    );

    const response = await call('/api/v1/staff-positions/position-1/dismiss', {
      method: 'POST',
      body: { expectedVersion: 1, dismissedOn: '2026-12-31', order, reason: 'По соглашению сторон' },
    });

    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      code: 'staff.version_conflict',
      detail: 'Должность уже изменили: откройте её заново и повторите',
    });
  });

  // A teacher sees the staff list (names and titles) but keeps no positions: roster refuses.
  it.each([
    {
      rpc: 'HireStaff',
      method: 'POST',
      path: '/api/v1/schools/school-1/staff-positions',
      body: { personId: 'staff-1', kind: 'teacher', rate: 1, hiredOn: '2026-09-01', order },
    },
    {
      rpc: 'ListStaff',
      method: 'GET',
      path: '/api/v1/schools/school-1/staff-positions?includeDismissed=true',
    },
    { rpc: 'ListPositionsOfPerson', method: 'GET', path: '/api/v1/people/staff-1/staff-positions' },
    // A teacher reads an active position (the post only) but not a dismissed one.
    { rpc: 'GetPosition', method: 'GET', path: '/api/v1/staff-positions/position-1' },
    {
      rpc: 'ChangePosition',
      method: 'PATCH',
      path: '/api/v1/staff-positions/position-1',
      body: { expectedVersion: 1, rate: 0.5, effectiveOn: '2026-10-01', order },
    },
    {
      rpc: 'DismissStaff',
      method: 'POST',
      path: '/api/v1/staff-positions/position-1/dismiss',
      body: { expectedVersion: 1, dismissedOn: '2026-12-31', order, reason: 'По собственному желанию' },
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
      expect(app.roster.calls.map((c) => c.method)).toEqual([`staff.${rpc}`]);
    },
  );
});
