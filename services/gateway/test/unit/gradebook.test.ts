import { GrpcCallError } from '@edu/grpc';
import { GRPC_STATUS, conflict, forbidden, invalid, precondition, type Problem } from '@edu/kit';
import { openApiDocument } from '../../src/entry-points/http/openapi';
import { apiCaller, devAccessToken, startApp, type RunningApp } from '../helpers';

// The class journal through the gateway with a fake gradebook port and real Keycloak tokens: the
// gateway's part is the contract (names, validation before gradebook, status codes, the
// idempotency key); who may do what is gradebook's decision, faked here as its gRPC errors.

const SERVICE = 'edu.gradebook.v1.GradebookService';
const PROBLEM_JSON = /^application\/problem\+json/;
const POLICY = {
  scales: [{ grades: [1], subjectKeys: [], scale: 'none' }],
  workTypes: [
    { key: 'oral', name: 'Устный ответ', weight: 1, active: true },
    { key: 'test', name: 'Контрольная работа', weight: 2, active: true },
  ],
  entryDeadline: 'days',
  entryDays: 14,
  correctionDays: 7,
  periodMarkWindowDays: 5,
  accumulation: [{ minHoursPerWeek: 0, minMarks: 3 }],
  allowNotAttested: true,
  allowExempt: true,
  roundingThreshold: 0.5,
  lowMarkThreshold: 2,
};
const COURSE = '/api/v1/classes/class-1/subjects/subject-math';

