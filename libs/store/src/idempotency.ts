import type { Connection } from 'mongoose';
import type { Logger } from 'pino';

/** Why an idempotent command was refused. */
export type IdempotencyErrorCode = 'idempotency.key_reused' | 'idempotency.in_progress';

/**
 * A refused idempotent command: the key was used for a different request, or the first request
 * with this key has not finished yet. Map it to ALREADY_EXISTS / ABORTED at the edge.
 */
export class IdempotencyError extends Error {
  override readonly name = 'IdempotencyError';

  constructor(
    readonly code: IdempotencyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Options of `createIdempotencyStore`. */
export interface IdempotencyOptions {
  /** How long a key is remembered; the purge job deletes older records. Default 24 h. */
  retentionMs?: number;
  /** Collection holding the keys. Default `idempotency_keys`. */
  collection?: string;
  /**
   * A pending record older than this is taken to belong to a crashed process and may be taken
   * over by a retry. Keep it well above the longest command. Default 60 s.
   */
  pendingTimeoutMs?: number;
  /** Failures of the background purge are logged here when given. */
  logger?: Logger;
}

/** The result of an idempotent command: its value, and whether it was replayed from the store. */
export interface IdempotentResult<T> {
  result: T;
  replayed: boolean;
}

/** Runs commands at most once per (key, scope) and replays their stored results. */
export interface IdempotencyStore {
  /**
   * Runs `fn` once for `key` in `scope`; a repeat with the same fingerprint gets the stored
   * (JSON-serializable) result with `replayed: true`. Throws IdempotencyError when the key was
   * used with another fingerprint or its first run is still in progress. When `fn` throws, the
   * key is released so that a retry can succeed.
   */
  execute<T>(
    key: string,
    scope: string,
    requestFingerprint: string,
    fn: () => Promise<T>,
  ): Promise<IdempotentResult<T>>;
  /** Deletes records older than the retention; returns how many. */
  purge(): Promise<number>;
  /** Runs `purge` every `intervalMs` in the background (timer does not keep the process alive). */
  startPurge(intervalMs: number): void;
  /** Stops the purge job. */
  stop(): void;
}

interface KeyRecord {
  key: string;
  scope: string;
  fingerprint: string;
  status: 'pending' | 'done';
  /** JSON text: results may hold keys FerretDB refuses (with '.' or a leading '$'). */
  result?: string;
  createdAt: Date;
  startedAt: Date;
}

const DUPLICATE_KEY = 11000;

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number } | null)?.code === DUPLICATE_KEY;
}

/** Creates the idempotency store on the service's connection (indexes are created on first use). */
export function createIdempotencyStore(
  connection: Connection,
  {
    retentionMs = 24 * 60 * 60_000,
    collection = 'idempotency_keys',
    pendingTimeoutMs = 60_000,
    logger,
  }: IdempotencyOptions = {},
): IdempotencyStore {
  const records = () => connection.collection<KeyRecord>(collection);
  let indexes: Promise<void> | undefined;
  let purgeTimer: NodeJS.Timeout | undefined;

  function ensureIndexes(): Promise<void> {
    indexes ??= (async () => {
      await records().createIndex({ key: 1, scope: 1 }, { unique: true });
      await records().createIndex({ createdAt: 1 });
    })().catch((error: unknown) => {
      indexes = undefined; // try again on the next call
      throw error;
    });
    return indexes;
  }

  /** Inserts the pending record, or returns the record that holds the key. */
  async function claim(
    key: string,
    scope: string,
    fingerprint: string,
  ): Promise<KeyRecord | { claimedAt: Date }> {
    // Bounded: each round either claims, or finds a record; it only loops when the record it
    // collided with vanished (released after a failure, or purged) in between.
    for (let round = 0; round < 5; round += 1) {
      const now = new Date();
      try {
        await records().insertOne({
          key,
          scope,
          fingerprint,
          status: 'pending',
          createdAt: now,
          startedAt: now,
        });
        return { claimedAt: now };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const existing = await records().findOne({ key, scope });
      if (!existing) continue;
      if (existing.fingerprint !== fingerprint || existing.status === 'done') return existing;
      if (Date.now() - existing.startedAt.getTime() < pendingTimeoutMs) return existing;
      // Abandoned by a crashed process: take it over, atomically against other retries.
      const claimedAt = new Date();
      const takeover = await records().updateOne(
        { key, scope, status: 'pending', startedAt: existing.startedAt },
        { $set: { startedAt: claimedAt } },
      );
      if (takeover.modifiedCount === 1) return { claimedAt };
    }
    throw new IdempotencyError('idempotency.in_progress', 'the idempotency key is contended; retry later');
  }

  async function execute<T>(
    key: string,
    scope: string,
    fingerprint: string,
    fn: () => Promise<T>,
  ): Promise<IdempotentResult<T>> {
    await ensureIndexes();
    const claimed = await claim(key, scope, fingerprint);
    if (!('claimedAt' in claimed)) {
      if (claimed.fingerprint !== fingerprint) {
        throw new IdempotencyError(
          'idempotency.key_reused',
          'the idempotency key was used for a different request',
        );
      }
      if (claimed.status === 'pending') {
        throw new IdempotencyError(
          'idempotency.in_progress',
          'a request with this idempotency key is in progress',
        );
      }
      const result = claimed.result === undefined ? undefined : (JSON.parse(claimed.result) as T);
      return { result: result as T, replayed: true };
    }
    // Our claim, exactly: a record taken over after a timeout belongs to someone else.
    const ours = { key, scope, status: 'pending', startedAt: claimed.claimedAt } as const;
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      await records()
        .deleteOne(ours)
        .catch(() => undefined); // the command's error matters more; the key expires anyway
      throw error;
    }
    const text = JSON.stringify(result);
    await records().updateOne(ours, {
      $set: { status: 'done', ...(text === undefined ? {} : { result: text }) },
    });
    return { result, replayed: false };
  }

  async function purge(): Promise<number> {
    const outcome = await records().deleteMany({ createdAt: { $lt: new Date(Date.now() - retentionMs) } });
    return outcome.deletedCount;
  }

  return {
    execute,
    purge,
    startPurge(intervalMs) {
      if (purgeTimer) return;
      purgeTimer = setInterval(() => {
        // A failed purge is retried on the next tick; old keys only cost space meanwhile.
        purge().catch((error: unknown) =>
          logger?.warn({ err: error, collection }, 'idempotency key purge failed'),
        );
      }, intervalMs);
      purgeTimer.unref();
    },
    stop() {
      clearInterval(purgeTimer);
      purgeTimer = undefined;
    },
  };
}
