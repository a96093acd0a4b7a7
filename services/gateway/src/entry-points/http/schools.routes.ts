import { Router, type Request, type Response } from 'express';
import type { ActorSignerPort, RosterPort, UpstreamCallOptions } from '../../domain/ports';
import { schoolDtoFromMessage, schoolMessageFromCard, type SchoolCardDto } from '../../school.mapper';
import { validateRequest } from './request.middleware';
import { requestState } from './request-state';

export interface SchoolsRoutesDeps {
  roster: RosterPort;
  signer: ActorSignerPort;
}

/**
 * The actor signed for this one request (a short-lived token, tied to the trace id) and the trace
 * id, as every upstream call carries them.
 */
async function upstreamOptions(res: Response, signer: ActorSignerPort): Promise<UpstreamCallOptions> {
  const { actor, traceId } = requestState(res);
  // requireActor runs before every route; reaching here without an actor is a wiring mistake.
  if (!actor) throw new Error('route reached without an authenticated actor');
  return { actorToken: await signer.sign(actor, { traceId }), traceId };
}

function idempotencyKeyOf(req: Request): { idempotencyKey?: string } {
  const key = req.get('idempotency-key');
  return key === undefined ? {} : { idempotencyKey: key };
}

/** `/api/v1/schools`: REST in front of roster's school cards. */
export function schoolsRouter({ roster, signer }: SchoolsRoutesDeps): Router {
  // Case-sensitive, like the OpenAPI paths the requests are validated against.
  const router = Router({ caseSensitive: true });

  router.post('/api/v1/schools', validateRequest('createSchool'), async (req, res) => {
    const options = { ...(await upstreamOptions(res, signer)), ...idempotencyKeyOf(req) };
    const { school } = await roster.createSchool(
      { school: schoolMessageFromCard(req.body as SchoolCardDto) },
      options,
    );
    const body = schoolDtoFromMessage(school);
    res
      .status(201)
      .location(`/api/v1/schools/${encodeURIComponent(body.id)}`)
      .json(body);
  });

  router.get('/api/v1/schools/:id', validateRequest('getSchool'), async (req, res) => {
    const { school } = await roster.getSchool(
      { id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json(schoolDtoFromMessage(school));
  });

  router.get('/api/v1/schools', validateRequest('listSchools'), async (req, res) => {
    const { pageSize, pageToken } = req.query as { pageSize?: string; pageToken?: string };
    const page = await roster.listSchools(
      // 0 and "" are proto3's "not given": roster's default page size, the first page.
      { page_size: pageSize === undefined ? 0 : Number(pageSize), page_token: pageToken ?? '' },
      await upstreamOptions(res, signer),
    );
    res.json({ items: page.schools.map(schoolDtoFromMessage), nextPageToken: page.next_page_token });
  });

  return router;
}
