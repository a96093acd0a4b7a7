import { createLogger, createMetrics, startOpsServer, type OpsServer } from '../src';

const logger = createLogger({ service: 'test', level: 'silent' });

describe('ops server', () => {
  let server: OpsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(checks: Record<string, () => Promise<void>>, checkTimeoutMs?: number) {
    const metrics = createMetrics('test');
    server = await startOpsServer({ port: 0, metrics, checks, logger, checkTimeoutMs });
    return { metrics, base: `http://127.0.0.1:${server.port}` };
  }

  test('when every check passes, then /livez and /readyz answer 200', async () => {
    const { base } = await start({ store: async () => undefined, kafka: async () => undefined });

    const live = await fetch(`${base}/livez`);
    const ready = await fetch(`${base}/readyz`);

    expect(live.status).toBe(200);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  test('when a check fails or hangs, then /readyz is 503 naming only the checks and a short reason', async () => {
    const { base } = await start(
      {
        store: async () => {
          throw new Error('connect ECONNREFUSED mongodb://admin:secret@127.0.0.1');
        },
        kafka: () => new Promise<void>(() => undefined),
        keycloak: async () => undefined,
      },
      100,
    );

    const ready = await fetch(`${base}/readyz`);
    const live = await fetch(`${base}/livez`);

    expect(ready.status).toBe(503);
    const body = await ready.json();
    expect(body).toEqual({
      status: 'not_ready',
      failed: [
        { name: 'store', reason: 'failed' },
        { name: 'kafka', reason: 'timeout' },
      ],
    });
    expect(JSON.stringify(body)).not.toContain('secret');
    // Liveness is about the process only: failing dependencies must not get the pod restarted.
    expect(live.status).toBe(200);
  });

  test('when shutdown has started, then /readyz is 503 even though the checks pass', async () => {
    const { base } = await start({ store: async () => undefined });

    server?.setShuttingDown();
    const ready = await fetch(`${base}/readyz`);

    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'shutting_down' });
  });

  test('when /metrics is scraped, then it has the RED metrics and process metrics', async () => {
    const { base, metrics } = await start({});
    metrics.observeHttp({ route: '/api/schools/:id', method: 'get', status: 200, seconds: 0.012 });
    metrics.observeGrpc({ method: 'edu.roster.v1.SchoolService/GetSchool', code: 'OK', seconds: 0.004 });
    metrics.gauge('edu_outbox_backlog', 'Events waiting in the outbox').set(3);

    const response = await fetch(`${base}/metrics`);
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(text).toContain('http_requests_total{route="/api/schools/:id",method="GET",status="200"} 1');
    expect(text).toContain('http_request_duration_seconds_bucket');
    expect(text).toContain(
      'grpc_server_handled_total{method="edu.roster.v1.SchoolService/GetSchool",code="OK"} 1',
    );
    expect(text).toContain('grpc_server_handling_seconds_bucket');
    expect(text).toContain('edu_outbox_backlog 3');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('edu_service_info{name="test"} 1');
  });

  test('when an unknown path is asked, then it is 404', async () => {
    const { base } = await start({});

    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});

describe('metrics', () => {
  test('when two modules ask for the same metric, then they share one; another type is refused', () => {
    const metrics = createMetrics('test');

    const first = metrics.counter('edu_dlq_messages_total', 'Messages sent to the DLQ', ['topic']);
    const second = metrics.counter('edu_dlq_messages_total', 'Messages sent to the DLQ', ['topic']);

    expect(second).toBe(first);
    expect(() => metrics.gauge('edu_dlq_messages_total', 'x')).toThrow(/another type/);
  });

  test('two metric sets do not share a registry', () => {
    const a = createMetrics('a');
    const b = createMetrics('b');

    expect(a.registry).not.toBe(b.registry);
  });
});
