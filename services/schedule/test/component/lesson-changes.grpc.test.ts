import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { waitFor } from '@edu/testing';
import { lessonId } from '../../src/domain/lesson';
import { catalogueSubjectId } from '../../src/domain/subject-catalogue';
import {
  denialsSince,
  recordScheduleEvents,
  refusal,
  staffOf,
  startSchedule,
  type PublishedEvent,
  type ScheduleHarness,
} from './harness';
import { classEvent, personEvent, schoolCreated, staffEvent, yearOpened } from './roster-events';

// Changes of single dated lessons, substitutions and curriculum fulfilment against the real
// FerretDB and Kafka: moved, cancelled and extra lessons with their events and their refusals
// (busy teacher, room or class, a day without lessons, a stale version, a role that may not),
// a substitute approved by a deputy (not by the school admin) who then reads that lesson, and the
// plan's hours against the lessons. The year lies ahead of today, so every lesson may change.

const math = catalogueSubjectId('mathematics');
const Y = new Date().getUTCFullYear() + 1;
const day = (monthDay: string, year = Y) => `${year}-${monthDay}`;
const bells = [
  { number: 1, starts_at: '08:00', ends_at: '08:40' },
  { number: 2, starts_at: '08:50', ends_at: '09:30' },
  { number: 3, starts_at: '09:45', ends_at: '10:25' },
];

/** The first Monday of September of year Y and the days after it. */
function firstMonday(): string {
  const date = new Date(Date.UTC(Y, 8, 1));
  while (date.getUTCDay() !== 1) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}
