import type { CallOptions } from '@edu/grpc';
import { currentContext } from '@edu/kit';
import type { TemporaryLogin__Output } from '@edu/proto/dist/generated/edu/identity/v1/TemporaryLogin';
import type { Actor } from '../src/domain/actor';
import type { IdentityPort, UpstreamCallOptions } from '../src/domain/ports';

// A fake identity port for the gateway's unit tests: ResolveActor answers from a map of accounts
// (unknown ones resolve to an actor with no person and no roles, as identity does), the rest
// answer messages as the service sends them (proto names, int64 as text).

/** One call the fake identity service received. */
export interface IdentityCall {
  method: string;
  request: unknown;
  options: UpstreamCallOptions;
  contextTraceId: string | undefined;
}

/** A temporary login of student-1 of school-1, active for 90 days. */
export function temporaryLoginMessage(
  overrides: Partial<TemporaryLogin__Output> = {},
): TemporaryLogin__Output {
  return {
    temporary_login_id: 'tl-1',
    school_id: 'school-1',
    student_id: 'student-1',
    username: 't-school1-k3x9qa',
    reason: 'Нет подтверждённой учётной записи на Госуслугах',
    document_ref: 'Заявление № 15 от 20.11.2026',
    status: 'active',
    issued_at: '2026-11-23T07:00:00.000Z',
    expires_at: '2027-02-21T07:00:00.000Z',
    ended_at: '',
    issued_by: 'account-admin',
    ...overrides,
  };
}

