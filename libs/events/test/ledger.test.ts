import mongoose, { type Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { endpoints, uniqueName, waitFor } from '@edu/testing';
import {
  createConsumer,
  createOutboxRelay,
  newEvent,
  outboxFields,
  withOutbox,
  type EventConsumer,
  type EventEnvelope,
  type OutboxRelay,
} from '../src';
import { capturingLogger, dbName, freshTopic, testCodec, testDocumentLock, testKafka } from './helpers';
import { thingModel } from './fixtures/thing.model';

const EVENTS = Number(process.env.EDU_LEDGER_EVENTS ?? 10_000); // smaller only to debug locally
const WRITERS = 4;
const SCHOOLS = 16;

/**
 * Updates per second the store itself manages on a collection of the ledger's size (FerretDB
 * 1.24's cost grows with it): WRITERS writers, plain `$inc` by `_id`, no outbox.
 */
async function rawUpdateRate(connection: Connection, documents: number): Promise<number> {
  const plain = connection.collection<{ _id: string; n: number; note: string }>(uniqueName('raw'));
  await plain.insertMany(
    Array.from({ length: documents }, (_, i) => ({ _id: `d${i}`, n: 0, note: 'x'.repeat(200) })),
  );
  const perWriter = 100;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < perWriter; i += 1) {
        await plain.updateOne({ _id: `d${(w * perWriter + i) % documents}` }, { $inc: { n: 1 } });
      }
    }),
  );
  return (WRITERS * perWriter) / ((Date.now() - started) / 1000);
}

