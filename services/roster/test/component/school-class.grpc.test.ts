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

// Classes through roster's gRPC API against the real FerretDB and Kafka.

describe('roster: classes over gRPC (real FerretDB and Kafka)', () => {
  let roster: RosterHarness;
  let schoolId: string;
  let yearId: string;
  const director = () => roster.as(staffOf(schoolId, 'director'));
  const classes = () => roster.store.collection('classes');

  beforeAll(async () => {
    roster = await startRoster();
    const { school } = await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator));
    schoolId = school!.id;
    const { academic_year } = await roster.client.OpenAcademicYear(planMessage(schoolId), await director());
    yearId = academic_year!.id;
  });

  afterAll(() => roster.close());

  it('when the director opens 5а and 5Б, then the year lists «5А», «5Б» in order and a teacher can read them', async () => {
    await roster.client.OpenClass(
      { academic_year_id: yearId, grade: 5, letter: 'Б', capacity: 25 },
      await director(),
    );
    const { school_class: a } = await roster.client.OpenClass(
      { academic_year_id: yearId, grade: 5, letter: 'а', capacity: 0 },
      await director(),
    );

    expect(a).toMatchObject({ name: '5А', letter: 'А', school_id: schoolId, status: 'open', version: '1' });
    const listed = await roster.client.ListClasses(
      { academic_year_id: yearId },
      await roster.as(staffOf(schoolId, 'teacher')),
    );
    expect(listed.school_classes.map((c) => c.name)).toEqual(['5А', '5Б']);
  });

  it('when «5А» is opened again in the same year, then ALREADY_EXISTS class.name_taken and one stays', async () => {
    await roster.client.OpenClass(
      { academic_year_id: yearId, grade: 6, letter: 'А', capacity: 0 },
      await director(),
    );

    const error = await refusal(
      roster.client.OpenClass(
        { academic_year_id: yearId, grade: 6, letter: 'а', capacity: 0 },
        await director(),
      ),
    );

    expect(error.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(error.domainError?.code).toBe('class.name_taken');
    expect(await classes().countDocuments({ academicYearId: yearId, grade: 6 })).toBe(1);
  });

  it('when a teacher opens a class, then PERMISSION_DENIED; a bad letter is INVALID_ARGUMENT; nothing is stored', async () => {
    const denied = await refusal(
      roster.client.OpenClass(
        { academic_year_id: yearId, grade: 7, letter: 'А', capacity: 0 },
        await roster.as(staffOf(schoolId, 'teacher')),
      ),
    );
    const bad = await refusal(
      roster.client.OpenClass(
        { academic_year_id: yearId, grade: 12, letter: 'АБВГ', capacity: 99 },
        await director(),
      ),
    );

    expect(denied.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(bad.domainError?.errors?.map((e) => e.field)).toEqual(['grade', 'letter', 'capacity']);
    expect(await classes().countDocuments({ academicYearId: yearId, grade: { $in: [7, 12] } })).toBe(0);
  });

  it('when a staff member becomes class teacher and the class is renamed, then version 3; a student as class teacher is refused; a stale change is refused', async () => {
    const { school_class: created } = await roster.client.OpenClass(
      { academic_year_id: yearId, grade: 8, letter: 'А', capacity: 0 },
      await director(),
    );
    const person = async (kind: string, lastName: string, birthDate: string) =>
      roster.people.RegisterPerson(
        {
          school_id: schoolId,
          kind,
          last_name: lastName,
          first_name: 'Мария',
          birth_date: birthDate,
          sex: 'female',
        },
        await director(),
      );
    const teacher = (await person('staff', 'Соколова', '1985-04-12')).person!;
    const student = (await person('student', 'Петрова', '2013-02-01')).person!;

    const assigned = await roster.client.ChangeClass(
      { id: created!.id, expected_version: '1', class_teacher_id: teacher.id },
      await director(),
    );
    const renamed = await roster.client.ChangeClass(
      { id: created!.id, expected_version: '2', letter: 'Д' },
      await director(),
    );
    const notStaff = await refusal(
      roster.client.ChangeClass(
        { id: created!.id, expected_version: '3', class_teacher_id: student.id },
        await director(),
      ),
    );
    const stale = await refusal(
      roster.client.ChangeClass({ id: created!.id, expected_version: '1', capacity: 20 }, await director()),
    );

    expect(assigned.school_class).toMatchObject({ class_teacher_id: teacher.id, version: '2' });
    expect(renamed.school_class).toMatchObject({ name: '8Д', class_teacher_id: teacher.id, version: '3' });
    expect(notStaff.domainError?.code).toBe('class.teacher_not_staff');
    expect(stale.domainError?.code).toBe('class.version_conflict');
    expect(await classes().findOne({ _id: created!.id as never })).toMatchObject({ letter: 'Д', version: 3 });
  });
});
