import * as grpc from '@grpc/grpc-js';
import { schoolRosterCsv, waitFor } from '@edu/testing';
import {
  cardMessage,
  operator,
  pastPlanMessage,
  planMessage,
  recordEvents,
  refusal,
  staffOf,
  startRoster,
  type RosterHarness,
} from './harness';

// Closing a year and the year rollover (R2.5) through roster's gRPC API against the real
// FerretDB and Kafka. Each test has a school of its own: 2024/2025 (over by now) with a small
// imported roster of 22 classes, 1А…11Б, two or three students each.

describe('roster: closing a year and the rollover (real FerretDB and Kafka)', () => {
  let roster: RosterHarness;
  const closeOrder = { number: '70-о', date: '2025-05-31', title: 'О завершении 2024/2025 учебного года' };
  const order = { number: '77-о', date: '2025-06-20', title: 'О переводе и выпуске обучающихся' };
  // A rollover writes a whole school: more than an ordinary call's deadline on a busy machine.
  const slow = async (actor: Parameters<RosterHarness['as']>[0], key?: string) => ({
    ...(await roster.as(actor, key)),
    deadline: new Date(Date.now() + 120_000),
  });
  const count = (collection: string, filter: Record<string, unknown>) =>
    roster.store.collection(collection).countDocuments(filter);

  beforeAll(async () => {
    roster = await startRoster();
  });

  afterAll(() => roster.close());

  /** A fresh school with 2024/2025 imported (50 students), optionally closed. */
  async function pastSchool({ close }: { close: boolean }) {
    const { school } = await roster.client.CreateSchool({ school: cardMessage() }, await roster.as(operator));
    const schoolId = school!.id;
    const director = staffOf(schoolId, 'director');
    const { academic_year: year } = await roster.client.OpenAcademicYear(
      pastPlanMessage(schoolId),
      await roster.as(director),
    );
    await roster.client.ImportRoster(
      {
        academic_year_id: year!.id,
        csv: schoolRosterCsv({ students: 50 }),
        dry_run: false,
        order: { number: '1-у', date: '2024-08-28', title: 'О зачислении обучающихся' },
      },
      await slow(director),
    );
    const { school_classes: classes } = await roster.client.ListClasses(
      { academic_year_id: year!.id },
      await roster.as(director),
    );
    const byName = new Map(classes.map((c) => [`${c.grade}${c.letter}`, c]));
    let version = year!.version;
    if (close) {
      const closed = await roster.client.CloseAcademicYear(
        { academic_year_id: year!.id, expected_version: version, order: closeOrder },
        await roster.as(director),
      );
      version = closed.academic_year!.version;
    }
    return { schoolId, director, yearId: year!.id, version, byName };
  }

  it('when the director closes 2026/2027 before its last day, or a teacher closes a year that is over, then each is refused and the year stays open', async () => {
    const { schoolId, yearId, director } = await pastSchool({ close: false });
    const { academic_year: current } = await roster.client.OpenAcademicYear(
      planMessage(schoolId),
      await roster.as(director),
    );

    const early = await refusal(
      roster.client.CloseAcademicYear(
        { academic_year_id: current!.id, expected_version: '1', order: closeOrder },
        await roster.as(director),
      ),
    );
    const byTeacher = await refusal(
      roster.client.CloseAcademicYear(
        { academic_year_id: yearId, expected_version: '1', order: closeOrder },
        await roster.as(staffOf(schoolId, 'teacher')),
      ),
    );

    expect(early.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(early.domainError).toMatchObject({
      code: 'academic_year.not_over',
      detail: expect.stringContaining('заканчивается 31.05.2027'),
    });
    expect(byTeacher.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(await count('academic_years', { schoolId, status: 'open' })).toBe(2);
  });

  it('when the director closes 2024/2025 by order, then it is closed with the order in its changes, closed is published, and a new class or a stale second close is refused', async () => {
    const { schoolId, yearId, director } = await pastSchool({ close: false });
    const events = await recordEvents(roster, 'edu.roster.academic_year.closed');
    try {
      const { academic_year: closed } = await roster.client.CloseAcademicYear(
        { academic_year_id: yearId, expected_version: '1', order: closeOrder },
        await roster.as(director, 'close-1'),
      );
      const stale = await refusal(
        roster.client.CloseAcademicYear(
          { academic_year_id: yearId, expected_version: '1', order: closeOrder },
          await roster.as(director),
        ),
      );
      const newClass = await refusal(
        roster.client.OpenClass(
          { academic_year_id: yearId, grade: 5, letter: 'В', capacity: 0 },
          await roster.as(director),
        ),
      );

      expect(closed).toMatchObject({ status: 'closed', version: '2' });
      expect(closed!.changes.at(-1)).toMatchObject({ order: closeOrder });
      expect(stale.domainError?.code).toBe('academic_year.closed');
      expect(newClass).toMatchObject({
        code: grpc.status.FAILED_PRECONDITION,
        domainError: { code: 'academic_year.closed' },
      });
      await waitFor(() => events.published.some((e) => e.aggregateId === yearId), { timeoutMs: 15_000 });
      expect(events.published.find((e) => e.aggregateId === yearId)!.payload).toMatchObject({
        academic_year: { academic_year_id: yearId, school_id: schoolId, name: '2024/2025', status: 'closed' },
        order: closeOrder,
        closed_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      });
    } finally {
      await events.stop();
    }
  });

  it('when a dry run is asked, then it reports 5А → 6А and the 11th grade graduating, and writes nothing', async () => {
    const { schoolId, yearId, director, version } = await pastSchool({ close: true });
    const before = await count('enrolments', { schoolId });

    const dry = await roster.client.RolloverAcademicYear(
      { from_academic_year_id: yearId, order, dry_run: true },
      await slow(director),
    );

    expect(dry).toMatchObject({
      dry_run: true,
      from_name: '2024/2025',
      to_name: '2025/2026',
      to_days: { starts_on: '2025-09-01', ends_on: '2026-05-31' },
      graduating_grades: [11],
      classes_promoted: 20,
      students_promoted: 46,
      students_graduated: 4,
      completed_at: '',
    });
    expect(dry.classes.find((c) => c.from_name === '5А')).toMatchObject({
      outcome: 'promoted',
      to_name: '6А',
      students: 2,
    });
    expect(dry.classes.filter((c) => c.outcome === 'graduated').map((c) => c.from_name)).toEqual([
      '11А',
      '11Б',
    ]);
    expect(await count('academic_years', { schoolId })).toBe(1);
    expect(await count('enrolments', { schoolId })).toBe(before);
    const stored = await roster.store.collection('academic_years').findOne({ _id: yearId as never });
    expect(stored).toMatchObject({ version: Number(version) });
  });

  it('when a teacher rolls over, or the year is still open, then each is refused and nothing is written', async () => {
    const open = await pastSchool({ close: false });
    const closed = await pastSchool({ close: true });

    const notClosed = await refusal(
      roster.client.RolloverAcademicYear(
        { from_academic_year_id: open.yearId, order, dry_run: false },
        await slow(open.director),
      ),
    );
    const byTeacher = await refusal(
      roster.client.RolloverAcademicYear(
        { from_academic_year_id: closed.yearId, order, dry_run: false },
        await slow(staffOf(closed.schoolId, 'teacher')),
      ),
    );

    expect(notClosed.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(notClosed.domainError).toMatchObject({
      code: 'academic_year.not_closed',
      detail: expect.stringContaining('2024/2025'),
    });
    expect(byTeacher.code).toBe(grpc.status.PERMISSION_DENIED);
    for (const { schoolId } of [open, closed]) expect(await count('academic_years', { schoolId })).toBe(1);
  });

  it('when the director rolls 2024/2025 over, then 6А has 5А’s students and class teacher, the 11th grade graduates, the events are published, and a second run changes nothing', async () => {
    const { schoolId, yearId, director, byName } = await pastSchool({ close: false });
    const fiveA = byName.get('5А')!;
    const fiveAStudents = await roster.client.ListClassStudents(
      { class_id: fiveA.id },
      await roster.as(director),
    );
    const [first, second] = fiveAStudents.students;
    const { subgroup } = await roster.subgroups.FormSubgroup(
      {
        class_id: fiveA.id,
        subject_key: 'english',
        name: 'Английский язык, группа 1',
        teacher_id: '',
        member_ids: [first!.student_id, second!.student_id],
      },
      await roster.as(director),
    );
    const { academic_year: year } = await roster.client.GetAcademicYear(
      { id: yearId },
      await roster.as(director),
    );
    await roster.client.CloseAcademicYear(
      { academic_year_id: yearId, expected_version: year!.version, order: closeOrder },
      await roster.as(director),
    );
    const events = await recordEvents(
      roster,
      /^edu\.roster\.(academic_year\.(opened|rolled_over)|class\.opened|student\.(promoted|graduated)|subgroup\.formed)$/,
    );
    try {
      const done = await roster.client.RolloverAcademicYear(
        { from_academic_year_id: yearId, order, dry_run: false, keep_subgroup_ids: [subgroup!.id] },
        await slow(director, 'rollover-1'),
      );
      const again = await roster.client.RolloverAcademicYear(
        { from_academic_year_id: yearId, order, dry_run: false },
        await slow(director, 'rollover-2'),
      );

      expect(done).toMatchObject({
        dry_run: false,
        to_name: '2025/2026',
        classes_promoted: 20,
        students_promoted: 46,
        students_graduated: 4,
        subgroups_kept: 1,
        completed_at: expect.any(String),
      });
      expect(again).toEqual(done);
      const newYearId = done.to_academic_year_id;
      const { school_classes: promoted } = await roster.client.ListClasses(
        { academic_year_id: newYearId },
        await roster.as(director),
      );
      expect(promoted.map((c) => `${c.grade}${c.letter}`)).toEqual(
        Array.from({ length: 10 }, (_, g) => [`${g + 2}А`, `${g + 2}Б`]).flat(),
      );
      const sixA = promoted.find((c) => c.grade === 6 && c.letter === 'А')!;
      expect(sixA.class_teacher_id).toBe(fiveA.class_teacher_id);
      expect(sixA.class_teacher_id).not.toBe('');
      const sixAStudents = await roster.client.ListClassStudents(
        { class_id: sixA.id },
        await roster.as(director),
      );
      expect(sixAStudents.students.map((s) => s.student_id)).toEqual(
        fiveAStudents.students.map((s) => s.student_id),
      );
      expect(sixAStudents.students.every((s) => s.since === '2025-09-01')).toBe(true);
      const movements = await roster.client.GetStudentMovements(
        { student_id: first!.student_id },
        await roster.as(director),
      );
      expect(movements.enrolments.map((e) => [e.academic_year_id, e.movements.map((m) => m.kind)])).toEqual([
        [newYearId, ['promoted']],
        [yearId, ['enrolled']],
      ]);
      expect(movements.enrolments[0]!.movements[0]).toMatchObject({
        from_class_id: fiveA.id,
        to_class_id: sixA.id,
        order,
      });
      const graduate = await roster.store.collection('enrolments').findOne({ schoolId, status: 'graduated' });
      expect(graduate).toMatchObject({ academicYearId: yearId, classId: '' });
      expect((graduate!.movements as { kind: string }[]).map((m) => m.kind)).toEqual([
        'enrolled',
        'graduated',
      ]);
      expect(await count('enrolments', { schoolId, academicYearId: newYearId })).toBe(46);
      expect(await count('enrolments', { schoolId, academicYearId: yearId, status: 'graduated' })).toBe(4);
      expect(await count('classes', { schoolId, grade: 12 })).toBe(0);
      const kept = await roster.store
        .collection('subgroups')
        .findOne({ schoolId, academicYearId: newYearId });
      expect(kept).toMatchObject({ classId: sixA.id, memberIds: [first!.student_id, second!.student_id] });

      // Classes and subgroups of the import in 2024/2025 are on the topic too: the new year's only.
      const inNewYear = (e: { payload: unknown }) => JSON.stringify(e.payload).includes(newYearId);
      const ofRollover = () =>
        events.published.filter((e) =>
          e.type === 'edu.roster.academic_year.opened' ? e.aggregateId === newYearId : true,
        );
      const typesCount = (type: string, where: (e: { payload: unknown }) => boolean = () => true) =>
        ofRollover().filter((e) => e.type === `edu.roster.${type}` && where(e)).length;
      await waitFor(
        () =>
          typesCount('academic_year.opened') === 1 &&
          typesCount('class.opened', inNewYear) === 20 &&
          typesCount('student.promoted') === 46 &&
          typesCount('student.graduated') === 4 &&
          typesCount('subgroup.formed', inNewYear) === 1 &&
          typesCount('academic_year.rolled_over') === 1,
        { timeoutMs: 60_000, what: 'the rollover published' },
      );
      expect(
        ofRollover().find((e) => e.type === 'edu.roster.academic_year.rolled_over')!.payload,
      ).toMatchObject({
        school_id: schoolId,
        from_academic_year_id: yearId,
        to_academic_year_id: newYearId,
        from_name: '2024/2025',
        to_name: '2025/2026',
        order,
        classes_promoted: 20,
        students_promoted: 46,
        students_graduated: 4,
        subgroups_kept: 1,
        classes: expect.arrayContaining([{ from_class_id: fiveA.id, to_class_id: sixA.id }]),
      });
      const promotedEvent = ofRollover().find(
        (e) =>
          e.type === 'edu.roster.student.promoted' && e.aggregateId === `${newYearId}:${first!.student_id}`,
      );
      expect(promotedEvent!.payload).toMatchObject({
        enrolment: { academic_year_id: newYearId, class_id: sixA.id, status: 'active' },
        movement: { from_class_id: fiveA.id, to_class_id: sixA.id, effective_on: '2025-09-01', order },
      });
      // The second run wrote nothing: after everything is published, nothing more comes.
      await waitFor(async () => (await count('enrolments', { schoolId, outboxPending: true })) === 0, {
        timeoutMs: 60_000,
        what: 'the outbox drained',
      });
      expect(typesCount('student.promoted')).toBe(46);
      expect(await count('academic_years', { schoolId })).toBe(2);
    } finally {
      await events.stop();
    }
  });
});
