import type { CallOptions } from '@edu/grpc';
import { currentContext } from '@edu/kit';
import type { DiaryMark__Output } from '@edu/proto/dist/generated/edu/diary/v1/DiaryMark';
import type { DiaryPeriodMark__Output } from '@edu/proto/dist/generated/edu/diary/v1/DiaryPeriodMark';
import type { PeriodRef__Output } from '@edu/proto/dist/generated/edu/diary/v1/PeriodRef';
import type { RebuildStatus__Output } from '@edu/proto/dist/generated/edu/diary/v1/RebuildStatus';
import type { StudentCard__Output } from '@edu/proto/dist/generated/edu/diary/v1/StudentCard';
import type { Week__Output } from '@edu/proto/dist/generated/edu/diary/v1/Week';
import type { DiaryPort, UpstreamCallOptions } from '../src/domain/ports';

// A fake diary port for the gateway's unit tests: messages as the diary sends them (proto names,
// int64 counters as text, absent messages as null), shaped by the request where it matters.

/** One call the fake diary received. */
export interface DiaryCall {
  method: string;
  request: unknown;
  options: UpstreamCallOptions;
  contextTraceId: string | undefined;
}

/** The diary's card of student-1, Иванов Иван of 5А. */
export function studentCardMessage(overrides: Partial<StudentCard__Output> = {}): StudentCard__Output {
  return {
    student_id: 'student-1',
    display_name: 'Иванов Иван Иванович',
    school_id: 'school-1',
    school_name: 'МБОУ СОШ № 1',
    class_id: 'class-1',
    class_name: '5А',
    academic_year_id: 'year-1',
    time_zone: 'Asia/Yekaterinburg',
    ...overrides,
  };
}

/** A «5» for a test in «Математика», corrected from «4». */
export function diaryMarkMessage(overrides: Partial<DiaryMark__Output> = {}): DiaryMark__Output {
  return {
    mark_id: 'mark-1',
    value: '5',
    work_type: 'test',
    work_type_name: 'Контрольная работа',
    weight: 2,
    comment: '',
    status: 'active',
    corrected: true,
    previous_values: ['4'],
    correction_reason: '',
    lesson_id: 'lesson-1',
    date: '2026-11-23',
    subject_id: 'subject-math',
    subject_name: 'Математика',
    lesson_topic: 'Сложение дробей',
    posted_at: '2026-11-23T04:00:00.000Z',
    ...overrides,
  };
}

function periodRefMessage(number: number): PeriodRef__Output {
  return {
    number: number || 2,
    starts_on: '2026-11-05',
    ends_on: '2026-12-28',
    name: `${number || 2} четверть`,
  };
}

function periodMarkMessage(overrides: Partial<DiaryPeriodMark__Output> = {}): DiaryPeriodMark__Output {
  return {
    subject_id: 'subject-math',
    subject_name: 'Математика',
    kind: 'period',
    period: 1,
    value: '5',
    corrected: false,
    previous_values: [],
    set_at: '2026-10-30T05:00:00.000Z',
    ...overrides,
  };
}

/** The week of 2026-11-23 of student-1: Monday with one lesson and an event, the rest empty. */
export function weekMessage(studentId = 'student-1'): Week__Output {
  const names = ['Понедельник', 'Вторник', 'Среда', 'Четверг', 'Пятница', 'Суббота', 'Воскресенье'];
  return {
    student: studentCardMessage({ student_id: studentId }),
    starts_on: '2026-11-23',
    ends_on: '2026-11-29',
    days: names.map((name, i) => ({
      date: `2026-11-${23 + i}`,
      weekday: i + 1,
      weekday_name: name,
      lessons:
        i === 0
          ? [
              {
                lesson_id: 'lesson-1',
                lesson_number: 1,
                starts_at: '08:00',
                ends_at: '08:40',
                subject_id: 'subject-math',
                subject_name: 'Математика',
                subgroup_name: '',
                teacher_id: 'staff-1',
                teacher_name: 'Петрова О. И.',
                substitute_teacher_id: '',
                substitute_teacher_name: '',
                room: '12',
                status: 'scheduled',
                notes: [],
                topic: 'Сложение дробей',
                homework: [
                  {
                    text: '№ 245, 246',
                    due_date: '2026-11-25',
                    attachments: [],
                    individual: false,
                    subject_id: 'subject-math',
                    subject_name: 'Математика',
                    lesson_id: 'lesson-1',
                    lesson_date: '2026-11-23',
                  },
                ],
                marks: [diaryMarkMessage()],
                attendance: { kind: 'late', late_minutes: 5, reason: '', reason_name: 'причина не указана' },
              },
            ]
          : [],
      events:
        i === 0
          ? [
              {
                event_id: 'event-1',
                kind_name: 'Родительское собрание',
                title: 'Собрание 5А',
                description: '',
                starts_on: '2026-11-23',
                ends_on: '2026-11-23',
                starts_at: '18:00',
                ends_at: '19:00',
                place: 'каб. 12',
                scope: 'class',
                status: 'scheduled',
              },
            ]
          : [],
    })),
  };
}

