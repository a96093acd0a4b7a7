import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { mongo, type Model } from 'mongoose';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { MetricsOptions } from './metrics';
import type { OutboxEntry } from './outbox';

/** A model whose schema uses `outboxPlugin` (only its collection is used). */
export type OutboxModel = Pick<Model<unknown>, 'collection'>;

/**
 * Serializes writes to documents in this process; `createDocumentLock()` from @edu/store fits.
 * FerretDB 1.24 updates are read-modify-write without isolation: the relay's removal racing a
 * service's update of the same document would lose that update (and its events).
 */
export interface OutboxLock {
  run<T>(model: OutboxModel, ids: readonly unknown[], fn: () => Promise<T>): Promise<T>;
}

/** Documents emptied by one write after publishing (see removeLocked). */
const EMPTY_CHUNK = 20;

/** Options of `createOutboxRelay`. */
export interface OutboxRelayOptions {
  kafka: Kafka;
  /** The aggregate models carrying an outbox. */
  models: OutboxModel[];
  logger: Logger;
  /** Registers `outbox_backlog` and `outbox_oldest_age_seconds` (computed when scraped). */
  metrics?: MetricsOptions;
  /** How often to look for pending events when nobody calls `notify()`. Default 200 ms. */
  pollIntervalMs?: number;
  /** Most entries per produce request. Default 500. */
  batchSize?: number;
  /**
   * Held while the relay removes published entries from documents (it then reads and rewrites
   * them by `_id`). Required on FerretDB 1.x, where the service's writers take the same lock;
   * without it (MongoDB) the relay uses atomic conditional updates instead.
   */
  lock?: OutboxLock;
  /** How long `stop()` may spend publishing what is still pending. Default 5 s. */
  stopTimeoutMs?: number;
  /**
   * Called after the broker acknowledged entries and before they are removed from the store.
   * For tests and instrumentation: a throw leaves the entries in place, to be published again.
   */
  onPublished?: (entries: OutboxEntry[]) => void | Promise<void>;
}

/** Publishes the outbox entries of aggregate documents; `start`/`stop` like every component. */
export interface OutboxRelay {
  readonly name: string;
  start(): Promise<void>;
  /** Stops polling, publishes what is pending (bounded by `stopTimeoutMs`), disconnects. */
  stop(): Promise<void>;
  /** Look for pending events now; call it after a write for low latency. */
  notify(): void;
  /** Publishes until nothing is pending. */
  flush(): Promise<void>;
  /**
   * Runs a bulk write (an import) with the relay standing still: the round in progress finishes
   * first, none starts until the write is done, then the relay publishes everything at once. On
   * FerretDB over SQLite a relay reading and rewriting documents next to a bulk insert stalls both.
   */
  quiet<T>(write: () => Promise<T>): Promise<T>;
}

/** An entry as the driver reads it: bytes come back as BSON Binary. */
type StoredEntry = Omit<OutboxEntry, 'value'> & { value: mongo.Binary | Buffer };
interface PendingDocument {
  _id: unknown;
  outbox?: StoredEntry[];
}
interface Taken {
  model: OutboxModel;
  id: unknown;
  entries: StoredEntry[];
  /** Whether `entries` is the document's whole outbox as read (not a prefix cut by batchSize). */
  whole: boolean;
}

/** What one relay reports into the shared gauges (one label set per collection). */
interface GaugeSource {
  backlog(gauge: Gauge): Promise<void>;
  oldestAge(gauge: Gauge): Promise<void>;
}

/** Every relay of a registry contributes to the same two gauges, computed when scraped. */
const gaugeSources = new WeakMap<Registry, Set<GaugeSource>>();

