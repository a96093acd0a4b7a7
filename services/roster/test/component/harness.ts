import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { createEventCodec } from '@edu/events';
import {
  ActorSigner,
  GrpcCallError,
  createGrpcClient,
  generateDevActorKeys,
  writeActorKeys,
  type Actor,
  type PromiseClient,
} from '@edu/grpc';
import { Lifecycle, createLogger, createMetrics } from '@edu/kit';
import { loadProto, protoFile } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/roster';
import type { RosterServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/RosterService';
import type { ProtoGrpcType as PeopleProtoGrpcType } from '@edu/proto/dist/generated/people';
import type { PeopleServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/PeopleService';
import type { ProtoGrpcType as GuardianshipProtoGrpcType } from '@edu/proto/dist/generated/guardianship';
import type { GuardianshipServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/GuardianshipService';
import type { ProtoGrpcType as StaffProtoGrpcType } from '@edu/proto/dist/generated/staff';
import type { StaffServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/StaffService';
import type { ProtoGrpcType as SubgroupProtoGrpcType } from '@edu/proto/dist/generated/subgroup';
import type { SubgroupServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/SubgroupService';
import {
  academicYearPlanFixture,
  endpoints,
  schoolCardFixture,
  uniqueName,
  uniqueTopicPrefix,
} from '@edu/testing';
import { configSchema } from '../../src/config';
import { ROSTER_EVENT_TYPES } from '../../src/data-access/roster-events';
import { createRosterService } from '../../src/roster.service';

/** Roster in-process on random ports against the real FerretDB and Kafka, for one test file. */
export interface RosterHarness {
  client: PromiseClient<RosterServiceDefinition>;
  /** `edu.roster.v1.PeopleService` on the same server. */
  people: PromiseClient<PeopleServiceDefinition>;
  /** `edu.roster.v1.GuardianshipService` on the same server. */
  guardianship: PromiseClient<GuardianshipServiceDefinition>;
  /** `edu.roster.v1.StaffService` on the same server. */
  staff: PromiseClient<StaffServiceDefinition>;
  /** `edu.roster.v1.SubgroupService` on the same server. */
  subgroups: PromiseClient<SubgroupServiceDefinition>;
  address: string;
  /** Roster's own database (a fresh one), to check what was stored. */
  store: Connection;
  /** Roster's topic under this harness' fresh prefix, and the brokers to read it from. */
  topic: string;
  brokers: string[];
  /** Call metadata: the actor signed as the gateway would, and an optional idempotency key. */
  as(actor: Actor, idempotencyKey?: string): Promise<{ actorToken: string; idempotencyKey?: string }>;
  close(): Promise<void>;
}

export async function startRoster(): Promise<RosterHarness> {
  const keys = generateDevActorKeys('test');
  const signer = new ActorSigner({ privateKey: keys.privateKeyPem, kid: keys.kid });
  const dbName = uniqueName('roster_test').replace(/[^a-z0-9_]/gi, '_');
  const topicPrefix = uniqueTopicPrefix();
  const { publicKeysDir } = writeActorKeys(mkdtempSync(path.join(tmpdir(), 'roster-keys-')), keys);
  const config = {
    ...configSchema.parse({
      EDU_ACTOR_PUBLIC_KEYS_DIR: publicKeysDir,
      EDU_MONGO_URL: endpoints().mongoUrl,
      EDU_KAFKA_BROKERS: endpoints().kafkaBrokers.join(','),
      EDU_KAFKA_TOPIC_PREFIX: topicPrefix,
      EDU_MONGO_DB: dbName,
      EDU_KAFKA_GROUP: uniqueName('roster-test'),
      EDU_LOG_LEVEL: process.env.EDU_TEST_LOG_LEVEL ?? 'silent',
    }),
    EDU_GRPC_PORT: 0,
    EDU_OPS_PORT: 0,
  };
  const logger = createLogger({ service: 'roster', level: config.EDU_LOG_LEVEL });
  const roster = createRosterService(config, logger, createMetrics('roster'));
  const lifecycle = new Lifecycle({ logger, components: roster.components });
  await lifecycle.start();
  const address = `127.0.0.1:${roster.ports().grpc}`;
  const proto = grpc.loadPackageDefinition(
    loadProto('edu/roster/v1/roster.proto'),
  ) as unknown as ProtoGrpcType;
  const client = createGrpcClient(proto.edu.roster.v1.RosterService, address, {
    idempotentMethods: ['GetSchool', 'ListSchools', 'GetAcademicYear', 'ListAcademicYears'],
  });
  const peopleProto = grpc.loadPackageDefinition(
    loadProto('edu/roster/v1/people.proto'),
  ) as unknown as PeopleProtoGrpcType;
  const people = createGrpcClient(peopleProto.edu.roster.v1.PeopleService, address, {
    idempotentMethods: ['GetPerson', 'ListPeople'],
  });
  const staffProto = grpc.loadPackageDefinition(
    loadProto('edu/roster/v1/staff.proto'),
  ) as unknown as StaffProtoGrpcType;
  const staff = createGrpcClient(staffProto.edu.roster.v1.StaffService, address, {
    idempotentMethods: ['ListStaff', 'ListPositionsOfPerson'],
  });
  const subgroupProto = grpc.loadPackageDefinition(
    loadProto('edu/roster/v1/subgroup.proto'),
  ) as unknown as SubgroupProtoGrpcType;
  const subgroups = createGrpcClient(subgroupProto.edu.roster.v1.SubgroupService, address, {
    idempotentMethods: ['ListSubgroups', 'GetSubgroup'],
  });
  const guardianshipProto = grpc.loadPackageDefinition(
    loadProto('edu/roster/v1/guardianship.proto'),
  ) as unknown as GuardianshipProtoGrpcType;
  const guardianship = createGrpcClient(guardianshipProto.edu.roster.v1.GuardianshipService, address, {
    idempotentMethods: ['ListGuardians', 'ListChildren'],
  });
  const store = await mongoose.createConnection(endpoints().mongoUrl, { dbName }).asPromise();
  return {
    client,
    people,
    guardianship,
    staff,
    subgroups,
    address,
    store,
    topic: `${topicPrefix}edu.roster.v1`,
    brokers: endpoints().kafkaBrokers,
    as: async (actor, idempotencyKey) => ({
      actorToken: await signer.sign(actor),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    }),
    async close() {
      client.close();
      people.close();
      guardianship.close();
      staff.close();
      subgroups.close();
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

/** A valid school card (fresh INN and OGRN) in the gRPC message's names. */
export function cardMessage(overrides: Record<string, unknown> = {}) {
  const card = schoolCardFixture(overrides);
  return {
    full_name: card.fullName,
    short_name: card.shortName,
    inn: card.inn,
    ogrn: card.ogrn,
    address: card.address,
    time_zone: card.timeZone,
    licence: {
      number: card.licence.number,
      issued_on: card.licence.issuedOn,
      issued_by: card.licence.issuedBy,
    },
    accreditation: { number: '', issued_on: '', valid_until: '' },
    municipality_id: card.municipalityId,
  };
}

/** The region operator: creates schools. */
export const operator: Actor = { accountId: 'acc-operator', schoolRoles: [], grants: ['regionOperator'] };

/** Someone with `role` in a school. */
export const staffOf = (schoolId: string, role: string, personId = `person-${role}`): Actor => ({
  accountId: `acc-${role}-${schoolId.slice(0, 8)}`,
  personId,
  schoolRoles: [{ schoolId, role }],
  grants: [],
});

/** The shared 2026/2027 plan as an OpenAcademicYear request for a school. */
export function planMessage(schoolId: string) {
  const plan = academicYearPlanFixture();
  const range = (d: { startsOn: string; endsOn: string }) => ({ starts_on: d.startsOn, ends_on: d.endsOn });
  return {
    school_id: schoolId,
    days: range(plan.days),
    holidays: plan.holidays.map((h) => ({ name: h.name, days: range(h.days) })),
    period_schemes: plan.periodSchemes.map((s) => ({
      grades: s.grades,
      kind: s.kind,
      periods: s.periods.map((p) => ({ number: p.number, days: range(p.days) })),
    })),
  };
}

/**
 * The shared plan two years earlier, 2024/2025 (1 September 2024 – 31 May 2025), as an
 * OpenAcademicYear request: a year whose last day has passed, so that it can be closed now.
 */
export function pastPlanMessage(schoolId: string) {
  const plan = planMessage(schoolId);
  return JSON.parse(
    JSON.stringify(plan).replace(/"(2026|2027)-/g, (_match, year: string) => `"${Number(year) - 2}-`),
  ) as typeof plan;
}

/** An event roster published, decoded, with its record bytes (to check what is not in them). */
export interface PublishedEvent {
  type: string;
  aggregateId: string;
  raw: Buffer;
  payload: unknown;
}

/**
 * Reads roster's topic from the start with a fresh group and keeps the events whose type
 * matches `types` (a prefix or a pattern), in order. `stop()` disconnects.
 */
export async function recordEvents(
  roster: RosterHarness,
  types: string | RegExp,
): Promise<{ published: PublishedEvent[]; stop(): Promise<void> }> {
  const codec = createEventCodec({
    protoFiles: [protoFile('edu/events/v1/roster.proto')],
    types: ROSTER_EVENT_TYPES,
  });
  const consumer = new Kafka({ brokers: roster.brokers, logLevel: logLevel.NOTHING }).consumer({
    groupId: uniqueName('events'),
  });
  const published: PublishedEvent[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: roster.topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const { envelope, payload } = codec.decode(message.value!);
      if (typeof types === 'string' ? envelope.type.startsWith(types) : types.test(envelope.type)) {
        published.push({
          type: envelope.type,
          aggregateId: envelope.aggregateId,
          raw: message.value!,
          payload,
        });
      }
    },
  });
  return { published, stop: () => consumer.disconnect() };
}
