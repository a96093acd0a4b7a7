import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { Kafka, Partitioners, logLevel, type Message, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { createEventCodec, groupLag, newEvent, type EventCodec, type EventEnvelope } from '@edu/events';
import { ActorSigner, createGrpcClient, type Actor, type PromiseClient } from '@edu/grpc';
import { loadProto, protoFile } from '@edu/proto';
import type { ProtoGrpcType as DiaryProto } from '@edu/proto/dist/generated/diary';
import type { ProtoGrpcType as GradebookProto } from '@edu/proto/dist/generated/gradebook';
import type { DiaryServiceDefinition } from '@edu/proto/dist/generated/edu/diary/v1/DiaryService';
import type { Week__Output } from '@edu/proto/dist/generated/edu/diary/v1/Week';
import type { GradebookServiceDefinition } from '@edu/proto/dist/generated/edu/gradebook/v1/GradebookService';
import { createTestUser, deleteTestUser, type TestUser } from '@edu/testing';
import { startPlatform, type Platform } from '../src';

// `EDU_BENCH_ONLY=diary npm run bench`: the diary's read model of one school.
//
// The built diary, gradebook and gateway run as processes (`node dist/main.js`, as in a
// container; e2e/src/platform.ts) on fresh databases and topics. Roster, schedule and — for the
// replay — gradebook are played by a producer writing their real envelopes on their topics (the
// shapes of services/diary/test/component/harness.ts): a school of EDU_BENCH_DIARY_CLASSES classes
// (grades 5–11) × EDU_BENCH_DIARY_STUDENTS students (the first class, the class under test, 30),
// each student with a guardian (linked, consent recorded); a year of quarters whose first quarter
// is the last EDU_BENCH_DIARY_WEEKS weeks up to this week's Sunday; per class 5 ×
// EDU_BENCH_DIARY_LESSONS_PER_DAY dated lessons a week over the quarter (12 subjects); and for
// every lesson before today a gradebook `mark.posted` carrying the whole record (topic, homework,
// EDU_BENCH_DIARY_MARKS marks of the class's students, an absence in every fourth lesson) — except
// the class under test's last 13 days, kept for step 3. Measured:
//   1. the consumer: events/s the diary's one instance applies replaying that quarter (from the
//      first event produced until its group's committed offsets reach the three topics' ends),
//      watched for at most EDU_BENCH_DIARY_DRAIN_SECONDS; if not done, the diary is stopped, its
//      group's offsets moved to the ends and it is started again (the store keeps what was applied);
//   2. reads of random students' weeks: REST through the gateway as a deputy (a real Keycloak user
//      and token), sequential and at EDU_BENCH_DIARY_CONCURRENCY, then gRPC GetWeek straight to the
//      diary; the diary's cache hit rate over them (its /metrics); then the store alone: the reads a
//      week view makes on a cold cache, with mongoose on the diary's database;
//   3. propagation (R6.2): gradebook is started now (it replays roster's and schedule's topics
//      first, alone on the machine), the school's policy opens 14 days, then the class teachers'
//      SaveLessonRecord of 30 marks (one per student) on lessons of the class under test, one save
//      at a time; after each, the 30 students' weeks are polled over gRPC every
//      EDU_BENCH_DIARY_POLL_MS until each student's new mark shows: per mark, from the save's answer
//      to the first week answer showing it.
// Bounded by EDU_BENCH_DIARY_LIMIT_SECONDS as a whole.

const LIMIT_MS = Number(process.env.EDU_BENCH_DIARY_LIMIT_SECONDS ?? 1800) * 1000;
const DRAIN_MS = Number(process.env.EDU_BENCH_DIARY_DRAIN_SECONDS ?? 600) * 1000;
const GRADEBOOK_MS = Number(process.env.EDU_BENCH_DIARY_GRADEBOOK_SECONDS ?? 300) * 1000;
const CLASSES = Number(process.env.EDU_BENCH_DIARY_CLASSES ?? 70);
const STUDENTS = Number(process.env.EDU_BENCH_DIARY_STUDENTS ?? 29);
const WEEKS = Number(process.env.EDU_BENCH_DIARY_WEEKS ?? 9);
const LESSONS_PER_DAY = Number(process.env.EDU_BENCH_DIARY_LESSONS_PER_DAY ?? 6);
const MARKS_PER_LESSON = Number(process.env.EDU_BENCH_DIARY_MARKS ?? 5);
const LOAD_MS = Number(process.env.EDU_BENCH_DIARY_SECONDS ?? 20) * 1000;
const CONCURRENCY = Number(process.env.EDU_BENCH_DIARY_CONCURRENCY ?? 8);
const PROPAGATION_MARKS = Number(process.env.EDU_BENCH_DIARY_PROPAGATION_MARKS ?? 1000);
const POLL_MS = Number(process.env.EDU_BENCH_DIARY_POLL_MS ?? 15);
/** The diary's EDU_DIARY_CACHE_SIZE (its default unless set here). */
const CACHE_SIZE = Number(process.env.EDU_BENCH_DIARY_CACHE_SIZE ?? 50_000);
/** The class under test: one mark per student per save. */
const TARGET_STUDENTS = 30;
/** Days back (from yesterday) whose lessons of the class under test are left for step 3. */
const OPEN_DAYS = 12;
/** A save's marks must show within this, else they count as missing. */
const MARK_TIMEOUT_MS = 30_000;
export const TIME_ZONE = 'Europe/Moscow';
const WORK_TYPES = [
  ['oral', 'Устный ответ'],
  ['classwork', 'Работа на уроке'],
  ['homework', 'Домашняя работа'],
  ['independent', 'Самостоятельная работа'],
  ['test', 'Контрольная работа'],
  ['dictation', 'Диктант'],
] as const;
/** 12 subjects and their lessons a week (30 in all, the federal plan of grade 7 or so). */
const SUBJECTS: readonly { key: string; name: string; short: string; hours: number }[] = [
  { key: 'russian', name: 'Русский язык', short: 'Рус. яз.', hours: 5 },
  { key: 'math', name: 'Математика', short: 'Матем.', hours: 4 },
  { key: 'literature', name: 'Литература', short: 'Лит-ра', hours: 3 },
  { key: 'english', name: 'Иностранный язык (английский)', short: 'Англ. яз.', hours: 3 },
  { key: 'history', name: 'История', short: 'История', hours: 2 },
  { key: 'biology', name: 'Биология', short: 'Биология', hours: 2 },
  { key: 'geography', name: 'География', short: 'География', hours: 2 },
  { key: 'physics', name: 'Физика', short: 'Физика', hours: 2 },
  { key: 'informatics', name: 'Информатика', short: 'Информ.', hours: 2 },
  { key: 'pe', name: 'Физическая культура', short: 'Физ-ра', hours: 2 },
  { key: 'social', name: 'Обществознание', short: 'Общ-ние', hours: 2 },
  { key: 'art', name: 'Изобразительное искусство', short: 'ИЗО', hours: 1 },
];
/** Classes sharing one teacher of a subject. */
const CLASSES_PER_TEACHER = 7;

export interface DiaryBenchOptions {
  mongoUrl: string;
  kafkaBrokers: string[];
  keycloakUrl: string;
}

// --- Helpers ------------------------------------------------------------------------------------

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const mondayOf = (date: string) => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));
const localDate = (timeZone: string, now = new Date()) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    now,
  );
