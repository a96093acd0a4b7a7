import mongoose, { type Connection } from 'mongoose';
import { endpoints, uniqueName } from '@edu/testing';
import { createModelStore } from '../../src/data-access/model-store';
import { createReadCache } from '../../src/data-access/read-cache';
import type { ClassDoc, LessonLocationDoc } from '../../src/domain/model';

// The model's generations in the real FerretDB: batched reads, inserts of new documents,
// replacements of changed ones, the cache written through, generations apart.

let connection: Connection;

beforeAll(async () => {
  connection = await mongoose
    .createConnection(endpoints().mongoUrl, { dbName: uniqueName('diary_store_test').replace(/\W/g, '_') })
    .asPromise();
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

const schoolClass = (id: string, name: string): ClassDoc => ({
  _id: id,
  schoolId: 's1',
  academicYearId: 'y1',
  grade: 5,
  name,
  classTeacherId: '',
  version: 1,
  teacherIds: [],
});

describe('a generation of the model', () => {
  it('fetches what a projection asks for in rounds, then writes what it changed', async () => {
    const cache = createReadCache(100);
    const store = createModelStore(connection, 1, () => cache);
    await store.apply(async (tx) => {
      tx.put('classes', schoolClass('c1', '5А'));
      tx.put('lessons', { _id: 'l1', weekId: 'c1:2026-11-23', formerWeekIds: [], lessonVersion: 1 });
      return Promise.resolve();
    });
    // A projection that needs a second round: the location says which class to read.
    let runs = 0;
    const written = await store.apply(async (tx) => {
      runs += 1;
      const location = await tx.get('lessons', 'l1');
      if (!location) return;
      const c = await tx.get('classes', location.weekId.split(':')[0]!);
      if (!c) return;
      tx.put('classes', { ...c, teacherIds: ['t1'] });
      tx.put('classes', schoolClass('c2', '5Б'));
    });
    expect(written).toBe(2);
    expect(runs).toBe(3); // missed the location, then the class; the third pass missed nothing
    const stored = await store.all('classes');
    expect(stored.map((c) => [c._id, c.teacherIds])).toEqual([
      ['c1', ['t1']],
      ['c2', []],
    ]);
    // Written through: the next read is the new document, from the cache.
    expect((await store.get('classes', 'c1'))?.teacherIds).toEqual(['t1']);
  });

  it('keeps generations apart and drops one whole', async () => {
    const g1 = createModelStore(connection, 1);
    const g2 = createModelStore(connection, 2);
    await g2.apply(async (tx) => {
      tx.put('lessons', { _id: 'l9', weekId: 'w', formerWeekIds: [], lessonVersion: 1 } as LessonLocationDoc);
      return Promise.resolve();
    });
    expect(await g1.get('lessons', 'l9')).toBeNull();
    expect((await g2.get('lessons', 'l9'))?.weekId).toBe('w');
    await g2.drop();
    expect(await g2.get('lessons', 'l9')).toBeNull();
    expect(await g1.get('lessons', 'l1')).not.toBeNull();
  });
});
