import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import {
  GRPC_STATUS,
  currentContext,
  grpcStatusName,
  problemForGrpcStatus,
  toProblem,
  type DomainError,
  type GrpcStatusName,
  type Problem,
} from '@edu/kit';
import { readErrorMetadata } from './error-metadata';
import { METADATA_KEYS } from './metadata';

/** Per-call options of a client method. */
export interface CallOptions {
  /** The `x-edu-actor` token (from `ActorSigner`, or passed on with `callOptionsFrom`). */
  actorToken?: string;
  /** Defaults to the trace id of the current context (`runWithContext`). */
  traceId?: string;
  /** Makes the call retryable on UNAVAILABLE even if its method is not listed as idempotent. */
  idempotencyKey?: string;
  /** Absolute deadline for the call including retries; defaults to now + `deadlineMs`. */
  deadline?: Date;
}

/** A failed call: the gRPC status, and the remote's DomainError when it sent one. */
export class GrpcCallError extends Error {
  override readonly name = 'GrpcCallError';
  readonly codeName: GrpcStatusName;

  constructor(
    /** `package.Service/Method`. */
    readonly method: string,
    /** Numeric gRPC status. */
    readonly code: number,
    /** The status message (for a DomainError, its Russian detail). */
    readonly details: string,
    /** Parsed from the `x-edu-error` trailer; rethrow it to pass the remote's answer on. */
    readonly domainError?: DomainError,
    options?: { cause?: unknown },
  ) {
    super(`${method} failed: ${grpcStatusName(code)} ${details}`, options);
    this.codeName = grpcStatusName(code);
  }
}

/** The problem+json for a failed call: the remote's DomainError if any, else one for the bare status. */
export function problemFromGrpcError(error: unknown, instance?: string): Problem {
  if (!(error instanceof GrpcCallError)) return toProblem(error, instance);
  return error.domainError
    ? toProblem(error.domainError, instance)
    : problemForGrpcStatus(error.code, instance);
}

// Generated definitions also carry grpc-js's string index signature; only the method names count.
type MethodNames<D> = keyof { [K in keyof D as string extends K ? never : K]: D[K] };

/** The promise-returning methods of a client for service definition `D`, plus `close()`. */
export type PromiseClient<D> = ([MethodNames<D>] extends [never]
  ? // An untyped definition (from loadPackageDefinition) says nothing about messages.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    Record<string, (request: any, options?: CallOptions) => Promise<any>>
  : {
      [K in MethodNames<D>]: D[K] extends {
        requestSerialize: grpc.serialize<infer Req>;
        responseDeserialize: grpc.deserialize<infer Res>;
      }
        ? (request: Req, options?: CallOptions) => Promise<Res>
        : never;
    }) & {
  /** Closes the channel. */
  close(): void;
};

/** A generated (or loaded) client class: a grpc-js Client with the service definition attached. */
export interface ClientConstructor<D extends grpc.ServiceDefinition> {
  new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions): grpc.Client;
  service: D;
}

function metadataFor({ actorToken, traceId, idempotencyKey }: CallOptions): grpc.Metadata {
  const metadata = new grpc.Metadata();
  if (actorToken !== undefined) metadata.set(METADATA_KEYS.actor, actorToken);
  const trace = traceId ?? currentContext()?.traceId;
  if (trace !== undefined) metadata.set(METADATA_KEYS.traceId, trace);
  if (idempotencyKey !== undefined) metadata.set(METADATA_KEYS.idempotencyKey, idempotencyKey);
  return metadata;
}

/** Options of `createGrpcClient`. */
export interface GrpcClientOptions<D> {
  /** Deadline of a call that brings none; every call has one. */
  deadlineMs?: number;
  /** Methods safe to repeat (reads, and writes that are idempotent by design). */
  idempotentMethods?: Array<MethodNames<D> & string>;
  /** HTTP/2 ping interval, so a dead peer (a killed pod) is noticed without waiting for TCP. */
  keepaliveMs?: number;
  /** Retries after the first attempt, for UNAVAILABLE on retryable calls only. */
  retries?: number;
  /** First backoff; doubles per retry with jitter, capped at 2 s and by the deadline. */
  backoffMs?: number;
  /** Insecure by default; mTLS credentials in the cluster. */
  credentials?: grpc.ChannelCredentials;
  /** Extra channel options (e.g. a load-balancing service config). */
  channelOptions?: grpc.ChannelOptions;
}

/** Creates a promise-based client: deadline on every call, retries only UNAVAILABLE on idempotent calls. */
export function createGrpcClient<D extends grpc.ServiceDefinition>(
  Client: ClientConstructor<D>,
  address: string,
  {
    deadlineMs = 5000,
    idempotentMethods = [],
    keepaliveMs = 30_000,
    retries = 3,
    backoffMs = 100,
    credentials = grpc.credentials.createInsecure(),
    channelOptions = {},
  }: GrpcClientOptions<D> = {},
): PromiseClient<D> {
  const client = new Client(address, credentials, {
    'grpc.keepalive_time_ms': keepaliveMs,
    'grpc.keepalive_timeout_ms': 10_000,
    'grpc.keepalive_permit_without_calls': 1,
    // grpc-js's own retries stay on: without a retry policy they are only transparent retries of
    // requests that never reached the server (e.g. racing a GOAWAY), which are always safe.
    ...channelOptions,
  });
  const idempotent = new Set<string>(idempotentMethods);

  function attempt(
    method: grpc.MethodDefinition<unknown, unknown>,
    request: unknown,
    options: CallOptions,
    deadline: Date,
  ) {
    return new Promise<unknown>((resolve, reject) => {
      client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        metadataFor(options),
        { deadline },
        (error, response) => (error ? reject(error) : resolve(response)),
      );
    });
  }

  async function call(
    name: string,
    method: grpc.MethodDefinition<unknown, unknown>,
    request: unknown,
    options: CallOptions = {},
  ) {
    // One absolute deadline for all attempts: retries never stretch what the caller waits.
    const deadline = options.deadline ?? new Date(Date.now() + deadlineMs);
    const retryable = idempotent.has(name) || options.idempotencyKey !== undefined;
    for (let retry = 0; ; retry++) {
      try {
        return await attempt(method, request, options, deadline);
      } catch (error) {
        const status = error as Partial<grpc.ServiceError>;
        const code = typeof status.code === 'number' ? status.code : GRPC_STATUS.UNKNOWN;
        // Exponential backoff with jitter, so that clients cut off together do not return together.
        const pause = Math.min(backoffMs * 2 ** retry, 2000) * (0.5 + Math.random() / 2);
        const again =
          code === GRPC_STATUS.UNAVAILABLE &&
          retryable &&
          retry < retries &&
          Date.now() + pause < deadline.getTime();
        if (!again) {
          const details = status.details ?? String(error);
          const domainError = readErrorMetadata(status.metadata);
          throw new GrpcCallError(method.path.slice(1), code, details, domainError, { cause: error });
        }
        await sleep(pause);
      }
    }
  }

  const methods: Record<string, unknown> = {
    close: () => client.close(),
  };
  for (const [name, method] of Object.entries(Client.service)) {
    if (method.requestStream || method.responseStream) continue; // unary only, like the server
    methods[name] = (request: unknown, options?: CallOptions) => call(name, method, request, options);
  }
  return methods as PromiseClient<D>;
}
