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

// Subjects and teaching assignments through every real part: real Keycloak users, the gateway,
// schedule and roster as processes. Two event flows are crossed: roster → schedule (schedule's copy
// of the school's year, classes and staff, which an assignment is checked against) and schedule →
// roster (roster's copy of the assignments, which lets a teacher read the lists of the classes
// they teach). Both are eventually consistent, so the tests wait for them with `waitFor`.

const PROBLEM_JSON = /^application\/problem\+json/;
const TIME_ZONE = 'Asia/Krasnoyarsk';
const hireOrder = { number: '15-к', date: '2026-08-25', title: 'О приёме на работу' };
const enrolOrder = { number: '1-у', date: '2026-08-28', title: 'О зачислении в 5-е классы' };

/** Today in the school's time zone, YYYY-MM-DD (what roster and schedule call "today"). */
function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(new Date());
}

function addDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

const later = (a: string, b: string) => (a > b ? a : b);

/**
 * The school year that holds today, or in the summer the one that starts next: assignments are
 * then current or ahead, and a teacher reads the lists of their classes (roster lets a teacher
 * read a list ahead of the first lesson too).
 */
function currentPlan(today: string) {
  const [year, month] = today.split('-').map(Number) as [number, number];
  return academicYearPlanFixture(month >= 6 ? year : year - 1);
}

