import type { Actor } from './actor';
import { authorize } from './policy';
import type { CallContext } from './server';

// What every service's gRPC handler does around its use case: the use case's view of the call,
// and the policy port bound to the call's logger.

/** The use cases' view of a call: who acts, and the trace id. */
export function requestContext(ctx: CallContext): { actor: Actor; traceId: string } {
  return { actor: ctx.actor, traceId: ctx.traceId };
}

/** The policy port, bound to the call's logger so that a refusal is logged with its trace id. */
export function authorizeWith(
  ctx: CallContext,
): (actor: Actor, allowed: boolean, what: { action: string; object: string }) => void {
  return (actor, allowed, what) => authorize(actor, allowed, { ...what, logger: ctx.logger });
}
