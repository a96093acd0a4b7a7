import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { createEventCodec, groupLag, newEvent, type EventCodec, type EventEnvelope } from '@edu/events';
import {
  ActorSigner,
  createGrpcClient,
  generateDevActorKeys,
  writeActorKeys,
  type Actor,
  type PromiseClient,
} from '@edu/grpc';
import { loadProto, protoFile } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/gradebook';
import type { GradebookServiceDefinition } from '@edu/proto/dist/generated/edu/gradebook/v1/GradebookService';
import type { GetJournalPageResponse__Output } from '@edu/proto/dist/generated/edu/gradebook/v1/GetJournalPageResponse';
import { uniqueName } from '@edu/testing';
import { freePort } from '../src';

// `EDU_BENCH_ONLY=journal npm run bench`: gradebook's class journal, one school.
//
// The built gradebook service runs as a process (`node dist/main.js`, as in a container) on a
// fresh database and topics. Roster and schedule are played by a producer writing their real
// envelopes on their topics (as services/gradebook/test/component/harness.ts builds them): a
// school, a year whose first quarter runs from 30 days ago to 30 days ahead, EDU_BENCH_JOURNAL_CLASSES
// classes — the first one, the class under test, with 30 students, the others with
// EDU_BENCH_JOURNAL_BACKGROUND_STUDENTS each — and, per class, EDU_BENCH_JOURNAL_SUBJECTS
// subjects of EDU_BENCH_JOURNAL_LESSONS dated lessons each. Measured:
//   1. the consumer applying schedule's lesson events (events/s until its committed offsets reach
//      the topic's end);
//   2. SaveLessonRecord of every lesson of one course of the class under test (topic, homework,
//      30 marks, 3 absences; the lessons of the last 13 days and today, all started), after the
//      school's policy opened past lessons for 14 days; each checked as one document at version 1;
//   3. GetJournalPage of that course over quarter 1: sequential, then at a concurrency;
//   4. the store alone: the reads the page makes, with mongoose on the same database.
// Bounded by EDU_BENCH_JOURNAL_LIMIT_SECONDS as a whole and each sequential phase by
// EDU_BENCH_JOURNAL_PHASE_SECONDS. The consumer is watched for at most
// EDU_BENCH_JOURNAL_DRAIN_SECONDS: on FerretDB over SQLite it does not apply 9,000 lesson events in
// any sensible time (each update scans), so its rate is the number; then gradebook is stopped, its
// group's offsets on schedule's topic are moved to the end (the rest is skipped, the store keeps
// what was applied, the course under test first) and it is started again on the same database, so
// that steps 2–4 do not share the machine with a consumer still catching up.

const LIMIT_MS = Number(process.env.EDU_BENCH_JOURNAL_LIMIT_SECONDS ?? 900) * 1000;
const DRAIN_MS = Number(process.env.EDU_BENCH_JOURNAL_DRAIN_SECONDS ?? 120) * 1000;
const CLASSES = Number(process.env.EDU_BENCH_JOURNAL_CLASSES ?? 20);
const SUBJECTS = Number(process.env.EDU_BENCH_JOURNAL_SUBJECTS ?? 10);
const LESSONS = Number(process.env.EDU_BENCH_JOURNAL_LESSONS ?? 45);
const BACKGROUND_STUDENTS = Number(process.env.EDU_BENCH_JOURNAL_BACKGROUND_STUDENTS ?? 25);
const PAGES = Number(process.env.EDU_BENCH_JOURNAL_PAGES ?? 300);
/** Roster's events (≈ 1,200 by default: people, enrolments into class rolls) must be applied within this. */
const ROSTER_MS = Number(process.env.EDU_BENCH_JOURNAL_ROSTER_SECONDS ?? 300) * 1000;
/** Each sequential phase of PAGES requests (or store read sets) stops after this long. */
const PHASE_MS = Number(process.env.EDU_BENCH_JOURNAL_PHASE_SECONDS ?? 60) * 1000;
const LOAD_MS = Number(process.env.EDU_BENCH_JOURNAL_SECONDS ?? 20) * 1000;
const CONCURRENCY = Number(process.env.EDU_BENCH_JOURNAL_CONCURRENCY ?? 8);
/** The class under test. */
const STUDENTS = 30;
const ABSENT = 3;
/** Its course's lessons are on the last 13 days and today. */
const DAYS = 14;
/** Lesson n starts at (n − 1):00 local time, so a day's lessons have all started after 0X:00. */
const LESSONS_PER_DAY = Math.ceil(LESSONS / DAYS);
const WORK_TYPES = ['oral', 'classwork', 'homework', 'independent', 'test', 'dictation'];
/** Parallel single-`_id` reads, as gradebook reads a list of people. */
const READ_PARALLELISM = 8;

