import {
  academicYearPlanFixture,
  createTestUser,
  deleteTestUser,
  schoolCardFixture,
  waitFor,
  type TestSchoolRole,
  type TestUser,
} from '@edu/testing';
import { api, startSlice, type Slice } from './helpers';

// Guardianship with consent, staff positions and subgroups through every real part: real Keycloak
// users whose person link and school roles are in their tokens, the gateway and roster as
// processes. Who may, who is refused, and what a stale version gets back.
//
// Roster answers a refusal in two ways, both checked here: 403 when the caller may see the object
// but not do this (a teacher changing a subgroup), and 404 when the caller may not even learn that
// it exists (a guardian reading a card without consent, anyone without a role in the school).

const PROBLEM_JSON = /^application\/problem\+json/;
const enrolOrder = { number: '1-у', date: '2026-08-28', title: 'О зачислении в 5-е классы' };
const hireOrder = { number: '15-к', date: '2026-08-25', title: 'О приёме на работу' };

interface Person {
  kind: 'staff' | 'student' | 'guardian';
  lastName: string;
  firstName: string;
  birthDate: string;
  sex: 'male' | 'female';
}

/** The order behind a change of a subgroup's members. */
const GROUPS_ORDER = { number: '12-у', date: '2026-09-10', title: 'О делении на подгруппы' };

