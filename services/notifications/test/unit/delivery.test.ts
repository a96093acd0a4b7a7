import {
  COALESCE_WINDOW_MS,
  MAX_ATTEMPTS,
  RATE_LIMITS,
  acceptIntents,
  afterQuietHours,
  backoffMs,
  dueMessages,
  localParts,
  nextDueAt,
  planDueAt,
  recordOutcome,
  withdrawnDeliveries,
  zonedInstant,
} from '../../src/domain/delivery';
import {
  INBOX_LIMIT,
  notificationId,
  type Delivery,
  type DeliveryQueueDoc,
  type InboxEntry,
  type NotificationIntent,
  type PreferencesDoc,
  type Trigger,
} from '../../src/domain/model';
import { defaultPreferences } from '../../src/domain/preferences';
import { MemoryDocs } from './memory-copies';

const MAMA = 'guardian-mama';
const IVAN = 'student-ivan';
/** Monday 24 November 2025, 13:00 in Moscow. */
const NOW = new Date('2025-11-24T10:00:00Z');
const MINUTE = 60_000;

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

function intent(n: number, changes: Partial<NotificationIntent> = {}): NotificationIntent {
  return {
    eventId: `event-${n}`,
    trigger: 'low_mark',
    recipientId: MAMA,
    studentId: IVAN,
    schoolId: 'school-1',
    schoolName: 'Школа № 1',
    timeZone: 'Europe/Moscow',
    title: `Оценка «2» по математике (${n})`,
    body: 'Иван получил «2» за самостоятельную работу.',
    link: `diary:week:${IVAN}:2025-11-24`,
    occurredAt: at(NOW, -MINUTE).toISOString(),
    ...changes,
  };
}

function prefs(changes: Partial<PreferencesDoc> = {}): PreferencesDoc {
  return { ...defaultPreferences(MAMA), email: 'mama@example.ru', ...changes };
}

function withTrigger(
  base: PreferencesDoc,
  trigger: Trigger,
  change: Partial<PreferencesDoc['triggers'][number]>,
) {
  return { ...base, triggers: base.triggers.map((t) => (t.trigger === trigger ? { ...t, ...change } : t)) };
}

function docsWith(preferences: PreferencesDoc | null = prefs()): MemoryDocs {
  const docs = new MemoryDocs();
  if (preferences) docs.put('preferences', preferences);
  docs.puts = 0;
  return docs;
}

async function accept(docs: MemoryDocs, intents: NotificationIntent[], now = NOW) {
  return docs.unit((tx) => acceptIntents(tx, intents, now));
}

async function queueOf(docs: MemoryDocs, personId = MAMA): Promise<DeliveryQueueDoc> {
  return (await docs.get('deliveries', personId)) ?? { _id: personId, deliveries: [] };
}

function delivery(n: number, changes: Partial<Delivery> = {}): Delivery {
  const id = notificationId(intent(n));
  return {
    id: `${id}:email`,
    notificationId: id,
    channel: 'email',
    trigger: 'low_mark',
    title: `Оценка ${n}`,
    body: 'Текст',
    link: '',
    studentId: IVAN,
    schoolName: 'Школа № 1',
    timeZone: 'Europe/Moscow',
    mode: 'instant',
    occurredAt: at(NOW, -10 * MINUTE).toISOString(),
    queuedAt: at(NOW, -10 * MINUTE).toISOString(),
    dueAt: at(NOW, -MINUTE).toISOString(),
    status: 'queued',
    attempts: 0,
    lastError: '',
    sentAt: '',
    ...changes,
  };
}

const queue = (...deliveries: Delivery[]): DeliveryQueueDoc => ({ _id: MAMA, deliveries });

describe('time zones', () => {
  it.each([
    ['Europe/Moscow', '2025-11-24T04:00:00.000Z'],
    ['Asia/Yekaterinburg', '2025-11-24T02:00:00.000Z'],
    ['Asia/Vladivostok', '2025-11-23T21:00:00.000Z'],
    ['Europe/Kaliningrad', '2025-11-24T05:00:00.000Z'],
    // A school whose zone is not known yet: Moscow.
    ['', '2025-11-24T04:00:00.000Z'],
    ['Mars/Olympus', '2025-11-24T04:00:00.000Z'],
  ])('when 07:00 on 24 November is in %j, then it is %s', (zone, instant) => {
    expect(zonedInstant('2025-11-24', '07:00', zone).toISOString()).toBe(instant);
    expect(localParts(new Date(instant), zone)).toMatchObject({ date: '2025-11-24', time: '07:00' });
  });
});

