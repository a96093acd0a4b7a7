import { GrpcCallError } from '@edu/grpc';
import { GRPC_STATUS, conflict, forbidden, notFound, precondition, type Problem } from '@edu/kit';
import { openApiDocument } from '../../src/entry-points/http/openapi';
import { apiCaller, devAccessToken, startApp, type RunningApp } from '../helpers';

// Notifications and messaging through the gateway with a fake notifications port and real Keycloak
// tokens: the gateway's part is the contract (names both ways, validation before the service,
// status codes); whose inbox, thread or settings it is, is the service's decision, faked here as its
// gRPC errors.

const SERVICE = 'edu.notifications.v1.NotificationsService';
const PROBLEM_JSON = /^application\/problem\+json/;
const THREAD = '/api/v1/messages/threads/thread-1';

const validPreferences = {
  expectedVersion: 3,
  triggers: [
    { trigger: 'mark_posted', enabled: true, channels: ['email', 'push'], delivery: 'instant' },
    { trigger: 'homework_tomorrow', enabled: true, channels: [], delivery: 'daily' },
  ],
  email: 'ivanova@example.ru',
  phone: '+7 913 123-45-67',
  quietFrom: '21:30',
  quietUntil: '07:00',
  digestTime: '19:00',
  digestWeekday: 7,
};

const validStart = {
  schoolId: 'school-1',
  kind: 'conversation',
  subject: 'Тема',
  participantIds: ['staff-1'],
  text: 'Здравствуйте',
};

const pdf = { fileId: 'file-9', fileName: 'spravka.pdf', contentType: 'application/pdf', sizeBytes: 52340 };

