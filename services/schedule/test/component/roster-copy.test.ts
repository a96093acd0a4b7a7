import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { dlqTopic, newEvent } from '@edu/events';
import { uniqueName, waitFor } from '@edu/testing';
import { startSchedule, type ScheduleHarness } from './harness';
import {
  classEvent,
  personEvent,
  schoolCreated,
  staffEvent,
  subgroupEvent,
  yearOpened,
} from './roster-events';

// Schedule's copy of roster from roster's real events on Kafka, into the real FerretDB: what is
// kept, duplicate and out-of-order delivery, a foreign type, a poison message.

describe('schedule: the copy of roster (real Kafka and FerretDB)', () => {
  let schedule: ScheduleHarness;
  const copy = (name: string) => schedule.store.collection<Record<string, unknown> & { _id: string }>(name);
  const metric = async (name: string, labels: Record<string, string>) => {
    const found = (await schedule.metrics.registry.getSingleMetric(name)?.get())?.values.find((v) =>
      Object.entries(labels).every(([k, l]) => v.labels[k] === l),
    );
    return found?.value ?? 0;
  };

  beforeAll(async () => {
    schedule = await startSchedule();
  });

  afterAll(async () => {
    await schedule?.close();
  });

  it('when roster publishes a school with its year, class, group and staff, then the copy keeps what schedule needs and no students', async () => {
    const schoolId = randomUUID();
    const yearId = randomUUID();
    const classId = randomUUID();
    const subgroupId = randomUUID();
    const teacherId = randomUUID();
    const studentId = randomUUID();

    await schedule.roster([
      schoolCreated(schoolId, { timeZone: 'Asia/Irkutsk' }),
      yearOpened(schoolId, yearId),
      classEvent(schoolId, yearId, classId, { classTeacherId: teacherId }),
      personEvent(schoolId, studentId, { kind: 'student', displayName: 'Учеников Ваня' }),
      subgroupEvent(schoolId, yearId, classId, subgroupId, { memberIds: [studentId] }),
      personEvent(schoolId, teacherId, { displayName: 'Иванова Анна Петровна' }),
      staffEvent(schoolId, `position-${teacherId}`, teacherId),
    ]);

    expect(await copy('roster_schools').findOne({ _id: schoolId })).toMatchObject({
      timeZone: 'Asia/Irkutsk',
      shortName: 'МБОУ СШ № 7',
      version: 1,
    });
    expect(await copy('roster_years').findOne({ _id: yearId })).toMatchObject({
      schoolId,
      name: '2026/2027',
      startsOn: '2026-09-01',
      endsOn: '2027-05-31',
      status: 'open',
      calendar: {
        holidays: [{ name: 'Осенние каникулы', startsOn: '2026-10-26', endsOn: '2026-11-03' }],
        periodSchemes: [],
      },
    });
    expect(await copy('roster_classes').findOne({ _id: classId })).toMatchObject({
      schoolId,
      academicYearId: yearId,
      grade: 5,
      name: '5А',
      classTeacherId: teacherId,
      status: 'open',
    });
    expect(await copy('roster_subgroups').findOne({ _id: subgroupId })).toMatchObject({
      classId,
      subjectKey: 'english',
      memberIds: [studentId],
      status: 'open',
    });
    expect(await copy('roster_staff_positions').findOne({ _id: `position-${teacherId}` })).toMatchObject({
      schoolId,
      personId: teacherId,
      kind: 'teacher',
      status: 'active',
    });
    expect(await copy('roster_people').findOne({ _id: teacherId })).toMatchObject({
      displayName: 'Иванова Анна Петровна',
    });
    expect(await copy('roster_people').countDocuments({ _id: studentId })).toBe(0);
  });

  it('when the same event comes twice and an old one after a newer, then the newest record stays', async () => {
    const schoolId = randomUUID();
    const yearId = randomUUID();
    const classId = randomUUID();
    const opened = classEvent(schoolId, yearId, classId);
    const renamed = classEvent(schoolId, yearId, classId, { letter: 'Б', version: 2, type: 'renamed' });
    const marker = yearOpened(schoolId, yearId);

    await schedule.roster([opened, renamed, renamed, opened, marker]);

    expect(await copy('roster_classes').findOne({ _id: classId })).toMatchObject({ name: '5Б', version: 2 });
    expect(await copy('roster_classes').countDocuments({ _id: classId })).toBe(1);
  });

  it('when a position is dismissed after hiring, then the copy says dismissed', async () => {
    const schoolId = randomUUID();
    const personId = randomUUID();

    await schedule.roster([
      staffEvent(schoolId, `position-${personId}`, personId),
      staffEvent(schoolId, `position-${personId}`, personId, { type: 'dismissed', version: 2 }),
    ]);

    expect(await copy('roster_staff_positions').findOne({ _id: `position-${personId}` })).toMatchObject({
      status: 'dismissed',
      version: 2,
    });
  });

  it('when roster publishes a type schedule does not keep, then it is skipped and counted, and the next event applied', async () => {
    const schoolId = randomUUID();
    const topic = schedule.rosterTopic;
    const before = await metric('events_processed_total', { topic, outcome: 'ignored' });
    const rolledOver = newEvent({
      type: 'edu.roster.academic_year.rolled_over',
      schoolId,
      aggregateId: randomUUID(),
      aggregateVersion: 2,
      actor: { accountId: 'acc-roster-test', personId: '' },
      traceId: '',
      payload: { school_id: schoolId, from_name: '2025/2026', to_name: '2026/2027' },
    });

    await schedule.roster([rolledOver, schoolCreated(schoolId)]);

    expect(await metric('events_processed_total', { topic, outcome: 'ignored' })).toBe(before + 1);
    expect(await copy('roster_schools').countDocuments({ _id: schoolId })).toBe(1);
  });

  it('when a message cannot be decoded, then it lands in the DLQ and the next event is still applied', async () => {
    const schoolId = randomUUID();
    const dlq = new Kafka({ brokers: schedule.brokers, logLevel: logLevel.NOTHING }).consumer({
      groupId: uniqueName('dlq-reader'),
    });
    const dead: { key: string; originalTopic: string }[] = [];
    await dlq.connect();
    await dlq.subscribe({ topic: dlqTopic(schedule.rosterTopic), fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) => {
        dead.push({
          key: message.key?.toString() ?? '',
          originalTopic: message.headers?.['original-topic']?.toString() ?? '',
        });
      },
    });
    const before = await metric('events_dlq_total', { topic: schedule.rosterTopic, reason: 'poison' });

    try {
      await schedule.rosterRaw(schoolId, Buffer.from('not an envelope'), 'edu.roster.class.opened');
      await schedule.roster([schoolCreated(schoolId)]);

      await waitFor(() => dead.some((m) => m.key === schoolId), { timeoutMs: 20_000 });
      expect(dead.find((m) => m.key === schoolId)?.originalTopic).toBe(schedule.rosterTopic);
      expect(await metric('events_dlq_total', { topic: schedule.rosterTopic, reason: 'poison' })).toBe(
        before + 1,
      );
      expect(await copy('roster_schools').countDocuments({ _id: schoolId })).toBe(1);
    } finally {
      await dlq.disconnect();
    }
  });
});
