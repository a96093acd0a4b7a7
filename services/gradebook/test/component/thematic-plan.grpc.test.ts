import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { newEvent } from '@edu/events';
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

// Thematic plans through gRPC against the real FerretDB and Kafka: gradebook learns the school
// from roster's events, the lessons and the curriculum from schedule's; a teacher sets the plan,
// lessons' topics pick its items, the progress counts what was held. Every write is published.

describe('gradebook: thematic plans (real FerretDB and Kafka)', () => {
  let gradebook: GradebookHarness;
  let events: { published: PublishedEvent[]; stop(): Promise<void> };
  const school = new SchoolScenario();
  const today = todayIn(school.timeZone);
  // Days before today: held whatever the hour; the policy below keeps their entry open.
  const held = [-3, -2, -1].map((days, i) =>
    school.lesson({ date: addDays(today, days), lessonNumber: i + 1 }),
  );
  const cancelled = school.lesson({ date: addDays(today, -2), lessonNumber: 5, status: 'cancelled' });
  const future = school.lesson({ date: addDays(today, 1), lessonNumber: 1 });
  const course = { class_id: school.classId, subgroup_id: '', subject_id: school.subjectId };
  const courseId = `${school.yearId}:${school.classId}:-:${school.subjectId}`;
  const as = (actor = school.teacher()) => gradebook.as(actor);
  const items = (...hours: number[]) =>
    hours.map((h, i) => ({
      item_id: '',
      section: 'Дроби',
      title: `Тема ${i + 1}`,
      hours: h,
      control_work: false,
    }));

  function curriculum(hoursPerYear: number) {
    const id = `curriculum-${school.classId}`;
    return newEvent({
      type: 'edu.schedule.curriculum.set',
      schoolId: school.schoolId,
      aggregateId: id,
      aggregateVersion: 1,
      actor: { accountId: 'acc-source', personId: '' },
      traceId: '',
      payload: {
        curriculum: {
          curriculum_id: id,
          school_id: school.schoolId,
          academic_year_id: school.yearId,
          class_id: school.classId,
          grade: school.grade,
          lines: [
            {
              subject_id: school.subjectId,
              subject_key: 'math',
              subject_name: 'Математика',
              education_area: '',
              component: 'mandatory',
              hours_per_week: 1,
              period_hours: [],
              hours_per_year: hoursPerYear,
            },
          ],
          total_hours_per_week: 1,
          weeks_per_year: 34,
          weeks_source: 'default',
        },
      },
    });
  }

  beforeAll(async () => {
    gradebook = await startGradebook();
    events = await recordGradebookEvents(gradebook);
    await gradebook.publish('roster', school.rosterEvents());
    await gradebook.publish('schedule', [...[...held, cancelled, future].map((l) => l.event), curriculum(4)]);
    // Topics of the days before today may be entered for two weeks.
    const { policy } = await gradebook.client.GetGradingPolicy(
      { school_id: school.schoolId },
      await as(school.director()),
    );
    await gradebook.client.SetGradingPolicy(
      { policy: { ...policy, entry_deadline: 'days', entry_days: 14 }, expected_version: 0 },
      await as(school.director()),
    );
  });

  afterAll(async () => {
    await events?.stop();
    await gradebook?.close();
  });

  it('when no plan was set, then the course reads an empty plan at version 0 with the curriculum hours', async () => {
    const { plan } = await gradebook.client.GetThematicPlan({ course }, await as());
    expect(plan).toMatchObject({
      course_id: courseId,
      school_id: school.schoolId,
      items: [],
      total_hours: 0,
      curriculum_hours: 4,
      hours_mismatch: true,
      version: '0',
    });
  });

  it('when the teacher of the course sets the plan, then it is stored at version 1 and published', async () => {
    const { plan } = await gradebook.client.SetThematicPlan(
      { course, expected_version: 0, items: items(1, 1, 2) },
      await as(),
    );
    expect(plan).toMatchObject({
      course_id: courseId,
      total_hours: 4,
      curriculum_hours: 4,
      hours_mismatch: false,
      updated_by: school.teacherId,
      version: '1',
    });
    expect(plan!.items.map((i) => [i.number, i.title, i.hours])).toEqual([
      [1, 'Тема 1', 1],
      [2, 'Тема 2', 1],
      [3, 'Тема 3', 2],
    ]);
    expect(
      await gradebook.store.collection('thematic_plans').findOne({ _id: courseId as never }),
    ).toMatchObject({
      version: 1,
    });
    const published = await waitFor(() => events.published.find((e) => e.aggregateId === courseId));
    expect(published).toMatchObject({
      type: 'edu.gradebook.plan.set',
      key: school.schoolId,
      aggregateVersion: 1,
      payload: { plan: { course_id: courseId, version: '1', total_hours: 4 } },
    });
  });

  it('when someone sets it at an old version or with wrong items, then it is refused and the stored plan stays', async () => {
    const stale = await refusal(
      gradebook.client.SetThematicPlan(
        { course, expected_version: 0, items: items(4) },
        await as(school.deputy()),
      ),
    );
    expect(stale.code).toBe(status.ALREADY_EXISTS);
    expect(stale.domainError?.code).toBe('plan.version_conflict');
    const wrong = await refusal(
      gradebook.client.SetThematicPlan(
        {
          course,
          expected_version: 1,
          items: [...items(0.3), { ...items(1)[0]!, title: ' ', item_id: randomUUID() }],
        },
        await as(),
      ),
    );
    expect(wrong.code).toBe(status.INVALID_ARGUMENT);
    expect(wrong.domainError?.errors?.map((e) => e.field)).toEqual(['items[0].hours', 'items[1].title']);
    const { plan } = await gradebook.client.GetThematicPlan({ course }, await as(school.classTeacher()));
    expect(plan).toMatchObject({ version: '1', total_hours: 4 });
  });

  it('when lesson topics pick plan items, then the progress counts held lessons, topics, items and hours by period', async () => {
    const { plan } = await gradebook.client.GetThematicPlan({ course }, await as());
    const [first, second] = plan!.items;
    const picks = [first!.item_id, second!.item_id, first!.item_id];
    for (const [i, lesson] of held.entries()) {
      await gradebook.client.SaveLessonRecord(
        {
          lesson_id: lesson.lessonId,
          expected_version: 0,
          topic: { text: `Урок ${i + 1}`, plan_item_id: picks[i] },
        },
        await as(),
      );
    }

    const progress = await gradebook.client.GetPlanProgress({ course }, await as(school.deputy()));
    expect(progress.periods).toEqual([
      { period: 1, lessons_held: 3, lessons_with_topic: 3, items_done: 2, hours_done: 2 },
      { period: 2, lessons_held: 0, lessons_with_topic: 0, items_done: 0, hours_done: 2 },
    ]);
    expect(progress.items_left.map((i) => i.title)).toEqual(['Тема 3']);
    expect(progress).toMatchObject({ total_hours: 4, hours_done: 2, plan: { version: '1' } });
  });

  it('when a teacher of no lesson of the course, the class teacher, the school admin or a guardian sets it, then it is refused and logged', async () => {
    const from = gradebook.logs().length;
    for (const actor of [school.otherTeacher(), school.classTeacher(), school.schoolAdmin(), guardianActor]) {
      const error = await refusal(
        gradebook.client.SetThematicPlan({ course, expected_version: 1, items: items(4) }, await as(actor)),
      );
      expect(error.code).toBe(status.PERMISSION_DENIED);
    }
    expect(denialsSince(gradebook, from)).toEqual([
      ['plan.set', `course:${courseId}`],
      ['plan.set', `course:${courseId}`],
      ['plan.set', `course:${courseId}`],
      ['plan.set', `course:${courseId}`],
    ]);
  });

  it('when a teacher of no lesson of the course or a guardian reads the plan or its progress, then it is refused', async () => {
    for (const actor of [school.otherTeacher(), guardianActor]) {
      expect((await refusal(gradebook.client.GetThematicPlan({ course }, await as(actor)))).code).toBe(
        status.PERMISSION_DENIED,
      );
      expect((await refusal(gradebook.client.GetPlanProgress({ course }, await as(actor)))).code).toBe(
        status.PERMISSION_DENIED,
      );
    }
  });

  it('when a course has no lessons yet, then the director sets its plan and a teacher may not', async () => {
    const untold = { ...course, subject_id: randomUUID() };
    const refused = await refusal(
      gradebook.client.SetThematicPlan({ course: untold, expected_version: 0, items: items(1) }, await as()),
    );
    expect(refused.code).toBe(status.PERMISSION_DENIED);
    const { plan } = await gradebook.client.SetThematicPlan(
      { course: untold, expected_version: 0, items: items(1) },
      await as(school.director()),
    );
    expect(plan).toMatchObject({ version: '1', curriculum_hours: 0, hours_mismatch: true });
  });

  it('when the class is unknown, then the request is refused as forbidden', async () => {
    const error = await refusal(
      gradebook.client.GetThematicPlan(
        { course: { ...course, class_id: randomUUID() } },
        await as(school.director()),
      ),
    );
    expect(error.code).toBe(status.PERMISSION_DENIED);
  });
});
