import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import { endpoints, uniqueName } from '@edu/testing';
import { closeStore, connectStore, createDocumentLock } from '../src';

describe('document lock (real FerretDB)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await connectStore({
      url: endpoints().mongoUrl,
      dbName: uniqueName('store_lock').replace(/-/g, '_'),
    });
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await closeStore(connection);
  });

  it('when 200 concurrent updates of one document go through the lock, then none of them is lost', async () => {
    const counters = connection.collection<{ _id: string; n: number; seen: number[] }>(
      uniqueName('counters'),
    );
    const model = { collection: counters };
    await counters.insertOne({ _id: 'c', n: 0, seen: [] });
    const lock = createDocumentLock();

    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        lock.run(model, ['c'], () =>
          counters.updateOne({ _id: 'c' }, { $inc: { n: 1 }, $push: { seen: i } }),
        ),
      ),
    );

    const counter = await counters.findOne({ _id: 'c' });
    expect(counter?.n).toBe(200);
    expect(counter?.seen).toHaveLength(200);
  });

  it('when callers hold different documents, then they run at the same time', async () => {
    const lock = createDocumentLock();
    const model = { collection: { collectionName: 'things' } };
    const started = Date.now();

    await Promise.all(['a', 'b', 'c'].map((id) => lock.run(model, [id], () => sleep(200))));

    expect(Date.now() - started).toBeLessThan(350);
  });

  it('when callers take overlapping sets in opposite orders, then all finish, one at a time (no deadlock)', async () => {
    const lock = createDocumentLock();
    const model = { collection: { collectionName: 'things' } };
    const order: string[] = [];
    const job = (name: string, ids: string[]) =>
      lock.run(model, ids, async () => {
        order.push(`${name}:in`);
        await sleep(20);
        order.push(`${name}:out`);
      });

    await Promise.all([job('x', ['a', 'b']), job('y', ['b', 'a']), job('z', ['b'])]);

    expect(order).toHaveLength(6);
    for (let i = 0; i < order.length; i += 2) {
      expect(order[i + 1]).toBe(order[i]!.replace(':in', ':out')); // nobody entered while another held 'b'
    }
  });

  it('when the locked work fails, then the error surfaces and the document is free again', async () => {
    const lock = createDocumentLock();
    const model = { collection: { collectionName: 'things' } };

    await expect(lock.run(model, ['a'], () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');

    await expect(lock.run(model, ['a'], async () => 'next')).resolves.toBe('next');
  });
});
