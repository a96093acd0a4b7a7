import { readFileSync } from 'node:fs';
import { createKafka, topicsComponent, type EventConsumer } from '@edu/events';
import { ActorSigner } from '@edu/grpc';
import { startOpsServer, type Component, type Logger, type Metrics, type OpsServer } from '@edu/kit';
import { createRosterClient, type RosterClient } from './adapters/roster-client';
import { createScheduleClient, type ScheduleClient } from './adapters/schedule-client';
import { createGradebookClient, type GradebookClient } from './adapters/gradebook-client';
import { createDiaryClient, type DiaryClient } from './adapters/diary-client';
import { createNotificationsClient, type NotificationsClient } from './adapters/notifications-client';
import { createIdentityClient, actorResolver, type IdentityClient } from './adapters/identity-client';
import { createActorCache } from './domain/actor-cache';
import { actorInvalidationConsumer } from './entry-points/kafka/actor-invalidation';
import { createApp } from './app';
import { createTokenVerifier } from './auth/token-verifier';
import { issuerOf, type GatewayConfig } from './config';
import { startHttpServer, type HttpServer } from './entry-points/http/http-server';

/** The gateway as a list of components in start order, plus what tests need to reach it. */
export interface GatewayService {
  components: Component[];
  /** Turns readiness off: the first step of a shutdown. */
  onShutdownStart(): void;
  /** Bound ports, known after start (config may say 0 in tests). */
  ports(): { http: number; ops: number };
}

// Of the shutdown budget, what the HTTP drain may use; the rest is for closing the service
// channels and the ops server after it.
const SHUTDOWN_RESERVE_MS = 2_000;
// How soon a failed start of the identity-events consumer is tried again.
const INVALIDATION_RETRY_MS = 10_000;

/**
 * Readiness: the realm's keys could be fetched once. After that jose caches them and refetches
 * on its own, and a Keycloak hiccup must not take every gateway replica out of the load balancer.
 * Roster's and schedule's health are not checks here: each service has its own readiness, and a
 * gateway without one of them still answers (503 problem+json for its routes) rather than not at
 * all — and keeps serving the other's.
 */
function jwksCheck(jwksUrl: string): () => Promise<void> {
  let fetched = false;
  return async () => {
    if (fetched) return;
    const response = await fetch(jwksUrl, { signal: AbortSignal.timeout(1_500) });
    if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
    const body = (await response.json()) as { keys?: unknown };
    if (!Array.isArray(body.keys) || body.keys.length === 0) throw new Error('JWKS has no keys');
    fetched = true;
  };
}

/**
 * Wires the gateway: roster, schedule, gradebook, diary and notifications clients → HTTP server → ops
 * server. Used by `main.ts` and component tests.
 */
