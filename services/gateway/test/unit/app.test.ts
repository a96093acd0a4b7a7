import { decodeJwt } from 'jose';
import { ActorSigner, ActorVerifier, GrpcCallError } from '@edu/grpc';
import { GRPC_STATUS, conflict, createMetrics, forbidden, notFound, type Problem } from '@edu/kit';
import { createTestUser, deleteTestUser, DEV_USERS, passwordToken } from '@edu/testing';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { createTokenVerifier } from '../../src/auth/token-verifier';
import { openApiDocument } from '../../src/entry-points/http/openapi';
import { schemaValidator } from '../../src/entry-points/http/validation';
import {
  actorKeys,
  captureLogs,
  defaultOptions,
  fakeRoster,
  fakeSchedule,
  startApp,
  validCard,
  type RunningApp,
} from '../helpers';
import { fakeGradebook } from '../gradebook.fake';
import { fakeDiary } from '../diary.fake';
import { fakeNotifications } from '../notifications.fake';
import { fakeIdentity } from '../identity.fake';

// The app with a fake roster port and the real local Keycloak: real access tokens of the dev
// users (and of a test user with school roles), verified against the realm's JWKS. Roster's own
// decisions (who may do what) are faked as the gRPC errors libs/grpc's client raises.

const PROBLEM_JSON = /^application\/problem\+json/;

/** The problem+json body of an answer. */
const problemOf = async (response: Response) => (await response.json()) as Problem;
const ROSTER = 'edu.roster.v1.RosterService';

