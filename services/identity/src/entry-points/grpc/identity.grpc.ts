import type { CallContext, ServiceHandlers } from '@edu/grpc';
import type { Account } from '@edu/proto/dist/generated/edu/identity/v1/Account';
import type { Grant } from '@edu/proto/dist/generated/edu/identity/v1/Grant';
import type { IdentityServiceDefinition } from '@edu/proto/dist/generated/edu/identity/v1/IdentityService';
import type { LinkCandidate } from '@edu/proto/dist/generated/edu/identity/v1/LinkCandidate';
import type { TemporaryLogin } from '@edu/proto/dist/generated/edu/identity/v1/TemporaryLogin';
import {
  decideLinkCandidate,
  getMe,
  issueInvitation,
  linkAccount,
  listLinkCandidates,
  redeemInvitation,
  unlinkAccount,
} from '../../domain/accounts';
import { listLoginAudit } from '../../domain/audit';
import { listAccountDeadlines } from '../../domain/deadlines';
import { resolveActor } from '../../domain/esia-linking';
import { giveGrant, listGrants, revokeGrant } from '../../domain/grants';
import type { IdentityDeps } from '../../domain/links';
import type { AccountDoc, CandidateDoc, GrantDoc, TemporaryLoginDoc } from '../../domain/model';
import { authorize, isGateway } from '../../domain/policy';
import {
  issueTemporaryLogin,
  listTemporaryLogins,
  revokeTemporaryLogin,
} from '../../domain/temporary-logins';

// IdentityService over gRPC: translate, call the use case (which authorizes), translate back.
// Refusals are logged with the call's logger (its trace id), ids only.

