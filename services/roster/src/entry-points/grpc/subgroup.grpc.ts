import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import { once, type IdempotencyStore } from '@edu/store';
import type { SubgroupServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/SubgroupService';
import type {
  AcademicYearRepository,
  EnrolmentRepository,
  PersonRepository,
  SchoolClassRepository,
  SubgroupRepository,
} from '../../domain/ports';
import {
  changeSubgroup,
  changeSubgroupMembers,
  disbandSubgroup,
  formSubgroup,
  getSubgroup,
  listSubgroups,
  type SubgroupDeps,
} from '../../domain/subgroup.use-cases';
import { toMessage } from '../../data-access/subgroup.mapper';

export interface SubgroupGrpcDeps {
  repositories: {
    schoolClasses: Pick<SchoolClassRepository, 'get'>;
    academicYears: Pick<AcademicYearRepository, 'get'>;
    enrolments: Pick<EnrolmentRepository, 'get'>;
    people: Pick<PersonRepository, 'get'>;
    subgroups: SubgroupRepository;
  };
  newId: () => string;
  now: () => Date;
  idempotency: IdempotencyStore;
}

/** gRPC handlers of `edu.roster.v1.SubgroupService`: translate, call the use case, translate back. */
export function subgroupHandlers({
  repositories,
  newId,
  now,
  idempotency,
}: SubgroupGrpcDeps): ServiceHandlers<SubgroupServiceDefinition> {
  const deps = (ctx: CallContext): SubgroupDeps => ({
    ...repositories,
    newId,
    now,
    authorize: authorizeWith(ctx),
  });

  return {
    // Subgroups carry ids, no personal data: the idempotency store may keep the whole answer.
    FormSubgroup: async (request, ctx) => {
      const subgroup = await once(idempotency, 'FormSubgroup', request, ctx, () =>
        formSubgroup(deps(ctx), requestContext(ctx), {
          classId: request.class_id,
          subjectKey: request.subject_key,
          name: request.name,
          teacherId: request.teacher_id,
          memberIds: request.member_ids,
          order: request.order ?? null,
        }),
      );
      return { subgroup: toMessage(subgroup) };
    },

    ChangeSubgroupMembers: async (request, ctx) => {
      const subgroup = await once(idempotency, 'ChangeSubgroupMembers', request, ctx, () =>
        changeSubgroupMembers(deps(ctx), requestContext(ctx), {
          id: request.id,
          expectedVersion: Number(request.expected_version),
          add: request.add,
          remove: request.remove,
          order: request.order ?? null,
        }),
      );
      return { subgroup: toMessage(subgroup) };
    },

    ChangeSubgroup: async (request, ctx) => {
      const subgroup = await once(idempotency, 'ChangeSubgroup', request, ctx, () =>
        changeSubgroup(deps(ctx), requestContext(ctx), {
          id: request.id,
          expectedVersion: Number(request.expected_version),
          // proto3 has no "not given": "" keeps a field; "-" removes the teacher.
          ...(request.name ? { name: request.name } : {}),
          ...(request.teacher_id ? { teacherId: request.teacher_id === '-' ? '' : request.teacher_id } : {}),
        }),
      );
      return { subgroup: toMessage(subgroup) };
    },

    DisbandSubgroup: async (request, ctx) => {
      const subgroup = await once(idempotency, 'DisbandSubgroup', request, ctx, () =>
        disbandSubgroup(deps(ctx), requestContext(ctx), {
          id: request.id,
          expectedVersion: Number(request.expected_version),
        }),
      );
      return { subgroup: toMessage(subgroup) };
    },

    ListSubgroups: async (request, ctx) => ({
      subgroups: (
        await listSubgroups(deps(ctx), requestContext(ctx), {
          classId: request.class_id,
          includeClosed: request.include_closed,
        })
      ).map(toMessage),
    }),

    GetSubgroup: async (request, ctx) => ({
      subgroup: toMessage(await getSubgroup(deps(ctx), requestContext(ctx), request.id)),
    }),
  };
}
