import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { Connection } from 'mongoose';
import {
  createConsumer,
  createEventCodec,
  createKafka,
  createOutboxRelay,
  topicsComponent,
  type EventConsumer,
  type OutboxRelay,
} from '@edu/events';
import { ActorVerifier, createGrpcServer, grpcServerComponent, readActorPublicKeys } from '@edu/grpc';
import { opsComponent, type Component, type Logger, type Metrics } from '@edu/kit';
import { loadProto, protoFile } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/schedule';
import {
  closeStore,
  connectStore,
  createDocumentLock,
  createIdempotencyStore,
  storeCheck,
  syncAllIndexes,
  type IdempotencyStore,
} from '@edu/store';
import type { ScheduleConfig } from './config';
import { maxWeeklyHoursByGrade } from './domain/curriculum';
import { seedSubjectCatalogue } from './domain/subject.use-cases';
import { bellScheduleModel } from './data-access/bell-schedule.model';
import { createBellScheduleRepository } from './data-access/bell-schedule.repository';
import { curriculumModel } from './data-access/curriculum.model';
import { createCurriculumRepository } from './data-access/curriculum.repository';
import { lessonChangeBatchModel } from './data-access/lesson-change-batch.model';
import { lessonTemplateModel } from './data-access/lesson-template.model';
import { lessonModel } from './data-access/lesson.model';
import { createLessonRepository } from './data-access/lesson.repository';
import { rosterCopyModels } from './data-access/roster-copy.model';
import { createRosterCopy } from './data-access/roster-copy.repository';
import { calendarWarningModels } from './data-access/calendar-warning.model';
import { createCalendarWarningRepository } from './data-access/calendar-warning.repository';
import { schoolEventModel } from './data-access/school-event.model';
import { createSchoolEventRepository } from './data-access/school-event.repository';
import { studentRelationsModels } from './data-access/student-relations.model';
import { createStudentRelations } from './data-access/student-relations.repository';
import { activeAssignmentsOfTeacher } from './data-access/teacher-assignments.query';
import { SCHEDULE_EVENT_TYPES, SCHEDULE_TOPIC } from './data-access/schedule-events';
import { subjectModel } from './data-access/subject.model';
import { createSubjectRepository } from './data-access/subject.repository';
import { teachingAssignmentModel } from './data-access/teaching-assignment.model';
import { createAssignmentRepository } from './data-access/teaching-assignment.repository';
import { classTimetableModel, timetablePublicationModel } from './data-access/timetable.model';
import { createTimetableRepository } from './data-access/timetable.repository';
import { scheduleHandlers } from './entry-points/grpc/schedule.grpc';
import { HANDLED_ROSTER_EVENTS, rosterCopyHandler } from './entry-points/kafka/roster-copy.handler';
import { rosterExtras } from './entry-points/kafka/student-relations.handler';
import {
  GRADEBOOK_TOPIC,
  HANDLED_GRADEBOOK_EVENTS,
  gradebookHandler,
  lessonsAfterRosterEvent,
} from './entry-points/kafka/lesson-events.handler';
import { catchUpLessons } from './domain/lesson.use-cases';
import { SYSTEM_CONTEXT } from './data-access/schedule-events';

const IDEMPOTENCY_PURGE_INTERVAL_MS = 15 * 60_000;

/** Roster's topic (after the environment's prefix): schedule keeps its copy of roster from it. */
export const ROSTER_TOPIC = 'edu.roster.v1';

/** Schedule as a list of components in start order, plus what tests need to reach it. */
export interface ScheduleService {
  components: Component[];
  /** Turns readiness off: the first step of a shutdown. */
  onShutdownStart(): void;
  /** Bound ports, known after start (config may say 0 in tests). */
  ports(): { grpc: number; ops: number };
}

/**
 * Wires schedule: store (and the subject catalogue) → topics → outbox relay → roster consumer →
 * gRPC → ops. Used by `main.ts` and by the component tests, which boot it in-process on random
 * ports.
 */
