import { mondayOf } from '../../src/domain/projection-docs';
import { weekId, type LessonDoc, type WeekDoc } from '../../src/domain/model';
import { DIARY_SOURCE_EVENTS, SOURCE_TOPICS, factsOf } from '../../src/entry-points/kafka/source-events';
import { MemoryModel } from './memory-model';
import {
  SCHOOL,
  YEAR,
  applyAll,
  applyEvent,
  calendarEvent,
  classEvent,
  envelope,
  guardianshipEvent,
  lessonEvent,
  movementEvent,
  periodMarkEvent,
  personEvent,
  policyEvent,
  recordEvent,
  schoolEvent,
  subgroupEvent,
  subjectEvent,
  yearEvent,
} from './projection-fixtures';

// The projection rule by rule: each source event into its documents, duplicates and stale
// versions changing nothing, and the edge's mapping of the events the diary keeps.

const CLASS = 'class-5a';
const WEEK1 = weekId(CLASS, '2026-09-07');
const WEEK2 = weekId(CLASS, '2026-09-14');

async function week(model: MemoryModel, id: string): Promise<WeekDoc> {
  const doc = await model.get('weeks', id);
  if (!doc) throw new Error(`no week ${id}`);
  return doc;
}

async function lessonIn(model: MemoryModel, id: string, lessonId: string): Promise<LessonDoc | undefined> {
  return (await model.get('weeks', id))?.lessons.find((l) => l.lessonId === lessonId);
}

describe('the edge', () => {
  it('reads the three source topics', () => {
    expect(SOURCE_TOPICS).toEqual(['edu.roster.v1', 'edu.schedule.v1', 'edu.gradebook.v1']);
  });

  it('keeps exactly the types the diary builds from, with their payload messages', () => {
    expect(DIARY_SOURCE_EVENTS['edu.gradebook.mark.posted']).toBe('edu.events.v1.MarkPosted');
    expect(DIARY_SOURCE_EVENTS['edu.roster.consent.recorded']).toBe('edu.events.v1.ConsentRecorded');
    expect(DIARY_SOURCE_EVENTS['edu.schedule.substitution.revoked']).toBe(
      'edu.events.v1.SubstitutionRevoked',
    );
    for (const skipped of [
      'edu.gradebook.lesson.record_changed',
      'edu.gradebook.plan.set',
      'edu.roster.staff.hired',
      'edu.roster.academic_year.rolled_over',
      'edu.schedule.curriculum.set',
      'edu.schedule.timetable.published',
    ]) {
      expect(DIARY_SOURCE_EVENTS).not.toHaveProperty([skipped]);
    }
    expect(Object.keys(DIARY_SOURCE_EVENTS)).toHaveLength(24 + 9 + 11);
  });

  it('maps a type it does not keep to nothing', () => {
    expect(factsOf(envelope('edu.gradebook.lesson.record_changed', 'l1', 1, { lesson_id: 'l1' }))).toEqual(
      [],
    );
    expect(factsOf(envelope('edu.roster.staff.hired', 'p1', 1, {}))).toEqual([]);
  });

  it('refuses a kept type without its state (it goes to the DLQ)', () => {
    expect(() => factsOf(envelope('edu.gradebook.mark.posted', 'l1', 1, { record: null }))).toThrow(
      /carries no record/,
    );
    expect(() => factsOf(envelope('edu.roster.student.enrolled', 'e1', 1, { enrolment: null }))).toThrow(
      /carries no enrolment/,
    );
    expect(() =>
      factsOf(envelope('edu.schedule.lesson.scheduled', 'l1', 1, { lesson: { class_id: CLASS } })),
    ).toThrow(/academic_year_id/);
    expect(() =>
      factsOf(
        envelope('edu.schedule.lesson.scheduled', 'l1', 1, {
          lesson: { class_id: CLASS, academic_year_id: YEAR, date: '7.09.2026' },
        }),
      ),
    ).toThrow(/not a date/);
  });

  it('finds the Monday of a day', () => {
    expect(mondayOf('2026-09-07')).toBe('2026-09-07');
    expect(mondayOf('2026-09-13')).toBe('2026-09-07');
    expect(mondayOf('2026-09-16')).toBe('2026-09-14');
  });
});

