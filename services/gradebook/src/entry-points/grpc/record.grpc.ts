import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import type { GradebookServiceDefinition } from '@edu/proto/dist/generated/edu/gradebook/v1/GradebookService';
import { getPolicy, setPolicy } from '../../domain/grading-policy.use-cases';
import {
  correctMark,
  getLessonRecord,
  lessonStudents,
  saveLessonRecord,
  setAbsenceReason,
  type LessonRecordDeps,
} from '../../domain/lesson-record.use-cases';
import type { NamedStudent } from '../../domain/course-students';
import type { LessonRecord } from '../../domain/lesson-record';
import { toRecordState } from '../../data-access/lesson-record.mapper';
import { fromPolicyState, toPolicyState } from '../../data-access/policy.mapper';

type RecordHandlers = Pick<
  ServiceHandlers<GradebookServiceDefinition>,
  | 'GetGradingPolicy'
  | 'SetGradingPolicy'
  | 'GetLessonRecord'
  | 'SaveLessonRecord'
  | 'CorrectMark'
  | 'VoidMark'
  | 'SetAbsenceReason'
>;

/** The policy's and the lesson records' methods of `edu.gradebook.v1.GradebookService`. */
export function recordHandlers(repositories: Omit<LessonRecordDeps, 'authorize'>): RecordHandlers {
  const deps = (ctx: CallContext): LessonRecordDeps => ({ ...repositories, authorize: authorizeWith(ctx) });
  // Every change answers with the record and the lesson's students, as a read would (the writer
  // may read it: no second authorization or load of the lesson).
  const answer = async (change: Promise<LessonRecord>) => {
    const record = await change;
    const students = await lessonStudents(repositories.copies, record);
    return { record: toRecordState(record), students: students.map(studentMessage) };
  };
  return {
    GetGradingPolicy: async (request, ctx) => ({
      policy: toPolicyState(await getPolicy(deps(ctx), requestContext(ctx), request.school_id)),
    }),

    SetGradingPolicy: async (request, ctx) => ({
      policy: toPolicyState(
        await setPolicy(deps(ctx), requestContext(ctx), {
          policy: fromPolicyState(request.policy ?? {}),
          expectedVersion: Number(request.expected_version),
        }),
      ),
    }),

    GetLessonRecord: async (request, ctx) => {
      const { record, students } = await getLessonRecord(deps(ctx), requestContext(ctx), request.lesson_id);
      return { record: toRecordState(record), students: students.map(studentMessage) };
    },

    // Saves are checked by version: a repeated request is refused, never applied twice.
    SaveLessonRecord: (request, ctx) =>
      answer(
        saveLessonRecord(deps(ctx), requestContext(ctx), {
          lessonId: request.lesson_id,
          expectedVersion: Number(request.expected_version),
          topic: request.topic && { text: request.topic.text, planItemId: request.topic.plan_item_id },
          homework: request.homework && {
            text: request.homework.text,
            dueDate: request.homework.due_date,
            attachments: request.homework.attachments,
          },
          individualHomework:
            request.individual_homework &&
            request.individual_homework.items.map((h) => ({
              studentId: h.student_id,
              text: h.text,
              dueDate: h.due_date,
              attachments: h.attachments,
            })),
          marks: request.marks.map((m) => ({
            studentId: m.student_id,
            value: m.value,
            workType: m.work_type,
            comment: m.comment,
          })),
          attendance:
            request.attendance &&
            request.attendance.items.map((a) => ({
              studentId: a.student_id,
              kind: a.kind,
              lateMinutes: a.late_minutes,
            })),
        }),
      ),

    CorrectMark: (request, ctx) =>
      answer(
        correctMark(
          deps(ctx),
          requestContext(ctx),
          {
            lessonId: request.lesson_id,
            expectedVersion: Number(request.expected_version),
            markId: request.mark_id,
            value: request.value,
            workType: request.work_type,
            comment: request.comment,
            reason: request.reason,
            orderRef: request.order_ref,
          },
          'corrected',
        ),
      ),

    VoidMark: (request, ctx) =>
      answer(
        correctMark(
          deps(ctx),
          requestContext(ctx),
          {
            lessonId: request.lesson_id,
            expectedVersion: Number(request.expected_version),
            markId: request.mark_id,
            reason: request.reason,
            orderRef: request.order_ref,
          },
          'voided',
        ),
      ),

    SetAbsenceReason: async (request, ctx) => ({
      records: (
        await setAbsenceReason(deps(ctx), requestContext(ctx), {
          studentId: request.student_id,
          classId: request.class_id,
          from: request.from,
          to: request.to,
          reason: request.reason,
          note: request.note,
        })
      ).map(toRecordState),
    }),
  };
}

export function studentMessage(student: NamedStudent & { from?: string; until?: string }) {
  return {
    student_id: student.studentId,
    display_name: student.displayName,
    from: student.from ?? '',
    until: student.until ?? '',
  };
}