/** The bytes the fake answers for a week's extract: a tiny (not renderable) PDF. */
export const FAKE_PDF = Buffer.from(
  '%PDF-1.3\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n',
  'latin1',
);

function rebuildStatusMessage(overrides: Partial<RebuildStatus__Output> = {}): RebuildStatus__Output {
  return {
    state: 'idle',
    active_generation: 1,
    building_generation: 0,
    started_at: '',
    swapped_at: '2026-11-01T00:00:00.000Z',
    events_applied: '0',
    lag: '0',
    error: '',
    ...overrides,
  };
}

/** A fake diary port, like `fakeGradebook`: records every call, answers, or fails with `failWith`. */
export function fakeDiary() {
  const calls: DiaryCall[] = [];
  let failure: unknown;
  let extractFileName = 'dnevnik-2026-11-23.pdf';
  const record = (method: string, request: unknown, options?: CallOptions) => {
    calls.push({
      method,
      request,
      options: options as UpstreamCallOptions,
      contextTraceId: currentContext()?.traceId,
    });
    if (failure !== undefined) throw failure;
  };

  const port: DiaryPort = {
    async GetWeek(request, options) {
      record('GetWeek', request, options);
      return weekMessage(request.student_id ?? '');
    },
    async GetWeekExtract(request, options) {
      record('GetWeekExtract', request, options);
      return { content_type: 'application/pdf', file_name: extractFileName, content: FAKE_PDF };
    },
    async GetSubject(request, options) {
      record('GetSubject', request, options);
      return {
        student: studentCardMessage({ student_id: request.student_id ?? '' }),
        period: periodRefMessage(request.period ?? 0),
        subject_id: request.subject_id ?? '',
        subject_name: 'Математика',
        marks: [diaryMarkMessage(), diaryMarkMessage({ mark_id: 'mark-2', value: '', status: 'voided' })],
        arithmetic_average: 5,
        weighted_average: 5,
        marks_count: 1,
        period_mark: null,
        forecast: {
          expected: '5',
          weighted_average: 5,
          advice: [],
        },
      };
    },
    async GetForecast(request, options) {
      record('GetForecast', request, options);
      return {
        student: studentCardMessage({ student_id: request.student_id ?? '' }),
        period: periodRefMessage(request.period ?? 0),
        subjects: [
          {
            subject_id: 'subject-math',
            subject_name: 'Математика',
            marks_count: 3,
            forecast: {
              expected: '4',
              weighted_average: 4.4,
              advice: ['чтобы выйти на 5, нужна ещё одна пятёрка за контрольную работу'],
            },
            period_mark: null,
          },
        ],
      };
    },
    async GetSummary(request, options) {
      record('GetSummary', request, options);
      return {
        student: studentCardMessage({ student_id: request.student_id ?? '' }),
        period: periodRefMessage(request.period ?? 0),
        subjects: [
          {
            subject_id: 'subject-math',
            subject_name: 'Математика',
            marks_count: 3,
            arithmetic_average: 4.33,
            weighted_average: 4.4,
            period_mark: periodMarkMessage(),
            absences: 1,
            latenesses: 2,
          },
        ],
        attendance: { absences: 1, excused: 1, unexcused: 0, latenesses: 2 },
        final_marks: [],
      };
    },
    async GetHome(request, options) {
      record('GetHome', request, options);
      return {
        children: [
          {
            student: studentCardMessage(),
            today: '2026-11-24',
            tomorrow: '2026-11-25',
            homework_today: [],
            homework_tomorrow: weekMessage().days[0]!.lessons[0]!.homework,
            newest_marks: [diaryMarkMessage()],
          },
        ],
      };
    },
    async GetSettings(request, options) {
      record('GetSettings', request, options);
      return {
        school_id: request.school_id ?? '',
        show_correction_reasons: false,
        updated_by: '',
        updated_at: '',
      };
    },
    async SetSettings(request, options) {
      record('SetSettings', request, options);
      return {
        school_id: request.school_id ?? '',
        show_correction_reasons: request.show_correction_reasons ?? false,
        updated_by: 'staff-director',
        updated_at: '2026-11-23T06:00:00.000Z',
      };
    },
    async RebuildReadModel(request, options) {
      record('RebuildReadModel', request, options);
      return rebuildStatusMessage({
        state: 'replaying',
        building_generation: 2,
        started_at: '2026-11-23T06:00:00.000Z',
      });
    },
    async GetRebuildStatus(request, options) {
      record('GetRebuildStatus', request, options);
      return rebuildStatusMessage({
        state: 'replaying',
        building_generation: 2,
        started_at: '2026-11-23T06:00:00.000Z',
        events_applied: '12345',
        lag: '678',
      });
    },
  };
  return {
    port,
    calls,
    failWith(error: unknown) {
      failure = error;
    },
    /** The file name the diary gives the next extracts. */
    nameExtract(fileName: string) {
      extractFileName = fileName;
    },
    reset() {
      calls.length = 0;
      failure = undefined;
      extractFileName = 'dnevnik-2026-11-23.pdf';
    },
  };
}
