import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import { once, type IdempotencyStore } from '@edu/store';
import type { ScheduleServiceDefinition } from '@edu/proto/dist/generated/edu/schedule/v1/ScheduleService';
import {
  describeCurricula,
  getCurriculum,
  listCurricula,
  setCurriculum,
  type CurriculumDeps,
} from '../../domain/curriculum.use-cases';
import { toMessage } from '../../data-access/curriculum.mapper';

type CurriculumHandlers = Pick<
  ServiceHandlers<ScheduleServiceDefinition>,
  'SetCurriculum' | 'GetCurriculum' | 'ListCurricula'
>;

/** The curriculum methods of `edu.schedule.v1.ScheduleService`. */
export function curriculumHandlers(
  repositories: Omit<CurriculumDeps, 'authorize'>,
  idempotency: IdempotencyStore,
): CurriculumHandlers {
  const deps = (ctx: CallContext): CurriculumDeps => ({ ...repositories, authorize: authorizeWith(ctx) });

  return {
    // The key keeps the curriculum (no personal data); the class name and the weeks of study are
    // read for each answer.
    SetCurriculum: async (request, ctx) => {
      const curriculum = await once(idempotency, 'SetCurriculum', request, ctx, () =>
        setCurriculum(deps(ctx), requestContext(ctx), {
          schoolId: request.school_id,
          academicYearId: request.academic_year_id,
          classId: request.class_id,
          lines: request.lines.map((line) => ({
            subjectId: line.subject_id,
            hoursPerWeek: Number(line.hours_per_week),
            periodHours: line.period_hours.map((p) => ({
              period: p.period,
              hoursPerWeek: Number(p.hours_per_week),
            })),
            component: line.component,
          })),
          expectedVersion: Number(request.expected_version),
        }),
      );
      const [view] = await describeCurricula(repositories, [curriculum]);
      return { curriculum: toMessage(view!) };
    },

    GetCurriculum: async (request, ctx) => ({
      curriculum: toMessage(await getCurriculum(deps(ctx), requestContext(ctx), request.class_id)),
    }),

    ListCurricula: async (request, ctx) => ({
      curricula: (
        await listCurricula(deps(ctx), requestContext(ctx), {
          schoolId: request.school_id,
          academicYearId: request.academic_year_id,
        })
      ).map(toMessage),
    }),
  };
}
