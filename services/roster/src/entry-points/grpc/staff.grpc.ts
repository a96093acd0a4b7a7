import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import { once, type IdempotencyStore } from '@edu/store';
import type { StaffServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/StaffService';
import type { PersonRepository, SchoolRepository, StaffPositionRepository } from '../../domain/ports';
import {
  changePosition,
  dismissStaff,
  getPosition,
  hireStaff,
  listPositionsOfPerson,
  listStaff,
  type StaffDeps,
} from '../../domain/staff.use-cases';
import { orderFromMessage, toMessage, toStaffMemberMessage } from '../../data-access/staff-position.mapper';

export interface StaffGrpcDeps {
  repositories: {
    schools: Pick<SchoolRepository, 'get'>;
    people: Pick<PersonRepository, 'get' | 'list'>;
    staff: StaffPositionRepository;
  };
  newId: () => string;
  now: () => Date;
  idempotency: IdempotencyStore;
}

/** gRPC handlers of `edu.roster.v1.StaffService`: translate, call the use case, translate back. */
export function staffHandlers({
  repositories,
  newId,
  now,
  idempotency,
}: StaffGrpcDeps): ServiceHandlers<StaffServiceDefinition> {
  const deps = (ctx: CallContext): StaffDeps => ({
    ...repositories,
    newId,
    now,
    authorize: authorizeWith(ctx),
  });

  return {
    // Positions carry no personal data, so the idempotency store may keep the whole answer.
    HireStaff: async (request, ctx) => {
      const position = await once(idempotency, 'HireStaff', request, ctx, () =>
        hireStaff(deps(ctx), requestContext(ctx), {
          schoolId: request.school_id,
          personId: request.person_id,
          kind: request.kind,
          title: request.title,
          rate: request.rate,
          hiredOn: request.hired_on,
          order: orderFromMessage(request.order),
        }),
      );
      return { position: toMessage(position) };
    },

    ChangePosition: async (request, ctx) => {
      const position = await once(idempotency, 'ChangePosition', request, ctx, () =>
        changePosition(deps(ctx), requestContext(ctx), {
          positionId: request.position_id,
          expectedVersion: Number(request.expected_version),
          title: request.title,
          rate: request.rate,
          effectiveOn: request.effective_on,
          order: orderFromMessage(request.order),
        }),
      );
      return { position: toMessage(position) };
    },

    DismissStaff: async (request, ctx) => {
      const position = await once(idempotency, 'DismissStaff', request, ctx, () =>
        dismissStaff(deps(ctx), requestContext(ctx), {
          positionId: request.position_id,
          expectedVersion: Number(request.expected_version),
          dismissedOn: request.dismissed_on,
          order: orderFromMessage(request.order),
          reason: request.reason,
        }),
      );
      return { position: toMessage(position) };
    },

    ListStaff: async (request, ctx) => {
      const entries = await listStaff(deps(ctx), requestContext(ctx), {
        schoolId: request.school_id,
        includeDismissed: request.include_dismissed,
      });
      return { staff: entries.map(toStaffMemberMessage) };
    },

    ListPositionsOfPerson: async (request, ctx) => {
      const positions = await listPositionsOfPerson(deps(ctx), requestContext(ctx), request.person_id);
      return { positions: positions.map(toMessage) };
    },

    GetPosition: async (request, ctx) => {
      const position = await getPosition(deps(ctx), requestContext(ctx), request.position_id);
      return { position: toMessage(position) };
    },
  };
}
