// Shared plumbing of the @edu/grpc tests: the test service, a server on a random port, log capture.
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync, type MethodDefinition, type PackageDefinition } from '@grpc/proto-loader';
import { createLogger, createMetrics, type Metrics } from '@edu/kit';
import {
  ActorSigner,
  ActorVerifier,
  PROTO_LOADER_OPTIONS,
  createGrpcServer,
  generateDevActorKeys,
  type Actor,
  type ClientConstructor,
  type GrpcServer,
  type ServiceHandlers,
} from '../src';

// Hand-written in the shape proto-loader-gen-types produces, so the typed path is what is tested.
export interface EchoRequest {
  text?: string;
  delay_ms?: number;
}
export interface EchoRequest__Output {
  text: string;
  delay_ms: number;
}
export interface EchoReply {
  text?: string;
  account_id?: string;
  trace_id?: string;
}
export interface EchoReply__Output {
  text: string;
  account_id: string;
  trace_id: string;
}
export interface TestServiceDefinition extends grpc.ServiceDefinition {
  Echo: MethodDefinition<EchoRequest, EchoReply, EchoRequest__Output, EchoReply__Output>;
  Create: MethodDefinition<EchoRequest, EchoReply, EchoRequest__Output, EchoReply__Output>;
}

export const testPackage: PackageDefinition = loadSync(
  path.join(__dirname, 'fixtures', 'test.proto'),
  PROTO_LOADER_OPTIONS,
);
export const TestService = (
  grpc.loadPackageDefinition(testPackage) as unknown as {
    edu: { test: { v1: { TestService: ClientConstructor<TestServiceDefinition> } } };
  }
).edu.test.v1.TestService;

export const keys = generateDevActorKeys('k1');
export const signer = new ActorSigner({ privateKey: keys.privateKeyPem, kid: keys.kid });
export const verifier = new ActorVerifier({ publicKeys: { [keys.kid]: keys.publicKeyPem } });

/** Log lines written by a logger, parsed. */
export function captureLogs() {
  const chunks: string[] = [];
  const logger = createLogger({
    service: 'test',
    level: 'debug',
    destination: { write: (chunk: string) => void chunks.push(chunk) },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
}

export interface RunningServer {
  server: GrpcServer;
  port: number;
  address: string;
  metrics: Metrics;
  logs: () => Record<string, unknown>[];
}

const running: RunningServer[] = [];

/** Starts a server with the test service on 127.0.0.1:0; `stopAll` in afterEach stops it. */
export async function startTestServer(
  // Typed for an optional actor so that one handler set fits public and actor-only services.
  handlers: Partial<ServiceHandlers<TestServiceDefinition, Actor | undefined>>,
  options: { public?: boolean } = {},
): Promise<RunningServer> {
  const { logger, lines } = captureLogs();
  const metrics = createMetrics('test');
  const server = createGrpcServer({
    logger,
    metrics,
    actorVerifier: verifier,
    packageDefinitions: [testPackage],
  });
  const unimplemented = async () => {
    throw new Error('not used by this test');
  };
  const all = { Echo: unimplemented, Create: unimplemented, ...handlers };
  if (options.public) server.addService(TestService.service, all, { public: true });
  else server.addService(TestService.service, all);
  const port = await server.start('127.0.0.1', 0);
  const entry = { server, port, address: `127.0.0.1:${port}`, metrics, logs: lines };
  running.push(entry);
  return entry;
}

/** Stops every server started by `startTestServer`. */
export async function stopAll(): Promise<void> {
  await Promise.all(running.splice(0).map(({ server }) => server.stop(100)));
}

/** The value of a metric sample, or undefined. */
export async function metricValue(
  metrics: Metrics,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return metric?.values.find((sample) =>
    Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  )?.value;
}

/** Resolves after `ms`. */
export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