const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('schedule: lesson changes, substitutions and fulfilment (real FerretDB and Kafka)', () => {
  let schedule: ScheduleHarness;
  let events: Awaited<ReturnType<typeof recordScheduleEvents>>;
  let published: PublishedEvent[] = [];
  const monday = firstMonday();
  const tuesday = plusDays(monday, 1);

  /**
   * A school of its own in year Y/Y+1 (the 1st quarter from 1 September to 25 October for the 5th
   * grade): 5А has maths with `mathTeacher` on Mondays (1st lesson, room 214) and Tuesdays (2nd
   * lesson); 5Б has maths with `otherTeacher` on Mondays and Tuesdays (2nd lesson, room 215).
   */
  async function school() {
    const ids = {
      schoolId: randomUUID(),
      yearId: randomUUID(),
      class5a: randomUUID(),
      class5b: randomUUID(),
      classTeacher: randomUUID(),
      mathTeacher: randomUUID(),
      otherTeacher: randomUUID(),
      substitute: randomUUID(),
      hrOfficer: randomUUID(),
    };
    const { schoolId, yearId } = ids;
    await schedule.roster([
      schoolCreated(schoolId),
      yearOpened(schoolId, yearId, {
        name: `${Y}/${Y + 1}`,
        startsOn: day('09-01'),
        endsOn: day('05-31', Y + 1),
        holidays: [],
        periodSchemes: [
          {
            grades: [5],
            kind: 'quarter',
            periods: [{ number: 1, days: { starts_on: day('09-01'), ends_on: day('10-25') } }],
          },
        ],
      }),
      classEvent(schoolId, yearId, ids.class5a, { classTeacherId: ids.classTeacher }),
      classEvent(schoolId, yearId, ids.class5b, { letter: 'Б' }),
      personEvent(schoolId, ids.substitute, { displayName: 'Петров Пётр Петрович' }),
      ...[ids.classTeacher, ids.mathTeacher, ids.otherTeacher, ids.substitute].map((id) =>
        staffEvent(schoolId, `p-${id}`, id, { effectiveOn: day('08-25') }),
      ),
      staffEvent(schoolId, `p-${ids.hrOfficer}`, ids.hrOfficer, { kind: 'hr', effectiveOn: day('08-25') }),
    ]);
    const deputy = () => schedule.as(staffOf(schoolId, 'deputy'));
    await schedule.client.SetBellSchedule(
      { school_id: schoolId, shift: 1, name: 'Основное', lessons: bells, expected_version: '0' },
      await deputy(),
    );
    const week = async (
      classId: string,
      teacherId: string,
      entries: { weekday: number; lesson_number: number; room: string }[],
    ) => {
      await schedule.client.AssignTeacher(
        {
          school_id: schoolId,
          academic_year_id: yearId,
          teacher_id: teacherId,
          subject_id: math,
          class_id: classId,
        },
        await deputy(),
      );
      await schedule.client.SetTimetableEntries(
        {
          school_id: schoolId,
          academic_year_id: yearId,
          class_id: classId,
          period: 1,
          shift: 1,
          entries: entries.map((e) => ({
            ...e,
            subject_id: math,
            teacher_id: teacherId,
            subgroup_id: '',
            week_parity: '',
          })),
          expected_version: '0',
        },
        await deputy(),
      );
    };
    await week(ids.class5a, ids.mathTeacher, [
      { weekday: 1, lesson_number: 1, room: '214' },
      { weekday: 2, lesson_number: 2, room: '214' },
    ]);
    await week(ids.class5b, ids.otherTeacher, [
      { weekday: 1, lesson_number: 2, room: '215' },
      { weekday: 2, lesson_number: 2, room: '215' },
    ]);
    await schedule.client.SetCurriculum(
      {
        school_id: schoolId,
        academic_year_id: yearId,
        class_id: ids.class5a,
        lines: [{ subject_id: math, hours_per_week: 5, period_hours: [], component: 'mandatory' }],
        expected_version: '0',
      },
      await deputy(),
    );
    await schedule.client.PublishTimetable(
      { school_id: schoolId, academic_year_id: yearId, period: 1 },
      await deputy(),
    );
    const lessonOf = async (classId: string, date: string, number: number) => {
      const { lesson } = await schedule.client.GetLesson(
        { id: lessonId(classId, '', date, number) },
        await deputy(),
      );
      return lesson!;
    };
    return { ...ids, deputy, lessonOf };
  }

  const eventsOf = (aggregateId: string) => published.filter((e) => e.aggregateId === aggregateId);

  beforeAll(async () => {
    schedule = await startSchedule();
    events = await recordScheduleEvents(schedule);
    published = events.published;
  });

  afterAll(async () => {
    await events?.stop();
    await schedule?.close();
  });

  it('moves a lesson to a free slot with a fact, keeps its id, and a republication leaves it where it was moved', async () => {
    const s = await school();
    const lesson = await s.lessonOf(s.class5a, monday, 1);

    const { lesson: moved } = await schedule.client.MoveLesson(
      {
        lesson_id: lesson.id,
        expected_version: lesson.version,
        date: plusDays(monday, 2),
        lesson_number: 3,
        room: '',
        reason: 'Учитель на курсах',
      },
      await s.deputy(),
    );

    expect(moved).toMatchObject({
      id: lesson.id,
      date: plusDays(monday, 2),
      lesson_number: 3,
      starts_at: '09:45',
      ends_at: '10:25',
      room: '214',
      moved_from_date: monday,
      moved_from_lesson_number: 1,
      change_reason: 'Учитель на курсах',
      version: '2',
    });
    await waitFor(() => eventsOf(lesson.id).some((e) => e.type === 'edu.schedule.lesson.rescheduled'));
    const fact = eventsOf(lesson.id).find((e) => e.type === 'edu.schedule.lesson.rescheduled')!;
    expect(fact).toMatchObject({ key: s.schoolId, aggregateVersion: 2 });
    expect(fact.payload).toMatchObject({
      changed: ['date', 'time'],
      lesson: { lesson_id: lesson.id, date: plusDays(monday, 2), moved_from_date: monday },
    });

    await schedule.client.PublishTimetable(
      { school_id: s.schoolId, academic_year_id: s.yearId, period: 1 },
      await s.deputy(),
    );
    expect(await s.lessonOf(s.class5a, monday, 1)).toMatchObject({ date: plusDays(monday, 2), version: '2' });
  });

  it('refuses a move into a busy slot, onto a day without lessons, at a stale version, or by a teacher, and changes nothing', async () => {
    const s = await school();
    const lesson = await s.lessonOf(s.class5a, monday, 1);
    const move = async (fields: Record<string, unknown>, actor = s.deputy()) =>
      refusal(
        schedule.client.MoveLesson(
          {
            lesson_id: lesson.id,
            expected_version: lesson.version,
            date: monday,
            lesson_number: 2,
            room: '',
            reason: 'Перенос',
            ...fields,
          },
          await actor,
        ),
      );

    // 5Б has maths in room 215 at Monday's 2nd lesson.
    const roomBusy = await move({ room: '215' });
    expect(roomBusy.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(roomBusy.domainError).toMatchObject({ code: 'lesson.room_busy' });
    expect(roomBusy.domainError?.detail).toContain('Кабинет 215 в это время занят: 5Б, Математика, 2-й урок');

    // 5А's own Tuesday lesson is at the 2nd lesson: its teacher, its room and the class are busy then.
    const classBusy = await move({ date: tuesday });
    expect(classBusy.domainError).toMatchObject({ code: 'lesson.teacher_busy' });
    expect(classBusy.domainError?.errors?.map((e) => e.message)).toEqual([
      expect.stringContaining('Учитель в это время ведёт другой урок: 5А, Математика, 2-й урок'),
      expect.stringContaining('Кабинет 214 в это время занят: 5А, Математика, 2-й урок'),
      expect.stringContaining('У класса в это время другой урок: 5А, Математика, 2-й урок'),
    ]);

    const sunday = await move({ date: plusDays(monday, 6) });
    expect(sunday.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(sunday.domainError).toMatchObject({ code: 'lesson.move_invalid' });
    expect(sunday.domainError?.errors).toEqual([
      expect.objectContaining({ field: 'date', message: expect.stringContaining('нет занятий') }),
    ]);

    const noReason = await move({ reason: '  ', lesson_number: 0 });
    expect(noReason.domainError?.errors?.map((e) => e.field)).toEqual(['lessonNumber', 'reason']);

    const stale = await move({ expected_version: '7', lesson_number: 3 });
    expect(stale.domainError).toMatchObject({ code: 'lesson.version_conflict' });

    const before = denialsSince(schedule, 0).length;
    const teacher = await move(
      { lesson_number: 3 },
      schedule.as(staffOf(s.schoolId, 'teacher', s.mathTeacher)),
    );
    expect(teacher.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(denialsSince(schedule, 0).length).toBe(before + 1);

    expect(await s.lessonOf(s.class5a, monday, 1)).toMatchObject({
      date: monday,
      lesson_number: 1,
      version: '1',
    });
    expect(eventsOf(lesson.id).filter((e) => e.type !== 'edu.schedule.lesson.scheduled')).toEqual([]);
  });

  it('cancels a lesson with a reason and a fact; a second cancel and a cancel without a reason are refused', async () => {
    const s = await school();
    const lesson = await s.lessonOf(s.class5b, tuesday, 2);
    const cancel = async (fields: Record<string, unknown> = {}) =>
      schedule.client.CancelLesson(
        {
          lesson_id: lesson.id,
          expected_version: lesson.version,
          reason: 'Класс на экскурсии',
          even_with_journal_content: false,
          ...fields,
        },
        await s.deputy(),
      );

    expect((await refusal(cancel({ reason: '' }))).domainError).toMatchObject({
      code: 'lesson.cancel_invalid',
    });
    const { lesson: cancelled } = await cancel();
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancellation_reason: 'Класс на экскурсии',
      version: '2',
    });
    await waitFor(() => eventsOf(lesson.id).some((e) => e.type === 'edu.schedule.lesson.cancelled'));
    expect((await refusal(cancel({ expected_version: '2' }))).domainError).toMatchObject({
      code: 'lesson.cancelled',
    });

    // Cancelled by hand: a republication does not bring it back.
    await schedule.client.PublishTimetable(
      { school_id: s.schoolId, academic_year_id: s.yearId, period: 1 },
      await s.deputy(),
    );
    expect(await s.lessonOf(s.class5b, tuesday, 2)).toMatchObject({ status: 'cancelled', version: '2' });
  });

  it('adds an extra lesson for an assigned teacher once per idempotency key, and refuses one without an assignment', async () => {
    const s = await school();
    const saturday = plusDays(monday, 5);
    const request = {
      class_id: s.class5a,
      subgroup_id: '',
      subject_id: math,
      teacher_id: s.mathTeacher,
      date: saturday,
      lesson_number: 1,
      room: '214',
      reason: 'Консультация перед контрольной',
    };
    const key = randomUUID();

    const first = await schedule.client.AddExtraLesson(
      request,
      await schedule.as(staffOf(s.schoolId, 'deputy'), key),
    );
    const again = await schedule.client.AddExtraLesson(
      request,
      await schedule.as(staffOf(s.schoolId, 'deputy'), key),
    );

    expect(first.lesson).toMatchObject({
      id: lessonId(s.class5a, '', saturday, 1),
      origin: 'extra',
      date: saturday,
      starts_at: '08:00',
      change_reason: 'Консультация перед контрольной',
    });
    expect(again.lesson?.id).toBe(first.lesson?.id);
    await waitFor(() => eventsOf(first.lesson!.id).length > 0);
    expect(eventsOf(first.lesson!.id).map((e) => e.type)).toEqual(['edu.schedule.lesson.scheduled']);

    const unassigned = await refusal(
      schedule.client.AddExtraLesson(
        { ...request, teacher_id: s.otherTeacher, lesson_number: 2 },
        await s.deputy(),
      ),
    );
    expect(unassigned.domainError).toMatchObject({ code: 'lesson.no_assignment' });
    const byTeacher = await refusal(
      schedule.client.AddExtraLesson(
        { ...request, lesson_number: 3 },
        await schedule.as(staffOf(s.schoolId, 'teacher', s.mathTeacher)),
      ),
    );
    expect(byTeacher.code).toBe(grpc.status.PERMISSION_DENIED);
  });

  it('lets a deputy approve a substitute who then reads that lesson and sees it in the list, and revoke it; the school admin, a busy or a non-teaching substitute are refused', async () => {
    const s = await school();
    const lesson = await s.lessonOf(s.class5a, tuesday, 2);
    const assign = async (substitute: string, actor = s.deputy(), version = lesson.version) =>
      schedule.client.AssignSubstitute(
        {
          lesson_id: lesson.id,
          expected_version: version,
          substitute_teacher_id: substitute,
          reason: 'Больничный',
        },
        await actor,
      );

    const admin = await refusal(assign(s.substitute, schedule.as(staffOf(s.schoolId, 'schoolAdmin'))));
    expect(admin.code).toBe(grpc.status.PERMISSION_DENIED);
    // 5Б has maths with `otherTeacher` at the same time.
    expect((await refusal(assign(s.otherTeacher))).domainError).toMatchObject({
      code: 'lesson.teacher_busy',
    });
    expect((await refusal(assign(s.hrOfficer))).domainError).toMatchObject({ code: 'substitution.invalid' });
    expect((await refusal(assign(s.mathTeacher))).domainError).toMatchObject({
      code: 'substitution.invalid',
    });

    const { lesson: substituted } = await assign(s.substitute);
    expect(substituted).toMatchObject({
      substitute_teacher_id: s.substitute,
      substitution_reason: 'Больничный',
      version: '2',
    });
    await waitFor(() => eventsOf(lesson.id).some((e) => e.type === 'edu.schedule.substitution.assigned'));
    expect(
      eventsOf(lesson.id).find((e) => e.type === 'edu.schedule.substitution.assigned')!.payload,
    ).toMatchObject({
      lesson: { substitute_teacher_id: s.substitute, teacher_id: s.mathTeacher },
      approved_by: staffOf(s.schoolId, 'deputy').accountId,
    });

    const asSubstitute = await schedule.as(staffOf(s.schoolId, 'teacher', s.substitute));
    expect((await schedule.client.GetLesson({ id: lesson.id }, asSubstitute)).lesson?.id).toBe(lesson.id);
    const range = { school_id: s.schoolId, from: monday, to: plusDays(monday, 6) };
    expect((await schedule.client.ListSubstitutions(range, asSubstitute)).lessons.map((l) => l.id)).toEqual([
      lesson.id,
    ]);
    const asOther = await schedule.as(staffOf(s.schoolId, 'teacher', s.otherTeacher));
    expect((await schedule.client.ListSubstitutions(range, asOther)).lessons).toEqual([]);
    expect((await schedule.client.ListSubstitutions(range, await s.deputy())).lessons).toHaveLength(1);
    // The substitute's own list of lessons has it too.
    const own = await schedule.client.ListLessons(
      {
        school_id: s.schoolId,
        teacher_id: s.substitute,
        from: monday,
        to: plusDays(monday, 6),
        class_id: '',
        status: '',
        needs_decision: false,
      },
      asSubstitute,
    );
    expect(own.lessons.map((l) => l.id)).toEqual([lesson.id]);

    const { lesson: revoked } = await schedule.client.RevokeSubstitute(
      { lesson_id: lesson.id, expected_version: '2', reason: 'Учитель вышел на работу' },
      await s.deputy(),
    );
    expect(revoked).toMatchObject({ substitute_teacher_id: '', version: '3' });
    await waitFor(() => eventsOf(lesson.id).some((e) => e.type === 'edu.schedule.substitution.revoked'));
    expect(
      eventsOf(lesson.id).find((e) => e.type === 'edu.schedule.substitution.revoked')!.payload,
    ).toMatchObject({
      previous_substitute_teacher_id: s.substitute,
    });
    expect((await refusal(schedule.client.GetLesson({ id: lesson.id }, asSubstitute))).code).toBe(
      grpc.status.PERMISSION_DENIED,
    );
  });

  it("answers a class's curriculum fulfilment to the class teacher and refuses a teacher of another class", async () => {
    const s = await school();
    const asClassTeacher = await schedule.as(staffOf(s.schoolId, 'teacher', s.classTeacher));

    const answer = await schedule.client.GetCurriculumFulfilment(
      { class_id: s.class5a, period: 1 },
      asClassTeacher,
    );

    // 1 September – 25 October: its weekdays in whole weeks × 5 hours; its Mondays and Tuesdays.
    const days = Array.from({ length: 55 }, (_, i) => new Date(Date.UTC(Y, 8, 1 + i)).getUTCDay());
    const weeks = Math.round(days.filter((d) => d >= 1 && d <= 5).length / 5);
    const mondaysAndTuesdays = days.filter((d) => d === 1 || d === 2).length;
    expect(answer).toMatchObject({ class_id: s.class5a, class_name: '5А' });
    expect(answer.lines).toEqual([
      expect.objectContaining({
        period: 1,
        subject_id: math,
        planned: weeks * 5,
        scheduled: mondaysAndTuesdays,
        held: 0,
        cancelled: 0,
      }),
    ]);
    const other = await refusal(
      schedule.client.GetCurriculumFulfilment(
        { class_id: s.class5a, period: 0 },
        await schedule.as(staffOf(s.schoolId, 'teacher', s.otherTeacher)),
      ),
    );
    expect(other.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(
      (
        await refusal(
          schedule.client.GetCurriculumFulfilment({ class_id: s.class5a, period: -1 }, asClassTeacher),
        )
      ).domainError,
    ).toMatchObject({ code: 'fulfilment.filter_invalid' });
  });
});
