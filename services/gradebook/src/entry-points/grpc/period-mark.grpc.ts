import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import type { GradebookServiceDefinition } from '@edu/proto/dist/generated/edu/gradebook/v1/GradebookService';
import type { CourseRef__Output } from '@edu/proto/dist/generated/edu/gradebook/v1/CourseRef';
import {
  listLackingMarks,
  listPeriodMarks,
  setPeriodMark,
  type CourseInput,
  type PeriodMarkDeps,
} from '../../domain/period-mark.use-cases';
import { toPeriodMarkState } from '../../data-access/period-mark.mapper';

type PeriodMarkHandlers = Pick<
  ServiceHandlers<GradebookServiceDefinition>,
  'SetPeriodMark' | 'ListPeriodMarks' | 'ListLackingMarks'
>;

function courseOf(ref: CourseRef__Output | null): CourseInput {
  return {
    classId: ref?.class_id ?? '',
    subgroupId: ref?.subgroup_id ?? '',
    subjectId: ref?.subject_id ?? '',
  };
}

/** Period marks (R5.5) and the accumulation of marks (R5.6) of `edu.gradebook.v1.GradebookService`. */
export function periodMarkHandlers(repositories: Omit<PeriodMarkDeps, 'authorize'>): PeriodMarkHandlers {
  const deps = (ctx: CallContext): PeriodMarkDeps => ({ ...repositories, authorize: authorizeWith(ctx) });
  return {
    // Checked by version: a repeat finds the mark set (or corrected) already and is refused.
    SetPeriodMark: async (request, ctx) => ({
      period_mark: toPeriodMarkState(
        await setPeriodMark(deps(ctx), requestContext(ctx), {
          studentId: request.student_id,
          course: courseOf(request.course),
          kind: request.kind,
          period: request.period,
          value: request.value,
          expectedVersion: Number(request.expected_version),
          reason: request.reason,
          orderRef: request.order_ref,
        }),
      ),
    }),

    ListPeriodMarks: async (request, ctx) => ({
      period_marks: (
        await listPeriodMarks(deps(ctx), requestContext(ctx), {
          classId: request.class_id,
          subjectId: request.subject_id,
          kind: request.kind,
          period: request.period,
        })
      ).map(toPeriodMarkState),
    }),

    ListLackingMarks: async (request, ctx) => {
      const lacking = await listLackingMarks(deps(ctx), requestContext(ctx), {
        course: courseOf(request.course),
        period: request.period,
      });
      return {
        required: lacking.required,
        hours_per_week: lacking.hoursPerWeek,
        students: lacking.students.map((s) => ({
          student_id: s.studentId,
          display_name: s.displayName,
          marks_count: s.marksCount,
          required: s.required,
        })),
        period_ends_on: lacking.periodEndsOn,
        days_left: lacking.daysLeft,
      };
    },
  };
}
