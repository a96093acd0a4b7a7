import { status } from '@grpc/grpc-js';
import { waitFor } from '@edu/testing';
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

// The journal record of a lesson through gRPC, against the real FerretDB and Kafka: gradebook
// learns the school from roster's events and the lessons from schedule's, then a teacher saves a
// whole lesson at once; windows, corrections with history, substitutes, class-teacher powers,
// first-grade mode, joined students; every write published on edu.gradebook.v1.

describe('gradebook: lesson records (real FerretDB and Kafka)', () => {
  let gradebook: GradebookHarness;
  let events: { published: PublishedEvent[]; stop(): Promise<void> };
  const school = new SchoolScenario({ students: 30 });
  const today = todayIn(school.timeZone);
  const todays = school.lesson({ date: today, lessonNumber: 1 });
  const yesterdays = school.lesson({ date: addDays(today, -1), lessonNumber: 2 });
  const tomorrows = school.lesson({ date: addDays(today, 1), lessonNumber: 3 });
  const substituted = school.lesson({
    date: today,
    lessonNumber: 4,
    substituteTeacherId: school.otherTeacherId,
  });
  const cancelled = school.lesson({ date: today, lessonNumber: 5, status: 'cancelled' });
  const joined = school.joiner('Аааа Новенький', addDays(today, -3));
  const earlier = school.lesson({ date: addDays(today, -5), lessonNumber: 1 });

  const save = async (actor = school.teacher(), request: Record<string, unknown>) =>
    gradebook.client.SaveLessonRecord(request, await gradebook.as(actor));

  beforeAll(async () => {
    gradebook = await startGradebook();
    events = await recordGradebookEvents(gradebook);
    await gradebook.publish('roster', [...school.rosterEvents(), ...joined.events]);
    await gradebook.publish(
      'schedule',
      [todays, yesterdays, tomorrows, substituted, cancelled, earlier].map((l) => l.event),
    );
  });

  afterAll(async () => {
    await events?.stop();
    await gradebook?.close();
  });

  it('when a teacher saves a whole lesson — topic, homework, 30 marks and 3 absences — then it is one write at version 1 and one set of events', async () => {
    const before = await gradebook.client.GetLessonRecord(
      { lesson_id: todays.lessonId },
      await gradebook.as(school.teacher()),
    );
    expect(before.record!.version).toBe('0');
    expect(before.students).toHaveLength(31);
    expect(before.students[0]!.display_name).toBe('Аааа Новенький');

    const students = before.students.map((s) => s.student_id);
    const answer = await save(school.teacher(), {
      lesson_id: todays.lessonId,
      expected_version: 0,
      topic: { text: 'Сложение дробей', plan_item_id: '' },
      homework: { text: '№ 125, 126', due_date: addDays(today, 2), attachments: [] },
      marks: students.slice(0, 30).map((id, i) => ({
        student_id: id,
        value: String((i % 4) + 2),
        work_type: i < 10 ? 'test' : 'oral',
        comment: '',
      })),
      attendance: {
        items: [
          { student_id: students[28], kind: 'absent', late_minutes: 0 },
          { student_id: students[29], kind: 'absent', late_minutes: 0 },
          { student_id: students[30], kind: 'late', late_minutes: 10 },
        ],
      },
    });

    expect(answer.record).toMatchObject({
      version: '1',
      attendance_taken: true,
      topic: { text: 'Сложение дробей' },
    });
    expect(answer.record!.marks).toHaveLength(30);
    expect(answer.record!.marks[0]).toMatchObject({
      work_type: 'test',
      work_type_name: 'Контрольная работа',
      weight: 2,
    });
    const stored = await gradebook.store
      .collection('lesson_records')
      .findOne({ _id: todays.lessonId as never });
    expect(stored).toMatchObject({ version: 1 });
    const published = await waitFor(() => {
      const found = events.published.filter((e) => e.aggregateId === todays.lessonId);
      return found.length >= 5 && found;
    });
    expect(published.map((e) => e.type).sort()).toEqual([
      'edu.gradebook.attendance.recorded',
      'edu.gradebook.homework.assigned',
      'edu.gradebook.lesson.record_changed',
      'edu.gradebook.lesson.topic_set',
      'edu.gradebook.mark.posted',
    ]);
    expect(new Set(published.map((e) => e.aggregateVersion))).toEqual(new Set([1]));
    expect(new Set(published.map((e) => e.key))).toEqual(new Set([school.schoolId]));
    const posted = published.find((e) => e.type === 'edu.gradebook.mark.posted')!.payload as {
      marks: unknown[];
      record: { version: string };
    };
    expect(posted.marks).toHaveLength(30);
    expect(posted.record.version).toBe('1');
  });

  it('when a save comes with an old version, then it is refused and nothing changes', async () => {
    const error = await refusal(
      save(school.teacher(), {
        lesson_id: todays.lessonId,
        expected_version: 0,
        topic: { text: 'Другая тема', plan_item_id: '' },
        marks: [],
      }),
    );
    expect(error.code).toBe(status.ALREADY_EXISTS);
    expect(error.domainError?.code).toBe('record.version_conflict');
    const read = await gradebook.client.GetLessonRecord(
      { lesson_id: todays.lessonId },
      await gradebook.as(school.teacher()),
    );
    expect(read.record!.topic!.text).toBe('Сложение дробей');
  });

  it('when marks have bad values, unknown work types or strangers, then every problem is listed in Russian and nothing is stored', async () => {
    const error = await refusal(
      save(school.teacher(), {
        lesson_id: todays.lessonId,
        expected_version: 1,
        marks: [
          { student_id: school.studentIds[0], value: '6', work_type: 'oral', comment: '' },
          { student_id: school.studentIds[1], value: '5', work_type: 'juggling', comment: '' },
          { student_id: 'a-stranger', value: '5', work_type: 'oral', comment: '' },
        ],
      }),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.domainError?.code).toBe('record.invalid');
    expect(error.domainError?.errors?.map((e) => e.field)).toEqual([
      'marks[0].value',
      'marks[1].workType',
      'marks[2].studentId',
    ]);
    expect(error.domainError?.errors?.[0]?.message).toMatch(/не принята/);
    expect(
      await gradebook.store.collection('lesson_records').findOne({ _id: todays.lessonId as never }),
    ).toMatchObject({ version: 1 });
  });

  it('when marks are entered for a lesson that has not started, then it is refused as backdating; its topic and homework may be prepared', async () => {
    const error = await refusal(
      save(school.teacher(), {
        lesson_id: tomorrows.lessonId,
        expected_version: 0,
        marks: [{ student_id: school.studentIds[0], value: '5', work_type: 'oral', comment: '' }],
      }),
    );
    expect(error.domainError?.code).toBe('record.before_lesson');
    const prepared = await save(school.teacher(), {
      lesson_id: tomorrows.lessonId,
      expected_version: 0,
      topic: { text: 'Вычитание дробей', plan_item_id: '' },
      marks: [],
    });
    expect(prepared.record!.version).toBe('1');
  });

  it('when a lesson of yesterday is entered under the same-day policy, then the window is closed; a wider policy opens it', async () => {
    const error = await refusal(
      save(school.teacher(), {
        lesson_id: yesterdays.lessonId,
        expected_version: 0,
        marks: [{ student_id: school.studentIds[0], value: '5', work_type: 'oral', comment: '' }],
      }),
    );
    expect(error.domainError?.code).toBe('record.window_closed');
    expect(error.domainError?.detail).toMatch(/истёк/);

    const { policy } = await gradebook.client.GetGradingPolicy(
      { school_id: school.schoolId },
      await gradebook.as(school.deputy()),
    );
    await gradebook.client.SetGradingPolicy(
      { policy: { ...policy, entry_deadline: 'days', entry_days: 2 }, expected_version: 0 },
      await gradebook.as(school.deputy()),
    );
    const saved = await save(school.teacher(), {
      lesson_id: yesterdays.lessonId,
      expected_version: 0,
      marks: [{ student_id: school.studentIds[0], value: '5', work_type: 'oral', comment: '' }],
    });
    expect(saved.record!.marks).toHaveLength(1);
    await gradebook.client.SetGradingPolicy(
      { policy: { ...policy, entry_deadline: 'same_day', entry_days: 0 }, expected_version: 1 },
      await gradebook.as(school.deputy()),
    );
  });

  it('when a student joined three days ago, then a lesson before it has no cell for them', async () => {
    const { students } = await gradebook.client.GetLessonRecord(
      { lesson_id: earlier.lessonId },
      await gradebook.as(school.teacher()),
    );
    expect(students.map((s) => s.student_id)).not.toContain(joined.studentId);
    expect(students).toHaveLength(30);
  });

  it('when a lesson has a substitute, then only the substitute writes it; the teacher and the class teacher are refused', async () => {
    const from = gradebook.logs().length;
    for (const actor of [school.teacher(), school.classTeacher(), school.deputy()]) {
      const error = await refusal(
        save(actor, {
          lesson_id: substituted.lessonId,
          expected_version: 0,
          topic: { text: 'Тема', plan_item_id: '' },
          marks: [],
        }),
      );
      expect(error.code).toBe(status.PERMISSION_DENIED);
    }
    expect(denialsSince(gradebook, from)).toHaveLength(3);
    const saved = await save(school.otherTeacher(), {
      lesson_id: substituted.lessonId,
      expected_version: 0,
      topic: { text: 'Повторение', plan_item_id: '' },
      marks: [{ student_id: school.studentIds[2], value: '4', work_type: 'oral', comment: '' }],
    });
    expect(saved.record).toMatchObject({ version: '1', substitute_teacher_id: school.otherTeacherId });
    // The substitute keeps this lesson only.
    const elsewhere = await refusal(
      save(school.otherTeacher(), {
        lesson_id: todays.lessonId,
        expected_version: 1,
        topic: { text: 'x', plan_item_id: '' },
        marks: [],
      }),
    );
    expect(elsewhere.code).toBe(status.PERMISSION_DENIED);
  });

  it('when a lesson is cancelled, then nothing is entered for it', async () => {
    const error = await refusal(
      save(school.teacher(), {
        lesson_id: cancelled.lessonId,
        expected_version: 0,
        topic: { text: 'Тема', plan_item_id: '' },
        marks: [],
      }),
    );
    expect(error.domainError?.code).toBe('lesson.cancelled');
  });

  it('when a guardian or a teacher of another class reads a record, then they are refused; the class teacher and the school admin read it', async () => {
    expect(
      (
        await refusal(
          gradebook.client.GetLessonRecord({ lesson_id: todays.lessonId }, await gradebook.as(guardianActor)),
        )
      ).code,
    ).toBe(status.PERMISSION_DENIED);
    expect(
      (
        await refusal(
          gradebook.client.GetLessonRecord(
            { lesson_id: todays.lessonId },
            await gradebook.as(school.otherTeacher()),
          ),
        )
      ).code,
    ).toBe(status.PERMISSION_DENIED);
    for (const actor of [school.classTeacher(), school.schoolAdmin()]) {
      const read = await gradebook.client.GetLessonRecord(
        { lesson_id: todays.lessonId },
        await gradebook.as(actor),
      );
      expect(read.record!.marks).toHaveLength(30);
    }
  });

  it('when the author corrects a mark within the window with a reason, then the history keeps the original; without a reason it is refused', async () => {
    const read = await gradebook.client.GetLessonRecord(
      { lesson_id: todays.lessonId },
      await gradebook.as(school.teacher()),
    );
    const mark = read.record!.marks[0]!;
    const noReason = await refusal(
      gradebook.client.CorrectMark(
        {
          lesson_id: todays.lessonId,
          expected_version: read.record!.version,
          mark_id: mark.mark_id,
          value: '5',
          reason: '',
          order_ref: '',
        },
        await gradebook.as(school.teacher()),
      ),
    );
    expect(noReason.domainError?.errors?.map((e) => e.field)).toEqual(['reason']);

    const corrected = await gradebook.client.CorrectMark(
      {
        lesson_id: todays.lessonId,
        expected_version: read.record!.version,
        mark_id: mark.mark_id,
        value: '5',
        work_type: '',
        comment: '',
        reason: 'Ошибка ввода',
        order_ref: '',
      },
      await gradebook.as(school.teacher()),
    );
    const after = corrected.record!.marks.find((m) => m.mark_id === mark.mark_id)!;
    expect(after).toMatchObject({ value: '5', corrected: true, status: 'active' });
    expect(after.history.map((h) => [h.kind, h.value, h.reason])).toEqual([
      ['posted', mark.value, ''],
      ['corrected', '5', 'Ошибка ввода'],
    ]);
    const event = await waitFor(() =>
      events.published.find((e) => e.type === 'edu.gradebook.mark.corrected'),
    );
    expect(event.payload).toMatchObject({ previous_value: mark.value, reason: 'Ошибка ввода' });
  });

  it('when someone else corrects a mark, then only a deputy may, with an order; a class teacher is refused', async () => {
    const read = await gradebook.client.GetLessonRecord(
      { lesson_id: todays.lessonId },
      await gradebook.as(school.teacher()),
    );
    const mark = read.record!.marks[1]!;
    const request = {
      lesson_id: todays.lessonId,
      expected_version: read.record!.version,
      mark_id: mark.mark_id,
      value: mark.value === '4' ? '5' : '4',
      reason: 'Апелляция',
      order_ref: '',
    };
    expect(
      (await refusal(gradebook.client.CorrectMark(request, await gradebook.as(school.classTeacher())))).code,
    ).toBe(status.PERMISSION_DENIED);
    const noOrder = await refusal(gradebook.client.CorrectMark(request, await gradebook.as(school.deputy())));
    expect(noOrder.domainError?.errors?.map((e) => e.field)).toEqual(['orderRef']);
    const done = await gradebook.client.CorrectMark(
      { ...request, order_ref: '№ 45 от 24.11.2026' },
      await gradebook.as(school.deputy()),
    );
    expect(done.record!.marks[1]!.history.at(-1)).toMatchObject({
      kind: 'corrected',
      order_ref: '№ 45 от 24.11.2026',
    });
  });

  it('when the author voids a mark, then it stays in the record as voided with its history', async () => {
    const read = await gradebook.client.GetLessonRecord(
      { lesson_id: todays.lessonId },
      await gradebook.as(school.teacher()),
    );
    const mark = read.record!.marks[2]!;
    const voided = await gradebook.client.VoidMark(
      {
        lesson_id: todays.lessonId,
        expected_version: read.record!.version,
        mark_id: mark.mark_id,
        reason: 'Не тот ученик',
        order_ref: '',
      },
      await gradebook.as(school.teacher()),
    );
    expect(voided.record!.marks[2]).toMatchObject({ status: 'voided', corrected: true });
    expect(voided.record!.marks).toHaveLength(30);
  });

  it('when the class teacher sets a reason for absences over days, then every absence gets it; a subject teacher is refused', async () => {
    const absent = (
      await gradebook.client.GetLessonRecord(
        { lesson_id: todays.lessonId },
        await gradebook.as(school.teacher()),
      )
    ).record!.attendance[0]!;
    const request = {
      student_id: absent.student_id,
      class_id: school.classId,
      from: addDays(today, -1),
      to: today,
      reason: 'illness',
      note: 'Справка № 12',
    };
    expect(
      (await refusal(gradebook.client.SetAbsenceReason(request, await gradebook.as(school.teacher())))).code,
    ).toBe(status.PERMISSION_DENIED);
    const bad = await refusal(
      gradebook.client.SetAbsenceReason(
        { ...request, reason: 'lazy' },
        await gradebook.as(school.classTeacher()),
      ),
    );
    expect(bad.domainError?.errors?.map((e) => e.field)).toEqual(['reason']);
    const set = await gradebook.client.SetAbsenceReason(request, await gradebook.as(school.classTeacher()));
    expect(set.records).toHaveLength(1);
    expect(set.records[0]!.attendance.find((a) => a.student_id === absent.student_id)).toMatchObject({
      reason: 'illness',
      reason_note: 'Справка № 12',
      reason_set_by: school.classTeacherId,
    });
    // A repeat changes nothing.
    expect(
      (await gradebook.client.SetAbsenceReason(request, await gradebook.as(school.classTeacher()))).records,
    ).toHaveLength(0);
  });

  it('when the school admin or a teacher sets the grading policy, then they are refused; a bad policy lists its problems', async () => {
    const { policy } = await gradebook.client.GetGradingPolicy(
      { school_id: school.schoolId },
      await gradebook.as(school.teacher()),
    );
    for (const actor of [school.schoolAdmin(), school.teacher()]) {
      const error = await refusal(
        gradebook.client.SetGradingPolicy(
          { policy, expected_version: policy!.version },
          await gradebook.as(actor),
        ),
      );
      expect(error.code).toBe(status.PERMISSION_DENIED);
    }
    expect(
      (
        await refusal(
          gradebook.client.GetGradingPolicy(
            { school_id: school.schoolId },
            await gradebook.as(guardianActor),
          ),
        )
      ).code,
    ).toBe(status.PERMISSION_DENIED);
    const bad = await refusal(
      gradebook.client.SetGradingPolicy(
        {
          policy: { ...policy, correction_days: -1, rounding_threshold: 2 },
          expected_version: policy!.version,
        },
        await gradebook.as(school.director()),
      ),
    );
    expect(bad.code).toBe(status.INVALID_ARGUMENT);
    expect(bad.domainError?.errors?.map((e) => e.field)).toEqual(['correctionDays', 'roundingThreshold']);
  });
});

