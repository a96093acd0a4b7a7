import type { Logger } from './logger';

/** Periodic work of a service: the outbox purge, a dispatcher, an expiry check. */
export interface PeriodicJobs {
  /**
   * Runs `work` every `ms` (and once at once with `atStart`); a run never overlaps the previous
   * one of the same job, and a failure is logged as `<what> failed`, never thrown.
   */
  every(ms: number, what: string, work: () => Promise<unknown>, options?: { atStart?: boolean }): void;
  /** Stops every job and waits for the runs under way (before the store they use closes). */
  stop(): Promise<void>;
}

export function createPeriodicJobs(log: Logger): PeriodicJobs {
  const timers: NodeJS.Timeout[] = [];
  const immediates: NodeJS.Immediate[] = [];
  const inFlight = new Set<Promise<unknown>>();
  return {
    every(ms, what, work, options = {}) {
      let running = false;
      const tick = () => {
        if (running) return;
        running = true;
        const run = work()
          .catch((error: unknown) => log.error({ err: error }, `${what} failed`))
          .finally(() => {
            running = false;
            inFlight.delete(run);
          });
        inFlight.add(run);
      };
      if (options.atStart) immediates.push(setImmediate(tick));
      const timer = setInterval(tick, ms);
      timer.unref();
      timers.push(timer);
    },
    async stop() {
      for (const immediate of immediates.splice(0)) clearImmediate(immediate);
      for (const timer of timers.splice(0)) clearInterval(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
