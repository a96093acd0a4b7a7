import { Router } from 'express';
import type { ActorSignerPort, GradebookPort } from '../../domain/ports';
import { messageShape, restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

export interface GradebookRoutesDeps {
  gradebook: GradebookPort;
  signer: ActorSignerPort;
}

/**
 * A school's grading policy (R5.2, R5.3, R5.6): REST in front of gradebook. Read by everyone of the
 * school (the defaults at version 0 until the school sets its own), set as a whole with the version
 * read, like a bell schedule; the school comes from the path.
 */
export function gradingPolicyRouter({ gradebook, signer }: GradebookRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.get(
    '/api/v1/schools/:schoolId/grading-policy',
    validateRequest('getGradingPolicy'),
    async (req, res) => {
      const { policy } = await gradebook.GetGradingPolicy(
        { school_id: String(req.params.schoolId) },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(policy));
    },
  );

  router.put(
    '/api/v1/schools/:schoolId/grading-policy',
    validateRequest('setGradingPolicy'),
    async (req, res) => {
      const { expectedVersion, ...policy } = req.body as { expectedVersion: number } & Record<
        string,
        unknown
      >;
      const answer = await gradebook.SetGradingPolicy(
        {
          policy: messageShape({ ...policy, schoolId: String(req.params.schoolId) }),
          expected_version: String(expectedVersion),
        },
        await commandOptions(req, res, signer),
      );
      res.json(restShape(answer.policy));
    },
  );

  return router;
}
