import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {
  ActorVerifier,
  GrpcCallError,
  authorize,
  createGrpcServer,
  generateDevActorKeys,
  hasGrant,
  writeActorKeys,
  type Actor,
  type GrpcServer,
} from '@edu/grpc';
import { GRPC_STATUS, Lifecycle, createMetrics, loadConfig, notFound } from '@edu/kit';
import { loadProto } from '@edu/proto';
import { createEventCodec, createKafka, newEvent, type Kafka } from '@edu/events';
import { protoFile } from '@edu/proto';
import type { ProtoGrpcType as IdentityProtoGrpcType } from '@edu/proto/dist/generated/identity';
import type { ProtoGrpcType as GuardianshipProtoGrpcType } from '@edu/proto/dist/generated/guardianship';
import type { ProtoGrpcType as RosterProtoGrpcType } from '@edu/proto/dist/generated/roster';
import type { ProtoGrpcType as ScheduleProtoGrpcType } from '@edu/proto/dist/generated/schedule';
import type { ProtoGrpcType as StaffProtoGrpcType } from '@edu/proto/dist/generated/staff';
import type { ProtoGrpcType as SubgroupProtoGrpcType } from '@edu/proto/dist/generated/subgroup';
import { DEV_USERS, endpoints, passwordToken, uniqueTopicPrefix, waitFor } from '@edu/testing';
import { decodeJwt } from 'jose';
import { IDENTITY_EVENT_TYPES } from '../../src/entry-points/kafka/actor-invalidation';
import { createRosterClient } from '../../src/adapters/roster-client';
import { configSchema } from '../../src/config';
import { createGatewayService, type GatewayService } from '../../src/gateway.service';
import {
  captureLogs,
  guardianshipMessage,
  schoolMessage,
  staffPositionMessage,
  subgroupMessage,
  subjectMessage,
  teachingAssignmentMessage,
  validCard,
} from '../helpers';

type ProtoGrpcType = RosterProtoGrpcType &
  GuardianshipProtoGrpcType &
  StaffProtoGrpcType &
  SubgroupProtoGrpcType;

// The whole gateway as main.ts wires it (config from an env map, lifecycle, real ports 0), in
// front of identity, roster and schedule stand-ins: real gRPC servers built with @edu/grpc that
// verify the actor token with the public key, exactly as the services do. Tokens are real, from
// the local Keycloak; identity's events come through the real Kafka.

interface Seen {
  actor: Actor;
  traceId: string;
  idempotencyKey?: string;
}

