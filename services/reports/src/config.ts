import { z } from 'zod';
import { csv, durationMs, logLevel, port, url } from '@edu/kit';

/** Everything reports reads from the environment; the only place that touches process.env. */
export const configSchema = z.object({
  EDU_LOG_LEVEL: logLevel().default('info'),
  EDU_OPS_HOST: z.string().default('127.0.0.1'),
  EDU_OPS_PORT: port().default(9471),
  EDU_MONGO_URL: url().default('mongodb://127.0.0.1:27017'),
  EDU_MONGO_DB: z.string().min(1).default('edu_reports'),
  EDU_KAFKA_BROKERS: csv().default(['127.0.0.1:9092']),
  /** Consumer group: one per service, so every instance of reports shares the work. */
  EDU_KAFKA_GROUP: z.string().min(1).default('reports'),
  /** Partitions of a consumed topic if reports starts first and has to create it. */
  EDU_KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
  EDU_KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(-1).max(7).default(-1),
  EDU_SHUTDOWN_TIMEOUT: durationMs().default(25_000),
});

export type ReportsConfig = z.output<typeof configSchema>;
