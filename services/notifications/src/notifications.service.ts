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
import { createPeriodicJobs, opsComponent, type Component, type Logger, type Metrics } from '@edu/kit';
import { loadProto, protoFile } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/notifications';
import { closeStore, connectStore, createReadCache, storeCheck } from '@edu/store';
import { createEmailProvider } from './adapters/email-provider';
import { unscannedFiles } from './adapters/file-scanner';
import { createRecordingProvider } from './adapters/test-providers';
import type { NotificationsConfig } from './config';
import { NOTIFICATIONS_TOPIC, NOTIFICATION_EVENT_TYPES, createEmitter } from './data-access/published-events';
import { createNotificationStore, type NotificationStore } from './data-access/store';
import { createDispatcher, type DeliveryMetrics, type Dispatcher } from './domain/dispatcher';
import type { ChannelProvider } from './domain/ports';
import { runProgressRound } from './domain/progress';
import { inboxHandlers } from './entry-points/grpc/inbox.grpc';
import { messagingHandlers } from './entry-points/grpc/messaging.grpc';
import { progressHandlers } from './entry-points/grpc/progress.grpc';
import { sourceEventsHandler } from './entry-points/kafka/source.consumer';
import { NOTIFICATION_SOURCE_EVENTS, SOURCE_TOPICS } from './entry-points/kafka/source-events';
import { createTellingRunner, type TellingRunner } from './telling-runner';

/** Events per unit: a school event told to a whole school is thousands of inboxes already. */
const MAX_RUN = 500;
/** How often published events' emptied documents are removed. */
const OUTBOX_PURGE_MS = 60_000;
/** Bytes fetched per partition: runs need more than kafkajs' 1 MiB. */
const MAX_FETCH_BYTES = 16 * 1024 * 1024;

/** Notifications as a list of components in start order, plus what tests need to reach it. */
export interface NotificationsService {
  components: Component[];
  onShutdownStart(): void;
  /** Bound ports, known after start (config may say 0 in tests). */
  ports(): { grpc: number; ops: number };
  /** The store (tests read documents) and the dispatcher (tests send what is due now). */
  store(): NotificationStore;
  dispatcher(): Dispatcher;
  /** Looks for ended progress-report rounds now (the timer does it every minute). */
  runProgressReports(now?: Date): Promise<number>;
  /** The SMS and push providers when they are the recording ones (tests, demo). */
  recording(): {
    sms?: ReturnType<typeof createRecordingProvider>;
    push?: ReturnType<typeof createRecordingProvider>;
  };
}

/**
 * Wires notifications: store → topics → the dispatcher → the consumer of roster's, schedule's and
 * gradebook's events → the progress-report timer → gRPC → ops. Used by `main.ts` and by the
 * component tests, which boot it in-process on random ports.
 */