describe('roster', () => {
  it('keeps the school card by version and leaves the policy alone', async () => {
    const model = new MemoryModel();
    await applyEvent(model, policyEvent(1));
    expect(await model.get('schools', SCHOOL)).toMatchObject({ name: '', timeZone: '', version: 0 });

    const created = schoolEvent(1, 'Asia/Krasnoyarsk');
    expect(await applyEvent(model, created)).toBe(true);
    expect(await applyEvent(model, created)).toBe(false);
    expect(await applyEvent(model, schoolEvent(2, 'Asia/Krasnoyarsk', 'Лицей № 2'))).toBe(true);
    expect(await applyEvent(model, schoolEvent(1, 'Europe/Moscow'))).toBe(false);
    expect(await model.get('schools', SCHOOL)).toEqual({
      _id: SCHOOL,
      name: 'Лицей № 2',
      shortName: 'СШ № 1',
      timeZone: 'Asia/Krasnoyarsk',
      version: 2,
      policy: {
        roundingThreshold: 0.6,
        lowMarkThreshold: 2,
        workTypes: [
          { key: 'test', name: 'Контрольная работа', weight: 2, active: true },
          { key: 'oral', name: 'Устный ответ', weight: 1, active: true },
        ],
        version: 1,
      },
    });
  });

  it('keeps the policy by its version', async () => {
    const model = new MemoryModel();
    await applyAll(model, [schoolEvent(1, 'Europe/Moscow'), policyEvent(2, 0.5)]);
    expect(await applyEvent(model, policyEvent(1, 0.7))).toBe(false);
    expect(await applyEvent(model, policyEvent(2, 0.5))).toBe(false);
    expect((await model.get('schools', SCHOOL))?.policy?.roundingThreshold).toBe(0.5);
  });

  it('keeps a year with its study periods', async () => {
    const model = new MemoryModel();
    expect(await applyEvent(model, yearEvent(1))).toBe(true);
    expect(await applyEvent(model, yearEvent(1))).toBe(false);
    expect(await model.get('years', YEAR)).toEqual({
      _id: YEAR,
      schoolId: SCHOOL,
      name: '2026/2027',
      startsOn: '2026-09-01',
      endsOn: '2027-05-31',
      periodSchemes: [
        {
          grades: [5, 6],
          kind: 'quarter',
          periods: [{ number: 1, startsOn: '2026-09-01', endsOn: '2026-10-25' }],
        },
      ],
      version: 1,
    });
  });

  it('keeps a class by version and the teachers lessons told', async () => {
    const model = new MemoryModel();
    await applyEvent(model, lessonEvent('lesson.scheduled', 1, { lessonId: 'l1', date: '2026-09-07' }));
    expect(await model.get('classes', CLASS)).toMatchObject({
      name: '5А',
      version: 0,
      teacherIds: ['teacher-math'],
    });
    expect(await applyEvent(model, classEvent(CLASS, 1, '5А'))).toBe(true);
    expect(await applyEvent(model, classEvent(CLASS, 2, '5Б'))).toBe(true);
    expect(await applyEvent(model, classEvent(CLASS, 1, '5А'))).toBe(false);
    expect(await model.get('classes', CLASS)).toEqual({
      _id: CLASS,
      schoolId: SCHOOL,
      academicYearId: YEAR,
      grade: 5,
      name: '5Б',
      classTeacherId: 'teacher-class',
      version: 2,
      teacherIds: ['teacher-math'],
    });
  });

  it('names students and staff, never guardians', async () => {
    const model = new MemoryModel();
    expect(await applyEvent(model, personEvent('s1', 'student', 'Иванов Иван'))).toBe(true);
    expect(await applyEvent(model, personEvent('t1', 'staff', 'Петрова Анна Сергеевна'))).toBe(true);
    expect(await applyEvent(model, personEvent('g1', 'guardian', 'Иванова Мария'))).toBe(false);
    expect(await applyEvent(model, personEvent('s1', 'student', 'Иванов Иван Петрович', 2))).toBe(true);
    expect(await applyEvent(model, personEvent('s1', 'student', 'Иванов Иван', 1))).toBe(false);
    expect(model.all('people')).toEqual([
      { _id: 's1', schoolId: SCHOOL, kind: 'student', displayName: 'Иванов Иван Петрович', version: 2 },
      { _id: 't1', schoolId: SCHOOL, kind: 'staff', displayName: 'Петрова Анна Сергеевна', version: 1 },
    ]);
  });

  it('moves a student between classes with the journal day semantics', async () => {
    const model = new MemoryModel();
    const enrolled = movementEvent('enrolled', 's1', 1, { to: CLASS, on: '2026-09-01' });
    expect(await applyEvent(model, enrolled)).toBe(true);
    expect(await applyEvent(model, enrolled)).toBe(false);
    await applyEvent(
      model,
      movementEvent('transferred', 's1', 2, { from: CLASS, to: 'class-5b', on: '2026-10-10' }),
    );
    await applyEvent(model, movementEvent('withdrawn', 's1', 3, { from: 'class-5b', on: '2026-12-01' }));
    expect(
      await applyEvent(
        model,
        movementEvent('transferred', 's1', 2, { from: CLASS, to: 'x', on: '2026-10-10' }),
      ),
    ).toBe(false);
    expect(await model.get('students', 's1')).toEqual({
      _id: 's1',
      schoolId: SCHOOL,
      classStints: [
        { academicYearId: YEAR, classId: CLASS, from: '2026-09-01', until: '2026-10-10' },
        { academicYearId: YEAR, classId: 'class-5b', from: '2026-10-10', until: '2026-12-01' },
      ],
      applied: { [`${YEAR}:s1`]: 3 },
      subgroupStints: [],
      guardians: [],
      periodMarks: [],
    });
  });

  it('ends a graduate the day after the last day and promotes into the next year', async () => {
    const model = new MemoryModel();
    await applyAll(model, [
      movementEvent('enrolled', 's1', 1, { to: CLASS, on: '2026-09-01' }),
      movementEvent('promoted', 's1', 1, { from: CLASS, to: 'class-6a', on: '2027-09-01', yearId: 'year-2' }),
      movementEvent('enrolled', 's2', 1, { to: CLASS, on: '2026-09-01' }),
      movementEvent('graduated', 's2', 2, { from: CLASS, on: '2027-05-31' }),
    ]);
    expect((await model.get('students', 's1'))?.classStints).toEqual([
      { academicYearId: YEAR, classId: CLASS, from: '2026-09-01', until: '2027-09-01' },
      { academicYearId: 'year-2', classId: 'class-6a', from: '2027-09-01', until: '' },
    ]);
    expect((await model.get('students', 's1'))?.applied).toEqual({ [`${YEAR}:s1`]: 1, ['year-2:s1']: 1 });
    expect((await model.get('students', 's2'))?.classStints).toEqual([
      { academicYearId: YEAR, classId: CLASS, from: '2026-09-01', until: '2027-06-01' },
    ]);
  });

  it('drops a stint left on the day it began and continues one rejoined the same day', async () => {
    const model = new MemoryModel();
    await applyAll(model, [
      movementEvent('enrolled', 's1', 1, { to: CLASS, on: '2026-09-01' }),
      movementEvent('transferred', 's1', 2, { from: CLASS, to: 'class-5b', on: '2026-09-10' }),
      movementEvent('transferred', 's1', 3, { from: 'class-5b', to: CLASS, on: '2026-09-10' }),
    ]);
    expect((await model.get('students', 's1'))?.classStints).toEqual([
      { academicYearId: YEAR, classId: CLASS, from: '2026-09-01', until: '' },
    ]);
  });

  it("moves subgroup stints by the members' difference on the school's day", async () => {
    const model = new MemoryModel();
    await applyEvent(model, schoolEvent(1, 'Asia/Krasnoyarsk'));
    expect(
      await applyEvent(model, subgroupEvent('formed', 'sg1', 1, ['s2', 's1'], '2026-09-01T03:00:00Z')),
    ).toBe(true);
    // 20:00 UTC is already the next day in Krasnoyarsk (UTC+7).
    const changed = subgroupEvent('members_changed', 'sg1', 2, ['s1', 's3'], '2026-10-05T20:00:00Z');
    expect(await applyEvent(model, changed)).toBe(true);
    expect(await applyEvent(model, changed)).toBe(false);
    await applyEvent(model, subgroupEvent('changed', 'sg1', 3, ['s1', 's3'], '2026-10-07T08:00:00Z'));
    expect(await model.get('subgroups', 'sg1')).toEqual({
      _id: 'sg1',
      schoolId: SCHOOL,
      academicYearId: YEAR,
      classId: CLASS,
      name: 'Английский язык, sg1',
      subjectKey: 'english',
      memberIds: ['s1', 's3'],
      version: 3,
    });
    const stints = async (id: string) => (await model.get('students', id))?.subgroupStints;
    expect(await stints('s1')).toEqual([{ subgroupId: 'sg1', classId: CLASS, from: '', until: '' }]);
    expect(await stints('s2')).toEqual([
      { subgroupId: 'sg1', classId: CLASS, from: '', until: '2026-10-06' },
    ]);
    expect(await stints('s3')).toEqual([
      { subgroupId: 'sg1', classId: CLASS, from: '2026-10-06', until: '' },
    ]);

    await applyEvent(model, subgroupEvent('disbanded', 'sg1', 4, ['s1', 's3'], '2026-12-20T08:00:00Z'));
    expect(await stints('s1')).toEqual([
      { subgroupId: 'sg1', classId: CLASS, from: '', until: '2026-12-20' },
    ]);
    expect(await stints('s3')).toEqual([
      { subgroupId: 'sg1', classId: CLASS, from: '2026-10-06', until: '2026-12-20' },
    ]);
    expect((await model.get('subgroups', 'sg1'))?.memberIds).toEqual([]);
  });

  it('counts the day in Moscow while the school has not been told', async () => {
    const model = new MemoryModel();
    await applyAll(model, [
      subgroupEvent('formed', 'sg1', 1, [], '2026-09-01T03:00:00Z'),
      subgroupEvent('members_changed', 'sg1', 2, ['s1'], '2026-10-05T20:00:00Z'),
    ]);
    expect((await model.get('students', 's1'))?.subgroupStints).toEqual([
      { subgroupId: 'sg1', classId: CLASS, from: '2026-10-05', until: '' },
    ]);
  });

  it("keeps a guardian's link on both sides, active only with consent", async () => {
    const model = new MemoryModel();
    const link = { guardianId: 'g1', studentId: 's1' };
    const linked = guardianshipEvent('guardian.linked', 'gs1', 1, link);
    expect(await applyEvent(model, linked)).toBe(true);
    expect((await model.get('students', 's1'))?.guardians).toEqual([
      {
        guardianshipId: 'gs1',
        guardianId: 'g1',
        studentId: 's1',
        schoolId: SCHOOL,
        active: false,
        version: 1,
      },
    ]);
    expect(await applyEvent(model, guardianshipEvent('consent.recorded', 'gs1', 2, link))).toBe(true);
    expect(await applyEvent(model, linked)).toBe(false);
    const active = {
      guardianshipId: 'gs1',
      guardianId: 'g1',
      studentId: 's1',
      schoolId: SCHOOL,
      active: true,
      version: 2,
    };
    expect((await model.get('students', 's1'))?.guardians).toEqual([active]);
    expect(await model.get('guardians', 'g1')).toEqual({ _id: 'g1', children: [active] });

    await applyEvent(model, guardianshipEvent('guardian.unlinked', 'gs1', 3, link));
    expect((await model.get('guardians', 'g1'))?.children).toEqual([
      { ...active, active: false, version: 3 },
    ]);
    expect((await model.get('students', 's1'))?.guardians).toEqual([
      { ...active, active: false, version: 3 },
    ]);
  });
});

