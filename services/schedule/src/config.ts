import { z } from 'zod';
import { durationMs, kafkaSettings, logLevel, port, url } from '@edu/kit';

/**
 * `EDU_SCHEDULE_MAX_WEEKLY_HOURS`: JSON of grade → the largest weekly load of a class of that
 * grade, for the grades that differ from the defaults (domain/curriculum.ts), e.g. `{"5":30}`.
 */
const maxWeeklyHours = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not JSON, e.g. {"5":30,"10":35}' });
      return z.NEVER;
    }
  })
  .pipe(
    // Partial: only the grades that differ (an enum-keyed z.record would require all eleven).
    z.partialRecord(
      z.enum(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']),
      z
        .number()
        .min(1)
        .max(60)
        .refine((hours) => Number.isInteger(hours * 2), 'hours in steps of 0.5'),
    ),
  )
  .transform((table): Record<number, number> =>
    Object.fromEntries(Object.entries(table).map(([grade, hours]) => [Number(grade), hours as number])),
  );

/** Everything schedule reads from the environment; the only place that touches process.env. */
export const configSchema = z.object({
  EDU_LOG_LEVEL: logLevel().default('info'),
  /** Loopback on a workstation; `0.0.0.0` in a pod. */
  EDU_GRPC_HOST: z.string().default('127.0.0.1'),
  EDU_GRPC_PORT: port().default(50053),
  EDU_OPS_HOST: z.string().default('127.0.0.1'),
  EDU_OPS_PORT: port().default(9467),
  EDU_MONGO_URL: url().default('mongodb://127.0.0.1:27017'),
  EDU_MONGO_DB: z.string().min(1).default('edu_schedule'),
  ...kafkaSettings,
  /** Consumer group of roster's events: one per service, so every instance shares the work. */
  EDU_KAFKA_GROUP: z.string().min(1).default('schedule'),
  /** Directory of `<kid>.pem` public keys of the gateway's actor tokens (a mounted secret). */
  EDU_ACTOR_PUBLIC_KEYS_DIR: z.string().min(1),
  /** Kubernetes' grace period is 30 s; stay below it. */
  EDU_SHUTDOWN_TIMEOUT: durationMs().default(25_000),
  /** Grades whose maximum weekly load differs from the defaults (SanPiN-like), as JSON. */
  EDU_SCHEDULE_MAX_WEEKLY_HOURS: maxWeeklyHours.default({}),
  /** How often publications whose dated lessons are not generated yet (a cut-short call) are looked for. */
  EDU_SCHEDULE_LESSON_CATCH_UP_INTERVAL: durationMs().default(30_000),
});

export type ScheduleConfig = z.output<typeof configSchema>;
