import { setTimeout as sleep } from 'node:timers/promises';
import {
  Partitioners,
  type Batch,
  type Consumer,
  type IHeaders,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { PoisonMessageError, type EventCodec } from './codec';
import type { EventEnvelope } from './envelope';
import { counter, gauge, type MetricsOptions } from './metrics';
import { dlqTopic } from './topics';

/** Where a handled event came from. */
export interface EventContext {
  topic: string;
  partition: number;
  offset: string;
}

/** Applies one event; resolves only when its effect is durable. A throw means "retry". */
export type EventHandler = (event: EventEnvelope<unknown>, context: EventContext) => Promise<void>;

/**
 * Applies a run of consecutive events of one partition at once — for a stream of many small facts
 * where one store write per fact is the bottleneck (a school's year of dated lessons). The run is
 * applied whole or retried whole; it must be idempotent like a single handler. After its attempts
 * the run's events go one by one through `handle`, which decides for each (and the DLQ for bad
 * ones).
 */
export interface EventRuns {
  /** Whether an event may join a run. */
  accepts(event: EventEnvelope<unknown>): boolean;
  handle(events: EventEnvelope<unknown>[], context: EventContext): Promise<void>;
  /** The largest run. Default 500. */
  maxSize?: number;
}

/** Remembers applied event ids, for handlers that are not naturally idempotent. */
export interface DedupeOptions {
  /** The service's store connection. */
  connection: Connection;
  /** Default `processed_events`. */
  collection?: string;
  /** How long an id is remembered; longer than any redelivery can take. Default 7 days. */
  retentionMs?: number;
}

/** Options of `createConsumer`. */
export interface ConsumerOptions {
  kafka: Kafka;
  /** One group per service, e.g. `gradebook`. */
  groupId: string;
  topics: string[];
  /** Knows the event types this service handles; other types are skipped. */
  codec: EventCodec;
  handle: EventHandler;
  /**
   * Consecutive events applied together (optional), by kind: a run is the events one of these
   * accepts, the first event choosing which.
   */
  runs?: EventRuns[];
  logger: Logger;
  /** Registers `kafka_consumer_lag`, `events_processed_total`, `events_dlq_total`. */
  metrics?: MetricsOptions;
  /** Handler attempts before the event goes to the DLQ. Default 5. */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt. Default 200 ms. */
  backoffMs?: number;
  dedupe?: DedupeOptions;
  /** Partitions handled in parallel (order is kept within each). Default 1. */
  partitionsConsumedConcurrently?: number;
  /**
   * Bytes fetched per partition at once (kafkajs' default 1 MiB). A consumer applying long runs
   * of large events sees at most this much of a partition per batch, so it bounds its runs.
   */
  maxBytesPerPartition?: number;
}

/** A running consumer group member; `start`/`stop` like every component. */
export interface EventConsumer {
  readonly name: string;
  start(): Promise<void>;
  /** Finishes the event in hand, commits what is done and leaves the group. */
  stop(): Promise<void>;
}

interface ProcessedRecord {
  _id: string;
  processedAt: Date;
}

const MAX_BACKOFF_MS = 30_000;
/** Event ids per dedupe query. */
const DEDUPE_LOOKUP_CHUNK = 500;
const PURGE_INTERVAL_MS = 60 * 60_000;
/** Bounded so one huge error message cannot exceed the DLQ's record size. */
const MAX_ERROR_HEADER = 2_000;

function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, MAX_ERROR_HEADER);
}

/** The stop signal inside a batch: leave the message unresolved so that it is delivered again. */
class Interrupted extends Error {}

/**
 * Creates a consumer: each event is handled in partition order, retried with exponential backoff
 * up to `maxAttempts`, then sent to `<topic>.dlq` and passed; undecodable messages go to the DLQ
 * at once. Offsets are committed only after the handler resolved (and the id was recorded).
 */
