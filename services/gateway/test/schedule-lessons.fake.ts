import type { CallOptions } from '@edu/grpc';
import type { GetStudentTimetableResponse__Output } from '@edu/proto/dist/generated/edu/schedule/v1/GetStudentTimetableResponse';
import type { Lesson__Output } from '@edu/proto/dist/generated/edu/schedule/v1/Lesson';
import type { SchoolEvent__Output } from '@edu/proto/dist/generated/edu/schedule/v1/SchoolEvent';
import type { SchoolEventCard } from '@edu/proto/dist/generated/edu/schedule/v1/SchoolEventCard';
import type { SchedulePort } from '../src/domain/ports';

// The fake schedule's dated lessons, events calendar and a student's week (part of fakeSchedule in
// helpers.ts): messages as schedule sends them, shaped by the request where it matters.

/** Schedule's message for class-1's («5А») lesson on Monday 2026-09-07, the first, «Математика» with staff-1. */
export function lessonMessage(overrides: Partial<Lesson__Output> = {}): Lesson__Output {
  return {
    id: 'lesson-1',
    school_id: 'school-1',
    academic_year_id: 'year-1',
    period: 1,
    class_id: 'class-1',
    class_name: '5А',
    subgroup_id: '',
    subgroup_name: '',
    subject_id: 'subject-math',
    subject_key: 'mathematics',
    subject_name: 'Математика',
    subject_short_name: 'Матем.',
    teacher_id: 'staff-1',
    date: '2026-09-07',
    lesson_number: 1,
    starts_at: '08:00',
    ends_at: '08:40',
    room: '214',
    status: 'scheduled',
    origin: 'timetable',
    cancellation_reason: '',
    substitute_teacher_id: '',
    has_journal_content: false,
    needs_decision: false,
    version: '1',
    created_at: '2026-08-30T06:00:00.000Z',
    updated_at: '2026-08-30T06:00:00.000Z',
    substitution_reason: '',
    moved_from_date: '',
    moved_from_lesson_number: 0,
    change_reason: '',
    ...overrides,
  };
}

/** Schedule's message for a school-wide olympiad of school-1 on 2026-10-15, entered late. */
export function schoolEventMessage(overrides: Partial<SchoolEvent__Output> = {}): SchoolEvent__Output {
  return {
    id: 'event-1',
    school_id: 'school-1',
    academic_year_id: 'year-1',
    kind: 'olympiad',
    kind_name: 'Олимпиада',
    title: 'Школьный этап олимпиады по математике',
    description: '',
    starts_on: '2026-10-15',
    ends_on: '2026-10-15',
    starts_at: '',
    ends_at: '',
    place: 'Актовый зал',
    scope: 'school',
    class_ids: [],
    class_names: [],
    participant_ids: [],
    responsible_id: 'staff-1',
    responsible_name: 'Петрова Ольга Ивановна',
    status: 'scheduled',
    cancel_reason: '',
    results_summary: '',
    participant_results: [],
    results_recorded_at: '',
    late_notice: true,
    warnings: [
      {
        code: 'event.late_notice',
        message: 'Мероприятие школы вносится не позднее чем за 14 дней, а до него 3 дня',
      },
    ],
    version: '1',
    created_at: '2026-10-12T06:00:00.000Z',
    updated_at: '2026-10-12T06:00:00.000Z',
    updated_by: 'account-1',
    ...overrides,
  };
}

/** The stored event as a card would make it (what a fake may echo back). */
function fromCard(card: SchoolEventCard | null | undefined): Partial<SchoolEvent__Output> {
  if (!card) return {};
  return {
    kind: card.kind ?? '',
    title: card.title ?? '',
    starts_on: card.starts_on ?? '',
    ends_on: card.ends_on || (card.starts_on ?? ''),
    scope: card.scope ?? '',
    class_ids: card.class_ids ?? [],
    responsible_id: card.responsible_id ?? '',
  };
}

type LessonMethods =
  | 'ListLessons'
  | 'GetLesson'
  | 'MoveLesson'
  | 'CancelLesson'
  | 'KeepLesson'
  | 'AddExtraLesson'
  | 'AssignSubstitute'
  | 'RevokeSubstitute'
  | 'ListSubstitutions'
  | 'GetCurriculumFulfilment'
  | 'CreateSchoolEvent'
  | 'ChangeSchoolEvent'
  | 'CancelSchoolEvent'
  | 'RecordSchoolEventResults'
  | 'GetSchoolEvent'
  | 'ListSchoolEvents'
  | 'ListCalendarWarnings'
  | 'GetStudentTimetable';

/**
 * The methods of the fake schedule port for lessons, events and a student's week; `record` is the
 * fake's (it throws the fake's failure), `classWeek` the week of class-1 a student reads.
 */
