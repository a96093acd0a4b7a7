import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { Lifecycle, createLogger, createMetrics } from '@edu/kit';
import { grpcHealthStatus, grpcReflectedServices, uniqueName, waitFor } from '@edu/testing';
import { SUBJECT_CATALOGUE, catalogueSubjectId } from '../../src/domain/subject-catalogue';
import { createScheduleService } from '../../src/schedule.service';
import {
  guardianActor,
  recordScheduleEvents,
  refusal,
  staffOf,
  startSchedule,
  type PublishedEvent,
  type ScheduleHarness,
} from './harness';

// Subjects through ScheduleService against the real FerretDB and Kafka: the catalogue seeded at
// start (once), a school's own subjects, refusals.

describe('schedule: subjects over gRPC (real FerretDB and Kafka)', () => {
  let schedule: ScheduleHarness;
  let events: Awaited<ReturnType<typeof recordScheduleEvents>>;
  let published: PublishedEvent[] = [];
  const subjects = () =>
    schedule.store.collection<{ _id: string; schoolId: string; createdAt: Date }>('subjects');
  const robotics = (schoolId: string, overrides: Record<string, unknown> = {}) => ({
    school_id: schoolId,
    key: 'robotics',
    name: 'Робототехника',
    short_name: 'Робот.',
    education_area: 'technology',
    split_into_subgroups: true,
    ...overrides,
  });

  beforeAll(async () => {
    schedule = await startSchedule();
    events = await recordScheduleEvents(schedule);
    published = events.published;
  });

  afterAll(async () => {
    await events?.stop();
    await schedule?.close();
  });

  it('when health and reflection are asked without an actor, then ScheduleService is SERVING and listed', async () => {
    expect(await grpcHealthStatus(schedule.address, 'edu.schedule.v1.ScheduleService')).toBe('SERVING');
    expect(await grpcReflectedServices(schedule.address)).toContain('edu.schedule.v1.ScheduleService');
  });

  it('when a call comes without an actor, then it is UNAUTHENTICATED', async () => {
    const error = await refusal(schedule.client.ListSubjects({ school_id: randomUUID() }, {}));

    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
  });

  it('when schedule has started, then the catalogue is stored with its stable ids and subject.created is published for each', async () => {
    const schoolId = randomUUID();

    const { subjects: list } = await schedule.client.ListSubjects(
      { school_id: schoolId },
      await schedule.as(staffOf(schoolId, 'teacher')),
    );

    expect(list).toHaveLength(SUBJECT_CATALOGUE.length);
    expect(list.find((s) => s.key === 'english')).toEqual({
      id: catalogueSubjectId('english'),
      school_id: '',
      key: 'english',
      name: 'Иностранный язык (английский)',
      short_name: 'Англ. яз.',
      education_area: 'foreign_languages',
      education_area_name: 'Иностранные языки',
      split_into_subgroups: true,
      version: '1',
      created_at: expect.any(String),
    });
    expect(list[0]?.key).toBe('russian');
    await waitFor(
      () => published.filter((e) => e.type === 'edu.schedule.subject.created').length >= list.length,
      {
        timeoutMs: 20_000,
      },
    );
    const english = published.find((e) => e.aggregateId === catalogueSubjectId('english'))!;
    expect(english.key).toBe('');
    expect(english.payload).toEqual({
      subject: {
        subject_id: catalogueSubjectId('english'),
        school_id: '',
        key: 'english',
        name: 'Иностранный язык (английский)',
        short_name: 'Англ. яз.',
        education_area: 'foreign_languages',
        education_area_name: 'Иностранные языки',
        split_into_subgroups: true,
      },
    });
  });

  it('when schedule starts again on the same store, then the catalogue is not added twice', async () => {
    const before = await subjects().find({ schoolId: '' }).sort({ _id: 1 }).toArray();
    const config = schedule.configFor({ EDU_KAFKA_GROUP: uniqueName('schedule-again') });
    const logger = createLogger({ service: 'schedule', level: 'silent' });
    const again = new Lifecycle({
      logger,
      components: createScheduleService(config, logger, createMetrics('schedule')).components,
    });

    await again.start();
    await again.shutdown();

    const after = await subjects().find({ schoolId: '' }).sort({ _id: 1 }).toArray();
    expect(after).toHaveLength(SUBJECT_CATALOGUE.length);
    expect(after.map((s) => [s._id, s.createdAt])).toEqual(before.map((s) => [s._id, s.createdAt]));
  });

  it('when a deputy adds a subject twice with one idempotency key, then one is stored for the school and created is published', async () => {
    const schoolId = randomUUID();
    const metadata = await schedule.as(staffOf(schoolId, 'deputy'), uniqueName('key'));

    const first = (await schedule.client.CreateSubject(robotics(schoolId), metadata)).subject!;
    const repeat = (await schedule.client.CreateSubject(robotics(schoolId), metadata)).subject!;
    const own = await schedule.client.ListSubjects(
      { school_id: schoolId },
      await schedule.as(staffOf(schoolId, 'teacher')),
    );
    const other = await schedule.client
      .ListSubjects({ school_id: randomUUID() }, await schedule.as(staffOf(schoolId, 'teacher')))
      .catch((error: unknown) => error);
    const read = await schedule.client.GetSubject(
      { id: first.id },
      await schedule.as(staffOf(schoolId, 'teacher')),
    );

    expect(first).toMatchObject({
      school_id: schoolId,
      key: 'robotics',
      name: 'Робототехника',
      education_area_name: 'Технология',
      split_into_subgroups: true,
    });
    expect(repeat).toEqual(first);
    expect(read.subject).toEqual(first);
    expect(await subjects().countDocuments({ schoolId })).toBe(1);
    expect(own.subjects.map((s) => s.key)).toContain('robotics');
    expect(other).toMatchObject({ code: grpc.status.NOT_FOUND });
    await waitFor(() => published.some((e) => e.aggregateId === first.id), { timeoutMs: 15_000 });
    expect(published.filter((e) => e.aggregateId === first.id).map((e) => [e.type, e.key])).toEqual([
      ['edu.schedule.subject.created', schoolId],
    ]);
  });

  it('when a school adds a catalogue key, a taken name or a bad subject, then 409 or 400 with the fields', async () => {
    const schoolId = randomUUID();
    const deputy = await schedule.as(staffOf(schoolId, 'deputy'));
    await schedule.client.CreateSubject(robotics(schoolId), deputy);

    const catalogueKey = await refusal(
      schedule.client.CreateSubject(robotics(schoolId, { key: 'english' }), deputy),
    );
    const takenName = await refusal(
      schedule.client.CreateSubject(robotics(schoolId, { key: 'robotics_2', name: 'РОБОТОТЕХНИКА' }), deputy),
    );
    const bad = await refusal(
      schedule.client.CreateSubject(
        robotics(schoolId, { key: 'R', name: '', short_name: '', education_area: 'x' }),
        deputy,
      ),
    );

    expect(catalogueKey.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(catalogueKey.domainError?.code).toBe('subject.key_taken');
    expect(takenName.domainError?.code).toBe('subject.name_taken');
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(bad.domainError?.errors?.map((e) => e.field)).toEqual([
      'key',
      'name',
      'shortName',
      'educationArea',
    ]);
    expect(await subjects().countDocuments({ schoolId })).toBe(1);
  });

  it('when two requests add the same key at once, then one is stored and the other is 409', async () => {
    const schoolId = randomUUID();
    const deputy = await schedule.as(staffOf(schoolId, 'deputy'));

    const results = await Promise.allSettled([
      schedule.client.CreateSubject(robotics(schoolId, { name: 'Робототехника' }), deputy),
      schedule.client.CreateSubject(robotics(schoolId, { name: 'Робототехника и конструирование' }), deputy),
    ]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason.domainError?.code).toBe('subject.key_taken');
    expect(await subjects().countDocuments({ schoolId })).toBe(1);
  });

  it('when a teacher adds a subject, a guardian reads one, or another school lists, then each is refused and logged', async () => {
    const schoolId = randomUUID();
    const before = schedule.logs().length;

    const teacher = await refusal(
      schedule.client.CreateSubject(robotics(schoolId), await schedule.as(staffOf(schoolId, 'teacher'))),
    );
    const guardian = await refusal(
      schedule.client.GetSubject({ id: catalogueSubjectId('pe') }, await schedule.as(guardianActor)),
    );
    const stranger = await refusal(
      schedule.client.ListSubjects(
        { school_id: schoolId },
        await schedule.as(staffOf(randomUUID(), 'director')),
      ),
    );

    expect(teacher.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(guardian.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(stranger.code).toBe(grpc.status.NOT_FOUND);
    expect(stranger.domainError?.code).toBe('school.not_found');
    expect(await subjects().countDocuments({ schoolId })).toBe(0);
    const denials = schedule
      .logs()
      .slice(before)
      .filter((line) => line.event === 'access_denied')
      .map((line) => [line.action, line.object]);
    expect(denials).toEqual([
      ['subject.create', `school:${schoolId}`],
      ['subject.read', `subject:${catalogueSubjectId('pe')}`],
      ['subject.list', `school:${schoolId}`],
    ]);
  });
});
