import {
  createTestUser,
  deleteTestUser,
  schoolCardFixture,
  waitFor,
  type TestSchoolRole,
  type TestUser,
} from '@edu/testing';
import { api, startSlice, type Slice } from './helpers';

// The events calendar, calendar warnings and a student's week through every real part: real
// Keycloak users, the gateway, roster and schedule as processes. The school's year is built around
// today (computed, so the test does not rot), because an event entered late must start within two
// weeks and inside the year. Guardians have no school role: schedule decides with its copy of
// roster's links and consents.

const PROBLEM_JSON = /^application\/problem\+json/;
const TIME_ZONE = 'Europe/Moscow';
const order = { number: '16-к', date: '2026-08-25', title: 'О приёме на работу' };

function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(new Date());
}

/** The day `days` after `day` (YYYY-MM-DD). */
function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

type Answer = Awaited<ReturnType<typeof api>>;

describe('the events calendar and a student’s week end to end (real Keycloak users; services as processes)', () => {
  let slice: Slice;
  const users: TestUser[] = [];
  let schoolId: string;
  let yearId: string;
  let classId: string;
  let deputy: string;
  let teacher: string;
  let teacherId: string;
  let studentId: string;
  let guardian: string;
  let otherGuardian: string;
  const today = todayIn(TIME_ZONE);
  // Two half-years around today: the first from 30 days ago, the second ending in 150 days.
  const plan = {
    days: { startsOn: addDays(today, -30), endsOn: addDays(today, 150) },
    periodSchemes: [
      {
        grades: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        kind: 'half_year',
        periods: [
          { number: 1, days: { startsOn: addDays(today, -30), endsOn: addDays(today, 59) } },
          { number: 2, days: { startsOn: addDays(today, 60), endsOn: addDays(today, 150) } },
        ],
      },
    ],
  };
  const card = {
    kind: 'olympiad',
    title: 'Школьный этап олимпиады по математике',
    startsOn: addDays(today, 3),
    place: 'Актовый зал',
    scope: 'school',
  };

  const newUser = async (personId: string | undefined, roles: TestSchoolRole[] = []) => {
    const created = await createTestUser({ ...(personId ? { personId } : {}), schoolRoles: roles });
    users.push(created);
    return created.token();
  };

  const register = async (body: Record<string, unknown>) => {
    const created = await api(slice, 'POST', `/api/v1/schools/${schoolId}/people`, { token: deputy, body });
    expect(created.status).toBe(201);
    return String(created.body.id);
  };

  const expectRefused = (answer: Answer, status: number, code: string | RegExp) => {
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(answer.body).toMatchObject({ code, detail: expect.stringMatching(/[а-яё]/i) });
  };

  const expectInvalid = (answer: Answer, fields: string[]) => {
    expectRefused(answer, 400, 'request.invalid');
    expect((answer.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(
      [...fields].sort(),
    );
  };

  const eventsPath = () => `/api/v1/schools/${schoolId}/school-events`;
  const readEvent = async (id: string) =>
    (await api(slice, 'GET', `/api/v1/school-events/${id}`, { token: deputy })).body;

  beforeAll(async () => {
    slice = await startSlice();
    const created = await api(slice, 'POST', '/api/v1/schools', {
      token: await slice.token('operator'),
      body: schoolCardFixture({ timeZone: TIME_ZONE }),
    });
    expect(created.status).toBe(201);
    schoolId = String(created.body.id);
    deputy = await newUser(undefined, [{ schoolId, role: 'deputy' }]);
    const year = await api(slice, 'POST', `/api/v1/schools/${schoolId}/academic-years`, {
      token: deputy,
      body: plan,
    });
    expect(year.status).toBe(201);
    yearId = String(year.body.id);
    const opened = await api(slice, 'POST', `/api/v1/academic-years/${yearId}/classes`, {
      token: deputy,
      body: { grade: 5, letter: 'А' },
    });
    expect(opened.status).toBe(201);
    classId = String(opened.body.id);

    teacherId = await register({
      kind: 'staff',
      lastName: 'Лебедева',
      firstName: 'Ирина',
      birthDate: '1984-05-12',
      sex: 'female',
    });
    const hired = await api(slice, 'POST', `/api/v1/schools/${schoolId}/staff-positions`, {
      token: deputy,
      body: {
        personId: teacherId,
        kind: 'teacher',
        title: 'Учитель математики',
        rate: 1,
        hiredOn: order.date,
        order,
      },
    });
    expect(hired.status).toBe(201);
    teacher = await newUser(teacherId, [{ schoolId, role: 'teacher' }]);

    studentId = await register({
      kind: 'student',
      lastName: 'Соколова',
      firstName: 'Анна',
      sex: 'female',
      birthDate: '2015-05-20',
    });
    const guardianId = await register({
      kind: 'guardian',
      lastName: 'Соколова',
      firstName: 'Елена',
      sex: 'female',
      birthDate: '1988-02-11',
    });
    const otherGuardianId = await register({
      kind: 'guardian',
      lastName: 'Петров',
      firstName: 'Сергей',
      sex: 'male',
      birthDate: '1985-07-03',
    });
    const enrolled = await api(slice, 'POST', `/api/v1/classes/${classId}/students`, {
      token: deputy,
      body: {
        studentId,
        effectiveOn: plan.days.startsOn,
        order: { number: '3-у', date: plan.days.startsOn, title: 'О зачислении' },
      },
    });
    expect(enrolled.status).toBe(201);
    const linked = await api(slice, 'POST', `/api/v1/people/${studentId}/guardians`, {
      token: deputy,
      body: { guardianId, kind: 'mother' },
    });
    expect(linked.status).toBe(201);
    const consented = await api(slice, 'POST', `${linked.headers.get('location')!}/consents`, {
      token: deputy,
      body: { expectedVersion: 1, givenOn: today, document: 'Заявление № 15' },
    });
    expect(consented.status).toBe(200);
    guardian = await newUser(guardianId);
    otherGuardian = await newUser(otherGuardianId);

    await waitFor(
      async () => {
        const [years, staff, enrolments, consents] = await Promise.all([
          slice.schedule.collection('roster_years').countDocuments({ _id: yearId as never }),
          slice.schedule.collection('roster_staff_positions').countDocuments({ schoolId, status: 'active' }),
          slice.schedule.collection('roster_enrolments').countDocuments({ studentId }),
          slice.schedule.collection('roster_guardianships').countDocuments({ guardianId }),
        ]);
        return years === 1 && staff === 1 && enrolments === 1 && consents === 1;
      },
      {
        timeoutMs: 20_000,
        intervalMs: 200,
        what: 'the year, the teacher, the enrolment and the consent in schedule’s copy',
      },
    );
    // The link's consent reaches the copy after the link itself.
    await waitFor(
      async () => {
        const read = await api(
          slice,
          'GET',
          `/api/v1/students/${studentId}/timetable/1?academicYearId=${yearId}`,
          {
            token: guardian,
          },
        );
        return read.status === 200;
      },
      { timeoutMs: 20_000, intervalMs: 300, what: 'the consent in schedule’s copy' },
    );
  });
  afterAll(async () => {
    await Promise.all(users.map((u) => deleteTestUser(u)));
    await slice?.close();
  });

  it('when the deputy enters an olympiad three days ahead, then 201 with the late-notice warning, once per idempotency key; a teacher is refused and a card without a title is 400, storing nothing', async () => {
    const body = { academicYearId: yearId, ...card, responsibleId: teacherId };
    const key = { 'idempotency-key': `olympiad-${schoolId}` };

    const byTeacher = await api(slice, 'POST', eventsPath(), { token: teacher, body });
    const withoutTitle = await api(slice, 'POST', eventsPath(), {
      token: deputy,
      body: { ...body, title: undefined },
    });
    const before = await api(slice, 'GET', `${eventsPath()}?academicYearId=${yearId}`, { token: deputy });
    const entered = await api(slice, 'POST', eventsPath(), { token: deputy, body, headers: key });
    const repeated = await api(slice, 'POST', eventsPath(), { token: deputy, body, headers: key });

    expectRefused(byTeacher, 403, 'access.denied');
    expectInvalid(withoutTitle, ['title']);
    expect(before.body).toEqual({ items: [] });
    expect(entered.status).toBe(201);
    expect(entered.headers.get('location')).toBe(`/api/v1/school-events/${String(entered.body.id)}`);
    expect(entered.body).toMatchObject({
      schoolId,
      academicYearId: yearId,
      kind: 'olympiad',
      kindName: 'Олимпиада',
      startsOn: card.startsOn,
      endsOn: card.startsOn,
      responsibleId: teacherId,
      status: 'scheduled',
      lateNotice: true,
      warnings: [{ code: 'event.late_notice', message: expect.stringMatching(/[а-яё]/i) }],
      version: 1,
    });
    expect(repeated.body).toEqual(entered.body);
  });

  it('when the guardian with a consent lists and reads the school’s events, then she sees the olympiad; another guardian gets 404 and a list without the year is 400', async () => {
    const [event] = (await api(slice, 'GET', `${eventsPath()}?academicYearId=${yearId}`, { token: deputy }))
      .body.items as { id: string }[];

    const listed = await api(
      slice,
      'GET',
      `${eventsPath()}?academicYearId=${yearId}&studentId=${studentId}`,
      {
        token: guardian,
      },
    );
    const read = await api(slice, 'GET', `/api/v1/school-events/${event!.id}`, { token: guardian });
    const listedByOther = await api(slice, 'GET', `${eventsPath()}?academicYearId=${yearId}`, {
      token: otherGuardian,
    });
    const readByOther = await api(slice, 'GET', `/api/v1/school-events/${event!.id}`, {
      token: otherGuardian,
    });
    const withoutYear = await api(slice, 'GET', eventsPath(), { token: deputy });

    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ items: [{ id: event!.id }] });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: event!.id, title: card.title });
    expectRefused(listedByOther, 404, /not_found$/);
    expectRefused(readByOther, 404, 'event.not_found');
    expectInvalid(withoutYear, ['academicYearId']);
  });

  it('when the deputy changes, gives results to and cancels events, then each is stored by version; a teacher is refused each, bad bodies are 400 and results before the first day 422, changing nothing', async () => {
    const celebration = await api(slice, 'POST', eventsPath(), {
      token: deputy,
      body: {
        academicYearId: yearId,
        kind: 'celebration',
        title: 'День матери',
        startsOn: today,
        scope: 'classes',
        classIds: [classId],
        responsibleId: teacherId,
      },
    });
    expect(celebration.status).toBe(201);
    const [olympiad] = (
      await api(slice, 'GET', `${eventsPath()}?academicYearId=${yearId}&from=${addDays(today, 1)}`, {
        token: deputy,
      })
    ).body.items as { id: string; version: number }[];
    const olympiadPath = `/api/v1/school-events/${olympiad!.id}`;
    const celebrationPath = `/api/v1/school-events/${String(celebration.body.id)}`;
    const change = {
      ...card,
      title: 'Олимпиада по математике, 5–11 классы',
      responsibleId: teacherId,
      expectedVersion: 1,
    };

    const changeByTeacher = await api(slice, 'PUT', olympiadPath, { token: teacher, body: change });
    const changeWithoutVersion = await api(slice, 'PUT', olympiadPath, {
      token: deputy,
      body: { ...change, expectedVersion: undefined },
    });
    const changed = await api(slice, 'PUT', olympiadPath, { token: deputy, body: change });
    const results = { expectedVersion: 1, resultsSummary: 'Проведено, 24 участника' };
    const resultsByTeacher = await api(slice, 'POST', `${celebrationPath}/results`, {
      token: teacher,
      body: results,
    });
    const resultsTooLong = await api(slice, 'POST', `${celebrationPath}/results`, {
      token: deputy,
      body: { ...results, resultsSummary: 'x'.repeat(4001) },
    });
    const notHeldYet = await api(slice, 'POST', `${olympiadPath}/results`, {
      token: deputy,
      body: { ...results, expectedVersion: 2 },
    });
    const recorded = await api(slice, 'POST', `${celebrationPath}/results`, { token: deputy, body: results });
    const cancelByTeacher = await api(slice, 'POST', `${olympiadPath}/cancel`, {
      token: teacher,
      body: { expectedVersion: 2, reason: 'Перенос' },
    });
    const cancelWithoutReason = await api(slice, 'POST', `${olympiadPath}/cancel`, {
      token: deputy,
      body: { expectedVersion: 2 },
    });
    const unchanged = await readEvent(olympiad!.id);
    const cancelled = await api(slice, 'POST', `${olympiadPath}/cancel`, {
      token: deputy,
      body: { expectedVersion: 2, reason: 'Перенос муниципального графика' },
    });

    expectRefused(changeByTeacher, 403, 'access.denied');
    expectInvalid(changeWithoutVersion, ['expectedVersion']);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ title: change.title, version: 2 });
    expectRefused(resultsByTeacher, 403, 'access.denied');
    expectInvalid(resultsTooLong, ['resultsSummary']);
    expectRefused(notHeldYet, 422, 'event.not_held_yet');
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({ resultsSummary: results.resultsSummary, version: 2 });
    expectRefused(cancelByTeacher, 403, 'access.denied');
    expectInvalid(cancelWithoutReason, ['reason']);
    expect(unchanged).toMatchObject({ status: 'scheduled', version: 2, resultsSummary: '' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Перенос муниципального графика',
      version: 3,
    });
  });

  it('when calendar warnings are read, then the deputy gets the year’s list; a teacher is refused and a read without the year is 400', async () => {
    const path = `/api/v1/schools/${schoolId}/calendar-warnings`;

    const read = await api(slice, 'GET', `${path}?academicYearId=${yearId}`, { token: deputy });
    const byTeacher = await api(slice, 'GET', `${path}?academicYearId=${yearId}`, { token: teacher });
    const withoutYear = await api(slice, 'GET', path, { token: deputy });

    expect(read.status).toBe(200);
    expect(read.body).toEqual({ items: [] });
    expectRefused(byTeacher, 403, 'access.denied');
    expectInvalid(withoutYear, ['academicYearId']);
  });

  it('when the student’s week is read, then her guardian with a consent gets her class’s week; another guardian gets 404 and period 0 is 400', async () => {
    const path = `/api/v1/students/${studentId}/timetable`;

    const byGuardian = await api(slice, 'GET', `${path}/1?academicYearId=${yearId}`, { token: guardian });
    const byOther = await api(slice, 'GET', `${path}/1?academicYearId=${yearId}`, { token: otherGuardian });
    const periodZero = await api(slice, 'GET', `${path}/0?academicYearId=${yearId}`, { token: guardian });

    expect(byGuardian.status).toBe(200);
    expect(byGuardian.body).toMatchObject({
      studentId,
      classId,
      className: '5А',
      timetable: { classId, period: 1 },
    });
    expectRefused(byOther, 404, 'student.not_found');
    expectInvalid(periodZero, ['period']);
  });
});