// The guard of the whole publishing path (docs/architecture.md, Events and topics): ids produced = ids applied, no
// effect twice, each aggregate's events in order; writers insert and update concurrently, one
// relay publishes (two relays at once: outbox.test.ts), a consumer with dedupe applies.
// FerretDB 1.24 bounds the speed (each update reads the whole collection, and the relay adds an
// update per written document), so the output puts the store's raw update rate beside.
describe('event ledger (real FerretDB and Kafka)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(endpoints().mongoUrl, { dbName: dbName('events_ledger'), maxPoolSize: 20 })
      .asPromise();
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it(`when ${EVENTS.toLocaleString('en')} events from ${WRITERS} concurrent writers go through the relay and a consumer, then every id is applied exactly once and in aggregate order`, async () => {
    // Arrange
    const kafka = testKafka();
    const codec = testCodec();
    const topic = await freshTopic(kafka, 6);
    const Things = thingModel(connection, 'LedgerThing');
    await Things.syncIndexes();
    const lock = testDocumentLock(); // FerretDB 1.24: writers and relays must not update one document at once
    const produced = new Set<string>();
    const effects = new Map<string, number>();
    const lastVersion = new Map<string, number>();
    const orderViolations: string[] = [];
    const registry = new Registry();
    const relay: OutboxRelay = createOutboxRelay({
      kafka,
      models: [Things],
      logger: capturingLogger().logger,
      lock,
    });
    const consumer: EventConsumer = createConsumer({
      kafka,
      groupId: uniqueName('ledger'),
      topics: [topic],
      codec,
      logger: capturingLogger().logger,
      metrics: { registry },
      dedupe: { connection, collection: uniqueName('processed') },
      partitionsConsumedConcurrently: 3,
      handle: async (event) => {
        effects.set(event.id, (effects.get(event.id) ?? 0) + 1);
        const previous = lastVersion.get(event.aggregateId) ?? 0;
        if (event.aggregateVersion !== previous + 1) {
          orderViolations.push(`${event.aggregateId}: v${event.aggregateVersion} after v${previous}`);
        }
        lastVersion.set(event.aggregateId, Math.max(previous, event.aggregateVersion));
      },
    });
    await relay.start();
    await consumer.start();

    function events(
      aggregateId: string,
      schoolId: string,
      fromVersion: number,
      count: number,
    ): EventEnvelope<unknown>[] {
      return Array.from({ length: count }, (_, i) => {
        const version = fromVersion + i;
        const event = newEvent({
          type: version === 1 ? 'edu.testing.thing.created' : 'edu.testing.thing.changed',
          schoolId,
          aggregateId,
          aggregateVersion: version,
          actor: { accountId: 'ledger', personId: '' },
          traceId: aggregateId,
          payload: version === 1 ? { name: aggregateId } : { counter: String(version), note: '' },
        });
        produced.add(event.id);
        return event;
      });
    }

    // One writer: inserts a new aggregate every fourth write, otherwise updates one of its own
    // with 1-3 events in one write; its aggregates are its alone (one writer per aggregate).
    async function writer(w: number, quota: number): Promise<{ inserts: number; updates: number }> {
      const versions: number[] = [];
      let written = 0;
      let inserts = 0;
      let updates = 0;
      while (written < quota) {
        const batch = Math.min(1 + ((written * 7 + w) % 3), quota - written);
        if (versions.length === 0 || written % 4 === 0) {
          const k = versions.length;
          const id = `w${w}-a${k}`;
          await Things.create({
            _id: id,
            schoolId: `school-${(w * 31 + k) % SCHOOLS}`,
            version: batch,
            ...outboxFields(events(id, `school-${(w * 31 + k) % SCHOOLS}`, 1, batch), { topic, codec }),
          });
          versions.push(batch);
          inserts += 1;
        } else {
          const k = (written * 13) % versions.length;
          const id = `w${w}-a${k}`;
          const from = versions[k]! + 1;
          await lock.run(Things, [id], () =>
            Things.updateOne(
              { _id: id },
              withOutbox(
                { $inc: { version: batch } },
                events(id, `school-${(w * 31 + k) % SCHOOLS}`, from, batch),
                {
                  topic,
                  codec,
                },
              ),
            ),
          );
          versions[k] = from + batch - 1;
          updates += 1;
        }
        written += batch;
        relay.notify();
      }
      return { inserts, updates };
    }

    // Act
    const started = Date.now();
    // EDU_LEDGER_PROGRESS=1 prints where the ledger stands every 5 s (for a slow machine).
    const progress =
      process.env.EDU_LEDGER_PROGRESS === '1'
        ? setInterval(() => {
            process.stderr.write(
              `ledger t=${Date.now() - started}ms produced=${produced.size} applied=${effects.size}\n`,
            );
          }, 5_000)
        : undefined;
    let writtenAt = 0;
    let appliedAt = 0;
    let writes: { inserts: number; updates: number }[] = [];
    try {
      writes = await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w, EVENTS / WRITERS)));
      writtenAt = Date.now();
      await waitFor(() => effects.size >= produced.size, {
        timeoutMs: 480_000,
        intervalMs: 200,
        what: 'every event applied',
      }).catch(async (error: Error) => {
        const pending = await Things.countDocuments({ outboxPending: true });
        throw new Error(
          `${error.message}: ${effects.size} of ${produced.size} applied, ${pending} documents pending`,
        );
      });
      appliedAt = Date.now();
      await waitFor(async () => (await Things.countDocuments({ outboxPending: true })) === 0, {
        what: 'empty outboxes',
      });
    } finally {
      clearInterval(progress);
      await relay.stop();
      await consumer.stop();
    }

    // Assert
    const duplicates = (await registry.getMetricsAsJSON())
      .find((m) => m.name === 'events_processed_total')
      ?.values.find((v) => v.labels.outcome === 'duplicate')?.value;
    const seconds = (appliedAt - started) / 1000;
    const inserts = writes.reduce((n, w) => n + w.inserts, 0);
    const updates = writes.reduce((n, w) => n + w.updates, 0);
    const raw = await rawUpdateRate(connection, inserts);
    console.log(
      [
        `ledger: ${produced.size} events from ${WRITERS} writers in ${inserts + updates} writes ` +
          `(${inserts} inserts, ${updates} updates), 1 relay, 1 consumer with dedupe`,
        `  written in ${((writtenAt - started) / 1000).toFixed(1)} s (${Math.round((inserts + updates) / ((writtenAt - started) / 1000))} writes/s); ` +
          `all applied after ${seconds.toFixed(1)} s = ${Math.round(produced.size / seconds)} events/s end to end`,
        `  store's raw speed: ${Math.round(raw)} updates/s (${WRITERS} writers, plain $inc by _id, ${inserts} documents)`,
        `  duplicates delivered by Kafka and skipped by dedupe: ${duplicates ?? 0}`,
      ].join('\n'),
    );
    expect(new Set(effects.keys())).toEqual(produced);
    expect([...effects.values()].filter((n) => n !== 1)).toEqual([]);
    expect(orderViolations).toEqual([]);
  }, 600_000);
});
