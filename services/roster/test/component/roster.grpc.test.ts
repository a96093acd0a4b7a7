import * as grpc from '@grpc/grpc-js';
import type { Actor } from '@edu/grpc';
import { grpcHealthStatus, grpcReflectedServices, uniqueName, waitFor } from '@edu/testing';
import { Kafka, logLevel } from 'kafkajs';
import { cardMessage, operator, refusal, startRoster, type RosterHarness } from './harness';

// Roster in-process on random ports against the real FerretDB and Kafka; a database of its own.

const teacherOf = (schoolId: string): Actor => ({
  accountId: 'acc-teacher',
  personId: 'person-teacher',
  schoolRoles: [{ schoolId, role: 'teacher' }],
  grants: [],
});

describe('roster gRPC service (real FerretDB and Kafka)', () => {
  let roster: RosterHarness;
  let client: RosterHarness['client'];
  let store: RosterHarness['store'];
  const as: RosterHarness['as'] = (actor, key) => roster.as(actor, key);

  beforeAll(async () => {
    roster = await startRoster();
    ({ client, store } = roster);
  });

  afterAll(() => roster.close());

  it('when health is checked without an actor, then the server and RosterService are SERVING', async () => {
    expect(await grpcHealthStatus(roster.address)).toBe('SERVING');
    expect(await grpcHealthStatus(roster.address, 'edu.roster.v1.RosterService')).toBe('SERVING');
  });

  it('when reflection is asked without an actor, then it lists RosterService', async () => {
    expect(await grpcReflectedServices(roster.address)).toContain('edu.roster.v1.RosterService');
  });

  it('when a call comes without actor metadata, then it is UNAUTHENTICATED and nothing is stored', async () => {
    const card = cardMessage();

    const error = await refusal(client.CreateSchool({ school: card }, {}));

    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(await store.collection('schools').countDocuments({ inn: card.inn })).toBe(0);
  });

  it('when the region operator creates a school, then it is stored, readable and published on edu.roster.v1', async () => {
    const card = cardMessage();
    const kafka = new Kafka({ brokers: roster.brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: uniqueName('roster-test') });
    const seen: { key: string; type: string; id: string }[] = [];
    await consumer.connect();
    // From the beginning with a fresh group: nothing is missed while the group is still joining.
    await consumer.subscribe({ topic: roster.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({
          key: message.key?.toString() ?? '',
          type: message.headers?.type?.toString() ?? '',
          id: message.headers?.id?.toString() ?? '',
        });
      },
    });

    try {
      const { school } = await client.CreateSchool({ school: card }, await as(operator));

      expect(school).toMatchObject({ inn: card.inn, short_name: card.short_name, version: '1' });
      const read = await client.GetSchool({ id: school!.id }, await as(operator));
      expect(read.school).toEqual(school);
      await waitFor(() => seen.some((m) => m.key === school!.id), { timeoutMs: 15_000 });
      expect(seen.filter((m) => m.key === school!.id)).toEqual([
        { key: school!.id, type: 'edu.roster.school.created', id: expect.any(String) },
      ]);
      await waitFor(
        async () =>
          (await store.collection('schools').findOne({ _id: school!.id as never }))?.outboxPending === false,
      );
    } finally {
      await consumer.disconnect();
    }
  });

  it("when the school's director changes its address, then version 2 is stored and school.updated is published; another school's INN, a stale version and a teacher are refused", async () => {
    const card = cardMessage();
    const other = cardMessage();
    const { school } = await client.CreateSchool({ school: card }, await as(operator));
    await client.CreateSchool({ school: other }, await as(operator));
    const director: Actor = {
      ...teacherOf(school!.id),
      schoolRoles: [{ schoolId: school!.id, role: 'director' }],
    };
    const address = '660002, г. Красноярск, ул. Новая, д. 2';
    const kafka = new Kafka({ brokers: roster.brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: uniqueName('roster-test') });
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: roster.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() === school!.id) seen.push(message.headers?.type?.toString() ?? '');
      },
    });
    try {
      const { school: changed } = await client.ChangeSchool(
        { id: school!.id, expected_version: '1', school: { ...card, address } },
        await as(director),
      );
      const innTaken = await refusal(
        client.ChangeSchool(
          { id: school!.id, expected_version: '2', school: { ...card, inn: other.inn } },
          await as(director),
        ),
      );
      const stale = await refusal(
        client.ChangeSchool({ id: school!.id, expected_version: '1', school: card }, await as(director)),
      );
      const teacher = await refusal(
        client.ChangeSchool(
          { id: school!.id, expected_version: '2', school: card },
          await as(teacherOf(school!.id)),
        ),
      );

      expect(changed).toMatchObject({ address, version: '2', inn: card.inn });
      expect(innTaken.domainError?.code).toBe('school.inn_taken');
      expect(stale.domainError?.code).toBe('school.version_conflict');
      expect(teacher.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(await store.collection('schools').findOne({ _id: school!.id as never })).toMatchObject({
        address,
        inn: card.inn,
        version: 2,
      });
      await waitFor(() => seen.includes('edu.roster.school.updated'), { timeoutMs: 15_000 });
      expect(seen).toEqual(['edu.roster.school.created', 'edu.roster.school.updated']);
    } finally {
      await consumer.disconnect();
    }
  });

  it('when a teacher tries to create a school, then PERMISSION_DENIED and nothing is stored', async () => {
    const card = cardMessage();

    const error = await refusal(client.CreateSchool({ school: card }, await as(teacherOf('some-school'))));

    expect(error.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(error.domainError?.code).toBe('access.denied');
    expect(await store.collection('schools').countDocuments({ inn: card.inn })).toBe(0);
  });

  it('when the card has a wrong INN and no name, then INVALID_ARGUMENT names both fields and nothing is stored', async () => {
    const card = cardMessage({ inn: '1234567890', fullName: ' ' });

    const error = await refusal(client.CreateSchool({ school: card }, await as(operator)));

    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.domainError?.errors?.map((e) => e.field)).toEqual(
      expect.arrayContaining(['inn', 'fullName']),
    );
    expect(await store.collection('schools').countDocuments({ inn: '1234567890' })).toBe(0);
  });

  it('when a second school comes with a taken INN, then ALREADY_EXISTS and the first stays alone', async () => {
    const card = cardMessage();
    await client.CreateSchool({ school: card }, await as(operator));

    const error = await refusal(
      client.CreateSchool({ school: { ...card, short_name: 'Другая' } }, await as(operator)),
    );

    expect(error.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(error.domainError).toMatchObject({ code: 'school.inn_taken' });
    expect(await store.collection('schools').countDocuments({ inn: card.inn })).toBe(1);
  });

  it('when the same create comes twice with one idempotency key, then one school and the same answer', async () => {
    const card = cardMessage();
    const key = uniqueName('key');

    const first = await client.CreateSchool({ school: card }, await as(operator, key));
    const second = await client.CreateSchool({ school: card }, await as(operator, key));
    const reused = await refusal(client.CreateSchool({ school: cardMessage() }, await as(operator, key)));

    expect(second).toEqual(first);
    expect(await store.collection('schools').countDocuments({ inn: card.inn })).toBe(1);
    expect(reused.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(reused.domainError?.code).toBe('idempotency.key_reused');
  });

  it('when staff of one school read another school, then it is NOT_FOUND, and their own is readable', async () => {
    const { school: mine } = await client.CreateSchool({ school: cardMessage() }, await as(operator));
    const { school: other } = await client.CreateSchool({ school: cardMessage() }, await as(operator));
    const teacher = teacherOf(mine!.id);

    const error = await refusal(client.GetSchool({ id: other!.id }, await as(teacher)));
    const own = await client.GetSchool({ id: mine!.id }, await as(teacher));
    const listed = await client.ListSchools({ page_size: 0, page_token: '' }, await as(teacher));

    expect(error.code).toBe(grpc.status.NOT_FOUND);
    expect(own.school?.id).toBe(mine!.id);
    expect(listed.schools.map((s) => s.id)).toEqual([mine!.id]);
  });

  it('when the list is read a page at a time, then every school comes once, in name order', async () => {
    const all: string[] = [];
    let token = '';
    do {
      const page = await client.ListSchools({ page_size: 2, page_token: token }, await as(operator));
      expect(page.schools.length).toBeLessThanOrEqual(2);
      all.push(...page.schools.map((s) => s.short_name));
      token = page.next_page_token;
    } while (token);

    expect(all.length).toBe(await store.collection('schools').countDocuments());
    expect(all).toEqual([...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});
