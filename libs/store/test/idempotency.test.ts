import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import { endpoints, uniqueName, waitFor } from '@edu/testing';
import { IdempotencyError, closeStore, connectStore, createIdempotencyStore } from '../src';

describe('idempotent commands (real FerretDB)', () => {
  let connection: Connection;
  const dbName = uniqueName('store_idem').replace(/-/g, '_');

  beforeAll(async () => {
    connection = await connectStore({ url: endpoints().mongoUrl, dbName });
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await closeStore(connection);
  });

  /** A command that counts its runs and answers with a result holding keys FerretDB refuses. */
  function command(result: unknown = { markId: 'm-1', 'a.b': 1, $weird: true }) {
    let runs = 0;
    return {
      fn: async () => {
        runs += 1;
        return result;
      },
      runs: () => runs,
    };
  }

  it('when the same command is sent twice with one key, then it runs once and the repeat replays the stored result', async () => {
    const store = createIdempotencyStore(connection, { collection: uniqueName('keys') });
    const { fn, runs } = command();

    const first = await store.execute('key-1', 'gradebook.postMark', 'fp-1', fn);
    const second = await store.execute('key-1', 'gradebook.postMark', 'fp-1', fn);

    expect(runs()).toBe(1);
    expect(first).toEqual({ result: { markId: 'm-1', 'a.b': 1, $weird: true }, replayed: false });
    expect(second).toEqual({ result: { markId: 'm-1', 'a.b': 1, $weird: true }, replayed: true });
  });

  it('when a command returns nothing, then the repeat replays nothing', async () => {
    const store = createIdempotencyStore(connection, { collection: uniqueName('keys') });
    const fn = async () => undefined;

    await store.execute('key-void', 's', 'fp', fn);

    await expect(store.execute('key-void', 's', 'fp', fn)).resolves.toEqual({
      result: undefined,
      replayed: true,
    });
  });

  it('when one key comes with a different request, then it is refused with idempotency.key_reused and nothing runs', async () => {
    const store = createIdempotencyStore(connection, { collection: uniqueName('keys') });
    const { fn, runs } = command();
    await store.execute('key-2', 'scope', 'fp-a', fn);

    const refused = store.execute('key-2', 'scope', 'fp-b', fn);

    await expect(refused).rejects.toBeInstanceOf(IdempotencyError);
    await expect(refused).rejects.toMatchObject({ code: 'idempotency.key_reused' });
    expect(runs()).toBe(1);
  });

  it('when one key is used in two scopes, then each scope runs its own command', async () => {
    const store = createIdempotencyStore(connection, { collection: uniqueName('keys') });
    const { fn, runs } = command('ok');

    await store.execute('key-3', 'scope-a', 'fp', fn);
    await store.execute('key-3', 'scope-b', 'fp', fn);

    expect(runs()).toBe(2);
  });

  it('when two identical calls race, then the command runs exactly once and the other gets in_progress or the replay', async () => {
    const store = createIdempotencyStore(connection, { collection: uniqueName('keys') });
    let runs = 0;
    const slow = async () => {
      runs += 1;
      await sleep(300);
      return { ok: true };
    };

    const outcomes = await Promise.allSettled([
      store.execute('key-4', 'scope', 'fp', slow),
      store.execute('key-4', 'scope', 'fp', slow),
    ]);

    expect(runs).toBe(1);
    const fresh = outcomes.filter((o) => o.status === 'fulfilled' && !o.value.replayed);
    expect(fresh).toHaveLength(1);
    const other = outcomes.find((o) => o !== fresh[0])!;
    if (other.status === 'rejected') {
      expect(other.reason).toMatchObject({ code: 'idempotency.in_progress' });
    } else {
      expect(other.value).toEqual({ result: { ok: true }, replayed: true });
    }
  });

  it('when the command fails, then the key is released and a retry runs it and succeeds', async () => {
    const store = createIdempotencyStore(connection, { collection: uniqueName('keys') });
    let runs = 0;
    const flaky = async () => {
      runs += 1;
      if (runs === 1) throw new Error('downstream unavailable');
      return 'done';
    };

    await expect(store.execute('key-5', 'scope', 'fp', flaky)).rejects.toThrow('downstream unavailable');
    const retried = await store.execute('key-5', 'scope', 'fp', flaky);

    expect(retried).toEqual({ result: 'done', replayed: false });
    expect(runs).toBe(2);
  });

  it('when the process holding a key died, then after the pending timeout a retry takes it over and runs', async () => {
    const store = createIdempotencyStore(connection, {
      collection: uniqueName('keys'),
      pendingTimeoutMs: 200,
    });
    void store.execute('key-6', 'scope', 'fp', () => new Promise<never>(() => undefined)); // never finishes
    await sleep(50);
    await expect(store.execute('key-6', 'scope', 'fp', async () => 'late')).rejects.toMatchObject({
      code: 'idempotency.in_progress',
    });

    await sleep(250);
    const retried = await store.execute('key-6', 'scope', 'fp', async () => 'taken over');

    expect(retried).toEqual({ result: 'taken over', replayed: false });
  });

  it('when records are older than the retention, then the purge removes them and keeps the fresh ones', async () => {
    const collection = uniqueName('keys');
    const store = createIdempotencyStore(connection, { collection, retentionMs: 300 });
    const { fn, runs } = command('v');
    await store.execute('old', 'scope', 'fp', fn);
    await sleep(400);
    await store.execute('fresh', 'scope', 'fp', fn);

    const purged = await store.purge();

    expect(purged).toBe(1);
    expect(await connection.collection(collection).countDocuments()).toBe(1);
    expect((await store.execute('fresh', 'scope', 'fp', fn)).replayed).toBe(true);
    expect((await store.execute('old', 'scope', 'fp', fn)).replayed).toBe(false);
    expect(runs()).toBe(3);
  });

  it('when the purge job runs in the background, then old records disappear without a call and stop ends it', async () => {
    const collection = uniqueName('keys');
    const store = createIdempotencyStore(connection, { collection, retentionMs: 100 });
    await store.execute('k', 'scope', 'fp', async () => 1);

    store.startPurge(50);
    await waitFor(async () => (await connection.collection(collection).countDocuments()) === 0, {
      timeoutMs: 5_000,
      what: 'the purge job',
    });
    store.stop();
  });
});
