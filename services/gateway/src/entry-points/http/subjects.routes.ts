import { Router } from 'express';
import type { ActorSignerPort, SchedulePort } from '../../domain/ports';
import { messageShape, restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

export interface SubjectsRoutesDeps {
  schedule: SchedulePort;
  signer: ActorSignerPort;
}

/**
 * Subjects (R2.3): REST in front of schedule. A school teaches from the region-wide catalogue
 * and its own subjects; both are listed under the school, one subject is read by its id.
 */
export function subjectsRouter({ schedule, signer }: SubjectsRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.post('/api/v1/schools/:schoolId/subjects', validateRequest('createSubject'), async (req, res) => {
    const { subject } = await schedule.CreateSubject(
      messageShape({ ...req.body, schoolId: String(req.params.schoolId) }),
      await commandOptions(req, res, signer),
    );
    const body = restShape<{ id: string }>(subject);
    res
      .status(201)
      .location(`/api/v1/subjects/${encodeURIComponent(body.id)}`)
      .json(body);
  });

  router.get('/api/v1/schools/:schoolId/subjects', validateRequest('listSubjects'), async (req, res) => {
    const { subjects } = await schedule.ListSubjects(
      { school_id: String(req.params.schoolId) },
      await upstreamOptions(res, signer),
    );
    res.json({ items: restShape(subjects) });
  });

  router.get('/api/v1/subjects/:id', validateRequest('getSubject'), async (req, res) => {
    const { subject } = await schedule.GetSubject(
      { id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json(restShape(subject));
  });

  return router;
}