describe('gradebook: the first grade keeps topics and attendance only (R5.7)', () => {
  let gradebook: GradebookHarness;
  const school = new SchoolScenario({ grade: 1, students: 3 });
  const lesson = school.lesson();

  beforeAll(async () => {
    gradebook = await startGradebook();
    await gradebook.publish('roster', school.rosterEvents());
    await gradebook.publish('schedule', [lesson.event]);
  });

  afterAll(async () => {
    await gradebook?.close();
  });

  it('when a first-grade teacher enters a mark, then it is refused; a topic and attendance are kept', async () => {
    const error = await refusal(
      gradebook.client.SaveLessonRecord(
        {
          lesson_id: lesson.lessonId,
          expected_version: 0,
          marks: [{ student_id: school.studentIds[0], value: '5', work_type: 'oral', comment: '' }],
        },
        await gradebook.as(school.teacher()),
      ),
    );
    expect(error.domainError?.errors?.[0]?.message).toMatch(/безотметочное/);
    const saved = await gradebook.client.SaveLessonRecord(
      {
        lesson_id: lesson.lessonId,
        expected_version: 0,
        topic: { text: 'Звуки и буквы', plan_item_id: '' },
        marks: [],
        attendance: { items: [{ student_id: school.studentIds[1], kind: 'absent', late_minutes: 0 }] },
      },
      await gradebook.as(school.teacher()),
    );
    expect(saved.record).toMatchObject({ version: '1', marks: [], attendance_taken: true });
  });
});

