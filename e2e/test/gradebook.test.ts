import {
  createTestUser,
  deleteTestUser,
  schoolCardFixture,
  waitFor,
  type TestSchoolRole,
  type TestUser,
} from '@edu/testing';
import { api, startSlice, type Slice } from './helpers';

// The class journal through every real part: real Keycloak users, the gateway, roster, schedule and
// gradebook as processes, real Kafka. Gradebook learns the school, the class and its students from
// roster's events and the lessons from schedule's, so the test waits for a lesson's record to be
// readable before writing it. Marks are accepted only from a lesson's start until the school's
// deadline: the school's year is built around today, the deputy widens the deadline to 14 days
// after the lesson's day, and the test keeps the latest lesson before today (so it has started).

const PROBLEM_JSON = /^application\/problem\+json/;
const TIME_ZONE = 'Europe/Moscow';
const hireOrder = { number: '16-к', date: '2026-08-25', title: 'О приёме на работу' };
const enrolOrder = { number: '12-у', date: '2026-08-28', title: 'О зачислении' };

/** The day `days` after `day` (YYYY-MM-DD). */
function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Today in the school's time zone (YYYY-MM-DD). */
function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
}

interface Lesson {
  id: string;
  date: string;
  lessonNumber: number;
  status: string;
  period: number;
}

interface Mark {
  markId: string;
  studentId: string;
  value: string;
  workType: string;
  status: string;
}

interface LessonRecord {
  lessonId: string;
  classId: string;
  subjectId: string;
  teacherId: string;
  topic: { text: string } | null;
  marks: Mark[];
  attendance: { studentId: string; kind: string }[];
  attendanceTaken: boolean;
  version: number;
}

type Answer = Awaited<ReturnType<typeof api>>;

