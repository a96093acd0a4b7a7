import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import os from 'node:os';
import * as grpc from '@grpc/grpc-js';
import mongoose from 'mongoose';
import { ActorSigner, createGrpcClient, type Actor } from '@edu/grpc';
import { loadProto } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/roster';
import {
  academicYearPlanFixture,
  createTestUser,
  deleteTestUser,
  schoolCardFixture,
  schoolRosterCsv,
} from '@edu/testing';
import { startPlatform } from '../src';
import { diaryBench } from './diary';
import { journalBench } from './journal';
import { lessonsBench } from './lessons';
import { notificationsBench } from './notifications';

// `npm run bench`: the numbers of BENCHMARKS.md. Bounded in time (about two minutes) and count.
// Endpoints come from the environment the way the services read them, with the local defaults.
// `EDU_BENCH_ONLY=lessons npm run bench` (or `node e2e/dist/bench/run.js lessons`) runs one bench:
// `platform` (the gateway, propagation and roster import below), `lessons` (schedule's dated
// lessons, ./lessons.ts), `journal` (gradebook's class journal, ./journal.ts), `diary` (the
// diary's read model of a school, ./diary.ts) or `notifications` (source event → inbox latency,
// ./notifications.ts); a comma-separated list runs several. `journal`, `diary` and
// `notifications` (minutes each) run only when named.

const BENCHES = ['platform', 'lessons', 'journal', 'diary', 'notifications'] as const;
const NAMED_ONLY: readonly (typeof BENCHES)[number][] = ['journal', 'diary', 'notifications'];
const only = (process.argv[2] ?? process.env.EDU_BENCH_ONLY ?? '').split(',').filter(Boolean);

const CONCURRENCY = Number(process.env.EDU_BENCH_CONCURRENCY ?? 16);
const DURATION_MS = Number(process.env.EDU_BENCH_SECONDS ?? 20) * 1000;
const CREATIONS = Number(process.env.EDU_BENCH_CREATIONS ?? 500);
const IMPORT_STUDENTS = Number(process.env.EDU_BENCH_IMPORT_STUDENTS ?? 2000);
const DRAIN_WATCH_MS = Number(process.env.EDU_BENCH_DRAIN_SECONDS ?? 60) * 1000;

const mongoUrl = process.env.EDU_MONGO_URL ?? `mongodb://127.0.0.1:${process.env.EDU_FERRETDB_PORT ?? 27017}`;
const kafkaBrokers = (
  process.env.EDU_KAFKA_BROKERS ?? `127.0.0.1:${process.env.EDU_KAFKA_PORT ?? 9092}`
).split(',');
const keycloakUrl =
  process.env.EDU_KEYCLOAK_URL ?? `http://127.0.0.1:${process.env.EDU_KEYCLOAK_PORT ?? 8180}`;

