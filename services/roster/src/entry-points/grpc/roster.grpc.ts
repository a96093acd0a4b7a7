import { createHash } from 'node:crypto';
import { authorize, type CallContext, type ServiceHandlers } from '@edu/grpc';
import { conflict } from '@edu/kit';
import { IdempotencyError, type IdempotencyStore } from '@edu/store';
import type { RosterServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/RosterService';
import type { Authorize, RequestContext } from '../../domain/ports';
import { createSchool, getSchool, listSchools, type SchoolDeps } from '../../domain/school.use-cases';
import { cardFromMessage, toMessage } from '../../data-access/school.mapper';

export interface RosterGrpcDeps {
  schools: Omit<SchoolDeps, 'authorize'>;
  idempotency: IdempotencyStore;
}

function requestContext(ctx: CallContext): RequestContext {
  return { actor: ctx.actor, traceId: ctx.traceId };
}

/** The policy port, bound to the call's logger so that a refusal is logged with its trace id. */
function authorizeWith(ctx: CallContext): Authorize {
  return (actor, allowed, what) => authorize(actor, allowed, { ...what, logger: ctx.logger });
}

function fingerprint(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

/**
 * Runs a changing command once per idempotency key (per caller): a repeat gets the first result.
 * Without a key the command simply runs.
 */
async function once<T>(
  idempotency: IdempotencyStore,
  method: string,
  request: unknown,
  ctx: CallContext,
  command: () => Promise<T>,
): Promise<T> {
  if (!ctx.idempotencyKey) return command();
  try {
    const { result, replayed } = await idempotency.execute(
      ctx.idempotencyKey,
      `${method}/${ctx.actor.accountId}`,
      fingerprint(request),
      command,
    );
    if (replayed) ctx.logger.info({ method }, 'idempotent repeat answered with the first result');
    return result;
  } catch (error) {
    if (!(error instanceof IdempotencyError)) throw error;
    throw error.code === 'idempotency.key_reused'
      ? conflict(error.code, 'Этот ключ идемпотентности уже использован для другого запроса')
      : conflict(error.code, 'Запрос с этим ключом идемпотентности ещё выполняется; повторите позже');
  }
}

/** gRPC handlers of `edu.roster.v1.RosterService`: translate, call the use case, translate back. */
export function rosterHandlers({
  schools,
  idempotency,
}: RosterGrpcDeps): ServiceHandlers<RosterServiceDefinition> {
  const deps = (ctx: CallContext): SchoolDeps => ({ ...schools, authorize: authorizeWith(ctx) });

  return {
    CreateSchool: async (request, ctx) => {
      const school = await once(idempotency, 'CreateSchool', request, ctx, () =>
        createSchool(deps(ctx), requestContext(ctx), cardFromMessage(request.school)),
      );
      return { school: toMessage(school) };
    },

    GetSchool: async (request, ctx) => {
      const school = await getSchool(deps(ctx), requestContext(ctx), request.id);
      return { school: toMessage(school) };
    },

    ListSchools: async (request, ctx) => {
      const page = await listSchools(deps(ctx), requestContext(ctx), {
        size: request.page_size,
        token: request.page_token,
      });
      return { schools: page.schools.map(toMessage), next_page_token: page.nextToken };
    },
  };
}
