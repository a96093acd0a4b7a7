import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { invalid, notFound } from '@edu/kit';
import { grpcHealthStatus, grpcReflectedServices } from '@edu/testing';
import {
  ActorSigner,
  GrpcCallError,
  callOptionsFrom,
  createGrpcClient,
  deriveDeadline,
  generateDevActorKeys,
  problemFromGrpcError,
  type Actor,
  type CallContext,
} from '../src';
import { TestService, delay, metricValue, signer, startTestServer, stopAll } from './helpers';

const teacher: Actor = {
  accountId: 'acc-1',
  personId: 'person-1',
  schoolRoles: [{ schoolId: 'school-1', role: 'teacher' }],
  grants: [],
};

async function callError(promise: Promise<unknown>): Promise<GrpcCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GrpcCallError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const clients: { close(): void }[] = [];
function client(address: string, options: Parameters<typeof createGrpcClient>[2] = {}) {
  const created = createGrpcClient(TestService, address, { idempotentMethods: ['Echo'], ...options });
  clients.push(created);
  return created;
}

afterEach(async () => {
  clients.splice(0).forEach((created) => created.close());
  await stopAll();
});

describe('actor verification', () => {
  test('when a call has no actor metadata, then it is refused with UNAUTHENTICATED and logged as a security event', async () => {
    let handlerRan = false;
    const { address, logs, metrics } = await startTestServer({
      Echo: async () => {
        handlerRan = true;
        return {};
      },
    });

    const error = await callError(client(address).Echo({ text: 'hi' }));

    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(error.domainError).toMatchObject({ code: 'auth.actor_missing', kind: 'unauthenticated' });
    expect(handlerRan).toBe(false);
    expect(logs()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        event: 'actor_rejected',
        reason: 'missing',
        method: 'edu.test.v1.TestService/Echo',
        code: 'UNAUTHENTICATED',
      }),
    );
    expect(
      await metricValue(metrics, 'grpc_server_handled_total', {
        method: 'edu.test.v1.TestService/Echo',
        code: 'UNAUTHENTICATED',
      }),
    ).toBe(1);
  });

  test('when the actor is signed by another key, then it is refused with UNAUTHENTICATED and the token is not logged', async () => {
    const { address, logs } = await startTestServer({ Echo: async () => ({}) });
    const intruder = generateDevActorKeys('k1');
    const forged = await new ActorSigner({ privateKey: intruder.privateKeyPem, kid: intruder.kid }).sign({
      ...teacher,
      grants: ['regionOperator'],
    });

    const error = await callError(client(address).Echo({ text: 'hi' }, { actorToken: forged }));

    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(logs()).toContainEqual(expect.objectContaining({ event: 'actor_rejected', reason: 'invalid' }));
    expect(JSON.stringify(logs())).not.toContain(forged);
  });

  test('when the actor is valid, then the call succeeds and the handler sees the actor and the trace id', async () => {
    let seen: CallContext<Actor | undefined> | undefined;
    const { address, logs } = await startTestServer({
      Echo: async (request, ctx) => {
        seen = ctx;
        ctx.logger.info('inside the handler');
        return { text: request.text, account_id: ctx.actor?.accountId ?? '', trace_id: ctx.traceId };
      },
    });
    const token = await signer.sign(teacher, { traceId: 'trace-abc' });

    const reply = await client(address).Echo(
      { text: 'привет' },
      { actorToken: token, traceId: 'trace-abc', idempotencyKey: 'key-1' },
    );

    expect(reply).toEqual({ text: 'привет', account_id: 'acc-1', trace_id: 'trace-abc' });
    expect(seen?.actor).toEqual(teacher);
    expect(seen?.idempotencyKey).toBe('key-1');
    expect(seen?.deadline).toBeInstanceOf(Date);
    expect(logs()).toContainEqual(
      expect.objectContaining({ msg: 'inside the handler', traceId: 'trace-abc' }),
    );
    expect(logs()).toContainEqual(
      expect.objectContaining({ msg: 'grpc call', code: 'OK', traceId: 'trace-abc', ms: expect.any(Number) }),
    );
  });

  test('when the caller sends no trace id, then the server makes one', async () => {
    const { address } = await startTestServer({ Echo: async (_request, ctx) => ({ trace_id: ctx.traceId }) });

    const reply = await client(address).Echo({}, { actorToken: await signer.sign(teacher) });

    expect(reply.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });

  test('when a service is public, then it is called without an actor, but a bad actor is still refused', async () => {
    const { address } = await startTestServer(
      { Echo: async (_request, ctx) => ({ account_id: ctx.actor?.accountId ?? 'anonymous' }) },
      { public: true },
    );

    expect(await client(address).Echo({})).toMatchObject({ account_id: 'anonymous' });
    const error = await callError(client(address).Echo({}, { actorToken: 'forged' }));
    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
  });
});