describe('planDueAt', () => {
  const plan = (
    mode: 'instant' | 'daily' | 'weekly',
    now: Date,
    p = prefs(),
    deliveries: Delivery[] = [],
    zone = 'Europe/Moscow',
  ) => planDueAt({ mode, channel: 'email', timeZone: zone, prefs: p, deliveries, now });

  it('when instant, then the delivery waits out the coalescing window', () => {
    expect(plan('instant', NOW)).toBe(at(NOW, COALESCE_WINDOW_MS).toISOString());
    expect(COALESCE_WINDOW_MS).toBe(2 * MINUTE);
  });

  it('when an instant delivery of the channel is already waiting, then the new one joins it; a sent one or another channel does not count', () => {
    const waiting = delivery(1, { dueAt: at(NOW, 30_000).toISOString() });

    expect(plan('instant', NOW, prefs(), [waiting])).toBe(waiting.dueAt);
    expect(plan('instant', NOW, prefs(), [{ ...waiting, status: 'sent' }])).toBe(
      at(NOW, COALESCE_WINDOW_MS).toISOString(),
    );
    expect(plan('instant', NOW, prefs(), [{ ...waiting, channel: 'push' }])).toBe(
      at(NOW, COALESCE_WINDOW_MS).toISOString(),
    );
    expect(plan('instant', NOW, prefs(), [{ ...waiting, dueAt: at(NOW, -1).toISOString() }])).toBe(
      at(NOW, COALESCE_WINDOW_MS).toISOString(),
    );
  });

  it('when daily, then it is due at the next digest time in the school’s zone', () => {
    // 13:00 in Moscow: today's 19:00.
    expect(plan('daily', NOW)).toBe('2025-11-24T16:00:00.000Z');
    // 19:30 in Moscow: tomorrow's.
    expect(plan('daily', new Date('2025-11-24T16:30:00Z'))).toBe('2025-11-25T16:00:00.000Z');
    // In Yekaterinburg it is 15:00 at NOW: 19:00 there is 14:00 UTC.
    expect(plan('daily', NOW, prefs(), [], 'Asia/Yekaterinburg')).toBe('2025-11-24T14:00:00.000Z');
  });

  it('when weekly, then it is due on the digest weekday at the digest time', () => {
    // Monday → Sunday 30 November, 19:00 in Moscow.
    expect(plan('weekly', NOW)).toBe('2025-11-30T16:00:00.000Z');
    // Monday digests, asked on Monday after the time: next Monday.
    expect(plan('weekly', new Date('2025-11-24T17:00:00Z'), prefs({ digestWeekday: 1 }))).toBe(
      '2025-12-01T16:00:00.000Z',
    );
    expect(plan('weekly', NOW, prefs({ digestWeekday: 1, digestTime: '18:00' }))).toBe(
      '2025-11-24T15:00:00.000Z',
    );
  });

  it('when a digest time lies in quiet hours, then it moves to their end', () => {
    expect(plan('daily', NOW, prefs({ digestTime: '23:00' }))).toBe('2025-11-25T04:00:00.000Z');
  });
});

describe('quiet hours', () => {
  it('when in Moscow at 23:00 (quiet 22:00–07:00, crossing midnight), then the time moves to 07:00 the next morning', () => {
    expect(afterQuietHours(new Date('2025-11-24T20:00:00Z'), prefs(), 'Europe/Moscow').toISOString()).toBe(
      '2025-11-25T04:00:00.000Z',
    );
  });

  it('when in Vladivostok at 23:00 and at 05:00, then it moves to 07:00 local; at 07:00 and 21:59 it stays', () => {
    const zone = 'Asia/Vladivostok';
    expect(afterQuietHours(new Date('2025-11-24T13:00:00Z'), prefs(), zone).toISOString()).toBe(
      '2025-11-24T21:00:00.000Z',
    );
    expect(afterQuietHours(new Date('2025-11-24T19:00:00Z'), prefs(), zone).toISOString()).toBe(
      '2025-11-24T21:00:00.000Z',
    );
    expect(afterQuietHours(new Date('2025-11-24T21:00:00Z'), prefs(), zone).toISOString()).toBe(
      '2025-11-24T21:00:00.000Z',
    );
    expect(afterQuietHours(new Date('2025-11-24T11:59:00Z'), prefs(), zone).toISOString()).toBe(
      '2025-11-24T11:59:00.000Z',
    );
  });

  it('when quiet hours do not cross midnight, or from equals until (off), then only the window itself moves', () => {
    const afternoon = prefs({ quietFrom: '13:00', quietUntil: '15:00' });
    expect(afterQuietHours(NOW, afternoon, 'Europe/Moscow').toISOString()).toBe('2025-11-24T12:00:00.000Z');
    expect(afterQuietHours(new Date('2025-11-24T20:00:00Z'), afternoon, 'Europe/Moscow').toISOString()).toBe(
      '2025-11-24T20:00:00.000Z',
    );
    const off = prefs({ quietFrom: '00:00', quietUntil: '00:00' });
    expect(afterQuietHours(new Date('2025-11-24T20:00:00Z'), off, 'Europe/Moscow').toISOString()).toBe(
      '2025-11-24T20:00:00.000Z',
    );
  });
});

