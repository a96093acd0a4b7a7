import * as grpc from '@grpc/grpc-js';
import type { Admin } from 'kafkajs';
import type { Connection } from 'mongoose';
import { createEventCodec, createKafka, ensureTopics } from '@edu/events';
import { ActorVerifier, createGrpcServer, grpcServerComponent, readActorPublicKeys } from '@edu/grpc';
import { opsComponent, type Component, type Logger, type Metrics } from '@edu/kit';
import { loadProto, protoFile } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/diary';
import { closeStore, connectStore, createReadCache, storeCheck } from '@edu/store';
import type { DiaryConfig } from './config';
import { createModelRuntime, type ApplyEvents, type ModelRuntime } from './data-access/model-runtime';
import { createSettingsRepository } from './data-access/settings.repository';
import { applyFact } from './domain/projection';
import { queryHandlers } from './entry-points/grpc/query.grpc';
import { rebuildHandlers } from './entry-points/grpc/rebuild.grpc';
import { DIARY_SOURCE_EVENTS, SOURCE_TOPICS, factsOf } from './entry-points/kafka/source-events';

/** Diary as a list of components in start order, plus what tests need to reach it. */
export interface DiaryService {
  components: Component[];
  /** Turns readiness off: the first step of a shutdown. */
  onShutdownStart(): void;
  /** Bound ports, known after start (config may say 0 in tests). */
  ports(): { grpc: number; ops: number };
  /** The read model's generations (tests: the live group, the rebuild). */
  model(): ModelRuntime;
}

/** The projection: each event's facts applied in order to one unit of the model. */
const applyEvents: ApplyEvents = async (unit, events) => {
  for (const event of events) {
    for (const fact of factsOf(event)) await applyFact(unit, fact);
  }
};

/**
 * Wires diary: store → topics → the read model (its generation's consumer of roster's,
 * schedule's and gradebook's events) → gRPC → ops. Used by `main.ts` and by the component tests,
 * which boot it in-process on random ports.
 */
export function createDiaryService(config: DiaryConfig, logger: Logger, metrics: Metrics): DiaryService {
  const codec = createEventCodec({
    protoFiles: [
      protoFile('edu/events/v1/roster.proto'),
      protoFile('edu/events/v1/schedule.proto'),
      protoFile('edu/events/v1/gradebook.proto'),
    ],
    types: DIARY_SOURCE_EVENTS,
  });
  const kafka = createKafka({ brokers: config.EDU_KAFKA_BROKERS, clientId: 'diary', logger });
  const topics = SOURCE_TOPICS.map((topic: string) => config.EDU_KAFKA_TOPIC_PREFIX + topic);
  const cache = createReadCache(config.EDU_DIARY_CACHE_SIZE, metrics, 'diary');
  let connection: Connection | undefined;
  let admin: Admin | undefined;
  let runtime: ModelRuntime | undefined;
  const diaryPackage = loadProto('edu/diary/v1/diary.proto');
  const proto = grpc.loadPackageDefinition(diaryPackage) as unknown as ProtoGrpcType;
  const server = createGrpcServer({
    logger,
    metrics,
    actorVerifier: new ActorVerifier({ publicKeys: readActorPublicKeys(config.EDU_ACTOR_PUBLIC_KEYS_DIR) }),
    packageDefinitions: [diaryPackage],
  });

  const store: Component = {
    name: 'store',
    async start() {
      connection = await connectStore({
        url: config.EDU_MONGO_URL,
        dbName: config.EDU_MONGO_DB,
        logger,
        appName: 'diary',
      });
    },
    async stop() {
      if (connection) await closeStore(connection);
    },
  };

  // Roster's, schedule's and gradebook's topics may not exist yet when diary starts first.
  const sourceTopics: Component = {
    name: 'topics',
    async start() {
      await ensureTopics(
        kafka,
        topics.map((topic) => ({
          topic,
          partitions: config.EDU_KAFKA_PARTITIONS,
          replicationFactor: config.EDU_KAFKA_REPLICATION_FACTOR,
        })),
      );
      admin = kafka.admin();
      await admin.connect();
    },
    stop: async () => admin?.disconnect(),
  };

  const model: Component = {
    name: 'read-model',
    async start() {
      runtime = createModelRuntime({
        connection: connection!,
        kafka,
        admin: admin!,
        codec,
        topics,
        runTypes: new Set(Object.keys(DIARY_SOURCE_EVENTS)),
        groupPrefix: config.EDU_KAFKA_GROUP,
        apply: applyEvents,
        cache,
        logger,
        metrics,
        generationCheckMs: config.EDU_DIARY_GENERATION_CHECK,
      });
      await runtime.start();
      const settings = createSettingsRepository(connection!);
      server.addService(proto.edu.diary.v1.DiaryService.service, {
        ...queryHandlers({ model: runtime.reader, settings, now: () => new Date() }),
        ...rebuildHandlers(runtime),
      });
    },
    stop: async () => runtime?.stop(),
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
    components: [store, sourceTopics, model, grpcServer, opsServer],
    onShutdownStart: () => opsServer.setShuttingDown(),
    ports: () => ({ grpc: grpcServer.port(), ops: opsServer.port() }),
    model: () => runtime!,
  };
}