describe('gateway: the class journal (gradebook)', () => {
  let app: RunningApp;
  let token: string;
  const call = apiCaller(
    () => app,
    () => token,
  );
  const requests = () => app.gradebook.calls.map((c) => [c.method, c.request]);

  beforeAll(async () => {
    token = await devAccessToken('schoolAdmin');
    app = await startApp();
  });
  afterAll(() => app.close());
  beforeEach(() => app.gradebook.reset());

  describe('grading policy', () => {
    it('when the policy is read, then gradebook gets the school from the path; the answer is camelCase with the version a number', async () => {
      const response = await call('/api/v1/schools/school-1/grading-policy');

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        schoolId: 'school-1',
        entryDeadline: 'same_day',
        workTypes: [{ key: 'oral', name: 'Устный ответ', weight: 1, active: true }, { key: 'test' }],
        accumulation: [{ minHoursPerWeek: 0, minMarks: 3 }],
        version: 0,
      });
      expect(requests()).toEqual([['GetGradingPolicy', { school_id: 'school-1' }]]);
    });

    it('when the policy is set, then gradebook gets it whole in proto names with the school from the path, the version as text and the idempotency key', async () => {
      const response = await call('/api/v1/schools/school-1/grading-policy', {
        method: 'PUT',
        body: { expectedVersion: 0, ...POLICY },
        headers: { 'idempotency-key': 'policy-school-1' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        schoolId: 'school-1',
        entryDeadline: 'days',
        version: 1,
      });
      expect(requests()).toEqual([
        [
          'SetGradingPolicy',
          {
            expected_version: '0',
            policy: {
              school_id: 'school-1',
              scales: [{ grades: [1], subject_keys: [], scale: 'none' }],
              work_types: POLICY.workTypes,
              entry_deadline: 'days',
              entry_days: 14,
              correction_days: 7,
              period_mark_window_days: 5,
              accumulation: [{ min_hours_per_week: 0, min_marks: 3 }],
              allow_not_attested: true,
              allow_exempt: true,
              rounding_threshold: 0.5,
              low_mark_threshold: 2,
            },
          },
        ],
      ]);
      expect(app.gradebook.calls[0]!.options).toMatchObject({ idempotencyKey: 'policy-school-1' });
    });

    it('when gradebook refuses the policy with its own error, then its status, code, Russian detail and fields reach the client', async () => {
      const error = invalid('policy.invalid', 'Политика оценивания заполнена с ошибками', [
        { field: 'workTypes[1].key', message: 'Такой вид работы уже есть' },
      ]);
      app.gradebook.failWith(
        new GrpcCallError(`${SERVICE}/SetGradingPolicy`, GRPC_STATUS.INVALID_ARGUMENT, 'refused', error),
      );

      const response = await call('/api/v1/schools/school-1/grading-policy', {
        method: 'PUT',
        body: { expectedVersion: 0, ...POLICY },
      });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({
        code: 'policy.invalid',
        detail: 'Политика оценивания заполнена с ошибками',
        errors: [{ field: 'workTypes[1].key', message: 'Такой вид работы уже есть' }],
      });
    });
  });

  describe('lesson records', () => {
    it('when a lesson’s record is read, then the record and the lesson’s students come back in camelCase', async () => {
      const response = await call('/api/v1/lessons/lesson-1/record');

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        record: { lessonId: 'lesson-1', classId: 'class-1', topic: null, marks: [], version: 0 },
        students: [
          { studentId: 'student-1', displayName: 'Иванов Иван Иванович' },
          { studentId: 'student-2' },
        ],
      });
      expect(requests()).toEqual([['GetLessonRecord', { lesson_id: 'lesson-1' }]]);
    });

    it('when a lesson is saved whole, then gradebook gets the lesson from the path, every part in proto names, the lists wrapped and the idempotency key', async () => {
      const response = await call('/api/v1/lessons/lesson-1/record', {
        method: 'PUT',
        headers: { 'idempotency-key': 'save-lesson-1' },
        body: {
          expectedVersion: 0,
          topic: { text: 'Сложение натуральных чисел', planItemId: 'item-1' },
          homework: { text: '№ 12, 14', dueDate: '2026-09-09' },
          individualHomework: [{ studentId: 'student-2', text: '№ 15', attachments: ['file-1'] }],
          marks: [
            { studentId: 'student-1', value: '5', workType: 'oral' },
            { studentId: 'student-2', value: 'н/а', workType: 'test', comment: 'Болела' },
          ],
          attendance: [
            { studentId: 'student-2', kind: 'absent' },
            { studentId: 'student-3', kind: 'late', lateMinutes: 10 },
          ],
        },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        record: {
          lessonId: 'lesson-1',
          topic: { text: 'Сложение натуральных чисел', planItemId: 'item-1' },
          marks: [
            {
              markId: 'mark-1',
              studentId: 'student-1',
              value: '5',
              workType: 'oral',
              history: [{ kind: 'posted' }],
            },
            { markId: 'mark-2', studentId: 'student-2', value: 'н/а' },
          ],
          attendance: [
            { studentId: 'student-2', kind: 'absent' },
            { kind: 'late', lateMinutes: 10 },
          ],
          attendanceTaken: true,
          version: 1,
        },
      });
      expect(requests()).toEqual([
        [
          'SaveLessonRecord',
          {
            lesson_id: 'lesson-1',
            expected_version: '0',
            topic: { text: 'Сложение натуральных чисел', plan_item_id: 'item-1' },
            homework: { text: '№ 12, 14', due_date: '2026-09-09', attachments: [] },
            individual_homework: {
              items: [{ student_id: 'student-2', text: '№ 15', due_date: '', attachments: ['file-1'] }],
            },
            marks: [
              { student_id: 'student-1', value: '5', work_type: 'oral', comment: '' },
              { student_id: 'student-2', value: 'н/а', work_type: 'test', comment: 'Болела' },
            ],
            attendance: {
              items: [
                { student_id: 'student-2', kind: 'absent', late_minutes: 0 },
                { student_id: 'student-3', kind: 'late', late_minutes: 10 },
              ],
            },
          },
        ],
      ]);
      expect(app.gradebook.calls[0]!.options).toMatchObject({ idempotencyKey: 'save-lesson-1' });
    });

    it('when only attendance is saved as an empty list, then the other parts stay absent and the empty list still reaches gradebook (everyone was present)', async () => {
      const response = await call('/api/v1/lessons/lesson-1/record', {
        method: 'PUT',
        body: { expectedVersion: 2, attendance: [] },
      });

      expect(response.status).toBe(200);
      const [, request] = requests()[0]!;
      expect(request).toEqual({
        lesson_id: 'lesson-1',
        expected_version: '2',
        marks: [],
        attendance: { items: [] },
      });
      expect(request).not.toHaveProperty('topic');
      expect(request).not.toHaveProperty('individual_homework');
    });

    it('when a mark is corrected and voided, then gradebook gets the lesson and mark from the path and the reason', async () => {
      const corrected = await call('/api/v1/lessons/lesson-1/marks/mark-1/corrections', {
        method: 'POST',
        body: {
          expectedVersion: 1,
          value: '4',
          reason: 'Ошибка при выставлении',
          orderRef: '№ 45 от 12.11.2026',
        },
      });
      const voided = await call('/api/v1/lessons/lesson-1/marks/mark-1/void', {
        method: 'POST',
        body: { expectedVersion: 2, reason: 'Поставлена не тому ученику' },
      });

      expect(corrected.status).toBe(200);
      expect(await corrected.json()).toMatchObject({
        record: { marks: [{ markId: 'mark-1', value: '4', corrected: true }], version: 2 },
      });
      expect(voided.status).toBe(200);
      expect(await voided.json()).toMatchObject({ record: { marks: [{ status: 'voided' }], version: 3 } });
      expect(requests()).toEqual([
        [
          'CorrectMark',
          {
            lesson_id: 'lesson-1',
            mark_id: 'mark-1',
            expected_version: '1',
            value: '4',
            reason: 'Ошибка при выставлении',
            order_ref: '№ 45 от 12.11.2026',
          },
        ],
        [
          'VoidMark',
          {
            lesson_id: 'lesson-1',
            mark_id: 'mark-1',
            expected_version: '2',
            reason: 'Поставлена не тому ученику',
          },
        ],
      ]);
    });

    it('when a student’s absences get a reason, then gradebook gets the class and student from the path; the changed records come back as items', async () => {
      const response = await call('/api/v1/classes/class-1/students/student-2/absence-reasons', {
        method: 'POST',
        body: { from: '2026-09-07', to: '2026-09-11', reason: 'illness', note: 'Справка № 15' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ items: [{ lessonId: 'lesson-1', version: 3 }] });
      expect(requests()).toEqual([
        [
          'SetAbsenceReason',
          {
            class_id: 'class-1',
            student_id: 'student-2',
            from: '2026-09-07',
            to: '2026-09-11',
            reason: 'illness',
            note: 'Справка № 15',
          },
        ],
      ]);
    });

    it.each([
      [
        'record.window_closed',
        precondition(
          'record.window_closed',
          'Срок внесения записей за урок 07.09.2026 истёк: исправления — через заместителя директора',
        ),
        GRPC_STATUS.FAILED_PRECONDITION,
        422,
      ],
      [
        'record.version_conflict',
        conflict('record.version_conflict', 'Урок уже изменён другим пользователем или в другой вкладке'),
        GRPC_STATUS.ALREADY_EXISTS,
        409,
      ],
      [
        'record.invalid',
        invalid('record.invalid', 'Запись урока не сохранена: исправьте ошибки', [
          { field: 'marks[0].value', message: 'Отметка «зачёт» не принята: шкала предмета — от 1 до 5' },
        ]),
        GRPC_STATUS.INVALID_ARGUMENT,
        400,
      ],
    ])(
      'when gradebook refuses a save with %s, then its status, code and Russian detail reach the client',
      async (_code, error, status, httpStatus) => {
        app.gradebook.failWith(new GrpcCallError(`${SERVICE}/SaveLessonRecord`, status, 'refused', error));

        const response = await call('/api/v1/lessons/lesson-1/record', {
          method: 'PUT',
          body: { expectedVersion: 1, marks: [{ studentId: 'student-1', value: 'зачёт', workType: 'oral' }] },
        });

        expect(response.status).toBe(httpStatus);
        expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
        expect(await response.json()).toMatchObject({ code: error.code, detail: error.detail });
      },
    );
  });

  describe('period marks and thematic plans', () => {
    it('when a period mark is set, listed and the lacking marks read, then gradebook gets the course from the path and the filters as "" / 0 when absent', async () => {
      const set = await call(`${COURSE}/period-marks`, {
        method: 'PUT',
        body: { studentId: 'student-1', kind: 'period', period: 1, value: '5', expectedVersion: 0 },
      });
      const filtered = await call(
        '/api/v1/classes/class-1/period-marks?subjectId=subject-math&kind=period&period=1',
      );
      const all = await call('/api/v1/classes/class-1/period-marks');
      const lacking = await call(`${COURSE}/lacking-marks?period=1&subgroupId=subgroup-1`);

      expect(set.status).toBe(200);
      expect(await set.json()).toMatchObject({
        studentId: 'student-1',
        kind: 'period',
        period: 1,
        version: 1,
      });
      expect(await filtered.json()).toMatchObject({
        items: [{ periodMarkId: expect.any(String), value: '5' }],
      });
      expect(all.status).toBe(200);
      expect(await lacking.json()).toEqual({
        required: 5,
        hoursPerWeek: 5,
        students: [
          { studentId: 'student-2', displayName: 'Петрова Анна Сергеевна', marksCount: 2, required: 5 },
        ],
        periodEndsOn: '2026-10-26',
        daysLeft: 4,
      });
      expect(requests()).toEqual([
        [
          'SetPeriodMark',
          {
            student_id: 'student-1',
            course: { class_id: 'class-1', subgroup_id: '', subject_id: 'subject-math' },
            kind: 'period',
            period: 1,
            value: '5',
            expected_version: '0',
            reason: '',
            order_ref: '',
          },
        ],
        ['ListPeriodMarks', { class_id: 'class-1', subject_id: 'subject-math', kind: 'period', period: 1 }],
        ['ListPeriodMarks', { class_id: 'class-1', subject_id: '', kind: '', period: 0 }],
        [
          'ListLackingMarks',
          {
            course: { class_id: 'class-1', subgroup_id: 'subgroup-1', subject_id: 'subject-math' },
            period: 1,
          },
        ],
      ]);
    });

    it('when a thematic plan is set, read and its progress read, then gradebook gets the course (the subgroup from the query) and the items in proto names', async () => {
      const set = await call(`${COURSE}/thematic-plan?subgroupId=subgroup-1`, {
        method: 'PUT',
        headers: { 'idempotency-key': 'plan-class-1-math' },
        body: {
          expectedVersion: 0,
          items: [
            { section: 'Натуральные числа', title: 'Ряд натуральных чисел', hours: 2 },
            { itemId: 'item-2', title: 'Контрольная работа № 1', hours: 1, controlWork: true },
          ],
        },
      });
      const read = await call(`${COURSE}/thematic-plan`);
      const progress = await call(`${COURSE}/thematic-plan/progress`);

      expect(set.status).toBe(200);
      expect(await set.json()).toMatchObject({ subgroupId: 'subgroup-1', version: 1, hoursMismatch: true });
      expect(await read.json()).toMatchObject({
        items: [{ itemId: 'item-1', controlWork: false }],
        version: 1,
      });
      expect(await progress.json()).toMatchObject({
        plan: { courseId: 'year-1:class-1:-:subject-math' },
        periods: [{ period: 1, lessonsHeld: 8, lessonsWithTopic: 7, itemsDone: 1, hoursDone: 2 }],
        itemsLeft: [],
      });
      const whole = { class_id: 'class-1', subgroup_id: '', subject_id: 'subject-math' };
      expect(requests()).toEqual([
        [
          'SetThematicPlan',
          {
            course: { ...whole, subgroup_id: 'subgroup-1' },
            expected_version: '0',
            items: [
              {
                item_id: '',
                section: 'Натуральные числа',
                title: 'Ряд натуральных чисел',
                hours: 2,
                control_work: false,
              },
              {
                item_id: 'item-2',
                section: '',
                title: 'Контрольная работа № 1',
                hours: 1,
                control_work: true,
              },
            ],
          },
        ],
        ['GetThematicPlan', { course: whole }],
        ['GetPlanProgress', { course: whole }],
      ]);
      expect(app.gradebook.calls[0]!.options).toMatchObject({ idempotencyKey: 'plan-class-1-math' });
    });
    it('when gradebook finds the plan changed since it was read, then 409 with its code and Russian detail', async () => {
      const error = conflict(
        'plan.version_conflict',
        'Тематический план уже изменили: обновите страницу и повторите',
      );
      app.gradebook.failWith(
        new GrpcCallError(`${SERVICE}/SetThematicPlan`, GRPC_STATUS.ALREADY_EXISTS, 'refused', error),
      );

      const response = await call(`${COURSE}/thematic-plan`, {
        method: 'PUT',
        body: { expectedVersion: 1, items: [{ title: 'Ряд натуральных чисел', hours: 2 }] },
      });

      expect(response.status).toBe(409);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({ code: 'plan.version_conflict', detail: error.detail });
    });
  });

  describe('journal reads', () => {
    it('when the journal page, a student’s marks, a teacher’s day and journal keeping are read, then gradebook gets the path and query in proto names', async () => {
      const page = await call(`${COURSE}/journal?period=1`);
      const marks = await call('/api/v1/classes/class-1/students/student-1/marks?period=2');
      const day = await call('/api/v1/teachers/staff-1/day?date=2026-09-07');
      const today = await call('/api/v1/teachers/staff-1/day');
      const keeping = await call(
        '/api/v1/schools/school-1/journal-keeping?from=2026-09-01&to=2026-09-30&teacherId=staff-1',
      );

      expect(page.status).toBe(200);
      expect(await page.json()).toMatchObject({
        className: '5А',
        subjectName: 'Математика',
        period: 1,
        scale: 'five_point',
        students: [{ studentId: 'student-1' }, { studentId: 'student-2' }],
        lessons: [{ lessonId: 'lesson-1', marks: [{ value: '5' }], version: 1 }],
        averages: [{ studentId: 'student-1', weightedAverage: 5, marksCount: 1 }],
        workTypes: [{ key: 'oral' }, { key: 'test' }],
      });
      expect(await marks.json()).toMatchObject({
        studentId: 'student-1',
        period: 2,
        subjects: [
          {
            subjectName: 'Математика',
            marks: [{ lessonId: 'lesson-1', mark: { value: '5' } }],
            periodMark: null,
          },
        ],
      });
      expect(await day.json()).toMatchObject({
        teacherId: 'staff-1',
        lessons: [{ className: '5А', missing: ['topic', 'attendance', 'homework', 'marks'], editable: true }],
      });
      expect(today.status).toBe(200);
      expect(await keeping.json()).toMatchObject({
        items: [
          { teacherName: 'Петрова Ольга Ивановна', week: '2026-09-07', enteredLate: 1, marksDensity: 0.09 },
        ],
      });
      expect(requests()).toEqual([
        [
          'GetJournalPage',
          { course: { class_id: 'class-1', subgroup_id: '', subject_id: 'subject-math' }, period: 1 },
        ],
        ['GetStudentMarks', { class_id: 'class-1', student_id: 'student-1', period: 2 }],
        ['GetTeacherDay', { teacher_id: 'staff-1', date: '2026-09-07' }],
        ['GetTeacherDay', { teacher_id: 'staff-1', date: '' }],
        [
          'GetJournalKeeping',
          {
            school_id: 'school-1',
            from: '2026-09-01',
            to: '2026-09-30',
            teacher_id: 'staff-1',
            class_id: '',
          },
        ],
      ]);
    });
  });

  it.each([
    {
      what: 'a policy without the version, with an unknown entry deadline and a work type of weight 0',
      method: 'PUT',
      path: '/api/v1/schools/school-1/grading-policy',
      body: { ...POLICY, entryDeadline: 'whenever', workTypes: [{ ...POLICY.workTypes[0], weight: 0 }] },
      fields: ['expectedVersion', 'entryDeadline', 'workTypes[0].weight'],
    },
    {
      what: 'a save with a mark of 6, a mark without a work type, lateness of 120 minutes and an unknown field',
      method: 'PUT',
      path: '/api/v1/lessons/lesson-1/record',
      body: {
        expectedVersion: 0,
        marks: [
          { studentId: 'student-1', value: '6', workType: 'oral' },
          { studentId: 'student-2', value: '4' },
        ],
        attendance: [{ studentId: 'student-2', kind: 'late', lateMinutes: 120 }],
        grade: 5,
      },
      fields: ['marks[0].value', 'marks[1].workType', 'attendance[0].lateMinutes', 'grade'],
    },
    {
      what: 'a save without the version, with an empty topic and homework due on a malformed day',
      method: 'PUT',
      path: '/api/v1/lessons/lesson-1/record',
      body: { topic: { text: '' }, homework: { text: '№ 12', dueDate: '9.09.2026' } },
      fields: ['expectedVersion', 'topic.text', 'homework.dueDate'],
    },
    {
      what: 'a correction without a reason at version 0',
      method: 'POST',
      path: '/api/v1/lessons/lesson-1/marks/mark-1/corrections',
      body: { expectedVersion: 0, value: '4' },
      fields: ['expectedVersion', 'reason'],
    },
    {
      what: 'a void with a reason of 301 characters',
      method: 'POST',
      path: '/api/v1/lessons/lesson-1/marks/mark-1/void',
      body: { expectedVersion: 1, reason: 'x'.repeat(301) },
      fields: ['reason'],
    },
    {
      what: 'an absence reason of an unknown kind without the last day',
      method: 'POST',
      path: '/api/v1/classes/class-1/students/student-2/absence-reasons',
      body: { from: '2026-09-07', reason: 'holiday' },
      fields: ['to', 'reason'],
    },
    {
      what: 'a period mark of an unknown kind for period 5 without a value',
      method: 'PUT',
      path: `${COURSE}/period-marks`,
      body: { studentId: 'student-1', kind: 'quarter', period: 5, expectedVersion: 0 },
      fields: ['kind', 'period', 'value'],
    },
    {
      what: 'period marks of an unknown kind',
      method: 'GET',
      path: '/api/v1/classes/class-1/period-marks?kind=quarter&period=x',
      fields: ['kind', 'period'],
    },
    {
      what: 'lacking marks without the period',
      method: 'GET',
      path: `${COURSE}/lacking-marks`,
      fields: ['period'],
    },
    {
      what: 'a thematic plan with a topic without a title and with negative hours',
      method: 'PUT',
      path: `${COURSE}/thematic-plan`,
      body: { expectedVersion: 0, items: [{ hours: -1 }] },
      fields: ['items[0].title', 'items[0].hours'],
    },
    {
      what: 'a plan with an empty subgroup',
      method: 'GET',
      path: `${COURSE}/thematic-plan?subgroupId=`,
      fields: ['subgroupId'],
    },
    {
      what: 'a plan’s progress with an empty subgroup',
      method: 'GET',
      path: `${COURSE}/thematic-plan/progress?subgroupId=`,
      fields: ['subgroupId'],
    },
    {
      what: 'a journal page without the period',
      method: 'GET',
      path: `${COURSE}/journal`,
      fields: ['period'],
    },
    {
      what: 'a student’s marks for period 0',
      method: 'GET',
      path: '/api/v1/classes/class-1/students/student-1/marks?period=0',
      fields: ['period'],
    },
    {
      what: 'a teacher’s day on a malformed date',
      method: 'GET',
      path: '/api/v1/teachers/staff-1/day?date=07.09.2026',
      fields: ['date'],
    },
    {
      what: 'journal keeping without the days',
      method: 'GET',
      path: '/api/v1/schools/school-1/journal-keeping',
      fields: ['from', 'to'],
    },
  ])(
    'when $what is sent, then 400 naming each field in Russian, and gradebook is not called',
    async ({ method, path, body, fields }) => {
      const response = await call(path, { method, body });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const problem = (await response.json()) as Problem;
      expect(problem.code).toBe('request.invalid');
      expect(problem.title).toMatch(/[А-Яа-я]/);
      expect(problem.errors?.map((e) => e.field).sort()).toEqual([...fields].sort());
      for (const error of problem.errors ?? []) expect(error.message).toMatch(/^[А-ЯЁ]/);
      expect(app.gradebook.calls).toHaveLength(0);
    },
  );

  const valid = {
    policy: { expectedVersion: 0, ...POLICY },
    save: { expectedVersion: 0, topic: { text: 'Тема' } },
    correct: { expectedVersion: 1, value: '4', reason: 'r' },
    void: { expectedVersion: 1, reason: 'r' },
    absence: { from: '2026-09-07', to: '2026-09-07', reason: 'illness' },
    periodMark: { studentId: 's', kind: 'year', value: '5', expectedVersion: 0 },
    plan: { expectedVersion: 0, items: [] },
  };

  it.each([
    ['GET', '/api/v1/schools/school-1/grading-policy', undefined],
    ['PUT', '/api/v1/schools/school-1/grading-policy', valid.policy],
    ['GET', '/api/v1/lessons/lesson-1/record', undefined],
    ['PUT', '/api/v1/lessons/lesson-1/record', valid.save],
    ['POST', '/api/v1/lessons/lesson-1/marks/mark-1/corrections', valid.correct],
    ['POST', '/api/v1/lessons/lesson-1/marks/mark-1/void', valid.void],
    ['POST', '/api/v1/classes/class-1/students/student-1/absence-reasons', valid.absence],
    ['PUT', `${COURSE}/period-marks`, valid.periodMark],
    ['GET', '/api/v1/classes/class-1/period-marks', undefined],
    ['GET', `${COURSE}/lacking-marks?period=1`, undefined],
    ['GET', `${COURSE}/thematic-plan`, undefined],
    ['PUT', `${COURSE}/thematic-plan`, valid.plan],
    ['GET', `${COURSE}/thematic-plan/progress`, undefined],
    ['GET', `${COURSE}/journal?period=1`, undefined],
    ['GET', '/api/v1/classes/class-1/students/student-1/marks?period=1', undefined],
    ['GET', '/api/v1/teachers/staff-1/day', undefined],
    ['GET', '/api/v1/schools/school-1/journal-keeping?from=2026-09-01&to=2026-09-30', undefined],
  ])(
    'when gradebook refuses a teacher’s %s %s, then 403 access.denied problem+json in Russian; without a token 401',
    async (method, path, body) => {
      token = await devAccessToken('teacher');
      app.gradebook.failWith(
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
      expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await refused.json()).toMatchObject({
        code: 'access.denied',
        detail: 'Недостаточно прав для этого действия',
      });
      expect(anonymous.status).toBe(401);
      expect(app.gradebook.calls).toHaveLength(1);
    },
  );

  it('when gradebook is away, then 503 problem+json with a Russian detail', async () => {
    app.gradebook.failWith(
      new GrpcCallError(`${SERVICE}/GetJournalPage`, GRPC_STATUS.UNAVAILABLE, 'connect ECONNREFUSED'),
    );

    const response = await call(`${COURSE}/journal?period=1`);

    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
    const problem = (await response.json()) as Problem;
    expect(problem.detail).toMatch(/[А-Яа-я]/);
    expect(JSON.stringify(problem)).not.toContain('ECONNREFUSED');
  });

  it('when the OpenAPI document is read, then every journal write documents 400 and 403 with Russian examples', () => {
    const paths = openApiDocument.paths as unknown as Record<
      string,
      Record<string, { responses: Record<string, { content?: Record<string, { examples?: object }> }> }>
    >;
    const writes = Object.entries(paths)
      .filter(([path]) => /grading-policy|record|marks|absence-reasons|thematic-plan$/.test(path))
      .flatMap(([, item]) => Object.entries(item).filter(([method]) => method !== 'get'));

    expect(writes.length).toBe(7);
    for (const [, operation] of writes) {
      for (const status of ['400', '403']) {
        const examples = operation.responses[status]?.content?.['application/problem+json']?.examples;
        expect(examples).toBeDefined();
        for (const example of Object.values(examples as Record<string, { value: Problem }>)) {
          expect(example.value.detail).toMatch(/[А-Яа-я]/);
        }
      }
    }
  });
});
