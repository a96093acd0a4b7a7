import { performance } from 'node:perf_hooks';
import type { Admin } from 'kafkajs';
import type { Connection } from 'mongoose';
import {
  createConsumer,
  groupLag,
  type EventCodec,
  type EventConsumer,
  type EventEnvelope,
  type Kafka,
} from '@edu/events';
import type { Logger, Metrics } from '@edu/kit';
import type { ReadCache } from '@edu/store';
import type { ModelReader, ModelTx } from '../domain/ports';
import { createModelStore, generationCollection, type ModelStore } from './model-store';

// The read model's generations. Reads are served by the active generation; its consumer group
// (`<group>-g<N>`) applies the source events to it. A rebuild fills generation N+1 from the
// beginning of every source topic with a group of its own, beside the live one; when it has
// caught up (its committed offsets reach the topics' ends) it is swapped in: the meta document
// names it active, reads and the cache move to it, its consumer becomes the live one, the old
// one stops and the old generation is dropped. Another instance sees the swap in the meta
// document within `generationCheckMs` and follows.

/** Applies events to a unit of the model (the projection). */
export type ApplyEvents = (unit: ModelTx, events: EventEnvelope<unknown>[]) => Promise<void>;

export interface ModelRuntimeOptions {
  connection: Connection;
  kafka: Kafka;
  admin: Admin;
  codec: EventCodec;
  /** Source topics (with the environment's prefix). */
  topics: string[];
  /** Event types a run may hold (all the diary keeps). */
  runTypes: ReadonlySet<string>;
  groupPrefix: string;
  apply: ApplyEvents;
  cache: ReadCache;
  logger: Logger;
  metrics: Metrics;
  generationCheckMs: number;
}

export interface RebuildState {
  state: 'idle' | 'replaying' | 'failed';
  activeGeneration: number;
  buildingGeneration: number;
  startedAt: string;
  swappedAt: string;
  eventsApplied: number;
  lag: number;
  error: string;
}

export interface ModelRuntime {
  /** Reads of the active generation (through the cache). */
  readonly reader: ModelReader;
  /** The active generation's store (tests compare generations). */
  activeStore(): ModelStore;
  /** The live consumer group (tests wait for its offsets). */
  groupId(): string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Starts a rebuild unless one runs; answers at once. */
  rebuild(): Promise<RebuildState>;
  status(): Promise<RebuildState>;
  /** Resolves when the running rebuild has swapped in (or failed); at once when none runs. */
  rebuilt(): Promise<void>;
}

interface MetaDoc {
  _id: 'model';
  active: number;
  swappedAt: string;
  building: { generation: number; startedAt: string } | null;
}

const SWAP_CHECK_MS = 1_000;
/** Events applied together at most, and the bytes of a partition fetched at once to make such runs. */
const MAX_RUN = 2_000;
const MAX_FETCH_BYTES = 16 * 1024 * 1024;
/** Applies slower than this are logged (events, documents written, time). */
const SLOW_APPLY_MS = 1_000;
/** A rebuild another instance started this long ago and never swapped in was abandoned (it crashed). */
const ABANDONED_AFTER_MS = 2 * 60 * 60_000;

