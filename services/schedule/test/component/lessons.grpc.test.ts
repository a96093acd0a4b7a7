import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import { createEventCodec, newEvent } from '@edu/events';
import { Lifecycle, createLogger, createMetrics } from '@edu/kit';
import { protoFile } from '@edu/proto';
import { waitFor } from '@edu/testing';
import { lessonId } from '../../src/domain/lesson';
import { catalogueSubjectId } from '../../src/domain/subject-catalogue';
import { HANDLED_GRADEBOOK_EVENTS } from '../../src/entry-points/kafka/lesson-events.handler';
import { createScheduleService } from '../../src/schedule.service';
import {
  denialsSince,
  guardianActor,
  recordScheduleEvents,
  refusal,
  staffOf,
  startSchedule,
  type PublishedEvent,
  type ScheduleHarness,
} from './harness';
import { classEvent, personEvent, schoolCreated, staffEvent, yearOpened } from './roster-events';

// Dated lessons against the real FerretDB and Kafka: generated when a period is published,
// regenerated when roster's calendar changes (a quarantine week, a transferred Saturday), a lesson
// with journal content (gradebook's real event on its topic) kept and reported, a chunk replayed
// harmlessly by another instance, and the reads with their refusals.

const math = catalogueSubjectId('mathematics');
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
];

interface StoredLesson {
  _id: string;
  date: string;
  status: string;
  version: number;
  hasJournalContent: boolean;
  needsDecision: boolean;
  cancellationReason: string;
}

