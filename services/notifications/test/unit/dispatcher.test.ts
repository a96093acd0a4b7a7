import { createRecordingProvider } from '../../src/adapters/test-providers';
import { COALESCE_WINDOW_MS, acceptIntents } from '../../src/domain/delivery';
import { SENDS_AT_ONCE, createDispatcher, type DeliveryMetrics } from '../../src/domain/dispatcher';
import {
  notificationId,
  type ChannelMessage,
  type Delivery,
  type NotificationIntent,
  type PreferencesDoc,
} from '../../src/domain/model';
import { ProviderError, type ChannelProvider } from '../../src/domain/ports';
import { defaultPreferences } from '../../src/domain/preferences';
import { MemoryDocs } from './memory-copies';

const MAMA = 'guardian-mama';
const PAPA = 'guardian-papa';
/** Monday 24 November 2025, 13:00 in Moscow. */
const NOW = new Date('2025-11-24T10:00:00Z');
const MINUTE = 60_000;
const DUE = new Date(NOW.getTime() + COALESCE_WINDOW_MS);

function intent(n: number, recipientId = MAMA): NotificationIntent {
  return {
    eventId: `event-${n}`,
    trigger: 'low_mark',
    recipientId,
    studentId: 'ivan',
    schoolId: 'school-1',
    schoolName: 'Школа № 1',
    timeZone: 'Europe/Moscow',
    title: `Оценка «2» (${n})`,
    body: 'Иван получил «2».',
    link: '',
    occurredAt: new Date(NOW.getTime() - MINUTE).toISOString(),
  };
}

function prefs(personId: string): PreferencesDoc {
  return { ...defaultPreferences(personId), email: `${personId}@example.ru` };
}

/** An e-mail provider double: records, or answers with what `answer` says. */
function fakeEmail(answer: (message: ChannelMessage) => Promise<void> = () => Promise.resolve()) {
  const sent: ChannelMessage[] = [];
  const provider: ChannelProvider = {
    channel: 'email',
    async send(message) {
      await answer(message);
      sent.push(message);
    },
  };
  return { provider, sent };
}

function recordingMetrics() {
  const calls: string[] = [];
  const latencies: number[] = [];
  const metrics: DeliveryMetrics = {
    queued: (channel, count) => calls.push(`queued ${channel} ${count}`),
    sent: (channel, seconds) => {
      calls.push(`sent ${channel} ${seconds.length}`);
      latencies.push(...seconds);
    },
    failed: (channel, count) => calls.push(`failed ${channel} ${count}`),
    retried: (channel, count) => calls.push(`retried ${channel} ${count}`),
  };
  return { metrics, calls, latencies };
}

function setup(options: { email?: ChannelProvider; withPush?: boolean; sendTimeoutMs?: number } = {}) {
  const docs = new MemoryDocs();
  for (const person of [MAMA, PAPA]) docs.put('preferences', prefs(person));
  const email = fakeEmail();
  const push = createRecordingProvider('push');
  const recorded = recordingMetrics();
  let clock = NOW;
  const errors: unknown[] = [];
  const dispatcher = createDispatcher({
    runner: docs,
    providers: [options.email ?? email.provider, ...(options.withPush === false ? [] : [push])],
    now: () => clock,
    metrics: recorded.metrics,
    onError: (error) => errors.push(error),
    sendTimeoutMs: options.sendTimeoutMs ?? 1000,
  });
  async function tell(intents: NotificationIntent[], at = NOW) {
    const outcome = await docs.unit((tx) => acceptIntents(tx, intents, at));
    for (const { personId, dueAt } of outcome.wake) dispatcher.wake(personId, dueAt);
    return outcome;
  }
  async function deliveries(personId = MAMA): Promise<Delivery[]> {
    return (await docs.get('deliveries', personId))?.deliveries ?? [];
  }
  return {
    docs,
    email,
    push,
    dispatcher,
    tell,
    deliveries,
    errors,
    ...recorded,
    setClock: (at: Date) => (clock = at),
  };
}