export function createModelRuntime(options: ModelRuntimeOptions): ModelRuntime {
  const { connection, kafka, admin, codec, topics, groupPrefix, apply, cache, logger, metrics } = options;
  const log = logger.child({ module: 'model-runtime' });
  const meta = connection.collection<MetaDoc>('meta');
  const generationGauge = metrics.gauge('diary_model_generation', 'The read model generation serving reads');
  const rebuildApplied = metrics.counter(
    'diary_rebuild_events_applied_total',
    'Events applied into a generation being rebuilt',
  );

  let serving = 0;
  let active: ModelStore | undefined;
  let live: EventConsumer | undefined;
  let watcher: NodeJS.Timeout | undefined;
  let stopping = false;
  let building:
    | {
        generation: number;
        store: ModelStore;
        consumer: EventConsumer;
        startedAt: string;
        applied: number;
        lag: number;
        done: Promise<void>;
      }
    | undefined;
  let lastError = '';
  let lastSwap = '';
  let failed = false;

  const groupOf = (generation: number) => `${groupPrefix}-g${generation}`;
  const storeOf = (generation: number) =>
    createModelStore(connection, generation, () => (serving === generation ? cache : undefined));

  function consumerFor(store: () => ModelStore, generation: number, onApplied?: (n: number) => void) {
    const applyAll = async (events: EventEnvelope<unknown>[]) => {
      const started = performance.now();
      const written = await store().apply((tx) => apply(tx, events));
      const ms = performance.now() - started;
      if (ms > SLOW_APPLY_MS) log.info({ generation, events: events.length, written, ms }, 'slow apply');
      onApplied?.(events.length);
    };
    return createConsumer({
      kafka,
      groupId: groupOf(generation),
      topics,
      codec,
      handle: (event) => applyAll([event]),
      // Long runs: on FerretDB over SQLite each write statement scans its collection, so the fewer
      // writes per event the better (a run of a class's quarter of marks is tens of week documents).
      runs: [
        {
          accepts: (event) => options.runTypes.has(event.type),
          handle: (events) => applyAll(events),
          maxSize: MAX_RUN,
        },
      ],
      maxBytesPerPartition: MAX_FETCH_BYTES,
      logger,
      metrics: { registry: metrics.registry },
    });
  }

  async function readMeta(): Promise<MetaDoc> {
    const found = await meta.findOne({ _id: 'model' });
    if (found) return found;
    const first: MetaDoc = { _id: 'model', active: 1, swappedAt: '', building: null };
    await meta.updateOne({ _id: 'model' }, { $setOnInsert: first }, { upsert: true });
    return (await meta.findOne({ _id: 'model' }))!;
  }

  async function serve(generation: number): Promise<void> {
    serving = generation;
    cache.clear();
    active = storeOf(generation);
    generationGauge.set(generation);
  }

  async function dropOtherGenerations(keep: number[]): Promise<void> {
    const names = (await connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    const generations = new Set(
      names.flatMap((name) => {
        const match = /^g(\d+)_/.exec(name);
        return match ? [Number(match[1])] : [];
      }),
    );
    for (const generation of generations) {
      if (!keep.includes(generation)) await storeOf(generation).drop();
    }
  }

  async function swapIn(generation: number): Promise<void> {
    const b = building!;
    const previous = live;
    const previousGeneration = serving;
    lastSwap = new Date().toISOString();
    await meta.updateOne(
      { _id: 'model' },
      { $set: { active: generation, swappedAt: lastSwap, building: null } },
    );
    await serve(generation);
    live = b.consumer;
    building = undefined;
    log.info({ generation, previousGeneration, eventsApplied: b.applied }, 'rebuilt read model swapped in');
    await previous?.stop();
    // The old generation's group has no members left here; others leave it when they follow.
    await admin
      .deleteGroups([groupOf(previousGeneration)])
      .catch((error: unknown) =>
        log.info({ err: error, group: groupOf(previousGeneration) }, 'the old group is still in use; kept'),
      );
    // Other instances read the old generation until they see the swap; give them time.
    setTimeout(() => {
      void dropOtherGenerations([serving]).catch((error: unknown) =>
        log.warn({ err: error }, 'dropping an old generation failed'),
      );
    }, options.generationCheckMs * 3).unref();
  }

  async function runRebuild(generation: number): Promise<void> {
    while (!stopping) {
      await new Promise((resolve) => setTimeout(resolve, SWAP_CHECK_MS));
      if (!building || stopping) return;
      building.lag = (await groupLag(admin, groupOf(generation), topics)).behind;
      if (building.lag === 0) {
        await swapIn(generation);
        return;
      }
    }
  }

  async function follow(): Promise<void> {
    if (building || stopping) return;
    const current = await meta.findOne({ _id: 'model' });
    if (!current || current.active === serving) return;
    log.info(
      { generation: current.active, previous: serving },
      'following a generation swapped in elsewhere',
    );
    await live?.stop();
    await serve(current.active);
    live = consumerFor(() => active!, current.active);
    await live.start();
  }

  function state(): RebuildState {
    return {
      state: building ? 'replaying' : failed ? 'failed' : 'idle',
      activeGeneration: serving,
      buildingGeneration: building?.generation ?? 0,
      startedAt: building?.startedAt ?? '',
      swappedAt: lastSwap,
      eventsApplied: building?.applied ?? 0,
      lag: building?.lag ?? 0,
      error: lastError,
    };
  }

  return {
    reader: {
      get: (collection, id) => active!.get(collection, id),
      getMany: (collection, ids) => active!.getMany(collection, ids),
    },
    activeStore: () => active!,
    groupId: () => groupOf(serving),

    async start() {
      const current = await readMeta();
      lastSwap = current.swappedAt;
      await serve(current.active);
      const recovered = await active!.recover();
      if (recovered > 0) log.warn({ batches: recovered }, 'finished batch writes a crash had interrupted');
      live = consumerFor(() => active!, current.active);
      await live.start();
      watcher = setInterval(() => {
        follow().catch((error: unknown) => log.warn({ err: error }, 'checking the model generation failed'));
      }, options.generationCheckMs);
      watcher.unref();
    },

    async stop() {
      stopping = true;
      clearInterval(watcher);
      await building?.consumer.stop();
      await live?.stop();
    },

    async rebuild() {
      if (building) return state();
      const current = await readMeta();
      const abandoned =
        current.building && Date.now() - Date.parse(current.building.startedAt) > ABANDONED_AFTER_MS;
      if (current.building && !abandoned) {
        // Another instance builds; nothing to start here.
        return { ...state(), state: 'replaying', buildingGeneration: current.building.generation };
      }
      const generation = Math.max(current.active, serving) + 1;
      await dropOtherGenerations([serving]);
      const startedAt = new Date().toISOString();
      await meta.updateOne({ _id: 'model' }, { $set: { building: { generation, startedAt } } });
      const store = storeOf(generation);
      // The group of a generation is new; were it left from an earlier attempt, start over.
      await admin.deleteGroups([groupOf(generation)]).catch(() => undefined);
      const b = {
        generation,
        store,
        startedAt,
        applied: 0,
        lag: -1,
        consumer: consumerFor(
          () => store,
          generation,
          (n) => {
            b.applied += n;
            rebuildApplied.inc(n);
          },
        ),
        done: Promise.resolve(),
      };
      building = b;
      failed = false;
      lastError = '';
      log.info({ generation, collections: generationCollection(generation, 'weeks') }, 'rebuild started');
      await b.consumer.start();
      b.done = runRebuild(generation).catch(async (error: unknown) => {
        failed = true;
        lastError = error instanceof Error ? error.message : String(error);
        log.error({ err: error, generation }, 'rebuild failed');
        await b.consumer.stop().catch(() => undefined);
        await meta.updateOne({ _id: 'model' }, { $set: { building: null } });
        building = undefined;
      });
      return state();
    },

    async status() {
      return state();
    },

    async rebuilt() {
      await building?.done;
    },
  };
}
