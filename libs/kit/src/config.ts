import { z } from 'zod';

/** Exit code for a bad configuration (EX_CONFIG from sysexits.h), so orchestrators can tell it from a crash. */
export const CONFIG_EXIT_CODE = 78;

/** One bad environment variable and what was expected of it. */
export interface ConfigIssue {
  variable: string;
  message: string;
}

/** Thrown by `loadConfig`: the message has one line per bad variable, naming it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map((issue) => `${issue.variable}: ${issue.message}`).join('\n'));
  }
}

type Env = Record<string, string | undefined>;

// Values of these variables are never echoed back: a config error is printed to the console and
// ends up in the pod's log.
const SECRET_NAME = /SECRET|PASSWORD|TOKEN|PRIVATE|KEY|CREDENTIAL/i;
const MAX_ECHO = 60;

/** Parses `env` with `schema` and returns the typed config; throws `ConfigError` naming every bad variable. */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;

  const byVariable = new Map<string, string>();
  for (const issue of result.error.issues) {
    const variable = String(issue.path[0] ?? '(config)');
    // The first problem of a variable is the useful one; later ones are usually its consequences.
    if (!byVariable.has(variable)) byVariable.set(variable, describe(variable, issue.message, env[variable]));
  }
  throw new ConfigError([...byVariable].map(([variable, message]) => ({ variable, message })));
}

function describe(variable: string, message: string, raw: string | undefined): string {
  if (raw === undefined) return 'required, not set';
  if (SECRET_NAME.test(variable)) return `${message} (value hidden)`;
  const shown = raw.length > MAX_ECHO ? `${raw.slice(0, MAX_ECHO)}…` : raw;
  return `${message}, got ${JSON.stringify(shown)}`;
}

/** Like `loadConfig`, but prints the problems to stderr and exits with code 78; for `main.ts`. */
export function loadConfigOrExit<S extends z.ZodObject>(schema: S, env: Env = process.env): z.output<S> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The logger is configured from this very config, so plain stderr is all there is yet.
    process.stderr.write(`invalid configuration (fix the environment and restart):\n${error.message}\n`);
    return process.exit(CONFIG_EXIT_CODE);
  }
}

// Every helper reads a string variable and reports "expected …" in the same words, so the
// one-line messages look alike whatever the type.
function envValue<T>(expected: string, parse: (raw: string) => T | undefined) {
  return z.string().transform((raw, ctx): T => {
    const value = parse(raw.trim());
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected ${expected}` });
      return z.NEVER;
    }
    return value;
  });
}

/** A TCP port 1..65535 as a number. */
export function port() {
  return envValue('an integer 1..65535', (raw) => {
    if (!/^\d{1,5}$/.test(raw)) return undefined;
    const value = Number(raw);
    return value >= 1 && value <= 65535 ? value : undefined;
  });
}

/** An absolute URL (any scheme, e.g. http, https, mongodb), kept as a string. */
export function url() {
  return envValue('an absolute URL', (raw) => (URL.canParse(raw) ? raw : undefined));
}

/** A comma-separated list of at least one item, trimmed, e.g. `host1:9092, host2:9092`. */
export function csv() {
  return envValue('a comma-separated list of at least one item', (raw) => {
    const items = raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
    return items.length > 0 ? items : undefined;
  });
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration as milliseconds: `500`, `500ms`, `30s`, `5m`, `1h`. */
export function durationMs() {
  return envValue('a duration like 500ms, 30s, 5m or 1h', (raw) => {
    const match = /^(\d+)(ms|s|m|h)?$/.exec(raw);
    if (!match) return undefined;
    return Number(match[1]) * (DURATION_UNITS_MS[match[2] ?? 'ms'] ?? 1);
  });
}

/** The pino log levels a service accepts. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One of `LOG_LEVELS`. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A pino log level name. */
export function logLevel() {
  return envValue(`one of ${LOG_LEVELS.join(', ')}`, (raw) =>
    (LOG_LEVELS as readonly string[]).includes(raw) ? (raw as LogLevel) : undefined,
  );
}

/** A boolean written exactly `true` or `false`; anything else is an error rather than a guess. */
export function bool() {
  return envValue('"true" or "false"', (raw) =>
    raw === 'true' ? true : raw === 'false' ? false : undefined,
  );
}

/**
 * A prefix put before every topic name: empty, or letters, digits, `.`, `_`, `-` ending in `.`,
 * e.g. `staging.` (so `staging.edu.roster.v1`).
 */
export function topicPrefix() {
  return z.string().transform((raw, ctx): string => {
    const value = raw.trim();
    if (value === '' || /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,98}\.$/.test(value)) return value;
    ctx.addIssue({
      code: 'custom',
      message: 'expected empty, or letters, digits, ".", "_", "-" ending in "."',
    });
    return z.NEVER;
  });
}

/**
 * The Kafka settings of every service that publishes or consumes events, read the same way
 * everywhere; spread into the service's schema. The topic prefix keeps environments that share
 * one cluster apart (and every test run apart from the others).
 */
export const kafkaSettings = {
  EDU_KAFKA_BROKERS: csv().default(['127.0.0.1:9092']),
  EDU_KAFKA_TOPIC_PREFIX: topicPrefix().default(''),
  /** Partitions of a topic when this service is the first to need it; schools spread over them. */
  EDU_KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
  /** -1: the broker's default. */
  EDU_KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(-1).max(7).default(-1),
};
