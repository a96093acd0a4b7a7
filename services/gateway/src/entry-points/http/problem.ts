import type { Response } from 'express';
import { PROBLEM_TYPE_BASE, type Problem } from '@edu/kit';

/** Sends an RFC 9457 problem as `application/problem+json`. */
export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

/**
 * A problem of the HTTP layer itself (413, 415, 405, 404): statuses that no domain error kind
 * maps to, so they are built here rather than through `toProblem`.
 */
export function httpProblem(
  status: number,
  code: string,
  title: string,
  detail: string,
  instance: string,
): Problem {
  return { type: PROBLEM_TYPE_BASE + code, title, status, detail, code, instance };
}

/** The request path without the query string, as the problem's `instance`. */
export function instanceOf(originalUrl: string): string {
  return originalUrl.split('?')[0] ?? '/';
}
