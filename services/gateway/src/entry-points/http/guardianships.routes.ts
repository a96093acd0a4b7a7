import { Router } from 'express';
import type { ActorSignerPort, RosterPort } from '../../domain/ports';
import { messageShape, restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

export interface GuardianshipsRoutesDeps {
  roster: RosterPort;
  signer: ActorSignerPort;
}

/**
 * Guardians of students and their written consents (R1.9, R3.2): REST in front of roster's
 * GuardianshipService. A link belongs to the student's school, which roster finds from the
 * student, so links are made under the student (`/people/{id}/guardians`), not under a school.
 * Nothing is deleted: unlinking and revoking are commands that keep the history on the link.
 */
export function guardianshipsRouter({ roster, signer }: GuardianshipsRoutesDeps): Router {
  const router = Router({ caseSensitive: true });
  const { guardianships } = roster;

  router.post('/api/v1/people/:id/guardians', validateRequest('linkGuardian'), async (req, res) => {
    const { guardianship } = await guardianships.LinkGuardian(
      messageShape({ ...req.body, studentId: String(req.params.id) }),
      await commandOptions(req, res, signer),
    );
    const body = restShape<{ id: string }>(guardianship);
    res
      .status(201)
      .location(`/api/v1/guardianships/${encodeURIComponent(body.id)}`)
      .json(body);
  });

  router.get('/api/v1/people/:id/guardians', validateRequest('listGuardians'), async (req, res) => {
    const { guardians } = await guardianships.ListGuardians(
      { student_id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json({ items: restShape(guardians) });
  });

  router.get('/api/v1/people/:id/children', validateRequest('listChildren'), async (req, res) => {
    const { children } = await guardianships.ListChildren(
      { guardian_id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json({ items: restShape(children) });
  });

  // The Location of a new link: the link with its consent history, for those roster lets read it.
  router.get('/api/v1/guardianships/:id', validateRequest('getGuardianship'), async (req, res) => {
    const { guardianship } = await guardianships.GetGuardianship(
      { guardianship_id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json(restShape(guardianship));
  });

  router.post('/api/v1/guardianships/:id/consents', validateRequest('recordConsent'), async (req, res) => {
    const { guardianship } = await guardianships.RecordConsent(
      messageShape({ ...req.body, guardianshipId: String(req.params.id) }),
      await commandOptions(req, res, signer),
    );
    res.json(restShape(guardianship));
  });

  router.post(
    '/api/v1/guardianships/:id/revoke-consent',
    validateRequest('revokeConsent'),
    async (req, res) => {
      const { guardianship } = await guardianships.RevokeConsent(
        messageShape({ ...req.body, guardianshipId: String(req.params.id) }),
        await commandOptions(req, res, signer),
      );
      res.json(restShape(guardianship));
    },
  );

  router.post('/api/v1/guardianships/:id/unlink', validateRequest('unlinkGuardian'), async (req, res) => {
    const { guardianship } = await guardianships.UnlinkGuardian(
      messageShape({ ...req.body, guardianshipId: String(req.params.id) }),
      await commandOptions(req, res, signer),
    );
    res.json(restShape(guardianship));
  });

  return router;
}
