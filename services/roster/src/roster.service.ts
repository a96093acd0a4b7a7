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
import type { ProtoGrpcType } from '@edu/proto/dist/generated/roster';
import type { ProtoGrpcType as PeopleProtoGrpcType } from '@edu/proto/dist/generated/people';
import {
  closeStore,
  connectStore,
  createDocumentLock,
  createIdempotencyStore,
  storeCheck,
  syncAllIndexes,
  type IdempotencyStore,
} from '@edu/store';
import type { RosterConfig } from './config';
import { academicYearModel } from './data-access/academic-year.model';
import { createAcademicYearRepository } from './data-access/academic-year.repository';
import { ROSTER_EVENT_TYPES, ROSTER_TOPIC } from './data-access/roster-events';
import { createSchoolRepository } from './data-access/school.repository';
import { schoolClassModel } from './data-access/school-class.model';
import { enrolmentModel } from './data-access/enrolment.model';
import { createEnrolmentRepository } from './data-access/enrolment.repository';
import { createSchoolClassRepository } from './data-access/school-class.repository';
import { schoolModel } from './data-access/school.model';
import { rosterHandlers } from './entry-points/grpc/roster.grpc';
import { accessLogModel } from './data-access/access-log.model';
import { createAccessLog } from './data-access/access-log.repository';
import { personModel } from './data-access/person.model';
import { createPersonRepository } from './data-access/person.repository';
import { peopleHandlers } from './entry-points/grpc/people.grpc';
import type { ProtoGrpcType as StaffProtoGrpcType } from '@edu/proto/dist/generated/staff';
import type { ProtoGrpcType as SubgroupProtoGrpcType } from '@edu/proto/dist/generated/subgroup';
import { staffPositionModel } from './data-access/staff-position.model';
import { createStaffPositionRepository } from './data-access/staff-position.repository';
import { staffHandlers } from './entry-points/grpc/staff.grpc';
import { subgroupModel } from './data-access/subgroup.model';
import { createSubgroupRepository } from './data-access/subgroup.repository';
import { subgroupHandlers } from './entry-points/grpc/subgroup.grpc';
import type { ProtoGrpcType as GuardianshipProtoGrpcType } from '@edu/proto/dist/generated/guardianship';
import { guardianshipModel } from './data-access/guardianship.model';
import { createGuardianshipRepository } from './data-access/guardianship.repository';
import { guardianshipHandlers } from './entry-points/grpc/guardianship.grpc';
import { teachingCopyModel } from './data-access/teaching-copy.model';
import { createTeachingCopyRepository } from './data-access/teaching-copy.repository';
import { HANDLED_SCHEDULE_EVENTS, teachingHandler } from './entry-points/kafka/teaching.handler';

/** Schedule's topic (before the environment's prefix): its teaching assignments. */
const SCHEDULE_TOPIC = 'edu.schedule.v1';

const IDEMPOTENCY_PURGE_INTERVAL_MS = 15 * 60_000;

/** Roster as a list of components in start order, plus what tests need to reach it. */
export interface RosterService {
  components: Component[];
  /** Turns readiness off: the first step of a shutdown. */
  onShutdownStart(): void;
  /** Bound ports, known after start (config may say 0 in tests). */
  ports(): { grpc: number; ops: number };
}

/**
 * Wires roster: store → topics → outbox relay → gRPC → ops. Used by `main.ts` and by the
 * component tests, which boot it in-process on random ports.
 */
