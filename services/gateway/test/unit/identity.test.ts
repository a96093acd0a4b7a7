import { ActorVerifier, GrpcCallError } from '@edu/grpc';
import { GRPC_STATUS, conflict, forbidden, notFound, type Problem } from '@edu/kit';
import { openApiDocument } from '../../src/entry-points/http/openapi';
import { identityPaths } from '../../src/entry-points/http/identity.openapi';
import { actorKeys, apiCaller, devAccessToken, startApp, type RunningApp } from '../helpers';

// Accounts through the gateway with a fake identity port and real Keycloak tokens: the gateway's
// part is the contract (names both ways, validation before the service, status codes, no caching
// of secrets); who may do what is identity's decision, faked here as its gRPC errors.

const SERVICE = 'edu.identity.v1.IdentityService';
const PROBLEM_JSON = /^application\/problem\+json/;
const DENIED_DETAIL = 'Недостаточно прав для этого действия';

const identityForbidden = (method: string) =>
  new GrpcCallError(
    `${SERVICE}/${method}`,
    GRPC_STATUS.PERMISSION_DENIED,
    'refused',
    forbidden('identity.forbidden', DENIED_DETAIL),
  );

const validTemporaryLogin = {
  studentId: 'student-1',
  reason: 'Нет подтверждённой учётной записи на Госуслугах',
  documentRef: 'Заявление № 15 от 20.11.2026',
  validDays: 30,
};

const validGrant = { role: 'schoolAdmin', scopeId: 'school-1', reason: 'Приказ № 12 от 01.09.2026' };

/** The `sub` (Keycloak user id) of an access token. */
function subOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as {
    sub: string;
  };
  return payload.sub;
}

const verifier = new ActorVerifier({ publicKeys: { [actorKeys.kid]: actorKeys.publicKeyPem } });

