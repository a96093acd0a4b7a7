import type { Request, RequestHandler } from 'express';
import type { JWTPayload } from 'jose';
import { rateLimited, unauthenticated, unavailable, type Logger } from '@edu/kit';
import { TokenRejected } from '../../auth/token-verifier';
import type { ResolveActor } from '../../domain/actor-cache';
import type { RateLimiter } from './rate-limit';
import { requestState } from './request-state';

/** Verifies an access token and returns its claims (createTokenVerifier). */
export type VerifyToken = (token: string) => Promise<JWTPayload>;

// RFC 6750: the scheme is case-insensitive; a token is base64url segments and dots.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

// jose cannot reach the realm's keys: our problem, not the caller's, so 503 rather than 401.
const JWKS_UNREACHABLE = new Set(['ERR_JWKS_TIMEOUT']);

/**
 * Finds out who is calling: verifies the Bearer token (the only Keycloak call on the request path
 * is the JWKS refresh inside it), resolves the actor through identity (cached), and puts the
 * claims and the actor in the request state, or notes why there is none. It refuses nothing
 * itself, so that the rate limit can count refused callers (by address) before `requireActor`
 * answers 401.
 */
export function identifyCaller(verifyToken: VerifyToken, resolveActor: ResolveActor): RequestHandler {
  return async (req, res, next) => {
    const state = requestState(res);
    const header = req.get('authorization');
    const token = header === undefined ? undefined : BEARER.exec(header.trim())?.[1];
    if (token === undefined) {
      state.authFailure = header === undefined ? 'missing' : 'malformed_header';
      return next();
    }
    let claims: JWTPayload;
    try {
      claims = await verifyToken(token);
    } catch (error) {
      if (!(error instanceof TokenRejected) || JWKS_UNREACHABLE.has(error.reason)) {
        throw unavailable(
          'auth.unavailable',
          'Не удалось проверить вход в систему. Повторите попытку позже.',
        );
      }
      state.authFailure = error.reason;
      return next();
    }
    state.claims = claims;
    try {
      state.actor = await resolveActor({
        keycloakSub: String(claims.sub),
        esiaOid: typeof claims.esia_oid === 'string' ? claims.esia_oid : '',
      });
    } catch {
      // Identity cannot say who this is: refusing as 401 would send a valid user to log in again.
      throw unavailable('auth.unavailable', 'Не удалось проверить вход в систему. Повторите попытку позже.');
    }
    next();
  };
}

/** The rate-limit key: the client application and user of the token, or the address without one. */
export function rateLimitKey(req: Request, claims: JWTPayload | undefined): string {
  if (claims) return `token:${String(claims.azp ?? '')}:${String(claims.sub ?? '')}`;
  return `ip:${req.ip ?? 'unknown'}`;
}

/** Per-client token bucket; an empty bucket is a 429 with `Retry-After`. */
export function rateLimit(limiter: RateLimiter, logger: Logger): RequestHandler {
  const log = logger.child({ module: 'rate-limit' });
  return (req, res, next) => {
    const { claims } = requestState(res);
    const outcome = limiter.take(rateLimitKey(req, claims));
    if (outcome.allowed) return next();
    res.setHeader('Retry-After', String(outcome.retryAfterSeconds));
    log.warn({ event: 'rate_limited', accountId: claims?.sub, clientId: claims?.azp }, 'rate limited');
    throw rateLimited(
      'request.rate_limited',
      `Слишком много запросов. Повторите через ${outcome.retryAfterSeconds} с.`,
    );
  };
}

/**
 * Refuses a caller without a valid token: 401 with `WWW-Authenticate: Bearer` (RFC 6750), the
 * same answer whatever was wrong, so that the answer tells an attacker nothing. The reason goes
 * to the log, the token never does.
 */
export function requireActor(logger: Logger): RequestHandler {
  const log = logger.child({ module: 'auth' });
  return (req, res, next) => {
    const state = requestState(res);
    if (state.actor) return next();
    const reason = state.authFailure ?? 'missing';
    if (reason !== 'missing')
      log.warn({ event: 'token_rejected', reason, ip: req.ip }, 'access token rejected');
    res.setHeader(
      'WWW-Authenticate',
      reason === 'missing' ? 'Bearer realm="edu"' : 'Bearer realm="edu", error="invalid_token"',
    );
    throw unauthenticated('auth.unauthenticated', 'Войдите в систему и повторите действие.');
  };
}
