import * as grpc from '@grpc/grpc-js';
import { grpcHealthStatus, grpcReflectedServices, uniqueName, waitFor } from '@edu/testing';
import {
  cardMessage,
  operator,
  planMessage,
  recordEvents,
  refusal,
  staffOf,
  startRoster,
  type PublishedEvent,
  type RosterHarness,
} from './harness';

// Subgroups through roster's SubgroupService against the real FerretDB and Kafka, with real
// people, classes and enrolments made through roster's own API.

/** The order behind a change of a subgroup's members. */
const MEMBERS_ORDER = { number: '12-у', date: '2026-09-10', title: 'О делении на подгруппы' };

describe('roster: subgroups over gRPC (real FerretDB and Kafka)', () => {
  let roster: RosterHarness;
  let schoolId: string;
  let yearId: string;
  let events: Awaited<ReturnType<typeof recordEvents>>;
  let published: PublishedEvent[] = [];
  const subgroups = () => roster.store.collection('subgroups');
  const director = () => roster.as(staffOf(schoolId, 'director'));
  const deputy = () => roster.as(staffOf(schoolId, 'deputy'));
  const teacher = () => roster.as(staffOf(schoolId, 'teacher'));
  const order = (number: string) => ({ number, date: '2026-08-28', title: 'О зачислении обучающихся' });
  let grade = 0;
  /** A fresh open class of its own grade, so that tests do not share names. */
  const openClass = async (letter = 'А') => {
    grade += 1;
    return (await roster.client.OpenClass({ academic_year_id: yearId, grade, letter }, await director()))
      .school_class!;
  };
  const register = async (kind: string, lastName: string) =>
    (
      await roster.people.RegisterPerson(
        {
          school_id: schoolId,
          kind,
          last_name: lastName,
          first_name: 'Иван',
          birth_date: kind === 'student' ? '2015-03-01' : '1980-03-01',
          sex: 'male',
        },
        await director(),
      )
    ).person!;
  /** Students enrolled into the class (by order), in the order given. */
  const enrolled = async <N extends string[]>(
    classId: string,
    ...lastNames: N
  ): Promise<{ [K in keyof N]: string }> => {
    const ids: string[] = [];
    for (const lastName of lastNames) {
      const student = await register('student', lastName);
      await roster.client.EnrolStudent(
        { student_id: student.id, class_id: classId, effective_on: '2026-09-01', order: order('1-у') },
        await director(),
      );
      ids.push(student.id);
    }
    return ids as { [K in keyof N]: string };
  };
  const form = async (classId: string, fields: Record<string, unknown> = {}, metadata?: object) =>
    (
      await roster.subgroups.FormSubgroup(
        { class_id: classId, subject_key: 'english', name: 'Английский язык, группа 1', ...fields },
        metadata ?? (await deputy()),
      )
    ).subgroup!;
  const eventsOf = (id: string) => published.filter((e) => e.aggregateId === id);

  beforeAll(async () => {
    roster = await startRoster();
    const created = await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator));
    schoolId = created.school!.id;
    yearId = (await roster.client.OpenAcademicYear(planMessage(schoolId), await director())).academic_year!
      .id;

    events = await recordEvents(roster, 'edu.roster.subgroup.');
    published = events.published;
  });

  afterAll(async () => {
    await events?.stop();
    await roster?.close();
  });

  it('when health and reflection are asked without an actor, then SubgroupService is SERVING and listed', async () => {
    expect(await grpcHealthStatus(roster.address, 'edu.roster.v1.SubgroupService')).toBe('SERVING');
    expect(await grpcReflectedServices(roster.address)).toEqual(
      expect.arrayContaining(['edu.roster.v1.RosterService', 'edu.roster.v1.SubgroupService']),
    );
  });

  it('when a deputy forms a subgroup with a teacher and members (twice with one idempotency key), then one is stored and formed is published with ids only', async () => {
    const schoolClass = await openClass();
    const members = await enrolled(schoolClass.id, 'Англичанов', 'Британов');
    const englishTeacher = await register('staff', 'Учителев');
    const metadata = await roster.as(staffOf(schoolId, 'deputy'), uniqueName('key'));
    const fields = { teacher_id: englishTeacher.id, member_ids: members };

    const first = await form(schoolClass.id, fields, metadata);
    const repeat = await form(schoolClass.id, fields, metadata);

    expect(first).toMatchObject({
      school_id: schoolId,
      academic_year_id: yearId,
      class_id: schoolClass.id,
      subject_key: 'english',
      name: 'Английский язык, группа 1',
      teacher_id: englishTeacher.id,
      member_ids: members,
      status: 'open',
      version: '1',
    });
    expect(repeat).toEqual(first);
    expect(await subgroups().countDocuments({ classId: schoolClass.id })).toBe(1);

    await waitFor(() => eventsOf(first.id).length > 0, { timeoutMs: 15_000 });
    expect(eventsOf(first.id).map((e) => e.type)).toEqual(['edu.roster.subgroup.formed']);
    expect(eventsOf(first.id)[0]!.payload).toEqual({
      subgroup: {
        subgroup_id: first.id,
        school_id: schoolId,
        academic_year_id: yearId,
        class_id: schoolClass.id,
        subject_key: 'english',
        name: 'Английский язык, группа 1',
        teacher_id: englishTeacher.id,
        member_ids: members,
        status: 'open',
      },
    });
    const raw = eventsOf(first.id)[0]!.raw.toString('utf8');
    for (const value of ['Англичанов', 'Британов', 'Учителев', 'Иван']) expect(raw).not.toContain(value);
  });

  it('when a student of one English subgroup is put into a second, then 409 subgroup.already_member names the first; a taken name is 409 subgroup.name_taken', async () => {
    const schoolClass = await openClass();
    const [a, b, c] = await enrolled(schoolClass.id, 'Алексеев', 'Борисов', 'Васильев');
    const first = await form(schoolClass.id, { member_ids: [a, b] });

    const twice = await refusal(
      form(schoolClass.id, { name: 'Английский язык, группа 2', member_ids: [c, b] }),
    );
    const second = await form(schoolClass.id, { name: 'Английский язык, группа 2', member_ids: [c] });
    const moved = await refusal(
      roster.subgroups.ChangeSubgroupMembers(
        { id: second.id, expected_version: '1', add: [a], order: MEMBERS_ORDER },
        await deputy(),
      ),
    );
    const sameName = await refusal(
      form(schoolClass.id, { subject_key: 'pe', name: 'английский язык, ГРУППА 1' }),
    );
    const pe = await form(schoolClass.id, {
      subject_key: 'pe',
      name: 'Физкультура, мальчики',
      member_ids: [a, b, c],
    });

    expect(twice.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(twice.domainError).toMatchObject({
      code: 'subgroup.already_member',
      detail: expect.stringContaining('«Английский язык, группа 1»'),
      errors: [{ field: 'memberIds[1]', message: 'Уже в подгруппе «Английский язык, группа 1»' }],
    });
    expect(twice.domainError?.detail).not.toContain('Борисов');
    expect(moved.domainError?.code).toBe('subgroup.already_member');
    expect(moved.domainError?.errors?.map((e) => e.field)).toEqual(['add[0]']);
    expect(sameName.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(sameName.domainError?.code).toBe('subgroup.name_taken');
    expect(pe.member_ids).toEqual([a, b, c]);
    expect(
      (await subgroups().find({ classId: schoolClass.id }).toArray()).map((s) => [s._id, s.memberIds]),
    ).toEqual(
      expect.arrayContaining([
        [first.id, [a, b]],
        [second.id, [c]],
      ]),
    );
    expect(await subgroups().countDocuments({ classId: schoolClass.id })).toBe(3);
  });

  it('when two requests put one student into two subgroups of a subject at the same moment, then one wins and the other is 409', async () => {
    const schoolClass = await openClass();
    const [student] = await enrolled(schoolClass.id, 'Гонкин');

    const results = await Promise.allSettled(
      ['Группа 1', 'Группа 2'].map(async (name) => form(schoolClass.id, { name, member_ids: [student] })),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason.domainError?.code).toBe('subgroup.already_member');
    expect(await subgroups().countDocuments({ classId: schoolClass.id })).toBe(1);
  });

  it('when a withdrawn student or one of another class is added, then 422 subgroup.student_not_enrolled names their places only and nothing is stored', async () => {
    const schoolClass = await openClass();
    const otherClass = await openClass();
    const [stays, leaves] = await enrolled(schoolClass.id, 'Оставшийся', 'Выбывший');
    const [elsewhere] = await enrolled(otherClass.id, 'Чужой');
    await roster.client.MoveStudent(
      {
        enrolment_id: `${yearId}:${leaves}`,
        expected_version: '1',
        to_class_id: '',
        effective_on: '2026-10-01',
        order: order('20-у'),
        reason: 'Переезд в другой город',
      },
      await director(),
    );

    const error = await refusal(form(schoolClass.id, { member_ids: [stays, leaves, elsewhere] }));

    expect(error.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(error.domainError?.code).toBe('subgroup.student_not_enrolled');
    expect(error.domainError?.errors?.map((e) => e.field)).toEqual(['memberIds[1]', 'memberIds[2]']);
    expect(JSON.stringify(error.domainError)).not.toMatch(/Выбывший|Чужой/);
    expect(await subgroups().countDocuments({ classId: schoolClass.id })).toBe(0);
  });

  it('when the class is closed or the teacher is not active staff, then 422; bad input is INVALID_ARGUMENT naming the fields; nothing is stored', async () => {
    const schoolClass = await openClass();
    const closed = await openClass();
    await roster.client.ChangeClass({ id: closed.id, expected_version: '1', close: true }, await director());
    const student = await register('student', 'Неучитель');

    const closedClass = await refusal(form(closed.id));
    const notStaff = await refusal(form(schoolClass.id, { teacher_id: student.id }));
    const bad = await refusal(
      form(schoolClass.id, { subject_key: 'Английский', name: '', member_ids: [student.id, student.id] }),
    );

    expect(closedClass.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(closedClass.domainError?.code).toBe('class.closed');
    expect(notStaff.domainError).toMatchObject({
      code: 'subgroup.teacher_not_staff',
      errors: [{ field: 'teacherId', message: 'Выберите работающего сотрудника школы' }],
    });
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(bad.domainError?.code).toBe('subgroup.invalid');
    expect(bad.domainError?.errors?.map((e) => e.field)).toEqual(['subjectKey', 'name', 'memberIds[1]']);
    expect(await subgroups().countDocuments({ classId: { $in: [schoolClass.id, closed.id] } })).toBe(0);
  });

  it('when members change, the subgroup is renamed and then disbanded, then each is published; a stale version is 409 and a disbanded subgroup no longer changes', async () => {
    const schoolClass = await openClass();
    const [a, b, c] = await enrolled(schoolClass.id, 'Дмитриев', 'Егоров', 'Жуков');
    const englishTeacher = await register('staff', 'Наставников');
    const subgroup = await form(schoolClass.id, { member_ids: [a, b] });

    const { subgroup: changed } = await roster.subgroups.ChangeSubgroupMembers(
      { id: subgroup.id, expected_version: '1', add: [c], remove: [a], order: MEMBERS_ORDER },
      await deputy(),
    );
    const stale = await refusal(
      roster.subgroups.ChangeSubgroupMembers(
        { id: subgroup.id, expected_version: '1', add: [a], order: MEMBERS_ORDER },
        await deputy(),
      ),
    );
    const { subgroup: renamed } = await roster.subgroups.ChangeSubgroup(
      {
        id: subgroup.id,
        expected_version: '2',
        name: 'Английский язык, группа А',
        teacher_id: englishTeacher.id,
      },
      await deputy(),
    );
    const unchanged = await refusal(
      roster.subgroups.ChangeSubgroup(
        { id: subgroup.id, expected_version: '3', name: 'Английский язык, группа А' },
        await deputy(),
      ),
    );
    const { subgroup: disbanded } = await roster.subgroups.DisbandSubgroup(
      { id: subgroup.id, expected_version: '3' },
      await director(),
    );
    const afterwards = await refusal(
      roster.subgroups.ChangeSubgroupMembers(
        { id: subgroup.id, expected_version: '4', remove: [b], order: MEMBERS_ORDER },
        await deputy(),
      ),
    );
    const open = await roster.subgroups.ListSubgroups({ class_id: schoolClass.id }, await teacher());
    const all = await roster.subgroups.ListSubgroups(
      { class_id: schoolClass.id, include_closed: true },
      await teacher(),
    );

    expect(changed).toMatchObject({ member_ids: [b, c], version: '2' });
    expect(stale.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(stale.domainError?.code).toBe('subgroup.version_conflict');
    expect(renamed).toMatchObject({
      name: 'Английский язык, группа А',
      teacher_id: englishTeacher.id,
      version: '3',
    });
    expect(unchanged.domainError?.code).toBe('subgroup.no_change');
    expect(disbanded).toMatchObject({ status: 'closed', member_ids: [b, c], version: '4' });
    expect(afterwards.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(afterwards.domainError?.code).toBe('subgroup.closed');
    expect(open.subgroups).toEqual([]);
    expect(all.subgroups).toEqual([disbanded]);

    await waitFor(() => eventsOf(subgroup.id).length >= 4, { timeoutMs: 15_000 });
    const events = eventsOf(subgroup.id);
    expect(events.map((e) => e.type)).toEqual([
      'edu.roster.subgroup.formed',
      'edu.roster.subgroup.members_changed',
      'edu.roster.subgroup.changed',
      'edu.roster.subgroup.disbanded',
    ]);
    expect(events[1]!.payload).toEqual({
      subgroup: expect.objectContaining({ member_ids: [b, c], status: 'open' }),
      added: [c],
      removed: [a],
      order: MEMBERS_ORDER,
      kind: 'members_changed',
    });
    expect(events[2]!.payload).toEqual({
      subgroup: expect.objectContaining({ name: 'Английский язык, группа А', teacher_id: englishTeacher.id }),
      previous_name: 'Английский язык, группа 1',
      previous_teacher_id: '',
    });
    expect(events[3]!.payload).toEqual({
      subgroup: expect.objectContaining({ status: 'closed', member_ids: [b, c] }),
    });
  });

  it('when a role that may not asks, then every method is refused (other schools see nothing) and nothing changes', async () => {
    const schoolClass = await openClass();
    const [a, b] = await enrolled(schoolClass.id, 'Зайцев', 'Иванов');
    const subgroup = await form(schoolClass.id, { member_ids: [a] });
    const hr = await roster.as(staffOf(schoolId, 'hr'));
    const stranger = await roster.as(staffOf('other-school', 'director'));

    expect((await roster.subgroups.GetSubgroup({ id: subgroup.id }, await teacher())).subgroup).toEqual(
      subgroup,
    );
    const refusals = [
      await refusal(form(schoolClass.id, { name: 'Другая' }, await teacher())),
      await refusal(
        roster.subgroups.ChangeSubgroupMembers(
          { id: subgroup.id, expected_version: '1', add: [b], order: MEMBERS_ORDER },
          await teacher(),
        ),
      ),
      await refusal(
        roster.subgroups.ChangeSubgroup(
          { id: subgroup.id, expected_version: '1', name: 'Новая' },
          await teacher(),
        ),
      ),
      await refusal(
        roster.subgroups.DisbandSubgroup({ id: subgroup.id, expected_version: '1' }, await teacher()),
      ),
      await refusal(roster.subgroups.GetSubgroup({ id: subgroup.id }, hr)),
      await refusal(roster.subgroups.ListSubgroups({ class_id: schoolClass.id }, hr)),
    ];
    const hidden = [
      await refusal(roster.subgroups.GetSubgroup({ id: subgroup.id }, stranger)),
      await refusal(roster.subgroups.ListSubgroups({ class_id: schoolClass.id }, stranger)),
      await refusal(roster.subgroups.DisbandSubgroup({ id: subgroup.id, expected_version: '1' }, stranger)),
    ];

    expect(refusals.map((e) => [e.code, e.domainError?.code])).toEqual(
      Array(6).fill([grpc.status.PERMISSION_DENIED, 'access.denied']),
    );
    expect(hidden.map((e) => [e.code, e.domainError?.code])).toEqual([
      [grpc.status.NOT_FOUND, 'subgroup.not_found'],
      [grpc.status.NOT_FOUND, 'class.not_found'],
      [grpc.status.NOT_FOUND, 'subgroup.not_found'],
    ]);
    expect(await subgroups().countDocuments({ classId: schoolClass.id })).toBe(1);
    expect(await subgroups().findOne({ _id: subgroup.id as never })).toMatchObject({
      version: 1,
      memberIds: [a],
      status: 'open',
    });
  });
});
