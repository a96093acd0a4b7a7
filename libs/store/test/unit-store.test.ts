import mongoose, { type Connection } from 'mongoose';
import { endpoints, uniqueName } from '@edu/testing';
import { createUnitStore } from '../src';

// The unit store in the real FerretDB: a unit's result, units one at a time, nothing of a failed
// unit written. (The diary's model-store tests cover the batched reads and the journaled writes.)

interface Docs {
  counters: { _id: string; value: number };
}

let connection: Connection;

beforeAll(async () => {
  connection = await mongoose
    .createConnection(endpoints().mongoUrl, { dbName: uniqueName('unit_store_test').replace(/\W/g, '_') })
    .asPromise();
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

function store() {
  return createUnitStore<Docs>({
    connection,
    collections: ['counters'],
    collectionName: (name) => `u_${name}`,
  });
}

async function increment(s: ReturnType<typeof store>, id: string): Promise<number> {
  return s.unit(async (tx) => {
    const value = ((await tx.get('counters', id))?.value ?? 0) + 1;
    tx.put('counters', { _id: id, value });
    return value;
  });
}

describe('the unit store', () => {
  it('returns the result of the pass that saw every document, and runs units one at a time', async () => {
    const s = store();
    // Ten read-modify-writes of one document started at once: none overtakes another.
    const results = await Promise.all(Array.from({ length: 10 }, () => increment(s, 'c1')));
    expect(results).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await s.get('counters', 'c1'))?.value).toBe(10);
  });

  it('writes nothing of a unit that fails, and the next unit still runs', async () => {
    const s = store();
    await expect(
      s.unit(async (tx) => {
        tx.put('counters', { _id: 'c2', value: 7 });
        await tx.get('counters', 'c2');
        throw new Error('the unit gives up');
      }),
    ).rejects.toThrow('the unit gives up');
    expect(await s.get('counters', 'c2')).toBeNull();
    expect(await increment(s, 'c2')).toBe(1);
  });
});
