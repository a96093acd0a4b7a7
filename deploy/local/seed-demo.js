// Seeds the demo region through the public API, the way a user would: a token from Keycloak
// for the dev operator, then the demo schools (idempotent: a re-run finds them in place), and
// shows the slice working: how long until reports (another process) has each school. Then it
// gives the dev users their school roles (Keycloak attributes, development only: the identity
// service will own this) and opens academic year 2026/2027 in each school as the school admin.
// Usage: node deploy/local/seed-demo.js (after `npm start` brought the platform up).
'use strict';
const mongoose = require('mongoose');

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
const DEMO_YEAR = {
  days: { startsOn: '2026-09-01', endsOn: '2027-05-31' },
  holidays: [
    { name: 'Осенние каникулы', days: { startsOn: '2026-10-26', endsOn: '2026-11-03' } },
    { name: 'Зимние каникулы', days: { startsOn: '2026-12-29', endsOn: '2027-01-11' } },
    { name: 'Весенние каникулы', days: { startsOn: '2027-03-22', endsOn: '2027-03-29' } },
  ],
  periodSchemes: [
    {
      grades: [1, 2, 3, 4, 5, 6, 7, 8, 9],
      kind: 'quarter',
      periods: [
        { number: 1, days: { startsOn: '2026-09-01', endsOn: '2026-10-25' } },
        { number: 2, days: { startsOn: '2026-11-04', endsOn: '2026-12-28' } },
        { number: 3, days: { startsOn: '2027-01-12', endsOn: '2027-03-21' } },
        { number: 4, days: { startsOn: '2027-03-30', endsOn: '2027-05-31' } },
      ],
    },
    {
      grades: [10, 11],
      kind: 'half_year',
      periods: [
        { number: 1, days: { startsOn: '2026-09-01', endsOn: '2026-12-28' } },
        { number: 2, days: { startsOn: '2027-01-12', endsOn: '2027-05-31' } },
      ],
    },
  ],
};

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

async function api(method, path, accessToken, body, idempotencyKey) {
  const response = await fetch(`${gateway}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${accessToken}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: await response.json() };
}

/** Sets a dev user's school roles through Keycloak's admin API (development credentials). */
async function grantSchoolRoles(username, roles) {
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
  const attributes = { ...user.attributes, edu_school_roles: roles };
  const updated = await fetch(`${users}/${user.id}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ ...user, attributes }),
  });
  if (!updated.ok) throw new Error(`setting ${username}'s roles: ${updated.status} ${await updated.text()}`);
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
  await grantSchoolRoles(
    'dev-school-admin',
    schoolIds.map((id) => `${id}:schoolAdmin`),
  );
  await grantSchoolRoles('dev-teacher', [`${schoolIds[0]}:teacher`]);
  console.log('[seed] dev-school-admin: school admin of both schools; dev-teacher: teacher of the first');
  const adminToken = await token('dev-school-admin', 'Dev-SchoolAdmin-1');
  for (const schoolId of schoolIds) {
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
  }
  console.log(`[seed] try it:
  TOKEN=$(curl -s -d grant_type=password -d client_id=edu-gateway -d client_secret=dev-only-edu-gateway-secret \\
    -d username=dev-operator -d password=Dev-Operator-1 ${keycloak}/realms/edu/protocol/openid-connect/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
  curl -s -H "Authorization: Bearer $TOKEN" ${gateway}/api/v1/schools`);
}

main().catch((error) => {
  console.error(`[seed] failed: ${error.message}`);
  process.exit(1);
});
