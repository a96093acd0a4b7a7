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
import { Lifecycle, createLogger, createMetrics, type Metrics } from '@edu/kit';
import { loadProto, protoFile } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/gradebook';
import type { GradebookServiceDefinition } from '@edu/proto/dist/generated/edu/gradebook/v1/GradebookService';
import { endpoints, uniqueName, uniqueTopicPrefix, waitFor } from '@edu/testing';
import { configSchema } from '../../src/config';
import { GRADEBOOK_EVENT_TYPES } from '../../src/data-access/gradebook-events';
import { createGradebookService } from '../../src/gradebook.service';
import { HANDLED_ROSTER_EVENTS } from '../../src/entry-points/kafka/roster.handler';
import { HANDLED_SCHEDULE_EVENTS } from '../../src/entry-points/kafka/schedule.handler';

/** Gradebook in-process on random ports against the real FerretDB and Kafka, for one test file. */
export interface GradebookHarness {
  client: PromiseClient<GradebookServiceDefinition>;
  /** Gradebook's own database (a fresh one), to check what was stored. */
  store: Connection;
  /** Gradebook's topic under this harness' fresh prefix. */
  topic: string;
  brokers: string[];
  metrics: Metrics;
  /** The service's log lines so far (warn and above unless EDU_TEST_LOG_LEVEL says more), parsed. */
  logs(): Record<string, unknown>[];
  /** Call metadata: the actor signed as the gateway would. */
  as(actor: Actor): Promise<{ actorToken: string }>;
  /**
   * Publishes roster's or schedule's events (keyed by school, as they do) and waits until
   * gradebook's consumer has handled everything on the topic (its committed offsets reach the end).
   */
  publish(source: 'roster' | 'schedule', events: EventEnvelope<unknown>[]): Promise<void>;
  close(): Promise<void>;
}

export async function startGradebook(): Promise<GradebookHarness> {
  const keys = generateDevActorKeys('test');
  const signer = new ActorSigner({ privateKey: keys.privateKeyPem, kid: keys.kid });
  const dbName = uniqueName('gradebook_test').replace(/[^a-z0-9_]/gi, '_');
  const topicPrefix = uniqueTopicPrefix();
  const group = uniqueName('gradebook');
  const { publicKeysDir } = writeActorKeys(mkdtempSync(path.join(tmpdir(), 'gradebook-keys-')), keys);
  const config = {
    ...configSchema.parse({
      EDU_ACTOR_PUBLIC_KEYS_DIR: publicKeysDir,
      EDU_MONGO_URL: endpoints().mongoUrl,
      EDU_KAFKA_BROKERS: endpoints().kafkaBrokers.join(','),
      EDU_KAFKA_TOPIC_PREFIX: topicPrefix,
      EDU_KAFKA_GROUP: group,
      EDU_MONGO_DB: dbName,
      // Warnings are kept for the tests (denials are security events logged at warn).
      EDU_LOG_LEVEL: process.env.EDU_TEST_LOG_LEVEL ?? 'warn',
    }),
    EDU_GRPC_PORT: 0,
    EDU_OPS_PORT: 0,
  };
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'gradebook',
    level: config.EDU_LOG_LEVEL,
    destination: {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
        if (process.env.EDU_TEST_LOG_LEVEL) process.stdout.write(line);
      },
    },
  });
  const metrics = createMetrics('gradebook');
  const gradebook = createGradebookService(config, logger, metrics);
  const lifecycle = new Lifecycle({ logger, components: gradebook.components });
  await lifecycle.start();
  const proto = grpc.loadPackageDefinition(
    loadProto('edu/gradebook/v1/gradebook.proto'),
  ) as unknown as ProtoGrpcType;
  const client = createGrpcClient(
    proto.edu.gradebook.v1.GradebookService,
    `127.0.0.1:${gradebook.ports().grpc}`,
    {
      idempotentMethods: [],
    },
  );
  const store = await mongoose.createConnection(endpoints().mongoUrl, { dbName }).asPromise();
  const codecs: Record<'roster' | 'schedule', EventCodec> = {
    roster: createEventCodec({
      protoFiles: [protoFile('edu/events/v1/roster.proto')],
      types: HANDLED_ROSTER_EVENTS,
    }),
    schedule: createEventCodec({
      protoFiles: [protoFile('edu/events/v1/schedule.proto')],
      types: HANDLED_SCHEDULE_EVENTS,
    }),
  };
  const kafka = new Kafka({ brokers: endpoints().kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const admin: Admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);

  /** Until the group's committed offsets reach the topic's end on every partition. */
  async function drained(topic: string): Promise<void> {
    await waitFor(async () => (await groupLag(admin, group, [topic])).behind === 0, {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
  }

  return {
    client,
    store,
    topic: `${topicPrefix}edu.gradebook.v1`,
    brokers: endpoints().kafkaBrokers,
    metrics,
    logs: () => [...lines],
    as: async (actor) => ({ actorToken: await signer.sign(actor) }),
    async publish(source, events) {
      const topic = `${topicPrefix}edu.${source}.v1`;
      await producer.send({
        topic,
        acks: -1,
        messages: events.map((event) => ({
          key: event.schoolId,
          value: codecs[source].encode(event),
          headers: { type: event.type, id: event.id },
        })),
      });
      await drained(topic);
    },
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

/** The access denials gradebook logged after log line `from`, as [action, object]. */
export function denialsSince(harness: GradebookHarness, from: number): [unknown, unknown][] {
  return harness
    .logs()
    .slice(from)
    .filter((line) => line.event === 'access_denied')
    .map((line) => [line.action, line.object]);
}

/** Someone with `role` in a school. */
export const staffOf = (schoolId: string, role: string, personId: string = randomUUID()): Actor => ({
  accountId: `acc-${role}-${personId.slice(0, 8)}`,
  personId,
  schoolRoles: [{ schoolId, role }],
  grants: [],
});

/** A guardian: a person without any role or grant. */
export const guardianActor: Actor = {
  accountId: 'acc-guardian',
  personId: 'person-guardian',
  schoolRoles: [],
  grants: [],
};

export interface PublishedEvent {
  type: string;
  key: string;
  aggregateId: string;
  aggregateVersion: number;
  payload: Record<string, unknown>;
}

/** Reads gradebook's topic from the start with a fresh group, keeping every event in order. */
export async function recordGradebookEvents(
  harness: GradebookHarness,
): Promise<{ published: PublishedEvent[]; stop(): Promise<void> }> {
  const codec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/gradebook.proto')],
    types: GRADEBOOK_EVENT_TYPES,
  });
  const consumer = new Kafka({ brokers: harness.brokers, logLevel: logLevel.NOTHING }).consumer({
    groupId: uniqueName('events'),
  });
  const published: PublishedEvent[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: harness.topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const { envelope, payload } = codec.decode(message.value!);
      published.push({
        type: envelope.type,
        key: message.key?.toString() ?? '',
        aggregateId: envelope.aggregateId,
        aggregateVersion: envelope.aggregateVersion,
        payload: payload as Record<string, unknown>,
      });
    },
  });
  return { published, stop: () => consumer.disconnect() };
}

