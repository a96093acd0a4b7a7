import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import { once, type IdempotencyStore } from '@edu/store';
import type { ScheduleServiceDefinition } from '@edu/proto/dist/generated/edu/schedule/v1/ScheduleService';
import type { BellScheduleRepository } from '../../domain/ports';
import {
  getBellSchedule,
  listBellSchedules,
  setBellSchedule,
  type BellScheduleDeps,
} from '../../domain/bell-schedule.use-cases';
import { toMessage } from '../../data-access/bell-schedule.mapper';

type BellHandlers = Pick<
  ServiceHandlers<ScheduleServiceDefinition>,
  'SetBellSchedule' | 'GetBellSchedule' | 'ListBellSchedules'
>;

/** The bell schedule methods of `edu.schedule.v1.ScheduleService`. */
export function bellHandlers({
  bellSchedules,
  now,
  idempotency,
}: {
  bellSchedules: BellScheduleRepository;
  now: () => Date;
  idempotency: IdempotencyStore;
}): BellHandlers {
  const deps = (ctx: CallContext): BellScheduleDeps => ({
    bellSchedules,
    now,
    authorize: authorizeWith(ctx),
  });

  return {
    // A bell schedule carries no personal data: the idempotency store may keep the whole answer.
    SetBellSchedule: async (request, ctx) => ({
      bell_schedule: toMessage(
        await once(idempotency, 'SetBellSchedule', request, ctx, () =>
          setBellSchedule(deps(ctx), requestContext(ctx), {
            schoolId: request.school_id,
            shift: request.shift,
            name: request.name,
            lessons: request.lessons.map((lesson) => ({
              number: lesson.number,
              startsAt: lesson.starts_at,
              endsAt: lesson.ends_at,
            })),
            expectedVersion: Number(request.expected_version),
          }),
        ),
      ),
    }),

    GetBellSchedule: async (request, ctx) => ({
      bell_schedule: toMessage(
        await getBellSchedule(deps(ctx), requestContext(ctx), {
          schoolId: request.school_id,
          shift: request.shift,
        }),
      ),
    }),

    ListBellSchedules: async (request, ctx) => ({
      bell_schedules: (
        await listBellSchedules(deps(ctx), requestContext(ctx), { schoolId: request.school_id })
      ).map(toMessage),
    }),
  };
}
