import mongoose, { type Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { endpoints, uniqueName, waitFor } from '@edu/testing';
import {
  createConsumer,
  createEventCodec,
  dlqTopic,
  newEvent,
  type EventConsumer,
  type EventEnvelope,
  type Kafka,
} from '../src';
import {
  TEST_PROTO,
  TEST_TYPES,
  capturingLogger,
  dbName,
  freshTopic,
  produce,
  readTopic,
  testCodec,
  testKafka,
  thingChanged,
} from './helpers';

describe('consumer runner (real Kafka and FerretDB)', () => {
  let connection: Connection;
  let kafka: Kafka;
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(endpoints().mongoUrl, { dbName: dbName('events_consumer') })
      .asPromise();
    kafka = testKafka();
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  /** A consumer whose handler records each applied event id (its "effect"). */
  function consumer(
    topic: string,
    options: Partial<Parameters<typeof createConsumer>[0]> = {},
  ): {
    consumer: EventConsumer;
    applied: string[];
    registry: Registry;
    logs: () => Record<string, unknown>[];
  } {
    const applied: string[] = [];
    const registry = new Registry();
    const { logger, lines } = capturingLogger();
    const created = createConsumer({
      kafka,
      groupId: uniqueName('group'),
      topics: [topic],
      codec: testCodec(),
      handle: async (event) => {
        applied.push(event.id);
      },
      logger,
      metrics: { registry },
      maxAttempts: 3,
      backoffMs: 10,
      ...options,
    });
    consumers.push(created);
    return { consumer: created, applied, registry, logs: lines };
  }

  async function metric(
    registry: Registry,
    name: string,
    labels: Record<string, string>,
  ): Promise<number | undefined> {
    const found = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
    return found?.values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))
      ?.value;
  }

  it('when the same event is delivered twice, then the second changes nothing', async () => {
    const topic = await freshTopic(kafka);
    const event = thingChanged('c-1', 1);
    const next = thingChanged('c-1', 2);
    const {
      consumer: underTest,
      applied,
      registry,
    } = consumer(topic, {
      dedupe: { connection, collection: uniqueName('processed') },
    });
    await produce(kafka, topic, [event, event, next]);

    await underTest.start();
    await waitFor(() => applied.includes(next.id), { what: 'the next event' });

    expect(applied).toEqual([event.id, next.id]);
    expect(await metric(registry, 'events_processed_total', { outcome: 'duplicate' })).toBe(1);
    expect(await metric(registry, 'events_processed_total', { outcome: 'applied' })).toBe(2);
  });

  it('when an applied event comes again after a restart, then the processed ids in the store keep it from applying twice', async () => {
    const topic = await freshTopic(kafka);
    const dedupe = { connection, collection: uniqueName('processed') };
    const groupId = uniqueName('group');
    const event = thingChanged('c-2', 1);
    const first = consumer(topic, { groupId, dedupe });
    await produce(kafka, topic, [event]);
    await first.consumer.start();
    await waitFor(() => first.applied.length === 1, { what: 'the first delivery' });
    await first.consumer.stop();

    // The producer's crash-and-republish case: the same event again, to a consumer of the group.
    await produce(kafka, topic, [event, thingChanged('c-2', 2)]);
    const second = consumer(topic, { groupId, dedupe });
    await second.consumer.start();
    await waitFor(() => second.applied.length === 1, { what: 'the next event' });

    expect(second.applied).not.toContain(event.id);
    expect(await connection.collection(dedupe.collection).countDocuments()).toBe(2);
  });

  it('when a message is not an event, then it lands in <topic>.dlq with the error and its origin, and the next event is processed', async () => {
    const topic = await freshTopic(kafka, 1);
    const good = thingChanged('c-3', 1);
    const { consumer: underTest, applied, registry, logs } = consumer(topic);
    await produce(kafka, topic, [{ key: 'school-1', value: Buffer.from('garbage, not protobuf') }, good]);

    await underTest.start();
    await waitFor(() => applied.includes(good.id), { what: 'the good event after the poison' });
    const [dead] = await readTopic(kafka, dlqTopic(topic), 1);

    expect(dead?.value?.toString()).toBe('garbage, not protobuf');
    expect(dead?.key?.toString()).toBe('school-1');
    expect(dead?.headers?.error?.toString()).toMatch(/PoisonMessageError/);
    expect(dead?.headers?.['original-topic']?.toString()).toBe(topic);
    expect(dead?.headers?.['original-partition']?.toString()).toBe('0');
    expect(dead?.headers?.['original-offset']?.toString()).toBe('0');
    expect(applied).toEqual([good.id]);
    expect(await metric(registry, 'events_dlq_total', { reason: 'poison' })).toBe(1);
    expect(logs().some((l) => l.msg === 'event sent to the dead-letter topic' && l.level === 50)).toBe(true);
  });

  it('when consecutive events form a run, then they are applied together once, duplicates left out', async () => {
    const topic = await freshTopic(kafka, 1);
    const events = [1, 2, 3, 4, 5].map((v) => thingChanged('c-run', v));
    const runs: string[][] = [];
    const single: string[] = [];
    const { consumer: underTest, registry } = consumer(topic, {
      dedupe: { connection, collection: uniqueName('processed') },
      handle: async (event) => {
        single.push(event.id);
      },
      runs: [
        {
          accepts: () => true,
          handle: async (batch) => {
            runs.push(batch.map((e) => e.id));
          },
        },
      ],
    });
    await produce(kafka, topic, [...events, events[0]!]);

    await underTest.start();
    await waitFor(
      async () => (await metric(registry, 'events_processed_total', { outcome: 'applied' })) === 5,
      {
        what: 'the run',
      },
    );

    expect(runs.flat()).toEqual(events.map((e) => e.id));
    expect(single).toEqual([]);
  });

  it('when a run keeps failing, then its events go one by one and only the bad one reaches the DLQ', async () => {
    const topic = await freshTopic(kafka, 1);
    const good = thingChanged('c-run-2', 1);
    const bad = thingChanged('c-run-2', 2);
    const after = thingChanged('c-run-2', 3);
    let runAttempts = 0;
    const single: string[] = [];
    const { consumer: underTest } = consumer(topic, {
      handle: async (event) => {
        if (event.id === bad.id) throw new Error('bad fact');
        single.push(event.id);
      },
      runs: [
        {
          accepts: () => true,
          handle: async () => {
            runAttempts += 1;
            throw new Error('the run has a bad fact');
          },
        },
      ],
    });
    await produce(kafka, topic, [good, bad, after]);

    await underTest.start();
    await waitFor(() => single.includes(after.id), { what: 'the event after the bad one' });
    const [dead] = await readTopic(kafka, dlqTopic(topic), 1);

    expect(runAttempts).toBe(3);
    expect(single).toEqual([good.id, after.id]);
    expect(dead?.headers?.id?.toString()).toBe(bad.id);
  });

  it('when the handler always fails, then after maxAttempts the event is in the DLQ and the next one is processed', async () => {
    const topic = await freshTopic(kafka, 1);
    const failing = thingChanged('c-4', 1);
    const next = thingChanged('c-4', 2);
    const attempts: string[] = [];
    const applied: string[] = [];
    const { consumer: underTest, registry } = consumer(topic, {
      handle: async (event) => {
        attempts.push(event.id);
        if (event.id === failing.id) throw new Error('the read model refuses it');
        applied.push(event.id);
      },
    });
    await produce(kafka, topic, [failing, next]);

    await underTest.start();
    await waitFor(() => applied.includes(next.id), { what: 'the event after the failing one' });
    const [dead] = await readTopic(kafka, dlqTopic(topic), 1);

    expect(attempts.filter((id) => id === failing.id)).toHaveLength(3);
    expect(dead?.headers?.id?.toString()).toBe(failing.id);
    expect(dead?.headers?.error?.toString()).toBe('Error: the read model refuses it');
    expect(dead?.headers?.attempts?.toString()).toBe('3');
    expect(dead?.headers?.['original-offset']?.toString()).toBe('0');
    expect(testCodec().decode(dead!.value!).envelope.id).toBe(failing.id);
    expect(await metric(registry, 'events_dlq_total', { reason: 'failed' })).toBe(1);
  });

  it('when the handler fails and then succeeds, then the event is applied once and nothing goes to the DLQ', async () => {
    const topic = await freshTopic(kafka, 1);
    const event = thingChanged('c-5', 1);
    let calls = 0;
    const applied: string[] = [];
    const { consumer: underTest, registry } = consumer(topic, {
      handle: async (e) => {
        calls += 1;
        if (calls < 3) throw new Error('store briefly unavailable');
        applied.push(e.id);
      },
    });
    await produce(kafka, topic, [event]);

    await underTest.start();
    await waitFor(() => applied.length === 1, { what: 'the third attempt' });

    expect(calls).toBe(3);
    expect(await metric(registry, 'events_dlq_total', { reason: 'failed' })).toBeUndefined();
  });

  it('when an event type is not handled by this service, then it is skipped (no DLQ) and the next one is processed', async () => {
    const topic = await freshTopic(kafka, 1);
    const foreign = newEvent({
      type: 'edu.testing.thing.created',
      schoolId: 'school-1',
      aggregateId: 'c-6',
      aggregateVersion: 1,
      actor: { accountId: '', personId: '' },
      traceId: '',
      payload: { name: 'x' },
    });
    const handled = thingChanged('c-6', 2);
    const onlyChanged = createEventCodec({
      protoFiles: [TEST_PROTO],
      types: { 'edu.testing.thing.changed': TEST_TYPES['edu.testing.thing.changed'] },
    });
    const { consumer: underTest, applied, registry } = consumer(topic, { codec: onlyChanged });
    await produce(kafka, topic, [foreign, handled]);

    await underTest.start();
    await waitFor(() => applied.includes(handled.id), { what: 'the handled event' });

    expect(applied).toEqual([handled.id]);
    expect(await metric(registry, 'events_processed_total', { outcome: 'ignored' })).toBe(1);
    expect(await metric(registry, 'events_dlq_total', { reason: 'poison' })).toBeUndefined();
  });

  it('when the consumer is stopped while an event keeps failing, then that event is not committed and the next member of the group gets it', async () => {
    const topic = await freshTopic(kafka, 1);
    const groupId = uniqueName('group');
    const done = thingChanged('c-7', 1);
    const stuck = thingChanged('c-7', 2);
    const attempted: string[] = [];
    const first = consumer(topic, {
      groupId,
      maxAttempts: 1_000,
      backoffMs: 100,
      handle: async (event) => {
        attempted.push(event.id);
        if (event.id === stuck.id) throw new Error('not yet');
      },
    });
    await produce(kafka, topic, [done, stuck]);
    await first.consumer.start();
    await waitFor(() => attempted.filter((id) => id === stuck.id).length >= 2, {
      what: 'retries of the stuck event',
    });

    await first.consumer.stop();
    const second = consumer(topic, { groupId });
    await second.consumer.start();
    await waitFor(() => second.applied.includes(stuck.id), { what: 'the stuck event in the next member' });

    expect(second.applied).toEqual([stuck.id]); // `done` was committed before the stop
  });

  it('when all events are processed, then the lag gauge of each partition is zero', async () => {
    const topic = await freshTopic(kafka, 2);
    const events: EventEnvelope<unknown>[] = Array.from({ length: 20 }, (_, i) =>
      thingChanged(`lag-${i}`, 1, `school-${i}`),
    );
    const { consumer: underTest, applied, registry } = consumer(topic);
    await produce(kafka, topic, events);

    await underTest.start();
    await waitFor(() => applied.length === events.length, { what: 'all events' });

    const lag = (await registry.getMetricsAsJSON()).find((m) => m.name === 'kafka_consumer_lag');
    expect(lag?.values.map((v) => [v.labels.topic, v.value])).toEqual([
      [topic, 0],
      [topic, 0],
    ]);
  });
});