describe('health and reflection', () => {
  test('when grpc.health.v1 Check is called without an actor, then the server and the service are SERVING', async () => {
    const { address, server } = await startTestServer({});

    expect(await grpcHealthStatus(address)).toBe('SERVING');
    expect(await grpcHealthStatus(address, 'edu.test.v1.TestService')).toBe('SERVING');
    server.setServing('edu.test.v1.TestService', false);
    expect(await grpcHealthStatus(address, 'edu.test.v1.TestService')).toBe('NOT_SERVING');
  });

  test.each(['v1', 'v1alpha'] as const)(
    'when reflection %s is asked to list services without an actor, then it names the test service and health',
    async (version) => {
      const { address } = await startTestServer({});

      const names = await grpcReflectedServices(address, version);

      expect(names).toEqual(expect.arrayContaining(['edu.test.v1.TestService', 'grpc.health.v1.Health']));
    },
  );
});

describe('errors', () => {
  test('when a handler throws a DomainError, then the client gets its status, code, kind and Russian title', async () => {
    const { address, logs } = await startTestServer({
      Echo: async () => {
        throw notFound('school.not_found', 'Школа с таким идентификатором не найдена');
      },
    });

    const error = await callError(client(address).Echo({}, { actorToken: await signer.sign(teacher) }));

    expect(error.code).toBe(grpc.status.NOT_FOUND);
    expect(error.codeName).toBe('NOT_FOUND');
    expect(error.details).toBe('Школа с таким идентификатором не найдена');
    expect(error.domainError).toMatchObject({
      code: 'school.not_found',
      kind: 'not_found',
      title: 'Не найдено',
      detail: 'Школа с таким идентификатором не найдена',
    });
    expect(problemFromGrpcError(error, '/api/schools/42')).toEqual({
      type: 'https://edu.example/problems/school.not_found',
      title: 'Не найдено',
      status: 404,
      detail: 'Школа с таким идентификатором не найдена',
      code: 'school.not_found',
      instance: '/api/schools/42',
    });
    expect(logs()).toContainEqual(
      expect.objectContaining({ level: 'info', msg: 'grpc call', code: 'NOT_FOUND' }),
    );
  });

  test('when an invalid DomainError names fields, then the field errors reach the client', async () => {
    const { address } = await startTestServer({
      Create: async () => {
        throw invalid('school.invalid', 'Проверьте данные школы', [
          { field: 'inn', message: 'ИНН должен состоять из 10 цифр' },
        ]);
      },
    });

    const error = await callError(client(address).Create({}, { actorToken: await signer.sign(teacher) }));

    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(problemFromGrpcError(error)).toMatchObject({
      status: 400,
      errors: [{ field: 'inn', message: 'ИНН должен состоять из 10 цифр' }],
    });
  });

  test('when a handler fails unexpectedly, then the client gets INTERNAL without internals and the server logs the stack', async () => {
    const { address, logs } = await startTestServer({
      Echo: async () => {
        throw new Error('E11000 duplicate key in mongodb://admin:secret@db');
      },
    });

    const error = await callError(client(address).Echo({}, { actorToken: await signer.sign(teacher) }));

    expect(error.code).toBe(grpc.status.INTERNAL);
    expect(error.details).toBe('Внутренняя ошибка');
    expect(error.domainError).toBeUndefined();
    expect(JSON.stringify(problemFromGrpcError(error))).not.toContain('secret');
    const line = logs().find((entry) => entry.msg === 'grpc call');
    expect(line).toMatchObject({ level: 'error', code: 'INTERNAL' });
    expect(JSON.stringify(line)).toContain('E11000');
  });
});

