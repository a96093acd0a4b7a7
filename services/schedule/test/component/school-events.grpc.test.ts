import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { uniqueName, waitFor } from '@edu/testing';
import { catalogueSubjectId } from '../../src/domain/subject-catalogue';
import { addDays, todayIn } from '../../src/domain/teaching-assignment';
import {
  denialsSince,
  recordScheduleEvents,
  refusal,
  staffOf,
  startSchedule,
  type PublishedEvent,
  type ScheduleHarness,
} from './harness';
import {
  classEvent,
  enrolmentEvent,
  guardianshipEvent,
  personEvent,
  schoolCreated,
  staffEvent,
  yearOpened,
} from './roster-events';

// The events calendar through ScheduleService against the real FerretDB and Kafka: entering,
// changing, cancelling and results; the lead-time warning; who reads what (staff by class,
// students and guardians by schedule's copy of student relations); refusals and bad input.

const math = catalogueSubjectId('mathematics');
/** The school's day now (Krasnoyarsk): lead times count from it. */
const today = () => todayIn('Asia/Krasnoyarsk', new Date());

interface CardFields {
  kind?: string;
  title?: string;
  starts_on?: string;
  ends_on?: string;
  starts_at?: string;
  ends_at?: string;
  scope?: string;
  class_ids?: string[];
  participant_ids?: string[];
  responsible_id?: string;
  place?: string;
  description?: string;
}

