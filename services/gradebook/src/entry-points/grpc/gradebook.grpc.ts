import type { ServiceHandlers } from '@edu/grpc';
import type { GradebookServiceDefinition } from '@edu/proto/dist/generated/edu/gradebook/v1/GradebookService';
import type { CopyReader } from '../../domain/copies';
import type {
  LessonRecordRepository,
  PeriodMarkRepository,
  PolicyRepository,
  ThematicPlanRepository,
} from '../../domain/ports';
import { periodMarkHandlers } from './period-mark.grpc';
import { planHandlers } from './plan.grpc';
import { queryHandlers } from './query.grpc';
import { recordHandlers } from './record.grpc';

export interface GradebookGrpcDeps {
  repositories: {
    copies: CopyReader;
    records: LessonRecordRepository;
    policies: PolicyRepository;
    plans: ThematicPlanRepository;
    periodMarks: PeriodMarkRepository;
  };
  newId: () => string;
  now: () => Date;
}

/** gRPC handlers of `edu.gradebook.v1.GradebookService`, by area: translate, call the use case, translate back. */
export function gradebookHandlers({
  repositories,
  newId,
  now,
}: GradebookGrpcDeps): ServiceHandlers<GradebookServiceDefinition> {
  const deps = { ...repositories, newId, now };
  return {
    ...recordHandlers(deps),
    ...periodMarkHandlers(deps),
    ...planHandlers(deps),
    ...queryHandlers(deps),
  };
}
