import { Router } from 'express';
import type { ActorSignerPort, RosterPort } from '../../domain/ports';
import { schoolDtoFromMessage, schoolMessageFromCard, type SchoolCardDto } from '../../school.mapper';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

export interface SchoolsRoutesDeps {
  roster: RosterPort;
  signer: ActorSignerPort;
}

/** `/api/v1/schools`: REST in front of roster's school cards. */
export function schoolsRouter({ roster, signer }: SchoolsRoutesDeps): Router {
  // Case-sensitive, like the OpenAPI paths the requests are validated against.
  const router = Router({ caseSensitive: true });

  router.post('/api/v1/schools', validateRequest('createSchool'), async (req, res) => {
    const options = await commandOptions(req, res, signer);
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

  router.put('/api/v1/schools/:id', validateRequest('changeSchool'), async (req, res) => {
    const { expectedVersion, ...card } = req.body as SchoolCardDto & { expectedVersion: number };
    const { school } = await roster.changeSchool(
      {
        id: String(req.params.id),
        expected_version: String(expectedVersion),
        school: schoolMessageFromCard(card),
      },
      await commandOptions(req, res, signer),
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