describe('gateway component', () => {
  const keys = generateDevActorKeys('component');
  const keyDir = mkdtempSync(path.join(tmpdir(), 'gateway-keys-'));
  const { privateKeyFile } = writeActorKeys(keyDir, keys);
  const seen: Seen[] = [];
  let holdCreate: Promise<void> | undefined;
  let rosterServer: GrpcServer;
  let identityServer: GrpcServer;
  /** Keycloak sub → the grants identity's stand-in gives; who asked ResolveActor for whom. */
  const grantsOf = new Map<string, string[]>();
  const resolved: { sub: string; caller: string }[] = [];
  const topicPrefix = uniqueTopicPrefix();
  let kafka: Kafka;
  let scheduleServer: GrpcServer;
  let scheduleRunning = false;
  let gateway: GatewayService;
  let lifecycle: Lifecycle;
  const logs = captureLogs();
  let operatorToken: string;
  let teacherToken: string;
  let url: string;

  beforeAll(async () => {
    // One definition of package edu.roster.v1 with every service roster serves, as roster loads it.
    const rosterPackage = loadProto(
      'edu/roster/v1/roster.proto',
      'edu/roster/v1/guardianship.proto',
      'edu/roster/v1/staff.proto',
      'edu/roster/v1/subgroup.proto',
    );
    const proto = grpc.loadPackageDefinition(rosterPackage) as unknown as ProtoGrpcType;
    rosterServer = createGrpcServer({
      logger: captureLogs().logger,
      metrics: createMetrics('roster-stand-in'),
      actorVerifier: new ActorVerifier({ publicKeys: { [keys.kid]: keys.publicKeyPem } }),
      packageDefinitions: [rosterPackage],
    });
    rosterServer.addService(proto.edu.roster.v1.RosterService.service, {
      // The rest of roster's API is covered by the unit tests and e2e; here it is not found.
      ...notServed(proto.edu.roster.v1.RosterService.service),
      CreateSchool: async (request, ctx) => {
        seen.push({ actor: ctx.actor, traceId: ctx.traceId, idempotencyKey: ctx.idempotencyKey });
        await holdCreate;
        return { school: { ...schoolMessage(), ...request.school, id: 'school-77', version: '1' } };
      },
      GetSchool: async (request) => {
        throw notFound('school.not_found', `Школа ${request.id} не найдена`);
      },
      ListSchools: async (_request, ctx) => {
        authorize(ctx.actor, hasGrant(ctx.actor, 'regionOperator'), {
          action: 'school.list',
          object: 'schools',
          logger: ctx.logger,
        });
        return { schools: [schoolMessage()], next_page_token: '' };
      },
    });
    // Roster's other services, one method each: enough to show the client reaches each of them.
    rosterServer.addService(proto.edu.roster.v1.GuardianshipService.service, {
      ...notServed(proto.edu.roster.v1.GuardianshipService.service),
      ListGuardians: async (request, ctx) => {
        seen.push({ actor: ctx.actor, traceId: ctx.traceId });
        return {
          guardians: [
            {
              guardianship: guardianshipMessage({ student_id: request.student_id }),
              guardian: {
                id: 'guardian-1',
                school_id: 'school-1',
                last_name: 'Иванова',
                first_name: 'Мария',
              },
            },
          ],
        };
      },
    });
    rosterServer.addService(proto.edu.roster.v1.StaffService.service, {
      ...notServed(proto.edu.roster.v1.StaffService.service),
      HireStaff: async (request, ctx) => {
        seen.push({ actor: ctx.actor, traceId: ctx.traceId, idempotencyKey: ctx.idempotencyKey });
        return { position: staffPositionMessage({ school_id: request.school_id, rate: request.rate }) };
      },
    });
    rosterServer.addService(proto.edu.roster.v1.SubgroupService.service, {
      ...notServed(proto.edu.roster.v1.SubgroupService.service),
      GetSubgroup: async (request, ctx) => {
        authorize(ctx.actor, hasGrant(ctx.actor, 'regionOperator'), {
          action: 'subgroup.read',
          object: `subgroup:${request.id}`,
          logger: ctx.logger,
        });
        return { subgroup: subgroupMessage({ id: request.id }) };
      },
    });
    const rosterPort = await rosterServer.start('127.0.0.1', 0);

    // Identity: answers ResolveActor for the gateway's service actor only, as identity does.
    const identityPackage = loadProto('edu/identity/v1/identity.proto');
    const identityProto = grpc.loadPackageDefinition(identityPackage) as unknown as IdentityProtoGrpcType;
    identityServer = createGrpcServer({
      logger: captureLogs().logger,
      metrics: createMetrics('identity-stand-in'),
      actorVerifier: new ActorVerifier({ publicKeys: { [keys.kid]: keys.publicKeyPem } }),
      packageDefinitions: [identityPackage],
    });
    identityServer.addService(identityProto.edu.identity.v1.IdentityService.service, {
      ...notServed(identityProto.edu.identity.v1.IdentityService.service),
      ResolveActor: async (request, ctx) => {
        authorize(ctx.actor, hasGrant(ctx.actor, 'service:gateway'), {
          action: 'actor.resolve',
          object: `account:${request.keycloak_sub}`,
          logger: ctx.logger,
        });
        resolved.push({ sub: request.keycloak_sub, caller: ctx.actor.accountId });
        return {
          account_id: request.keycloak_sub,
          person_id: '',
          school_roles: [],
          grants: grantsOf.get(request.keycloak_sub) ?? [],
          version: '1',
        };
      },
    });
    const identityPort = await identityServer.start('127.0.0.1', 0);

    const schedulePackage = loadProto('edu/schedule/v1/schedule.proto');
    const scheduleProto = grpc.loadPackageDefinition(schedulePackage) as unknown as ScheduleProtoGrpcType;
    scheduleServer = createGrpcServer({
      logger: captureLogs().logger,
      metrics: createMetrics('schedule-stand-in'),
      actorVerifier: new ActorVerifier({ publicKeys: { [keys.kid]: keys.publicKeyPem } }),
      packageDefinitions: [schedulePackage],
    });
    scheduleServer.addService(scheduleProto.edu.schedule.v1.ScheduleService.service, {
      ...notServed(scheduleProto.edu.schedule.v1.ScheduleService.service),
      ListSubjects: async (request, ctx) => {
        seen.push({ actor: ctx.actor, traceId: ctx.traceId });
        return { subjects: [subjectMessage()] };
      },
      AssignTeacher: async (request, ctx) => {
        authorize(ctx.actor, hasGrant(ctx.actor, 'regionOperator'), {
          action: 'assignment.create',
          object: `school:${request.school_id}`,
          logger: ctx.logger,
        });
        seen.push({ actor: ctx.actor, traceId: ctx.traceId, idempotencyKey: ctx.idempotencyKey });
        return {
          assignment: teachingAssignmentMessage({
            school_id: request.school_id,
            hours_per_week: request.hours_per_week,
          }),
        };
      },
    });
    const schedulePort = await scheduleServer.start('127.0.0.1', 0);
    scheduleRunning = true;

    const config = loadConfig(configSchema, {
      EDU_HTTP_PORT: '0',
      EDU_OPS_PORT: '0',
      EDU_KEYCLOAK_URL: endpoints().keycloakUrl,
      EDU_ROSTER_GRPC: `127.0.0.1:${rosterPort}`,
      EDU_SCHEDULE_GRPC: `127.0.0.1:${schedulePort}`,
      EDU_IDENTITY_GRPC: `127.0.0.1:${identityPort}`,
      EDU_KAFKA_BROKERS: endpoints().kafkaBrokers.join(','),
      EDU_KAFKA_TOPIC_PREFIX: topicPrefix,
      EDU_GATEWAY_INSTANCE: `component-${process.pid}`,
      EDU_ACTOR_PRIVATE_KEY_FILE: privateKeyFile,
      EDU_ACTOR_KEY_ID: keys.kid,
      EDU_LOG_LEVEL: 'debug',
    });
    gateway = createGatewayService(config, logs.logger, createMetrics('gateway'));
    lifecycle = new Lifecycle({
      logger: logs.logger,
      components: gateway.components,
      onShutdownStart: gateway.onShutdownStart,
    });
    await lifecycle.start();
    url = `http://127.0.0.1:${gateway.ports().http}`;
    [operatorToken, teacherToken] = await Promise.all([
      passwordToken(DEV_USERS.operator.username, DEV_USERS.operator.password).then((t) => t.access_token),
      passwordToken(DEV_USERS.teacher.username, DEV_USERS.teacher.password).then((t) => t.access_token),
    ]);
    grantsOf.set(String(decodeJwt(operatorToken).sub), ['regionOperator']);
    kafka = createKafka({
      brokers: endpoints().kafkaBrokers,
      clientId: 'gateway-component',
      logger: logs.logger,
    });
  });

  afterAll(async () => {
    await lifecycle.shutdown();
    await rosterServer.stop(1_000);
    await identityServer.stop(1_000);
    if (scheduleRunning) await scheduleServer.stop(1_000);
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('when started on port 0, then it logs "gateway listening" with the bound port, and is ready', async () => {
    const listening = logs.lines().find((line) => line.msg === 'gateway listening');

    const ready = await fetch(`http://127.0.0.1:${gateway.ports().ops}/readyz`);

    expect(listening).toMatchObject({ port: gateway.ports().http });
    expect(gateway.ports().http).toBeGreaterThan(0);
    expect(ready.status).toBe(200);
  });

  it('when the operator creates a school, then roster verifies the signed actor and gets the trace id and idempotency key', async () => {
    const response = await fetch(`${url}/api/v1/schools`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${operatorToken}`,
        'content-type': 'application/json',
        'idempotency-key': 'component-create-1',
        'x-request-id': 'component-trace-1',
      },
      body: JSON.stringify(validCard),
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/v1/schools/school-77');
    expect(await response.json()).toMatchObject({ id: 'school-77', inn: validCard.inn, version: 1 });
    expect(seen.at(-1)).toMatchObject({
      actor: { grants: ['regionOperator'] },
      traceId: 'component-trace-1',
      idempotencyKey: 'component-create-1',
    });
  });

  it('when roster answers a domain error over gRPC, then the client gets it as problem+json', async () => {
    const response = await fetch(`${url}/api/v1/schools/missing-1`, {
      headers: { authorization: `Bearer ${operatorToken}` },
    });

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      code: 'school.not_found',
      detail: 'Школа missing-1 не найдена',
    });
  });

  it('when a teacher lists schools and roster refuses, then 403 problem+json', async () => {
    const response = await fetch(`${url}/api/v1/schools`, {
      headers: { authorization: `Bearer ${teacherToken}` },
    });

    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ code: 'access.denied' });
  });

  it("when guardians are listed, a teacher hired and a subgroup read, then each reaches roster's own service over gRPC, and its refusal is 403", async () => {
    const headers = { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' };

    const guardians = await fetch(`${url}/api/v1/people/person-1/guardians`, { headers });
    const hired = await fetch(`${url}/api/v1/schools/school-1/staff-positions`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': 'component-hire-1' },
      body: JSON.stringify({
        personId: 'staff-1',
        kind: 'teacher',
        rate: 0.75,
        hiredOn: '2026-09-01',
        order: { number: '15-к', date: '2026-08-25', title: 'О приёме на работу' },
      }),
    });
    const refused = await fetch(`${url}/api/v1/subgroups/subgroup-1`, {
      headers: { authorization: `Bearer ${teacherToken}` },
    });

    expect(guardians.status).toBe(200);
    expect(await guardians.json()).toMatchObject({
      items: [{ guardianship: { studentId: 'person-1', version: 1 }, guardian: { lastName: 'Иванова' } }],
    });
    expect(hired.status).toBe(201);
    expect(await hired.json()).toMatchObject({ schoolId: 'school-1', rate: 0.75 });
    expect(seen.at(-1)).toMatchObject({ idempotencyKey: 'component-hire-1' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'access.denied' });
  });

  it('when roster cannot be reached, then the client gets GrpcCallError UNAVAILABLE (503 at the gateway)', async () => {
    const unreachable = createRosterClient({ address: '127.0.0.1:1', deadlineMs: 1_000 });
    try {
      const call = unreachable.getSchool({ id: 'x' }, { actorToken: 'unused', traceId: 't' });

      await expect(call).rejects.toBeInstanceOf(GrpcCallError);
      await expect(call).rejects.toMatchObject({ code: GRPC_STATUS.UNAVAILABLE });
    } finally {
      unreachable.close();
    }
  });

  it('when subjects are listed and a teacher assigned, then each reaches schedule over gRPC with the signed actor, trace id and idempotency key; a refusal is 403', async () => {
    const headers = { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' };
    const assignment = {
      academicYearId: 'year-1',
      teacherId: 'staff-1',
      classId: 'class-1',
      subjectId: 'subject-math',
      hoursPerWeek: 4.5,
    };

    const subjects = await fetch(`${url}/api/v1/schools/school-1/subjects`, {
      headers: { ...headers, 'x-request-id': 'component-subjects-1' },
    });
    const listed = seen.at(-1);
    const assigned = await fetch(`${url}/api/v1/schools/school-1/teaching-assignments`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': 'component-assign-1' },
      body: JSON.stringify(assignment),
    });
    const refused = await fetch(`${url}/api/v1/schools/school-1/teaching-assignments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${teacherToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(assignment),
    });

    expect(subjects.status).toBe(200);
    expect(await subjects.json()).toMatchObject({ items: [{ id: 'subject-math', version: 1 }] });
    expect(listed).toMatchObject({ actor: { grants: ['regionOperator'] }, traceId: 'component-subjects-1' });
    expect(assigned.status).toBe(201);
    expect(assigned.headers.get('location')).toBe('/api/v1/teaching-assignments/assignment-1');
    expect(await assigned.json()).toMatchObject({ schoolId: 'school-1', hoursPerWeek: 4.5, version: 1 });
    expect(seen.at(-1)).toMatchObject({ idempotencyKey: 'component-assign-1' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'access.denied' });
  });

  it('when schedule goes away, then the gateway stays ready, its routes answer 503 problem+json and roster’s still answer', async () => {
    await scheduleServer.stop(1_000);
    scheduleRunning = false;
    const headers = { authorization: `Bearer ${operatorToken}` };

    const subjects = await fetch(`${url}/api/v1/schools/school-1/subjects`, { headers });
    const guardians = await fetch(`${url}/api/v1/people/person-1/guardians`, { headers });
    const ready = await fetch(`http://127.0.0.1:${gateway.ports().ops}/readyz`);

    expect(subjects.status).toBe(503);
    expect(subjects.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await subjects.json()).toMatchObject({ code: 'grpc.unavailable' });
    expect(guardians.status).toBe(200);
    expect(ready.status).toBe(200);
  });

  // Last: it shuts the gateway down.
  it('when identity publishes that an account changed, then the gateway drops its cached actor and the next request has the new one', async () => {
    // The consumer starts in the background (Kafka being away must not stop the gateway).
    await waitFor(() => logs.lines().some((line) => line.msg === 'listening to identity events'), {
      what: 'the gateway listening to identity events',
      timeoutMs: 30_000,
    });
    const teacherSub = String(decodeJwt(teacherToken).sub);
    const listSchools = () =>
      fetch(`${url}/api/v1/schools`, { headers: { authorization: `Bearer ${teacherToken}` } });
    expect((await listSchools()).status).toBe(403);
    const asked = resolved.filter((r) => r.sub === teacherSub).length;
    expect((await listSchools()).status).toBe(403);
    // Cached: identity is not asked again; it was asked by the gateway's own service actor.
    expect(resolved.filter((r) => r.sub === teacherSub)).toHaveLength(asked);
    expect(resolved.find((r) => r.sub === teacherSub)?.caller).toBe('service:gateway');

    grantsOf.set(teacherSub, ['regionOperator']);
    const codec = createEventCodec({
      protoFiles: [protoFile('edu/events/v1/identity.proto')],
      types: IDENTITY_EVENT_TYPES,
    });
    const event = newEvent({
      type: 'edu.identity.grant.given',
      schoolId: 'region',
      aggregateId: teacherSub,
      aggregateVersion: 2,
      actor: { accountId: 'operator', personId: '' },
      traceId: 'component-grant',
      payload: { grant_id: 'grant-1', account_id: teacherSub, role: 'regionOperator', scope_id: '' },
    });
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: `${topicPrefix}edu.identity.v1`,
        acks: -1,
        messages: [
          { key: 'region', value: codec.encode(event), headers: { type: event.type, id: event.id } },
        ],
      });
    } finally {
      await producer.disconnect();
    }

    await waitFor(async () => (await listSchools()).status === 200, {
      what: "the teacher's new grant at the gateway",
      timeoutMs: 30_000,
    });
    expect(resolved.filter((r) => r.sub === teacherSub).length).toBeGreaterThan(asked);
  });

  it('when shut down with a create in flight, then that request still gets its 201 and the shutdown is clean', async () => {
    let release: () => void = () => undefined;
    holdCreate = new Promise((resolve) => (release = resolve));
    const seenBefore = seen.length;
    const inFlight = fetch(`${url}/api/v1/schools`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(validCard),
    });
    while (seen.length === seenBefore) await new Promise((resolve) => setTimeout(resolve, 10));

    const shutdown = lifecycle.shutdown();
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();

    expect((await inFlight).status).toBe(201);
    expect(await shutdown).toBe('clean');
    await expect(fetch(`${url}/api/v1/schools`)).rejects.toThrow();
  });
});

/** Handlers that answer NOT_FOUND for every method of a service, for a stand-in to override. */
function notServed<T>(service: grpc.ServiceDefinition): T {
  return Object.fromEntries(
    Object.keys(service).map((method) => [
      method,
      async () => {
        throw notFound('stand_in.not_served', `${method}: не входит в эту заглушку`);
      },
    ]),
  ) as T;
}
