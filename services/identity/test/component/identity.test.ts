import { randomUUID } from 'node:crypto';
import { waitFor } from '@edu/testing';
import {
  GATEWAY_ACTOR,
  OPERATOR_ACTOR,
  refusal,
  rosterEvent,
  startIdentity,
  type IdentityHarness,
} from './harness';

// Identity against the real FerretDB and Kafka: roster's events become copies that decide the
// actor; grants and temporary logins are published through the outbox on edu.identity.v1.

let h: IdentityHarness;
const school = `school-${randomUUID().slice(0, 8)}`;
const teacher = `p-${randomUUID().slice(0, 8)}`;
const student = `p-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  // The expiry timer runs for real, often: the test moves the clock and waits for it.
  h = await startIdentity({
    start: new Date('2026-09-07T09:00:00Z'),
    env: { EDU_TEMPORARY_LOGIN_CHECK_INTERVAL: '200ms' },
  });
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const resolve = async (sub: string) =>
  h.client.ResolveActor({ keycloak_sub: sub, esia_oid: '' }, await h.as(GATEWAY_ACTOR));

it("roster's events decide the actor's roles; a dismissal changes them and tells the gateway", async () => {
  const position = (status: string) => ({
    position_id: `pos-${teacher}`,
    school_id: school,
    person_id: teacher,
    kind: 'teacher',
    title: 'Учитель математики',
    status,
  });
  await h.publishRoster([
    rosterEvent('edu.roster.person.registered', school, teacher, 1, {
      person: {
        person_id: teacher,
        school_id: school,
        kind: 'staff',
        display_name: 'Петрова Ольга Ивановна',
        status: 'active',
      },
    }),
    rosterEvent('edu.roster.staff.hired', school, `pos-${teacher}`, 1, {
      position: position('active'),
      effective_on: '2026-09-01',
    }),
  ]);
  const kcId = h.keycloak.add(`olga-${teacher}`);
  await h.client.LinkAccount(
    { account_id: kcId, person_id: teacher, reason: 'Приём на работу' },
    await h.as(OPERATOR_ACTOR),
  );
  const before = await resolve(kcId);
  expect(before.person_id).toBe(teacher);
  expect(before.school_roles).toEqual([{ school_id: school, role: 'teacher' }]);

  await h.publishRoster([
    rosterEvent('edu.roster.staff.dismissed', school, `pos-${teacher}`, 2, {
      position: position('dismissed'),
      effective_on: '2026-09-06',
    }),
  ]);
  const after = await resolve(kcId);
  expect(after.school_roles).toEqual([]);
  expect(Number(after.version)).toBeGreaterThan(Number(before.version));
  await waitFor(async () => (await h.published()).some((e) => e.type === 'edu.identity.actor.changed'), {
    timeoutMs: 30_000,
  });
  const changed = (await h.published()).find((e) => e.type === 'edu.identity.actor.changed')!;
  expect(changed).toMatchObject({ schoolId: school, payload: { account_id: kcId } });
  expect((await h.published()).find((e) => e.type === 'edu.identity.account.linked')).toMatchObject({
    schoolId: school,
    payload: { account_id: kcId, person_id: teacher, linked_by: 'provisioned' },
  });
});

it('a grant is published on the topic and appears in the actor', async () => {
  const kcId = h.keycloak.add(`admin-${school}`);
  const grant = await h.client.GiveGrant(
    { account_id: kcId, role: 'schoolAdmin', scope_id: school, reason: 'Назначение администратором' },
    await h.as(OPERATOR_ACTOR),
  );
  expect(grant).toMatchObject({ account_id: kcId, role: 'schoolAdmin', scope_id: school, status: 'active' });
  const actor = await resolve(kcId);
  expect(actor.grants).toEqual([`schoolAdmin:${school}`]);
  expect(actor.school_roles).toEqual([{ school_id: school, role: 'schoolAdmin' }]);
  await waitFor(async () => (await h.published()).some((e) => e.type === 'edu.identity.grant.given'), {
    timeoutMs: 30_000,
  });
  const given = (await h.published()).find((e) => e.type === 'edu.identity.grant.given')!;
  expect(given).toMatchObject({
    schoolId: school,
    payload: { grant_id: grant.grant_id, account_id: kcId, role: 'schoolAdmin', scope_id: school },
  });

  const denied = await refusal(
    h.client.GiveGrant(
      { account_id: kcId, role: 'regionOperator', scope_id: '', reason: '' },
      await h.as({ accountId: kcId, schoolRoles: [], grants: [`schoolAdmin:${school}`] }),
    ),
  );
  expect(denied.domainError?.code).toBe('identity.forbidden');
  expect(h.logs()).toContainEqual(
    expect.objectContaining({ event: 'access_denied', accountId: kcId, action: 'grant.give' }),
  );
});

it('a temporary login past its end is disabled by the expiry timer and published', async () => {
  await h.publishRoster([
    rosterEvent('edu.roster.person.registered', school, student, 1, {
      person: {
        person_id: student,
        school_id: school,
        kind: 'student',
        display_name: 'Иванов Пётр Сергеевич',
        status: 'active',
      },
    }),
    rosterEvent('edu.roster.student.enrolled', school, `y1:${student}`, 1, {
      enrolment: {
        enrolment_id: `y1:${student}`,
        school_id: school,
        academic_year_id: 'y1',
        student_id: student,
        class_id: 'c1',
        status: 'active',
      },
      movement: { from_class_id: '', to_class_id: 'c1', effective_on: '2026-09-01' },
    }),
  ]);
  const admin = { accountId: 'acc-school-admin', schoolRoles: [], grants: [`schoolAdmin:${school}`] };
  const issued = await h.client.IssueTemporaryLogin(
    {
      school_id: school,
      student_id: student,
      reason: 'Нет учётной записи ЕСИА',
      document_ref: 'Заявление № 3 от 07.09.2026',
      valid_days: 2,
    },
    await h.as(admin),
  );
  const login = issued.login!;
  expect(issued.one_time_password).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*\d).{10,}$/);
  expect(login).toMatchObject({ status: 'active', expires_at: '2026-09-09T09:00:00.000Z' });
  const accountId = [...h.keycloak.users.values()].find((u) => u.username === login.username)!.id;
  expect((await resolve(accountId)).person_id).toBe(student);

  // Still active just before its end, whatever the timer does.
  h.clock.now = new Date('2026-09-09T08:59:59Z');
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect(h.keycloak.users.get(accountId)?.enabled).toBe(true);
  h.clock.now = new Date('2026-09-09T09:00:01Z');
  await waitFor(() => h.keycloak.users.get(accountId)?.enabled === false, { timeoutMs: 10_000 });
  const listed = await h.client.ListTemporaryLogins(
    { school_id: school, include_ended: true },
    await h.as(admin),
  );
  expect(listed.logins?.map((l) => [l.temporary_login_id, l.status])).toEqual([
    [login.temporary_login_id, 'expired'],
  ]);
  await waitFor(
    async () => (await h.published()).some((e) => e.type === 'edu.identity.temporary_login.expired'),
    { timeoutMs: 30_000 },
  );
  const types = (await h.published())
    .filter((e) => e.aggregateId === login.temporary_login_id)
    .map((e) => e.type);
  expect(types).toEqual(['edu.identity.temporary_login.issued', 'edu.identity.temporary_login.expired']);
});
