import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { uniqueName, waitFor } from '@edu/testing';
import { catalogueSubjectId } from '../../src/domain/subject-catalogue';
import {
  guardianActor,
  recordScheduleEvents,
  refusal,
  staffOf,
  startSchedule,
  type PublishedEvent,
  type ScheduleHarness,
  denialsSince,
} from './harness';
import { classEvent, schoolCreated, yearOpened } from './roster-events';

// Curricula through ScheduleService against the real FerretDB and Kafka. Each test has a school
// of its own, fed to schedule's copy by roster's events (with the year's calendar) on the real topic.

const math = catalogueSubjectId('mathematics');
const russian = catalogueSubjectId('russian');
const english = catalogueSubjectId('english');

const days = (starts_on: string, ends_on: string) => ({ starts_on, ends_on });
/** 2026/2027 as roster publishes it: three holidays, quarters for grades 2..9, no scheme for the 1st. */
const calendar = {
  holidays: [
    { name: 'Осенние каникулы', days: days('2026-10-26', '2026-11-03') },
    { name: 'Зимние каникулы', days: days('2026-12-28', '2027-01-10') },
    { name: 'Весенние каникулы', days: days('2027-03-22', '2027-03-31') },
  ],
  periodSchemes: [
    {
      grades: [2, 3, 4, 5, 6, 7, 8, 9],
      kind: 'quarter',
      periods: [
        { number: 1, days: days('2026-09-01', '2026-10-25') },
        { number: 2, days: days('2026-11-04', '2026-12-27') },
        { number: 3, days: days('2027-01-11', '2027-03-21') },
        { number: 4, days: days('2027-04-01', '2027-05-31') },
      ],
    },
  ],
};

const line = (subject_id: string, hours_per_week: number, fields: Record<string, unknown> = {}) => ({
  subject_id,
  hours_per_week,
  period_hours: [],
  component: 'mandatory',
  ...fields,
});

