import { AsyncResource } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { runWithContext, type Logger, type Metrics } from '@edu/kit';
import { findOperation } from './operations';
import { requestState } from './request-state';

// W3C trace context: version-traceid-parentid-flags; an all-zero trace id is invalid.
const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;
// What the services accept as a trace id (libs/grpc), so a client's id reaches them unchanged.
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The request's trace id: from a valid `traceparent`, else a sane `X-Request-Id`, else a new one. */
export function traceIdOf(req: Request): string {
  const traceparent = TRACEPARENT.exec(req.get('traceparent')?.trim().toLowerCase() ?? '');
  if (traceparent && traceparent[1] !== 'ff' && !/^0+$/.test(traceparent[2] ?? '')) {
    return traceparent[2] as string;
  }
  const requestId = req.get('x-request-id')?.trim();
  if (requestId && REQUEST_ID.test(requestId)) return requestId;
  return randomBytes(16).toString('hex');
}

/**
 * Gives the request its trace id, echoes it as `X-Request-Id`, and runs everything after it in
 * that context, so every log line and every upstream call carries it.
 */
export function requestContext(): RequestHandler {
  return (req, res, next) => {
    const traceId = traceIdOf(req);
    requestState(res).traceId = traceId;
    res.setHeader('X-Request-Id', traceId);
    runWithContext({ traceId }, next);
  };
}

/**
 * RED metrics per route template and one access log line per request. The route comes from the
 * OpenAPI document rather than express's `req.route`, so that requests refused before routing
 * (401, 429, 400) are still counted under their route; anything else is `unmatched`, never the
 * raw path (which would explode the label set).
 */
export function observeRequests(metrics: Metrics, logger: Logger): RequestHandler {
  const log = logger.child({ module: 'http' });
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const match = findOperation(req.method, req.path);
    const route = match && 'operation' in match ? match.operation.route : 'unmatched';
    // Bound to the request's context: 'close' is emitted by the socket, outside of it.
    res.on(
      'close',
      AsyncResource.bind(() => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        // 499 (nginx's convention): the client went away before the answer was complete.
        const status = res.writableFinished ? res.statusCode : 499;
        metrics.observeHttp({ route, method: req.method, status, seconds });
        const { claims } = requestState(res);
        log.info(
          { method: req.method, route, status, ms: Math.round(seconds * 1000), accountId: claims?.sub },
          'request',
        );
      }),
    );
    next();
  };
}

/**
 * Security headers for a JSON API (helmet is not a dependency; these are the ones that matter
 * when nothing is rendered): no sniffing, no framing, no referrer, HTTPS only, no active content,
 * and nothing cached, since answers hold personal data.
 */
export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (req.path.startsWith('/api')) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

const CORS_METHODS = 'GET, POST, PUT, PATCH, OPTIONS';
const CORS_REQUEST_HEADERS = 'Authorization, Content-Type, Idempotency-Key, X-Request-Id, traceparent';
const CORS_EXPOSED_HEADERS = 'Location, Retry-After, X-Request-Id, WWW-Authenticate';

/**
 * CORS for an allow-list of origins. A listed origin gets the CORS headers; any other gets none,
 * so the browser keeps the answer from the page. No credentials: the API takes a Bearer token,
 * never cookies. Preflights are answered here, before authentication, as browsers send them
 * without the token.
 */
export function cors(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    res.vary('Origin');
    const origin = req.get('origin');
    const isAllowed = origin !== undefined && allowed.has(origin);
    if (isAllowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS);
    }
    if (req.method !== 'OPTIONS' || req.get('access-control-request-method') === undefined) return next();
    if (isAllowed) {
      res.setHeader('Access-Control-Allow-Methods', CORS_METHODS);
      res.setHeader('Access-Control-Allow-Headers', CORS_REQUEST_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.status(204).end();
  };
}