// --- A school as roster and schedule would describe it ------------------------------------------

const EVENT_ACTOR = { accountId: 'acc-source', personId: '' };

function sourceEvent<P>(
  type: string,
  schoolId: string,
  aggregateId: string,
  aggregateVersion: number,
  payload: P,
  occurredAt?: string,
): EventEnvelope<P> {
  const built = newEvent({
    type,
    schoolId,
    aggregateId,
    aggregateVersion,
    actor: EVENT_ACTOR,
    traceId: '',
    payload,
  });
  return occurredAt ? { ...built, occurredAt } : built;
}

/** YYYY-MM-DD of `days` days after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Today in a time zone, YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

export interface SchoolOptions {
  timeZone?: string;
  grade?: number;
  students?: number;
  /** The first quarter's days (default: a quarter around today, so today's lessons are in it). */
  quarter?: { startsOn: string; endsOn: string };
}

/**
 * One school with a year, a class of `students` students (named so that roster order is
 * predictable: «Ученик 01» …), its class teacher and a subject teacher; the events roster would
 * publish for them. Lessons come from `lesson()`.
 */
export class SchoolScenario {
  readonly schoolId = randomUUID();
  readonly yearId = randomUUID();
  readonly classId = randomUUID();
  readonly classTeacherId = randomUUID();
  readonly teacherId = randomUUID();
  readonly otherTeacherId = randomUUID();
  readonly subjectId = randomUUID();
  readonly studentIds: string[];
  readonly timeZone: string;
  readonly grade: number;
  readonly quarter: { startsOn: string; endsOn: string };
  private readonly versions = new Map<string, number>();

  constructor(options: SchoolOptions = {}) {
    this.timeZone = options.timeZone ?? 'Europe/Moscow';
    this.grade = options.grade ?? 5;
    const today = todayIn(this.timeZone);
    this.quarter = options.quarter ?? { startsOn: addDays(today, -30), endsOn: addDays(today, 30) };
    this.studentIds = Array.from({ length: options.students ?? 5 }, () => randomUUID());
  }

  private next(aggregateId: string): number {
    const version = (this.versions.get(aggregateId) ?? 0) + 1;
    this.versions.set(aggregateId, version);
    return version;
  }

  private person(id: string, kind: string, name: string) {
    return sourceEvent('edu.roster.person.registered', this.schoolId, id, this.next(id), {
      person: { person_id: id, school_id: this.schoolId, kind, display_name: name, status: 'active' },
    });
  }

