import { setTimeout as sleep } from 'node:timers/promises';
import { schoolCardFixture, waitFor } from '@edu/testing';
import type { ServiceName } from '../src';
import { api, startSlice, type Slice } from './helpers';

// Nothing accepted is ever lost: a school that got a 201 is stored and reaches reports, whether
// the gateway or roster is stopped (SIGTERM) or roster is killed (SIGKILL) in the middle of a burst.

const WRITERS = 4;

/** POSTs schools from several writers until stopped; collects the ids that got a 201. */
function burst(slice: Slice, token: string) {
  const accepted: string[] = [];
  const refused: number[] = [];
  let running = true;
  const writers = Array.from({ length: WRITERS }, async () => {
    while (running) {
      try {
        const response = await api(slice, 'POST', '/api/v1/schools', { token, body: schoolCardFixture() });
        if (response.status === 201) accepted.push(String(response.body.id));
        else refused.push(response.status);
      } catch {
        refused.push(0); // connection refused or reset while the gateway is down
        await sleep(20);
      }
    }
  });
  return {
    accepted,
    refused,
    async stop() {
      running = false;
      await Promise.all(writers);
    },
  };
}

async function everyAcceptedSchoolArrives(slice: Slice, ids: string[]): Promise<void> {
  const stored = await slice.roster.collection('schools').countDocuments({ _id: { $in: ids as never[] } });
  expect(stored).toBe(ids.length);
  await waitFor(
    async () =>
      (await slice.reports
        .collection('school_directory')
        .countDocuments({ _id: { $in: ids as never[] } })) === ids.length,
    { timeoutMs: 30_000, what: 'every accepted school in reports' },
  );
}

describe('shutdown during a burst of requests (services as processes)', () => {
  let slice: Slice;

  beforeAll(async () => {
    slice = await startSlice();
  });
  afterAll(async () => {
    await slice?.close();
  });

  it.each<[ServiceName, NodeJS.Signals]>([
    ['gateway', 'SIGTERM'],
    ['roster', 'SIGTERM'],
    ['roster', 'SIGKILL'],
  ])(
    'when %s gets %s mid-burst and comes back, then every school that got a 201 is stored and reaches reports',
    async (service, signal) => {
      const load = burst(slice, await slice.token('operator'));
      await waitFor(() => load.accepted.length >= 10, { timeoutMs: 20_000, what: 'the burst to get going' });

      const exit = await slice.platform.stop(service, signal);
      await sleep(300); // requests keep coming while it is down
      await slice.platform.start(service);
      await waitFor(() => load.accepted.length >= 20, { timeoutMs: 20_000, what: 'the burst to resume' });
      await load.stop();

      expect(exit).toBe(signal === 'SIGTERM' ? 0 : 'SIGKILL');
      expect(load.refused.length).toBeGreaterThan(0); // the outage really fell inside the burst
      await everyAcceptedSchoolArrives(slice, [...load.accepted]);
    },
  );
});
