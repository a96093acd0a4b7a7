import type { Request, Response } from 'express';
import type { ActorSignerPort, UpstreamCallOptions } from '../../domain/ports';
import { requestState } from './request-state';

/**
 * The actor signed for this one request (a short-lived token, tied to the trace id) and the trace
 * id, as every upstream call carries them.
 */
export async function upstreamOptions(res: Response, signer: ActorSignerPort): Promise<UpstreamCallOptions> {
  const { actor, traceId } = requestState(res);
  // requireActor runs before every route; reaching here without an actor is a wiring mistake.
  if (!actor) throw new Error('route reached without an authenticated actor');
  return { actorToken: await signer.sign(actor, { traceId }), traceId };
}

export function idempotencyKeyOf(req: Request): { idempotencyKey?: string } {
  const key = req.get('idempotency-key');
  return key === undefined ? {} : { idempotencyKey: key };
}

/** What a command (a changing call) carries: the actor and trace id, and the client's idempotency key. */
export async function commandOptions(
  req: Request,
  res: Response,
  signer: ActorSignerPort,
): Promise<UpstreamCallOptions> {
  return { ...(await upstreamOptions(res, signer)), ...idempotencyKeyOf(req) };
}
