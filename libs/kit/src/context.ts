import { AsyncLocalStorage } from 'node:async_hooks';

/** What is known about the unit of work in progress (a request, a call, an event). */
export interface RequestContext {
  traceId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `context` visible to `currentContext()` (and to every log line) in all its async work. */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the unit of work in progress, or undefined outside of one. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
