import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

export type { Kafka } from 'kafkajs';

/** Options of `createKafka`. */
export interface KafkaOptions {
  /** Bootstrap brokers, e.g. `['127.0.0.1:9092']`. */
  brokers: string[];
  /** Shown in the broker's logs and quotas: the service name. */
  clientId: string;
  /** kafkajs logs go here, at the logger's level. */
  logger: Logger;
}

/** kafkajs level for a pino level: kafkajs then does not even build the messages pino would drop. */
function kafkaLevel(level: string): logLevel {
  switch (level) {
    case 'silent':
      return logLevel.NOTHING;
    case 'fatal':
    case 'error':
      return logLevel.ERROR;
    case 'warn':
      return logLevel.WARN;
    case 'info':
      return logLevel.INFO;
    default:
      return logLevel.DEBUG;
  }
}

function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      // kafkajs adds its own timestamp and logger name; pino has both.
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
      const entry = { namespace, ...fields };
      if (level === logLevel.ERROR) logger.error(entry, message);
      else if (level === logLevel.WARN) logger.warn(entry, message);
      else if (level === logLevel.INFO) logger.info(entry, message);
      else logger.debug(entry, message);
    };
}

let negativeTimeoutFixed = false;

/**
 * kafkajs 2.2.4's request queue schedules its next check at `throttledUntil - Date.now()` with
 * `throttledUntil = -1` when never throttled: a hugely negative delay, which Node ≥ 22 turns into
 * 1 ms with a TimeoutNegativeWarning on stderr. This is the same method with the delay clamped
 * to the 1 ms Node uses anyway; it is applied to 2.2.4 only, so an upgrade drops it instead of
 * silently keeping a stale copy.
 */
function fixNegativeTimeout(): void {
  if (negativeTimeoutFixed) return;
  negativeTimeoutFixed = true;
  /* eslint-disable @typescript-eslint/no-require-imports -- kafkajs internals have no typings */
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== '2.2.4') return;
  const RequestQueue = require('kafkajs/src/network/requestQueue') as {
    prototype: Record<string, unknown>;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  interface Queue {
    throttledUntil: number;
    throttleCheckTimeoutId: NodeJS.Timeout | null;
    pending: unknown[];
    checkPendingRequests(): void;
  }
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: Queue) {
    if (this.throttleCheckTimeoutId) return;
    let scheduleAt = this.throttledUntil - Date.now();
    if (this.pending.length > 0) scheduleAt = scheduleAt > 0 ? scheduleAt : 10;
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      Math.max(scheduleAt, 1),
    );
  };
}

/** The Kafka client every other function here takes; its logs go to pino. */
export function createKafka({ brokers, clientId, logger }: KafkaOptions): Kafka {
  fixNegativeTimeout();
  const log = logger.child({ module: 'kafka' });
  return new Kafka({ brokers, clientId, logLevel: kafkaLevel(log.level), logCreator: pinoLogCreator(log) });
}
