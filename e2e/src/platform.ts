import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateDevActorKeys, writeActorKeys } from '@edu/grpc';
import { setTestUserProvisioner, uniqueName } from '@edu/testing';
import { identityProvisioner } from './provision';

// The built services as real processes (`node dist/main.js`, as in a container), each on free
// loopback ports, with databases, topics and a consumer group of their own, against the infrastructure
// the jest global setup brought up (or the endpoints in the environment, for the benchmark).

export type ServiceName =
  'roster' | 'identity' | 'schedule' | 'gradebook' | 'diary' | 'notifications' | 'reports' | 'gateway';

/** The ESIA emulator's test keys (development only), beside the emulator in the repository. */
const ESIA_DEV_KEYS = path.resolve(
  path.dirname(require.resolve('@edu/identity/package.json')),
  '../../deploy/local/esia-emulator/dev-keys',
);
/** Keycloak's secret at the bridge, as the realm's identity provider `esia` has it (development only). */
export const ESIA_BRIDGE_SECRET = 'dev-only-esia-bridge-secret';

/** Every service, in start order. */
const START_ORDER: readonly ServiceName[] = [
  'roster',
  'identity',
  'schedule',
  'gradebook',
  'diary',
  'notifications',
  'reports',
  'gateway',
];

export interface PlatformOptions {
  mongoUrl: string;
  kafkaBrokers: string[];
  keycloakUrl: string;
  /** The ESIA emulator identity's bridge talks to (`http://127.0.0.1:<port>`). */
  esiaUrl?: string;
  /** The SMTP server notifications e-mail through (`smtp://127.0.0.1:<port>`); '' turns e-mail off. */
  smtpUrl?: string;
  /** Extra environment per service, e.g. a generous rate limit for a benchmark. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Log level of the services (their logs go to files under `logDir`). Default `info`. */
  logLevel?: string;
  /**
   * The services to start (in the usual order, whatever the order given); default all of them.
   * The others can still be started later with `start(name)`; their addresses are reserved.
   */
  services?: ServiceName[];
}

export interface Platform {
  gatewayUrl: string;
  rosterGrpc: string;
  scheduleGrpc: string;
  gradebookGrpc: string;
  diaryGrpc: string;
  notificationsGrpc: string;
  identityGrpc: string;
  /** The ESIA bridge's base URL (its issuer), which a test's Keycloak identity provider points at. */
  esiaBridgeUrl: string;
  /** The actor key the gateway signs with (to call roster directly, as the gateway would). */
  actorKey: { kid: string; privateKeyPem: string };
  rosterDb: string;
  scheduleDb: string;
  gradebookDb: string;
  diaryDb: string;
  notificationsDb: string;
  reportsDb: string;
  identityDb: string;
  /** Each consumer's `EDU_KAFKA_GROUP` (the diary's groups are `<this>-g<generation>`). */
  kafkaGroups: Record<
    'roster' | 'identity' | 'schedule' | 'gradebook' | 'diary' | 'notifications' | 'reports',
    string
  >;
  /** The services' topic prefix: this platform's topics are fresh and its own. */
  topicPrefix: string;
  logDir: string;
  /** `http://127.0.0.1:<ops port>` of a service: `/livez`, `/readyz`, `/metrics`. */
  opsUrl(name: ServiceName): string;
  /** Starts a service (again) and waits until its `/readyz` answers 200. */
  start(name: ServiceName): Promise<void>;
  /** Sends a signal and waits for the exit; resolves with the exit code (or the signal). */
  stop(name: ServiceName, signal?: NodeJS.Signals): Promise<number | string>;
  /** The service's log lines so far, parsed. */
  logs(name: ServiceName): Record<string, unknown>[];
  /** Stops everything that still runs. */
  close(): Promise<void>;
}

/** A port that was free a moment ago (the kernel's pick for port 0). */
/** Ports handed out by this process, never handed out twice. */
const handedOut = new Set<number>();

