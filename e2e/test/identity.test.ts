import mongoose from 'mongoose';
import {
  academicYearPlanFixture,
  createTestUser,
  deleteTestUser,
  endpoints,
  keycloakAdmin,
  loginThroughEsia,
  loginWithPassword,
  passwordToken,
  schoolCardFixture,
  uniqueName,
  waitFor,
  type TestUser,
} from '@edu/testing';
import { api, startSlice, type Slice } from './helpers';

// Identity end to end, browser-free: a person logs in through Keycloak's identity provider (an
// alias of this test pointing at this platform's ESIA bridge), the bridge speaks ESIA's protocol
// to the ESIA emulator, Keycloak creates the user, the gateway resolves the actor through identity,
// identity links the account to roster's person and proposes the children ESIA lists. Then the
// temporary student login's life, and who may issue one.

const PROBLEM_JSON = /^application\/problem\+json/;
const enrolOrder = { number: '3-у', date: '2026-08-28', title: 'О зачислении' };

// The ESIA emulator's fixture users (deploy/local/esia-emulator/fixtures.json).
const OIDS = ['1000000001', '1000000002', '1000000003', '1000000004'];

interface Me {
  accountId: string;
  personId: string;
  loginKind: string;
  esiaTrusted: boolean;
  children: { personId: string; consentActive: boolean; displayName: string }[];
}

