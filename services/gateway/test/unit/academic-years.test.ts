import { GrpcCallError } from '@edu/grpc';
import { GRPC_STATUS, forbidden, precondition, type Problem } from '@edu/kit';
import { DEV_USERS, passwordToken } from '@edu/testing';
import { apiCaller, startApp, validPlan, type RunningApp } from '../helpers';

// Academic years through the gateway with a fake roster port and real Keycloak tokens: the
// gateway's part is the contract (validation, names, status codes); roster decides who may.

const ROSTER = 'edu.roster.v1.RosterService';

describe('gateway: academic years', () => {
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

  it('when a plan is posted, then roster gets it in proto names for the school of the path, and 201 with Location and the year', async () => {
    const response = await call('/api/v1/schools/school-1/academic-years', {
      method: 'POST',
      body: validPlan,
      headers: { 'idempotency-key': 'open-year-2026' },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/v1/academic-years/year-1');
    expect(await response.json()).toEqual({
      id: 'year-1',
      schoolId: 'school-1',
      name: '2026/2027',
      status: 'open',
      version: 1,
      createdAt: '2026-08-20T06:00:00.000Z',
      ...validPlan,
      closures: [],
      transfers: [],
      changes: [],
      rolledOverFrom: '',
      rolledOverInto: '',
    });
    const [sent] = app.roster.calls;
    expect(sent).toMatchObject({
      method: 'openAcademicYear',
      request: {
        school_id: 'school-1',
        days: { starts_on: '2026-09-01', ends_on: '2027-05-31' },
        period_schemes: [
          expect.objectContaining({ kind: 'quarter', grades: validPlan.periodSchemes[0]!.grades }),
          expect.objectContaining({ kind: 'half_year', grades: [10, 11] }),
        ],
      },
      options: { idempotencyKey: 'open-year-2026', actorToken: expect.any(String) },
    });
  });

  it('when the plan has a bad date, an unknown kind and a fifth period, then 400 naming each, and roster is not called', async () => {
    const scheme = validPlan.periodSchemes[0]!;
    const response = await call('/api/v1/schools/school-1/academic-years', {
      method: 'POST',
      body: {
        ...validPlan,
        days: { startsOn: '01.09.2026', endsOn: '2027-05-31' },
        periodSchemes: [
          {
            ...scheme,
            kind: 'semester',
            periods: [
              ...scheme.periods,
              { number: 5, days: { startsOn: '2027-06-01', endsOn: '2027-06-02' } },
            ],
          },
        ],
      },
    });

    expect(response.status).toBe(400);
    const problem = (await response.json()) as Problem;
    expect(problem.code).toBe('request.invalid');
    expect(problem.errors?.map((e) => e.field)).toEqual(
      expect.arrayContaining(['days.startsOn', 'periodSchemes[0].kind', 'periodSchemes[0].periods']),
    );
    expect(app.roster.calls).toHaveLength(0);
  });

  it("when roster finds the periods inconsistent, then 422 with roster's Russian errors passed on", async () => {
    const errors = [
      { field: 'periodSchemes[0].periods[1].days', message: 'Пропуск между «2-я четверть» и «3-я четверть»' },
    ];
    app.roster.failWith(
      new GrpcCallError(
        `${ROSTER}/OpenAcademicYear`,
        GRPC_STATUS.FAILED_PRECONDITION,
        'Даты не согласованы',
        precondition(
          'academic_year.calendar_invalid',
          'Даты учебного года, каникул и периодов не согласованы',
          errors,
        ),
      ),
    );

    const response = await call('/api/v1/schools/school-1/academic-years', {
      method: 'POST',
      body: validPlan,
    });

    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      status: 422,
      code: 'academic_year.calendar_invalid',
      errors,
    });
  });

  it('when roster refuses the caller, then 403', async () => {
    app.roster.failWith(
      new GrpcCallError(
        `${ROSTER}/OpenAcademicYear`,
        GRPC_STATUS.PERMISSION_DENIED,
        'denied',
        forbidden('access.denied', 'Недостаточно прав'),
      ),
    );

    const response = await call('/api/v1/schools/school-1/academic-years', {
      method: 'POST',
      body: validPlan,
    });

    expect(response.status).toBe(403);
  });

  it('when no token is sent, then 401 and roster is not called', async () => {
    const response = await call('/api/v1/schools/school-1/academic-years', { auth: false });

    expect(response.status).toBe(401);
    expect(app.roster.calls).toHaveLength(0);
  });

  it("when a year and a school's years are read, then roster gets the ids and the answers are camelCase", async () => {
    const one = await call('/api/v1/academic-years/year-7');
    const list = await call('/api/v1/schools/school-3/academic-years');

    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      id: 'year-7',
      name: '2026/2027',
      periodSchemes: validPlan.periodSchemes,
    });
    expect(await list.json()).toEqual({ items: [expect.objectContaining({ schoolId: 'school-3' })] });
    expect(app.roster.calls.map((c) => [c.method, c.request])).toEqual([
      ['getAcademicYear', { id: 'year-7' }],
      ['listAcademicYears', { school_id: 'school-3' }],
    ]);
  });

  it('when a calendar change is posted with its order, then roster gets it in proto names and the year comes back', async () => {
    const response = await call('/api/v1/academic-years/year-1/calendar-changes', {
      method: 'POST',
      body: {
        expectedVersion: 1,
        order: { number: '45-о', date: '2026-10-20', title: 'О продлении осенних каникул' },
        holidays: validPlan.holidays,
        periodSchemes: validPlan.periodSchemes,
        closures: [{ reason: 'Карантин', days: { startsOn: '2027-02-01', endsOn: '2027-02-07' } }],
        transfers: [{ date: '2027-02-13', worksAs: 1 }],
      },
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 'year-1', version: 2, closures: [], changes: [] });
    expect(app.roster.calls[0]).toMatchObject({
      method: 'changeCalendar',
      request: {
        academic_year_id: 'year-1',
        expected_version: '1',
        order: { number: '45-о', date: '2026-10-20' },
        closures: [
          { reason: 'Карантин', days: { starts_on: '2027-02-01', ends_on: '2027-02-07' }, grades: [] },
        ],
        transfers: [{ date: '2027-02-13', works_as: 1 }],
      },
    });
  });

  it('when a calendar change has no order and a transfer to Sunday, then 400 naming both, and roster is not called', async () => {
    const response = await call('/api/v1/academic-years/year-1/calendar-changes', {
      method: 'POST',
      body: {
        expectedVersion: 1,
        periodSchemes: validPlan.periodSchemes,
        transfers: [{ date: '2027-02-13', worksAs: 7 }],
      },
    });

    expect(response.status).toBe(400);
    expect(((await response.json()) as Problem).errors?.map((e) => e.field)).toEqual(
      expect.arrayContaining(['order', 'transfers[0].worksAs']),
    );
    expect(app.roster.calls).toHaveLength(0);
  });

  const order = { number: '120', date: '2027-06-20', title: 'О переводе обучающихся' };

  it('when a year is closed with its version and order, then roster gets them and the closed year comes back', async () => {
    const response = await call('/api/v1/academic-years/year-1/close', {
      method: 'POST',
      body: { expectedVersion: 3, order },
      headers: { 'idempotency-key': 'close-2026' },
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 'year-1', status: 'closed', version: 2 });
    expect(app.roster.calls[0]).toMatchObject({
      method: 'yearEnd.CloseAcademicYear',
      request: { academic_year_id: 'year-1', expected_version: '3', order },
      options: { idempotencyKey: 'close-2026' },
    });
  });

  it('when closing has no order, then 400 and roster is not called', async () => {
    const response = await call('/api/v1/academic-years/year-1/close', {
      method: 'POST',
      body: { expectedVersion: 3 },
    });

    expect(response.status).toBe(400);
    expect(((await response.json()) as Problem).errors?.map((e) => e.field)).toContain('order');
    expect(app.roster.calls).toHaveLength(0);
  });

  it('when the year is not over yet, then 422 with roster’s Russian reason', async () => {
    app.roster.failWith(
      new GrpcCallError(
        `${ROSTER}/CloseAcademicYear`,
        GRPC_STATUS.FAILED_PRECONDITION,
        'not over',
        precondition('academic_year.not_over', 'Учебный год 2026/2027 заканчивается 31.05.2027'),
      ),
    );

    const response = await call('/api/v1/academic-years/year-1/close', {
      method: 'POST',
      body: { expectedVersion: 1, order },
    });

    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      code: 'academic_year.not_over',
      detail: expect.stringContaining('31.05.2027'),
    });
  });

  it('when a dry run of the rollover is asked, then 200 with the summary in camelCase and no Location', async () => {
    const response = await call('/api/v1/academic-years/year-1/rollovers', {
      method: 'POST',
      body: { order, dryRun: true, graduatingGrades: [9, 11], keepSubgroupsOfClassIds: ['class-5a'] },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.json()).toMatchObject({
      dryRun: true,
      toName: '2027/2028',
      classes: [{ fromName: '5А', toName: '6А', outcome: 'promoted', students: 25 }],
      studentsPromoted: 25,
    });
    expect(app.roster.calls[0]).toMatchObject({
      method: 'yearEnd.RolloverAcademicYear',
      request: {
        from_academic_year_id: 'year-1',
        dry_run: true,
        graduating_grades: [9, 11],
        keep_subgroups_of_class_ids: ['class-5a'],
        order,
      },
    });
  });

  it('when the rollover runs, then 201 with the new year’s Location and a long deadline for roster', async () => {
    const before = Date.now();
    const response = await call('/api/v1/academic-years/year-1/rollovers', {
      method: 'POST',
      body: { order },
      headers: { 'idempotency-key': 'rollover-2026' },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/v1/academic-years/year-next');
    const { options } = app.roster.calls[0]!;
    expect(options).toMatchObject({ idempotencyKey: 'rollover-2026' });
    expect((options as unknown as { deadline: Date }).deadline.getTime()).toBeGreaterThanOrEqual(
      before + 100_000,
    );
  });

  it('when a teacher asks for a rollover, then roster’s refusal is 403 and a graduating grade of 12 is 400 before roster', async () => {
    app.roster.failWith(
      new GrpcCallError(
        `${ROSTER}/RolloverAcademicYear`,
        GRPC_STATUS.PERMISSION_DENIED,
        'denied',
        forbidden('access.denied', 'Недостаточно прав'),
      ),
    );
    const refused = await call('/api/v1/academic-years/year-1/rollovers', {
      method: 'POST',
      body: { order },
    });
    app.roster.reset();
    const invalid = await call('/api/v1/academic-years/year-1/rollovers', {
      method: 'POST',
      body: { order, graduatingGrades: [12] },
    });

    expect(refused.status).toBe(403);
    expect(invalid.status).toBe(400);
    expect(app.roster.calls).toHaveLength(0);
  });
  it('when the register of orders is read, then roster gets the year and the orders come as items in camelCase', async () => {
    const response = await call('/api/v1/academic-years/year-1/orders');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      items: [
        {
          order: { number: '1-у', date: '2026-08-28', title: 'О зачислении' },
          acts: [{ kind: 'enrolled', personIds: ['person-1'], classIds: ['class-1'], summary: [] }],
        },
      ],
    });
    expect(app.roster.calls).toMatchObject([
      { method: 'registers.ListOrders', request: { academic_year_id: 'year-1' } },
    ]);
  });

  it('when head counts are read, then they come in camelCase; a refusal by roster is 403', async () => {
    const counts = await call('/api/v1/academic-years/year-1/counts');
    app.roster.failWith(
      new GrpcCallError(
        `${ROSTER}/GetSchoolCounts`,
        GRPC_STATUS.PERMISSION_DENIED,
        'denied',
        forbidden('access.denied', 'Недостаточно прав'),
      ),
    );
    const refused = await call('/api/v1/academic-years/year-1/counts');

    expect(counts.status).toBe(200);
    expect(await counts.json()).toEqual({
      schoolId: 'school-1',
      academicYearId: 'year-1',
      grades: [{ grade: 5, classes: 2, students: 50 }],
      classes: 2,
      students: 50,
      staff: 3,
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Problem).code).toBe('access.denied');
  });
});
