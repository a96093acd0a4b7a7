import {
  academicYearPlanFixture,
  createTestUser,
  deleteTestUser,
  schoolCardFixture,
  waitFor,
  type TestSchoolRole,
  type TestUser,
} from '@edu/testing';
import { api, startSlice, type Slice } from './helpers';

// Curricula and the timetable through every real part: real Keycloak users, the gateway, schedule
// and roster as processes. Schedule checks a plan and a week against its copy of roster (the year,
// the classes, the staff), so the setup waits for the copy; everything else is schedule's own.

const PROBLEM_JSON = /^application\/problem\+json/;
const TIME_ZONE = 'Asia/Krasnoyarsk';
const hireOrder = { number: '16-к', date: '2026-08-25', title: 'О приёме на работу' };

function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(new Date());
}

/** The school year that holds today, or in the summer the one that starts next. */
function currentPlan(today: string) {
  const [year, month] = today.split('-').map(Number) as [number, number];
  return academicYearPlanFixture(month >= 6 ? year : year - 1);
}

interface Entry {
  weekday: number;
  lessonNumber: number;
  subjectId: string;
  teacherId: string;
  room?: string;
  subgroupId?: string;
}

describe('curricula and the timetable end to end (real Keycloak users; services as processes)', () => {
  let slice: Slice;
  const users: TestUser[] = [];
  let schoolId: string;
  let yearId: string;
  let class5a: string;
  let class5b: string;
  let deputy: string;
  let mathTeacherId: string;
  let russianTeacherId: string;
  /** Teaches mathematics in 5А and 5Б. */
  let mathTeacher: TestUser;
  /** Teaches Russian in 5Б only. */
  let russianTeacher: TestUser;
  let guardian: string;
  const subjects = new Map<string, string>();

  const newUser = async (personId: string | undefined, roles: TestSchoolRole[]) => {
    const created = await createTestUser({ ...(personId ? { personId } : {}), schoolRoles: roles });
    users.push(created);
    return created;
  };

  /** Registers a person of the staff and hires them as a teacher by order. */
  const hireTeacher = async (lastName: string, firstName: string, title: string) => {
    const person = await api(slice, 'POST', `/api/v1/schools/${schoolId}/people`, {
      token: deputy,
      body: { kind: 'staff', lastName, firstName, birthDate: '1984-05-12', sex: 'female' },
    });
    expect(person.status).toBe(201);
    const hired = await api(slice, 'POST', `/api/v1/schools/${schoolId}/staff-positions`, {
      token: deputy,
      body: {
        personId: String(person.body.id),
        kind: 'teacher',
        title,
        rate: 1,
        hiredOn: hireOrder.date,
        order: hireOrder,
      },
    });
    expect(hired.status).toBe(201);
    return String(person.body.id);
  };

  const assign = async (teacherId: string, classId: string, subjectKey: string) => {
    const assigned = await api(slice, 'POST', `/api/v1/schools/${schoolId}/teaching-assignments`, {
      token: deputy,
      body: { academicYearId: yearId, teacherId, classId, subjectId: subjects.get(subjectKey) },
    });
    expect(assigned.status).toBe(201);
  };

  const curriculumPath = (classId: string) => `/api/v1/classes/${classId}/curriculum`;
  const weekPath = (classId: string, period = 1) => `/api/v1/classes/${classId}/timetable/${period}`;
  const setWeek = (token: string, classId: string, entries: Entry[], expectedVersion: number) =>
    api(slice, 'PUT', weekPath(classId), {
      token,
      body: { schoolId, academicYearId: yearId, expectedVersion, entries },
    });
  const storedWeek = (classId: string) =>
    slice.schedule.collection('timetable_classes').findOne({ classId, period: 1 });

  /** Schedule's security event (a logged denial) of this action. */
  const denialLogged = (action: string) =>
    waitFor(
      () =>
        slice.platform
          .logs('schedule')
          .some((line) => line.event === 'access_denied' && line.action === action),
      { what: `access_denied ${action} in schedule's log` },
    );

  const expectRefused = (answer: Awaited<ReturnType<typeof api>>, status: number, code: string | RegExp) => {
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(answer.body).toMatchObject({ code, detail: expect.stringMatching(/[а-я]/i) });
  };

  beforeAll(async () => {
    slice = await startSlice();
    guardian = await slice.token('guardian');
    const created = await api(slice, 'POST', '/api/v1/schools', {
      token: await slice.token('operator'),
      body: schoolCardFixture({ timeZone: TIME_ZONE }),
    });
    expect(created.status).toBe(201);
    schoolId = String(created.body.id);
    deputy = await (await newUser(undefined, [{ schoolId, role: 'deputy' }])).token();

    const year = await api(slice, 'POST', `/api/v1/schools/${schoolId}/academic-years`, {
      token: deputy,
      body: currentPlan(todayIn(TIME_ZONE)),
    });
    expect(year.status).toBe(201);
    yearId = String(year.body.id);
    const classIds: string[] = [];
    for (const letter of ['А', 'Б']) {
      const opened = await api(slice, 'POST', `/api/v1/academic-years/${yearId}/classes`, {
        token: deputy,
        body: { grade: 5, letter },
      });
      expect(opened.status).toBe(201);
      classIds.push(String(opened.body.id));
    }
    [class5a, class5b] = classIds as [string, string];
    mathTeacherId = await hireTeacher('Лебедева', 'Ирина', 'Учитель математики');
    russianTeacherId = await hireTeacher('Зайцева', 'Ольга', 'Учитель русского языка и литературы');
    mathTeacher = await newUser(mathTeacherId, [{ schoolId, role: 'teacher' }]);
    russianTeacher = await newUser(russianTeacherId, [{ schoolId, role: 'teacher' }]);

    const listed = await api(slice, 'GET', `/api/v1/schools/${schoolId}/subjects`, { token: deputy });
    expect(listed.status).toBe(200);
    for (const s of listed.body.items as { id: string; key: string }[]) subjects.set(s.key, s.id);

    await waitFor(
      async () => {
        const [years, classes, staff] = await Promise.all([
          slice.schedule.collection('roster_years').countDocuments({ _id: yearId as never }),
          slice.schedule.collection('roster_classes').countDocuments({ academicYearId: yearId }),
          slice.schedule.collection('roster_staff_positions').countDocuments({ schoolId, status: 'active' }),
        ]);
        return years === 1 && classes === 2 && staff === 2;
      },
      {
        timeoutMs: 20_000,
        intervalMs: 200,
        what: "the school's year, classes and teachers in schedule's copy",
      },
    );

    await assign(mathTeacherId, class5a, 'mathematics');
    await assign(mathTeacherId, class5b, 'mathematics');
    await assign(russianTeacherId, class5b, 'russian');
    const bells = await api(slice, 'PUT', `/api/v1/schools/${schoolId}/bell-schedules/1`, {
      token: deputy,
      body: {
        expectedVersion: 0,
        name: 'Основное',
        lessons: [
          { number: 1, startsAt: '08:00', endsAt: '08:45' },
          { number: 2, startsAt: '08:55', endsAt: '09:40' },
          { number: 3, startsAt: '10:00', endsAt: '10:45' },
        ],
      },
    });
    expect(bells.status).toBe(200);
  });
  afterAll(async () => {
    await Promise.all(users.map((u) => deleteTestUser(u)));
    await slice?.close();
  });

  it('when the deputy sets 5А’s curriculum, then 200 with weekly and yearly hours, once per idempotency key; a teacher of the school reads it, the year lists it; a stale version is 409', async () => {
    const body = {
      schoolId,
      academicYearId: yearId,
      expectedVersion: 0,
      lines: [
        { subjectId: subjects.get('russian'), hoursPerWeek: 5, component: 'mandatory' },
        {
          subjectId: subjects.get('mathematics'),
          hoursPerWeek: 5,
          component: 'mandatory',
          periodHours: [{ period: 4, hoursPerWeek: 4 }],
        },
        { subjectId: subjects.get('informatics'), hoursPerWeek: 1, component: 'optional' },
      ],
    };
    const key = { 'idempotency-key': `curriculum-${class5a}` };

    const set = await api(slice, 'PUT', curriculumPath(class5a), { token: deputy, body, headers: key });
    const repeated = await api(slice, 'PUT', curriculumPath(class5a), { token: deputy, body, headers: key });
    const read = await api(slice, 'GET', curriculumPath(class5a), { token: await russianTeacher.token() });
    const listed = await api(slice, 'GET', `/api/v1/schools/${schoolId}/curricula?academicYearId=${yearId}`, {
      token: await mathTeacher.token(),
    });
    const stale = await api(slice, 'PUT', curriculumPath(class5a), { token: deputy, body });

    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      schoolId,
      academicYearId: yearId,
      classId: class5a,
      className: '5А',
      grade: 5,
      totalHoursPerWeek: 11,
      maxHoursPerWeek: 29,
      weeks: { source: 'calendar', periodKind: 'quarter' },
      lines: [
        {
          subjectKey: 'russian',
          hoursPerWeek: 5,
          component: 'mandatory',
          componentName: 'Обязательная часть',
        },
        { subjectKey: 'mathematics', periodHours: [{ period: 4, hoursPerWeek: 4 }] },
        { subjectKey: 'informatics', component: 'optional' },
      ],
      version: 1,
    });
    expect((set.body.lines as { hoursPerYear: number }[])[0]!.hoursPerYear).toBeGreaterThan(150);
    expect(repeated.body).toEqual(set.body);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(set.body);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ items: [{ classId: class5a, version: 1 }] });
    expectRefused(stale, 409, 'curriculum.version_conflict');
  });

  it('when the deputy sends a bad curriculum, then the gateway (400 request.invalid) or schedule (400 curriculum.duplicate_subject, 422 curriculum.weekly_load_exceeded) names the lines in Russian, and nothing changes', async () => {
    const before = await api(slice, 'GET', curriculumPath(class5a), { token: deputy });
    const base = { schoolId, academicYearId: yearId, expectedVersion: 1 };
    const line = (key: string, hoursPerWeek: number) => ({
      subjectId: subjects.get(key),
      hoursPerWeek,
      component: 'mandatory',
    });

    const badForm = await api(slice, 'PUT', curriculumPath(class5a), {
      token: deputy,
      body: { ...base, lines: [{ ...line('russian', 0.3), component: 'elective' }] },
    });
    const twice = await api(slice, 'PUT', curriculumPath(class5a), {
      token: deputy,
      body: { ...base, lines: [line('russian', 5), line('russian', 4)] },
    });
    const overloaded = await api(slice, 'PUT', curriculumPath(class5a), {
      token: deputy,
      body: { ...base, lines: [line('russian', 10), line('mathematics', 10), line('literature', 10)] },
    });
    const after = await api(slice, 'GET', curriculumPath(class5a), { token: deputy });

    expectRefused(badForm, 400, 'request.invalid');
    expect((badForm.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'lines[0].component',
      'lines[0].hoursPerWeek',
    ]);
    expectRefused(twice, 400, 'curriculum.duplicate_subject');
    expect(twice.body.errors).toEqual([expect.objectContaining({ field: 'lines[1].subjectId' })]);
    expectRefused(overloaded, 422, 'curriculum.weekly_load_exceeded');
    expect(after.body).toEqual(before.body);
  });

  it('when the deputy sets 5А’s week, then the teacher of 5А reads it with times and names, the teacher of 5Б only is refused; the teacher’s own week lists the lessons', async () => {
    const entries: Entry[] = [
      {
        weekday: 1,
        lessonNumber: 1,
        subjectId: subjects.get('mathematics')!,
        teacherId: mathTeacherId,
        room: '214',
      },
      {
        weekday: 2,
        lessonNumber: 2,
        subjectId: subjects.get('mathematics')!,
        teacherId: mathTeacherId,
        room: '214',
      },
    ];

    const set = await setWeek(deputy, class5a, entries, 0);
    const byTeacher = await api(slice, 'GET', weekPath(class5a), { token: await mathTeacher.token() });
    const byOtherTeacher = await api(slice, 'GET', weekPath(class5a), {
      token: await russianTeacher.token(),
    });
    const own = await api(
      slice,
      'GET',
      `/api/v1/schools/${schoolId}/teachers/${mathTeacherId}/timetable/1?academicYearId=${yearId}`,
      { token: await mathTeacher.token() },
    );

    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      classId: class5a,
      className: '5А',
      period: 1,
      shift: 1,
      version: 1,
      entries: [
        {
          weekday: 1,
          weekdayName: 'понедельник',
          lessonNumber: 1,
          startsAt: '08:00',
          endsAt: '08:45',
          subjectName: 'Математика',
          teacherId: mathTeacherId,
          teacherName: expect.stringContaining('Лебедева'),
          room: '214',
          weekParity: 'every',
          subgroupId: '',
        },
        { weekday: 2, lessonNumber: 2, startsAt: '08:55' },
      ],
    });
    expect(byTeacher.status).toBe(200);
    expect(byTeacher.body).toMatchObject({
      version: 1,
      entries: set.body.entries,
      publication: { version: 0, changedSince: false },
    });
    expectRefused(byOtherTeacher, 403, 'access.denied');
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      teacherId: mathTeacherId,
      teacherName: expect.stringContaining('Лебедева'),
      entries: [
        { weekday: 1, lessonNumber: 1, className: '5А' },
        { weekday: 2, lessonNumber: 2, className: '5А' },
      ],
    });
    await denialLogged('timetable.read');
  });

  it('when 5Б’s week puts the mathematics teacher in 5А’s lesson, then 422 timetable.teacher_busy naming the lesson; a bad week is 400; nothing is stored', async () => {
    const busy = await setWeek(
      deputy,
      class5b,
      [
        { weekday: 1, lessonNumber: 1, subjectId: subjects.get('mathematics')!, teacherId: mathTeacherId },
        { weekday: 1, lessonNumber: 2, subjectId: subjects.get('russian')!, teacherId: russianTeacherId },
      ],
      0,
    );
    const badForm = await setWeek(
      deputy,
      class5b,
      [{ weekday: 7, lessonNumber: 0, subjectId: subjects.get('russian')!, teacherId: russianTeacherId }],
      0,
    );
    const unknownLesson = await setWeek(
      deputy,
      class5b,
      [{ weekday: 1, lessonNumber: 9, subjectId: subjects.get('russian')!, teacherId: russianTeacherId }],
      0,
    );
    const unassigned = await setWeek(
      deputy,
      class5b,
      [{ weekday: 3, lessonNumber: 1, subjectId: subjects.get('russian')!, teacherId: mathTeacherId }],
      0,
    );
    const read5b = await api(slice, 'GET', weekPath(class5b), { token: deputy });

    expectRefused(busy, 422, 'timetable.teacher_busy');
    expect(busy.body.errors).toEqual([
      { field: 'entries[0].teacherId', message: expect.stringContaining('5А') },
    ]);
    expectRefused(badForm, 400, 'request.invalid');
    expect((badForm.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'entries[0].lessonNumber',
      'entries[0].weekday',
    ]);
    expectRefused(unknownLesson, 422, 'timetable.unknown_lesson');
    expectRefused(unassigned, 422, 'timetable.no_assignment');
    expect(read5b.status).toBe(200);
    expect(read5b.body).toMatchObject({ version: 0, entries: [] });
    expect(await storedWeek(class5b)).toBeNull();
  });

  it('when the deputy publishes period 1, then 200 with the counts; the school’s timetable shows it published, a change marks it changed since; a stale version is 409', async () => {
    const published = await api(slice, 'POST', `/api/v1/schools/${schoolId}/timetable/1/publish`, {
      token: deputy,
      body: { academicYearId: yearId },
      headers: { 'idempotency-key': `publish-${schoolId}-1` },
    });
    const schoolWeekPath = `/api/v1/schools/${schoolId}/timetable/1?academicYearId=${yearId}`;
    const school = await api(slice, 'GET', schoolWeekPath, { token: deputy });
    const russian5b = await setWeek(
      deputy,
      class5b,
      [
        {
          weekday: 1,
          lessonNumber: 2,
          subjectId: subjects.get('russian')!,
          teacherId: russianTeacherId,
          room: '305',
        },
      ],
      0,
    );
    const stale = await setWeek(deputy, class5b, [], 0);
    const week5b = await api(slice, 'GET', weekPath(class5b), { token: deputy });
    const week5a = await api(slice, 'GET', weekPath(class5a), { token: deputy });
    const schoolAfter = await api(slice, 'GET', schoolWeekPath, { token: deputy });
    const empty = await api(slice, 'POST', `/api/v1/schools/${schoolId}/timetable/3/publish`, {
      token: deputy,
      body: { academicYearId: yearId },
    });

    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      publication: { version: 1, changedSince: false },
      classes: 1,
      entries: 2,
    });
    expect(school.status).toBe(200);
    expect(school.body).toMatchObject({
      items: [{ classId: class5a, version: 1, entries: [{}, {}] }],
      publication: { version: 1, changedSince: false, publishedAt: expect.any(String) },
    });
    expect(russian5b.status).toBe(200);
    expectRefused(stale, 409, 'timetable.version_conflict');
    // 5Б's week is not in the publication; 5А's is as published.
    expect(week5b.body).toMatchObject({ version: 1, publication: { version: 1, changedSince: true } });
    expect(week5a.body).toMatchObject({ publication: { version: 1, changedSince: false } });
    expect(schoolAfter.body).toMatchObject({
      items: [{ classId: class5a }, { classId: class5b }],
      publication: { version: 1, changedSince: true },
    });
    expectRefused(empty, 422, 'timetable.empty');
  });

  it('when a teacher writes, publishes or reads what is not theirs, then 403; a guardian without a role in the school gets 404; without a token 401; nothing changes', async () => {
    const teacher = await mathTeacher.token();
    const week5a = await storedWeek(class5a);
    const curriculum5a = await api(slice, 'GET', curriculumPath(class5a), { token: deputy });
    const curriculumBody = { schoolId, academicYearId: yearId, expectedVersion: 1, lines: [] };
    const weekBody = { schoolId, academicYearId: yearId, expectedVersion: 1, entries: [] };
    const schoolWeek = `/api/v1/schools/${schoolId}/timetable/1?academicYearId=${yearId}`;
    const publish = `/api/v1/schools/${schoolId}/timetable/1/publish`;
    const otherTeachersWeek = `/api/v1/schools/${schoolId}/teachers/${russianTeacherId}/timetable/1?academicYearId=${yearId}`;
    const curricula = `/api/v1/schools/${schoolId}/curricula?academicYearId=${yearId}`;

    const forbidden = [
      await api(slice, 'PUT', curriculumPath(class5a), { token: teacher, body: curriculumBody }),
      await api(slice, 'PUT', weekPath(class5a), { token: teacher, body: weekBody }),
      await api(slice, 'POST', publish, { token: teacher, body: { academicYearId: yearId } }),
      await api(slice, 'GET', schoolWeek, { token: teacher }),
      await api(slice, 'GET', otherTeachersWeek, { token: teacher }),
      // The Russian teacher teaches 5Б, not 5А.
      await api(slice, 'GET', weekPath(class5a), { token: await russianTeacher.token() }),
    ];
    const hidden = [
      [await api(slice, 'GET', curriculumPath(class5a), { token: guardian }), 'curriculum.not_found'],
      [await api(slice, 'GET', curricula, { token: guardian }), 'school.not_found'],
      [
        await api(slice, 'PUT', curriculumPath(class5a), { token: guardian, body: curriculumBody }),
        'school.not_found',
      ],
      [await api(slice, 'GET', weekPath(class5a), { token: guardian }), 'class.not_found'],
      [await api(slice, 'PUT', weekPath(class5a), { token: guardian, body: weekBody }), 'school.not_found'],
      [await api(slice, 'GET', schoolWeek, { token: guardian }), 'school.not_found'],
      [
        await api(slice, 'POST', publish, { token: guardian, body: { academicYearId: yearId } }),
        'school.not_found',
      ],
      [
        await api(
          slice,
          'GET',
          `/api/v1/schools/${schoolId}/teachers/${mathTeacherId}/timetable/1?academicYearId=${yearId}`,
          { token: guardian },
        ),
        'school.not_found',
      ],
    ] as const;
    const anonymous = [
      await api(slice, 'PUT', curriculumPath(class5a), { body: curriculumBody }),
      await api(slice, 'GET', curriculumPath(class5a)),
      await api(slice, 'GET', curricula),
      await api(slice, 'PUT', weekPath(class5a), { body: weekBody }),
      await api(slice, 'GET', weekPath(class5a)),
      await api(slice, 'GET', schoolWeek),
      await api(slice, 'POST', publish, { body: { academicYearId: yearId } }),
      await api(slice, 'GET', otherTeachersWeek),
    ];

    for (const refused of forbidden) expectRefused(refused, 403, 'access.denied');
    for (const [refused, code] of hidden) expectRefused(refused, 404, code);
    for (const refused of anonymous) {
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect(await storedWeek(class5a)).toEqual(week5a);
    expect((await api(slice, 'GET', curriculumPath(class5a), { token: deputy })).body).toEqual(
      curriculum5a.body,
    );
    await denialLogged('timetable.set');
    await denialLogged('timetable.publish');
    await denialLogged('curriculum.set');
  });
});