export function createNotificationsService(
  config: NotificationsConfig,
  logger: Logger,
  metrics: Metrics,
  /** The clock (component tests move it: quiet hours, digests, rounds). */
  options: { now?: () => Date } = {},
): NotificationsService {
  const codec = createEventCodec({
    protoFiles: [
      protoFile('edu/events/v1/roster.proto'),
      protoFile('edu/events/v1/schedule.proto'),
      protoFile('edu/events/v1/gradebook.proto'),
    ],
    types: NOTIFICATION_SOURCE_EVENTS,
  });
  const kafka = createKafka({ brokers: config.EDU_KAFKA_BROKERS, clientId: 'notifications', logger });
  const topics = SOURCE_TOPICS.map((topic: string) => config.EDU_KAFKA_TOPIC_PREFIX + topic);
  const ownTopic = config.EDU_KAFKA_TOPIC_PREFIX + NOTIFICATIONS_TOPIC;
  const emit = createEmitter({
    codec: createEventCodec({
      protoFiles: [protoFile('edu/events/v1/notifications.proto')],
      types: NOTIFICATION_EVENT_TYPES,
    }),
    topic: ownTopic,
  });
  const now = options.now ?? (() => new Date());
  const recordingSms = config.EDU_SMS_PROVIDER === 'recording' ? createRecordingProvider('sms') : undefined;
  const recordingPush =
    config.EDU_PUSH_PROVIDER === 'recording' ? createRecordingProvider('push') : undefined;
  const email = config.EDU_SMTP_URL
    ? createEmailProvider({ smtpUrl: config.EDU_SMTP_URL, from: config.EDU_MAIL_FROM })
    : undefined;
  const providers: ChannelProvider[] = [email, recordingSms, recordingPush].filter(
    (p): p is NonNullable<typeof p> => p !== undefined,
  );
  let connection: Connection | undefined;
  let store: NotificationStore | undefined;
  let dispatcher: Dispatcher | undefined;
  let telling: TellingRunner | undefined;
  let consumer: EventConsumer | undefined;
  let relay: OutboxRelay | undefined;
  const notificationsPackage = loadProto('edu/notifications/v1/notifications.proto');
  const proto = grpc.loadPackageDefinition(notificationsPackage) as unknown as ProtoGrpcType;
  const server = createGrpcServer({
    logger,
    metrics,
    actorVerifier: new ActorVerifier({ publicKeys: readActorPublicKeys(config.EDU_ACTOR_PUBLIC_KEYS_DIR) }),
    packageDefinitions: [notificationsPackage],
  });
  const log = logger.child({ component: 'notifications' });
  const deliveries = deliveryMetrics(metrics);

  // Timers that never overlap themselves; a stop waits for their runs before the store closes.
  const jobs = createPeriodicJobs(log);
  const every = jobs.every;

  async function runProgressReports(at = now()): Promise<number> {
    let told = 0;
    for (const school of await store!.all('schools')) {
      told += await telling!.runner.unit(async (tx) => {
        const { intents, rounds } = await runProgressRound(tx, { schoolId: school._id, now: at });
        await telling!.tell(tx, intents);
        for (const round of rounds.filter((r) => r.rows.length > 0)) {
          emit(tx, {
            kind: 'progressReportsSent',
            classId: round.classId,
            schoolId: round.schoolId,
            startsOn: round.startsOn,
            endsOn: round.endsOn,
            reports: round.rows.length,
            sentAt: at.toISOString(),
          });
        }
        return intents.length;
      });
    }
    return told;
  }

  const storeComponent: Component = {
    name: 'store',
    async start() {
      connection = await connectStore({
        url: config.EDU_MONGO_URL,
        dbName: config.EDU_MONGO_DB,
        logger,
        appName: 'notifications',
      });
      store = createNotificationStore(
        connection,
        createReadCache(config.EDU_NOTIFICATIONS_CACHE_SIZE, metrics, 'notifications'),
      );
      const finished = await store.recover();
      if (finished > 0) log.warn({ batches: finished }, 'finished batch writes a crash interrupted');
    },
    async stop() {
      if (connection) await closeStore(connection);
    },
  };

  // Roster's, schedule's and gradebook's topics may not exist yet when notifications starts first.
  const sourceTopics = topicsComponent(kafka, [...topics, ownTopic], {
    partitions: config.EDU_KAFKA_PARTITIONS,
    replicationFactor: config.EDU_KAFKA_REPLICATION_FACTOR,
  });

  // The service's events, written by the units into `outbox`, published in order; published ones
  // are emptied by the relay and purged here (the relay scans the collection on FerretDB).
  const publisher: Component = {
    name: 'relay',
    async start() {
      relay = createOutboxRelay({
        kafka,
        models: [{ collection: connection!.collection('outbox') }] as never,
        logger,
        metrics: { registry: metrics.registry },
      });
      await relay.start();
      every(OUTBOX_PURGE_MS, 'outbox purge', () =>
        connection!.collection('outbox').deleteMany({ outboxPending: false }),
      );
    },
    stop: async () => relay?.stop(),
  };

  const delivery: Component = {
    name: 'dispatcher',
    async start() {
      dispatcher = createDispatcher({
        runner: store!,
        providers,
        now,
        metrics: deliveries,
        onError: (error, personId) => log.error({ err: error, personId }, 'dispatch failed'),
      });
      telling = createTellingRunner({ store: store!, dispatcher, metrics, deliveries, now });
      // What was queued before a restart: one scan of the queues at start. Each person is woken at
      // their earliest queued delivery; the dispatcher applies quiet hours and limits then.
      for (const queue of await store!.all('deliveries')) {
        const due = queue.deliveries
          .filter((d) => d.status === 'queued')
          .map((d) => d.dueAt)
          .sort()[0];
        if (due) dispatcher.wake(queue._id, due);
      }
      every(config.EDU_DISPATCH_INTERVAL, 'dispatch', () => dispatcher!.runDue());
      every(config.EDU_PROGRESS_CHECK_INTERVAL, 'progress reports', () => runProgressReports());
    },
    async stop() {
      await jobs.stop();
      email?.close();
    },
  };

  const consumerComponent: Component = {
    name: 'consumer',
    async start() {
      const handle = sourceEventsHandler({ runner: telling!.runner, tell: telling!.tell, now });
      consumer = createConsumer({
        kafka,
        groupId: config.EDU_KAFKA_GROUP,
        topics,
        codec,
        handle: (event) => handle([event]),
        runs: [{ accepts: () => true, handle, maxSize: MAX_RUN }],
        maxBytesPerPartition: MAX_FETCH_BYTES,
        logger,
        metrics: { registry: metrics.registry },
      });
      await consumer.start();
      server.addService(proto.edu.notifications.v1.NotificationsService.service, {
        ...inboxHandlers({ store: store!, now }),
        ...progressHandlers({ reader: store!, now }),
        ...messagingHandlers({
          runner: telling!.runner,
          scanner: unscannedFiles,
          now,
          newId: randomUUID,
          tell: telling!.tell,
          emit,
        }),
      });
    },
    stop: async () => consumer?.stop(),
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
    components: [storeComponent, sourceTopics, publisher, delivery, consumerComponent, grpcServer, opsServer],
    onShutdownStart: () => opsServer.setShuttingDown(),
    ports: () => ({ grpc: grpcServer.port(), ops: opsServer.port() }),
    store: () => store!,
    dispatcher: () => dispatcher!,
    runProgressReports,
    recording: () => ({ sms: recordingSms, push: recordingPush }),
  };
}

