import { z } from 'zod';
import { hostname } from 'node:os';
import { durationMs, kafkaSettings, logLevel, url } from '@edu/kit';

// Tests and local runs ask for a free port with 0; kit's port() stops at 1 on purpose, because
// a service port of 0 in a pod is a mistake. Only the gateway's own listeners accept it.
function portOrAny() {
  return z.string().transform((raw, ctx): number => {
    const value = /^\d{1,5}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (!(value >= 0 && value <= 65535)) {
      ctx.addIssue({ code: 'custom', message: 'expected an integer 0..65535 (0: any free port)' });
      return z.NEVER;
    }
    return value;
  });
}

// An empty list is a valid answer here (no browser origin may call the API), which kit's csv()
// refuses; each item must be a bare origin, since that is what browsers send in `Origin`.
function originList() {
  return z
    .string()
    .optional()
    .transform((raw, ctx): string[] => {
      const items = (raw ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
      for (const item of items) {
        if (!URL.canParse(item) || new URL(item).origin !== item) {
          ctx.addIssue({
            code: 'custom',
            message: `expected origins like https://journal.example, got ${item}`,
          });
          return z.NEVER;
        }
      }
      return items;
    });
}

function positiveInt(max: number) {
  return z.coerce.number().int().min(1).max(max);
}

/** Everything the gateway reads from the environment; the only place that touches process.env. */
export const configSchema = z.object({
  EDU_LOG_LEVEL: logLevel().default('info'),
  /** Loopback on a workstation; `0.0.0.0` in a pod. */
  EDU_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  EDU_HTTP_PORT: portOrAny().default(8080),
  EDU_OPS_HOST: z.string().min(1).default('127.0.0.1'),
  EDU_OPS_PORT: portOrAny().default(9464),
  EDU_KEYCLOAK_URL: url().default('http://127.0.0.1:8180'),
  EDU_KEYCLOAK_REALM: z.string().min(1).default('edu'),
  /** The client id access tokens must name in `aud`. */
  EDU_TOKEN_AUDIENCE: z.string().min(1).default('edu-gateway'),
  /** host:port of roster's gRPC server. */
  EDU_ROSTER_GRPC: z.string().min(1).default('127.0.0.1:50052'),
  /** host:port of schedule's gRPC server. */
  EDU_SCHEDULE_GRPC: z.string().min(1).default('127.0.0.1:50053'),
  /** host:port of gradebook's gRPC server. */
  EDU_GRADEBOOK_GRPC: z.string().min(1).default('127.0.0.1:50054'),
  /** host:port of the diary's gRPC server. */
  EDU_DIARY_GRPC: z.string().min(1).default('127.0.0.1:50055'),
  /** host:port of the notifications service's gRPC server. */
  EDU_NOTIFICATIONS_GRPC: z.string().min(1).default('127.0.0.1:50056'),
  /** host:port of the identity service's gRPC server (resolves every caller's actor). */
  EDU_IDENTITY_GRPC: z.string().min(1).default('127.0.0.1:50051'),
  /**
   * How long a resolved actor is used before identity is asked again. Identity's events drop an
   * entry at once; this bounds how stale a missed event can leave it.
   */
  EDU_ACTOR_CACHE_TTL: durationMs().default(60_000),
  /** Actors kept in the cache (least recently used go first). */
  EDU_ACTOR_CACHE_SIZE: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
  ...kafkaSettings,
  /**
   * This replica's name in its cache-invalidation consumer group (`gateway-cache-<name>`): each
   * replica reads identity's events itself. The pod name in a cluster; the host name by default.
   */
  EDU_GATEWAY_INSTANCE: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9._-]+$/)
    .default(hostname()),
  /** PKCS#8 PEM file of the EC P-256 key that signs actor tokens (a mounted secret). */
  EDU_ACTOR_PRIVATE_KEY_FILE: z.string().min(1),
  /** Key id in actor tokens; services look the public key up by it. */
  EDU_ACTOR_KEY_ID: z.string().min(1).default('dev'),
  /** Browser origins allowed by CORS, comma-separated; empty means none. */
  EDU_CORS_ORIGINS: originList(),
  EDU_RATE_LIMIT_PER_MINUTE: positiveInt(1_000_000).default(600),
  EDU_RATE_LIMIT_BURST: positiveInt(100_000).default(100),
  /** Largest JSON body accepted, in body-parser's notation. */
  EDU_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)?$/i, 'expected a size like 100kb or 1mb')
    .default('100kb'),
  /** Largest body of a roster import (a school's CSV inside JSON). */
  EDU_IMPORT_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)?$/i, 'expected a size like 100kb or 1mb')
    .default('10mb'),
  /** Deadline of one call to a service, retries included. */
  EDU_UPSTREAM_DEADLINE: durationMs().default(5_000),
  /**
   * Reverse proxies in front of the gateway whose X-Forwarded-For is trusted (express
   * `trust proxy` hop count). 0 on a workstation; 1 behind the ingress, or every anonymous caller
   * shares the ingress's address and so one rate-limit bucket.
   */
  EDU_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Kubernetes' grace period is 30 s; stay below it. */
  EDU_SHUTDOWN_TIMEOUT: durationMs().default(25_000),
});

export type GatewayConfig = z.output<typeof configSchema>;

/** The realm's issuer URL, as it appears in `iss` of its tokens. */
export function issuerOf(config: Pick<GatewayConfig, 'EDU_KEYCLOAK_URL' | 'EDU_KEYCLOAK_REALM'>): string {
  return `${config.EDU_KEYCLOAK_URL.replace(/\/+$/, '')}/realms/${config.EDU_KEYCLOAK_REALM}`;
}
