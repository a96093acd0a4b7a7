import { z } from 'zod';
import { durationMs, kafkaSettings, logLevel, port, url } from '@edu/kit';

/** Everything reports reads from the environment; the only place that touches process.env. */
export const configSchema = z.object({
  EDU_LOG_LEVEL: logLevel().default('info'),
  EDU_OPS_HOST: z.string().default('127.0.0.1'),
  EDU_OPS_PORT: port().default(9471),
  EDU_MONGO_URL: url().default('mongodb://127.0.0.1:27017'),
  EDU_MONGO_DB: z.string().min(1).default('edu_reports'),
  ...kafkaSettings,
  /** Consumer group: one per service, so every instance of reports shares the work. */
  EDU_KAFKA_GROUP: z.string().min(1).default('reports'),
  EDU_SHUTDOWN_TIMEOUT: durationMs().default(25_000),
});

export type ReportsConfig = z.output<typeof configSchema>;
