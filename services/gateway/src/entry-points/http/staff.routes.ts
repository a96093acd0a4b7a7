import { Router } from 'express';
import type { ActorSignerPort, RosterPort } from '../../domain/ports';
import { messageShape, restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

export interface StaffRoutesDeps {
  roster: RosterPort;
  signer: ActorSignerPort;
}

/**
 * Staff positions of a school (R3.1, R1.7): REST in front of roster's StaffService. Hiring,
 * changes and dismissal are by order; a dismissed position stays with its history.
 */
export function staffRouter({ roster, signer }: StaffRoutesDeps): Router {
  const router = Router({ caseSensitive: true });
  const { staff } = roster;

  router.post('/api/v1/schools/:schoolId/staff-positions', validateRequest('hireStaff'), async (req, res) => {
    const { position } = await staff.HireStaff(
      messageShape({ ...req.body, schoolId: String(req.params.schoolId) }),
      await commandOptions(req, res, signer),
    );
    const body = restShape<{ id: string }>(position);
    res
      .status(201)
      .location(`/api/v1/staff-positions/${encodeURIComponent(body.id)}`)
      .json(body);
  });

  router.get('/api/v1/schools/:schoolId/staff-positions', validateRequest('listStaff'), async (req, res) => {
    const query = req.query as { includeDismissed?: string };
    const answer = await staff.ListStaff(
      { school_id: String(req.params.schoolId), include_dismissed: query.includeDismissed === 'true' },
      await upstreamOptions(res, signer),
    );
    res.json({ items: restShape(answer.staff) });
  });

  router.get(
    '/api/v1/people/:id/staff-positions',
    validateRequest('listPositionsOfPerson'),
    async (req, res) => {
      const { positions } = await staff.ListPositionsOfPerson(
        { person_id: String(req.params.id) },
        await upstreamOptions(res, signer),
      );
      res.json({ items: restShape(positions) });
    },
  );

  // The Location of a hire: whole for managers, HR and the holder; a teacher gets the post only.
  router.get('/api/v1/staff-positions/:id', validateRequest('getPosition'), async (req, res) => {
    const { position } = await staff.GetPosition(
      { position_id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json(restShape(position));
  });

  // Absent `title` and `rate` keep the current ones (roster's '' and 0).
  router.patch('/api/v1/staff-positions/:id', validateRequest('changePosition'), async (req, res) => {
    const { position } = await staff.ChangePosition(
      messageShape({ ...req.body, positionId: String(req.params.id) }),
      await commandOptions(req, res, signer),
    );
    res.json(restShape(position));
  });

  router.post('/api/v1/staff-positions/:id/dismiss', validateRequest('dismissStaff'), async (req, res) => {
    const { position } = await staff.DismissStaff(
      messageShape({ ...req.body, positionId: String(req.params.id) }),
      await commandOptions(req, res, signer),
    );
    res.json(restShape(position));
  });

  return router;
}