describe('deadlines', () => {
  test('when a handler is slower than the client deadline, then the client gets DEADLINE_EXCEEDED and the handler is told', async () => {
    let aborted: Promise<boolean> | undefined;
    const { address, metrics } = await startTestServer({
      Echo: async (request, ctx) => {
        aborted = new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(true)));
        await delay(request.delay_ms);
        return {};
      },
    });

    const started = Date.now();
    const error = await callError(
      client(address, { deadlineMs: 150 }).Echo(
        { delay_ms: 600 },
        { actorToken: await signer.sign(teacher) },
      ),
    );

    expect(error.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeLessThan(550);
    expect(await aborted).toBe(true);
    await delay(600);
    expect(
      await metricValue(metrics, 'grpc_server_handled_total', {
        method: 'edu.test.v1.TestService/Echo',
        code: 'DEADLINE_EXCEEDED',
      }),
    ).toBe(1);
  });

  test('when a handler calls another service, then actor, trace id and a shorter deadline are passed on', async () => {
    let downstream: CallContext<Actor | undefined> | undefined;
    const inner = await startTestServer({
      Echo: async (_request, ctx) => {
        downstream = ctx;
        return { account_id: ctx.actor?.accountId ?? '' };
      },
    });
    let upstreamDeadline: Date | undefined;
    const innerClient = client(inner.address);
    const outer = await startTestServer({
      Echo: async (request, ctx) => {
        upstreamDeadline = ctx.deadline;
        return innerClient.Echo(request, callOptionsFrom(ctx));
      },
    });

    const reply = await client(outer.address, { deadlineMs: 3000 }).Echo(
      {},
      { actorToken: await signer.sign(teacher), traceId: 'trace-chain' },
    );

    expect(reply.account_id).toBe('acc-1');
    expect(downstream?.traceId).toBe('trace-chain');
    expect(downstream?.actor).toEqual(teacher);
    expect(downstream?.deadline?.getTime()).toBeLessThan(upstreamDeadline?.getTime() ?? 0);
  });

  test('a derived deadline keeps a reserve before the caller’s and is capped', () => {
    const parent = new Date(Date.now() + 1000);

    expect(deriveDeadline(parent, { reserveMs: 50 }).getTime()).toBe(parent.getTime() - 50);
    expect(deriveDeadline(new Date(Date.now() + 60_000), { maxMs: 2000 }).getTime()).toBeLessThanOrEqual(
      Date.now() + 2000,
    );
    expect(deriveDeadline(undefined).getTime()).toBeGreaterThan(Date.now());
  });
});

describe('shutdown', () => {
  test('when stop is called during a call, then the call finishes and stop resolves after it', async () => {
    let handlerStarted!: () => void;
    const inHandler = new Promise<void>((resolve) => (handlerStarted = resolve));
    let handlerFinished = false;
    const { address, server } = await startTestServer({
      Echo: async (request) => {
        handlerStarted();
        await delay(request.delay_ms);
        handlerFinished = true;
        return { text: 'done' };
      },
    });
    const call = client(address).Echo({ delay_ms: 300 }, { actorToken: await signer.sign(teacher) });
    await inHandler;

    await server.stop(5000);

    expect(handlerFinished).toBe(true);
    expect(await call).toEqual({ text: 'done', account_id: '', trace_id: '' });
  });

  test('when a call outlives the grace period, then stop cuts it and returns', async () => {
    let handlerSignal: AbortSignal | undefined;
    let handlerStarted!: () => void;
    const inHandler = new Promise<void>((resolve) => (handlerStarted = resolve));
    const { address, server } = await startTestServer({
      Echo: async (request, ctx) => {
        handlerSignal = ctx.signal;
        handlerStarted();
        await sleep(request.delay_ms, undefined, { signal: ctx.signal }).catch(() => undefined);
        return {};
      },
    });
    const call = callError(
      client(address).Echo({ delay_ms: 3000 }, { actorToken: await signer.sign(teacher) }),
    );
    await inHandler;

    const started = Date.now();
    await server.stop(100);

    expect(Date.now() - started).toBeLessThan(1000);
    expect(handlerSignal?.aborted).toBe(true);
    expect([grpc.status.UNAVAILABLE, grpc.status.CANCELLED, grpc.status.INTERNAL]).toContain(
      (await call).code,
    );
  });
});