describe('acceptIntents', () => {
  it('when an intent is accepted, then it reaches the inbox and is queued for e-mail and push, and the dispatcher is told when', async () => {
    const docs = docsWith();

    const outcome = await accept(docs, [intent(1)]);

    const id = notificationId(intent(1));
    const inbox = await docs.get('inbox', MAMA);
    expect(inbox?.entries).toEqual([
      expect.objectContaining({
        id,
        trigger: 'low_mark',
        title: intent(1).title,
        readAt: '',
        createdAt: NOW.toISOString(),
      }),
    ]);
    const { deliveries } = await queueOf(docs);
    expect(deliveries.map((d) => [d.id, d.channel, d.status, d.dueAt])).toEqual([
      [`${id}:email`, 'email', 'queued', at(NOW, COALESCE_WINDOW_MS).toISOString()],
      [`${id}:push`, 'push', 'queued', at(NOW, COALESCE_WINDOW_MS).toISOString()],
    ]);
    expect(outcome.inboxed).toBe(1);
    expect(outcome.queued.map((d) => d.id)).toEqual([`${id}:email`, `${id}:push`]);
    expect(outcome.wake).toEqual([{ personId: MAMA, dueAt: at(NOW, COALESCE_WINDOW_MS).toISOString() }]);
  });

  it('when the same intents come again (a replay), then there is still one inbox entry and one delivery per channel, and nothing is put', async () => {
    const docs = docsWith();
    await accept(docs, [intent(1), intent(2)]);
    const before = docs.snapshot();
    const puts = docs.puts;

    const outcome = await accept(docs, [intent(1), intent(2), intent(1)], at(NOW, 5 * MINUTE));

    expect(docs.puts).toBe(puts);
    expect(docs.snapshot()).toEqual(before);
    expect(outcome).toEqual({ inboxed: 0, inboxedEntries: [], queued: [], wake: [] });
  });

  it('when a replay comes after the deliveries were sent, then nothing is queued again', async () => {
    const docs = docsWith();
    await accept(docs, [intent(1)]);
    const sent = recordOutcome(
      await queueOf(docs),
      (await queueOf(docs)).deliveries.map((d) => d.id),
      { sent: true },
      at(NOW, 3 * MINUTE),
    );
    docs.put('deliveries', sent);

    const outcome = await accept(docs, [intent(1)], at(NOW, 10 * MINUTE));

    expect(outcome.queued).toEqual([]);
    expect((await queueOf(docs)).deliveries.every((d) => d.status === 'sent')).toBe(true);
  });

  it('when many intents of one call concern the same person, then their documents are put once', async () => {
    const docs = docsWith();
    const marks = Array.from({ length: 30 }, (_, n) => intent(n));

    const outcome = await accept(docs, marks);

    // One inbox and one queue: two puts.
    expect(docs.puts).toBe(2);
    expect((await docs.get('inbox', MAMA))?.entries).toHaveLength(30);
    expect((await queueOf(docs)).deliveries).toHaveLength(60);
    expect(outcome.wake).toHaveLength(1);
  });

  it('when the trigger is turned off, then the person is told nothing at all', async () => {
    const docs = docsWith(withTrigger(prefs(), 'low_mark', { enabled: false }));

    const outcome = await accept(docs, [intent(1)]);

    expect(docs.puts).toBe(0);
    expect(outcome.inboxed).toBe(0);
    expect(await docs.get('inbox', MAMA)).toBeNull();
  });

  it('when the person gave no e-mail, then the inbox and push get it and no e-mail is queued', async () => {
    const docs = docsWith(null);

    await accept(docs, [intent(1)]);

    expect((await docs.get('inbox', MAMA))?.entries).toHaveLength(1);
    expect((await queueOf(docs)).deliveries.map((d) => d.channel)).toEqual(['push']);
  });

  it('when SMS is chosen with a phone, then an SMS is queued too; a trigger without channels reaches only the inbox', async () => {
    const withSms = withTrigger(prefs({ phone: '+79123456789' }), 'low_mark', { channels: ['sms'] });
    const docs = docsWith(withTrigger(withSms, 'absence', { channels: [] }));

    await accept(docs, [intent(1), intent(2, { trigger: 'absence' })]);

    expect((await docs.get('inbox', MAMA))?.entries).toHaveLength(2);
    expect((await queueOf(docs)).deliveries.map((d) => [d.trigger, d.channel])).toEqual([
      ['low_mark', 'sms'],
    ]);
  });

  it('when the intent is older than the delivery memory, then nobody is told', async () => {
    const docs = docsWith();

    const outcome = await accept(docs, [intent(1, { occurredAt: '2025-11-09T09:00:00Z' })]);

    expect(outcome.inboxed).toBe(0);
    expect(docs.puts).toBe(0);
  });

  it('when a digest trigger is accepted, then it is due at the digest time', async () => {
    const docs = docsWith();

    await accept(docs, [intent(1, { trigger: 'mark_posted' })]);

    expect((await queueOf(docs)).deliveries.map((d) => [d.channel, d.mode, d.dueAt])).toEqual([
      ['email', 'daily', '2025-11-24T16:00:00.000Z'],
    ]);
  });

  it('when an intent arrives at night in Vladivostok, then the inbox has it at once and its e-mail waits until 07:00 there', async () => {
    const docs = docsWith();
    const night = new Date('2025-11-24T13:30:00Z'); // 23:30 in Vladivostok

    await accept(docs, [intent(1, { timeZone: 'Asia/Vladivostok', occurredAt: night.toISOString() })], night);

    expect((await docs.get('inbox', MAMA))?.entries).toHaveLength(1);
    const q = await queueOf(docs);
    expect(q.deliveries.map((d) => d.dueAt)).toEqual([
      '2025-11-24T21:00:00.000Z',
      '2025-11-24T21:00:00.000Z',
    ]);
    expect(dueMessages(q, prefs(), new Date('2025-11-24T20:59:00Z'))).toEqual([]);
    expect(dueMessages(q, prefs(), new Date('2025-11-24T21:00:00Z')).map((m) => m.channel)).toEqual([
      'email',
      'push',
    ]);
  });

  describe('inbox cap', () => {
    function entry(n: number, readAt: string): InboxEntry {
      return {
        id: `old-${String(n).padStart(3, '0')}`,
        trigger: 'mark_posted',
        title: 'Старое',
        body: '',
        studentId: IVAN,
        schoolId: 'school-1',
        link: '',
        occurredAt: new Date(Date.parse('2025-11-20T00:00:00Z') - n * MINUTE).toISOString(),
        createdAt: '2025-11-20T00:00:00Z',
        readAt,
      };
    }

    it('when the inbox is full, then the oldest read entry goes and unread ones stay', async () => {
      const docs = docsWith();
      // Newest first: the last (oldest) one is unread, the one before it read.
      const entries = Array.from({ length: INBOX_LIMIT }, (_, n) =>
        entry(n, n === INBOX_LIMIT - 2 ? '2025-11-21T00:00:00Z' : ''),
      );
      docs.put('inbox', { _id: MAMA, entries });

      await accept(docs, [intent(1)]);

      const ids = (await docs.get('inbox', MAMA))!.entries.map((e) => e.id);
      expect(ids).toHaveLength(INBOX_LIMIT);
      expect(ids[0]).toBe(notificationId(intent(1)));
      expect(ids).not.toContain(entries[INBOX_LIMIT - 2]!.id);
      expect(ids).toContain(entries[INBOX_LIMIT - 1]!.id);
    });

    it('when the inbox is full of unread entries, then the oldest goes', async () => {
      const docs = docsWith();
      const entries = Array.from({ length: INBOX_LIMIT }, (_, n) => entry(n, ''));
      docs.put('inbox', { _id: MAMA, entries });

      await accept(docs, [intent(1)]);

      const ids = (await docs.get('inbox', MAMA))!.entries.map((e) => e.id);
      expect(ids).toHaveLength(INBOX_LIMIT);
      expect(ids).not.toContain(entries[INBOX_LIMIT - 1]!.id);
      expect(ids).toContain(entries[INBOX_LIMIT - 2]!.id);
    });
  });

  it('when an older event arrives after a newer one, then the inbox stays newest first', async () => {
    const docs = docsWith();
    await accept(docs, [intent(2, { occurredAt: at(NOW, -MINUTE).toISOString() })]);

    await accept(docs, [intent(1, { occurredAt: at(NOW, -60 * MINUTE).toISOString() })]);

    expect((await docs.get('inbox', MAMA))!.entries.map((e) => e.id)).toEqual([
      notificationId(intent(2)),
      notificationId(intent(1)),
    ]);
  });

  it('when deliveries were sent or failed longer ago than the memory, then they are forgotten; queued ones stay', async () => {
    const docs = docsWith();
    const old = '2025-11-01T10:00:00.000Z';
    docs.put(
      'deliveries',
      queue(
        delivery(1, { status: 'sent', sentAt: old }),
        delivery(2, { status: 'failed', dueAt: old }),
        delivery(3, { status: 'sent', sentAt: '2025-11-20T10:00:00.000Z' }),
        delivery(4, { status: 'queued', dueAt: old }),
      ),
    );

    await accept(docs, [intent(9)]);

    expect((await queueOf(docs)).deliveries.map((d) => d.id)).toEqual([
      delivery(3).id,
      delivery(4).id,
      `${notificationId(intent(9))}:email`,
      `${notificationId(intent(9))}:push`,
    ]);
  });
});