export function createGatewayService(
  config: GatewayConfig,
  logger: Logger,
  metrics: Metrics,
): GatewayService {
  const issuer = issuerOf(config);
  const jwksUrl = `${issuer}/protocol/openid-connect/certs`;
  // Read at construction: a missing or wrong key stops the process before it listens.
  const signer = new ActorSigner({
    privateKey: readFileSync(config.EDU_ACTOR_PRIVATE_KEY_FILE, 'utf8'),
    kid: config.EDU_ACTOR_KEY_ID,
  });
  const verifyToken = createTokenVerifier({ issuer, audience: config.EDU_TOKEN_AUDIENCE, jwksUrl });
  let roster: RosterClient | undefined;
  let schedule: ScheduleClient | undefined;
  let gradebook: GradebookClient | undefined;
  let diary: DiaryClient | undefined;
  let notifications: NotificationsClient | undefined;
  let identity: IdentityClient | undefined;
  let http: HttpServer | undefined;
  let ops: OpsServer | undefined;

  const rosterClient: Component = {
    name: 'roster-client',
    // The channel connects lazily: roster may start after the gateway.
    start: async () => {
      roster = createRosterClient({
        address: config.EDU_ROSTER_GRPC,
        deadlineMs: config.EDU_UPSTREAM_DEADLINE,
      });
    },
    stop: async () => roster?.close(),
  };

  const scheduleClient: Component = {
    name: 'schedule-client',
    // Lazy like roster's: schedule may start after the gateway, or be down for a while.
    start: async () => {
      schedule = createScheduleClient({
        address: config.EDU_SCHEDULE_GRPC,
        deadlineMs: config.EDU_UPSTREAM_DEADLINE,
      });
    },
    stop: async () => schedule?.close(),
  };

  const gradebookClient: Component = {
    name: 'gradebook-client',
    // Lazy like schedule's: the journal's routes answer 503 while gradebook is away.
    start: async () => {
      gradebook = createGradebookClient({
        address: config.EDU_GRADEBOOK_GRPC,
        deadlineMs: config.EDU_UPSTREAM_DEADLINE,
      });
    },
    stop: async () => gradebook?.close(),
  };

  const diaryClient: Component = {
    name: 'diary-client',
    // Lazy like gradebook's: the diary's routes answer 503 while the diary is away.
    start: async () => {
      diary = createDiaryClient({
        address: config.EDU_DIARY_GRPC,
        deadlineMs: config.EDU_UPSTREAM_DEADLINE,
      });
    },
    stop: async () => diary?.close(),
  };

  const notificationsClient: Component = {
    name: 'notifications-client',
    // Lazy like the diary's: the inbox's and messages' routes answer 503 while the service is away.
    start: async () => {
      notifications = createNotificationsClient({
        address: config.EDU_NOTIFICATIONS_GRPC,
        deadlineMs: config.EDU_UPSTREAM_DEADLINE,
      });
    },
    stop: async () => notifications?.close(),
  };

  const identityClient: Component = {
    name: 'identity-client',
    // Lazy like the others; while identity is away, callers not in the cache get 503.
    start: async () => {
      identity = createIdentityClient({
        address: config.EDU_IDENTITY_GRPC,
        deadlineMs: config.EDU_UPSTREAM_DEADLINE,
      });
    },
    stop: async () => identity?.close(),
  };

  // The actor of each account, from identity, cached; identity's events drop changed ones.
  const actors = createActorCache((caller) => actorResolver(identity!, signer)(caller), {
    ttlMs: config.EDU_ACTOR_CACHE_TTL,
    maxEntries: config.EDU_ACTOR_CACHE_SIZE,
  });
  const kafka = createKafka({ brokers: config.EDU_KAFKA_BROKERS, clientId: 'gateway', logger });
  const identityTopic = `${config.EDU_KAFKA_TOPIC_PREFIX}edu.identity.v1`;
  // Identity may start after the gateway: the topic is made here if it is not there yet.
  const identityTopics = topicsComponent(kafka, [identityTopic], {
    partitions: config.EDU_KAFKA_PARTITIONS,
    replicationFactor: config.EDU_KAFKA_REPLICATION_FACTOR,
  });
  let invalidation: EventConsumer | undefined;
  let stopping = false;
  let retry: NodeJS.Timeout | undefined;
  // Kafka being away must not keep the gateway from serving: the invalidation consumer starts in
  // the background and is retried; until it runs, the cache's TTL alone bounds how stale an actor
  // can be (and a warning says so).
  const listen = async (): Promise<void> => {
    try {
      await identityTopics.start();
      invalidation = actorInvalidationConsumer({
        kafka,
        topic: identityTopic,
        groupId: `gateway-cache-${config.EDU_GATEWAY_INSTANCE}`,
        cache: actors,
        logger,
        metrics,
      });
      await invalidation.start();
      if (stopping) {
        await invalidation.stop();
        return;
      }
      // Whatever happened before this replica listened is unknown: start from an empty cache.
      actors.clear();
      logger.info({ topic: identityTopic }, 'listening to identity events');
    } catch (error) {
      invalidation = undefined;
      logger.warn(
        { err: error, retryInMs: INVALIDATION_RETRY_MS },
        'identity events cannot be read: cached actors expire by TTL only until they can',
      );
      if (!stopping) retry = setTimeout(() => void listen(), INVALIDATION_RETRY_MS).unref();
    }
  };
  const actorInvalidation: Component = {
    name: 'actor-invalidation',
    async start() {
      void listen();
    },
    async stop() {
      stopping = true;
      clearTimeout(retry);
      await invalidation?.stop();
    },
  };

  const httpServer: Component = {
    name: 'http',
    async start() {
      const app = createApp({
        verifyToken,
        resolveActor: actors.resolve,
        identity: identity!,
        roster: roster!,
        schedule: schedule!,
        gradebook: gradebook!,
        diary: diary!,
        notifications: notifications!,
        signer,
        logger,
        metrics,
        options: {
          corsOrigins: config.EDU_CORS_ORIGINS,
          rateLimitPerMinute: config.EDU_RATE_LIMIT_PER_MINUTE,
          rateLimitBurst: config.EDU_RATE_LIMIT_BURST,
          bodyLimit: config.EDU_BODY_LIMIT,
          importBodyLimit: config.EDU_IMPORT_BODY_LIMIT,
          trustedProxyHops: config.EDU_TRUSTED_PROXY_HOPS,
        },
      });
      http = await startHttpServer(app, { host: config.EDU_HTTP_HOST, port: config.EDU_HTTP_PORT, logger });
      logger.info({ host: config.EDU_HTTP_HOST, port: http.port }, 'gateway listening');
    },
    async stop() {
      if (!http) return;
      const drainMs = Math.max(1_000, config.EDU_SHUTDOWN_TIMEOUT - SHUTDOWN_RESERVE_MS);
      // A cut request is a failed stop, so the process exits 1 and the cut is visible.
      if ((await http.stop(drainMs)) === 'timeout')
        throw new Error('requests in flight were cut at shutdown');
    },
  };

  const opsServer: Component = {
    name: 'ops',
    async start() {
      ops = await startOpsServer({
        host: config.EDU_OPS_HOST,
        port: config.EDU_OPS_PORT,
        metrics,
        logger,
        checks: { jwks: jwksCheck(jwksUrl) },
      });
    },
    stop: async () => ops?.close(),
  };

  return {
    // Stopped in reverse: ops, then the HTTP drain, then the notifications, diary, gradebook,
    // schedule and roster channels, which requests in flight still need until the drain ends.
    components: [
      rosterClient,
      scheduleClient,
      gradebookClient,
      diaryClient,
      notificationsClient,
      identityClient,
      actorInvalidation,
      httpServer,
      opsServer,
    ],
    onShutdownStart: () => ops?.setShuttingDown(),
    ports: () => ({ http: http?.port ?? 0, ops: ops?.port ?? 0 }),
  };
}
