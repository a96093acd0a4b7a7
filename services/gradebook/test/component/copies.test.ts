import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import {
  createEventCodec,
  newEvent,
  type EventEnvelope,
  type EventHandler,
  type EventRuns,
} from '@edu/events';
import { createLogger } from '@edu/kit';
import { protoFile } from '@edu/proto';
import { closeStore, connectStore, syncAllIndexes } from '@edu/store';
import { endpoints, uniqueName } from '@edu/testing';
import { copyModels } from '../../src/data-access/copies.model';
import { createCopyRepository } from '../../src/data-access/copies.repository';
import { courseId, type CopyReader } from '../../src/domain/copies';
import {
  HANDLED_ROSTER_EVENTS,
  rosterCopyHandler,
  rosterRuns,
} from '../../src/entry-points/kafka/roster.handler';
import {
  HANDLED_SCHEDULE_EVENTS,
  scheduleCopyHandler,
  scheduleLessonRuns,
} from '../../src/entry-points/kafka/schedule.handler';

// Gradebook's copies of roster and schedule in the real FerretDB, fed roster's and schedule's
// events as they publish them: what the reader answers, duplicates and out-of-order versions,
// transfers, subgroup members by the school's day, lessons moving between courses, curricula.

const actor = { accountId: 'acc-copies-test', personId: '' };
const context = { topic: 'test', partition: 0, offset: '0' };
/** The codec a consumer decodes with: events reach the handlers as they come off Kafka. */
const codec = createEventCodec({
  protoFiles: [protoFile('edu/events/v1/roster.proto'), protoFile('edu/events/v1/schedule.proto')],
  types: { ...HANDLED_ROSTER_EVENTS, ...HANDLED_SCHEDULE_EVENTS },
});

function event<P>(
  type: string,
  schoolId: string,
  aggregateId: string,
  aggregateVersion: number,
  payload: P,
  occurredAt?: string,
): EventEnvelope<P> {
  const built = newEvent({ type, schoolId, aggregateId, aggregateVersion, actor, traceId: '', payload });
  return occurredAt ? { ...built, occurredAt } : built;
}

function enrolment(
  schoolId: string,
  yearId: string,
  studentId: string,
  version: number,
  kind: 'enrolled' | 'transferred' | 'withdrawn',
  move: { from?: string; to?: string; on: string },
) {
  const enrolmentId = `${yearId}:${studentId}`;
  return event(`edu.roster.student.${kind}`, schoolId, enrolmentId, version, {
    enrolment: {
      enrolment_id: enrolmentId,
      school_id: schoolId,
      academic_year_id: yearId,
      student_id: studentId,
      class_id: move.to ?? '',
      status: kind === 'withdrawn' ? 'withdrawn' : 'active',
    },
    movement: {
      from_class_id: move.from ?? '',
      to_class_id: move.to ?? '',
      effective_on: move.on,
      order: { number: '12-у', date: move.on, title: 'О движении' },
    },
  });
}

interface LessonOptions {
  subgroupId?: string;
  subjectId?: string;
  teacherId?: string;
  substituteTeacherId?: string;
  date?: string;
  lessonNumber?: number;
  type?: string;
}