describe('dueMessages', () => {
  it('when a teacher posts 30 marks within a minute, then the guardian gets one e-mail carrying all of them', async () => {
    const docs = docsWith();
    for (let n = 0; n < 30; n += 1) await accept(docs, [intent(n)], at(NOW, n * 2000));
    const q = await queueOf(docs);

    expect(new Set(q.deliveries.map((d) => d.dueAt))).toEqual(
      new Set([at(NOW, COALESCE_WINDOW_MS).toISOString()]),
    );
    expect(dueMessages(q, prefs(), at(NOW, COALESCE_WINDOW_MS - 1))).toEqual([]);
    const messages = dueMessages(q, prefs(), at(NOW, COALESCE_WINDOW_MS));
    const email = messages.find((m) => m.channel === 'email')!;
    expect(messages.map((m) => m.channel)).toEqual(['email', 'push']);
    expect(email.deliveryIds).toHaveLength(30);
    expect(email).toMatchObject({
      address: 'mama@example.ru',
      recipientId: MAMA,
      subject: 'Школа № 1: 30 уведомлений',
    });
    expect(messages.find((m) => m.channel === 'push')!.address).toBe(MAMA);
  });

  it('when a retry lands in quiet hours, then it waits until they end', () => {
    const night = new Date('2025-11-24T20:30:00Z'); // 23:30 in Moscow
    const q = queue(delivery(1, { attempts: 2, dueAt: at(night, -MINUTE).toISOString() }));

    expect(dueMessages(q, prefs(), night)).toEqual([]);
    expect(nextDueAt(q, prefs(), night)).toBe('2025-11-25T04:00:00.000Z');
    expect(dueMessages(q, prefs(), new Date('2025-11-25T04:00:00Z'))).toHaveLength(1);
  });

  it('when four e-mails went within the hour, then the fifth waits until the oldest is an hour old; push is not limited by it', () => {
    const sentAts = [-50, -40, -30, -20].map((m) => at(NOW, m * MINUTE).toISOString());
    const q = queue(
      ...sentAts.map((sentAt, n) => delivery(10 + n, { status: 'sent', sentAt })),
      delivery(1),
      delivery(2, { id: 'push-2', channel: 'push' }),
    );

    expect(RATE_LIMITS.email.max).toBe(4);
    expect(dueMessages(q, prefs(), NOW).map((m) => m.channel)).toEqual(['push']);
    expect(nextDueAt(q, prefs(), NOW)).toBe(NOW.toISOString());
    const emailOnly = queue(...q.deliveries.filter((d) => d.channel === 'email'));
    expect(nextDueAt(emailOnly, prefs(), NOW)).toBe(at(NOW, 10 * MINUTE).toISOString());
    expect(dueMessages(emailOnly, prefs(), at(NOW, 10 * MINUTE)).map((m) => m.deliveryIds)).toEqual([
      [delivery(1).id],
    ]);
  });

  it('when several deliveries went in one message, then they count as one send', () => {
    const sentAt = at(NOW, -5 * MINUTE).toISOString();
    const q = queue(
      ...Array.from({ length: 10 }, (_, n) => delivery(10 + n, { status: 'sent', sentAt })),
      delivery(1),
    );

    expect(dueMessages(q, prefs(), NOW)).toHaveLength(1);
  });

  it('when SMS went three times today, then the next waits a day (and then for the end of quiet hours)', () => {
    const phone = withTrigger(prefs({ phone: '+79123456789' }), 'low_mark', { channels: ['sms'] });
    const sms = (n: number, changes: Partial<Delivery>) =>
      delivery(n, { id: `sms-${n}`, channel: 'sms', ...changes });
    const q = queue(
      sms(10, { status: 'sent', sentAt: at(NOW, -600 * MINUTE).toISOString() }),
      sms(11, { status: 'sent', sentAt: at(NOW, -300 * MINUTE).toISOString() }),
      sms(12, { status: 'sent', sentAt: at(NOW, -60 * MINUTE).toISOString() }),
      sms(1, {}),
    );

    expect(dueMessages(q, phone, NOW)).toEqual([]);
    // The first of the three is a day old at 03:00 in Moscow: quiet hours, so 07:00.
    expect(nextDueAt(q, phone, NOW)).toBe('2025-11-25T04:00:00.000Z');
    expect(nextDueAt(q, prefs({ ...phone, quietFrom: '00:00', quietUntil: '00:00' }), NOW)).toBe(
      at(NOW, (24 * 60 - 600) * MINUTE).toISOString(),
    );
  });

  it('when the person turned the channel off or removed the contact after queueing, then the delivery is withdrawn, not sent', () => {
    const q = queue(delivery(1));

    for (const changed of [prefs({ email: '' }), withTrigger(prefs(), 'low_mark', { channels: ['push'] })]) {
      expect(dueMessages(q, changed, NOW)).toEqual([]);
      expect(withdrawnDeliveries(q, changed, NOW)).toEqual([delivery(1).id]);
    }
    expect(withdrawnDeliveries(q, prefs(), NOW)).toEqual([]);
  });

  it('when nothing is queued, then nothing is due and there is no next time', () => {
    const q = queue(delivery(1, { status: 'sent', sentAt: NOW.toISOString() }));

    expect(dueMessages(q, prefs(), NOW)).toEqual([]);
    expect(nextDueAt(q, prefs(), NOW)).toBe('');
  });
});

