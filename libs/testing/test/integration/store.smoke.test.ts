import mongoose, { Schema, type Connection } from 'mongoose';
import { endpoints, uniqueName } from '../../src';

// Smoke test (b): mongoose over the real FerretDB (SQLite or PostgreSQL backend).
interface Journal {
  schoolId: string;
  classLabel: string;
  version: number;
  marks: { studentId: string; value: number }[];
}

const journalSchema = new Schema<Journal>({
  schoolId: { type: String, required: true },
  classLabel: { type: String, required: true },
  version: { type: Number, required: true, default: 0 },
  marks: [{ _id: false, studentId: String, value: Number }],
});
journalSchema.index({ schoolId: 1, classLabel: 1 }, { unique: true });

describe(`mongoose over FerretDB (${process.env.EDU_STORE_BACKEND ?? 'sqlite'} backend, real process)`, () => {
  let connection: Connection;
  const dbName = uniqueName('smoke').replace(/-/g, '_');

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(endpoints().mongoUrl, { dbName, serverSelectionTimeoutMS: 5000 })
      .asPromise();
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('when a document is inserted, changed with $inc and $push and read lean, then the store has every change', async () => {
    const Journals = connection.model<Journal>('Journal', journalSchema);
    await Journals.syncIndexes();
    const indexes = await Journals.collection.indexes();
    expect(indexes.find((i) => i.key.schoolId === 1 && i.key.classLabel === 1)?.unique).toBe(true);

    const created = await Journals.create({ schoolId: 's1', classLabel: '5А' });
    await Journals.updateOne(
      { _id: created._id, version: 0 },
      { $inc: { version: 1 }, $push: { marks: { studentId: 'p1', value: 5 } } },
    );
    await Journals.updateOne(
      { _id: created._id, version: 1 },
      { $inc: { version: 1 }, $push: { marks: { studentId: 'p2', value: 4 } } },
    );
    // A stale version matches nothing: the optimistic-concurrency pattern services rely on.
    const stale = await Journals.updateOne({ _id: created._id, version: 0 }, { $inc: { version: 1 } });

    const found = await Journals.findOne({ schoolId: 's1', classLabel: '5А' }).lean();
    expect(stale.modifiedCount).toBe(0);
    expect(found).toMatchObject({
      version: 2,
      marks: [
        { studentId: 'p1', value: 5 },
        { studentId: 'p2', value: 4 },
      ],
    });
    expect(found && '$isNew' in found).toBe(false); // lean: a plain object, not a document
  });

  it('when a second document breaks the unique index, then a duplicate-key error (11000) surfaces and nothing is written', async () => {
    const Journals = connection.model<Journal>('JournalUnique', journalSchema);
    await Journals.syncIndexes();
    await Journals.create({ schoolId: 's2', classLabel: '6Б' });

    await expect(Journals.create({ schoolId: 's2', classLabel: '6Б' })).rejects.toMatchObject({
      code: 11000,
    });
    expect(await Journals.countDocuments({ schoolId: 's2' })).toBe(1);
  });
});
