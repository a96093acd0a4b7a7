// Seeds the demo region through the public API, the way a user would: a token from Keycloak
// for the dev operator, then the demo schools (idempotent: a re-run finds them in place), and
// shows the slice working: how long until reports (another process) has each school. Then it
// gives the dev users their school roles (Keycloak attributes, development only: the identity
// service will own this), opens academic year 2026/2027 in each school as the school admin and
// fills each school through the roster API: one CSV import (22 classes of grades 1–11, their
// class teachers, 550 students, their guardians — some with two children), the leaders and
// subject teachers hired by order, English groups and PE groups, consents of the demo guardian.
// Every step finds what an earlier run made and leaves it: running it again changes nothing.
// Usage: node deploy/local/seed-demo.js (after `npm start` brought the platform up).
'use strict';
const mongoose = require('mongoose');
const { academicYearPlanFixture, schoolRosterCsv } = require('@edu/testing');

const gateway = process.env.EDU_GATEWAY_URL ?? 'http://127.0.0.1:8080';
const keycloak = process.env.EDU_KEYCLOAK_URL ?? 'http://127.0.0.1:8180';
const mongoUrl = process.env.EDU_MONGO_URL ?? 'mongodb://127.0.0.1:27017';

// Real-looking cards with valid check digits (INN 10 digits, OGRN 13).
const DEMO_SCHOOLS = [
  {
    fullName: 'Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»',
    shortName: 'МБОУ СШ № 1',
    inn: '2460000010',
    ogrn: '1022402000015',
    address: '660049, г. Красноярск, ул. Ленина, д. 1',
    timeZone: 'Asia/Krasnoyarsk',
    licence: {
      number: 'Л035-01212-24/00000001',
      issuedOn: '2016-03-01',
      issuedBy: 'Министерство образования Красноярского края',
    },
    accreditation: { number: 'А007-01212-24/00000001', issuedOn: '2016-05-01', validUntil: '' },
    municipalityId: 'krasnoyarsk',
  },
  {
    fullName: 'Муниципальное автономное общеобразовательное учреждение «Гимназия № 2»',
    shortName: 'МАОУ Гимназия № 2',
    inn: '2460000028',
    ogrn: '1022402000026',
    address: '660049, г. Красноярск, пр. Мира, д. 2',
    timeZone: 'Asia/Krasnoyarsk',
    licence: {
      number: 'Л035-01212-24/00000002',
      issuedOn: '2015-09-01',
      issuedBy: 'Министерство образования Красноярского края',
    },
    accreditation: { number: 'А007-01212-24/00000002', issuedOn: '2015-12-01', validUntil: '' },
    municipalityId: 'krasnoyarsk',
  },
];

// Quarters for 1–9, half-years for 10–11, the usual holidays (the regional calendar of 2026/2027).
const DEMO_YEAR = academicYearPlanFixture();
const ENROLMENT_ORDER = { number: '45-у', date: '2026-08-28', title: 'О зачислении обучающихся' };
const STAFF_ORDER = { number: '12-к', date: '2026-08-25', title: 'О приёме на работу' };
const STUDENTS_PER_SCHOOL = 550; // 25 per class

// Besides the 22 class teachers of the generated file: the school's leaders and the teachers of
// the split subjects. Lines in the import's format (see GET /api/v1/imports/template.csv).
const LEADERS_AND_SUBJECT_TEACHERS = [
  { key: 'd1', line: 'Орлова;Татьяна;Викторовна;12.02.1968;ж', kind: 'director', title: 'Директор' },
  {
    key: 'z1',
    line: 'Белова;Ирина;Сергеевна;03.11.1975;ж',
    kind: 'deputy',
    title: 'Заместитель директора по УВР',
  },
  {
    key: 'e1',
    line: 'Смирнова;Елена;Викторовна;21.05.1986;ж',
    kind: 'teacher',
    title: 'Учитель английского языка',
    subject: 'english',
  },
  {
    key: 'e2',
    line: 'Кириллова;Ольга;Петровна;09.09.1990;ж',
    kind: 'teacher',
    title: 'Учитель английского языка',
    subject: 'english',
  },
  {
    key: 'f1',
    line: 'Кузнецов;Андрей;Павлович;17.04.1982;м',
    kind: 'teacher',
    title: 'Учитель физической культуры',
    subject: 'pe',
  },
  {
    key: 'f2',
    line: 'Громова;Светлана;Игоревна;30.01.1988;ж',
    kind: 'teacher',
    title: 'Учитель физической культуры',
    subject: 'pe',
  },
];

