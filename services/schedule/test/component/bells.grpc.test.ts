import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { uniqueName, waitFor } from '@edu/testing';
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

// Bell schedules through ScheduleService against the real FerretDB and Kafka. Each test has a
// school of its own; bell schedules need nothing from roster's copy.

/** The usual first shift: five 45-minute lessons from 08:00 with breaks of 10 and 20 minutes. */
const firstShift = [
  { number: 1, starts_at: '08:00', ends_at: '08:45' },
  { number: 2, starts_at: '08:55', ends_at: '09:40' },
  { number: 3, starts_at: '10:00', ends_at: '10:45' },
  { number: 4, starts_at: '10:55', ends_at: '11:40' },
  { number: 5, starts_at: '11:50', ends_at: '12:35' },
];

describe('schedule: bell schedules over gRPC (real FerretDB and Kafka)', () => {
  let schedule: ScheduleHarness;
  let events: Awaited<ReturnType<typeof recordScheduleEvents>>;
  let published: PublishedEvent[] = [];
  const stored = () =>
    schedule.store.collection<{
      _id: string;
      schoolId: string;
      shift: number;
      version: number;
      name: string;
    }>('bell_schedules');
  const eventsOf = (id: string) => published.filter((e) => e.aggregateId === id);
  const denials = (from: number) => denialsSince(schedule, from);

  function school() {
    const schoolId = randomUUID();
    const deputy = () => schedule.as(staffOf(schoolId, 'deputy'));
    const set = async (fields: Record<string, unknown> = {}, metadata?: object) =>
      (
        await schedule.client.SetBellSchedule(
          {
            school_id: schoolId,
            shift: 1,
            name: 'Основное',
            lessons: firstShift,
            expected_version: '0',
            ...fields,
          },
          metadata ?? (await deputy()),
        )
      ).bell_schedule!;
    return { schoolId, deputy, set };
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

  it('when a deputy sets the first shift twice with one key, then one is stored, teachers read it, and bells.set is published once', async () => {
    const s = school();
    const metadata = await schedule.as(staffOf(s.schoolId, 'deputy'), uniqueName('key'));

    const first = await s.set({}, metadata);
    const repeat = await s.set({}, metadata);
    const teacher = await schedule.as(staffOf(s.schoolId, 'teacher'));
    const read = await schedule.client.GetBellSchedule({ school_id: s.schoolId, shift: 1 }, teacher);
    const list = await schedule.client.ListBellSchedules({ school_id: s.schoolId }, teacher);

    expect(first).toMatchObject({ school_id: s.schoolId, shift: 1, name: 'Основное', version: '1' });
    expect(
      first.lessons.map((l) => [l.number, l.starts_at, l.ends_at, l.minutes, l.break_after_minutes]),
    ).toEqual([
      [1, '08:00', '08:45', 45, 10],
      [2, '08:55', '09:40', 45, 20],
      [3, '10:00', '10:45', 45, 10],
      [4, '10:55', '11:40', 45, 10],
      [5, '11:50', '12:35', 45, 0],
    ]);
    expect(repeat).toEqual(first);
    expect(read.bell_schedule).toEqual(first);
    expect(list.bell_schedules).toEqual([first]);
    expect(await stored().countDocuments({ schoolId: s.schoolId })).toBe(1);
    await waitFor(() => eventsOf(first.id).length > 0, { timeoutMs: 15_000 });
    expect(eventsOf(first.id).map((e) => [e.type, e.key, e.aggregateVersion])).toEqual([
      ['edu.schedule.bells.set', s.schoolId, 1],
    ]);
    expect(eventsOf(first.id)[0]!.payload).toEqual({
      bell_schedule: {
        bell_schedule_id: first.id,
        school_id: s.schoolId,
        shift: 1,
        name: 'Основное',
        lessons: firstShift,
      },
    });
  });

  it('when it is replaced by its version and then with a stale one, then version 2 is kept, the stale one is 409, and two events are published', async () => {
    const s = school();
    const first = await s.set();

    const second = await s.set({
      expected_version: '1',
      name: 'Сокращённые дни',
      lessons: [
        { number: 1, starts_at: '08:00', ends_at: '08:30' },
        { number: 2, starts_at: '08:40', ends_at: '09:10' },
      ],
    });
    const stale = await refusal(s.set({ expected_version: '1' }));
    const recreated = await refusal(s.set({ expected_version: '0' }));

    expect(second).toMatchObject({ id: first.id, version: '2', name: 'Сокращённые дни' });
    expect(second.lessons).toHaveLength(2);
    expect([stale.code, stale.domainError?.code]).toEqual([
      grpc.status.ALREADY_EXISTS,
      'bells.version_conflict',
    ]);
    expect(recreated.domainError?.code).toBe('bells.version_conflict');
    expect(await stored().findOne({ _id: first.id })).toMatchObject({ version: 2, name: 'Сокращённые дни' });
    await waitFor(() => eventsOf(first.id).length >= 2, { timeoutMs: 15_000 });
    expect(eventsOf(first.id).map((e) => e.aggregateVersion)).toEqual([1, 2]);
  });

  it('when two deputies create the same shift at the same moment, then one is stored and the other is told of the conflict', async () => {
    const s = school();

    const results = await Promise.allSettled([s.set(), s.set({ name: 'Второй вариант' })]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason.domainError?.code).toBe('bells.version_conflict');
    expect(await stored().countDocuments({ schoolId: s.schoolId })).toBe(1);
  });

  it('when the input or a rule is broken, then each is refused with its code and the lessons it concerns, and nothing is stored', async () => {
    const s = school();
    const lessons = (changes: Record<number, Partial<(typeof firstShift)[number]>>) =>
      firstShift.map((lesson, i) => ({ ...lesson, ...changes[i] }));

    const refusals = await Promise.all([
      refusal(s.set({ shift: 3, lessons: lessons({ 1: { starts_at: '8:55' } }) })),
      refusal(s.set({ lessons: lessons({ 4: { number: 7 } }) })),
      refusal(s.set({ lessons: lessons({ 0: { starts_at: '06:45' } }) })),
      refusal(s.set({ lessons: lessons({ 2: { ends_at: '11:40' } }) })),
      refusal(s.set({ lessons: lessons({ 1: { starts_at: '08:40', ends_at: '09:25' } }) })),
      refusal(s.set({ lessons: lessons({ 1: { starts_at: '08:47', ends_at: '09:32' } }) })),
    ]);

    expect(refusals.map((e) => [e.code, e.domainError?.code])).toEqual([
      [grpc.status.INVALID_ARGUMENT, 'bells.invalid'],
      [grpc.status.INVALID_ARGUMENT, 'bells.numbering'],
      [grpc.status.INVALID_ARGUMENT, 'bells.outside_day'],
      [grpc.status.INVALID_ARGUMENT, 'bells.lesson_length'],
      [grpc.status.INVALID_ARGUMENT, 'bells.overlap'],
      [grpc.status.INVALID_ARGUMENT, 'bells.break_too_short'],
    ]);
    expect(refusals[0]!.domainError?.errors?.map((e) => e.field)).toEqual(['shift', 'lessons[1].startsAt']);
    expect(refusals[1]!.domainError?.detail).toBe('Уроки нумеруются подряд с 1 по 5: нет урока 5');
    expect(refusals[3]!.domainError?.errors).toEqual([
      { field: 'lessons[2].endsAt', message: 'Урок 3 длится 100 мин, а урок — от 30 до 90 минут' },
    ]);
    expect(refusals[5]!.domainError?.errors).toEqual([
      { field: 'lessons[1].startsAt', message: 'Перемена между уроками 1 и 2 — 2 мин, нужно не меньше 5' },
    ]);
    expect(await stored().countDocuments({ schoolId: s.schoolId })).toBe(0);
  });

  it('when a role without the right calls each method, then it is refused, nothing changes, and every denial is logged', async () => {
    const s = school();
    const first = await s.set();
    const before = schedule.logs().length;

    const set = await refusal(
      s.set({ expected_version: '1' }, await schedule.as(staffOf(s.schoolId, 'teacher'))),
    );
    const get = await refusal(
      schedule.client.GetBellSchedule({ school_id: s.schoolId, shift: 1 }, await schedule.as(guardianActor)),
    );
    const list = await refusal(
      schedule.client.ListBellSchedules(
        { school_id: s.schoolId },
        await schedule.as(staffOf(randomUUID(), 'director')),
      ),
    );
    const missing = await refusal(
      schedule.client.GetBellSchedule({ school_id: s.schoolId, shift: 2 }, await s.deputy()),
    );

    expect([set.code, set.domainError?.code]).toEqual([grpc.status.PERMISSION_DENIED, 'access.denied']);
    expect([get.code, get.domainError?.code]).toEqual([grpc.status.NOT_FOUND, 'school.not_found']);
    expect([list.code, list.domainError?.code]).toEqual([grpc.status.NOT_FOUND, 'school.not_found']);
    expect([missing.code, missing.domainError?.code]).toEqual([grpc.status.NOT_FOUND, 'bells.not_found']);
    expect(await stored().findOne({ _id: first.id })).toMatchObject({ version: 1 });
    expect(denials(before)).toEqual([
      ['bells.set', `school:${s.schoolId}`],
      ['bells.read', `school:${s.schoolId}`],
      ['bells.list', `school:${s.schoolId}`],
    ]);
  });
});