describe('recordOutcome', () => {
  it('when sent, then the deliveries named are sent at that time and the others untouched', () => {
    const q = queue(delivery(1), delivery(2));

    const next = recordOutcome(q, [delivery(1).id], { sent: true }, NOW);

    expect(next.deliveries[0]).toMatchObject({ status: 'sent', sentAt: NOW.toISOString(), attempts: 1 });
    expect(next.deliveries[1]).toEqual(delivery(2));
    expect(q.deliveries[0]).toEqual(delivery(1));
  });

  it('when a provider fails again and again, then attempts back off 1, 2, 4 … minutes up to an hour, and the last one fails the delivery', () => {
    let q = queue(delivery(1));
    const delays: number[] = [];
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) {
      q = recordOutcome(q, [delivery(1).id], { sent: false, error: 'smtp: 421', retryable: true }, NOW);
      delays.push((Date.parse(q.deliveries[0]!.dueAt) - NOW.getTime()) / MINUTE);
      expect(q.deliveries[0]).toMatchObject({ status: 'queued', attempts: attempt, lastError: 'smtp: 421' });
    }
    q = recordOutcome(q, [delivery(1).id], { sent: false, error: 'smtp: 421', retryable: true }, NOW);

    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 60]);
    expect(backoffMs(20)).toBe(60 * MINUTE);
    expect(q.deliveries[0]).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
  });

  it('when the error is not retryable, then the delivery fails at once; a delivery no longer queued is not changed', () => {
    const q = queue(delivery(1), delivery(2, { status: 'sent', sentAt: NOW.toISOString() }));

    const next = recordOutcome(
      q,
      [delivery(1).id, delivery(2).id],
      { sent: false, error: 'smtp: 550 no such mailbox', retryable: false },
      NOW,
    );

    expect(next.deliveries[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'smtp: 550 no such mailbox',
    });
    expect(next.deliveries[1]).toEqual(q.deliveries[1]);
  });
});
