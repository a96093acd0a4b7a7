import { GrpcCallError } from '@edu/grpc';
import { GRPC_STATUS, forbidden, type Problem } from '@edu/kit';
import { DEV_USERS, passwordToken } from '@edu/testing';
import { apiCaller, startApp, type RunningApp } from '../helpers';

// Classes through the gateway with a fake roster port and real Keycloak tokens.

const ROSTER = 'edu.roster.v1.RosterService';

describe('gateway: classes', () => {
  let app: RunningApp;
  let token: string;

  beforeAll(async () => {
    token = (await passwordToken(DEV_USERS.schoolAdmin.username, DEV_USERS.schoolAdmin.password))
      .access_token;
    app = await startApp();
  });
  afterAll(() => app.close());
  beforeEach(() => app.roster.reset());

  const call = apiCaller(
    () => app,
    () => token,
  );

  it('when a class is opened, then 201 with Location, nulls for what is not set, and roster got the year from the path', async () => {
    const response = await call('/api/v1/academic-years/year-1/classes', {
      method: 'POST',
      body: { grade: 5, letter: 'А' },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/v1/classes/class-1');
    expect(await response.json()).toMatchObject({
      id: 'class-1',
      name: '5А',
      classTeacherId: null,
      capacity: null,
      version: 1,
    });
    expect(app.roster.calls[0]).toMatchObject({
      method: 'openClass',
      request: { academic_year_id: 'year-1', grade: 5, letter: 'А', capacity: 0 },
    });
  });

  it("when a class is patched, then absent fields are kept and null clears, in roster's terms", async () => {
    await call('/api/v1/classes/class-1', {
      method: 'PATCH',
      body: { expectedVersion: 1, classTeacherId: 'person-7' },
    });
    await call('/api/v1/classes/class-1', {
      method: 'PATCH',
      body: { expectedVersion: 2, capacity: null, classTeacherId: null, close: true },
    });

    expect(app.roster.calls.map((c) => c.request)).toEqual([
      {
        id: 'class-1',
        expected_version: '1',
        letter: '',
        capacity: 0,
        class_teacher_id: 'person-7',
        close: false,
      },
      { id: 'class-1', expected_version: '2', letter: '', capacity: -1, class_teacher_id: '-', close: true },
    ]);
  });

  it('when the grade is 12 and the letter too long, then 400 naming both, and roster is not called', async () => {
    const response = await call('/api/v1/academic-years/year-1/classes', {
      method: 'POST',
      body: { grade: 12, letter: 'АБВГ' },
    });

    expect(response.status).toBe(400);
    expect(((await response.json()) as Problem).errors?.map((e) => e.field).sort()).toEqual([
      'grade',
      'letter',
    ]);
    expect(app.roster.calls).toHaveLength(0);
  });

  it('when roster refuses, then 403; without a token, 401', async () => {
    app.roster.failWith(
      new GrpcCallError(
        `${ROSTER}/ChangeClass`,
        GRPC_STATUS.PERMISSION_DENIED,
        'denied',
        forbidden('access.denied', 'Недостаточно прав'),
      ),
    );

    const refused = await call('/api/v1/classes/class-1', {
      method: 'PATCH',
      body: { expectedVersion: 1, close: true },
    });
    const anonymous = await call('/api/v1/academic-years/year-1/classes', { auth: false });

    expect(refused.status).toBe(403);
    expect(anonymous.status).toBe(401);
  });

  it("when a year's classes and one class are read, then roster gets the ids", async () => {
    expect(await (await call('/api/v1/academic-years/year-3/classes')).json()).toEqual({
      items: [expect.objectContaining({ name: '5А' })],
    });
    expect((await call('/api/v1/classes/class-9')).status).toBe(200);
    expect(app.roster.calls.map((c) => [c.method, c.request])).toEqual([
      ['listClasses', { academic_year_id: 'year-3' }],
      ['getClass', { id: 'class-9' }],
    ]);
  });
});