describe('subjects and teaching assignments end to end (real Keycloak users; services as processes)', () => {
  let slice: Slice;
  const users: TestUser[] = [];
  let schoolId: string;
  let yearId: string;
  let yearDays: { startsOn: string; endsOn: string };
  let class5a: string;
  let class5b: string;
  let teacherId: string;
  let mathId: string;
  let deputy: string;
  let teacher: TestUser;
  let assignment5a: { id: string; path: string };

  /** A new user with this person link and these school roles. */
  const newUser = async (personId: string | undefined, roles: TestSchoolRole[]) => {
    const created = await createTestUser({ ...(personId ? { personId } : {}), schoolRoles: roles });
    users.push(created);
    return created;
  };

  const classList = async (classId: string) =>
    api(slice, 'GET', `/api/v1/classes/${classId}/students`, { token: await teacher.token() });

  /** Waits until the teacher's read of the class list answers `status` (roster applied schedule's event). */
  const classListTurns = (classId: string, status: number, what: string) =>
    waitFor(async () => ((await classList(classId)).status === status ? true : undefined), {
      timeoutMs: 20_000,
      intervalMs: 200,
      what,
    });

  /** Schedule's security event (a logged denial) of this action. */
  const denialLogged = (action: string) =>
    waitFor(
      () =>
        slice.platform
          .logs('schedule')
          .some((line) => line.event === 'access_denied' && line.action === action),
      { what: `access_denied ${action} in schedule's log` },
    );

  const assign = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    api(slice, 'POST', `/api/v1/schools/${schoolId}/teaching-assignments`, { token, body, headers });

  beforeAll(async () => {
    slice = await startSlice();
    const created = await api(slice, 'POST', '/api/v1/schools', {
      token: await slice.token('operator'),
      body: schoolCardFixture({ timeZone: TIME_ZONE }),
    });
    expect(created.status).toBe(201);
    schoolId = String(created.body.id);
    deputy = await (await newUser(undefined, [{ schoolId, role: 'deputy' }])).token();

    // The deputy opens the year and its classes 5А and 5Б through the gateway.
    const plan = currentPlan(todayIn(TIME_ZONE));
    yearDays = plan.days;
    const year = await api(slice, 'POST', `/api/v1/schools/${schoolId}/academic-years`, {
      token: deputy,
      body: plan,
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

    // A student in 5А, so that the teacher's read of the list has a name in it.
    const student = await api(slice, 'POST', `/api/v1/schools/${schoolId}/people`, {
      token: deputy,
      body: { kind: 'student', lastName: 'Орлов', firstName: 'Никита', birthDate: '2015-02-17', sex: 'male' },
    });
    const enrolled = await api(slice, 'POST', `/api/v1/classes/${class5a}/students`, {
      token: deputy,
      body: { studentId: String(student.body.id), effectiveOn: yearDays.startsOn, order: enrolOrder },
    });
    expect(enrolled.status).toBe(201);

    // The teacher: a person of the school, hired by order (roster's staff API).
    const person = await api(slice, 'POST', `/api/v1/schools/${schoolId}/people`, {
      token: deputy,
      body: {
        kind: 'staff',
        lastName: 'Лебедева',
        firstName: 'Ирина',
        birthDate: '1986-03-09',
        sex: 'female',
      },
    });
    teacherId = String(person.body.id);
    const hired = await api(slice, 'POST', `/api/v1/schools/${schoolId}/staff-positions`, {
      token: deputy,
      body: {
        personId: teacherId,
        kind: 'teacher',
        title: 'Учитель математики',
        rate: 1,
        hiredOn: hireOrder.date,
        order: hireOrder,
      },
    });
    expect(hired.status).toBe(201);
    teacher = await newUser(teacherId, [{ schoolId, role: 'teacher' }]);

    // «Математика» of the region-wide catalogue, as the school's subject list shows it.
    const subjects = await api(slice, 'GET', `/api/v1/schools/${schoolId}/subjects`, { token: deputy });
    expect(subjects.status).toBe(200);
    const math = (subjects.body.items as { id: string; schoolId: string; name: string }[]).find(
      (s) => s.name === 'Математика' && s.schoolId === '',
    );
    expect(math).toBeDefined();
    mathId = math!.id;

    // Schedule checks an assignment against its copy of roster: wait until the copy has the
    // year, both classes and the teacher's position.
    await waitFor(
      async () => {
        const [years, classes, staff] = await Promise.all([
          slice.schedule.collection('roster_years').countDocuments({ _id: yearId as never }),
          slice.schedule.collection('roster_classes').countDocuments({ academicYearId: yearId }),
          slice.schedule
            .collection('roster_staff_positions')
            .countDocuments({ schoolId, personId: teacherId, status: 'active' }),
        ]);
        return years === 1 && classes === 2 && staff === 1;
      },
      {
        timeoutMs: 20_000,
        intervalMs: 200,
        what: "the school's year, classes and teacher in schedule's copy",
      },
    );
  });
  afterAll(async () => {
    await Promise.all(users.map((u) => deleteTestUser(u)));
    await slice?.close();
  });

  it('when the deputy adds a subject of the school, then 201 with its Location, once per idempotency key; the teacher lists it with the catalogue; a taken key is 409', async () => {
    const robotics = {
      key: 'robotics',
      name: 'Робототехника',
      shortName: 'Робототех.',
      educationArea: 'technology',
    };

    const created = await api(slice, 'POST', `/api/v1/schools/${schoolId}/subjects`, {
      token: deputy,
      body: robotics,
      headers: { 'idempotency-key': `robotics-${schoolId}` },
    });
    const repeated = await api(slice, 'POST', `/api/v1/schools/${schoolId}/subjects`, {
      token: deputy,
      body: robotics,
      headers: { 'idempotency-key': `robotics-${schoolId}` },
    });
    const taken = await api(slice, 'POST', `/api/v1/schools/${schoolId}/subjects`, {
      token: deputy,
      body: { ...robotics, name: 'Робототехника и конструирование' },
    });
    const listed = await api(slice, 'GET', `/api/v1/schools/${schoolId}/subjects`, {
      token: await teacher.token(),
    });
    const read = await api(slice, 'GET', created.headers.get('location') ?? '-', { token: deputy });

    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/v1/subjects/${String(created.body.id)}`);
    expect(created.body).toMatchObject({
      schoolId,
      ...robotics,
      educationAreaName: 'Технология',
      version: 1,
    });
    expect(repeated.body).toEqual(created.body);
    expect(taken.status).toBe(409);
    expect(taken.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(taken.body).toMatchObject({ code: 'subject.key_taken', detail: expect.stringMatching(/[а-я]/i) });
    expect(listed.status).toBe(200);
    const ids = (listed.body.items as { id: string }[]).map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining([mathId, created.body.id]));
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('when the deputy assigns the teacher to 5А for «Математика», then the teacher reads 5А’s list (after roster hears of it) but not 5Б’s; a repeat with the same key assigns once', async () => {
    const body = { academicYearId: yearId, teacherId, classId: class5a, subjectId: mathId, hoursPerWeek: 5 };
    const key = { 'idempotency-key': `assign-${class5a}` };
    const before5a = await classList(class5a);

    const assigned = await assign(deputy, body, key);
    const repeated = await assign(deputy, body, key);
    await classListTurns(class5a, 200, "the teacher's read of 5А to be allowed");
    const list5a = await classList(class5a);
    const list5b = await classList(class5b);
    const own = await api(
      slice,
      'GET',
      `/api/v1/schools/${schoolId}/teaching-assignments?academicYearId=${yearId}&teacherId=${teacherId}`,
      { token: await teacher.token() },
    );
    const byTeacher = await api(slice, 'GET', assigned.headers.get('location') ?? '-', {
      token: await teacher.token(),
    });

    expect(before5a.status).toBe(403);
    expect(assigned.status).toBe(201);
    assignment5a = { id: String(assigned.body.id), path: assigned.headers.get('location')! };
    expect(assignment5a.path).toBe(`/api/v1/teaching-assignments/${assignment5a.id}`);
    expect(assigned.body).toMatchObject({
      schoolId,
      academicYearId: yearId,
      teacherId,
      teacherName: expect.stringContaining('Лебедева'),
      classId: class5a,
      className: '5А',
      subgroupId: '',
      subjectId: mathId,
      subjectName: 'Математика',
      startsOn: yearDays.startsOn,
      endsOn: yearDays.endsOn,
      hoursPerWeek: 5,
      status: 'active',
      history: [{ kind: 'assigned', effectiveOn: yearDays.startsOn }],
      version: 1,
    });
    expect(repeated.status).toBe(201);
    expect(repeated.body).toMatchObject({ id: assignment5a.id, version: 1 });
    expect(await slice.schedule.collection('teaching_assignments').countDocuments({ schoolId })).toBe(1);
    expect(list5a.status).toBe(200);
    expect(list5a.body).toMatchObject({ items: [{ lastName: 'Орлов', firstName: 'Никита' }] });
    expect(list5b.status).toBe(403);
    expect(list5b.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(list5b.body).toMatchObject({ code: 'access.denied', title: 'Доступ запрещён' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ items: [{ id: assignment5a.id, className: '5А' }] });
    expect(byTeacher.status).toBe(200);
    expect(byTeacher.body).toMatchObject({ id: assignment5a.id, teacherId });
  });

  it('when 5А’s assignment is ended before today, then 5А’s list is refused again; one ended at a later day keeps 5Б’s list readable until then', async () => {
    const today = todayIn(TIME_ZONE);
    // Before today: yesterday, or the day before the first day when the year has not begun.
    const endedBefore = later(addDays(today, -1), addDays(yearDays.startsOn, -1));
    // Not before today: today, or the first day when the year has not begun.
    const endedLater = later(today, yearDays.startsOn);
    const assigned5b = await assign(deputy, {
      academicYearId: yearId,
      teacherId,
      classId: class5b,
      subjectId: mathId,
    });
    await classListTurns(class5b, 200, "the teacher's read of 5Б to be allowed");

    const ended = await api(slice, 'POST', `${assignment5a.path}/end`, {
      token: deputy,
      body: { expectedVersion: 1, endsOn: endedBefore, reason: 'Перераспределение нагрузки' },
      headers: { 'idempotency-key': `end-${assignment5a.id}` },
    });
    const endedAgain = await api(slice, 'POST', `${assignment5a.path}/end`, {
      token: deputy,
      body: { expectedVersion: 2, endsOn: endedBefore },
    });
    await classListTurns(class5a, 403, "the teacher's read of 5А to be refused again");
    const active = await api(
      slice,
      'GET',
      `/api/v1/schools/${schoolId}/teaching-assignments?academicYearId=${yearId}`,
      { token: deputy },
    );
    const withEnded = await api(
      slice,
      'GET',
      `/api/v1/schools/${schoolId}/teaching-assignments?academicYearId=${yearId}&includeEnded=true`,
      { token: deputy },
    );
    const ended5b = await api(
      slice,
      'POST',
      `/api/v1/teaching-assignments/${String(assigned5b.body.id)}/end`,
      {
        token: deputy,
        body: { expectedVersion: 1, endsOn: endedLater },
      },
    );
    await waitFor(
      () =>
        slice.roster
          .collection('teaching_copy')
          .findOne({ _id: String(assigned5b.body.id) as never, status: 'ended' })
          .then((found) => found ?? undefined),
      { timeoutMs: 20_000, what: "5Б's ended assignment in roster's copy" },
    );
    const list5b = await classList(class5b);

    expect(assigned5b.status).toBe(201);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({
      id: assignment5a.id,
      status: 'ended',
      endsOn: endedBefore,
      history: [
        { kind: 'assigned' },
        { kind: 'ended', effectiveOn: endedBefore, reason: 'Перераспределение нагрузки' },
      ],
      version: 2,
    });
    expect(endedAgain.status).toBe(422);
    expect(endedAgain.body).toMatchObject({
      code: 'assignment.ended',
      detail: expect.stringMatching(/снята/),
    });
    expect((await classList(class5a)).body).toMatchObject({ code: 'access.denied' });
    expect((active.body.items as { id: string }[]).map((a) => a.id)).toEqual([assigned5b.body.id]);
    expect(withEnded.body).toMatchObject({
      items: [
        { id: assignment5a.id, className: '5А', status: 'ended' },
        { id: assigned5b.body.id, className: '5Б', status: 'active' },
      ],
    });
    expect(ended5b.status).toBe(200);
    expect(ended5b.body).toMatchObject({ status: 'ended', endsOn: endedLater, version: 2 });
    expect(list5b.status).toBe(200);
  });

  it('when a teacher assigns, adds a subject or ends an assignment, then 403; a guardian without a role in the school gets 404; nothing is stored', async () => {
    const guardian = await slice.token('guardian');
    const stored = await slice.schedule.collection('teaching_assignments').countDocuments({ schoolId });
    const body = {
      academicYearId: yearId,
      teacherId,
      classId: class5b,
      subjectId: mathId,
      startsOn: yearDays.startsOn,
    };

    const teacherAssigns = await assign(await teacher.token(), body);
    const teacherAddsSubject = await api(slice, 'POST', `/api/v1/schools/${schoolId}/subjects`, {
      token: await teacher.token(),
      body: { key: 'chess', name: 'Шахматы', educationArea: 'other' },
    });
    const teacherEnds = await api(slice, 'POST', `${assignment5a.path}/end`, {
      token: await teacher.token(),
      body: { expectedVersion: 2 },
    });
    const guardianAssigns = await assign(guardian, body);
    const guardianReads = await api(slice, 'GET', assignment5a.path, { token: guardian });
    const guardianLists = await api(
      slice,
      'GET',
      `/api/v1/schools/${schoolId}/teaching-assignments?academicYearId=${yearId}`,
      { token: guardian },
    );

    for (const refused of [teacherAssigns, teacherAddsSubject, teacherEnds]) {
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(refused.body).toMatchObject({
        code: 'access.denied',
        title: 'Доступ запрещён',
        detail: expect.stringMatching(/[а-я]/i),
      });
    }
    // Someone without a role in the school is not told what exists there.
    expect(guardianAssigns.status).toBe(404);
    expect(guardianAssigns.body).toMatchObject({ code: 'school.not_found' });
    expect(guardianReads.status).toBe(404);
    expect(guardianReads.body).toMatchObject({ code: 'assignment.not_found' });
    expect(guardianLists.status).toBe(404);
    expect(await slice.schedule.collection('teaching_assignments').countDocuments({ schoolId })).toBe(stored);
    expect(await slice.schedule.collection('subjects').countDocuments({ schoolId, key: 'chess' })).toBe(0);
    await denialLogged('assignment.create');
  });

  it('when the deputy sends a bad assignment, then the gateway (400 request.invalid) or schedule (400 assignment.invalid, 422 assignment.outside_year) names the fields in Russian, and nothing is stored', async () => {
    const stored = await slice.schedule.collection('teaching_assignments').countDocuments({ schoolId });
    const base = { academicYearId: yearId, teacherId, subjectId: mathId };

    const badDate = await assign(deputy, { ...base, classId: class5b, startsOn: '01.09.2026' });
    const noClass = await assign(deputy, base);
    const outside = await assign(deputy, { ...base, classId: class5b, endsOn: addDays(yearDays.endsOn, 1) });

    expect(badDate.status).toBe(400);
    expect(badDate.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(badDate.body).toMatchObject({
      code: 'request.invalid',
      title: expect.stringMatching(/[а-я]/i),
      errors: [{ field: 'startsOn', message: 'Неверный формат' }],
    });
    expect(noClass.status).toBe(400);
    expect(noClass.body).toMatchObject({
      code: 'assignment.invalid',
      detail: 'Нагрузка заполнена с ошибками',
      errors: [{ field: 'classId', message: 'Укажите класс или подгруппу' }],
    });
    expect(outside.status).toBe(422);
    expect(outside.body).toMatchObject({
      code: 'assignment.outside_year',
      detail: expect.stringContaining('Нагрузка назначается на дни учебного года'),
      errors: [expect.objectContaining({ field: 'endsOn' })],
    });
    expect(await slice.schedule.collection('teaching_assignments').countDocuments({ schoolId })).toBe(stored);
  });
  it('when the deputy sets the first shift’s bells, then the teacher reads them with lengths and breaks; overlapping lessons are 400 naming the lesson, a stale version 409, a teacher setting them 403', async () => {
    const path = `/api/v1/schools/${schoolId}/bell-schedules/1`;
    const lessons = [
      { number: 1, startsAt: '08:00', endsAt: '08:40' },
      { number: 2, startsAt: '08:50', endsAt: '09:30' },
      { number: 3, startsAt: '09:50', endsAt: '10:30' },
    ];

    const set = await api(slice, 'PUT', path, {
      token: deputy,
      body: { expectedVersion: 0, name: 'Основное', lessons },
    });
    const read = await api(slice, 'GET', path, { token: await teacher.token() });
    const overlap = await api(slice, 'PUT', path, {
      token: deputy,
      body: { expectedVersion: 1, lessons: [lessons[0], { number: 2, startsAt: '08:30', endsAt: '09:10' }] },
    });
    const stale = await api(slice, 'PUT', path, { token: deputy, body: { expectedVersion: 0, lessons } });
    const byTeacher = await api(slice, 'PUT', path, {
      token: await teacher.token(),
      body: { expectedVersion: 1, lessons },
    });

    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ shift: 1, name: 'Основное', version: 1 });
    expect(read.body).toMatchObject({
      version: 1,
      lessons: [
        { number: 1, minutes: 40, breakAfterMinutes: 10 },
        { number: 2, minutes: 40, breakAfterMinutes: 20 },
        { number: 3, minutes: 40, breakAfterMinutes: 0 },
      ],
    });
    expect(overlap.status).toBe(400);
    expect(overlap.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(overlap.body).toMatchObject({
      code: expect.stringMatching(/^bells\./),
      detail: expect.stringMatching(/[а-я]/i),
    });
    expect(stale.status).toBe(409);
    expect(byTeacher.status).toBe(403);
    const stored = await slice.schedule.collection('bell_schedules').find({ schoolId }).toArray();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ version: 1 });
  });
});