function registerGauges(registry: Registry, source: GaugeSource): () => void {
  let sources = gaugeSources.get(registry);
  if (!sources) {
    const all = new Set<GaugeSource>();
    sources = all;
    gaugeSources.set(registry, all);
    new Gauge({
      name: 'outbox_backlog',
      help: 'Events written to an outbox and not yet acknowledged by Kafka, per collection',
      labelNames: ['collection'],
      registers: [registry],
      async collect() {
        for (const relay of all) await relay.backlog(this);
      },
    });
    new Gauge({
      name: 'outbox_oldest_age_seconds',
      help: 'Age of the oldest event waiting in an outbox, per collection (0 when none)',
      labelNames: ['collection'],
      registers: [registry],
      async collect() {
        for (const relay of all) await relay.oldestAge(this);
      },
    });
  }
  sources.add(source);
  return () => sources.delete(source);
}

/** Documents whose published entries are removed at the same time. */
const REMOVALS_IN_PARALLEL = 4;

/**
 * Runs `work` for each item, a few at a time: each is its own document, and one at a time the
 * store's round trips (an update costs 10-30 ms on FerretDB) would hold the relay back.
 */
async function inParallel<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: REMOVALS_IN_PARALLEL }, worker));
}

function toBuffer(value: mongo.Binary | Buffer): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.value());
}

/**
 * Creates the relay: finds documents with `outboxPending`, publishes their entries in order with
 * an idempotent producer (acks=all, one request in flight), and only after the acknowledgement
 * removes exactly those entries. A crash in between publishes them again (at least once).
 */
