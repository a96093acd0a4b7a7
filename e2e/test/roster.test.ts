import {
  academicYearPlanFixture,
  createTestUser,
  deleteTestUser,
  schoolCardFixture,
  schoolRosterCsv,
  type TestUser,
} from '@edu/testing';
import { api, startSlice, type Slice } from './helpers';

// Academic years and classes through every real part, with real Keycloak users whose school
// roles are in their tokens: who may, who may not, and what a bad calendar gets back.

describe('academic years and classes end to end (real Keycloak users with school roles; services as processes)', () => {
  let slice: Slice;
  let schoolId: string;
  let otherSchoolId: string;
  const users: TestUser[] = [];
  const user = async (roles: { schoolId: string; role: string }[]) => {
    const created = await createTestUser({ personId: `person-${users.length + 1}`, schoolRoles: roles });
    users.push(created);
    return created.token();
  };

  beforeAll(async () => {
    slice = await startSlice();
    const operator = await slice.token('operator');
    const [mine, other] = await Promise.all(
      [schoolCardFixture(), schoolCardFixture()].map((card) =>
        api(slice, 'POST', '/api/v1/schools', { token: operator, body: card }),
      ),
    );
    schoolId = String(mine!.body.id);
    otherSchoolId = String(other!.body.id);
  });
  afterAll(async () => {
    await Promise.all(users.map((u) => deleteTestUser(u)));
    await slice?.close();
  });

  it('when the director opens 2026/2027, then 201, and a teacher of the school reads it while a director of another school cannot', async () => {
    const director = await user([{ schoolId, role: 'director' }]);
    const teacher = await user([{ schoolId, role: 'teacher' }]);
    const stranger = await user([{ schoolId: otherSchoolId, role: 'director' }]);

    const opened = await api(slice, 'POST', `/api/v1/schools/${schoolId}/academic-years`, {
      token: director,
      body: academicYearPlanFixture(),
    });

    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ schoolId, name: '2026/2027', status: 'open', version: 1 });
    const path = opened.headers.get('location')!;
    expect((await api(slice, 'GET', path, { token: teacher })).body).toEqual(opened.body);
    expect((await api(slice, 'GET', path, { token: stranger })).status).toBe(404);
    const listed = await api(slice, 'GET', `/api/v1/schools/${schoolId}/academic-years`, { token: teacher });
    expect(listed.body).toEqual({ items: [opened.body] });
  });

  it('when a teacher, a director of another school or the region operator opens a year, then 403 and nothing is opened', async () => {
    const refused = [
      await user([{ schoolId: otherSchoolId, role: 'teacher' }]),
      await user([{ schoolId, role: 'director' }]),
      await slice.token('operator'),
    ];

    for (const token of refused) {
      const answer = await api(slice, 'POST', `/api/v1/schools/${otherSchoolId}/academic-years`, {
        token,
        body: academicYearPlanFixture(),
      });
      expect(answer.status).toBe(403);
    }
    const years = await slice.roster.collection('academic_years').countDocuments({ schoolId: otherSchoolId });
    expect(years).toBe(0);
  });

  it('when the winter holidays are missing, then 422 naming the periods around them, in Russian', async () => {
    const director = await user([{ schoolId: otherSchoolId, role: 'deputy' }]);
    const plan = academicYearPlanFixture();
    plan.holidays = plan.holidays.filter((h) => h.name !== 'Зимние каникулы');

    const answer = await api(slice, 'POST', `/api/v1/schools/${otherSchoolId}/academic-years`, {
      token: director,
      body: plan,
    });

    expect(answer.status).toBe(422);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({
      code: 'academic_year.calendar_invalid',
      errors: [
        {
          field: 'periodSchemes[0].periods[1].days',
          message:
            'Пропуск между «2-я четверть» и «3-я четверть»: дни 29.12.2026–11.01.2027 не входят ни в период, ни в каникулы',
        },
        {
          field: 'periodSchemes[1].periods[0].days',
          message:
            'Пропуск между «1-е полугодие» и «2-е полугодие»: дни 29.12.2026–11.01.2027 не входят ни в период, ни в каникулы',
        },
      ],
    });
  });

  it('when the same year is opened again, then 409 names the year already open', async () => {
    const director = await user([{ schoolId, role: 'schoolAdmin' }]);

    const again = await api(slice, 'POST', `/api/v1/schools/${schoolId}/academic-years`, {
      token: director,
      body: academicYearPlanFixture(),
    });

    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'academic_year.overlaps',
      detail: expect.stringContaining('2026/2027'),
    });
  });

  it('when the deputy applies an order with a quarantine and a working Saturday, then the year has them and the change is logged; a teacher is refused and a stale repeat is 409', async () => {
    const operator = await slice.token('operator');
    const created = await api(slice, 'POST', '/api/v1/schools', {
      token: operator,
      body: schoolCardFixture(),
    });
    const school = String(created.body.id);
    const deputy = await user([{ schoolId: school, role: 'deputy' }]);
    const teacher = await user([{ schoolId: school, role: 'teacher' }]);
    const opened = await api(slice, 'POST', `/api/v1/schools/${school}/academic-years`, {
      token: deputy,
      body: academicYearPlanFixture(),
    });
    const path = `/api/v1/academic-years/${String(opened.body.id)}/calendar-changes`;
    const change = {
      expectedVersion: 1,
      order: { number: '12-о', date: '2027-01-28', title: 'О карантине в начальной школе' },
      ...academicYearPlanFixture(),
      closures: [
        {
          reason: 'Карантин по гриппу',
          days: { startsOn: '2027-02-01', endsOn: '2027-02-07' },
          grades: [1, 2, 3, 4],
        },
      ],
      transfers: [{ date: '2027-02-13', worksAs: 1 }],
    };
    delete (change as { days?: unknown }).days;

    const refused = await api(slice, 'POST', path, { token: teacher, body: change });
    const changed = await api(slice, 'POST', path, { token: deputy, body: change });
    const stale = await api(slice, 'POST', path, { token: deputy, body: change });

    expect(refused.status).toBe(403);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      version: 2,
      closures: change.closures,
      transfers: change.transfers,
      changes: [
        {
          order: change.order,
          summary: [
            'Карантин по гриппу: 01.02.2027–07.02.2027, параллели 1, 2, 3, 4',
            'Суббота 13.02.2027 работает как понедельник',
          ],
        },
      ],
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'academic_year.version_conflict' });
  });

  it('when the director opens «5А» in the year, then a teacher of the school sees it and may not close it; a second «5а» is 409', async () => {
    const operator = await slice.token('operator');
    const created = await api(slice, 'POST', '/api/v1/schools', {
      token: operator,
      body: schoolCardFixture(),
    });
    const school = String(created.body.id);
    const director = await user([{ schoolId: school, role: 'director' }]);
    const teacher = await user([{ schoolId: school, role: 'teacher' }]);
    const year = await api(slice, 'POST', `/api/v1/schools/${school}/academic-years`, {
      token: director,
      body: academicYearPlanFixture(),
    });
    const classes = `/api/v1/academic-years/${String(year.body.id)}/classes`;

    const opened = await api(slice, 'POST', classes, {
      token: director,
      body: { grade: 5, letter: 'А', capacity: 25 },
    });
    const again = await api(slice, 'POST', classes, { token: director, body: { grade: 5, letter: 'а' } });
    const listed = await api(slice, 'GET', classes, { token: teacher });
    const closing = await api(slice, 'PATCH', `/api/v1/classes/${String(opened.body.id)}`, {
      token: teacher,
      body: { expectedVersion: 1, close: true },
    });

    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ name: '5А', capacity: 25, classTeacherId: null, status: 'open' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'class.name_taken' });
    expect(listed.body).toEqual({ items: [opened.body] });
    expect(closing.status).toBe(403);
  });

  it('when the director registers a student and enrols them into «5А», then the director reads the class list, a teacher who does not teach 5А (403) and a guardian without relation (404) do not, and a transfer is in the history', async () => {
    const operator = await slice.token('operator');
    const created = await api(slice, 'POST', '/api/v1/schools', {
      token: operator,
      body: schoolCardFixture(),
    });
    const school = String(created.body.id);
    const director = await user([{ schoolId: school, role: 'director' }]);
    const teacher = await user([{ schoolId: school, role: 'teacher' }]);
    const year = await api(slice, 'POST', `/api/v1/schools/${school}/academic-years`, {
      token: director,
      body: academicYearPlanFixture(),
    });
    const classes = `/api/v1/academic-years/${String(year.body.id)}/classes`;
    const a = await api(slice, 'POST', classes, { token: director, body: { grade: 5, letter: 'А' } });
    const b = await api(slice, 'POST', classes, { token: director, body: { grade: 5, letter: 'Б' } });
    const order = { number: '1-у', date: '2026-08-28', title: 'О зачислении в 5-е классы' };

    const student = await api(slice, 'POST', `/api/v1/schools/${school}/people`, {
      token: director,
      body: {
        kind: 'student',
        lastName: 'Соколова',
        firstName: 'Анна',
        birthDate: '2015-05-20',
        sex: 'female',
      },
    });
    const enrolled = await api(slice, 'POST', `/api/v1/classes/${String(a.body.id)}/students`, {
      token: director,
      body: { studentId: student.body.id, effectiveOn: '2026-09-01', order },
    });
    const list = await api(slice, 'GET', `/api/v1/classes/${String(a.body.id)}/students`, {
      token: director,
    });
    // A teacher who neither leads nor teaches 5А (no assignment in schedule) does not read its list.
    const notTheirs = await api(slice, 'GET', `/api/v1/classes/${String(a.body.id)}/students`, {
      token: teacher,
    });
    const stranger = await api(slice, 'GET', `/api/v1/classes/${String(a.body.id)}/students`, {
      token: await slice.token('guardian'),
    });
    const moved = await api(
      slice,
      'POST',
      `/api/v1/enrolments/${encodeURIComponent(String(enrolled.body.id))}/moves`,
      {
        token: director,
        body: {
          expectedVersion: 1,
          toClassId: b.body.id,
          effectiveOn: '2026-10-05',
          order: { ...order, number: '20-у' },
        },
      },
    );
    const history = await api(slice, 'GET', `/api/v1/people/${String(student.body.id)}/movements`, {
      token: director,
    });

    expect(student.status).toBe(201);
    expect(enrolled.status).toBe(201);
    expect(list.body).toEqual({
      items: [expect.objectContaining({ lastName: 'Соколова', firstName: 'Анна', since: '2026-09-01' })],
    });
    expect(Object.keys((list.body.items as object[])[0]!)).not.toContain('birthDate');
    expect(notTheirs.status).toBe(403);
    expect(stranger.status).toBe(404);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ classId: b.body.id, version: 2 });
    expect(history.body).toMatchObject({
      items: [
        {
          movements: [
            { kind: 'enrolled', order: { number: '1-у' } },
            { kind: 'transferred', order: { number: '20-у' } },
          ],
        },
      ],
    });
  });

  it('when the school admin imports the downloaded template, then its people, class and enrolment are there; a second import changes nothing; a teacher may not import', async () => {
    const operator = await slice.token('operator');
    const created = await api(slice, 'POST', '/api/v1/schools', {
      token: operator,
      body: schoolCardFixture(),
    });
    const school = String(created.body.id);
    const admin = await user([{ schoolId: school, role: 'schoolAdmin' }]);
    const teacher = await user([{ schoolId: school, role: 'teacher' }]);
    const year = await api(slice, 'POST', `/api/v1/schools/${school}/academic-years`, {
      token: admin,
      body: academicYearPlanFixture(),
    });
    const template = await fetch(`${slice.platform.gatewayUrl}/api/v1/imports/template.csv`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const csv = await template.text();
    const path = `/api/v1/academic-years/${String(year.body.id)}/imports`;
    const body = { csv, order: { number: '1-у', date: '2026-08-28', title: 'О зачислении' } };

    const refused = await api(slice, 'POST', path, { token: teacher, body });
    const first = await api(slice, 'POST', path, { token: admin, body });
    const second = await api(slice, 'POST', path, { token: admin, body });
    const classes = await api(slice, 'GET', `/api/v1/academic-years/${String(year.body.id)}/classes`, {
      token: teacher,
    });

    expect(template.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(refused.status).toBe(403);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      lines: 3,
      people: { created: 3, unchanged: 0 },
      classes: { created: 1 },
      enrolments: { created: 1 },
      guardianships: { created: 1 },
    });
    expect(second.body).toMatchObject({
      people: { created: 0, unchanged: 3 },
      enrolments: { created: 0, unchanged: 1 },
    });
    const fiveA = (classes.body.items as { id: string; name: string; classTeacherId: string }[])[0]!;
    expect(fiveA).toMatchObject({ name: '5А', classTeacherId: expect.any(String) });
    const list = await api(slice, 'GET', `/api/v1/classes/${fiveA.id}/students`, { token: admin });
    expect(list.body).toMatchObject({ items: [{ lastName: 'Иванов', firstName: 'Иван' }] });
  });

  it('when 2024/2025 is over, then the director closes it and rolls the school over into 2025/2026 (5А → 6А, 11th grade graduated); a dry run writes nothing, a repeat changes nothing, a teacher is refused', async () => {
    const operator = await slice.token('operator');
    const created = await api(slice, 'POST', '/api/v1/schools', {
      token: operator,
      body: schoolCardFixture(),
    });
    const school = String(created.body.id);
    const director = await user([{ schoolId: school, role: 'director' }]);
    const teacher = await user([{ schoolId: school, role: 'teacher' }]);
    const year = await api(slice, 'POST', `/api/v1/schools/${school}/academic-years`, {
      token: director,
      body: academicYearPlanFixture(2024),
    });
    const yearPath = `/api/v1/academic-years/${String(year.body.id)}`;
    // 44 students: two in each of the 22 classes 1А … 11Б.
    const imported = await api(slice, 'POST', `${yearPath}/imports`, {
      token: director,
      body: {
        csv: schoolRosterCsv({ students: 44 }),
        order: { number: '1-у', date: '2024-08-28', title: 'О зачислении' },
      },
    });
    const current = await api(slice, 'GET', yearPath, { token: director });
    const close = {
      expectedVersion: current.body.version,
      order: { number: '98', date: '2025-05-31', title: 'Об окончании учебного года' },
    };
    const order = { number: '99', date: '2025-06-20', title: 'О переводе обучающихся в следующий класс' };

    const closeByTeacher = await api(slice, 'POST', `${yearPath}/close`, { token: teacher, body: close });
    const closed = await api(slice, 'POST', `${yearPath}/close`, { token: director, body: close });
    const rolloverByTeacher = await api(slice, 'POST', `${yearPath}/rollovers`, {
      token: teacher,
      body: { order },
    });
    const dry = await api(slice, 'POST', `${yearPath}/rollovers`, {
      token: director,
      body: { order, dryRun: true },
    });
    const yearsAfterDryRun = await slice.roster
      .collection('academic_years')
      .countDocuments({ schoolId: school });
    const done = await api(slice, 'POST', `${yearPath}/rollovers`, { token: director, body: { order } });
    const again = await api(slice, 'POST', `${yearPath}/rollovers`, { token: director, body: { order } });

    expect(imported.status).toBe(201);
    expect(closeByTeacher.status).toBe(403);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed' });
    expect(rolloverByTeacher.status).toBe(403);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      toName: '2025/2026',
      classesPromoted: 20,
      studentsPromoted: 40,
      studentsGraduated: 4,
    });
    expect(yearsAfterDryRun).toBe(1);
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ ...dry.body, dryRun: false, completedAt: expect.any(String) });
    expect(again.body).toEqual(done.body);
    expect(await slice.roster.collection('academic_years').countDocuments({ schoolId: school })).toBe(2);
    const next = await api(slice, 'GET', done.headers.get('location')!, { token: teacher });
    expect(next.body).toMatchObject({ name: '2025/2026', status: 'open', days: { startsOn: '2025-09-01' } });
    const classes = await api(slice, 'GET', `/api/v1/academic-years/${String(next.body.id)}/classes`, {
      token: teacher,
    });
    const names = (classes.body.items as { name: string }[]).map((c) => c.name);
    expect(names).toContain('6А');
    expect(names).not.toContain('1А'); // first-formers come with the next enrolment, not the rollover
    expect(names).not.toContain('12А');
    const sixA = (classes.body.items as { id: string; name: string }[]).find((c) => c.name === '6А')!;
    const list = await api(slice, 'GET', `/api/v1/classes/${sixA.id}/students`, { token: director });
    expect(list.body.items).toHaveLength(2);
  });
});
