import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { Kafka, Partitioners, logLevel, type Consumer, type Producer } from 'kafkajs';
import mongoose from 'mongoose';
import { createEventCodec, newEvent, type EventEnvelope } from '@edu/events';
import {
  ActorSigner,
  createGrpcClient,
  generateDevActorKeys,
  writeActorKeys,
  type Actor,
  type PromiseClient,
} from '@edu/grpc';
import { loadProto, protoFile } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/schedule';
import type { ScheduleServiceDefinition } from '@edu/proto/dist/generated/edu/schedule/v1/ScheduleService';
import { uniqueName } from '@edu/testing';
import { freePort } from '../src';

// `EDU_BENCH_ONLY=lessons npm run bench`: the dated lessons of a 2,000-student school's whole year.
//
// The built schedule service runs as a process (`node dist/main.js`, as in a container) on a fresh
// database and topics. Roster is played by a producer writing roster's real envelopes on roster's
// topic (as services/schedule/test/component/roster-events.ts builds them): the school, the year's
// calendar (quarters for grades 1–9, half-years for 10–11), ≈70 classes, 5 teachers of each class,
// the students' enrolments. Subjects, assignments, bells and every class's week of every period
// go through schedule's gRPC as a deputy; then each period is published (PublishTimetable
// generates its lessons). Measured: each publication (lessons/s), the relay's publishing of every
// lesson event to Kafka (counted on the topic by event id), and a regeneration after roster's
// calendar change (a quarantine week for grades 1–4). Bounded by EDU_BENCH_LESSONS_SECONDS as a
// whole; the relay is watched for EDU_BENCH_LESSONS_DRAIN_SECONDS after the last publication (on
// FerretDB over SQLite it does not publish a year's events in any sensible time: the rate is the
// number). Students are not fed by default: lessons are per class, and the copy's enrolments are a
// collection of their own (2,000 of them take schedule's copy about six minutes to apply here).

const LIMIT_MS = Number(process.env.EDU_BENCH_LESSONS_SECONDS ?? 1800) * 1000;
const DRAIN_MS = Number(process.env.EDU_BENCH_LESSONS_DRAIN_SECONDS ?? 120) * 1000;
const CLASSES = Number(process.env.EDU_BENCH_LESSONS_CLASSES ?? 70);
const STUDENTS = Number(process.env.EDU_BENCH_LESSONS_STUDENTS ?? 0);
/** Concurrent AssignTeacher calls (different classes never share a lock). */
const ASSIGN_CONCURRENCY = 4;
const TEACHERS_PER_CLASS = 5;

export interface LessonsBenchOptions {
  mongoUrl: string;
  kafkaBrokers: string[];
}

// --- The school -------------------------------------------------------------------------------

const days = (starts_on: string, ends_on: string) => ({ starts_on, ends_on });
const QUARTERS = [
  { number: 1, days: days('2026-09-01', '2026-10-25') },
  { number: 2, days: days('2026-11-04', '2026-12-27') },
  { number: 3, days: days('2027-01-11', '2027-03-21') },
  { number: 4, days: days('2027-04-01', '2027-05-31') },
];
const HALF_YEARS = [
  { number: 1, days: days('2026-09-01', '2026-12-27') },
  { number: 2, days: days('2027-01-11', '2027-05-31') },
];
const PERIOD_SCHEMES = [
  { grades: [1, 2, 3, 4, 5, 6, 7, 8, 9], kind: 'quarter', periods: QUARTERS },
  { grades: [10, 11], kind: 'half_year', periods: HALF_YEARS },
];
const HOLIDAYS = [
  { name: 'Осенние каникулы', days: days('2026-10-26', '2026-11-03') },
  { name: 'День народного единства', days: days('2026-11-04', '2026-11-04') },
  { name: 'Зимние каникулы', days: days('2026-12-28', '2027-01-10') },
  { name: 'День защитника Отечества', days: days('2027-02-23', '2027-02-23') },
  { name: 'Международный женский день', days: days('2027-03-08', '2027-03-08') },
  { name: 'Весенние каникулы', days: days('2027-03-22', '2027-03-31') },
  { name: 'Праздник Весны и Труда', days: days('2027-05-03', '2027-05-03') },
  { name: 'День Победы', days: days('2027-05-10', '2027-05-10') },
];
const YEAR = days('2026-09-01', '2027-05-31');
/** The calendar change: a quarantine week of the primary grades. */
const QUARANTINE = {
  reason: 'Карантин по гриппу',
  days: days('2027-02-08', '2027-02-13'),
  grades: [1, 2, 3, 4],
};

