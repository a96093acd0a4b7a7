import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import {
  DomainError,
  GRPC_STATUS,
  KIND_TO_GRPC,
  grpcStatusName,
  runWithContext,
  unauthenticated,
  type Logger,
  type Metrics,
} from '@edu/kit';
import { ActorVerificationError, type Actor, type ActorRejection, type ActorVerifier } from './actor';
import type { CallOptions } from './client';
import { writeErrorMetadata } from './error-metadata';
import { METADATA_KEYS } from './metadata';

/** The proto-loader options of the platform (style guide), used for the definitions loaded here. */
export const PROTO_LOADER_OPTIONS: Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** What a handler knows about the call besides the request. */
export interface CallContext<A extends Actor | undefined = Actor> {
  /** The verified caller; `undefined` only in a public service called without an actor. */
  actor: A;
  traceId: string;
  idempotencyKey?: string;
  /** When the caller stops waiting; `undefined` if it set no deadline. Pass on with `callOptionsFrom`. */
  deadline?: Date;
  /** Aborted when the caller cancels or the deadline passes: hand it to slow work. */
  signal: AbortSignal;
  /** Bound to the method; every line carries the trace id. */
  logger: Logger;
  metadata: grpc.Metadata;
}

/** A unary handler: resolve with the response, throw a DomainError for an expected failure. */
export type UnaryHandler<Request, Response, A extends Actor | undefined = Actor> = (
  request: Request,
  ctx: CallContext<A>,
) => Promise<Response>;

// Generated definitions also carry grpc-js's string index signature; only the method names count.
type MethodNames<D> = keyof { [K in keyof D as string extends K ? never : K]: D[K] };

/** Handlers for every method of service definition `D` (typed from proto-loader-gen-types output). */
export type ServiceHandlers<D, A extends Actor | undefined = Actor> = [MethodNames<D>] extends [never]
  ? // An untyped definition (from loadPackageDefinition) says nothing about messages.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    Record<string, UnaryHandler<any, any, A>>
  : {
      [K in MethodNames<D>]: D[K] extends {
        requestDeserialize: grpc.deserialize<infer Req>;
        responseSerialize: grpc.serialize<infer Res>;
      }
        ? UnaryHandler<Req, Res, A>
        : never;
    };

/** Options of `createGrpcServer`. */
export interface GrpcServerOptions {
  logger: Logger;
  metrics: Metrics;
  actorVerifier: ActorVerifier;
  /** Definitions of the services served, so that reflection can describe them (grpcurl, Postman). */
  packageDefinitions?: PackageDefinition[];
  /** Insecure by default; mTLS credentials in the cluster. */
  credentials?: grpc.ServerCredentials;
  /**
   * Connections are closed (gracefully) after this age so clients re-resolve and spread over new
   * pods: HTTP/2 connections otherwise stick to the pods that existed when they were opened.
   */
  maxConnectionAgeMs?: number;
}

/** A gRPC server with health, reflection and the call pipeline (trace, actor, metrics, logs, errors). */
export interface GrpcServer {
  /** Serves `definition` with `handlers`; a `public` service accepts calls without an actor. */
  addService<D extends grpc.ServiceDefinition>(
    definition: D,
    handlers: ServiceHandlers<D>,
    options?: { public?: false },
  ): void;
  addService<D extends grpc.ServiceDefinition>(
    definition: D,
    handlers: ServiceHandlers<D, Actor | undefined>,
    options: { public: true },
  ): void;
  /** Binds and starts; resolves with the bound port (useful with port 0). */
  start(host: string, port: number): Promise<number>;
  /** Reports NOT_SERVING, lets calls in flight finish for up to `graceMs`, then cuts the rest. */
  stop(graceMs?: number): Promise<void>;
  /** Sets the grpc.health.v1 status of a service (`''` is the whole server). */
  setServing(service: string, serving: boolean): void;
}

