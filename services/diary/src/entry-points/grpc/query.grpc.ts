import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import { localDate } from '@edu/kit';
import type { DiaryMark__Output } from '@edu/proto/dist/generated/edu/diary/v1/DiaryMark';
import type { DiaryHomework__Output } from '@edu/proto/dist/generated/edu/diary/v1/DiaryHomework';
import type { DiaryPeriodMark__Output } from '@edu/proto/dist/generated/edu/diary/v1/DiaryPeriodMark';
import type { DiaryServiceDefinition } from '@edu/proto/dist/generated/edu/diary/v1/DiaryService';
import type { Forecast__Output } from '@edu/proto/dist/generated/edu/diary/v1/Forecast';
import type { PeriodRef__Output } from '@edu/proto/dist/generated/edu/diary/v1/PeriodRef';
import type { Settings__Output } from '@edu/proto/dist/generated/edu/diary/v1/Settings';
import type { StudentCard__Output } from '@edu/proto/dist/generated/edu/diary/v1/StudentCard';
import type { Week__Output } from '@edu/proto/dist/generated/edu/diary/v1/Week';
import { renderWeekPdf } from '../../adapters/week-pdf';
import type { StudyPeriod, PeriodMarkView } from '../../domain/diary-periods';
import type { HomeworkView, LessonView, MarkView, StudentCardView } from '../../domain/diary-queries';
import { extractFileName, type WeekView } from '../../domain/diary-week';
import {
  getForecast,
  getHome,
  getSubject,
  getSummary,
  getWeek,
  type DiaryQueryDeps,
} from '../../domain/diary-queries.use-cases';
import type { ForecastResult } from '../../domain/forecast';
import type { DiarySettings } from '../../domain/model';
import type { ModelReader, SettingsRepository } from '../../domain/ports';
import { getSettings, setSettings } from '../../domain/settings.use-cases';

type QueryHandlers = Pick<
  ServiceHandlers<DiaryServiceDefinition>,
  | 'GetWeek'
  | 'GetSubject'
  | 'GetForecast'
  | 'GetSummary'
  | 'GetHome'
  | 'GetWeekExtract'
  | 'GetSettings'
  | 'SetSettings'
>;

/** What guardians and students read, and the school's diary settings: translate, call, translate back. */
export function queryHandlers(repositories: {
  model: ModelReader;
  settings: SettingsRepository;
  now: () => Date;
}): QueryHandlers {
  const deps = (ctx: CallContext): DiaryQueryDeps & { settings: SettingsRepository } => ({
    ...repositories,
    authorize: authorizeWith(ctx),
  });
  return {
    GetWeek: async (request, ctx) =>
      toWeek(
        await getWeek(deps(ctx), requestContext(ctx), { studentId: request.student_id, date: request.date }),
      ),

    GetWeekExtract: async (request, ctx) => {
      const week = await getWeek(
        deps(ctx),
        requestContext(ctx),
        { studentId: request.student_id, date: request.date },
        'diary.extract',
      );
      return {
        content_type: 'application/pdf',
        file_name: extractFileName(week.student.displayName, week.startsOn),
        // Printed today, in the school's zone (the footer's date and the PDF's creation date).
        content: await renderWeekPdf(toWeek(week), {
          generatedOn: localDate(repositories.now(), week.student.timeZone || 'Europe/Moscow'),
        }),
      };
    },

    GetSubject: async (request, ctx) => {
      const view = await getSubject(deps(ctx), requestContext(ctx), {
        studentId: request.student_id,
        subjectId: request.subject_id,
        period: request.period,
      });
      return {
        student: toCard(view.student),
        period: toPeriod(view.period),
        subject_id: view.subjectId,
        subject_name: view.subjectName,
        marks: view.marks.map(toMark),
        arithmetic_average: view.arithmeticAverage,
        weighted_average: view.weightedAverage,
        marks_count: view.marksCount,
        period_mark: view.periodMark ? toPeriodMark(view.periodMark) : null,
        forecast: toForecast(view.forecast),
      };
    },

    GetForecast: async (request, ctx) => {
      const view = await getForecast(deps(ctx), requestContext(ctx), {
        studentId: request.student_id,
        period: request.period,
      });
      return {
        student: toCard(view.student),
        period: toPeriod(view.period),
        subjects: view.subjects.map((s) => ({
          subject_id: s.subjectId,
          subject_name: s.subjectName,
          marks_count: s.marksCount,
          forecast: toForecast(s.forecast),
          period_mark: s.periodMark ? toPeriodMark(s.periodMark) : null,
        })),
      };
    },

    GetSummary: async (request, ctx) => {
      const view = await getSummary(deps(ctx), requestContext(ctx), {
        studentId: request.student_id,
        period: request.period,
      });
      return {
        student: toCard(view.student),
        period: toPeriod(view.period),
        subjects: view.subjects.map((s) => ({
          subject_id: s.subjectId,
          subject_name: s.subjectName,
          marks_count: s.marksCount,
          arithmetic_average: s.arithmeticAverage,
          weighted_average: s.weightedAverage,
          period_mark: s.periodMark ? toPeriodMark(s.periodMark) : null,
          absences: s.absences,
          latenesses: s.latenesses,
        })),
        attendance: { ...view.attendance },
        final_marks: view.finalMarks.map(toPeriodMark),
      };
    },

    GetHome: async (_request, ctx) => {
      const children = await getHome(deps(ctx), requestContext(ctx));
      return {
        children: children.map((c) => ({
          student: toCard(c.student),
          today: c.today,
          tomorrow: c.tomorrow,
          homework_today: c.homeworkToday.map(toHomework),
          homework_tomorrow: c.homeworkTomorrow.map(toHomework),
          newest_marks: c.newestMarks.map(toMark),
        })),
      };
    },

    GetSettings: async (request, ctx) =>
      toSettings(await getSettings(deps(ctx), requestContext(ctx), { schoolId: request.school_id })),

    SetSettings: async (request, ctx) =>
      toSettings(
        await setSettings(deps(ctx), requestContext(ctx), {
          schoolId: request.school_id,
          showCorrectionReasons: request.show_correction_reasons,
        }),
      ),
  };
}

