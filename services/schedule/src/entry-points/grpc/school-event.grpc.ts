import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import { notFound } from '@edu/kit';
import { once, type IdempotencyStore } from '@edu/store';
import type { ScheduleServiceDefinition } from '@edu/proto/dist/generated/edu/schedule/v1/ScheduleService';
import type { SchoolEventCard as CardMessage } from '@edu/proto/dist/generated/edu/schedule/v1/SchoolEventCard';
import { listCalendarWarnings } from '../../domain/calendar-warning';
import type { CalendarWarningRepository } from '../../domain/ports';
import {
  cancelSchoolEvent,
  changeSchoolEvent,
  createSchoolEvent,
  describeSchoolEvents,
  getSchoolEvent,
  listSchoolEvents,
  recordSchoolEventResults,
  type SchoolEventCardInput,
  type SchoolEventDeps,
} from '../../domain/school-event.use-cases';
import { timetablePublicationId } from '../../domain/timetable';
import { getStudentTimetable, type StudentTimetableDeps } from '../../domain/student-relations.use-cases';
import { toMessage } from '../../data-access/school-event.mapper';
import { toMessage as timetableMessage, toPublicationMessage } from '../../data-access/timetable.mapper';

type SchoolEventHandlers = Pick<
  ServiceHandlers<ScheduleServiceDefinition>,
  | 'CreateSchoolEvent'
  | 'ChangeSchoolEvent'
  | 'CancelSchoolEvent'
  | 'RecordSchoolEventResults'
  | 'GetSchoolEvent'
  | 'ListSchoolEvents'
  | 'ListCalendarWarnings'
  | 'GetStudentTimetable'
>;

function cardOf(card: CardMessage | null | undefined): SchoolEventCardInput {
  return {
    kind: card?.kind ?? '',
    title: card?.title ?? '',
    description: card?.description ?? '',
    startsOn: card?.starts_on ?? '',
    endsOn: card?.ends_on ?? '',
    startsAt: card?.starts_at ?? '',
    endsAt: card?.ends_at ?? '',
    place: card?.place ?? '',
    scope: card?.scope ?? '',
    classIds: [...(card?.class_ids ?? [])],
    participantIds: [...(card?.participant_ids ?? [])],
    responsibleId: card?.responsible_id ?? '',
  };
}

/**
 * The events calendar, calendar warnings and a student's timetable of
 * `edu.schedule.v1.ScheduleService`.
 */
export function schoolEventHandlers(
  repositories: Omit<SchoolEventDeps, 'authorize'> &
    Omit<StudentTimetableDeps, 'authorize'> & { warnings: CalendarWarningRepository },
  idempotency: IdempotencyStore,
): SchoolEventHandlers {
  const deps = (ctx: CallContext) => ({ ...repositories, authorize: authorizeWith(ctx) });
  /**
   * The key keeps the event's id only (results about children are personal data); the answer is
   * the event as stored now, with names read now.
   */
  const answer = async (id: string) => {
    const event = await repositories.events.get(id);
    if (!event) throw notFound('event.not_found', 'Мероприятие не найдено');
    const [view] = await describeSchoolEvents(repositories, [event]);
    return { event: toMessage(view!) };
  };

  return {
    CreateSchoolEvent: async (request, ctx) =>
      answer(
        await once(idempotency, 'CreateSchoolEvent', request, ctx, async () => {
          const event = await createSchoolEvent(deps(ctx), requestContext(ctx), {
            schoolId: request.school_id,
            academicYearId: request.academic_year_id,
            card: cardOf(request.card),
          });
          return event.id;
        }),
      ),

    ChangeSchoolEvent: async (request, ctx) =>
      answer(
        await once(idempotency, 'ChangeSchoolEvent', request, ctx, async () => {
          const event = await changeSchoolEvent(deps(ctx), requestContext(ctx), {
            id: request.id,
            card: cardOf(request.card),
            expectedVersion: Number(request.expected_version),
          });
          return event.id;
        }),
      ),

    CancelSchoolEvent: async (request, ctx) =>
      answer(
        await once(idempotency, 'CancelSchoolEvent', request, ctx, async () => {
          const event = await cancelSchoolEvent(deps(ctx), requestContext(ctx), {
            id: request.id,
            reason: request.reason,
            expectedVersion: Number(request.expected_version),
          });
          return event.id;
        }),
      ),

    RecordSchoolEventResults: async (request, ctx) =>
      answer(
        await once(idempotency, 'RecordSchoolEventResults', request, ctx, async () => {
          const event = await recordSchoolEventResults(deps(ctx), requestContext(ctx), {
            id: request.id,
            resultsSummary: request.results_summary,
            participantResults: request.participant_results.map((r) => ({
              personId: r.person_id,
              result: r.result,
            })),
            expectedVersion: Number(request.expected_version),
          });
          return event.id;
        }),
      ),

    GetSchoolEvent: async (request, ctx) => ({
      event: toMessage(await getSchoolEvent(deps(ctx), requestContext(ctx), request.id)),
    }),

    ListSchoolEvents: async (request, ctx) => ({
      events: (
        await listSchoolEvents(deps(ctx), requestContext(ctx), {
          schoolId: request.school_id,
          academicYearId: request.academic_year_id,
          from: request.from,
          to: request.to,
          classId: request.class_id,
          studentId: request.student_id,
        })
      ).map(toMessage),
    }),

    ListCalendarWarnings: async (request, ctx) => ({
      warnings: (
        await listCalendarWarnings(deps(ctx), requestContext(ctx), {
          schoolId: request.school_id,
          academicYearId: request.academic_year_id,
        })
      ).map((w) => ({
        id: w.id,
        school_id: w.schoolId,
        academic_year_id: w.academicYearId,
        code: w.code,
        date: w.date,
        works_as: w.worksAs,
        announced_at: w.announcedAt,
        working_days_ahead: w.workingDaysAhead,
        message: w.message,
      })),
    }),

    GetStudentTimetable: async (request, ctx) => {
      const { classId, className, view, publication } = await getStudentTimetable(
        deps(ctx),
        requestContext(ctx),
        {
          studentId: request.student_id,
          academicYearId: request.academic_year_id,
          period: request.period,
        },
      );
      return {
        student_id: request.student_id,
        class_id: classId,
        class_name: className,
        timetable: timetableMessage(view),
        publication: toPublicationMessage(
          publication,
          timetablePublicationId(
            view.timetable.schoolId,
            view.timetable.academicYearId,
            view.timetable.period,
          ),
        ),
      };
    },
  };
}
