import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { createEventCodec } from '@edu/events';
import { protoFile } from '@edu/proto';
import {
  academicYearPlanFixture,
  createTestUser,
  deleteTestUser,
  endpoints,
  schoolCardFixture,
  uniqueName,
  waitFor,
  type TestSchoolRole,
  type TestUser,
} from '@edu/testing';
import { api, startSlice, type Slice } from './helpers';

// Dated lessons through every real part: real Keycloak users, the gateway, roster and schedule as
// processes, real Kafka. The school's year is next year's (computed from today), so every lesson
// is in the future and may be moved, cancelled and substituted whenever the test runs. Lessons are
// generated when the deputy publishes the timetable; a quarantine week ordered through roster's
// calendar reaches schedule as roster's event and cancels that week's lessons, each with its
// `edu.schedule.lesson.cancelled` on schedule's topic.

const PROBLEM_JSON = /^application\/problem\+json/;
const TIME_ZONE = 'Europe/Moscow';
const hireOrder = { number: '16-к', date: '2026-08-25', title: 'О приёме на работу' };

/** The day `days` after `day` (YYYY-MM-DD). */
function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The first Monday on or after the day. */
function mondayFrom(day: string): string {
  let monday = day;
  while (new Date(`${monday}T00:00:00Z`).getUTCDay() !== 1) monday = addDays(monday, 1);
  return monday;
}

interface Lesson {
  id: string;
  classId: string;
  date: string;
  lessonNumber: number;
  status: string;
  cancellationReason: string;
  substituteTeacherId: string;
  origin: string;
  version: number;
}

type Answer = Awaited<ReturnType<typeof api>>;

