import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { Kafka, Partitioners, logLevel, type Admin, type Producer } from 'kafkajs';
import mongoose from 'mongoose';
import { createEventCodec, groupLag, newEvent, type EventEnvelope } from '@edu/events';
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
import { loadProto, protoFile } from '@edu/proto';
import type { IdentityServiceDefinition } from '@edu/proto/dist/generated/edu/identity/v1/IdentityService';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/identity';
import { ROSTER_EVENT_PAYLOADS } from '@edu/roster-events';
import { endpoints, uniqueName, uniqueTopicPrefix, waitFor } from '@edu/testing';
import { configSchema } from '../../src/config';
import { IDENTITY_EVENT_TYPES, IDENTITY_TOPIC } from '../../src/data-access/published-events';
import { createIdentityService, type IdentityService } from '../../src/identity.service';
import { MemoryKeycloakUsers } from '../memory-keycloak';
import { FakeRoster } from '../unit/memory';

/** Identity in-process on random ports against the real FerretDB and Kafka; fake roster and Keycloak. */
export interface IdentityHarness {
  client: PromiseClient<IdentityServiceDefinition>;
  service: IdentityService;
  keycloak: MemoryKeycloakUsers;
  roster: FakeRoster;
  clock: { now: Date };
  logs(): Record<string, unknown>[];
  as(actor: Actor): Promise<{ actorToken: string }>;
  /** Every event identity has published so far (decoded). */
  published(): Promise<EventEnvelope<unknown>[]>;
  /** Publishes roster events (keyed by school) and waits until identity applied them. */
  publishRoster(events: EventEnvelope<unknown>[]): Promise<void>;
  close(): Promise<void>;
}

export const GATEWAY_ACTOR: Actor = {
  accountId: 'service:gateway',
  schoolRoles: [],
  grants: ['service:gateway'],
};
export const OPERATOR_ACTOR: Actor = {
  accountId: 'acc-operator',
  schoolRoles: [],
  grants: ['regionOperator'],
};

export async function startIdentity(
  options: { start?: Date; env?: Record<string, string> } = {},
): Promise<IdentityHarness> {
  const keys = generateDevActorKeys('test');
  const signer = new ActorSigner({ privateKey: keys.privateKeyPem, kid: keys.kid });
  const topicPrefix = uniqueTopicPrefix();
  const { publicKeysDir, privateKeyFile } = writeActorKeys(
    mkdtempSync(path.join(tmpdir(), 'identity-keys-')),
    keys,
  );
  const config = {
    ...configSchema.parse({
      EDU_ACTOR_PUBLIC_KEYS_DIR: publicKeysDir,
      EDU_ACTOR_PRIVATE_KEY_FILE: privateKeyFile,
      EDU_MONGO_URL: endpoints().mongoUrl,
      EDU_MONGO_DB: uniqueName('identity_test').replace(/[^a-z0-9_]/gi, '_'),
      EDU_KAFKA_BROKERS: endpoints().kafkaBrokers.join(','),
      EDU_KAFKA_TOPIC_PREFIX: topicPrefix,
      EDU_KAFKA_GROUP: uniqueName('identity'),
      EDU_ESIA_BRIDGE_ENABLED: 'false',
      EDU_TEMPORARY_LOGIN_CHECK_INTERVAL: '1h',
      EDU_LOGIN_AUDIT_INTERVAL: '1h',
      EDU_LOG_LEVEL: process.env.EDU_TEST_LOG_LEVEL ?? 'warn',
      ...options.env,
    }),
    EDU_GRPC_PORT: 0,
    EDU_OPS_PORT: 0,
  };
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'identity',
    level: config.EDU_LOG_LEVEL,
    destination: {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
        if (process.env.EDU_TEST_LOG_LEVEL) process.stdout.write(line);
      },
    },
  });
  const clock = { now: options.start ?? new Date() };
  const keycloak = new MemoryKeycloakUsers();
  const roster = new FakeRoster();
  const service = createIdentityService(config, logger, createMetrics('identity'), {
    now: () => clock.now,
    keycloak,
    roster,
  });
  const lifecycle = new Lifecycle({ logger, components: service.components });
  await lifecycle.start();
  const proto = grpc.loadPackageDefinition(
    loadProto('edu/identity/v1/identity.proto'),
  ) as unknown as ProtoGrpcType;
  const client = createGrpcClient(proto.edu.identity.v1.IdentityService, `127.0.0.1:${service.ports().grpc}`);
  const rosterCodec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/roster.proto')],
    types: ROSTER_EVENT_PAYLOADS,
  });
  const ownCodec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/identity.proto')],
    types: IDENTITY_EVENT_TYPES,
  });
  const kafka = new Kafka({ brokers: endpoints().kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const admin: Admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  const rosterTopic = `${topicPrefix}edu.roster.v1`;

  async function published(): Promise<EventEnvelope<unknown>[]> {
    const topic = `${topicPrefix}${IDENTITY_TOPIC}`;
    const end = (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
    const events: EventEnvelope<unknown>[] = [];
    if (end === 0) return events;
    const consumer = kafka.consumer({ groupId: uniqueName('identity-reader') });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          events.push(ownCodec.decode(message.value!).envelope);
          return Promise.resolve();
        },
      });
      await waitFor(() => events.length >= end, { timeoutMs: 30_000, intervalMs: 50 });
    } finally {
      await consumer.disconnect();
    }
    return events;
  }

  return {
    client,
    service,
    keycloak,
    roster,
    clock,
    published,
    logs: () => [...lines],
    as: async (actor) => ({ actorToken: await signer.sign(actor) }),
    async publishRoster(events) {
      await producer.send({
        topic: rosterTopic,
        acks: -1,
        messages: events.map((event) => ({
          key: event.schoolId,
          value: rosterCodec.encode(event),
          headers: { type: event.type, id: event.id },
        })),
      });
      await waitFor(async () => (await groupLag(admin, config.EDU_KAFKA_GROUP, [rosterTopic])).behind === 0, {
        timeoutMs: 60_000,
        intervalMs: 100,
      });
    },
    async close() {
      client.close();
      await Promise.all([producer.disconnect(), admin.disconnect()]);
      await lifecycle.shutdown();
      const store = await mongoose
        .createConnection(endpoints().mongoUrl, { dbName: config.EDU_MONGO_DB })
        .asPromise();
      await store.dropDatabase();
      await store.close();
    },
  };
}

/** A roster event as roster publishes it. */
export function rosterEvent(
  type: string,
  schoolId: string,
  aggregateId: string,
  version: number,
  payload: unknown,
): EventEnvelope<unknown> {
  return newEvent({
    type,
    schoolId,
    aggregateId,
    aggregateVersion: version,
    actor: { accountId: 'roster-test', personId: '' },
    traceId: '',
    payload,
  });
}

/** The error of a call that must fail. */
export async function refusal(promise: Promise<unknown>): Promise<GrpcCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GrpcCallError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}
