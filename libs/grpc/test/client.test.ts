import * as grpc from '@grpc/grpc-js';
import { runWithContext, unavailable } from '@edu/kit';
import { GrpcCallError, createGrpcClient, problemFromGrpcError, type Actor } from '../src';
import { TestService, signer, startTestServer, stopAll } from './helpers';

const actor: Actor = { accountId: 'acc-1', schoolRoles: [], grants: [] };

async function callError(promise: Promise<unknown>): Promise<GrpcCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GrpcCallError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

// A server that answers UNAVAILABLE `failures` times per method, then OK, counting attempts.
async function flakyServer(failures: number) {
  const attempts = { Echo: 0, Create: 0 };
  const answer = (method: keyof typeof attempts) => async () => {
    attempts[method] += 1;
    if (attempts[method] <= failures) throw unavailable('store.down', 'Хранилище недоступно');
    return { text: 'ok' };
  };
  const running = await startTestServer({ Echo: answer('Echo'), Create: answer('Create') });
  return { ...running, attempts };
}

describe('createGrpcClient', () => {
  const clients: { close(): void }[] = [];
  afterEach(async () => {
    clients.splice(0).forEach((created) => created.close());
    await stopAll();
  });
  function client(address: string) {
    const created = createGrpcClient(TestService, address, { idempotentMethods: ['Echo'], backoffMs: 20 });
    clients.push(created);
    return created;
  }

  test('when an idempotent method meets UNAVAILABLE twice, then the client retries and succeeds on the third attempt', async () => {
    const { address, attempts } = await flakyServer(2);

    const reply = await client(address).Echo({}, { actorToken: await signer.sign(actor) });

    expect(reply.text).toBe('ok');
    expect(attempts.Echo).toBe(3);
  });

  test('when a non-idempotent method meets UNAVAILABLE, then it is not retried', async () => {
    const { address, attempts } = await flakyServer(2);

    const error = await callError(client(address).Create({}, { actorToken: await signer.sign(actor) }));

    expect(error.code).toBe(grpc.status.UNAVAILABLE);
    expect(attempts.Create).toBe(1);
  });

  test('when a command carries an idempotency key, then it is retried like an idempotent method', async () => {
    const { address, attempts } = await flakyServer(1);

    const reply = await client(address).Create(
      {},
      { actorToken: await signer.sign(actor), idempotencyKey: 'create-1' },
    );

    expect(reply.text).toBe('ok');
    expect(attempts.Create).toBe(2);
  });

  test('when UNAVAILABLE persists, then the client gives up after the configured retries', async () => {
    const { address, attempts } = await flakyServer(10);

    const error = await callError(client(address).Echo({}, { actorToken: await signer.sign(actor) }));

    expect(error.code).toBe(grpc.status.UNAVAILABLE);
    expect(error.domainError?.code).toBe('store.down');
    expect(attempts.Echo).toBe(4);
    expect(problemFromGrpcError(error)).toMatchObject({ status: 503, code: 'store.down' });
  });

  test('when nothing listens at the address, then the call fails UNAVAILABLE within its deadline', async () => {
    const created = createGrpcClient(TestService, '127.0.0.1:1', {
      deadlineMs: 500,
      retries: 1,
      backoffMs: 20,
    });
    clients.push(created);

    const started = Date.now();
    const error = await callError(created.Echo({}));

    expect([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED]).toContain(error.code);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(problemFromGrpcError(error, '/api/x')).toMatchObject({ instance: '/api/x', type: 'about:blank' });
  });

  test('when a call is made inside a request context, then its trace id goes along without being passed', async () => {
    const { address } = await startTestServer({ Echo: async (_request, ctx) => ({ trace_id: ctx.traceId }) });
    const echo = client(address);
    const token = await signer.sign(actor);

    const reply = await runWithContext({ traceId: 'trace-from-context' }, () =>
      echo.Echo({}, { actorToken: token }),
    );

    expect(reply.trace_id).toBe('trace-from-context');
  });

  test('when something other than a call failed, then the problem is a generic 500', () => {
    expect(problemFromGrpcError(new TypeError('boom'))).toMatchObject({
      status: 500,
      title: 'Внутренняя ошибка',
    });
  });
});
