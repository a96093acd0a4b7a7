import { createServer } from 'node:net';
import { Schema, type Connection } from 'mongoose';
import { endpoints, uniqueName } from '@edu/testing';
import { closeStore, connectStore, storeCheck, syncAllIndexes } from '../src';

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('store connection (real FerretDB)', () => {
  let connection: Connection;
  const dbName = uniqueName('store_conn').replace(/-/g, '_');

  beforeAll(async () => {
    connection = await connectStore({ url: endpoints().mongoUrl, dbName, appName: 'store-test' });
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await closeStore(connection);
  });

  it('when the store is reachable, then the readiness check passes and the connection uses its own database', async () => {
    await expect(storeCheck(connection)()).resolves.toBeUndefined();
    expect(connection.name).toBe(dbName);
  });

  it('when indexes are synced twice, then every declared index exists and the second sync changes nothing', async () => {
    const schema = new Schema({ schoolId: String, code: String, at: Date });
    schema.index({ schoolId: 1, code: 1 }, { unique: true });
    schema.index({ at: 1 });
    const Things = connection.model('Thing', schema);

    await syncAllIndexes(connection);
    const first = await Things.collection.indexes();
    await syncAllIndexes(connection);
    const second = await Things.collection.indexes();

    expect(first.find((i) => i.key.schoolId === 1 && i.key.code === 1)?.unique).toBe(true);
    expect(first.some((i) => i.key.at === 1)).toBe(true);
    expect(second.map((i) => i.name).sort()).toEqual(first.map((i) => i.name).sort());
    await Things.create({ schoolId: 's', code: 'c' });
    await expect(Things.create({ schoolId: 's', code: 'c' })).rejects.toMatchObject({ code: 11000 });
  });

  it('when the connection is closed, then the readiness check fails at once', async () => {
    const other = await connectStore({ url: endpoints().mongoUrl, dbName });
    await closeStore(other);

    const started = Date.now();
    await expect(storeCheck(other)()).rejects.toThrow(/not connected/);
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('when nothing listens on the port, then connecting fails within the server-selection timeout', async () => {
    const port = await closedPort();

    const started = Date.now();
    await expect(connectStore({ url: `mongodb://127.0.0.1:${port}`, dbName })).rejects.toThrow();
    const elapsed = Date.now() - started;

    expect(elapsed).toBeLessThan(7_000);
  });
});