export function identityHandlers(base: IdentityDeps): ServiceHandlers<IdentityServiceDefinition> {
  const deps = (ctx: CallContext): IdentityDeps => ({ ...base, log: ctx.logger });
  return {
    ResolveActor: async (request, ctx) => {
      authorize(ctx.logger, ctx.actor, isGateway(ctx.actor), { action: 'actor.resolve', object: 'account' });
      const actor = await resolveActor(deps(ctx), {
        keycloakSub: request.keycloak_sub,
        esiaOid: request.esia_oid,
      });
      return {
        account_id: actor.accountId,
        person_id: actor.personId,
        school_roles: actor.schoolRoles.map((r) => ({ school_id: r.schoolId, role: r.role })),
        grants: actor.grants,
        version: String(actor.version),
      };
    },
    GetMe: async (_request, ctx) => {
      const me = await getMe(deps(ctx), ctx.actor);
      return {
        account_id: me.accountId,
        person_id: me.personId,
        display_name: me.displayName,
        school_roles: me.schoolRoles.map((r) => ({ school_id: r.schoolId, role: r.role })),
        grants: me.grants,
        children: me.children.map((c) => ({
          person_id: c.personId,
          school_id: c.schoolId,
          display_name: c.displayName,
          kind: c.kind,
          consent_active: c.consentActive,
        })),
        login_kind: me.loginKind,
        esia_trusted: me.esiaTrusted,
      };
    },
    ListLinkCandidates: async (request, ctx) => ({
      candidates: (await listLinkCandidates(deps(ctx), ctx.actor, request.school_id)).map(toCandidate),
    }),
    DecideLinkCandidate: async (request, ctx) =>
      toCandidate(
        await decideLinkCandidate(deps(ctx), ctx.actor, {
          candidateId: request.candidate_id,
          decision: request.decision,
        }),
      ),
    IssueInvitation: async (request, ctx) => {
      const { invitation, code } = await issueInvitation(deps(ctx), ctx.actor, {
        personId: request.person_id,
        schoolId: request.school_id,
      });
      return {
        invitation_id: invitation.invitationId,
        person_id: invitation.personId,
        code,
        expires_at: invitation.expiresAt,
      };
    },
    RedeemInvitation: async (request, ctx) =>
      toAccount(await redeemInvitation(deps(ctx), ctx.actor, request.code)),
    LinkAccount: async (request, ctx) =>
      toAccount(
        await linkAccount(deps(ctx), ctx.actor, {
          accountId: request.account_id,
          personId: request.person_id,
          reason: request.reason,
        }),
      ),
    UnlinkAccount: async (request, ctx) =>
      toAccount(
        await unlinkAccount(deps(ctx), ctx.actor, { accountId: request.account_id, reason: request.reason }),
      ),
    ListGrants: async (request, ctx) => ({
      grants: (
        await listGrants(deps(ctx), ctx.actor, { accountId: request.account_id, scopeId: request.scope_id })
      ).map(toGrant),
    }),
    GiveGrant: async (request, ctx) =>
      toGrant(
        await giveGrant(deps(ctx), ctx.actor, {
          accountId: request.account_id,
          role: request.role,
          scopeId: request.scope_id,
          reason: request.reason,
        }),
      ),
    RevokeGrant: async (request, ctx) =>
      toGrant(await revokeGrant(deps(ctx), ctx.actor, { grantId: request.grant_id, reason: request.reason })),
    IssueTemporaryLogin: async (request, ctx) => {
      const { login, password } = await issueTemporaryLogin(deps(ctx), ctx.actor, {
        schoolId: request.school_id,
        studentId: request.student_id,
        reason: request.reason,
        documentRef: request.document_ref,
        validDays: request.valid_days,
      });
      return { login: toTemporaryLogin(login), one_time_password: password };
    },
    ListTemporaryLogins: async (request, ctx) => ({
      logins: (
        await listTemporaryLogins(deps(ctx), ctx.actor, {
          schoolId: request.school_id,
          includeEnded: request.include_ended,
        })
      ).map(toTemporaryLogin),
    }),
    RevokeTemporaryLogin: async (request, ctx) =>
      toTemporaryLogin(
        await revokeTemporaryLogin(deps(ctx), ctx.actor, {
          temporaryLoginId: request.temporary_login_id,
          reason: request.reason,
        }),
      ),
    ListAccountDeadlines: async (request, ctx) => ({
      overdue: (
        await listAccountDeadlines(deps(ctx), ctx.actor, { schoolId: request.school_id, on: request.on })
      ).map((d) => ({
        person_id: d.personId,
        display_name: d.displayName,
        kind: d.kind,
        since: d.since,
        working_days: d.workingDays,
      })),
    }),
    ListLoginAudit: async (request, ctx) => ({
      entries: (
        await listLoginAudit(deps(ctx), ctx.actor, {
          schoolId: request.school_id,
          accountId: request.account_id,
          limit: request.limit,
        })
      ).map((e) => ({
        account_id: e.accountId,
        person_id: e.personId,
        kind: e.kind,
        at: e.at,
        method: e.method,
        error: e.error,
        ip_address: e.ipAddress,
      })),
    }),
  };
}

export function toAccount(account: AccountDoc): Account {
  return {
    account_id: account._id,
    person_id: account.personId,
    linked_by: account.linkedBy,
    esia_oid: account.esiaOid,
    linked_at: account.linkedAt,
  };
}

function toCandidate(c: CandidateDoc): LinkCandidate {
  return {
    candidate_id: c._id,
    school_id: c.schoolId,
    account_id: c.accountId,
    person_id: c.personId,
    person_display_name: c.personDisplayName,
    status: c.status,
    created_at: c.createdAt,
  };
}

function toGrant(g: GrantDoc): Grant {
  return {
    grant_id: g._id,
    account_id: g.accountId,
    role: g.role,
    scope_id: g.scopeId,
    reason: g.reason,
    status: g.status,
    given_at: g.givenAt,
  };
}

function toTemporaryLogin(l: TemporaryLoginDoc): TemporaryLogin {
  return {
    temporary_login_id: l._id,
    school_id: l.schoolId,
    student_id: l.studentId,
    username: l.username,
    reason: l.reason,
    document_ref: l.documentRef,
    status: l.status,
    issued_at: l.issuedAt,
    expires_at: l.expiresAt,
    ended_at: l.endedAt,
    issued_by: l.issuedBy,
  };
}
