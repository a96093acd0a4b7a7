import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { Kafka, Partitioners, logLevel, type Admin, type Producer } from 'kafkajs';
import mongoose from 'mongoose';
import { createEventCodec, groupLag, type EventEnvelope } from '@edu/events';
import {
  ActorSigner,
  GrpcCallError,
  createGrpcClient,
  generateDevActorKeys,
  writeActorKeys,
  type Actor,
  type PromiseClient,
} from '@edu/grpc';
import { Lifecycle, createLogger, createMetrics, type Metrics } from '@edu/kit';
import { loadProto, protoFile } from '@edu/proto';
import type { NotificationsServiceDefinition } from '@edu/proto/dist/generated/edu/notifications/v1/NotificationsService';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/notifications';
import { endpoints, uniqueName, uniqueTopicPrefix, waitFor } from '@edu/testing';
import { configSchema } from '../../src/config';
import { NOTIFICATION_EVENT_TYPES, NOTIFICATIONS_TOPIC } from '../../src/data-access/published-events';
import { NOTIFICATION_SOURCE_EVENTS } from '../../src/entry-points/kafka/source-events';
import { createNotificationsService, type NotificationsService } from '../../src/notifications.service';

export type Source = 'roster' | 'schedule' | 'gradebook';

/** Notifications in-process on random ports against the real FerretDB, Kafka and Mailpit. */
export interface NotificationsHarness {
  client: PromiseClient<NotificationsServiceDefinition>;
  service: NotificationsService;
  metrics: Metrics;
  /** The service's clock: tests move it (coalescing windows, quiet hours, digests, rounds). */
  clock: { now: Date };
  /** The service's log lines so far (warn and above unless EDU_TEST_LOG_LEVEL says more), parsed. */
  logs(): Record<string, unknown>[];
  /** Call metadata: the actor signed as the gateway would. */
  as(actor: Actor): Promise<{ actorToken: string }>;
  /** Every event the service has published on its topic so far (decoded), in order per partition. */
  published(): Promise<EventEnvelope<unknown>[]>;
  /** Publishes a source's events (keyed by school, as the sources do) and waits until all are applied. */
  publish(source: Source, events: EventEnvelope<unknown>[]): Promise<void>;
  close(): Promise<void>;
}

export async function startNotifications(
  options: { start: Date; smtpUrl?: string } = { start: new Date() },
): Promise<NotificationsHarness> {
  const keys = generateDevActorKeys('test');
  const signer = new ActorSigner({ privateKey: keys.privateKeyPem, kid: keys.kid });
  const topicPrefix = uniqueTopicPrefix();
  const { publicKeysDir } = writeActorKeys(mkdtempSync(path.join(tmpdir(), 'notifications-keys-')), keys);
  const config = {
    ...configSchema.parse({
      EDU_ACTOR_PUBLIC_KEYS_DIR: publicKeysDir,
      EDU_MONGO_URL: endpoints().mongoUrl,
      EDU_MONGO_DB: uniqueName('notifications_test').replace(/[^a-z0-9_]/gi, '_'),
      EDU_KAFKA_BROKERS: endpoints().kafkaBrokers.join(','),
      EDU_KAFKA_TOPIC_PREFIX: topicPrefix,
      EDU_KAFKA_GROUP: uniqueName('notifications'),
      EDU_SMTP_URL: options.smtpUrl ?? endpoints().smtpUrl,
      // The tests send what is due themselves, at the clock they set.
      EDU_DISPATCH_INTERVAL: '1h',
      EDU_PROGRESS_CHECK_INTERVAL: '1h',
      // Warnings are kept for the tests (denials are security events logged at warn).
      EDU_LOG_LEVEL: process.env.EDU_TEST_LOG_LEVEL ?? 'warn',
    }),
    EDU_GRPC_PORT: 0,
    EDU_OPS_PORT: 0,
  };
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'notifications',
    level: config.EDU_LOG_LEVEL,
    destination: {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
        if (process.env.EDU_TEST_LOG_LEVEL) process.stdout.write(line);
      },
    },
  });
  const clock = { now: options.start };
  const metrics = createMetrics('notifications');
  const service = createNotificationsService(config, logger, metrics, { now: () => clock.now });
  const lifecycle = new Lifecycle({ logger, components: service.components });
  await lifecycle.start();
  const proto = grpc.loadPackageDefinition(
    loadProto('edu/notifications/v1/notifications.proto'),
  ) as unknown as ProtoGrpcType;
  const client = createGrpcClient(
    proto.edu.notifications.v1.NotificationsService,
    `127.0.0.1:${service.ports().grpc}`,
    { idempotentMethods: [] },
  );
  const codec = createEventCodec({
    protoFiles: [
      protoFile('edu/events/v1/roster.proto'),
      protoFile('edu/events/v1/schedule.proto'),
      protoFile('edu/events/v1/gradebook.proto'),
    ],
    types: NOTIFICATION_SOURCE_EVENTS,
  });
  const kafka = new Kafka({ brokers: endpoints().kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const admin: Admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  const topics = (['roster', 'schedule', 'gradebook'] as const).map((s) => `${topicPrefix}edu.${s}.v1`);

  const ownCodec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/notifications.proto')],
    types: NOTIFICATION_EVENT_TYPES,
  });

  /** Reads the service's topic from the beginning up to its current end, with a group of its own. */
  async function published(): Promise<EventEnvelope<unknown>[]> {
    const topic = `${topicPrefix}${NOTIFICATIONS_TOPIC}`;
    const end = (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
    const events: EventEnvelope<unknown>[] = [];
    if (end === 0) return events;
    const consumer = kafka.consumer({ groupId: uniqueName('notifications-reader') });
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
    published,
    metrics,
    clock,
    logs: () => [...lines],
    as: async (actor) => ({ actorToken: await signer.sign(actor) }),
    async publish(source, events) {
      await producer.send({
        topic: `${topicPrefix}edu.${source}.v1`,
        acks: -1,
        messages: events.map((event) => ({
          key: event.schoolId,
          value: codec.encode(event),
          headers: { type: event.type, id: event.id },
        })),
      });
      await waitFor(async () => (await groupLag(admin, config.EDU_KAFKA_GROUP, topics)).behind === 0, {
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

/** A person without roles (a guardian or a student): what they see comes from relations. */
export const personActor = (personId: string): Actor => ({
  accountId: `acc-${personId}`,
  personId,
  schoolRoles: [],
  grants: [],
});

/** Someone with `role` in a school. */
export const staffActor = (schoolId: string, role: string, personId: string): Actor => ({
  accountId: `acc-${personId}`,
  personId,
  schoolRoles: [{ schoolId, role }],
  grants: [],
});
