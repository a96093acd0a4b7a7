import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { Connection } from 'mongoose';
import {
  createConsumer,
  createEventCodec,
  createKafka,
  createOutboxRelay,
  topicsComponent,
  type EventConsumer,
  type OutboxRelay,
} from '@edu/events';
import { ActorVerifier, createGrpcServer, grpcServerComponent, readActorPublicKeys } from '@edu/grpc';
import { opsComponent, type Component, type Logger, type Metrics } from '@edu/kit';
import { loadProto, protoFile } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/gradebook';
import { closeStore, connectStore, createDocumentLock, storeCheck, syncAllIndexes } from '@edu/store';
import type { GradebookConfig } from './config';
import { copyModels } from './data-access/copies.model';
import { createCopyRepository } from './data-access/copies.repository';
import { GRADEBOOK_EVENT_TYPES, GRADEBOOK_TOPIC } from './data-access/gradebook-events';
import { lessonRecordModel } from './data-access/lesson-record.model';
import { createLessonRecordRepository } from './data-access/lesson-record.repository';
import { periodMarkModel } from './data-access/period-mark.model';
import { createPeriodMarkRepository } from './data-access/period-mark.repository';
import { policyModel } from './data-access/policy.model';
import { createPolicyRepository } from './data-access/policy.repository';
import { thematicPlanModel } from './data-access/thematic-plan.model';
import { createThematicPlanRepository } from './data-access/thematic-plan.repository';
import { gradebookHandlers } from './entry-points/grpc/gradebook.grpc';
import {
  HANDLED_ROSTER_EVENTS,
  ROSTER_TOPIC,
  rosterCopyHandler,
  rosterRuns,
} from './entry-points/kafka/roster.handler';
import {
  HANDLED_SCHEDULE_EVENTS,
  SCHEDULE_TOPIC,
  scheduleCopyHandler,
  scheduleLessonRuns,
} from './entry-points/kafka/schedule.handler';

/** Gradebook as a list of components in start order, plus what tests need to reach it. */
export interface GradebookService {
  components: Component[];
  /** Turns readiness off: the first step of a shutdown. */
  onShutdownStart(): void;
  /** Bound ports, known after start (config may say 0 in tests). */
  ports(): { grpc: number; ops: number };
}

/**
 * Wires gradebook: store → topics → outbox relay → roster and schedule consumer → gRPC → ops.
 * Used by `main.ts` and by the component tests, which boot it in-process on random ports.
 */
export function createGradebookService(
  config: GradebookConfig,
  logger: Logger,
  metrics: Metrics,
): GradebookService {
  const codec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/gradebook.proto')],
    types: GRADEBOOK_EVENT_TYPES,
  });
  // One consumer (one group) reads roster's and schedule's topics: kafkajs assigns a group's
  // partitions as if every member subscribed to every topic of the group.
  const sourceCodec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/roster.proto'), protoFile('edu/events/v1/schedule.proto')],
    types: { ...HANDLED_ROSTER_EVENTS, ...HANDLED_SCHEDULE_EVENTS },
  });
  const kafka = createKafka({ brokers: config.EDU_KAFKA_BROKERS, clientId: 'gradebook', logger });
  const topic = config.EDU_KAFKA_TOPIC_PREFIX + GRADEBOOK_TOPIC;
  const rosterTopic = config.EDU_KAFKA_TOPIC_PREFIX + ROSTER_TOPIC;
  const scheduleTopic = config.EDU_KAFKA_TOPIC_PREFIX + SCHEDULE_TOPIC;
  // FerretDB 1.x updates are not isolated: the relay and every writer share one lock.
  const lock = createDocumentLock();
  let connection: Connection | undefined;
  let relay: OutboxRelay | undefined;
  let consumer: EventConsumer | undefined;
  const gradebookPackage = loadProto('edu/gradebook/v1/gradebook.proto');
  const proto = grpc.loadPackageDefinition(gradebookPackage) as unknown as ProtoGrpcType;
  const server = createGrpcServer({
    logger,
    metrics,
    actorVerifier: new ActorVerifier({ publicKeys: readActorPublicKeys(config.EDU_ACTOR_PUBLIC_KEYS_DIR) }),
    packageDefinitions: [gradebookPackage],
  });

  const store: Component = {
    name: 'store',
    async start() {
      connection = await connectStore({
        url: config.EDU_MONGO_URL,
        dbName: config.EDU_MONGO_DB,
        logger,
        appName: 'gradebook',
      });
      const records = lessonRecordModel(connection);
      const policies = policyModel(connection);
      const plans = thematicPlanModel(connection);
      const periodMarks = periodMarkModel(connection);
      const copies = createCopyRepository(copyModels(connection), { lock });
      await syncAllIndexes(connection);
      relay = createOutboxRelay({
        kafka,
        models: [records, policies, plans, periodMarks],
        logger,
        metrics,
        lock,
      });
      const outbox = { codec, topic, lock, onEventsWritten: () => relay?.notify() };
      const repositories = {
        copies,
        records: createLessonRecordRepository(records, outbox),
        policies: createPolicyRepository(policies, outbox),
        plans: createThematicPlanRepository(plans, outbox),
        periodMarks: createPeriodMarkRepository(periodMarks, outbox),
      };
      const rosterHandler = rosterCopyHandler(copies, logger.child({ module: 'roster-copy' }));
      const scheduleHandler = scheduleCopyHandler(copies, logger.child({ module: 'schedule-copy' }));
      consumer = createConsumer({
        kafka,
        groupId: config.EDU_KAFKA_GROUP,
        topics: [rosterTopic, scheduleTopic],
        codec: sourceCodec,
        handle: (event, context) =>
          context.topic === scheduleTopic ? scheduleHandler(event, context) : rosterHandler(event, context),
        runs: [
          scheduleLessonRuns(copies, logger.child({ module: 'schedule-copy' })),
          rosterRuns(copies, logger.child({ module: 'roster-copy' })),
        ],
        logger,
        metrics,
      });
      server.addService(
        proto.edu.gradebook.v1.GradebookService.service,
        gradebookHandlers({ repositories, newId: randomUUID, now: () => new Date() }),
      );
    },
    async stop() {
      if (connection) await closeStore(connection);
    },
  };

  // Gradebook's own topic, and roster's and schedule's, which may not exist yet when gradebook starts first.
  const topics = topicsComponent(kafka, [topic, rosterTopic, scheduleTopic], {
    partitions: config.EDU_KAFKA_PARTITIONS,
    replicationFactor: config.EDU_KAFKA_REPLICATION_FACTOR,
  });

  // Stopped after the gRPC server (reverse order): requests drained first, then the outbox flushed.
  const outboxRelay: Component = {
    name: 'outbox-relay',
    start: () => relay!.start(),
    stop: () => relay!.stop(),
  };
  const sourceConsumer: Component = {
    name: 'source-consumer',
    start: () => consumer!.start(),
    stop: () => consumer!.stop(),
  };
  const grpcServer = grpcServerComponent(server, config.EDU_GRPC_HOST, config.EDU_GRPC_PORT);
  const opsServer = opsComponent({
    host: config.EDU_OPS_HOST,
    port: config.EDU_OPS_PORT,
    metrics,
    logger,
    checks: () => ({ store: storeCheck(connection!) }),
  });

  return {
    components: [store, topics, outboxRelay, sourceConsumer, grpcServer, opsServer],
    onShutdownStart: () => opsServer.setShuttingDown(),
    ports: () => ({ grpc: grpcServer.port(), ops: opsServer.port() }),
  };
}
