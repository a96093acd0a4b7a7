import * as grpc from '@grpc/grpc-js';
import type { Actor } from '@edu/grpc';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { createEventCodec, newEvent } from '@edu/events';
import { protoFile } from '@edu/proto';
import { waitFor } from '@edu/testing';
import {
  cardMessage,
  operator,
  planMessage,
  recordEvents,
  refusal,
  staffOf,
  startRoster,
  type RosterHarness,
} from './harness';

// The register of orders and the head counts through RosterService against the real FerretDB
// and Kafka: orders made by enrolments, a transfer (which also takes the student out of their
// subgroup), a subgroup change, a calendar change and a hire are read back as one register.

const ENROL = { number: '1-у', date: '2026-08-28', title: 'О зачислении обучающихся' };
const TRANSFER = { number: '40-у', date: '2026-11-20', title: 'О переводе обучающегося' };
const GROUPS = { number: '12-у', date: '2026-09-10', title: 'О делении на подгруппы' };
const HOLIDAYS = { number: '45-о', date: '2026-10-20', title: 'О продлении осенних каникул' };
const HIRE = { number: '10-к', date: '2026-08-25', title: 'О приёме на работу' };

describe('roster: the register of orders and head counts over gRPC (real FerretDB and Kafka)', () => {
  let roster: RosterHarness;
  let schoolId: string;
  let yearId: string;
  let class5a: string;
  let class5b: string;
  let students: string[];
  let teacherId: string;
  let groupId: string;
  const director = () => roster.as(staffOf(schoolId, 'director'));

  beforeAll(async () => {
    roster = await startRoster();
    schoolId = (
      await roster.client.CreateSchool(
        { school: cardMessage({ municipalityId: 'achinsk' }) },
        await roster.as(operator),
      )
    ).school!.id;
    const year = (await roster.client.OpenAcademicYear(planMessage(schoolId), await director()))
      .academic_year!;
    yearId = year.id;
    const open = async (letter: string) =>
      (
        await roster.client.OpenClass(
          { academic_year_id: yearId, grade: 5, letter, capacity: 0 },
          await director(),
        )
      ).school_class!.id;
    class5a = await open('А');
    class5b = await open('Б');
    const register = async (kind: string, lastName: string) =>
      (
        await roster.people.RegisterPerson(
          {
            school_id: schoolId,
            kind,
            last_name: lastName,
            first_name: 'Анна',
            birth_date: kind === 'student' ? '2015-03-01' : '1985-03-01',
            sex: 'female',
          },
          await director(),
        )
      ).person!.id;
    students = [await register('student', 'Алексеева'), await register('student', 'Борисова')];
    for (const id of students) {
      await roster.client.EnrolStudent(
        { student_id: id, class_id: class5a, effective_on: '2026-09-01', order: ENROL },
        await director(),
      );
    }
    teacherId = await register('staff', 'Учителева');
    await roster.staff.HireStaff(
      {
        school_id: schoolId,
        person_id: teacherId,
        kind: 'teacher',
        title: '',
        rate: 1,
        hired_on: '2026-09-01',
        order: HIRE,
      },
      await director(),
    );
    const group = (
      await roster.subgroups.FormSubgroup(
        {
          class_id: class5a,
          subject_key: 'english',
          name: 'Английский язык, группа 1',
          teacher_id: '',
          member_ids: [students[0]!],
        },
        await director(),
      )
    ).subgroup!;
    groupId = group.id;
    await roster.subgroups.ChangeSubgroupMembers(
      { id: groupId, expected_version: group.version, add: [students[1]!], remove: [], order: GROUPS },
      await director(),
    );
    const plan = planMessage(schoolId);
    plan.holidays[0]!.days.ends_on = '2026-11-08';
    plan.period_schemes[0]!.periods[1]!.days.starts_on = '2026-11-09';
    await roster.client.ChangeCalendar(
      {
        academic_year_id: yearId,
        expected_version: year.version,
        order: HOLIDAYS,
        holidays: plan.holidays,
        period_schemes: plan.period_schemes,
        closures: [],
        transfers: [],
      },
      await director(),
    );
  });

  afterAll(async () => {
    await roster?.close();
  });

  it('when a student is transferred, then they leave the subgroup of the old class under the same order, and members_changed says so', async () => {
    const events = await recordEvents(roster, /^edu\.roster\.subgroup\.members_changed$/);
    try {
      const enrolmentId = `${yearId}:${students[1]}`;
      await roster.client.MoveStudent(
        {
          enrolment_id: enrolmentId,
          expected_version: '1',
          to_class_id: class5b,
          effective_on: '2026-11-23',
          order: TRANSFER,
          reason: '',
        },
        await director(),
      );

      const { subgroup } = await roster.subgroups.GetSubgroup({ id: groupId }, await director());
      expect(subgroup!.member_ids).toEqual([students[0]]);
      expect(subgroup!.history.map((c) => [c.kind, c.added, c.removed, c.order?.number ?? ''])).toEqual([
        ['formed', [students[0]], [], ''],
        ['members_changed', [students[1]], [], GROUPS.number],
        ['left_class', [], [students[1]], TRANSFER.number],
      ]);
      await waitFor(
        () =>
          events.published.some(
            (e) =>
              e.aggregateId === groupId &&
              e.payload &&
              (e.payload as { kind?: string }).kind === 'left_class',
          ),
        { timeoutMs: 20_000 },
      );
      const left = events.published.find((e) => (e.payload as { kind?: string }).kind === 'left_class')!;
      expect(left.payload).toMatchObject({ removed: [students[1]], kind: 'left_class', order: TRANSFER });
    } finally {
      await events.stop();
    }
  });

  it('when the director reads the register, then every order comes once, the latest first, with what it did', async () => {
    const { orders } = await roster.client.ListOrders({ academic_year_id: yearId }, await director());

    const summary = orders.map((o) => [o.order!.number, o.acts.map((a) => a.kind)]);
    expect(summary).toEqual([
      ['40-у', ['transferred', 'subgroup_members_changed']],
      ['45-о', ['calendar_changed']],
      ['12-у', ['subgroup_members_changed']],
      ['1-у', ['enrolled']],
      ['10-к', ['staff_hired']],
    ]);
    const enrolled = orders.find((o) => o.order!.number === '1-у')!.acts[0]!;
    expect(enrolled.person_ids.sort()).toEqual([...students].sort());
    expect(enrolled.class_ids).toEqual([class5a]);
    const transfer = orders[0]!.acts[0]!;
    expect(transfer).toMatchObject({ person_ids: [students[1]], class_ids: [class5a, class5b] });
    expect(orders[1]!.acts[0]!.summary.join(' ')).toMatch(/каникул/i);
    expect(orders[1]!.order).toEqual(HOLIDAYS);
  });

  it('when the HR officer reads the register, then only the staff orders come; a teacher is refused and another school sees no year', async () => {
    const hr = await roster.as(staffOf(schoolId, 'hr'));

    const { orders } = await roster.client.ListOrders({ academic_year_id: yearId }, hr);
    const teacher = await refusal(
      roster.client.ListOrders({ academic_year_id: yearId }, await roster.as(staffOf(schoolId, 'teacher'))),
    );
    const stranger = await refusal(
      roster.client.ListOrders(
        { academic_year_id: yearId },
        await roster.as(staffOf('another-school', 'director')),
      ),
    );

    expect(orders.map((o) => [o.order!.number, o.acts.map((a) => a.kind)])).toEqual([
      ['10-к', ['staff_hired']],
    ]);
    expect(teacher.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(stranger.code).toBe(grpc.status.NOT_FOUND);
  });

  it('when the director or a municipal officer of the school’s municipality asks for head counts, then they come by grade without names; others are refused', async () => {
    const officer: Actor = {
      accountId: 'acc-officer',
      schoolRoles: [],
      grants: ['municipalOfficer:achinsk'],
    };
    const otherOfficer: Actor = { ...officer, grants: ['municipalOfficer:norilsk'] };

    const byDirector = await roster.client.GetSchoolCounts({ academic_year_id: yearId }, await director());
    const byOfficer = await roster.client.GetSchoolCounts(
      { academic_year_id: yearId },
      await roster.as(officer),
    );
    const refusedOfficer = await refusal(
      roster.client.GetSchoolCounts({ academic_year_id: yearId }, await roster.as(otherOfficer)),
    );
    const refusedTeacher = await refusal(
      roster.client.GetSchoolCounts(
        { academic_year_id: yearId },
        await roster.as(staffOf(schoolId, 'teacher')),
      ),
    );
    const officerReadsNames = await refusal(
      roster.client.ListClassStudents({ class_id: class5a }, await roster.as(officer)),
    );

    expect(byDirector).toEqual({
      school_id: schoolId,
      academic_year_id: yearId,
      grades: [{ grade: 5, classes: 2, students: 2 }],
      classes: 2,
      students: 2,
      staff: 1,
    });
    expect(byOfficer).toEqual(byDirector);
    expect(refusedOfficer.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(refusedTeacher.code).toBe(grpc.status.PERMISSION_DENIED);
    expect([grpc.status.PERMISSION_DENIED, grpc.status.NOT_FOUND]).toContain(officerReadsNames.code);
  });
  it("when schedule assigns a teacher to 5А (a real event on schedule's topic), then that teacher reads 5А's list; 5Б's stays refused, and after the assignment ends the list of 5А is refused again", async () => {
    const teacher = { ...staffOf(schoolId, 'teacher', teacherId) };
    const codec = createEventCodec({
      protoFiles: [protoFile('edu/events/v1/schedule.proto')],
      types: {
        'edu.schedule.teaching.assigned': 'edu.events.v1.TeachingAssigned',
        'edu.schedule.teaching.unassigned': 'edu.events.v1.TeachingUnassigned',
      },
    });
    const producer = new Kafka({ brokers: roster.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const assignmentId = randomUUID();
    const publish = async (type: string, version: number, status: string, endsOn: string) => {
      const event = newEvent({
        type,
        schoolId,
        aggregateId: assignmentId,
        aggregateVersion: version,
        actor: { accountId: 'acc-deputy', personId: '' },
        traceId: randomUUID().replaceAll('-', ''),
        payload: {
          assignment: {
            assignment_id: assignmentId,
            school_id: schoolId,
            academic_year_id: yearId,
            teacher_id: teacherId,
            class_id: class5a,
            subgroup_id: '',
            subject_id: 'subject-math',
            subject_key: 'math',
            subject_name: 'Математика',
            starts_on: '2026-09-01',
            ends_on: endsOn,
            hours_per_week: 5,
            status,
          },
        },
      });
      await producer.send({
        topic: roster.topic.replace(/edu\.roster\.v1$/, 'edu.schedule.v1'),
        messages: [{ key: schoolId, value: codec.encode(event) }],
      });
    };
    const list5a = async () =>
      roster.client.ListClassStudents({ class_id: class5a }, await roster.as(teacher));
    try {
      const before = await refusal(list5a());
      await publish('edu.schedule.teaching.assigned', 1, 'active', '2027-05-31');
      const listed = await waitFor(() => list5a().catch(() => undefined), {
        timeoutMs: 30_000,
        what: "the teacher's assignment in roster's copy",
      });
      const other = await refusal(
        roster.client.ListClassStudents({ class_id: class5b }, await roster.as(teacher)),
      );
      await publish('edu.schedule.teaching.unassigned', 2, 'ended', '2026-09-30');
      const after = await waitFor(
        () =>
          list5a().then(
            () => undefined,
            (error: unknown) => error,
          ),
        {
          timeoutMs: 30_000,
          what: "the ended assignment in roster's copy",
        },
      );

      expect(before.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(listed.students.map((s) => s.student_id)).toEqual([students[0]]);
      expect(other.code).toBe(grpc.status.PERMISSION_DENIED);
      expect((after as { code?: number }).code).toBe(grpc.status.PERMISSION_DENIED);
      const stored = await roster.store.collection('teaching_copy').findOne({ _id: assignmentId as never });
      expect(stored).toMatchObject({ teacherId, classId: class5a, status: 'ended', version: 2 });
    } finally {
      await producer.disconnect();
    }
  });
});