describe('gradebook: a withdrawn student keeps their history and gets no new cells', () => {
  let gradebook: GradebookHarness;
  const school = new SchoolScenario({ students: 3 });
  const today = todayIn(school.timeZone);
  const before = school.lesson({ date: addDays(today, -3) });
  const after = school.lesson({ date: today, lessonNumber: 2 });
  const leaver = school.studentIds[0]!;

  beforeAll(async () => {
    gradebook = await startGradebook();
    await gradebook.publish('roster', school.rosterEvents());
    await gradebook.publish('schedule', [before.event, after.event]);
    const { policy } = await gradebook.client.GetGradingPolicy(
      { school_id: school.schoolId },
      await gradebook.as(school.deputy()),
    );
    await gradebook.client.SetGradingPolicy(
      { policy: { ...policy, entry_deadline: 'days', entry_days: 7 }, expected_version: 0 },
      await gradebook.as(school.deputy()),
    );
    await gradebook.client.SaveLessonRecord(
      {
        lesson_id: before.lessonId,
        expected_version: 0,
        marks: [{ student_id: leaver, value: '4', work_type: 'oral', comment: '' }],
      },
      await gradebook.as(school.teacher()),
    );
    await gradebook.publish('roster', [
      school.movement(leaver, 'withdrawn', { from: school.classId, on: addDays(today, -1) }),
    ]);
  });

  afterAll(async () => {
    await gradebook?.close();
  });

  it('when a student was withdrawn yesterday, then today’s lesson has no cell for them and a mark is refused', async () => {
    const { students } = await gradebook.client.GetLessonRecord(
      { lesson_id: after.lessonId },
      await gradebook.as(school.teacher()),
    );
    expect(students.map((s) => s.student_id)).not.toContain(leaver);
    const error = await refusal(
      gradebook.client.SaveLessonRecord(
        {
          lesson_id: after.lessonId,
          expected_version: 0,
          marks: [{ student_id: leaver, value: '5', work_type: 'oral', comment: '' }],
        },
        await gradebook.as(school.teacher()),
      ),
    );
    expect(error.domainError?.errors?.map((e) => e.field)).toEqual(['marks[0].studentId']);
  });

  it('when the journal page is read, then the withdrawn student is listed until the withdrawal with their mark kept', async () => {
    const page = await gradebook.client.GetJournalPage(
      { course: { class_id: school.classId, subgroup_id: '', subject_id: school.subjectId }, period: 1 },
      await gradebook.as(school.teacher()),
    );
    expect(page.students.find((s) => s.student_id === leaver)).toMatchObject({ until: addDays(today, -1) });
    const earlier = page.lessons.find((l) => l.lesson_id === before.lessonId)!;
    expect(earlier.marks).toEqual([expect.objectContaining({ student_id: leaver, value: '4' })]);
  });
});
