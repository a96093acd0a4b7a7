import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import { once, type IdempotencyStore } from '@edu/store';
import type { ScheduleServiceDefinition } from '@edu/proto/dist/generated/edu/schedule/v1/ScheduleService';
import { timetablePublicationId } from '../../domain/timetable';
import {
  describeClassTimetable,
  getClassTimetable,
  getTeacherTimetable,
  listTimetable,
  publishTimetable,
  setTimetableEntries,
  type TimetableDeps,
} from '../../domain/timetable.use-cases';
import { toEntryMessage, toMessage, toPublicationMessage } from '../../data-access/timetable.mapper';
import { toGenerationMessage } from '../../data-access/lesson.mapper';
import type { GenerateAfterPublication } from './lesson.grpc';

type TimetableHandlers = Pick<
  ServiceHandlers<ScheduleServiceDefinition>,
  'SetTimetableEntries' | 'PublishTimetable' | 'GetClassTimetable' | 'GetTeacherTimetable' | 'ListTimetable'
>;

/** The timetable methods of `edu.schedule.v1.ScheduleService`. */
export function timetableHandlers(
  repositories: Omit<TimetableDeps, 'authorize'>,
  idempotency: IdempotencyStore,
  /** The period's dated lessons, generated from what was published. */
  generateLessons?: GenerateAfterPublication,
): TimetableHandlers {
  const deps = (ctx: CallContext): TimetableDeps => ({ ...repositories, authorize: authorizeWith(ctx) });

  return {
    // The key keeps the week (ids only); names and times are read for each answer.
    SetTimetableEntries: async (request, ctx) => {
      const timetable = await once(idempotency, 'SetTimetableEntries', request, ctx, () =>
        setTimetableEntries(deps(ctx), requestContext(ctx), {
          schoolId: request.school_id,
          academicYearId: request.academic_year_id,
          classId: request.class_id,
          period: request.period,
          shift: request.shift,
          entries: request.entries.map((e) => ({
            weekday: e.weekday,
            lessonNumber: e.lesson_number,
            subgroupId: e.subgroup_id,
            subjectId: e.subject_id,
            teacherId: e.teacher_id,
            room: e.room,
            weekParity: e.week_parity,
          })),
          expectedVersion: Number(request.expected_version),
        }),
      );
      return { timetable: toMessage(await describeClassTimetable(repositories, timetable)) };
    },

    PublishTimetable: async (request, ctx) => {
      // The lessons' generation is part of the answer a repeated key gets back.
      const { publication, entries, lessons } = await once(
        idempotency,
        'PublishTimetable',
        request,
        ctx,
        async () => {
          const published = await publishTimetable(deps(ctx), requestContext(ctx), {
            schoolId: request.school_id,
            academicYearId: request.academic_year_id,
            period: request.period,
          });
          const generated = await generateLessons?.(published, requestContext(ctx));
          return { publication: published.publication, entries: published.entries, lessons: generated };
        },
      );
      return {
        publication: toPublicationMessage({ publication, changedSince: false }, publication.id),
        classes: publication.classes.length,
        entries,
        ...(lessons ? { lessons: toGenerationMessage(lessons) } : {}),
      };
    },

    GetClassTimetable: async (request, ctx) => {
      const { view, publication } = await getClassTimetable(deps(ctx), requestContext(ctx), {
        classId: request.class_id,
        period: request.period,
      });
      const { timetable } = view;
      return {
        timetable: toMessage(view),
        publication: toPublicationMessage(
          publication,
          timetablePublicationId(timetable.schoolId, timetable.academicYearId, timetable.period),
        ),
      };
    },

    GetTeacherTimetable: async (request, ctx) => {
      const { teacherName, entries } = await getTeacherTimetable(deps(ctx), requestContext(ctx), {
        schoolId: request.school_id,
        academicYearId: request.academic_year_id,
        teacherId: request.teacher_id,
        period: request.period,
      });
      return {
        teacher_id: request.teacher_id,
        teacher_name: teacherName,
        entries: entries.map(toEntryMessage),
      };
    },

    ListTimetable: async (request, ctx) => {
      const { views, publication } = await listTimetable(deps(ctx), requestContext(ctx), {
        schoolId: request.school_id,
        academicYearId: request.academic_year_id,
        period: request.period,
      });
      return {
        classes: views.map(toMessage),
        publication: toPublicationMessage(
          publication,
          timetablePublicationId(request.school_id, request.academic_year_id, request.period),
        ),
      };
    },
  };
}