describe('dispatcher', () => {
  it('when a delivery is due, then it is sent once through its channel, recorded as sent and measured; before that nothing goes', async () => {
    const t = setup();
    await t.tell([intent(1)]);

    t.setClock(new Date(DUE.getTime() - 1));
    expect(await t.dispatcher.runDue()).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(t.dispatcher.pending()).toBe(1);
    t.setClock(DUE);
    const totals = await t.dispatcher.runDue();

    expect(totals).toEqual({ sent: 2, failed: 0, retried: 0 });
    expect(t.email.sent).toEqual([
      expect.objectContaining({
        channel: 'email',
        address: `${MAMA}@example.ru`,
        subject: 'Школа № 1: Оценка «2» (1)',
        deliveryIds: [`${notificationId(intent(1))}:email`],
      }),
    ]);
    expect(t.push.sent.map((m) => m.address)).toEqual([MAMA]);
    expect((await t.deliveries()).map((d) => [d.status, d.sentAt])).toEqual([
      ['sent', DUE.toISOString()],
      ['sent', DUE.toISOString()],
    ]);
    expect(t.calls.sort()).toEqual(['sent email 1', 'sent push 1']);
    // From the event (a minute before NOW) to the send.
    expect(t.latencies).toEqual([180, 180]);
    expect(t.dispatcher.pending()).toBe(0);
    expect(await t.dispatcher.runDue()).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(t.email.sent).toHaveLength(1);
  });

  it('when a teacher posts 30 marks, then each guardian gets one e-mail and one push', async () => {
    const t = setup();
    for (let n = 0; n < 30; n += 1)
      await t.tell([intent(n), intent(n, PAPA)], new Date(NOW.getTime() + n * 1000));

    t.setClock(DUE);
    const totals = await t.dispatcher.runDue();

    expect(totals.sent).toBe(120);
    expect(t.email.sent.map((m) => [m.recipientId, m.deliveryIds.length, m.subject]).sort()).toEqual([
      [MAMA, 30, 'Школа № 1: 30 уведомлений'],
      [PAPA, 30, 'Школа № 1: 30 уведомлений'],
    ]);
    expect(t.push.sent).toHaveLength(2);
  });

  it('when push is down, then the inbox and e-mail are unaffected and push is retried with backoff until it recovers', async () => {
    const t = setup();
    t.push.fail(true);
    await t.tell([intent(1)]);
    t.setClock(DUE);

    const first = await t.dispatcher.runDue();

    expect(first).toEqual({ sent: 1, failed: 0, retried: 1 });
    expect(t.email.sent).toHaveLength(1);
    expect((await t.docs.get('inbox', MAMA))?.entries).toHaveLength(1);
    const push = (await t.deliveries()).find((d) => d.channel === 'push')!;
    expect(push).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'push provider outage (test)',
      dueAt: new Date(DUE.getTime() + MINUTE).toISOString(),
    });
    expect(t.calls.sort()).toEqual(['retried push 1', 'sent email 1']);
    expect(t.dispatcher.pending()).toBe(1);

    t.push.recover();
    t.setClock(new Date(DUE.getTime() + MINUTE));
    expect(await t.dispatcher.runDue()).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(t.push.sent).toHaveLength(1);
    expect(t.email.sent).toHaveLength(1);
  });

  it('when the provider refuses for good, then the delivery fails at once and is counted failed', async () => {
    const t = setup({
      email: fakeEmail(() => Promise.reject(new ProviderError('smtp: 550 no such mailbox', false))).provider,
    });
    await t.tell([intent(1)]);
    t.setClock(DUE);

    expect(await t.dispatcher.runDue()).toEqual({ sent: 1, failed: 1, retried: 0 });
    expect((await t.deliveries()).find((d) => d.channel === 'email')).toMatchObject({
      status: 'failed',
      lastError: 'smtp: 550 no such mailbox',
    });
    expect(t.calls).toContain('failed email 1');
  });

  it('when a provider throws a plain error, then it is retried', async () => {
    const t = setup({ email: fakeEmail(() => Promise.reject(new Error('socket hang up'))).provider });
    await t.tell([intent(1)]);
    t.setClock(DUE);

    await t.dispatcher.runDue();

    expect((await t.deliveries()).find((d) => d.channel === 'email')).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'socket hang up',
    });
  });

  it('when a channel has no provider, then its deliveries fail with a clear reason and the others go', async () => {
    const t = setup({ withPush: false });
    await t.tell([intent(1)]);
    t.setClock(DUE);

    expect(await t.dispatcher.runDue()).toEqual({ sent: 1, failed: 1, retried: 0 });
    expect((await t.deliveries()).find((d) => d.channel === 'push')).toMatchObject({
      status: 'failed',
      lastError: 'no provider for channel push',
    });
  });

  it('when a provider hangs, then its send times out (retryable), other channels go, and it is not asked again in that run', async () => {
    let asked = 0;
    const hanging = fakeEmail(() => {
      asked += 1;
      return new Promise<void>(() => undefined);
    });
    const t = setup({ email: hanging.provider, sendTimeoutMs: 50 });
    // More people than messages are sent at once: the later ones come after the first sends hung.
    const people = Array.from({ length: SENDS_AT_ONCE + 1 }, (_, n) => `guardian-${n}`);
    for (const person of people) t.docs.put('preferences', prefs(person));
    await t.tell(people.map((person) => intent(1, person)));
    t.setClock(DUE);

    const totals = await t.dispatcher.runDue();

    expect(totals).toEqual({ sent: people.length, failed: 0, retried: people.length });
    expect(t.push.sent).toHaveLength(people.length);
    // Only the sends already under way when it hung (an e-mail and a push each, at most
    // SENDS_AT_ONCE together); nobody after them.
    expect(asked).toBeGreaterThan(0);
    expect(asked).toBeLessThanOrEqual(SENDS_AT_ONCE);
    expect(asked).toBeLessThan(people.length);
    for (const person of people)
      expect((await t.deliveries(person)).find((d) => d.channel === 'email')).toMatchObject({
        status: 'queued',
        attempts: 1,
      });
    expect(t.dispatcher.pending()).toBe(people.length);
  });

  it('when a new delivery is queued while a message is being sent, then the unit re-reads the queue and keeps it queued', async () => {
    const late: { tell?: (intents: NotificationIntent[], at: Date) => Promise<unknown> } = {};
    const slow = fakeEmail(async () => {
      // Another event is accepted meanwhile (the service runs units one at a time, not sends).
      await late.tell!([intent(2)], DUE);
    });
    const t = setup({ email: slow.provider, withPush: false });
    late.tell = t.tell;
    await t.tell([intent(1)]);
    t.setClock(DUE);

    await t.dispatcher.runDue();

    const byId = new Map((await t.deliveries()).map((d) => [d.id, d]));
    expect(byId.get(`${notificationId(intent(1))}:email`)?.status).toBe('sent');
    expect(byId.get(`${notificationId(intent(2))}:email`)).toMatchObject({
      status: 'queued',
      dueAt: new Date(DUE.getTime() + COALESCE_WINDOW_MS).toISOString(),
    });
    expect(t.dispatcher.pending()).toBe(1);
  });

  it('when the e-mail was removed after queueing, then the delivery is withdrawn, not sent', async () => {
    const t = setup();
    await t.tell([intent(1)]);
    t.docs.put('preferences', { ...prefs(MAMA), email: '' });
    t.setClock(DUE);

    expect(await t.dispatcher.runDue()).toEqual({ sent: 1, failed: 1, retried: 0 });
    expect(t.email.sent).toEqual([]);
    expect((await t.deliveries()).find((d) => d.channel === 'email')?.status).toBe('failed');
  });

  it('when reading a person’s documents fails, then the error is reported and the person is tried again later', async () => {
    const t = setup();
    await t.tell([intent(1)]);
    t.setClock(DUE);
    const get = t.docs.get.bind(t.docs);
    t.docs.get = () => Promise.reject(new Error('store down'));

    expect(await t.dispatcher.runDue()).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(t.errors).toEqual([new Error('store down')]);
    expect(t.dispatcher.pending()).toBe(1);

    t.docs.get = get;
    t.setClock(new Date(DUE.getTime() + MINUTE));
    expect((await t.dispatcher.runDue()).sent).toBe(2);
  });

  it('when woken with a later time than known, then the earlier one stands; a bad time is ignored', async () => {
    const t = setup();
    t.dispatcher.wake(MAMA, DUE.toISOString());
    t.dispatcher.wake(MAMA, new Date(DUE.getTime() + 60 * MINUTE).toISOString());
    t.dispatcher.wake(PAPA, 'soon');

    expect(t.dispatcher.pending()).toBe(1);
    t.setClock(DUE);
    await t.dispatcher.runDue();
    expect(t.dispatcher.pending()).toBe(0);
  });
});