/** One bell schedule (shift 1): 7 lessons a day. */
const BELLS = [
  ['08:00', '08:45'],
  ['08:55', '09:40'],
  ['09:50', '10:35'],
  ['10:55', '11:40'],
  ['12:00', '12:45'],
  ['12:55', '13:40'],
  ['13:50', '14:35'],
].map(([starts_at, ends_at], i) => ({ number: i + 1, starts_at: starts_at!, ends_at: ends_at! }));
const WEEKDAYS = [1, 2, 3, 4, 5];

/** Five subjects per class (none split into subgroups), by stage. */
function subjectKeysOf(grade: number): string[] {
  if (grade <= 4) return ['russian', 'literary_reading', 'mathematics', 'world_around', 'fine_arts'];
  if (grade <= 9) return ['russian', 'literature', 'mathematics', 'history', 'geography'];
  return ['russian', 'literature', 'algebra_analysis', 'physics', 'history'];
}

const LETTERS = 'АБВГДЕЖЗИКЛМН';

interface BenchClass {
  id: string;
  grade: number;
  letter: string;
  name: string;
  /** Room of every lesson of the class: never shared. */
  room: string;
  /** Teachers of the class only (teacher k teaches subject k): never shared. */
  teachers: { personId: string; positionId: string }[];
  students: number;
}

/** Grades 1–9 weigh 1 and 10–11 a half (70 classes: 7 per grade 1–9, 4 + 3 in 10–11). */
function classCounts(total: number): Map<number, number> {
  const base = total / 10;
  const counts = new Map<number, number>();
  for (let grade = 1; grade <= 11; grade += 1) {
    counts.set(grade, Math.floor(grade <= 9 ? base : base / 2));
  }
  let left = total - [...counts.values()].reduce((a, b) => a + b, 0);
  for (const grade of [10, 11, 1, 2, 3, 4, 5, 6, 7, 8, 9]) {
    if (left <= 0) break;
    counts.set(grade, counts.get(grade)! + 1);
    left -= 1;
  }
  return counts;
}

function buildClasses(total: number, students: number): BenchClass[] {
  const classes: BenchClass[] = [];
  for (const [grade, count] of classCounts(total)) {
    for (let i = 0; i < count; i += 1) {
      const letter = LETTERS[i % LETTERS.length]!;
      classes.push({
        id: randomUUID(),
        grade,
        letter,
        name: `${grade}${letter}`,
        room: `Каб. ${100 + classes.length}`,
        teachers: Array.from({ length: TEACHERS_PER_CLASS }, () => ({
          personId: randomUUID(),
          positionId: randomUUID(),
        })),
        students: 0,
      });
    }
  }
  classes.forEach((c, i) => {
    c.students = Math.floor(students / total) + (i < students % total ? 1 : 0);
  });
  return classes;
}

const periodsOf = (grade: number) => (grade <= 9 ? QUARTERS : HALF_YEARS);

/** A class's week: Monday–Friday × 7 lessons, subject (and its teacher) k = (weekday + lesson) mod 5. */
function weekOf(c: BenchClass, subjectIds: Map<string, string>) {
  const keys = subjectKeysOf(c.grade);
  return WEEKDAYS.flatMap((weekday) =>
    BELLS.map((bell) => {
      const k = (weekday + bell.number) % TEACHERS_PER_CLASS;
      return {
        weekday,
        lesson_number: bell.number,
        subgroup_id: '',
        subject_id: subjectIds.get(keys[k]!)!,
        teacher_id: c.teachers[k]!.personId,
        room: c.room,
        week_parity: 'every',
      };
    }),
  );
}

// The expected counts, computed here from the calendar (independently of the service).
const isoDay = (date: Date) => date.toISOString().slice(0, 10);
function* daysOf(range: { starts_on: string; ends_on: string }): Generator<string> {
  for (
    let d = new Date(`${range.starts_on}T00:00:00Z`);
    isoDay(d) <= range.ends_on;
    d = new Date(d.getTime() + 86_400_000)
  ) {
    yield isoDay(d);
  }
}
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
const inRange = (date: string, r: { starts_on: string; ends_on: string }) =>
  date >= r.starts_on && date <= r.ends_on;
