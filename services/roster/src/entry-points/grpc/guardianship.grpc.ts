import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import { once, type IdempotencyStore } from '@edu/store';
import type { GuardianshipServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/GuardianshipService';
import type { Guardianship } from '../../domain/guardianship';
import {
  getGuardianship,
  linkGuardian,
  listChildren,
  listGuardians,
  recordConsent,
  revokeConsent,
  unlinkGuardian,
  type GuardianshipDeps,
} from '../../domain/guardianship.use-cases';
import type {
  AcademicYearRepository,
  EnrolmentRepository,
  GuardianshipRepository,
  PersonRepository,
  SchoolClassRepository,
  SchoolRepository,
} from '../../domain/ports';
import { toMessage, toPersonMessage } from '../../data-access/guardianship.mapper';

export interface GuardianshipGrpcDeps {
  repositories: {
    schools: Pick<SchoolRepository, 'get'>;
    people: Pick<PersonRepository, 'get'>;
    guardianships: GuardianshipRepository;
    enrolments: Pick<EnrolmentRepository, 'listByStudent'>;
    academicYears: Pick<AcademicYearRepository, 'get'>;
    schoolClasses: Pick<SchoolClassRepository, 'get'>;
  };
  newId: () => string;
  now: () => Date;
  idempotency: IdempotencyStore;
}

/** gRPC handlers of `edu.roster.v1.GuardianshipService`: translate, call the use case, translate back. */
export function guardianshipHandlers({
  repositories,
  newId,
  now,
  idempotency,
}: GuardianshipGrpcDeps): ServiceHandlers<GuardianshipServiceDefinition> {
  const deps = (ctx: CallContext): GuardianshipDeps => ({
    ...repositories,
    newId,
    now,
    authorize: authorizeWith(ctx),
  });

  /**
   * A command once per idempotency key. The key store keeps the link id only (a consent's
   * document may name people); a repeat reads the link again, under the rules of any read.
   */
  async function command(
    method: string,
    request: unknown,
    ctx: CallContext,
    run: () => Promise<Guardianship>,
  ): Promise<Guardianship> {
    let done: Guardianship | undefined;
    const { id } = await once(idempotency, method, request, ctx, async () => {
      done = await run();
      return { id: done.id };
    });
    return done ?? (await getGuardianship(deps(ctx), requestContext(ctx), id));
  }

  return {
    LinkGuardian: async (request, ctx) => {
      const link = await command('LinkGuardian', request, ctx, () =>
        linkGuardian(deps(ctx), requestContext(ctx), {
          studentId: request.student_id,
          guardianId: request.guardian_id,
          kind: request.kind,
        }),
      );
      return { guardianship: toMessage(link) };
    },

    UnlinkGuardian: async (request, ctx) => {
      const link = await command('UnlinkGuardian', request, ctx, () =>
        unlinkGuardian(deps(ctx), requestContext(ctx), {
          id: request.guardianship_id,
          expectedVersion: Number(request.expected_version),
          endedOn: request.ended_on,
          reason: request.reason,
        }),
      );
      return { guardianship: toMessage(link) };
    },

    RecordConsent: async (request, ctx) => {
      const link = await command('RecordConsent', request, ctx, () =>
        recordConsent(deps(ctx), requestContext(ctx), {
          id: request.guardianship_id,
          expectedVersion: Number(request.expected_version),
          givenOn: request.given_on,
          document: request.document,
        }),
      );
      return { guardianship: toMessage(link) };
    },

    RevokeConsent: async (request, ctx) => {
      const link = await command('RevokeConsent', request, ctx, () =>
        revokeConsent(deps(ctx), requestContext(ctx), {
          id: request.guardianship_id,
          expectedVersion: Number(request.expected_version),
          revokedOn: request.revoked_on,
          reason: request.reason,
        }),
      );
      return { guardianship: toMessage(link) };
    },

    ListGuardians: async (request, ctx) => {
      const guardians = await listGuardians(deps(ctx), requestContext(ctx), request.student_id);
      // Names only: the guardians' full cards are PeopleService.GetPerson's, with its access log.
      return {
        guardians: guardians.map(({ link, guardian }) => ({
          guardianship: toMessage(link),
          guardian: toPersonMessage(guardian),
        })),
      };
    },

    ListChildren: async (request, ctx) => {
      const children = await listChildren(deps(ctx), requestContext(ctx), request.guardian_id);
      return {
        children: children.map(({ link, student }) => ({
          guardianship: toMessage(link),
          student: toPersonMessage(student),
        })),
      };
    },

    GetGuardianship: async (request, ctx) => {
      const link = await getGuardianship(deps(ctx), requestContext(ctx), request.guardianship_id);
      return { guardianship: toMessage(link) };
    },
  };
}
