/** gRPC metadata keys the platform uses between the gateway and the services. */
export const METADATA_KEYS = {
  /** The signed actor (compact JWS from `ActorSigner`). */
  actor: 'x-edu-actor',
  /** The trace id of the request, echoed back in the response headers. */
  traceId: 'x-edu-trace-id',
  /** Makes a command safe to retry; the service stores the outcome under this key. */
  idempotencyKey: 'idempotency-key',
  /** Trailer with a DomainError as JSON (`code`, `kind`, `title`, `detail`, `errors`). */
  error: 'x-edu-error',
} as const;