function schoolDays(range: { starts_on: string; ends_on: string }, grade: number, quarantine: boolean) {
  let n = 0;
  for (const date of daysOf(range)) {
    const wd = weekday(date);
    if (wd === 0 || wd === 6 || !inRange(date, YEAR) || HOLIDAYS.some((h) => inRange(date, h.days))) continue;
    if (quarantine && QUARANTINE.grades.includes(grade) && inRange(date, QUARANTINE.days)) continue;
    n += 1;
  }
  return n;
}
/** Lessons per period number: every class of a grade whose scheme has that period. */
function expectedLessons(classes: BenchClass[], quarantine: boolean): Map<number, number> {
  const byPeriod = new Map<number, number>();
  for (const c of classes) {
    for (const period of periodsOf(c.grade)) {
      const n = schoolDays(period.days, c.grade, quarantine) * BELLS.length;
      byPeriod.set(period.number, (byPeriod.get(period.number) ?? 0) + n);
    }
  }
  return byPeriod;
}

// --- Roster's events (as roster writes them) ---------------------------------------------------

const rosterActor = { accountId: 'acc-roster-bench', personId: '' };
function rosterEvent<P>(type: string, schoolId: string, aggregateId: string, version: number, payload: P) {
  return newEvent({
    type,
    schoolId,
    aggregateId,
    aggregateVersion: version,
    actor: rosterActor,
    traceId: randomUUID().replaceAll('-', ''),
    payload,
  });
}
const order = (number: string, title: string) => ({ number, date: '2026-08-28', title });

function schoolEvent(schoolId: string, version: number) {
  return rosterEvent(
    version > 1 ? 'edu.roster.school.updated' : 'edu.roster.school.created',
    schoolId,
    schoolId,
    version,
    {
      school: {
        school_id: schoolId,
        full_name: 'Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 42»',
        short_name: 'МБОУ СШ № 42',
        inn: '2466000042',
        ogrn: '1022402648042',
        address: '660000, г. Красноярск, ул. Ленина, д. 42',
        time_zone: 'Asia/Krasnoyarsk',
        municipality_id: 'krasnoyarsk',
      },
    },
  );
}

function yearEvent(schoolId: string, yearId: string, change?: { version: number; closures: unknown[] }) {
  return rosterEvent(
    change ? 'edu.roster.academic_year.calendar_changed' : 'edu.roster.academic_year.opened',
    schoolId,
    yearId,
    change?.version ?? 1,
    {
      academic_year: {
        academic_year_id: yearId,
        school_id: schoolId,
        name: '2026/2027',
        days: YEAR,
        holidays: HOLIDAYS,
        period_schemes: PERIOD_SCHEMES,
        status: 'open',
        closures: change?.closures ?? [],
        transfers: [],
      },
      ...(change
        ? {
            order: { number: '31-о', date: '2027-02-05', title: 'О карантине в 1–4 классах' },
            summary: ['Карантин в 1–4 классах с 8 по 13 февраля'],
          }
        : {}),
    },
  );
}

function rosterEventsOf(schoolId: string, yearId: string, classes: BenchClass[]): EventEnvelope[] {
  const events: EventEnvelope[] = [schoolEvent(schoolId, 1), yearEvent(schoolId, yearId)];
  for (const c of classes) {
    c.teachers.forEach((t, k) => {
      events.push(
        rosterEvent('edu.roster.person.registered', schoolId, t.personId, 1, {
          person: {
            person_id: t.personId,
            school_id: schoolId,
            kind: 'staff',
            display_name: `Учитель ${c.name}-${k + 1}`,
            status: 'active',
          },
        }),
        rosterEvent('edu.roster.staff.hired', schoolId, t.positionId, 1, {
          position: {
            position_id: t.positionId,
            school_id: schoolId,
            person_id: t.personId,
            kind: 'teacher',
            title: 'Учитель',
            status: 'active',
          },
          effective_on: '2026-08-25',
          order: order('7-к', 'О приёме на работу'),
        }),
      );
    });
    events.push(
      rosterEvent('edu.roster.class.opened', schoolId, c.id, 1, {
        school_class: {
          class_id: c.id,
          school_id: schoolId,
          academic_year_id: yearId,
          grade: c.grade,
          letter: c.letter,
          name: c.name,
          class_teacher_id: c.teachers[0]!.personId,
          status: 'open',
        },
      }),
    );
    for (let s = 0; s < c.students; s += 1) {
      const studentId = randomUUID();
      const enrolmentId = `${yearId}:${studentId}`;
      events.push(
        rosterEvent('edu.roster.person.registered', schoolId, studentId, 1, {
          person: {
            person_id: studentId,
            school_id: schoolId,
            kind: 'student',
            display_name: `Ученик ${c.name}-${s + 1}`,
            status: 'active',
          },
        }),
        rosterEvent('edu.roster.student.enrolled', schoolId, enrolmentId, 1, {
          enrolment: {
            enrolment_id: enrolmentId,
            school_id: schoolId,
            academic_year_id: yearId,
            student_id: studentId,
            class_id: c.id,
            status: 'active',
          },
          movement: {
            from_class_id: '',
            to_class_id: c.id,
            effective_on: '2026-09-01',
            order: order('12-у', 'О зачислении'),
          },
        }),
      );
    }
  }
  // A marker: one school's events share a partition and are applied in order.
  events.push(schoolEvent(schoolId, 2));
  return events;
}