describe('gateway: accounts (identity)', () => {
  let app: RunningApp;
  let adminToken: string;
  let teacherToken: string;
  let operatorToken: string;
  let token: string;
  const call = apiCaller(
    () => app,
    () => token,
  );
  /** What identity got, besides the gateway's own ResolveActor on each request. */
  const served = () => app.identity.calls.filter((c) => c.method !== 'ResolveActor');
  const requests = () => served().map((c) => [c.method, c.request]);

  /** Expects a 400 problem naming these fields, with identity not called. */
  async function expectRefused(response: Response, errors: { field: string; message?: string }[]) {
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
    const problem = (await response.json()) as Problem;
    expect(problem).toMatchObject({ status: 400, code: 'request.invalid', detail: 'Проверьте поля запроса' });
    expect(problem.errors).toEqual(expect.arrayContaining(errors.map((e) => expect.objectContaining(e))));
    expect(served()).toHaveLength(0);
  }

  /** Expects identity's refusal passed on as 403 problem+json with its code and Russian detail. */
  async function expectForbidden(response: Response, instance: string) {
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(await response.json()).toMatchObject({
      status: 403,
      code: 'identity.forbidden',
      title: 'Доступ запрещён',
      detail: DENIED_DETAIL,
      instance,
    });
  }

  beforeAll(async () => {
    [adminToken, teacherToken, operatorToken] = await Promise.all([
      devAccessToken('schoolAdmin'),
      devAccessToken('teacher'),
      devAccessToken('operator'),
    ]);
    app = await startApp();
    app.identity.setActor(subOf(adminToken), {
      personId: 'staff-admin',
      schoolRoles: [{ schoolId: 'school-1', role: 'schoolAdmin' }],
      grants: ['schoolAdmin:school-1'],
    });
    app.identity.setActor(subOf(teacherToken), {
      personId: 'staff-teacher',
      schoolRoles: [{ schoolId: 'school-1', role: 'teacher' }],
      grants: [],
    });
    app.identity.setActor(subOf(operatorToken), { schoolRoles: [], grants: ['regionOperator'] });
  });
  afterAll(() => app.close());
  beforeEach(() => {
    app.identity.reset();
    token = adminToken;
  });

  describe('the caller’s own account', () => {
    it('when /me is read, then identity gets GetMe with the signed actor and the trace id; the answer is in camelCase', async () => {
      const response = await call('/api/v1/me', { headers: { 'x-request-id': 'trace-me-1' } });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        accountId: 'account-1',
        personId: 'guardian-1',
        displayName: 'Иванова Мария Петровна',
        schoolRoles: [],
        grants: [],
        children: [
          {
            personId: 'student-1',
            schoolId: 'school-1',
            displayName: 'Иванов Пётр Сергеевич',
            kind: 'legal_representative',
            consentActive: true,
          },
        ],
        loginKind: 'esia',
        esiaTrusted: true,
      });
      expect(requests()).toEqual([['GetMe', {}]]);
      const [sent] = served();
      expect(sent!.options.traceId).toBe('trace-me-1');
      expect(sent!.contextTraceId).toBe('trace-me-1');
      const actor = await verifier.verify(sent!.options.actorToken);
      expect(actor).toMatchObject({
        accountId: subOf(adminToken),
        personId: 'staff-admin',
        schoolRoles: [{ schoolId: 'school-1', role: 'schoolAdmin' }],
        grants: ['schoolAdmin:school-1'],
      });
    });
  });

  describe('temporary student logins', () => {
    const PATH = '/api/v1/schools/school-1/temporary-logins';

    it('when a school admin issues one, then identity gets it in proto names; 201 with Location, no-store and the one-time password', async () => {
      const response = await call(PATH, {
        method: 'POST',
        body: validTemporaryLogin,
        headers: { 'idempotency-key': 'issue-login-0001', 'x-request-id': 'trace-issue-1' },
      });

      expect(response.status).toBe(201);
      expect(response.headers.get('location')).toBe('/api/v1/temporary-logins/tl-1');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({
        login: {
          temporaryLoginId: 'tl-1',
          schoolId: 'school-1',
          studentId: 'student-1',
          username: 't-school1-k3x9qa',
          reason: validTemporaryLogin.reason,
          documentRef: validTemporaryLogin.documentRef,
          status: 'active',
          issuedAt: '2026-11-23T07:00:00.000Z',
          expiresAt: '2027-02-21T07:00:00.000Z',
          endedAt: '',
          issuedBy: 'account-admin',
        },
        oneTimePassword: 'Vr7-kq2M-xP4t',
      });
      expect(requests()).toEqual([
        [
          'IssueTemporaryLogin',
          {
            school_id: 'school-1',
            student_id: 'student-1',
            reason: validTemporaryLogin.reason,
            document_ref: validTemporaryLogin.documentRef,
            valid_days: 30,
          },
        ],
      ]);
      const [sent] = served();
      expect(sent!.options).toMatchObject({ idempotencyKey: 'issue-login-0001', traceId: 'trace-issue-1' });
      expect(sent!.contextTraceId).toBe('trace-issue-1');
      expect(await verifier.verify(sent!.options.actorToken)).toMatchObject({
        accountId: subOf(adminToken),
        grants: ['schoolAdmin:school-1'],
      });
    });

    it('when validDays is not given, then identity gets 0 (its default of 90 days) and no idempotency key', async () => {
      const { validDays: _validDays, ...withoutDays } = validTemporaryLogin;

      const response = await call(PATH, { method: 'POST', body: withoutDays });

      expect(response.status).toBe(201);
      expect(served()[0]!.request).toMatchObject({ valid_days: 0 });
      expect(served()[0]!.options).not.toHaveProperty('idempotencyKey');
    });

    it('when reason and documentRef are missing, then 400 naming both, and identity is not called', async () => {
      await expectRefused(await call(PATH, { method: 'POST', body: { studentId: 'student-1' } }), [
        { field: 'reason', message: 'Обязательное поле' },
        { field: 'documentRef', message: 'Обязательное поле' },
      ]);
    });

    it.each([
      [{ validDays: 0 }, 'validDays', 'Значение вне допустимого диапазона'],
      [{ validDays: 91 }, 'validDays', 'Значение вне допустимого диапазона'],
      [{ validDays: 1.5 }, 'validDays', 'Ожидается целое число'],
      [{ reason: '' }, 'reason', 'Слишком короткое значение'],
      [{ reason: 'x'.repeat(501) }, 'reason', 'Слишком длинное значение'],
      [{ documentRef: 'x'.repeat(201) }, 'documentRef', 'Слишком длинное значение'],
      [{ studentId: '' }, 'studentId', 'Слишком короткое значение'],
      [{ password: 'my-own' }, 'password', 'Неизвестное поле'],
    ])(
      'when the body has %j, then 400 naming %s, and identity is not called',
      async (change, field, message) => {
        await expectRefused(
          await call(PATH, { method: 'POST', body: { ...validTemporaryLogin, ...change } }),
          [{ field, message }],
        );
      },
    );

    it('when validDays is 1 or 90, then it is accepted as given', async () => {
      for (const validDays of [1, 90]) {
        const response = await call(PATH, { method: 'POST', body: { ...validTemporaryLogin, validDays } });
        expect(response.status).toBe(201);
      }
      expect(served().map((c) => (c.request as { valid_days: number }).valid_days)).toEqual([1, 90]);
    });

    it('when a teacher issues one, then identity’s refusal is 403 identity.forbidden in Russian, with no password', async () => {
      token = teacherToken;
      app.identity.failWith(identityForbidden('IssueTemporaryLogin'));

      const response = await call(PATH, { method: 'POST', body: validTemporaryLogin });

      await expectForbidden(response, PATH);
      const [sent] = served();
      expect(await verifier.verify(sent!.options.actorToken)).toMatchObject({
        accountId: subOf(teacherToken),
        schoolRoles: [{ schoolId: 'school-1', role: 'teacher' }],
        grants: [],
      });
    });

    it('when the logins of a school are listed with includeEnded=true, then identity gets include_ended; the answer is in camelCase', async () => {
      const response = await call(`${PATH}?includeEnded=true`);

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        logins: [
          expect.objectContaining({ temporaryLoginId: 'tl-1', documentRef: validTemporaryLogin.documentRef }),
        ],
      });
      expect(requests()).toEqual([['ListTemporaryLogins', { school_id: 'school-1', include_ended: true }]]);
    });

    it('when they are listed without includeEnded, then only active ones are asked for', async () => {
      const response = await call(PATH);

      expect(response.status).toBe(200);
      expect(requests()).toEqual([['ListTemporaryLogins', { school_id: 'school-1', include_ended: false }]]);
    });

    it('when includeEnded is not true or false, then 400 naming it', async () => {
      await expectRefused(await call(`${PATH}?includeEnded=yes`), [
        { field: 'includeEnded', message: 'Неверное значение' },
      ]);
    });

    it('when one is revoked, then identity gets its id and the reason; the answer is the revoked login', async () => {
      const response = await call('/api/v1/temporary-logins/tl-1/revoke', {
        method: 'POST',
        body: { reason: 'Заявление родителя об отзыве' },
        headers: { 'idempotency-key': 'revoke-login-0001' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        temporaryLoginId: 'tl-1',
        status: 'revoked',
        endedAt: '2026-11-24T07:00:00.000Z',
      });
      expect(requests()).toEqual([
        ['RevokeTemporaryLogin', { temporary_login_id: 'tl-1', reason: 'Заявление родителя об отзыве' }],
      ]);
      expect(served()[0]!.options).toMatchObject({ idempotencyKey: 'revoke-login-0001' });
    });

    it('when one is revoked without a reason, then 400 naming reason', async () => {
      await expectRefused(await call('/api/v1/temporary-logins/tl-1/revoke', { method: 'POST', body: {} }), [
        { field: 'reason', message: 'Обязательное поле' },
      ]);
    });

    it('when an unknown one is revoked, then identity’s NOT_FOUND is 404 problem+json', async () => {
      app.identity.failWith(
        new GrpcCallError(
          `${SERVICE}/RevokeTemporaryLogin`,
          GRPC_STATUS.NOT_FOUND,
          'not found',
          notFound('identity.temporary_login_not_found', 'Временный логин не найден'),
        ),
      );

      const response = await call('/api/v1/temporary-logins/tl-9/revoke', {
        method: 'POST',
        body: { reason: 'Ошибка' },
      });

      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({
        code: 'identity.temporary_login_not_found',
        detail: 'Временный логин не найден',
      });
    });
  });

  describe('link candidates, invitations and links', () => {
    it('when a school’s candidates are listed, then identity gets the school; the answer is in camelCase', async () => {
      const response = await call('/api/v1/schools/school-1/link-candidates');

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        candidates: [
          {
            candidateId: 'candidate-1',
            schoolId: 'school-1',
            accountId: 'account-2',
            personId: 'student-2',
            personDisplayName: 'Петров Иван Андреевич',
            status: 'pending',
            createdAt: '2026-11-23T07:00:00.000Z',
          },
        ],
      });
      expect(requests()).toEqual([['ListLinkCandidates', { school_id: 'school-1' }]]);
    });

    it('when a school id is too long, then 400 naming schoolId', async () => {
      await expectRefused(await call(`/api/v1/schools/${'s'.repeat(65)}/link-candidates`), [
        { field: 'schoolId', message: 'Слишком длинное значение' },
      ]);
    });

    it.each([
      ['confirm', 'confirmed'],
      ['reject', 'rejected'],
    ])(
      'when a candidate is decided %s, then identity gets the decision; the answer is the candidate %s',
      async (decision, status) => {
        const response = await call('/api/v1/link-candidates/candidate-1/decision', {
          method: 'POST',
          body: { decision },
        });

        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ candidateId: 'candidate-1', status });
        expect(requests()).toEqual([['DecideLinkCandidate', { candidate_id: 'candidate-1', decision }]]);
      },
    );

    it.each([
      [{ decision: 'maybe' }, 'decision', 'Неверное значение'],
      [{ decision: 'CONFIRM' }, 'decision', 'Неверное значение'],
      [{}, 'decision', 'Обязательное поле'],
    ])('when the decision is %j, then 400 naming decision', async (body, field, message) => {
      await expectRefused(
        await call('/api/v1/link-candidates/candidate-1/decision', { method: 'POST', body }),
        [{ field, message }],
      );
    });

    it('when a decision was already made, then identity’s conflict is 409 problem+json', async () => {
      app.identity.failWith(
        new GrpcCallError(
          `${SERVICE}/DecideLinkCandidate`,
          GRPC_STATUS.ALREADY_EXISTS,
          'decided',
          conflict('identity.candidate_decided', 'Решение по кандидату уже принято'),
        ),
      );

      const response = await call('/api/v1/link-candidates/candidate-1/decision', {
        method: 'POST',
        body: { decision: 'confirm' },
      });

      expect(response.status).toBe(409);
      expect(await response.json()).toMatchObject({
        code: 'identity.candidate_decided',
        detail: 'Решение по кандидату уже принято',
      });
    });

    it('when a class teacher issues an invitation, then identity gets the person and school; 201 no-store with the code', async () => {
      token = teacherToken;

      const response = await call('/api/v1/invitations', {
        method: 'POST',
        body: { personId: 'guardian-1', schoolId: 'school-1' },
        headers: { 'idempotency-key': 'invite-0001' },
      });

      expect(response.status).toBe(201);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({
        invitationId: 'invitation-1',
        personId: 'guardian-1',
        code: 'K3X9-QA7M-2PZD',
        expiresAt: '2026-12-07T07:00:00.000Z',
      });
      expect(requests()).toEqual([['IssueInvitation', { person_id: 'guardian-1', school_id: 'school-1' }]]);
      expect(served()[0]!.options).toMatchObject({ idempotencyKey: 'invite-0001' });
    });

    it('when an invitation misses its school, then 400 naming schoolId', async () => {
      await expectRefused(
        await call('/api/v1/invitations', { method: 'POST', body: { personId: 'guardian-1' } }),
        [{ field: 'schoolId', message: 'Обязательное поле' }],
      );
    });

    it('when a code is redeemed, then identity gets it; the answer is the linked account', async () => {
      const response = await call('/api/v1/invitations/redeem', {
        method: 'POST',
        body: { code: 'K3X9-QA7M-2PZD' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        accountId: 'account-1',
        personId: 'person-1',
        linkedBy: 'invitation',
        esiaOid: '',
        linkedAt: '2026-11-23T07:00:00.000Z',
      });
      expect(requests()).toEqual([['RedeemInvitation', { code: 'K3X9-QA7M-2PZD' }]]);
    });

    it.each([
      [{}, 'code', 'Обязательное поле'],
      [{ code: '' }, 'code', 'Слишком короткое значение'],
      [{ code: 12345 }, 'code', 'Ожидается строка'],
    ])('when the redeemed body is %j, then 400 naming code', async (body, field, message) => {
      await expectRefused(await call('/api/v1/invitations/redeem', { method: 'POST', body }), [
        { field, message },
      ]);
    });

    it('when an account is linked, then identity gets the account, person and reason', async () => {
      token = operatorToken;

      const response = await call('/api/v1/accounts/account-7/link', {
        method: 'POST',
        body: { personId: 'staff-7', reason: 'Приказ о приёме № 15-к' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        accountId: 'account-7',
        personId: 'staff-7',
        linkedBy: 'provisioned',
      });
      expect(requests()).toEqual([
        ['LinkAccount', { account_id: 'account-7', person_id: 'staff-7', reason: 'Приказ о приёме № 15-к' }],
      ]);
      expect(await verifier.verify(served()[0]!.options.actorToken)).toMatchObject({
        accountId: subOf(operatorToken),
        grants: ['regionOperator'],
      });
    });

    it('when an account is linked without a reason, then 400 naming reason', async () => {
      await expectRefused(
        await call('/api/v1/accounts/account-7/link', { method: 'POST', body: { personId: 'staff-7' } }),
        [{ field: 'reason', message: 'Обязательное поле' }],
      );
    });

    it('when an account is unlinked, then identity gets the account and reason; the answer has no person', async () => {
      const response = await call('/api/v1/accounts/account-7/unlink', {
        method: 'POST',
        body: { reason: 'Ошибочная связь' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ accountId: 'account-7', personId: '', linkedBy: '' });
      expect(requests()).toEqual([['UnlinkAccount', { account_id: 'account-7', reason: 'Ошибочная связь' }]]);
    });

    it('when an account is unlinked with an unknown field, then 400 naming it', async () => {
      await expectRefused(
        await call('/api/v1/accounts/account-7/unlink', {
          method: 'POST',
          body: { reason: 'Ошибочная связь', personId: 'staff-7' },
        }),
        [{ field: 'personId', message: 'Неизвестное поле' }],
      );
    });
  });

  describe('grants', () => {
    beforeEach(() => {
      token = operatorToken;
    });

    it('when an account’s grants are listed, then identity gets the account and no scope', async () => {
      const response = await call('/api/v1/accounts/account-1/grants');

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        grants: [
          {
            grantId: 'grant-1',
            accountId: 'account-1',
            role: 'schoolAdmin',
            scopeId: 'school-1',
            reason: 'Приказ № 12 от 01.09.2026',
            status: 'active',
            givenAt: '2026-11-23T07:00:00.000Z',
          },
        ],
      });
      expect(requests()).toEqual([['ListGrants', { account_id: 'account-1', scope_id: '' }]]);
    });

    it('when a region operator gives a grant, then identity gets it in proto names; 201 with Location', async () => {
      const response = await call('/api/v1/accounts/account-5/grants', {
        method: 'POST',
        body: validGrant,
        headers: { 'idempotency-key': 'grant-0001', 'x-request-id': 'trace-grant-1' },
      });

      expect(response.status).toBe(201);
      expect(response.headers.get('location')).toBe('/api/v1/grants/grant-1');
      expect(await response.json()).toMatchObject({
        grantId: 'grant-1',
        accountId: 'account-5',
        role: 'schoolAdmin',
        scopeId: 'school-1',
        reason: validGrant.reason,
      });
      expect(requests()).toEqual([
        [
          'GiveGrant',
          { account_id: 'account-5', role: 'schoolAdmin', scope_id: 'school-1', reason: validGrant.reason },
        ],
      ]);
      expect(served()[0]!.options).toMatchObject({ idempotencyKey: 'grant-0001', traceId: 'trace-grant-1' });
    });

    it('when regionOperator is given without a scope, then identity gets an empty scope', async () => {
      const response = await call('/api/v1/accounts/account-5/grants', {
        method: 'POST',
        body: { role: 'regionOperator', reason: 'Распоряжение № 3' },
      });

      expect(response.status).toBe(201);
      expect(served()[0]!.request).toEqual({
        account_id: 'account-5',
        role: 'regionOperator',
        scope_id: '',
        reason: 'Распоряжение № 3',
      });
    });

    it.each([
      [{ role: 'superAdmin' }, 'role', 'Неверное значение'],
      [{ role: 'regionoperator' }, 'role', 'Неверное значение'],
      [{ reason: '' }, 'reason', 'Слишком короткое значение'],
      [{ scopeId: 's'.repeat(65) }, 'scopeId', 'Слишком длинное значение'],
    ])('when the grant has %j, then 400 naming %s', async (change, field, message) => {
      await expectRefused(
        await call('/api/v1/accounts/account-5/grants', {
          method: 'POST',
          body: { ...validGrant, ...change },
        }),
        [{ field, message }],
      );
    });

    it('when a grant misses its role and reason, then 400 naming both', async () => {
      await expectRefused(
        await call('/api/v1/accounts/account-5/grants', { method: 'POST', body: { scopeId: 'school-1' } }),
        [
          { field: 'role', message: 'Обязательное поле' },
          { field: 'reason', message: 'Обязательное поле' },
        ],
      );
    });

    it('when a school admin gives a grant, then identity’s refusal is 403 identity.forbidden in Russian', async () => {
      token = adminToken;
      app.identity.failWith(identityForbidden('GiveGrant'));

      const response = await call('/api/v1/accounts/account-5/grants', { method: 'POST', body: validGrant });

      await expectForbidden(response, '/api/v1/accounts/account-5/grants');
      expect(response.headers.get('location')).toBeNull();
    });

    it('when a grant is revoked, then identity gets its id and the reason', async () => {
      const response = await call('/api/v1/grants/grant-1/revoke', {
        method: 'POST',
        body: { reason: 'Приказ № 20 от 01.11.2026' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ grantId: 'grant-1', status: 'revoked' });
      expect(requests()).toEqual([
        ['RevokeGrant', { grant_id: 'grant-1', reason: 'Приказ № 20 от 01.11.2026' }],
      ]);
    });

    it('when a grant is revoked without a reason, then 400 naming reason', async () => {
      await expectRefused(await call('/api/v1/grants/grant-1/revoke', { method: 'POST', body: {} }), [
        { field: 'reason', message: 'Обязательное поле' },
      ]);
    });
  });

  describe('control: deadlines and the login audit', () => {
    it('when the deadlines are read for a day, then identity gets the school and the day; the answer is in camelCase', async () => {
      const response = await call('/api/v1/schools/school-1/account-deadlines?on=2026-11-23');

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        overdue: [
          {
            personId: 'student-3',
            displayName: 'Сидоров Олег',
            kind: 'student',
            since: '2026-11-16',
            workingDays: 6,
          },
        ],
      });
      expect(requests()).toEqual([['ListAccountDeadlines', { school_id: 'school-1', on: '2026-11-23' }]]);
    });

    it('when the deadlines are read without a day, then identity gets "" (today in the school)', async () => {
      await call('/api/v1/schools/school-1/account-deadlines');

      expect(requests()).toEqual([['ListAccountDeadlines', { school_id: 'school-1', on: '' }]]);
    });

    it('when the day is not YYYY-MM-DD, then 400 naming on', async () => {
      await expectRefused(await call('/api/v1/schools/school-1/account-deadlines?on=23.11.2026'), [
        { field: 'on', message: 'Неверный формат' },
      ]);
    });

    it('when the login audit is read for one account, then identity gets the account and the limit; entries in camelCase', async () => {
      const response = await call('/api/v1/schools/school-1/login-audit?accountId=account-1&limit=20');

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        entries: [
          {
            accountId: 'account-1',
            personId: 'student-1',
            kind: 'login_error',
            at: '2026-11-23T07:00:00.000Z',
            method: 'password',
            error: 'invalid_user_credentials',
            ipAddress: '10.0.0.7',
          },
        ],
      });
      expect(requests()).toEqual([
        ['ListLoginAudit', { school_id: 'school-1', account_id: 'account-1', limit: 20 }],
      ]);
    });

    it('when the login audit is read without parameters, then identity gets its defaults', async () => {
      await call('/api/v1/schools/school-1/login-audit');

      expect(requests()).toEqual([['ListLoginAudit', { school_id: 'school-1', account_id: '', limit: 0 }]]);
    });

    it.each([
      ['limit=0', 'limit', 'Значение вне допустимого диапазона'],
      ['limit=501', 'limit', 'Значение вне допустимого диапазона'],
      ['limit=ten', 'limit', 'Ожидается целое число'],
      [`accountId=${'a'.repeat(65)}`, 'accountId', 'Слишком длинное значение'],
    ])('when the login audit is read with %s, then 400 naming %s', async (query, field, message) => {
      await expectRefused(await call(`/api/v1/schools/school-1/login-audit?${query}`), [{ field, message }]);
    });
  });

  describe('refusals common to every route', () => {
    it.each([
      ['GET', '/api/v1/me', undefined],
      ['POST', '/api/v1/schools/school-1/temporary-logins', validTemporaryLogin],
      ['GET', '/api/v1/schools/school-1/temporary-logins', undefined],
      ['POST', '/api/v1/temporary-logins/tl-1/revoke', { reason: 'x' }],
      ['GET', '/api/v1/schools/school-1/link-candidates', undefined],
      ['POST', '/api/v1/link-candidates/candidate-1/decision', { decision: 'confirm' }],
      ['POST', '/api/v1/invitations', { personId: 'guardian-1', schoolId: 'school-1' }],
      ['POST', '/api/v1/invitations/redeem', { code: 'K3X9-QA7M-2PZD' }],
      ['POST', '/api/v1/accounts/account-1/link', { personId: 'staff-1', reason: 'x' }],
      ['POST', '/api/v1/accounts/account-1/unlink', { reason: 'x' }],
      ['GET', '/api/v1/accounts/account-1/grants', undefined],
      ['POST', '/api/v1/accounts/account-1/grants', validGrant],
      ['POST', '/api/v1/grants/grant-1/revoke', { reason: 'x' }],
      ['GET', '/api/v1/schools/school-1/account-deadlines', undefined],
      ['GET', '/api/v1/schools/school-1/login-audit', undefined],
    ])(
      'when identity refuses %s %s, then 403 identity.forbidden in Russian; without a token or with a bad one 401 and no call',
      async (method, path, body) => {
        app.identity.failWith(identityForbidden('Any'));

        const refused = await call(path, { method, body });
        const anonymous = await call(path, { method, body, auth: false });
        const forged = await call(path, {
          method,
          body,
          auth: false,
          headers: { authorization: 'Bearer not.a.token' },
        });

        await expectForbidden(refused, path);
        for (const response of [anonymous, forged]) {
          expect(response.status).toBe(401);
          expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
          expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
          expect(await response.json()).toMatchObject({ status: 401, code: 'auth.unauthenticated' });
        }
        // Only the authenticated request reached identity's route.
        expect(served()).toHaveLength(1);
      },
    );

    it('when identity is away, then 503 problem+json with a Russian detail and no connection details', async () => {
      app.identity.failWith(
        new GrpcCallError(`${SERVICE}/ListLinkCandidates`, GRPC_STATUS.UNAVAILABLE, 'connect ECONNREFUSED'),
      );

      const response = await call('/api/v1/schools/school-1/link-candidates');

      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const problem = (await response.json()) as Problem;
      expect(problem.detail).toMatch(/[А-Яа-я]/);
      expect(JSON.stringify(problem)).not.toContain('ECONNREFUSED');
    });

    it('when a body is not JSON, then 415 and identity is not called', async () => {
      const response = await fetch(`${app.url}/api/v1/invitations/redeem`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
        body: 'K3X9-QA7M-2PZD',
      });

      expect(response.status).toBe(415);
      expect(served()).toHaveLength(0);
    });

    it('when /me is asked for with POST, then 405 with Allow: GET', async () => {
      const response = await call('/api/v1/me', { method: 'POST', body: {} });

      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET');
      expect(served()).toHaveLength(0);
    });
  });

  it('when the OpenAPI document is read, then every identity operation is there with its answers and Russian problem examples', () => {
    type Answer = {
      content?: Record<string, { examples?: Record<string, { value: Problem }> }>;
      headers?: object;
    };
    type Op = {
      operationId: string;
      requestBody?: unknown;
      parameters?: unknown[];
      responses: Record<string, Answer>;
    };
    const paths = openApiDocument.paths as unknown as Record<string, Record<string, Op>>;
    const operations = Object.entries(identityPaths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => ({ path, method, op: paths[path]![method]! })),
    );

    expect(operations.map((o) => o.op.operationId).sort()).toEqual(
      [
        'getMe',
        'issueTemporaryLogin',
        'listTemporaryLogins',
        'revokeTemporaryLogin',
        'listLinkCandidates',
        'decideLinkCandidate',
        'issueInvitation',
        'redeemInvitation',
        'linkAccount',
        'unlinkAccount',
        'listAccountGrants',
        'giveGrant',
        'revokeGrant',
        'listAccountDeadlines',
        'listLoginAudit',
      ].sort(),
    );
    for (const { path, op } of operations) {
      const success = op.responses['200'] ?? op.responses['201'];
      expect(success?.content?.['application/json']).toBeDefined();
      for (const status of ['401', '403', '429', '500', '503', '504']) {
        expect([path, status, op.responses[status]]).toEqual([path, status, expect.anything()]);
      }
      const forbiddenExample =
        op.responses['403']!.content!['application/problem+json']!.examples!['identity.forbidden'];
      expect(forbiddenExample?.value).toMatchObject({
        status: 403,
        code: 'identity.forbidden',
        detail: DENIED_DETAIL,
      });
      const hasInput = op.requestBody !== undefined || (op.parameters ?? []).length > 0;
      expect([path, hasInput, op.responses['400'] !== undefined]).toEqual([path, hasInput, hasInput]);
      if (path.includes('{')) expect([path, op.responses['404']]).toEqual([path, expect.anything()]);
    }
    const issue = paths['/api/v1/schools/{schoolId}/temporary-logins']!.post!.responses['201']!;
    expect(issue.headers).toMatchObject({ Location: expect.anything(), 'Cache-Control': expect.anything() });
    expect(paths['/api/v1/invitations']!.post!.responses['201']!.headers).toMatchObject({
      'Cache-Control': expect.anything(),
    });
  });
});
