import { randomUUIDv7 } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { groupLag, type EventEnvelope } from '@edu/events';
import { ActorSigner, createGrpcClient, type Actor, type PromiseClient } from '@edu/grpc';
import { loadProto } from '@edu/proto';
import type { ProtoGrpcType as NotificationsProto } from '@edu/proto/dist/generated/notifications';
import type { NotificationsServiceDefinition } from '@edu/proto/dist/generated/edu/notifications/v1/NotificationsService';
import { startPlatform, type Platform } from '../src';
import {
  buildSchool,
  counterValue,
  markEventsOf,
  messageOf,
  produceInBatches,
  rosterEventsOf,
  scheduleEventsOf,
  schoolEventCodec,
  TIME_ZONE,
} from './diary';

// `EDU_BENCH_ONLY=notifications npm run bench`: source event → in-app inbox (issue 9).
//
// The built notifications service runs alone as a process (`node dist/main.js`; e2e/src/platform.ts)
// on a fresh database and topics, e-mail off (SMS and push on their recording providers, the
// service's defaults). Roster, schedule and gradebook are played by a producer writing their real
// envelopes on their topics, with the diary bench's school (./diary.ts: EDU_BENCH_DIARY_CLASSES
// classes × EDU_BENCH_DIARY_STUDENTS students, 2,031 by default, each with a guardian, linked with
// consent). Measured:
//   1. setup: roster's events of the school and schedule's subjects, until the notifications
//      group's committed offsets reach the topics' ends (watched at most
//      EDU_BENCH_NOTIFY_SETUP_SECONDS); then the service's first progress-report check (60 s after
//      its start), which tells every guardian the last ended round in one unit, is waited for
//      (at most EDU_BENCH_NOTIFY_PROGRESS_SECONDS from the start) and timed, so that it does not
//      stall the latencies below;
//   2. latency, one at a time: EDU_BENCH_NOTIFY_EVENTS gradebook `mark.posted` events, each a
//      lesson of the quarter with the marks of 1–3 of its class's students, `occurredAt` = now,
//      produced one after another (the next EDU_BENCH_NOTIFY_GAP_MS after the previous one was
//      seen); for each, from just before `producer.send` until the first guardian of a marked
//      student finds its `mark_posted` entry in ListInbox over gRPC (as that guardian), the
//      guardians' inboxes polled every EDU_BENCH_NOTIFY_POLL_MS; beside it the service's own
//      histogram `notifications_inbox_latency_seconds` from its /metrics;
//   3. burst: EDU_BENCH_NOTIFY_BURST such events (a school's teachers saving lessons at once)
//      produced together; the time until the group's lag is 0 and the inbox entries written per
//      second (the counter `notifications_inbox_total`).
// Bounded by EDU_BENCH_NOTIFY_LIMIT_SECONDS as a whole.

const LIMIT_MS = Number(process.env.EDU_BENCH_NOTIFY_LIMIT_SECONDS ?? 180) * 1000;
const SETUP_MS = Number(process.env.EDU_BENCH_NOTIFY_SETUP_SECONDS ?? 90) * 1000;
const EVENTS = Number(process.env.EDU_BENCH_NOTIFY_EVENTS ?? 200);
const GAP_MS = Number(process.env.EDU_BENCH_NOTIFY_GAP_MS ?? 50);
const POLL_MS = Number(process.env.EDU_BENCH_NOTIFY_POLL_MS ?? 10);
const BURST = Number(process.env.EDU_BENCH_NOTIFY_BURST ?? 1000);
/** How long after the service is up its first progress-report round is waited for. */
const PROGRESS_WAIT_MS = Number(process.env.EDU_BENCH_NOTIFY_PROGRESS_SECONDS ?? 100) * 1000;
/** An event not seen in this long counts as missing. */
const SEEN_TIMEOUT_MS = 30_000;
/** Time kept for the burst when the latency phase runs long. */
const BURST_RESERVE_MS = 50_000;

export interface NotificationsBenchOptions {
  mongoUrl: string;
  kafkaBrokers: string[];
  keycloakUrl: string;
}

// --- Helpers ------------------------------------------------------------------------------------

