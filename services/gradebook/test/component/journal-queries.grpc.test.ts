import { status } from '@grpc/grpc-js';
import {
  SchoolScenario,
  addDays,
  denialsSince,
  guardianActor,
  refusal,
  startGradebook,
  todayIn,
  type GradebookHarness,
} from './harness';

// The journal's queries through gRPC against the real FerretDB and Kafka: gradebook learns the
// school from roster's events and the lessons from schedule's, a teacher fills a lesson in, then
// the page, the student's marks, the teacher's day and journal-keeping read it back; each refuses
// whom it must.

describe('gradebook: journal queries (real FerretDB and Kafka)', () => {
  let gradebook: GradebookHarness;
  const school = new SchoolScenario({ students: 4 });
  const today = todayIn(school.timeZone);
  const yesterdays = school.lesson({ date: addDays(today, -1), lessonNumber: 2 });
  const todays = school.lesson({ date: today, lessonNumber: 3 });
  const substituted = school.lesson({
    date: today,
    lessonNumber: 1,
    substituteTeacherId: school.otherTeacherId,
  });
  const course = () => ({ class_id: school.classId, subgroup_id: '', subject_id: school.subjectId });

  beforeAll(async () => {
    gradebook = await startGradebook();
    await gradebook.publish('roster', school.rosterEvents());
    await gradebook.publish(
      'schedule',
      [yesterdays, todays, substituted].map((l) => l.event),
    );
    // Today's lesson is filled in by its teacher; yesterday's stays empty.
    await gradebook.client.SaveLessonRecord(
      {
        lesson_id: todays.lessonId,
        expected_version: 0,
        topic: { text: 'Площадь прямоугольника', plan_item_id: '' },
        marks: [
          { student_id: school.studentIds[0], value: '5', work_type: 'test', comment: '' },
          { student_id: school.studentIds[0], value: '4', work_type: 'oral', comment: '' },
        ],
        attendance: { items: [{ student_id: school.studentIds[1], kind: 'absent', late_minutes: 0 }] },
      },
      await gradebook.as(school.teacher()),
    );
  });

  afterAll(async () => {
    await gradebook?.close();
  });

  it('when the teacher opens the quarter page, then every cell is in one answer', async () => {
    const page = await gradebook.client.GetJournalPage(
      { course: course(), period: 1 },
      await gradebook.as(school.teacher()),
    );
    expect(page.students.map((s) => s.display_name)).toEqual([
      'Ученик 01',
      'Ученик 02',
      'Ученик 03',
      'Ученик 04',
    ]);
    expect(page.lessons.map((l) => [l.lesson_id, l.version])).toEqual([
      [yesterdays.lessonId, '0'],
      [substituted.lessonId, '0'],
      [todays.lessonId, '1'],
    ]);
    expect(page.averages[0]).toMatchObject({
      marks_count: 2,
      arithmetic_average: 4.5,
      weighted_average: 4.67,
    });
    expect(page.averages[1]).toMatchObject({ absences: 1 });
    expect(page.scale).toBe('five_point');
    expect(page.work_types.map((w) => w.key)).toContain('test');
  });

  it('when a guardian or the other teacher opens the page, then it is refused and logged', async () => {
    const from = gradebook.logs().length;
    for (const actor of [guardianActor, school.otherTeacher()]) {
      const error = await refusal(
        gradebook.client.GetJournalPage({ course: course(), period: 1 }, await gradebook.as(actor)),
      );
      expect(error.code).toBe(status.PERMISSION_DENIED);
    }
    expect(denialsSince(gradebook, from)).toHaveLength(2);
  });

  it("when the class teacher reads a student's marks, then they come with dates and averages", async () => {
    const answer = await gradebook.client.GetStudentMarks(
      { student_id: school.studentIds[0], class_id: school.classId, period: 1 },
      await gradebook.as(school.classTeacher()),
    );
    expect(answer.display_name).toBe('Ученик 01');
    expect(answer.subjects).toHaveLength(1);
    expect(answer.subjects[0]!.marks.map((m) => [m.lesson_id, m.date, m.mark!.value])).toEqual([
      [todays.lessonId, today, '5'],
      [todays.lessonId, today, '4'],
    ]);
    const error = await refusal(
      gradebook.client.GetStudentMarks(
        { student_id: school.studentIds[0], class_id: school.classId, period: 1 },
        await gradebook.as(guardianActor),
      ),
    );
    expect(error.code).toBe(status.PERMISSION_DENIED);
  });

  it("when the teacher opens today, then the substituted lesson is the substitute's and what is missing is named", async () => {
    const own = await gradebook.client.GetTeacherDay(
      { teacher_id: '', date: '' },
      await gradebook.as(school.teacher()),
    );
    expect(own.date).toBe(today);
    expect(own.lessons.map((l) => [l.record!.lesson_id, l.missing, l.students])).toEqual([
      [todays.lessonId, ['homework'], 4],
    ]);
    const sub = await gradebook.client.GetTeacherDay(
      { teacher_id: '', date: '' },
      await gradebook.as(school.otherTeacher()),
    );
    expect(sub.lessons.map((l) => [l.record!.lesson_id, l.substitution])).toEqual([
      [substituted.lessonId, true],
    ]);
    const error = await refusal(
      gradebook.client.GetTeacherDay(
        { teacher_id: school.teacherId, date: today },
        await gradebook.as(school.otherTeacher()),
      ),
    );
    expect(error.code).toBe(status.PERMISSION_DENIED);
  });

  it('when the deputy asks for journal-keeping of the class, then rows come per teacher and week; a teacher is refused', async () => {
    const request = {
      school_id: school.schoolId,
      from: addDays(today, -7),
      to: today,
      teacher_id: '',
      class_id: school.classId,
    };
    const answer = await gradebook.client.GetJournalKeeping(request, await gradebook.as(school.deputy()));
    expect(answer.rows.every((r) => r.class_id === school.classId)).toBe(true);
    // Yesterday's lesson has ended whatever the hour: its week has a row of the teacher, named.
    const weekOfYesterday = answer.rows.filter(
      (r) => r.teacher_id === school.teacherId && r.week <= addDays(today, -1),
    );
    expect(weekOfYesterday.length).toBeGreaterThan(0);
    expect(weekOfYesterday[0]).toMatchObject({
      teacher_name: 'Учителев Пётр Иванович',
      subject_name: 'Математика',
    });
    expect(weekOfYesterday[0]!.lessons_held).toBeGreaterThanOrEqual(1);
    // Without a teacher or a class: the whole school, which here is this class.
    const wholeSchool = await gradebook.client.GetJournalKeeping(
      { ...request, class_id: '' },
      await gradebook.as(school.deputy()),
    );
    expect(wholeSchool.rows).toEqual(answer.rows);
    const error = await refusal(
      gradebook.client.GetJournalKeeping(request, await gradebook.as(school.teacher())),
    );
    expect(error.code).toBe(status.PERMISSION_DENIED);
  });
});