export function createRosterService(config: RosterConfig, logger: Logger, metrics: Metrics): RosterService {
  const codec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/roster.proto')],
    types: ROSTER_EVENT_TYPES,
  });
  const kafka = createKafka({ brokers: config.EDU_KAFKA_BROKERS, clientId: 'roster', logger });
  const topic = config.EDU_KAFKA_TOPIC_PREFIX + ROSTER_TOPIC;
  // Roster keeps a copy of schedule's teaching assignments: who teaches a class reads its list.
  const scheduleTopic = config.EDU_KAFKA_TOPIC_PREFIX + SCHEDULE_TOPIC;
  const scheduleCodec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/schedule.proto')],
    types: HANDLED_SCHEDULE_EVENTS,
  });
  let consumer: EventConsumer | undefined;
  // FerretDB 1.x updates are not isolated: the relay and every writer share one lock.
  const lock = createDocumentLock();
  let connection: Connection | undefined;
  let relay: OutboxRelay | undefined;
  let idempotency: IdempotencyStore | undefined;
  // One definition for every file of package edu.roster.v1: reflection describes a package as one
  // file, and of two definitions of the same package it would keep only the first.
  const rosterPackage = loadProto(
    'edu/roster/v1/roster.proto',
    'edu/roster/v1/people.proto',
    'edu/roster/v1/staff.proto',
    'edu/roster/v1/subgroup.proto',
    'edu/roster/v1/guardianship.proto',
  );
  const proto = grpc.loadPackageDefinition(rosterPackage) as unknown as ProtoGrpcType;
  const peopleProto = proto as unknown as PeopleProtoGrpcType;
  const staffProto = proto as unknown as StaffProtoGrpcType;
  const subgroupProto = proto as unknown as SubgroupProtoGrpcType;
  const guardianshipProto = proto as unknown as GuardianshipProtoGrpcType;
  const server = createGrpcServer({
    logger,
    metrics,
    actorVerifier: new ActorVerifier({ publicKeys: readActorPublicKeys(config.EDU_ACTOR_PUBLIC_KEYS_DIR) }),
    packageDefinitions: [rosterPackage],
  });

  const store: Component = {
    name: 'store',
    async start() {
      connection = await connectStore({
        url: config.EDU_MONGO_URL,
        dbName: config.EDU_MONGO_DB,
        logger,
        appName: 'roster',
      });
      const schools = schoolModel(connection);
      const academicYears = academicYearModel(connection);
      const people = personModel(connection);
      const accessLog = accessLogModel(connection);
      const schoolClasses = schoolClassModel(connection);
      const enrolments = enrolmentModel(connection);
      const staffPositions = staffPositionModel(connection);
      const subgroups = subgroupModel(connection);
      const guardianships = guardianshipModel(connection);
      const teachingCopies = teachingCopyModel(connection);
      await syncAllIndexes(connection);
      relay = createOutboxRelay({
        kafka,
        models: [
          schools,
          academicYears,
          people,
          schoolClasses,
          enrolments,
          guardianships,
          staffPositions,
          subgroups,
        ],
        logger,
        metrics,
        lock,
      });
      idempotency = createIdempotencyStore(connection, { logger });
      idempotency.startPurge(IDEMPOTENCY_PURGE_INTERVAL_MS);
      const outbox = { codec, topic, onEventsWritten: () => relay?.notify() };
      const locked = { ...outbox, lock };
      // Each repository once; every service gets the ones its handlers use.
      const enrolmentRepository = createEnrolmentRepository(enrolments, locked);
      // A bulk replacement of enrolments a crash interrupted is finished before anything reads them.
      await enrolmentRepository.recover();
      const repositories = {
        schools: createSchoolRepository(schools, locked),
        academicYears: createAcademicYearRepository(academicYears, locked),
        schoolClasses: createSchoolClassRepository(schoolClasses, locked),
        enrolments: enrolmentRepository,
        people: createPersonRepository(people, locked),
        guardianships: createGuardianshipRepository(guardianships, locked),
        staff: createStaffPositionRepository(staffPositions, locked),
        subgroups: createSubgroupRepository(subgroups, locked),
        accessLog: createAccessLog(accessLog, randomUUID),
        teaching: createTeachingCopyRepository(teachingCopies),
      };
      consumer = createConsumer({
        kafka,
        groupId: config.EDU_KAFKA_GROUP,
        topics: [scheduleTopic],
        codec: scheduleCodec,
        handle: teachingHandler(repositories.teaching, logger.child({ module: 'teaching-copy' })),
        logger,
        metrics,
      });
      const common = { newId: randomUUID, now: () => new Date(), idempotency };
      server.addService(
        proto.edu.roster.v1.RosterService.service,
        rosterHandlers({
          ...common,
          repositories,
          quietly: (write) => relay!.quiet(write),
          // A key of its own (no document has it), so the relay, locking documents by id, never waits.
          exclusive: (key, work) => lock.run(academicYears, [key], work),
        }),
      );
      server.addService(
        peopleProto.edu.roster.v1.PeopleService.service,
        peopleHandlers({ ...common, repositories }),
      );
      server.addService(
        guardianshipProto.edu.roster.v1.GuardianshipService.service,
        guardianshipHandlers({ ...common, repositories }),
      );
      server.addService(
        staffProto.edu.roster.v1.StaffService.service,
        staffHandlers({ ...common, repositories }),
      );
      server.addService(
        subgroupProto.edu.roster.v1.SubgroupService.service,
        subgroupHandlers({ ...common, repositories }),
      );
    },
    async stop() {
      idempotency?.stop();
      if (connection) await closeStore(connection);
    },
  };

  // Schedule's topic may not exist yet when roster starts before it.
  const topics = topicsComponent(kafka, [topic, scheduleTopic], {
    partitions: config.EDU_KAFKA_PARTITIONS,
    replicationFactor: config.EDU_KAFKA_REPLICATION_FACTOR,
  });

  // Stopped after the gRPC server (reverse order): requests drained first, then the outbox flushed.
  const outboxRelay: Component = {
    name: 'outbox-relay',
    start: () => relay!.start(),
    stop: () => relay!.stop(),
  };

  const scheduleConsumer: Component = {
    name: 'schedule-consumer',
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
    components: [store, topics, outboxRelay, scheduleConsumer, grpcServer, opsServer],
    onShutdownStart: () => opsServer.setShuttingDown(),
    ports: () => ({ grpc: grpcServer.port(), ops: opsServer.port() }),
  };
}