/** Queued, sent, failed and retried deliveries by channel; source event → delivery latency. */
function deliveryMetrics(metrics: Metrics): DeliveryMetrics {
  const counter = (name: string, help: string) => metrics.counter(name, help, ['channel']);
  const queued = counter('notifications_deliveries_queued_total', 'Deliveries queued');
  const sent = counter('notifications_deliveries_sent_total', 'Deliveries sent');
  const failed = counter('notifications_deliveries_failed_total', 'Deliveries given up');
  const retried = counter(
    'notifications_deliveries_retried_total',
    'Delivery attempts that failed and wait for a retry',
  );
  const latency = metrics.histogram(
    'notifications_delivery_latency_seconds',
    'From the source event to the delivery through a channel (coalescing, quiet hours and digests included)',
    ['channel'],
    [1, 5, 30, 60, 180, 600, 1800, 3600, 4 * 3600, 12 * 3600, 24 * 3600, 7 * 24 * 3600],
  );
  return {
    queued: (channel, count) => queued.inc({ channel }, count),
    sent(channel, latencies) {
      sent.inc({ channel }, latencies.length);
      for (const seconds of latencies) latency.observe({ channel }, seconds);
    },
    failed: (channel, count) => failed.inc({ channel }, count),
    retried: (channel, count) => retried.inc({ channel }, count),
  };
}