export function createScheduleService(
  config: ScheduleConfig,
  logger: Logger,
  metrics: Metrics,
): ScheduleService {
  const codec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/schedule.proto')],
    types: SCHEDULE_EVENT_TYPES,
  });
  // One consumer (one group) reads roster's and gradebook's topics: kafkajs assigns a group's
  // partitions as if every member subscribed to every topic of the group.
  const rosterCodec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/roster.proto'), protoFile('edu/events/v1/gradebook.proto')],
    types: { ...HANDLED_ROSTER_EVENTS, ...HANDLED_GRADEBOOK_EVENTS },
  });
  const kafka = createKafka({ brokers: config.EDU_KAFKA_BROKERS, clientId: 'schedule', logger });
  const topic = config.EDU_KAFKA_TOPIC_PREFIX + SCHEDULE_TOPIC;
  const rosterTopic = config.EDU_KAFKA_TOPIC_PREFIX + ROSTER_TOPIC;
  const gradebookTopic = config.EDU_KAFKA_TOPIC_PREFIX + GRADEBOOK_TOPIC;
  // FerretDB 1.x updates are not isolated: the relay and every writer share one lock.
  const lock = createDocumentLock();
  let connection: Connection | undefined;
  let relay: OutboxRelay | undefined;
  let consumer: EventConsumer | undefined;
  let idempotency: IdempotencyStore | undefined;
  let catchUpTimer: NodeJS.Timeout | undefined;
  // One definition for every file of package edu.schedule.v1 (reflection keeps one per package).
  const schedulePackage = loadProto(
    'edu/schedule/v1/schedule.proto',
    'edu/schedule/v1/subject.proto',
    'edu/schedule/v1/teaching_assignment.proto',
    'edu/schedule/v1/bells.proto',
    'edu/schedule/v1/curriculum.proto',
    'edu/schedule/v1/timetable.proto',
    'edu/schedule/v1/school_event.proto',
    'edu/schedule/v1/lesson.proto',
  );
  const proto = grpc.loadPackageDefinition(schedulePackage) as unknown as ProtoGrpcType;
  const server = createGrpcServer({
    logger,
    metrics,
    actorVerifier: new ActorVerifier({ publicKeys: readActorPublicKeys(config.EDU_ACTOR_PUBLIC_KEYS_DIR) }),
    packageDefinitions: [schedulePackage],
  });

  const store: Component = {
    name: 'store',
    async start() {
      connection = await connectStore({
        url: config.EDU_MONGO_URL,
        dbName: config.EDU_MONGO_DB,
        logger,
        appName: 'schedule',
      });
      const subjects = subjectModel(connection);
      const assignments = teachingAssignmentModel(connection);
      const bellSchedules = bellScheduleModel(connection);
      const curricula = curriculumModel(connection);
      const timetables = classTimetableModel(connection);
      const publications = timetablePublicationModel(connection);
      const copy = createRosterCopy(rosterCopyModels(connection));
      const schoolEvents = schoolEventModel(connection);
      const relations = createStudentRelations(studentRelationsModels(connection));
      const warnings = createCalendarWarningRepository(calendarWarningModels(connection));
      const lessonModels = {
        lessons: lessonModel(connection),
        batches: lessonChangeBatchModel(connection),
        templates: lessonTemplateModel(connection),
      };
      await syncAllIndexes(connection);
      relay = createOutboxRelay({
        kafka,
        models: [
          subjects,
          assignments,
          bellSchedules,
          curricula,
          publications,
          schoolEvents,
          lessonModels.batches,
        ],
        logger,
        metrics,
        lock,
      });
      idempotency = createIdempotencyStore(connection, { logger });
      idempotency.startPurge(IDEMPOTENCY_PURGE_INTERVAL_MS);
      const outbox = { codec, topic, onEventsWritten: () => relay?.notify() };
      const repositories = {
        subjects: createSubjectRepository(subjects, outbox),
        assignments: createAssignmentRepository(assignments, { ...outbox, lock }),
        bellSchedules: createBellScheduleRepository(bellSchedules, { ...outbox, lock }),
        curricula: createCurriculumRepository(curricula, { ...outbox, lock }),
        timetables: createTimetableRepository({ timetables, publications }, { ...outbox, lock }),
        roster: copy,
        events: createSchoolEventRepository(schoolEvents, { ...outbox, lock }),
        relations,
        warnings,
        lessons: createLessonRepository(lessonModels, {
          ...outbox,
          lock,
          quiet: (write) => relay!.quiet(write),
        }),
      };
      const added = await seedSubjectCatalogue({ subjects: repositories.subjects, now: () => new Date() });
      if (added > 0) logger.info({ added }, 'subject catalogue seeded');
      // Before any writer: lesson chunks and generations a crash left half done.
      const lessonDeps = { ...repositories, now: () => new Date() };
      const caughtUp = await catchUpLessons(lessonDeps, SYSTEM_CONTEXT);
      if (caughtUp.chunks + caughtUp.periods > 0) logger.info(caughtUp, 'lessons caught up after a crash');
      // A publication whose request was cut short (a cancelled call) is generated here meanwhile.
      let catchingUp = false;
      catchUpTimer = setInterval(() => {
        if (catchingUp) return;
        catchingUp = true;
        catchUpLessons(lessonDeps, SYSTEM_CONTEXT, { chunks: false })
          .then((done) => {
            if (done.periods > 0) logger.info(done, 'lessons of published periods caught up');
          })
          .catch((error: unknown) => logger.error({ err: error }, 'lessons catch-up failed; retrying later'))
          .finally(() => {
            catchingUp = false;
          });
      }, config.EDU_SCHEDULE_LESSON_CATCH_UP_INTERVAL);
      catchUpTimer.unref();
      const followRoster = rosterExtras(
        {
          relations,
          warnings,
          ending: {
            assignments: repositories.assignments,
            activeAssignmentsOfTeacher: activeAssignmentsOfTeacher(assignments),
            roster: copy,
            now: () => new Date(),
          },
        },
        logger.child({ module: 'roster-follow-up' }),
      );
      const regenerate = lessonsAfterRosterEvent(lessonDeps, logger.child({ module: 'lessons' }));
      const rosterHandler = rosterCopyHandler(copy, logger.child({ module: 'roster-copy' }), {
        handle: followRoster.handle,
        async afterCopy(event) {
          await followRoster.afterCopy(event);
          await regenerate(event);
        },
      });
      const journalHandler = gradebookHandler(lessonDeps, logger.child({ module: 'lesson-journal' }));
      consumer = createConsumer({
        kafka,
        groupId: config.EDU_KAFKA_GROUP,
        topics: [rosterTopic, gradebookTopic],
        codec: rosterCodec,
        handle: (event, context) =>
          context.topic === gradebookTopic ? journalHandler(event, context) : rosterHandler(event, context),
        logger,
        metrics,
      });
      server.addService(
        proto.edu.schedule.v1.ScheduleService.service,
        scheduleHandlers({
          repositories,
          newId: randomUUID,
          now: () => new Date(),
          idempotency,
          maxWeeklyHours: maxWeeklyHoursByGrade(config.EDU_SCHEDULE_MAX_WEEKLY_HOURS),
        }),
      );
    },
    async stop() {
      if (catchUpTimer) clearInterval(catchUpTimer);
      idempotency?.stop();
      if (connection) await closeStore(connection);
    },
  };

  // Schedule's own topic, and roster's and gradebook's, which may not exist yet when schedule starts first.
  const topics = topicsComponent(kafka, [topic, rosterTopic, gradebookTopic], {
    partitions: config.EDU_KAFKA_PARTITIONS,
    replicationFactor: config.EDU_KAFKA_REPLICATION_FACTOR,
  });

  // Stopped after the gRPC server (reverse order): requests drained first, then the outbox flushed.
  const outboxRelay: Component = {
    name: 'outbox-relay',
    start: () => relay!.start(),
    stop: () => relay!.stop(),
  };

  const rosterConsumer: Component = {
    name: 'roster-consumer',
    start: () => consumer!.start(),
    stop: () => consumer!.stop(),
  };

  const grpcServer = grpcServerComponent(server, config.EDU_GRPC_HOST, config.EDU_GRPC_PORT);

  const opsServer = opsComponent({
    host: config.EDU_OPS_HOST,
    port: config.EDU_OPS_PORT,
    metrics,
    logger,
    checks: () => ({ store: storeCheck(connection!) }),
  });

  return {
    components: [store, topics, outboxRelay, rosterConsumer, grpcServer, opsServer],
    onShutdownStart: () => opsServer.setShuttingDown(),
    ports: () => ({ grpc: grpcServer.port(), ops: opsServer.port() }),
  };
}
