import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import mongoose, { type Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { endpoints, uniqueName, waitFor } from '@edu/testing';
import { createConsumer, createOutboxRelay, type EventConsumer, type Kafka } from '../src';
import { capturingLogger, dbName, freshTopic, recordCount, testCodec, testKafka } from './helpers';
import { thingModel } from './fixtures/thing.model';

const RUN_TS = path.join(__dirname, 'fixtures', 'run-ts.js');

/** Starts a fixture with the project's Node and resolves its first JSON line on stdout. */
function startFixture(
  fixture: string,
  args: string[],
): { child: ChildProcess; firstLine: Promise<Record<string, unknown>> } {
  const child = spawn(process.execPath, [RUN_TS, path.join(__dirname, 'fixtures', fixture), ...args], {
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve(JSON.parse(line) as Record<string, unknown>),
    );
    child.once('exit', (code, signal) =>
      reject(new Error(`${fixture} exited (${code ?? signal}) before reporting`)),
    );
  });
  return { child, firstLine };
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve(child.signalCode ?? child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
}

describe('outbox crash safety (child processes killed with SIGKILL; real Kafka and FerretDB)', () => {
  let connection: Connection;
  let kafka: Kafka;
  let database: string;
  const stoppers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    database = dbName('events_crash');
    connection = await mongoose.createConnection(endpoints().mongoUrl, { dbName: database }).asPromise();
    await thingModel(connection).syncIndexes();
    kafka = testKafka();
  });
  afterEach(async () => {
    for (const stop of stoppers.splice(0)) await stop();
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  /** A consumer with dedupe that counts how often each event's effect was applied. */
  async function countingConsumer(
    topic: string,
  ): Promise<{ effects: Map<string, number>; duplicates: () => Promise<number> }> {
    const effects = new Map<string, number>();
    const registry = new Registry();
    const consumer: EventConsumer = createConsumer({
      kafka,
      groupId: uniqueName('group'),
      topics: [topic],
      codec: testCodec(),
      logger: capturingLogger().logger,
      metrics: { registry },
      dedupe: { connection, collection: uniqueName('processed') },
      handle: async (event) => {
        effects.set(event.id, (effects.get(event.id) ?? 0) + 1);
      },
    });
    await consumer.start();
    stoppers.push(() => consumer.stop());
    const duplicates = async () =>
      (await registry.getMetricsAsJSON())
        .find((m) => m.name === 'events_processed_total')
        ?.values.find((v) => v.labels.outcome === 'duplicate')?.value ?? 0;
    return { effects, duplicates };
  }

  it('when the writer is killed before any relay published its event, then a fresh relay publishes it and the consumer applies it once', async () => {
    const topic = await freshTopic(kafka);
    const aggregateId = uniqueName('crash-w');
    const writer = startFixture('write-then-die.fixture.ts', [database, topic, aggregateId]);
    const { written } = (await writer.firstLine) as { written: string };
    writer.child.kill('SIGKILL');
    expect(await exited(writer.child)).toBe('SIGKILL');
    const stranded = await thingModel(connection).findById(aggregateId).select('+outbox').lean();
    expect(stranded?.outboxPending).toBe(true);
    expect(stranded?.outbox?.map((e) => e.id)).toEqual([written]);
    expect(await recordCount(kafka, topic)).toBe(0);

    const relay = createOutboxRelay({
      kafka,
      models: [thingModel(connection)],
      logger: capturingLogger().logger,
    });
    await relay.start();
    stoppers.push(() => relay.stop());
    const { effects } = await countingConsumer(topic);

    await waitFor(() => effects.has(written), { timeoutMs: 20_000, what: 'the recovered event' });
    expect(await recordCount(kafka, topic)).toBe(1);
    expect(effects.get(written)).toBe(1);
    await waitFor(
      async () => (await thingModel(connection).findById(aggregateId).lean())?.outboxPending === false,
    );
  });

  it('when a relay is killed after Kafka acknowledged and before it removed the event, then the restart publishes it again and the consumer still applies it once', async () => {
    const topic = await freshTopic(kafka);
    const aggregateId = uniqueName('crash-r');
    const writer = startFixture('write-then-die.fixture.ts', [database, topic, aggregateId]);
    const { written } = (await writer.firstLine) as { written: string };
    writer.child.kill('SIGKILL');
    await exited(writer.child);

    const dying = startFixture('relay-dies-after-publish.fixture.ts', [database]);
    const { published } = (await dying.firstLine) as { published: string[] };
    expect(await exited(dying.child)).toBe('SIGKILL');
    expect(published).toContain(written);
    expect(await recordCount(kafka, topic)).toBe(1);
    const notRemoved = await thingModel(connection).findById(aggregateId).select('+outbox').lean();
    expect(notRemoved?.outbox?.map((e) => e.id)).toEqual([written]);

    const relay = createOutboxRelay({
      kafka,
      models: [thingModel(connection)],
      logger: capturingLogger().logger,
    });
    await relay.start();
    stoppers.push(() => relay.stop());
    await waitFor(
      async () => (await thingModel(connection).findById(aggregateId).lean())?.outboxPending === false,
      {
        what: 'the restarted relay to publish and remove the event',
      },
    );
    const { effects, duplicates } = await countingConsumer(topic);

    await waitFor(async () => (await duplicates()) === 1, {
      timeoutMs: 20_000,
      what: 'the second copy consumed',
    });
    expect(await recordCount(kafka, topic)).toBe(2);
    expect(effects.get(written)).toBe(1);
  });
});