describe('gradebook: copies of roster and schedule (real FerretDB)', () => {
  let store: Connection;
  let copies: CopyReader;
  let roster: EventHandler;
  let schedule: EventHandler;
  let runs: EventRuns;
  let rosterRun: EventRuns;
  const logger = createLogger({ service: 'gradebook-test', level: 'warn' });

  const schoolId = randomUUID();
  const yearId = randomUUID();
  const classA = randomUUID();
  const classB = randomUUID();
  const teacherId = randomUUID();

  function lessonEvent(lessonId: string, version: number, o: LessonOptions = {}) {
    const subjectId = o.subjectId ?? 'math';
    return event(o.type ?? 'edu.schedule.lesson.scheduled', schoolId, lessonId, version, {
      lesson: {
        lesson_id: lessonId,
        school_id: schoolId,
        academic_year_id: yearId,
        period: 1,
        class_id: classA,
        class_name: '5А',
        subgroup_id: o.subgroupId ?? '',
        subgroup_name: o.subgroupId ? 'Группа 1' : '',
        subject_id: subjectId,
        subject_key: subjectId,
        subject_name: subjectId === 'math' ? 'Математика' : `Предмет ${subjectId}`,
        subject_short_name: subjectId === 'math' ? 'Матем.' : subjectId,
        teacher_id: o.teacherId ?? teacherId,
        date: o.date ?? '2026-09-01',
        lesson_number: o.lessonNumber ?? 1,
        starts_at: '08:30',
        ends_at: '09:10',
        room: '214',
        status: 'scheduled',
        origin: 'timetable',
        cancellation_reason: '',
        substitute_teacher_id: o.substituteTeacherId ?? '',
        substitution_reason: '',
        moved_from_date: '',
        moved_from_lesson_number: 0,
        change_reason: '',
      },
    });
  }

  function curriculumEvent(version: number, lines: { subjectId: string; hoursPerWeek: number }[]) {
    return event('edu.schedule.curriculum.set', schoolId, `curriculum-${classA}`, version, {
      curriculum: {
        curriculum_id: `curriculum-${classA}`,
        school_id: schoolId,
        academic_year_id: yearId,
        class_id: classA,
        grade: 5,
        lines: lines.map((l) => ({
          subject_id: l.subjectId,
          subject_key: l.subjectId,
          subject_name: `Предмет ${l.subjectId}`,
          education_area: '',
          component: 'mandatory',
          hours_per_week: l.hoursPerWeek,
          period_hours: [],
          hours_per_year: l.hoursPerWeek * 34,
        })),
        total_hours_per_week: lines.reduce((n, l) => n + l.hoursPerWeek, 0),
        weeks_per_year: 34,
        weeks_source: 'default',
      },
    });
  }

  const feed = async (handler: EventHandler, events: EventEnvelope<unknown>[]) => {
    for (const e of events) await handler(codec.decode(codec.encode(e)).envelope, context);
  };

  beforeAll(async () => {
    store = await connectStore({
      url: endpoints().mongoUrl,
      dbName: uniqueName('gradebook-copies').replaceAll('-', '_'),
    });
    const models = copyModels(store);
    await syncAllIndexes(store);
    const repository = createCopyRepository(models);
    copies = repository;
    roster = rosterCopyHandler(repository, logger);
    schedule = scheduleCopyHandler(repository, logger);
    runs = scheduleLessonRuns(repository, logger);
    rosterRun = rosterRuns(repository, logger);
    await feed(roster, [
      event('edu.roster.school.created', schoolId, schoolId, 1, {
        school: { school_id: schoolId, short_name: 'МБОУ СШ № 7', time_zone: 'Asia/Krasnoyarsk' },
      }),
    ]);
  });

  afterAll(async () => {
    await store?.dropDatabase();
    if (store) await closeStore(store);
  });

  it('when roster publishes a year, classes and people, then the copies keep students and staff but no guardians', async () => {
    const studentId = randomUUID();
    const guardianId = randomUUID();
    const person = (id: string, kind: string) =>
      event('edu.roster.person.registered', schoolId, id, 1, {
        person: {
          person_id: id,
          school_id: schoolId,
          kind,
          display_name: `Иванов ${kind}`,
          status: 'active',
        },
      });

    await feed(roster, [
      event('edu.roster.academic_year.opened', schoolId, yearId, 1, {
        academic_year: {
          academic_year_id: yearId,
          school_id: schoolId,
          name: '2026/2027',
          days: { starts_on: '2026-09-01', ends_on: '2027-05-31' },
          holidays: [],
          period_schemes: [
            {
              grades: [5, 6],
              kind: 'quarter',
              periods: [{ number: 1, days: { starts_on: '2026-09-01', ends_on: '2026-10-25' } }],
            },
          ],
          status: 'open',
          closures: [],
          transfers: [],
        },
      }),
      person(studentId, 'student'),
      person(teacherId, 'staff'),
      person(guardianId, 'guardian'),
    ]);

    expect(await copies.school(schoolId)).toEqual({
      id: schoolId,
      shortName: 'МБОУ СШ № 7',
      timeZone: 'Asia/Krasnoyarsk',
      version: 1,
    });
    expect(await copies.year(yearId)).toMatchObject({
      schoolId,
      name: '2026/2027',
      status: 'open',
      periodSchemes: [
        {
          grades: [5, 6],
          kind: 'quarter',
          periods: [{ number: 1, startsOn: '2026-09-01', endsOn: '2026-10-25' }],
        },
      ],
    });
    expect((await copies.people([guardianId, studentId, teacherId, studentId])).map((p) => p.kind)).toEqual([
      'student',
      'staff',
    ]);
  });

  it('when a class event comes twice and an older one after a newer, then the newest stays', async () => {
    const schoolClass = (version: number, type: string, letter: string) =>
      event(`edu.roster.class.${type}`, schoolId, classB, version, {
        school_class: {
          class_id: classB,
          school_id: schoolId,
          academic_year_id: yearId,
          grade: 5,
          letter,
          name: `5${letter}`,
          class_teacher_id: teacherId,
          status: 'open',
        },
      });
    const opened = schoolClass(1, 'opened', 'А');
    const renamed = schoolClass(2, 'renamed', 'Б');

    await feed(roster, [opened, renamed, renamed, opened]);

    expect(await copies.schoolClass(classB)).toEqual({
      id: classB,
      schoolId,
      academicYearId: yearId,
      grade: 5,
      name: '5Б',
      classTeacherId: teacherId,
      status: 'open',
      version: 2,
    });
  });

  it('when an import comes as a run of registrations and enrolments, then people and rolls are stored at once; a replay and guardians change nothing', async () => {
    const decoded = (e: EventEnvelope<unknown>) => codec.decode(codec.encode(e)).envelope;
    const classC = randomUUID();
    const students = Array.from({ length: 20 }, () => randomUUID());
    const guardian = randomUUID();
    const registered = (id: string, kind: string, version = 1) =>
      event('edu.roster.person.registered', schoolId, id, version, {
        person: {
          person_id: id,
          school_id: schoolId,
          kind,
          display_name: `Импортов ${id.slice(0, 4)}`,
          status: 'active',
        },
      });
    const run = [
      ...students.map((id) => registered(id, 'student')),
      registered(guardian, 'guardian'),
      ...students.map((id) =>
        enrolment(schoolId, yearId, id, 1, 'enrolled', { to: classC, on: '2026-09-01' }),
      ),
      enrolment(schoolId, yearId, students[0]!, 2, 'withdrawn', { from: classC, on: '2026-10-10' }),
    ].map(decoded);
    expect(run.every((e) => rosterRun.accepts(e))).toBe(true);
    expect(rosterRun.accepts(decoded(event('edu.roster.class.opened', schoolId, classC, 1, {})))).toBe(false);

    await rosterRun.handle(run, context);
    const roll = await copies.classRoll(classC);
    await rosterRun.handle(run, context);

    expect((await copies.people([...students, guardian])).map((p) => p.id).sort()).toEqual(
      [...students].sort(),
    );
    expect(roll?.stints).toHaveLength(20);
    expect(roll?.stints.find((s) => s.studentId === students[0])).toEqual({
      studentId: students[0],
      from: '2026-09-01',
      until: '2026-10-10',
    });
    expect(await copies.classRoll(classC)).toEqual(roll);
    // A later card of one of them, in another run, replaces it by version.
    await rosterRun.handle(
      [decoded(registered(students[1]!, 'student', 2)), decoded(registered(guardian, 'guardian', 2))],
      context,
    );
    expect((await copies.people([students[1]!]))[0]).toMatchObject({ version: 2 });
  });

  it('when a student is transferred on 10 October, then each class has one stint, and replays change nothing', async () => {
    const studentId = randomUUID();
    const enrolled = enrolment(schoolId, yearId, studentId, 1, 'enrolled', { to: classA, on: '2026-09-01' });
    const transferred = enrolment(schoolId, yearId, studentId, 2, 'transferred', {
      from: classA,
      to: classB,
      on: '2026-10-10',
    });

    await feed(roster, [enrolled, transferred, transferred, enrolled]);

    const a = await copies.classRoll(classA);
    const b = await copies.classRoll(classB);
    expect(a?.stints.filter((s) => s.studentId === studentId)).toEqual([
      { studentId, from: '2026-09-01', until: '2026-10-10' },
    ]);
    expect(b?.stints.filter((s) => s.studentId === studentId)).toEqual([
      { studentId, from: '2026-10-10', until: '' },
    ]);
    expect(b).toMatchObject({ classId: classB, schoolId, academicYearId: yearId });
    expect(a?.applied[`${yearId}:${studentId}`]).toBe(2);
  });

  it("when a subgroup is formed late in the evening UTC and members change later, then stints start on the school's days", async () => {
    const subgroupId = randomUUID();
    const [s1, s2, s3] = [randomUUID(), randomUUID(), randomUUID()];
    const subgroup = (version: number, type: string, members: string[], at: string) =>
      event(
        `edu.roster.subgroup.${type}`,
        schoolId,
        subgroupId,
        version,
        {
          subgroup: {
            subgroup_id: subgroupId,
            school_id: schoolId,
            academic_year_id: yearId,
            class_id: classA,
            subject_key: 'english',
            name: 'Английский язык, группа 1',
            teacher_id: '',
            member_ids: members,
            status: 'open',
          },
        },
        at,
      );
    // Krasnoyarsk is UTC+7: 18:00 UTC is the next day there.
    const formed = subgroup(1, 'formed', [s1, s2], '2026-09-01T18:00:00Z');
    const changed = subgroup(2, 'members_changed', [s2, s3], '2026-10-10T03:00:00Z');

    await feed(roster, [formed, changed, formed, changed]);

    const stored = await copies.subgroup(subgroupId);
    expect(stored).toMatchObject({ classId: classA, subjectKey: 'english', status: 'open', version: 2 });
    expect(new Set(stored?.stints)).toEqual(
      new Set([
        { studentId: s1, from: '2026-09-02', until: '2026-10-10' },
        { studentId: s2, from: '2026-09-02', until: '' },
        { studentId: s3, from: '2026-10-10', until: '' },
      ]),
    );
  });

  it('when a lesson gets another subject, then it moves to the other course; an older version after it changes nothing', async () => {
    const [l1, l2] = [randomUUID(), randomUUID()];
    const math = courseId({ academicYearId: yearId, classId: classA, subgroupId: '', subjectId: 'math' });
    const physics = courseId({
      academicYearId: yearId,
      classId: classA,
      subgroupId: '',
      subjectId: 'physics',
    });

    await feed(schedule, [
      lessonEvent(l2, 1, { date: '2026-09-02' }),
      lessonEvent(l1, 1, { date: '2026-09-01', lessonNumber: 3 }),
      lessonEvent(l1, 1, { date: '2026-09-01', lessonNumber: 3 }),
    ]);
    const before = await copies.course(math);

    await feed(schedule, [
      lessonEvent(l1, 2, { subjectId: 'physics', type: 'edu.schedule.lesson.rescheduled' }),
      lessonEvent(l1, 1, { date: '2026-09-01', lessonNumber: 3 }),
    ]);

    expect(before?.lessons.map((l) => l.lessonId)).toEqual([l1, l2]);
    expect(before).toMatchObject({ className: '5А', subjectName: 'Математика', subjectShortName: 'Матем.' });
    expect((await copies.course(math))?.lessons.map((l) => l.lessonId)).toEqual([l2]);
    expect((await copies.course(physics))?.lessons).toEqual([
      expect.objectContaining({ lessonId: l1, version: 2, date: '2026-09-01', lessonNumber: 1 }),
    ]);
    expect(await copies.lessonCourseId(l1)).toBe(physics);
    expect(await copies.lessonCourseId(randomUUID())).toBeNull();
    expect(new Set(await copies.classCourseIds(classA))).toEqual(new Set([math, physics]));
  });

  it('when a substitute is assigned, then the course is in the substitute’s index as well as the teacher’s', async () => {
    const lessonId = randomUUID();
    const substituteId = randomUUID();
    const otherTeacher = randomUUID();
    const chemistry = courseId({
      academicYearId: yearId,
      classId: classA,
      subgroupId: '',
      subjectId: 'chemistry',
    });

    await feed(schedule, [
      lessonEvent(lessonId, 1, { subjectId: 'chemistry', teacherId: otherTeacher }),
      lessonEvent(lessonId, 2, {
        subjectId: 'chemistry',
        teacherId: otherTeacher,
        substituteTeacherId: substituteId,
        type: 'edu.schedule.substitution.assigned',
      }),
    ]);

    expect(await copies.teacherCourseIds(otherTeacher)).toEqual([chemistry]);
    expect(await copies.teacherCourseIds(substituteId)).toEqual([chemistry]);
    expect((await copies.course(chemistry))?.lessons[0]).toMatchObject({
      substituteTeacherId: substituteId,
      version: 2,
    });
  });

  it('when many lessons of one course come at once, then none is lost', async () => {
    const ids = Array.from({ length: 12 }, () => randomUUID());
    const art = courseId({ academicYearId: yearId, classId: classA, subgroupId: '', subjectId: 'art' });

    await Promise.all(
      ids.map((id, i) =>
        schedule(
          codec.decode(
            codec.encode(
              lessonEvent(id, 1, { subjectId: 'art', date: `2026-09-${String(i + 1).padStart(2, '0')}` }),
            ),
          ).envelope,
          context,
        ),
      ),
    );

    expect((await copies.course(art))?.lessons.map((l) => l.lessonId)).toEqual(ids);
    expect((await copies.courses([art, 'no-such-course', art])).map((c) => c.id)).toEqual([art]);
  });

  it('when a run of lesson events comes, then each course is written once with all of them; a replay changes nothing; a subject change in a run still moves the lesson', async () => {
    const decoded = (e: EventEnvelope<unknown>) => codec.decode(codec.encode(e)).envelope;
    const day = (i: number) => `2026-10-${String(i + 1).padStart(2, '0')}`;
    const music = courseId({ academicYearId: yearId, classId: classA, subgroupId: '', subjectId: 'music' });
    const drawing = courseId({
      academicYearId: yearId,
      classId: classA,
      subgroupId: '',
      subjectId: 'drawing',
    });
    const musicIds = Array.from({ length: 20 }, () => randomUUID());
    const drawingIds = Array.from({ length: 10 }, () => randomUUID());
    const run = [
      ...musicIds.map((id, i) => lessonEvent(id, 1, { subjectId: 'music', date: day(i) })),
      ...drawingIds.map((id, i) =>
        lessonEvent(id, 1, { subjectId: 'drawing', date: day(i), lessonNumber: 2 }),
      ),
      // A later version of one of them in the same run wins.
      lessonEvent(musicIds[0]!, 2, {
        subjectId: 'music',
        date: day(0),
        type: 'edu.schedule.lesson.cancelled',
      }),
    ].map(decoded);
    expect(run.every((e) => runs.accepts(e))).toBe(true);

    await runs.handle(run, context);
    const musicBefore = await copies.course(music);
    await runs.handle(run, context);

    expect(musicBefore?.lessons.map((l) => l.lessonId)).toEqual(musicIds);
    expect(musicBefore?.lessons[0]).toMatchObject({ version: 2 });
    expect((await copies.course(music))?.version).toBe(musicBefore?.version);
    expect((await copies.course(drawing))?.lessons).toHaveLength(10);
    expect(await copies.lessonCourseId(drawingIds[9]!)).toBe(drawing);
    expect(await copies.classCourseIds(classA)).toEqual(expect.arrayContaining([music, drawing]));

    // Another subject in a slot, inside a run: the careful path, lesson by lesson.
    await runs.handle(
      [
        lessonEvent(drawingIds[0]!, 2, {
          subjectId: 'music',
          date: day(0),
          lessonNumber: 2,
          type: 'edu.schedule.lesson.rescheduled',
        }),
        lessonEvent(randomUUID(), 1, { subjectId: 'music', date: day(25) }),
      ].map(decoded),
      context,
    );
    expect(await copies.lessonCourseId(drawingIds[0]!)).toBe(music);
    expect((await copies.course(drawing))?.lessons).toHaveLength(9);
    expect((await copies.course(music))?.lessons).toHaveLength(22);
    expect(runs.accepts(decoded(curriculumEvent(1, [])))).toBe(false);
  });

  it("when a curriculum is set, then the class's courses get their hours (subgroup courses too), and a later plan without a subject zeroes it", async () => {
    const subgroupId = randomUUID();
    const englishGroup = courseId({
      academicYearId: yearId,
      classId: classA,
      subgroupId,
      subjectId: 'english',
    });
    const english = courseId({
      academicYearId: yearId,
      classId: classA,
      subgroupId: '',
      subjectId: 'english',
    });
    const history = courseId({
      academicYearId: yearId,
      classId: classA,
      subgroupId: '',
      subjectId: 'history',
    });
    await feed(schedule, [lessonEvent(randomUUID(), 1, { subjectId: 'english', subgroupId })]);
    const v1 = curriculumEvent(1, [
      { subjectId: 'english', hoursPerWeek: 3 },
      { subjectId: 'history', hoursPerWeek: 2 },
    ]);

    await feed(schedule, [v1]);
    const afterV1 = await copies.courses([english, englishGroup, history]);
    await feed(schedule, [curriculumEvent(2, [{ subjectId: 'history', hoursPerWeek: 3 }]), v1]);

    expect(afterV1.map((c) => [c.id, c.curriculum])).toEqual([
      [english, { hoursPerWeek: 3, hoursPerYear: 102, version: 1 }],
      [englishGroup, { hoursPerWeek: 3, hoursPerYear: 102, version: 1 }],
      [history, { hoursPerWeek: 2, hoursPerYear: 68, version: 1 }],
    ]);
    expect(afterV1[2]).toMatchObject({ className: '', subjectName: 'Предмет history', lessons: [] });
    expect((await copies.courses([english, englishGroup, history])).map((c) => c.curriculum)).toEqual([
      { hoursPerWeek: 0, hoursPerYear: 0, version: 2 },
      { hoursPerWeek: 0, hoursPerYear: 0, version: 2 },
      { hoursPerWeek: 3, hoursPerYear: 102, version: 2 },
    ]);
    // Courses without a line that never had hours stay without.
    expect(
      (
        await copies.course(
          courseId({ academicYearId: yearId, classId: classA, subgroupId: '', subjectId: 'art' }),
        )
      )?.curriculum,
    ).toBeUndefined();
  });

  it('when a type gradebook does not keep comes, then it is skipped; a kept type without its state throws', async () => {
    const bare = (type: string) => event(type, schoolId, randomUUID(), 1, {});

    await expect(roster(bare('edu.roster.guardian.linked'), context)).resolves.toBeUndefined();
    await expect(schedule(bare('edu.schedule.bells.set'), context)).resolves.toBeUndefined();
    await expect(roster(bare('edu.roster.class.opened'), context)).rejects.toThrow(/carries no school_class/);
    await expect(schedule(bare('edu.schedule.lesson.cancelled'), context)).rejects.toThrow(
      /carries no lesson/,
    );
  });
});
