import { ActorVerifier, GrpcCallError } from '@edu/grpc';
import { GRPC_STATUS, conflict, forbidden, notFound, precondition, type Problem } from '@edu/kit';
import { actorKeys, apiCaller, devAccessToken, startApp, type RunningApp } from '../helpers';

// Guardianship and consents through the gateway with a fake roster port and real Keycloak tokens.

const SERVICE = 'edu.roster.v1.GuardianshipService';
const PROBLEM_JSON = /^application\/problem\+json/;

describe('gateway: guardianships', () => {
  let app: RunningApp;
  let adminToken: string;
  let guardianToken: string;
  let token: string;
  const call = apiCaller(
    () => app,
    () => token,
  );

  beforeAll(async () => {
    [adminToken, guardianToken] = await Promise.all([
      devAccessToken('schoolAdmin'),
      devAccessToken('guardian'),
    ]);
    app = await startApp();
  });
  afterAll(() => app.close());
  beforeEach(() => {
    app.roster.reset();
    token = adminToken;
  });

  it('when a guardian is linked to a student, then roster gets the student from the path in proto names with the idempotency key, and 201 answers the link with its Location', async () => {
    const response = await call('/api/v1/people/person-1/guardians', {
      method: 'POST',
      body: { guardianId: 'guardian-1', kind: 'mother' },
      headers: { 'idempotency-key': 'link-mother-0001' },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/v1/guardianships/link-1');
    expect(await response.json()).toEqual({
      id: 'link-1',
      schoolId: 'school-1',
      guardianId: 'guardian-1',
      studentId: 'person-1',
      kind: 'mother',
      status: 'active',
      consentActive: false,
      consents: [],
      linkedAt: '2026-09-01T06:00:00.000Z',
      linkedBy: 'account-1',
      endedOn: '',
      endReason: '',
      endedBy: '',
      endedAt: '',
      version: 1,
    });
    expect(app.roster.calls).toHaveLength(1);
    expect(app.roster.calls[0]).toMatchObject({
      method: 'guardianships.LinkGuardian',
      request: { student_id: 'person-1', guardian_id: 'guardian-1', kind: 'mother' },
      options: { idempotencyKey: 'link-mother-0001', traceId: expect.any(String) },
    });
  });

  it('when a consent is recorded, revoked and the link ended, then each carries the version as a string and the link id from the path', async () => {
    const recorded = await call('/api/v1/guardianships/link-1/consents', {
      method: 'POST',
      body: { expectedVersion: 1, givenOn: '2026-09-01', document: 'Заявление № 15 от 01.09.2026' },
    });
    await call('/api/v1/guardianships/link-1/revoke-consent', {
      method: 'POST',
      body: { expectedVersion: 2, revokedOn: '2026-10-01', reason: 'Заявление об отзыве № 20' },
    });
    const ended = await call('/api/v1/guardianships/link-1/unlink', {
      method: 'POST',
      body: { expectedVersion: 3, endedOn: '2026-11-01', reason: 'Решение суда' },
      headers: { 'idempotency-key': 'unlink-link-1-0001' },
    });

    expect(recorded.status).toBe(200);
    expect(await recorded.json()).toMatchObject({
      consentActive: true,
      consents: [{ givenOn: '2026-09-01', document: 'Заявление № 15 от 01.09.2026', revokedOn: '' }],
      version: 2,
    });
    expect(await ended.json()).toMatchObject({
      status: 'ended',
      endedOn: '2026-11-01',
      endReason: 'Решение суда',
      version: 2,
    });
    expect(app.roster.calls.map((c) => [c.method, c.request])).toEqual([
      [
        'guardianships.RecordConsent',
        {
          expected_version: '1',
          given_on: '2026-09-01',
          document: 'Заявление № 15 от 01.09.2026',
          guardianship_id: 'link-1',
        },
      ],
      [
        'guardianships.RevokeConsent',
        {
          expected_version: '2',
          revoked_on: '2026-10-01',
          reason: 'Заявление об отзыве № 20',
          guardianship_id: 'link-1',
        },
      ],
      [
        'guardianships.UnlinkGuardian',
        { expected_version: '3', ended_on: '2026-11-01', reason: 'Решение суда', guardianship_id: 'link-1' },
      ],
    ]);
    expect(app.roster.calls[2]!.options.idempotencyKey).toBe('unlink-link-1-0001');
  });

  it("when a student's guardians and a guardian's children are listed, then items carry the link and the names only", async () => {
    const guardians = await call('/api/v1/people/person-1/guardians');
    const children = await call('/api/v1/people/guardian-1/children');

    expect(guardians.status).toBe(200);
    expect(await guardians.json()).toEqual({
      items: [
        {
          guardianship: expect.objectContaining({ id: 'link-1', studentId: 'person-1', version: 1 }),
          guardian: {
            id: 'guardian-1',
            schoolId: 'school-1',
            lastName: 'Иванова',
            firstName: 'Мария',
            middleName: '',
          },
        },
      ],
    });
    expect(await children.json()).toEqual({
      items: [
        {
          guardianship: expect.objectContaining({ guardianId: 'guardian-1' }),
          student: expect.objectContaining({ id: 'person-1', lastName: 'Иванов' }),
        },
      ],
    });
    expect(app.roster.calls.map((c) => [c.method, c.request, c.options.idempotencyKey])).toEqual([
      ['guardianships.ListGuardians', { student_id: 'person-1' }, undefined],
      ['guardianships.ListChildren', { guardian_id: 'guardian-1' }, undefined],
    ]);
  });

  it('when a link is read by the Location of its creation, then roster gets the id without an idempotency key, and 200 answers the link in camelCase', async () => {
    const linked = await call('/api/v1/people/person-1/guardians', {
      method: 'POST',
      body: { guardianId: 'guardian-1', kind: 'mother' },
    });
    app.roster.reset();

    const response = await call(linked.headers.get('location')!);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: 'link-1',
      schoolId: 'school-1',
      guardianId: 'guardian-1',
      studentId: 'person-1',
      kind: 'mother',
      status: 'active',
      consentActive: false,
      consents: [],
      linkedAt: '2026-09-01T06:00:00.000Z',
      linkedBy: 'account-1',
      endedOn: '',
      endReason: '',
      endedBy: '',
      endedAt: '',
      version: 1,
    });
    expect(app.roster.calls).toEqual([
      expect.objectContaining({
        method: 'guardianships.GetGuardianship',
        request: { guardianship_id: 'link-1' },
      }),
    ]);
    expect(app.roster.calls[0]!.options.idempotencyKey).toBeUndefined();
  });

  // Roster hides a link from everyone who may not read it, whatever their role: 404, never 403.
  it('when a guardian reads a link that is not theirs and roster hides it (NOT_FOUND), then 404 guardianship.not_found problem+json, and roster saw the guardian', async () => {
    token = guardianToken;
    app.roster.failWith(
      new GrpcCallError(
        `${SERVICE}/GetGuardianship`,
        GRPC_STATUS.NOT_FOUND,
        'не найдена',
        notFound('guardianship.not_found', 'Связь с родителем (законным представителем) не найдена'),
      ),
    );

    const response = await call('/api/v1/guardianships/link-1');

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(await response.json()).toMatchObject({
      status: 404,
      code: 'guardianship.not_found',
      detail: 'Связь с родителем (законным представителем) не найдена',
      instance: '/api/v1/guardianships/link-1',
    });
    const actor = await new ActorVerifier({
      publicKeys: { [actorKeys.kid]: actorKeys.publicKeyPem },
    }).verify(app.roster.calls[0]!.options.actorToken);
    expect(actor).toMatchObject({ grants: [], schoolRoles: [] });
  });

  it.each([
    {
      what: 'an unknown kind and no guardian',
      path: '/api/v1/people/person-1/guardians',
      body: { kind: 'aunt' },
      fields: ['guardianId', 'kind'],
    },
    {
      what: 'a consent without a version, with a bad date and an empty document',
      path: '/api/v1/guardianships/link-1/consents',
      body: { givenOn: '01.09.2026', document: '' },
      fields: ['document', 'expectedVersion', 'givenOn'],
    },
    {
      what: 'a revocation with a version of 0 and an unknown field',
      path: '/api/v1/guardianships/link-1/revoke-consent',
      body: { expectedVersion: 0, revokedOn: '2026-10-01', reason: 'Отзыв', comment: 'x' },
      fields: ['comment', 'expectedVersion'],
    },
    {
      what: 'an unlink without a date and reason',
      path: '/api/v1/guardianships/link-1/unlink',
      body: { expectedVersion: 1 },
      fields: ['endedOn', 'reason'],
    },
  ])(
    'when $what is sent, then 400 naming each field, and roster is not called',
    async ({ path, body, fields }) => {
      const response = await call(path, { method: 'POST', body });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const problem = (await response.json()) as Problem;
      expect(problem).toMatchObject({ code: 'request.invalid', title: 'Некорректные данные' });
      expect(problem.errors?.map((e) => e.field).sort()).toEqual(fields);
      expect(app.roster.calls).toHaveLength(0);
    },
  );

  it('when the Idempotency-Key is too short, then 400 naming the header, and roster is not called', async () => {
    const response = await call('/api/v1/people/person-1/guardians', {
      method: 'POST',
      body: { guardianId: 'guardian-1', kind: 'father' },
      headers: { 'idempotency-key': 'short' },
    });

    expect(response.status).toBe(400);
    expect(((await response.json()) as Problem).errors).toEqual([
      { field: 'Idempotency-Key', message: 'Слишком короткое значение' },
    ]);
    expect(app.roster.calls).toHaveLength(0);
  });

  it.each([
    {
      name: 'a stale version (ALREADY_EXISTS with the domain error)',
      error: new GrpcCallError(
        `${SERVICE}/RecordConsent`,
        GRPC_STATUS.ALREADY_EXISTS,
        'уже изменили',
        conflict(
          'guardianship.version_conflict',
          'Связь с родителем (законным представителем) уже изменили: откройте её заново и повторите',
        ),
      ),
      status: 409,
      code: 'guardianship.version_conflict',
      detail: 'Связь с родителем (законным представителем) уже изменили: откройте её заново и повторите',
    },
    {
      name: 'a consent already in effect (FAILED_PRECONDITION)',
      error: new GrpcCallError(
        `${SERVICE}/RecordConsent`,
        GRPC_STATUS.FAILED_PRECONDITION,
        'уже действует',
        precondition(
          'guardianship.consent_active',
          'Согласие уже действует: чтобы записать новое, сначала отзовите действующее',
        ),
      ),
      status: 422,
      code: 'guardianship.consent_active',
      detail: 'Согласие уже действует: чтобы записать новое, сначала отзовите действующее',
    },
    {
      name: 'a bare ABORTED (no domain error)',
      error: new GrpcCallError(`${SERVICE}/RecordConsent`, GRPC_STATUS.ABORTED, 'aborted'),
      status: 409,
      code: 'grpc.aborted',
      detail: 'Данные уже изменили: откройте их заново и повторите.',
    },
    {
      name: 'a bare FAILED_PRECONDITION (no domain error)',
      error: new GrpcCallError(`${SERVICE}/RecordConsent`, GRPC_STATUS.FAILED_PRECONDITION, 'failed'),
      status: 422,
      code: 'grpc.failed_precondition',
      detail: 'Действие сейчас невозможно в таком состоянии данных.',
    },
    {
      name: 'a link it hides (NOT_FOUND)',
      error: new GrpcCallError(
        `${SERVICE}/RecordConsent`,
        GRPC_STATUS.NOT_FOUND,
        'не найдена',
        notFound('guardianship.not_found', 'Связь с родителем (законным представителем) не найдена'),
      ),
      status: 404,
      code: 'guardianship.not_found',
      detail: 'Связь с родителем (законным представителем) не найдена',
    },
  ])(
    'when roster answers $name, then $status problem+json with the Russian detail and stable code',
    async ({ error, status, code, detail }) => {
      app.roster.failWith(error);

      const response = await call('/api/v1/guardianships/link-1/consents', {
        method: 'POST',
        body: { expectedVersion: 1, givenOn: '2026-09-01', document: 'Заявление № 15' },
      });

      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({
        status,
        code,
        detail,
        instance: '/api/v1/guardianships/link-1/consents',
      });
    },
  );

  // A guardian may read their own links but keeps none: roster refuses, the gateway passes it on.
  it.each([
    {
      rpc: 'LinkGuardian',
      method: 'POST',
      path: '/api/v1/people/person-1/guardians',
      body: { guardianId: 'guardian-1', kind: 'mother' },
    },
    { rpc: 'ListGuardians', method: 'GET', path: '/api/v1/people/person-1/guardians' },
    { rpc: 'ListChildren', method: 'GET', path: '/api/v1/people/guardian-1/children' },
    {
      rpc: 'RecordConsent',
      method: 'POST',
      path: '/api/v1/guardianships/link-1/consents',
      body: { expectedVersion: 1, givenOn: '2026-09-01', document: 'Заявление' },
    },
    {
      rpc: 'RevokeConsent',
      method: 'POST',
      path: '/api/v1/guardianships/link-1/revoke-consent',
      body: { expectedVersion: 2, revokedOn: '2026-10-01', reason: 'Отзыв' },
    },
    {
      rpc: 'UnlinkGuardian',
      method: 'POST',
      path: '/api/v1/guardianships/link-1/unlink',
      body: { expectedVersion: 2, endedOn: '2026-10-01', reason: 'Суд' },
    },
  ])(
    'when a guardian calls $method $path and roster refuses ($rpc), then 403 access.denied in Russian, and roster saw the guardian',
    async ({ method, path, body, rpc }) => {
      token = guardianToken;
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
        status: 403,
        code: 'access.denied',
        title: 'Доступ запрещён',
        detail: 'Недостаточно прав для этого действия',
      });
      const actor = await new ActorVerifier({
        publicKeys: { [actorKeys.kid]: actorKeys.publicKeyPem },
      }).verify(app.roster.calls[0]!.options.actorToken);
      expect(actor).toMatchObject({ grants: [], schoolRoles: [] });
    },
  );

  it('when no token is sent, then 401 and roster is not called', async () => {
    const response = await call('/api/v1/people/person-1/guardians', { auth: false });

    expect(response.status).toBe(401);
    expect(app.roster.calls).toHaveLength(0);
  });
});