describe('schedule: the events calendar over gRPC (real FerretDB and Kafka)', () => {
  let schedule: ScheduleHarness;
  let recorder: Awaited<ReturnType<typeof recordScheduleEvents>>;
  let published: PublishedEvent[] = [];
  const stored = () =>
    schedule.store.collection<{ _id: string; schoolId: string; version: number }>('school_events');
  const eventsOf = (id: string) => published.filter((e) => e.aggregateId === id);

  /**
   * A school with 5А (class teacher `classTeacher`, maths by `teacher5a`) and 5Б (maths by
   * `teacher5b`); students s1 (5А) and s2 (5Б); guardian g1 of s1 with consent, g2 of s1 without,
   * g3 of s2 with consent. The year holds today.
   */
  async function school() {
    const ids = {
      schoolId: randomUUID(),
      yearId: randomUUID(),
      class5a: randomUUID(),
      class5b: randomUUID(),
      classTeacher: randomUUID(),
      teacher5a: randomUUID(),
      teacher5b: randomUUID(),
      responsible: randomUUID(),
      s1: randomUUID(),
      s2: randomUUID(),
      g1: randomUUID(),
      g2: randomUUID(),
      g3: randomUUID(),
    };
    const { schoolId, yearId } = ids;
    await schedule.roster([
      schoolCreated(schoolId),
      yearOpened(schoolId, yearId, { startsOn: addDays(today(), -60), endsOn: addDays(today(), 200) }),
      classEvent(schoolId, yearId, ids.class5a, { classTeacherId: ids.classTeacher }),
      classEvent(schoolId, yearId, ids.class5b, { letter: 'Б' }),
      personEvent(schoolId, ids.responsible, { displayName: 'Петрова Ольга Ивановна' }),
      ...[ids.classTeacher, ids.teacher5a, ids.teacher5b, ids.responsible].map((id) =>
        staffEvent(schoolId, `p-${id}`, id),
      ),
      enrolmentEvent(schoolId, yearId, ids.s1, ids.class5a),
      enrolmentEvent(schoolId, yearId, ids.s2, ids.class5b),
      guardianshipEvent(schoolId, `l-${ids.g1}`, ids.g1, ids.s1),
      guardianshipEvent(schoolId, `l-${ids.g1}`, ids.g1, ids.s1, { type: 'consent.recorded', version: 2 }),
      guardianshipEvent(schoolId, `l-${ids.g2}`, ids.g2, ids.s1),
      guardianshipEvent(schoolId, `l-${ids.g3}`, ids.g3, ids.s2),
      guardianshipEvent(schoolId, `l-${ids.g3}`, ids.g3, ids.s2, { type: 'consent.recorded', version: 2 }),
    ]);
    const deputy = () => schedule.as(staffOf(schoolId, 'deputy'));
    for (const [teacher_id, class_id] of [
      [ids.teacher5a, ids.class5a],
      [ids.teacher5b, ids.class5b],
    ] as const) {
      await schedule.client.AssignTeacher(
        { school_id: schoolId, academic_year_id: yearId, teacher_id, subject_id: math, class_id },
        await deputy(),
      );
    }
    const card = (fields: CardFields = {}) => ({
      kind: 'olympiad',
      title: 'Школьный этап олимпиады по математике',
      description: 'Для 5–11 классов',
      starts_on: addDays(today(), 30),
      ends_on: '',
      starts_at: '10:00',
      ends_at: '12:00',
      place: 'Актовый зал',
      scope: 'school',
      class_ids: [],
      participant_ids: [],
      responsible_id: ids.responsible,
      ...fields,
    });
    const create = async (fields: CardFields = {}, metadata?: object) =>
      (
        await schedule.client.CreateSchoolEvent(
          { school_id: schoolId, academic_year_id: yearId, card: card(fields) },
          metadata ?? (await deputy()),
        )
      ).event!;
    /** Someone without a role, as the gateway signs a guardian or a student. */
    const person = (personId: string) =>
      schedule.as({ accountId: `acc-${personId.slice(0, 8)}`, personId, schoolRoles: [], grants: [] });
    const teacher = (personId: string) => schedule.as(staffOf(schoolId, 'teacher', personId));
    const list = async (metadata: object, fields: Record<string, string> = {}) =>
      (
        await schedule.client.ListSchoolEvents(
          {
            school_id: schoolId,
            academic_year_id: yearId,
            from: '',
            to: '',
            class_id: '',
            student_id: '',
            ...fields,
          },
          metadata,
        )
      ).events.map((e) => e.title);
    return { ...ids, deputy, card, create, person, teacher, list };
  }

  beforeAll(async () => {
    schedule = await startSchedule();
    recorder = await recordScheduleEvents(schedule);
    published = recorder.published;
  });

  afterAll(async () => {
    await recorder?.stop();
    await schedule?.close();
  });

  it('when a deputy enters a school-wide event a month ahead (twice with one key), then it is stored once without warnings and edu.schedule.event.scheduled carries its state', async () => {
    const s = await school();
    const key = await schedule.as(staffOf(s.schoolId, 'deputy'), uniqueName('key'));

    const first = await s.create({}, key);
    const repeat = await s.create({}, key);

    expect(repeat.id).toBe(first.id);
    expect(first).toMatchObject({
      kind: 'olympiad',
      kind_name: 'Олимпиада',
      scope: 'school',
      status: 'scheduled',
      late_notice: false,
      warnings: [],
      responsible_name: 'Петрова Ольга Ивановна',
      ends_on: first.starts_on,
      version: '1',
    });
    expect(await stored().countDocuments({ schoolId: s.schoolId })).toBe(1);
    await waitFor(() => eventsOf(first.id).length > 0);
    const [scheduled] = eventsOf(first.id);
    expect(scheduled).toMatchObject({
      type: 'edu.schedule.event.scheduled',
      key: s.schoolId,
      aggregateVersion: 1,
    });
    expect((scheduled!.payload as { event: Record<string, unknown> }).event).toMatchObject({
      event_id: first.id,
      title: 'Школьный этап олимпиады по математике',
      kind: 'olympiad',
      starts_on: first.starts_on,
      starts_at: '10:00',
      ends_at: '12:00',
      place: 'Актовый зал',
      scope: 'school',
      status: 'scheduled',
      late_notice: false,
    });
    expect(eventsOf(first.id)).toHaveLength(1);
  });

  it('when events are entered later than the lead time (a school event 10 days ahead, a class event 3), then they are accepted with event.late_notice and late_notice in the event', async () => {
    const s = await school();

    const schoolWide = await s.create({ starts_on: addDays(today(), 10) });
    const forClass = await s.create({
      kind: 'excursion',
      scope: 'classes',
      class_ids: [s.class5a],
      starts_on: addDays(today(), 3),
    });

    expect(schoolWide.late_notice).toBe(true);
    expect(schoolWide.warnings[0]!.code).toBe('event.late_notice');
    expect(schoolWide.warnings[0]!.message).toContain(
      'не позднее чем за 2 недели (14 дней) до начала, а внесено за 10 дней',
    );
    expect(forClass.warnings[0]!.message).toContain('за 1 неделю (7 дней) до начала, а внесено за 3 дня');
    expect(forClass.class_names).toEqual(['5А']);
    await waitFor(() => eventsOf(forClass.id).length > 0);
    expect(
      (eventsOf(forClass.id)[0]!.payload as { event: { late_notice: boolean; class_ids: string[] } }).event,
    ).toMatchObject({
      late_notice: true,
      class_ids: [s.class5a],
    });
  });

  it('when the card is bad (form, days outside the year, a class of another school, a responsible who is not staff, an unknown participant), then each is refused with its code and nothing is stored', async () => {
    const s = await school();
    const other = randomUUID();

    const refusals = await Promise.all([
      refusal(s.create({ kind: 'picnic', title: '', starts_at: '25:00' })),
      refusal(s.create({ starts_on: addDays(today(), 300) })),
      refusal(s.create({ scope: 'classes', class_ids: [other] })),
      refusal(s.create({ responsible_id: s.s1 })),
      refusal(s.create({ participant_ids: [s.s1, other] })),
    ]);

    expect(refusals.map((e) => [e.code, e.domainError?.code])).toEqual([
      [grpc.status.INVALID_ARGUMENT, 'event.invalid'],
      [grpc.status.FAILED_PRECONDITION, 'event.outside_year'],
      [grpc.status.FAILED_PRECONDITION, 'event.class_invalid'],
      [grpc.status.FAILED_PRECONDITION, 'event.responsible_not_staff'],
      [grpc.status.FAILED_PRECONDITION, 'event.unknown_participant'],
    ]);
    expect(refusals[0]!.domainError?.errors?.map((e) => e.field)).toEqual(['kind', 'title', 'startsAt']);
    expect(refusals[1]!.domainError?.errors?.map((e) => e.field)).toEqual(['startsOn', 'endsOn']);
    expect(refusals[4]!.domainError?.errors).toEqual([
      { field: 'participantIds[1]', message: 'Не обучающийся и не сотрудник школы в этом году' },
    ]);
    expect(await stored().countDocuments({ schoolId: s.schoolId })).toBe(0);
  });

  it('when a deputy changes, records results and cancels by version, then each is an event; a stale version, results before the start and changing a cancelled event are refused', async () => {
    const s = await school();
    const deputy = await s.deputy();
    const event = await s.create({
      scope: 'classes',
      class_ids: [s.class5a],
      participant_ids: [s.s1, s.teacher5a],
    });

    const stale = await refusal(
      schedule.client.ChangeSchoolEvent({ id: event.id, card: s.card(), expected_version: '7' }, deputy),
    );
    const early = await refusal(
      schedule.client.RecordSchoolEventResults(
        { id: event.id, results_summary: 'Итоги', participant_results: [], expected_version: '1' },
        deputy,
      ),
    );
    const moved = (
      await schedule.client.ChangeSchoolEvent(
        {
          id: event.id,
          card: s.card({
            starts_on: today(),
            scope: 'classes',
            class_ids: [s.class5a],
            participant_ids: [s.s1],
          }),
          expected_version: '1',
        },
        deputy,
      )
    ).event!;
    const badResults = await refusal(
      schedule.client.RecordSchoolEventResults(
        {
          id: event.id,
          results_summary: '',
          participant_results: [{ person_id: s.s2, result: 'I место' }],
          expected_version: '2',
        },
        deputy,
      ),
    );
    const results = (
      await schedule.client.RecordSchoolEventResults(
        {
          id: event.id,
          results_summary: 'Приняли участие 12 человек',
          participant_results: [{ person_id: s.s1, result: 'Призёр, диплом II степени' }],
          expected_version: '2',
        },
        deputy,
      )
    ).event!;
    const cancelled = (
      await schedule.client.CancelSchoolEvent(
        { id: event.id, reason: 'Карантин', expected_version: '3' },
        deputy,
      )
    ).event!;
    const afterCancel = await refusal(
      schedule.client.ChangeSchoolEvent({ id: event.id, card: s.card(), expected_version: '4' }, deputy),
    );

    expect([stale.code, stale.domainError?.code]).toEqual([
      grpc.status.ALREADY_EXISTS,
      'event.version_conflict',
    ]);
    expect([early.code, early.domainError?.code]).toEqual([
      grpc.status.FAILED_PRECONDITION,
      'event.not_held_yet',
    ]);
    expect([badResults.code, badResults.domainError?.errors?.map((e) => e.field)]).toEqual([
      grpc.status.INVALID_ARGUMENT,
      ['participantResults[0].personId'],
    ]);
    expect([afterCancel.code, afterCancel.domainError?.code]).toEqual([
      grpc.status.FAILED_PRECONDITION,
      'event.cancelled',
    ]);
    expect(moved).toMatchObject({
      version: '2',
      starts_on: today(),
      late_notice: true,
      participant_ids: [s.s1],
    });
    expect(results).toMatchObject({
      version: '3',
      results_summary: 'Приняли участие 12 человек',
      participant_results: [{ person_id: s.s1, result: 'Призёр, диплом II степени' }],
    });
    expect(cancelled).toMatchObject({ version: '4', status: 'cancelled', cancel_reason: 'Карантин' });
    await waitFor(() => eventsOf(event.id).length >= 4);
    expect(eventsOf(event.id).map((e) => [e.type, e.aggregateVersion])).toEqual([
      ['edu.schedule.event.scheduled', 1],
      ['edu.schedule.event.changed', 2],
      ['edu.schedule.event.changed', 3],
      ['edu.schedule.event.cancelled', 4],
    ]);
    const changed = eventsOf(event.id)[2]!.payload as { change: string; event: Record<string, unknown> };
    expect(changed.change).toBe('results');
    expect(changed.event.participant_results).toEqual([
      { person_id: s.s1, result: 'Призёр, диплом II степени' },
    ]);
    expect((eventsOf(event.id)[3]!.payload as { event: Record<string, unknown> }).event).toMatchObject({
      status: 'cancelled',
      cancel_reason: 'Карантин',
    });
  });

  it('when staff read, then a teacher sees the school’s events and their class’s, a teacher of another class is refused it, and a teacher may not write', async () => {
    const s = await school();
    await s.create({ title: 'День знаний' });
    const of5a = await s.create({
      title: 'Собрание 5А',
      kind: 'parent_meeting',
      scope: 'classes',
      class_ids: [s.class5a],
    });
    const from = schedule.logs().length;

    const byTeacher5a = await s.list(await s.teacher(s.teacher5a));
    const byClassTeacher = await s.list(await s.teacher(s.classTeacher));
    const byTeacher5b = await s.list(await s.teacher(s.teacher5b));
    const get = await refusal(schedule.client.GetSchoolEvent({ id: of5a.id }, await s.teacher(s.teacher5b)));
    const byClass = await refusal(
      schedule.client.ListSchoolEvents(
        {
          school_id: s.schoolId,
          academic_year_id: s.yearId,
          from: '',
          to: '',
          class_id: s.class5a,
          student_id: '',
        },
        await s.teacher(s.teacher5b),
      ),
    );
    const create = await refusal(s.create({}, await s.teacher(s.teacher5a)));
    const cancel = await refusal(
      schedule.client.CancelSchoolEvent(
        { id: of5a.id, reason: 'Нет', expected_version: '1' },
        await s.teacher(s.classTeacher),
      ),
    );
    const warnings = await refusal(
      schedule.client.ListCalendarWarnings(
        { school_id: s.schoolId, academic_year_id: s.yearId },
        await s.teacher(s.teacher5a),
      ),
    );

    expect(new Set(byTeacher5a)).toEqual(new Set(['День знаний', 'Собрание 5А']));
    expect(new Set(byClassTeacher)).toEqual(new Set(['День знаний', 'Собрание 5А']));
    expect(byTeacher5b).toEqual(['День знаний']);
    expect([get, byClass, create, cancel, warnings].map((e) => [e.code, e.domainError?.code])).toEqual([
      [grpc.status.PERMISSION_DENIED, 'access.denied'],
      [grpc.status.PERMISSION_DENIED, 'access.denied'],
      [grpc.status.PERMISSION_DENIED, 'access.denied'],
      [grpc.status.PERMISSION_DENIED, 'access.denied'],
      [grpc.status.PERMISSION_DENIED, 'access.denied'],
    ]);
    expect(denialsSince(schedule, from)).toEqual([
      ['event.read', `event:${of5a.id}`],
      ['event.list', `class:${s.class5a}`],
      ['event.create', `school:${s.schoolId}`],
      ['event.cancel', `event:${of5a.id}`],
      ['calendar_warning.list', `school:${s.schoolId}`],
    ]);
  });

  it('when students and guardians read, then they see the school’s events, their class’s and those naming them; another child’s, no consent or another student are refused as not found', async () => {
    const s = await school();
    const schoolWide = await s.create({ title: 'День знаний', starts_on: addDays(today(), 20) });
    const of5a = await s.create({
      title: 'Экскурсия 5А',
      kind: 'excursion',
      scope: 'classes',
      class_ids: [s.class5a],
      starts_on: addDays(today(), 21),
    });
    await s.create({
      title: 'Экскурсия 5Б',
      kind: 'excursion',
      scope: 'classes',
      class_ids: [s.class5b],
      starts_on: addDays(today(), 22),
    });
    await s.create({
      title: 'Олимпиада: команда 5Б и s1',
      scope: 'classes',
      class_ids: [s.class5b],
      participant_ids: [s.s1],
      starts_on: addDays(today(), 23),
    });
    const from = schedule.logs().length;

    const student = await s.list(await s.person(s.s1));
    const guardian = await s.list(await s.person(s.g1));
    const guardianOf5b = await s.list(await s.person(s.g3));
    const byDate = await s.list(await s.person(s.g1), {
      from: addDays(today(), 21),
      to: addDays(today(), 21),
    });
    const read = await schedule.client.GetSchoolEvent({ id: of5a.id }, await s.person(s.g1));
    const noConsent = await refusal(s.list(await s.person(s.g2)));
    const otherChild = await refusal(schedule.client.GetSchoolEvent({ id: of5a.id }, await s.person(s.g3)));
    const otherStudent = await refusal(s.list(await s.person(s.s2), { student_id: s.s1 }));
    const badFilter = await refusal(s.list(await s.person(s.s1), { from: '2026-13-01' }));

    expect(student).toEqual(['День знаний', 'Экскурсия 5А', 'Олимпиада: команда 5Б и s1']);
    expect(guardian).toEqual(student);
    expect(guardianOf5b).toEqual(['День знаний', 'Экскурсия 5Б', 'Олимпиада: команда 5Б и s1']);
    expect(byDate).toEqual(['Экскурсия 5А']);
    expect(read.event!.id).toBe(of5a.id);
    expect(
      [noConsent, otherChild, otherStudent, badFilter].map((e) => [e.code, e.domainError?.code]),
    ).toEqual([
      [grpc.status.NOT_FOUND, 'school.not_found'],
      [grpc.status.NOT_FOUND, 'event.not_found'],
      [grpc.status.NOT_FOUND, 'student.not_found'],
      [grpc.status.INVALID_ARGUMENT, 'event.filter_invalid'],
    ]);
    expect(denialsSince(schedule, from)).toEqual([
      ['event.list', `school:${s.schoolId}`],
      ['event.read', `event:${of5a.id}`],
      ['event.list', `student:${s.s1}`],
    ]);
    expect(schoolWide.scope).toBe('school');
  });

  it('when someone without a role in the school writes, then it is refused as not found and logged', async () => {
    const s = await school();
    const event = await s.create();
    const outsider = await s.person(randomUUID());

    const create = await refusal(s.create({}, outsider));
    const change = await refusal(
      schedule.client.ChangeSchoolEvent({ id: event.id, card: s.card(), expected_version: '1' }, outsider),
    );
    const results = await refusal(
      schedule.client.RecordSchoolEventResults(
        { id: event.id, results_summary: 'x', participant_results: [], expected_version: '1' },
        outsider,
      ),
    );

    expect([create, change, results].map((e) => [e.code, e.domainError?.code])).toEqual([
      [grpc.status.NOT_FOUND, 'school.not_found'],
      [grpc.status.NOT_FOUND, 'event.not_found'],
      [grpc.status.NOT_FOUND, 'event.not_found'],
    ]);
    expect(await stored().countDocuments({ schoolId: s.schoolId })).toBe(1);
  });
});
