import { Lifecycle, createLogger, runService, type Component } from '../src';

const logger = createLogger({ service: 'test', level: 'silent' });

function recorder() {
  const events: string[] = [];
  const component = (
    name: string,
    behaviour: { failStart?: boolean; failStop?: boolean; stopMs?: number } = {},
  ) =>
    ({
      name,
      async start() {
        if (behaviour.failStart) throw new Error(`${name} cannot start`);
        events.push(`start ${name}`);
      },
      async stop() {
        if (behaviour.stopMs) await new Promise((resolve) => setTimeout(resolve, behaviour.stopMs));
        if (behaviour.failStop) throw new Error(`${name} cannot stop`);
        events.push(`stop ${name}`);
      },
    }) satisfies Component;
  return { events, component };
}

describe('Lifecycle', () => {
  test('when shut down, then readiness goes first and components stop in reverse order', async () => {
    const { events, component } = recorder();
    const lifecycle = new Lifecycle({
      logger,
      components: [component('store'), component('kafka'), component('grpc')],
      onShutdownStart: () => void events.push('not ready'),
    });

    await lifecycle.start();
    const outcome = await lifecycle.shutdown();

    expect(outcome).toBe('clean');
    expect(events).toEqual([
      'start store',
      'start kafka',
      'start grpc',
      'not ready',
      'stop grpc',
      'stop kafka',
      'stop store',
    ]);
  });

  test('when a component fails to start, then the started ones are stopped in reverse and start rejects', async () => {
    const { events, component } = recorder();
    const lifecycle = new Lifecycle({
      logger,
      components: [
        component('store'),
        component('kafka'),
        component('grpc', { failStart: true }),
        component('ops'),
      ],
    });

    await expect(lifecycle.start()).rejects.toThrow('grpc cannot start');
    expect(events).toEqual(['start store', 'start kafka', 'stop kafka', 'stop store']);
  });

  test('when a stop fails, then the others still stop and the outcome is error', async () => {
    const { events, component } = recorder();
    const lifecycle = new Lifecycle({
      logger,
      components: [component('store'), component('kafka', { failStop: true }), component('grpc')],
    });

    await lifecycle.start();

    expect(await lifecycle.shutdown()).toBe('error');
    expect(events.filter((event) => event.startsWith('stop'))).toEqual(['stop grpc', 'stop store']);
  });

  test('when stopping takes longer than the timeout, then the outcome is timeout', async () => {
    const { component } = recorder();
    const lifecycle = new Lifecycle({
      logger,
      components: [component('slow', { stopMs: 500 })],
      shutdownTimeoutMs: 50,
    });
    await lifecycle.start();

    const started = Date.now();
    expect(await lifecycle.shutdown()).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(400);
  });

  test('when shutdown is asked twice, then components stop once', async () => {
    const { events, component } = recorder();
    const lifecycle = new Lifecycle({ logger, components: [component('grpc')] });
    await lifecycle.start();

    await Promise.all([lifecycle.shutdown(), lifecycle.shutdown()]);

    expect(events).toEqual(['start grpc', 'stop grpc']);
  });
});

describe('runService', () => {
  afterEach(() => jest.restoreAllMocks());

  test('when the signal arrives, then it shuts down and exits 0', async () => {
    const { events, component } = recorder();
    const exited = new Promise<number | undefined>((resolve) => {
      jest.spyOn(process, 'exit').mockImplementation((code) => {
        resolve(code === undefined || code === null ? undefined : Number(code));
        return undefined as never;
      });
    });
    // A signal name nobody else listens to, so the test cannot stop jest itself.
    await runService({ logger, components: [component('a'), component('b')], signals: ['SIGUSR2'] });

    process.emit('SIGUSR2', 'SIGUSR2');

    expect(await exited).toBe(0);
    expect(events).toEqual(['start a', 'start b', 'stop b', 'stop a']);
    process.removeAllListeners('SIGUSR2');
  });

  test('when a component fails to start, then it exits 1 after stopping the started ones', async () => {
    const { events, component } = recorder();
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => undefined as never);

    await runService({
      logger,
      components: [component('a'), component('b', { failStart: true })],
      signals: [],
    });

    expect(exit).toHaveBeenCalledWith(1);
    expect(events).toEqual(['start a', 'stop a']);
  });
});
