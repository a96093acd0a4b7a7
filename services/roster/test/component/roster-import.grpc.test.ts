import * as grpc from '@grpc/grpc-js';
import { schoolRosterCsv } from '@edu/testing';
import {
  cardMessage,
  operator,
  planMessage,
  refusal,
  staffOf,
  startRoster,
  type RosterHarness,
} from './harness';

// A school's roster from CSV through roster's gRPC API against the real FerretDB and Kafka.

describe('roster: CSV import of a whole school (real FerretDB and Kafka)', () => {
  let roster: RosterHarness;
  let schoolId: string;
  let yearId: string;
  const order = { number: '1-у', date: '2026-08-28', title: 'О зачислении обучающихся' };
  const director = () => roster.as(staffOf(schoolId, 'director'));
  // A whole school in one call takes more than an ordinary call's deadline (the gateway allows 2 min).
  const importing = async () => ({ ...(await director()), deadline: new Date(Date.now() + 120_000) });
  const count = (collection: string, filter: Record<string, unknown> = {}) =>
    roster.store.collection(collection).countDocuments({ schoolId, ...filter });

  beforeAll(async () => {
    roster = await startRoster();
    const { school } = await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator));
    schoolId = school!.id;
    yearId = (await roster.client.OpenAcademicYear(planMessage(schoolId), await director())).academic_year!
      .id;
  });

  afterAll(() => roster.close());

  it('when a file has errors, then every one is listed by line and nothing is written', async () => {
    const csv = [
      'код;вид;фамилия;имя;отчество;дата рождения;пол;снилс;класс',
      's1;обучающийся;Иванов;Иван;;01.03.2015;м;;5А',
      's2;обучающийся;Petrov;Пётр;;01.03.2015;м;;5А',
      's3;обучающийся;Сидоров;Сидор;;01.03.2015;x;;5А',
    ].join('\n');

    const error = await refusal(
      roster.client.ImportRoster({ academic_year_id: yearId, csv, dry_run: false, order }, await director()),
    );

    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.domainError?.errors?.map((e) => e.field)).toEqual(['line 3: фамилия', 'line 4: пол']);
    expect(await count('people')).toBe(0);
    expect(await count('classes')).toBe(0);
  });

  it('when a teacher imports, then PERMISSION_DENIED and nothing is written', async () => {
    const error = await refusal(
      roster.client.ImportRoster(
        { academic_year_id: yearId, csv: schoolRosterCsv({ students: 5 }), dry_run: false, order },
        await roster.as(staffOf(schoolId, 'teacher')),
      ),
    );

    expect(error.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(await count('people')).toBe(0);
  });

  // Timings are in BENCHMARKS.md (`npm run bench`); here only what was written.
  it('when a school of 2,000 students is imported, then a dry run counts it, the import writes it, and the same file again changes nothing', async () => {
    const csv = schoolRosterCsv({ students: 2000 });
    const request = { academic_year_id: yearId, csv, order };

    const dry = await roster.client.ImportRoster({ ...request, dry_run: true }, await importing());
    expect(await count('people')).toBe(0);
    const done = await roster.client.ImportRoster({ ...request, dry_run: false }, await importing());
    const again = await roster.client.ImportRoster({ ...request, dry_run: false }, await importing());

    const created = {
      dry_run: false,
      lines: 3622,
      people: { created: 3622, unchanged: 0 },
      classes: { created: 22, unchanged: 0 },
      enrolments: { created: 2000, unchanged: 0 },
      guardianships: { created: 2000, unchanged: 0 },
    };
    expect(dry).toEqual({ ...created, dry_run: true });
    expect(done).toEqual(created);
    expect(again).toEqual({
      dry_run: false,
      lines: 3622,
      people: { created: 0, unchanged: 3622 },
      classes: { created: 0, unchanged: 22 },
      enrolments: { created: 0, unchanged: 2000 },
      guardianships: { created: 0, unchanged: 2000 },
    });
    expect(await count('people')).toBe(3622);
    expect(await count('enrolments', { status: 'active' })).toBe(2000);
    expect(await count('guardianships')).toBe(2000);
    const fiveA = await roster.store.collection('classes').findOne({ schoolId, grade: 5, letter: 'А' });
    expect(fiveA).toMatchObject({ academicYearId: yearId, classTeacherId: expect.any(String) });
    const list = await roster.client.ListClassStudents({ class_id: String(fiveA!._id) }, await director());
    // 2,000 students over 22 classes in turn: the first 20 classes, «5А» among them, get 91.
    expect(list.students.length).toBe(91);
  });
});