describe('identity: ESIA logins through Keycloak and the bridge, accounts, temporary logins', () => {
  let slice: Slice;
  const users: TestUser[] = [];
  const idpAlias = uniqueName('esia').replaceAll('_', '-');
  let schoolId: string;
  let otherSchoolId: string;
  let admin: string;
  let otherAdmin: string;
  let teacher: string;
  let classId: string;
  const family: Record<'parent' | 'pyotr' | 'anna' | 'ivan' | 'olga', string> = {
    parent: '',
    pyotr: '',
    anna: '',
    ivan: '',
    olga: '',
  };

  const user = async (roles: { schoolId: string; role: string }[]) => {
    const created = await createTestUser({ schoolRoles: roles });
    users.push(created);
    return created.token();
  };

  /** Keycloak users left by an earlier ESIA login of the fixture users (a run or `npm start`). */
  const deleteEsiaUsers = async () => {
    for (const oid of OIDS) {
      const found = (await (await keycloakAdmin('GET', `/users?username=esia-${oid}&exact=true`)).json()) as {
        id: string;
      }[];
      for (const { id } of found) await keycloakAdmin('DELETE', `/users/${id}`);
    }
  };

  /** The realm's IdP `esia`, copied under this test's alias and pointed at this platform's bridge. */
  const createIdentityProvider = async () => {
    const bridge = slice.platform.esiaBridgeUrl;
    const realmIdp = (await (await keycloakAdmin('GET', '/identity-provider/instances/esia')).json()) as {
      config: Record<string, string>;
    } & Record<string, unknown>;
    const { internalId: _internalId, ...copy } = realmIdp;
    await keycloakAdmin('POST', '/identity-provider/instances', {
      ...copy,
      alias: idpAlias,
      config: {
        ...realmIdp.config,
        issuer: bridge,
        authorizationUrl: `${bridge}/authorize`,
        tokenUrl: `${bridge}/token`,
        userInfoUrl: `${bridge}/userinfo`,
        jwksUrl: `${bridge}/jwks`,
        clientSecret: 'dev-only-esia-bridge-secret',
      },
    });
    const mappers = (await (
      await keycloakAdmin('GET', '/identity-provider/instances/esia/mappers')
    ).json()) as Record<string, unknown>[];
    for (const { id: _id, ...mapper } of mappers) {
      await keycloakAdmin('POST', `/identity-provider/instances/${idpAlias}/mappers`, {
        ...mapper,
        identityProviderAlias: idpAlias,
      });
    }
  };

  /** Logs in through ESIA as the fixture user; the access token. */
  const esiaLogin = async (fixtureUser: string) => {
    const result = await loginThroughEsia({ keycloakUrl: endpoints().keycloakUrl, idpAlias, fixtureUser });
    if (!result.tokens) {
      throw new Error(
        `the ESIA login of ${fixtureUser} stopped at ${result.stoppedAt?.url} (${result.stoppedAt?.status}): ` +
          `${result.stoppedAt?.body.slice(0, 500)}\nvisited: ${result.visited.join(' → ')}`,
      );
    }
    return result.tokens.access_token;
  };

  const me = async (token: string) => {
    const answer = await api(slice, 'GET', '/api/v1/me', { token });
    expect(answer.status).toBe(200);
    return answer.body as unknown as Me;
  };

  const register = async (body: Record<string, unknown>) => {
    const created = await api(slice, 'POST', `/api/v1/schools/${schoolId}/people`, { token: admin, body });
    expect(created.status).toBe(201);
    return String(created.body.id);
  };

  beforeAll(async () => {
    slice = await startSlice();
    const operator = await slice.token('operator');
    const school = await api(slice, 'POST', '/api/v1/schools', {
      token: operator,
      body: schoolCardFixture(),
    });
    const other = await api(slice, 'POST', '/api/v1/schools', { token: operator, body: schoolCardFixture() });
    expect([school.status, other.status]).toEqual([201, 201]);
    schoolId = String(school.body.id);
    otherSchoolId = String(other.body.id);
    admin = await user([{ schoolId, role: 'schoolAdmin' }]);
    otherAdmin = await user([{ schoolId: otherSchoolId, role: 'schoolAdmin' }]);
    teacher = await user([{ schoolId, role: 'teacher' }]);

    // The family of the emulator's fixtures, as the school registered it.
    family.parent = await register({
      kind: 'guardian',
      lastName: 'Иванова',
      firstName: 'Мария',
      middleName: 'Петровна',
      birthDate: '1985-03-12',
      sex: 'female',
      snils: '112-233-445 95',
    });
    family.pyotr = await register({
      kind: 'student',
      lastName: 'Иванов',
      firstName: 'Пётр',
      middleName: 'Сергеевич',
      birthDate: '2013-02-01',
      sex: 'male',
      snils: '123-456-789 64',
      birthCertificate: { series: 'II-МЮ', number: '654321' },
    });
    family.anna = await register({
      kind: 'student',
      lastName: 'Иванова',
      firstName: 'Анна',
      middleName: 'Сергеевна',
      birthDate: '2016-06-15',
      sex: 'female',
      birthCertificate: { series: 'III-МЮ', number: '123456' },
    });
    // ESIA's СНИЛС of this child is not in roster: only the name and birth date match.
    family.ivan = await register({
      kind: 'student',
      lastName: 'Петров',
      firstName: 'Иван',
      middleName: 'Андреевич',
      birthDate: '2014-09-03',
      sex: 'male',
    });
    // A student with no ESIA account: the one a temporary login is for.
    family.olga = await register({
      kind: 'student',
      lastName: 'Сидорова',
      firstName: 'Ольга',
      birthDate: '2015-04-09',
      sex: 'female',
    });
    const year = await api(slice, 'POST', `/api/v1/schools/${schoolId}/academic-years`, {
      token: admin,
      body: academicYearPlanFixture(),
    });
    expect(year.status).toBe(201);
    const opened = await api(slice, 'POST', `/api/v1/academic-years/${String(year.body.id)}/classes`, {
      token: admin,
      body: { grade: 5, letter: 'А' },
    });
    expect(opened.status).toBe(201);
    classId = String(opened.body.id);
    for (const studentId of [family.pyotr, family.anna, family.ivan, family.olga]) {
      const enrolled = await api(slice, 'POST', `/api/v1/classes/${classId}/students`, {
        token: admin,
        body: { studentId, effectiveOn: '2026-09-01', order: enrolOrder },
      });
      expect(enrolled.status).toBe(201);
    }

    await deleteEsiaUsers();
    await createIdentityProvider();
  });

  afterAll(async () => {
    await keycloakAdmin('DELETE', `/identity-provider/instances/${idpAlias}`).catch(() => undefined);
    await deleteEsiaUsers().catch(() => undefined);
    await Promise.all(users.map((u) => deleteTestUser(u)));
    await slice?.close();
  });

  describe('ESIA logins', () => {
    it('when the trusted parent logs in through ESIA, then /me is her roster person and both children ESIA lists are linked, without consent yet', async () => {
      const token = await esiaLogin('parent-trusted');

      const first = await me(token);
      expect(first).toMatchObject({ personId: family.parent, loginKind: 'esia', esiaTrusted: true });
      // Roster records the links identity proposed; identity's copy hears of them by events.
      const linked = await waitFor(
        async () => {
          const current = await me(token);
          return current.children.length === 2 ? current : undefined;
        },
        { what: 'both children in /me', timeoutMs: 20_000 },
      );
      expect(linked.children.map((c) => c.personId).sort()).toEqual([family.pyotr, family.anna].sort());
      expect(linked.children.every((c) => !c.consentActive)).toBe(true);

      // Roster is the owner: the school sees the links, made by identity, consent still to record.
      const guardians = await api(slice, 'GET', `/api/v1/people/${family.anna}/guardians`, { token: admin });
      expect(guardians.status).toBe(200);
      expect(guardians.body.items).toEqual([
        expect.objectContaining({
          guardian: expect.objectContaining({ id: family.parent }),
          guardianship: expect.objectContaining({ status: 'active', consentActive: false }),
        }),
      ]);
    });

    it('when the parent logs in again, then nothing is linked twice', async () => {
      const token = await esiaLogin('parent-trusted');

      const again = await me(token);

      expect(again.personId).toBe(family.parent);
      expect(again.children).toHaveLength(2);
      const guardians = await api(slice, 'GET', `/api/v1/people/${family.pyotr}/guardians`, { token: admin });
      expect(guardians.body.items).toHaveLength(1);
    });

    it('when the untrusted account logs in, then it is nobody in the journal and has no children', async () => {
      const token = await esiaLogin('untrusted');

      const untrusted = await me(token);

      expect(untrusted).toMatchObject({ personId: '', esiaTrusted: false, children: [] });
    });

    it("when the child's own account (level KD) logs in, then it is linked to the student by СНИЛС", async () => {
      const token = await esiaLogin('child-kd');

      expect(await me(token)).toMatchObject({ personId: family.pyotr, loginKind: 'esia', children: [] });
    });

    it('when a child whose СНИЛС roster does not have logs in, then it is linked to nobody and the school admin sees a candidate by name and birth date', async () => {
      const token = await esiaLogin('child-name-only');

      expect(await me(token)).toMatchObject({ personId: '' });
      const candidates = await api(slice, 'GET', `/api/v1/schools/${schoolId}/link-candidates`, {
        token: admin,
      });
      expect(candidates.status).toBe(200);
      expect(candidates.body.candidates).toEqual([
        expect.objectContaining({ personId: family.ivan, status: 'pending' }),
      ]);
      // Another school's admin and a teacher do not see it.
      const refused = await api(slice, 'GET', `/api/v1/schools/${schoolId}/link-candidates`, {
        token: teacher,
      });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
    });

    it('when the person declines at ESIA, then the login page says so in Russian, with no stack trace', async () => {
      const result = await loginThroughEsia({
        keycloakUrl: endpoints().keycloakUrl,
        idpAlias,
        decline: true,
      });

      expect(result.tokens).toBeUndefined();
      expect(result.stoppedAt?.body).toMatch(/отказ/i);
      expect(result.stoppedAt?.body).toContain('007004');
      expect(result.stoppedAt?.body).not.toMatch(/\bat .+\.js:\d+/);
    });
  });

  describe('temporary student logins (R1.6)', () => {
    const application = {
      reason: 'Нет подтверждённой учётной записи на Госуслугах',
      documentRef: 'Заявление № 7 от 20.11.2026',
    };

    it("when a teacher or another school's admin issues one, then 403 and no login is made", async () => {
      for (const token of [teacher, otherAdmin]) {
        const refused = await api(slice, 'POST', `/api/v1/schools/${schoolId}/temporary-logins`, {
          token,
          body: { studentId: family.olga, ...application },
        });
        expect(refused.status).toBe(403);
        expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
        expect(refused.body).toMatchObject({ detail: expect.stringMatching(/[а-яё]/i) });
      }
      const listed = await api(slice, 'GET', `/api/v1/schools/${schoolId}/temporary-logins`, {
        token: admin,
      });
      expect(listed.status).toBe(200);
      expect(listed.body.logins).toEqual([]);
    });

    it('when the application has no reason or document, then 400 naming them and nothing is made', async () => {
      const refused = await api(slice, 'POST', `/api/v1/schools/${schoolId}/temporary-logins`, {
        token: admin,
        body: { studentId: family.olga, reason: '', documentRef: '' },
      });

      expect(refused.status).toBe(400);
      expect(((refused.body.errors ?? []) as { field: string }[]).map((e) => e.field).sort()).toEqual([
        'documentRef',
        'reason',
      ]);
    });

    it('when the school admin issues one, then the first login must set a new password, the student is herself in /me, and after expiry the login is refused', async () => {
      const issued = await api(slice, 'POST', `/api/v1/schools/${schoolId}/temporary-logins`, {
        token: admin,
        body: { studentId: family.olga, ...application },
      });
      expect(issued.status).toBe(201);
      expect(issued.headers.get('cache-control')).toMatch(/no-store/);
      const { login, oneTimePassword } = issued.body as {
        login: { temporaryLoginId: string; username: string; status: string; expiresAt: string };
        oneTimePassword: string;
      };
      expect(login.status).toBe('active');
      const days = (Date.parse(login.expiresAt) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(89.9);
      expect(days).toBeLessThanOrEqual(90);

      // The one-time password alone is not enough: Keycloak wants a new one first.
      await expect(passwordToken(login.username, oneTimePassword)).rejects.toThrow(/not fully set up/);
      const newPassword = `Nov-${uniqueName('p').slice(-8)}-9aZ`;
      const first = await loginWithPassword({
        keycloakUrl: endpoints().keycloakUrl,
        username: login.username,
        password: oneTimePassword,
        newPassword,
      });
      expect(first.tokens).toBeDefined();
      expect(await me(first.tokens!.access_token)).toMatchObject({
        personId: family.olga,
        loginKind: 'temporary',
      });

      // 90 days later: identity's expiry check disables the login in Keycloak.
      await slice.platform.stop('identity');
      const identityDb = await mongoose
        .createConnection(endpoints().mongoUrl, { dbName: slice.platform.identityDb })
        .asPromise();
      try {
        const past = new Date(Date.now() - 60_000).toISOString();
        const changed = await identityDb
          .collection('temporaryLogins')
          .updateOne({ _id: login.temporaryLoginId as never }, { $set: { expiresAt: past } });
        expect(changed.matchedCount).toBe(1);
      } finally {
        await identityDb.close();
      }
      await slice.platform.start('identity');
      const ended = await waitFor(
        async () => {
          const listed = await api(
            slice,
            'GET',
            `/api/v1/schools/${schoolId}/temporary-logins?includeEnded=true`,
            {
              token: admin,
            },
          );
          const found = (listed.body.logins as { temporaryLoginId: string; status: string }[]).find(
            (l) => l.temporaryLoginId === login.temporaryLoginId,
          );
          return found?.status === 'expired' ? found : undefined;
        },
        { what: 'the temporary login expired', timeoutMs: 30_000 },
      );
      expect(ended.status).toBe('expired');
      await expect(passwordToken(login.username, newPassword)).rejects.toThrow(/token request refused/);
    });
  });
});
