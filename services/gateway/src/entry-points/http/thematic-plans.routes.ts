import { Router, type Request } from 'express';
import { restShape } from '../../wire-case';
import type { GradebookRoutesDeps } from './grading-policy.routes';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

interface SetThematicPlanBody {
  expectedVersion: number;
  items: { itemId?: string; section?: string; title: string; hours: number; controlWork?: boolean }[];
}

/** The course of a request: the class and subject from the path, the subgroup from the query. */
export function courseOf(req: Request) {
  const subgroupId = req.query.subgroupId;
  return {
    class_id: String(req.params.classId),
    subgroup_id: subgroupId === undefined ? '' : String(subgroupId),
    subject_id: String(req.params.subjectId),
  };
}

/**
 * Thematic plans (КТП, R2.4, R5.9): REST in front of gradebook. A course's plan lives under its
 * class and subject (a subgroup's with `subgroupId`), is set as a whole with the version read, and
 * has its progress per period next to it.
 */
export function thematicPlansRouter({ gradebook, signer }: GradebookRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.get(
    '/api/v1/classes/:classId/subjects/:subjectId/thematic-plan',
    validateRequest('getThematicPlan'),
    async (req, res) => {
      const { plan } = await gradebook.GetThematicPlan(
        { course: courseOf(req) },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(plan));
    },
  );

  router.put(
    '/api/v1/classes/:classId/subjects/:subjectId/thematic-plan',
    validateRequest('setThematicPlan'),
    async (req, res) => {
      const body = req.body as SetThematicPlanBody;
      const { plan } = await gradebook.SetThematicPlan(
        {
          course: courseOf(req),
          expected_version: String(body.expectedVersion),
          items: body.items.map((item) => ({
            item_id: item.itemId ?? '',
            section: item.section ?? '',
            title: item.title,
            hours: item.hours,
            control_work: item.controlWork ?? false,
          })),
        },
        await commandOptions(req, res, signer),
      );
      res.json(restShape(plan));
    },
  );

  router.get(
    '/api/v1/classes/:classId/subjects/:subjectId/thematic-plan/progress',
    validateRequest('getPlanProgress'),
    async (req, res) => {
      const answer = await gradebook.GetPlanProgress(
        { course: courseOf(req) },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(answer));
    },
  );

  return router;
}
