import { listLoginAudit, pollLoginAudit } from '../../src/domain/audit';
import { linkAccount } from '../../src/domain/accounts';
import { world } from './memory';
import { OPERATOR, SCHOOL, SCHOOL_ADMIN, apply, person } from './fixtures';

describe('login audit', () => {
  it("keeps Keycloak's logins once and shows the school only its own people's accounts", async () => {
    const w = world();
    await apply(w, person('p-t1', 'staff', 'Учитель'));
    w.keycloak.add('teacher', 'kc-t1');
    await linkAccount(w.deps, OPERATOR, { accountId: 'kc-t1', personId: 'p-t1', reason: 'Приём' });
    const base = { ipAddress: '10.0.0.1', identityProvider: '', clientId: 'edu-web' };
    w.keycloak.events.push(
      { ...base, id: 'e1', type: 'LOGIN', time: 1_000, userId: 'kc-t1', error: '' },
      {
        ...base,
        id: 'e2',
        type: 'LOGIN_ERROR',
        time: 2_000,
        userId: 'kc-t1',
        error: 'invalid_user_credentials',
      },
      { ...base, id: 'e3', type: 'LOGIN_ERROR', time: 2_000, userId: '', error: 'user_not_found' },
    );
    expect(await pollLoginAudit(w.deps)).toBe(3);
    expect(await pollLoginAudit(w.deps)).toBe(0);
    w.keycloak.events.push({
      ...base,
      id: 'e4',
      type: 'LOGIN',
      time: 3_000,
      userId: 'kc-t1',
      error: '',
      identityProvider: 'esia',
    });
    expect(await pollLoginAudit(w.deps)).toBe(1);
    const entries = await listLoginAudit(w.deps, SCHOOL_ADMIN, { schoolId: SCHOOL, accountId: '', limit: 0 });
    expect(entries.map((e) => [e.accountId, e.kind, e.method, e.error])).toEqual([
      ['kc-t1', 'login', 'esia', ''],
      ['kc-t1', 'login_error', 'password', 'invalid_user_credentials'],
      ['kc-t1', 'login', 'password', ''],
    ]);
  });
});