describe('the class journal end to end (real Keycloak users, Kafka; services as processes)', () => {
  let slice: Slice;
  const users: TestUser[] = [];
  let schoolId: string;
  let class5a: string;
  let class5b: string;
  let deputy: string;
  let mathTeacherId: string;
  /** Teaches mathematics in 5А. */
  let mathTeacher: string;
  /** Teaches Russian in 5Б only: a teacher of another class for 5А. */
  let russianTeacher: string;
  const subjects = new Map<string, string>();
  /** 5А's students in registration order (alphabetical by last name). */
  const students: string[] = [];
  /** The latest lesson of 5А before today: it has started, and the widened deadline keeps it open. */
  let lesson: Lesson;

  const today = todayIn(TIME_ZONE);
  // A year around today (40 days behind, four quarters of 70 days, no holidays), so that the
  // last two weeks always have lessons — in summer and in the winter holidays too.
  const first = addDays(today, -40);
  const span = (from: number, to: number) => ({ startsOn: addDays(first, from), endsOn: addDays(first, to) });
  const plan = {
    days: span(0, 279),
    holidays: [],
    periodSchemes: [
      {
        grades: [1, 2, 3, 4, 5, 6, 7, 8, 9],
        kind: 'quarter' as const,
        periods: [0, 1, 2, 3].map((i) => ({ number: i + 1, days: span(i * 70, i * 70 + 69) })),
      },
      {
        grades: [10, 11],
        kind: 'half_year' as const,
        periods: [0, 1].map((i) => ({ number: i + 1, days: span(i * 140, i * 140 + 139) })),
      },
    ],
  };
  const grade5 = plan.periodSchemes.find((s) => s.grades.includes(5))!;
  // The periods with a day in the last two weeks: their timetables are published.
  const recentPeriods = grade5.periods.filter(
    (p) => p.days.startsOn <= today && p.days.endsOn >= addDays(today, -14),
  );

  const newUser = async (personId: string | undefined, roles: TestSchoolRole[]) => {
    const created = await createTestUser({ ...(personId ? { personId } : {}), schoolRoles: roles });
    users.push(created);
    return created.token();
  };

  const register = async (person: Record<string, string>) => {
    const created = await api(slice, 'POST', `/api/v1/schools/${schoolId}/people`, {
      token: deputy,
      body: person,
    });
    expect(created.status).toBe(201);
    return String(created.body.id);
  };

  const hireTeacher = async (lastName: string, firstName: string, title: string) => {
    const personId = await register({
      kind: 'staff',
      lastName,
      firstName,
      birthDate: '1984-05-12',
      sex: 'female',
    });
    const hired = await api(slice, 'POST', `/api/v1/schools/${schoolId}/staff-positions`, {
      token: deputy,
      body: { personId, kind: 'teacher', title, rate: 1, hiredOn: hireOrder.date, order: hireOrder },
    });
    expect(hired.status).toBe(201);
    return personId;
  };

  const record = (token: string) => api(slice, 'GET', `/api/v1/lessons/${lesson.id}/record`, { token });

  const journalPage = (token: string) =>
    api(
      slice,
      'GET',
      `/api/v1/classes/${class5a}/subjects/${subjects.get('mathematics')}/journal?period=${lesson.period}`,
      { token },
    );

  const expectRefused = (answer: Answer, status: number, code: string) => {
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(answer.body).toMatchObject({ code, detail: expect.stringMatching(/[а-яё]/i) });
  };

  beforeAll(async () => {
    expect(recentPeriods.length).toBeGreaterThan(0);
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
    const yearId = String(year.body.id);
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

    for (const [lastName, firstName, sex] of [
      ['Андреев', 'Олег', 'male'],
      ['Белова', 'Мария', 'female'],
      ['Воронин', 'Игорь', 'male'],
      ['Гусева', 'Анна', 'female'],
    ] as const) {
      const studentId = await register({
        kind: 'student',
        lastName,
        firstName,
        sex,
        birthDate: '2015-03-15',
      });
      const enrolled = await api(slice, 'POST', `/api/v1/classes/${class5a}/students`, {
        token: deputy,
        body: { studentId, effectiveOn: plan.days.startsOn, order: enrolOrder },
      });
      expect(enrolled.status).toBe(201);
      students.push(studentId);
    }
    mathTeacherId = await hireTeacher('Лебедева', 'Ирина', 'Учитель математики');
    const russianTeacherId = await hireTeacher('Зайцева', 'Ольга', 'Учитель русского языка и литературы');
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
        lessons: [{ number: 1, startsAt: '08:00', endsAt: '08:45' }],
      },
    });
    expect(bells.status).toBe(200);
    const curriculum = await api(slice, 'PUT', `/api/v1/classes/${class5a}/curriculum`, {
      token: deputy,
      body: {
        schoolId,
        academicYearId: yearId,
        expectedVersion: 0,
        lines: [{ subjectId: subjects.get('mathematics'), hoursPerWeek: 5, component: 'mandatory' }],
      },
    });
    expect(curriculum.status).toBe(200);
    // Mathematics in 5А every school day, so that some lesson falls shortly before today.
    const math = { subjectId: subjects.get('mathematics'), teacherId: mathTeacherId, room: '214' };
    const weeks = [
      [class5a, [1, 2, 3, 4, 5].map((weekday) => ({ weekday, lessonNumber: 1, ...math }))],
      [
        class5b,
        [{ weekday: 1, lessonNumber: 1, subjectId: subjects.get('russian'), teacherId: russianTeacherId }],
      ],
    ] as const;
    for (const period of recentPeriods) {
      for (const [classId, entries] of weeks) {
        const week = await api(slice, 'PUT', `/api/v1/classes/${classId}/timetable/${period.number}`, {
          token: deputy,
          body: { schoolId, academicYearId: yearId, expectedVersion: 0, entries },
        });
        expect(week.status).toBe(200);
      }
      const published = await api(
        slice,
        'POST',
        `/api/v1/schools/${schoolId}/timetable/${period.number}/publish`,
        {
          token: deputy,
          body: { academicYearId: yearId },
        },
      );
      expect(published.status).toBe(200);
    }

    const lessons = await api(
      slice,
      'GET',
      `/api/v1/classes/${class5a}/lessons?from=${addDays(today, -14)}&to=${addDays(today, -1)}&status=scheduled`,
      { token: deputy },
    );
    expect(lessons.status).toBe(200);
    const before = (lessons.body.items as Lesson[]).sort((a, b) => a.date.localeCompare(b.date));
    expect(before.length).toBeGreaterThan(0);
    lesson = before[before.length - 1]!;

    // The deputy widens the deadline: the lesson may be from the last days, not only today.
    const policy = await api(slice, 'GET', `/api/v1/schools/${schoolId}/grading-policy`, { token: deputy });
    expect(policy.status).toBe(200);
    const { schoolId: _school, updatedBy: _by, updatedAt: _at, version, ...current } = policy.body;
    const widened = await api(slice, 'PUT', `/api/v1/schools/${schoolId}/grading-policy`, {
      token: deputy,
      body: { ...current, entryDeadline: 'days', entryDays: 14, expectedVersion: version },
    });
    expect(widened.status).toBe(200);
    expect(widened.body).toMatchObject({ entryDeadline: 'days', entryDays: 14, version: 1 });

    // Gradebook learns the lesson from schedule's events and the class's students from roster's.
    await waitFor(
      async () => {
        const read = await record(mathTeacher);
        return read.status === 200 && (read.body.students as unknown[]).length === students.length;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: "the lesson and 5А's students in gradebook" },
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all(users.map((u) => deleteTestUser(u)));
    await slice?.close();
  });

  it('when the teacher saves a lesson (topic, 3 marks, 1 absence), then it is one version, and the teacher and the deputy read it back with the lesson’s students', async () => {
    const empty = await record(mathTeacher);
    expect(empty.body).toMatchObject({
      record: { lessonId: lesson.id, classId: class5a, teacherId: mathTeacherId, version: 0, marks: [] },
      students: [
        { studentId: students[0], displayName: expect.stringMatching(/^Андреев Олег/) },
        { studentId: students[1] },
        { studentId: students[2] },
        { studentId: students[3] },
      ],
    });

    const saved = await api(slice, 'PUT', `/api/v1/lessons/${lesson.id}/record`, {
      token: mathTeacher,
      headers: { 'idempotency-key': `save-${lesson.id}` },
      body: {
        expectedVersion: 0,
        topic: { text: 'Сложение и вычитание натуральных чисел' },
        marks: [
          { studentId: students[0], value: '5', workType: 'oral' },
          { studentId: students[1], value: '4', workType: 'classwork', comment: 'Ошибка в вычислениях' },
          { studentId: students[2], value: '3', workType: 'oral' },
        ],
        attendance: [{ studentId: students[3], kind: 'absent' }],
      },
    });

    expect(saved.status).toBe(200);
    const expected = {
      lessonId: lesson.id,
      topic: { text: 'Сложение и вычитание натуральных чисел' },
      marks: [
        { studentId: students[0], value: '5', workType: 'oral', status: 'active' },
        { studentId: students[1], value: '4', workType: 'classwork', status: 'active' },
        { studentId: students[2], value: '3', workType: 'oral', status: 'active' },
      ],
      attendance: [{ studentId: students[3], kind: 'absent' }],
      attendanceTaken: true,
      version: 1,
    };
    expect((saved.body as { record: LessonRecord }).record).toMatchObject(expected);
    for (const reader of [mathTeacher, deputy]) {
      const read = await record(reader);
      expect(read.status).toBe(200);
      expect((read.body as { record: LessonRecord }).record).toMatchObject(expected);
    }
  });

  it('when the journal page of the period is read, then the saved lesson is on it with its marks and absence, and the averages count them', async () => {
    const page = await journalPage(mathTeacher);

    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      className: '5А',
      subjectName: expect.stringMatching(/атематик/),
      period: lesson.period,
      students: students.map((studentId) => ({ studentId })),
    });
    const onPage = (page.body.lessons as LessonRecord[]).find((l) => l.lessonId === lesson.id);
    expect(onPage).toMatchObject({
      topic: { text: 'Сложение и вычитание натуральных чисел' },
      marks: [{ value: '5' }, { value: '4' }, { value: '3' }],
      attendance: [{ studentId: students[3], kind: 'absent' }],
      version: 1,
    });
    const averages = page.body.averages as { studentId: string; marksCount: number; absences: number }[];
    expect(averages.find((a) => a.studentId === students[0])).toMatchObject({ marksCount: 1 });
    expect(averages.find((a) => a.studentId === students[3])).toMatchObject({ marksCount: 0, absences: 1 });
  });

  it('when the teacher’s day of the lesson is read, then the lesson shows only homework missing', async () => {
    const day = await api(slice, 'GET', `/api/v1/teachers/${mathTeacherId}/day?date=${lesson.date}`, {
      token: mathTeacher,
    });

    expect(day.status).toBe(200);
    const lessons = day.body.lessons as { record: LessonRecord; missing: string[] }[];
    expect(lessons.find((l) => l.record.lessonId === lesson.id)?.missing).toEqual(['homework']);
  });

  it('when a teacher of another class saves or reads the lesson, then 403 problem+json in Russian, and nothing changes', async () => {
    const saved = await api(slice, 'PUT', `/api/v1/lessons/${lesson.id}/record`, {
      token: russianTeacher,
      body: { expectedVersion: 1, marks: [{ studentId: students[0], value: '2', workType: 'oral' }] },
    });
    const page = await journalPage(russianTeacher);

    expectRefused(saved, 403, 'access.denied');
    expectRefused(page, 403, 'access.denied');
    const read = await record(mathTeacher);
    expect((read.body as { record: LessonRecord }).record).toMatchObject({ version: 1 });
    expect((read.body as { record: LessonRecord }).record.marks).toHaveLength(3);
  });

  it('when the teacher sends a bad mark, then 400 problem+json naming the field in Russian — the gateway’s for a value off every scale, gradebook’s for one off the subject’s — and nothing is stored', async () => {
    const offEveryScale = await api(slice, 'PUT', `/api/v1/lessons/${lesson.id}/record`, {
      token: mathTeacher,
      body: { expectedVersion: 1, marks: [{ studentId: students[0], value: '6', workType: 'oral' }] },
    });
    const offTheSubjectsScale = await api(slice, 'PUT', `/api/v1/lessons/${lesson.id}/record`, {
      token: mathTeacher,
      body: {
        expectedVersion: 1,
        topic: { text: 'Другая тема' },
        marks: [{ studentId: students[0], value: 'зачёт', workType: 'oral' }],
      },
    });

    expectRefused(offEveryScale, 400, 'request.invalid');
    expect(offEveryScale.body.errors).toEqual([
      { field: 'marks[0].value', message: expect.stringMatching(/[а-яё]/i) },
    ]);
    expect(offTheSubjectsScale.status).toBe(400);
    expect(offTheSubjectsScale.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(offTheSubjectsScale.body).toMatchObject({ detail: expect.stringMatching(/[а-яё]/i) });
    expect(offTheSubjectsScale.body.errors).toEqual(
      expect.arrayContaining([{ field: 'marks[0].value', message: expect.stringMatching(/зачёт/) }]),
    );
    const read = await record(mathTeacher);
    const stored = (read.body as { record: LessonRecord }).record;
    expect(stored).toMatchObject({ version: 1, topic: { text: 'Сложение и вычитание натуральных чисел' } });
    expect(stored.marks.map((m) => m.value)).toEqual(['5', '4', '3']);
  });
  /** A mother of the student, linked and consented through roster's API, logged in as a Keycloak user. */
  const guardianOf = async (studentId: string, lastName: string) => {
    const guardianId = await register({
      kind: 'guardian',
      lastName,
      firstName: 'Елена',
      sex: 'female',
      birthDate: '1988-02-11',
    });
    const linked = await api(slice, 'POST', `/api/v1/people/${studentId}/guardians`, {
      token: deputy,
      body: { guardianId, kind: 'mother' },
    });
    expect(linked.status).toBe(201);
    const consented = await api(slice, 'POST', `${linked.headers.get('location')!}/consents`, {
      token: deputy,
      body: { expectedVersion: 1, givenOn: '2026-09-01', document: 'Заявление № 15 от 01.09.2026' },
    });
    expect(consented.status).toBe(200);
    return newUser(guardianId, []);
  };
  it('when the teacher has saved the lesson, then the first student’s mother reads it in the diary (her child’s mark only, the PDF too), while another child’s mother and a teacher of another class get 403', async () => {
    const mother = await guardianOf(students[0]!, 'Андреева');
    const otherMother = await guardianOf(students[1]!, 'Борисова');
    const weekPath = `/api/v1/diary/students/${students[0]}/week?date=${lesson.date}`;
    type DiaryWeek = {
      days: { lessons: { lessonId: string; topic: string; marks: { value: string }[] }[] }[];
    };

    // The diary learns it from roster's, schedule's and gradebook's events: wait for the mark.
    let week: Answer | undefined;
    await waitFor(
      async () => {
        week = await api(slice, 'GET', weekPath, { token: mother });
        const lessons = week.status === 200 ? (week.body as DiaryWeek).days.flatMap((d) => d.lessons) : [];
        return lessons.some((l) => l.lessonId === lesson.id && l.marks.length > 0);
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the saved lesson in the mother’s diary' },
    );
    const shown = (week!.body as DiaryWeek).days
      .flatMap((d) => d.lessons)
      .find((l) => l.lessonId === lesson.id)!;
    expect(shown.topic).toBe('Сложение и вычитание натуральных чисел');
    expect(shown.marks.map((m) => m.value)).toEqual(['5']);

    const pdf = await fetch(
      `${slice.platform.gatewayUrl}/api/v1/diary/students/${students[0]}/week.pdf?date=${lesson.date}`,
      {
        headers: { authorization: `Bearer ${mother}` },
      },
    );
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toMatch(/^application\/pdf/);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    expectRefused(await api(slice, 'GET', weekPath, { token: otherMother }), 403, 'access.denied');
    expectRefused(await api(slice, 'GET', weekPath, { token: russianTeacher }), 403, 'access.denied');
  });

  it('when the teacher corrects a mark, then the child’s mother finds the correction in her inbox and marks it read, another child’s mother is told nothing of it, and a mother is refused the class’s progress reports', async () => {
    const mother = await guardianOf(students[2]!, 'Васильева');
    const otherMother = await guardianOf(students[1]!, 'Григорьева');
    type Inbox = {
      notifications: { notificationId: string; trigger: string; studentId: string; title: string }[];
      unread: number;
    };
    const current = (await record(mathTeacher)).body as { record: LessonRecord & { version: number } };
    const markId = current.record.marks.find((m) => m.studentId === students[2])!.markId;
    const corrected = await api(slice, 'POST', `/api/v1/lessons/${lesson.id}/marks/${markId}/corrections`, {
      token: mathTeacher,
      headers: { 'idempotency-key': `correct-${markId}` },
      body: { expectedVersion: current.record.version, value: '2', reason: 'Ошибка при выставлении отметки' },
    });
    expect(corrected.status).toBe(200);

    // Notifications learn it from gradebook's events (and the link with consent from roster's).
    let inbox: Answer | undefined;
    await waitFor(
      async () => {
        inbox = await api(slice, 'GET', '/api/v1/notifications/inbox', { token: mother });
        return (
          inbox.status === 200 &&
          (inbox.body as Inbox).notifications.some((n) => n.trigger === 'mark_corrected')
        );
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the corrected mark in the mother’s inbox' },
    );
    const told = (inbox!.body as Inbox).notifications.find((n) => n.trigger === 'mark_corrected')!;
    expect(told).toMatchObject({ studentId: students[2], title: 'Отметка исправлена: 3 → 2' });

    const read = await api(slice, 'POST', '/api/v1/notifications/inbox/read', {
      token: mother,
      body: { notificationIds: [told.notificationId] },
    });
    expect(read.status).toBe(200);
    expect((read.body as { unread: number }).unread).toBe((inbox!.body as Inbox).unread - 1);

    const others = await api(slice, 'GET', '/api/v1/notifications/inbox', { token: otherMother });
    expect(others.status).toBe(200);
    expect((others.body as Inbox).notifications.filter((n) => n.studentId === students[2])).toEqual([]);

    expectRefused(
      await api(slice, 'GET', `/api/v1/notifications/progress-reports?classId=${class5a}`, { token: mother }),
      403,
      'access.denied',
    );
  });
});
