// Shared arrangements of the events tests (not a test file: jest matches *.test.ts only).
import path from 'node:path';
import { Writable } from 'node:stream';
import type { KafkaMessage } from 'kafkajs';
import { pino, type Logger } from 'pino';
import { endpoints, uniqueName, waitFor } from '@edu/testing';
import {
  createEventCodec,
  createKafka,
  ensureTopics,
  newEvent,
  type EventEnvelope,
  type Kafka,
  type OutboxLock,
} from '../src';

export const TEST_PROTO = path.join(__dirname, 'fixtures', 'test-events.proto');
export const TEST_TYPES = {
  'edu.testing.thing.created': 'edu.testing.v1.ThingCreated',
  'edu.testing.thing.changed': 'edu.testing.v1.ThingChanged',
};

/** The codec of the test events. */
export function testCodec() {
  return createEventCodec({ protoFiles: [TEST_PROTO], types: TEST_TYPES });
}

/** A pino logger whose lines the test can read; silent on the console. */
export function capturingLogger(level = process.env.EDU_TEST_LOG_LEVEL ?? 'info'): {
  logger: Logger;
  lines: () => Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n'))
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, sink), lines: () => lines };
}

export function testKafka(logger: Logger = capturingLogger().logger): Kafka {
  return createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'events-test', logger });
}

/** A fresh topic (and its DLQ) for one test. */
export async function freshTopic(kafka: Kafka, partitions = 3): Promise<string> {
  const topic = uniqueName('edu.test');
  await ensureTopics(kafka, [{ topic, partitions }]);
  return topic;
}

/** A test event; `n` becomes the aggregate version and the counter. */
export function thingChanged(
  aggregateId: string,
  n: number,
  schoolId = 'school-1',
): EventEnvelope<{ counter: string; note: string }> {
  return newEvent({
    type: 'edu.testing.thing.changed',
    schoolId,
    aggregateId,
    aggregateVersion: n,
    actor: { accountId: 'acc-1', personId: 'person-1' },
    traceId: 'trace-1',
    payload: { counter: String(n), note: `change ${n}` },
  });
}

/**
 * Reads a topic from the beginning (a throwaway group) until `count` messages arrived, or until
 * `done(messages)` says so.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  until: number | ((messages: KafkaMessage[]) => boolean),
  timeoutMs = 20_000,
): Promise<KafkaMessage[]> {
  const received: KafkaMessage[] = [];
  const done = typeof until === 'number' ? () => received.length >= until : () => until(received);
  // A short long-poll: disconnect waits for the fetches in flight.
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      received.push(message);
    },
  });
  try {
    await waitFor(done, { timeoutMs, what: `messages on ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

/** Sum of the partitions' high watermarks: how many records a topic ever got. */
export async function recordCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, p) => n + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

export function dbName(prefix: string): string {
  return uniqueName(prefix).replace(/[-.]/g, '_');
}

/**
 * A per-document lock for the tests' writers and relays: FerretDB 1.24 loses one of two
 * concurrent updates of a document. Services use @edu/store's createDocumentLock (not a
 * dependency of this package, so the tests carry this minimal equivalent).
 */
export function testDocumentLock(): OutboxLock {
  const tails = new Map<string, Promise<void>>();
  return {
    async run(model, ids, fn) {
      const keys = [...new Set(ids.map((id) => `${model.collection.collectionName}/${String(id)}`))].sort();
      const releases: (() => void)[] = [];
      try {
        for (const key of keys) {
          const previous = tails.get(key) ?? Promise.resolve();
          let release!: () => void;
          const tail = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
          tails.set(key, tail);
          await previous;
          releases.push(() => {
            release();
            if (tails.get(key) === tail) tails.delete(key);
          });
        }
        return await fn();
      } finally {
        for (const release of releases.reverse()) release();
      }
    },
  };
}

/** Produces records as the relay would (key = school, headers type and id), or raw ones. */
export async function produce(
  kafka: Kafka,
  topic: string,
  records: (EventEnvelope<unknown> | { key: string; value: Buffer; headers?: Record<string, string> })[],
): Promise<void> {
  const codec = testCodec();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: records.map((record) =>
        'value' in record
          ? record
          : {
              key: record.schoolId,
              value: codec.encode(record),
              headers: { type: record.type, id: record.id },
            },
      ),
    });
  } finally {
    await producer.disconnect();
  }
}
