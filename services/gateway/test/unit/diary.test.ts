import { GrpcCallError } from '@edu/grpc';
import { GRPC_STATUS, forbidden, type Problem } from '@edu/kit';
import { openApiDocument } from '../../src/entry-points/http/openapi';
import { FAKE_PDF } from '../diary.fake';
import { apiCaller, devAccessToken, startApp, type RunningApp } from '../helpers';

// The diary through the gateway with a fake diary port and real Keycloak tokens: the gateway's part
// is the contract (names, validation before the diary, status codes, the PDF as a file); who may
// read whose diary is the diary's decision, faked here as its gRPC errors.

const SERVICE = 'edu.diary.v1.DiaryService';
const PROBLEM_JSON = /^application\/problem\+json/;
const STUDENT = '/api/v1/diary/students/student-1';

describe('gateway: the diary', () => {
  let app: RunningApp;
  let token: string;
  const call = apiCaller(
    () => app,
    () => token,
  );
  const requests = () => app.diary.calls.map((c) => [c.method, c.request]);

  beforeAll(async () => {
    token = await devAccessToken('guardian');
    app = await startApp();
  });
  afterAll(() => app.close());
  beforeEach(() => app.diary.reset());

  describe('the week', () => {
    it('when a week is read with a date, then the diary gets the student and the date; the answer is the week in camelCase', async () => {
      const response = await call(`${STUDENT}/week?date=2026-11-25`);

      expect(response.status).toBe(200);
      const week = (await response.json()) as Record<string, unknown>;
      expect(week).toMatchObject({
        student: { studentId: 'student-1', displayName: 'Иванов Иван Иванович', className: '5А' },
        startsOn: '2026-11-23',
        endsOn: '2026-11-29',
      });
      expect((week as { days: unknown[] }).days).toHaveLength(7);
      expect((week as { days: unknown[] }).days[0]).toMatchObject({
        date: '2026-11-23',
        weekday: 1,
        weekdayName: 'Понедельник',
        lessons: [
          {
            lessonNumber: 1,
            startsAt: '08:00',
            subjectName: 'Математика',
            topic: 'Сложение дробей',
            homework: [{ text: '№ 245, 246', dueDate: '2026-11-25', individual: false }],
            marks: [
              { value: '5', corrected: true, previousValues: ['4'], workTypeName: 'Контрольная работа' },
            ],
            attendance: { kind: 'late', lateMinutes: 5, reasonName: 'причина не указана' },
          },
        ],
        events: [{ title: 'Собрание 5А', kindName: 'Родительское собрание', startsAt: '18:00' }],
      });
      expect(requests()).toEqual([['GetWeek', { student_id: 'student-1', date: '2026-11-25' }]]);
    });

    it('when a week is read without a date, then the diary gets "" (the current week in the school’s zone)', async () => {
      const response = await call(`${STUDENT}/week`);

      expect(response.status).toBe(200);
      expect(requests()).toEqual([['GetWeek', { student_id: 'student-1', date: '' }]]);
    });

    it('when the call is made, then the diary gets the signed actor and the request’s trace id', async () => {
      const response = await call(`${STUDENT}/week`, { headers: { 'x-request-id': 'trace-diary-1' } });

      expect(response.status).toBe(200);
      const [sent] = app.diary.calls;
      expect(sent!.options.actorToken).toEqual(expect.any(String));
      expect(sent!.options.traceId).toBe('trace-diary-1');
    });

    it.each([
      ['not a date', 'next-week'],
      ['a date in another form', '25.11.2026'],
      ['an impossible date', '2026-13-45'],
    ])('when the date is %s, then 400 naming date, and the diary is not called', async (_, date) => {
      const response = await call(`${STUDENT}/week?date=${encodeURIComponent(date)}`);

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({
        code: 'request.invalid',
        detail: 'Проверьте поля запроса',
        errors: [{ field: 'date', message: 'Неверный формат' }],
      });
      expect(app.diary.calls).toHaveLength(0);
    });
  });

  describe('the week’s paper extract', () => {
    it('when the extract is asked for, then the PDF bytes come back as an attachment with the diary’s file name', async () => {
      const response = await call(`${STUDENT}/week.pdf?date=2026-11-23`);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-disposition')).toBe(
        'attachment; filename="dnevnik-2026-11-23.pdf"',
      );
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.equals(FAKE_PDF)).toBe(true);
      expect(response.headers.get('content-length')).toBe(String(FAKE_PDF.length));
      expect(requests()).toEqual([['GetWeekExtract', { student_id: 'student-1', date: '2026-11-23' }]]);
    });

    it('when the diary names the file with what a header cannot carry, then a plain name from the date is used', async () => {
      app.diary.nameExtract('дневник "5А".pdf\r\nX-Evil: 1');

      const response = await call(`${STUDENT}/week.pdf?date=2026-11-23`);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toBe(
        'attachment; filename="dnevnik-2026-11-23.pdf"',
      );
      expect(response.headers.get('x-evil')).toBeNull();
    });

    it('when the extract’s date is bad, then 400 and the diary is not called', async () => {
      const response = await call(`${STUDENT}/week.pdf?date=2026-11`);

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({ errors: [{ field: 'date' }] });
      expect(app.diary.calls).toHaveLength(0);
    });

    it('when the diary refuses the extract, then 403 problem+json, not a PDF', async () => {
      app.diary.failWith(
        new GrpcCallError(
          `${SERVICE}/GetWeekExtract`,
          GRPC_STATUS.PERMISSION_DENIED,
          'refused',
          forbidden('access.denied', 'Недостаточно прав для этого действия'),
        ),
      );

      const response = await call(`${STUDENT}/week.pdf`);

      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(response.headers.get('content-disposition')).toBeNull();
    });
  });

  describe('marks, forecast and summary of a period', () => {
    it('when a subject is read with a period, then the diary gets the student, the subject and the period; the answer has the marks, averages and forecast', async () => {
      const response = await call(`${STUDENT}/subjects/subject-math?period=2`);

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        student: { studentId: 'student-1' },
        period: { number: 2, name: '2 четверть' },
        subjectId: 'subject-math',
        marks: [
          { markId: 'mark-1', value: '5' },
          { markId: 'mark-2', value: '', status: 'voided' },
        ],
        arithmeticAverage: 5,
        weightedAverage: 5,
        marksCount: 1,
        periodMark: null,
        forecast: { expected: '5', weightedAverage: 5, advice: [] },
      });
      expect(requests()).toEqual([
        ['GetSubject', { student_id: 'student-1', subject_id: 'subject-math', period: 2 }],
      ]);
    });

    it('when the period is not given, then the diary gets 0 (the current period)', async () => {
      await call(`${STUDENT}/subjects/subject-math`);
      await call(`${STUDENT}/forecast`);
      await call(`${STUDENT}/summary`);

      expect(requests()).toEqual([
        ['GetSubject', { student_id: 'student-1', subject_id: 'subject-math', period: 0 }],
        ['GetForecast', { student_id: 'student-1', period: 0 }],
        ['GetSummary', { student_id: 'student-1', period: 0 }],
      ]);
    });

    it('when the forecast is read, then every subject comes with its expected mark and the advice in Russian', async () => {
      const response = await call(`${STUDENT}/forecast?period=1`);

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        period: { number: 1 },
        subjects: [
          {
            subjectName: 'Математика',
            marksCount: 3,
            forecast: {
              expected: '4',
              weightedAverage: 4.4,
              advice: ['чтобы выйти на 5, нужна ещё одна пятёрка за контрольную работу'],
            },
            periodMark: null,
          },
        ],
      });
      expect(requests()).toEqual([['GetForecast', { student_id: 'student-1', period: 1 }]]);
    });

    it('when the summary is read, then subjects, attendance counts and final marks come back in camelCase', async () => {
      const response = await call(`${STUDENT}/summary?period=3`);

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        period: { number: 3 },
        subjects: [
          {
            subjectId: 'subject-math',
            arithmeticAverage: 4.33,
            periodMark: { kind: 'period', value: '5', previousValues: [] },
            absences: 1,
            latenesses: 2,
          },
        ],
        attendance: { absences: 1, excused: 1, unexcused: 0, latenesses: 2 },
        finalMarks: [],
      });
      expect(requests()).toEqual([['GetSummary', { student_id: 'student-1', period: 3 }]]);
    });

    it.each([
      ['subjects/subject-math', 'abc', 'Ожидается целое число'],
      ['forecast', '5', 'Значение вне допустимого диапазона'],
      ['summary', '-1', 'Значение вне допустимого диапазона'],
      ['summary', '1.5', 'Ожидается целое число'],
    ])(
      'when %s is read with period=%s, then 400 naming period in Russian, and the diary is not called',
      async (path, period, message) => {
        const response = await call(`${STUDENT}/${path}?period=${period}`);

        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
        expect(await response.json()).toMatchObject({
          status: 400,
          code: 'request.invalid',
          errors: [{ field: 'period', message }],
        });
        expect(app.diary.calls).toHaveLength(0);
      },
    );
  });

  describe('home', () => {
    it('when the home page is read, then the diary is asked with nothing (the actor says who) and every child comes back', async () => {
      const response = await call('/api/v1/diary/home');

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        children: [
          {
            student: { studentId: 'student-1', className: '5А' },
            today: '2026-11-24',
            tomorrow: '2026-11-25',
            homeworkToday: [],
            homeworkTomorrow: [{ text: '№ 245, 246', subjectName: 'Математика' }],
            newestMarks: [{ markId: 'mark-1', lessonTopic: 'Сложение дробей' }],
          },
        ],
      });
      expect(requests()).toEqual([['GetHome', {}]]);
    });
  });

  describe('a school’s diary settings', () => {
    it('when the settings are read, then the diary gets the school from the path', async () => {
      const response = await call('/api/v1/diary/schools/school-1/settings');

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        schoolId: 'school-1',
        showCorrectionReasons: false,
        updatedBy: '',
        updatedAt: '',
      });
      expect(requests()).toEqual([['GetSettings', { school_id: 'school-1' }]]);
    });

    it('when the settings are set, then the diary gets the school, the flag in proto names and the idempotency key', async () => {
      const response = await call('/api/v1/diary/schools/school-1/settings', {
        method: 'PUT',
        body: { showCorrectionReasons: true },
        headers: { 'idempotency-key': 'diary-settings-1' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        schoolId: 'school-1',
        showCorrectionReasons: true,
        updatedBy: 'staff-director',
      });
      expect(requests()).toEqual([['SetSettings', { school_id: 'school-1', show_correction_reasons: true }]]);
      expect(app.diary.calls[0]!.options).toMatchObject({ idempotencyKey: 'diary-settings-1' });
    });

    it.each([
      ['the flag is missing', {}, 'showCorrectionReasons', 'Обязательное поле'],
      ['the flag is text', { showCorrectionReasons: 'да' }, 'showCorrectionReasons', 'Ожидается да/нет'],
      ['there is an unknown field', { showCorrectionReasons: true, extra: 1 }, 'extra', 'Неизвестное поле'],
    ])('when %s, then 400 naming the field, and the diary is not called', async (_, body, field, message) => {
      const response = await call('/api/v1/diary/schools/school-1/settings', { method: 'PUT', body });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({ errors: [{ field, message }] });
      expect(app.diary.calls).toHaveLength(0);
    });
  });

  describe('the read model’s rebuild', () => {
    it('when a rebuild is started, then 202 with the status, its counters as numbers, and the idempotency key passed on', async () => {
      const response = await call('/api/v1/diary/rebuild', {
        method: 'POST',
        headers: { 'idempotency-key': 'rebuild-2026-11-23' },
      });

      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({
        state: 'replaying',
        activeGeneration: 1,
        buildingGeneration: 2,
        startedAt: '2026-11-23T06:00:00.000Z',
        swappedAt: '2026-11-01T00:00:00.000Z',
        eventsApplied: 0,
        lag: 0,
        error: '',
      });
      expect(requests()).toEqual([['RebuildReadModel', {}]]);
      expect(app.diary.calls[0]!.options).toMatchObject({ idempotencyKey: 'rebuild-2026-11-23' });
    });

    it('when the rebuild’s status is read, then the int64 counters come back as numbers', async () => {
      const response = await call('/api/v1/diary/rebuild');

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ state: 'replaying', eventsApplied: 12345, lag: 678 });
      expect(requests()).toEqual([['GetRebuildStatus', {}]]);
    });
  });

  describe('refusals', () => {
    it.each([
      ['GET', `${STUDENT}/week`, undefined],
      ['GET', `${STUDENT}/subjects/subject-math`, undefined],
      ['GET', `${STUDENT}/forecast`, undefined],
      ['GET', `${STUDENT}/summary`, undefined],
      ['GET', '/api/v1/diary/home', undefined],
      ['GET', '/api/v1/diary/schools/school-1/settings', undefined],
      ['PUT', '/api/v1/diary/schools/school-1/settings', { showCorrectionReasons: true }],
      ['POST', '/api/v1/diary/rebuild', undefined],
      ['GET', '/api/v1/diary/rebuild', undefined],
    ])(
      'when the diary refuses %s %s, then 403 access.denied problem+json in Russian; without a token 401 and no call',
      async (method, path, body) => {
        app.diary.failWith(
          new GrpcCallError(
            `${SERVICE}/Any`,
            GRPC_STATUS.PERMISSION_DENIED,
            'refused',
            forbidden('access.denied', 'Недостаточно прав для этого действия'),
          ),
        );

        const refused = await call(path, { method, body });
        const anonymous = await call(path, { method, body, auth: false });

        expect(refused.status).toBe(403);
        expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
        expect(await refused.json()).toMatchObject({
          status: 403,
          code: 'access.denied',
          detail: 'Недостаточно прав для этого действия',
        });
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.get('content-type')).toMatch(PROBLEM_JSON);
        expect(app.diary.calls).toHaveLength(1);
      },
    );

    it('when the diary refuses without its own error, then the bare PERMISSION_DENIED is still 403 problem+json', async () => {
      app.diary.failWith(new GrpcCallError(`${SERVICE}/GetWeek`, GRPC_STATUS.PERMISSION_DENIED, 'denied'));

      const response = await call(`${STUDENT}/week`);

      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(((await response.json()) as Problem).detail).toMatch(/[А-Яа-я]/);
    });

    it('when the diary is away, then 503 problem+json with a Russian detail and no connection details', async () => {
      app.diary.failWith(
        new GrpcCallError(`${SERVICE}/GetWeek`, GRPC_STATUS.UNAVAILABLE, 'connect ECONNREFUSED'),
      );

      const response = await call(`${STUDENT}/week`);

      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const problem = (await response.json()) as Problem;
      expect(problem.detail).toMatch(/[А-Яа-я]/);
      expect(JSON.stringify(problem)).not.toContain('ECONNREFUSED');
    });

    it('when the week is asked for with DELETE, then 405 with Allow: GET', async () => {
      const response = await call(`${STUDENT}/week`, { method: 'DELETE' });

      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET');
      expect(app.diary.calls).toHaveLength(0);
    });
  });

  it('when the OpenAPI document is read, then every diary operation has a response schema and Russian 400/403 examples', () => {
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
    const operations = Object.entries(paths)
      .filter(([path]) => path.startsWith('/api/v1/diary/'))
      .flatMap(([, item]) => Object.values(item));

    expect(operations.map((op) => op.operationId).sort()).toEqual([
      'getDiaryForecast',
      'getDiaryHome',
      'getDiaryRebuildStatus',
      'getDiarySettings',
      'getDiarySubject',
      'getDiarySummary',
      'getDiaryWeek',
      'getDiaryWeekExtract',
      'rebuildDiary',
      'setDiarySettings',
    ]);
    for (const operation of operations) {
      expect(operation.summary).toMatch(/[а-яё]/i);
      const success = operation.responses['200'] ?? operation.responses['202'];
      const [content] = Object.values(success?.content ?? {});
      expect(content?.schema).toBeDefined();
      const denied = operation.responses['403']?.content?.['application/problem+json']?.examples;
      expect(Object.values(denied ?? {}).map((e) => e.value)).toEqual([
        expect.objectContaining({
          status: 403,
          code: 'access.denied',
          detail: expect.stringMatching(/[А-Яа-я]/),
        }),
      ]);
      const bad = operation.responses['400']?.content?.['application/problem+json']?.examples;
      if (operation.operationId !== 'getDiaryHome' && operation.operationId !== 'getDiaryRebuildStatus') {
        for (const example of Object.values(bad ?? { none: { value: {} as Problem } })) {
          expect(example.value).toMatchObject({ status: 400, detail: expect.stringMatching(/[А-Яа-я]/) });
        }
      }
    }
  });
});
