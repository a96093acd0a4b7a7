import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { createEventCodec } from '@edu/events';
import { protoFile } from '@edu/proto';
import type { PeriodMarkCorrected } from '@edu/proto/dist/generated/edu/events/v1/PeriodMarkCorrected';
import type { PeriodMarkPosted } from '@edu/proto/dist/generated/edu/events/v1/PeriodMarkPosted';
import { closeStore, connectStore, createDocumentLock, syncAllIndexes } from '@edu/store';
import { endpoints, uniqueName } from '@edu/testing';
import { GRADEBOOK_EVENT_TYPES } from '../../src/data-access/gradebook-events';
import { toPeriodMarkState } from '../../src/data-access/period-mark.mapper';
import { periodMarkModel } from '../../src/data-access/period-mark.model';
import { createPeriodMarkRepository } from '../../src/data-access/period-mark.repository';
import {
  periodMarkId,
  type GradebookFact,
  type PeriodMark,
  type PeriodMarkRepository,
  type RequestContext,
} from '../../src/domain/ports';

// Period marks in the real FerretDB: read back by `_id` as stored, their events in the same
// document write with the mark's state, versions checked on create and on update.

describe('gradebook: period marks in the store (real FerretDB)', () => {
  let store: Connection;
  let marks: PeriodMarkRepository;
  let written = 0;
  const codec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/gradebook.proto')],
    types: GRADEBOOK_EVENT_TYPES,
  });
  const ctx: RequestContext = {
    actor: { accountId: 'acc-teacher', personId: 'person-teacher', schoolRoles: [], grants: [] },
    traceId: 'trace-period-mark',
  };
  const yearId = randomUUID();
  const raw = (id: string) =>
    store
      .collection<{ _id: string; outbox?: { type: string; value: { buffer: ArrayBuffer } }[] }>(
        'period_marks',
      )
      .findOne({ _id: id });

  function newMark(kind: PeriodMark['kind'] = 'period', period = 2): PeriodMark {
    const studentId = randomUUID();
    const id = periodMarkId({ academicYearId: yearId, studentId, subjectId: 'math', kind, period });
    return {
      id,
      schoolId: 'school-1',
      academicYearId: yearId,
      studentId,
      classId: 'class-5a',
      subjectId: 'math',
      subjectKey: 'math',
      kind,
      period,
      value: '4',
      setBy: 'person-teacher',
      setAt: '2026-12-25T03:00:00.000Z',
      arithmeticAverage: 4.25,
      weightedAverage: 4.4,
      marksCount: 8,
      history: [
        {
          kind: 'posted',
          value: '4',
          workType: '',
          weight: 0,
          comment: '',
          by: 'person-teacher',
          at: '2026-12-25T03:00:00.000Z',
          reason: '',
          orderRef: '',
        },
      ],
      version: 1,
    };
  }

  const posted = (m: PeriodMark): GradebookFact => ({
    type: 'edu.gradebook.period_mark.posted',
    schoolId: m.schoolId,
    aggregateId: m.id,
    aggregateVersion: m.version,
    payload: {},
  });

  function corrected(m: PeriodMark, value: string): { mark: PeriodMark; fact: GradebookFact } {
    const mark: PeriodMark = {
      ...m,
      value,
      history: [
        ...m.history,
        { ...m.history[0]!, kind: 'corrected', value, by: 'deputy-1', reason: 'апелляция', orderRef: '№ 45' },
      ],
      version: m.version + 1,
    };
    return {
      mark,
      fact: {
        type: 'edu.gradebook.period_mark.corrected',
        schoolId: m.schoolId,
        aggregateId: m.id,
        aggregateVersion: mark.version,
        payload: { previous_value: m.value, reason: 'апелляция' },
      },
    };
  }

  beforeAll(async () => {
    store = await connectStore({
      url: endpoints().mongoUrl,
      dbName: uniqueName('gradebook-period-marks').replaceAll('-', '_'),
    });
    const model = periodMarkModel(store);
    await syncAllIndexes(store);
    marks = createPeriodMarkRepository(model, {
      codec,
      topic: 'test.edu.gradebook.v1',
      lock: createDocumentLock(),
      onEventsWritten: () => {
        written += 1;
      },
    });
  });

  afterAll(async () => {
    await store?.dropDatabase();
    if (store) await closeStore(store);
  });

  it('when a mark is set, then it reads back as stored and its event carries its state', async () => {
    const mark = newMark();
    const before = written;
    await marks.save(mark, 0, [posted(mark)], ctx);

    expect(await marks.get(mark.id)).toEqual(mark);
    expect(written).toBe(before + 1);
    const doc = await raw(mark.id);
    expect(doc?.outbox?.map((e) => e.type)).toEqual(['edu.gradebook.period_mark.posted']);
    const decoded = codec.decode<PeriodMarkPosted>(Buffer.from(doc!.outbox![0]!.value.buffer));
    expect(decoded.envelope).toMatchObject({
      type: 'edu.gradebook.period_mark.posted',
      schoolId: 'school-1',
      aggregateId: mark.id,
      aggregateVersion: 1,
      actor: { accountId: 'acc-teacher', personId: 'person-teacher' },
      traceId: 'trace-period-mark',
    });
    expect(decoded.payload.period_mark).toMatchObject({
      ...toPeriodMarkState(mark),
      version: '1',
      history: [expect.objectContaining({ kind: 'posted', value: '4' })],
    });
  });

  it('when it is corrected at the version stored, then the history has both values and the event the old one', async () => {
    const mark = newMark('year', 0);
    await marks.save(mark, 0, [posted(mark)], ctx);
    const next = corrected(mark, '5');
    await marks.save(next.mark, 1, [next.fact], ctx);

    const stored = await marks.get(mark.id);
    expect(stored).toEqual(next.mark);
    expect(toPeriodMarkState(stored!).corrected).toBe(true);
    const doc = await raw(mark.id);
    expect(doc?.outbox?.map((e) => e.type)).toEqual([
      'edu.gradebook.period_mark.posted',
      'edu.gradebook.period_mark.corrected',
    ]);
    const decoded = codec.decode<PeriodMarkCorrected>(Buffer.from(doc!.outbox![1]!.value.buffer));
    expect(decoded.payload).toMatchObject({
      previous_value: '4',
      reason: 'апелляция',
      period_mark: { value: '5', corrected: true, version: '2' },
    });
  });

  it('when someone set or corrected the mark meanwhile, then a second set and a stale correction are conflicts', async () => {
    const mark = newMark();
    await marks.save(mark, 0, [posted(mark)], ctx);
    await expect(marks.save(mark, 0, [posted(mark)], ctx)).rejects.toMatchObject({
      kind: 'conflict',
      code: 'period_mark.version_conflict',
    });
    const first = corrected(mark, '5');
    await marks.save(first.mark, 1, [first.fact], ctx);
    const stale = corrected(mark, '3');
    await expect(marks.save(stale.mark, 1, [stale.fact], ctx)).rejects.toMatchObject({ kind: 'conflict' });
    expect((await marks.get(mark.id))?.value).toBe('5');
  });

  it('reads many marks by id, unknown ids left out, across more ids than one read takes', async () => {
    const some = [newMark(), newMark('exam', 0), newMark('final', 0)];
    for (const m of some) await marks.save(m, 0, [posted(m)], ctx);
    const unknown = Array.from({ length: 1200 }, () => `${yearId}:${randomUUID()}:math:period:1`);
    const found = await marks.getMany([
      ...unknown.slice(0, 700),
      ...some.map((m) => m.id),
      ...unknown.slice(700),
    ]);
    expect(found.map((m) => m.id).sort()).toEqual(some.map((m) => m.id).sort());
    expect(await marks.getMany([])).toEqual([]);
    expect(await marks.get('nope')).toBeNull();
  });
});
