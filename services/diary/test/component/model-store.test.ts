import mongoose, { type Connection } from 'mongoose';
import { endpoints, uniqueName } from '@edu/testing';
import { createModelStore } from '../../src/data-access/model-store';
import { createReadCache } from '@edu/store';
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

  it('replaces many changed documents in a journaled batch, and finishes a batch a crash interrupted', async () => {
    const store = createModelStore(connection, 3);
    const names = ['5А', '5Б', '6А', '6Б', '7А'];
    await store.apply(async (tx) => {
      names.forEach((name, i) => tx.put('classes', schoolClass(`k${i}`, name)));
      return Promise.resolve();
    });
    await store.apply(async (tx) => {
      for (let i = 0; i < names.length; i += 1) {
        const c = (await tx.get('classes', `k${i}`))!;
        tx.put('classes', { ...c, version: 2, classTeacherId: `t${i}` });
      }
    });
    const stored = await store.all('classes');
    expect(stored.map((c) => [c._id, c.version, c.classTeacherId])).toEqual(
      names.map((_, i) => [`k${i}`, 2, `t${i}`]),
    );
    expect(await connection.collection('g3_pending').countDocuments()).toBe(0);

    // A crash after the old versions were deleted and before the new ones were inserted: the
    // journal still holds them, and the next start finishes the batch.
    await connection.collection('g3_classes').deleteMany({ _id: { $in: ['k0', 'k1'] } as never });
    await connection.collection('g3_pending').insertMany(
      ['k0', 'k1'].map((id, i) => ({
        _id: `crashed:${i}`,
        batch: 'crashed',
        collection: 'classes',
        doc: { ...schoolClass(id, id), version: 3 },
      })) as never[],
    );
    expect(await store.recover()).toBe(1);
    expect((await store.all('classes')).map((c) => [c._id, c.version])).toEqual([
      ['k0', 3],
      ['k1', 3],
      ['k2', 2],
      ['k3', 2],
      ['k4', 2],
    ]);
    expect(await connection.collection('g3_pending').countDocuments()).toBe(0);
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