describe('schedule: curricula over gRPC (real FerretDB and Kafka)', () => {
  let schedule: ScheduleHarness;
  let events: Awaited<ReturnType<typeof recordScheduleEvents>>;
  let published: PublishedEvent[] = [];
  const stored = () =>
    schedule.store.collection<{ _id: string; schoolId: string; version: number; lines: unknown[] }>(
      'curricula',
    );
  const eventsOf = (id: string) => published.filter((e) => e.aggregateId === id);
  const denials = (from: number) => denialsSince(schedule, from);

  /**
   * A school of its own: 2026/2027 (open, with its calendar) with 5А, 5Б and 1А; 2025/2026
   * (closed) with 4А; robotics, the school's own subject.
   */
  async function school() {
    const ids = {
      schoolId: randomUUID(),
      yearId: randomUUID(),
      oldYearId: randomUUID(),
      class5a: randomUUID(),
      class5b: randomUUID(),
      class1a: randomUUID(),
      class4aOld: randomUUID(),
    };
    const { schoolId, yearId } = ids;
    await schedule.roster([
      schoolCreated(schoolId),
      yearOpened(schoolId, ids.oldYearId, {
        name: '2025/2026',
        startsOn: '2025-09-01',
        endsOn: '2026-05-31',
        status: 'closed',
        version: 9,
      }),
      classEvent(schoolId, ids.oldYearId, ids.class4aOld, { grade: 4 }),
      yearOpened(schoolId, yearId, { holidays: calendar.holidays, periodSchemes: calendar.periodSchemes }),
      classEvent(schoolId, yearId, ids.class5a),
      classEvent(schoolId, yearId, ids.class5b, { letter: 'Б' }),
      classEvent(schoolId, yearId, ids.class1a, { grade: 1 }),
    ]);
    const deputy = () => schedule.as(staffOf(schoolId, 'deputy'));
    const { subject: robotics } = await schedule.client.CreateSubject(
      {
        school_id: schoolId,
        key: 'robotics',
        name: 'Робототехника',
        short_name: 'Робот.',
        education_area: 'technology',
      },
      await deputy(),
    );
    const set = async (fields: Record<string, unknown> = {}, metadata?: object) =>
      (
        await schedule.client.SetCurriculum(
          {
            school_id: schoolId,
            academic_year_id: yearId,
            class_id: ids.class5a,
            lines: [
              line(math, 5),
              line(russian, 5),
              line(english, 3),
              line(robotics!.id, 1, {
                component: 'optional',
                period_hours: [{ period: 4, hours_per_week: 0 }],
              }),
            ],
            expected_version: '0',
            ...fields,
          },
          metadata ?? (await deputy()),
        )
      ).curriculum!;
    return { ...ids, robotics: robotics!.id, deputy, set };
  }

  beforeAll(async () => {
    schedule = await startSchedule();
    events = await recordScheduleEvents(schedule);
    published = events.published;
  });

  afterAll(async () => {
    await events?.stop();
    await schedule?.close();
  });

  it('when a deputy sets the plan of 5А twice with one key, then one is stored with hours per year from roster’s calendar, teachers read it, and curriculum.set is published once', async () => {
    const s = await school();
    const metadata = await schedule.as(staffOf(s.schoolId, 'deputy'), uniqueName('key'));

    const first = await s.set({}, metadata);
    const repeat = await s.set({}, metadata);
    const teacher = await schedule.as(staffOf(s.schoolId, 'teacher'));
    const read = await schedule.client.GetCurriculum({ class_id: s.class5a }, teacher);
    const list = await schedule.client.ListCurricula(
      { school_id: s.schoolId, academic_year_id: s.yearId },
      teacher,
    );

    expect(first).toMatchObject({
      school_id: s.schoolId,
      academic_year_id: s.yearId,
      class_id: s.class5a,
      class_name: '5А',
      grade: 5,
      total_hours_per_week: 14,
      max_hours_per_week: 29,
      total_hours_per_year: 175 + 175 + 105 + 26,
      version: '1',
    });
    expect(first.lines.map((l) => [l.subject_name, l.component, l.hours_per_week, l.hours_per_year])).toEqual(
      [
        ['Математика', 'mandatory', 5, 175],
        ['Русский язык', 'mandatory', 5, 175],
        ['Иностранный язык (английский)', 'mandatory', 3, 105],
        ['Робототехника', 'optional', 1, 26],
      ],
    );
    expect(first.lines[3]).toMatchObject({
      education_area: 'technology',
      education_area_name: 'Технология',
      component_name: 'Часть, формируемая участниками образовательных отношений',
      period_hours: [{ period: 4, hours_per_week: 0 }],
    });
    expect(first.weeks).toMatchObject({ source: 'calendar', period_kind: 'quarter', per_year: 35 });
    expect(first.weeks!.periods.map((p) => [p.name, p.weeks, p.total_hours_per_week])).toEqual([
      ['1-я четверть', 8, 14],
      ['2-я четверть', 8, 14],
      ['3-я четверть', 10, 14],
      ['4-я четверть', 9, 13],
    ]);
    expect(repeat).toEqual(first);
    expect(read.curriculum).toEqual(first);
    expect(list.curricula).toEqual([first]);
    expect(await stored().countDocuments({ schoolId: s.schoolId })).toBe(1);
    await waitFor(() => eventsOf(first.id).length > 0, { timeoutMs: 15_000 });
    expect(eventsOf(first.id).map((e) => [e.type, e.key, e.aggregateVersion])).toEqual([
      ['edu.schedule.curriculum.set', s.schoolId, 1],
    ]);
    expect(eventsOf(first.id)[0]!.payload).toMatchObject({
      curriculum: {
        curriculum_id: first.id,
        school_id: s.schoolId,
        academic_year_id: s.yearId,
        class_id: s.class5a,
        grade: 5,
        total_hours_per_week: 14,
        weeks_per_year: 35,
        weeks_source: 'calendar',
      },
    });
    expect(
      (eventsOf(first.id)[0]!.payload as { curriculum: { lines: unknown[] } }).curriculum.lines[3],
    ).toEqual({
      subject_id: s.robotics,
      subject_key: 'robotics',
      subject_name: 'Робототехника',
      education_area: 'technology',
      component: 'optional',
      hours_per_week: 1,
      period_hours: [{ period: 4, hours_per_week: 0 }],
      hours_per_year: 26,
    });
  });

  it('when it is replaced by its version, also twice at the same moment, then one change wins and the stale ones are 409', async () => {
    const s = await school();
    const first = await s.set();

    const results = await Promise.allSettled([
      s.set({ expected_version: '1', lines: [line(math, 6)] }),
      s.set({ expected_version: '1', lines: [line(math, 4)] }),
    ]);
    const stale = await refusal(s.set({ expected_version: '1' }));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect([lost.reason.code, lost.reason.domainError?.code]).toEqual([
      grpc.status.ALREADY_EXISTS,
      'curriculum.version_conflict',
    ]);
    expect([stale.code, stale.domainError?.code]).toEqual([
      grpc.status.ALREADY_EXISTS,
      'curriculum.version_conflict',
    ]);
    expect(await stored().findOne({ _id: first.id })).toMatchObject({
      version: 2,
      lines: [{ subjectId: math }],
    });
    await waitFor(() => eventsOf(first.id).length >= 2, { timeoutMs: 15_000 });
    expect(eventsOf(first.id).map((e) => e.aggregateVersion)).toEqual([1, 2]);
  });

  it('when a rule is broken, then each refusal has its status and code, and nothing is stored', async () => {
    const s = await school();
    await schedule.roster([
      classEvent(s.schoolId, s.yearId, s.class5b, {
        letter: 'Б',
        status: 'closed',
        type: 'closed',
        version: 2,
      }),
    ]);

    const refusals = await Promise.all([
      refusal(s.set({ lines: [line(math, 0.3)] })),
      refusal(s.set({ lines: [line(math, 5), line(math, 1)] })),
      refusal(s.set({ lines: [line(math, 5), line(randomUUID(), 1)] })),
      refusal(s.set({ lines: [line(math, 5, { period_hours: [{ period: 5, hours_per_week: 4 }] })] })),
      refusal(s.set({ lines: [line(math, 10), line(russian, 10), line(english, 10)] })),
      refusal(s.set({ academic_year_id: randomUUID() })),
      refusal(s.set({ class_id: randomUUID() })),
      refusal(s.set({ class_id: s.class4aOld })),
      refusal(s.set({ academic_year_id: s.oldYearId, class_id: s.class4aOld })),
      refusal(s.set({ class_id: s.class5b })),
    ]);

    expect(refusals.map((e) => [e.code, e.domainError?.code])).toEqual([
      [grpc.status.INVALID_ARGUMENT, 'curriculum.invalid'],
      [grpc.status.INVALID_ARGUMENT, 'curriculum.duplicate_subject'],
      [grpc.status.FAILED_PRECONDITION, 'curriculum.unknown_subject'],
      [grpc.status.FAILED_PRECONDITION, 'curriculum.unknown_period'],
      [grpc.status.FAILED_PRECONDITION, 'curriculum.weekly_load_exceeded'],
      [grpc.status.NOT_FOUND, 'academic_year.not_found'],
      [grpc.status.NOT_FOUND, 'class.not_found'],
      [grpc.status.FAILED_PRECONDITION, 'curriculum.other_year'],
      [grpc.status.FAILED_PRECONDITION, 'academic_year.closed'],
      [grpc.status.FAILED_PRECONDITION, 'class.closed'],
    ]);
    expect(refusals[0]!.domainError?.errors).toEqual([
      { field: 'lines[0].hoursPerWeek', message: 'Часов в неделю — от 0,5 до 10 с шагом 0,5' },
    ]);
    expect(refusals[1]!.domainError?.detail).toBe(
      'Каждый предмет — одной строкой учебного плана: «Математика» указан дважды',
    );
    expect(refusals[3]!.domainError?.errors?.[0]?.message).toBe(
      'Периода 5 нет: у 5-х классов в 2026/2027 учебном году четверти 1–4',
    );
    expect(refusals[4]!.domainError?.detail).toBe(
      'Недельная нагрузка класса 5А — 30 ч, а для 5-х классов допускается не больше 29 ч',
    );
    expect(await stored().countDocuments({ schoolId: s.schoolId })).toBe(0);
  });

  it('when roster changes the year’s calendar, then the hours per year follow it on the next read; the 1st grade without a scheme gets the year’s weeks', async () => {
    const s = await school();
    const before = await s.set({ lines: [line(math, 4)] });
    const firstGrade = await s.set({ class_id: s.class1a, lines: [line(math, 4)] });

    await schedule.roster([
      yearOpened(s.schoolId, s.yearId, {
        calendarChanged: true,
        version: 2,
        holidays: calendar.holidays,
        periodSchemes: [
          {
            grades: [5],
            kind: 'half_year',
            periods: [
              { number: 1, days: days('2026-09-01', '2026-12-27') },
              { number: 2, days: days('2027-01-11', '2027-05-31') },
            ],
          },
        ],
      }),
    ]);
    const { curriculum: after } = await schedule.client.GetCurriculum(
      { class_id: s.class5a },
      await s.deputy(),
    );

    expect(before.lines[0]!.hours_per_year).toBe(4 * 35);
    expect(after!.weeks).toMatchObject({ source: 'calendar', period_kind: 'half_year', per_year: 34 });
    expect(after!.weeks!.periods.map((p) => [p.name, p.weeks])).toEqual([
      ['1-е полугодие', 15],
      ['2-е полугодие', 19],
    ]);
    expect(after!.lines[0]!.hours_per_year).toBe(4 * 34);
    expect(after!.version).toBe('1');
    expect(firstGrade.weeks).toMatchObject({ source: 'calendar', period_kind: '', per_year: 34 });
    expect(firstGrade.max_hours_per_week).toBe(21);
  });

  it('when a role without the right calls each method, then it is refused, nothing changes, and every denial is logged', async () => {
    const s = await school();
    const first = await s.set();
    const before = schedule.logs().length;

    const set = await refusal(
      s.set({ expected_version: '1' }, await schedule.as(staffOf(s.schoolId, 'teacher'))),
    );
    const get = await refusal(
      schedule.client.GetCurriculum({ class_id: s.class5a }, await schedule.as(guardianActor)),
    );
    const list = await refusal(
      schedule.client.ListCurricula(
        { school_id: s.schoolId, academic_year_id: s.yearId },
        await schedule.as(staffOf(randomUUID(), 'director')),
      ),
    );
    const noPlan = await refusal(schedule.client.GetCurriculum({ class_id: s.class1a }, await s.deputy()));

    expect([set.code, set.domainError?.code]).toEqual([grpc.status.PERMISSION_DENIED, 'access.denied']);
    expect([get.code, get.domainError?.code]).toEqual([grpc.status.NOT_FOUND, 'curriculum.not_found']);
    expect([list.code, list.domainError?.code]).toEqual([grpc.status.NOT_FOUND, 'school.not_found']);
    expect([noPlan.code, noPlan.domainError?.code]).toEqual([grpc.status.NOT_FOUND, 'curriculum.not_found']);
    expect(await stored().findOne({ _id: first.id })).toMatchObject({ version: 1 });
    expect(denials(before)).toEqual([
      ['curriculum.set', `class:${s.class5a}`],
      ['curriculum.read', `class:${s.class5a}`],
      ['curriculum.list', `school:${s.schoolId}`],
    ]);
  });
});
