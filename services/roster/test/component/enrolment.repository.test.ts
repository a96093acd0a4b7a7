import mongoose, { type Connection } from 'mongoose';
import { createEventCodec } from '@edu/events';
import { protoFile } from '@edu/proto';
import { createDocumentLock } from '@edu/store';
import { endpoints, uniqueName } from '@edu/testing';
import type { Enrolment, Movement } from '../../src/domain/enrolment';
import { toDocument } from '../../src/data-access/enrolment.mapper';
import { enrolmentModel, type EnrolmentDocument } from '../../src/data-access/enrolment.model';
import {
  ENROLMENT_JOURNAL,
  createEnrolmentRepository,
  type EnrolmentStore,
} from '../../src/data-access/enrolment.repository';
import { ROSTER_EVENT_TYPES } from '../../src/data-access/roster-events';
import { storedEnrolment } from '../unit/fixtures';

// Ending enrolments in bulk (the graduates of a rollover) against the real FerretDB: the
// replacement through a journal, and its recovery after a crash half way.

describe('roster: enrolments ended in bulk (real FerretDB)', () => {
  let connection: Connection;
  let repository: EnrolmentStore;
  const ctx = { actor: { accountId: 'acc-director', schoolRoles: [], grants: [] }, traceId: 'trace-1' };
  const order = { number: '77-о', date: '2027-06-20', title: 'О переводе и выпуске обучающихся' };
  const graduation = (fromClassId: string): Movement => ({
    kind: 'graduated',
    fromClassId,
    toClassId: '',
    effectiveOn: '2027-05-31',
    order,
    reason: '',
    recordedAt: '2027-06-20T03:00:00.000Z',
    recordedBy: 'acc-director',
  });
  const enrolment = (yearId: string, studentId: string, classId: string): Enrolment =>
    storedEnrolment(studentId, classId, { id: `${yearId}:${studentId}`, academicYearId: yearId });
  const raw = () => connection.collection<EnrolmentDocument>('enrolments');
  const journal = () => connection.collection(ENROLMENT_JOURNAL);

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(endpoints().mongoUrl, {
        dbName: uniqueName('roster_repo').replace(/[^a-z0-9_]/gi, '_'),
      })
      .asPromise();
    const codec = createEventCodec({
      protoFiles: [protoFile('edu/events/v1/roster.proto')],
      types: ROSTER_EVENT_TYPES,
    });
    repository = createEnrolmentRepository(enrolmentModel(connection), {
      codec,
      topic: 'test-edu.roster.v1',
      onEventsWritten: () => undefined,
      lock: createDocumentLock(),
    });
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('when two graduates are ended, then each gets its movement and status with its pending events kept, and the others are untouched', async () => {
    const year = uniqueName('year');
    const enrolled = [
      enrolment(year, 'g1', 'c-11a'),
      enrolment(year, 'g2', 'c-11b'),
      enrolment(year, 's1', 'c-5a'),
    ];
    await repository.createMany(
      enrolled.map((e) => ({
        enrolment: e,
        events: [{ type: 'edu.roster.student.enrolled', enrolment: e, movement: e.movements[0]! }],
      })),
      ctx,
    );

    const ended = await repository.endMany(
      [
        { id: `${year}:g1`, movement: graduation('c-11a') },
        { id: `${year}:g2`, movement: graduation('c-11b') },
        { id: `${year}:nobody`, movement: graduation('c-11b') },
      ],
      'graduated',
    );
    const again = await repository.endMany(
      [{ id: `${year}:g1`, movement: graduation('c-11a') }],
      'graduated',
    );

    expect([ended, again]).toEqual([2, 0]);
    expect(await repository.get(`${year}:g2`)).toEqual({
      ...enrolled[1],
      status: 'graduated',
      classId: '',
      version: 2,
      movements: [...enrolled[1]!.movements, graduation('c-11b')],
    });
    expect(await repository.get(`${year}:s1`)).toEqual(enrolled[2]);
    const stored = await raw().findOne({ _id: `${year}:g1` });
    expect(stored).toMatchObject({
      outboxPending: true,
      outbox: [expect.objectContaining({ type: 'edu.roster.student.enrolled' })],
    });
    expect(await journal().countDocuments()).toBe(0);
  });

  it('when the process died between deleting and inserting, then recover puts the ended enrolments back, and a journal of a replacement that never started changes nothing', async () => {
    const year = uniqueName('year');
    const [g1, g2] = [enrolment(year, 'g1', 'c-11a'), enrolment(year, 'g2', 'c-11a')];
    await repository.createMany(
      [g1, g2].map((e) => ({ enrolment: e, events: [] })),
      ctx,
    );
    const endedG1 = {
      ...g1,
      status: 'graduated' as const,
      classId: '',
      version: 2,
      movements: [...g1.movements, graduation('c-11a')],
    };
    // A crash after the delete of g1: the journal holds its new document, the collection nothing.
    await journal().insertOne({
      _id: uniqueName('entry') as never,
      docs: [toDocument(endedG1)],
      at: new Date(),
    });
    await raw().deleteOne({ _id: g1.id });
    // A crash before the delete of g2: the journal holds its new document, the collection the old one.
    const endedG2 = {
      ...g2,
      status: 'graduated' as const,
      classId: '',
      version: 2,
      movements: [...g2.movements, graduation('c-11a')],
    };
    await journal().insertOne({
      _id: uniqueName('entry') as never,
      docs: [toDocument(endedG2)],
      at: new Date(),
    });

    await repository.recover();

    expect(await repository.get(g1.id)).toEqual(endedG1);
    expect(await repository.get(g2.id)).toEqual(g2);
    expect(await journal().countDocuments()).toBe(0);
  });
});