/** A fake identity port: records every call, answers, or fails with `failWith`. */
export function fakeIdentity() {
  const calls: IdentityCall[] = [];
  const actors = new Map<string, Omit<Actor, 'accountId'>>();
  let failure: unknown;
  let resolveFailure: unknown;
  const record = (method: string, request: unknown, options?: CallOptions) => {
    calls.push({
      method,
      request,
      options: options as UpstreamCallOptions,
      contextTraceId: currentContext()?.traceId,
    });
    if (failure !== undefined) throw failure;
  };
  const account = (overrides: Record<string, string> = {}) => ({
    account_id: 'account-1',
    person_id: 'person-1',
    linked_by: 'invitation',
    esia_oid: '',
    linked_at: '2026-11-23T07:00:00.000Z',
    ...overrides,
  });
  const grant = (overrides: Record<string, string> = {}) => ({
    grant_id: 'grant-1',
    account_id: 'account-1',
    role: 'schoolAdmin',
    scope_id: 'school-1',
    reason: 'Приказ № 12 от 01.09.2026',
    status: 'active',
    given_at: '2026-11-23T07:00:00.000Z',
    ...overrides,
  });
  const candidate = (overrides: Record<string, string> = {}) => ({
    candidate_id: 'candidate-1',
    school_id: 'school-1',
    account_id: 'account-2',
    person_id: 'student-2',
    person_display_name: 'Петров Иван Андреевич',
    status: 'pending',
    created_at: '2026-11-23T07:00:00.000Z',
    ...overrides,
  });

  const port: IdentityPort = {
    async ResolveActor(request, options) {
      calls.push({
        method: 'ResolveActor',
        request,
        options: options as UpstreamCallOptions,
        contextTraceId: undefined,
      });
      if (resolveFailure !== undefined) throw resolveFailure;
      const sub = request.keycloak_sub ?? '';
      const known = actors.get(sub);
      return {
        account_id: sub,
        person_id: known?.personId ?? '',
        school_roles: (known?.schoolRoles ?? []).map((r) => ({ school_id: r.schoolId, role: r.role })),
        grants: known?.grants ?? [],
        version: '1',
      };
    },
    async GetMe(request, options) {
      record('GetMe', request, options);
      return {
        account_id: 'account-1',
        person_id: 'guardian-1',
        display_name: 'Иванова Мария Петровна',
        school_roles: [],
        grants: [],
        children: [
          {
            person_id: 'student-1',
            school_id: 'school-1',
            display_name: 'Иванов Пётр Сергеевич',
            kind: 'legal_representative',
            consent_active: true,
          },
        ],
        login_kind: 'esia',
        esia_trusted: true,
      };
    },
    async ListLinkCandidates(request, options) {
      record('ListLinkCandidates', request, options);
      return { candidates: [candidate()] };
    },
    async DecideLinkCandidate(request, options) {
      record('DecideLinkCandidate', request, options);
      return candidate({ status: request.decision === 'confirm' ? 'confirmed' : 'rejected' });
    },
    async IssueInvitation(request, options) {
      record('IssueInvitation', request, options);
      return {
        invitation_id: 'invitation-1',
        person_id: request.person_id ?? '',
        code: 'K3X9-QA7M-2PZD',
        expires_at: '2026-12-07T07:00:00.000Z',
      };
    },
    async RedeemInvitation(request, options) {
      record('RedeemInvitation', request, options);
      return account();
    },
    async LinkAccount(request, options) {
      record('LinkAccount', request, options);
      return account({
        account_id: request.account_id ?? '',
        person_id: request.person_id ?? '',
        linked_by: 'provisioned',
      });
    },
    async UnlinkAccount(request, options) {
      record('UnlinkAccount', request, options);
      return account({ account_id: request.account_id ?? '', person_id: '', linked_by: '' });
    },
    async ListGrants(request, options) {
      record('ListGrants', request, options);
      return { grants: [grant()] };
    },
    async GiveGrant(request, options) {
      record('GiveGrant', request, options);
      return grant({
        account_id: request.account_id ?? '',
        role: request.role ?? '',
        scope_id: request.scope_id ?? '',
        reason: request.reason ?? '',
      });
    },
    async RevokeGrant(request, options) {
      record('RevokeGrant', request, options);
      return grant({ grant_id: request.grant_id ?? '', status: 'revoked' });
    },
    async IssueTemporaryLogin(request, options) {
      record('IssueTemporaryLogin', request, options);
      return {
        login: temporaryLoginMessage({
          school_id: request.school_id ?? '',
          student_id: request.student_id ?? '',
          reason: request.reason ?? '',
          document_ref: request.document_ref ?? '',
        }),
        one_time_password: 'Vr7-kq2M-xP4t',
      };
    },
    async ListTemporaryLogins(request, options) {
      record('ListTemporaryLogins', request, options);
      return { logins: [temporaryLoginMessage()] };
    },
    async RevokeTemporaryLogin(request, options) {
      record('RevokeTemporaryLogin', request, options);
      return temporaryLoginMessage({ status: 'revoked', ended_at: '2026-11-24T07:00:00.000Z' });
    },
    async ListAccountDeadlines(request, options) {
      record('ListAccountDeadlines', request, options);
      return {
        overdue: [
          {
            person_id: 'student-3',
            display_name: 'Сидоров Олег',
            kind: 'student',
            since: '2026-11-16',
            working_days: 6,
          },
        ],
      };
    },
    async ListLoginAudit(request, options) {
      record('ListLoginAudit', request, options);
      return {
        entries: [
          {
            account_id: 'account-1',
            person_id: 'student-1',
            kind: 'login_error',
            at: '2026-11-23T07:00:00.000Z',
            method: 'password',
            error: 'invalid_user_credentials',
            ip_address: '10.0.0.7',
          },
        ],
      };
    },
  };
  return {
    port,
    calls,
    /** The actor identity resolves this Keycloak user to. */
    setActor(keycloakSub: string, actor: Omit<Actor, 'accountId'>) {
      actors.set(keycloakSub, actor);
    },
    failWith(error: unknown) {
      failure = error;
    },
    /** Makes ResolveActor fail (identity down). */
    failResolveWith(error: unknown) {
      resolveFailure = error;
    },
    reset() {
      calls.length = 0;
      failure = undefined;
      resolveFailure = undefined;
    },
  };
}