interface Result {
  requests: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Runs `call` from `CONCURRENCY` loops for `DURATION_MS`; latencies in ms. */
async function load(call: () => Promise<boolean>, durationMs = DURATION_MS): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const ok = await call().catch(() => false);
        latencies.push(performance.now() - t0);
        if (!ok) errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function operatorToken(): Promise<string> {
  const response = await fetch(`${keycloakUrl}/realms/edu/protocol/openid-connect/token`, {
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
  if (!response.ok) throw new Error(`token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

const row = (name: string, r: Result) =>
  `| ${name} | ${CONCURRENCY} | ${r.seconds.toFixed(1)} | ${r.requests} | ${r.errors} | ${(r.requests / r.seconds).toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`;

async function platformBench(): Promise<void> {
  // @edu/testing's helpers (test users) read the endpoints from the environment, as in tests.
  process.env.EDU_KEYCLOAK_URL ??= keycloakUrl;
  process.env.EDU_KAFKA_BROKERS ??= kafkaBrokers.join(',');
  process.env.EDU_MONGO_URL ??= mongoUrl;
  const platform = await startPlatform({
    mongoUrl,
    kafkaBrokers,
    keycloakUrl,
    logLevel: 'warn',
    env: { gateway: { EDU_RATE_LIMIT_PER_MINUTE: '1000000', EDU_RATE_LIMIT_BURST: '10000' } },
  });
  const store = await mongoose.createConnection(mongoUrl, { dbName: platform.reportsDb }).asPromise();
  const rosterStore = await mongoose.createConnection(mongoUrl, { dbName: platform.rosterDb }).asPromise();
  try {
    const token = await operatorToken();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${platform.gatewayUrl}/api/v1/schools`, {
      method: 'POST',
      headers,
      body: JSON.stringify(schoolCardFixture()),
    });
    const school = (await created.json()) as { id: string };
    if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(school)}`);

    // 1. GET one school through the gateway, then the same read straight from roster over gRPC.
    const url = `${platform.gatewayUrl}/api/v1/schools/${school.id}`;
    await load(async () => (await fetch(url, { headers })).ok, 3_000); // warm-up
    const viaGateway = await load(async () => {
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      return response.ok;
    });
    const proto = grpc.loadPackageDefinition(
      loadProto('edu/roster/v1/roster.proto'),
    ) as unknown as ProtoGrpcType;
    const client = createGrpcClient(proto.edu.roster.v1.RosterService, platform.rosterGrpc, {
      idempotentMethods: ['GetSchool'],
    });
    const signer = new ActorSigner({
      privateKey: platform.actorKey.privateKeyPem,
      kid: platform.actorKey.kid,
    });
    const operator: Actor = { accountId: 'bench', schoolRoles: [], grants: ['regionOperator'] };
    let actorToken = await signer.sign(operator);
    const refresh = setInterval(() => void signer.sign(operator).then((t) => (actorToken = t)), 30_000);
    await load(
      async () => Boolean((await client.GetSchool({ id: school.id }, { actorToken })).school),
      3_000,
    );
    const direct = await load(async () =>
      Boolean((await client.GetSchool({ id: school.id }, { actorToken })).school),
    );
    clearInterval(refresh);
    client.close();
    // The store's own speed for the same read, for scale (FerretDB is not MongoDB).
    const schools = rosterStore.collection('schools');
    const raw = await load(async () => (await schools.findOne({ _id: school.id as never })) !== null, 10_000);

    // 2. Event propagation: from the 201 to the school in reports' store (another process).
    // One creation at a time, so each number is the path's own latency, not a queue behind a
    // saturated store (a burst measures FerretDB's write rate instead; see BENCHMARKS.md).
    const directory = store.collection('school_directory');
    const propagation: number[] = [];
    const createStarted = performance.now();
    for (let i = 0; i < CREATIONS; i += 1) {
      const response = await fetch(`${platform.gatewayUrl}/api/v1/schools`, {
        method: 'POST',
        headers,
        body: JSON.stringify(schoolCardFixture()),
      });
      const body = (await response.json()) as { id: string };
      if (response.status !== 201) throw new Error(`create: ${response.status} ${JSON.stringify(body)}`);
      const t0 = performance.now();
      while ((await directory.findOne({ _id: body.id as never }, { projection: { _id: 1 } })) === null) {
        if (performance.now() - t0 > 30_000) throw new Error(`school ${body.id} not in reports after 30 s`);
        await sleep(2);
      }
      propagation.push(performance.now() - t0);
    }
    const createSeconds = (performance.now() - createStarted) / 1000;
    propagation.sort((a, b) => a - b);

    // 3. A school's roster from CSV through the gateway, as its school admin: 2,000 students,
    // their guardians and class teachers; then how long roster takes to publish every event.
    const admin = await createTestUser({ schoolRoles: [{ schoolId: school.id, role: 'schoolAdmin' }] });
    const adminHeaders = {
      authorization: `Bearer ${await admin.token()}`,
      'content-type': 'application/json',
    };
    const year = (await (
      await fetch(`${platform.gatewayUrl}/api/v1/schools/${school.id}/academic-years`, {
        method: 'POST',
        headers: adminHeaders,
        body: JSON.stringify(academicYearPlanFixture()),
      })
    ).json()) as { id: string };
    const csv = schoolRosterCsv({ students: IMPORT_STUDENTS });
    const importBody = (dryRun: boolean) =>
      JSON.stringify({ csv, dryRun, order: { number: '1-у', date: '2026-08-28', title: 'О зачислении' } });
    const importUrl = `${platform.gatewayUrl}/api/v1/academic-years/${year.id}/imports`;
    const t1 = performance.now();
    const dry = await fetch(importUrl, { method: 'POST', headers: adminHeaders, body: importBody(true) });
    const dryMs = performance.now() - t1;
    const t2 = performance.now();
    const imported = await fetch(importUrl, {
      method: 'POST',
      headers: adminHeaders,
      body: importBody(false),
    });
    const importMs = performance.now() - t2;
    const summary = (await imported.json()) as { lines: number };
    if (dry.status !== 200 || imported.status !== 201) {
      throw new Error(`import: ${dry.status}/${imported.status} ${JSON.stringify(summary)}`);
    }
    const t3 = performance.now();
    const pending = async () => {
      let n = 0;
      for (const name of ['people', 'classes', 'enrolments', 'guardianships']) {
        n += await rosterStore.collection(name).countDocuments({ outboxPending: true });
      }
      return n;
    };
    // Bounded: the relay's drain rate is what is measured, not how long the whole backlog takes.
    const pendingAtStart = await pending();
    let left = pendingAtStart;
    while (left > 0 && performance.now() - t3 < DRAIN_WATCH_MS) {
      await sleep(1000);
      left = await pending();
    }
    const drainMs = performance.now() - t3;
    const drained =
      left === 0
        ? `every event of it published by roster's relay in ${(drainMs / 1000).toFixed(1)} s`
        : `roster's relay published the events of ${pendingAtStart - left} of ${pendingAtStart} documents in ${(drainMs / 1000).toFixed(0)} s (${((pendingAtStart - left) / (drainMs / 1000)).toFixed(1)} documents/s; the watch stops there)`;
    // The year's registers over the imported school (read back from 2,000 enrolments' history).
    const timedReads = async (path: string, times: number) => {
      const ms: number[] = [];
      let body: unknown;
      for (let i = 0; i < times; i += 1) {
        const t = performance.now();
        const answer = await fetch(`${platform.gatewayUrl}${path}`, { headers: adminHeaders });
        body = await answer.json();
        if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${JSON.stringify(body)}`);
        ms.push(performance.now() - t);
      }
      ms.sort((a, b) => a - b);
      return { body, median: percentile(ms, 50) };
    };
    const orders = await timedReads(`/api/v1/academic-years/${year.id}/orders`, 5);
    const counts = await timedReads(`/api/v1/academic-years/${year.id}/counts`, 5);
    const orderItems = (orders.body as { items: { acts: { personIds: string[] }[] }[] }).items;
    const registers = `the year's register of orders (orders: ${orderItems.length}, persons named: ${orderItems
      .flatMap((o) => o.acts)
      .reduce((n, a) => n + a.personIds.length, 0)}) in ${orders.median.toFixed(0)} ms, its head counts (${
      (counts.body as { students: number }).students
    } students) in ${counts.median.toFixed(0)} ms (medians of 5, through the gateway)`;
    await deleteTestUser(admin);

    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    console.log(`
## Run of ${new Date().toISOString().slice(0, 10)}

Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; all processes on this machine (FerretDB ${'1.24'} over SQLite, Kafka KRaft single node, Keycloak).
Command: \`npm run bench\` (concurrency ${CONCURRENCY}, ${DURATION_MS / 1000} s per load phase)

### Read one school: gateway vs roster over gRPC directly

| path | concurrency | seconds | requests | errors | requests/s | p50 ms | p99 ms |
| ---- | ----------- | ------- | -------- | ------ | ---------- | ------ | ------ |
${row('REST GET /api/v1/schools/:id via gateway (token check, actor signing, gRPC)', viaGateway)}
${row('gRPC GetSchool to roster directly (signed actor)', direct)}
${row('store alone: findOne by _id on FerretDB (10 s)', raw)}

Gateway throughput is ${(viaGateway.requests / viaGateway.seconds / (direct.requests / direct.seconds)).toFixed(2)} × direct gRPC; p50 latency ${(viaGateway.p50 / direct.p50).toFixed(2)} ×.

### Event propagation: 201 from the gateway → school in reports' store

${CREATIONS} creations, one at a time, in ${createSeconds.toFixed(1)} s; all ${propagation.length} arrived.\np50 ${percentile(propagation, 50).toFixed(0)} ms, p99 ${percentile(propagation, 99).toFixed(0)} ms, max ${(propagation.at(-1) ?? NaN).toFixed(0)} ms (reports' store polled every 2 ms).

### Roster import from CSV through the gateway

${IMPORT_STUDENTS} students, ${summary.lines} lines (students, guardians, class teachers; ${(csv.length / 1024).toFixed(0)} KiB): check only (dry run) ${(dryMs / 1000).toFixed(1)} s; import ${(importMs / 1000).toFixed(1)} s; then ${drained}.
After it: ${registers}.
`);
  } finally {
    await store.dropDatabase();
    await rosterStore.dropDatabase();
    await store.close();
    await rosterStore.close();
    await platform.close();
  }
}

async function main(): Promise<void> {
  const unknown = only.filter((name) => !(BENCHES as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown bench ${unknown.join(', ')}; one of ${BENCHES.join(', ')}`);
  const runs = (name: (typeof BENCHES)[number]) =>
    only.length === 0 ? !NAMED_ONLY.includes(name) : only.includes(name);
  if (runs('platform')) await platformBench();
  if (runs('lessons')) console.log(`\n${await lessonsBench({ mongoUrl, kafkaBrokers })}\n`);
  if (runs('journal')) console.log(`\n${await journalBench({ mongoUrl, kafkaBrokers })}\n`);
  if (runs('diary')) console.log(`\n${await diaryBench({ mongoUrl, kafkaBrokers, keycloakUrl })}\n`);
  if (runs('notifications')) {
    console.log(`\n${await notificationsBench({ mongoUrl, kafkaBrokers, keycloakUrl })}\n`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
