import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import type { CourseRef__Output } from '@edu/proto/dist/generated/edu/gradebook/v1/CourseRef';
import type { GradebookServiceDefinition } from '@edu/proto/dist/generated/edu/gradebook/v1/GradebookService';
import {
  getPlanProgress,
  getThematicPlan,
  setThematicPlan,
  type CourseRefInput,
  type PlanView,
  type ThematicPlanDeps,
} from '../../domain/thematic-plan.use-cases';
import { toPlanItemState, toPlanState } from '../../data-access/thematic-plan.mapper';

type PlanHandlers = Pick<
  ServiceHandlers<GradebookServiceDefinition>,
  'SetThematicPlan' | 'GetThematicPlan' | 'GetPlanProgress'
>;

function courseRef(course: CourseRef__Output | null): CourseRefInput {
  return {
    classId: course?.class_id ?? '',
    subgroupId: course?.subgroup_id ?? '',
    subjectId: course?.subject_id ?? '',
  };
}

const planAnswer = ({ plan, course }: PlanView) => ({ plan: toPlanState(plan, course) });

/** The thematic plans' methods of `edu.gradebook.v1.GradebookService` (R2.4, R5.9). */
export function planHandlers(repositories: Omit<ThematicPlanDeps, 'authorize'>): PlanHandlers {
  const deps = (ctx: CallContext): ThematicPlanDeps => ({ ...repositories, authorize: authorizeWith(ctx) });
  return {
    // Set by version: a repeated request is refused, never applied twice.
    SetThematicPlan: async (request, ctx) =>
      planAnswer(
        await setThematicPlan(deps(ctx), requestContext(ctx), {
          course: courseRef(request.course),
          expectedVersion: Number(request.expected_version),
          items: request.items.map((item) => ({
            itemId: item.item_id,
            section: item.section,
            title: item.title,
            hours: item.hours,
            controlWork: item.control_work,
          })),
        }),
      ),

    GetThematicPlan: async (request, ctx) =>
      planAnswer(await getThematicPlan(deps(ctx), requestContext(ctx), courseRef(request.course))),

    GetPlanProgress: async (request, ctx) => {
      const { plan, course, progress } = await getPlanProgress(
        deps(ctx),
        requestContext(ctx),
        courseRef(request.course),
      );
      return {
        plan: toPlanState(plan, course),
        periods: progress.periods.map((p) => ({
          period: p.period,
          lessons_held: p.lessonsHeld,
          lessons_with_topic: p.lessonsWithTopic,
          items_done: p.itemsDone,
          hours_done: p.hoursDone,
        })),
        items_left: progress.itemsLeft.map(toPlanItemState),
        total_hours: progress.totalHours,
        hours_done: progress.hoursDone,
      };
    },
  };
}