describe('gateway: notifications and messaging', () => {
  let app: RunningApp;
  let token: string;
  const call = apiCaller(
    () => app,
    () => token,
  );
  const requests = () => app.notifications.calls.map((c) => [c.method, c.request]);

  /** Expects a 400 problem naming these fields, with the service not called. */
  async function expectRefused(response: Response, errors: { field: string; message?: string }[]) {
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
    const problem = (await response.json()) as Problem;
    expect(problem).toMatchObject({ status: 400, code: 'request.invalid', detail: 'Проверьте поля запроса' });
    expect(problem.errors).toEqual(expect.arrayContaining(errors.map((e) => expect.objectContaining(e))));
    expect(app.notifications.calls).toHaveLength(0);
  }

  beforeAll(async () => {
    token = await devAccessToken('guardian');
    app = await startApp();
  });
  afterAll(() => app.close());
  beforeEach(() => app.notifications.reset());

  describe('the inbox', () => {
    it('when the inbox is read with paging, then the service gets it in proto names; the answer is the page in camelCase', async () => {
      const response = await call('/api/v1/notifications/inbox?unreadOnly=true&limit=20&cursor=cursor-1', {
        headers: { 'x-request-id': 'trace-inbox-1' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        notifications: [
          {
            notificationId: 'notification-1',
            trigger: 'mark_posted',
            title: 'Новая отметка по математике',
            body: 'Иванов Иван: «5» за контрольную работу',
            studentId: 'student-1',
            schoolId: 'school-1',
            occurredAt: '2026-11-23T04:00:00.000Z',
            createdAt: '2026-11-23T04:00:02.000Z',
            readAt: '',
            link: 'diary:week:student-1:2026-11-23',
          },
          expect.objectContaining({ notificationId: 'notification-0', readAt: '2026-11-22T08:00:00.000Z' }),
        ],
        unread: 1,
        nextCursor: 'cursor-2',
      });
      expect(requests()).toEqual([['ListInbox', { unread_only: true, limit: 20, cursor: 'cursor-1' }]]);
      const [sent] = app.notifications.calls;
      expect(sent!.options.actorToken).toEqual(expect.any(String));
      expect(sent!.options.traceId).toBe('trace-inbox-1');
    });

    it('when the inbox is read without parameters, then the service gets its defaults (all, its limit, the first page)', async () => {
      const response = await call('/api/v1/notifications/inbox');

      expect(response.status).toBe(200);
      expect(requests()).toEqual([['ListInbox', { unread_only: false, limit: 0, cursor: '' }]]);
    });

    it.each([
      ['unreadOnly=yes', 'unreadOnly', 'Неверное значение'],
      ['limit=0', 'limit', 'Значение вне допустимого диапазона'],
      ['limit=201', 'limit', 'Значение вне допустимого диапазона'],
      ['limit=ten', 'limit', 'Ожидается целое число'],
      [`cursor=${'x'.repeat(513)}`, 'cursor', 'Слишком длинное значение'],
    ])(
      'when the inbox is read with %s, then 400 naming %s, and the service is not called',
      async (query, field, message) => {
        await expectRefused(await call(`/api/v1/notifications/inbox?${query}`), [{ field, message }]);
      },
    );

    it('when chosen notifications are marked read, then the service gets their ids; the answer is the unread count', async () => {
      const response = await call('/api/v1/notifications/inbox/read', {
        method: 'POST',
        body: { notificationIds: ['notification-1', 'notification-2'] },
        headers: { 'idempotency-key': 'mark-read-0001' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ unread: 4 });
      expect(requests()).toEqual([
        ['MarkRead', { notification_ids: ['notification-1', 'notification-2'], all: false }],
      ]);
      expect(app.notifications.calls[0]!.options).toMatchObject({ idempotencyKey: 'mark-read-0001' });
    });

    it('when everything is marked read, then the service gets all: true and no ids', async () => {
      const response = await call('/api/v1/notifications/inbox/read', {
        method: 'POST',
        body: { all: true },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ unread: 0 });
      expect(requests()).toEqual([['MarkRead', { notification_ids: [], all: true }]]);
    });

    it.each([
      ['neither ids nor all', {}, [{ field: 'notificationIds' }, { field: 'all' }]],
      ['all: false alone', { all: false }, [{ field: 'notificationIds' }, { field: 'all' }]],
      [
        'an empty id list',
        { notificationIds: [] },
        [{ field: 'notificationIds', message: 'Неверное значение' }],
      ],
      [
        'an id that is not text',
        { notificationIds: [7] },
        [{ field: 'notificationIds[0]', message: 'Ожидается строка' }],
      ],
      [
        'an unknown field',
        { all: true, everything: true },
        [{ field: 'everything', message: 'Неизвестное поле' }],
      ],
    ])(
      'when marking read with %s, then 400 naming the field, and the service is not called',
      async (_, body, errors) => {
        await expectRefused(await call('/api/v1/notifications/inbox/read', { method: 'POST', body }), errors);
      },
    );
  });

  describe('preferences', () => {
    it('when the preferences are read, then the service is asked with nothing (the actor says whose) and the version is a number', async () => {
      const response = await call('/api/v1/notifications/preferences');

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        personId: 'guardian-1',
        triggers: [
          { trigger: 'mark_posted', enabled: true, channels: ['email'], delivery: 'instant' },
          { trigger: 'homework_tomorrow', enabled: false, channels: [], delivery: 'daily' },
        ],
        email: 'ivanova@example.ru',
        phone: '',
        quietFrom: '22:00',
        quietUntil: '07:00',
        digestTime: '19:00',
        digestWeekday: 7,
        version: 3,
        updatedAt: '2026-11-20T10:00:00.000Z',
      });
      expect(requests()).toEqual([['GetPreferences', {}]]);
    });

    it('when the preferences are set, then the service gets them in proto names with the expected version as int64 and the idempotency key', async () => {
      const response = await call('/api/v1/notifications/preferences', {
        method: 'PUT',
        body: validPreferences,
        headers: { 'idempotency-key': 'preferences-0001' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        triggers: validPreferences.triggers,
        phone: '+7 913 123-45-67',
        quietFrom: '21:30',
        version: 4,
      });
      expect(requests()).toEqual([
        [
          'SetPreferences',
          {
            preferences: {
              triggers: [
                { trigger: 'mark_posted', enabled: true, channels: ['email', 'push'], delivery: 'instant' },
                { trigger: 'homework_tomorrow', enabled: true, channels: [], delivery: 'daily' },
              ],
              email: 'ivanova@example.ru',
              phone: '+7 913 123-45-67',
              quiet_from: '21:30',
              quiet_until: '07:00',
              digest_time: '19:00',
              digest_weekday: 7,
            },
            expected_version: '3',
          },
        ],
      ]);
      expect(app.notifications.calls[0]!.options).toMatchObject({ idempotencyKey: 'preferences-0001' });
    });

    it('when the first preferences are set without contacts, then version 0 goes as "0" and the contacts as empty', async () => {
      const { email: _email, phone: _phone, ...withoutContacts } = validPreferences;

      const response = await call('/api/v1/notifications/preferences', {
        method: 'PUT',
        body: { ...withoutContacts, expectedVersion: 0 },
      });

      expect(response.status).toBe(200);
      expect(app.notifications.calls[0]!.request).toMatchObject({
        preferences: { email: '', phone: '' },
        expected_version: '0',
      });
    });

    it.each([
      ['no expected version', { expectedVersion: undefined }, 'expectedVersion', 'Обязательное поле'],
      [
        'a negative version',
        { expectedVersion: -1 },
        'expectedVersion',
        'Значение вне допустимого диапазона',
      ],
      ['quiet hours as 25:00', { quietFrom: '25:00' }, 'quietFrom', 'Неверный формат'],
      ['weekday 8', { digestWeekday: 8 }, 'digestWeekday', 'Значение вне допустимого диапазона'],
      [
        'an unknown trigger',
        { triggers: [{ trigger: 'birthday', enabled: true, channels: [], delivery: 'instant' }] },
        'triggers[0].trigger',
        'Неверное значение',
      ],
      [
        'an unknown channel',
        { triggers: [{ trigger: 'absence', enabled: true, channels: ['pigeon'], delivery: 'instant' }] },
        'triggers[0].channels[0]',
        'Неверное значение',
      ],
      [
        'a trigger without its delivery',
        { triggers: [{ trigger: 'absence', enabled: true, channels: [] }] },
        'triggers[0].delivery',
        'Обязательное поле',
      ],
      ['someone else’s id', { personId: 'guardian-2' }, 'personId', 'Неизвестное поле'],
    ])(
      'when the preferences have %s, then 400 naming the field, and the service is not called',
      async (_, change, field, message) => {
        const response = await call('/api/v1/notifications/preferences', {
          method: 'PUT',
          body: { ...validPreferences, ...change },
        });

        await expectRefused(response, [{ field, message }]);
      },
    );

    it('when the preferences were changed meanwhile, then the service’s conflict is 409 problem+json', async () => {
      app.notifications.failWith(
        new GrpcCallError(
          `${SERVICE}/SetPreferences`,
          GRPC_STATUS.ALREADY_EXISTS,
          'stale',
          conflict('version.conflict', 'Настройки уже изменили: откройте их заново и повторите'),
        ),
      );

      const response = await call('/api/v1/notifications/preferences', {
        method: 'PUT',
        body: validPreferences,
      });

      expect(response.status).toBe(409);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({
        status: 409,
        code: 'version.conflict',
        detail: 'Настройки уже изменили: откройте их заново и повторите',
        instance: '/api/v1/notifications/preferences',
      });
    });

    it('when the service answers a bare ABORTED, then it is still 409 with a Russian detail', async () => {
      app.notifications.failWith(
        new GrpcCallError(`${SERVICE}/SetMessagingSettings`, GRPC_STATUS.ABORTED, 'aborted'),
      );

      const response = await call('/api/v1/messages/settings/school-1', {
        method: 'PUT',
        body: { studentsMayWrite: true, expectedVersion: 1 },
      });

      expect(response.status).toBe(409);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(((await response.json()) as Problem).detail).toMatch(/[А-Яа-я]/);
    });
  });

  describe('progress reports', () => {
    it('when a class’s reports are read for a round, then the service gets the class and the round; rows come back in camelCase', async () => {
      const response = await call(
        '/api/v1/notifications/progress-reports?classId=class-1&roundStartsOn=2026-11-09',
      );

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        classId: 'class-1',
        roundStartsOn: '2026-11-09',
        roundEndsOn: '2026-11-22',
        rows: [
          {
            reportId: 'report-1',
            studentId: 'student-1',
            studentName: 'Иванов Иван Иванович',
            guardianId: 'guardian-1',
            guardianName: 'Иванова Мария Петровна',
            sentAt: '2026-11-23T14:00:00.000Z',
            openedAt: '',
          },
        ],
        notOpened: 1,
      });
      expect(requests()).toEqual([
        ['ListProgressReports', { class_id: 'class-1', round_starts_on: '2026-11-09' }],
      ]);
    });

    it('when no round is given, then the service gets "" (the latest round)', async () => {
      await call('/api/v1/notifications/progress-reports?classId=class-1');

      expect(requests()).toEqual([['ListProgressReports', { class_id: 'class-1', round_starts_on: '' }]]);
    });

    it.each([
      ['', 'classId', 'Обязательное поле'],
      ['classId=', 'classId', 'Слишком короткое значение'],
      ['classId=class-1&roundStartsOn=09.11.2026', 'roundStartsOn', 'Неверный формат'],
      ['classId=class-1&roundStartsOn=2026-02-30', 'roundStartsOn', 'Неверный формат'],
    ])(
      'when the reports are asked for with "%s", then 400 naming %s, and the service is not called',
      async (query, field, message) => {
        await expectRefused(await call(`/api/v1/notifications/progress-reports?${query}`), [
          { field, message },
        ]);
      },
    );
  });

  describe('threads', () => {
    it('when threads are searched, then the service gets the words and paging; threads come back without messages, with unread counts', async () => {
      const response = await call(
        `/api/v1/messages/threads?query=${encodeURIComponent('справка')}&unreadOnly=true&limit=10&cursor=c-5`,
      );

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        threads: [
          expect.objectContaining({
            threadId: 'thread-1',
            kind: 'conversation',
            subject: 'Пропуск 25 ноября',
            participants: [
              { personId: 'guardian-1', displayName: 'Иванова Мария Петровна', role: 'guardian' },
              { personId: 'staff-1', displayName: 'Петрова Ольга Ивановна', role: 'class_teacher' },
            ],
            messages: [],
            unread: 2,
            lastMessageAt: '2026-11-23T06:00:00.000Z',
          }),
        ],
        unread: 2,
        nextCursor: '',
      });
      expect(requests()).toEqual([
        ['ListThreads', { query: 'справка', unread_only: true, limit: 10, cursor: 'c-5' }],
      ]);
    });

    it('when threads are listed without parameters, then the service gets its defaults', async () => {
      await call('/api/v1/messages/threads');

      expect(requests()).toEqual([['ListThreads', { query: '', unread_only: false, limit: 0, cursor: '' }]]);
    });

    it('when threads are searched with too long a query, then 400 naming query, and the service is not called', async () => {
      await expectRefused(await call(`/api/v1/messages/threads?query=${'a'.repeat(201)}`), [
        { field: 'query', message: 'Слишком длинное значение' },
      ]);
    });

    it('when a guardian starts a conversation, then the service gets it in proto names and the answer is 201 with the thread and its Location', async () => {
      const response = await call('/api/v1/messages/threads', {
        method: 'POST',
        body: {
          schoolId: 'school-1',
          kind: 'conversation',
          subject: 'Пропуск 25 ноября',
          participantIds: ['staff-1'],
          studentId: 'student-1',
          text: 'Ваня 25 ноября будет у врача, справку принесём.',
          attachments: [pdf],
        },
        headers: { 'idempotency-key': 'start-thread-0001' },
      });

      expect(response.status).toBe(201);
      expect(response.headers.get('location')).toBe('/api/v1/messages/threads/thread-new');
      expect(await response.json()).toMatchObject({
        threadId: 'thread-new',
        schoolId: 'school-1',
        studentId: 'student-1',
        messages: [
          {
            messageId: 'message-1',
            authorName: 'Иванова Мария Петровна',
            attachments: [
              {
                fileId: 'file-1',
                fileName: 'zayavlenie.pdf',
                contentType: 'application/pdf',
                sizeBytes: 52340,
                scanStatus: 'clean',
              },
            ],
            readBy: [{ personId: 'staff-1', readAt: '2026-11-23T06:10:00.000Z' }],
          },
        ],
      });
      expect(requests()).toEqual([
        [
          'StartThread',
          {
            school_id: 'school-1',
            kind: 'conversation',
            subject: 'Пропуск 25 ноября',
            participant_ids: ['staff-1'],
            student_id: 'student-1',
            audience: '',
            text: 'Ваня 25 ноября будет у врача, справку принесём.',
            attachments: [
              {
                file_id: 'file-9',
                file_name: 'spravka.pdf',
                content_type: 'application/pdf',
                size_bytes: '52340',
              },
            ],
          },
        ],
      ]);
      expect(app.notifications.calls[0]!.options).toMatchObject({ idempotencyKey: 'start-thread-0001' });
    });

    it('when a class teacher posts an announcement, then the audience goes through and there are no participants', async () => {
      const response = await call('/api/v1/messages/threads', {
        method: 'POST',
        body: {
          schoolId: 'school-1',
          kind: 'announcement',
          subject: 'Собрание',
          audience: 'class:class-1',
          text: 'Родительское собрание в четверг в 18:00',
        },
      });

      expect(response.status).toBe(201);
      expect(app.notifications.calls[0]!.request).toEqual({
        school_id: 'school-1',
        kind: 'announcement',
        subject: 'Собрание',
        participant_ids: [],
        student_id: '',
        audience: 'class:class-1',
        text: 'Родительское собрание в четверг в 18:00',
        attachments: [],
      });
    });

    it.each([
      ['no school', { schoolId: undefined }, 'schoolId', 'Обязательное поле'],
      ['an unknown kind', { kind: 'chat' }, 'kind', 'Неверное значение'],
      ['an empty subject', { subject: '' }, 'subject', 'Слишком короткое значение'],
      ['no text', { text: undefined }, 'text', 'Обязательное поле'],
      ['a malformed audience', { audience: 'everyone' }, 'audience', 'Неверный формат'],
      [
        'the same participant twice',
        { participantIds: ['staff-1', 'staff-1'] },
        'participantIds',
        'Неверное значение',
      ],
      [
        'an attachment with its scan status',
        { attachments: [{ ...pdf, scanStatus: 'clean' }] },
        'attachments[0].scanStatus',
        'Неизвестное поле',
      ],
      [
        'an attachment without a size',
        { attachments: [{ ...pdf, sizeBytes: undefined }] },
        'attachments[0].sizeBytes',
        'Обязательное поле',
      ],
    ])(
      'when a thread is started with %s, then 400 naming the field, and the service is not called',
      async (_, change, field, message) => {
        const response = await call('/api/v1/messages/threads', {
          method: 'POST',
          body: { ...validStart, ...change },
        });

        await expectRefused(response, [{ field, message }]);
      },
    );

    it('when a thread is started with too long a text, then 400 naming text (with the production body limit), and the service is not called', async () => {
      // The test app's body limit (4kb) would answer 413 first; production's is 100kb.
      const roomy = await startApp({ options: { bodyLimit: '100kb' } });
      try {
        const response = await fetch(`${roomy.url}/api/v1/messages/threads`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ ...validStart, text: 'а'.repeat(10_001) }),
        });

        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({
          errors: [{ field: 'text', message: 'Слишком длинное значение' }],
        });
        expect(roomy.notifications.calls).toHaveLength(0);
      } finally {
        await roomy.close();
      }
    });

    it('when a student may not write, then the service’s refusal is 403 messaging.not_allowed in Russian', async () => {
      app.notifications.failWith(
        new GrpcCallError(
          `${SERVICE}/StartThread`,
          GRPC_STATUS.PERMISSION_DENIED,
          'refused',
          forbidden('messaging.not_allowed', 'Школа не разрешила обучающимся начинать переписку'),
        ),
      );

      const response = await call('/api/v1/messages/threads', { method: 'POST', body: validStart });

      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({
        status: 403,
        code: 'messaging.not_allowed',
        detail: 'Школа не разрешила обучающимся начинать переписку',
      });
    });

    it('when a thread is read, then the service gets its id and the thread comes back with its messages', async () => {
      const response = await call(THREAD);

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        threadId: 'thread-1',
        reported: false,
        reportedAt: '',
        messages: [
          { messageId: 'message-1', text: 'Ваня 25 ноября будет у врача, справку принесём.', deleted: false },
        ],
      });
      expect(requests()).toEqual([['GetThread', { thread_id: 'thread-1' }]]);
    });

    it('when a thread is not the caller’s, then the service’s NOT_FOUND is 404 problem+json', async () => {
      app.notifications.failWith(
        new GrpcCallError(
          `${SERVICE}/GetThread`,
          GRPC_STATUS.NOT_FOUND,
          'not found',
          notFound('messaging.thread_not_found', 'Переписка не найдена'),
        ),
      );

      const response = await call(THREAD);

      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({
        status: 404,
        code: 'messaging.thread_not_found',
        detail: 'Переписка не найдена',
        instance: THREAD,
      });
    });

    it('when a thread id is too long, then 400 naming threadId, and the service is not called', async () => {
      await expectRefused(await call(`/api/v1/messages/threads/${'t'.repeat(65)}`), [
        { field: 'threadId', message: 'Слишком длинное значение' },
      ]);
    });
  });

  describe('messages', () => {
    it('when a message is posted, then the service gets the thread, the text and the attachments; 201 with the thread', async () => {
      const response = await call(`${THREAD}/messages`, {
        method: 'POST',
        body: { text: 'Справку принесли', attachments: [pdf] },
        headers: { 'idempotency-key': 'post-message-0001' },
      });

      expect(response.status).toBe(201);
      expect(response.headers.get('location')).toBe(THREAD);
      expect(await response.json()).toMatchObject({ threadId: 'thread-1' });
      expect(requests()).toEqual([
        [
          'PostMessage',
          {
            thread_id: 'thread-1',
            text: 'Справку принесли',
            attachments: [
              {
                file_id: 'file-9',
                file_name: 'spravka.pdf',
                content_type: 'application/pdf',
                size_bytes: '52340',
              },
            ],
          },
        ],
      ]);
      expect(app.notifications.calls[0]!.options).toMatchObject({ idempotencyKey: 'post-message-0001' });
    });

    it.each([
      ['no text', {}, 'text', 'Обязательное поле'],
      ['an empty text', { text: '' }, 'text', 'Слишком короткое значение'],
      [
        'eleven attachments',
        { text: 'x', attachments: Array.from({ length: 11 }, () => pdf) },
        'attachments',
        'Неверное значение',
      ],
      [
        'a negative size',
        { text: 'x', attachments: [{ ...pdf, sizeBytes: -1 }] },
        'attachments[0].sizeBytes',
        'Значение вне допустимого диапазона',
      ],
    ])(
      'when a message is posted with %s, then 400 naming the field, and the service is not called',
      async (_, body, field, message) => {
        await expectRefused(await call(`${THREAD}/messages`, { method: 'POST', body }), [{ field, message }]);
      },
    );

    it('when a message is posted without a JSON body, then 415 and the service is not called', async () => {
      const response = await call(`${THREAD}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
      });

      expect(response.status).toBe(415);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(app.notifications.calls).toHaveLength(0);
    });

    it('when a message is edited, then the service gets the thread, the message and the new text', async () => {
      const response = await call(`${THREAD}/messages/message-1`, {
        method: 'PATCH',
        body: { text: 'Ваня 26 ноября будет у врача' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        messages: [
          {
            messageId: 'message-1',
            text: 'Ваня 26 ноября будет у врача',
            editedAt: '2026-11-23T06:05:00.000Z',
          },
        ],
      });
      expect(requests()).toEqual([
        [
          'EditMessage',
          { thread_id: 'thread-1', message_id: 'message-1', text: 'Ваня 26 ноября будет у врача' },
        ],
      ]);
    });

    it('when an edit comes too late, then the service’s FAILED_PRECONDITION is 422 with its Russian detail', async () => {
      app.notifications.failWith(
        new GrpcCallError(
          `${SERVICE}/EditMessage`,
          GRPC_STATUS.FAILED_PRECONDITION,
          'too late',
          precondition('messaging.edit_window_closed', 'Сообщение можно исправить только в течение 15 минут'),
        ),
      );

      const response = await call(`${THREAD}/messages/message-1`, {
        method: 'PATCH',
        body: { text: 'Поздно' },
      });

      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({
        code: 'messaging.edit_window_closed',
        detail: 'Сообщение можно исправить только в течение 15 минут',
      });
    });

    it('when an edit has an unknown field, then 400 naming it, and the service is not called', async () => {
      await expectRefused(
        await call(`${THREAD}/messages/message-1`, { method: 'PATCH', body: { text: 'x', attachments: [] } }),
        [{ field: 'attachments', message: 'Неизвестное поле' }],
      );
    });

    it('when a message is deleted, then the service gets the thread and the message; the thread shows it deleted', async () => {
      const response = await call(`${THREAD}/messages/message-1`, {
        method: 'DELETE',
        headers: { 'idempotency-key': 'delete-message-1' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        messages: [{ messageId: 'message-1', deleted: true, text: '', attachments: [] }],
      });
      expect(requests()).toEqual([['DeleteMessage', { thread_id: 'thread-1', message_id: 'message-1' }]]);
      expect(app.notifications.calls[0]!.options).toMatchObject({ idempotencyKey: 'delete-message-1' });
    });

    it('when a message is deleted with too short an idempotency key, then 400 naming it, and the service is not called', async () => {
      await expectRefused(
        await call(`${THREAD}/messages/message-1`, {
          method: 'DELETE',
          headers: { 'idempotency-key': 'short' },
        }),
        [{ field: 'Idempotency-Key', message: 'Слишком короткое значение' }],
      );
    });

    it('when a thread is reported, then the service gets the reason; the thread comes back reported', async () => {
      const response = await call(`${THREAD}/report`, {
        method: 'POST',
        body: { reason: 'Грубые выражения' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ reported: true, reportedAt: '2026-11-23T08:00:00.000Z' });
      expect(requests()).toEqual([['ReportThread', { thread_id: 'thread-1', reason: 'Грубые выражения' }]]);
    });

    it.each([
      ['no reason', {}, 'Обязательное поле'],
      ['an empty reason', { reason: '' }, 'Слишком короткое значение'],
    ])(
      'when a thread is reported with %s, then 400 naming reason, and the service is not called',
      async (_, body, message) => {
        await expectRefused(await call(`${THREAD}/report`, { method: 'POST', body }), [
          { field: 'reason', message },
        ]);
      },
    );
  });

  describe('a school’s messaging settings', () => {
    it('when the settings are read, then the service gets the school from the path and the version is a number', async () => {
      const response = await call('/api/v1/messages/settings/school-1');

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ schoolId: 'school-1', studentsMayWrite: false, version: 0 });
      expect(requests()).toEqual([['GetMessagingSettings', { school_id: 'school-1' }]]);
    });

    it('when the settings are set, then the service gets the school, the flag and the expected version as int64', async () => {
      const response = await call('/api/v1/messages/settings/school-1', {
        method: 'PUT',
        body: { studentsMayWrite: true, expectedVersion: 2 },
        headers: { 'idempotency-key': 'messaging-settings-1' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ schoolId: 'school-1', studentsMayWrite: true, version: 3 });
      expect(requests()).toEqual([
        [
          'SetMessagingSettings',
          { settings: { school_id: 'school-1', students_may_write: true }, expected_version: '2' },
        ],
      ]);
      expect(app.notifications.calls[0]!.options).toMatchObject({ idempotencyKey: 'messaging-settings-1' });
    });

    it.each([
      ['the flag is missing', { expectedVersion: 1 }, 'studentsMayWrite', 'Обязательное поле'],
      [
        'the flag is text',
        { studentsMayWrite: 'да', expectedVersion: 1 },
        'studentsMayWrite',
        'Ожидается да/нет',
      ],
      ['the version is missing', { studentsMayWrite: true }, 'expectedVersion', 'Обязательное поле'],
      [
        'the version is text',
        { studentsMayWrite: true, expectedVersion: '1' },
        'expectedVersion',
        'Ожидается целое число',
      ],
      [
        'there is a school in the body',
        { studentsMayWrite: true, expectedVersion: 1, schoolId: 'school-2' },
        'schoolId',
        'Неизвестное поле',
      ],
    ])(
      'when %s, then 400 naming the field, and the service is not called',
      async (_, body, field, message) => {
        await expectRefused(await call('/api/v1/messages/settings/school-1', { method: 'PUT', body }), [
          { field, message },
        ]);
      },
    );
  });

  describe('refusals', () => {
    it.each([
      ['GET', '/api/v1/notifications/inbox', undefined],
      ['POST', '/api/v1/notifications/inbox/read', { all: true }],
      ['GET', '/api/v1/notifications/preferences', undefined],
      ['PUT', '/api/v1/notifications/preferences', validPreferences],
      ['GET', '/api/v1/notifications/progress-reports?classId=class-1', undefined],
      ['GET', '/api/v1/messages/threads', undefined],
      ['POST', '/api/v1/messages/threads', validStart],
      ['GET', THREAD, undefined],
      ['POST', `${THREAD}/messages`, { text: 'x' }],
      ['PATCH', `${THREAD}/messages/message-1`, { text: 'x' }],
      ['DELETE', `${THREAD}/messages/message-1`, undefined],
      ['POST', `${THREAD}/report`, { reason: 'x' }],
      ['GET', '/api/v1/messages/settings/school-1', undefined],
      ['PUT', '/api/v1/messages/settings/school-1', { studentsMayWrite: true, expectedVersion: 1 }],
    ])(
      'when the service refuses %s %s, then 403 problem+json in Russian; without a token or with a bad one 401 and no call',
      async (method, path, body) => {
        app.notifications.failWith(
          new GrpcCallError(
            `${SERVICE}/Any`,
            GRPC_STATUS.PERMISSION_DENIED,
            'refused',
            forbidden('access.denied', 'Недостаточно прав для этого действия'),
          ),
        );

        const refused = await call(path, { method, body });
        const anonymous = await call(path, { method, body, auth: false });
        const forged = await call(path, {
          method,
          body,
          auth: false,
          headers: { authorization: 'Bearer not.a.token' },
        });

        expect(refused.status).toBe(403);
        expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
        expect(await refused.json()).toMatchObject({
          status: 403,
          code: 'access.denied',
          detail: 'Недостаточно прав для этого действия',
        });
        for (const response of [anonymous, forged]) {
          expect(response.status).toBe(401);
          expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
        }
        expect(app.notifications.calls).toHaveLength(1);
      },
    );

    it('when the service refuses without its own error, then the bare PERMISSION_DENIED is still 403 problem+json', async () => {
      app.notifications.failWith(
        new GrpcCallError(`${SERVICE}/ListInbox`, GRPC_STATUS.PERMISSION_DENIED, 'denied'),
      );

      const response = await call('/api/v1/notifications/inbox');

      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(((await response.json()) as Problem).detail).toMatch(/[А-Яа-я]/);
    });

    it('when the service is away, then 503 problem+json with a Russian detail and no connection details', async () => {
      app.notifications.failWith(
        new GrpcCallError(`${SERVICE}/ListThreads`, GRPC_STATUS.UNAVAILABLE, 'connect ECONNREFUSED'),
      );

      const response = await call('/api/v1/messages/threads');

      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const problem = (await response.json()) as Problem;
      expect(problem.detail).toMatch(/[А-Яа-я]/);
      expect(JSON.stringify(problem)).not.toContain('ECONNREFUSED');
    });

    it('when the inbox is asked for with DELETE, then 405 with Allow: GET', async () => {
      const response = await call('/api/v1/notifications/inbox', { method: 'DELETE' });

      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET');
      expect(app.notifications.calls).toHaveLength(0);
    });
  });

  it('when the OpenAPI document is read, then every notifications and messages operation is there with a response schema and Russian problem examples', () => {
    const paths = openApiDocument.paths as unknown as Record<
      string,
      Record<
        string,
        {
          operationId: string;
          summary: string;
          responses: Record<
            string,
            { content?: Record<string, { schema?: object; examples?: Record<string, { value: Problem }> }> }
          >;
        }
      >
    >;
    const ours = Object.entries(paths).filter(
      ([path]) => path.startsWith('/api/v1/notifications/') || path.startsWith('/api/v1/messages/'),
    );

    expect(
      ours.flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`)).sort(),
    ).toEqual(
      [
        'GET /api/v1/notifications/inbox',
        'POST /api/v1/notifications/inbox/read',
        'GET /api/v1/notifications/preferences',
        'PUT /api/v1/notifications/preferences',
        'GET /api/v1/notifications/progress-reports',
        'GET /api/v1/messages/threads',
        'POST /api/v1/messages/threads',
        'GET /api/v1/messages/threads/{threadId}',
        'POST /api/v1/messages/threads/{threadId}/messages',
        'PATCH /api/v1/messages/threads/{threadId}/messages/{messageId}',
        'DELETE /api/v1/messages/threads/{threadId}/messages/{messageId}',
        'POST /api/v1/messages/threads/{threadId}/report',
        'GET /api/v1/messages/settings/{schoolId}',
        'PUT /api/v1/messages/settings/{schoolId}',
      ].sort(),
    );
    for (const operation of ours.flatMap(([, item]) => Object.values(item))) {
      expect(operation.summary).toMatch(/[а-яё]/i);
      const success = operation.responses['200'] ?? operation.responses['201'];
      const [content] = Object.values(success?.content ?? {});
      expect(content?.schema).toBeDefined();
      const denied = operation.responses['403']?.content?.['application/problem+json']?.examples;
      expect(Object.values(denied ?? {}).map((e) => e.value)).toEqual([
        expect.objectContaining({ status: 403, detail: expect.stringMatching(/[А-Яа-я]/) }),
      ]);
      if (operation.operationId !== 'getNotificationPreferences') {
        const bad = operation.responses['400']?.content?.['application/problem+json']?.examples;
        expect(Object.values(bad ?? {}).map((e) => e.value)).toEqual([
          expect.objectContaining({
            status: 400,
            detail: expect.stringMatching(/[А-Яа-я]/),
            errors: [expect.objectContaining({ message: expect.stringMatching(/[А-Яа-я]/) })],
          }),
        ]);
      }
      for (const status of ['404', '409']) {
        const examples = operation.responses[status]?.content?.['application/problem+json']?.examples;
        for (const example of Object.values(examples ?? {})) {
          expect(example.value).toMatchObject({
            status: Number(status),
            detail: expect.stringMatching(/[А-Яа-я]/),
          });
        }
      }
    }
  });
});