const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const fmt = (n: number) => n.toLocaleString('en-US');
const sec = (ms: number) => (ms / 1000).toFixed(1);
const ms1 = (ms: number) => ms.toFixed(1);

/** A seeded generator (mulberry32), so that two runs build the same school. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

/** `call` from `concurrency` loops for `durationMs` (1: one after another); latencies in ms. */
async function load(
  concurrency: number,
  durationMs: number,
  call: () => Promise<boolean>,
  onError?: (error: unknown) => void,
): Promise<Timing> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const ok = await call().catch((error: unknown) => {
          onError?.(error);
          return false;
        });
        latencies.push(performance.now() - t0);
        if (!ok) errors += 1;
      }
    }),
  );
  return timing(latencies, errors, (performance.now() - started) / 1000);
}

const row = (name: string, concurrency: number, t: Timing) =>
  `| ${name} | ${concurrency} | ${t.seconds.toFixed(1)} | ${t.count} | ${t.errors} | ${(t.count / t.seconds).toFixed(t.count / t.seconds < 10 ? 1 : 0)} | ${ms1(t.p50)} | ${ms1(t.p99)} | ${ms1(t.max)} |`;

// --- The school ---------------------------------------------------------------------------------

export interface BenchLesson {
  lessonId: string;
  classId: string;
  className: string;
  subject: number;
  teacherId: string;
  date: string;
  lessonNumber: number;
}

export interface BenchClass {
  id: string;
  name: string;
  grade: number;
  classTeacherId: string;
  studentIds: string[];
  lessons: BenchLesson[];
}

export interface BenchSchool {
  schoolId: string;
  yearId: string;
  today: string;
  quarter: { startsOn: string; endsOn: string };
  subjectIds: string[];
  /** Per subject, per group of CLASSES_PER_TEACHER classes. */
  teacherIds: string[][];
  classes: BenchClass[];
  guardianOf: Map<string, string>;
}

const LETTERS = 'АБВГДЕЖЗИКЛМНОП';