// --- Domain views → messages ----------------------------------------------------------------------

export function toWeek(week: WeekView): Week__Output {
  return {
    student: toCard(week.student),
    starts_on: week.startsOn,
    ends_on: week.endsOn,
    days: week.days.map((d) => ({
      date: d.date,
      weekday: d.weekday,
      weekday_name: d.weekdayName,
      lessons: d.lessons.map(toLesson),
      events: d.events.map((e) => ({
        event_id: e.eventId,
        kind_name: e.kindName,
        title: e.title,
        description: e.description,
        starts_on: e.startsOn,
        ends_on: e.endsOn,
        starts_at: e.startsAt,
        ends_at: e.endsAt,
        place: e.place,
        scope: e.scope,
        status: e.status,
      })),
    })),
  };
}

function toLesson(l: LessonView): Week__Output['days'][number]['lessons'][number] {
  return {
    lesson_id: l.lessonId,
    lesson_number: l.lessonNumber,
    starts_at: l.startsAt,
    ends_at: l.endsAt,
    subject_id: l.subjectId,
    subject_name: l.subjectName,
    subgroup_name: l.subgroupName,
    teacher_id: l.teacherId,
    teacher_name: l.teacherName,
    substitute_teacher_id: l.substituteTeacherId,
    substitute_teacher_name: l.substituteTeacherName,
    room: l.room,
    status: l.status,
    notes: [...l.notes],
    topic: l.topic,
    homework: l.homework.map(toHomework),
    marks: l.marks.map(toMark),
    attendance: l.attendance
      ? {
          kind: l.attendance.kind,
          late_minutes: l.attendance.lateMinutes,
          reason: l.attendance.reason,
          reason_name: l.attendance.reasonName,
        }
      : null,
  };
}

function toCard(card: StudentCardView): StudentCard__Output {
  return {
    student_id: card.studentId,
    display_name: card.displayName,
    school_id: card.schoolId,
    school_name: card.schoolName,
    class_id: card.classId,
    class_name: card.className,
    academic_year_id: card.academicYearId,
    time_zone: card.timeZone,
  };
}

function toMark(m: MarkView): DiaryMark__Output {
  return {
    mark_id: m.markId,
    value: m.value,
    work_type: m.workType,
    work_type_name: m.workTypeName,
    weight: m.weight,
    comment: m.comment,
    status: m.status,
    corrected: m.corrected,
    previous_values: [...m.previousValues],
    correction_reason: m.correctionReason,
    lesson_id: m.lessonId,
    date: m.date,
    subject_id: m.subjectId,
    subject_name: m.subjectName,
    lesson_topic: m.lessonTopic,
    posted_at: m.postedAt,
  };
}

function toHomework(h: HomeworkView): DiaryHomework__Output {
  return {
    text: h.text,
    due_date: h.dueDate,
    attachments: [...h.attachments],
    individual: h.individual,
    subject_id: h.subjectId,
    subject_name: h.subjectName,
    lesson_id: h.lessonId,
    lesson_date: h.lessonDate,
  };
}

function toPeriod(p: StudyPeriod): PeriodRef__Output {
  return { number: p.number, starts_on: p.startsOn, ends_on: p.endsOn, name: p.name };
}

function toPeriodMark(m: PeriodMarkView): DiaryPeriodMark__Output {
  return {
    subject_id: m.subjectId,
    subject_name: m.subjectName,
    kind: m.kind,
    period: m.period,
    value: m.value,
    corrected: m.corrected,
    previous_values: [...m.previousValues],
    set_at: m.setAt,
  };
}

function toForecast(f: ForecastResult): Forecast__Output {
  return { expected: f.expected, weighted_average: f.weightedAverage, advice: [...f.advice] };
}

function toSettings(s: DiarySettings): Settings__Output {
  return {
    school_id: s.schoolId,
    show_correction_reasons: s.showCorrectionReasons,
    updated_by: s.updatedBy,
    updated_at: s.updatedAt,
  };
}