const TRACE_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Creates a gRPC server; health and reflection are always on and need no actor. */
export function createGrpcServer({
  logger,
  metrics,
  actorVerifier,
  packageDefinitions = [],
  credentials = grpc.ServerCredentials.createInsecure(),
  maxConnectionAgeMs = 5 * 60_000,
}: GrpcServerOptions): GrpcServer {
  const log = logger.child({ module: 'grpc-server' });
  const server = new grpc.Server({
    'grpc.max_connection_age_ms': maxConnectionAgeMs,
    'grpc.max_connection_age_grace_ms': 30_000,
  });
  const serviceNames = new Set<string>(['']);
  let started = false;
  // NOT_SERVING until start(): a probe must not pass before the port is bound.
  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  health.addToServer(server);

  // Reflection also describes grpc.health.v1, so grpcurl can call it by name.
  const healthDefinition = loadSync(healthProtoPath, PROTO_LOADER_OPTIONS);
  const reflected: PackageDefinition = Object.assign({}, healthDefinition, ...packageDefinitions);
  new ReflectionService(reflected).addToServer(server);

  function setServing(service: string, serving: boolean): void {
    health.setStatus(service, serving ? 'SERVING' : 'NOT_SERVING');
  }

  // The call pipeline, in order: trace id → actor → handler (with deadline and signal) → error
  // mapping → one metric observation and one log line.
  function adapt(
    method: grpc.MethodDefinition<unknown, unknown>,
    handler: UnaryHandler<unknown, unknown, Actor | undefined>,
    isPublic: boolean,
  ): grpc.handleUnaryCall<unknown, unknown> {
    const name = method.path.slice(1);
    const callLog = log.child({ method: name });
    const handlerLog = logger.child({ method: name });

    return (call, callback) => {
      const started = process.hrtime.bigint();
      const traceId = traceIdOf(call.metadata);
      const headers = new grpc.Metadata();
      headers.set(METADATA_KEYS.traceId, traceId);
      call.sendMetadata(headers);
      const deadline = deadlineOf(call.getDeadline());
      const abort = new AbortController();
      call.on('cancelled', () => abort.abort(new Error('call cancelled by the client or its deadline')));

      runWithContext({ traceId }, async () => {
        let rejection: ActorRejection | undefined;
        let failure: unknown;
        let status: grpc.StatusObject | undefined;
        let response: unknown;
        try {
          const actor = await verifyActor(call.metadata, isPublic).catch((error: unknown) => {
            if (!(error instanceof ActorVerificationError)) throw error;
            rejection = error.reason;
            throw unauthenticated(
              rejection === 'missing' ? 'auth.actor_missing' : 'auth.actor_invalid',
              'Войдите в систему и повторите действие.',
            );
          });
          const key = call.metadata.get(METADATA_KEYS.idempotencyKey)[0];
          response = await handler(call.request, {
            actor,
            traceId,
            ...(typeof key === 'string' && key.length > 0 ? { idempotencyKey: key } : {}),
            ...(deadline ? { deadline } : {}),
            signal: abort.signal,
            logger: handlerLog,
            metadata: call.metadata,
          });
        } catch (error) {
          failure = error;
          status = toStatus(error);
        }
        if (status) callback(status);
        else callback(null, response);

        const code = call.cancelled
          ? deadline && deadline.getTime() <= Date.now()
            ? 'DEADLINE_EXCEEDED'
            : 'CANCELLED'
          : grpcStatusName(status?.code ?? GRPC_STATUS.OK);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        metrics.observeGrpc({ method: name, code, seconds });
        const line = { code, ms: Math.round(seconds * 10_000) / 10 };
        if (rejection !== undefined) {
          // A security event: who knocked (peer) and why, never the token or any personal data.
          callLog.warn(
            { ...line, event: 'actor_rejected', reason: rejection, peer: call.getPeer() },
            'grpc call',
          );
        } else if (status?.code === GRPC_STATUS.INTERNAL) {
          callLog.error({ ...line, err: failure }, 'grpc call');
        } else {
          callLog.info(line, 'grpc call');
        }
      }).catch((error: unknown) => {
        // Only a bug in the pipeline itself lands here; the call still gets an answer.
        callLog.error({ err: error }, 'grpc call pipeline failed');
        callback({ code: GRPC_STATUS.INTERNAL, details: 'Внутренняя ошибка' });
      });
    };
  }

  async function verifyActor(metadata: grpc.Metadata, isPublic: boolean): Promise<Actor | undefined> {
    const token = metadata.get(METADATA_KEYS.actor)[0];
    if (typeof token !== 'string' || token.length === 0) {
      if (isPublic) return undefined;
      throw new ActorVerificationError('missing');
    }
    // A public service still refuses a bad token: a forged actor is worth a refusal, not a shrug.
    return actorVerifier.verify(token);
  }

  function addService(
    definition: grpc.ServiceDefinition,
    handlers: Record<string, UnaryHandler<unknown, unknown, Actor | undefined>>,
    options: { public?: boolean } = {},
  ): void {
    const implementation: grpc.UntypedServiceImplementation = {};
    let serviceName: string | undefined;
    for (const [methodName, method] of Object.entries(definition)) {
      if (method.requestStream || method.responseStream) {
        throw new Error(`${method.path}: only unary methods are supported`);
      }
      const handler = handlers[methodName];
      if (handler === undefined) throw new Error(`${method.path}: no handler`);
      implementation[methodName] = adapt(method, handler, options.public === true);
      serviceName ??= method.path.split('/')[1];
    }
    server.addService(definition, implementation);
    if (serviceName !== undefined) {
      serviceNames.add(serviceName);
      if (started) setServing(serviceName, true);
    }
  }

  return {
    addService: addService as GrpcServer['addService'],
    setServing,
    async start(host, port) {
      const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
      const bound = await new Promise<number>((resolve, reject) =>
        server.bindAsync(address, credentials, (error, boundPort) =>
          error ? reject(error) : resolve(boundPort),
        ),
      );
      started = true;
      for (const service of serviceNames) setServing(service, true);
      log.info({ host, port: bound, services: [...serviceNames].filter(Boolean) }, 'grpc server listening');
      return bound;
    },
    stop(graceMs = 10_000) {
      for (const service of serviceNames) setServing(service, false);
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          log.warn({ graceMs }, 'calls still running after the grace period, cutting them');
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          log.info('grpc server stopped');
          resolve();
        });
      });
    },
  };
}