export function buildSchool(): BenchSchool {
  const today = localDate(TIME_ZONE);
  const thisMonday = mondayOf(today);
  const quarter = { startsOn: addDays(thisMonday, -7 * (WEEKS - 1)), endsOn: addDays(thisMonday, 6) };
  const subjectIds = SUBJECTS.map(() => randomUUID());
  const groups = Math.ceil(CLASSES / CLASSES_PER_TEACHER);
  const teacherIds = SUBJECTS.map(() => Array.from({ length: groups }, () => randomUUID()));
  // The week's slots: each subject as many times as its hours, spread over the days.
  const pattern = SUBJECTS.flatMap((s, k) => Array.from({ length: s.hours }, () => k));
  const perWeek = 5 * LESSONS_PER_DAY;
  const guardianOf = new Map<string, string>();
  const classes = Array.from({ length: CLASSES }, (_, c): BenchClass => {
    const grade = 5 + (c % 7);
    const name = `${grade}${LETTERS[Math.floor(c / 7) % LETTERS.length]}`;
    const id = randomUUID();
    const lessons: BenchLesson[] = [];
    for (let w = 0; w < WEEKS; w += 1) {
      const monday = addDays(quarter.startsOn, 7 * w);
      for (let k = 0; k < perWeek; k += 1) {
        // Interleaved (day by day, not subject by subject) and shifted per class.
        const subject = pattern[((k % 5) * LESSONS_PER_DAY + Math.floor(k / 5) + c * 7) % pattern.length]!;
        lessons.push({
          lessonId: randomUUID(),
          classId: id,
          className: name,
          subject,
          teacherId: teacherIds[subject]![Math.floor(c / CLASSES_PER_TEACHER)]!,
          date: addDays(monday, k % 5),
          lessonNumber: 1 + Math.floor(k / 5),
        });
      }
    }
    lessons.sort((a, b) => a.date.localeCompare(b.date) || a.lessonNumber - b.lessonNumber);
    const studentIds = Array.from({ length: c === 0 ? TARGET_STUDENTS : STUDENTS }, () => randomUUID());
    for (const s of studentIds) guardianOf.set(s, randomUUID());
    return { id, name, grade, classTeacherId: randomUUID(), studentIds, lessons };
  });
  return {
    schoolId: randomUUID(),
    yearId: randomUUID(),
    today,
    quarter,
    subjectIds,
    teacherIds,
    classes,
    guardianOf,
  };
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

/** Roster's events: school, year, classes, staff, students, enrolments, guardians with consent. */
export function rosterEventsOf(school: BenchSchool): EventEnvelope[] {
  const s = school.schoolId;
  const { quarter } = school;
  const person = (id: string, kind: string, name: string) =>
    sourceEvent('edu.roster.person.registered', s, id, 1, {
      person: { person_id: id, school_id: s, kind, display_name: name, status: 'active' },
    });
  const events: EventEnvelope[] = [
    sourceEvent('edu.roster.school.created', s, s, 1, {
      school: {
        school_id: s,
        short_name: 'МБОУ СШ № 42',
        full_name: 'МБОУ «Средняя школа № 42»',
        time_zone: TIME_ZONE,
      },
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
            grades: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
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
  school.teacherIds.forEach((ids, k) =>
    ids.forEach((id, g) => events.push(person(id, 'staff', `Учитель ${SUBJECTS[k]!.short} ${g + 1}`))),
  );
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
    );
    c.studentIds.forEach((id, i) => {
      const enrolmentId = `${school.yearId}:${id}`;
      const guardianId = school.guardianOf.get(id)!;
      const guardianshipId = `${guardianId}:${id}`;
      const guardianship = (consentActive: boolean) => ({
        guardianship: {
          guardianship_id: guardianshipId,
          school_id: s,
          guardian_id: guardianId,
          student_id: id,
          kind: 'mother',
          status: 'active',
          consent_active: consentActive,
        },
      });
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
        person(guardianId, 'guardian', `Родитель ${c.name}-${String(i + 1).padStart(2, '0')}`),
        sourceEvent('edu.roster.guardian.linked', s, guardianshipId, 1, guardianship(false)),
        sourceEvent('edu.roster.consent.recorded', s, guardianshipId, 2, guardianship(true)),
      );
    });
  }
  return events;
}

function lessonState(school: BenchSchool, l: BenchLesson) {
  const subject = SUBJECTS[l.subject]!;
  const start = 8 * 60 + (l.lessonNumber - 1) * 55;
  return {
    lesson_id: l.lessonId,
    school_id: school.schoolId,
    academic_year_id: school.yearId,
    period: 1,
    class_id: l.classId,
    class_name: l.className,
    subgroup_id: '',
    subgroup_name: '',
    subject_id: school.subjectIds[l.subject]!,
    subject_key: subject.key,
    subject_name: subject.name,
    subject_short_name: subject.short,
    teacher_id: l.teacherId,
    date: l.date,
    lesson_number: l.lessonNumber,
    starts_at: hhmm(start),
    ends_at: hhmm(start + 45),
    room: String(200 + l.subject),
    status: 'scheduled',
    origin: 'timetable',
    cancellation_reason: '',
    substitute_teacher_id: '',
    substitution_reason: '',
    moved_from_date: '',
    moved_from_lesson_number: 0,
    change_reason: '',
  };
}

/** Schedule's events: the subjects, then every dated lesson (`lesson.scheduled`), class by class. */
export function scheduleEventsOf(school: BenchSchool): EventEnvelope[] {
  const s = school.schoolId;
  return [
    ...SUBJECTS.map((subject, k) =>
      sourceEvent('edu.schedule.subject.created', s, school.subjectIds[k]!, 1, {
        subject: {
          subject_id: school.subjectIds[k]!,
          school_id: s,
          key: subject.key,
          name: subject.name,
          short_name: subject.short,
          education_area: '',
          education_area_name: '',
          split_into_subgroups: false,
        },
      }),
    ),
    ...school.classes.flatMap((c) =>
      c.lessons.map((l) =>
        sourceEvent('edu.schedule.lesson.scheduled', s, l.lessonId, 1, { lesson: lessonState(school, l) }),
      ),
    ),
  ];
}

/** Whether a lesson is left without a record for step 3 (the class under test's last days). */
const keptOpen = (school: BenchSchool, l: BenchLesson) =>
  l.classId === school.classes[0]!.id && l.date >= addDays(school.today, -OPEN_DAYS);

/**
 * Gradebook's `mark.posted` of every lesson before today (but those kept open), day by day across
 * the classes as a quarter of journal keeping publishes them: the whole record at version 1.
 */
export function markEventsOf(school: BenchSchool): EventEnvelope[] {
  const next = random(42);
  const lessons = school.classes
    .flatMap((c) => c.lessons.map((l) => ({ l, c })))
    .filter(({ l }) => l.date < school.today && !keptOpen(school, l))
    .sort((a, b) => a.l.date.localeCompare(b.l.date) || a.l.lessonNumber - b.l.lessonNumber);
  return lessons.map(({ l, c }, n) => {
    const state = lessonState(school, l);
    const at = new Date(`${l.date}T${state.ends_at}:00+03:00`).toISOString();
    const absent = n % 4 === 0 ? [c.studentIds[Math.floor(next() * c.studentIds.length)]!] : [];
    const present = c.studentIds.filter((id) => !absent.includes(id));
    const marked = new Set<string>();
    while (marked.size < Math.min(MARKS_PER_LESSON, present.length)) {
      marked.add(present[Math.floor(next() * present.length)]!);
    }
    const marks = [...marked].map((studentId) => {
      const [workType, workTypeName] = WORK_TYPES[Math.floor(next() * WORK_TYPES.length)]!;
      const value = String(2 + Math.floor(next() * 4));
      return {
        mark_id: randomUUID(),
        student_id: studentId,
        value,
        work_type: workType,
        work_type_name: workTypeName,
        weight: workType === 'test' ? 2 : 1,
        comment: '',
        posted_by: l.teacherId,
        posted_at: at,
        status: 'active',
        corrected: false,
        history: [
          {
            kind: 'posted',
            value,
            work_type: workType,
            weight: workType === 'test' ? 2 : 1,
            comment: '',
            by: l.teacherId,
            at,
            reason: '',
            order_ref: '',
          },
        ],
      };
    });
    const record = {
      lesson_id: l.lessonId,
      course_id: `${school.yearId}:${l.classId}:-:${state.subject_id}`,
      school_id: school.schoolId,
      academic_year_id: school.yearId,
      class_id: l.classId,
      subgroup_id: '',
      subject_id: state.subject_id,
      subject_key: state.subject_key,
      period: 1,
      date: l.date,
      lesson_number: l.lessonNumber,
      starts_at: state.starts_at,
      ends_at: state.ends_at,
      teacher_id: l.teacherId,
      substitute_teacher_id: '',
      lesson_status: 'scheduled',
      topic: { text: `Тема ${n + 1}`, plan_item_id: '', set_by: l.teacherId, set_at: at },
      homework: {
        text: `§ ${1 + (n % 40)}, упр. ${100 + (n % 300)}`,
        due_date: '',
        attachments: [],
        student_id: '',
        set_by: l.teacherId,
        set_at: at,
      },
      individual_homework: [],
      marks,
      attendance: absent.map((studentId) => ({
        student_id: studentId,
        kind: 'absent',
        late_minutes: 0,
        recorded_by: l.teacherId,
        recorded_at: at,
        reason: '',
        reason_set_by: '',
        reason_set_at: '',
        reason_note: '',
      })),
      attendance_taken: true,
      version: '1',
      updated_at: at,
    };
    return sourceEvent('edu.gradebook.mark.posted', school.schoolId, l.lessonId, 1, { record, marks });
  });
}

// --- Kafka --------------------------------------------------------------------------------------

/** The codec of the bench school's source events (roster's, schedule's and gradebook's). */
export function schoolEventCodec(): EventCodec {
  return createEventCodec({
    protoFiles: [
      protoFile('edu/events/v1/roster.proto'),
      protoFile('edu/events/v1/schedule.proto'),
      protoFile('edu/events/v1/gradebook.proto'),
    ],
    types: {
      'edu.roster.school.created': 'edu.events.v1.SchoolCreated',
      'edu.roster.academic_year.opened': 'edu.events.v1.AcademicYearOpened',
      'edu.roster.class.opened': 'edu.events.v1.ClassOpened',
      'edu.roster.person.registered': 'edu.events.v1.PersonRegistered',
      'edu.roster.student.enrolled': 'edu.events.v1.StudentEnrolled',
      'edu.roster.guardian.linked': 'edu.events.v1.GuardianLinked',
      'edu.roster.consent.recorded': 'edu.events.v1.ConsentRecorded',
      'edu.schedule.subject.created': 'edu.events.v1.SubjectCreated',
      'edu.schedule.lesson.scheduled': 'edu.events.v1.LessonScheduled',
      'edu.gradebook.mark.posted': 'edu.events.v1.MarkPosted',
    },
  });
}

/** A source event as its topic carries it (keyed by school, type and id in the headers). */
export function messageOf(codec: EventCodec, event: EventEnvelope<unknown>): Message {
  return { key: event.schoolId, value: codec.encode(event), headers: { type: event.type, id: event.id } };
}

/**
 * Produces events in order, in requests of at most ~512 KiB (the broker refuses one over 1 MiB);
 * the bytes produced.
 */
export async function produceInBatches(
  producer: Producer,
  codec: EventCodec,
  topic: string,
  events: EventEnvelope<unknown>[],
): Promise<number> {
  let batch: Message[] = [];
  let size = 0;
  let bytes = 0;
  for (const event of events) {
    const message = messageOf(codec, event);
    const length = (message.value as Buffer).length;
    if (size + length > 512 * 1024 && batch.length > 0) {
      await producer.send({ topic, acks: -1, messages: batch });
      batch = [];
      size = 0;
    }
    batch.push(message);
    size += length;
    bytes += length;
  }
  if (batch.length > 0) await producer.send({ topic, acks: -1, messages: batch });
  return bytes;
}

/** A metric's value in a Prometheus text exposition, summed over the series with `label` (0 when absent). */
export function counterValue(text: string, name: string, label: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const named = line.startsWith(`${name}{`) || line.startsWith(`${name} `);
    if (named && line.includes(label)) total += Number(line.split(/\s+/).at(-1));
  }
  return total;
}

