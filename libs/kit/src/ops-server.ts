import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

/** A readiness check: resolves when the dependency is usable, rejects (or hangs) when not. */
export type ReadinessCheck = () => Promise<void>;

/** Options of `startOpsServer`. */
export interface OpsServerOptions {
  /** Loopback by default; `0.0.0.0` in a pod so the kubelet and Prometheus can reach it. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  metrics: Metrics;
  /** Named dependency checks run by `/readyz`, e.g. `{ store: …, kafka: … }`. */
  checks?: Record<string, ReadinessCheck>;
  logger: Logger;
  /** How long one check may take before it counts as failed. */
  checkTimeoutMs?: number;
}

/** A running ops server. */
export interface OpsServer {
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** Makes `/readyz` answer 503 from now on: the first step of a graceful shutdown. */
  setShuttingDown(): void;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

interface FailedCheck {
  name: string;
  reason: 'timeout' | 'failed';
}

/** Starts the ops HTTP server: `/livez` (process), `/readyz` (dependencies), `/metrics` (Prometheus). */
export async function startOpsServer({
  host = '127.0.0.1',
  port,
  metrics,
  checks = {},
  logger,
  checkTimeoutMs = 2000,
}: OpsServerOptions): Promise<OpsServer> {
  const log = logger.child({ module: 'ops-server' });
  let shuttingDown = false;

  async function runCheck(name: string, check: ReadinessCheck): Promise<FailedCheck | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), checkTimeoutMs);
    });
    try {
      const outcome = await Promise.race([check().then(() => 'ok' as const), timeout]);
      if (outcome === 'ok') return undefined;
      log.warn({ check: name, timeoutMs: checkTimeoutMs }, 'readiness check timed out');
      return { name, reason: 'timeout' };
    } catch (error) {
      // The reason stays in our log: the probe's caller gets only the check's name.
      log.warn({ check: name, err: error }, 'readiness check failed');
      return { name, reason: 'failed' };
    } finally {
      clearTimeout(timer);
    }
  }

  async function readiness(): Promise<{ status: number; body: object }> {
    if (shuttingDown) return { status: 503, body: { status: 'shutting_down' } };
    const results = await Promise.all(Object.entries(checks).map(([name, check]) => runCheck(name, check)));
    const failed = results.filter((result): result is FailedCheck => result !== undefined);
    // Shutdown may have started while the checks ran.
    if (shuttingDown) return { status: 503, body: { status: 'shutting_down' } };
    return failed.length === 0
      ? { status: 200, body: { status: 'ready' } }
      : { status: 503, body: { status: 'not_ready', failed } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://ops').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'application/json', JSON.stringify({ status: 'method_not_allowed' }), {
        allow: 'GET, HEAD',
      });
    }
    switch (path) {
      case '/livez':
        // The process answers, so it is alive; dependencies belong to /readyz, never here.
        return send(res, 200, 'application/json', JSON.stringify({ status: 'alive' }));
      case '/readyz': {
        const { status, body } = await readiness();
        return send(res, status, 'application/json', JSON.stringify(body));
      }
      case '/metrics':
        return send(res, 200, metrics.registry.contentType, await metrics.registry.metrics());
      default:
        return send(res, 404, 'application/json', JSON.stringify({ status: 'not_found' }));
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error({ err: error, url: req.url }, 'ops request failed');
      if (!res.headersSent) send(res, 500, 'application/json', JSON.stringify({ status: 'error' }));
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  log.info({ host, port: bound }, 'ops server listening');

  return {
    port: bound,
    setShuttingDown() {
      shuttingDown = true;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Prometheus keeps connections alive; without this, close() would wait for them to idle out.
        server.closeAllConnections();
      }),
  };
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

/** The ops server as a lifecycle component: started last, stopped first, checks made at start. */
export interface OpsComponent {
  readonly name: 'ops';
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The bound port (0 before start). */
  port(): number;
  /** `/readyz` answers 503 from now on: the first step of a graceful shutdown. */
  setShuttingDown(): void;
}

/**
 * The ops server of a service as a component; `checks` is called at start, when the connections
 * it checks exist.
 */
export function opsComponent(
  options: Omit<OpsServerOptions, 'checks'> & { checks?: () => Record<string, ReadinessCheck> },
): OpsComponent {
  let server: OpsServer | undefined;
  return {
    name: 'ops',
    async start() {
      server = await startOpsServer({ ...options, checks: options.checks?.() });
    },
    stop: async () => server?.close(),
    port: () => server?.port ?? 0,
    setShuttingDown: () => server?.setShuttingDown(),
  };
}
