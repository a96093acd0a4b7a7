import { createServer, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@edu/kit';

/** A listening HTTP server that can be stopped without losing requests in flight. */
export interface HttpServer {
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** Requests being answered right now. */
  inFlight(): number;
  /**
   * Stops accepting connections, lets the requests in flight finish, closes keep-alive
   * connections as they fall idle; after `timeoutMs` cuts whatever is left. Resolves `drained`
   * or `timeout`.
   */
  stop(timeoutMs: number): Promise<'drained' | 'timeout'>;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  logger: Logger;
}

/** Starts an HTTP server for `handler` on host:port. */
export async function startHttpServer(
  handler: RequestListener,
  { host, port, logger }: HttpServerOptions,
): Promise<HttpServer> {
  const log = logger.child({ module: 'http-server' });
  const inFlight = new Set<ServerResponse>();
  let closing = false;

  // During a drain every answer closes its connection, so that a keep-alive client comes back
  // on a new connection (to another replica) instead of finding this one gone mid-request.
  const closeAfterAnswer = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };

  const server = createServer((req, res) => {
    inFlight.add(res);
    if (closing) closeAfterAnswer(res);
    res.on('close', () => {
      inFlight.delete(res);
      if (closing) server.closeIdleConnections();
    });
    handler(req, res);
  });
  // Slow clients must not hold sockets for Node's default five minutes; answers take seconds
  // (the upstream deadline) and bodies are small.
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    inFlight: () => inFlight.size,
    stop(timeoutMs) {
      closing = true;
      inFlight.forEach(closeAfterAnswer);
      log.info({ inFlight: inFlight.size }, 'http server draining');
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          log.error(
            { inFlight: inFlight.size, timeoutMs },
            'http server drain timed out; cutting connections',
          );
          server.closeAllConnections();
          resolve('timeout');
        }, timeoutMs);
        // close() stops accepting at once and calls back when the last connection has ended.
        server.close(() => {
          clearTimeout(timer);
          resolve('drained');
        });
        server.closeIdleConnections();
      });
    },
  };
}
