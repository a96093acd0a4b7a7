import { request as httpRequest, Agent } from 'node:http';
import { startHttpServer } from '../../src/entry-points/http/http-server';
import { captureLogs } from '../helpers';

// The drain at shutdown on a real socket: what was accepted is answered, nothing new gets in.

function get(port: number, agent: Agent): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP server drain', () => {
  it('when stopped with a request in flight, then that request is answered, new connections are refused, and stop resolves drained', async () => {
    let release: () => void = () => undefined;
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const server = await startHttpServer(
      (_req, res) => {
        arrived();
        release = () => res.end('done');
      },
      { host: '127.0.0.1', port: 0, logger: captureLogs().logger },
    );
    const agent = new Agent({ keepAlive: true });
    const inFlight = get(server.port, agent);
    await requestArrived;

    const stopped = server.stop(5_000);
    const refused = get(server.port, new Agent()).then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(await refused).toBe('ECONNREFUSED');
    expect(server.inFlight()).toBe(1);
    release();

    expect(await inFlight).toEqual({ status: 200, body: 'done', connection: 'close' });
    expect(await stopped).toBe('drained');
    agent.destroy();
  });

  it('when stopped while a keep-alive connection sits idle, then the idle connection does not hold the stop', async () => {
    const server = await startHttpServer((_req, res) => res.end('ok'), {
      host: '127.0.0.1',
      port: 0,
      logger: captureLogs().logger,
    });
    const agent = new Agent({ keepAlive: true });
    await get(server.port, agent);

    const started = Date.now();
    const outcome = await server.stop(5_000);

    expect(outcome).toBe('drained');
    expect(Date.now() - started).toBeLessThan(1_000);
    agent.destroy();
  });

  it('when a request does not finish within the timeout, then its connection is cut and stop resolves timeout', async () => {
    const { logger, lines } = captureLogs();
    const server = await startHttpServer(() => undefined, { host: '127.0.0.1', port: 0, logger });
    const hanging = get(server.port, new Agent()).catch((error: NodeJS.ErrnoException) => error.code);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const outcome = await server.stop(200);

    expect(outcome).toBe('timeout');
    expect(await hanging).toBe('ECONNRESET');
    expect(lines()).toContainEqual(expect.objectContaining({ level: 'error', inFlight: 1 }));
  });
});