describe('guardianship, staff and subgroups end to end (real Keycloak users; services as processes)', () => {
  let slice: Slice;
  const users: TestUser[] = [];

  /** A fresh access token of a new user with this person link and these school roles. */
  const user = async (personId: string | undefined, roles: TestSchoolRole[] = []) => {
    const created = await createTestUser({ ...(personId ? { personId } : {}), schoolRoles: roles });
    users.push(created);
    return created.token();
  };

  /** A new school (by the region operator): no test depends on another's data. */
  const newSchool = async () => {
    const created = await api(slice, 'POST', '/api/v1/schools', {
      token: await slice.token('operator'),
      body: schoolCardFixture(),
    });
    expect(created.status).toBe(201);
    return String(created.body.id);
  };

  const register = async (token: string, schoolId: string, person: Person) => {
    const created = await api(slice, 'POST', `/api/v1/schools/${schoolId}/people`, { token, body: person });
    expect(created.status).toBe(201);
    return String(created.body.id);
  };

  /** Year 2026/2027 with class «5А» and the students enrolled into it. */
  const classWith = async (token: string, schoolId: string, studentIds: string[]) => {
    const year = await api(slice, 'POST', `/api/v1/schools/${schoolId}/academic-years`, {
      token,
      body: academicYearPlanFixture(),
    });
    const opened = await api(slice, 'POST', `/api/v1/academic-years/${String(year.body.id)}/classes`, {
      token,
      body: { grade: 5, letter: 'А' },
    });
    const classId = String(opened.body.id);
    for (const studentId of studentIds) {
      const enrolled = await api(slice, 'POST', `/api/v1/classes/${classId}/students`, {
        token,
        body: { studentId, effectiveOn: '2026-09-01', order: enrolOrder },
      });
      expect(enrolled.status).toBe(201);
    }
    return classId;
  };

  /** Roster's security event (a logged denial) of this action; its log file is written a little later. */
  const denialLogged = (action: string) =>
    waitFor(
      () =>
        slice.platform
          .logs('roster')
          .some((line) => line.event === 'access_denied' && line.action === action),
      { what: `access_denied ${action} in roster's log` },
    );

  beforeAll(async () => {
    slice = await startSlice();
  });
  afterAll(async () => {
    await Promise.all(users.map((u) => deleteTestUser(u)));
    await slice?.close();
  });

  describe('guardianship and consent', () => {
    let schoolId: string;
    let director: string;
    let studentId: string;
    let guardianId: string;
    let otherGuardianId: string;
    let guardian: string;
    let otherGuardian: string;
    let linkPath: string;

    beforeAll(async () => {
      schoolId = await newSchool();
      director = await user(undefined, [{ schoolId, role: 'director' }]);
      studentId = await register(director, schoolId, {
        kind: 'student',
        lastName: 'Соколова',
        firstName: 'Анна',
        sex: 'female',
        birthDate: '2015-05-20',
      });
      guardianId = await register(director, schoolId, {
        kind: 'guardian',
        lastName: 'Соколова',
        firstName: 'Елена',
        sex: 'female',
        birthDate: '1988-02-11',
      });
      otherGuardianId = await register(director, schoolId, {
        kind: 'guardian',
        lastName: 'Петров',
        firstName: 'Сергей',
        sex: 'male',
        birthDate: '1985-07-03',
      });
      await classWith(director, schoolId, [studentId]);
      // Guardians have no school roles: only the person link says who they are.
      guardian = await user(guardianId);
      otherGuardian = await user(otherGuardianId);
    });

    it('when the director links the mother and records her consent, then she reads her child’s card (access-logged) and sees her child, while an unrelated guardian is refused', async () => {
      const linked = await api(slice, 'POST', `/api/v1/people/${studentId}/guardians`, {
        token: director,
        body: { guardianId, kind: 'mother' },
        headers: { 'idempotency-key': `link-${studentId}` },
      });
      linkPath = linked.headers.get('location')!;
      const beforeConsent = await api(slice, 'GET', `/api/v1/people/${studentId}`, { token: guardian });
      const consented = await api(slice, 'POST', `${linkPath}/consents`, {
        token: director,
        body: { expectedVersion: 1, givenOn: '2026-09-01', document: 'Заявление № 15 от 01.09.2026' },
      });
      const card = await api(slice, 'GET', `/api/v1/people/${studentId}`, { token: guardian });
      const strangerCard = await api(slice, 'GET', `/api/v1/people/${studentId}`, { token: otherGuardian });
      const children = await api(slice, 'GET', `/api/v1/people/${guardianId}/children`, { token: guardian });
      const guardians = await api(slice, 'GET', `/api/v1/people/${studentId}/guardians`, { token: director });

      expect(linked.status).toBe(201);
      expect(linkPath).toBe(`/api/v1/guardianships/${String(linked.body.id)}`);
      expect(linked.body).toMatchObject({
        schoolId,
        guardianId,
        studentId,
        kind: 'mother',
        status: 'active',
        consentActive: false,
        version: 1,
      });
      // No consent yet: the card is not shown (and its existence not told).
      expect(beforeConsent.status).toBe(404);
      expect(consented.status).toBe(200);
      expect(consented.body).toMatchObject({
        consentActive: true,
        consents: [{ givenOn: '2026-09-01', document: 'Заявление № 15 от 01.09.2026', revokedOn: '' }],
        version: 2,
      });
      expect(card.status).toBe(200);
      expect(card.body).toMatchObject({ id: studentId, lastName: 'Соколова', birthDate: '2015-05-20' });
      expect(strangerCard.status).toBe(404);
      expect(strangerCard.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(strangerCard.body).toMatchObject({ code: 'person.not_found', detail: expect.any(String) });
      expect(children.body).toMatchObject({
        items: [{ guardianship: { studentId }, student: { id: studentId, lastName: 'Соколова' } }],
      });
      expect(Object.keys((children.body.items as { student: object }[])[0]!.student)).not.toContain(
        'birthDate',
      );
      expect(guardians.body).toMatchObject({
        items: [{ guardian: { id: guardianId, firstName: 'Елена' }, guardianship: { consentActive: true } }],
      });
      const logged = await slice.roster
        .collection('access_log')
        .countDocuments({ personId: studentId, actorPersonId: guardianId });
      expect(logged).toBe(1);
    });

    it('when the Location of the new link is followed, then the director and the mother read the link with its consent (200), while an unrelated guardian and a teacher without the class get 404 (logged)', async () => {
      const teacher = await user(undefined, [{ schoolId, role: 'teacher' }]);

      const byDirector = await api(slice, 'GET', linkPath, { token: director });
      const byMother = await api(slice, 'GET', linkPath, { token: guardian });
      const byStranger = await api(slice, 'GET', linkPath, { token: otherGuardian });
      const byTeacher = await api(slice, 'GET', linkPath, { token: teacher });

      expect(byDirector.status).toBe(200);
      expect(byDirector.body).toMatchObject({
        id: linkPath.split('/').pop(),
        schoolId,
        guardianId,
        studentId,
        kind: 'mother',
        status: 'active',
        consentActive: true,
        consents: [{ givenOn: '2026-09-01', document: 'Заявление № 15 от 01.09.2026' }],
        version: 2,
      });
      expect(byMother.status).toBe(200);
      expect(byMother.body).toEqual(byDirector.body);
      // Whoever may not read the link is not told it exists.
      for (const refused of [byStranger, byTeacher]) {
        expect(refused.status).toBe(404);
        expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
        expect(refused.body).toMatchObject({ code: 'guardianship.not_found', detail: expect.any(String) });
      }
      await denialLogged('guardianship.read');
    });

    it('when an unrelated guardian, the mother herself or a teacher without the class tries to keep the link, then 403 and nothing changes; the lists hide what is not theirs', async () => {
      const teacher = await user(undefined, [{ schoolId, role: 'teacher' }]);
      const consentBody = { expectedVersion: 2, givenOn: '2026-09-02', document: 'Заявление № 16' };

      const strangerConsent = await api(slice, 'POST', `${linkPath}/consents`, {
        token: otherGuardian,
        body: consentBody,
      });
      const selfRevoke = await api(slice, 'POST', `${linkPath}/revoke-consent`, {
        token: guardian,
        body: { expectedVersion: 2, revokedOn: '2026-10-01', reason: 'Передумала' },
      });
      const teacherUnlink = await api(slice, 'POST', `${linkPath}/unlink`, {
        token: teacher,
        body: { expectedVersion: 2, endedOn: '2026-10-01', reason: 'Ошибка' },
      });
      const selfLink = await api(slice, 'POST', `/api/v1/people/${studentId}/guardians`, {
        token: otherGuardian,
        body: { guardianId: otherGuardianId, kind: 'father' },
      });
      const strangerGuardians = await api(slice, 'GET', `/api/v1/people/${studentId}/guardians`, {
        token: otherGuardian,
      });
      const strangerChildren = await api(slice, 'GET', `/api/v1/people/${guardianId}/children`, {
        token: otherGuardian,
      });
      const ownGuardians = await api(slice, 'GET', `/api/v1/people/${studentId}/guardians`, {
        token: guardian,
      });

      for (const refused of [strangerConsent, selfRevoke, teacherUnlink, selfLink]) {
        expect(refused.status).toBe(403);
        expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
        expect(refused.body).toMatchObject({ code: 'access.denied', title: 'Доступ запрещён' });
      }
      expect(strangerGuardians.status).toBe(404);
      expect(strangerChildren.status).toBe(404);
      expect(ownGuardians.body).toMatchObject({ items: [{ guardian: { id: guardianId } }] });
      const link = await slice.roster
        .collection<{ _id: string }>('guardianships')
        .findOne({ _id: linkPath.split('/').pop()! });
      expect(link).toMatchObject({ status: 'active', version: 2 });
      expect(await slice.roster.collection('guardianships').countDocuments({ studentId })).toBe(1);
      await denialLogged('consent.record');
    });

    it('when the director repeats the consent with a stale version, then 409; after the revocation the mother no longer reads the card, and the ended link keeps its history', async () => {
      const stale = await api(slice, 'POST', `${linkPath}/consents`, {
        token: director,
        body: { expectedVersion: 1, givenOn: '2026-09-01', document: 'Заявление № 15 от 01.09.2026' },
      });
      const revoked = await api(slice, 'POST', `${linkPath}/revoke-consent`, {
        token: director,
        body: { expectedVersion: 2, revokedOn: '2026-10-01', reason: 'Заявление об отзыве согласия № 20' },
      });
      const card = await api(slice, 'GET', `/api/v1/people/${studentId}`, { token: guardian });
      const ended = await api(slice, 'POST', `${linkPath}/unlink`, {
        token: director,
        body: { expectedVersion: 3, endedOn: '2026-11-01', reason: 'Решение суда' },
      });
      const again = await api(slice, 'POST', `${linkPath}/consents`, {
        token: director,
        body: { expectedVersion: 4, givenOn: '2026-11-02', document: 'Заявление № 30' },
      });

      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({
        code: 'guardianship.version_conflict',
        detail: 'Связь с родителем (законным представителем) уже изменили: откройте её заново и повторите',
      });
      expect(revoked.body).toMatchObject({
        consentActive: false,
        consents: [{ revokedOn: '2026-10-01', revocationReason: 'Заявление об отзыве согласия № 20' }],
        version: 3,
      });
      expect(card.status).toBe(404);
      expect(ended.body).toMatchObject({ status: 'ended', endedOn: '2026-11-01', version: 4 });
      expect(again.status).toBe(422);
      expect(again.body).toMatchObject({ code: 'guardianship.ended' });
      const guardians = await api(slice, 'GET', `/api/v1/people/${studentId}/guardians`, { token: director });
      expect(guardians.body).toMatchObject({
        items: [{ guardianship: { status: 'ended', consents: [{ revokedOn: '2026-10-01' }] } }],
      });
    });
  });

  describe('staff positions', () => {
    it('when HR hires a teacher, then 201 with the position; a teacher is refused hiring (403) and nothing is hired; a repeat with the same key answers the same position', async () => {
      const schoolId = await newSchool();
      const hr = await user(undefined, [{ schoolId, role: 'hr' }]);
      const teacher = await user(undefined, [{ schoolId, role: 'teacher' }]);
      const staffId = await register(hr, schoolId, {
        kind: 'staff',
        lastName: 'Петрова',
        firstName: 'Ольга',
        sex: 'female',
        birthDate: '1990-04-12',
      });
      const path = `/api/v1/schools/${schoolId}/staff-positions`;
      const hire = { personId: staffId, kind: 'teacher', rate: 1, hiredOn: '2026-09-01', order: hireOrder };

      const refused = await api(slice, 'POST', path, { token: teacher, body: hire });
      const hired = await api(slice, 'POST', path, {
        token: hr,
        body: hire,
        headers: { 'idempotency-key': `hire-${staffId}` },
      });
      const repeated = await api(slice, 'POST', path, {
        token: hr,
        body: hire,
        headers: { 'idempotency-key': `hire-${staffId}` },
      });
      const guardianList = await api(slice, 'GET', path, { token: await slice.token('guardian') });

      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({
        code: 'access.denied',
        detail: 'Недостаточно прав для этого действия',
      });
      expect(hired.status).toBe(201);
      expect(hired.headers.get('location')).toBe(`/api/v1/staff-positions/${String(hired.body.id)}`);
      expect(hired.body).toMatchObject({
        schoolId,
        personId: staffId,
        kind: 'teacher',
        title: 'Учитель',
        rate: 1,
        status: 'active',
        hireOrder,
        history: [{ kind: 'hired', effectiveOn: '2026-09-01', order: hireOrder }],
        version: 1,
      });
      expect(repeated.body).toMatchObject({ id: hired.body.id, version: 1 });
      // Someone without a role in the school is not told the school exists.
      expect(guardianList.status).toBe(404);
      expect(await slice.roster.collection('staff_positions').countDocuments({ schoolId })).toBe(1);
      await denialLogged('staff.hire');
    });

    it('when the Location of a hire is followed, then the director and the holder read the whole position, a teacher of the school the post only; a secretary is refused (403) and someone without a role in the school gets 404', async () => {
      const schoolId = await newSchool();
      const director = await user(undefined, [{ schoolId, role: 'director' }]);
      const teacher = await user(undefined, [{ schoolId, role: 'teacher' }]);
      const secretary = await user(undefined, [{ schoolId, role: 'secretary' }]);
      const staffId = await register(director, schoolId, {
        kind: 'staff',
        lastName: 'Морозова',
        firstName: 'Вера',
        sex: 'female',
        birthDate: '1983-02-14',
      });
      const holder = await user(staffId);
      const hired = await api(slice, 'POST', `/api/v1/schools/${schoolId}/staff-positions`, {
        token: director,
        body: {
          personId: staffId,
          kind: 'teacher',
          title: 'Учитель географии',
          rate: 1.25,
          hiredOn: '2026-09-01',
          order: hireOrder,
        },
      });
      const location = hired.headers.get('location')!;

      const byDirector = await api(slice, 'GET', location, { token: director });
      const byHolder = await api(slice, 'GET', location, { token: holder });
      const byTeacher = await api(slice, 'GET', location, { token: teacher });
      const bySecretary = await api(slice, 'GET', location, { token: secretary });
      const byGuardian = await api(slice, 'GET', location, { token: await slice.token('guardian') });

      expect(hired.status).toBe(201);
      expect(byDirector.status).toBe(200);
      expect(byDirector.body).toEqual(hired.body);
      expect(byDirector.body).toMatchObject({
        schoolId,
        personId: staffId,
        title: 'Учитель географии',
        rate: 1.25,
        hireOrder,
        history: [{ kind: 'hired', effectiveOn: '2026-09-01', order: hireOrder }],
        version: 1,
      });
      expect(byHolder.status).toBe(200);
      expect(byHolder.body).toEqual(hired.body);
      expect(byTeacher.status).toBe(200);
      expect(byTeacher.body).toMatchObject({
        id: hired.body.id,
        personId: staffId,
        kind: 'teacher',
        title: 'Учитель географии',
        status: 'active',
        rate: 0,
        hiredOn: '',
        history: [],
        version: 0,
      });
      expect(bySecretary.status).toBe(403);
      expect(bySecretary.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(bySecretary.body).toMatchObject({ code: 'access.denied', title: 'Доступ запрещён' });
      expect(byGuardian.status).toBe(404);
      expect(byGuardian.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(byGuardian.body).toMatchObject({ code: 'staff.not_found' });
      await denialLogged('staff.read');
    });

    it('when HR changes the rate and dismisses by order, then the history grows; a teacher sees names and titles only and may not change, dismiss or read positions (403); a stale version is 409', async () => {
      const schoolId = await newSchool();
      const hr = await user(undefined, [{ schoolId, role: 'hr' }]);
      const teacher = await user(undefined, [{ schoolId, role: 'teacher' }]);
      const staffId = await register(hr, schoolId, {
        kind: 'staff',
        lastName: 'Кузнецов',
        firstName: 'Павел',
        sex: 'male',
        birthDate: '1979-10-30',
      });
      const hired = await api(slice, 'POST', `/api/v1/schools/${schoolId}/staff-positions`, {
        token: hr,
        body: {
          personId: staffId,
          kind: 'teacher',
          title: 'Учитель физики',
          rate: 1,
          hiredOn: '2026-09-01',
          order: hireOrder,
        },
      });
      const position = hired.headers.get('location')!;
      const change = {
        expectedVersion: 1,
        rate: 1.5,
        effectiveOn: '2026-10-01',
        order: { number: '30-к', date: '2026-09-28', title: 'Об изменении нагрузки' },
      };
      const dismissal = {
        expectedVersion: 2,
        dismissedOn: '2026-12-31',
        order: { number: '99-к', date: '2026-12-20', title: 'Об увольнении' },
        reason: 'По собственному желанию',
      };

      const teacherChange = await api(slice, 'PATCH', position, { token: teacher, body: change });
      const changed = await api(slice, 'PATCH', position, { token: hr, body: change });
      const stale = await api(slice, 'PATCH', position, { token: hr, body: { ...change, rate: 0.5 } });
      const teacherList = await api(slice, 'GET', `/api/v1/schools/${schoolId}/staff-positions`, {
        token: teacher,
      });
      const teacherDismissed = await api(
        slice,
        'GET',
        `/api/v1/schools/${schoolId}/staff-positions?includeDismissed=true`,
        { token: teacher },
      );
      const teacherPositions = await api(slice, 'GET', `/api/v1/people/${staffId}/staff-positions`, {
        token: teacher,
      });
      const teacherDismiss = await api(slice, 'POST', `${position}/dismiss`, {
        token: teacher,
        body: dismissal,
      });
      const dismissed = await api(slice, 'POST', `${position}/dismiss`, { token: hr, body: dismissal });
      const positions = await api(slice, 'GET', `/api/v1/people/${staffId}/staff-positions`, { token: hr });
      const hrList = await api(
        slice,
        'GET',
        `/api/v1/schools/${schoolId}/staff-positions?includeDismissed=true`,
        {
          token: hr,
        },
      );

      for (const refused of [teacherChange, teacherDismissed, teacherPositions, teacherDismiss]) {
        expect(refused.status).toBe(403);
        expect(refused.body).toMatchObject({ code: 'access.denied' });
      }
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ rate: 1.5, version: 2 });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({
        code: 'staff.version_conflict',
        detail: 'Должность уже изменили: откройте её заново и повторите',
      });
      expect(teacherList.body).toEqual({
        items: [
          {
            positionId: hired.body.id,
            personId: staffId,
            lastName: 'Кузнецов',
            firstName: 'Павел',
            middleName: '',
            kind: 'teacher',
            title: 'Учитель физики',
            status: 'active',
            rate: 0,
            hiredOn: '',
            dismissedOn: '',
          },
        ],
      });
      expect(dismissed.body).toMatchObject({
        status: 'dismissed',
        dismissedOn: '2026-12-31',
        dismissalOrder: dismissal.order,
        dismissalReason: 'По собственному желанию',
        version: 3,
      });
      expect(positions.body).toMatchObject({
        items: [
          {
            id: hired.body.id,
            history: [{ kind: 'hired' }, { kind: 'changed', rate: 1.5 }, { kind: 'dismissed' }],
          },
        ],
      });
      expect(hrList.body).toMatchObject({
        items: [{ status: 'dismissed', rate: 1.5, dismissedOn: '2026-12-31' }],
      });
    });
  });

  describe('subgroups', () => {
    it('when the deputy forms an English subgroup of enrolled students, then a teacher of the school reads it, may not change it (403), a guardian is refused, and a stale version is 409', async () => {
      const schoolId = await newSchool();
      const deputy = await user(undefined, [{ schoolId, role: 'deputy' }]);
      const teacher = await user(undefined, [{ schoolId, role: 'teacher' }]);
      const students = [
        await register(deputy, schoolId, {
          kind: 'student',
          lastName: 'Андреев',
          firstName: 'Олег',
          sex: 'male',
          birthDate: '2015-01-10',
        }),
        await register(deputy, schoolId, {
          kind: 'student',
          lastName: 'Белова',
          firstName: 'Мария',
          sex: 'female',
          birthDate: '2015-03-15',
        }),
      ];
      const notEnrolled = await register(deputy, schoolId, {
        kind: 'student',
        lastName: 'Власов',
        firstName: 'Игорь',
        sex: 'male',
        birthDate: '2015-06-01',
      });
      const englishTeacherId = await register(deputy, schoolId, {
        kind: 'staff',
        lastName: 'Смирнова',
        firstName: 'Ирина',
        sex: 'female',
        birthDate: '1985-09-09',
      });
      const guardianId = await register(deputy, schoolId, {
        kind: 'guardian',
        lastName: 'Андреева',
        firstName: 'Светлана',
        sex: 'female',
        birthDate: '1987-12-01',
      });
      const guardian = await user(guardianId);
      const classId = await classWith(deputy, schoolId, students);
      const subgroups = `/api/v1/classes/${classId}/subgroups`;
      const form = {
        subjectKey: 'english',
        name: 'Английский язык, группа 1',
        teacherId: englishTeacherId,
        memberIds: students,
      };

      const teacherForm = await api(slice, 'POST', subgroups, { token: teacher, body: form });
      const formed = await api(slice, 'POST', subgroups, { token: deputy, body: form });
      const path = formed.headers.get('location')!;
      const read = await api(slice, 'GET', path, { token: teacher });
      const listed = await api(slice, 'GET', subgroups, { token: teacher });
      const teacherRename = await api(slice, 'PATCH', path, {
        token: teacher,
        body: { expectedVersion: 1, name: 'Английский язык, группа А' },
      });
      const teacherMembers = await api(slice, 'PATCH', `${path}/members`, {
        token: teacher,
        body: { expectedVersion: 1, remove: [students[1]], order: GROUPS_ORDER },
      });
      const teacherDisband = await api(slice, 'POST', `${path}/disband`, {
        token: teacher,
        body: { expectedVersion: 1 },
      });
      const guardianRename = await api(slice, 'PATCH', path, {
        token: guardian,
        body: { expectedVersion: 1, name: 'Английский язык, группа А' },
      });
      const guardianRead = await api(slice, 'GET', path, { token: guardian });
      const guardianList = await api(slice, 'GET', subgroups, { token: guardian });
      const notInClass = await api(slice, 'PATCH', `${path}/members`, {
        token: deputy,
        body: { expectedVersion: 1, add: [notEnrolled], order: GROUPS_ORDER },
      });
      const removed = await api(slice, 'PATCH', `${path}/members`, {
        token: deputy,
        body: { expectedVersion: 1, remove: [students[1]], order: GROUPS_ORDER },
      });
      const stale = await api(slice, 'PATCH', path, {
        token: deputy,
        body: { expectedVersion: 1, name: 'Английский язык, группа А' },
      });
      const noTeacher = await api(slice, 'PATCH', path, {
        token: deputy,
        body: { expectedVersion: 2, teacherId: null },
      });
      const disbanded = await api(slice, 'POST', `${path}/disband`, {
        token: deputy,
        body: { expectedVersion: 3 },
      });
      const open = await api(slice, 'GET', subgroups, { token: teacher });
      const all = await api(slice, 'GET', `${subgroups}?includeClosed=true`, { token: teacher });

      expect(formed.status).toBe(201);
      expect(path).toBe(`/api/v1/subgroups/${String(formed.body.id)}`);
      expect(formed.body).toMatchObject({
        schoolId,
        classId,
        subjectKey: 'english',
        name: 'Английский язык, группа 1',
        teacherId: englishTeacherId,
        memberIds: students,
        status: 'open',
        version: 1,
      });
      expect(read.body).toEqual(formed.body);
      expect(listed.body).toEqual({ items: [formed.body] });
      for (const refused of [teacherForm, teacherRename, teacherMembers, teacherDisband]) {
        expect(refused.status).toBe(403);
        expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
        expect(refused.body).toMatchObject({ code: 'access.denied', title: 'Доступ запрещён' });
      }
      // A guardian has no role in the school: roster does not even tell the subgroup exists.
      for (const refused of [guardianRename, guardianRead, guardianList]) {
        expect(refused.status).toBe(404);
        expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
      }
      expect(notInClass.status).toBe(422);
      expect(notInClass.body).toMatchObject({
        code: 'subgroup.student_not_enrolled',
        errors: [{ field: 'add[0]', message: 'Обучающийся не учится в классе 5А' }],
      });
      expect(removed.body).toMatchObject({ memberIds: [students[0]], version: 2 });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({
        code: 'subgroup.version_conflict',
        detail: 'Подгруппу уже изменили: обновите страницу и повторите',
      });
      expect(noTeacher.body).toMatchObject({ teacherId: '', version: 3 });
      expect(disbanded.body).toMatchObject({ status: 'closed', memberIds: [students[0]], version: 4 });
      expect(open.body).toEqual({ items: [] });
      expect(all.body).toMatchObject({ items: [{ id: formed.body.id, status: 'closed' }] });
      const stored = await slice.roster
        .collection<{ _id: string }>('subgroups')
        .findOne({ _id: String(formed.body.id) });
      expect(stored).toMatchObject({ name: 'Английский язык, группа 1', version: 4 });
      await denialLogged('subgroup.change');
    });
  });
  describe('the register of orders and head counts', () => {
    it('when the deputy reads the orders and counts of a year, then the enrolment order lists its students and the counts have no names; a municipal officer reads counts only; a teacher and a guardian are refused', async () => {
      const schoolId = await newSchool();
      const deputy = await user(undefined, [{ schoolId, role: 'deputy' }]);
      const teacher = await user(undefined, [{ schoolId, role: 'teacher' }]);
      const guardian = await user(undefined);
      const officer = await createTestUser({ grants: ['municipalOfficer'] });
      users.push(officer);
      const students = [
        await register(deputy, schoolId, {
          kind: 'student',
          lastName: 'Гусева',
          firstName: 'Вера',
          sex: 'female',
          birthDate: '2015-02-02',
        }),
        await register(deputy, schoolId, {
          kind: 'student',
          lastName: 'Данилов',
          firstName: 'Олег',
          sex: 'male',
          birthDate: '2015-04-04',
        }),
      ];
      const classId = await classWith(deputy, schoolId, students);
      const schoolClass = await api(slice, 'GET', `/api/v1/classes/${classId}`, { token: deputy });
      const yearId = String(schoolClass.body.academicYearId);

      const orders = await api(slice, 'GET', `/api/v1/academic-years/${yearId}/orders`, { token: deputy });
      const counts = await api(slice, 'GET', `/api/v1/academic-years/${yearId}/counts`, { token: deputy });
      const officerCounts = await api(slice, 'GET', `/api/v1/academic-years/${yearId}/counts`, {
        token: await officer.token(),
      });
      const officerOrders = await api(slice, 'GET', `/api/v1/academic-years/${yearId}/orders`, {
        token: await officer.token(),
      });
      const officerList = await api(slice, 'GET', `/api/v1/classes/${classId}/students`, {
        token: await officer.token(),
      });
      const teacherOrders = await api(slice, 'GET', `/api/v1/academic-years/${yearId}/orders`, {
        token: teacher,
      });
      const teacherCounts = await api(slice, 'GET', `/api/v1/academic-years/${yearId}/counts`, {
        token: teacher,
      });
      const guardianOrders = await api(slice, 'GET', `/api/v1/academic-years/${yearId}/orders`, {
        token: guardian,
      });

      expect(orders.status).toBe(200);
      expect(orders.body).toEqual({
        items: [
          {
            order: enrolOrder,
            acts: [{ kind: 'enrolled', personIds: students, classIds: [classId], summary: [] }],
          },
        ],
      });
      expect(counts.body).toEqual({
        schoolId,
        academicYearId: yearId,
        grades: [{ grade: 5, classes: 1, students: 2 }],
        classes: 1,
        students: 2,
        staff: 0,
      });
      expect(officerCounts.body).toEqual(counts.body);
      for (const refused of [officerOrders, officerList, teacherOrders, teacherCounts]) {
        expect(refused.status).toBe(403);
        expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
      }
      expect(guardianOrders.status).toBe(404);
      await denialLogged('school.counts');
    });
  });
});
