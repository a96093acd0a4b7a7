import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { createEventCodec } from '@edu/events';
import { forbidden } from '@edu/kit';
import { protoFile } from '@edu/proto';
import { closeStore, connectStore, createDocumentLock, syncAllIndexes } from '@edu/store';
import { endpoints, uniqueName } from '@edu/testing';
import { copyModels } from '../../src/data-access/copies.model';
import { createCopyRepository } from '../../src/data-access/copies.repository';
import { GRADEBOOK_EVENT_TYPES } from '../../src/data-access/gradebook-events';
import { lessonRecordModel } from '../../src/data-access/lesson-record.model';
import { createLessonRecordRepository } from '../../src/data-access/lesson-record.repository';
import { periodMarkModel } from '../../src/data-access/period-mark.model';
import { createPeriodMarkRepository } from '../../src/data-access/period-mark.repository';
import { policyModel } from '../../src/data-access/policy.model';
import { createPolicyRepository } from '../../src/data-access/policy.repository';
import { courseId, type CourseHeading, type CourseLesson } from '../../src/domain/copies';
import { defaultPolicy } from '../../src/domain/grading-policy';
import {
  getJournalKeeping,
  getJournalPage,
  getStudentMarks,
  getTeacherDay,
  type JournalQueryDeps,
} from '../../src/domain/journal-queries.use-cases';
import { emptyRecord, recordLesson, type LessonRecord, type Mark } from '../../src/domain/lesson-record';
import { periodMarkId, type Actor, type PeriodMark, type RequestContext } from '../../src/domain/ports';

// The journal's queries over gradebook's real store (FerretDB): copies written by the copy
// repository, records and period marks by theirs, every read by computed ids.

const ctx = (actor: Actor): RequestContext => ({ actor, traceId: 'trace-queries' });

