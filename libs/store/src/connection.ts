import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';

/** Options of `connectStore`. */
export interface StoreOptions {
  /** MongoDB-protocol URL without the database, e.g. `mongodb://127.0.0.1:27017`. */
  url: string;
  /** The service's own database. */
  dbName: string;
  /** Connection events (disconnected, reconnected, errors) are logged here when given. */
  logger?: Logger;
  /** Shown by the server in its connection list, e.g. the service name. */
  appName?: string;
}

/** Pool size and timeouts every service uses: small enough for a pod, fast enough to fail readiness. */
export const STORE_CONNECTION_DEFAULTS = {
  maxPoolSize: 20,
  serverSelectionTimeoutMS: 5_000,
  socketTimeoutMS: 30_000,
  connectTimeoutMS: 5_000,
} as const;

/**
 * Opens the service's own mongoose connection (never the global mongoose) and resolves once the
 * server answered; rejects after the server-selection timeout when it does not.
 */
export async function connectStore({ url, dbName, logger, appName }: StoreOptions): Promise<Connection> {
  const connection = mongoose.createConnection(url, {
    ...STORE_CONNECTION_DEFAULTS,
    dbName,
    ...(appName ? { appName } : {}),
    // Indexes are built once at startup by syncAllIndexes, not lazily behind the first request.
    autoIndex: false,
    autoCreate: false,
    // Without buffering an operation goes straight to the driver, which waits at most the
    // server-selection timeout; mongoose's buffer would hide an outage for another 10 s.
    bufferCommands: false,
  });
  const log = logger?.child({ module: 'store', db: dbName });
  if (log) {
    connection.on('disconnected', () => log.warn('store disconnected'));
    connection.on('reconnected', () => log.info('store reconnected'));
    connection.on('error', (error: unknown) => log.error({ err: error }, 'store connection error'));
  }
  try {
    await connection.asPromise();
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
  log?.info('store connected');
  return connection;
}

/**
 * Creates every index declared on the connection's models and drops the ones no longer declared;
 * call it once at startup, after the models are registered and before serving.
 */
export async function syncAllIndexes(connection: Connection): Promise<void> {
  // One model at a time: FerretDB builds indexes synchronously and a burst gains nothing.
  for (const model of Object.values(connection.models)) {
    await model.createCollection().catch((error: unknown) => {
      // NamespaceExists (48): the collection is already there, which is the usual case.
      if ((error as { code?: number }).code !== 48) throw error;
    });
    await model.syncIndexes();
  }
}

/**
 * A readiness check for `/readyz`: resolves when the store answers a ping within `timeoutMs`,
 * throws at once when the connection is not open.
 */
export function storeCheck(connection: Connection, { timeoutMs = 2_000 } = {}): () => Promise<void> {
  return async () => {
    const db = connection.db;
    if (connection.readyState !== mongoose.ConnectionStates.connected || !db) {
      throw new Error(`store not connected (state ${mongoose.ConnectionStates[connection.readyState]})`);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`store did not answer a ping within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([db.command({ ping: 1 }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Closes the connection (waits for operations in flight); part of graceful shutdown. */
export async function closeStore(connection: Connection): Promise<void> {
  await connection.close();
}