  /** Roster's events of the school, the year, the class, its people and enrolments (from the quarter's start). */
  rosterEvents(): EventEnvelope<unknown>[] {
    const s = this.schoolId;
    return [
      sourceEvent('edu.roster.school.created', s, s, this.next(s), {
        school: { school_id: s, short_name: 'МБОУ СШ № 1', time_zone: this.timeZone },
      }),
      sourceEvent('edu.roster.academic_year.opened', s, this.yearId, this.next(this.yearId), {
        academic_year: {
          academic_year_id: this.yearId,
          school_id: s,
          name: '2026/2027',
          days: { starts_on: this.quarter.startsOn, ends_on: addDays(this.quarter.endsOn, 200) },
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
      sourceEvent('edu.roster.class.opened', s, this.classId, this.next(this.classId), {
        school_class: {
          class_id: this.classId,
          school_id: s,
          academic_year_id: this.yearId,
          grade: this.grade,
          letter: 'А',
          name: `${this.grade}А`,
          class_teacher_id: this.classTeacherId,
          status: 'open',
        },
      }),
      this.person(this.classTeacherId, 'staff', 'Классова Анна Петровна'),
      this.person(this.teacherId, 'staff', 'Учителев Пётр Иванович'),
      this.person(this.otherTeacherId, 'staff', 'Другой Иван Сергеевич'),
      ...this.studentIds.map((id, i) =>
        this.person(id, 'student', `Ученик ${String(i + 1).padStart(2, '0')}`),
      ),
      ...this.studentIds.map((id) =>
        this.movement(id, 'enrolled', { to: this.classId, on: this.quarter.startsOn }),
      ),
    ];
  }

  /** A student's enrolment event (enrolled, transferred, withdrawn). */
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

  /** A new student registered and enrolled on a day (a joiner). */
  joiner(name: string, on: string): { studentId: string; events: EventEnvelope<unknown>[] } {
    const studentId = randomUUID();
    return {
      studentId,
      events: [
        this.person(studentId, 'student', name),
        this.movement(studentId, 'enrolled', { to: this.classId, on }),
      ],
    };
  }

  /**
   * A dated lesson of the class in the subject, as schedule publishes it (`lesson.scheduled`, or
   * the given type with the next version of the lesson).
   */
  lesson(
    o: {
      lessonId?: string;
      date?: string;
      lessonNumber?: number;
      startsAt?: string;
      endsAt?: string;
      teacherId?: string;
      substituteTeacherId?: string;
      status?: string;
      type?: string;
      period?: number;
    } = {},
  ): { lessonId: string; event: EventEnvelope<unknown> } {
    const lessonId = o.lessonId ?? randomUUID();
    const event = sourceEvent(
      o.type ?? 'edu.schedule.lesson.scheduled',
      this.schoolId,
      lessonId,
      this.next(lessonId),
      {
        lesson: {
          lesson_id: lessonId,
          school_id: this.schoolId,
          academic_year_id: this.yearId,
          period: o.period ?? 1,
          class_id: this.classId,
          class_name: `${this.grade}А`,
          subgroup_id: '',
          subgroup_name: '',
          subject_id: this.subjectId,
          subject_key: 'math',
          subject_name: 'Математика',
          subject_short_name: 'Матем.',
          teacher_id: o.teacherId ?? this.teacherId,
          date: o.date ?? todayIn(this.timeZone),
          lesson_number: o.lessonNumber ?? 1,
          starts_at: o.startsAt ?? '00:00',
          ends_at: o.endsAt ?? '00:45',
          room: '214',
          status: o.status ?? 'scheduled',
          origin: 'timetable',
          cancellation_reason: o.status === 'cancelled' ? 'timetable_changed' : '',
          substitute_teacher_id: o.substituteTeacherId ?? '',
          substitution_reason: o.substituteTeacherId ? 'Болезнь учителя' : '',
          moved_from_date: '',
          moved_from_lesson_number: 0,
          change_reason: '',
        },
      },
    );
    return { lessonId, event };
  }

  /** Actors of the school. */
  teacher(): Actor {
    return staffOf(this.schoolId, 'teacher', this.teacherId);
  }
  otherTeacher(): Actor {
    return staffOf(this.schoolId, 'teacher', this.otherTeacherId);
  }
  classTeacher(): Actor {
    return staffOf(this.schoolId, 'teacher', this.classTeacherId);
  }
  deputy(): Actor {
    return staffOf(this.schoolId, 'deputy');
  }
  director(): Actor {
    return staffOf(this.schoolId, 'director');
  }
  schoolAdmin(): Actor {
    return staffOf(this.schoolId, 'schoolAdmin');
  }
}
