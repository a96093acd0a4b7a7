import { Router, type Request, type Response } from 'express';
import type { ActorSignerPort, IdentityPort } from '../../domain/ports';
import { restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

export interface IdentityRoutesDeps {
  identity: IdentityPort;
  signer: ActorSignerPort;
}

interface IssueTemporaryLoginBody {
  studentId: string;
  reason: string;
  documentRef: string;
  validDays?: number;
}

interface GiveGrantBody {
  role: string;
  scopeId?: string;
  reason: string;
}

const param = (req: Request, name: string) => String(req.params[name]);

/**
 * An answer that carries a secret shown once (a one-time password, an invitation code): never
 * kept by a browser or a proxy. Every /api answer is no-store already; this one must not depend
 * on that.
 */
function secretAnswer(res: Response): Response {
  return res.status(201).set('Cache-Control', 'no-store');
}

/**
 * Accounts (R1.6, R1.7, R10.1): REST in front of the identity service. The caller's own account
 * (`/me`), temporary student logins, link candidates, invitation codes, direct links, explicit
 * grants, the people still without an account and the login audit. Identity decides who may do
 * what; the gateway checks the request and passes the actor on.
 */
export function identityRouter({ identity, signer }: IdentityRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.get('/api/v1/me', validateRequest('getMe'), async (_req, res) => {
    const me = await identity.GetMe({}, await upstreamOptions(res, signer));
    res.json(restShape(me));
  });

  // --- Temporary student logins (R1.6) ---

  router.post(
    '/api/v1/schools/:schoolId/temporary-logins',
    validateRequest('issueTemporaryLogin'),
    async (req, res) => {
      const body = req.body as IssueTemporaryLoginBody;
      const issued = await identity.IssueTemporaryLogin(
        {
          school_id: param(req, 'schoolId'),
          student_id: body.studentId,
          reason: body.reason,
          document_ref: body.documentRef,
          // 0 is identity's default (90 days).
          valid_days: body.validDays ?? 0,
        },
        await commandOptions(req, res, signer),
      );
      const id = issued.login?.temporary_login_id ?? '';
      secretAnswer(res)
        .location(`/api/v1/temporary-logins/${encodeURIComponent(id)}`)
        .json(restShape(issued));
    },
  );

  router.get(
    '/api/v1/schools/:schoolId/temporary-logins',
    validateRequest('listTemporaryLogins'),
    async (req, res) => {
      const query = req.query as { includeEnded?: string };
      const logins = await identity.ListTemporaryLogins(
        { school_id: param(req, 'schoolId'), include_ended: query.includeEnded === 'true' },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(logins));
    },
  );

  router.post(
    '/api/v1/temporary-logins/:temporaryLoginId/revoke',
    validateRequest('revokeTemporaryLogin'),
    async (req, res) => {
      const body = req.body as { reason: string };
      const login = await identity.RevokeTemporaryLogin(
        { temporary_login_id: param(req, 'temporaryLoginId'), reason: body.reason },
        await commandOptions(req, res, signer),
      );
      res.json(restShape(login));
    },
  );

  // --- Links (R1.7) ---

  router.get(
    '/api/v1/schools/:schoolId/link-candidates',
    validateRequest('listLinkCandidates'),
    async (req, res) => {
      const candidates = await identity.ListLinkCandidates(
        { school_id: param(req, 'schoolId') },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(candidates));
    },
  );

  router.post(
    '/api/v1/link-candidates/:candidateId/decision',
    validateRequest('decideLinkCandidate'),
    async (req, res) => {
      const body = req.body as { decision: string };
      const candidate = await identity.DecideLinkCandidate(
        { candidate_id: param(req, 'candidateId'), decision: body.decision },
        await commandOptions(req, res, signer),
      );
      res.json(restShape(candidate));
    },
  );

  router.post('/api/v1/invitations', validateRequest('issueInvitation'), async (req, res) => {
    const body = req.body as { personId: string; schoolId: string };
    const invitation = await identity.IssueInvitation(
      { person_id: body.personId, school_id: body.schoolId },
      await commandOptions(req, res, signer),
    );
    secretAnswer(res).json(restShape(invitation));
  });

  router.post('/api/v1/invitations/redeem', validateRequest('redeemInvitation'), async (req, res) => {
    const body = req.body as { code: string };
    const account = await identity.RedeemInvitation(
      { code: body.code },
      await commandOptions(req, res, signer),
    );
    res.json(restShape(account));
  });

  router.post('/api/v1/accounts/:accountId/link', validateRequest('linkAccount'), async (req, res) => {
    const body = req.body as { personId: string; reason: string };
    const account = await identity.LinkAccount(
      { account_id: param(req, 'accountId'), person_id: body.personId, reason: body.reason },
      await commandOptions(req, res, signer),
    );
    res.json(restShape(account));
  });

  router.post('/api/v1/accounts/:accountId/unlink', validateRequest('unlinkAccount'), async (req, res) => {
    const body = req.body as { reason: string };
    const account = await identity.UnlinkAccount(
      { account_id: param(req, 'accountId'), reason: body.reason },
      await commandOptions(req, res, signer),
    );
    res.json(restShape(account));
  });

  // --- Grants ---

  router.get('/api/v1/accounts/:accountId/grants', validateRequest('listAccountGrants'), async (req, res) => {
    const grants = await identity.ListGrants(
      { account_id: param(req, 'accountId'), scope_id: '' },
      await upstreamOptions(res, signer),
    );
    res.json(restShape(grants));
  });

  router.post('/api/v1/accounts/:accountId/grants', validateRequest('giveGrant'), async (req, res) => {
    const body = req.body as GiveGrantBody;
    const grant = await identity.GiveGrant(
      {
        account_id: param(req, 'accountId'),
        role: body.role,
        scope_id: body.scopeId ?? '',
        reason: body.reason,
      },
      await commandOptions(req, res, signer),
    );
    res
      .status(201)
      .location(`/api/v1/grants/${encodeURIComponent(grant.grant_id)}`)
      .json(restShape(grant));
  });

  router.post('/api/v1/grants/:grantId/revoke', validateRequest('revokeGrant'), async (req, res) => {
    const body = req.body as { reason: string };
    const grant = await identity.RevokeGrant(
      { grant_id: param(req, 'grantId'), reason: body.reason },
      await commandOptions(req, res, signer),
    );
    res.json(restShape(grant));
  });

  // --- Control (R1.7) ---

  router.get(
    '/api/v1/schools/:schoolId/account-deadlines',
    validateRequest('listAccountDeadlines'),
    async (req, res) => {
      const query = req.query as { on?: string };
      const deadlines = await identity.ListAccountDeadlines(
        { school_id: param(req, 'schoolId'), on: query.on ?? '' },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(deadlines));
    },
  );

  router.get('/api/v1/schools/:schoolId/login-audit', validateRequest('listLoginAudit'), async (req, res) => {
    const query = req.query as { accountId?: string; limit?: string };
    const audit = await identity.ListLoginAudit(
      {
        school_id: param(req, 'schoolId'),
        account_id: query.accountId ?? '',
        // 0 is identity's default (100).
        limit: query.limit === undefined ? 0 : Number(query.limit),
      },
      await upstreamOptions(res, signer),
    );
    res.json(restShape(audit));
  });

  return router;
}
