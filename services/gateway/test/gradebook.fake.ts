import type { CallOptions } from '@edu/grpc';
import { currentContext } from '@edu/kit';
import type { GradingPolicyState__Output } from '@edu/proto/dist/generated/edu/events/v1/GradingPolicyState';
import type { LessonRecordState__Output } from '@edu/proto/dist/generated/edu/events/v1/LessonRecordState';
import type { MarkState__Output } from '@edu/proto/dist/generated/edu/events/v1/MarkState';
import type { PeriodMarkState__Output } from '@edu/proto/dist/generated/edu/events/v1/PeriodMarkState';
import type { ThematicPlanState__Output } from '@edu/proto/dist/generated/edu/events/v1/ThematicPlanState';
import type { JournalStudent__Output } from '@edu/proto/dist/generated/edu/gradebook/v1/JournalStudent';
import type { GradebookPort, UpstreamCallOptions } from '../src/domain/ports';

// A fake gradebook port for the gateway's unit tests: messages as gradebook sends them (proto
// names, int64 versions as text, absent messages as null), shaped by the request where it matters.

/** One call the fake gradebook received. */
export interface GradebookCall {
  method: string;
  request: unknown;
  options: UpstreamCallOptions;
  contextTraceId: string | undefined;
}

/** Gradebook's message for the defaults of school-1's grading policy (version 0). */
export function gradingPolicyMessage(
  overrides: Partial<GradingPolicyState__Output> = {},
): GradingPolicyState__Output {
  return {
    school_id: 'school-1',
    scales: [{ grades: [1], subject_keys: [], scale: 'none' }],
    work_types: [
      { key: 'oral', name: 'Устный ответ', weight: 1, active: true },
      { key: 'test', name: 'Контрольная работа', weight: 2, active: true },
    ],
    entry_deadline: 'same_day',
    entry_days: 0,
    correction_days: 7,
    period_mark_window_days: 5,
    accumulation: [{ min_hours_per_week: 0, min_marks: 3 }],
    allow_not_attested: true,
    allow_exempt: true,
    rounding_threshold: 0.5,
    low_mark_threshold: 2,
    updated_by: '',
    updated_at: '',
    version: '0',
    ...overrides,
  };
}

/** Gradebook's message for a «5» for an oral answer of student-1, posted by staff-1. */
export function markMessage(overrides: Partial<MarkState__Output> = {}): MarkState__Output {
  return {
    mark_id: 'mark-1',
    student_id: 'student-1',
    value: '5',
    work_type: 'oral',
    work_type_name: 'Устный ответ',
    weight: 1,
    comment: '',
    posted_by: 'staff-1',
    posted_at: '2026-09-07T01:30:00.000Z',
    status: 'active',
    corrected: false,
    history: [
      {
        kind: 'posted',
        value: '5',
        work_type: 'oral',
        weight: 1,
        comment: '',
        by: 'staff-1',
        at: '2026-09-07T01:30:00.000Z',
        reason: '',
        order_ref: '',
      },
    ],
    ...overrides,
  };
}

/** Gradebook's message for the record of lesson-1 (class-1's «Математика», 2026-09-07), empty. */
export function lessonRecordMessage(
  overrides: Partial<LessonRecordState__Output> = {},
): LessonRecordState__Output {
  return {
    lesson_id: 'lesson-1',
    course_id: 'year-1:class-1:-:subject-math',
    school_id: 'school-1',
    academic_year_id: 'year-1',
    class_id: 'class-1',
    subgroup_id: '',
    subject_id: 'subject-math',
    subject_key: 'mathematics',
    period: 1,
    date: '2026-09-07',
    lesson_number: 1,
    starts_at: '08:00',
    ends_at: '08:40',
    teacher_id: 'staff-1',
    substitute_teacher_id: '',
    lesson_status: 'scheduled',
    topic: null,
    homework: null,
    individual_homework: [],
    marks: [],
    attendance: [],
    attendance_taken: false,
    version: '0',
    updated_at: '',
    ...overrides,
  };
}

/** The students of class-1 as gradebook lists them. */
export function journalStudents(): JournalStudent__Output[] {
  return [
    { student_id: 'student-1', display_name: 'Иванов Иван Иванович', from: '2026-09-01', until: '' },
    { student_id: 'student-2', display_name: 'Петрова Анна Сергеевна', from: '2026-09-01', until: '' },
  ];
}

/** Gradebook's message for student-1's first-quarter mark in «Математика». */
export function periodMarkMessage(overrides: Partial<PeriodMarkState__Output> = {}): PeriodMarkState__Output {
  return {
    period_mark_id: 'year-1:student-1:subject-math:period:1',
    school_id: 'school-1',
    academic_year_id: 'year-1',
    student_id: 'student-1',
    class_id: 'class-1',
    subject_id: 'subject-math',
    subject_key: 'mathematics',
    kind: 'period',
    period: 1,
    value: '5',
    set_by: 'staff-1',
    set_at: '2026-10-24T05:00:00.000Z',
    arithmetic_average: 4.6,
    weighted_average: 4.7,
    marks_count: 5,
    corrected: false,
    history: [],
    version: '1',
    ...overrides,
  };
}

