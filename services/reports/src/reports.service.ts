import type { Connection } from 'mongoose';
import {
  createConsumer,
  createEventCodec,
  createKafka,
  topicsComponent,
  type EventConsumer,
} from '@edu/events';
import { opsComponent, type Component, type Logger, type Metrics } from '@edu/kit';
import { protoFile } from '@edu/proto';
import { closeStore, connectStore, storeCheck, syncAllIndexes } from '@edu/store';
import type { ReportsConfig } from './config';
import { createSchoolDirectory } from './data-access/school-directory.repository';
import { HANDLED_ROSTER_EVENTS, schoolCardHandler } from './entry-points/kafka/school-card.handler';

/** The topics reports consumes (after the environment's prefix). */
export const CONSUMED_TOPICS = ['edu.roster.v1'];

/** Reports as components in start order, plus what tests need to reach it. */
export interface ReportsService {
  components: Component[];
  onShutdownStart(): void;
  ports(): { ops: number };
  /** The open store connection, after start (tests read the directory through it). */
  connection(): Connection;
}

/** Wires reports: store → topics → roster consumer → ops. Used by `main.ts` and the tests. */
export function createReportsService(
  config: ReportsConfig,
  logger: Logger,
  metrics: Metrics,
): ReportsService {
  const codec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/roster.proto')],
    types: HANDLED_ROSTER_EVENTS,
  });
  const kafka = createKafka({ brokers: config.EDU_KAFKA_BROKERS, clientId: 'reports', logger });
  const consumedTopics = CONSUMED_TOPICS.map((topic) => config.EDU_KAFKA_TOPIC_PREFIX + topic);
  let connection: Connection | undefined;
  let consumer: EventConsumer | undefined;

  const store: Component = {
    name: 'store',
    async start() {
      connection = await connectStore({
        url: config.EDU_MONGO_URL,
        dbName: config.EDU_MONGO_DB,
        logger,
        appName: 'reports',
      });
      const directory = createSchoolDirectory(connection);
      await syncAllIndexes(connection);
      consumer = createConsumer({
        kafka,
        groupId: config.EDU_KAFKA_GROUP,
        topics: consumedTopics,
        codec,
        handle: schoolCardHandler(directory, logger.child({ module: 'school-directory' })),
        logger,
        metrics,
      });
    },
    async stop() {
      if (connection) await closeStore(connection);
    },
  };

  // Consumed topics may not exist yet when reports starts before their owners.
  const topics = topicsComponent(kafka, consumedTopics, {
    partitions: config.EDU_KAFKA_PARTITIONS,
    replicationFactor: config.EDU_KAFKA_REPLICATION_FACTOR,
  });

  const rosterConsumer: Component = {
    name: 'roster-consumer',
    start: () => consumer!.start(),
    stop: () => consumer!.stop(),
  };

  const opsServer = opsComponent({
    host: config.EDU_OPS_HOST,
    port: config.EDU_OPS_PORT,
    metrics,
    logger,
    checks: () => ({ store: storeCheck(connection!) }),
  });

  return {
    components: [store, topics, rosterConsumer, opsServer],
    onShutdownStart: () => opsServer.setShuttingDown(),
    ports: () => ({ ops: opsServer.port() }),
    connection: () => {
      if (!connection) throw new Error('reports is not started');
      return connection;
    },
  };
}
