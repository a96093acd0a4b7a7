import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import type { GradebookServiceDefinition } from '@edu/proto/dist/generated/edu/gradebook/v1/GradebookService';
import {
  getJournalKeeping,
  getJournalPage,
  getStudentMarks,
  getTeacherDay,
  type JournalQueryDeps,
} from '../../domain/journal-queries.use-cases';
import { toMarkState, toRecordState } from '../../data-access/lesson-record.mapper';
import { toPeriodMarkState } from '../../data-access/period-mark.mapper';

type QueryHandlers = Pick<
  ServiceHandlers<GradebookServiceDefinition>,
  'GetJournalPage' | 'GetStudentMarks' | 'GetTeacherDay' | 'GetJournalKeeping'
>;

/** The journal's read views of `edu.gradebook.v1.GradebookService`: page, student, teacher's day, keeping. */
export function queryHandlers(repositories: Omit<JournalQueryDeps, 'authorize'>): QueryHandlers {
  const deps = (ctx: CallContext): JournalQueryDeps => ({ ...repositories, authorize: authorizeWith(ctx) });
  return {
    GetJournalPage: async (request, ctx) => {
      const page = await getJournalPage(deps(ctx), requestContext(ctx), {
        classId: request.course?.class_id ?? '',
        subgroupId: request.course?.subgroup_id ?? '',
        subjectId: request.course?.subject_id ?? '',
        period: request.period,
      });
      return {
        course_id: page.course.id,
        class_name: page.course.className,
        subgroup_name: page.course.subgroupName,
        subject_name: page.course.subjectName,
        period: page.period.number,
        period_starts_on: page.period.startsOn,
        period_ends_on: page.period.endsOn,
        scale: page.scale,
        students: page.students.map((s) => ({
          student_id: s.studentId,
          display_name: s.displayName,
          from: s.from,
          until: s.until,
        })),
        lessons: page.lessons.map(toRecordState),
        averages: page.averages.map((a) => ({
          student_id: a.studentId,
          arithmetic_average: a.arithmeticAverage,
          weighted_average: a.weightedAverage,
          marks_count: a.marksCount,
          absences: a.absences,
          latenesses: a.latenesses,
        })),
        period_marks: page.periodMarks.map(toPeriodMarkState),
        work_types: page.workTypes.map((w) => ({
          key: w.key,
          name: w.name,
          weight: w.weight,
          active: w.active,
        })),
      };
    },

    GetStudentMarks: async (request, ctx) => {
      const result = await getStudentMarks(deps(ctx), requestContext(ctx), {
        studentId: request.student_id,
        classId: request.class_id,
        period: request.period,
      });
      return {
        student_id: result.studentId,
        display_name: result.displayName,
        period: result.period,
        subjects: result.subjects.map((s) => ({
          subject_id: s.course.subjectId,
          subject_name: s.course.subjectName,
          course_id: s.course.id,
          marks: s.marks.map((m) => ({ lesson_id: m.lessonId, date: m.date, mark: toMarkState(m.mark) })),
          arithmetic_average: s.arithmeticAverage,
          weighted_average: s.weightedAverage,
          period_mark: s.periodMark ? toPeriodMarkState(s.periodMark) : null,
        })),
      };
    },

    GetTeacherDay: async (request, ctx) => {
      const day = await getTeacherDay(deps(ctx), requestContext(ctx), {
        teacherId: request.teacher_id,
        date: request.date,
      });
      return {
        teacher_id: day.teacherId,
        date: day.date,
        lessons: day.lessons.map((l) => ({
          record: toRecordState(l.record),
          class_name: l.course.className,
          subgroup_name: l.course.subgroupName,
          subject_name: l.course.subjectName,
          substitution: l.substitution,
          missing: l.missing,
          students: l.students,
          editable: l.editable,
          editable_until: l.editableUntil.toISOString(),
        })),
      };
    },

    GetJournalKeeping: async (request, ctx) => {
      const rows = await getJournalKeeping(deps(ctx), requestContext(ctx), {
        schoolId: request.school_id,
        from: request.from,
        to: request.to,
        teacherId: request.teacher_id,
        classId: request.class_id,
      });
      return {
        rows: rows.map((r) => ({
          teacher_id: r.teacherId,
          teacher_name: r.teacherName,
          course_id: r.courseId,
          class_id: r.course.classId,
          class_name: r.course.className,
          subgroup_id: r.course.subgroupId,
          subject_id: r.course.subjectId,
          subject_name: r.course.subjectName,
          week: r.week,
          lessons_held: r.lessonsHeld,
          topics_entered: r.topicsEntered,
          homework_entered: r.homeworkEntered,
          attendance_taken: r.attendanceTaken,
          entered_on_time: r.enteredOnTime,
          entered_late: r.enteredLate,
          marks: r.marks,
          marks_density: r.marksDensity,
        })),
      };
    },
  };
}