/**
 * A free port for a service: below the kernel's ephemeral range (32768 and up), so that no
 * outgoing connection of the many on this machine (Kafka clients, test runners) takes it between
 * the check and the service's own listen — port 0 would hand out exactly those.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free port in 20000..31999 after 200 tries');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function mainOf(name: ServiceName): string {
  return path.join(path.dirname(require.resolve(`@edu/${name}/package.json`)), 'dist', 'main.js');
}

async function waitReady(
  name: ServiceName,
  opsPort: number,
  child: ChildProcess,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${name} exited (${child.exitCode ?? child.signalCode}) before ready:\n${tail(logFile)}`,
      );
    }
    try {
      const response = await fetch(`http://127.0.0.1:${opsPort}/readyz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${name} not ready in 60 s:\n${tail(logFile)}`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts roster, schedule, gradebook, diary, notifications, reports and the gateway (or the `services` asked for)
 * as processes and waits until each is ready.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const logDir = mkdtempSync(path.join(tmpdir(), 'edu-e2e-'));
  const keys = generateDevActorKeys('e2e');
  const { privateKeyFile, publicKeysDir } = writeActorKeys(path.join(logDir, 'actor-keys'), keys);
  // Identity signs its own calls to roster with a key of its own, in the same public-key directory.
  const identityKeys = generateDevActorKeys('identity');
  const identityKeyFile = writeActorKeys(path.join(logDir, 'actor-keys'), identityKeys).privateKeyFile;
  // A namespace the next test run's setup cleans up, even if this process is killed.
  const namespace = uniqueName('e2e');
  const rosterDb = `${namespace}_roster`.replaceAll('-', '_');
  const scheduleDb = `${namespace}_schedule`.replaceAll('-', '_');
  const gradebookDb = `${namespace}_gradebook`.replaceAll('-', '_');
  const diaryDb = `${namespace}_diary`.replaceAll('-', '_');
  const notificationsDb = `${namespace}_notifications`.replaceAll('-', '_');
  const reportsDb = `${namespace}_reports`.replaceAll('-', '_');
  const identityDb = `${namespace}_identity`.replaceAll('-', '_');
  const topicPrefix = `${namespace}.`;
  const ports = {
    rosterGrpc: await freePort(),
    rosterOps: await freePort(),
    identityGrpc: await freePort(),
    identityOps: await freePort(),
    esiaBridge: await freePort(),
    scheduleGrpc: await freePort(),
    scheduleOps: await freePort(),
    gradebookGrpc: await freePort(),
    gradebookOps: await freePort(),
    diaryGrpc: await freePort(),
    diaryOps: await freePort(),
    notificationsGrpc: await freePort(),
    notificationsOps: await freePort(),
    reportsOps: await freePort(),
    gatewayHttp: await freePort(),
    gatewayOps: await freePort(),
  };
  const common = {
    PATH: process.env.PATH ?? '',
    EDU_LOG_LEVEL: options.logLevel ?? 'info',
    EDU_MONGO_URL: options.mongoUrl,
    EDU_KAFKA_BROKERS: options.kafkaBrokers.join(','),
    EDU_KAFKA_TOPIC_PREFIX: topicPrefix,
  };
  const kafkaGroups = {
    roster: `${namespace}-roster`,
    identity: `${namespace}-identity`,
    schedule: `${namespace}-schedule`,
    gradebook: `${namespace}-gradebook`,
    diary: `${namespace}-diary`,
    notifications: `${namespace}-notifications`,
    reports: `${namespace}-reports`,
  };
  const env: Record<ServiceName, Record<string, string>> = {
    roster: {
      ...common,
      EDU_GRPC_PORT: String(ports.rosterGrpc),
      EDU_OPS_PORT: String(ports.rosterOps),
      EDU_MONGO_DB: rosterDb,
      EDU_KAFKA_GROUP: kafkaGroups.roster,
      EDU_ACTOR_PUBLIC_KEYS_DIR: publicKeysDir,
      ...options.env?.roster,
    },
    identity: {
      ...common,
      EDU_GRPC_PORT: String(ports.identityGrpc),
      EDU_OPS_PORT: String(ports.identityOps),
      EDU_MONGO_DB: identityDb,
      EDU_KAFKA_GROUP: kafkaGroups.identity,
      EDU_ACTOR_PUBLIC_KEYS_DIR: publicKeysDir,
      EDU_ACTOR_PRIVATE_KEY_FILE: identityKeyFile,
      EDU_ACTOR_KEY_ID: identityKeys.kid,
      EDU_ROSTER_GRPC: `127.0.0.1:${ports.rosterGrpc}`,
      EDU_KEYCLOAK_URL: options.keycloakUrl,
      EDU_IDENTITY_BOOTSTRAP_GRANTS: 'dev-operator=regionOperator',
      EDU_ESIA_URL: options.esiaUrl ?? 'http://127.0.0.1:8190',
      EDU_ESIA_BRIDGE_PORT: String(ports.esiaBridge),
      EDU_ESIA_BRIDGE_ISSUER: `http://127.0.0.1:${ports.esiaBridge}`,
      EDU_ESIA_BRIDGE_REDIRECT_PATTERNS: `${options.keycloakUrl}/realms/edu/broker/*/endpoint`,
      EDU_ESIA_BRIDGE_CLIENT_SECRET: ESIA_BRIDGE_SECRET,
      EDU_ESIA_SIGNER_KEY_FILE: path.join(ESIA_DEV_KEYS, 'edu-client-test.key.pem'),
      EDU_ESIA_VERIFY_KEY_FILE: path.join(ESIA_DEV_KEYS, 'esia-emulator.pub.pem'),
      ...options.env?.identity,
    },
    schedule: {
      ...common,
      EDU_GRPC_PORT: String(ports.scheduleGrpc),
      EDU_OPS_PORT: String(ports.scheduleOps),
      EDU_MONGO_DB: scheduleDb,
      EDU_KAFKA_GROUP: kafkaGroups.schedule,
      EDU_ACTOR_PUBLIC_KEYS_DIR: publicKeysDir,
      ...options.env?.schedule,
    },
    gradebook: {
      ...common,
      EDU_GRPC_PORT: String(ports.gradebookGrpc),
      EDU_OPS_PORT: String(ports.gradebookOps),
      EDU_MONGO_DB: gradebookDb,
      EDU_KAFKA_GROUP: kafkaGroups.gradebook,
      EDU_ACTOR_PUBLIC_KEYS_DIR: publicKeysDir,
      ...options.env?.gradebook,
    },
    diary: {
      ...common,
      EDU_GRPC_PORT: String(ports.diaryGrpc),
      EDU_OPS_PORT: String(ports.diaryOps),
      EDU_MONGO_DB: diaryDb,
      EDU_KAFKA_GROUP: kafkaGroups.diary,
      EDU_ACTOR_PUBLIC_KEYS_DIR: publicKeysDir,
      ...options.env?.diary,
    },
    notifications: {
      ...common,
      EDU_GRPC_PORT: String(ports.notificationsGrpc),
      EDU_OPS_PORT: String(ports.notificationsOps),
      EDU_MONGO_DB: notificationsDb,
      EDU_KAFKA_GROUP: kafkaGroups.notifications,
      EDU_ACTOR_PUBLIC_KEYS_DIR: publicKeysDir,
      EDU_SMTP_URL: options.smtpUrl ?? '',
      ...options.env?.notifications,
    },
    reports: {
      ...common,
      EDU_OPS_PORT: String(ports.reportsOps),
      EDU_MONGO_DB: reportsDb,
      EDU_KAFKA_GROUP: kafkaGroups.reports,
      ...options.env?.reports,
    },
    gateway: {
      ...common,
      EDU_HTTP_PORT: String(ports.gatewayHttp),
      EDU_OPS_PORT: String(ports.gatewayOps),
      EDU_KEYCLOAK_URL: options.keycloakUrl,
      EDU_ROSTER_GRPC: `127.0.0.1:${ports.rosterGrpc}`,
      EDU_SCHEDULE_GRPC: `127.0.0.1:${ports.scheduleGrpc}`,
      EDU_GRADEBOOK_GRPC: `127.0.0.1:${ports.gradebookGrpc}`,
      EDU_DIARY_GRPC: `127.0.0.1:${ports.diaryGrpc}`,
      EDU_NOTIFICATIONS_GRPC: `127.0.0.1:${ports.notificationsGrpc}`,
      EDU_IDENTITY_GRPC: `127.0.0.1:${ports.identityGrpc}`,
      EDU_GATEWAY_INSTANCE: namespace,
      EDU_ACTOR_PRIVATE_KEY_FILE: privateKeyFile,
      EDU_ACTOR_KEY_ID: keys.kid,
      ...options.env?.gateway,
    },
  };
  const opsPort: Record<ServiceName, number> = {
    roster: ports.rosterOps,
    identity: ports.identityOps,
    schedule: ports.scheduleOps,
    gradebook: ports.gradebookOps,
    diary: ports.diaryOps,
    notifications: ports.notificationsOps,
    reports: ports.reportsOps,
    gateway: ports.gatewayOps,
  };
  const children = new Map<ServiceName, ChildProcess>();
  const logFile = (name: ServiceName) => path.join(logDir, `${name}.log`);

  async function start(name: ServiceName): Promise<void> {
    const out = createWriteStream(logFile(name), { flags: 'a' });
    const child = spawn(process.execPath, [mainOf(name)], {
      env: env[name],
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    children.set(name, child);
    await waitReady(name, opsPort[name], child, logFile(name));
  }

  async function stop(name: ServiceName, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string> {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null)
      return child?.exitCode ?? 'not running';
    const exited = new Promise<number | string>((resolve) =>
      child.once('exit', (code, killedBy) => resolve(code ?? killedBy ?? 'unknown')),
    );
    child.kill(signal);
    const patience = new AbortController();
    const outcome = await Promise.race([
      exited,
      sleep(40_000, 'hung' as const, { signal: patience.signal }).catch(() => 'exited' as const),
    ]);
    patience.abort();
    if (outcome === 'hung') {
      child.kill('SIGKILL');
      return exited;
    }
    children.delete(name);
    return outcome;
  }

  // Test users (createTestUser) get their person link and roles from this platform's identity.
  const provisioner = identityProvisioner(`127.0.0.1:${ports.identityGrpc}`, keys);
  setTestUserProvisioner(provisioner.provision);

  const platform: Platform = {
    gatewayUrl: `http://127.0.0.1:${ports.gatewayHttp}`,
    rosterGrpc: `127.0.0.1:${ports.rosterGrpc}`,
    scheduleGrpc: `127.0.0.1:${ports.scheduleGrpc}`,
    gradebookGrpc: `127.0.0.1:${ports.gradebookGrpc}`,
    diaryGrpc: `127.0.0.1:${ports.diaryGrpc}`,
    notificationsGrpc: `127.0.0.1:${ports.notificationsGrpc}`,
    identityGrpc: `127.0.0.1:${ports.identityGrpc}`,
    esiaBridgeUrl: `http://127.0.0.1:${ports.esiaBridge}`,
    actorKey: { kid: keys.kid, privateKeyPem: keys.privateKeyPem },
    rosterDb,
    scheduleDb,
    gradebookDb,
    diaryDb,
    notificationsDb,
    reportsDb,
    identityDb,
    kafkaGroups,
    topicPrefix,
    logDir,
    opsUrl: (name) => `http://127.0.0.1:${opsPort[name]}`,
    start,
    stop,
    logs: (name) =>
      readFileSync(logFile(name), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async close() {
      setTestUserProvisioner(undefined);
      provisioner.close();
      // The reverse of the start: the gateway first (no new requests), the producers last.
      for (const name of [...START_ORDER].reverse()) await stop(name);
    },
  };
  try {
    // Roster first: it creates its topic, which identity, schedule and reports consume; identity
    // next (the gateway resolves every caller through it); schedule next (it
    // creates its topic, which roster consumes); gradebook after both, whose topics it consumes;
    // diary and notifications after gradebook (they consume all three); the gateway last.
    const wanted = new Set(options.services ?? START_ORDER);
    for (const name of START_ORDER) if (wanted.has(name)) await start(name);
  } catch (error) {
    await platform.close();
    throw error;
  }
  return platform;
}
