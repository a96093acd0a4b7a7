import { z } from 'zod';
import { bool, durationMs, kafkaSettings, logLevel, port, url } from '@edu/kit';
import { bridgeConfig } from './bridge/config';

/** The bridge's settings that have no default: required only while the bridge is enabled. */
const BRIDGE_REQUIRED = [
  'EDU_ESIA_BRIDGE_CLIENT_SECRET',
  'EDU_ESIA_SIGNER_KEY_FILE',
  'EDU_ESIA_VERIFY_KEY_FILE',
] as const;

/** Everything identity reads from the environment; the only place that touches process.env. */
export const configSchema = z
  .object({
    EDU_LOG_LEVEL: logLevel().default('info'),
    /** Loopback on a workstation; `0.0.0.0` in a pod. */
    EDU_GRPC_HOST: z.string().default('127.0.0.1'),
    EDU_GRPC_PORT: port().default(50051),
    EDU_OPS_HOST: z.string().default('127.0.0.1'),
    EDU_OPS_PORT: port().default(9465),
    EDU_MONGO_URL: url().default('mongodb://127.0.0.1:27017'),
    EDU_MONGO_DB: z.string().min(1).default('edu_identity'),
    ...kafkaSettings,
    /** The consumer group of roster's events. */
    EDU_KAFKA_GROUP: z.string().min(1).default('identity'),
    /** Directory of `<kid>.pem` public keys of actor tokens (the gateway's; a mounted secret). */
    EDU_ACTOR_PUBLIC_KEYS_DIR: z.string().min(1),
    /** PKCS#8 PEM file of identity's own actor key (EC P-256): its calls to roster. */
    EDU_ACTOR_PRIVATE_KEY_FILE: z.string().min(1),
    /** Key id of identity's actor key; roster looks the public key up by it. */
    EDU_ACTOR_KEY_ID: z.string().min(1).default('identity'),
    /** host:port of roster's gRPC server (the gateway's name for it). */
    EDU_ROSTER_GRPC: z.string().min(1).default('127.0.0.1:50052'),
    /** Keycloak's admin API: the realm's users and login events. */
    EDU_KEYCLOAK_URL: url().default('http://127.0.0.1:8180'),
    EDU_KEYCLOAK_REALM: z.string().min(1).default('edu'),
    EDU_IDENTITY_KEYCLOAK_CLIENT_ID: z.string().min(1).default('edu-identity'),
    /** The `edu-identity` client's secret (a Secret in production; the default is dev-only). */
    EDU_IDENTITY_KEYCLOAK_CLIENT_SECRET: z.string().min(1).default('dev-only-edu-identity-secret'),
    /**
     * Grants applied at start by username: `user=regionOperator,admin=schoolAdmin@<schoolId>,
     * officer=municipalOfficer@<municipalityId>`; users Keycloak does not know are skipped.
     */
    EDU_IDENTITY_BOOTSTRAP_GRANTS: z.string().default(''),
    /** Whether the ESIA bridge (an OpenID provider for Keycloak) runs in this process. */
    EDU_ESIA_BRIDGE_ENABLED: bool().default(true),
    /** How often temporary logins past their end are disabled. */
    EDU_TEMPORARY_LOGIN_CHECK_INTERVAL: durationMs().default(60_000),
    /** How often Keycloak's login events are read into the login audit. */
    EDU_LOGIN_AUDIT_INTERVAL: durationMs().default(15_000),
    /** Documents kept in the in-process read cache. */
    EDU_IDENTITY_CACHE_SIZE: z.coerce.number().int().min(0).default(50_000),
    /** Kubernetes' grace period is 30 s; stay below it. */
    EDU_SHUTDOWN_TIMEOUT: durationMs().default(25_000),
    // The ESIA bridge's own settings (src/bridge/config.ts); see the README.
    ...bridgeConfig,
    EDU_ESIA_BRIDGE_CLIENT_SECRET: z.string().default(''),
    EDU_ESIA_SIGNER_KEY_FILE: z.string().default(''),
    EDU_ESIA_VERIFY_KEY_FILE: z.string().default(''),
  })
  .superRefine((config, ctx) => {
    if (!config.EDU_ESIA_BRIDGE_ENABLED) return;
    for (const name of BRIDGE_REQUIRED) {
      if (!config[name])
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'required while EDU_ESIA_BRIDGE_ENABLED is true',
        });
    }
    if (config.EDU_ESIA_BRIDGE_CLIENT_SECRET && config.EDU_ESIA_BRIDGE_CLIENT_SECRET.length < 16) {
      ctx.addIssue({
        code: 'custom',
        path: ['EDU_ESIA_BRIDGE_CLIENT_SECRET'],
        message: 'at least 16 characters',
      });
    }
  });

export type IdentityConfig = z.output<typeof configSchema>;
