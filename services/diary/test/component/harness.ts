import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { Kafka, Partitioners, logLevel, type Admin, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { createEventCodec, groupLag, newEvent, type EventCodec, type EventEnvelope } from '@edu/events';
import {
  ActorSigner,
  GrpcCallError,
  createGrpcClient,
  generateDevActorKeys,
  writeActorKeys,
  type Actor,
  type PromiseClient,
} from '@edu/grpc';
import { Lifecycle, addDays, createLogger, createMetrics, localDate, type Metrics } from '@edu/kit';
import { loadProto, protoFile } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/diary';
import type { DiaryServiceDefinition } from '@edu/proto/dist/generated/edu/diary/v1/DiaryService';
import { endpoints, uniqueName, uniqueTopicPrefix, waitFor } from '@edu/testing';
import { configSchema } from '../../src/config';
import { createDiaryService, type DiaryService } from '../../src/diary.service';
import { DIARY_SOURCE_EVENTS } from '../../src/entry-points/kafka/source-events';

export type Source = 'roster' | 'schedule' | 'gradebook';

/** Diary in-process on random ports against the real FerretDB and Kafka, for one test file. */
export interface DiaryHarness {
  client: PromiseClient<DiaryServiceDefinition>;
  service: DiaryService;
  /** Diary's own database (a fresh one). */
  store: Connection;
  metrics: Metrics;
  /** The service's log lines so far (warn and above unless EDU_TEST_LOG_LEVEL says more), parsed. */
  logs(): Record<string, unknown>[];
  /** Call metadata: the actor signed as the gateway would. */
  as(actor: Actor): Promise<{ actorToken: string }>;
  /** Publishes a source's events (keyed by school, as the sources do) without waiting. */
  send(source: Source, events: EventEnvelope<unknown>[]): Promise<void>;
  /** Publishes and waits until diary's live consumer group has committed every source topic's end. */
  publish(source: Source, events: EventEnvelope<unknown>[]): Promise<void>;
  /** Waits until the live group has committed every source topic's end. */
  drained(): Promise<void>;
  close(): Promise<void>;
}

export async function startDiary(): Promise<DiaryHarness> {
  const keys = generateDevActorKeys('test');
  const signer = new ActorSigner({ privateKey: keys.privateKeyPem, kid: keys.kid });
  const dbName = uniqueName('diary_test').replace(/[^a-z0-9_]/gi, '_');
  const topicPrefix = uniqueTopicPrefix();
  const { publicKeysDir } = writeActorKeys(mkdtempSync(path.join(tmpdir(), 'diary-keys-')), keys);
  const config = {
    ...configSchema.parse({
      EDU_ACTOR_PUBLIC_KEYS_DIR: publicKeysDir,
      EDU_MONGO_URL: endpoints().mongoUrl,
      EDU_KAFKA_BROKERS: endpoints().kafkaBrokers.join(','),
      EDU_KAFKA_TOPIC_PREFIX: topicPrefix,
      EDU_KAFKA_GROUP: uniqueName('diary'),
      EDU_MONGO_DB: dbName,
      EDU_DIARY_GENERATION_CHECK: '1s',
      // Warnings are kept for the tests (denials are security events logged at warn).
      EDU_LOG_LEVEL: process.env.EDU_TEST_LOG_LEVEL ?? 'warn',
    }),
    EDU_GRPC_PORT: 0,
    EDU_OPS_PORT: 0,
  };
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'diary',
    level: config.EDU_LOG_LEVEL,
    destination: {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
        if (process.env.EDU_TEST_LOG_LEVEL) process.stdout.write(line);
      },
    },
  });
  const metrics = createMetrics('diary');
  const service = createDiaryService(config, logger, metrics);
  const lifecycle = new Lifecycle({ logger, components: service.components });
  await lifecycle.start();
  const proto = grpc.loadPackageDefinition(loadProto('edu/diary/v1/diary.proto')) as unknown as ProtoGrpcType;
  const client = createGrpcClient(proto.edu.diary.v1.DiaryService, `127.0.0.1:${service.ports().grpc}`, {
    idempotentMethods: [],
  });
  const store = await mongoose.createConnection(endpoints().mongoUrl, { dbName }).asPromise();
  const codec: EventCodec = createEventCodec({
    protoFiles: [
      protoFile('edu/events/v1/roster.proto'),
      protoFile('edu/events/v1/schedule.proto'),
      protoFile('edu/events/v1/gradebook.proto'),
    ],
    types: DIARY_SOURCE_EVENTS,
  });
  const kafka = new Kafka({ brokers: endpoints().kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const admin: Admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  const topics = (['roster', 'schedule', 'gradebook'] as const).map((s) => `${topicPrefix}edu.${s}.v1`);

  /** Until the live group's committed offsets reach every source topic's end. */
  async function drained(): Promise<void> {
    await waitFor(async () => (await groupLag(admin, service.model().groupId(), topics)).behind === 0, {
      timeoutMs: 60_000,
      intervalMs: 100,
    });
  }

  async function send(source: Source, events: EventEnvelope<unknown>[]): Promise<void> {
    await producer.send({
      topic: `${topicPrefix}edu.${source}.v1`,
      acks: -1,
      messages: events.map((event) => ({
        key: event.schoolId,
        value: codec.encode(event),
        headers: { type: event.type, id: event.id },
      })),
    });
  }

  return {
    client,
    service,
    store,
    metrics,
    logs: () => [...lines],
    as: async (actor) => ({ actorToken: await signer.sign(actor) }),
    send,
    async publish(source, events) {
      await send(source, events);
      await drained();
    },
    drained,
    async close() {
      client.close();
      await Promise.all([producer.disconnect(), admin.disconnect()]);
      await lifecycle.shutdown();
      await store.dropDatabase();
      await store.close();
    },
  };
}

/** The error of a call that must fail. */
export async function refusal(promise: Promise<unknown>): Promise<GrpcCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GrpcCallError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

/** Someone with `role` in a school. */
export const staffOf = (schoolId: string, role: string, personId: string = randomUUID()): Actor => ({
  accountId: `acc-${role}-${personId.slice(0, 8)}`,
  personId,
  schoolRoles: [{ schoolId, role }],
  grants: [],
});

/** A person without roles (a guardian or a student): what they read comes from relations. */
export const personActor = (personId: string): Actor => ({
  accountId: `acc-${personId.slice(0, 8)}`,
  personId,
  schoolRoles: [],
  grants: [],
});

// --- A school as roster, schedule and gradebook would describe it -------------------------------

const EVENT_ACTOR = { accountId: 'acc-source', personId: '' };

export function sourceEvent<P>(
  type: string,
  schoolId: string,
  aggregateId: string,
  aggregateVersion: number,
  payload: P,
): EventEnvelope<P> {
  return newEvent({
    type,
    schoolId,
    aggregateId,
    aggregateVersion,
    actor: EVENT_ACTOR,
    traceId: '',
    payload,
  });
}

/** The Monday of a date's week. */
export function mondayOf(date: string): string {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

export interface MarkInput {
  studentId: string;
  value: string;
  workType?: string;
  workTypeName?: string;
  weight?: number;
  markId?: string;
  /** A correction after posting: the value it had first, and why it was changed. */
  correctedFrom?: { value: string; reason: string };
}

export interface LessonInput {
  lessonId?: string;
  classId?: string;
  subgroupId?: string;
  subjectId?: string;
  subjectName?: string;
  date: string;
  lessonNumber?: number;
  teacherId?: string;
  substituteTeacherId?: string;
  status?: string;
  room?: string;
}

/**
 * A school: a year of quarters around today, classes 5А and 5Б with students, their guardians
 * (the first student of 5А has two), a teacher of mathematics; the events its sources publish.
 */
export class SchoolScenario {
  readonly schoolId = randomUUID();
  readonly yearId = randomUUID();
  readonly classA = randomUUID();
  readonly classB = randomUUID();
  readonly classTeacherA = randomUUID();
  readonly classTeacherB = randomUUID();
  readonly teacherId = randomUUID();
  readonly mathId = randomUUID();
  readonly timeZone = 'Europe/Moscow';
  readonly today = localDate(new Date(), 'Europe/Moscow');
  readonly studentsA = [randomUUID(), randomUUID(), randomUUID()];
  readonly studentsB = [randomUUID(), randomUUID()];
  /** Guardians per student of 5А and 5Б: each has one, the first of 5А two. */
  readonly guardians = new Map<string, string[]>();
  readonly quarter = { startsOn: addDays(this.today, -40), endsOn: addDays(this.today, 40) };
  private readonly versions = new Map<string, number>();

  constructor() {
    for (const s of [...this.studentsA, ...this.studentsB]) this.guardians.set(s, [randomUUID()]);
    this.guardians.get(this.studentsA[0]!)!.push(randomUUID());
  }

  next(aggregateId: string): number {
    const version = (this.versions.get(aggregateId) ?? 0) + 1;
    this.versions.set(aggregateId, version);
    return version;
  }

  private person(id: string, kind: string, name: string): EventEnvelope<unknown> {
    return sourceEvent('edu.roster.person.registered', this.schoolId, id, this.next(id), {
      person: { person_id: id, school_id: this.schoolId, kind, display_name: name, status: 'active' },
    });
  }

  private schoolClass(classId: string, letter: string, teacherId: string): EventEnvelope<unknown> {
    return sourceEvent('edu.roster.class.opened', this.schoolId, classId, this.next(classId), {
      school_class: {
        class_id: classId,
        school_id: this.schoolId,
        academic_year_id: this.yearId,
        grade: 5,
        letter,
        name: `5${letter}`,
        class_teacher_id: teacherId,
        status: 'open',
      },
    });
  }

  /** Roster's events: school, year, classes, people, enrolments and guardianships with consent. */
  rosterEvents(): EventEnvelope<unknown>[] {
    const s = this.schoolId;
    const events: EventEnvelope<unknown>[] = [
      sourceEvent('edu.roster.school.created', s, s, this.next(s), {
        school: {
          school_id: s,
          short_name: 'МБОУ СШ № 7',
          full_name: 'МБОУ «Средняя школа № 7»',
          time_zone: this.timeZone,
        },
      }),
      sourceEvent('edu.roster.academic_year.opened', s, this.yearId, this.next(this.yearId), {
        academic_year: {
          academic_year_id: this.yearId,
          school_id: s,
          name: '2026/2027',
          days: { starts_on: this.quarter.startsOn, ends_on: addDays(this.quarter.endsOn, 150) },
          holidays: [],
          period_schemes: [
            {
              grades: [1, 2, 3, 4, 5, 6, 7, 8, 9],
              kind: 'quarter',
              periods: [
                { number: 1, days: { starts_on: this.quarter.startsOn, ends_on: this.quarter.endsOn } },
                {
                  number: 2,
                  days: {
                    starts_on: addDays(this.quarter.endsOn, 8),
                    ends_on: addDays(this.quarter.endsOn, 60),
                  },
                },
              ],
            },
          ],
          status: 'open',
          closures: [],
          transfers: [],
        },
      }),
      this.schoolClass(this.classA, 'А', this.classTeacherA),
      this.schoolClass(this.classB, 'Б', this.classTeacherB),
      this.person(this.classTeacherA, 'staff', 'Классова Анна Петровна'),
      this.person(this.classTeacherB, 'staff', 'Бэшкина Ольга Ивановна'),
      this.person(this.teacherId, 'staff', 'Учителев Пётр Иванович'),
    ];
    const all = [
      ...this.studentsA.map((id) => [id, this.classA] as const),
      ...this.studentsB.map((id) => [id, this.classB] as const),
    ];
    all.forEach(([id, classId], i) => {
      events.push(this.person(id, 'student', `Ученикова Мария ${String(i + 1).padStart(2, '0')}`));
      events.push(this.movement(id, 'enrolled', { to: classId, on: this.quarter.startsOn }));
      for (const guardianId of this.guardians.get(id)!) {
        events.push(this.person(guardianId, 'guardian', `Родителева Елена ${i + 1}`));
        events.push(...this.guardianship(guardianId, id, true));
      }
    });
    return events;
  }

  /** A guardianship linked (and its consent recorded when `consent`). */
  guardianship(guardianId: string, studentId: string, consent: boolean): EventEnvelope<unknown>[] {
    const id = `${guardianId}:${studentId}`;
    const state = (consentActive: boolean) => ({
      guardianship: {
        guardianship_id: id,
        school_id: this.schoolId,
        guardian_id: guardianId,
        student_id: studentId,
        kind: 'mother',
        status: 'active',
        consent_active: consentActive,
      },
    });
    const linked = sourceEvent('edu.roster.guardian.linked', this.schoolId, id, this.next(id), state(false));
    if (!consent) return [linked];
    return [
      linked,
      sourceEvent('edu.roster.consent.recorded', this.schoolId, id, this.next(id), state(true)),
    ];
  }

  movement(
    studentId: string,
    kind: 'enrolled' | 'transferred' | 'withdrawn',
    move: { from?: string; to?: string; on: string },
  ): EventEnvelope<unknown> {
    const enrolmentId = `${this.yearId}:${studentId}`;
    return sourceEvent(`edu.roster.student.${kind}`, this.schoolId, enrolmentId, this.next(enrolmentId), {
      enrolment: {
        enrolment_id: enrolmentId,
        school_id: this.schoolId,
        academic_year_id: this.yearId,
        student_id: studentId,
        class_id: move.to ?? '',
        status: kind === 'withdrawn' ? 'withdrawn' : 'active',
      },
      movement: {
        from_class_id: move.from ?? '',
        to_class_id: move.to ?? '',
        effective_on: move.on,
        order: { number: '1-у', date: move.on, title: 'О движении обучающихся' },
      },
    });
  }

  private lessonState(l: LessonInput & { lessonId: string }) {
    const classId = l.classId ?? this.classA;
    return {
      lesson_id: l.lessonId,
      school_id: this.schoolId,
      academic_year_id: this.yearId,
      period: 1,
      class_id: classId,
      class_name: classId === this.classA ? '5А' : '5Б',
      subgroup_id: l.subgroupId ?? '',
      subgroup_name: l.subgroupId ? 'Группа 1' : '',
      subject_id: l.subjectId ?? this.mathId,
      subject_key: l.subjectId ? 'subject' : 'math',
      subject_name: l.subjectName ?? 'Математика',
      subject_short_name: 'Матем.',
      teacher_id: l.teacherId ?? this.teacherId,
      date: l.date,
      lesson_number: l.lessonNumber ?? 1,
      starts_at: '08:00',
      ends_at: '08:45',
      room: l.room ?? '214',
      status: l.status ?? 'scheduled',
      origin: 'timetable',
      cancellation_reason: l.status === 'cancelled' ? 'Карантин' : '',
      substitute_teacher_id: l.substituteTeacherId ?? '',
      substitution_reason: l.substituteTeacherId ? 'Болезнь учителя' : '',
      moved_from_date: '',
      moved_from_lesson_number: 0,
      change_reason: '',
    };
  }

  /** Schedule's event of a lesson (`lesson.scheduled` unless `type` says otherwise). */
  lesson(
    l: LessonInput,
    type = 'edu.schedule.lesson.scheduled',
  ): { lessonId: string; event: EventEnvelope<unknown> } {
    const lessonId = l.lessonId ?? randomUUID();
    const event = sourceEvent(type, this.schoolId, lessonId, this.next(lessonId), {
      lesson: this.lessonState({ ...l, lessonId }),
    });
    return { lessonId, event };
  }

  /**
   * Gradebook's `mark.posted` of a lesson's record at its next version, carrying the whole record:
   * a topic, homework and the marks given (and earlier marks passed in `marks`).
   */
  record(
    l: LessonInput & { lessonId: string },
    content: { topic?: string; homework?: string; marks?: MarkInput[]; absent?: string[] },
    type = 'edu.gradebook.mark.posted',
  ): EventEnvelope<unknown> {
    const state = this.lessonState(l);
    const version = this.next(`record:${l.lessonId}`);
    const at = new Date().toISOString();
    const step = (m: MarkInput, kind: string, value: string, reason: string) => ({
      kind,
      value,
      work_type: m.workType ?? 'answer',
      weight: m.weight ?? 1,
      comment: '',
      by: this.teacherId,
      at,
      reason,
      order_ref: '',
    });
    const marks = (content.marks ?? []).map((m) => ({
      mark_id: m.markId ?? randomUUID(),
      student_id: m.studentId,
      value: m.value,
      work_type: m.workType ?? 'answer',
      work_type_name: m.workTypeName ?? 'Ответ на уроке',
      weight: m.weight ?? 1,
      comment: '',
      posted_by: this.teacherId,
      posted_at: at,
      status: 'active',
      corrected: !!m.correctedFrom,
      history: m.correctedFrom
        ? [
            step(m, 'posted', m.correctedFrom.value, ''),
            step(m, 'corrected', m.value, m.correctedFrom.reason),
          ]
        : [step(m, 'posted', m.value, '')],
    }));
    const record = {
      lesson_id: l.lessonId,
      course_id: `${this.yearId}:${state.class_id}:${state.subgroup_id || '-'}:${state.subject_id}`,
      school_id: this.schoolId,
      academic_year_id: this.yearId,
      class_id: state.class_id,
      subgroup_id: state.subgroup_id,
      subject_id: state.subject_id,
      subject_key: state.subject_key,
      period: 1,
      date: l.date,
      lesson_number: state.lesson_number,
      starts_at: state.starts_at,
      ends_at: state.ends_at,
      teacher_id: state.teacher_id,
      substitute_teacher_id: state.substitute_teacher_id,
      lesson_status: state.status,
      topic: content.topic
        ? { text: content.topic, plan_item_id: '', set_by: this.teacherId, set_at: at }
        : null,
      homework: content.homework
        ? {
            text: content.homework,
            due_date: '',
            attachments: [],
            student_id: '',
            set_by: this.teacherId,
            set_at: at,
          }
        : null,
      individual_homework: [],
      marks,
      attendance: (content.absent ?? []).map((studentId) => ({
        student_id: studentId,
        kind: 'absent',
        late_minutes: 0,
        recorded_by: this.teacherId,
        recorded_at: at,
        reason: '',
        reason_set_by: '',
        reason_set_at: '',
        reason_note: '',
      })),
      attendance_taken: (content.absent ?? []).length > 0,
      version: String(version),
      updated_at: at,
    };
    return sourceEvent(type, this.schoolId, l.lessonId, version, { record, marks });
  }

  /** Gradebook's period mark of a student in mathematics. */
  periodMark(studentId: string, value: string, kind = 'period', period = 1): EventEnvelope<unknown> {
    const id = `${this.yearId}:${studentId}:${this.mathId}:${kind}:${period}`;
    const version = this.next(id);
    return sourceEvent('edu.gradebook.period_mark.posted', this.schoolId, id, version, {
      period_mark: {
        period_mark_id: id,
        school_id: this.schoolId,
        academic_year_id: this.yearId,
        student_id: studentId,
        class_id: this.classA,
        subject_id: this.mathId,
        subject_key: 'math',
        kind,
        period,
        value,
        set_by: this.teacherId,
        set_at: new Date().toISOString(),
        arithmetic_average: 0,
        weighted_average: 0,
        marks_count: 0,
        corrected: false,
        history: [],
        version: String(version),
      },
    });
  }

  teacher(): Actor {
    return staffOf(this.schoolId, 'teacher', this.teacherId);
  }
  classTeacherOfA(): Actor {
    return staffOf(this.schoolId, 'teacher', this.classTeacherA);
  }
  classTeacherOfB(): Actor {
    return staffOf(this.schoolId, 'teacher', this.classTeacherB);
  }
  deputy(): Actor {
    return staffOf(this.schoolId, 'deputy');
  }
}