describe('schedule', () => {
  it('puts lessons into the week of their class, ordered, by version', async () => {
    const model = new MemoryModel();
    const first = lessonEvent('lesson.scheduled', 1, { lessonId: 'l2', date: '2026-09-08', lessonNumber: 1 });
    await applyAll(model, [
      lessonEvent('lesson.scheduled', 1, {
        lessonId: 'l3',
        date: '2026-09-07',
        lessonNumber: 2,
        subgroupId: 'sg2',
      }),
      first,
      lessonEvent('lesson.scheduled', 1, {
        lessonId: 'l1',
        date: '2026-09-07',
        lessonNumber: 2,
        subgroupId: 'sg1',
      }),
      lessonEvent('lesson.scheduled', 1, { lessonId: 'l0', date: '2026-09-07', lessonNumber: 1 }),
    ]);
    expect(await applyEvent(model, first)).toBe(false);
    const doc = await week(model, WEEK1);
    expect(doc).toMatchObject({
      classId: CLASS,
      schoolId: SCHOOL,
      academicYearId: YEAR,
      weekStart: '2026-09-07',
    });
    expect(doc.lessons.map((l) => l.lessonId)).toEqual(['l0', 'l1', 'l3', 'l2']);
    expect(doc.lessons[0]).toEqual({
      lessonId: 'l0',
      date: '2026-09-07',
      lessonNumber: 1,
      startsAt: '08:30',
      endsAt: '09:15',
      period: 1,
      subgroupId: '',
      subgroupName: '',
      subjectId: 'subject-math',
      subjectKey: 'math',
      subjectName: 'Математика',
      teacherId: 'teacher-math',
      substituteTeacherId: '',
      room: '214',
      status: 'scheduled',
      cancellationReason: '',
      movedFromDate: '',
      lessonVersion: 1,
      record: null,
    });
    expect(await model.get('lessons', 'l2')).toEqual({
      _id: 'l2',
      weekId: WEEK1,
      formerWeekIds: [],
      lessonVersion: 1,
    });
  });

  it('takes a substitution and a cancellation by version and names the substitute among the teachers', async () => {
    const model = new MemoryModel();
    const lesson = { lessonId: 'l1', date: '2026-09-07' };
    await applyAll(model, [
      lessonEvent('lesson.scheduled', 1, lesson),
      lessonEvent('substitution.assigned', 2, { ...lesson, substituteTeacherId: 'teacher-sub' }),
      lessonEvent('lesson.cancelled', 3, {
        ...lesson,
        substituteTeacherId: 'teacher-sub',
        status: 'cancelled',
      }),
    ]);
    expect(await applyEvent(model, lessonEvent('substitution.revoked', 2, lesson))).toBe(false);
    expect(await lessonIn(model, WEEK1, 'l1')).toMatchObject({
      substituteTeacherId: 'teacher-sub',
      status: 'cancelled',
      cancellationReason: 'Карантин',
      lessonVersion: 3,
    });
    expect((await model.get('classes', CLASS))?.teacherIds).toEqual(['teacher-math', 'teacher-sub']);
  });

  it('moves a lesson to another week with its record', async () => {
    const model = new MemoryModel();
    await applyAll(model, [
      lessonEvent('lesson.scheduled', 1, { lessonId: 'l1', date: '2026-09-11' }),
      recordEvent('lesson.topic_set', { lessonId: 'l1', date: '2026-09-11', version: 1, topic: 'Дроби' }),
    ]);
    const moved = lessonEvent('lesson.rescheduled', 2, {
      lessonId: 'l1',
      date: '2026-09-15',
      lessonNumber: 3,
      movedFromDate: '2026-09-11',
    });
    expect(await applyEvent(model, moved)).toBe(true);
    expect((await week(model, WEEK1)).lessons).toEqual([]);
    expect(await lessonIn(model, WEEK2, 'l1')).toMatchObject({
      date: '2026-09-15',
      lessonNumber: 3,
      movedFromDate: '2026-09-11',
      lessonVersion: 2,
      record: { version: 1, topic: 'Дроби' },
    });
    expect(await model.get('lessons', 'l1')).toEqual({
      _id: 'l1',
      weekId: WEEK2,
      formerWeekIds: [WEEK1],
      lessonVersion: 2,
    });
    expect(await applyEvent(model, moved)).toBe(false);

    // Back to the first week: out of the second, which becomes a former one.
    await applyEvent(model, lessonEvent('lesson.rescheduled', 3, { lessonId: 'l1', date: '2026-09-10' }));
    expect((await week(model, WEEK2)).lessons).toEqual([]);
    expect(await lessonIn(model, WEEK1, 'l1')).toMatchObject({
      lessonVersion: 3,
      record: { topic: 'Дроби' },
    });
    expect(await model.get('lessons', 'l1')).toMatchObject({ weekId: WEEK1, formerWeekIds: [WEEK2] });
  });

  it('finishes an interrupted move on the next event', async () => {
    const model = new MemoryModel();
    await applyAll(model, [
      lessonEvent('lesson.scheduled', 1, { lessonId: 'l1', date: '2026-09-11' }),
      recordEvent('mark.posted', { lessonId: 'l1', date: '2026-09-11', version: 1, marks: [] }),
    ]);
    const stale = await week(model, WEEK1);
    const moved = lessonEvent('lesson.rescheduled', 2, { lessonId: 'l1', date: '2026-09-15' });
    await applyEvent(model, moved);
    // A crash after the new week and the location were written, before the old week was.
    model.put('weeks', stale);
    expect(await lessonIn(model, WEEK1, 'l1')).toBeDefined();

    expect(await applyEvent(model, moved)).toBe(true);
    expect((await week(model, WEEK1)).lessons).toEqual([]);
    expect(await lessonIn(model, WEEK2, 'l1')).toMatchObject({ lessonVersion: 2, record: { version: 1 } });

    // The same from a record event of the other topic.
    model.put('weeks', stale);
    expect(
      await applyEvent(
        model,
        recordEvent('lesson.topic_set', { lessonId: 'l1', date: '2026-09-15', version: 2, topic: 'Дроби' }),
      ),
    ).toBe(true);
    expect((await week(model, WEEK1)).lessons).toEqual([]);
    expect(await lessonIn(model, WEEK2, 'l1')).toMatchObject({ record: { version: 2, topic: 'Дроби' } });
  });

  it('finishes a move interrupted before the location was written, keeping the newer record', async () => {
    const model = new MemoryModel();
    await applyEvent(model, lessonEvent('lesson.scheduled', 1, { lessonId: 'l1', date: '2026-09-11' }));
    const location = await model.get('lessons', 'l1');
    const moved = lessonEvent('lesson.rescheduled', 2, { lessonId: 'l1', date: '2026-09-15' });
    await applyEvent(model, moved);
    // Only the new week got written; the old location and week stay, and a record lands there.
    model.put('lessons', location!);
    await applyEvent(model, lessonEvent('lesson.scheduled', 1, { lessonId: 'l1', date: '2026-09-11' }));
    await applyEvent(
      model,
      recordEvent('lesson.topic_set', { lessonId: 'l1', date: '2026-09-11', version: 1, topic: 'Дроби' }),
    );
    expect(await lessonIn(model, WEEK1, 'l1')).toMatchObject({ record: { topic: 'Дроби' } });

    expect(await applyEvent(model, moved)).toBe(true);
    expect((await week(model, WEEK1)).lessons).toEqual([]);
    expect(await lessonIn(model, WEEK2, 'l1')).toMatchObject({
      lessonVersion: 2,
      record: { topic: 'Дроби' },
    });
    expect(await model.get('lessons', 'l1')).toMatchObject({ weekId: WEEK2, formerWeekIds: [WEEK1] });
  });

  it('finishes a move whose location was not written while the old week was', async () => {
    const model = new MemoryModel();
    await applyAll(model, [
      lessonEvent('lesson.scheduled', 1, { lessonId: 'l1', date: '2026-09-11' }),
      recordEvent('lesson.topic_set', { lessonId: 'l1', date: '2026-09-11', version: 1, topic: 'Дроби' }),
    ]);
    const location = await model.get('lessons', 'l1');
    const moved = lessonEvent('lesson.rescheduled', 2, { lessonId: 'l1', date: '2026-09-15' });
    await applyEvent(model, moved);
    model.put('lessons', location!);
    // A record meanwhile finds the location's week without the lesson: it puts it there.
    await applyEvent(
      model,
      recordEvent('lesson.topic_set', { lessonId: 'l1', date: '2026-09-15', version: 2, topic: 'Проценты' }),
    );
    expect(await lessonIn(model, WEEK1, 'l1')).toMatchObject({ record: { version: 2 } });

    expect(await applyEvent(model, moved)).toBe(true);
    expect((await week(model, WEEK1)).lessons).toEqual([]);
    expect(await lessonIn(model, WEEK2, 'l1')).toMatchObject({
      date: '2026-09-15',
      lessonVersion: 2,
      record: { version: 2, topic: 'Проценты' },
    });
    expect(await model.get('lessons', 'l1')).toMatchObject({ weekId: WEEK2, lessonVersion: 2 });

    // Without the record in between, the record in the new week is kept.
    const again = new MemoryModel();
    await applyAll(again, [
      lessonEvent('lesson.scheduled', 1, { lessonId: 'l1', date: '2026-09-11' }),
      recordEvent('lesson.topic_set', { lessonId: 'l1', date: '2026-09-11', version: 1, topic: 'Дроби' }),
    ]);
    await applyEvent(again, moved);
    again.put('lessons', location!);
    expect(await applyEvent(again, moved)).toBe(true);
    expect(await lessonIn(again, WEEK2, 'l1')).toMatchObject({
      lessonVersion: 2,
      record: { topic: 'Дроби' },
    });
  });

  it('keeps the catalogue subjects', async () => {
    const model = new MemoryModel();
    const created = subjectEvent('subject-math', 'math', 'Математика');
    expect(await applyEvent(model, created)).toBe(true);
    expect(await applyEvent(model, created)).toBe(false);
    expect(model.all('subjects')).toEqual([
      { _id: 'subject-math', key: 'math', name: 'Математика', shortName: 'Матем' },
    ]);
  });

  it("keeps the school's events in the year's calendar by version, by day", async () => {
    const model = new MemoryModel();
    await applyAll(model, [
      calendarEvent('scheduled', 'e2', 1, '2026-10-01'),
      calendarEvent('scheduled', 'e1', 1, '2026-11-01'),
      calendarEvent('changed', 'e1', 2, '2026-09-20', 'Олимпиада (перенесена)'),
      calendarEvent('cancelled', 'e2', 2, '2026-10-01'),
    ]);
    expect(await applyEvent(model, calendarEvent('changed', 'e1', 1, '2026-11-01'))).toBe(false);
    const calendar = await model.get('calendars', `${SCHOOL}:${YEAR}`);
    expect(calendar?.events.map((e) => [e.eventId, e.startsOn, e.status, e.version])).toEqual([
      ['e1', '2026-09-20', 'scheduled', 2],
      ['e2', '2026-10-01', 'cancelled', 2],
    ]);
    expect(calendar?.events[0]).toMatchObject({
      title: 'Олимпиада (перенесена)',
      kindName: 'Олимпиада',
      scope: 'school',
    });
  });
});

