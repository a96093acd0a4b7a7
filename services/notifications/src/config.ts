import { z } from 'zod';
import { durationMs, kafkaSettings, logLevel, port, url } from '@edu/kit';

/** Everything notifications reads from the environment; the only place that touches process.env. */
export const configSchema = z.object({
  EDU_LOG_LEVEL: logLevel().default('info'),
  /** Loopback on a workstation; `0.0.0.0` in a pod. */
  EDU_GRPC_HOST: z.string().default('127.0.0.1'),
  EDU_GRPC_PORT: port().default(50056),
  EDU_OPS_HOST: z.string().default('127.0.0.1'),
  EDU_OPS_PORT: port().default(9470),
  EDU_MONGO_URL: url().default('mongodb://127.0.0.1:27017'),
  EDU_MONGO_DB: z.string().min(1).default('edu_notifications'),
  ...kafkaSettings,
  /** The consumer group of roster's, schedule's and gradebook's events. */
  EDU_KAFKA_GROUP: z.string().min(1).default('notifications'),
  /** Directory of `<kid>.pem` public keys of the gateway's actor tokens (a mounted secret). */
  EDU_ACTOR_PUBLIC_KEYS_DIR: z.string().min(1),
  /**
   * The SMTP server of e-mail notifications, e.g. `smtp://user:pass@mail.example.ru:587`
   * (a Secret in production); '' turns e-mail off (deliveries fail as "no provider").
   */
  EDU_SMTP_URL: z.string().default(''),
  /** The sender of e-mail notifications. */
  EDU_MAIL_FROM: z.string().min(3).default('Электронный дневник <no-reply@edu.localhost>'),
  /**
   * SMS and push providers: "recording" keeps what would be sent in memory (development, demo,
   * tests); "off" has none (their deliveries fail as "no provider"). Production plugs its gateway
   * and push service in behind the ChannelProvider port.
   */
  EDU_SMS_PROVIDER: z.enum(['recording', 'off']).default('recording'),
  EDU_PUSH_PROVIDER: z.enum(['recording', 'off']).default('recording'),
  /** Documents kept in the in-process read cache (copies, inboxes, queues, threads …). */
  EDU_NOTIFICATIONS_CACHE_SIZE: z.coerce.number().int().min(0).default(50_000),
  /** How often due deliveries are sent. */
  EDU_DISPATCH_INTERVAL: durationMs().default(1_000),
  /** How often ended progress-report rounds are looked for (R7.2). */
  EDU_PROGRESS_CHECK_INTERVAL: durationMs().default(60_000),
  /** Kubernetes' grace period is 30 s; stay below it. */
  EDU_SHUTDOWN_TIMEOUT: durationMs().default(25_000),
});

export type NotificationsConfig = z.output<typeof configSchema>;
