import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import mongoose, { type Connection } from 'mongoose';
import {
  ActorSigner,
  GrpcCallError,
  createGrpcClient,
  generateDevActorKeys,
  writeActorKeys,
  type Actor,
  type PromiseClient,
} from '@edu/grpc';
import { Lifecycle, createLogger, createMetrics } from '@edu/kit';
import { loadProto } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/roster';
import type { RosterServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/RosterService';
import {
  endpoints,
  grpcHealthStatus,
  grpcReflectedServices,
  schoolCardFixture,
  uniqueName,
  uniqueTopicPrefix,
  waitFor,
} from '@edu/testing';
import { Kafka, logLevel } from 'kafkajs';
import { configSchema } from '../../src/config';
import { createRosterService } from '../../src/roster.service';

// Roster in-process on random ports against the real FerretDB and Kafka; a database of its own.

const operator: Actor = { accountId: 'acc-operator', schoolRoles: [], grants: ['regionOperator'] };
const teacherOf = (schoolId: string): Actor => ({
  accountId: 'acc-teacher',
  personId: 'person-teacher',
  schoolRoles: [{ schoolId, role: 'teacher' }],
  grants: [],
});

/** A REST-shaped card in the gRPC message's names. */
function cardMessage(overrides: Record<string, unknown> = {}) {
  const card = schoolCardFixture(overrides);
  return {
    full_name: card.fullName,
    short_name: card.shortName,
    inn: card.inn,
    ogrn: card.ogrn,
    address: card.address,
    time_zone: card.timeZone,
    licence: {
      number: card.licence.number,
      issued_on: card.licence.issuedOn,
      issued_by: card.licence.issuedBy,
    },
    accreditation: { number: '', issued_on: '', valid_until: '' },
    municipality_id: card.municipalityId,
  };
}

async function refusal(promise: Promise<unknown>): Promise<GrpcCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GrpcCallError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

describe('roster gRPC service (real FerretDB and Kafka)', () => {
  const keys = generateDevActorKeys('test');
  const signer = new ActorSigner({ privateKey: keys.privateKeyPem, kid: keys.kid });
  const dbName = uniqueName('roster_test').replace(/[^a-z0-9_]/gi, '_');
  // Topics of its own: a fresh, empty `edu.roster.v1` under this prefix.
  const topicPrefix = uniqueTopicPrefix();
  let lifecycle: Lifecycle;
  let client: PromiseClient<RosterServiceDefinition>;
  let address: string;
  let store: Connection;
  const as = async (actor: Actor, idempotencyKey?: string) => ({
    actorToken: await signer.sign(actor),
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });

  beforeAll(async () => {
    const { publicKeysDir } = writeActorKeys(mkdtempSync(path.join(tmpdir(), 'roster-keys-')), keys);
    const config = {
      ...configSchema.parse({
        EDU_ACTOR_PUBLIC_KEYS_DIR: publicKeysDir,
        EDU_MONGO_URL: endpoints().mongoUrl,
        EDU_KAFKA_BROKERS: endpoints().kafkaBrokers.join(','),
        EDU_KAFKA_TOPIC_PREFIX: topicPrefix,
        EDU_MONGO_DB: dbName,
        EDU_LOG_LEVEL: process.env.EDU_TEST_LOG_LEVEL ?? 'silent',
      }),
      EDU_GRPC_PORT: 0,
      EDU_OPS_PORT: 0,
    };
    const logger = createLogger({ service: 'roster', level: config.EDU_LOG_LEVEL });
    const roster = createRosterService(config, logger, createMetrics('roster'));
    lifecycle = new Lifecycle({ logger, components: roster.components });
    await lifecycle.start();
    address = `127.0.0.1:${roster.ports().grpc}`;
    const proto = grpc.loadPackageDefinition(
      loadProto('edu/roster/v1/roster.proto'),
    ) as unknown as ProtoGrpcType;
    client = createGrpcClient(proto.edu.roster.v1.RosterService, address, {
      idempotentMethods: ['GetSchool', 'ListSchools'],
    });
    store = await mongoose.createConnection(endpoints().mongoUrl, { dbName }).asPromise();
  });

  afterAll(async () => {
    client.close();
    await lifecycle.shutdown();
    await store.dropDatabase();
    await store.close();
  });

  it('when health is checked without an actor, then the server and RosterService are SERVING', async () => {
    expect(await grpcHealthStatus(address)).toBe('SERVING');
    expect(await grpcHealthStatus(address, 'edu.roster.v1.RosterService')).toBe('SERVING');
  });

  it('when reflection is asked without an actor, then it lists RosterService', async () => {
    expect(await grpcReflectedServices(address)).toContain('edu.roster.v1.RosterService');
  });

  it('when a call comes without actor metadata, then it is UNAUTHENTICATED and nothing is stored', async () => {
    const card = cardMessage();

    const error = await refusal(client.CreateSchool({ school: card }, {}));

    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(await store.collection('schools').countDocuments({ inn: card.inn })).toBe(0);
  });

  it('when the region operator creates a school, then it is stored, readable and published on edu.roster.v1', async () => {
    const card = cardMessage();
    const kafka = new Kafka({ brokers: endpoints().kafkaBrokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: uniqueName('roster-test') });
    const seen: { key: string; type: string; id: string }[] = [];
    await consumer.connect();
    // From the beginning with a fresh group: nothing is missed while the group is still joining.
    await consumer.subscribe({ topic: `${topicPrefix}edu.roster.v1`, fromBeginning: true });
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