async function token(username, password) {
  const response = await fetch(`${keycloak}/realms/edu/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'edu-gateway',
      client_secret: 'dev-only-edu-gateway-secret',
      username,
      password,
    }),
  });
  if (!response.ok) throw new Error(`Keycloak refused ${username}: ${response.status}`);
  return (await response.json()).access_token;
}

/**
 * One call to the gateway. A busy store (the relay publishing a freshly imported school) may time
 * a call out: reads and keyed commands are safe to repeat, so those are tried again a few times.
 */
async function api(method, path, accessToken, body, idempotencyKey) {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${gateway}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${accessToken}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = { status: response.status, body: await response.json() };
    const repeatable = method === 'GET' || idempotencyKey !== undefined;
    if (!(repeatable && [503, 504].includes(answer.status) && attempt < 5)) return answer;
    await new Promise((resolve) => setTimeout(resolve, 2000 * attempt));
  }
}

/**
 * Sets a dev user's interim identity attributes (`edu_school_roles`, `edu_person_id`) through
 * Keycloak's admin API (development credentials).
 */
async function setDevAttributes(username, changed) {
  const admin = await fetch(`${keycloak}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'admin-cli',
      username: process.env.EDU_KEYCLOAK_ADMIN ?? 'admin',
      password: process.env.EDU_KEYCLOAK_ADMIN_PASSWORD ?? 'dev-admin-password',
    }),
  });
  if (!admin.ok) throw new Error(`Keycloak refused the admin: ${admin.status}`);
  const headers = {
    authorization: `Bearer ${(await admin.json()).access_token}`,
    'content-type': 'application/json',
  };
  const users = `${keycloak}/admin/realms/edu/users`;
  const [user] = await (await fetch(`${users}?username=${username}&exact=true`, { headers })).json();
  if (!user) throw new Error(`no Keycloak user ${username}`);
  const attributes = { ...user.attributes, ...changed };
  const updated = await fetch(`${users}/${user.id}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ ...user, attributes }),
  });
  if (!updated.ok)
    throw new Error(`setting ${username}'s attributes: ${updated.status} ${await updated.text()}`);
}

