import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaMessage } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { endpoints, waitFor } from '@edu/testing';
import {
  createOutboxRelay,
  outboxFields,
  withOutbox,
  type EventCodec,
  type Kafka,
  type OutboxRelay,
} from '../src';
import {
  capturingLogger,
  dbName,
  freshTopic,
  readTopic,
  testCodec,
  testDocumentLock,
  testKafka,
  thingChanged,
} from './helpers';
import { thingModel } from './fixtures/thing.model';

describe('embedded outbox and relay (real FerretDB and Kafka)', () => {
  let connection: Connection;
  let kafka: Kafka;
  let codec: EventCodec;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(endpoints().mongoUrl, { dbName: dbName('events_outbox') })
      .asPromise();
    await thingModel(connection).syncIndexes();
    kafka = testKafka();
    codec = testCodec();
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  function relay(options: Partial<Parameters<typeof createOutboxRelay>[0]> = {}): OutboxRelay {
    const created = createOutboxRelay({
      kafka,
      models: [thingModel(connection)],
      logger: capturingLogger().logger,
      ...options,
    });
    relays.push(created);
    return created;
  }

  async function stored(id: string) {
    return thingModel(connection).findById(id).select('+outbox').lean();
  }

  it('when a change is written with its events, then both are in the one document and it is pending; plain reads leave the outbox out', async () => {
    const Things = thingModel(connection);
    const topic = 'edu.test.not-published';
    await Things.create({
      _id: 'w-1',
      schoolId: 's-1',
      version: 1,
      ...outboxFields([thingChanged('w-1', 1)], { topic, codec }),
    });
    const events = [thingChanged('w-1', 2), thingChanged('w-1', 3)];

    await Things.updateOne({ _id: 'w-1' }, withOutbox({ $inc: { version: 2 } }, events, { topic, codec }));

    const doc = await stored('w-1');
    expect(doc).toMatchObject({ version: 3, outboxPending: true });
    expect(doc?.outbox?.map((e) => [e.type, e.key, e.topic])).toEqual([
      ['edu.testing.thing.changed', 'school-1', topic],
      ['edu.testing.thing.changed', 'school-1', topic],
      ['edu.testing.thing.changed', 'school-1', topic],
    ]);
    expect(doc?.outbox?.slice(1).map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(doc?.outboxSince).toBeInstanceOf(Date);
    expect(await Things.findById('w-1').lean()).not.toHaveProperty('outbox');
    await Things.deleteOne({ _id: 'w-1' });
  });

  it('when an update has plain fields and its own $set and $push, then withOutbox keeps all of them', () => {
    const update = withOutbox(
      { version: 5, $set: { schoolId: 's' }, $push: { tags: 'x' } },
      [thingChanged('a', 5)],
      {
        topic: 't',
        codec,
      },
    );

    expect(update).toMatchObject({
      $set: { version: 5, schoolId: 's', outboxPending: true },
      $push: {
        tags: 'x',
        outbox: { $each: [expect.objectContaining({ type: 'edu.testing.thing.changed' })] },
      },
      $min: { outboxSince: expect.any(Date) },
    });
    expect(withOutbox({ version: 1 }, [], { topic: 't', codec })).toEqual({ version: 1 });
  });

  it('when the relay runs, then each aggregate’s events reach Kafka in order, keyed by school, with type and id headers, and the documents are clean', async () => {
    const Things = thingModel(connection);
    const topic = await freshTopic(kafka);
    const written: string[] = [];
    for (const aggregate of ['r-1', 'r-2', 'r-3']) {
      for (let version = 1; version <= 4; version += 1) {
        const event = thingChanged(aggregate, version, `school-${aggregate}`);
        written.push(event.id);
        await Things.updateOne(
          { _id: aggregate },
          withOutbox({ $set: { schoolId: event.schoolId }, $inc: { version: 1 } }, [event], { topic, codec }),
          { upsert: true },
        );
      }
    }
    const relayUnderTest = relay();

    await relayUnderTest.start();
    relayUnderTest.notify();
    const messages = await readTopic(kafka, topic, written.length);

    expect(messages.map((m) => m.headers?.id?.toString()).sort()).toEqual([...written].sort());
    for (const message of messages) {
      const { envelope } = codec.decode(message.value!);
      expect(message.key?.toString()).toBe(envelope.schoolId);
      expect(message.headers?.type?.toString()).toBe(envelope.type);
      expect(message.headers?.id?.toString()).toBe(envelope.id);
    }
    for (const aggregate of ['r-1', 'r-2', 'r-3']) {
      const versions = messages
        .map((m) => codec.decode(m.value!).envelope)
        .filter((e) => e.aggregateId === aggregate)
        .map((e) => e.aggregateVersion);
      expect(versions).toEqual([1, 2, 3, 4]);
      await waitFor(async () => (await stored(aggregate))?.outboxPending === false, {
        what: 'a clean document',
      });
      expect(await stored(aggregate)).toMatchObject({ outbox: [], version: 4 });
      expect((await stored(aggregate))?.outboxSince).toBeUndefined();
    }
  });

  it('when an event is pushed while its document is being published, then it is not stranded but published next', async () => {
    const Things = thingModel(connection);
    const topic = await freshTopic(kafka);
    const first = thingChanged('p-1', 1);
    const second = thingChanged('p-1', 2);
    await Things.create({
      _id: 'p-1',
      schoolId: 'school-1',
      version: 1,
      ...outboxFields([first], { topic, codec }),
    });
    let pushed = false;
    const relayUnderTest = relay({
      // Between the broker's acknowledgement and the removal: the worst moment for a new event.
      onPublished: async () => {
        if (pushed) return;
        pushed = true;
        await Things.updateOne(
          { _id: 'p-1' },
          withOutbox({ $inc: { version: 1 } }, [second], { topic, codec }),
        );
      },
    });

    await relayUnderTest.flush();

    const messages = await readTopic(kafka, topic, 2);
    expect(messages.map((m) => m.headers?.id?.toString())).toEqual([first.id, second.id]);
    expect(await stored('p-1')).toMatchObject({ outbox: [], outboxPending: false, version: 2 });
  });

  it('when the relay stops with events pending, then it publishes them before it returns', async () => {
    const Things = thingModel(connection);
    const topic = await freshTopic(kafka);
    const relayUnderTest = relay({ pollIntervalMs: 60_000 });
    await relayUnderTest.start();
    await sleep(200); // its first round found nothing; the next poll is a minute away
    const event = thingChanged('s-1', 1);
    await Things.create({
      _id: 's-1',
      schoolId: 'school-1',
      version: 1,
      ...outboxFields([event], { topic, codec }),
    });

    await relayUnderTest.stop();

    expect(await stored('s-1')).toMatchObject({ outbox: [], outboxPending: false });
    expect((await readTopic(kafka, topic, 1)).map((m) => m.headers?.id?.toString())).toEqual([event.id]);
  });

  it('when events wait in the outbox, then the backlog and oldest-age gauges show them, and zero once published', async () => {
    const Things = thingModel(connection, 'MeteredThing');
    await Things.syncIndexes();
    const topic = await freshTopic(kafka);
    const registry = new Registry();
    const relayUnderTest = relay({ models: [Things], pollIntervalMs: 60_000, metrics: { registry } });
    await relayUnderTest.start();
    await sleep(200);
    await Things.create({
      _id: 'm-1',
      schoolId: 'school-1',
      version: 2,
      ...outboxFields([thingChanged('m-1', 1), thingChanged('m-1', 2)], { topic, codec }),
    });
    await Things.create({
      _id: 'm-2',
      schoolId: 'school-1',
      version: 1,
      ...outboxFields([thingChanged('m-2', 1)], { topic, codec }),
    });
    await sleep(1_100);

    const before = await registry.getMetricsAsJSON();
    await relayUnderTest.flush();
    const after = await registry.getMetricsAsJSON();

    const value = (metrics: typeof before, name: string) =>
      metrics
        .find((m) => m.name === name)
        ?.values.find((v) => v.labels.collection === Things.collection.collectionName)?.value;
    expect(value(before, 'outbox_backlog')).toBe(3);
    expect(value(before, 'outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'outbox_backlog')).toBe(0);
    expect(value(after, 'outbox_oldest_age_seconds')).toBe(0);
  });

  it('when two relays run at once beside busy writers, then every event is published (duplicates allowed) and every document ends clean', async () => {
    const Things = thingModel(connection);
    const topic = await freshTopic(kafka);
    const lock = testDocumentLock();
    const [a, b] = [
      relay({ pollIntervalMs: 20, batchSize: 7, lock }),
      relay({ pollIntervalMs: 20, batchSize: 7, lock }),
    ];
    await Promise.all([a.start(), b.start()]);
    const written = new Set<string>();

    for (let round = 1; round <= 10; round += 1) {
      await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const event = thingChanged(`two-${i}`, round);
          written.add(event.id);
          await lock.run(Things, [`two-${i}`], () =>
            Things.updateOne(
              { _id: `two-${i}` },
              withOutbox({ $set: { schoolId: event.schoolId, version: round } }, [event], { topic, codec }),
              { upsert: true },
            ),
          );
        }),
      );
    }
    await waitFor(async () => (await Things.countDocuments({ _id: /^two-/, outboxPending: true })) === 0, {
      timeoutMs: 30_000,
      what: 'both relays to drain the outboxes',
    });

    const ids = (messages: KafkaMessage[]) => new Set(messages.map((m) => m.headers?.id?.toString()));
    const messages = await readTopic(kafka, topic, (received) => ids(received).size >= written.size);
    expect(ids(messages)).toEqual(written);
  });
});
