import { authorizeWith, requestContext, type ServiceHandlers } from '@edu/grpc';
import type { ListProgressReportsResponse__Output } from '@edu/proto/dist/generated/edu/notifications/v1/ListProgressReportsResponse';
import type { NotificationsServiceDefinition } from '@edu/proto/dist/generated/edu/notifications/v1/NotificationsService';
import type { DocReader } from '../../domain/ports';
import { listProgressReports, type ProgressReportsView } from '../../domain/progress';

type ProgressHandlers = Pick<ServiceHandlers<NotificationsServiceDefinition>, 'ListProgressReports'>;

/** The class teacher's view of a round's progress reports: translate, call, translate back. */
export function progressHandlers(deps: { reader: DocReader; now: () => Date }): ProgressHandlers {
  return {
    ListProgressReports: async (request, ctx) =>
      toResponse(
        await listProgressReports({ ...deps, authorize: authorizeWith(ctx) }, requestContext(ctx).actor, {
          classId: request.class_id,
          roundStartsOn: request.round_starts_on,
        }),
      ),
  };
}

function toResponse(view: ProgressReportsView): ListProgressReportsResponse__Output {
  return {
    class_id: view.classId,
    round_starts_on: view.roundStartsOn,
    round_ends_on: view.roundEndsOn,
    rows: view.rows.map((r) => ({
      report_id: r.reportId,
      student_id: r.studentId,
      student_name: r.studentName,
      guardian_id: r.guardianId,
      guardian_name: r.guardianName,
      sent_at: r.sentAt,
      opened_at: r.openedAt,
    })),
    not_opened: view.notOpened,
  };
}
