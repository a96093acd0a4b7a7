import type { Response } from 'express';
import type { JWTPayload } from 'jose';
import type { Actor } from '../../domain/actor';

/** What the middleware learns about a request, kept in `res.locals` for the ones after it. */
export interface RequestState {
  traceId: string;
  /** The verified access token's claims; absent for an anonymous or refused caller. */
  claims?: JWTPayload;
  actor?: Actor;
  /** Why the token was refused (for the log), when there was one. */
  authFailure?: string;
}

/** The request's state, typed. */
export function requestState(res: Response): RequestState {
  return res.locals as RequestState;
}
