import { z } from 'zod';
import { durationMs, kafkaSettings, logLevel, port, url } from '@edu/kit';

/** Everything gradebook reads from the environment; the only place that touches process.env. */
export const configSchema = z.object({
  EDU_LOG_LEVEL: logLevel().default('info'),
  /** Loopback on a workstation; `0.0.0.0` in a pod. */
  EDU_GRPC_HOST: z.string().default('127.0.0.1'),
  EDU_GRPC_PORT: port().default(50054),
  EDU_OPS_HOST: z.string().default('127.0.0.1'),
  EDU_OPS_PORT: port().default(9468),
  EDU_MONGO_URL: url().default('mongodb://127.0.0.1:27017'),
  EDU_MONGO_DB: z.string().min(1).default('edu_gradebook'),
  ...kafkaSettings,
  /** Consumer group of roster's and schedule's events: one per service. */
  EDU_KAFKA_GROUP: z.string().min(1).default('gradebook'),
  /** Directory of `<kid>.pem` public keys of the gateway's actor tokens (a mounted secret). */
  EDU_ACTOR_PUBLIC_KEYS_DIR: z.string().min(1),
  /** Kubernetes' grace period is 30 s; stay below it. */
  EDU_SHUTDOWN_TIMEOUT: durationMs().default(25_000),
});

export type GradebookConfig = z.output<typeof configSchema>;