/** Gradebook's message for class-1's «Математика» plan with one topic. */
export function thematicPlanMessage(
  overrides: Partial<ThematicPlanState__Output> = {},
): ThematicPlanState__Output {
  return {
    course_id: 'year-1:class-1:-:subject-math',
    school_id: 'school-1',
    academic_year_id: 'year-1',
    class_id: 'class-1',
    subgroup_id: '',
    subject_id: 'subject-math',
    items: [
      {
        item_id: 'item-1',
        number: 1,
        section: 'Натуральные числа',
        title: 'Ряд натуральных чисел',
        hours: 2,
        control_work: false,
      },
    ],
    total_hours: 2,
    curriculum_hours: 170,
    hours_mismatch: true,
    updated_by: 'staff-1',
    updated_at: '2026-08-30T06:00:00.000Z',
    version: '1',
    ...overrides,
  };
}

/** A fake gradebook port, like `fakeSchedule`: records every call, answers, or fails with `failWith`. */
export function fakeGradebook() {
  const calls: GradebookCall[] = [];
  let failure: unknown;
  const record = (method: string, request: unknown, options?: CallOptions) => {
    calls.push({
      method,
      request,
      options: options as UpstreamCallOptions,
      contextTraceId: currentContext()?.traceId,
    });
    if (failure !== undefined) throw failure;
  };
  const nextVersion = (expected: unknown) => String(Number(expected ?? 0) + 1);
  const recordAnswer = (record: LessonRecordState__Output) => ({ record, students: journalStudents() });
  const course = (
    ref: { class_id?: string; subgroup_id?: string; subject_id?: string } | null | undefined,
  ) => ({
    class_id: ref?.class_id ?? '',
    subgroup_id: ref?.subgroup_id ?? '',
    subject_id: ref?.subject_id ?? '',
  });

  const port: GradebookPort = {
    async GetGradingPolicy(request, options) {
      record('GetGradingPolicy', request, options);
      return { policy: gradingPolicyMessage({ school_id: request.school_id ?? '' }) };
    },
    async SetGradingPolicy(request, options) {
      record('SetGradingPolicy', request, options);
      return {
        policy: gradingPolicyMessage({
          school_id: request.policy?.school_id ?? '',
          entry_deadline: request.policy?.entry_deadline ?? '',
          entry_days: request.policy?.entry_days ?? 0,
          updated_by: 'staff-director',
          updated_at: '2026-08-31T06:00:00.000Z',
          version: nextVersion(request.expected_version),
        }),
      };
    },
    async GetLessonRecord(request, options) {
      record('GetLessonRecord', request, options);
      return recordAnswer(lessonRecordMessage({ lesson_id: request.lesson_id ?? '' }));
    },
    async SaveLessonRecord(request, options) {
      record('SaveLessonRecord', request, options);
      return recordAnswer(
        lessonRecordMessage({
          lesson_id: request.lesson_id ?? '',
          topic: request.topic
            ? {
                text: request.topic.text ?? '',
                plan_item_id: request.topic.plan_item_id ?? '',
                set_by: 'staff-1',
                set_at: '2026-09-07T01:30:00.000Z',
              }
            : null,
          marks: (request.marks ?? []).map((m, i) =>
            markMessage({
              mark_id: `mark-${i + 1}`,
              student_id: m.student_id ?? '',
              value: m.value ?? '',
              work_type: m.work_type ?? '',
            }),
          ),
          attendance: (request.attendance?.items ?? []).map((a) => ({
            student_id: a.student_id ?? '',
            kind: a.kind ?? '',
            late_minutes: a.late_minutes ?? 0,
            recorded_by: 'staff-1',
            recorded_at: '2026-09-07T01:30:00.000Z',
            reason: '',
            reason_set_by: '',
            reason_set_at: '',
            reason_note: '',
          })),
          attendance_taken: request.attendance !== undefined,
          version: nextVersion(request.expected_version),
          updated_at: '2026-09-07T01:30:00.000Z',
        }),
      );
    },
    async CorrectMark(request, options) {
      record('CorrectMark', request, options);
      return recordAnswer(
        lessonRecordMessage({
          lesson_id: request.lesson_id ?? '',
          marks: [
            markMessage({ mark_id: request.mark_id ?? '', value: request.value ?? '', corrected: true }),
          ],
          version: nextVersion(request.expected_version),
        }),
      );
    },
    async VoidMark(request, options) {
      record('VoidMark', request, options);
      return recordAnswer(
        lessonRecordMessage({
          lesson_id: request.lesson_id ?? '',
          marks: [markMessage({ mark_id: request.mark_id ?? '', status: 'voided', corrected: true })],
          version: nextVersion(request.expected_version),
        }),
      );
    },
    async SetAbsenceReason(request, options) {
      record('SetAbsenceReason', request, options);
      return { records: [lessonRecordMessage({ class_id: request.class_id ?? '', version: '3' })] };
    },
    async SetPeriodMark(request, options) {
      record('SetPeriodMark', request, options);
      return {
        period_mark: periodMarkMessage({
          student_id: request.student_id ?? '',
          class_id: request.course?.class_id ?? '',
          subject_id: request.course?.subject_id ?? '',
          kind: request.kind ?? '',
          period: request.period ?? 0,
          value: request.value ?? '',
          version: nextVersion(request.expected_version),
        }),
      };
    },
    async ListPeriodMarks(request, options) {
      record('ListPeriodMarks', request, options);
      return { period_marks: [periodMarkMessage({ class_id: request.class_id ?? '' })] };
    },
    async ListLackingMarks(request, options) {
      record('ListLackingMarks', request, options);
      return {
        required: 5,
        hours_per_week: 5,
        students: [
          { student_id: 'student-2', display_name: 'Петрова Анна Сергеевна', marks_count: 2, required: 5 },
        ],
        period_ends_on: '2026-10-26',
        days_left: 4,
      };
    },
    async SetThematicPlan(request, options) {
      record('SetThematicPlan', request, options);
      return {
        plan: thematicPlanMessage({
          ...course(request.course),
          version: nextVersion(request.expected_version),
        }),
      };
    },
    async GetThematicPlan(request, options) {
      record('GetThematicPlan', request, options);
      return { plan: thematicPlanMessage(course(request.course)) };
    },
    async GetPlanProgress(request, options) {
      record('GetPlanProgress', request, options);
      const plan = thematicPlanMessage(course(request.course));
      return {
        plan,
        periods: [{ period: 1, lessons_held: 8, lessons_with_topic: 7, items_done: 1, hours_done: 2 }],
        items_left: [],
        total_hours: 2,
        hours_done: 2,
      };
    },
    async GetJournalPage(request, options) {
      record('GetJournalPage', request, options);
      return {
        course_id: 'year-1:class-1:-:subject-math',
        class_name: '5А',
        subgroup_name: '',
        subject_name: 'Математика',
        period: request.period ?? 0,
        period_starts_on: '2026-09-01',
        period_ends_on: '2026-10-26',
        scale: 'five_point',
        students: journalStudents(),
        lessons: [lessonRecordMessage({ marks: [markMessage()], version: '1' })],
        averages: [
          {
            student_id: 'student-1',
            arithmetic_average: 5,
            weighted_average: 5,
            marks_count: 1,
            absences: 0,
            latenesses: 0,
          },
        ],
        period_marks: [],
        work_types: gradingPolicyMessage().work_types,
      };
    },
    async GetStudentMarks(request, options) {
      record('GetStudentMarks', request, options);
      return {
        student_id: request.student_id ?? '',
        display_name: 'Иванов Иван Иванович',
        period: request.period ?? 0,
        subjects: [
          {
            subject_id: 'subject-math',
            subject_name: 'Математика',
            course_id: 'year-1:class-1:-:subject-math',
            marks: [{ lesson_id: 'lesson-1', date: '2026-09-07', mark: markMessage() }],
            arithmetic_average: 5,
            weighted_average: 5,
            period_mark: null,
          },
        ],
      };
    },
    async GetTeacherDay(request, options) {
      record('GetTeacherDay', request, options);
      return {
        teacher_id: request.teacher_id ?? '',
        date: request.date || '2026-09-07',
        lessons: [
          {
            record: lessonRecordMessage(),
            class_name: '5А',
            subgroup_name: '',
            subject_name: 'Математика',
            substitution: false,
            missing: ['topic', 'attendance', 'homework', 'marks'],
            students: 2,
            editable: true,
            editable_until: '2026-09-07T17:00:00.000Z',
          },
        ],
      };
    },
    async GetJournalKeeping(request, options) {
      record('GetJournalKeeping', request, options);
      return {
        rows: [
          {
            teacher_id: 'staff-1',
            teacher_name: 'Петрова Ольга Ивановна',
            course_id: 'year-1:class-1:-:subject-math',
            class_id: 'class-1',
            class_name: '5А',
            subgroup_id: '',
            subject_id: 'subject-math',
            subject_name: 'Математика',
            week: '2026-09-07',
            lessons_held: 5,
            topics_entered: 5,
            homework_entered: 4,
            attendance_taken: 5,
            entered_on_time: 4,
            entered_late: 1,
            marks: 12,
            marks_density: 0.09,
          },
        ],
      };
    },
  };
  return {
    port,
    calls,
    failWith(error: unknown) {
      failure = error;
    },
    reset() {
      calls.length = 0;
      failure = undefined;
    },
  };
}