describe('gradebook: journal queries over the real store', () => {
  let store: Connection;
  let deps: JournalQueryDeps;
  const denials: string[] = [];

  const schoolId = randomUUID();
  const yearId = randomUUID();
  const classId = randomUUID();
  const teacherId = randomUUID();
  const substituteId = randomUUID();
  const classTeacherId = randomUUID();
  const [ann, boris, vera] = [randomUUID(), randomUUID(), randomUUID()];
  const staff = (personId: string, role = 'teacher'): Actor => ({
    accountId: `acc-${personId.slice(0, 8)}`,
    personId,
    schoolRoles: [{ schoolId, role }],
    grants: [],
  });
  const heading: CourseHeading = {
    schoolId,
    academicYearId: yearId,
    classId,
    className: '7Б',
    subgroupId: '',
    subgroupName: '',
    subjectId: 'physics',
    subjectKey: 'physics',
    subjectName: 'Физика',
    subjectShortName: 'Физ.',
  };
  const mathHeading: CourseHeading = {
    ...heading,
    subjectId: 'math',
    subjectKey: 'math',
    subjectName: 'Математика',
  };
  const lessonOf = (lessonId: string, date: string, o: Partial<CourseLesson> = {}): CourseLesson => ({
    lessonId,
    period: 1,
    date,
    lessonNumber: 2,
    startsAt: '09:00',
    endsAt: '09:40',
    teacherId,
    substituteTeacherId: '',
    room: '301',
    status: 'scheduled',
    version: 1,
    ...o,
  });
  const physicsLessons = [
    lessonOf('ph-1', '2026-09-07'),
    lessonOf('ph-2', '2026-09-08', { lessonNumber: 1, substituteTeacherId: substituteId }),
    lessonOf('ph-3', '2026-09-09', { status: 'cancelled' }),
  ];
  const mathLesson = lessonOf('ma-1', '2026-09-07', { lessonNumber: 1, teacherId: randomUUID() });

  const mark = (studentId: string, value: string, weight = 1): Mark => ({
    id: randomUUID(),
    studentId,
    value,
    workType: 'test',
    workTypeName: 'Контрольная работа',
    weight,
    comment: '',
    postedBy: teacherId,
    postedAt: '2026-09-07T03:00:00.000Z',
    status: 'active',
    history: [],
  });

  beforeAll(async () => {
    store = await connectStore({
      url: endpoints().mongoUrl,
      dbName: uniqueName('gradebook-queries').replaceAll('-', '_'),
    });
    const lock = createDocumentLock();
    const codec = createEventCodec({
      protoFiles: [protoFile('edu/events/v1/gradebook.proto')],
      types: GRADEBOOK_EVENT_TYPES,
    });
    const outbox = { codec, topic: uniqueName('gradebook-queries'), lock, onEventsWritten: () => undefined };
    const copies = createCopyRepository(copyModels(store), { lock });
    const records = createLessonRecordRepository(lessonRecordModel(store), outbox);
    const periodMarks = createPeriodMarkRepository(periodMarkModel(store), outbox);
    const policies = createPolicyRepository(policyModel(store), outbox);
    await syncAllIndexes(store);

    await copies.putSchool({
      id: schoolId,
      shortName: 'Лицей № 2',
      timeZone: 'Asia/Krasnoyarsk',
      version: 1,
    });
    await copies.putYear({
      id: yearId,
      schoolId,
      name: '2026/2027',
      startsOn: '2026-09-01',
      endsOn: '2027-05-26',
      status: 'open',
      periodSchemes: [
        {
          grades: [7],
          kind: 'half_year',
          periods: [
            { number: 1, startsOn: '2026-09-01', endsOn: '2026-12-28' },
            { number: 2, startsOn: '2027-01-12', endsOn: '2027-05-26' },
          ],
        },
      ],
      version: 1,
    });
    await copies.putClass({
      id: classId,
      schoolId,
      academicYearId: yearId,
      grade: 7,
      name: '7Б',
      classTeacherId,
      status: 'open',
      version: 1,
    });
    for (const [id, name] of [
      [ann, 'Волкова Анна'],
      [boris, 'Борисов Борис'],
      [vera, 'Верина Вера'],
      [teacherId, 'Физикова Ольга Ивановна'],
      [substituteId, 'Заменов Олег Петрович'],
      [mathLesson.teacherId, 'Математикова Нина Юрьевна'],
    ] as const) {
      await copies.putPerson({
        id,
        schoolId,
        kind: 'student',
        displayName: name,
        status: 'active',
        version: 1,
      });
    }
    for (const [studentId, on] of [
      [ann, '2026-09-01'],
      [boris, '2026-09-01'],
      [vera, '2026-09-08'],
    ] as const) {
      await copies.applyMovement({
        enrolmentId: `${yearId}:${studentId}`,
        schoolId,
        academicYearId: yearId,
        studentId,
        kind: 'enrolled',
        fromClassId: '',
        toClassId: classId,
        effectiveOn: on,
        version: 1,
      });
    }
    for (const lesson of physicsLessons) await copies.putLesson({ course: heading, lesson });
    await copies.putLesson({ course: mathHeading, lesson: mathLesson });

    const physics = (await copies.course(courseId(heading)))!;
    const record = (lessonId: string, content: Partial<LessonRecord>): LessonRecord => ({
      ...emptyRecord(
        recordLesson(
          physics,
          physics.lessons.find((l) => l.lessonId === lessonId)!,
        ),
      ),
      version: 1,
      updatedAt: '2026-09-07T03:00:00.000Z',
      ...content,
    });
    await records.save(
      record('ph-1', {
        topic: {
          text: 'Равномерное движение',
          planItemId: '',
          setBy: teacherId,
          setAt: '2026-09-07T03:00:00.000Z',
        },
        attendanceTaken: true,
        marks: [mark(ann, '5', 2), mark(ann, '4'), mark(boris, '3')],
        // Entered at 10:00 local on the lesson's day.
        firstEntries: {
          topic: '2026-09-07T03:00:00.000Z',
          attendance: '2026-09-07T03:00:00.000Z',
          marks: '2026-09-07T03:00:00.000Z',
          homework: '',
        },
      }),
      0,
      [],
      ctx(staff(teacherId)),
    );
    await records.save(
      record('ph-2', {
        homework: {
          text: '§ 3',
          dueDate: '',
          attachments: [],
          studentId: '',
          setBy: substituteId,
          setAt: '2026-09-09T03:00:00.000Z',
        },
        // Entered the day after the lesson (school time).
        firstEntries: { topic: '', attendance: '', marks: '', homework: '2026-09-09T03:00:00.000Z' },
      }),
      0,
      [],
      ctx(staff(substituteId)),
    );
    const ids = {
      academicYearId: yearId,
      studentId: ann,
      subjectId: 'physics',
      kind: 'period' as const,
      period: 1,
    };
    const periodMark: PeriodMark = {
      ...ids,
      id: periodMarkId(ids),
      schoolId,
      classId,
      subjectKey: 'physics',
      value: '5',
      setBy: teacherId,
      setAt: '2026-12-25T03:00:00.000Z',
      arithmeticAverage: 4.5,
      weightedAverage: 4.67,
      marksCount: 2,
      history: [],
      version: 1,
    };
    await periodMarks.save(periodMark, 0, [], ctx(staff(teacherId)));
    await policies.save(
      { ...defaultPolicy(schoolId), entryDeadline: 'days', entryDays: 2, version: 1 },
      0,
      [],
      ctx(staff(randomUUID(), 'director')),
    );

    deps = {
      copies,
      records,
      periodMarks,
      policies,
      authorize: (_actor, allowed, what) => {
        if (allowed) return;
        denials.push(`${what.action} ${what.object}`);
        throw forbidden('access.denied', 'Недостаточно прав для этого действия');
      },
      now: () => new Date('2026-09-10T05:00:00.000Z'),
    };
  });

  afterAll(async () => {
    await store?.dropDatabase();
    if (store) await closeStore(store);
  });

  it('when the physics teacher opens the half-year page, then it holds the students, records, averages and period marks', async () => {
    const page = await getJournalPage(deps, ctx(staff(teacherId)), {
      classId,
      subgroupId: '',
      subjectId: 'physics',
      period: 1,
    });
    expect(page.students.map((s) => [s.displayName, s.from])).toEqual([
      ['Борисов Борис', '2026-09-01'],
      ['Верина Вера', '2026-09-08'],
      ['Волкова Анна', '2026-09-01'],
    ]);
    expect(page.lessons.map((l) => [l.lessonId, l.version])).toEqual([
      ['ph-1', 1],
      ['ph-2', 1],
    ]);
    expect(page.averages.find((a) => a.studentId === ann)).toMatchObject({
      arithmeticAverage: 4.5,
      weightedAverage: 4.67,
      marksCount: 2,
    });
    expect(page.periodMarks.map((m) => [m.studentId, m.value])).toEqual([[ann, '5']]);
    expect(page.scale).toBe('five_point');
  });

  it('when a teacher of another subject opens the physics page, then it is refused', async () => {
    const other = staff(mathLesson.teacherId);
    await expect(
      getJournalPage(deps, ctx(other), { classId, subgroupId: '', subjectId: 'physics', period: 1 }),
    ).rejects.toMatchObject({
      kind: 'forbidden',
    });
    expect(denials).toContain(`journal.read course:${courseId(heading)}`);
  });

  it("when the class teacher reads a student's marks, then every subject comes with its marks and period mark", async () => {
    const result = await getStudentMarks(deps, ctx(staff(classTeacherId)), {
      studentId: ann,
      classId,
      period: 1,
    });
    expect(result.displayName).toBe('Волкова Анна');
    expect(
      result.subjects.map((s) => [
        s.course.subjectName,
        s.marks.length,
        s.weightedAverage,
        s.periodMark?.value ?? '',
      ]),
    ).toEqual([
      ['Математика', 0, 0, ''],
      ['Физика', 2, 4.67, '5'],
    ]);
  });

  it('when the substitute opens their day, then the substituted lesson is theirs with its window by the policy', async () => {
    const day = await getTeacherDay(deps, ctx(staff(substituteId)), { teacherId: '', date: '2026-09-08' });
    expect(day.lessons).toHaveLength(1);
    expect(day.lessons[0]).toMatchObject({
      substitution: true,
      students: 3,
      missing: ['topic', 'attendance', 'marks'],
      editable: true,
    });
    // "days" 2: the end of 10 September in Krasnoyarsk.
    expect(day.lessons[0]?.editableUntil.toISOString()).toBe('2026-09-10T17:00:00.000Z');
    const own = await getTeacherDay(deps, ctx(staff(teacherId)), { teacherId: '', date: '2026-09-08' });
    expect(own.lessons).toEqual([]);
  });

  it('when a deputy reads journal-keeping of the class, then rows per keeper and week tell what was entered on time', async () => {
    const rows = await getJournalKeeping(deps, ctx(staff(randomUUID(), 'deputy')), {
      schoolId,
      from: '2026-09-01',
      to: '2026-09-30',
      teacherId: '',
      classId,
    });
    expect(
      rows.map((r) => [
        r.teacherName,
        r.course.subjectId,
        r.week,
        r.lessonsHeld,
        r.enteredOnTime,
        r.enteredLate,
        r.marks,
      ]),
    ).toEqual([
      ['Заменов Олег Петрович', 'physics', '2026-09-07', 1, 0, 1, 0],
      ['Математикова Нина Юрьевна', 'math', '2026-09-07', 1, 0, 0, 0],
      ['Физикова Ольга Ивановна', 'physics', '2026-09-07', 1, 1, 0, 3],
    ]);
    // 3 marks over the 2 students of 7 September.
    expect(rows[2]?.marksDensity).toBe(1.5);
  });

  it('when a teacher asks for journal-keeping, then it is refused', async () => {
    await expect(
      getJournalKeeping(deps, ctx(staff(teacherId)), {
        schoolId,
        from: '2026-09-01',
        to: '2026-09-30',
        teacherId,
        classId: '',
      }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
  });
});