export interface JournalBenchOptions {
  mongoUrl: string;
  kafkaBrokers: string[];
}

// --- Dates and the school's zone ------------------------------------------------------------------

/** YYYY-MM-DD of `days` days after `date`. */
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function localClock(timeZone: string, now = new Date()): { date: string; hour: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/**
 * A Russian zone where today's lessons have all started (it is past their last start hour) and
 * the day does not end during the bench: at any moment one of these is.
 */
function schoolZone(): string {
  const zones = [
    'Europe/Moscow',
    'Asia/Krasnoyarsk',
    'Europe/Kaliningrad',
    'Asia/Yekaterinburg',
    'Asia/Vladivostok',
    'Asia/Kamchatka',
  ];
  const zone = zones.find((z) => {
    const { hour } = localClock(z);
    return hour >= LESSONS_PER_DAY && hour <= 22;
  });
  if (!zone) throw new Error(`no zone where ${LESSONS_PER_DAY} lessons have started (too many a day)`);
  return zone;
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

// --- The school, as roster and schedule describe it ----------------------------------------------

interface BenchCourse {
  subjectId: string;
  subjectKey: string;
  teacherId: string;
  lessons: { lessonId: string; date: string; lessonNumber: number }[];
}

interface BenchClass {
  id: string;
  name: string;
  grade: number;
  classTeacherId: string;
  studentIds: string[];
  courses: BenchCourse[];
}

interface BenchSchool {
  schoolId: string;
  yearId: string;
  timeZone: string;
  today: string;
  quarter: { startsOn: string; endsOn: string };
  classes: BenchClass[];
}

const LETTERS = 'АБВГДЕЖЗИКЛМН';

function buildSchool(): BenchSchool {
  const timeZone = schoolZone();
  const today = localClock(timeZone).date;
  const quarter = { startsOn: addDays(today, -30), endsOn: addDays(today, 30) };
  const subjectIds = Array.from({ length: SUBJECTS }, () => randomUUID());
  const classes = Array.from({ length: CLASSES }, (_, c): BenchClass => {
    const grade = 5 + (c % 5);
    const courses = subjectIds.map((subjectId, s): BenchCourse => {
      const lessons = Array.from({ length: LESSONS }, (_, i) => {
        if (c === 0 && s === 0) {
          // The course under test: the last 13 days and today, lessons 1..LESSONS_PER_DAY a day.
          const day = Math.floor((i * DAYS) / LESSONS);
          const first = Math.ceil((day * LESSONS) / DAYS);
          return { date: addDays(today, day - (DAYS - 1)), lessonNumber: i - first + 1 };
        }
        // Elsewhere: spread over the quarter, lesson number by subject.
        const span = 61;
        return {
          date: addDays(quarter.startsOn, Math.floor((i * span) / LESSONS)),
          lessonNumber: 1 + (s % 7),
        };
      });
      return {
        subjectId,
        subjectKey: `subject_${s + 1}`,
        teacherId: randomUUID(),
        lessons: lessons.map((l) => ({ lessonId: randomUUID(), ...l })),
      };
    });
    return {
      id: randomUUID(),
      name: `${grade}${LETTERS[Math.floor(c / 5) % LETTERS.length]}`,
      grade,
      classTeacherId: randomUUID(),
      studentIds: Array.from({ length: c === 0 ? STUDENTS : BACKGROUND_STUDENTS }, () => randomUUID()),
      courses,
    };
  });
  return { schoolId: randomUUID(), yearId: randomUUID(), timeZone, today, quarter, classes };
}

const EVENT_ACTOR = { accountId: 'acc-bench-source', personId: '' };
function sourceEvent<P>(type: string, schoolId: string, aggregateId: string, version: number, payload: P) {
  return newEvent({
    type,
    schoolId,
    aggregateId,
    aggregateVersion: version,
    actor: EVENT_ACTOR,
    traceId: randomUUID().replaceAll('-', ''),
    payload,
  });
}

function rosterEventsOf(school: BenchSchool): EventEnvelope[] {
  const s = school.schoolId;
  const { quarter } = school;
  const person = (id: string, kind: string, name: string) =>
    sourceEvent('edu.roster.person.registered', s, id, 1, {
      person: { person_id: id, school_id: s, kind, display_name: name, status: 'active' },
    });
  const events: EventEnvelope[] = [
    sourceEvent('edu.roster.school.created', s, s, 1, {
      school: { school_id: s, short_name: 'МБОУ СШ № 42', time_zone: school.timeZone },
    }),
    sourceEvent('edu.roster.academic_year.opened', s, school.yearId, 1, {
      academic_year: {
        academic_year_id: school.yearId,
        school_id: s,
        name: '2026/2027',
        days: { starts_on: quarter.startsOn, ends_on: addDays(quarter.endsOn, 200) },
        holidays: [],
        period_schemes: [
          {
            grades: [1, 2, 3, 4, 5, 6, 7, 8, 9],
            kind: 'quarter',
            periods: [
              { number: 1, days: { starts_on: quarter.startsOn, ends_on: quarter.endsOn } },
              {
                number: 2,
                days: { starts_on: addDays(quarter.endsOn, 8), ends_on: addDays(quarter.endsOn, 60) },
              },
            ],
          },
        ],
        status: 'open',
        closures: [],
        transfers: [],
      },
    }),
  ];
  for (const c of school.classes) {
    events.push(
      sourceEvent('edu.roster.class.opened', s, c.id, 1, {
        school_class: {
          class_id: c.id,
          school_id: s,
          academic_year_id: school.yearId,
          grade: c.grade,
          letter: c.name.slice(-1),
          name: c.name,
          class_teacher_id: c.classTeacherId,
          status: 'open',
        },
      }),
      person(c.classTeacherId, 'staff', `Классный руководитель ${c.name}`),
      ...c.courses.map((course, k) => person(course.teacherId, 'staff', `Учитель ${c.name}-${k + 1}`)),
    );
    c.studentIds.forEach((id, i) => {
      const enrolmentId = `${school.yearId}:${id}`;
      events.push(
        person(id, 'student', `Ученик ${c.name}-${String(i + 1).padStart(2, '0')}`),
        sourceEvent('edu.roster.student.enrolled', s, enrolmentId, 1, {
          enrolment: {
            enrolment_id: enrolmentId,
            school_id: s,
            academic_year_id: school.yearId,
            student_id: id,
            class_id: c.id,
            status: 'active',
          },
          movement: {
            from_class_id: '',
            to_class_id: c.id,
            effective_on: quarter.startsOn,
            order: { number: '1-у', date: quarter.startsOn, title: 'О зачислении' },
          },
        }),
      );
    });
  }
  return events;
}

/** Every dated lesson of the school, as schedule publishes it (`lesson.scheduled`, version 1). */
function lessonEventsOf(school: BenchSchool): EventEnvelope[] {
  return school.classes.flatMap((c) =>
    c.courses.flatMap((course) =>
      course.lessons.map((l) =>
        sourceEvent('edu.schedule.lesson.scheduled', school.schoolId, l.lessonId, 1, {
          lesson: {
            lesson_id: l.lessonId,
            school_id: school.schoolId,
            academic_year_id: school.yearId,
            period: 1,
            class_id: c.id,
            class_name: c.name,
            subgroup_id: '',
            subgroup_name: '',
            subject_id: course.subjectId,
            subject_key: course.subjectKey,
            subject_name: `Предмет ${course.subjectKey}`,
            subject_short_name: course.subjectKey,
            teacher_id: course.teacherId,
            date: l.date,
            lesson_number: l.lessonNumber,
            starts_at: hhmm((l.lessonNumber - 1) * 60),
            ends_at: hhmm((l.lessonNumber - 1) * 60 + 45),
            room: '214',
            status: 'scheduled',
            origin: 'timetable',
            cancellation_reason: '',
            substitute_teacher_id: '',
            substitution_reason: '',
            moved_from_date: '',
            moved_from_lesson_number: 0,
            change_reason: '',
          },
        }),
      ),
    ),
  );
}

// --- Gradebook as a process ----------------------------------------------------------------------

interface GradebookProcess {
  address: string;
  dbName: string;
  topicPrefix: string;
  group: string;
  logFile: string;
  signer: ActorSigner;
  stop(): Promise<void>;
}

/** Who a gradebook process is: started again with the same one, it finds its database and group. */
interface GradebookIdentity {
  name: string;
  dir: string;
  keys: ReturnType<typeof generateDevActorKeys>;
  publicKeysDir: string;
  grpcPort: number;
  opsPort: number;
}

async function newIdentity(): Promise<GradebookIdentity> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'edu-bench-journal-'));
  const keys = generateDevActorKeys('bench');
  const { publicKeysDir } = writeActorKeys(path.join(dir, 'actor-keys'), keys);
  return {
    name: uniqueName('bench-journal'),
    dir,
    keys,
    publicKeysDir,
    grpcPort: await freePort(),
    opsPort: await freePort(),
  };
}

