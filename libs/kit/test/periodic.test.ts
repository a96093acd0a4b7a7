import { createLogger } from '../src/logger';
import { createPeriodicJobs } from '../src/periodic';

describe('periodic jobs', () => {
  const log = createLogger({ service: 'periodic-test', level: 'silent' });

  it('when a run takes longer than the interval, then the next waits for it; stop waits for the run under way', async () => {
    const jobs = createPeriodicJobs(log);
    let runs = 0;
    let running = 0;
    let overlapped = false;
    jobs.every(5, 'slow', async () => {
      running += 1;
      overlapped ||= running > 1;
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 30));
      running -= 1;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));

    await jobs.stop();
    const afterStop = runs;
    await new Promise((resolve) => setTimeout(resolve, 40));

    expect(overlapped).toBe(false);
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(running).toBe(0);
    expect(runs).toBe(afterStop);
  });

  it('when a job is asked to run at start, then it runs before its first interval; a failure does not stop it', async () => {
    const jobs = createPeriodicJobs(log);
    const seen: string[] = [];
    jobs.every(
      60_000,
      'at start',
      async () => {
        seen.push('ran');
        throw new Error('boom');
      },
      { atStart: true },
    );
    jobs.every(60_000, 'later', async () => void seen.push('later'));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));

    await jobs.stop();

    expect(seen).toEqual(['ran']);
  });
});