export function fakeLessonMethods(
  record: (method: string, request: unknown, options?: CallOptions) => void,
  classWeek: () => Pick<GetStudentTimetableResponse__Output, 'timetable' | 'publication'>,
): Pick<SchedulePort, LessonMethods> {
  const nextVersion = (expected: unknown) => String(Number(expected ?? 0) + 1);
  return {
    async ListLessons(request, options) {
      record('ListLessons', request, options);
      return { lessons: [lessonMessage({ class_id: request.class_id || 'class-1' })] };
    },
    async GetLesson(request, options) {
      record('GetLesson', request, options);
      return { lesson: lessonMessage({ id: request.id ?? '' }) };
    },
    async MoveLesson(request, options) {
      record('MoveLesson', request, options);
      return {
        lesson: lessonMessage({
          id: request.lesson_id ?? '',
          date: request.date ?? '',
          lesson_number: request.lesson_number ?? 0,
          moved_from_date: '2026-09-07',
          moved_from_lesson_number: 1,
          change_reason: request.reason ?? '',
          version: nextVersion(request.expected_version),
        }),
      };
    },
    async CancelLesson(request, options) {
      record('CancelLesson', request, options);
      return {
        lesson: lessonMessage({
          id: request.lesson_id ?? '',
          status: 'cancelled',
          cancellation_reason: request.reason ?? '',
          version: nextVersion(request.expected_version),
        }),
      };
    },
    async KeepLesson(request, options) {
      record('KeepLesson', request, options);
      return {
        lesson: lessonMessage({
          id: request.lesson_id ?? '',
          origin: 'extra',
          has_journal_content: true,
          version: nextVersion(request.expected_version),
        }),
      };
    },
    async AddExtraLesson(request, options) {
      record('AddExtraLesson', request, options);
      return {
        lesson: lessonMessage({
          id: 'lesson-extra',
          class_id: request.class_id ?? '',
          date: request.date ?? '',
          lesson_number: request.lesson_number ?? 0,
          origin: 'extra',
          change_reason: request.reason ?? '',
        }),
      };
    },
    async AssignSubstitute(request, options) {
      record('AssignSubstitute', request, options);
      return {
        lesson: lessonMessage({
          id: request.lesson_id ?? '',
          substitute_teacher_id: request.substitute_teacher_id ?? '',
          substitution_reason: request.reason ?? '',
          version: nextVersion(request.expected_version),
        }),
      };
    },
    async RevokeSubstitute(request, options) {
      record('RevokeSubstitute', request, options);
      return {
        lesson: lessonMessage({
          id: request.lesson_id ?? '',
          substitution_reason: request.reason ?? '',
          version: nextVersion(request.expected_version),
        }),
      };
    },
    async ListSubstitutions(request, options) {
      record('ListSubstitutions', request, options);
      return {
        lessons: [lessonMessage({ school_id: request.school_id ?? '', substitute_teacher_id: 'staff-2' })],
      };
    },
    async GetCurriculumFulfilment(request, options) {
      record('GetCurriculumFulfilment', request, options);
      return {
        class_id: request.class_id ?? '',
        class_name: '5А',
        as_of: '2026-11-02',
        lines: [
          {
            period: 1,
            subject_id: 'subject-math',
            subject_key: 'mathematics',
            subject_name: 'Математика',
            subgroup_id: '',
            subgroup_name: '',
            planned: 40,
            scheduled: 39,
            held: 39,
            cancelled: 1,
          },
        ],
      };
    },
    async CreateSchoolEvent(request, options) {
      record('CreateSchoolEvent', request, options);
      return {
        event: schoolEventMessage({
          school_id: request.school_id ?? '',
          academic_year_id: request.academic_year_id ?? '',
          ...fromCard(request.card),
        }),
      };
    },
    async ChangeSchoolEvent(request, options) {
      record('ChangeSchoolEvent', request, options);
      return {
        event: schoolEventMessage({
          id: request.id ?? '',
          ...fromCard(request.card),
          version: nextVersion(request.expected_version),
        }),
      };
    },
    async CancelSchoolEvent(request, options) {
      record('CancelSchoolEvent', request, options);
      return {
        event: schoolEventMessage({
          id: request.id ?? '',
          status: 'cancelled',
          cancel_reason: request.reason ?? '',
          version: nextVersion(request.expected_version),
        }),
      };
    },
    async RecordSchoolEventResults(request, options) {
      record('RecordSchoolEventResults', request, options);
      return {
        event: schoolEventMessage({
          id: request.id ?? '',
          results_summary: request.results_summary ?? '',
          participant_results: (request.participant_results ?? []).map((r) => ({
            person_id: r.person_id ?? '',
            result: r.result ?? '',
          })),
          results_recorded_at: '2026-10-16T06:00:00.000Z',
          version: nextVersion(request.expected_version),
        }),
      };
    },
    async GetSchoolEvent(request, options) {
      record('GetSchoolEvent', request, options);
      return { event: schoolEventMessage({ id: request.id ?? '' }) };
    },
    async ListSchoolEvents(request, options) {
      record('ListSchoolEvents', request, options);
      return { events: [schoolEventMessage({ school_id: request.school_id ?? '' })] };
    },
    async ListCalendarWarnings(request, options) {
      record('ListCalendarWarnings', request, options);
      return {
        warnings: [
          {
            id: 'warning-1',
            school_id: request.school_id ?? '',
            academic_year_id: request.academic_year_id ?? '',
            code: 'calendar.transfer_late_notice',
            date: '2026-11-07',
            works_as: 1,
            announced_at: '2026-11-05T06:00:00.000Z',
            working_days_ahead: 1,
            message: 'Перенос на 07.11.2026 объявлен за 1 рабочий день, а нужно не меньше чем за 3',
          },
        ],
      };
    },
    async GetStudentTimetable(request, options) {
      record('GetStudentTimetable', request, options);
      return {
        student_id: request.student_id ?? '',
        class_id: 'class-1',
        class_name: '5А',
        ...classWeek(),
      };
    },
  };
}