const fmt = (n: number) => n.toLocaleString('en-US');
const sec = (ms: number) => (ms / 1000).toFixed(1);
const ms1 = (ms: number) => ms.toFixed(1);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** A histogram's cumulative buckets (`le` → count) of one label set, from a Prometheus text exposition. */
function histogramOf(text: string, name: string, label: string): Map<string, number> {
  const buckets = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}_bucket{`) || !line.includes(label)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (le !== undefined) buckets.set(le, (buckets.get(le) ?? 0) + Number(line.split(/\s+/).at(-1)));
  }
  return buckets;
}

/** Bucket counts of `after` less `before` (the observations between the two scrapes). */
function histogramDelta(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([le, n]) => [le, n - (before.get(le) ?? 0)]));
}

/** The bucket holding the p-th percentile of a cumulative histogram, e.g. "0.25–0.5 s". */
function bucketOf(cumulative: Map<string, number>, p: number): string {
  const count = cumulative.get('+Inf') ?? 0;
  if (count === 0) return 'n/a';
  const rank = Math.ceil((p / 100) * count);
  let lower = '0';
  for (const [le, n] of [...cumulative].sort(([a], [b]) => Number(a) - Number(b))) {
    if (n >= rank) return le === '+Inf' ? `over ${lower} s` : `${lower}–${le} s`;
    lower = le;
  }
  return 'n/a';
}

interface MarksPayload {
  record: { marks: { student_id: string }[] };
  marks: { student_id: string; value: string }[];
}

/** A source event again, as if just now: a new id and `occurredAt`; only its first `keep` marks. */
function fresh(event: EventEnvelope, keep: number): EventEnvelope<MarksPayload> {
  const payload = event.payload as MarksPayload;
  const marks = payload.marks.slice(0, keep);
  return {
    ...event,
    id: randomUUIDv7(),
    occurredAt: new Date().toISOString(),
    payload: { ...payload, record: { ...payload.record, marks: payload.record.marks.slice(0, keep) }, marks },
  };
}

// --- The bench ----------------------------------------------------------------------------------

/** Runs the bench and returns its section of BENCHMARKS.md (markdown). */
export async function notificationsBench(options: NotificationsBenchOptions): Promise<string> {
  const started = performance.now();
  const until = started + LIMIT_MS;
  const left = () => until - performance.now();
  const loadBefore = os.loadavg();
  const school = buildSchool();
  const platform: Platform = await startPlatform({
    mongoUrl: options.mongoUrl,
    kafkaBrokers: options.kafkaBrokers,
    keycloakUrl: options.keycloakUrl,
    logLevel: 'warn',
    services: ['notifications'],
  });
  const serviceUpAt = performance.now();
  const serviceUpWall = Date.now();
  const startedMs = serviceUpAt - started;
  const topics = (['roster', 'schedule', 'gradebook'] as const).map(
    (source) => `${platform.topicPrefix}edu.${source}.v1`,
  );
  const group = platform.kafkaGroups.notifications;
  const kafka = new Kafka({ brokers: options.kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const admin = kafka.admin();
  const store: Connection = await mongoose
    .createConnection(options.mongoUrl, { dbName: platform.notificationsDb })
    .asPromise();
  const signer = new ActorSigner({ privateKey: platform.actorKey.privateKeyPem, kid: platform.actorKey.kid });
  const proto = grpc.loadPackageDefinition(
    loadProto('edu/notifications/v1/notifications.proto'),
  ) as unknown as NotificationsProto;
  const client: PromiseClient<NotificationsServiceDefinition> = createGrpcClient(
    proto.edu.notifications.v1.NotificationsService,
    platform.notificationsGrpc,
    { deadlineMs: 10_000, idempotentMethods: ['ListInbox'] },
  );
  const notes: string[] = [];
  try {
    await Promise.all([producer.connect(), admin.connect()]);
    // Actor tokens live 60 s: each is re-signed after 20.
    const tokens = new Map<string, { value: string; at: number }>();
    const as = async (personId: string) => {
      let token = tokens.get(personId);
      if (!token || Date.now() - token.at > 20_000) {
        const actor: Actor = {
          accountId: `acc-${personId.slice(0, 8)}`,
          personId,
          schoolRoles: [],
          grants: [],
        };
        token = { value: await signer.sign(actor), at: Date.now() };
        tokens.set(personId, token);
      }
      return { actorToken: token.value };
    };
    const codec = schoolEventCodec();
    const produce = (topic: string, events: EventEnvelope<unknown>[]) =>
      produceInBatches(producer, codec, topic, events);
    const metrics = async () => (await fetch(`${platform.opsUrl('notifications')}/metrics`)).text();
    const HISTOGRAM = 'notifications_inbox_latency_seconds';
    const INBOXED = 'notifications_inbox_total';

    // 1. The school: roster's events and schedule's subjects, until the group has applied them.
    const rosterEvents = rosterEventsOf(school);
    const subjectEvents = scheduleEventsOf(school).filter((e) => e.type === 'edu.schedule.subject.created');
    const tSetup = performance.now();
    await produce(topics[0]!, rosterEvents);
    await produce(topics[1]!, subjectEvents);
    const setupProducedMs = performance.now() - tSetup;
    let lag = await groupLag(admin, group, topics);
    while (lag.behind > 0 && performance.now() - tSetup < SETUP_MS && left() > 0) {
      await sleep(250);
      lag = await groupLag(admin, group, topics);
    }
    const setupMs = performance.now() - tSetup;
    const setupCount = rosterEvents.length + subjectEvents.length;
    const setupLine =
      lag.behind === 0
        ? `${fmt(rosterEvents.length)} roster + ${fmt(subjectEvents.length)} schedule events applied in ${sec(setupMs)} s: ${(setupCount / (setupMs / 1000)).toFixed(0)} events/s (from the first produced to the group's committed offsets at the topics' ends; producing took ${sec(setupProducedMs)} s)`
        : `only ${fmt(setupCount - lag.behind)} of ${fmt(setupCount)} roster and schedule events applied in the ${sec(setupMs)} s watched; the phases below ran behind the rest`;
    if (lag.behind > 0)
      notes.push(`setup not drained: ${fmt(lag.behind)} events behind after ${sec(setupMs)} s`);
    const storedStudents = await store.collection('students').countDocuments({});

    // The service's first progress-report check (every EDU_PROGRESS_CHECK_INTERVAL, 60 s, from its
    // start) tells the school's last ended round to every guardian in one unit, and units run one
    // at a time: waited for here, so that it is measured on its own and not inside the latencies.
    const REPORTS = 'trigger="progress_report"';
    let reports = counterValue(await metrics(), INBOXED, REPORTS);
    while (reports === 0 && performance.now() - serviceUpAt < PROGRESS_WAIT_MS && left() > 0) {
      await sleep(250);
      reports = counterValue(await metrics(), INBOXED, REPORTS);
    }
    const reportsSeenAt = Date.now();
    let progressLine = `no progress reports within ${sec(PROGRESS_WAIT_MS)} s of the service's start`;
    if (reports > 0) {
      const firstStudent = school.classes[0]!.studentIds[0]!;
      const page = await client.ListInbox(
        { unread_only: false, limit: 5, cursor: '' },
        await as(school.guardianOf.get(firstStudent)!),
      );
      const report = page.notifications.find((n) => n.trigger === 'progress_report');
      const unitStarted = report ? Date.parse(report.created_at) : NaN;
      progressLine = `${fmt(reports)} progress reports (\`progress_report\`, the round before today's, one per guardian) in one unit, begun ${sec(unitStarted - serviceUpWall)} s after the service was up and stored ≈ ${sec(reportsSeenAt - unitStarted)} s later (its \`created_at\` to the counter's rise, scraped every 250 ms); the phases below began after it`;
    } else {
      notes.push('the first progress-report check was not seen before the latency phase');
    }

    // The mark events: lessons of the quarter (diary's builder: 5 marks each), spread over the
    // classes by a stride, each cut to 1–3 marks; the latency phase's first, the burst's after.
    const pool = markEventsOf(school);
    const stride = 7919; // a prime: consecutive picks fall on different days and classes
    const picks = Array.from(
      { length: Math.min(pool.length, EVENTS + BURST) },
      (_, i) => pool[(i * stride) % pool.length]!,
    );
    const lessonsUsed = new Set(picks.map((e) => e.aggregateId)).size;
    if (lessonsUsed < picks.length)
      notes.push(`${picks.length - lessonsUsed} lessons posted twice (pool of ${pool.length})`);
    const guardiansOf = (event: EventEnvelope<MarksPayload>) =>
      event.payload.marks.map((m) => ({
        studentId: m.student_id,
        guardianId: school.guardianOf.get(m.student_id)!,
      }));

    // 2. Latency, one event at a time.
    const metricsBefore = await metrics();
    const latencies: number[] = [];
    const sendLatencies: number[] = [];
    const inService: number[] = [];
    const pollErrors = new Map<string, number>();
    let missing = 0;
    let marksSent = 0;
    let rounds = 0;
    const tLatency = performance.now();
    let sent = 0;
    for (const [i, base] of picks.slice(0, EVENTS).entries()) {
      if (left() < BURST_RESERVE_MS) {
        notes.push(`latency phase stopped after ${i} events: the bench's time limit`);
        break;
      }
      const event = fresh(base, 1 + (i % 3));
      const watched = guardiansOf(event);
      marksSent += watched.length;
      // Tokens signed before the clock starts.
      const auth = await Promise.all(watched.map((w) => as(w.guardianId)));
      const message = messageOf(codec, event);
      const t0 = performance.now();
      await producer.send({ topic: topics[2]!, acks: -1, messages: [message] });
      sendLatencies.push(performance.now() - t0);
      sent += 1;
      let seenAt: number | undefined;
      while (seenAt === undefined && performance.now() - t0 < SEEN_TIMEOUT_MS) {
        rounds += 1;
        await Promise.all(
          watched.map(async ({ studentId, guardianId }, k) => {
            const id = `${event.id}:mark_posted:${guardianId}:${studentId}`;
            const page = await client
              .ListInbox({ unread_only: false, limit: 5, cursor: '' }, auth[k])
              .catch((error: unknown) => {
                const text = String(error instanceof Error ? error.message : error).slice(0, 120);
                pollErrors.set(text, (pollErrors.get(text) ?? 0) + 1);
                return undefined;
              });
            const at = performance.now();
            const entry = page?.notifications.find((n) => n.notification_id === id);
            if (entry && seenAt === undefined) {
              seenAt = at;
              inService.push(Date.parse(entry.created_at) - Date.parse(entry.occurred_at));
            }
          }),
        );
        if (seenAt === undefined) await sleep(POLL_MS);
      }
      if (seenAt === undefined) missing += 1;
      else latencies.push(seenAt - t0);
      await sleep(GAP_MS);
    }
    const latencyMs = performance.now() - tLatency;
    // In the order produced: the first and the last quarter's p50 (does it drift as the store grows?).
    const quarter = Math.max(1, Math.floor(latencies.length / 4));
    const p50Of = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        50,
      );
    const drift = `first ${quarter} events p50 ${ms1(p50Of(latencies.slice(0, quarter)))} ms, last ${quarter} p50 ${ms1(p50Of(latencies.slice(-quarter)))} ms`;
    const metricsAfter = await metrics();
    latencies.sort((a, b) => a - b);
    sendLatencies.sort((a, b) => a - b);
    inService.sort((a, b) => a - b);
    const histogramLatency = histogramDelta(
      histogramOf(metricsAfter, HISTOGRAM, 'trigger="mark_posted"'),
      histogramOf(metricsBefore, HISTOGRAM, 'trigger="mark_posted"'),
    );
    const allLatency = histogramDelta(
      histogramOf(metricsAfter, HISTOGRAM, ''),
      histogramOf(metricsBefore, HISTOGRAM, ''),
    );
    const inboxedLatency = counterValue(metricsAfter, INBOXED, '') - counterValue(metricsBefore, INBOXED, '');
    const perTrigger = ['mark_posted', 'low_mark', 'progress_report']
      .map((t) => {
        const n =
          counterValue(metricsAfter, INBOXED, `trigger="${t}"`) -
          counterValue(metricsBefore, INBOXED, `trigger="${t}"`);
        return `${t} ${fmt(n)}`;
      })
      .join(', ');
    if (pollErrors.size > 0) {
      notes.push(
        `ListInbox errors while polling: ${[...pollErrors.entries()]
          .slice(0, 3)
          .map(([text, n]) => `${n} × ${text}`)
          .join('; ')}`,
      );
    }

    // 3. Burst: the rest of the picks produced together.
    const burstEvents = picks.slice(EVENTS, EVENTS + BURST).map((e, i) => fresh(e, 1 + (i % 3)));
    const burstMarks = burstEvents.reduce((n, e) => n + e.payload.marks.length, 0);
    const lastEvent = burstEvents.at(-1);
    const metricsBeforeBurst = await metrics();
    const tBurst = performance.now();
    await produce(topics[2]!, burstEvents);
    const burstProducedMs = performance.now() - tBurst;
    let burstLag = await groupLag(admin, group, topics);
    let lastSeenMs: number | undefined;
    const samples: { at: number; inboxed: number }[] = [];
    const inboxedAtBurst = counterValue(metricsBeforeBurst, INBOXED, '');
    while (burstLag.behind > 0 && left() > 0) {
      await sleep(100);
      burstLag = await groupLag(admin, group, topics);
      const at = performance.now();
      samples.push({ at, inboxed: counterValue(await metrics(), INBOXED, '') - inboxedAtBurst });
      if (lastEvent && lastSeenMs === undefined) {
        const { studentId, guardianId } = guardiansOf(lastEvent)[0]!;
        const page = await client
          .ListInbox({ unread_only: false, limit: 5, cursor: '' }, await as(guardianId))
          .catch(() => undefined);
        const id = `${lastEvent.id}:mark_posted:${guardianId}:${studentId}`;
        if (page?.notifications.some((n) => n.notification_id === id))
          lastSeenMs = performance.now() - tBurst;
      }
    }
    const burstMs = performance.now() - tBurst;
    const metricsAfterBurst = await metrics();
    const burstInboxed = counterValue(metricsAfterBurst, INBOXED, '') - inboxedAtBurst;
    const burstHistogram = histogramDelta(
      histogramOf(metricsAfterBurst, HISTOGRAM, ''),
      histogramOf(metricsBeforeBurst, HISTOGRAM, ''),
    );
    // The steadiest second-by-second rate: the best 5 s window of inbox entries.
    let bestRate = 0;
    for (const s of samples) {
      const later = samples.find((x) => x.at - s.at >= 5_000);
      if (later) bestRate = Math.max(bestRate, (later.inboxed - s.inboxed) / ((later.at - s.at) / 1000));
    }
    const burstLine =
      burstLag.behind === 0
        ? `**lag 0 after ${sec(burstMs)} s: ${(burstEvents.length / (burstMs / 1000)).toFixed(0)} events/s, ${fmt(burstInboxed)} inbox entries written, ${(burstInboxed / (burstMs / 1000)).toFixed(0)} entries/s**`
        : `**${fmt(burstEvents.length - burstLag.behind)} of ${fmt(burstEvents.length)} events applied when the bench's time ran out after ${sec(burstMs)} s** (${fmt(burstInboxed)} inbox entries, ${(burstInboxed / (burstMs / 1000)).toFixed(0)} entries/s)`;
    if (burstLag.behind > 0)
      notes.push(`burst not drained: ${fmt(burstLag.behind)} events behind at the end`);

    // What the service said and kept.
    let dlq = 0;
    for (const topic of (await admin.listTopics()).filter(
      (t) => t.startsWith(platform.topicPrefix) && t.endsWith('.dlq'),
    )) {
      dlq += (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
    }
    const logs = platform.logs('notifications');
    const errors = logs.filter((l) => l.level === 'error' || l.level === 'fatal');
    const warnings = logs.filter((l) => l.level === 'warn');
    if (errors.length > 0) {
      notes.push(
        `${errors.length} error lines in the service's log, e.g. ${errors
          .slice(0, 2)
          .map((l) => JSON.stringify(l.msg))
          .join(', ')}`,
      );
    }
    // The collections a unit reads and writes (on FerretDB over SQLite each statement scans its own).
    const sizes: string[] = [];
    for (const name of ['inbox', 'deliveries', 'marks', 'students', 'people']) {
      const sample = await store.collection(name).find({}).limit(50).toArray();
      const count = await store.collection(name).countDocuments({});
      const avg =
        sample.reduce((n, d) => n + mongoose.mongo.BSON.calculateObjectSize(d), 0) /
        Math.max(1, sample.length);
      sizes.push(`${name} ${fmt(count)} (≈ ${(avg / 1024).toFixed(1)} KiB each)`);
    }
    const queued = counterValue(metricsAfterBurst, 'notifications_deliveries_queued_total', '');
    const sentDeliveries = counterValue(metricsAfterBurst, 'notifications_deliveries_sent_total', '');
    const rss = counterValue(metricsAfterBurst, 'process_resident_memory_bytes', '');

    // The report.
    const loadAfter = os.loadavg();
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const backend = process.env.EDU_STORE_BACKEND === 'postgresql' ? 'PostgreSQL' : 'SQLite';
    const students = school.classes.reduce((n, c) => n + c.studentIds.length, 0);
    const histogramCount = histogramLatency.get('+Inf') ?? 0;
    const lines = [
      `### Notifications: source event → inbox (\`notifications\`)`,
      '',
      `Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; FerretDB 1.24 over ${backend}, Kafka KRaft single node, all on this machine. Load average (1 min) ${loadBefore[0]!.toFixed(2)} before, ${loadAfter[0]!.toFixed(2)} after (5 min: ${loadBefore[1]!.toFixed(2)} / ${loadAfter[1]!.toFixed(2)}).`,
      `Command: \`EDU_BENCH_ONLY=notifications npm run bench\` (${EVENTS} events one at a time, ${BURST} in the burst, polled every ${POLL_MS} ms).`,
      `School (the diary bench's builder; zone ${TIME_ZONE}, today ${school.today}): ${school.classes.length} classes, ${fmt(students)} students, each with a guardian (linked, consent recorded); notifications alone started in ${sec(startedMs)} s (e-mail off, SMS and push on the recording providers).`,
      '',
      `- **Setup:** ${setupLine}; ${fmt(storedStudents)} student copies stored. Then ${progressLine}.`,
      `- **Latency, one event at a time (gradebook \`mark.posted\` → the guardian's ListInbox over gRPC):** ${sent} events of 1–3 marks each (${marksSent} marks, lessons of the quarter, \`occurredAt\` = now), the next ${GAP_MS} ms after the previous one was seen; per event from just before \`producer.send\` (acks all) to the first answer of ListInbox (as the guardian, a signed person actor) holding the entry, the guardians of the marked students polled at once every ${POLL_MS} ms (${fmt(rounds)} rounds): **p50 ${ms1(percentile(latencies, 50))} ms, p90 ${ms1(percentile(latencies, 90))} ms, p99 ${ms1(percentile(latencies, 99))} ms, max ${ms1(latencies.at(-1) ?? NaN)} ms** (${latencies.length} seen, ${missing} not seen within ${SEEN_TIMEOUT_MS / 1000} s; ${sec(latencyMs)} s in all; ${drift}). Of it, \`producer.send\` p50 ${ms1(percentile(sendLatencies, 50))} ms, p99 ${ms1(percentile(sendLatencies, 99))} ms; the entry's own \`created_at\` − \`occurred_at\` (the unit's clock when it started, before the store's write) p50 ${ms1(percentile(inService, 50))} ms, p99 ${ms1(percentile(inService, 99))} ms.`,
      `- **The service's histogram** \`${HISTOGRAM}\` over the same phase (observed when a unit is stored, per inbox entry: the student's and the guardian's, plus \`low_mark\` for marks of 2): trigger \`mark_posted\` ${fmt(histogramCount)} observations (${2 * marksSent} expected), p50 in the bucket ${bucketOf(histogramLatency, 50)}, p99 in ${bucketOf(histogramLatency, 99)}; all triggers ${fmt(allLatency.get('+Inf') ?? 0)} (\`${INBOXED}\` +${fmt(inboxedLatency)}: ${perTrigger}), p50 ${bucketOf(allLatency, 50)}, p99 ${bucketOf(allLatency, 99)}.`,
      `- **Burst:** ${fmt(burstEvents.length)} such events (${fmt(burstMarks)} marks) produced together in ${sec(burstProducedMs)} s; ${burstLine} (from the first produced to the group's committed offsets at the topics' ends, watched every 100 ms; \`${INBOXED}\` from /metrics; best 5 s window ${bestRate.toFixed(0)} entries/s). The last event's first guardian saw it ${lastSeenMs === undefined ? 'not within the watch' : `at ${sec(lastSeenMs)} s`}. The histogram over the burst (source event → stored unit, so the queue included): ${fmt(burstHistogram.get('+Inf') ?? 0)} observations, p50 ${bucketOf(burstHistogram, 50)}, p99 ${bucketOf(burstHistogram, 99)}.`,
      `- After it: documents ${sizes.join(', ')} (sizes from the first 50 as BSON); ${fmt(queued)} deliveries queued, ${fmt(sentDeliveries)} sent (\`notifications_deliveries_*_total\`); ${dlq} messages on the dead-letter topics; the service's log (level warn) had ${errors.length} error and ${warnings.length} warning lines; its resident memory ${rss > 0 ? `${(rss / 2 ** 20).toFixed(0)} MiB` : 'n/a'}.`,
      ...notes.map((n) => `- Note: ${n}.`),
      '',
      `Whole bench: ${sec(performance.now() - started)} s (limit ${LIMIT_MS / 1000} s). Logs: ${platform.logDir}.`,
    ];
    return lines.join('\n');
  } finally {
    client.close();
    await producer.disconnect().catch(() => undefined);
    await platform.close();
    await store.dropDatabase().catch(() => undefined);
    await store.close();
    // This run's topics only (its own prefix).
    await admin
      .listTopics()
      .then(async (all) => {
        const mine = all.filter((t) => t.startsWith(platform.topicPrefix));
        if (mine.length > 0) await admin.deleteTopics({ topics: mine });
      })
      .catch(() => undefined)
      .finally(() => admin.disconnect());
  }
}
