import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
import type { ProtoGrpcType } from '@edu/proto/dist/generated/identity';
import { ROSTER_TOPIC } from '@edu/roster-events';
import { closeStore, connectStore, createReadCache, storeCheck } from '@edu/store';
import { KeycloakAdminUsers } from './adapters/keycloak-admin';
import { createRosterClient, type RosterClient } from './adapters/roster-client';
import type { BridgeConfig } from './bridge/config';
import { startEsiaBridgeFromConfig, type RunningBridge } from './bridge/server';
import type { IdentityConfig } from './config';
import { IDENTITY_EVENT_TYPES, IDENTITY_TOPIC, createEmitter } from './data-access/published-events';
import { createIdentityStore, type IdentityStore } from './data-access/store';
import { pollLoginAudit } from './domain/audit';
import { applyEsiaProfile } from './domain/esia-linking';
import { applyBootstrapGrants } from './domain/grants';
import type { KeycloakUsers } from './domain/keycloak-port';
import type { IdentityDeps } from './domain/links';
import type { RosterPort } from './domain/ports';
import { expireTemporaryLogins } from './domain/temporary-logins';
import type { EsiaProfile } from './esia/profile';
import { identityHandlers } from './entry-points/grpc/identity.grpc';
import { rosterEventsHandler } from './entry-points/kafka/roster.consumer';
import { ROSTER_EVENTS } from './entry-points/kafka/roster-events';

/** Roster events per unit. */
const MAX_RUN = 500;
/** How often published events' emptied documents are removed. */
const OUTBOX_PURGE_MS = 60_000;

export interface IdentityService {
  components: Component[];
  onShutdownStart(): void;
  /** Bound ports, known after start (config may say 0 in tests); bridge 0 when disabled. */
  ports(): { grpc: number; ops: number; bridge: number };
  store(): IdentityStore;
  /** The use cases' dependencies (tests call use cases and timers directly). */
  deps(): IdentityDeps;
  /** The bridge's sink (what the bridge calls after each ESIA login). */
  applyEsiaProfile(profile: EsiaProfile): Promise<void>;
  /** The timers' work, now. */
  expireTemporaryLogins(): Promise<number>;
  pollLoginAudit(): Promise<number>;
}

export interface IdentityServiceOptions {
  now?: () => Date;
  /** Replaces Keycloak's admin API (component tests use a memory fake). */
  keycloak?: KeycloakUsers;
  /** Replaces roster's gRPC client (component tests). */
  roster?: RosterPort;
}

/**
 * Wires identity: store → topics → relay → roster consumer → timers (temporary-login expiry,
 * login audit) and bootstrap grants → gRPC → the ESIA bridge (its own HTTP listener) → ops.
 */