export function createOutboxRelay({
  kafka,
  models,
  logger,
  metrics,
  pollIntervalMs = 200,
  batchSize = 500,
  stopTimeoutMs = 5_000,
  onPublished,
  lock,
}: OutboxRelayOptions): OutboxRelay {
  const log = logger.child({ module: 'events.relay' });
  // kafkajs issue #1005: an idempotent producer with more requests in flight loses messages.
  // The default (Java-compatible murmur2) partitioner, named so kafkajs does not warn and so a
  // future client keeps putting a school's events on the same partition.
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  let connected: Promise<void> | undefined;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let notified = false;
  let unregister: (() => void) | undefined;
  // Set when stop() gave up on flushing: a flush still looping must not reconnect the producer.
  let abandoned = false;
  // One round at a time per relay: a flush during the loop must not publish the same batch twice.
  let rounds: Promise<unknown> = Promise.resolve();

  function connect(): Promise<void> {
    if (abandoned) return Promise.reject(new Error('outbox relay stopped'));
    connected ??= producer.connect().catch((error: unknown) => {
      connected = undefined;
      throw error;
    });
    return connected;
  }

  /** Takes up to batchSize entries, oldest documents first, whole prefixes of each outbox. */
  async function take(): Promise<Taken[]> {
    const taken: Taken[] = [];
    let room = batchSize;
    for (const model of models) {
      if (room <= 0) break;
      const docs = await model.collection
        .find<PendingDocument>({ outboxPending: true }, { projection: { outbox: 1 } })
        .sort({ outboxSince: 1 })
        .limit(room)
        .toArray();
      for (const doc of docs) {
        if (room <= 0) break;
        const outbox = doc.outbox ?? [];
        const entries = outbox.slice(0, room);
        room -= entries.length;
        taken.push({ model, id: doc._id, entries, whole: entries.length === outbox.length });
      }
    }
    return taken;
  }

  /**
   * Removes exactly the published entries of one document and clears its flag when nothing
   * else arrived, with atomic conditional updates (MongoDB, no lock). Writers only append and
   * relays only remove prefixes, so the outbox is always a contiguous run of the document's
   * events: if it still has the length we read and ends with the entry we read last, it is
   * exactly what we published, and one update empties it. Otherwise (an event was pushed
   * meanwhile, or another relay removed some), remove ours by value, then clear the flag only if
   * the outbox is empty now, so that a new event keeps its document pending.
   */
  async function removeAtomically({ model, id, entries, whole }: Taken): Promise<void> {
    const last = entries.at(-1);
    const byId = { _id: id } as mongo.Filter<mongo.Document>;
    if (whole && last) {
      const emptied = await model.collection.updateOne(
        { ...byId, outbox: { $size: entries.length }, [`outbox.${entries.length - 1}.id`]: last.id },
        { $set: { outbox: [], outboxPending: false }, $unset: { outboxSince: '' } },
      );
      if (emptied.matchedCount === 1) return;
    }
    await model.collection.bulkWrite(
      [
        // By whole value: FerretDB 1.24 silently ignores $pull conditions.
        ...(entries.length > 0
          ? [{ updateOne: { filter: byId, update: { $pullAll: { outbox: entries } } } }]
          : []),
        {
          updateOne: {
            filter: {
              ...byId,
              outboxPending: true,
              $or: [{ outbox: { $size: 0 } }, { outbox: { $exists: false } }],
            },
            update: { $set: { outboxPending: false }, $unset: { outboxSince: '' } },
          },
        },
      ] as mongo.AnyBulkWriteOperation[],
      { ordered: true },
    );
  }

  /**
   * The same under the lock (FerretDB): no writer of this process touches these documents now,
   * so read them (one query) and write each one's remainder by `_id` alone. A conditional
   * update would cost FerretDB 1.24 a read of the whole collection per document.
   */
  async function removeLocked(model: OutboxModel, docs: Taken[]): Promise<void> {
    const ids = docs.map((doc) => doc.id);
    const current = await model.collection
      .find<PendingDocument>({ _id: { $in: ids } } as mongo.Filter<mongo.Document>, {
        projection: { outbox: 1 },
      })
      .toArray();
    const published = new Set(docs.flatMap((doc) => doc.entries.map((entry) => entry.id)));
    const emptied: unknown[] = [];
    const partly: { id: unknown; rest: StoredEntry[] }[] = [];
    for (const doc of current) {
      const rest = (doc.outbox ?? []).filter((entry) => !published.has(entry.id));
      if (rest.length === 0) emptied.push(doc._id);
      else partly.push({ id: doc._id, rest });
    }
    // One write per EMPTY_CHUNK documents whose outbox is now empty (the common case): on FerretDB
    // over SQLite each write is a transaction, and one per document made the relay the store's
    // main writer during an import; one for a whole batch holds the store's single writer slot
    // long enough to time out the service's own writes.
    for (let start = 0; start < emptied.length; start += EMPTY_CHUNK) {
      // A bulk write is waiting (quiet): leave the rest published-but-pending. The next round
      // publishes those entries again, which consumers drop by event id; the writer need not wait
      // for the whole batch (on FerretDB 1.24 every document update scans its collection).
      if (quietWrites > 0) return;
      const ids = emptied.slice(start, start + EMPTY_CHUNK);
      await model.collection.updateMany({ _id: { $in: ids } } as mongo.Filter<mongo.Document>, {
        $set: { outbox: [], outboxPending: false },
        $unset: { outboxSince: '' },
      });
    }
    await inParallel(partly, async ({ id, rest }) => {
      await model.collection.updateOne({ _id: id } as mongo.Filter<mongo.Document>, {
        $set: { outbox: rest, outboxPending: true },
      });
    });
  }

  async function publish(taken: Taken[]): Promise<number> {
    const byTopic = new Map<string, Message[]>();
    for (const { entries } of taken) {
      for (const entry of entries) {
        const messages = byTopic.get(entry.topic) ?? [];
        messages.push({
          key: entry.key,
          value: toBuffer(entry.value),
          headers: { type: entry.type, id: entry.id },
        });
        byTopic.set(entry.topic, messages);
      }
    }
    if (byTopic.size > 0) {
      await connect();
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      const all = taken.flatMap((t) => t.entries.map((e) => ({ ...e, value: toBuffer(e.value) })));
      await onPublished?.(all);
    }
    if (lock) {
      for (const model of new Set(taken.map((t) => t.model))) {
        const mine = taken.filter((t) => t.model === model);
        await lock.run(
          model,
          mine.map((t) => t.id),
          () => removeLocked(model, mine),
        );
      }
    } else {
      await inParallel(taken, removeAtomically);
    }
    return taken.reduce((n, t) => n + t.entries.length, 0);
  }

  /** One round: returns how many entries were published (0 when nothing was pending). */
  function round(): Promise<number> {
    const next = rounds.then(async () => {
      const taken = await take();
      return taken.length === 0 ? 0 : publish(taken);
    });
    rounds = next.catch(() => undefined);
    return next;
  }

  function idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (running) {
      if (quietWrites > 0) {
        await idle(pollIntervalMs);
        continue;
      }
      notified = false;
      try {
        const published = await round();
        failures = 0;
        if (published > 0) continue; // more may be waiting: go again without sleeping
      } catch (error) {
        failures += 1;
        log.error({ err: error, failures }, 'outbox relay round failed; retrying');
        await idle(Math.min(pollIntervalMs * 2 ** failures, 10_000));
        continue;
      }
      if (!notified && running) await idle(pollIntervalMs);
    }
  }

  let quietWrites = 0;

  async function quiet<T>(write: () => Promise<T>): Promise<T> {
    quietWrites += 1;
    try {
      await rounds;
      return await write();
    } finally {
      quietWrites -= 1;
      if (quietWrites === 0) {
        notified = true;
        wake?.();
      }
    }
  }

  async function flush(): Promise<void> {
    while (!abandoned && (await round()) > 0) {
      // keep going until a round finds nothing
    }
  }

  const gauges: GaugeSource = {
    async backlog(gauge) {
      for (const model of models) {
        // $unwind + $count: FerretDB 1.24 has neither $size in $project nor $min in $group.
        const [counted] = await model.collection
          .aggregate<{ n: number }>([
            { $match: { outboxPending: true } },
            { $unwind: '$outbox' },
            { $count: 'n' },
          ])
          .toArray();
        gauge.set({ collection: model.collection.collectionName }, counted?.n ?? 0);
      }
    },
    async oldestAge(gauge) {
      for (const model of models) {
        const [oldest] = await model.collection
          .find<{ outboxSince?: Date }>({ outboxPending: true }, { projection: { outboxSince: 1 } })
          .sort({ outboxSince: 1 })
          .limit(1)
          .toArray();
        const since = oldest?.outboxSince;
        const age = since ? Math.max(0, (Date.now() - since.getTime()) / 1000) : 0;
        gauge.set({ collection: model.collection.collectionName }, age);
      }
    },
  };

  return {
    name: 'outbox-relay',

    async start() {
      if (running) return;
      abandoned = false;
      await connect();
      if (metrics) unregister = registerGauges(metrics.registry, gauges);
      running = true;
      loop = run();
      log.info({ collections: models.map((m) => m.collection.collectionName) }, 'outbox relay started');
    },

    async stop() {
      running = false;
      wake?.();
      const stopped = loop ?? Promise.resolve();
      loop = undefined;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), stopTimeoutMs);
      });
      try {
        const drained = stopped.then(flush).then(() => 'flushed' as const);
        drained.catch(() => undefined); // it may fail after the timeout won the race
        const outcome = await Promise.race([drained, timeout]);
        if (outcome === 'timeout') {
          abandoned = true;
          log.warn({ stopTimeoutMs }, 'outbox not flushed in time; the next start publishes it');
        }
      } catch (error) {
        log.warn({ err: error }, 'outbox flush on stop failed; the next start publishes it');
      } finally {
        clearTimeout(timer);
      }
      unregister?.();
      unregister = undefined;
      if (connected) {
        connected = undefined;
        // Disconnecting fails a send still in flight after the timeout, so the round ends too;
        // its entries stay in the store, unpublished or published-but-not-removed: both safe.
        await producer.disconnect();
      }
      await rounds;
      log.info('outbox relay stopped');
    },

    notify() {
      notified = true;
      wake?.();
    },

    flush,
    quiet,
  };
}
