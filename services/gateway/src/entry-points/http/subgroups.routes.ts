import { Router } from 'express';
import type { ActorSignerPort, RosterPort } from '../../domain/ports';
import { messageShape, restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

export interface SubgroupsRoutesDeps {
  roster: RosterPort;
  signer: ActorSignerPort;
}

// Roster's ChangeSubgroupRequest has no "not given": '' keeps the teacher and '-' removes it.
// In REST an absent field keeps and null removes, as in PATCH /classes/{id}.
const KEEP = '';
const REMOVE_TEACHER = '-';

/** Subgroups of a class per subject (R2.3): REST in front of roster's SubgroupService. */
export function subgroupsRouter({ roster, signer }: SubgroupsRoutesDeps): Router {
  const router = Router({ caseSensitive: true });
  const { subgroups } = roster;

  router.post('/api/v1/classes/:id/subgroups', validateRequest('formSubgroup'), async (req, res) => {
    const { subgroup } = await subgroups.FormSubgroup(
      messageShape({ ...req.body, classId: String(req.params.id) }),
      await commandOptions(req, res, signer),
    );
    const body = restShape<{ id: string }>(subgroup);
    res
      .status(201)
      .location(`/api/v1/subgroups/${encodeURIComponent(body.id)}`)
      .json(body);
  });

  router.get('/api/v1/classes/:id/subgroups', validateRequest('listSubgroups'), async (req, res) => {
    const query = req.query as { includeClosed?: string };
    const answer = await subgroups.ListSubgroups(
      { class_id: String(req.params.id), include_closed: query.includeClosed === 'true' },
      await upstreamOptions(res, signer),
    );
    res.json({ items: restShape(answer.subgroups) });
  });

  router.get('/api/v1/subgroups/:id', validateRequest('getSubgroup'), async (req, res) => {
    const { subgroup } = await subgroups.GetSubgroup(
      { id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json(restShape(subgroup));
  });

  router.patch('/api/v1/subgroups/:id', validateRequest('changeSubgroup'), async (req, res) => {
    const body = req.body as { expectedVersion: number; name?: string; teacherId?: string | null };
    const { subgroup } = await subgroups.ChangeSubgroup(
      {
        id: String(req.params.id),
        expected_version: String(body.expectedVersion),
        name: body.name ?? KEEP,
        teacher_id: body.teacherId === null ? REMOVE_TEACHER : (body.teacherId ?? KEEP),
      },
      await commandOptions(req, res, signer),
    );
    res.json(restShape(subgroup));
  });

  router.patch(
    '/api/v1/subgroups/:id/members',
    validateRequest('changeSubgroupMembers'),
    async (req, res) => {
      const { subgroup } = await subgroups.ChangeSubgroupMembers(
        messageShape({ add: [], remove: [], ...req.body, id: String(req.params.id) }),
        await commandOptions(req, res, signer),
      );
      res.json(restShape(subgroup));
    },
  );

  router.post('/api/v1/subgroups/:id/disband', validateRequest('disbandSubgroup'), async (req, res) => {
    const { subgroup } = await subgroups.DisbandSubgroup(
      messageShape({ ...req.body, id: String(req.params.id) }),
      await commandOptions(req, res, signer),
    );
    res.json(restShape(subgroup));
  });

  return router;
}
