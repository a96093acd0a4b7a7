import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { createEventCodec } from '@edu/events';
import { protoFile } from '@edu/proto';
import type { ThematicPlanSet } from '@edu/proto/dist/generated/edu/events/v1/ThematicPlanSet';
import { closeStore, connectStore, createDocumentLock, syncAllIndexes } from '@edu/store';
import { endpoints, uniqueName } from '@edu/testing';
import { GRADEBOOK_EVENT_TYPES } from '../../src/data-access/gradebook-events';
import { createThematicPlanRepository } from '../../src/data-access/thematic-plan.repository';
import { thematicPlanModel } from '../../src/data-access/thematic-plan.model';
import { toPlanState } from '../../src/data-access/thematic-plan.mapper';
import { DomainError } from '@edu/kit';
import type { RequestContext, ThematicPlan, ThematicPlanRepository } from '../../src/domain/ports';
import { emptyPlan, planSetFact } from '../../src/domain/thematic-plan';

// Thematic plans in the real FerretDB: a plan read back as stored, its event in the same
// document write, versions checked on create and on update.

describe('gradebook: thematic plans in the store (real FerretDB)', () => {
  let store: Connection;
  let plans: ThematicPlanRepository;
  let written = 0;
  const codec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/gradebook.proto')],
    types: GRADEBOOK_EVENT_TYPES,
  });
  const ctx: RequestContext = {
    actor: { accountId: 'acc-teacher', personId: 'person-teacher', schoolRoles: [], grants: [] },
    traceId: 'trace-plan',
  };
  const raw = (id: string) =>
    store
      .collection<{ _id: string; outbox?: { type: string; value: { buffer: ArrayBuffer } }[] }>(
        'thematic_plans',
      )
      .findOne({ _id: id });

  function newPlan(version: number): ThematicPlan {
    const yearId = randomUUID();
    const classId = randomUUID();
    const courseId = `${yearId}:${classId}:-:math`;
    return {
      ...emptyPlan({
        courseId,
        schoolId: 'school-1',
        academicYearId: yearId,
        classId,
        subgroupId: '',
        subjectId: 'math',
      }),
      items: [
        {
          id: randomUUID(),
          number: 1,
          section: 'Натуральные числа',
          title: 'Ряд чисел',
          hours: 1.5,
          controlWork: false,
        },
        {
          id: randomUUID(),
          number: 2,
          section: '',
          title: 'Контрольная работа № 1',
          hours: 1,
          controlWork: true,
        },
      ],
      updatedBy: 'person-teacher',
      updatedAt: '2026-08-25T03:00:00.000Z',
      version,
    };
  }

  beforeAll(async () => {
    store = await connectStore({
      url: endpoints().mongoUrl,
      dbName: uniqueName('gradebook-plans').replaceAll('-', '_'),
    });
    const model = thematicPlanModel(store);
    await syncAllIndexes(store);
    plans = createThematicPlanRepository(model, {
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

  it('when a plan is created, then it reads back as stored and its event is in the same document', async () => {
    const plan = newPlan(1);
    const before = written;
    await plans.save(plan, 0, [planSetFact(plan, null)], ctx);

    expect(await plans.get(plan.courseId)).toEqual(plan);
    expect(written).toBe(before + 1);
    const doc = await raw(plan.courseId);
    expect(doc?.outbox?.map((e) => e.type)).toEqual(['edu.gradebook.plan.set']);
    const decoded = codec.decode<ThematicPlanSet>(Buffer.from(doc!.outbox![0]!.value.buffer));
    expect(decoded.envelope).toMatchObject({
      type: 'edu.gradebook.plan.set',
      schoolId: 'school-1',
      aggregateId: plan.courseId,
      aggregateVersion: 1,
      actor: { accountId: 'acc-teacher', personId: 'person-teacher' },
      traceId: 'trace-plan',
    });
    expect(decoded.payload.plan).toEqual(toPlanState(plan, null));
  });

  it('when a plan is set again at the version stored, then the new one replaces it with both events pending', async () => {
    const plan = newPlan(1);
    await plans.save(plan, 0, [planSetFact(plan, null)], ctx);
    const next: ThematicPlan = {
      ...plan,
      items: plan.items.slice(1).map((i) => ({ ...i, number: 1 })),
      version: 2,
    };
    await plans.save(next, 1, [planSetFact(next, null)], ctx);

    expect(await plans.get(plan.courseId)).toEqual(next);
    expect((await raw(plan.courseId))?.outbox).toHaveLength(2);
  });

  it('when someone saved the plan meanwhile, then an update at the old version and a second create are conflicts', async () => {
    const plan = newPlan(1);
    await plans.save(plan, 0, [planSetFact(plan, null)], ctx);
    const second = { ...plan, version: 2 };
    await plans.save(second, 1, [planSetFact(second, null)], ctx);

    const stale = { ...plan, items: [], version: 2 };
    await expect(plans.save(stale, 1, [planSetFact(stale, null)], ctx)).rejects.toMatchObject({
      kind: 'conflict',
      code: 'plan.version_conflict',
    });
    const again = await plans.save(plan, 0, [planSetFact(plan, null)], ctx).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(DomainError);
    expect(again).toMatchObject({ code: 'plan.version_conflict' });
    expect(await plans.get(plan.courseId)).toEqual(second);
  });

  it('when no plan was set for a course, then none is read', async () => {
    expect(await plans.get(`${randomUUID()}:${randomUUID()}:-:math`)).toBeNull();
  });
});