async function startGradebook(
  options: JournalBenchOptions,
  { name, dir, keys, publicKeysDir, grpcPort, opsPort }: GradebookIdentity,
): Promise<GradebookProcess> {
  const dbName = name.replaceAll('-', '_');
  const topicPrefix = `${name}.`;
  const group = `${name}-gradebook`;
  const logFile = path.join(dir, 'gradebook.log');
  const out = createWriteStream(logFile, { flags: 'a' });
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(path.dirname(require.resolve('@edu/gradebook/package.json')), 'dist', 'main.js')],
    {
      env: {
        PATH: process.env.PATH ?? '',
        EDU_LOG_LEVEL: 'info',
        EDU_MONGO_URL: options.mongoUrl,
        EDU_MONGO_DB: dbName,
        EDU_KAFKA_BROKERS: options.kafkaBrokers.join(','),
        EDU_KAFKA_TOPIC_PREFIX: topicPrefix,
        EDU_KAFKA_GROUP: group,
        EDU_GRPC_PORT: String(grpcPort),
        EDU_OPS_PORT: String(opsPort),
        EDU_ACTOR_PUBLIC_KEYS_DIR: publicKeysDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const tail = () => readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`gradebook exited:\n${tail()}`);
    if (Date.now() > deadline) throw new Error(`gradebook not ready in 60 s:\n${tail()}`);
    const ready = await fetch(`http://127.0.0.1:${opsPort}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    await sleep(100);
  }
  return {
    address: `127.0.0.1:${grpcPort}`,
    dbName,
    topicPrefix,
    group,
    logFile,
    signer: new ActorSigner({ privateKey: keys.privateKeyPem, kid: keys.kid }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const patience = new AbortController();
      const outcome = await Promise.race([
        exited.then(() => 'exited' as const),
        sleep(40_000, 'hung' as const, { signal: patience.signal }).catch(() => 'exited' as const),
      ]);
      patience.abort();
      if (outcome === 'hung') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

// --- The bench ----------------------------------------------------------------------------------

const fmt = (n: number) => n.toLocaleString('en-US');
const sec = (ms: number) => (ms / 1000).toFixed(1);
const ms1 = (ms: number) => ms.toFixed(1);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Timing {
  count: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
}

function timing(latencies: number[], errors: number, seconds: number): Timing {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: sorted.length,
    errors,
    seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
}

/** `times` calls one after another; latencies in ms. */
async function sequential(times: number, call: () => Promise<boolean>, maxMs = PHASE_MS): Promise<Timing> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  for (let i = 0; i < times && performance.now() - started < maxMs; i += 1) {
    const t0 = performance.now();
    const ok = await call().catch(() => false);
    latencies.push(performance.now() - t0);
    if (!ok) errors += 1;
  }
  return timing(latencies, errors, (performance.now() - started) / 1000);
}

/** `call` from `concurrency` loops for `durationMs`. */
async function concurrent(
  concurrency: number,
  durationMs: number,
  call: () => Promise<boolean>,
): Promise<Timing> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const ok = await call().catch(() => false);
        latencies.push(performance.now() - t0);
        if (!ok) errors += 1;
      }
    }),
  );
  return timing(latencies, errors, (performance.now() - started) / 1000);
}

const row = (name: string, concurrency: number, t: Timing) =>
  `| ${name} | ${concurrency} | ${t.seconds.toFixed(1)} | ${t.count} | ${t.errors} | ${(t.count / t.seconds).toFixed(t.count / t.seconds < 10 ? 1 : 0)} | ${ms1(t.p50)} | ${ms1(t.p99)} | ${ms1(t.max)} |`;

/** Runs the bench and returns its section of BENCHMARKS.md (markdown). */
export async function journalBench(options: JournalBenchOptions): Promise<string> {
  const started = performance.now();
  const until = started + LIMIT_MS;
  const left = () => until - performance.now();
  const loadBefore = os.loadavg();
  const identity = await newIdentity();
  let gradebook = await startGradebook(options, identity);
  const kafka = new Kafka({ brokers: options.kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const admin = kafka.admin();
  const store: Connection = await mongoose
    .createConnection(options.mongoUrl, { dbName: gradebook.dbName })
    .asPromise();
  const proto = grpc.loadPackageDefinition(
    loadProto('edu/gradebook/v1/gradebook.proto'),
  ) as unknown as ProtoGrpcType;
  const client: PromiseClient<GradebookServiceDefinition> = createGrpcClient(
    proto.edu.gradebook.v1.GradebookService,
    gradebook.address,
    { deadlineMs: 30_000, idempotentMethods: ['GetJournalPage', 'GetGradingPolicy'] },
  );
  const notes: string[] = [];
  try {
    await Promise.all([producer.connect(), admin.connect()]);
    const school = buildSchool();
    const target = school.classes[0]!;
    const course = target.courses[0]!;
    const actors = {
      teacher: {
        accountId: 'acc-bench-teacher',
        personId: course.teacherId,
        schoolRoles: [{ schoolId: school.schoolId, role: 'teacher' }],
        grants: [],
      },
      deputy: {
        accountId: 'acc-bench-deputy',
        personId: randomUUID(),
        schoolRoles: [{ schoolId: school.schoolId, role: 'deputy' }],
        grants: [],
      },
    } satisfies Record<string, Actor>;
    // Actor tokens live 60 s: each is re-signed after 20.
    const tokens = new Map<Actor, { value: string; at: number }>();
    const as = async (actor: Actor) => {
      let token = tokens.get(actor);
      if (!token || Date.now() - token.at > 20_000) {
        token = { value: await gradebook.signer.sign(actor), at: Date.now() };
        tokens.set(actor, token);
      }
      return { actorToken: token.value };
    };
    const codecs: Record<'roster' | 'schedule', EventCodec> = {
      roster: createEventCodec({
        protoFiles: [protoFile('edu/events/v1/roster.proto')],
        types: {
          'edu.roster.school.created': 'edu.events.v1.SchoolCreated',
          'edu.roster.academic_year.opened': 'edu.events.v1.AcademicYearOpened',
          'edu.roster.class.opened': 'edu.events.v1.ClassOpened',
          'edu.roster.person.registered': 'edu.events.v1.PersonRegistered',
          'edu.roster.student.enrolled': 'edu.events.v1.StudentEnrolled',
        },
      }),
      schedule: createEventCodec({
        protoFiles: [protoFile('edu/events/v1/schedule.proto')],
        types: { 'edu.schedule.lesson.scheduled': 'edu.events.v1.LessonScheduled' },
      }),
    };
    const produce = async (source: 'roster' | 'schedule', events: EventEnvelope[]) => {
      for (let i = 0; i < events.length; i += 500) {
        await producer.send({
          topic: `${gradebook.topicPrefix}edu.${source}.v1`,
          acks: -1,
          messages: events.slice(i, i + 500).map((event) => ({
            key: event.schoolId,
            value: codecs[source].encode(event),
            headers: { type: event.type, id: event.id },
          })),
        });
      }
    };
    /** Until the consumer's committed offsets reach the topic's end, or `watchMs`; samples every 250 ms. */
    const drain = async (source: 'roster' | 'schedule', watchMs: number) => {
      const topic = `${gradebook.topicPrefix}edu.${source}.v1`;
      const t0 = performance.now();
      let state = await groupLag(admin, gradebook.group, [topic]);
      const samples = [{ at: t0, behind: state.behind }];
      while (state.behind > 0 && performance.now() - t0 < watchMs && left() > 0) {
        await sleep(250);
        state = await groupLag(admin, gradebook.group, [topic]);
        samples.push({ at: performance.now(), behind: state.behind });
      }
      return { ...state, at: performance.now(), samples };
    };

    // 0. Roster's copy: the school, its year, classes, staff and students.
    const rosterEvents = rosterEventsOf(school);
    const tRoster = performance.now();
    await produce('roster', rosterEvents);
    const roster = await drain('roster', ROSTER_MS);
    if (roster.behind > 0) throw new Error(`roster's events not applied: ${roster.behind} left`);
    const rosterMs = roster.at - tRoster;

    // 1. Schedule's lesson events: the consumer's rate until drained.
    const lessonEvents = lessonEventsOf(school);
    const tLessons = performance.now();
    await produce('schedule', lessonEvents);
    const producedMs = performance.now() - tLessons;
    const lessons = await drain('schedule', DRAIN_MS);
    const lessonsMs = lessons.at - tLessons;
    const applied = lessonEvents.length - lessons.behind;
    const quarterRates = [1, 2, 3, 4]
      .map((q) => {
        const reached = (n: number) =>
          n === 0 ? tLessons : lessons.samples.find((x) => lessonEvents.length - x.behind >= n)?.at;
        const from = reached(Math.floor(((q - 1) * lessonEvents.length) / 4));
        const to = reached(Math.floor((q * lessonEvents.length) / 4));
        return from === undefined || to === undefined
          ? '—'
          : (lessonEvents.length / 4 / ((to - from) / 1000)).toFixed(0);
      })
      .join(' / ');
    const rateOf = (a: { at: number; behind: number }, b: { at: number; behind: number }) =>
      ((a.behind - b.behind) / ((b.at - a.at) / 1000)).toFixed(1);
    const samples = lessons.samples;
    const minute = (from: number) => samples.find((x) => x.at >= from + 60_000) ?? samples.at(-1)!;
    const firstMinute = rateOf(samples[0]!, minute(samples[0]!.at));
    const lastMinute = rateOf(
      samples.findLast((x) => x.at <= lessons.at - 60_000) ?? samples[0]!,
      samples.at(-1)!,
    );
    let skipped = '';
    if (lessons.behind > 0) {
      // The rest is skipped: gradebook stops, its group's offsets go to the topic's end, it starts again.
      const scheduleTopic = `${gradebook.topicPrefix}edu.schedule.v1`;
      const tRestart = performance.now();
      await gradebook.stop();
      const remaining = await groupLag(admin, gradebook.group, [scheduleTopic]);
      const ends = await admin.fetchTopicOffsets(scheduleTopic);
      await admin.setOffsets({
        groupId: gradebook.group,
        topic: scheduleTopic,
        partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })),
      });
      gradebook = await startGradebook(options, identity);
      skipped = ` Then ${fmt(remaining.behind)} events were skipped (gradebook stopped, its offsets moved to the topic's end, started again: ${sec(performance.now() - tRestart)} s), so the steps below ran on a store with ${fmt(lessonEvents.length - remaining.behind)} lessons and no consumer at work.`;
    }
    const consumer =
      lessons.behind === 0
        ? `**${fmt(lessonEvents.length)} \`lesson.scheduled\` events applied in ${sec(lessonsMs)} s: ${(lessonEvents.length / (lessonsMs / 1000)).toFixed(0)} events/s** (from the first event produced to the committed offsets at the topic's end; producing them took ${sec(producedMs)} s)`
        : `**${fmt(applied)} of ${fmt(lessonEvents.length)} \`lesson.scheduled\` events applied in the ${sec(lessonsMs)} s watched: ${(applied / (lessonsMs / 1000)).toFixed(1)} events/s** (${firstMinute} events/s in the first minute, ${lastMinute} in the last); at the last minute's rate the rest would take ≈ ${(lessons.behind / Number(lastMinute) / 60).toFixed(0)} min more (extrapolated)`;
    let dlq = 0;
    for (const topic of (await admin.listTopics()).filter(
      (t) => t.startsWith(gradebook.topicPrefix) && t.endsWith('.dlq'),
    )) {
      dlq += (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
    }
    const storedLessons = await store.collection('schedule_lesson_locations').countDocuments({});
    const storedCourses = await store.collection('schedule_courses').countDocuments({});
    const courseId = `${school.yearId}:${target.id}:-:${course.subjectId}`;
    const courseDoc = await store
      .collection<{ _id: string; lessons: unknown[] }>('schedule_courses')
      .findOne({ _id: courseId });
    if (courseDoc?.lessons.length !== LESSONS) {
      throw new Error(
        `the course under test has ${courseDoc?.lessons.length ?? 'no'} lessons, ${LESSONS} expected`,
      );
    }

    // 2. The policy opens past lessons for 14 days; then every lesson of the course is saved whole.
    const { policy } = await client.GetGradingPolicy({ school_id: school.schoolId }, await as(actors.deputy));
    await client.SetGradingPolicy(
      { policy: { ...policy, entry_deadline: 'days', entry_days: 14 }, expected_version: 0 },
      await as(actors.deputy),
    );
    const present = target.studentIds.slice(0, STUDENTS - ABSENT);
    const absent = target.studentIds.slice(STUDENTS - ABSENT);
    // 30 marks: one for each present student, a second one for the first three.
    const marks = [...present, ...present.slice(0, STUDENTS - present.length)].map((studentId, i) => ({
      student_id: studentId,
      value: String(2 + (i % 4)),
      work_type: WORK_TYPES[i % WORK_TYPES.length]!,
      comment: '',
    }));
    const saveLatencies: number[] = [];
    const saveErrors: string[] = [];
    const tSaves = performance.now();
    for (const [i, lesson] of course.lessons.entries()) {
      const t0 = performance.now();
      try {
        const answer = await client.SaveLessonRecord(
          {
            lesson_id: lesson.lessonId,
            expected_version: 0,
            topic: { text: `Тема урока ${i + 1}`, plan_item_id: '' },
            homework: {
              text: `§ ${i + 1}, № ${100 + i}`,
              due_date: addDays(lesson.date, 2),
              attachments: [],
            },
            marks,
            attendance: {
              items: absent.map((studentId) => ({ student_id: studentId, kind: 'absent', late_minutes: 0 })),
            },
          },
          await as(actors.teacher),
        );
        if (answer.record?.version !== '1' || answer.record.marks.length !== marks.length) {
          saveErrors.push(
            `${lesson.lessonId}: version ${answer.record?.version}, ${answer.record?.marks.length} marks`,
          );
        }
      } catch (error) {
        saveErrors.push(`${lesson.date} #${lesson.lessonNumber}: ${String(error)}`);
      }
      saveLatencies.push(performance.now() - t0);
    }
    const saves = timing(saveLatencies, saveErrors.length, (performance.now() - tSaves) / 1000);
    const lessonIds = course.lessons.map((l) => l.lessonId);
    const records = await store
      .collection<{ _id: string; version: number }>('lesson_records')
      .find({ _id: { $in: lessonIds } }, { projection: { version: 1 } })
      .toArray();
    const recordsTotal = await store.collection('lesson_records').countDocuments({});
    const oneDocEach =
      records.length === LESSONS && recordsTotal === LESSONS && records.every((r) => r.version === 1);
    if (saveErrors.length > 0) notes.push(`saves refused or wrong: ${saveErrors.slice(0, 3).join('; ')}`);

    // 3. The page: the course over quarter 1, as its teacher.
    const pageRequest = {
      course: { class_id: target.id, subgroup_id: '', subject_id: course.subjectId },
      period: 1,
    };
    const pageIsWhole = (page: GetJournalPageResponse__Output) =>
      page.students.length === STUDENTS &&
      page.lessons.length === LESSONS &&
      page.lessons.every((l) => l.marks.length === marks.length && l.version === '1');
    const first = await client.GetJournalPage(pageRequest, await as(actors.teacher));
    const pageBytes =
      proto.edu.gradebook.v1.GradebookService.service.GetJournalPage.responseSerialize(first).length;
    const page = async () => pageIsWhole(await client.GetJournalPage(pageRequest, await as(actors.teacher)));
    if (!pageIsWhole(first)) {
      notes.push(
        `the page has ${first.students.length} students, ${first.lessons.length} lessons, marks per lesson ${[...new Set(first.lessons.map((l) => l.marks.length))].join('/')}`,
      );
    }
    const pagesSequential = await sequential(PAGES, page);
    const pagesConcurrent = await concurrent(
      CONCURRENCY,
      Math.min(LOAD_MS, Math.max(0, left() - 60_000)),
      page,
    );

    // 4. The store alone: the page's reads with mongoose on the same database, the whole set in a row.
    const periodMarkIds = target.studentIds.map(
      (id) => `${school.yearId}:${id}:${course.subjectId}:period:1`,
    );
    const c = (name: string) => store.collection<{ _id: string }>(name);
    const steps: [string, () => Promise<number>][] = [
      ['course by `_id`', async () => ((await c('schedule_courses').findOne({ _id: courseId })) ? 1 : 0)],
      ['class by `_id`', async () => ((await c('roster_classes').findOne({ _id: target.id })) ? 1 : 0)],
      ['year by `_id`', async () => ((await c('roster_years').findOne({ _id: school.yearId })) ? 1 : 0)],
      ['roll by `_id`', async () => ((await c('roster_class_rolls').findOne({ _id: target.id })) ? 1 : 0)],
      [
        '30 people by `$in`',
        async () =>
          (
            await c('roster_people')
              .find({ _id: { $in: target.studentIds } })
              .toArray()
          ).length,
      ],
      [
        '45 records by `$in`',
        async () =>
          (
            await c('lesson_records')
              .find({ _id: { $in: lessonIds } })
              .toArray()
          ).length,
      ],
      [
        '30 period marks by `$in`',
        async () =>
          (
            await c('period_marks')
              .find({ _id: { $in: periodMarkIds } })
              .toArray()
          ).length,
      ],
      [
        'policy by `_id`',
        async () => ((await c('grading_policies').findOne({ _id: school.schoolId })) ? 1 : 0),
      ],
    ];
    const expectedFound = [1, 1, 1, 1, STUDENTS, LESSONS, 0, 1];
    const stepLatencies = steps.map(() => [] as number[]);
    const rawSet = await sequential(PAGES, async () => {
      let ok = true;
      for (const [k, [, read]] of steps.entries()) {
        const t0 = performance.now();
        const found = await read();
        stepLatencies[k]!.push(performance.now() - t0);
        if (found !== expectedFound[k]) ok = false;
      }
      return ok;
    });
    // The people as gradebook reads them: one `_id` read each, 8 at a time.
    const peopleById = await sequential(
      PAGES,
      async () => {
        let found = 0;
        for (let i = 0; i < target.studentIds.length; i += READ_PARALLELISM) {
          const batch = target.studentIds.slice(i, i + READ_PARALLELISM);
          const docs = await Promise.all(batch.map((id) => c('roster_people').findOne({ _id: id })));
          found += docs.filter(Boolean).length;
        }
        return found === STUDENTS;
      },
      PHASE_MS / 3,
    );
    // The records the same way: one `_id` read each, 8 at a time (is `$in` the cost, or the documents?).
    const recordsById = await sequential(
      PAGES,
      async () => {
        let found = 0;
        for (let i = 0; i < lessonIds.length; i += READ_PARALLELISM) {
          const batch = lessonIds.slice(i, i + READ_PARALLELISM);
          const docs = await Promise.all(batch.map((id) => c('lesson_records').findOne({ _id: id })));
          found += docs.filter(Boolean).length;
        }
        return found === LESSONS;
      },
      PHASE_MS / 3,
    );
    const bsonSize = (doc: unknown) =>
      doc ? mongoose.mongo.BSON.calculateObjectSize(doc as Record<string, unknown>) : NaN;
    const recordSizes = (
      await c('lesson_records')
        .find({ _id: { $in: lessonIds } })
        .toArray()
    ).map(bsonSize);
    const recordKiB = recordSizes.reduce((a, b) => a + b, 0) / Math.max(1, recordSizes.length) / 1024;
    const courseKiB = bsonSize(await c('schedule_courses').findOne({ _id: courseId })) / 1024;
    const stepRows = steps
      .map(([name], k) => {
        const t = timing(stepLatencies[k]!, 0, 0);
        return `${name} ${ms1(t.p50)}`;
      })
      .join(', ');

    // The report.
    const loadAfter = os.loadavg();
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const people = rosterEvents.filter((e) => e.type === 'edu.roster.person.registered').length;
    const lines = [
      `### Gradebook's journal (\`journal\`)`,
      '',
      `Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; FerretDB 1.24 over SQLite, Kafka KRaft single node, all on this machine. Load average ${loadBefore[0]!.toFixed(2)} before, ${loadAfter[0]!.toFixed(2)} after.`,
      `School (zone ${school.timeZone}, today ${school.today}): ${CLASSES} classes × ${SUBJECTS} subjects × ${LESSONS} lessons (${fmt(lessonEvents.length)} dated lessons in quarter 1, ${school.quarter.startsOn}..${school.quarter.endsOn}); the class under test ${target.name} with ${STUDENTS} students, the others with ${BACKGROUND_STUDENTS} each (${fmt(people)} people).`,
      '',
      `- Setup: roster's ${fmt(rosterEvents.length)} events applied in ${sec(rosterMs)} s (${(rosterEvents.length / (rosterMs / 1000)).toFixed(0)} events/s).`,
      `- **Consumer:** ${consumer}.${lessons.behind === 0 ? ` Events/s per quarter of the events, first to last: ${quarterRates}.` : ''}${skipped} Stored: ${fmt(storedCourses)} courses, ${fmt(storedLessons)} lesson locations; ${dlq} messages on the dead-letter topics.`,
      `- **SaveLessonRecord × ${saves.count}** (the course under test: ${LESSONS} lessons of the last ${DAYS - 1} days and today; topic, homework, ${marks.length} marks of ${WORK_TYPES.length} work types, ${ABSENT} absences; one at a time, as the lesson's teacher, after SetGradingPolicy opened ${14} days): **p50 ${ms1(saves.p50)} ms, p99 ${ms1(saves.p99)} ms**, max ${ms1(saves.max)} ms; ${saves.errors} refused; ${oneDocEach ? `each one document at version 1 in \`lesson_records\` (${records.length} there)` : `NOT one document each: ${records.length} found, ${recordsTotal} in the collection, versions ${[...new Set(records.map((r) => r.version))].join('/')}`}.`,
      `- **GetJournalPage** (${STUDENTS} students × ${LESSONS} lessons × ${marks.length} marks, ${(pageBytes / 1024).toFixed(0)} KiB on the wire; each answer checked whole):`,
      '',
      '| path | concurrency | seconds | requests | errors | requests/s | p50 ms | p99 ms | max ms |',
      '| ---- | ----------- | ------- | -------- | ------ | ---------- | ------ | ------ | ------ |',
      row('gRPC GetJournalPage, sequential', 1, pagesSequential),
      row(`gRPC GetJournalPage, ${sec(LOAD_MS)} s`, CONCURRENCY, pagesConcurrent),
      row('store alone: the page’s 8 reads in a row (mongoose)', 1, rawSet),
      row('store alone: the 30 people as gradebook reads them (`_id` each, 8 at a time)', 1, peopleById),
      row('store alone: the 45 records by `_id` each, 8 at a time', 1, recordsById),
      '',
      `- The store's reads, p50 ms each: ${stepRows}. A saved record is ${recordKiB.toFixed(1)} KiB as BSON (mean), the course's document ${courseKiB.toFixed(1)} KiB.`,
      ...notes.map((n) => `- Note: ${n}.`),
      '',
      `Whole bench: ${sec(performance.now() - started)} s (limit ${LIMIT_MS / 1000} s). Gradebook's log: ${gradebook.logFile}.`,
    ];
    return lines.join('\n');
  } finally {
    client.close();
    await producer.disconnect().catch(() => undefined);
    await gradebook.stop();
    await store.dropDatabase().catch(() => undefined);
    await store.close();
    // This run's topics only (its own prefix).
    await admin
      .listTopics()
      .then(async (topics) => {
        const mine = topics.filter((t) => t.startsWith(gradebook.topicPrefix));
        if (mine.length > 0) await admin.deleteTopics({ topics: mine });
      })
      .catch(() => undefined)
      .finally(() => admin.disconnect());
  }
}
