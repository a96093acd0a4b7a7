// Seeds the demo region through the public API, the way a user would: a token from Keycloak
// for the dev operator, then the demo schools (idempotent: a re-run finds them in place). Then
// it shows the slice working: how long until reports (another process) has each school.
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

async function token() {
  const response = await fetch(`${keycloak}/realms/edu/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'edu-gateway',
      client_secret: 'dev-only-edu-gateway-secret',
      username: 'dev-operator',
      password: 'Dev-Operator-1',
    }),
  });
  if (!response.ok) throw new Error(`Keycloak refused the dev operator: ${response.status}`);
  return (await response.json()).access_token;
}

async function main() {
  const accessToken = await token();
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
  console.log(`[seed] try it:
  TOKEN=$(curl -s -d grant_type=password -d client_id=edu-gateway -d client_secret=dev-only-edu-gateway-secret \\
    -d username=dev-operator -d password=Dev-Operator-1 ${keycloak}/realms/edu/protocol/openid-connect/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
  curl -s -H "Authorization: Bearer $TOKEN" ${gateway}/api/v1/schools`);
}

main().catch((error) => {
  console.error(`[seed] failed: ${error.message}`);
  process.exit(1);
});