// --- The bench ----------------------------------------------------------------------------------

/** Runs the bench and returns its section of BENCHMARKS.md (markdown). */
export async function diaryBench(options: DiaryBenchOptions): Promise<string> {
  const started = performance.now();
  const until = started + LIMIT_MS;
  const left = () => until - performance.now();
  const loadBefore = os.loadavg();
  // @edu/testing's helpers (the test user) read the endpoints from the environment, as in tests.
  process.env.EDU_KEYCLOAK_URL ??= options.keycloakUrl;
  process.env.EDU_KAFKA_BROKERS ??= options.kafkaBrokers.join(',');
  process.env.EDU_MONGO_URL ??= options.mongoUrl;
  const school = buildSchool();
  const target = school.classes[0]!;
  // Gradebook starts later (step 3), so that the diary's replay and the reads have the machine.
  const platform: Platform = await startPlatform({
    mongoUrl: options.mongoUrl,
    kafkaBrokers: options.kafkaBrokers,
    keycloakUrl: options.keycloakUrl,
    logLevel: 'warn',
    services: ['identity', 'diary', 'gateway'],
    env: {
      gateway: { EDU_RATE_LIMIT_PER_MINUTE: '1000000', EDU_RATE_LIMIT_BURST: '10000' },
      diary: { EDU_DIARY_CACHE_SIZE: String(CACHE_SIZE) },
    },
  });
  const topics = (['roster', 'schedule', 'gradebook'] as const).map(
    (source) => `${platform.topicPrefix}edu.${source}.v1`,
  );
  const diaryGroup = `${platform.kafkaGroups.diary}-g1`;
  const kafka = new Kafka({ brokers: options.kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const admin = kafka.admin();
  const diaryStore: Connection = await mongoose
    .createConnection(options.mongoUrl, { dbName: platform.diaryDb })
    .asPromise();
  const signer = new ActorSigner({ privateKey: platform.actorKey.privateKeyPem, kid: platform.actorKey.kid });
  const diaryProto = grpc.loadPackageDefinition(
    loadProto('edu/diary/v1/diary.proto'),
  ) as unknown as DiaryProto;
  const diary: PromiseClient<DiaryServiceDefinition> = createGrpcClient(
    diaryProto.edu.diary.v1.DiaryService,
    platform.diaryGrpc,
    { deadlineMs: 30_000, idempotentMethods: ['GetWeek'] },
  );
  const gradebookProto = grpc.loadPackageDefinition(
    loadProto('edu/gradebook/v1/gradebook.proto'),
  ) as unknown as GradebookProto;
  const gradebook: PromiseClient<GradebookServiceDefinition> = createGrpcClient(
    gradebookProto.edu.gradebook.v1.GradebookService,
    platform.gradebookGrpc,
    { deadlineMs: 30_000, idempotentMethods: ['GetGradingPolicy'] },
  );
  let deputyUser: TestUser | undefined;
  const notes: string[] = [];
  try {
    await Promise.all([producer.connect(), admin.connect()]);
    const deputy: Actor = {
      accountId: 'acc-bench-deputy',
      personId: randomUUID(),
      schoolRoles: [{ schoolId: school.schoolId, role: 'deputy' }],
      grants: [],
    };
    // Actor tokens live 60 s: each is re-signed after 20.
    const tokens = new Map<string, { value: string; at: number }>();
    const as = async (actor: Actor) => {
      const key = `${actor.accountId}/${actor.personId}`;
      let token = tokens.get(key);
      if (!token || Date.now() - token.at > 20_000) {
        token = { value: await signer.sign(actor), at: Date.now() };
        tokens.set(key, token);
      }
      return { actorToken: token.value };
    };
    const teacher = (personId: string): Actor => ({
      accountId: `acc-bench-teacher-${personId.slice(0, 8)}`,
      personId,
      schoolRoles: [{ schoolId: school.schoolId, role: 'teacher' }],
      grants: [],
    });

    const codec = schoolEventCodec();
    let bytes = 0;
    const produce = async (topic: string, events: EventEnvelope[]) => {
      bytes += await produceInBatches(producer, codec, topic, events);
    };

    // 1. The replay of a quarter: roster's, schedule's and gradebook's events, the consumer's rate.
    const rosterEvents = rosterEventsOf(school);
    const scheduleEvents = scheduleEventsOf(school);
    const markEvents = markEventsOf(school);
    const total = rosterEvents.length + scheduleEvents.length + markEvents.length;
    const tReplay = performance.now();
    await produce(topics[0]!, rosterEvents);
    await produce(topics[1]!, scheduleEvents);
    await produce(topics[2]!, markEvents);
    const producedMs = performance.now() - tReplay;
    let state = await groupLag(admin, diaryGroup, topics);
    const samples = [{ at: tReplay, behind: total }];
    /** When each topic's committed offsets reached its end (the consumer reads the three at once). */
    const topicDoneAt: (number | undefined)[] = topics.map(() => undefined);
    for (;;) {
      const at = performance.now();
      state.perTopic.forEach((behind, k) => {
        if (behind === 0) topicDoneAt[k] ??= at;
      });
      if (state.behind === 0 || at - tReplay >= DRAIN_MS || left() <= 0) break;
      await sleep(250);
      state = await groupLag(admin, diaryGroup, topics);
      samples.push({ at: performance.now(), behind: state.behind });
    }
    const replayMs = performance.now() - tReplay;
    const applied = total - state.behind;
    const quarterRates = [1, 2, 3, 4]
      .map((q) => {
        const reached = (n: number) => (n === 0 ? tReplay : samples.find((x) => total - x.behind >= n)?.at);
        const from = reached(Math.floor(((q - 1) * total) / 4));
        const to = reached(Math.floor((q * total) / 4));
        // '—' when not reached, or when one sample (250 ms) saw the whole quarter go by.
        return from === undefined || to === undefined || to <= from
          ? '—'
          : (total / 4 / ((to - from) / 1000)).toFixed(0);
      })
      .join(' / ');
    const sources = ['roster', 'schedule', 'gradebook'];
    const sizes = [rosterEvents.length, scheduleEvents.length, markEvents.length];
    const perTopic = sources.map((source, k) =>
      topicDoneAt[k] === undefined
        ? `${source}'s ${fmt(sizes[k]! - state.perTopic[k]!)} of ${fmt(sizes[k]!)} applied`
        : `${source}'s ${fmt(sizes[k]!)} all applied at ${sec(topicDoneAt[k] - tReplay)} s`,
    );
    let consumer: string;
    if (state.behind === 0) {
      consumer = `**${fmt(total)} events applied in ${sec(replayMs)} s: ${(total / (replayMs / 1000)).toFixed(0)} events/s** (from the first event produced to the group's committed offsets at the three topics' ends; producing them took ${sec(producedMs)} s; ${perTopic.join(', ')}). Events/s per quarter of the events, first to last: ${quarterRates}.`;
    } else {
      const lastMinute = samples.findLast((x) => x.at <= samples.at(-1)!.at - 60_000) ?? samples[0]!;
      const lastRate = (lastMinute.behind - state.behind) / ((samples.at(-1)!.at - lastMinute.at) / 1000);
      consumer = `**${fmt(applied)} of ${fmt(total)} events applied in the ${sec(replayMs)} s watched: ${(applied / (replayMs / 1000)).toFixed(1)} events/s** (${perTopic.join(', ')}; ${lastRate.toFixed(1)} events/s over the last minute; at that rate the rest would take ≈ ${(state.behind / Math.max(lastRate, 0.001) / 60).toFixed(0)} min more, extrapolated). Events/s per quarter of the events: ${quarterRates}.`;
      // The rest is skipped: diary stops, its group's offsets go to the topics' ends, it starts again.
      const tRestart = performance.now();
      await platform.stop('diary');
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        await admin.setOffsets({
          groupId: diaryGroup,
          topic,
          partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })),
        });
      }
      await platform.start('diary');
      consumer += ` Then the rest was skipped (diary stopped, its offsets moved to the ends, started again: ${sec(performance.now() - tRestart)} s), so the reads below ran on a partial model, with a cold cache.`;
    }
    let dlq = 0;
    for (const topic of (await admin.listTopics()).filter(
      (t) => t.startsWith(platform.topicPrefix) && t.endsWith('.dlq'),
    )) {
      dlq += (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
    }
    const storedWeeks = await diaryStore.collection('g1_weeks').countDocuments({});
    const storedStudents = await diaryStore.collection('g1_students').countDocuments({});
    const weekSizes: number[] = [];
    for (const c of school.classes.slice(0, 5)) {
      const doc = await diaryStore
        .collection<{ _id: string }>('g1_weeks')
        .findOne({ _id: `${c.id}:${mondayOf(addDays(school.today, -7))}` });
      if (doc) weekSizes.push(mongoose.mongo.BSON.calculateObjectSize(doc));
    }
    const weekKiB = weekSizes.reduce((a, b) => a + b, 0) / Math.max(1, weekSizes.length) / 1024;

    // 2. Reads: random students' weeks (a random week of the quarter each).
    const allStudents = school.classes.flatMap((c) => c.studentIds.map((id) => ({ id, classId: c.id })));
    const pick = () => {
      const student = allStudents[Math.floor(Math.random() * allStudents.length)]!;
      const date = addDays(school.quarter.startsOn, Math.floor(Math.random() * WEEKS * 7));
      return { ...student, date, monday: mondayOf(date) };
    };
    deputyUser = await createTestUser({ schoolRoles: [{ schoolId: school.schoolId, role: 'deputy' }] });
    let bearer = { value: await deputyUser.token(), at: Date.now() };
    const restHeaders = async () => {
      if (Date.now() - bearer.at > 60_000) bearer = { value: await deputyUser!.token(), at: Date.now() };
      return { authorization: `Bearer ${bearer.value}` };
    };
    const readErrors = new Map<string, number>();
    const noteError = (error: unknown) => {
      const text = String(error instanceof Error ? error.message : error).slice(0, 160);
      readErrors.set(text, (readErrors.get(text) ?? 0) + 1);
    };
    const viaGateway = async () => {
      const { id, date, monday } = pick();
      const response = await fetch(`${platform.gatewayUrl}/api/v1/diary/students/${id}/week?date=${date}`, {
        headers: await restHeaders(),
      });
      const body = (await response.json()) as { startsOn?: string; days?: unknown[] };
      if (response.status !== 200)
        throw new Error(`${response.status} ${JSON.stringify(body).slice(0, 120)}`);
      if (body.days?.length !== 7 || body.startsOn !== monday)
        throw new Error(`not a whole week: ${body.startsOn}`);
      return true;
    };
    const direct = async () => {
      const { id, date, monday } = pick();
      const week = await diary.GetWeek({ student_id: id, date }, await as(deputy));
      if (week.days.length !== 7 || week.starts_on !== monday)
        throw new Error(`not a whole week: ${week.starts_on}`);
      return true;
    };
    const metrics = async () => {
      const text = await (await fetch(`${platform.opsUrl('diary')}/metrics`)).text();
      return {
        hits: counterValue(text, 'diary_cache_requests_total', 'result="hit"'),
        misses: counterValue(text, 'diary_cache_requests_total', 'result="miss"'),
        documents: counterValue(text, 'diary_cache_documents', ''),
      };
    };
    await load(CONCURRENCY, 3_000, viaGateway); // warm-up (JIT, connections), not counted
    readErrors.clear();
    const before = await metrics();
    const restSequential = await load(1, LOAD_MS, viaGateway, noteError);
    const restConcurrent = await load(CONCURRENCY, LOAD_MS, viaGateway, noteError);
    const grpcSequential = await load(1, LOAD_MS, direct, noteError);
    const grpcConcurrent = await load(CONCURRENCY, LOAD_MS, direct, noteError);
    const after = await metrics();
    const hits = after.hits - before.hits;
    const misses = after.misses - before.misses;
    const hitRate = hits + misses > 0 ? `${((100 * hits) / (hits + misses)).toFixed(1)} %` : 'n/a';
    if (readErrors.size > 0) {
      notes.push(
        `read errors: ${[...readErrors.entries()]
          .slice(0, 3)
          .map(([text, n]) => `${n} × ${text}`)
          .join('; ')}`,
      );
    }

    // The store alone: the reads a week view makes on a cold cache, in the diary's order (the
    // student; its classes; school and person; this week's and next week's class-week; the
    // week's teachers, the year's calendar and the school's settings), with mongoose.
    const c = (name: string) => diaryStore.collection<{ _id: string }>(name);
    const stepNames = [
      'student',
      'class',
      'school + person',
      '2 class-weeks',
      'teachers + calendar + settings',
    ];
    const stepLatencies = stepNames.map(() => [] as number[]);
    let teachersRead = 0;
    const storeSet = async () => {
      const { id, monday } = pick();
      const step = async <T>(k: number, read: () => Promise<T>) => {
        const t0 = performance.now();
        const value = await read();
        stepLatencies[k]!.push(performance.now() - t0);
        return value;
      };
      const student = await step(0, () => c('g1_students').findOne({ _id: id }));
      if (!student) return false;
      const stints = (student as unknown as { classStints?: { classId: string }[] }).classStints ?? [];
      const classIds = [...new Set(stints.map((s) => s.classId))];
      await step(1, () => Promise.all(classIds.map((classId) => c('g1_classes').findOne({ _id: classId }))));
      await step(2, () =>
        Promise.all([c('g1_schools').findOne({ _id: school.schoolId }), c('g1_people').findOne({ _id: id })]),
      );
      const weeks = await step(3, () =>
        Promise.all(
          classIds.flatMap((classId) =>
            [monday, addDays(monday, 7)].map((m) => c('g1_weeks').findOne({ _id: `${classId}:${m}` })),
          ),
        ),
      );
      const staff = new Set<string>();
      for (const week of weeks) {
        for (const lesson of (week as unknown as { lessons?: { teacherId: string }[] } | null)?.lessons ??
          []) {
          staff.add(lesson.teacherId);
        }
      }
      teachersRead = Math.max(teachersRead, staff.size);
      await step(4, () =>
        Promise.all([
          ...[...staff].map((personId) => c('g1_people').findOne({ _id: personId })),
          c('g1_calendars').findOne({ _id: `${school.schoolId}:${school.yearId}` }),
          c('settings').findOne({ _id: school.schoolId }),
        ]),
      );
      return weeks[0] !== null;
    };
    const storeSequential = await load(1, LOAD_MS, storeSet);
    const storeConcurrent = await load(CONCURRENCY, LOAD_MS / 2, storeSet);
    const stepRows = stepNames
      .map((name, k) => `${name} ${ms1(timing(stepLatencies[k]!, 0, 0).p50)}`)
      .join(', ');

    // 3. Propagation: gradebook (started now, it replays roster's and schedule's topics first).
    const tGradebook = performance.now();
    await platform.start('gradebook');
    const gradebookTopics = topics.slice(0, 2);
    let gradebookLag = await groupLag(admin, platform.kafkaGroups.gradebook, gradebookTopics);
    while (gradebookLag.behind > 0 && performance.now() - tGradebook < GRADEBOOK_MS && left() > 0) {
      await sleep(1000);
      gradebookLag = await groupLag(admin, platform.kafkaGroups.gradebook, gradebookTopics);
    }
    const gradebookMs = performance.now() - tGradebook;
    const gradebookLine =
      gradebookLag.behind === 0
        ? `gradebook, started after the reads, applied roster's and schedule's ${fmt(gradebookLag.end)} events in ${sec(gradebookMs)} s (from its start)`
        : `gradebook, started after the reads, had ${fmt(gradebookLag.behind)} of roster's and schedule's ${fmt(gradebookLag.end)} events left after ${sec(gradebookMs)} s (the class under test's come first on both topics); the saves below ran beside its consumer`;
    const { policy } = await gradebook.GetGradingPolicy({ school_id: school.schoolId }, await as(deputy));
    await gradebook.SetGradingPolicy(
      { policy: { ...policy, entry_deadline: 'days', entry_days: 14 }, expected_version: 0 },
      await as(deputy),
    );
    const open = target.lessons
      .filter((l) => keptOpen(school, l) && l.date < school.today)
      .sort((a, b) => b.date.localeCompare(a.date) || a.lessonNumber - b.lessonNumber);
    const saves = Math.min(open.length, Math.ceil(PROPAGATION_MARKS / TARGET_STUDENTS));
    const saveLatencies: number[] = [];
    const markLatencies: number[] = [];
    const fromRequest: number[] = [];
    const roundLatencies: number[] = [];
    const saveErrors: string[] = [];
    let missing = 0;
    const gradebookTopicEnd = async () =>
      (await admin.fetchTopicOffsets(topics[2]!)).reduce((n, p) => n + Number(p.high), 0);
    const gradebookEventsBefore = await gradebookTopicEnd();
    const tPropagation = performance.now();
    for (const [i, lesson] of open.slice(0, saves).entries()) {
      if (left() < 30_000) {
        notes.push(`propagation stopped after ${i} saves: the bench's time limit`);
        break;
      }
      const marks = target.studentIds.map((studentId, k) => ({
        student_id: studentId,
        value: String(2 + ((i + k) % 4)),
        work_type: WORK_TYPES[(i + k) % WORK_TYPES.length]![0],
        comment: '',
      }));
      const t0 = performance.now();
      let answer;
      try {
        answer = await gradebook.SaveLessonRecord(
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
            attendance: { items: [] },
          },
          await as(teacher(lesson.teacherId)),
        );
      } catch (error) {
        saveErrors.push(`${lesson.date} #${lesson.lessonNumber}: ${String(error)}`);
        continue;
      }
      const saved = performance.now();
      saveLatencies.push(saved - t0);
      const markOf = new Map((answer.record?.marks ?? []).map((m) => [m.student_id, m.mark_id]));
      const pending = new Set(target.studentIds.filter((id) => markOf.has(id)));
      missing += target.studentIds.length - pending.size;
      while (pending.size > 0 && performance.now() - saved < MARK_TIMEOUT_MS) {
        const r0 = performance.now();
        await Promise.all(
          [...pending].map(async (studentId) => {
            const week: Week__Output | undefined = await diary
              .GetWeek({ student_id: studentId, date: lesson.date }, await as(deputy))
              .catch(() => undefined);
            const at = performance.now();
            const shown = week?.days
              .flatMap((d) => d.lessons)
              .find((l) => l.lesson_id === lesson.lessonId)
              ?.marks.some((m) => m.mark_id === markOf.get(studentId));
            if (shown && pending.delete(studentId)) {
              markLatencies.push(at - saved);
              fromRequest.push(at - t0);
            }
          }),
        );
        roundLatencies.push(performance.now() - r0);
        if (pending.size > 0) await sleep(POLL_MS);
      }
      missing += pending.size;
    }
    const propagationMs = performance.now() - tPropagation;
    const eventsPerSave = (await gradebookTopicEnd()) - gradebookEventsBefore;
    const marksShown = timing(markLatencies, 0, 0);
    const marksFromRequest = timing(fromRequest, 0, 0);
    const saveTiming = timing(saveLatencies, saveErrors.length, 0);
    const round = timing(roundLatencies, 0, 0);
    if (saveErrors.length > 0) notes.push(`saves refused: ${saveErrors.slice(0, 3).join('; ')}`);

    // The report.
    const loadAfter = os.loadavg();
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const backend = process.env.EDU_STORE_BACKEND === 'postgresql' ? 'PostgreSQL' : 'SQLite';
    const students = allStudents.length;
    const lessons = school.classes.reduce((n, k) => n + k.lessons.length, 0);
    const lines = [
      `### The diary's read model (\`diary\`)`,
      '',
      `Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; FerretDB 1.24 over ${backend}, Kafka KRaft single node, Keycloak, all on this machine. Load average ${loadBefore[0]!.toFixed(2)} before, ${loadAfter[0]!.toFixed(2)} after.`,
      `Command: \`EDU_BENCH_ONLY=diary npm run bench\` (${CLASSES} classes, ${WEEKS} weeks, concurrency ${CONCURRENCY}, ${sec(LOAD_MS)} s per load phase).`,
      `School (zone ${TIME_ZONE}, today ${school.today}): ${CLASSES} classes of grades 5–11, ${fmt(students)} students (the class under test ${target.name} with ${TARGET_STUDENTS}, the others ${STUDENTS}), each with a guardian (linked, consent recorded), ${fmt(school.teacherIds.flat().length + CLASSES)} staff; quarter 1 ${school.quarter.startsOn}..${school.quarter.endsOn}: ${fmt(lessons)} dated lessons (${5 * LESSONS_PER_DAY} a week per class, ${SUBJECTS.length} subjects), ${fmt(markEvents.length)} of them with a record (${MARKS_PER_LESSON} marks, topic, homework, an absence in every fourth).`,
      '',
      `- **Consumer (one diary instance replaying the quarter):** ${fmt(rosterEvents.length)} roster + ${fmt(scheduleEvents.length)} schedule + ${fmt(markEvents.length)} gradebook events (${(bytes / 2 ** 20).toFixed(1)} MiB). ${consumer} Stored: ${fmt(storedWeeks)} class-weeks (${weekKiB.toFixed(0)} KiB each as BSON, a past week), ${fmt(storedStudents)} students; ${dlq} messages on the dead-letter topics.`,
      `- **A student's week** (random students × random weeks of the quarter; each answer checked: 7 days from the asked week's Monday). The diary's cache over these reads: **${hitRate} hits** (${fmt(hits)} hits, ${fmt(misses)} misses, from its /metrics; ${fmt(before.documents)} documents cached before, ${fmt(after.documents)} after, of at most ${fmt(CACHE_SIZE)}):`,
      '',
      '| path | concurrency | seconds | requests | errors | requests/s | p50 ms | p99 ms | max ms |',
      '| ---- | ----------- | ------- | -------- | ------ | ---------- | ------ | ------ | ------ |',
      row('REST GET /api/v1/diary/students/:id/week via gateway (deputy token)', 1, restSequential),
      row('REST GET /api/v1/diary/students/:id/week via gateway (deputy token)', CONCURRENCY, restConcurrent),
      row('gRPC GetWeek straight to the diary (signed actor)', 1, grpcSequential),
      row('gRPC GetWeek straight to the diary (signed actor)', CONCURRENCY, grpcConcurrent),
      row(
        `store alone: a week view's reads on a cold cache (${teachersRead} teachers; mongoose)`,
        1,
        storeSequential,
      ),
      row(`store alone: the same`, CONCURRENCY, storeConcurrent),
      '',
      `- The store's reads in a row, p50 ms each step: ${stepRows}.`,
      `- **Propagation (R6.2): SaveLessonRecord in gradebook → the mark in the diary's week.** ${saveTiming.count} saves of ${TARGET_STUDENTS} marks (one per student of ${target.name}, lessons of the last ${OPEN_DAYS} days, one save at a time as the lesson's teacher, after SetGradingPolicy opened 14 days); after each save the weeks of the students whose mark had not shown yet were read over gRPC GetWeek all at once, every ${POLL_MS} ms (a round took p50 ${ms1(round.p50)} ms, which bounds the resolution): **${marksShown.count} marks shown, p50 ${ms1(marksShown.p50)} ms, p99 ${ms1(marksShown.p99)} ms, max ${ms1(marksShown.max)} ms** from the save's answer (${ms1(marksFromRequest.p50)} / ${ms1(marksFromRequest.p99)} ms from its request); ${missing} not shown within ${MARK_TIMEOUT_MS / 1000} s; the saves themselves p50 ${ms1(saveTiming.p50)} ms, p99 ${ms1(saveTiming.p99)} ms; ${sec(propagationMs)} s in all. Gradebook published ${fmt(eventsPerSave)} events for the ${saveTiming.count} saves; a save's marks arrive in one event, so they show at once for the whole class: the 30 per save are one observation at 30 readers. Before it: ${gradebookLine}.`,
      ...notes.map((n) => `- Note: ${n}.`),
      '',
      `Whole bench: ${sec(performance.now() - started)} s (limit ${LIMIT_MS / 1000} s). Logs: ${platform.logDir}.`,
    ];
    return lines.join('\n');
  } finally {
    diary.close();
    gradebook.close();
    if (deputyUser) await deleteTestUser(deputyUser).catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await platform.close();
    for (const dbName of [platform.diaryDb, platform.gradebookDb]) {
      await diaryStore
        .useDb(dbName)
        .dropDatabase()
        .catch(() => undefined);
    }
    await diaryStore.close();
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
