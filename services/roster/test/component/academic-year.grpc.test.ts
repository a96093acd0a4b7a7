import * as grpc from '@grpc/grpc-js';
import { createEventCodec } from '@edu/events';
import { protoFile } from '@edu/proto';
import { uniqueName, waitFor } from '@edu/testing';
import { Kafka, logLevel } from 'kafkajs';
import { ROSTER_EVENT_TYPES } from '../../src/data-access/roster-events';
import {
  cardMessage,
  operator,
  planMessage,
  refusal,
  staffOf,
  startRoster,
  type RosterHarness,
} from './harness';

// Academic years through roster's gRPC API against the real FerretDB and Kafka.

describe('roster: academic years over gRPC (real FerretDB and Kafka)', () => {
  let roster: RosterHarness;
  let schoolId: string;
  const years = () => roster.store.collection('academic_years');

  beforeAll(async () => {
    roster = await startRoster();
    const { school } = await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator));
    schoolId = school!.id;
  });

  afterAll(() => roster.close());

  it('when the director opens 2026/2027, then it is stored, readable by a teacher, and opened is published with the periods', async () => {
    const codec = createEventCodec({
      protoFiles: [protoFile('edu/events/v1/roster.proto')],
      types: ROSTER_EVENT_TYPES,
    });
    const consumer = new Kafka({ brokers: roster.brokers, logLevel: logLevel.NOTHING }).consumer({
      groupId: uniqueName('years'),
    });
    const published: { type: string; payload: unknown }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: roster.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const { envelope, payload } = codec.decode(message.value!);
        if (envelope.type.startsWith('edu.roster.academic_year.'))
          published.push({ type: envelope.type, payload });
      },
    });

    try {
      const { academic_year: year } = await roster.client.OpenAcademicYear(
        planMessage(schoolId),
        await roster.as(staffOf(schoolId, 'director')),
      );

      expect(year).toMatchObject({ school_id: schoolId, name: '2026/2027', status: 'open', version: '1' });
      expect(year!.period_schemes.map((s) => [s.kind, s.periods.length])).toEqual([
        ['quarter', 4],
        ['half_year', 2],
      ]);
      const read = await roster.client.GetAcademicYear(
        { id: year!.id },
        await roster.as(staffOf(schoolId, 'teacher')),
      );
      expect(read.academic_year).toEqual(year);
      const listed = await roster.client.ListAcademicYears(
        { school_id: schoolId },
        await roster.as(staffOf(schoolId, 'teacher')),
      );
      expect(listed.academic_years.map((y) => y.id)).toEqual([year!.id]);
      await waitFor(() => published.length > 0, { timeoutMs: 15_000 });
      expect(published).toEqual([
        expect.objectContaining({
          type: 'edu.roster.academic_year.opened',
          payload: {
            academic_year: expect.objectContaining({
              academic_year_id: year!.id,
              school_id: schoolId,
              name: '2026/2027',
              period_schemes: year!.period_schemes,
              holidays: year!.holidays,
            }),
          },
        }),
      ]);
    } finally {
      await consumer.disconnect();
    }
  });

  it('when the same year is opened twice at once, then exactly one is stored and the other gets ALREADY_EXISTS', async () => {
    const { school } = await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator));
    const director = await roster.as(staffOf(school!.id, 'director'));

    const outcomes = await Promise.allSettled([
      roster.client.OpenAcademicYear(planMessage(school!.id), director),
      roster.client.OpenAcademicYear(planMessage(school!.id), director),
    ]);

    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({
      code: grpc.status.ALREADY_EXISTS,
      domainError: { code: 'academic_year.overlaps' },
    });
    expect(await years().countDocuments({ schoolId: school!.id })).toBe(1);
  });

  it("when a teacher or another school's director opens a year, then PERMISSION_DENIED and nothing is stored", async () => {
    const { school } = await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator));

    for (const actor of [staffOf(school!.id, 'teacher'), staffOf(schoolId, 'director')]) {
      const error = await refusal(
        roster.client.OpenAcademicYear(planMessage(school!.id), await roster.as(actor)),
      );
      expect(error.code).toBe(grpc.status.PERMISSION_DENIED);
    }
    expect(await years().countDocuments({ schoolId: school!.id })).toBe(0);
  });

  it('when the quarters leave a gap, then FAILED_PRECONDITION names the quarters and nothing is stored', async () => {
    const { school } = await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator));
    const plan = planMessage(school!.id);
    plan.holidays = plan.holidays.filter((h) => h.name !== 'Зимние каникулы');

    const error = await refusal(
      roster.client.OpenAcademicYear(plan, await roster.as(staffOf(school!.id, 'deputy'))),
    );

    expect(error.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(error.domainError?.errors?.map((e) => e.message)).toEqual([
      'Пропуск между «2-я четверть» и «3-я четверть»: дни 29.12.2026–11.01.2027 не входят ни в период, ни в каникулы',
      'Пропуск между «1-е полугодие» и «2-е полугодие»: дни 29.12.2026–11.01.2027 не входят ни в период, ни в каникулы',
    ]);
    expect(await years().countDocuments({ schoolId: school!.id })).toBe(0);
  });

  it('when a date is not a date, then INVALID_ARGUMENT names the field', async () => {
    const plan = planMessage(schoolId);
    plan.days.ends_on = '31.05.2027';

    const error = await refusal(
      roster.client.OpenAcademicYear(plan, await roster.as(staffOf(schoolId, 'director'))),
    );

    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.domainError?.errors?.map((e) => e.field)).toEqual(['days.endsOn']);
  });

  it('when an order extends the autumn holidays, then version 2 is stored with the change, and a stale repeat is refused', async () => {
    const { school } = await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator));
    const deputy = await roster.as(staffOf(school!.id, 'deputy'));
    const { academic_year: year } = await roster.client.OpenAcademicYear(planMessage(school!.id), deputy);
    const plan = planMessage(school!.id);
    plan.holidays[0]!.days.ends_on = '2026-11-08';
    plan.period_schemes[0]!.periods[1]!.days.starts_on = '2026-11-09';
    const change = {
      academic_year_id: year!.id,
      expected_version: '1',
      order: { number: '45-о', date: '2026-10-20', title: 'О продлении осенних каникул' },
      holidays: plan.holidays,
      period_schemes: plan.period_schemes,
      closures: [
        {
          reason: 'Карантин по гриппу',
          days: { starts_on: '2027-02-01', ends_on: '2027-02-07' },
          grades: [1, 2],
        },
      ],
      transfers: [{ date: '2027-02-13', works_as: 1 }],
    };

    const { academic_year: changed } = await roster.client.ChangeCalendar(change, deputy);
    const stale = await refusal(roster.client.ChangeCalendar(change, deputy));

    expect(changed).toMatchObject({ version: '2', transfers: [{ date: '2027-02-13', works_as: 1 }] });
    expect(changed!.changes).toEqual([
      expect.objectContaining({
        order: change.order,
        recorded_by: expect.stringMatching(/^acc-deputy/),
        summary: expect.arrayContaining(['Суббота 13.02.2027 работает как понедельник']),
      }),
    ]);
    expect(stale.domainError?.code).toBe('academic_year.version_conflict');
    const stored = await years().findOne({ _id: year!.id as never });
    expect(stored).toMatchObject({
      version: 2,
      holidays: expect.arrayContaining([
        expect.objectContaining({ days: { startsOn: '2026-10-26', endsOn: '2026-11-08' } }),
      ]),
    });
    await waitFor(async () => (await years().findOne({ _id: year!.id as never }))?.outboxPending === false, {
      timeoutMs: 15_000,
      what: 'the calendar change published',
    });
  });
});
