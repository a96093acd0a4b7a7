import { GrpcCallError } from '@edu/grpc';
import { GRPC_STATUS, forbidden, invalid, type Problem } from '@edu/kit';
import { apiCaller, devAccessToken, startApp, type RunningApp } from '../helpers';

// Bell schedules through the gateway with a fake schedule port and real Keycloak tokens: the
// gateway's part is the contract (names, validation before schedule, status codes).

const SERVICE = 'edu.schedule.v1.ScheduleService';
const PROBLEM_JSON = /^application\/problem\+json/;

const LESSONS = [
  { number: 1, startsAt: '08:00', endsAt: '08:40' },
  { number: 2, startsAt: '08:50', endsAt: '09:30' },
];

describe('gateway: bell schedules', () => {
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

  it('when a shift’s bells are set, then schedule gets the school, the shift from the path, the lessons in proto names and the version as text; the answer is camelCase', async () => {
    const response = await call('/api/v1/schools/school-1/bell-schedules/1', {
      method: 'PUT',
      body: { expectedVersion: 0, name: 'Основное', lessons: LESSONS },
      headers: { 'idempotency-key': 'bells-school-1-shift-1' },
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      schoolId: 'school-1',
      shift: 1,
      version: 1,
      lessons: [{ number: 1, startsAt: '08:00', endsAt: '08:40', minutes: 40, breakAfterMinutes: 10 }, {}],
    });
    expect(app.schedule.calls).toMatchObject([
      {
        method: 'SetBellSchedule',
        request: {
          school_id: 'school-1',
          shift: 1,
          name: 'Основное',
          expected_version: '0',
          lessons: [
            { number: 1, starts_at: '08:00', ends_at: '08:40' },
            { number: 2, starts_at: '08:50', ends_at: '09:30' },
          ],
        },
        options: { idempotencyKey: 'bells-school-1-shift-1' },
      },
    ]);
  });

  it('when one shift and all of a school are read, then schedule gets the school and the shift', async () => {
    const one = await call('/api/v1/schools/school-1/bell-schedules/2');
    const all = await call('/api/v1/schools/school-1/bell-schedules');

    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ shift: 2, name: 'Основное' });
    expect(await all.json()).toMatchObject({ items: [{ shift: 1 }] });
    expect(app.schedule.calls.map((c) => [c.method, c.request])).toEqual([
      ['GetBellSchedule', { school_id: 'school-1', shift: 2 }],
      ['ListBellSchedules', { school_id: 'school-1' }],
    ]);
  });

  it.each([
    {
      what: 'a third shift',
      path: '/api/v1/schools/school-1/bell-schedules/3',
      body: { expectedVersion: 0, lessons: LESSONS },
      fields: ['shift'],
    },
    {
      what: 'a time of 8:00 and no version',
      path: '/api/v1/schools/school-1/bell-schedules/1',
      body: { lessons: [{ number: 1, startsAt: '8:00', endsAt: '08:40' }] },
      fields: ['expectedVersion', 'lessons[0].startsAt'],
    },
  ])(
    'when $what is sent, then 400 naming each field, and schedule is not called',
    async ({ path, body, fields }) => {
      const response = await call(path, { method: 'PUT', body });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const problem = (await response.json()) as Problem;
      expect(problem.errors?.map((e) => e.field).sort()).toEqual([...fields].sort());
      expect(app.schedule.calls).toHaveLength(0);
    },
  );

  it('when schedule finds overlapping lessons, then 400 with its Russian detail and the lessons named', async () => {
    app.schedule.failWith(
      new GrpcCallError(
        `${SERVICE}/SetBellSchedule`,
        GRPC_STATUS.INVALID_ARGUMENT,
        'overlap',
        invalid('bells.overlap', 'Уроки накладываются друг на друга', [
          { field: 'lessons[1].startsAt', message: '2-й урок начинается раньше, чем закончился 1-й' },
        ]),
      ),
    );

    const response = await call('/api/v1/schools/school-1/bell-schedules/1', {
      method: 'PUT',
      body: { expectedVersion: 0, lessons: LESSONS },
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'bells.overlap',
      errors: [{ field: 'lessons[1].startsAt' }],
    });
  });

  it('when a teacher sets the bells and schedule refuses, then 403 access.denied', async () => {
    token = await devAccessToken('teacher');
    app.schedule.failWith(
      new GrpcCallError(
        `${SERVICE}/SetBellSchedule`,
        GRPC_STATUS.PERMISSION_DENIED,
        'denied',
        forbidden('access.denied', 'Недостаточно прав для этого действия'),
      ),
    );

    const response = await call('/api/v1/schools/school-1/bell-schedules/1', {
      method: 'PUT',
      body: { expectedVersion: 0, lessons: LESSONS },
    });
    token = await devAccessToken('schoolAdmin');

    expect(response.status).toBe(403);
    expect(((await response.json()) as Problem).code).toBe('access.denied');
  });
});
