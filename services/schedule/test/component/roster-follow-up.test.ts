import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { waitFor } from '@edu/testing';
import { catalogueSubjectId } from '../../src/domain/subject-catalogue';
import { addDays, todayIn } from '../../src/domain/teaching-assignment';
import {
  recordScheduleEvents,
  refusal,
  staffOf,
  startSchedule,
  type PublishedEvent,
  type ScheduleHarness,
} from './harness';
import { classEvent, schoolCreated, staffEvent, subgroupEvent, yearOpened } from './roster-events';

// What schedule does when roster changes, with roster's real events on Kafka: teaching assignments
// end when their teacher is dismissed from the last teaching position, their class is closed or
// their subgroup disbanded (once, also when roster's event comes again); a day transfer announced
// fewer than 3 working days ahead is recorded as a calendar warning.

const math = catalogueSubjectId('mathematics');
const english = catalogueSubjectId('english');
const today = () => todayIn('Asia/Krasnoyarsk', new Date());

interface StoredAssignment {
  _id: string;
  status: string;
  endsOn: string;
  version: number;
  history: { kind: string; reason: string }[];
}

describe('schedule: following roster’s changes (real FerretDB and Kafka)', () => {
  let schedule: ScheduleHarness;
  let recorder: Awaited<ReturnType<typeof recordScheduleEvents>>;
  let published: PublishedEvent[] = [];
  const assignment = (id: string) =>
    schedule.store.collection<StoredAssignment>('teaching_assignments').findOne({ _id: id });
  const unassigned = (id: string) =>
    published.filter((e) => e.aggregateId === id && e.type === 'edu.schedule.teaching.unassigned');

  /** 5А with an English group and 5Б; `teacher` teaches maths in both, `english` the group. */
  async function school() {
    const ids = {
      schoolId: randomUUID(),
      yearId: randomUUID(),
      class5a: randomUUID(),
      class5b: randomUUID(),
      group: randomUUID(),
      teacher: randomUUID(),
      english: randomUUID(),
    };
    const { schoolId, yearId } = ids;
    await schedule.roster([
      schoolCreated(schoolId),
      yearOpened(schoolId, yearId),
      classEvent(schoolId, yearId, ids.class5a),
      classEvent(schoolId, yearId, ids.class5b, { letter: 'Б' }),
      subgroupEvent(schoolId, yearId, ids.class5a, ids.group),
      staffEvent(schoolId, `p-${ids.teacher}`, ids.teacher),
      staffEvent(schoolId, `p2-${ids.teacher}`, ids.teacher, { kind: 'deputy' }),
      staffEvent(schoolId, `p-${ids.english}`, ids.english),
    ]);
    const deputy = await schedule.as(staffOf(schoolId, 'deputy'));
    const assign = async (teacher_id: string, subject_id: string, target: object) =>
      (
        await schedule.client.AssignTeacher(
          { school_id: schoolId, academic_year_id: yearId, teacher_id, subject_id, ...target },
          deputy,
        )
      ).assignment!.id;
    return {
      ...ids,
      deputy,
      maths5a: await assign(ids.teacher, math, { class_id: ids.class5a }),
      maths5b: await assign(ids.teacher, math, { class_id: ids.class5b }),
      group: ids.group,
      englishGroup: await assign(ids.english, english, { subgroup_id: ids.group }),
    };
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

  it('when a teacher is dismissed from one of two positions, then nothing ends; from the last, then their assignments end on the last day, once even if roster repeats it', async () => {
    const s = await school();
    const dismissed = (positionId: string) =>
      staffEvent(s.schoolId, positionId, s.teacher, {
        kind: positionId.startsWith('p2') ? 'deputy' : 'teacher',
        type: 'dismissed',
        version: 2,
        effectiveOn: '2026-12-15',
      });

    await schedule.roster([dismissed(`p-${s.teacher}`), schoolCreated(s.schoolId, { version: 2 })]);
    const afterFirst = await assignment(s.maths5a);
    const last = dismissed(`p2-${s.teacher}`);
    await schedule.roster([last]);
    await waitFor(async () => (await assignment(s.maths5b))?.status === 'ended');
    // The same event again, then another of the school: applied in order, so the repeat was handled.
    await schedule.roster([last, schoolCreated(s.schoolId, { version: 3 })]);

    expect(afterFirst?.status).toBe('active');
    for (const id of [s.maths5a, s.maths5b]) {
      expect(await assignment(id)).toMatchObject({ status: 'ended', endsOn: '2026-12-15', version: 2 });
      expect((await assignment(id))!.history.at(-1)).toMatchObject({
        kind: 'ended',
        reason: 'teacher_dismissed',
      });
    }
    expect((await assignment(s.englishGroup))?.status).toBe('active');
    await waitFor(() => unassigned(s.maths5a).length > 0 && unassigned(s.maths5b).length > 0);
    expect(unassigned(s.maths5a)[0]!.payload).toMatchObject({
      previous_ends_on: '2027-05-31',
      reason: 'teacher_dismissed',
      assignment: { assignment_id: s.maths5a, status: 'ended', ends_on: '2026-12-15' },
    });
    expect([unassigned(s.maths5a).length, unassigned(s.maths5b).length]).toEqual([1, 1]);
  });

  it('when roster disbands a subgroup, then only its assignment ends; when it closes the class, then the class’s end on the day of the closure', async () => {
    const s = await school();

    await schedule.roster([
      subgroupEvent(s.schoolId, s.yearId, s.class5a, s.group, {
        type: 'disbanded',
        status: 'closed',
        version: 2,
      }),
    ]);
    await waitFor(async () => (await assignment(s.englishGroup))?.status === 'ended');
    const maths5aAfterDisband = await assignment(s.maths5a);
    await schedule.roster([
      classEvent(s.schoolId, s.yearId, s.class5a, { type: 'closed', status: 'closed', version: 2 }),
    ]);
    await waitFor(async () => (await assignment(s.maths5a))?.status === 'ended');

    expect(maths5aAfterDisband?.status).toBe('active');
    expect(await assignment(s.englishGroup)).toMatchObject({
      endsOn: today(),
      history: expect.arrayContaining([expect.objectContaining({ reason: 'subgroup_disbanded' })]),
    });
    expect(await assignment(s.maths5a)).toMatchObject({
      endsOn: today(),
      history: expect.arrayContaining([expect.objectContaining({ reason: 'class_closed' })]),
    });
    expect((await assignment(s.maths5b))?.status).toBe('active');
    await waitFor(() => unassigned(s.maths5a).length > 0 && unassigned(s.englishGroup).length > 0);
    expect(unassigned(s.englishGroup)[0]!.payload).toMatchObject({ reason: 'subgroup_disbanded' });
    expect(unassigned(s.maths5a)[0]!.payload).toMatchObject({ reason: 'class_closed' });
  });

  it('when roster announces a day transfer 2 days ahead and another a month ahead, then one calendar warning is recorded (once), listed for managers only', async () => {
    const s = await school();
    const soon = addDays(today(), 2);
    const later = addDays(today(), 30);
    const changed = yearOpened(s.schoolId, s.yearId, {
      calendarChanged: true,
      version: 2,
      holidays: [],
      transfers: [
        { date: soon, works_as: 1 },
        { date: later, works_as: 5 },
      ],
    });

    await schedule.roster([changed]);
    const list = async () =>
      (
        await schedule.client.ListCalendarWarnings(
          { school_id: s.schoolId, academic_year_id: s.yearId },
          s.deputy,
        )
      ).warnings;
    await waitFor(async () => (await list()).length > 0);
    await schedule.roster([changed, schoolCreated(s.schoolId, { version: 2 })]);
    const warnings = await list();
    const teacher = await refusal(
      schedule.client.ListCalendarWarnings(
        { school_id: s.schoolId, academic_year_id: s.yearId },
        await schedule.as(staffOf(s.schoolId, 'teacher', s.teacher)),
      ),
    );
    const outsider = await refusal(
      schedule.client.ListCalendarWarnings(
        { school_id: s.schoolId, academic_year_id: s.yearId },
        await schedule.as({ accountId: 'acc-x', personId: 'x', schoolRoles: [], grants: [] }),
      ),
    );

    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'calendar.transfer_late_notice', date: soon, works_as: 1 });
    expect(warnings[0]!.working_days_ahead).toBeLessThan(3);
    expect(warnings[0]!.message).toContain('не позднее чем за 3 рабочих дня');
    expect([teacher.code, outsider.code]).toEqual([grpc.status.PERMISSION_DENIED, grpc.status.NOT_FOUND]);
  });
});