export function createIdentityService(
  config: IdentityConfig,
  logger: Logger,
  metrics: Metrics,
  options: IdentityServiceOptions = {},
): IdentityService {
  const log = logger.child({ component: 'identity' });
  const now = options.now ?? (() => new Date());
  const kafka = createKafka({ brokers: config.EDU_KAFKA_BROKERS, clientId: 'identity', logger });
  const rosterTopic = config.EDU_KAFKA_TOPIC_PREFIX + ROSTER_TOPIC;
  const ownTopic = config.EDU_KAFKA_TOPIC_PREFIX + IDENTITY_TOPIC;
  const emit = createEmitter({
    codec: createEventCodec({
      protoFiles: [protoFile('edu/events/v1/identity.proto')],
      types: IDENTITY_EVENT_TYPES,
    }),
    topic: ownTopic,
  });
  const codec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/roster.proto')],
    types: ROSTER_EVENTS,
  });
  const keycloak: KeycloakUsers =
    options.keycloak ??
    new KeycloakAdminUsers({
      keycloakUrl: config.EDU_KEYCLOAK_URL,
      realm: config.EDU_KEYCLOAK_REALM,
      clientId: config.EDU_IDENTITY_KEYCLOAK_CLIENT_ID,
      clientSecret: config.EDU_IDENTITY_KEYCLOAK_CLIENT_SECRET,
    });
  let rosterClient: RosterClient | undefined;
  const roster: RosterPort =
    options.roster ??
    (rosterClient = createRosterClient({
      address: config.EDU_ROSTER_GRPC,
      privateKeyPem: readFileSync(config.EDU_ACTOR_PRIVATE_KEY_FILE, 'utf8'),
      keyId: config.EDU_ACTOR_KEY_ID,
    }));

  let connection: Connection | undefined;
  let store: IdentityStore | undefined;
  let consumer: EventConsumer | undefined;
  let relay: OutboxRelay | undefined;
  let bridge: RunningBridge | undefined;

  const deps = (): IdentityDeps => ({
    runner: store!,
    emit,
    roster,
    keycloak,
    now,
    newId: randomUUID,
    log,
  });

  const identityPackage = loadProto('edu/identity/v1/identity.proto');
  const proto = grpc.loadPackageDefinition(identityPackage) as unknown as ProtoGrpcType;
  const server = createGrpcServer({
    logger,
    metrics,
    actorVerifier: new ActorVerifier({ publicKeys: readActorPublicKeys(config.EDU_ACTOR_PUBLIC_KEYS_DIR) }),
    packageDefinitions: [identityPackage],
  });

  // Periodic jobs run once at start too (a restart catches up at once, e.g. logins that expired
  // while the service was down), then every interval.
  const jobs = createPeriodicJobs(log);
  const every = (ms: number, what: string, work: () => Promise<unknown>) =>
    jobs.every(ms, what, work, { atStart: true });

  const sink = async (profile: EsiaProfile) => applyEsiaProfile(deps(), profile);

  const storeComponent: Component = {
    name: 'store',
    async start() {
      connection = await connectStore({
        url: config.EDU_MONGO_URL,
        dbName: config.EDU_MONGO_DB,
        logger,
        appName: 'identity',
      });
      store = createIdentityStore(
        connection,
        createReadCache(config.EDU_IDENTITY_CACHE_SIZE, metrics, 'identity'),
      );
      const finished = await store.recover();
      if (finished > 0) log.warn({ batches: finished }, 'finished batch writes a crash interrupted');
    },
    async stop() {
      if (connection) await closeStore(connection);
    },
  };

  const topics = topicsComponent(kafka, [rosterTopic, ownTopic], {
    partitions: config.EDU_KAFKA_PARTITIONS,
    replicationFactor: config.EDU_KAFKA_REPLICATION_FACTOR,
  });

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

  const consumerComponent: Component = {
    name: 'consumer',
    async start() {
      const handle = rosterEventsHandler({ runner: store!, emit });
      consumer = createConsumer({
        kafka,
        groupId: config.EDU_KAFKA_GROUP,
        topics: [rosterTopic],
        codec,
        handle: (event) => handle([event]),
        runs: [{ accepts: () => true, handle, maxSize: MAX_RUN }],
        logger,
        metrics: { registry: metrics.registry },
      });
      await consumer.start();
    },
    stop: async () => consumer?.stop(),
  };

  const timersComponent: Component = {
    name: 'timers',
    async start() {
      // Before the service answers, so that the first operator is one from its first request; if
      // Keycloak is still starting, they are tried again each minute until they are in.
      let bootstrapped = !config.EDU_IDENTITY_BOOTSTRAP_GRANTS;
      const bootstrap = async () => {
        if (bootstrapped) return;
        const given = await applyBootstrapGrants(deps(), config.EDU_IDENTITY_BOOTSTRAP_GRANTS);
        bootstrapped = true;
        log.info({ given }, 'bootstrap grants applied');
      };
      await bootstrap().catch((error: unknown) =>
        log.error({ err: error }, 'bootstrap grants could not be applied yet; retrying each minute'),
      );
      jobs.every(60_000, 'bootstrap grants', bootstrap);
      every(config.EDU_TEMPORARY_LOGIN_CHECK_INTERVAL, 'temporary login expiry', () =>
        expireTemporaryLogins(deps()),
      );
      every(config.EDU_LOGIN_AUDIT_INTERVAL, 'login audit', () => pollLoginAudit(deps()));
      server.addService(proto.edu.identity.v1.IdentityService.service, identityHandlers(deps()));
    },
    async stop() {
      await jobs.stop();
      rosterClient?.close();
    },
  };

  const grpcServer = grpcServerComponent(server, config.EDU_GRPC_HOST, config.EDU_GRPC_PORT);

  // The ESIA bridge (src/bridge, its own HTTP listener): hands every fresh profile to the sink.
  const bridgeComponent: Component = {
    name: 'esia-bridge',
    async start() {
      if (!config.EDU_ESIA_BRIDGE_ENABLED) return;
      bridge = await startEsiaBridgeFromConfig(
        config as unknown as BridgeConfig,
        sink,
        logger.child({ component: 'esia-bridge' }),
      );
      log.info({ port: bridge.port }, 'esia bridge listening');
    },
    stop: async () => bridge?.close(),
  };

  const opsServer = opsComponent({
    host: config.EDU_OPS_HOST,
    port: config.EDU_OPS_PORT,
    metrics,
    logger,
    checks: () => ({ store: storeCheck(connection!) }),
  });

  return {
    components: [
      storeComponent,
      topics,
      publisher,
      consumerComponent,
      timersComponent,
      grpcServer,
      bridgeComponent,
      opsServer,
    ],
    onShutdownStart: () => opsServer.setShuttingDown(),
    ports: () => ({ grpc: grpcServer.port(), ops: opsServer.port(), bridge: bridge?.port ?? 0 }),
    store: () => store!,
    deps,
    applyEsiaProfile: sink,
    expireTemporaryLogins: () => expireTemporaryLogins(deps()),
    pollLoginAudit: () => pollLoginAudit(deps()),
  };
}
