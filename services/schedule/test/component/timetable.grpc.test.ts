import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { uniqueName, waitFor } from '@edu/testing';
import { catalogueSubjectId } from '../../src/domain/subject-catalogue';
import {
  guardianActor,
  recordScheduleEvents,
  refusal,
  staffOf,
  startSchedule,
  type PublishedEvent,
  type ScheduleHarness,
  denialsSince,
} from './harness';
import {
  classEvent,
  personEvent,
  schoolCreated,
  staffEvent,
  subgroupEvent,
  yearOpened,
} from './roster-events';

// The timetable through ScheduleService against the real FerretDB and Kafka. Each test has a
// school of its own, fed to schedule's copy by roster's events on the real topic, with its bells
// and teaching assignments set through the API.

const math = catalogueSubjectId('mathematics');
const russian = catalogueSubjectId('russian');
const english = catalogueSubjectId('english');
const informatics = catalogueSubjectId('informatics');

const days = (starts_on: string, ends_on: string) => ({ starts_on, ends_on });
const quarters = [
  {
    grades: [5],
    kind: 'quarter',
    periods: [
      { number: 1, days: days('2026-09-01', '2026-10-25') },
      { number: 2, days: days('2026-11-04', '2026-12-27') },
      { number: 3, days: days('2027-01-11', '2027-03-21') },
      { number: 4, days: days('2027-04-01', '2027-05-31') },
    ],
  },
];
const bells = [
  { number: 1, starts_at: '08:00', ends_at: '08:40' },
  { number: 2, starts_at: '08:50', ends_at: '09:30' },
  { number: 3, starts_at: '09:40', ends_at: '10:20' },
  { number: 4, starts_at: '10:40', ends_at: '11:20' },
];

interface EntryInput {
  weekday: number;
  lesson_number: number;
  subject_id: string;
  teacher_id: string;
  subgroup_id?: string;
  room?: string;
  week_parity?: string;
}
const entry = (fields: EntryInput) => ({ subgroup_id: '', room: '', week_parity: '', ...fields });

