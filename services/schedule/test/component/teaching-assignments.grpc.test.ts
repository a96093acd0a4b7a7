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
import {
  classEvent,
  personEvent,
  schoolCreated,
  staffEvent,
  subgroupEvent,
  yearOpened,
} from './roster-events';

// Teaching assignments through ScheduleService against the real FerretDB and Kafka. Each test
// has a school of its own, fed to schedule's copy by roster's events on the real topic.

const english = catalogueSubjectId('english');
const math = catalogueSubjectId('mathematics');

describe('schedule: teaching assignments over gRPC (real FerretDB and Kafka)', () => {
  let schedule: ScheduleHarness;
  let events: Awaited<ReturnType<typeof recordScheduleEvents>>;
  let published: PublishedEvent[] = [];
  const stored = () =>
    schedule.store.collection<{
      _id: string;
      schoolId: string;
      status: string;
      version: number;
      history: unknown[];
    }>('teaching_assignments');
  const eventsOf = (id: string) => published.filter((e) => e.aggregateId === id);
  const denials = (from: number) => denialsSince(schedule, from);

  /**
   * A school of its own in 2026/2027: 5А (class teacher: the third teacher) with English groups 1
   * and 2, and 5Б; teachers 1 and 2 working, the third a class teacher only, a fourth dismissed.
   */
  async function school() {
    const ids = {
      schoolId: randomUUID(),
      yearId: randomUUID(),
      class5a: randomUUID(),
      class5b: randomUUID(),
      group1: randomUUID(),
      group2: randomUUID(),
      teacher1: randomUUID(),
      teacher2: randomUUID(),
      classTeacher: randomUUID(),
      dismissed: randomUUID(),
    };
    const { schoolId, yearId } = ids;
    await schedule.roster([
      schoolCreated(schoolId),
      yearOpened(schoolId, yearId),
      classEvent(schoolId, yearId, ids.class5a, { classTeacherId: ids.classTeacher }),
      classEvent(schoolId, yearId, ids.class5b, { letter: 'Б' }),
      subgroupEvent(schoolId, yearId, ids.class5a, ids.group1, { name: 'Английский язык, группа 1' }),
      subgroupEvent(schoolId, yearId, ids.class5a, ids.group2, { name: 'Английский язык, группа 2' }),
      personEvent(schoolId, ids.teacher1, { displayName: 'Иванова Анна Петровна' }),
      personEvent(schoolId, ids.teacher2, { displayName: 'Петров Олег Ильич' }),
      staffEvent(schoolId, `p-${ids.teacher1}`, ids.teacher1),
      staffEvent(schoolId, `p-${ids.teacher2}`, ids.teacher2),
      staffEvent(schoolId, `p-${ids.classTeacher}`, ids.classTeacher),
      staffEvent(schoolId, `p-${ids.dismissed}`, ids.dismissed),
      staffEvent(schoolId, `p-${ids.dismissed}`, ids.dismissed, { type: 'dismissed', version: 2 }),
    ]);
    const deputy = () => schedule.as(staffOf(schoolId, 'deputy'));
    const teacher = (personId: string) => schedule.as(staffOf(schoolId, 'teacher', personId));
    const assign = async (fields: Record<string, unknown>, metadata?: object) =>
      (
        await schedule.client.AssignTeacher(
          {
            school_id: schoolId,
            academic_year_id: yearId,
            teacher_id: ids.teacher1,
            subject_id: math,
            class_id: ids.class5b,
            ...fields,
          },
          metadata ?? (await deputy()),
        )
      ).assignment!;
    return { ...ids, deputy, teacher, assign };
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

  it('when a deputy assigns a teacher to an English group twice with one key, then one is stored with names and assigned is published with ids only', async () => {
    const s = await school();
    const metadata = await schedule.as(staffOf(s.schoolId, 'deputy'), uniqueName('key'));
    const fields = { class_id: '', subgroup_id: s.group1, subject_id: english, hours_per_week: 1.5 };

    const first = await s.assign(fields, metadata);
    const repeat = await s.assign(fields, metadata);

    expect(first).toMatchObject({
      school_id: s.schoolId,
      academic_year_id: s.yearId,
      teacher_id: s.teacher1,
      teacher_name: 'Иванова Анна Петровна',
      class_id: s.class5a,
      class_name: '5А',
      subgroup_id: s.group1,
      subgroup_name: 'Английский язык, группа 1',
      subject_id: english,
      subject_key: 'english',
      subject_name: 'Иностранный язык (английский)',
      starts_on: '2026-09-01',
      ends_on: '2027-05-31',
      hours_per_week: 1.5,
      status: 'active',
      version: '1',
    });
    expect(first.history.map((h) => [h.kind, h.effective_on])).toEqual([['assigned', '2026-09-01']]);
    expect(repeat).toEqual(first);
    expect(await stored().countDocuments({ schoolId: s.schoolId })).toBe(1);

    await waitFor(() => eventsOf(first.id).length > 0, { timeoutMs: 15_000 });
    expect(eventsOf(first.id).map((e) => [e.type, e.key, e.aggregateVersion])).toEqual([
      ['edu.schedule.teaching.assigned', s.schoolId, 1],
    ]);
    expect(eventsOf(first.id)[0]!.payload).toEqual({
      assignment: {
        assignment_id: first.id,
        school_id: s.schoolId,
        academic_year_id: s.yearId,
        teacher_id: s.teacher1,
        class_id: s.class5a,
        subgroup_id: s.group1,
        subject_id: english,
        subject_key: 'english',
        subject_name: 'Иностранный язык (английский)',
        starts_on: '2026-09-01',
        ends_on: '2027-05-31',
        hours_per_week: 1.5,
        status: 'active',
      },
    });
    expect(eventsOf(first.id)[0]!.raw.toString('utf8')).not.toContain('Иванова');
  });

  it('when English goes to the whole of 5А, or mathematics to an English group, then 422 and nothing is stored', async () => {
    const s = await school();

    const split = await refusal(s.assign({ class_id: s.class5a, subject_id: english }));
    const mismatch = await refusal(s.assign({ class_id: '', subgroup_id: s.group1, subject_id: math }));
    const notDivided = await s.assign({ class_id: s.class5b, subject_id: english });

    expect(split.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(split.domainError?.code).toBe('assignment.split_subject');
    expect(split.domainError?.detail).toContain('«Английский язык, группа 1», «Английский язык, группа 2»');
    expect(mismatch.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(mismatch.domainError?.code).toBe('assignment.subject_mismatch');
    expect(notDivided.subgroup_id).toBe('');
    expect(await stored().countDocuments({ schoolId: s.schoolId })).toBe(1);
  });

  it('when the teacher was dismissed in roster, then 422 assignment.teacher_not_staff; hired again, they may be assigned', async () => {
    const s = await school();

    const dismissed = await refusal(s.assign({ teacher_id: s.dismissed }));
    await schedule.roster([staffEvent(s.schoolId, `p2-${s.dismissed}`, s.dismissed)]);
    const rehired = await s.assign({ teacher_id: s.dismissed });

    expect(dismissed.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(dismissed.domainError?.code).toBe('assignment.teacher_not_staff');
    expect(rehired.teacher_id).toBe(s.dismissed);
  });

  it('when roster closes the class, or the days lie outside the year, then each is refused by its code', async () => {
    const s = await school();

    const outside = await refusal(s.assign({ starts_on: '2026-08-25' }));
    await schedule.roster([
      classEvent(s.schoolId, s.yearId, s.class5b, {
        letter: 'Б',
        status: 'closed',
        type: 'closed',
        version: 2,
      }),
    ]);
    const closed = await refusal(s.assign({}));

    expect(outside.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(outside.domainError).toMatchObject({
      code: 'assignment.outside_year',
      errors: [
        { field: 'startsOn', message: 'Дата 25.08.2026 вне учебного года 2026/2027 (01.09.2026–31.05.2027)' },
      ],
    });
    expect(closed.domainError?.code).toBe('class.closed');
    expect(await stored().countDocuments({ schoolId: s.schoolId })).toBe(0);
  });

  it('when a duplicate is assigned, also twice at the same moment, then one is stored and the other is 409 assignment.duplicate', async () => {
    const s = await school();

    const results = await Promise.allSettled([s.assign({}), s.assign({ starts_on: '2026-12-01' })]);
    const again = await refusal(s.assign({ starts_on: '2026-12-01', ends_on: '2026-12-31' }));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(lost.reason.domainError?.code).toBe('assignment.duplicate');
    expect(again.domainError?.code).toBe('assignment.duplicate');
    expect(await stored().countDocuments({ schoolId: s.schoolId })).toBe(1);
  });

  it('when an assignment is ended with a stale version and then with the right one, then 409, then ended, kept and unassigned published', async () => {
    const s = await school();
    const assignment = await s.assign({});

    const stale = await refusal(
      schedule.client.EndAssignment(
        { id: assignment.id, expected_version: '3', ends_on: '2026-12-28' },
        await s.deputy(),
      ),
    );
    const { assignment: ended } = await schedule.client.EndAssignment(
      {
        id: assignment.id,
        expected_version: '1',
        ends_on: '2026-12-28',
        reason: 'Перераспределение нагрузки',
      },
      await s.deputy(),
    );
    const list = await schedule.client.ListAssignments(
      { school_id: s.schoolId, academic_year_id: s.yearId, include_ended: true },
      await s.deputy(),
    );
    const active = await schedule.client.ListAssignments(
      { school_id: s.schoolId, academic_year_id: s.yearId },
      await s.deputy(),
    );

    expect(stale.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(stale.domainError?.code).toBe('assignment.version_conflict');
    expect(ended).toMatchObject({ status: 'ended', ends_on: '2026-12-28', version: '2' });
    expect(ended!.history.map((h) => [h.kind, h.effective_on, h.reason])).toEqual([
      ['assigned', '2026-09-01', ''],
      ['ended', '2026-12-28', 'Перераспределение нагрузки'],
    ]);
    expect(await stored().findOne({ _id: assignment.id })).toMatchObject({ status: 'ended', version: 2 });
    expect(list.assignments.map((a) => a.id)).toEqual([assignment.id]);
    expect(active.assignments).toEqual([]);
    await waitFor(() => eventsOf(assignment.id).length >= 2, { timeoutMs: 15_000 });
    expect(eventsOf(assignment.id).map((e) => [e.type, e.aggregateVersion])).toEqual([
      ['edu.schedule.teaching.assigned', 1],
      ['edu.schedule.teaching.unassigned', 2],
    ]);
    expect(eventsOf(assignment.id)[1]!.payload).toMatchObject({
      assignment: { status: 'ended', ends_on: '2026-12-28', starts_on: '2026-09-01' },
      previous_ends_on: '2027-05-31',
      reason: 'Перераспределение нагрузки',
    });
  });

  it('when teachers read, then each sees their own, the classes they teach or lead; the managers see all', async () => {
    const s = await school();
    const group1 = await s.assign({ class_id: '', subgroup_id: s.group1, subject_id: english });
    const group2 = await s.assign({
      teacher_id: s.teacher2,
      class_id: '',
      subgroup_id: s.group2,
      subject_id: english,
    });
    const math5b = await s.assign({});
    const query = { school_id: s.schoolId, academic_year_id: s.yearId };

    const all = await schedule.client.ListAssignments(query, await s.deputy());
    const own = await schedule.client.ListAssignments(
      { ...query, teacher_id: s.teacher1 },
      await s.teacher(s.teacher1),
    );
    const taught = await schedule.client.ListAssignments(
      { ...query, class_id: s.class5a },
      await s.teacher(s.teacher2),
    );
    const led = await schedule.client.ListAssignments(
      { ...query, class_id: s.class5a },
      await s.teacher(s.classTeacher),
    );
    const colleague = await schedule.client.GetAssignment({ id: group1.id }, await s.teacher(s.teacher2));

    expect(all.assignments.map((a) => a.id)).toEqual([group1.id, group2.id, math5b.id]);
    expect(own.assignments.map((a) => a.id)).toEqual([group1.id, math5b.id]);
    expect(taught.assignments.map((a) => [a.subgroup_name, a.teacher_name])).toEqual([
      ['Английский язык, группа 1', 'Иванова Анна Петровна'],
      ['Английский язык, группа 2', 'Петров Олег Ильич'],
    ]);
    expect(led.assignments).toHaveLength(2);
    expect(colleague.assignment?.id).toBe(group1.id);
  });

  it('when a role without the right calls each endpoint, then it is refused, nothing changes, and every denial is logged', async () => {
    const s = await school();
    const math5b = await s.assign({});
    const before = schedule.logs().length;
    const query = { school_id: s.schoolId, academic_year_id: s.yearId };

    const assign = await refusal(s.assign({ teacher_id: s.teacher2 }, await s.teacher(s.teacher2)));
    const end = await refusal(
      schedule.client.EndAssignment({ id: math5b.id, expected_version: '1' }, await s.teacher(s.teacher1)),
    );
    const listOther = await refusal(
      schedule.client.ListAssignments({ ...query, teacher_id: s.teacher1 }, await s.teacher(s.teacher2)),
    );
    const listSchool = await refusal(schedule.client.ListAssignments(query, await s.teacher(s.teacher2)));
    const get = await refusal(schedule.client.GetAssignment({ id: math5b.id }, await s.teacher(s.teacher2)));
    const guardian = await refusal(
      schedule.client.GetAssignment({ id: math5b.id }, await schedule.as(guardianActor)),
    );
    const stranger = await refusal(
      schedule.client.ListAssignments(query, await schedule.as(staffOf(randomUUID(), 'director'))),
    );

    expect([assign, end, listOther, listSchool, get].map((e) => e.code)).toEqual([
      grpc.status.PERMISSION_DENIED,
      grpc.status.PERMISSION_DENIED,
      grpc.status.PERMISSION_DENIED,
      grpc.status.PERMISSION_DENIED,
      grpc.status.PERMISSION_DENIED,
    ]);
    expect([guardian.domainError?.code, stranger.domainError?.code]).toEqual([
      'assignment.not_found',
      'school.not_found',
    ]);
    expect(await stored().find({ schoolId: s.schoolId }).toArray()).toMatchObject([
      { _id: math5b.id, version: 1 },
    ]);
    expect(denials(before)).toEqual([
      ['assignment.create', `school:${s.schoolId}`],
      ['assignment.end', `assignment:${math5b.id}`],
      ['assignment.list', `teacher:${s.teacher1}`],
      ['assignment.list', `school:${s.schoolId}`],
      ['assignment.read', `assignment:${math5b.id}`],
      ['assignment.read', `assignment:${math5b.id}`],
      ['assignment.list', `school:${s.schoolId}`],
    ]);
  });
});