const ROSTER_TYPES = {
  'edu.roster.school.created': 'edu.events.v1.SchoolCreated',
  'edu.roster.school.updated': 'edu.events.v1.SchoolUpdated',
  'edu.roster.academic_year.opened': 'edu.events.v1.AcademicYearOpened',
  'edu.roster.academic_year.calendar_changed': 'edu.events.v1.CalendarChanged',
  'edu.roster.class.opened': 'edu.events.v1.ClassOpened',
  'edu.roster.staff.hired': 'edu.events.v1.StaffHired',
  'edu.roster.person.registered': 'edu.events.v1.PersonRegistered',
  'edu.roster.student.enrolled': 'edu.events.v1.StudentEnrolled',
};

// --- Schedule as a process ---------------------------------------------------------------------

interface ScheduleProcess {
  address: string;
  opsPort: number;
  dbName: string;
  topicPrefix: string;
  logFile: string;
  signer: ActorSigner;
  logs(): Record<string, unknown>[];
  stop(): Promise<void>;
}

async function startSchedule(options: LessonsBenchOptions): Promise<ScheduleProcess> {
  const name = uniqueName('bench-lessons');
  const dbName = name.replaceAll('-', '_');
  const topicPrefix = `${name}.`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'edu-bench-lessons-'));
  const keys = generateDevActorKeys('bench');
  const { publicKeysDir } = writeActorKeys(path.join(dir, 'actor-keys'), keys);
  const grpcPort = await freePort();
  const opsPort = await freePort();
  const logFile = path.join(dir, 'schedule.log');
  const out = createWriteStream(logFile, { flags: 'a' });
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(path.dirname(require.resolve('@edu/schedule/package.json')), 'dist', 'main.js')],
    {
      env: {
        PATH: process.env.PATH ?? '',
        EDU_LOG_LEVEL: 'info',
        EDU_MONGO_URL: options.mongoUrl,
        EDU_MONGO_DB: dbName,
        EDU_KAFKA_BROKERS: options.kafkaBrokers.join(','),
        EDU_KAFKA_TOPIC_PREFIX: topicPrefix,
        EDU_KAFKA_GROUP: `${name}-schedule`,
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
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`schedule exited:\n${tail()}`);
    if (Date.now() > deadline) throw new Error(`schedule not ready in 60 s:\n${tail()}`);
    const ready = await fetch(`http://127.0.0.1:${opsPort}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    await sleep(100);
  }
  return {
    address: `127.0.0.1:${grpcPort}`,
    opsPort,
    dbName,
    topicPrefix,
    logFile,
    signer: new ActorSigner({ privateKey: keys.privateKeyPem, kid: keys.kid }),
    logs: () =>
      readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
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

/** Schedule's lesson events as they reach Kafka: distinct event ids per type, with arrival times. */
interface TopicCounter {
  count(type: string): number;
  /** performance.now() of the arrival of the n-th distinct event of the type (1-based). */
  arrival(type: string, n: number): number | undefined;
  stop(): Promise<void>;
}

async function countTopic(kafka: Kafka, topic: string, group: string): Promise<TopicCounter> {
  const seen = new Set<string>();
  const arrivals = new Map<string, number[]>();
  const consumer: Consumer = kafka.consumer({ groupId: group, maxBytes: 50 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = performance.now();
      for (const message of batch.messages) {
        const type = message.headers?.type?.toString() ?? '';
        const id = message.headers?.id?.toString() ?? '';
        if (!type.startsWith('edu.schedule.lesson.') || seen.has(id)) continue;
        seen.add(id);
        let list = arrivals.get(type);
        if (!list) arrivals.set(type, (list = []));
        list.push(now);
      }
    },
  });
  return {
    count: (type) => arrivals.get(type)?.length ?? 0,
    arrival: (type, n) => arrivals.get(type)?.[n - 1],
    stop: () => consumer.disconnect(),
  };
}

// --- The bench ---------------------------------------------------------------------------------

const fmt = (n: number) => n.toLocaleString('en-US');
const sec = (ms: number) => (ms / 1000).toFixed(1);

async function inPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

/** Runs the bench and returns its section of BENCHMARKS.md (markdown). */
export async function lessonsBench(options: LessonsBenchOptions): Promise<string> {
  const started = performance.now();
  const until = started + LIMIT_MS;
  const left = () => until - performance.now();
  const loadBefore = os.loadavg();
  const schedule = await startSchedule(options);
  const kafka = new Kafka({ brokers: options.kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const store = await mongoose.createConnection(options.mongoUrl, { dbName: schedule.dbName }).asPromise();
  const rosterTopic = `${schedule.topicPrefix}edu.roster.v1`;
  const scheduleTopic = `${schedule.topicPrefix}edu.schedule.v1`;
  const proto = grpc.loadPackageDefinition(
    loadProto('edu/schedule/v1/schedule.proto'),
  ) as unknown as ProtoGrpcType;
  const client: PromiseClient<ScheduleServiceDefinition> = createGrpcClient(
    proto.edu.schedule.v1.ScheduleService,
    schedule.address,
    // Pings every 5 min rather than 30 s: during a long PublishTimetable the service may answer a
    // ping later than the 10 s timeout (it did at 20,000 lessons: "UNAVAILABLE Connection dropped").
    { deadlineMs: 60_000, idempotentMethods: ['ListSubjects'], keepaliveMs: 300_000 },
  );
  let topic: TopicCounter | undefined;
  const notes: string[] = [];
  try {
    await producer.connect();
    topic = await countTopic(kafka, scheduleTopic, `${schedule.topicPrefix}bench-count`);
    const schoolId = randomUUID();
    const yearId = randomUUID();
    const deputy: Actor = {
      accountId: 'acc-bench-deputy',
      personId: randomUUID(),
      schoolRoles: [{ schoolId, role: 'deputy' }],
      grants: [],
    };
    let token = { value: await schedule.signer.sign(deputy), at: Date.now() };
    const as = async (deadlineMs?: number) => {
      if (Date.now() - token.at > 20_000)
        token = { value: await schedule.signer.sign(deputy), at: Date.now() };
      return {
        actorToken: token.value,
        ...(deadlineMs ? { deadline: new Date(Date.now() + deadlineMs) } : {}),
      };
    };
    const classes = buildClasses(CLASSES, STUDENTS);
    const codec = createEventCodec({
      protoFiles: [protoFile('edu/events/v1/roster.proto')],
      types: ROSTER_TYPES,
    });

    // 1. Roster's copy: school, year, classes, staff, students — produced, then applied by schedule.
    const tRoster = performance.now();
    const events = rosterEventsOf(schoolId, yearId, classes);
    for (let i = 0; i < events.length; i += 500) {
      await producer.send({
        topic: rosterTopic,
        acks: -1,
        messages: events.slice(i, i + 500).map((event) => ({
          key: event.schoolId,
          value: codec.encode(event),
          headers: { type: event.type, id: event.id },
        })),
      });
    }
    const schools = store.collection<{ _id: string; version: number }>('roster_schools');
    while ((await schools.countDocuments({ _id: schoolId, version: { $gte: 2 } })) === 0) {
      if (left() < 0) throw new Error('roster events not applied within EDU_BENCH_LESSONS_SECONDS');
      await sleep(250);
    }
    const rosterMs = performance.now() - tRoster;

    // 2. Subjects, bells, assignments, every class's week of every period (gRPC, as a deputy).
    const tSetup = performance.now();
    const subjects = await client.ListSubjects({ school_id: schoolId }, await as());
    const subjectIds = new Map(subjects.subjects.map((s) => [s.key, s.id]));
    await client.SetBellSchedule(
      { school_id: schoolId, shift: 1, name: 'Основное', lessons: BELLS, expected_version: '0' },
      await as(),
    );
    const assignments = classes.flatMap((c) =>
      subjectKeysOf(c.grade).map((key, k) => ({
        c,
        subjectId: subjectIds.get(key)!,
        teacher: c.teachers[k]!,
      })),
    );
    await inPool(assignments, ASSIGN_CONCURRENCY, async (a) => {
      await client.AssignTeacher(
        {
          school_id: schoolId,
          academic_year_id: yearId,
          teacher_id: a.teacher.personId,
          class_id: a.c.id,
          subgroup_id: '',
          subject_id: a.subjectId,
          hours_per_week: 7,
        },
        await as(),
      );
    });
    const assignMs = performance.now() - tSetup;
    const tWeeks = performance.now();
    const weeks = classes.flatMap((c) => periodsOf(c.grade).map((p) => ({ c, period: p.number })));
    for (const w of weeks) {
      if (left() < 0) throw new Error('timetable not entered within EDU_BENCH_LESSONS_SECONDS');
      await client.SetTimetableEntries(
        {
          school_id: schoolId,
          academic_year_id: yearId,
          class_id: w.c.id,
          period: w.period,
          shift: 1,
          entries: weekOf(w.c, subjectIds),
          expected_version: '0',
        },
        await as(),
      );
    }
    const weeksMs = performance.now() - tWeeks;

    // The service's event-loop delay (prom-client's default metrics: max since the last scrape).
    const loopLagMax = async () => {
      const text = await fetch(`http://127.0.0.1:${schedule.opsPort}/metrics`).then(
        (r) => r.text(),
        () => '',
      );
      const value = /^nodejs_eventloop_lag_max_seconds\s+(\S+)/m.exec(text)?.[1];
      return value === undefined ? NaN : Number(value);
    };
    await loopLagMax();

    // 3. Publishing each period generates its dated lessons.
    const expected = expectedLessons(classes, false);
    const periods = [...expected.keys()].sort((a, b) => a - b);
    const published: {
      period: number;
      classes: number;
      ms: number;
      scheduled: number;
      total: number;
      from: 'answer' | 'log';
    }[] = [];
    const publishLines = () =>
      schedule.logs().filter((l) => l.msg === 'grpc call' && String(l.method).endsWith('/PublishTimetable'));
    const tGenerate = performance.now();
    for (const period of periods) {
      if (left() < 60_000) {
        notes.push(`period ${period} and later not published: the time limit was near`);
        break;
      }
      const t = performance.now();
      const publishesBefore = publishLines().length;
      const storedBefore = await store.collection('lessons').countDocuments({});
      const answer = await client
        .PublishTimetable({ school_id: schoolId, academic_year_id: yearId, period }, await as(left()))
        .catch((error: unknown) => {
          notes.push(
            `period ${period}: the PublishTimetable call failed after ${sec(performance.now() - t)} s (${String(error)}); the service went on: its time is from schedule's log line of the call, its lessons counted in the store`,
          );
          return null;
        });
      if (answer) {
        published.push({
          period,
          classes: answer.classes,
          ms: performance.now() - t,
          scheduled: answer.lessons?.scheduled ?? 0,
          total: answer.lessons?.total ?? 0,
          from: 'answer',
        });
      } else {
        // The answer was lost (the connection dropped), not the work: wait for the service's own
        // line of the call (its duration), bounded, and count what it stored.
        let line: Record<string, unknown> | undefined;
        while (!line && left() > 60_000) {
          await sleep(500);
          line = publishLines()[publishesBefore];
        }
        if (!line) break;
        const scheduled = (await store.collection('lessons').countDocuments({})) - storedBefore;
        published.push({
          period,
          classes: NaN,
          ms: Number(line.ms),
          scheduled,
          total: scheduled,
          from: 'log',
        });
      }
      const last = published.at(-1)!;
      if (last.total !== expected.get(period)) {
        notes.push(`period ${period}: ${last.total} lessons, ${expected.get(period)} expected`);
      }
    }
    const generateMs = performance.now() - tGenerate;
    const lagDuringGeneration = await loopLagMax();
    const generated = published.reduce((n, p) => n + p.scheduled, 0);
    const stored = await store.collection('lessons').countDocuments({});

    // 4. Until every lesson event is on the topic (distinct event ids).
    const SCHEDULED = 'edu.schedule.lesson.scheduled';
    const atGenerationEnd = topic.count(SCHEDULED);
    const tDrain = performance.now();
    while (topic.count(SCHEDULED) < generated && left() > 0 && performance.now() - tDrain < DRAIN_MS) {
      await sleep(250);
    }
    const drainWatchMs = performance.now() - tDrain;
    const onTopic = topic.count(SCHEDULED);
    const firstEvent = topic.arrival(SCHEDULED, 1);
    const lastEvent = topic.arrival(SCHEDULED, onTopic);
    const tBacklog = performance.now();
    let backlog = await store.collection('lesson_change_batches').countDocuments({ outboxPending: true });
    while (backlog > 0 && onTopic === generated && left() > 0) {
      await sleep(500);
      backlog = await store.collection('lesson_change_batches').countDocuments({ outboxPending: true });
    }
    const backlogMs = performance.now() - tBacklog;

    // 5. Roster's calendar change: a quarantine week for grades 1–4 → regeneration of every period.
    const afterQuarantine = expectedLessons(classes, true);
    const expectedCancelled = [...expected.entries()]
      .filter(([period]) => published.some((p) => p.period === period))
      .reduce((n, [period, count]) => n + count - afterQuarantine.get(period)!, 0);
    let regeneration = 'not run: the time limit was reached';
    const CANCELLED = 'edu.schedule.lesson.cancelled';
    if (left() > 120_000) {
      const logsBefore = schedule.logs().length;
      const change = yearEvent(schoolId, yearId, { version: 2, closures: [QUARANTINE] });
      const tChange = performance.now();
      const sentAt = Date.now();
      await producer.send({
        topic: rosterTopic,
        acks: -1,
        messages: [
          { key: schoolId, value: codec.encode(change), headers: { type: change.type, id: change.id } },
        ],
      });
      let line: Record<string, unknown> | undefined;
      while (!line && left() > 0) {
        await sleep(250);
        line = schedule
          .logs()
          .slice(logsBefore)
          .find((l) => l.msg === 'lessons regenerated after a calendar change');
      }
      const regenMs = line ? Date.parse(String(line.time)) - sentAt : NaN;
      const cancelled = Number(line?.cancelled ?? NaN);
      // Behind whatever scheduled events are still pending, the relay going oldest first: bounded.
      const tCancelWatch = performance.now();
      while (
        topic.count(CANCELLED) < cancelled &&
        left() > 0 &&
        performance.now() - tCancelWatch < DRAIN_MS
      ) {
        await sleep(100);
      }
      const eventsMs = (topic.arrival(CANCELLED, topic.count(CANCELLED)) ?? NaN) - tChange;
      const allCancelled = topic.count(CANCELLED) >= cancelled;
      const storedCancelled = await store.collection('lessons').countDocuments({ status: 'cancelled' });
      const rebalance = schedule
        .logs()
        .slice(logsBefore)
        .filter((l) => /rebalanc|not aware of this member|heartbeat/i.test(String(l.msg ?? '')));
      if (rebalance.length > 0) {
        notes.push(
          `the consumer logged ${rebalance.length} rebalance/heartbeat messages during the regeneration`,
        );
      }
      regeneration = line
        ? `roster's \`calendar_changed\` (a quarantine week, 2027-02-08..13, for grades 1–4: ${
            classes.filter((c) => c.grade <= 4).length
          } classes) → schedule regenerated all ${line.periods} published periods in **${sec(regenMs)} s** ` +
          `(from the event produced to schedule's log line): **${fmt(cancelled)} lessons cancelled** ` +
          `(${fmt(expectedCancelled)} expected; ${fmt(storedCancelled)} stored as cancelled), ` +
          `${line.scheduled} scheduled, ${line.rescheduled} rescheduled, ${line.kept} kept; ` +
          (allCancelled
            ? `every cancellation event on the topic ${sec(eventsMs)} s after the change was produced ` +
              `(${fmt(topic.count(CANCELLED))} \`lesson.cancelled\`).`
            : `${fmt(topic.count(CANCELLED))} of the cancellation events on the topic after a watch of ${sec(DRAIN_MS)} s ` +
              `(they queue behind the scheduled events still pending: ${fmt(generated - topic.count(SCHEDULED))} then).`)
        : 'no regeneration logged within the time limit';
    }

    // The report.
    const loadAfter = os.loadavg();
    const fullYear = [...expected.values()].reduce((a, b) => a + b, 0);
    const rate = (n: number, ms: number) => (n / (ms / 1000)).toFixed(0);
    const rows = published
      .map(
        (p) =>
          `| ${p.period} | ${Number.isNaN(p.classes) ? '—' : p.classes} | ${fmt(p.scheduled)} | ${sec(p.ms)}${p.from === 'log' ? ' (service log)' : ''} | ${rate(p.scheduled, p.ms)} |`,
      )
      .join('\n');
    const publishedMs = published.reduce((n, p) => n + p.ms, 0);
    const partial = published.length < periods.length;
    const relaySpan = firstEvent !== undefined && lastEvent !== undefined ? lastEvent - firstEvent : NaN;
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const lines = [
      `### Dated lessons of a school's year (\`lessons\`)`,
      '',
      `Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; FerretDB 1.24 over SQLite, Kafka KRaft single node, all on this machine. Load average ${loadBefore[0]!.toFixed(2)} before, ${loadAfter[0]!.toFixed(2)} after.`,
      `School: ${classes.length} classes (grades 1–9 in quarters, 10–11 in half-years), ${fmt(STUDENTS)} students, ${fmt(classes.length * TEACHERS_PER_CLASS)} teachers (${TEACHERS_PER_CLASS} of each class), ${BELLS.length} lessons × 5 days a week per class (${fmt(classes.length * BELLS.length * 5)} lessons a week), 2026-09-01..2027-05-31 with ${HOLIDAYS.length} holidays: ${fmt(fullYear)} lessons in the year.`,
      '',
      `- Setup: roster's ${fmt(events.length)} events applied to schedule's copy in ${sec(rosterMs)} s; ${fmt(assignments.length)} assignments (concurrency ${ASSIGN_CONCURRENCY}) in ${sec(assignMs)} s; ${fmt(weeks.length)} class weeks (SetTimetableEntries, one at a time) in ${sec(weeksMs)} s (${(weeksMs / weeks.length).toFixed(0)} ms each).`,
      '',
      '| period | classes | lessons generated | PublishTimetable s | lessons/s |',
      '| ------ | ------- | ----------------- | ------------------ | --------- |',
      rows,
      '',
      `- **Generation: ${fmt(generated)} lessons in ${sec(publishedMs)} s of PublishTimetable calls (${rate(generated, publishedMs)} lessons/s; ${sec(publishedMs / Math.max(1, published.length))} s per period)**; ${fmt(stored)} lessons stored.` +
        (partial
          ? ` Only ${published.length} of ${periods.length} periods within the limit: the full year (${fmt(fullYear)}) would take ≈ ${sec((fullYear / generated) * publishedMs)} s at this rate (extrapolated).`
          : ''),
      onTopic === generated
        ? `- **Events: all ${fmt(onTopic)} \`edu.schedule.lesson.scheduled\` on the topic** (distinct event ids), the first ${sec((firstEvent ?? NaN) - tGenerate)} s after the first PublishTimetable began, the last ${sec((lastEvent ?? NaN) - tGenerate)} s after it (${sec((lastEvent ?? NaN) - (tGenerate + generateMs))} s after the last PublishTimetable answered): ${rate(onTopic, relaySpan)} events/s from first to last, ${rate(onTopic, (lastEvent ?? NaN) - tGenerate)} events/s from the first publication on. Outbox backlog of \`lesson_change_batches\` at 0 ${backlog === 0 ? `${sec(backlogMs)} s after the last event` : `not reached (${backlog} chunks left)`}.`
        : `- **Events: ${fmt(onTopic)} of ${fmt(generated)} \`edu.schedule.lesson.scheduled\` on the topic** (distinct event ids) when the watch ended: ${fmt(atGenerationEnd)} while the periods were being published (${sec(generateMs)} s), ${fmt(onTopic - atGenerationEnd)} in the ${sec(drainWatchMs)} s watched after (**${rate(onTopic - atGenerationEnd, drainWatchMs)} events/s**); ${rate(onTopic, (lastEvent ?? NaN) - tGenerate)} events/s from the first publication to the last event seen. At the watch's rate the remaining ${fmt(generated - onTopic)} would take ≈ ${((generated - onTopic) / ((onTopic - atGenerationEnd) / (drainWatchMs / 1000)) / 60).toFixed(0)} min more (extrapolated, not measured).`,
      `- The service's event loop: max delay ${(lagDuringGeneration * 1000).toFixed(0)} ms while the periods were being published (\`nodejs_eventloop_lag_max_seconds\`).`,
      `- **Regeneration:** ${regeneration}`,
      ...notes.map((n) => `- Note: ${n}.`),
      '',
      `Whole bench: ${sec(performance.now() - started)} s (limit ${LIMIT_MS / 1000} s). Schedule's log: ${schedule.logFile}.`,
    ];
    return lines.join('\n');
  } finally {
    await topic?.stop().catch(() => undefined);
    client.close();
    await producer.disconnect().catch(() => undefined);
    await schedule.stop();
    await store.dropDatabase().catch(() => undefined);
    await store.close();
    // This run's topics only (its own prefix).
    const admin = kafka.admin();
    await admin
      .connect()
      .then(async () => {
        const mine = (await admin.listTopics()).filter((t) => t.startsWith(schedule.topicPrefix));
        if (mine.length > 0) await admin.deleteTopics({ topics: mine });
      })
      .catch(() => undefined)
      .finally(() => admin.disconnect());
  }
}