describe('gradebook', () => {
  it('keeps the newest record; the other events of one save change nothing', async () => {
    const model = new MemoryModel();
    await applyEvent(model, lessonEvent('lesson.scheduled', 1, { lessonId: 'l1', date: '2026-09-07' }));
    const save = {
      lessonId: 'l1',
      date: '2026-09-07',
      version: 1,
      topic: 'Дроби',
      homework: '№ 12',
      marks: [{ markId: 'm1', studentId: 's1', values: ['4'] }],
      absent: ['s2'],
    };
    expect(await applyEvent(model, recordEvent('mark.posted', save))).toBe(true);
    expect(await applyEvent(model, recordEvent('attendance.recorded', save))).toBe(false);
    expect(await applyEvent(model, recordEvent('lesson.topic_set', save))).toBe(false);
    expect((await lessonIn(model, WEEK1, 'l1'))?.record).toEqual({
      version: 1,
      topic: 'Дроби',
      homework: { text: '№ 12', dueDate: '', attachments: ['file-1'], studentId: '' },
      individualHomework: [],
      marks: [
        {
          markId: 'm1',
          studentId: 's1',
          value: '4',
          workType: 'test',
          workTypeName: 'Контрольная работа',
          weight: 2,
          comment: '',
          postedAt: '2026-09-07T08:00:00.000Z',
          status: 'active',
          corrected: false,
          history: [],
          postedValue: '4',
        },
      ],
      attendance: [{ studentId: 's2', kind: 'absent', lateMinutes: 0, reason: 'illness' }],
      attendanceTaken: true,
    });

    await applyEvent(
      model,
      recordEvent('mark.corrected', {
        ...save,
        version: 3,
        marks: [{ markId: 'm1', studentId: 's1', values: ['4', '5', ''] }],
      }),
    );
    expect(await applyEvent(model, recordEvent('mark.posted', { ...save, version: 2 }))).toBe(false);
    expect((await lessonIn(model, WEEK1, 'l1'))?.record?.marks[0]).toMatchObject({
      value: '',
      status: 'voided',
      corrected: true,
      postedValue: '4',
      history: [
        { kind: 'corrected', value: '5', reason: 'Ошибка ввода', at: '2026-09-08T08:00:00.000Z' },
        { kind: 'voided', value: '', reason: 'Ошибка ввода', at: '2026-09-09T08:00:00.000Z' },
      ],
    });
  });

  it('keeps a mark of a lesson schedule has not told yet, and completes the lesson later', async () => {
    const model = new MemoryModel();
    const posted = recordEvent('mark.posted', {
      lessonId: 'l1',
      date: '2026-09-08',
      version: 1,
      marks: [{ markId: 'm1', studentId: 's1', values: ['5'] }],
    });
    expect(await applyEvent(model, posted)).toBe(true);
    expect(await applyEvent(model, posted)).toBe(false);
    expect(await lessonIn(model, WEEK1, 'l1')).toMatchObject({
      date: '2026-09-08',
      subjectId: 'subject-math',
      subjectKey: 'math',
      subjectName: '',
      teacherId: 'teacher-math',
      startsAt: '08:30',
      lessonVersion: 0,
      record: { version: 1, marks: [{ markId: 'm1', value: '5' }] },
    });
    expect(await model.get('lessons', 'l1')).toEqual({
      _id: 'l1',
      weekId: WEEK1,
      formerWeekIds: [],
      lessonVersion: 0,
    });

    expect(
      await applyEvent(model, lessonEvent('lesson.scheduled', 1, { lessonId: 'l1', date: '2026-09-08' })),
    ).toBe(true);
    expect(await lessonIn(model, WEEK1, 'l1')).toMatchObject({
      subjectName: 'Математика',
      room: '214',
      lessonVersion: 1,
      record: { version: 1, marks: [{ markId: 'm1', value: '5' }] },
    });
    expect(await model.get('lessons', 'l1')).toMatchObject({ lessonVersion: 1 });
  });

  it("keeps a student's period marks by version with the earlier values", async () => {
    const model = new MemoryModel();
    await applyEvent(model, periodMarkEvent('s1', 1, ['4']));
    expect(await applyEvent(model, periodMarkEvent('s1', 2, ['4', '5']))).toBe(true);
    expect(await applyEvent(model, periodMarkEvent('s1', 1, ['4']))).toBe(false);
    expect((await model.get('students', 's1'))?.periodMarks).toEqual([
      {
        id: `${YEAR}:s1:subject-math:period:1`,
        academicYearId: YEAR,
        classId: CLASS,
        subjectId: 'subject-math',
        subjectKey: 'math',
        kind: 'period',
        period: 1,
        value: '5',
        corrected: true,
        previousValues: ['4'],
        setAt: '2026-10-20T08:00:00.000Z',
        version: 2,
      },
    ]);
  });
});
