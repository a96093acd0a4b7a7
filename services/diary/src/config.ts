import { z } from 'zod';
import { durationMs, kafkaSettings, logLevel, port, url } from '@edu/kit';

/** Everything diary reads from the environment; the only place that touches process.env. */
export const configSchema = z.object({
  EDU_LOG_LEVEL: logLevel().default('info'),
  /** Loopback on a workstation; `0.0.0.0` in a pod. */
  EDU_GRPC_HOST: z.string().default('127.0.0.1'),
  EDU_GRPC_PORT: port().default(50055),
  EDU_OPS_HOST: z.string().default('127.0.0.1'),
  EDU_OPS_PORT: port().default(9469),
  EDU_MONGO_URL: url().default('mongodb://127.0.0.1:27017'),
  EDU_MONGO_DB: z.string().min(1).default('edu_diary'),
  ...kafkaSettings,
  /**
   * Prefix of the consumer groups of roster's, schedule's and gradebook's events: each generation
   * of the read model has its own group (`diary-g1`, `diary-g2` after a rebuild …).
   */
  EDU_KAFKA_GROUP: z.string().min(1).default('diary'),
  /** Directory of `<kid>.pem` public keys of the gateway's actor tokens (a mounted secret). */
  EDU_ACTOR_PUBLIC_KEYS_DIR: z.string().min(1),
  /** Documents kept in the in-process read cache (weeks, students, schools …). */
  EDU_DIARY_CACHE_SIZE: z.coerce.number().int().min(0).default(50_000),
  /** How often an instance checks whether another one swapped in a rebuilt generation. */
  EDU_DIARY_GENERATION_CHECK: durationMs().default(5_000),
  /** Kubernetes' grace period is 30 s; stay below it. */
  EDU_SHUTDOWN_TIMEOUT: durationMs().default(25_000),
});

export type DiaryConfig = z.output<typeof configSchema>;
