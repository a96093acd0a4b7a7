import { createHash } from 'node:crypto';
import { authorize, type CallContext } from '@edu/grpc';
import { conflict } from '@edu/kit';
import { IdempotencyError, type IdempotencyStore } from '@edu/store';
import type { Authorize, RequestContext } from '../../domain/ports';

// What every roster gRPC handler does around its use case: the request context, the policy port
// bound to the call, and idempotency keys. Shared by all of roster's gRPC services.

/** The use cases' view of a call: who acts, and the trace id. */
export function requestContext(ctx: CallContext): RequestContext {
  return { actor: ctx.actor, traceId: ctx.traceId };
}

/** The policy port, bound to the call's logger so that a refusal is logged with its trace id. */
export function authorizeWith(ctx: CallContext): Authorize {
  return (actor, allowed, what) => authorize(actor, allowed, { ...what, logger: ctx.logger });
}

function fingerprint(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

/**
 * Runs a changing command once per idempotency key (per caller): a repeat gets the first result.
 * Without a key the command simply runs. The result is stored (JSON) for the key's lifetime, so a
 * command whose result holds personal data should return ids only and read the rest afterwards.
 */
export async function once<T>(
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
