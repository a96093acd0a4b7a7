import type { Actor, CallContext } from '@edu/grpc';
import { identityHandlers } from '../../src/entry-points/grpc/identity.grpc';
import { issueTemporaryLogin } from '../../src/domain/temporary-logins';
import { world, type World } from './memory';
import {
  DIRECTOR,
  GATEWAY,
  GUARDIAN,
  OPERATOR,
  SCHOOL,
  SCHOOL_ADMIN,
  TEACHER,
  apply,
  enrolled,
  person,
} from './fixtures';

// Deny by default: every RPC refused to whoever may not call it, as identity.forbidden, with a
// security log line naming ids only.

let w: World;
let logged: Record<string, unknown>[];

function ctx(actor: Actor): CallContext {
  const logger = {
    warn: (fields: Record<string, unknown>) => logged.push(fields),
    info: () => undefined,
    error: () => undefined,
    child: () => logger,
  };
  return {
    actor,
    traceId: 't',
    signal: new AbortController().signal,
    logger,
    metadata: {},
  } as unknown as CallContext;
}

type Handlers = ReturnType<typeof identityHandlers>;
const handlers = (): Handlers => identityHandlers(w.deps);

async function refused(call: Promise<unknown>): Promise<void> {
  await expect(call).rejects.toMatchObject({ code: 'identity.forbidden', kind: 'forbidden' });
  expect(logged.at(-1)).toMatchObject({ event: 'access_denied' });
  expect(JSON.stringify(logged.at(-1))).not.toMatch(/Иванов/);
}

let loginId = '';
beforeEach(async () => {
  w = world();
  logged = [];
  await apply(w, person('p-petr', 'student', 'Иванов Пётр Сергеевич'), enrolled('p-petr'));
  loginId = (
    await issueTemporaryLogin(w.deps, SCHOOL_ADMIN, {
      schoolId: SCHOOL,
      studentId: 'p-petr',
      reason: 'Нет ЕСИА',
      documentRef: 'Заявление № 1',
      validDays: 10,
    })
  ).login._id;
});

describe('authorization of every RPC', () => {
  it('ResolveActor: only the gateway', async () => {
    await refused(handlers().ResolveActor({ keycloak_sub: 'kc-1', esia_oid: '' }, ctx(OPERATOR)));
    const actor = await handlers().ResolveActor({ keycloak_sub: 'kc-new', esia_oid: '' }, ctx(GATEWAY));
    expect(actor).toMatchObject({ account_id: 'kc-new', person_id: '', version: '1' });
  });

  it('temporary logins: a teacher may not issue, list or revoke; a director may list only', async () => {
    const issue = { school_id: SCHOOL, student_id: 'p-petr', reason: 'x', document_ref: 'y', valid_days: 0 };
    await refused(handlers().IssueTemporaryLogin(issue, ctx(TEACHER)));
    await refused(handlers().IssueTemporaryLogin(issue, ctx(DIRECTOR)));
    await refused(handlers().ListTemporaryLogins({ school_id: SCHOOL, include_ended: true }, ctx(TEACHER)));
    await refused(
      handlers().RevokeTemporaryLogin({ temporary_login_id: loginId, reason: 'x' }, ctx(DIRECTOR)),
    );
    const listed = await handlers().ListTemporaryLogins(
      { school_id: SCHOOL, include_ended: true },
      ctx(DIRECTOR),
    );
    expect(listed.logins?.map((l) => l.temporary_login_id)).toEqual([loginId]);
  });

  it('login audit: a guardian and a director are refused; the school admin reads it', async () => {
    await refused(handlers().ListLoginAudit({ school_id: SCHOOL, account_id: '', limit: 0 }, ctx(GUARDIAN)));
    await refused(handlers().ListLoginAudit({ school_id: SCHOOL, account_id: '', limit: 0 }, ctx(DIRECTOR)));
    expect(
      await handlers().ListLoginAudit({ school_id: SCHOOL, account_id: '', limit: 0 }, ctx(SCHOOL_ADMIN)),
    ).toEqual({ entries: [] });
  });

  it('a school admin of another school sees nothing of this one', async () => {
    const other: Actor = { accountId: 'acc-x', schoolRoles: [], grants: ['schoolAdmin:school-2'] };
    await refused(handlers().ListLinkCandidates({ school_id: SCHOOL }, ctx(other)));
    await refused(handlers().ListAccountDeadlines({ school_id: SCHOOL, on: '' }, ctx(other)));
    await refused(handlers().IssueInvitation({ person_id: 'p-petr', school_id: SCHOOL }, ctx(other)));
  });

  it('grants: region operator only', async () => {
    await refused(
      handlers().GiveGrant(
        { account_id: 'acc-admin', role: 'regionOperator', scope_id: '', reason: '' },
        ctx(SCHOOL_ADMIN),
      ),
    );
    await refused(handlers().RevokeGrant({ grant_id: 'g', reason: '' }, ctx(SCHOOL_ADMIN)));
    await refused(handlers().ListGrants({ account_id: '', scope_id: SCHOOL }, ctx(DIRECTOR)));
  });

  it('links: a teacher may not link or unlink, nor decide a candidate', async () => {
    await refused(
      handlers().LinkAccount({ account_id: 'kc-1', person_id: 'p-petr', reason: 'x' }, ctx(TEACHER)),
    );
    await refused(handlers().UnlinkAccount({ account_id: 'kc-1', reason: 'x' }, ctx(TEACHER)));
    await refused(handlers().DecideLinkCandidate({ candidate_id: 'c-1', decision: 'confirm' }, ctx(TEACHER)));
    // Someone identity has not seen: only the region operator may provision it.
    await refused(
      handlers().LinkAccount({ account_id: 'kc-1', person_id: 'p-unknown', reason: 'x' }, ctx(SCHOOL_ADMIN)),
    );
  });

  it('GetMe is the caller itself', async () => {
    const me = await handlers().GetMe({}, ctx(GUARDIAN));
    expect(me).toMatchObject({
      account_id: 'acc-guardian',
      person_id: '',
      children: [],
      login_kind: 'password',
    });
  });
});