// A caller's trace id is kept if it looks like one (it ends up in every log line); else a new
// W3C-sized one is made.
function traceIdOf(metadata: grpc.Metadata): string {
  const given = metadata.get(METADATA_KEYS.traceId)[0];
  return typeof given === 'string' && TRACE_ID.test(given) ? given : randomBytes(16).toString('hex');
}

// grpc-js says "no deadline" with Infinity.
function deadlineOf(deadline: grpc.Deadline): Date | undefined {
  if (deadline instanceof Date) return deadline;
  return Number.isFinite(deadline) ? new Date(deadline) : undefined;
}

// DomainErrors travel as their status plus the x-edu-error trailer; anything else is a bug here
// and leaves as a bare INTERNAL (the details are in our log, not in the response).
function toStatus(error: unknown): grpc.StatusObject {
  const metadata = new grpc.Metadata();
  if (error instanceof DomainError) {
    writeErrorMetadata(metadata, error);
    return { code: GRPC_STATUS[KIND_TO_GRPC[error.kind]], details: error.detail, metadata };
  }
  return { code: GRPC_STATUS.INTERNAL, details: 'Внутренняя ошибка', metadata };
}

/** The deadline for a downstream call: the caller's, less a reserve for our answer, at most `maxMs` ahead. */
export function deriveDeadline(parent: Date | undefined, { maxMs = 5000, reserveMs = 20 } = {}): Date {
  const cap = Date.now() + maxMs;
  return new Date(parent === undefined ? cap : Math.min(parent.getTime() - reserveMs, cap));
}

/** Call options that pass this call's actor, trace id and deadline on to a downstream service. */
export function callOptionsFrom(
  ctx: CallContext<Actor | undefined>,
  { idempotencyKey, maxMs }: { idempotencyKey?: string; maxMs?: number } = {},
): CallOptions {
  const token = ctx.metadata.get(METADATA_KEYS.actor)[0];
  return {
    ...(typeof token === 'string' ? { actorToken: token } : {}),
    traceId: ctx.traceId,
    ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    deadline: deriveDeadline(ctx.deadline, maxMs === undefined ? {} : { maxMs }),
  };
}

/** A gRPC server as a lifecycle component: bound at start, drained for up to 10 s at stop. */
export function grpcServerComponent(
  server: Pick<GrpcServer, 'start' | 'stop'>,
  host: string,
  port: number,
): { readonly name: 'grpc'; start(): Promise<void>; stop(): Promise<void>; port(): number } {
  let bound = 0;
  return {
    name: 'grpc',
    async start() {
      bound = await server.start(host, port);
    },
    stop: () => server.stop(10_000),
    port: () => bound,
  };
}
