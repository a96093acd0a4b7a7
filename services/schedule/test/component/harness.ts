import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { createEventCodec, type EventCodec, type EventEnvelope } from '@edu/events';
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
import type { ProtoGrpcType } from '@edu/proto/dist/generated/schedule';
import type { ScheduleServiceDefinition } from '@edu/proto/dist/generated/edu/schedule/v1/ScheduleService';
import { endpoints, uniqueName, uniqueTopicPrefix, waitFor } from '@edu/testing';
import { configSchema } from '../../src/config';
import { SCHEDULE_EVENT_TYPES } from '../../src/data-access/schedule-events';
import { HANDLED_ROSTER_EVENTS } from '../../src/entry-points/kafka/roster-copy.handler';
import { createScheduleService } from '../../src/schedule.service';

/** Where the copy keeps each kind of roster record (to wait until an event is applied). */
const COPY_COLLECTIONS: Record<string, string> = {
  school: 'roster_schools',
  academic_year: 'roster_years',
  class: 'roster_classes',
  subgroup: 'roster_subgroups',
  staff: 'roster_staff_positions',
  person: 'roster_people',
  // Student relations (ids only).
  student: 'roster_enrolments',
  guardian: 'roster_guardianships',
  consent: 'roster_guardianships',
};

/** Schedule in-process on random ports against the real FerretDB and Kafka, for one test file. */
export interface ScheduleHarness {
  client: PromiseClient<ScheduleServiceDefinition>;
  address: string;
  /** Schedule's own database (a fresh one), to check what was stored. */
  store: Connection;
  /** The database's name, to start another instance on the same store. */
  dbName: string;
  /** This harness' fresh topic prefix (roster's and schedule's topics under it are empty at start). */
  topicPrefix: string;
  /** Schedule's topic under the prefix. */
  topic: string;
  /** Roster's topic under the prefix, which schedule consumes. */
  rosterTopic: string;
  brokers: string[];
  metrics: Metrics;
  /** The service's log lines so far (warn and above unless EDU_TEST_LOG_LEVEL says more), parsed. */
  logs(): Record<string, unknown>[];
  /** Call metadata: the actor signed as the gateway would, and an optional idempotency key. */
  as(actor: Actor, idempotencyKey?: string): Promise<{ actorToken: string; idempotencyKey?: string }>;
  /** Publishes roster events (keyed by school, as roster does) and, unless told not to, waits for the copy. */
  roster(events: EventEnvelope[], options?: { wait?: boolean }): Promise<void>;
  /** Publishes raw bytes on roster's topic (a poison message). */
  rosterRaw(key: string, value: Buffer, type: string): Promise<void>;
  /** Config for another instance on the same store and topics (restart tests). */
  configFor(overrides: Record<string, string>): ReturnType<typeof configSchema.parse>;
  close(): Promise<void>;
}