describe('dated lessons end to end (real Keycloak users, Kafka; services as processes)', () => {
  let slice: Slice;
  const users: TestUser[] = [];
  let schoolId: string;
  let yearId: string;
  let class5a: string;
  let class5b: string;
  let deputy: string;
  let schoolAdmin: string;
  let outsider: string;
  let mathTeacherId: string;
  let russianTeacherId: string;
  /** Teaches mathematics in 5А. */
  let mathTeacher: string;
  /** Teaches Russian in 5Б only: a teacher of another class for 5А, and the substitute. */
  let russianTeacher: string;
  const subjects = new Map<string, string>();
  let consumer: Consumer;
  const cancelledEvents: { lessonId: string; reason: string; key: string }[] = [];

  // Next year's calendar: period 1 of grade 5 is 1 September – 25 October.
  const startYear = new Date().getUTCFullYear() + 1;
  const plan = academicYearPlanFixture(startYear);
  const period1 = { from: `${startYear}-09-01`, to: `${startYear}-10-25` };
  const quarantine = mondayFrom(`${startYear}-09-15`);
  const quarantineEnd = addDays(quarantine, 6);
  const later = mondayFrom(`${startYear}-09-29`);

  const newUser = async (personId: string | undefined, roles: TestSchoolRole[]) => {
    const created = await createTestUser({ ...(personId ? { personId } : {}), schoolRoles: roles });
    users.push(created);
    return created.token();
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

  const lessonsOf = async (classId: string, from: string, to: string, token = deputy) => {
    const listed = await api(slice, 'GET', `/api/v1/classes/${classId}/lessons?from=${from}&to=${to}`, {
      token,
    });
    expect(listed.status).toBe(200);
    return listed.body.items as Lesson[];
  };

  /** The lesson of 5А on that day and lesson number. */
  const lessonOn = async (date: string, lessonNumber: number) => {
    const found = (await lessonsOf(class5a, date, date)).find((l) => l.lessonNumber === lessonNumber);
    expect(found).toBeDefined();
    return found!;
  };

  const readLesson = async (id: string) =>
    (await api(slice, 'GET', `/api/v1/lessons/${id}`, { token: deputy })).body;

  const expectRefused = (answer: Answer, status: number, code: string | RegExp) => {
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(answer.body).toMatchObject({ code, detail: expect.stringMatching(/[а-яё]/i) });
  };

  /** The gateway's 400 naming the fields. */
  const expectInvalid = (answer: Answer, fields: string[]) => {
    expectRefused(answer, 400, 'request.invalid');
    expect((answer.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(
      [...fields].sort(),
    );
  };

  /** Reads schedule's topic from its start; keeps the lessons cancelled. */
  const recordCancellations = async () => {
    const codec = createEventCodec({
      protoFiles: [protoFile('edu/events/v1/schedule.proto')],
      types: { 'edu.schedule.lesson.cancelled': 'edu.events.v1.LessonCancelled' },
    });
    consumer = new Kafka({ brokers: endpoints().kafkaBrokers, logLevel: logLevel.NOTHING }).consumer({
      groupId: uniqueName('lessons-e2e'),
    });
    await consumer.connect();
    await consumer.subscribe({ topic: `${slice.platform.topicPrefix}edu.schedule.v1`, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.headers?.type?.toString() !== 'edu.schedule.lesson.cancelled') return;
        const { payload } = codec.decode<{ lesson: { lesson_id: string; cancellation_reason: string } }>(
          message.value!,
        );
        cancelledEvents.push({
          lessonId: payload.lesson.lesson_id,
          reason: payload.lesson.cancellation_reason,
          key: message.key?.toString() ?? '',
        });
      },
    });
  };

  beforeAll(async () => {
    slice = await startSlice();
    const created = await api(slice, 'POST', '/api/v1/schools', {
      token: await slice.token('operator'),
      body: schoolCardFixture({ timeZone: TIME_ZONE }),
    });
    expect(created.status).toBe(201);
    schoolId = String(created.body.id);
    deputy = await newUser(undefined, [{ schoolId, role: 'deputy' }]);
    schoolAdmin = await newUser(undefined, [{ schoolId, role: 'schoolAdmin' }]);
    outsider = await newUser(undefined, [{ schoolId: 'another-school', role: 'deputy' }]);

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
    mathTeacherId = await hireTeacher('Лебедева', 'Ирина', 'Учитель математики');
    russianTeacherId = await hireTeacher('Зайцева', 'Ольга', 'Учитель русского языка и литературы');
    mathTeacher = await newUser(mathTeacherId, [{ schoolId, role: 'teacher' }]);
    russianTeacher = await newUser(russianTeacherId, [{ schoolId, role: 'teacher' }]);

    const listed = await api(slice, 'GET', `/api/v1/schools/${schoolId}/subjects`, { token: deputy });
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

    for (const [teacherId, classId, key] of [
      [mathTeacherId, class5a, 'mathematics'],
      [russianTeacherId, class5b, 'russian'],
    ] as const) {
      const assigned = await api(slice, 'POST', `/api/v1/schools/${schoolId}/teaching-assignments`, {
        token: deputy,
        body: { academicYearId: yearId, teacherId, classId, subjectId: subjects.get(key) },
      });
      expect(assigned.status).toBe(201);
    }
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
    const curriculum = await api(slice, 'PUT', `/api/v1/classes/${class5a}/curriculum`, {
      token: deputy,
      body: {
        schoolId,
        academicYearId: yearId,
        expectedVersion: 0,
        lines: [{ subjectId: subjects.get('mathematics'), hoursPerWeek: 2, component: 'mandatory' }],
      },
    });
    expect(curriculum.status).toBe(200);
    const math = { subjectId: subjects.get('mathematics'), teacherId: mathTeacherId, room: '214' };
    const weeks = [
      [
        class5a,
        [
          { weekday: 1, lessonNumber: 1, ...math },
          { weekday: 3, lessonNumber: 2, ...math },
        ],
      ],
      [
        class5b,
        [{ weekday: 1, lessonNumber: 1, subjectId: subjects.get('russian'), teacherId: russianTeacherId }],
      ],
    ] as const;
    for (const [classId, entries] of weeks) {
      const week = await api(slice, 'PUT', `/api/v1/classes/${classId}/timetable/1`, {
        token: deputy,
        body: { schoolId, academicYearId: yearId, expectedVersion: 0, entries },
      });
      expect(week.status).toBe(200);
    }
    await recordCancellations();
  });
  afterAll(async () => {
    await consumer?.disconnect();
    await Promise.all(users.map((u) => deleteTestUser(u)));
    await slice?.close();
  });

  it('when the deputy publishes period 1, then the lessons of both classes are generated on the days of the period, and the teacher of 5А reads them', async () => {
    const published = await api(slice, 'POST', `/api/v1/schools/${schoolId}/timetable/1/publish`, {
      token: deputy,
      body: { academicYearId: yearId },
    });
    const lessons5a = await lessonsOf(class5a, period1.from, period1.to, mathTeacher);
    const lessons5b = await lessonsOf(class5b, period1.from, period1.to);

    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ classes: 2, entries: 3 });
    const generated = (published.body.lessons as { scheduled: number }).scheduled;
    expect(generated).toBe(lessons5a.length + lessons5b.length);
    // Mondays and Wednesdays of eight weeks, no holiday inside period 1.
    expect(lessons5a.length).toBeGreaterThanOrEqual(14);
    expect(
      lessons5a.every((l) => l.status === 'scheduled' && l.origin === 'timetable' && l.version === 1),
    ).toBe(true);
    expect(lessons5a.find((l) => l.lessonNumber === 1)).toMatchObject({
      classId: class5a,
      className: '5А',
      subjectKey: 'mathematics',
      teacherId: mathTeacherId,
      room: '214',
      startsAt: '08:00',
    });
    expect(new Set(lessons5a.map((l) => new Date(`${l.date}T00:00:00Z`).getUTCDay()))).toEqual(
      new Set([1, 3]),
    );
  });

  it('when roster orders a quarantine week for grade 5, then schedule cancels exactly that week’s lessons of 5А and 5Б (calendar_changed), each with edu.schedule.lesson.cancelled on Kafka, and the other weeks stay', async () => {
    const inWeek = [
      ...(await lessonsOf(class5a, quarantine, quarantineEnd)),
      ...(await lessonsOf(class5b, quarantine, quarantineEnd)),
    ];
    expect(inWeek.map((l) => l.date).sort()).toEqual([quarantine, quarantine, addDays(quarantine, 2)]);
    const year = await api(slice, 'GET', `/api/v1/academic-years/${yearId}`, { token: deputy });
    const { days: _days, ...calendar } = plan;

    const changed = await api(slice, 'POST', `/api/v1/academic-years/${yearId}/calendar-changes`, {
      token: deputy,
      body: {
        ...calendar,
        expectedVersion: year.body.version,
        order: { number: '31-о', date: '2026-09-10', title: 'О карантине в 5-х классах' },
        closures: [
          {
            reason: 'Карантин по гриппу',
            days: { startsOn: quarantine, endsOn: quarantineEnd },
            grades: [5],
          },
        ],
      },
    });
    expect(changed.status).toBe(200);
    const cancelled = await waitFor(
      async () => {
        const now = [
          ...(await lessonsOf(class5a, quarantine, quarantineEnd)),
          ...(await lessonsOf(class5b, quarantine, quarantineEnd)),
        ];
        return now.every((l) => l.status === 'cancelled') && now;
      },
      { timeoutMs: 30_000, intervalMs: 300, what: 'the quarantine week’s lessons cancelled by schedule' },
    );
    const events = await waitFor(() => cancelledEvents.length >= inWeek.length && cancelledEvents, {
      timeoutMs: 20_000,
      intervalMs: 200,
      what: 'edu.schedule.lesson.cancelled on Kafka',
    });
    const cancelledOnly = await api(
      slice,
      'GET',
      `/api/v1/classes/${class5a}/lessons?from=${period1.from}&to=${period1.to}&status=cancelled`,
      { token: deputy },
    );
    const rest = await lessonsOf(class5a, addDays(quarantineEnd, 1), period1.to);

    expect(cancelled.map((l) => l.id).sort()).toEqual(inWeek.map((l) => l.id).sort());
    expect(cancelled.every((l) => l.cancellationReason === 'calendar_changed' && l.version === 2)).toBe(true);
    // Exactly those lessons, once each, keyed by the school.
    expect(events.map((e) => e.lessonId).sort()).toEqual(inWeek.map((l) => l.id).sort());
    expect(events.every((e) => e.reason === 'calendar_changed' && e.key === schoolId)).toBe(true);
    expect((cancelledOnly.body.items as Lesson[]).map((l) => l.date).sort()).toEqual([
      quarantine,
      addDays(quarantine, 2),
    ]);
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((l) => l.status === 'scheduled')).toBe(true);
  });

  it('when the deputy moves a lesson to Thursday, then it keeps its id with the day it had; a teacher’s move is 403 and a move without a reason 400, changing nothing', async () => {
    const lesson = await lessonOn(addDays(later, 2), 2);
    const path = `/api/v1/lessons/${lesson.id}/move`;
    const body = {
      expectedVersion: lesson.version,
      date: addDays(later, 3),
      lessonNumber: 3,
      reason: 'Учитель на курсах',
    };

    const byTeacher = await api(slice, 'POST', path, { token: mathTeacher, body });
    const withoutReason = await api(slice, 'POST', path, {
      token: deputy,
      body: { ...body, reason: undefined },
    });
    const unchanged = await readLesson(lesson.id);
    const moved = await api(slice, 'POST', path, { token: deputy, body });
    const stale = await api(slice, 'POST', path, { token: deputy, body: { ...body, lessonNumber: 1 } });

    expectRefused(byTeacher, 403, 'access.denied');
    expectInvalid(withoutReason, ['reason']);
    expect(unchanged).toMatchObject({ date: lesson.date, version: lesson.version });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      id: lesson.id,
      date: addDays(later, 3),
      lessonNumber: 3,
      startsAt: '10:00',
      movedFromDate: lesson.date,
      movedFromLessonNumber: 2,
      changeReason: 'Учитель на курсах',
      version: lesson.version + 1,
    });
    expectRefused(stale, 409, 'lesson.version_conflict');
  });

  it('when the school admin cancels a lesson with a reason, then it is cancelled with that reason; a teacher’s cancel is 403, an empty reason 400 changing nothing, and the cancellation is on Kafka', async () => {
    const lesson = await lessonOn(later, 1);
    const path = `/api/v1/lessons/${lesson.id}/cancel`;

    const byTeacher = await api(slice, 'POST', path, {
      token: mathTeacher,
      body: { expectedVersion: lesson.version, reason: 'Нет' },
    });
    const emptyReason = await api(slice, 'POST', path, {
      token: schoolAdmin,
      body: { expectedVersion: lesson.version, reason: '' },
    });
    const unchanged = await readLesson(lesson.id);
    const cancelled = await api(slice, 'POST', path, {
      token: schoolAdmin,
      body: { expectedVersion: lesson.version, reason: 'Учитель на больничном' },
    });

    expectRefused(byTeacher, 403, 'access.denied');
    expectInvalid(emptyReason, ['reason']);
    expect(unchanged).toMatchObject({ status: 'scheduled', version: lesson.version });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'Учитель на больничном',
    });
    await waitFor(
      () => cancelledEvents.some((e) => e.lessonId === lesson.id && e.reason === 'Учитель на больничном'),
      {
        what: 'the cancellation on Kafka',
      },
    );
  });

  it('when «keep» is asked for a lesson that needs no decision, then 409 lesson.no_decision_needed; a teacher is refused and a body without a version is 400', async () => {
    const lesson = await lessonOn(addDays(later, 7), 1);
    const path = `/api/v1/lessons/${lesson.id}/keep`;

    const byTeacher = await api(slice, 'POST', path, {
      token: mathTeacher,
      body: { expectedVersion: lesson.version },
    });
    const withoutVersion = await api(slice, 'POST', path, { token: deputy, body: {} });
    const kept = await api(slice, 'POST', path, { token: deputy, body: { expectedVersion: lesson.version } });

    expectRefused(byTeacher, 403, 'access.denied');
    expectInvalid(withoutVersion, ['expectedVersion']);
    expectRefused(kept, 409, 'lesson.no_decision_needed');
    expect(await readLesson(lesson.id)).toMatchObject({ origin: 'timetable', version: lesson.version });
  });

  it('when the deputy approves a substitute, then the lesson names them and the daily list has it, the substitute reads it; the school admin is refused (R1.5) and a body without the substitute is 400; then the deputy revokes it', async () => {
    const lesson = await lessonOn(addDays(later, 9), 2);
    const path = `/api/v1/lessons/${lesson.id}/substitute`;
    const body = {
      expectedVersion: lesson.version,
      substituteTeacherId: russianTeacherId,
      reason: 'Больничный',
    };
    const list = `/api/v1/schools/${schoolId}/substitutions?from=${addDays(later, 7)}&to=${addDays(later, 13)}`;

    const byAdmin = await api(slice, 'POST', path, { token: schoolAdmin, body });
    const withoutSubstitute = await api(slice, 'POST', path, {
      token: deputy,
      body: { expectedVersion: lesson.version, reason: 'Больничный' },
    });
    const unchanged = await readLesson(lesson.id);
    const assigned = await api(slice, 'POST', path, { token: deputy, body });
    const bySubstitute = await api(slice, 'GET', `/api/v1/lessons/${lesson.id}`, { token: russianTeacher });
    const daily = await api(slice, 'GET', list, { token: deputy });
    const ownDaily = await api(slice, 'GET', list, { token: russianTeacher });
    const listWithoutTo = await api(slice, 'GET', `/api/v1/schools/${schoolId}/substitutions?from=${later}`, {
      token: deputy,
    });
    const listByOutsider = await api(slice, 'GET', list, { token: outsider });
    const revokePath = `/api/v1/lessons/${lesson.id}/revoke-substitute`;
    const revokeByAdmin = await api(slice, 'POST', revokePath, {
      token: schoolAdmin,
      body: { expectedVersion: lesson.version + 1, reason: 'Учитель вышел' },
    });
    const revokeWithoutReason = await api(slice, 'POST', revokePath, {
      token: deputy,
      body: { expectedVersion: lesson.version + 1 },
    });
    const revoked = await api(slice, 'POST', revokePath, {
      token: deputy,
      body: { expectedVersion: lesson.version + 1, reason: 'Учитель вышел' },
    });

    expectRefused(byAdmin, 403, 'access.denied');
    expectInvalid(withoutSubstitute, ['substituteTeacherId']);
    expect(unchanged).toMatchObject({ substituteTeacherId: '', version: lesson.version });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({
      substituteTeacherId: russianTeacherId,
      substitutionReason: 'Больничный',
      teacherId: mathTeacherId,
    });
    expect(bySubstitute.status).toBe(200);
    expect(daily.body).toMatchObject({ items: [{ id: lesson.id, substituteTeacherId: russianTeacherId }] });
    expect(ownDaily.body).toMatchObject({ items: [{ id: lesson.id }] });
    expectInvalid(listWithoutTo, ['to']);
    expectRefused(listByOutsider, 404, 'school.not_found');
    expectRefused(revokeByAdmin, 403, 'access.denied');
    expectInvalid(revokeWithoutReason, ['reason']);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ substituteTeacherId: '', version: lesson.version + 2 });
  });

  it('when the deputy adds an extra lesson, then 201 with its address, once per idempotency key; a teacher is refused, lesson 0 is 400, and a teacher without the assignment is 409', async () => {
    const path = `/api/v1/classes/${class5a}/extra-lessons`;
    const body = {
      subjectId: subjects.get('mathematics'),
      teacherId: mathTeacherId,
      date: addDays(later, 4),
      lessonNumber: 1,
      reason: 'Консультация перед контрольной',
    };
    const key = { 'idempotency-key': `extra-${class5a}` };

    const byTeacher = await api(slice, 'POST', path, { token: mathTeacher, body });
    const lessonZero = await api(slice, 'POST', path, { token: deputy, body: { ...body, lessonNumber: 0 } });
    const before = await lessonsOf(class5a, addDays(later, 4), addDays(later, 4));
    const added = await api(slice, 'POST', path, { token: deputy, body, headers: key });
    const repeated = await api(slice, 'POST', path, { token: deputy, body, headers: key });
    const notAssigned = await api(slice, 'POST', path, {
      token: deputy,
      body: { ...body, teacherId: russianTeacherId, lessonNumber: 2 },
    });

    expectRefused(byTeacher, 403, 'access.denied');
    expectInvalid(lessonZero, ['lessonNumber']);
    expect(before).toEqual([]);
    expect(added.status).toBe(201);
    expect(added.headers.get('location')).toBe(`/api/v1/lessons/${String(added.body.id)}`);
    expect(added.body).toMatchObject({
      origin: 'extra',
      date: addDays(later, 4),
      changeReason: body.reason,
      status: 'scheduled',
    });
    expect(repeated.body).toEqual(added.body);
    expect(await lessonsOf(class5a, addDays(later, 4), addDays(later, 4))).toHaveLength(1);
    expectRefused(notAssigned, 409, 'lesson.no_assignment');
  });

  it('when 5А’s fulfilment is read, then period 1 has the plan’s hours and the lessons scheduled and cancelled; a teacher of another class is refused and period 5 is 400', async () => {
    const lessons = await lessonsOf(class5a, period1.from, period1.to);
    const path = `/api/v1/classes/${class5a}/curriculum-fulfilment`;

    const read = await api(slice, 'GET', `${path}?period=1`, { token: mathTeacher });
    const byOther = await api(slice, 'GET', path, { token: russianTeacher });
    const badPeriod = await api(slice, 'GET', `${path}?period=5`, { token: deputy });

    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      classId: class5a,
      className: '5А',
      lines: [
        {
          period: 1,
          subjectKey: 'mathematics',
          scheduled: lessons.filter((l) => l.status === 'scheduled').length,
          cancelled: lessons.filter((l) => l.status === 'cancelled').length,
          held: 0,
        },
      ],
    });
    expect((read.body.lines as { planned: number }[])[0]!.planned).toBeGreaterThan(0);
    expectRefused(byOther, 403, 'access.denied');
    expectInvalid(badPeriod, ['period']);
  });

  it('when lessons are read by people who may not, then a teacher of another class gets 403, someone without a role in the school 404, a teacher the whole school 403; bad filters are 400', async () => {
    const lesson = await lessonOn(addDays(later, 7), 1);
    const week = `from=${later}&to=${addDays(later, 6)}`;

    const classByOther = await api(slice, 'GET', `/api/v1/classes/${class5a}/lessons?${week}`, {
      token: russianTeacher,
    });
    const oneByOther = await api(slice, 'GET', `/api/v1/lessons/${lesson.id}`, { token: russianTeacher });
    const oneByOutsider = await api(slice, 'GET', `/api/v1/lessons/${lesson.id}`, { token: outsider });
    const ownLessons = await api(
      slice,
      'GET',
      `/api/v1/schools/${schoolId}/lessons?teacherId=${mathTeacherId}&${week}`,
      {
        token: mathTeacher,
      },
    );
    const schoolByTeacher = await api(slice, 'GET', `/api/v1/schools/${schoolId}/lessons?${week}`, {
      token: mathTeacher,
    });
    const schoolByDeputy = await api(
      slice,
      'GET',
      `/api/v1/schools/${schoolId}/lessons?${week}&status=scheduled`,
      {
        token: deputy,
      },
    );
    const tooLong = await api(
      slice,
      'GET',
      `/api/v1/classes/${class5a}/lessons?from=${period1.from}&to=${addDays(period1.from, 120)}`,
      {
        token: deputy,
      },
    );
    const badStatus = await api(slice, 'GET', `/api/v1/schools/${schoolId}/lessons?${week}&status=held`, {
      token: deputy,
    });

    expectRefused(classByOther, 403, 'access.denied');
    expectRefused(oneByOther, 403, 'access.denied');
    expectRefused(oneByOutsider, 404, 'lesson.not_found');
    expect(ownLessons.status).toBe(200);
    expect((ownLessons.body.items as Lesson[]).every((l) => l.classId === class5a)).toBe(true);
    expectRefused(schoolByTeacher, 403, 'access.denied');
    expect(schoolByDeputy.status).toBe(200);
    expect(new Set((schoolByDeputy.body.items as Lesson[]).map((l) => l.classId))).toEqual(
      new Set([class5a, class5b]),
    );
    expectRefused(tooLong, 400, 'lesson.filter_invalid');
    expectInvalid(badStatus, ['status']);
  });
});