export function createConsumer({
  kafka,
  groupId,
  topics,
  codec,
  handle,
  runs,
  logger,
  metrics,
  maxAttempts = 5,
  backoffMs = 200,
  dedupe,
  partitionsConsumedConcurrently = 1,
  maxBytesPerPartition,
}: ConsumerOptions): EventConsumer {
  const log = logger.child({ module: 'events.consumer', groupId });
  let consumer: Consumer | undefined;
  let producer: Producer | undefined;
  let purgeTimer: NodeJS.Timeout | undefined;
  const processed = dedupe?.connection.collection<ProcessedRecord>(dedupe.collection ?? 'processed_events');
  // One group may share the collection with another of the same service: key by both.
  const dedupeKey = (eventId: string) => `${groupId}/${eventId}`;

  const lag = metrics
    ? gauge(
        metrics.registry,
        'kafka_consumer_lag',
        'Messages behind the partition end, per group/topic/partition',
        ['group', 'topic', 'partition'],
      )
    : undefined;
  const processedTotal = metrics
    ? counter(
        metrics.registry,
        'events_processed_total',
        'Consumed events by outcome: applied, duplicate (already applied), ignored (type not handled)',
        ['group', 'topic', 'outcome'],
      )
    : undefined;
  const dlqTotal = metrics
    ? counter(
        metrics.registry,
        'events_dlq_total',
        'Events sent to a dead-letter topic, by reason (poison, failed)',
        ['group', 'topic', 'reason'],
      )
    : undefined;

  async function toDlq(
    topic: string,
    partition: number,
    message: KafkaMessage,
    reason: 'poison' | 'failed',
    error: unknown,
    attempts: number,
  ): Promise<void> {
    // Awaited with acks=all before the offset is resolved: a DLQ that fails stops the batch
    // (kafkajs retries it); it never drops the message.
    await producer!.send({
      topic: dlqTopic(topic),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            error: errorText(error),
            'original-topic': topic,
            'original-partition': String(partition),
            'original-offset': message.offset,
            attempts: String(attempts),
          },
        },
      ],
    });
    dlqTotal?.inc({ group: groupId, topic, reason });
    log.error(
      {
        err: error,
        topic,
        partition,
        offset: message.offset,
        reason,
        attempts,
        type: headerText(message.headers, 'type'),
      },
      'event sent to the dead-letter topic',
    );
  }

  /** Waits, heartbeating, and gives up as soon as the consumer stops or the batch goes stale. */
  async function backoff(ms: number, heartbeat: () => Promise<void>, alive: () => boolean): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!alive()) throw new Interrupted();
      await sleep(Math.min(1_000, until - Date.now()));
      await heartbeat();
    }
    if (!alive()) throw new Interrupted();
  }

  /** Records the id after the effect; retried because a lost record means a double effect later. */
  async function remember(
    eventId: string,
    heartbeat: () => Promise<void>,
    alive: () => boolean,
  ): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await processed!.insertOne({ _id: dedupeKey(eventId), processedAt: new Date() });
        return;
      } catch (error) {
        if ((error as { code?: number }).code === 11000) return; // recorded by an earlier delivery
        if (attempt >= maxAttempts) throw error;
        log.warn({ err: error, eventId, attempt }, 'recording a processed event failed; retrying');
        await backoff(Math.min(backoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS), heartbeat, alive);
      }
    }
  }

  /** The ids of `eventIds` already recorded as processed: one query per batch, not per event. */
  async function alreadyProcessed(eventIds: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    if (!processed) return found;
    // FerretDB 1.24 scans the whole collection for any lookup, by _id too: per batch, not per event.
    for (let i = 0; i < eventIds.length; i += DEDUPE_LOOKUP_CHUNK) {
      const keys = eventIds.slice(i, i + DEDUPE_LOOKUP_CHUNK).map(dedupeKey);
      const records = await processed.find({ _id: { $in: keys } }, { projection: { _id: 1 } }).toArray();
      for (const record of records) found.add(record._id.slice(groupId.length + 1));
    }
    return found;
  }

  async function eachBatch({
    batch,
    resolveOffset,
    heartbeat,
    commitOffsetsIfNecessary,
    isRunning,
    isStale,
  }: {
    batch: Batch;
    resolveOffset: (offset: string) => void;
    heartbeat: () => Promise<void>;
    commitOffsetsIfNecessary: () => Promise<void>;
    isRunning: () => boolean;
    isStale: () => boolean;
  }): Promise<void> {
    const { topic, partition } = batch;
    const alive = () => isRunning() && !isStale();
    const decoded = batch.messages.map((message) => {
      const type = headerText(message.headers, 'type');
      // Foreign types are skipped by their header, without decoding (routing headers' purpose).
      if (type !== undefined && !codec.knows(type)) return { message, outcome: 'ignored' as const };
      try {
        return { message, event: codec.decode(message.value ?? Buffer.alloc(0)).envelope };
      } catch (error) {
        if (error instanceof PoisonMessageError && error.reason === 'unknown_type') {
          return { message, outcome: 'ignored' as const };
        }
        return { message, poison: error };
      }
    });
    // Ids applied before (one round of lookups per batch) and in this batch.
    const seen = await alreadyProcessed(decoded.flatMap((d) => (d.event ? [d.event.id] : [])));

    /** Entries before this index are handled one by one: their run failed. */
    let singlyUntil = 0;

    /** Applies the run starting at `start`; the index after it, or `start` when it was not applied. */
    async function applyRun(start: number): Promise<number> {
      const first = decoded[start]!.event;
      const kind = first && runs!.find((r) => r.accepts(first));
      if (!kind) return start;
      let end = start;
      const events: EventEnvelope<unknown>[] = [];
      // A run: events of its kind not applied yet, with skipped foreign types in between.
      while (end < decoded.length && events.length < (kind.maxSize ?? 500)) {
        const { event, outcome } = decoded[end]!;
        if (outcome === 'ignored') {
          end += 1;
          continue;
        }
        // A repeat inside the batch ends the run: after it, it is a duplicate like any other.
        if (!event || seen.has(event.id) || events.some((e) => e.id === event.id) || !kind.accepts(event))
          break;
        events.push(event);
        end += 1;
      }
      if (events.length < 2) return start;
      const last = decoded[end - 1]!.message;
      const context: EventContext = { topic, partition, offset: last.offset };
      for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
        try {
          await kind.handle(events, context);
        } catch (error) {
          log.warn(
            { err: error, events: events.length, attempt, ...context },
            'a run of events failed; retrying',
          );
          if (attempt === maxAttempts) {
            singlyUntil = end; // one by one, each to its own fate
            return start;
          }
          await backoff(Math.min(backoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS), heartbeat, alive);
          continue;
        }
        for (const event of events) {
          if (processed) await remember(event.id, heartbeat, alive);
          seen.add(event.id);
        }
        processedTotal?.inc({ group: groupId, topic, outcome: 'applied' }, events.length);
        resolveOffset(last.offset);
        lag?.set({ group: groupId, topic, partition: String(partition) }, lagAfter(batch, last.offset));
        await commitOffsetsIfNecessary();
        await heartbeat();
        return end;
      }
      return start;
    }

    for (let index = 0; index < decoded.length; index += 1) {
      if (!alive()) break;
      if (runs && index >= singlyUntil) {
        try {
          const next = await applyRun(index);
          if (next > index) {
            index = next - 1;
            continue;
          }
        } catch (error) {
          if (error instanceof Interrupted) break;
          throw error;
        }
      }
      const { message, event, poison, outcome } = decoded[index]!;
      const context: EventContext = { topic, partition, offset: message.offset };
      try {
        if (outcome === 'ignored') {
          processedTotal?.inc({ group: groupId, topic, outcome: 'ignored' });
        } else if (!event) {
          await toDlq(topic, partition, message, 'poison', poison, 0);
        } else if (seen.has(event.id)) {
          processedTotal?.inc({ group: groupId, topic, outcome: 'duplicate' });
          log.debug({ eventId: event.id, type: event.type, ...context }, 'duplicate event skipped');
        } else {
          for (let attempt = 1; ; attempt += 1) {
            try {
              await handle(event, context);
            } catch (error) {
              if (attempt < maxAttempts) {
                log.warn(
                  { err: error, eventId: event.id, type: event.type, attempt, ...context },
                  'event handler failed; retrying',
                );
                await backoff(Math.min(backoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS), heartbeat, alive);
                continue;
              }
              // Not remembered as processed: replaying it from the DLQ after a fix must apply it.
              await toDlq(topic, partition, message, 'failed', error, attempt);
              break;
            }
            if (processed) await remember(event.id, heartbeat, alive);
            seen.add(event.id);
            processedTotal?.inc({ group: groupId, topic, outcome: 'applied' });
            break;
          }
        }
      } catch (error) {
        if (error instanceof Interrupted) break; // not resolved: delivered again after restart
        throw error;
      }
      resolveOffset(message.offset);
      lag?.set({ group: groupId, topic, partition: String(partition) }, lagAfter(batch, message.offset));
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  function purge(): void {
    const cutoff = new Date(Date.now() - (dedupe?.retentionMs ?? 7 * 24 * 60 * 60_000));
    processed
      ?.deleteMany({ processedAt: { $lt: cutoff } })
      .catch((error: unknown) => log.warn({ err: error }, 'purging processed event ids failed'));
  }

  return {
    name: `consumer:${groupId}`,

    async start() {
      if (consumer) return;
      if (processed) {
        await processed.createIndex({ processedAt: 1 });
        purgeTimer = setInterval(purge, PURGE_INTERVAL_MS);
        purgeTimer.unref();
      }
      producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      // stop() waits for the fetch long-poll in flight: 1 s instead of kafkajs's 5 s default.
      consumer = kafka.consumer({
        groupId,
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: 1_000,
        ...(maxBytesPerPartition
          ? { maxBytesPerPartition, maxBytes: Math.max(maxBytesPerPartition, 10_485_760) }
          : {}),
      });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
        log.info(
          { memberId: payload.memberId, assignment: payload.memberAssignment },
          'joined the consumer group',
        ),
      );
      consumer.on(consumer.events.CRASH, ({ payload }) =>
        log.error({ err: payload.error, restart: payload.restart }, 'consumer crashed'),
      );
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        eachBatchAutoResolve: false,
        // Resolved offsets are committed at least every second and at the end of each batch;
        // an offset is resolved only after its event's effect (and dedupe record) is durable.
        autoCommitInterval: 1_000,
        partitionsConsumedConcurrently,
        eachBatch,
      });
      log.info({ topics }, 'consumer started');
    },

    async stop() {
      clearInterval(purgeTimer);
      purgeTimer = undefined;
      // kafkajs waits for the batch in hand (our loop leaves at the next message), commits the
      // resolved offsets and leaves the group, so a rebalance hands over exactly what is done.
      await consumer?.disconnect();
      await producer?.disconnect();
      consumer = undefined;
      producer = undefined;
      log.info('consumer stopped');
    },
  };
}

function lagAfter(batch: Batch, offset: string): number {
  return Math.max(0, Number(batch.highWatermark) - Number(offset) - 1);
}