describe('schedule: dated lessons (real FerretDB and Kafka)', () => {
  let schedule: ScheduleHarness;
  let events: Awaited<ReturnType<typeof recordScheduleEvents>>;
  let published: PublishedEvent[] = [];
  let gradebook: Producer;
  const lessons = () => schedule.store.collection<StoredLesson>('lessons');
  const gradebookCodec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/gradebook.proto')],
    types: HANDLED_GRADEBOOK_EVENTS,
  });

  /** Gradebook's `lesson.record_changed` on its real topic, as gradebook will write it. */
  async function recordChanged(schoolId: string, id: string, hasContent: boolean, version: number) {
    const event = newEvent({
      type: 'edu.gradebook.lesson.record_changed',
      schoolId,
      aggregateId: id,
      aggregateVersion: version,
      actor: { accountId: 'acc-gradebook-test', personId: '' },
      traceId: randomUUID().replaceAll('-', ''),
      payload: { lesson_id: id, school_id: schoolId, has_content: hasContent },
    });
    await gradebook.send({
      topic: `${schedule.topicPrefix}edu.gradebook.v1`,
      acks: -1,
      messages: [
        { key: schoolId, value: gradebookCodec.encode(event), headers: { type: event.type, id: event.id } },
      ],
    });
  }

  /**
   * A school of its own in 2026/2027 (quarters for the 5th grade): 5А (class teacher
   * `classTeacher`) whose 1st quarter has maths on Mondays (1st lesson, room 214) and on
   * Wednesdays of odd weeks (2nd lesson), taught by `mathTeacher`; 5Б without lessons.
   */
  async function school() {
    const ids = {
      schoolId: randomUUID(),
      yearId: randomUUID(),
      class5a: randomUUID(),
      class5b: randomUUID(),
      classTeacher: randomUUID(),
      mathTeacher: randomUUID(),
      otherTeacher: randomUUID(),
    };
    const { schoolId, yearId } = ids;
    await schedule.roster([
      schoolCreated(schoolId),
      yearOpened(schoolId, yearId, { periodSchemes: quarters }),
      classEvent(schoolId, yearId, ids.class5a, { classTeacherId: ids.classTeacher }),
      classEvent(schoolId, yearId, ids.class5b, { letter: 'Б' }),
      personEvent(schoolId, ids.mathTeacher, { displayName: 'Иванова Анна Петровна' }),
      ...[ids.classTeacher, ids.mathTeacher, ids.otherTeacher].map((id) =>
        staffEvent(schoolId, `p-${id}`, id),
      ),
    ]);
    const deputy = () => schedule.as(staffOf(schoolId, 'deputy'));
    await schedule.client.SetBellSchedule(
      { school_id: schoolId, shift: 1, name: 'Основное', lessons: bells, expected_version: '0' },
      await deputy(),
    );
    await schedule.client.AssignTeacher(
      {
        school_id: schoolId,
        academic_year_id: yearId,
        teacher_id: ids.mathTeacher,
        subject_id: math,
        class_id: ids.class5a,
      },
      await deputy(),
    );
    await schedule.client.SetTimetableEntries(
      {
        school_id: schoolId,
        academic_year_id: yearId,
        class_id: ids.class5a,
        period: 1,
        shift: 1,
        entries: [
          {
            weekday: 1,
            lesson_number: 1,
            subject_id: math,
            teacher_id: ids.mathTeacher,
            subgroup_id: '',
            room: '214',
            week_parity: '',
          },
          {
            weekday: 3,
            lesson_number: 2,
            subject_id: math,
            teacher_id: ids.mathTeacher,
            subgroup_id: '',
            room: '',
            week_parity: 'odd',
          },
        ],
        expected_version: '0',
      },
      await deputy(),
    );
    const publish = async () =>
      schedule.client.PublishTimetable(
        { school_id: schoolId, academic_year_id: yearId, period: 1 },
        await deputy(),
      );
    return { ...ids, deputy, publish };
  }

  /** 5А's Mondays (every week) and odd Wednesdays of the 1st quarter: 7 + 4. */
  const mondays = [
    '2026-09-07',
    '2026-09-14',
    '2026-09-21',
    '2026-09-28',
    '2026-10-05',
    '2026-10-12',
    '2026-10-19',
  ];
  const oddWednesdays = ['2026-09-02', '2026-09-16', '2026-09-30', '2026-10-14'];

  beforeAll(async () => {
    schedule = await startSchedule();
    events = await recordScheduleEvents(schedule);
    published = events.published;
    gradebook = new Kafka({ brokers: schedule.brokers, logLevel: logLevel.NOTHING }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await gradebook.connect();
  });

  afterAll(async () => {
    await gradebook?.disconnect();
    await events?.stop();
    await schedule?.close();
  });

  it('when a period is published, then its dated lessons are generated on the calendar with one event each, and publishing again changes nothing', async () => {
    const s = await school();

    const answer = await s.publish();

    expect(answer.lessons).toMatchObject({
      scheduled: 11,
      rescheduled: 0,
      cancelled: 0,
      kept_count: 0,
      total: 11,
    });
    const stored = await lessons()
      .find({ schoolId: s.schoolId } as never)
      .toArray();
    expect(stored.map((l) => l.date).sort()).toEqual([...mondays, ...oddWednesdays].sort());
    const monday = await lessons().findOne({ _id: lessonId(s.class5a, '', '2026-09-07', 1) });
    expect(monday).toMatchObject({
      status: 'scheduled',
      version: 1,
      startsAt: '08:00',
      endsAt: '08:40',
      room: '214',
      subjectName: 'Математика',
      className: '5А',
      origin: 'timetable',
    });
    await waitFor(
      () =>
        published.filter((e) => e.key === s.schoolId && e.type === 'edu.schedule.lesson.scheduled').length ===
        11,
      { timeoutMs: 20_000 },
    );
    const event = published.find((e) => e.aggregateId === monday!._id)!;
    expect(event).toMatchObject({ key: s.schoolId, aggregateVersion: 1 });
    expect((event.payload as { lesson: Record<string, unknown> }).lesson).toMatchObject({
      lesson_id: monday!._id,
      school_id: s.schoolId,
      academic_year_id: s.yearId,
      period: 1,
      class_id: s.class5a,
      class_name: '5А',
      subject_id: math,
      subject_key: 'mathematics',
      subject_name: 'Математика',
      teacher_id: s.mathTeacher,
      date: '2026-09-07',
      lesson_number: 1,
      starts_at: '08:00',
      ends_at: '08:40',
      room: '214',
      status: 'scheduled',
      origin: 'timetable',
    });
    // The chunks are purged once applied and published.
    await waitFor(
      async () =>
        (await schedule.store.collection('lesson_change_batches').countDocuments({ outboxPending: true })) ===
        0,
    );

    const again = await s.publish();
    expect(again.lessons).toMatchObject({ scheduled: 0, rescheduled: 0, cancelled: 0, total: 11 });
    expect(await lessons().countDocuments({ schoolId: s.schoolId } as never)).toBe(11);
  });

  it('when roster closes the 5th grade for a week and transfers a Saturday, then those lessons are cancelled (one with journal content kept and reported) and the Saturday gets Monday’s lesson', async () => {
    const s = await school();
    await s.publish();
    const withContent = lessonId(s.class5a, '', '2026-09-14', 1);
    const withoutContent = lessonId(s.class5a, '', '2026-09-16', 2);
    await recordChanged(s.schoolId, withContent, true, 1);
    await waitFor(async () => (await lessons().findOne({ _id: withContent }))?.hasJournalContent === true, {
      timeoutMs: 20_000,
    });
    // The same fact again and an older one change nothing.
    await recordChanged(s.schoolId, withContent, false, 1);

    const change = yearOpened(s.schoolId, s.yearId, {
      calendarChanged: true,
      version: 2,
      periodSchemes: quarters,
      transfers: [{ date: '2026-10-03', works_as: 1 }],
    });
    (change.payload as { academic_year: Record<string, unknown> }).academic_year.closures = [
      { reason: 'Карантин по гриппу', days: days('2026-09-14', '2026-09-19'), grades: [5] },
    ];
    await schedule.roster([change]);

    await waitFor(async () => (await lessons().findOne({ _id: withoutContent }))?.status === 'cancelled', {
      timeoutMs: 30_000,
    });
    expect(await lessons().findOne({ _id: withoutContent })).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'calendar_changed',
      version: 2,
    });
    expect(await lessons().findOne({ _id: withContent })).toMatchObject({
      status: 'scheduled',
      hasJournalContent: true,
      needsDecision: true,
    });
    const saturday = lessonId(s.class5a, '', '2026-10-03', 1);
    expect(await lessons().findOne({ _id: saturday })).toMatchObject({ status: 'scheduled', version: 1 });
    await waitFor(
      () =>
        published.some((e) => e.aggregateId === saturday) &&
        published.some((e) => e.aggregateId === withoutContent && e.type === 'edu.schedule.lesson.cancelled'),
      { timeoutMs: 20_000 },
    );
    const cancelled = published.find(
      (e) => e.aggregateId === withoutContent && e.type === 'edu.schedule.lesson.cancelled',
    )!;
    expect(cancelled.aggregateVersion).toBe(2);
    expect((cancelled.payload as { lesson: Record<string, unknown> }).lesson).toMatchObject({
      status: 'cancelled',
      cancellation_reason: 'calendar_changed',
    });
    expect(
      published.some((e) => e.aggregateId === withContent && e.type !== 'edu.schedule.lesson.scheduled'),
    ).toBe(false);

    // The kept lesson is what a manager lists to decide on; publishing again reports it.
    const list = await schedule.client.ListLessons(
      { class_id: s.class5a, from: '2026-09-01', to: '2026-10-25', needs_decision: true },
      await s.deputy(),
    );
    expect(list.lessons.map((l) => l.id)).toEqual([withContent]);
    const republished = await s.publish();
    expect(republished.lessons).toMatchObject({ scheduled: 0, cancelled: 0, kept_count: 1 });
    expect(republished.lessons!.kept[0]).toMatchObject({
      id: withContent,
      date: '2026-09-14',
      needs_decision: true,
    });
  });

  it('when a chunk left unapplied is applied again by another instance at start, then nothing changes', async () => {
    const s = await school();
    await s.publish();
    const stored = await lessons()
      .find({ schoolId: s.schoolId } as never)
      .toArray();
    // A crash after the chunk was written and (partly) applied: the same states again.
    await schedule.store.collection('lesson_change_batches').insertOne({
      _id: randomUUID(),
      schoolId: s.schoolId,
      lessons: stored.map((l) => ({ ...l, previousVersion: 0 })),
      applied: false,
      createdAt: new Date(),
      outbox: [],
      outboxPending: false,
    } as never);
    const logger = createLogger({
      service: 'schedule',
      level: 'warn',
      destination: { write: () => undefined },
    });
    const second = createScheduleService(
      schedule.configFor({ EDU_KAFKA_GROUP: `second-${randomUUID()}` }),
      logger,
      createMetrics('schedule'),
    );
    const lifecycle = new Lifecycle({ logger, components: second.components });
    await lifecycle.start();
    await lifecycle.shutdown();

    expect(await schedule.store.collection('lesson_change_batches').countDocuments({ applied: false })).toBe(
      0,
    );
    const after = await lessons()
      .find({ schoolId: s.schoolId } as never)
      .toArray();
    expect(after.map((l) => [l._id, l.version, l.status]).sort()).toEqual(
      stored.map((l) => [l._id, l.version, l.status]).sort(),
    );
  });

  it('when a publication was stored but its lessons were not generated (a call cut short), then a running instance generates them without a restart', async () => {
    const s = await school();
    await s.publish();
    const generated = await lessons().countDocuments({ schoolId: s.schoolId } as never);
    const logger = createLogger({
      service: 'schedule',
      level: 'warn',
      destination: { write: () => undefined },
    });
    const second = createScheduleService(
      schedule.configFor({
        EDU_KAFKA_GROUP: `second-${randomUUID()}`,
        EDU_SCHEDULE_LESSON_CATCH_UP_INTERVAL: '500ms',
      }),
      logger,
      createMetrics('schedule'),
    );
    const lifecycle = new Lifecycle({ logger, components: second.components });
    await lifecycle.start();
    try {
      // What a cancelled PublishTimetable leaves: the publication's weeks, none of its lessons.
      await lessons().deleteMany({ schoolId: s.schoolId } as never);
      await schedule.store
        .collection('lesson_templates')
        .updateOne({ schoolId: s.schoolId } as never, { $set: { generatedVersion: 0 } });

      const template = () =>
        schedule.store.collection('lesson_templates').findOne({ schoolId: s.schoolId } as never);
      await waitFor(async () => (await template())?.generatedVersion === 1, { timeoutMs: 15_000 });
      expect(await lessons().countDocuments({ schoolId: s.schoolId } as never)).toBe(generated);
    } finally {
      await lifecycle.shutdown();
    }
  });

  it('when lessons are read, then managers, the teacher and the class teacher see them by date and lesson number, and others are refused and logged', async () => {
    const s = await school();
    await s.publish();
    const range = { from: '2026-09-01', to: '2026-09-30' };

    const byClass = await schedule.client.ListLessons({ class_id: s.class5a, ...range }, await s.deputy());
    expect(byClass.lessons.map((l) => l.date)).toEqual(
      [...mondays, ...oddWednesdays].filter((d) => d <= '2026-09-30').sort(),
    );
    const own = await schedule.client.ListLessons(
      { school_id: s.schoolId, teacher_id: s.mathTeacher, ...range },
      await schedule.as(staffOf(s.schoolId, 'teacher', s.mathTeacher)),
    );
    expect(own.lessons).toHaveLength(byClass.lessons.length);
    const leads = await schedule.client.ListLessons(
      { class_id: s.class5a, ...range, status: 'scheduled' },
      await schedule.as(staffOf(s.schoolId, 'teacher', s.classTeacher)),
    );
    expect(leads.lessons).toHaveLength(byClass.lessons.length);
    const one = await schedule.client.GetLesson(
      { id: byClass.lessons[0]!.id },
      await schedule.as(staffOf(s.schoolId, 'teacher', s.mathTeacher)),
    );
    expect(one.lesson).toMatchObject({
      date: '2026-09-02',
      lesson_number: 2,
      teacher_id: s.mathTeacher,
      version: '1',
    });

    const from = schedule.logs().length;
    const other = await schedule.as(staffOf(s.schoolId, 'teacher', s.otherTeacher));
    const notTheirs = await refusal(schedule.client.ListLessons({ class_id: s.class5a, ...range }, other));
    expect(notTheirs.code).toBe(grpc.status.PERMISSION_DENIED);
    const notTheirTeacher = await refusal(
      schedule.client.ListLessons({ school_id: s.schoolId, teacher_id: s.mathTeacher, ...range }, other),
    );
    expect(notTheirTeacher.code).toBe(grpc.status.PERMISSION_DENIED);
    const notTheirLesson = await refusal(schedule.client.GetLesson({ id: byClass.lessons[0]!.id }, other));
    expect(notTheirLesson.code).toBe(grpc.status.PERMISSION_DENIED);
    const guardian = await refusal(
      schedule.client.ListLessons({ class_id: s.class5a, ...range }, await schedule.as(guardianActor)),
    );
    expect([guardian.code, guardian.domainError?.code]).toEqual([grpc.status.NOT_FOUND, 'class.not_found']);
    const guardianGet = await refusal(
      schedule.client.GetLesson({ id: byClass.lessons[0]!.id }, await schedule.as(guardianActor)),
    );
    expect([guardianGet.code, guardianGet.domainError?.code]).toEqual([
      grpc.status.NOT_FOUND,
      'lesson.not_found',
    ]);
    expect(denialsSince(schedule, from)).toEqual([
      ['lesson.list', `class:${s.class5a}`],
      ['lesson.list', `teacher:${s.mathTeacher}`],
      ['lesson.read', `lesson:${byClass.lessons[0]!.id}`],
      ['lesson.list', `class:${s.class5a}`],
      ['lesson.read', `lesson:${byClass.lessons[0]!.id}`],
    ]);

    const bad = await refusal(
      schedule.client.ListLessons(
        { class_id: s.class5a, from: '2026-09-01', to: '2026-12-31', status: 'held' },
        await s.deputy(),
      ),
    );
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(bad.domainError?.code).toBe('lesson.filter_invalid');
    expect(bad.domainError?.errors?.map((e) => e.field)).toEqual(['to', 'status']);
    expect(bad.domainError?.detail).toBe('Отбор уроков указан с ошибками');
  });
});
