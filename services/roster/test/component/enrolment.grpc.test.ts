import * as grpc from '@grpc/grpc-js';
import {
  cardMessage,
  operator,
  planMessage,
  refusal,
  staffOf,
  startRoster,
  type RosterHarness,
} from './harness';

// Students in classes through roster's gRPC API against the real FerretDB and Kafka.

describe('roster: enrolment, transfer and withdrawal over gRPC (real FerretDB and Kafka)', () => {
  let roster: RosterHarness;
  let schoolId: string;
  let yearId: string;
  const order = (number: string) => ({ number, date: '2026-08-28', title: 'О зачислении обучающихся' });
  const director = () => roster.as(staffOf(schoolId, 'director'));
  const openClass = async (grade: number, letter: string, capacity = 0) =>
    (await roster.client.OpenClass({ academic_year_id: yearId, grade, letter, capacity }, await director()))
      .school_class!;
  const student = async (lastName: string) =>
    (
      await roster.people.RegisterPerson(
        {
          school_id: schoolId,
          kind: 'student',
          last_name: lastName,
          first_name: 'Иван',
          birth_date: '2015-03-01',
          sex: 'male',
        },
        await director(),
      )
    ).person!;

  beforeAll(async () => {
    roster = await startRoster();
    const { school } = await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator));
    schoolId = school!.id;
    yearId = (await roster.client.OpenAcademicYear(planMessage(schoolId), await director())).academic_year!
      .id;
  });

  afterAll(() => roster.close());

  it('when a student is enrolled into 5А, then the class list has them by name, and a second enrolment in 5Б names 5А (409)', async () => {
    const a = await openClass(5, 'А');
    const b = await openClass(5, 'Б');
    const ivanov = await student('Иванов');
    const abramov = await student('Абрамов');

    const { enrolment } = await roster.client.EnrolStudent(
      { student_id: ivanov.id, class_id: a.id, effective_on: '2026-09-01', order: order('1-у') },
      await director(),
    );
    await roster.client.EnrolStudent(
      { student_id: abramov.id, class_id: a.id, effective_on: '2026-09-01', order: order('1-у') },
      await director(),
    );
    const twice = await refusal(
      roster.client.EnrolStudent(
        { student_id: ivanov.id, class_id: b.id, effective_on: '2026-09-02', order: order('2-у') },
        await director(),
      ),
    );
    const list = await roster.client.ListClassStudents({ class_id: a.id }, await director());
    // A teacher who neither leads nor teaches 5А (no assignment from schedule) does not read it.
    const notTheirs = await refusal(
      roster.client.ListClassStudents({ class_id: a.id }, await roster.as(staffOf(schoolId, 'teacher'))),
    );

    expect(enrolment).toMatchObject({
      class_id: a.id,
      status: 'active',
      version: '1',
      student_id: ivanov.id,
    });
    expect(twice.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(twice.domainError).toMatchObject({
      code: 'enrolment.already_active',
      detail: expect.stringContaining('5А'),
    });
    expect(list.students.map((s) => s.last_name)).toEqual(['Абрамов', 'Иванов']);
    expect(notTheirs.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(list.students[0]).toEqual({
      student_id: abramov.id,
      enrolment_id: `${yearId}:${abramov.id}`,
      last_name: 'Абрамов',
      first_name: 'Иван',
      middle_name: '',
      since: '2026-09-01',
      consent: 'missing',
    });
  });

  it('when a student is transferred and then withdrawn, then the history keeps both with their orders, and the lists follow', async () => {
    const from = await openClass(6, 'А');
    const to = await openClass(6, 'Б');
    const petrov = await student('Петров');
    const { enrolment } = await roster.client.EnrolStudent(
      { student_id: petrov.id, class_id: from.id, effective_on: '2026-09-01', order: order('3-у') },
      await director(),
    );

    const transferred = await roster.client.MoveStudent(
      {
        enrolment_id: enrolment!.id,
        expected_version: '1',
        to_class_id: to.id,
        effective_on: '2026-10-01',
        order: order('15-у'),
      },
      await director(),
    );
    const backwards = await refusal(
      roster.client.MoveStudent(
        {
          enrolment_id: enrolment!.id,
          expected_version: '2',
          to_class_id: '',
          effective_on: '2026-09-15',
          order: order('16-у'),
          reason: 'Переезд',
        },
        await director(),
      ),
    );
    const withdrawn = await roster.client.MoveStudent(
      {
        enrolment_id: enrolment!.id,
        expected_version: '2',
        to_class_id: '',
        effective_on: '2026-12-01',
        order: order('40-у'),
        reason: 'Переезд в другой город',
      },
      await director(),
    );
    const history = await roster.client.GetStudentMovements({ student_id: petrov.id }, await director());

    expect(transferred.enrolment).toMatchObject({ class_id: to.id, version: '2' });
    expect(backwards.domainError?.code).toBe('enrolment.date_before_last');
    expect(withdrawn.enrolment).toMatchObject({ class_id: '', status: 'withdrawn', version: '3' });
    expect(
      history.enrolments[0]!.movements.map((m) => [m.kind, m.from_class_id, m.to_class_id, m.order!.number]),
    ).toEqual([
      ['enrolled', '', from.id, '3-у'],
      ['transferred', from.id, to.id, '15-у'],
      ['withdrawn', to.id, '', '40-у'],
    ]);
    expect((await roster.client.ListClassStudents({ class_id: to.id }, await director())).students).toEqual(
      [],
    );
  });

  it('when a teacher enrols, a class is full, or a guardian is enrolled, then each is refused and nothing is stored', async () => {
    const small = await openClass(7, 'А', 1);
    const first = await student('Первый');
    const second = await student('Второй');
    const guardian = (
      await roster.people.RegisterPerson(
        {
          school_id: schoolId,
          kind: 'guardian',
          last_name: 'Первая',
          first_name: 'Анна',
          birth_date: '1985-03-01',
          sex: 'female',
        },
        await director(),
      )
    ).person!;
    await roster.client.EnrolStudent(
      { student_id: first.id, class_id: small.id, effective_on: '2026-09-01', order: order('5-у') },
      await director(),
    );
    const enrol = async (studentId: string, actor = director()) =>
      refusal(
        roster.client.EnrolStudent(
          { student_id: studentId, class_id: small.id, effective_on: '2026-09-01', order: order('6-у') },
          await actor,
        ),
      );

    const byTeacher = await enrol(second.id, roster.as(staffOf(schoolId, 'teacher')));
    const full = await enrol(second.id);
    const notStudent = await enrol(guardian.id);

    expect(byTeacher.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(full.domainError?.code).toBe('class.full');
    expect(notStudent.domainError?.code).toBe('enrolment.not_a_student');
    expect(await roster.store.collection('enrolments').countDocuments({ classId: small.id })).toBe(1);
  });
});