/** The answer's body when the status is one of `expected`, else an error naming what failed. */
function expect(what, answer, ...expected) {
  if (!expected.includes(answer.status)) {
    throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

/** Every page of a paged list. */
async function allPages(path, accessToken) {
  const items = [];
  let pageToken = '';
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = expect(
      `GET ${path}`,
      await api(
        'GET',
        `${path}${separator}pageSize=200&pageToken=${encodeURIComponent(pageToken)}`,
        accessToken,
      ),
      200,
    );
    items.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return items;
}

const fullName = (p) => `${p.lastName} ${p.firstName} ${p.middleName}`.trim();

/**
 * Fills one school's year: the roster file, the posts, the subgroups. Returns the people the dev
 * users become: the class teacher of 5А, a guardian with two children.
 */
async function fillSchool(schoolId, yearId, seed, accessToken) {
  const generated = schoolRosterCsv({ students: STUDENTS_PER_SCHOOL, seed });
  const csv = [
    generated,
    ...LEADERS_AND_SUBJECT_TEACHERS.map(({ key, line }) => `${key};сотрудник;${line};;;;;;;`),
  ].join('\r\n');
  const started = Date.now();
  const summary = expect(
    'importing the roster',
    await api('POST', `/api/v1/academic-years/${yearId}/imports`, accessToken, {
      csv,
      order: ENROLMENT_ORDER,
    }),
    201,
  );
  console.log(
    `[seed]   roster file of ${summary.lines} people in ${Date.now() - started} ms: ` +
      `people +${summary.people.created} (${summary.people.unchanged} in place), ` +
      `classes +${summary.classes.created}, enrolments +${summary.enrolments.created}, ` +
      `guardians linked +${summary.guardianships.created}`,
  );

  // Sex of each student, from the file (class lists carry names only): PE groups go by it.
  const rows = generated.split('\r\n').map((line) => line.split(';'));
  const sexOf = new Map(
    rows.filter((r) => r[1] === 'обучающийся').map((r) => [`${r[2]} ${r[3]} ${r[4]}`, r[6]]),
  );

  const staff = await allPages(`/api/v1/schools/${schoolId}/people?kind=staff`, accessToken);
  const staffByName = new Map(staff.map((p) => [fullName(p), p]));
  const classes = expect(
    'listing classes',
    await api('GET', `/api/v1/academic-years/${yearId}/classes`, accessToken),
    200,
  ).items;
  const gradeLed = new Map(classes.map((c) => [c.classTeacherId, c.grade]));
  const posts = [
    ...LEADERS_AND_SUBJECT_TEACHERS.map(({ line, kind, title, subject }) => {
      const [lastName, firstName, middleName] = line.split(';');
      return { person: staffByName.get(`${lastName} ${firstName} ${middleName}`), kind, title, subject };
    }),
    ...staff
      .filter((p) => gradeLed.has(p.id))
      .map((person) => ({
        person,
        kind: 'teacher',
        title: gradeLed.get(person.id) <= 4 ? 'Учитель начальных классов' : 'Учитель',
      })),
  ];
  for (const { person, kind, title } of posts) {
    if (!person) throw new Error(`the roster file's staff are not all in the school (${kind} ${title})`);
    const answer = await api(
      'POST',
      `/api/v1/schools/${schoolId}/staff-positions`,
      accessToken,
      { personId: person.id, kind, title, rate: 1, hiredOn: '2026-08-25', order: STAFF_ORDER },
      `demo-post-${person.id}-${kind}`,
    );
    // 409: the post is held already (hired by an earlier run under another key).
    expect(`hiring ${fullName(person)}`, answer, 201, 409);
  }
  console.log(`[seed]   posts: ${posts.length} in place (director, deputy, teachers)`);

  // English in two groups from grade 2, PE for girls and boys from grade 10.
  const teachersOf = (subject) => posts.filter((p) => p.subject === subject).map((p) => p.person.id);
  const [english1, english2] = teachersOf('english');
  const [peBoys, peGirls] = teachersOf('pe');
  let formed = 0;
  let kept = 0;
  for (const schoolClass of classes) {
    const students = expect(
      `the list of ${schoolClass.name}`,
      await api('GET', `/api/v1/classes/${schoolClass.id}/students`, accessToken),
      200,
    ).items;
    const existing = new Set(
      expect(
        `subgroups of ${schoolClass.name}`,
        await api('GET', `/api/v1/classes/${schoolClass.id}/subgroups`, accessToken),
        200,
      ).items.map((g) => g.name),
    );
    const half = Math.ceil(students.length / 2);
    const groups = [];
    if (schoolClass.grade >= 2) {
      groups.push(
        {
          subjectKey: 'english',
          name: 'Английский язык, группа 1',
          teacherId: english1,
          members: students.slice(0, half),
        },
        {
          subjectKey: 'english',
          name: 'Английский язык, группа 2',
          teacherId: english2,
          members: students.slice(half),
        },
      );
    }
    if (schoolClass.grade >= 10) {
      const sex = (s) => sexOf.get(fullName(s));
      groups.push(
        {
          subjectKey: 'pe',
          name: 'Физическая культура, юноши',
          teacherId: peBoys,
          members: students.filter((s) => sex(s) === 'м'),
        },
        {
          subjectKey: 'pe',
          name: 'Физическая культура, девушки',
          teacherId: peGirls,
          members: students.filter((s) => sex(s) !== 'м'),
        },
      );
    }
    for (const [number, { members, ...group }] of groups.entries()) {
      if (existing.has(group.name)) {
        kept++;
        continue;
      }
      expect(
        `forming «${group.name}» in ${schoolClass.name}`,
        await api(
          'POST',
          `/api/v1/classes/${schoolClass.id}/subgroups`,
          accessToken,
          { ...group, memberIds: members.map((s) => s.studentId) },
          `demo-subgroup-${schoolClass.id}-${number}`,
        ),
        201,
      );
      formed++;
    }
  }
  console.log(`[seed]   subgroups: ${formed} formed, ${kept} in place`);

  const fiveA = classes.find((c) => c.name === '5А');
  // A family with two children: the guardian of a first-former who has another child.
  const firstFormers = expect(
    'the list of 1А',
    await api('GET', `/api/v1/classes/${classes.find((c) => c.name === '1А').id}/students`, accessToken),
    200,
  ).items;
  let guardian;
  for (const student of firstFormers) {
    const { items } = expect(
      'guardians of a first-former',
      await api('GET', `/api/v1/people/${student.studentId}/guardians`, accessToken),
      200,
    );
    for (const { guardian: candidate } of items) {
      const children = expect(
        'children of a guardian',
        await api('GET', `/api/v1/people/${candidate.id}/children`, accessToken),
        200,
      ).items;
      if (children.length === 2) guardian = candidate;
    }
    if (guardian) break;
  }
  if (!guardian) throw new Error('no guardian of two children in 1А');
  return { classTeacherId: fiveA.classTeacherId, guardianId: guardian.id };
}

/** Records the written consent (R1.9) of each of a guardian's links that has none. */
async function recordConsents(guardianId, accessToken) {
  const children = expect(
    "the demo guardian's children",
    await api('GET', `/api/v1/people/${guardianId}/children`, accessToken),
    200,
  ).items;
  for (const { guardianship } of children) {
    if (guardianship.consentActive) continue;
    expect(
      'recording a consent',
      await api(
        'POST',
        `/api/v1/guardianships/${guardianship.id}/consents`,
        accessToken,
        {
          expectedVersion: guardianship.version,
          givenOn: '2026-08-28',
          document: 'Заявление о согласии № 1',
        },
        `demo-consent-${guardianship.id}`,
      ),
      200,
      201,
    );
  }
  return children.length;
}

async function main() {
  const accessToken = await token('dev-operator', 'Dev-Operator-1');
  const reports = await mongoose.createConnection(mongoUrl, { dbName: 'edu_reports' }).asPromise();
  try {
    for (const card of DEMO_SCHOOLS) {
      const started = Date.now();
      const response = await fetch(`${gateway}/api/v1/schools`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${accessToken}`,
          'content-type': 'application/json',
          'idempotency-key': `demo-school-${card.inn}`,
        },
        body: JSON.stringify(card),
      });
      const body = await response.json();
      if (response.status === 409 && body.code === 'school.inn_taken') {
        console.log(`[seed] ${card.shortName}: already there`);
        continue;
      }
      if (response.status !== 201)
        throw new Error(`creating ${card.shortName}: ${response.status} ${JSON.stringify(body)}`);
      let seen = null;
      while (!seen && Date.now() - started < 10_000) {
        seen = await reports.collection('school_directory').findOne({ _id: body.id });
        if (!seen) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      console.log(
        `[seed] ${card.shortName}: 201, id ${body.id}; ` +
          (seen
            ? `in reports after ${Date.now() - started} ms`
            : 'NOT in reports after 10 s (see the reports log)'),
      );
    }
  } finally {
    await reports.close();
  }

  const listed = await api('GET', '/api/v1/schools?pageSize=200', accessToken);
  const schoolIds = DEMO_SCHOOLS.map((card) => listed.body.items.find((s) => s.inn === card.inn)?.id).filter(
    Boolean,
  );
  await setDevAttributes('dev-school-admin', {
    edu_school_roles: schoolIds.map((id) => `${id}:schoolAdmin`),
  });
  console.log('[seed] dev-school-admin: school admin of both schools');
  const adminToken = await token('dev-school-admin', 'Dev-SchoolAdmin-1');
  const filled = [];
  for (const [index, schoolId] of schoolIds.entries()) {
    const year = await api(
      'POST',
      `/api/v1/schools/${schoolId}/academic-years`,
      adminToken,
      DEMO_YEAR,
      `demo-year-${schoolId}`,
    );
    if (year.status === 201) console.log(`[seed] academic year ${year.body.name} opened: ${year.body.id}`);
    else if (year.status === 409) console.log('[seed] academic year 2026/2027: already there');
    else throw new Error(`opening the year: ${year.status} ${JSON.stringify(year.body)}`);
    const years = expect(
      'listing years',
      await api('GET', `/api/v1/schools/${schoolId}/academic-years`, adminToken),
      200,
    );
    const yearId = years.items.find((y) => y.name === '2026/2027').id;
    filled.push(await fillSchool(schoolId, yearId, index + 1, adminToken));
  }

  const [first] = filled;
  await setDevAttributes('dev-teacher', {
    edu_school_roles: [`${schoolIds[0]}:teacher`],
    edu_person_id: [first.classTeacherId],
  });
  const consents = await recordConsents(first.guardianId, adminToken);
  await setDevAttributes('dev-guardian', { edu_school_roles: [], edu_person_id: [first.guardianId] });
  console.log(
    `[seed] dev-teacher: class teacher of 5А in the first school; dev-guardian: a parent of ${consents} children there, consents recorded`,
  );
  console.log(`[seed] try it:
  TOKEN=$(curl -s -d grant_type=password -d client_id=edu-gateway -d client_secret=dev-only-edu-gateway-secret \\
    -d username=dev-operator -d password=Dev-Operator-1 ${keycloak}/realms/edu/protocol/openid-connect/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
  curl -s -H "Authorization: Bearer $TOKEN" ${gateway}/api/v1/schools`);
}

main().catch((error) => {
  console.error(`[seed] failed: ${error.message}`);
  process.exit(1);
});