export async function startSchedule(): Promise<ScheduleHarness> {
  const keys = generateDevActorKeys('test');
  const signer = new ActorSigner({ privateKey: keys.privateKeyPem, kid: keys.kid });
  const dbName = uniqueName('schedule_test').replace(/[^a-z0-9_]/gi, '_');
  const topicPrefix = uniqueTopicPrefix();
  const { publicKeysDir } = writeActorKeys(mkdtempSync(path.join(tmpdir(), 'schedule-keys-')), keys);
  const configFor = (overrides: Record<string, string>) => ({
    ...configSchema.parse({
      EDU_ACTOR_PUBLIC_KEYS_DIR: publicKeysDir,
      EDU_MONGO_URL: endpoints().mongoUrl,
      EDU_KAFKA_BROKERS: endpoints().kafkaBrokers.join(','),
      EDU_KAFKA_TOPIC_PREFIX: topicPrefix,
      EDU_KAFKA_GROUP: uniqueName('schedule'),
      EDU_MONGO_DB: dbName,
      // Warnings are kept for the tests (denials are security events logged at warn).
      EDU_LOG_LEVEL: process.env.EDU_TEST_LOG_LEVEL ?? 'warn',
      ...overrides,
    }),
    EDU_GRPC_PORT: 0,
    EDU_OPS_PORT: 0,
  });
  const config = configFor({});
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'schedule',
    level: config.EDU_LOG_LEVEL,
    destination: {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
        if (process.env.EDU_TEST_LOG_LEVEL) process.stdout.write(line);
      },
    },
  });
  const metrics = createMetrics('schedule');
  const schedule = createScheduleService(config, logger, metrics);
  const lifecycle = new Lifecycle({ logger, components: schedule.components });
  await lifecycle.start();
  const address = `127.0.0.1:${schedule.ports().grpc}`;
  const proto = grpc.loadPackageDefinition(
    loadProto('edu/schedule/v1/schedule.proto'),
  ) as unknown as ProtoGrpcType;
  const client = createGrpcClient(proto.edu.schedule.v1.ScheduleService, address, {
    idempotentMethods: [
      'ListSubjects',
      'GetSubject',
      'ListAssignments',
      'GetAssignment',
      'GetBellSchedule',
      'ListBellSchedules',
      'GetCurriculum',
      'ListCurricula',
      'GetClassTimetable',
      'GetTeacherTimetable',
      'ListTimetable',
    ],
  });
  const store = await mongoose.createConnection(endpoints().mongoUrl, { dbName }).asPromise();
  const rosterTopic = `${topicPrefix}edu.roster.v1`;
  const rosterCodec: EventCodec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/roster.proto')],
    types: {
      ...HANDLED_ROSTER_EVENTS,
      'edu.roster.academic_year.rolled_over': 'edu.events.v1.YearRolledOver',
    },
  });
  const producer: Producer = new Kafka({
    brokers: endpoints().kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();

  /** Until the copy holds the event's aggregate at its version (or newer). */
  async function applied(event: EventEnvelope): Promise<void> {
    const collection = COPY_COLLECTIONS[event.type.split('.')[2]!];
    if (!collection) throw new Error(`the copy keeps nothing of ${event.type}`);
    await waitFor(
      async () =>
        (await store
          .collection<{ _id: string }>(collection)
          .countDocuments({ _id: event.aggregateId, version: { $gte: event.aggregateVersion } })) > 0,
      { timeoutMs: 20_000 },
    );
  }

  return {
    client,
    address,
    store,
    dbName,
    topicPrefix,
    topic: `${topicPrefix}edu.schedule.v1`,
    rosterTopic,
    brokers: endpoints().kafkaBrokers,
    metrics,
    logs: () => [...lines],
    as: async (actor, idempotencyKey) => ({
      actorToken: await signer.sign(actor),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    }),
    async roster(events, { wait = true } = {}) {
      await producer.send({
        topic: rosterTopic,
        acks: -1,
        messages: events.map((event) => ({
          key: event.schoolId,
          value: rosterCodec.encode(event),
          headers: { type: event.type, id: event.id },
        })),
      });
      // One school's events share a partition and are applied in order: the last one of each
      // school that the copy keeps tells that the ones before it were handled.
      if (!wait) return;
      const lastOfSchool = new Map<string, EventEnvelope>();
      for (const event of events) {
        const kept = !(
          event.type.startsWith('edu.roster.person.') &&
          (event.payload as { person: { kind: string } }).person.kind !== 'staff'
        );
        if (kept && COPY_COLLECTIONS[event.type.split('.')[2]!]) lastOfSchool.set(event.schoolId, event);
      }
      await Promise.all([...lastOfSchool.values()].map(applied));
    },
    rosterRaw: async (key, value, type) => {
      await producer.send({ topic: rosterTopic, acks: -1, messages: [{ key, value, headers: { type } }] });
    },
    configFor,
    async close() {
      client.close();
      await producer.disconnect();
      await lifecycle.shutdown();
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

/** Someone with `role` in a school. */
export const staffOf = (schoolId: string, role: string, personId = `person-${role}`): Actor => ({
  accountId: `acc-${role}-${schoolId.slice(0, 8)}`,
  personId,
  schoolRoles: [{ schoolId, role }],
  grants: [],
});

/** A guardian: a person without any role or grant. */
export const guardianActor: Actor = {
  accountId: 'acc-guardian',
  personId: 'person-guardian',
  schoolRoles: [],
  grants: [],
};

/** An event schedule published, decoded. */
/** The access denials schedule logged after log line `from`, as [action, object]. */
export function denialsSince(schedule: ScheduleHarness, from: number): [unknown, unknown][] {
  return schedule
    .logs()
    .slice(from)
    .filter((line) => line.event === 'access_denied')
    .map((line) => [line.action, line.object]);
}

export interface PublishedEvent {
  type: string;
  key: string;
  aggregateId: string;
  aggregateVersion: number;
  raw: Buffer;
  payload: unknown;
}

/** Reads schedule's topic from the start with a fresh group, keeping every event in order. */
export async function recordScheduleEvents(
  harness: ScheduleHarness,
): Promise<{ published: PublishedEvent[]; stop(): Promise<void> }> {
  const codec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/schedule.proto')],
    types: SCHEDULE_EVENT_TYPES,
  });
  const consumer = new Kafka({ brokers: harness.brokers, logLevel: logLevel.NOTHING }).consumer({
    groupId: uniqueName('events'),
  });
  const published: PublishedEvent[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: harness.topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const { envelope, payload } = codec.decode(message.value!);
      published.push({
        type: envelope.type,
        key: message.key?.toString() ?? '',
        aggregateId: envelope.aggregateId,
        aggregateVersion: envelope.aggregateVersion,
        raw: message.value!,
        payload,
      });
    },
  });
  return { published, stop: () => consumer.disconnect() };
}