describe('gateway HTTP API', () => {
  let app: RunningApp;
  let operatorToken: string;
  let teacherToken: string;

  beforeAll(async () => {
    [operatorToken, teacherToken] = await Promise.all([
      passwordToken(DEV_USERS.operator.username, DEV_USERS.operator.password).then((t) => t.access_token),
      passwordToken(DEV_USERS.teacher.username, DEV_USERS.teacher.password).then((t) => t.access_token),
    ]);
    app = await startApp();
    // Identity (faked) knows the dev operator as a region operator, as its bootstrap grant makes it.
    app.identity.setActor(String(decodeJwt(operatorToken).sub), {
      schoolRoles: [],
      grants: ['regionOperator'],
    });
  });
  afterAll(() => app.close());
  beforeEach(() => {
    app.roster.reset();
    app.identity.reset();
  });

  const call = (
    path: string,
    {
      method = 'GET',
      token,
      body,
      headers = {},
    }: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${app.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });

  describe('authentication', () => {
    it('when no token is sent, then 401 problem+json with WWW-Authenticate Bearer, and roster is not called', async () => {
      const response = await call('/api/v1/schools');

      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="edu"');
      expect(await response.json()).toMatchObject({ status: 401, code: 'auth.unauthenticated' });
      expect(app.roster.calls).toHaveLength(0);
    });

    it('when a garbage token is sent, then 401 with error="invalid_token", and the token is echoed neither in the answer nor in the log', async () => {
      const garbage = 'eyJhbGciOiJSUzI1NiJ9.Z2FyYmFnZS10b2tlbi12YWx1ZQ.c2lnbmF0dXJl';

      const response = await call('/api/v1/schools', { token: garbage });

      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="edu", error="invalid_token"');
      const text = await response.text();
      expect(text).not.toContain(garbage);
      expect(app.logs.raw()).not.toContain(garbage);
      expect(app.logs.lines()).toContainEqual(expect.objectContaining({ event: 'token_rejected' }));
    });

    it('when the Authorization header is not a Bearer token, then 401', async () => {
      const response = await call('/api/v1/schools', { headers: { authorization: 'Basic ZGV2OmRldg==' } });

      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
    });

    it('when the realm keys cannot be fetched, then 503 problem+json rather than 401', async () => {
      const offline = await startApp({
        verifyToken: createTokenVerifier({
          issuer: 'http://127.0.0.1:8180/realms/edu',
          audience: 'edu-gateway',
          jwksUrl: 'http://127.0.0.1:1/certs',
        }),
      });
      try {
        const response = await fetch(`${offline.url}/api/v1/schools`, {
          headers: { authorization: `Bearer ${operatorToken}` },
        });

        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({ code: 'auth.unavailable' });
      } finally {
        await offline.close();
      }
    });
  });

  describe('POST /api/v1/schools', () => {
    it('when the operator sends a valid card, then 201 with Location and the card back as it was sent', async () => {
      // Empty strings mean "without limit" and "not yet assigned"; they come back as sent.
      const card = {
        ...validCard,
        accreditation: { number: 'А007-01212-24/00654321', issuedOn: '2016-05-01', validUntil: '' },
        municipalityId: 'krasnoyarsk',
      };

      const response = await call('/api/v1/schools', { method: 'POST', token: operatorToken, body: card });

      expect(response.status).toBe(201);
      expect(response.headers.get('location')).toBe('/api/v1/schools/school-1');
      const body = await response.json();
      expect(body).toEqual({ ...card, id: 'school-1', version: 1, createdAt: '2025-01-15T08:30:00.000Z' });
      const validSchool = schemaValidator('School');
      expect(validSchool(body)).toBe(true);
    });

    it('when a card is created, then roster gets it in proto names, with the signed actor, the trace id and the idempotency key', async () => {
      const response = await call('/api/v1/schools', {
        method: 'POST',
        token: operatorToken,
        body: {
          ...validCard,
          accreditation: { number: 'А-1', issuedOn: '2021-05-20' },
          municipalityId: 'm-7',
        },
        headers: { 'idempotency-key': 'create-school-0001', 'x-request-id': 'req-create-1' },
      });

      expect(response.status).toBe(201);
      expect(response.headers.get('x-request-id')).toBe('req-create-1');
      const [received] = app.roster.calls;
      expect(received?.method).toBe('createSchool');
      expect(received?.request).toEqual({
        school: {
          full_name: validCard.fullName,
          short_name: validCard.shortName,
          inn: validCard.inn,
          ogrn: validCard.ogrn,
          address: validCard.address,
          time_zone: validCard.timeZone,
          licence: {
            number: validCard.licence.number,
            issued_on: '2020-09-01',
            issued_by: validCard.licence.issuedBy,
          },
          accreditation: { number: 'А-1', issued_on: '2021-05-20', valid_until: '' },
          municipality_id: 'm-7',
        },
      });
      expect(received?.options).toMatchObject({
        traceId: 'req-create-1',
        idempotencyKey: 'create-school-0001',
      });
      // The body was parsed from stream events; the request's context must have survived them.
      expect(received?.contextTraceId).toBe('req-create-1');
      const actor = await new ActorVerifier({
        publicKeys: { [actorKeys.kid]: actorKeys.publicKeyPem },
      }).verify(received!.options.actorToken);
      expect(actor).toMatchObject({ grants: ['regionOperator'], schoolRoles: [] });
      expect(actor.accountId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('when no Idempotency-Key is sent, then roster gets none', async () => {
      await call('/api/v1/schools', { method: 'POST', token: operatorToken, body: validCard });

      expect(app.roster.calls[0]?.options).not.toHaveProperty('idempotencyKey');
    });

    it('when the card has bad, missing and unknown fields, then 400 naming each field, and roster is not called', async () => {
      const { address: _address, ...withoutAddress } = validCard;

      const response = await call('/api/v1/schools', {
        method: 'POST',
        token: operatorToken,
        body: {
          ...withoutAddress,
          inn: '12345',
          licence: { ...validCard.licence, issuedOn: '01.09.2020' },
          extra: 1,
        },
      });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const problem = await problemOf(response);
      expect(problem).toMatchObject({ status: 400, code: 'request.invalid' });
      expect(problem.errors?.map((e) => e.field).sort()).toEqual(
        ['address', 'extra', 'inn', 'licence.issuedOn'].sort(),
      );
      expect(app.roster.calls).toHaveLength(0);
    });

    it('when the Idempotency-Key is too short, then 400 naming the header', async () => {
      const response = await call('/api/v1/schools', {
        method: 'POST',
        token: operatorToken,
        body: validCard,
        headers: { 'idempotency-key': 'short' },
      });

      expect(response.status).toBe(400);
      expect((await problemOf(response)).errors).toEqual([
        { field: 'Idempotency-Key', message: 'Слишком короткое значение' },
      ]);
    });

    it('when the body is not valid JSON, then 400 request.malformed_json', async () => {
      const response = await call('/api/v1/schools', {
        method: 'POST',
        token: operatorToken,
        body: '{"fullName": ',
      });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({ code: 'request.malformed_json' });
    });

    it('when the body is larger than the limit, then 413 request.too_large', async () => {
      const response = await call('/api/v1/schools', {
        method: 'POST',
        token: operatorToken,
        body: { ...validCard, fullName: 'Ш'.repeat(5000) },
      });

      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({ status: 413, code: 'request.too_large' });
      expect(app.roster.calls).toHaveLength(0);
    });

    it('when the body is not JSON at all, then 415', async () => {
      const response = await call('/api/v1/schools', {
        method: 'POST',
        token: operatorToken,
        headers: { 'content-type': 'text/plain' },
        body: 'fullName=Школа',
      });

      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({ code: 'request.unsupported_media_type' });
    });
  });

  describe('GET /api/v1/schools/:id and GET /api/v1/schools', () => {
    it('when the operator reads a school, then 200 with the card, and roster got the id', async () => {
      const response = await call('/api/v1/schools/school-1', { token: operatorToken });

      expect(response.status).toBe(200);
      expect(schemaValidator('School')(await response.json())).toBe(true);
      expect(app.roster.calls[0]).toMatchObject({ method: 'getSchool', request: { id: 'school-1' } });
    });

    it('when the operator lists schools with paging, then roster gets the page and the answer is {items, nextPageToken}', async () => {
      const response = await call('/api/v1/schools?pageSize=2&pageToken=abc', { token: operatorToken });

      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body).toMatchObject({ nextPageToken: 'next-1', items: [{ id: 'school-1' }] });
      expect(app.roster.calls[0]?.request).toEqual({ page_size: 2, page_token: 'abc' });
    });

    it('when the card is changed with its version, then roster gets the id, the version as text and the card; without a version it is 400 before roster', async () => {
      const changed = await call('/api/v1/schools/school-1', {
        method: 'PUT',
        token: operatorToken,
        body: { ...validCard, address: '660002, г. Красноярск, ул. Новая, д. 2', expectedVersion: 1 },
      });
      const noVersion = await call('/api/v1/schools/school-1', {
        method: 'PUT',
        token: operatorToken,
        body: validCard,
      });

      expect(changed.status).toBe(200);
      expect(await changed.json()).toMatchObject({
        address: '660002, г. Красноярск, ул. Новая, д. 2',
        version: 2,
      });
      expect(app.roster.calls).toHaveLength(1);
      expect(app.roster.calls[0]).toMatchObject({
        method: 'changeSchool',
        request: { id: 'school-1', expected_version: '1', school: { inn: validCard.inn } },
      });
      expect(noVersion.status).toBe(400);
      expect((await problemOf(noVersion)).errors).toEqual([
        expect.objectContaining({ field: 'expectedVersion' }),
      ]);
    });

    it('when roster refuses a change of the card (a teacher of the school), then 403 access.denied', async () => {
      app.roster.failWith(
        new GrpcCallError(
          `${ROSTER}/ChangeSchool`,
          GRPC_STATUS.PERMISSION_DENIED,
          'denied',
          forbidden('access.denied', 'Недостаточно прав для этого действия'),
        ),
      );

      const response = await call('/api/v1/schools/school-1', {
        method: 'PUT',
        token: operatorToken,
        body: { ...validCard, expectedVersion: 1 },
      });

      expect(response.status).toBe(403);
      expect(await problemOf(response)).toMatchObject({ code: 'access.denied' });
    });

    it('when no paging is given, then roster gets its defaults (0 and "")', async () => {
      await call('/api/v1/schools', { token: operatorToken });

      expect(app.roster.calls[0]?.request).toEqual({ page_size: 0, page_token: '' });
    });

    it('when pageSize is not a number or out of range, then 400 naming pageSize', async () => {
      const [text, big] = await Promise.all([
        call('/api/v1/schools?pageSize=abc', { token: operatorToken }),
        call('/api/v1/schools?pageSize=500', { token: operatorToken }),
      ]);

      expect(text.status).toBe(400);
      expect((await problemOf(text)).errors).toEqual([
        { field: 'pageSize', message: 'Ожидается целое число' },
      ]);
      expect(big.status).toBe(400);
      expect((await problemOf(big)).errors).toEqual([
        { field: 'pageSize', message: 'Значение вне допустимого диапазона' },
      ]);
    });
  });

  describe('errors of roster', () => {
    // As libs/grpc's client raises them: the status, its details, and the remote DomainError
    // read from the x-edu-error trailer when the service sent one.
    it.each([
      {
        name: 'NOT_FOUND with a domain error',
        error: new GrpcCallError(
          `${ROSTER}/GetSchool`,
          GRPC_STATUS.NOT_FOUND,
          'Школа не найдена',
          notFound('school.not_found', 'Школа не найдена'),
        ),
        status: 404,
        code: 'school.not_found',
        title: 'Не найдено',
      },
      {
        name: 'ALREADY_EXISTS (conflict)',
        error: new GrpcCallError(
          `${ROSTER}/GetSchool`,
          GRPC_STATUS.ALREADY_EXISTS,
          'Школа с ИНН 7707083893 уже есть в системе',
          conflict('school.inn_taken', 'Школа с ИНН 7707083893 уже есть в системе'),
        ),
        status: 409,
        code: 'school.inn_taken',
        title: 'Конфликт данных',
      },
      {
        name: 'bare PERMISSION_DENIED',
        error: new GrpcCallError(`${ROSTER}/GetSchool`, GRPC_STATUS.PERMISSION_DENIED, 'denied'),
        status: 403,
        code: 'grpc.permission_denied',
        title: 'Доступ запрещён',
      },
      {
        name: 'UNAVAILABLE',
        error: new GrpcCallError(`${ROSTER}/GetSchool`, GRPC_STATUS.UNAVAILABLE, 'No connection established'),
        status: 503,
        code: 'grpc.unavailable',
        title: 'Сервис временно недоступен',
      },
      {
        name: 'DEADLINE_EXCEEDED',
        error: new GrpcCallError(`${ROSTER}/GetSchool`, GRPC_STATUS.DEADLINE_EXCEEDED, 'Deadline exceeded'),
        status: 504,
        code: 'grpc.deadline_exceeded',
        title: 'Сервис не ответил вовремя',
      },
    ])(
      'when roster answers $name, then $status problem+json with a Russian title',
      async ({ error, status, code, title }) => {
        app.roster.failWith(error);

        const response = await call('/api/v1/schools/school-1', { token: operatorToken });

        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
        expect(await response.json()).toMatchObject({
          status,
          code,
          title,
          instance: '/api/v1/schools/school-1',
        });
      },
    );

    it('when something unexpected fails, then 500 problem+json without message or stack, and the stack is in the log', async () => {
      app.roster.failWith(new Error('секрет: mongodb://admin:pw@db/x'));

      const response = await call('/api/v1/schools/school-1', { token: operatorToken });

      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ status: 500, code: 'internal', title: 'Внутренняя ошибка' });
      expect(text).not.toMatch(/секрет|mongodb|at .*\.ts|Error:/);
      const logged = app.logs.lines().find((line) => line.msg === 'request failed');
      expect(JSON.stringify(logged)).toContain('stack');
    });
  });

  // Who may do what is roster's decision (a teacher may not open schools, and sees only the
  // schools they work in); the gateway must pass its refusal on as 403 problem+json.
  describe('authorization decided by roster', () => {
    it.each([
      {
        endpoint: 'POST /api/v1/schools',
        method: 'POST',
        path: '/api/v1/schools',
        body: validCard,
        rpc: 'CreateSchool',
      },
      {
        endpoint: 'GET /api/v1/schools/:id',
        method: 'GET',
        path: '/api/v1/schools/school-1',
        rpc: 'GetSchool',
      },
      { endpoint: 'GET /api/v1/schools', method: 'GET', path: '/api/v1/schools', rpc: 'ListSchools' },
    ])(
      'when a teacher calls $endpoint and roster refuses, then 403 problem+json, and roster saw an actor without grants',
      async ({ method, path, body, rpc }) => {
        app.roster.failWith(
          new GrpcCallError(
            `${ROSTER}/${rpc}`,
            GRPC_STATUS.PERMISSION_DENIED,
            'Недостаточно прав для этого действия',
            forbidden('access.denied', 'Недостаточно прав для этого действия'),
          ),
        );

        const response = await call(path, { method, token: teacherToken, body });

        expect(response.status).toBe(403);
        expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
        expect(await response.json()).toMatchObject({
          status: 403,
          code: 'access.denied',
          title: 'Доступ запрещён',
        });
        const actor = await new ActorVerifier({
          publicKeys: { [actorKeys.kid]: actorKeys.publicKeyPem },
        }).verify(app.roster.calls[0]!.options.actorToken);
        expect(actor.grants).toEqual([]);
      },
    );

    it('when a user calls, then identity resolves the account (asked as the gateway) and roster gets the actor identity gave', async () => {
      const user = await createTestUser();
      try {
        app.identity.setActor(user.id, {
          personId: 'person-7f3e',
          schoolRoles: [
            { schoolId: 'school-1', role: 'deputy' },
            { schoolId: 'school-2', role: 'teacher' },
          ],
          grants: ['schoolAdmin:school-1'],
        });
        const response = await call('/api/v1/schools/school-1', { token: await user.token() });

        expect(response.status).toBe(200);
        const verifier = new ActorVerifier({ publicKeys: { [actorKeys.kid]: actorKeys.publicKeyPem } });
        const actor = await verifier.verify(app.roster.calls[0]!.options.actorToken);
        expect(actor).toEqual({
          accountId: user.id,
          personId: 'person-7f3e',
          schoolRoles: [
            { schoolId: 'school-1', role: 'deputy' },
            { schoolId: 'school-2', role: 'teacher' },
          ],
          grants: ['schoolAdmin:school-1'],
        });
        const resolve = app.identity.calls.find((c) => c.method === 'ResolveActor')!;
        expect(resolve.request).toEqual({ keycloak_sub: user.id, esia_oid: '' });
        expect(await verifier.verify(resolve.options.actorToken)).toMatchObject({
          accountId: 'service:gateway',
          grants: ['service:gateway'],
        });
      } finally {
        await deleteTestUser(user);
      }
    });

    it('when the same user calls again, then the cached actor is used and identity is not asked again', async () => {
      const user = await createTestUser();
      try {
        const token = await user.token();
        expect((await call('/api/v1/schools/school-1', { token })).status).toBe(200);
        expect((await call('/api/v1/schools/school-1', { token })).status).toBe(200);

        expect(app.identity.calls.filter((c) => c.method === 'ResolveActor')).toHaveLength(1);
        expect(app.roster.calls).toHaveLength(2);
      } finally {
        await deleteTestUser(user);
      }
    });

    it('when identity cannot be reached, then 503 problem+json rather than 401, and roster is not called', async () => {
      const user = await createTestUser();
      try {
        app.identity.failResolveWith(new Error('14 UNAVAILABLE: No connection established'));
        const response = await call('/api/v1/schools/school-1', { token: await user.token() });

        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({ code: 'auth.unavailable' });
        expect(app.roster.calls).toEqual([]);
      } finally {
        await deleteTestUser(user);
      }
    });
  });

  describe('HTTP hygiene', () => {
    it('when any answer is sent, then it has the security headers and no X-Powered-By', async () => {
      const [ok, refused] = await Promise.all([
        call('/api/v1/schools/school-1', { token: operatorToken }),
        call('/api/v1/schools'),
      ]);

      for (const response of [ok, refused]) {
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('x-frame-options')).toBe('DENY');
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
        expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
        expect(response.headers.get('content-security-policy')).toBe(
          "default-src 'none'; frame-ancestors 'none'",
        );
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(response.headers.get('x-powered-by')).toBeNull();
        expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
      }
    });

    it('when a valid traceparent is sent, then its trace id is the request id and reaches roster', async () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

      const response = await call('/api/v1/schools/school-1', {
        token: operatorToken,
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      });

      expect(response.headers.get('x-request-id')).toBe(traceId);
      expect(app.roster.calls[0]?.options.traceId).toBe(traceId);
    });

    it('when an X-Request-Id with unsafe characters is sent, then a fresh id is used instead', async () => {
      const response = await call('/api/v1/schools', { headers: { 'x-request-id': 'abc"}{\\' } });

      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    });

    it('when a route does not exist, then 404 problem+json', async () => {
      const response = await call('/api/v1/nothing-here', { token: operatorToken });

      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({ status: 404, code: 'request.not_found' });
    });

    it('when a known path is called with another method, then 405 with Allow', async () => {
      const response = await call('/api/v1/schools', { method: 'DELETE', token: operatorToken });

      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST, GET');
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
    });

    it('when a route is called in another letter case, then 404 (routes are case-sensitive like the document)', async () => {
      const response = await call('/API/V1/SCHOOLS', {
        method: 'POST',
        token: operatorToken,
        body: { junk: true },
      });

      expect(response.status).toBe(404);
      expect(app.roster.calls).toHaveLength(0);
    });

    it('when requests are answered, then they are counted per route template and status', async () => {
      await call('/api/v1/schools/school-42', { token: operatorToken });
      await call('/api/v1/schools/school-43');

      const metrics = await app.metrics.registry.getSingleMetricAsString('http_requests_total');
      expect(metrics).toContain('http_requests_total{route="/api/v1/schools/:id",method="GET",status="200"}');
      expect(metrics).toContain('http_requests_total{route="/api/v1/schools/:id",method="GET",status="401"}');
      expect(metrics).not.toContain('school-42');
    });
  });

  describe('CORS', () => {
    it('when an allowed origin calls, then the answer allows it; a refused origin gets no CORS headers', async () => {
      const [allowed, refused] = await Promise.all([
        call('/api/v1/schools/school-1', {
          token: operatorToken,
          headers: { origin: 'https://journal.example' },
        }),
        call('/api/v1/schools/school-1', {
          token: operatorToken,
          headers: { origin: 'https://evil.example' },
        }),
      ]);

      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://journal.example');
      expect(allowed.headers.get('access-control-expose-headers')).toContain('Location');
      expect(allowed.headers.get('vary')).toContain('Origin');
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      expect(refused.headers.get('access-control-expose-headers')).toBeNull();
    });

    it('when a browser sends a preflight without a token, then an allowed origin gets 204 with methods and headers, a refused one 204 without', async () => {
      const preflight = (origin: string) =>
        call('/api/v1/schools', {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization, content-type, idempotency-key',
          },
        });

      const [allowed, refused] = await Promise.all([
        preflight('https://journal.example'),
        preflight('https://evil.example'),
      ]);

      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://journal.example');
      expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
      expect(allowed.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
      expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
      expect(refused.status).toBe(204);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      expect(refused.headers.get('access-control-allow-methods')).toBeNull();
    });
  });

  describe('rate limit', () => {
    it('when a client spends its burst, then 429 problem+json with Retry-After, and another user is not affected', async () => {
      const limited = await startApp({
        options: { rateLimitBurst: 2, rateLimitPerMinute: 60, now: () => 0 },
      });
      try {
        const get = (token: string) =>
          fetch(`${limited.url}/api/v1/schools/school-1`, { headers: { authorization: `Bearer ${token}` } });

        const statuses = [(await get(operatorToken)).status, (await get(operatorToken)).status];
        const refused = await get(operatorToken);
        const other = await get(teacherToken);

        expect(statuses).toEqual([200, 200]);
        expect(refused.status).toBe(429);
        expect(refused.headers.get('retry-after')).toBe('1');
        expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
        expect(await refused.json()).toMatchObject({ status: 429, code: 'request.rate_limited' });
        expect(other.status).toBe(200);
      } finally {
        await limited.close();
      }
    });

    it('when an anonymous caller keeps sending bad tokens, then it is limited by address', async () => {
      const limited = await startApp({
        options: { rateLimitBurst: 2, rateLimitPerMinute: 60, now: () => 0 },
      });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) {
          statuses.push(
            (await fetch(`${limited.url}/api/v1/schools`, { headers: { authorization: 'Bearer x.y.z' } }))
              .status,
          );
        }

        expect(statuses).toEqual([401, 401, 429]);
      } finally {
        await limited.close();
      }
    });
  });

  describe('OpenAPI document', () => {
    it('when /api/openapi.json is fetched without a token, then the document is served', async () => {
      const response = await call('/api/openapi.json');

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
    });

    it('when the app is built, then every route it serves is in the document, and every operation of the document is served', () => {
      const served = routesOf(
        createApp({
          verifyToken: async () => ({}),
          resolveActor: async () => ({ accountId: 'account-1', schoolRoles: [], grants: [] }),
          identity: fakeIdentity().port,
          roster: fakeRoster().port,
          schedule: fakeSchedule().port,
          gradebook: fakeGradebook().port,
          diary: fakeDiary().port,
          notifications: fakeNotifications().port,
          signer: new ActorSigner({ privateKey: actorKeys.privateKeyPem, kid: actorKeys.kid }),
          logger: captureLogs().logger,
          metrics: createMetrics('gateway-test'),
          options: defaultOptions,
        }),
      );
      const documented = Object.entries(openApiDocument.paths).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      );

      expect(served.length).toBeGreaterThan(0);
      expect(served.sort()).toEqual(documented.sort());
    });
  });
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** `METHOD /path/{param}` of every route of an express app, nested routers included. */
function routesOf(app: Express): string[] {
  const walk = (stack: Layer[]): string[] =>
    stack.flatMap((layer) => {
      if (layer.route) {
        const path = layer.route.path.replace(/:(\w+)/g, '{$1}');
        return Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${path}`);
      }
      return layer.handle?.stack ? walk(layer.handle.stack) : [];
    });
  return walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
}