describe('schedule: the timetable over gRPC (real FerretDB and Kafka)', () => {
  let schedule: ScheduleHarness;
  let events: Awaited<ReturnType<typeof recordScheduleEvents>>;
  let published: PublishedEvent[] = [];
  const stored = () =>
    schedule.store.collection<{ _id: string; schoolId: string; version: number; entries: unknown[] }>(
      'timetable_classes',
    );
  const eventsOf = (id: string) => published.filter((e) => e.aggregateId === id);
  const denials = (from: number) => denialsSince(schedule, from);

  /**
   * A school of its own in 2026/2027 (quarters for the 5th grade) with the first shift's bells:
   * 5А (class teacher: `classTeacher`) with English groups 1 (students s1, s2) and 2 (s3, s4) and
   * an informatics group (s2, s5), and 5Б. Assignments: `mathTeacher` maths in 5А and 5Б,
   * `russianTeacher` Russian in 5А and 5Б, `english1`/`english2` the English groups, `itTeacher`
   * the informatics group.
   */
  async function school() {
    const ids = {
      schoolId: randomUUID(),
      yearId: randomUUID(),
      class5a: randomUUID(),
      class5b: randomUUID(),
      group1: randomUUID(),
      group2: randomUUID(),
      itGroup: randomUUID(),
      classTeacher: randomUUID(),
      mathTeacher: randomUUID(),
      russianTeacher: randomUUID(),
      english1: randomUUID(),
      english2: randomUUID(),
      itTeacher: randomUUID(),
    };
    const { schoolId, yearId } = ids;
    const teachers = [
      ids.classTeacher,
      ids.mathTeacher,
      ids.russianTeacher,
      ids.english1,
      ids.english2,
      ids.itTeacher,
    ];
    await schedule.roster([
      schoolCreated(schoolId),
      yearOpened(schoolId, yearId, { periodSchemes: quarters }),
      classEvent(schoolId, yearId, ids.class5a, { classTeacherId: ids.classTeacher }),
      classEvent(schoolId, yearId, ids.class5b, { letter: 'Б' }),
      subgroupEvent(schoolId, yearId, ids.class5a, ids.group1, {
        name: 'Англ., группа 1',
        memberIds: ['s1', 's2'],
      }),
      subgroupEvent(schoolId, yearId, ids.class5a, ids.group2, {
        name: 'Англ., группа 2',
        memberIds: ['s3', 's4'],
      }),
      subgroupEvent(schoolId, yearId, ids.class5a, ids.itGroup, {
        name: 'Информатика, группа 1',
        subjectKey: 'informatics',
        memberIds: ['s2', 's5'],
      }),
      personEvent(schoolId, ids.mathTeacher, { displayName: 'Иванова Анна Петровна' }),
      ...teachers.map((id) => staffEvent(schoolId, `p-${id}`, id)),
    ]);
    const deputy = () => schedule.as(staffOf(schoolId, 'deputy'));
    const teacher = (personId: string) => schedule.as(staffOf(schoolId, 'teacher', personId));
    await schedule.client.SetBellSchedule(
      { school_id: schoolId, shift: 1, name: 'Основное', lessons: bells, expected_version: '0' },
      await deputy(),
    );
    const assignments: [string, string, { class_id?: string; subgroup_id?: string }][] = [
      [ids.mathTeacher, math, { class_id: ids.class5a }],
      [ids.mathTeacher, math, { class_id: ids.class5b }],
      [ids.russianTeacher, russian, { class_id: ids.class5a }],
      [ids.russianTeacher, russian, { class_id: ids.class5b }],
      [ids.english1, english, { subgroup_id: ids.group1 }],
      [ids.english2, english, { subgroup_id: ids.group2 }],
      [ids.itTeacher, informatics, { subgroup_id: ids.itGroup }],
    ];
    for (const [teacher_id, subject_id, target] of assignments) {
      await schedule.client.AssignTeacher(
        { school_id: schoolId, academic_year_id: yearId, teacher_id, subject_id, ...target },
        await deputy(),
      );
    }
    const set = async (
      entries: ReturnType<typeof entry>[],
      fields: Record<string, unknown> = {},
      metadata?: object,
    ) =>
      (
        await schedule.client.SetTimetableEntries(
          {
            school_id: schoolId,
            academic_year_id: yearId,
            class_id: ids.class5a,
            period: 1,
            shift: 1,
            entries,
            expected_version: '0',
            ...fields,
          },
          metadata ?? (await deputy()),
        )
      ).timetable!;
    /** 5А's Monday: maths 1st in 214, English groups 2nd, Russian 3rd. */
    const week5a = [
      entry({ weekday: 1, lesson_number: 1, subject_id: math, teacher_id: ids.mathTeacher, room: '214' }),
      entry({
        weekday: 1,
        lesson_number: 2,
        subject_id: english,
        teacher_id: ids.english1,
        subgroup_id: ids.group1,
        room: '301',
      }),
      entry({
        weekday: 1,
        lesson_number: 2,
        subject_id: english,
        teacher_id: ids.english2,
        subgroup_id: ids.group2,
        room: '302',
      }),
      entry({ weekday: 1, lesson_number: 3, subject_id: russian, teacher_id: ids.russianTeacher }),
    ];
    return { ...ids, deputy, teacher, set, week5a };
  }

  beforeAll(async () => {
    schedule = await startSchedule();
    events = await recordScheduleEvents(schedule);
    published = events.published;
  });

  afterAll(async () => {
    await events?.stop();
    await schedule?.close();
  });

  it('when a deputy sets 5А’s and 5Б’s weeks (once twice with one key) and publishes, then each is stored once, teachers read theirs, and timetable.published carries every lesson with its times', async () => {
    const s = await school();
    const key = await schedule.as(staffOf(s.schoolId, 'deputy'), uniqueName('key'));

    const first = await s.set(s.week5a, {}, key);
    const repeat = await s.set(s.week5a, {}, key);
    const week5b = await s.set(
      [
        entry({
          weekday: 1,
          lesson_number: 2,
          subject_id: math,
          teacher_id: s.mathTeacher,
          room: '214',
          week_parity: 'odd',
        }),
        entry({
          weekday: 1,
          lesson_number: 2,
          subject_id: russian,
          teacher_id: s.russianTeacher,
          room: '215',
          week_parity: 'even',
        }),
      ],
      { class_id: s.class5b },
    );
    const publishKey = await schedule.as(staffOf(s.schoolId, 'deputy'), uniqueName('key'));
    const publish = () =>
      schedule.client.PublishTimetable(
        { school_id: s.schoolId, academic_year_id: s.yearId, period: 1 },
        publishKey,
      );
    const publication = await publish();
    const publishedAgain = await publish();
    const byClassTeacher = await schedule.client.GetClassTimetable(
      { class_id: s.class5a, period: 1 },
      await s.teacher(s.classTeacher),
    );
    const byGroupTeacher = await schedule.client.GetClassTimetable(
      { class_id: s.class5a, period: 1 },
      await s.teacher(s.english2),
    );
    const own = await schedule.client.GetTeacherTimetable(
      { school_id: s.schoolId, academic_year_id: s.yearId, teacher_id: s.mathTeacher, period: 1 },
      await s.teacher(s.mathTeacher),
    );
    const list = await schedule.client.ListTimetable(
      { school_id: s.schoolId, academic_year_id: s.yearId, period: 1 },
      await s.deputy(),
    );

    expect(first).toMatchObject({ class_id: s.class5a, class_name: '5А', period: 1, shift: 1, version: '1' });
    expect(
      first.entries.map((e) => [
        e.weekday_name,
        e.lesson_number,
        e.starts_at,
        e.subject_name,
        e.subgroup_name,
        e.room,
      ]),
    ).toEqual([
      ['понедельник', 1, '08:00', 'Математика', '', '214'],
      ['понедельник', 2, '08:50', 'Иностранный язык (английский)', 'Англ., группа 1', '301'],
      ['понедельник', 2, '08:50', 'Иностранный язык (английский)', 'Англ., группа 2', '302'],
      ['понедельник', 3, '09:40', 'Русский язык', '', ''],
    ]);
    expect(first.entries[0]).toMatchObject({
      teacher_name: 'Иванова Анна Петровна',
      week_parity: 'every',
      ends_at: '08:40',
    });
    expect(repeat).toEqual(first);
    expect(week5b.entries.map((e) => e.week_parity)).toEqual(['odd', 'even']);
    expect(await stored().countDocuments({ schoolId: s.schoolId })).toBe(2);
    expect(publication).toMatchObject({
      classes: 2,
      entries: 6,
      publication: { version: '1', changed_since: false },
    });
    expect(publishedAgain).toEqual(publication);
    expect(byClassTeacher.timetable).toEqual(first);
    expect(byClassTeacher.publication).toMatchObject({ version: '1', changed_since: false });
    expect(byGroupTeacher.timetable!.entries).toHaveLength(4);
    expect(own.entries.map((e) => [e.class_name, e.lesson_number, e.week_parity])).toEqual([
      ['5А', 1, 'every'],
      ['5Б', 2, 'odd'],
    ]);
    expect(own.teacher_name).toBe('Иванова Анна Петровна');
    expect(list.classes.map((c) => [c.class_name, c.entries.length])).toEqual([
      ['5А', 4],
      ['5Б', 2],
    ]);

    const id = publication.publication!.id;
    await waitFor(() => eventsOf(id).length > 0, { timeoutMs: 15_000 });
    expect(eventsOf(id).map((e) => [e.type, e.key, e.aggregateVersion])).toEqual([
      ['edu.schedule.timetable.published', s.schoolId, 1],
    ]);
    const payload = eventsOf(id)[0]!.payload as {
      classes: { class_name: string; entries: Record<string, unknown>[] }[];
    };
    expect(payload).toMatchObject({
      timetable_id: id,
      school_id: s.schoolId,
      academic_year_id: s.yearId,
      period: 1,
    });
    expect(payload.classes.map((c) => [c.class_name, c.entries.length])).toEqual([
      ['5А', 4],
      ['5Б', 2],
    ]);
    expect(payload.classes[0]!.entries[1]).toEqual({
      weekday: 1,
      lesson_number: 2,
      starts_at: '08:50',
      ends_at: '09:30',
      subgroup_id: s.group1,
      subject_id: english,
      subject_key: 'english',
      teacher_id: s.english1,
      room: '301',
      week_parity: 'every',
    });
    expect(JSON.stringify(payload)).not.toContain('Иванова');

    await s.set(s.week5a.slice(0, 1), { expected_version: '1' });
    const after = await schedule.client.ListTimetable(
      { school_id: s.schoolId, academic_year_id: s.yearId, period: 1 },
      await s.deputy(),
    );
    expect(after.publication).toMatchObject({ version: '1', changed_since: true });
  });

  it('when a rule is broken, then each refusal has its code and a message naming the other lesson, and nothing is stored', async () => {
    const s = await school();
    await s.set(
      [
        entry({
          weekday: 1,
          lesson_number: 1,
          subject_id: math,
          teacher_id: s.mathTeacher,
          room: 'Каб. 214',
        }),
      ],
      { class_id: s.class5b },
    );
    const before = await stored().countDocuments({ schoolId: s.schoolId });

    const refusals = await Promise.all([
      // The maths teacher is in 5Б at that time.
      refusal(s.set([entry({ weekday: 1, lesson_number: 1, subject_id: math, teacher_id: s.mathTeacher })])),
      // 5Б's room, written otherwise.
      refusal(
        s.set([
          entry({
            weekday: 1,
            lesson_number: 1,
            subject_id: russian,
            teacher_id: s.russianTeacher,
            room: 'каб.214',
          }),
        ]),
      ),
      // The whole class twice at once.
      refusal(
        s.set([
          entry({ weekday: 2, lesson_number: 1, subject_id: math, teacher_id: s.mathTeacher }),
          entry({ weekday: 2, lesson_number: 1, subject_id: russian, teacher_id: s.russianTeacher }),
        ]),
      ),
      // English group 1 and the informatics group share s2.
      refusal(
        s.set([
          entry({
            weekday: 2,
            lesson_number: 2,
            subject_id: english,
            teacher_id: s.english1,
            subgroup_id: s.group1,
          }),
          entry({
            weekday: 2,
            lesson_number: 2,
            subject_id: informatics,
            teacher_id: s.itTeacher,
            subgroup_id: s.itGroup,
          }),
        ]),
      ),
      // The English teacher of group 1 has no maths in 5А.
      refusal(s.set([entry({ weekday: 3, lesson_number: 1, subject_id: math, teacher_id: s.english1 })])),
      // The bells have 4 lessons.
      refusal(s.set([entry({ weekday: 3, lesson_number: 6, subject_id: math, teacher_id: s.mathTeacher })])),
      // English for the whole of 5А, which has English groups.
      refusal(s.set([entry({ weekday: 3, lesson_number: 2, subject_id: english, teacher_id: s.english1 })])),
      // Sunday.
      refusal(s.set([entry({ weekday: 7, lesson_number: 1, subject_id: math, teacher_id: s.mathTeacher })])),
    ]);

    expect(refusals.map((e) => [e.code, e.domainError?.code])).toEqual([
      [grpc.status.FAILED_PRECONDITION, 'timetable.teacher_busy'],
      [grpc.status.FAILED_PRECONDITION, 'timetable.room_busy'],
      [grpc.status.FAILED_PRECONDITION, 'timetable.class_busy'],
      [grpc.status.FAILED_PRECONDITION, 'timetable.members_overlap'],
      [grpc.status.FAILED_PRECONDITION, 'timetable.no_assignment'],
      [grpc.status.FAILED_PRECONDITION, 'timetable.unknown_lesson'],
      [grpc.status.FAILED_PRECONDITION, 'timetable.split_subject'],
      [grpc.status.INVALID_ARGUMENT, 'timetable.invalid'],
    ]);
    expect(refusals[0]!.domainError?.errors).toEqual([
      {
        field: 'entries[0].teacherId',
        message: 'Учитель в это время ведёт урок: 5Б, понедельник, 1-й урок, «Математика»',
      },
    ]);
    expect(refusals[1]!.domainError?.detail).toBe(
      'Кабинет «каб.214» в это время занят: 5Б, понедельник, 1-й урок, «Математика»',
    );
    expect(refusals[2]!.domainError?.errors).toEqual([
      {
        field: 'entries[1].lessonNumber',
        message: 'У класса в это время уже есть урок: 5А, вторник, 1-й урок, «Математика»',
      },
    ]);
    expect(refusals[3]!.domainError?.errors?.[0]).toEqual({
      field: 'entries[1].subgroupId',
      message:
        'В подгруппе «Информатика, группа 1» и в подгруппе урока 5А («Англ., группа 1»), вторник, 2-й урок, «Иностранный язык (английский)» есть общие ученики (1): они не могут быть на двух уроках сразу',
    });
    expect(refusals[5]!.domainError?.detail).toBe(
      'В расписании звонков 1-й смены нет 6-го урока (уроки 1–4)',
    );
    expect(refusals[7]!.domainError?.errors).toEqual([
      { field: 'entries[0].weekday', message: 'День недели — от 1 (понедельник) до 6 (суббота)' },
    ]);
    expect(await stored().countDocuments({ schoolId: s.schoolId })).toBe(before);
  });

  it('when a request breaks several rules, then all are told at once with their fields; odd and even weeks of one slot are fine', async () => {
    const s = await school();
    await s.set(
      [entry({ weekday: 1, lesson_number: 1, subject_id: math, teacher_id: s.mathTeacher, room: '214' })],
      {
        class_id: s.class5b,
      },
    );

    const several = await refusal(
      s.set([
        entry({
          weekday: 1,
          lesson_number: 1,
          subject_id: russian,
          teacher_id: s.russianTeacher,
          room: '214',
        }),
        entry({ weekday: 1, lesson_number: 9, subject_id: math, teacher_id: s.mathTeacher }),
        entry({ weekday: 2, lesson_number: 1, subject_id: math, teacher_id: s.english2 }),
      ]),
    );
    const alternating = await s.set([
      entry({
        weekday: 2,
        lesson_number: 1,
        subject_id: math,
        teacher_id: s.mathTeacher,
        week_parity: 'odd',
      }),
      entry({
        weekday: 2,
        lesson_number: 1,
        subject_id: russian,
        teacher_id: s.russianTeacher,
        week_parity: 'even',
      }),
    ]);

    expect(several.domainError?.code).toBe('timetable.unknown_lesson');
    expect(several.domainError?.errors?.map((e) => e.field)).toEqual([
      'entries[1].lessonNumber',
      'entries[2].teacherId',
      'entries[0].room',
    ]);
    expect(alternating.version).toBe('1');
  });

  it('when a week is replaced by a stale version, also twice at once, then one change wins and the others are 409', async () => {
    const s = await school();
    await s.set(s.week5a);

    const results = await Promise.allSettled([
      s.set(s.week5a.slice(0, 1), { expected_version: '1' }),
      s.set(s.week5a.slice(0, 2), { expected_version: '1' }),
    ]);
    const stale = await refusal(s.set(s.week5a, { expected_version: '1' }));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect([lost.reason.code, lost.reason.domainError?.code]).toEqual([
      grpc.status.ALREADY_EXISTS,
      'timetable.version_conflict',
    ]);
    expect([stale.code, stale.domainError?.code]).toEqual([
      grpc.status.ALREADY_EXISTS,
      'timetable.version_conflict',
    ]);
    expect(await stored().findOne({ schoolId: s.schoolId })).toMatchObject({ version: 2 });
  });

  it('when two classes are given the same teacher at once concurrently, then only one is stored', async () => {
    const s = await school();
    const lesson = entry({ weekday: 4, lesson_number: 1, subject_id: math, teacher_id: s.mathTeacher });

    const results = await Promise.allSettled([s.set([lesson]), s.set([lesson], { class_id: s.class5b })]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason.domainError?.code).toBe('timetable.teacher_busy');
    expect(await stored().countDocuments({ schoolId: s.schoolId })).toBe(1);
  });

  it('when there is nothing to publish, then timetable.empty', async () => {
    const s = await school();

    const empty = await refusal(
      schedule.client.PublishTimetable(
        { school_id: s.schoolId, academic_year_id: s.yearId, period: 2 },
        await s.deputy(),
      ),
    );

    expect([empty.code, empty.domainError?.code]).toEqual([
      grpc.status.FAILED_PRECONDITION,
      'timetable.empty',
    ]);
  });

  it('when a role without the right calls each method, then it is refused, nothing changes, and every denial is logged', async () => {
    const s = await school();
    await s.set(s.week5a);
    const before = schedule.logs().length;
    const stranger = await s.teacher(randomUUID());

    const set = await refusal(s.set(s.week5a, { expected_version: '1' }, await s.teacher(s.classTeacher)));
    const publish = await refusal(
      schedule.client.PublishTimetable(
        { school_id: s.schoolId, academic_year_id: s.yearId, period: 1 },
        stranger,
      ),
    );
    const getClass = await refusal(
      schedule.client.GetClassTimetable({ class_id: s.class5a, period: 1 }, stranger),
    );
    const getHidden = await refusal(
      schedule.client.GetClassTimetable({ class_id: s.class5a, period: 1 }, await schedule.as(guardianActor)),
    );
    const getTeacher = await refusal(
      schedule.client.GetTeacherTimetable(
        { school_id: s.schoolId, academic_year_id: s.yearId, teacher_id: s.mathTeacher, period: 1 },
        await s.teacher(s.russianTeacher),
      ),
    );
    const list = await refusal(
      schedule.client.ListTimetable(
        { school_id: s.schoolId, academic_year_id: s.yearId, period: 1 },
        stranger,
      ),
    );
    const listHidden = await refusal(
      schedule.client.ListTimetable(
        { school_id: s.schoolId, academic_year_id: s.yearId, period: 1 },
        await schedule.as(staffOf(randomUUID(), 'director')),
      ),
    );

    expect([set, publish, getClass, getTeacher, list].map((e) => [e.code, e.domainError?.code])).toEqual(
      Array(5).fill([grpc.status.PERMISSION_DENIED, 'access.denied']),
    );
    expect([getHidden.code, getHidden.domainError?.code]).toEqual([grpc.status.NOT_FOUND, 'class.not_found']);
    expect([listHidden.code, listHidden.domainError?.code]).toEqual([
      grpc.status.NOT_FOUND,
      'school.not_found',
    ]);
    expect(await stored().findOne({ schoolId: s.schoolId })).toMatchObject({ version: 1 });
    expect(
      await schedule.store.collection('timetable_publications').countDocuments({ schoolId: s.schoolId }),
    ).toBe(0);
    expect(denials(before)).toEqual([
      ['timetable.set', `class:${s.class5a}`],
      ['timetable.publish', `school:${s.schoolId}`],
      ['timetable.read', `class:${s.class5a}`],
      ['timetable.read', `class:${s.class5a}`],
      ['timetable.read', `teacher:${s.mathTeacher}`],
      ['timetable.list', `school:${s.schoolId}`],
      ['timetable.list', `school:${s.schoolId}`],
    ]);
  });
});
