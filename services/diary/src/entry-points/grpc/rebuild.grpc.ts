import { authorizeWith, hasGrant, requestContext, type ServiceHandlers } from '@edu/grpc';
import type { DiaryServiceDefinition } from '@edu/proto/dist/generated/edu/diary/v1/DiaryService';
import type { RebuildStatus } from '@edu/proto/dist/generated/edu/diary/v1/RebuildStatus';
import type { ModelRuntime, RebuildState } from '../../data-access/model-runtime';

type RebuildHandlers = Pick<ServiceHandlers<DiaryServiceDefinition>, 'RebuildReadModel' | 'GetRebuildStatus'>;

function toStatus(s: RebuildState): RebuildStatus {
  return {
    state: s.state,
    active_generation: s.activeGeneration,
    building_generation: s.buildingGeneration,
    started_at: s.startedAt,
    swapped_at: s.swappedAt,
    events_applied: String(s.eventsApplied),
    lag: String(Math.max(0, s.lag)),
    error: s.error,
  };
}

/** The rebuild of the read model: the region's operator starts it and watches it. */
export function rebuildHandlers(runtime: Pick<ModelRuntime, 'rebuild' | 'status'>): RebuildHandlers {
  return {
    RebuildReadModel: async (_request, ctx) => {
      const { actor } = requestContext(ctx);
      authorizeWith(ctx)(actor, hasGrant(actor, 'regionOperator'), {
        action: 'diary.rebuild',
        object: 'diary:model',
      });
      return toStatus(await runtime.rebuild());
    },
    GetRebuildStatus: async (_request, ctx) => {
      const { actor } = requestContext(ctx);
      authorizeWith(ctx)(actor, hasGrant(actor, 'regionOperator'), {
        action: 'diary.rebuild_status',
        object: 'diary:model',
      });
      return toStatus(await runtime.status());
    },
  };
}
