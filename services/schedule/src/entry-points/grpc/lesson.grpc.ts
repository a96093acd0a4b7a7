import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import { once, type IdempotencyStore } from '@edu/store';
import type { ScheduleServiceDefinition } from '@edu/proto/dist/generated/edu/schedule/v1/ScheduleService';
import type { RequestContext } from '../../domain/ports';
import { compareLessons } from '../../domain/lesson';
import type { PublishedClassTimetable, TimetablePublication } from '../../domain/timetable';
import {
  generatePeriodLessons,
  getLesson,
  listLessons,
  rememberPublishedWeeks,
  type LessonDeps,
  type LessonGenerationResult,
} from '../../domain/lesson.use-cases';
import {
  addExtraLesson,
  assignSubstitute,
  cancelLesson,
  keepLesson,
  listSubstitutions,
  moveLesson,
  revokeSubstitute,
  type LessonChangeDeps,
} from '../../domain/lesson-change.use-cases';
import { curriculumFulfilment, type FulfilmentDeps } from '../../domain/fulfilment.use-cases';
import { toMessage } from '../../data-access/lesson.mapper';

type LessonHandlers = Pick<
  ServiceHandlers<ScheduleServiceDefinition>,
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
>;

/** The dated lessons' methods of `edu.schedule.v1.ScheduleService`: reads, changes, substitutions, fulfilment. */
export function lessonHandlers(
  repositories: Omit<LessonDeps & LessonChangeDeps & FulfilmentDeps, 'authorize'>,
  idempotency: IdempotencyStore,
): LessonHandlers {
  const deps = (ctx: CallContext) => ({ ...repositories, authorize: authorizeWith(ctx) });
  const changed = async (change: Promise<Parameters<typeof toMessage>[0]>) => ({
    lesson: toMessage(await change),
  });
  return {
    ListLessons: async (request, ctx) => ({
      lessons: (
        await listLessons(deps(ctx), requestContext(ctx), {
          schoolId: request.school_id,
          classId: request.class_id,
          teacherId: request.teacher_id,
          from: request.from,
          to: request.to,
          status: request.status,
          needsDecision: request.needs_decision,
        })
      ).map(toMessage),
    }),

    GetLesson: async (request, ctx) => ({
      lesson: toMessage(await getLesson(deps(ctx), requestContext(ctx), request.id)),
    }),

    // Changes of one lesson are checked by version: a repeat is refused, never applied twice.
    MoveLesson: (request, ctx) =>
      changed(
        moveLesson(deps(ctx), requestContext(ctx), {
          lessonId: request.lesson_id,
          expectedVersion: Number(request.expected_version),
          date: request.date,
          lessonNumber: request.lesson_number,
          room: request.room,
          reason: request.reason,
        }),
      ),

    CancelLesson: (request, ctx) =>
      changed(
        cancelLesson(deps(ctx), requestContext(ctx), {
          lessonId: request.lesson_id,
          expectedVersion: Number(request.expected_version),
          reason: request.reason,
          evenWithJournalContent: request.even_with_journal_content,
        }),
      ),

    KeepLesson: (request, ctx) =>
      changed(
        keepLesson(deps(ctx), requestContext(ctx), {
          lessonId: request.lesson_id,
          expectedVersion: Number(request.expected_version),
        }),
      ),

    // A new lesson: the key keeps its id, the answer is the lesson as it is now.
    AddExtraLesson: async (request, ctx) => {
      const id = await once(idempotency, 'AddExtraLesson', request, ctx, async () => {
        const lesson = await addExtraLesson(deps(ctx), requestContext(ctx), {
          classId: request.class_id,
          subgroupId: request.subgroup_id,
          subjectId: request.subject_id,
          teacherId: request.teacher_id,
          date: request.date,
          lessonNumber: request.lesson_number,
          room: request.room,
          reason: request.reason,
        });
        return lesson.id;
      });
      return { lesson: toMessage(await getLesson(deps(ctx), requestContext(ctx), id)) };
    },

    AssignSubstitute: (request, ctx) =>
      changed(
        assignSubstitute(deps(ctx), requestContext(ctx), {
          lessonId: request.lesson_id,
          expectedVersion: Number(request.expected_version),
          substituteTeacherId: request.substitute_teacher_id,
          reason: request.reason,
        }),
      ),

    RevokeSubstitute: (request, ctx) =>
      changed(
        revokeSubstitute(deps(ctx), requestContext(ctx), {
          lessonId: request.lesson_id,
          expectedVersion: Number(request.expected_version),
          reason: request.reason,
        }),
      ),

    ListSubstitutions: async (request, ctx) => ({
      lessons: (
        await listSubstitutions(deps(ctx), requestContext(ctx), {
          schoolId: request.school_id,
          from: request.from,
          to: request.to,
        })
      )
        .sort(compareLessons)
        .map(toMessage),
    }),

    GetCurriculumFulfilment: async (request, ctx) => {
      const result = await curriculumFulfilment(deps(ctx), requestContext(ctx), {
        classId: request.class_id,
        period: request.period,
      });
      return {
        class_id: result.classId,
        class_name: result.className,
        as_of: result.asOf,
        lines: result.rows.map((row) => ({
          period: row.period,
          subject_id: row.subjectId,
          subject_key: row.subjectKey,
          subject_name: row.subjectName,
          subgroup_id: row.subgroupId,
          subgroup_name: row.subgroupName,
          planned: row.planned,
          scheduled: row.scheduled,
          held: row.held,
          cancelled: row.cancelled,
        })),
      };
    },
  };
}

/** What PublishTimetable does after the publication: the period's lessons from the published weeks. */
export type GenerateAfterPublication = (
  published: { publication: TimetablePublication; classes: PublishedClassTimetable[] },
  ctx: RequestContext,
) => Promise<LessonGenerationResult>;

export function lessonsAfterPublication(
  repositories: Pick<LessonDeps, 'lessons' | 'subjects' | 'roster' | 'now'>,
): GenerateAfterPublication {
  return async ({ publication, classes }, ctx) => {
    await rememberPublishedWeeks(repositories, publication, classes);
    return generatePeriodLessons(repositories, ctx, {
      schoolId: publication.schoolId,
      academicYearId: publication.academicYearId,
      period: publication.period,
      reason: 'timetable_changed',
    });
  };
}
