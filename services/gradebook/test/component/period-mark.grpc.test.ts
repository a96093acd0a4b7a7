import { status } from '@grpc/grpc-js';
import { waitFor } from '@edu/testing';
import { periodMarkId } from '../../src/domain/ports';
import {
  SchoolScenario,
  addDays,
  denialsSince,
  guardianActor,
  recordGradebookEvents,
  refusal,
  startGradebook,
  todayIn,
  type GradebookHarness,
  type PublishedEvent,
} from './harness';

// Period marks and the accumulation of marks through gRPC, against the real FerretDB and Kafka:
// the school's first quarter ends in two days (its window is open), two lessons of today carry
// marks; a quarter mark is set against them, corrected, published; who may not is refused.

describe('gradebook: period marks (real FerretDB and Kafka)', () => {
  let gradebook: GradebookHarness;
  let events: { published: PublishedEvent[]; stop(): Promise<void> };
  const today = todayIn('Europe/Moscow');
  const school = new SchoolScenario({
    students: 5,
    quarter: { startsOn: addDays(today, -40), endsOn: addDays(today, 2) },
  });
  const first = school.lesson({ date: today, lessonNumber: 1 });
  const second = school.lesson({ date: today, lessonNumber: 2 });
  const course = { class_id: school.classId, subgroup_id: '', subject_id: school.subjectId };
  const [anna, boris] = school.studentIds as [string, string, ...string[]];
  const quarterMarkId = periodMarkId({
    academicYearId: school.yearId,
    studentId: anna,
    subjectId: school.subjectId,
    kind: 'period',
    period: 1,
  });

  const setMark = async (actor: ReturnType<SchoolScenario['teacher']>, request: Record<string, unknown>) =>
    gradebook.client.SetPeriodMark(
      {
        student_id: anna,
        course,
        kind: 'period',
        period: 1,
        value: '4',
        expected_version: 0,
        reason: '',
        order_ref: '',
        ...request,
      },
      await gradebook.as(actor),
    );

  beforeAll(async () => {
    gradebook = await startGradebook();
    events = await recordGradebookEvents(gradebook);
    await gradebook.publish('roster', school.rosterEvents());
    await gradebook.publish('schedule', [first.event, second.event]);
    const teacher = await gradebook.as(school.teacher());
    await gradebook.client.SaveLessonRecord(
      {
        lesson_id: first.lessonId,
        expected_version: 0,
        marks: [
          { student_id: anna, value: '5', work_type: 'test', comment: '' },
          { student_id: boris, value: '4', work_type: 'oral', comment: '' },
        ],
      },
      teacher,
    );
    await gradebook.client.SaveLessonRecord(
      {
        lesson_id: second.lessonId,
        expected_version: 0,
        marks: [{ student_id: anna, value: '3', work_type: 'oral', comment: '' }],
      },
      teacher,
    );
  });

  afterAll(async () => {
    await events?.stop();
    await gradebook?.close();
  });

  it.each([
    ['a teacher who does not teach the class', () => school.otherTeacher()],
    ['a guardian with no school role', () => guardianActor],
    ['the school admin', () => school.schoolAdmin()],
  ])('when %s sets a quarter mark, then it is refused and logged, nothing stored', async (_who, actor) => {
    const from = gradebook.logs().length;
    const error = await refusal(setMark(actor(), {}));
    expect(error.code).toBe(status.PERMISSION_DENIED);
    expect(denialsSince(gradebook, from)).toEqual([['period_mark.set', quarterMarkId]]);
    expect(
      await gradebook.store.collection('period_marks').findOne({ _id: quarterMarkId } as never),
    ).toBeNull();
  });

  it('when the director sets a quarter mark in its window, then it is refused: the teacher sets it', async () => {
    const error = await refusal(setMark(school.director(), {}));
    expect(error.code).toBe(status.FAILED_PRECONDITION);
    expect(error.domainError?.code).toBe('period_mark.set_by_teacher');
    expect(
      await gradebook.store.collection('period_marks').findOne({ _id: quarterMarkId } as never),
    ).toBeNull();
  });

  it('when the teacher sets a quarter mark in the window, then it shows the averages it was set against and is published', async () => {
    const { period_mark: mark } = await setMark(school.teacher(), {});
    // 5 (контрольная, weight 2) and 3 (устный ответ, weight 1).
    expect(mark).toMatchObject({
      period_mark_id: quarterMarkId,
      kind: 'period',
      period: 1,
      value: '4',
      set_by: school.teacherId,
      arithmetic_average: 4,
      weighted_average: 4.33,
      marks_count: 2,
      corrected: false,
      version: '1',
    });
    const event = await waitFor(() => events.published.find((e) => e.aggregateId === quarterMarkId));
    expect(event).toMatchObject({
      type: 'edu.gradebook.period_mark.posted',
      key: school.schoolId,
      aggregateVersion: 1,
      payload: { period_mark: { value: '4', marks_count: 2 } },
    });
  });

  it('when the teacher corrects it with a reason, then the history keeps both values and the correction is published', async () => {
    const noReason = await refusal(setMark(school.teacher(), { value: '5', expected_version: 1 }));
    expect(noReason.code).toBe(status.INVALID_ARGUMENT);
    expect(noReason.domainError?.errors).toEqual([
      { field: 'reason', message: 'Укажите причину исправления' },
    ]);

    const { period_mark: mark } = await setMark(school.teacher(), {
      value: '5',
      expected_version: 1,
      reason: 'Учтена пересдача',
    });
    expect(mark).toMatchObject({ value: '5', corrected: true, version: '2' });
    expect(mark!.history.map((h) => [h.kind, h.value, h.reason])).toEqual([
      ['posted', '4', ''],
      ['corrected', '5', 'Учтена пересдача'],
    ]);
    const event = await waitFor(() =>
      events.published.find((e) => e.type === 'edu.gradebook.period_mark.corrected'),
    );
    expect(event.payload).toMatchObject({ previous_value: '4', reason: 'Учтена пересдача' });

    const stale = await refusal(setMark(school.teacher(), { value: '3', expected_version: 1, reason: 'x' }));
    expect(stale.domainError?.code).toBe('period_mark.version_conflict');
  });

  it('when a mark for the next quarter is set before its window, then it is refused with the window', async () => {
    const error = await refusal(setMark(school.teacher(), { period: 2 }));
    expect(error.code).toBe(status.FAILED_PRECONDITION);
    expect(error.domainError?.code).toBe('period_mark.outside_window');
  });

  it('when the class teacher lists the class, then the marks come; a teacher of no subject of it is refused', async () => {
    const { period_marks: marks } = await gradebook.client.ListPeriodMarks(
      { class_id: school.classId, subject_id: '', kind: '', period: 0 },
      await gradebook.as(school.classTeacher()),
    );
    expect(marks.map((m) => [m.student_id, m.value])).toEqual([[anna, '5']]);

    for (const actor of [school.otherTeacher(), guardianActor]) {
      const error = await refusal(
        gradebook.client.ListPeriodMarks(
          { class_id: school.classId, subject_id: '', kind: '', period: 0 },
          await gradebook.as(actor),
        ),
      );
      expect(error.code).toBe(status.PERMISSION_DENIED);
    }
  });

  it('when the teacher asks who lacks marks, then every student below the minimum comes in roster order', async () => {
    const lacking = await gradebook.client.ListLackingMarks(
      { course, period: 1 },
      await gradebook.as(school.teacher()),
    );
    // Two lessons in six weeks: under two hours a week, three marks needed.
    expect(lacking).toMatchObject({ required: 3, period_ends_on: school.quarter.endsOn, days_left: 2 });
    expect(lacking.students.map((s) => [s.display_name, s.marks_count])).toEqual([
      ['Ученик 01', 2],
      ['Ученик 02', 1],
      ['Ученик 03', 0],
      ['Ученик 04', 0],
      ['Ученик 05', 0],
    ]);

    const error = await refusal(
      gradebook.client.ListLackingMarks({ course, period: 1 }, await gradebook.as(school.otherTeacher())),
    );
    expect(error.code).toBe(status.PERMISSION_DENIED);
  });
});
