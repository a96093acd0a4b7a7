import { GrpcCallError } from '@edu/grpc';
import { GRPC_STATUS, conflict, forbidden, notFound, precondition, type Problem } from '@edu/kit';
import { apiCaller, devAccessToken, startApp, type RunningApp } from '../helpers';

// Dated lessons, the events calendar and a student's week through the gateway with a fake schedule
// port and real Keycloak tokens: the gateway's part is the contract (names, validation before
// schedule, status codes, the idempotency key).

const SERVICE = 'edu.schedule.v1.ScheduleService';
const PROBLEM_JSON = /^application\/problem\+json/;
const WEEK = 'from=2026-09-07&to=2026-09-13';
const CARD = {
  kind: 'olympiad',
  title: 'Школьный этап олимпиады по математике',
  startsOn: '2026-10-15',
  scope: 'school',
  responsibleId: 'staff-1',
};

describe('gateway: dated lessons, the events calendar and a student’s week', () => {
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

  it('when lessons are listed for a class, a teacher and a school, then schedule gets one of class, teacher with school, or school, with the days, status and flag', async () => {
    const byClass = await call(`/api/v1/classes/class-1/lessons?${WEEK}&status=cancelled&needsDecision=true`);
    const byTeacher = await call(`/api/v1/schools/school-1/lessons?${WEEK}&teacherId=staff-1`);
    const bySchool = await call(`/api/v1/schools/school-1/lessons?${WEEK}`);

    expect(byClass.status).toBe(200);
    expect(await byClass.json()).toMatchObject({
      items: [{ id: 'lesson-1', classId: 'class-1', lessonNumber: 1, status: 'scheduled', version: 1 }],
    });
    expect(byTeacher.status).toBe(200);
    expect(bySchool.status).toBe(200);
    const filter = { from: '2026-09-07', to: '2026-09-13' };
    expect(app.schedule.calls.map((c) => [c.method, c.request])).toEqual([
      [
        'ListLessons',
        {
          class_id: 'class-1',
          school_id: '',
          teacher_id: '',
          ...filter,
          status: 'cancelled',
          needs_decision: true,
        },
      ],
      [
        'ListLessons',
        {
          class_id: '',
          school_id: 'school-1',
          teacher_id: 'staff-1',
          ...filter,
          status: '',
          needs_decision: false,
        },
      ],
      [
        'ListLessons',
        { class_id: '', school_id: 'school-1', teacher_id: '', ...filter, status: '', needs_decision: false },
      ],
    ]);
  });

  it('when a lesson is read, moved, cancelled and kept, then schedule gets the lesson from the path, the fields in proto names and the version as text; the answer is camelCase with the version a number', async () => {
    const read = await call('/api/v1/lessons/lesson-1');
    const moved = await call('/api/v1/lessons/lesson-1/move', {
      method: 'POST',
      body: { expectedVersion: 1, date: '2026-09-10', lessonNumber: 3, reason: 'Учитель на курсах' },
      headers: { 'idempotency-key': 'move-lesson-1' },
    });
    const cancelled = await call('/api/v1/lessons/lesson-1/cancel', {
      method: 'POST',
      body: { expectedVersion: 2, reason: 'Больничный', evenWithJournalContent: true },
    });
    const kept = await call('/api/v1/lessons/lesson-1/keep', {
      method: 'POST',
      body: { expectedVersion: 3 },
    });

    expect(await read.json()).toMatchObject({ id: 'lesson-1', subjectName: 'Математика', version: 1 });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({
      date: '2026-09-10',
      lessonNumber: 3,
      movedFromDate: '2026-09-07',
      movedFromLessonNumber: 1,
      changeReason: 'Учитель на курсах',
      version: 2,
    });
    expect(await cancelled.json()).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'Больничный',
      version: 3,
    });
    expect(await kept.json()).toMatchObject({ origin: 'extra', version: 4 });
    expect(app.schedule.calls.map((c) => [c.method, c.request])).toEqual([
      ['GetLesson', { id: 'lesson-1' }],
      [
        'MoveLesson',
        {
          lesson_id: 'lesson-1',
          expected_version: '1',
          date: '2026-09-10',
          lesson_number: 3,
          reason: 'Учитель на курсах',
        },
      ],
      [
        'CancelLesson',
        {
          lesson_id: 'lesson-1',
          expected_version: '2',
          reason: 'Больничный',
          even_with_journal_content: true,
        },
      ],
      ['KeepLesson', { lesson_id: 'lesson-1', expected_version: '3' }],
    ]);
    expect(app.schedule.calls[1]!.options).toMatchObject({ idempotencyKey: 'move-lesson-1' });
  });

  it('when an extra lesson is added, then 201 with the lesson’s address, the class from the path and the idempotency key', async () => {
    const response = await call('/api/v1/classes/class-1/extra-lessons', {
      method: 'POST',
      body: {
        subjectId: 'subject-math',
        teacherId: 'staff-1',
        date: '2026-09-11',
        lessonNumber: 1,
        reason: 'Консультация перед контрольной',
      },
      headers: { 'idempotency-key': 'extra-class-1' },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/v1/lessons/lesson-extra');
    expect(await response.json()).toMatchObject({ id: 'lesson-extra', origin: 'extra', date: '2026-09-11' });
    expect(app.schedule.calls).toMatchObject([
      {
        method: 'AddExtraLesson',
        request: {
          class_id: 'class-1',
          subject_id: 'subject-math',
          teacher_id: 'staff-1',
          date: '2026-09-11',
          lesson_number: 1,
          reason: 'Консультация перед контрольной',
        },
        options: { idempotencyKey: 'extra-class-1' },
      },
    ]);
  });

  it('when a substitute is assigned and revoked, the daily list and a class’s fulfilment read, then schedule gets each in proto names', async () => {
    const assigned = await call('/api/v1/lessons/lesson-1/substitute', {
      method: 'POST',
      body: { expectedVersion: 1, substituteTeacherId: 'staff-2', reason: 'Больничный' },
    });
    const revoked = await call('/api/v1/lessons/lesson-1/revoke-substitute', {
      method: 'POST',
      body: { expectedVersion: 2, reason: 'Учитель вышел' },
    });
    const daily = await call(`/api/v1/schools/school-1/substitutions?${WEEK}`);
    const all = await call('/api/v1/classes/class-1/curriculum-fulfilment');
    const one = await call('/api/v1/classes/class-1/curriculum-fulfilment?period=2');

    expect(await assigned.json()).toMatchObject({
      substituteTeacherId: 'staff-2',
      substitutionReason: 'Больничный',
    });
    expect(await revoked.json()).toMatchObject({ substituteTeacherId: '', version: 3 });
    expect(await daily.json()).toMatchObject({ items: [{ substituteTeacherId: 'staff-2' }] });
    expect(await all.json()).toMatchObject({
      classId: 'class-1',
      asOf: '2026-11-02',
      lines: [{ period: 1, subjectKey: 'mathematics', planned: 40, scheduled: 39, held: 39, cancelled: 1 }],
    });
    expect(one.status).toBe(200);
    expect(app.schedule.calls.map((c) => [c.method, c.request])).toEqual([
      [
        'AssignSubstitute',
        {
          lesson_id: 'lesson-1',
          expected_version: '1',
          substitute_teacher_id: 'staff-2',
          reason: 'Больничный',
        },
      ],
      ['RevokeSubstitute', { lesson_id: 'lesson-1', expected_version: '2', reason: 'Учитель вышел' }],
      ['ListSubstitutions', { school_id: 'school-1', from: '2026-09-07', to: '2026-09-13' }],
      ['GetCurriculumFulfilment', { class_id: 'class-1', period: 0 }],
      ['GetCurriculumFulfilment', { class_id: 'class-1', period: 2 }],
    ]);
  });

  it('when an event is entered late, then 201 with its address, the card nested for schedule, the key passed, and the warning in the answer', async () => {
    const response = await call('/api/v1/schools/school-1/school-events', {
      method: 'POST',
      body: { academicYearId: 'year-1', ...CARD, place: 'Актовый зал', participantIds: ['student-1'] },
      headers: { 'idempotency-key': 'event-olympiad' },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/v1/school-events/event-1');
    expect(await response.json()).toMatchObject({
      id: 'event-1',
      kindName: 'Олимпиада',
      lateNotice: true,
      warnings: [{ code: 'event.late_notice', message: expect.stringMatching(/14 дней/) }],
      version: 1,
    });
    expect(app.schedule.calls).toMatchObject([
      {
        method: 'CreateSchoolEvent',
        request: {
          school_id: 'school-1',
          academic_year_id: 'year-1',
          card: {
            kind: 'olympiad',
            title: CARD.title,
            starts_on: '2026-10-15',
            scope: 'school',
            responsible_id: 'staff-1',
            place: 'Актовый зал',
            participant_ids: ['student-1'],
          },
        },
        options: { idempotencyKey: 'event-olympiad' },
      },
    ]);
    expect(app.schedule.calls[0]!.request).not.toHaveProperty('card.academic_year_id');
  });

  it('when an event is read, listed, changed, cancelled and given results, and the warnings and a student’s week read, then schedule gets each from the path, query and body', async () => {
    const read = await call('/api/v1/school-events/event-1');
    const listed = await call(
      '/api/v1/schools/school-1/school-events?academicYearId=year-1&from=2026-10-01&studentId=student-1',
    );
    const changed = await call('/api/v1/school-events/event-1', {
      method: 'PUT',
      body: { expectedVersion: 1, ...CARD, scope: 'classes', classIds: ['class-1'] },
    });
    const cancelled = await call('/api/v1/school-events/event-1/cancel', {
      method: 'POST',
      body: { expectedVersion: 2, reason: 'Перенос олимпиады' },
    });
    const results = await call('/api/v1/school-events/event-1/results', {
      method: 'POST',
      body: {
        expectedVersion: 2,
        resultsSummary: 'Проведено',
        participantResults: [{ personId: 'student-1', result: 'Призёр' }],
      },
    });
    const warnings = await call('/api/v1/schools/school-1/calendar-warnings?academicYearId=year-1');
    const week = await call('/api/v1/students/student-1/timetable/2?academicYearId=year-1');

    expect(await read.json()).toMatchObject({ id: 'event-1', status: 'scheduled' });
    expect(await listed.json()).toMatchObject({ items: [{ schoolId: 'school-1' }] });
    expect(await changed.json()).toMatchObject({ scope: 'classes', classIds: ['class-1'], version: 2 });
    expect(await cancelled.json()).toMatchObject({ status: 'cancelled', cancelReason: 'Перенос олимпиады' });
    expect(await results.json()).toMatchObject({
      resultsSummary: 'Проведено',
      participantResults: [{ personId: 'student-1', result: 'Призёр' }],
    });
    expect(await warnings.json()).toMatchObject({
      items: [{ code: 'calendar.transfer_late_notice', worksAs: 1, workingDaysAhead: 1 }],
    });
    expect(await week.json()).toMatchObject({
      studentId: 'student-1',
      className: '5А',
      timetable: { classId: 'class-1', version: 1, entries: [{ lessonNumber: 1 }] },
      publication: { version: 1 },
    });
    expect(app.schedule.calls.map((c) => [c.method, c.request])).toEqual([
      ['GetSchoolEvent', { id: 'event-1' }],
      [
        'ListSchoolEvents',
        {
          school_id: 'school-1',
          academic_year_id: 'year-1',
          from: '2026-10-01',
          to: '',
          class_id: '',
          student_id: 'student-1',
        },
      ],
      [
        'ChangeSchoolEvent',
        {
          id: 'event-1',
          card: {
            kind: 'olympiad',
            title: CARD.title,
            starts_on: '2026-10-15',
            scope: 'classes',
            class_ids: ['class-1'],
            responsible_id: 'staff-1',
          },
          expected_version: '1',
        },
      ],
      ['CancelSchoolEvent', { id: 'event-1', expected_version: '2', reason: 'Перенос олимпиады' }],
      [
        'RecordSchoolEventResults',
        {
          id: 'event-1',
          expected_version: '2',
          results_summary: 'Проведено',
          participant_results: [{ person_id: 'student-1', result: 'Призёр' }],
        },
      ],
      ['ListCalendarWarnings', { school_id: 'school-1', academic_year_id: 'year-1' }],
      ['GetStudentTimetable', { student_id: 'student-1', academic_year_id: 'year-1', period: 2 }],
    ]);
  });

  it.each([
    {
      what: 'a class’s lessons without days and with an unknown status',
      method: 'GET',
      path: '/api/v1/classes/class-1/lessons?status=held',
      fields: ['from', 'to', 'status'],
    },
    {
      what: 'a school’s lessons with a malformed day and a flag that is not true/false',
      method: 'GET',
      path: '/api/v1/schools/school-1/lessons?from=7.09.2026&to=2026-09-13&needsDecision=yes',
      fields: ['from', 'needsDecision'],
    },
    {
      what: 'a move without a reason to lesson 0',
      method: 'POST',
      path: '/api/v1/lessons/lesson-1/move',
      body: { expectedVersion: 1, date: '2026-09-10', lessonNumber: 0 },
      fields: ['lessonNumber', 'reason'],
    },
    {
      what: 'a cancel with an empty reason and version 0',
      method: 'POST',
      path: '/api/v1/lessons/lesson-1/cancel',
      body: { expectedVersion: 0, reason: '' },
      fields: ['expectedVersion', 'reason'],
    },
    {
      what: 'a keep without the version',
      method: 'POST',
      path: '/api/v1/lessons/lesson-1/keep',
      body: {},
      fields: ['expectedVersion'],
    },
    {
      what: 'an extra lesson without a teacher and with an unknown field',
      method: 'POST',
      path: '/api/v1/classes/class-1/extra-lessons',
      body: { subjectId: 's', date: '2026-09-11', lessonNumber: 1, reason: 'r', shift: 2 },
      fields: ['teacherId', 'shift'],
    },
    {
      what: 'a substitute without a reason of 301 characters',
      method: 'POST',
      path: '/api/v1/lessons/lesson-1/substitute',
      body: { expectedVersion: 1, substituteTeacherId: 'staff-2', reason: 'x'.repeat(301) },
      fields: ['reason'],
    },
    {
      what: 'a revocation without a reason',
      method: 'POST',
      path: '/api/v1/lessons/lesson-1/revoke-substitute',
      body: { expectedVersion: 1 },
      fields: ['reason'],
    },
    {
      what: 'substitutions without days',
      method: 'GET',
      path: '/api/v1/schools/school-1/substitutions',
      fields: ['from', 'to'],
    },
    {
      what: 'the fulfilment of period 5',
      method: 'GET',
      path: '/api/v1/classes/class-1/curriculum-fulfilment?period=5',
      fields: ['period'],
    },
    {
      what: 'an event without a year, of an unknown kind, ending at 25:00',
      method: 'POST',
      path: '/api/v1/schools/school-1/school-events',
      body: { ...CARD, kind: 'concert', startsAt: '18:00', endsAt: '25:00' },
      fields: ['academicYearId', 'kind', 'endsAt'],
    },
    {
      what: 'events without the year',
      method: 'GET',
      path: '/api/v1/schools/school-1/school-events?from=2026-10-01',
      fields: ['academicYearId'],
    },
    {
      what: 'an event’s change without the version and with the year',
      method: 'PUT',
      path: '/api/v1/school-events/event-1',
      body: { ...CARD, academicYearId: 'year-1' },
      fields: ['expectedVersion', 'academicYearId'],
    },
    {
      what: 'an event’s cancellation without a reason',
      method: 'POST',
      path: '/api/v1/school-events/event-1/cancel',
      body: { expectedVersion: 1 },
      fields: ['reason'],
    },
    {
      what: 'results with a participant’s empty result',
      method: 'POST',
      path: '/api/v1/school-events/event-1/results',
      body: { expectedVersion: 1, participantResults: [{ personId: 'student-1', result: '' }] },
      fields: ['participantResults[0].result'],
    },
    {
      what: 'calendar warnings without the year',
      method: 'GET',
      path: '/api/v1/schools/school-1/calendar-warnings',
      fields: ['academicYearId'],
    },
    {
      what: 'a student’s week of period 0 without the year',
      method: 'GET',
      path: '/api/v1/students/student-1/timetable/0',
      fields: ['period', 'academicYearId'],
    },
  ])(
    'when $what is sent, then 400 naming each field, and schedule is not called',
    async ({ method, path, body, fields }) => {
      const response = await call(path, { method, body });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const problem = (await response.json()) as Problem;
      expect(problem.code).toBe('request.invalid');
      expect(problem.errors?.map((e) => e.field).sort()).toEqual([...fields].sort());
      expect(app.schedule.calls).toHaveLength(0);
    },
  );

  it.each([
    [
      'lesson.teacher_busy',
      precondition('lesson.teacher_busy', 'Педагог в это время ведёт другой урок', [
        { field: 'lessonNumber', message: 'В четверг на 3-м уроке он ведёт урок в 5Б' },
      ]),
      GRPC_STATUS.FAILED_PRECONDITION,
      422,
    ],
    [
      'lesson.version_conflict',
      conflict('lesson.version_conflict', 'Урок уже изменили'),
      GRPC_STATUS.ALREADY_EXISTS,
      409,
    ],
    ['lesson.not_found', notFound('lesson.not_found', 'Урок не найден'), GRPC_STATUS.NOT_FOUND, 404],
  ])(
    'when schedule refuses a move with %s, then its status, code and Russian detail reach the client',
    async (_code, error, status, httpStatus) => {
      app.schedule.failWith(new GrpcCallError(`${SERVICE}/MoveLesson`, status, 'refused', error));

      const response = await call('/api/v1/lessons/lesson-1/move', {
        method: 'POST',
        body: { expectedVersion: 1, date: '2026-09-10', lessonNumber: 3, reason: 'Учитель на курсах' },
      });

      expect(response.status).toBe(httpStatus);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({ code: error.code, detail: error.detail });
    },
  );

  it.each([
    ['GET', `/api/v1/classes/class-1/lessons?${WEEK}`, undefined],
    ['GET', `/api/v1/schools/school-1/lessons?${WEEK}`, undefined],
    ['GET', '/api/v1/lessons/lesson-1', undefined],
    [
      'POST',
      '/api/v1/lessons/lesson-1/move',
      { expectedVersion: 1, date: '2026-09-10', lessonNumber: 3, reason: 'r' },
    ],
    ['POST', '/api/v1/lessons/lesson-1/cancel', { expectedVersion: 1, reason: 'r' }],
    ['POST', '/api/v1/lessons/lesson-1/keep', { expectedVersion: 1 }],
    [
      'POST',
      '/api/v1/classes/class-1/extra-lessons',
      { subjectId: 's', teacherId: 't', date: '2026-09-11', lessonNumber: 1, reason: 'r' },
    ],
    [
      'POST',
      '/api/v1/lessons/lesson-1/substitute',
      { expectedVersion: 1, substituteTeacherId: 't', reason: 'r' },
    ],
    ['POST', '/api/v1/lessons/lesson-1/revoke-substitute', { expectedVersion: 1, reason: 'r' }],
    ['GET', `/api/v1/schools/school-1/substitutions?${WEEK}`, undefined],
    ['GET', '/api/v1/classes/class-1/curriculum-fulfilment', undefined],
    ['POST', '/api/v1/schools/school-1/school-events', { academicYearId: 'y', ...CARD }],
    ['GET', '/api/v1/schools/school-1/school-events?academicYearId=y', undefined],
    ['GET', '/api/v1/school-events/event-1', undefined],
    ['PUT', '/api/v1/school-events/event-1', { expectedVersion: 1, ...CARD }],
    ['POST', '/api/v1/school-events/event-1/cancel', { expectedVersion: 1, reason: 'r' }],
    ['POST', '/api/v1/school-events/event-1/results', { expectedVersion: 1 }],
    ['GET', '/api/v1/schools/school-1/calendar-warnings?academicYearId=y', undefined],
    ['GET', '/api/v1/students/student-1/timetable/1?academicYearId=y', undefined],
  ])(
    'when schedule refuses a teacher’s %s %s, then 403 access.denied; without a token 401',
    async (method, path, body) => {
      token = await devAccessToken('teacher');
      app.schedule.failWith(
        new GrpcCallError(
          `${SERVICE}/Any`,
          GRPC_STATUS.PERMISSION_DENIED,
          'denied',
          forbidden('access.denied', 'Недостаточно прав для этого действия'),
        ),
      );

      const refused = await call(path, { method, body });
      const anonymous = await call(path, { method, body, auth: false });
      token = await devAccessToken('schoolAdmin');

      expect(refused.status).toBe(403);
      expect(((await refused.json()) as Problem).code).toBe('access.denied');
      expect(anonymous.status).toBe(401);
      expect(app.schedule.calls).toHaveLength(1);
    },
  );
});
