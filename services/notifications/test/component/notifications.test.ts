import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@edu/events';
import { mailpitMessages, waitFor } from '@edu/testing';
import type { Preferences } from '@edu/proto/dist/generated/edu/notifications/v1/Preferences';
import {
  ANNA,
  BORIS,
  CLASS_A,
  IVAN,
  NOW,
  OLGA,
  TEACHER_A,
  VERA,
  mark,
  marksPosted,
  seedEvents,
} from '../unit/source-fixtures';
import { personActor, refusal, startNotifications, type NotificationsHarness, type Source } from './harness';

// Notifications against the real Kafka, FerretDB and Mailpit: the sources' events become inbox
// entries and deliveries; e-mail goes through SMTP and is read back from Mailpit; the clock is the
// test's (coalescing windows, quiet hours and digests are minutes and hours).

let h: NotificationsHarness;
/** Anna's address in this run (Mailpit keeps every run's messages). */
const annaEmail = `anna.${randomUUID().slice(0, 8)}@example.ru`;

const sourceOf = (event: EventEnvelope<unknown>): Source => event.type.split('.')[1] as Source;

async function publishAll(events: EventEnvelope<unknown>[]): Promise<void> {
  for (const source of ['roster', 'schedule', 'gradebook'] as const) {
    const theirs = events.filter((e) => sourceOf(e) === source);
    if (theirs.length > 0) await h.publish(source, theirs);
  }
}

/** An event of the gradebook at the harness clock (events older than two weeks tell nobody). */
function lowMark(studentId: string, lessonId: string, value = '2'): EventEnvelope<unknown> {
  const event = marksPosted([mark(studentId, value, `m-${lessonId}`)], { lessonId, classId: CLASS_A });
  return { ...event, occurredAt: h.clock.now.toISOString() };
}

const inbox = async (personId: string) =>
  h.client.ListInbox({ unread_only: false, limit: 200, cursor: '' }, await h.as(personActor(personId)));

const triggersOf = async (personId: string) => (await inbox(personId)).notifications.map((n) => n.trigger);

/** Moves the clock and sends what is due then. */
async function at(iso: string) {
  h.clock.now = new Date(iso);
  return h.service.dispatcher().runDue();
}

function preferences(overrides: Partial<Preferences> = {}): Preferences {
  return {
    triggers: [],
    email: annaEmail,
    phone: '',
    quiet_from: '22:00',
    quiet_until: '07:00',
    digest_time: '19:00',
    digest_weekday: 7,
    ...overrides,
  };
}

beforeAll(async () => {
  h = await startNotifications({ start: NOW });
  await publishAll(seedEvents());
  // Anna gives her e-mail: low marks by e-mail and push at once, other marks in the daily digest.
  await h.client.SetPreferences(
    { preferences: preferences(), expected_version: '0' },
    await h.as(personActor(ANNA)),
  );
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('the sources tell guardians through the inbox', () => {
  it("puts a low mark into the inboxes of the child, the guardian with consent and the class teacher — no one else's", async () => {
    await publishAll([lowMark(IVAN, 'l-low-1')]);
    expect(await triggersOf(ANNA)).toEqual(expect.arrayContaining(['mark_posted', 'low_mark']));
    expect(await triggersOf(IVAN)).toEqual(expect.arrayContaining(['mark_posted', 'low_mark']));
    expect(await triggersOf(TEACHER_A)).toContain('low_mark');
    // Boris's link has no consent; Vera and Olga are another child's family.
    for (const other of [BORIS, VERA, OLGA]) expect(await triggersOf(other)).toEqual([]);
    const annas = (await inbox(ANNA)).notifications.find((n) => n.trigger === 'low_mark')!;
    expect(annas).toMatchObject({ student_id: IVAN, read_at: '', title: 'Низкая отметка: 2' });
    expect(annas.body).not.toContain('Смирнова');
  });

  it('tells nobody twice when an event is delivered again (a replay)', async () => {
    const event = lowMark(IVAN, 'l-low-2');
    await publishAll([event]);
    const before = (await inbox(ANNA)).notifications.length;
    const queued = (await h.service.store().get('deliveries', ANNA))!.deliveries.length;
    await publishAll([event, event]);
    expect((await inbox(ANNA)).notifications.length).toBe(before);
    expect((await h.service.store().get('deliveries', ANNA))!.deliveries.length).toBe(queued);
  });

  it('marks notifications read and counts the unread ones', async () => {
    const page = await inbox(ANNA);
    expect(page.unread).toBe(page.notifications.length);
    const first = page.notifications[0]!.notification_id;
    const read = await h.client.MarkRead(
      { notification_ids: [first], all: false },
      await h.as(personActor(ANNA)),
    );
    expect(read.unread).toBe(page.unread - 1);
    const unread = await h.client.ListInbox(
      { unread_only: true, limit: 0, cursor: '' },
      await h.as(personActor(ANNA)),
    );
    expect(unread.notifications.map((n) => n.notification_id)).not.toContain(first);
  });
});

describe('channels', () => {
  it('coalesces low marks within the window into one e-mail through the real SMTP server, and one push', async () => {
    const push = h.service.recording().push!;
    push.sent.length = 0;
    // The two marks above are due at 09:02; a third at 09:01 joins them.
    await at('2026-11-24T09:01:00.000Z');
    await publishAll([lowMark(IVAN, 'l-low-3', '1')]);
    expect((await mailpitMessages(annaEmail)).length).toBe(0);
    await at('2026-11-24T09:03:00.000Z');
    await waitFor(async () => (await mailpitMessages(annaEmail)).length > 0, { timeoutMs: 10_000 });
    const mails = await mailpitMessages(annaEmail);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Школа № 1: 3 уведомления');
    const text = await mails[0]!.text();
    expect(text).toContain('Низкая отметка: 1');
    expect(text).toContain('Низкая отметка: 2');
    expect(text).not.toContain('Смирнова Ольга');
    expect(push.sent.filter((m) => m.recipientId === ANNA)).toHaveLength(1);
    const deliveries = (await h.service.store().get('deliveries', ANNA))!.deliveries;
    expect(
      deliveries.filter((d) => d.trigger === 'low_mark' && d.channel === 'email').map((d) => d.status),
    ).toEqual(['sent', 'sent', 'sent']);
  });

  it('sends the day’s ordinary marks in one digest at the chosen time (19:00 at the school), not before', async () => {
    await deleteMailFor(annaEmail);
    await at('2026-11-24T15:59:00.000Z');
    expect(await mailpitMessages(annaEmail)).toHaveLength(0);
    await at('2026-11-24T16:00:30.000Z');
    await waitFor(async () => (await mailpitMessages(annaEmail)).length > 0, { timeoutMs: 10_000 });
    const mails = await mailpitMessages(annaEmail);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Школа № 1: сводка за 24 ноября');
    expect(await mails[0]!.text()).toContain('Новая отметка: 2');
  });

  it('holds e-mail and push in quiet hours (22:00–07:00 at the school) and sends them when they end', async () => {
    await deleteMailFor(annaEmail);
    // 22:30 in Moscow.
    await at('2026-11-24T19:30:00.000Z');
    await publishAll([lowMark(IVAN, 'l-night')]);
    // In-app at once, whatever the hour.
    expect((await inbox(ANNA)).notifications.some((n) => n.occurred_at === '2026-11-24T19:30:00.000Z')).toBe(
      true,
    );
    await at('2026-11-24T19:40:00.000Z');
    await at('2026-11-25T03:59:00.000Z');
    expect(await mailpitMessages(annaEmail)).toHaveLength(0);
    // 07:00 in Moscow: the held notification goes (the night's ordinary mark waits for the digest).
    await at('2026-11-25T04:00:30.000Z');
    await waitFor(async () => (await mailpitMessages(annaEmail)).length > 0, { timeoutMs: 10_000 });
    const mails = await mailpitMessages(annaEmail);
    expect(mails.map((m) => m.subject)).toEqual(['Школа № 1: Низкая отметка: 2']);
  });

  it('keeps the inbox and e-mail going while the push provider is down, and retries push with backoff', async () => {
    await deleteMailFor(annaEmail);
    const push = h.service.recording().push!;
    push.fail(true);
    await at('2026-11-26T09:00:00.000Z');
    await publishAll([lowMark(IVAN, 'l-outage')]);
    const totals = await at('2026-11-26T09:03:00.000Z');
    expect(totals.retried).toBeGreaterThan(0);
    await waitFor(async () => (await mailpitMessages(annaEmail)).length > 0, { timeoutMs: 10_000 });
    expect((await inbox(ANNA)).notifications.some((n) => n.occurred_at === '2026-11-26T09:00:00.000Z')).toBe(
      true,
    );
    const pushDelivery = (await h.service.store().get('deliveries', ANNA))!.deliveries.find(
      (d) => d.channel === 'push' && d.occurredAt === '2026-11-26T09:00:00.000Z' && d.trigger === 'low_mark',
    )!;
    expect(pushDelivery).toMatchObject({ status: 'queued', attempts: 1 });
    push.recover();
    await at('2026-11-26T09:10:00.000Z');
    const retried = (await h.service.store().get('deliveries', ANNA))!.deliveries.find(
      (d) => d.id === pushDelivery.id,
    )!;
    expect(retried.status).toBe('sent');
    const metrics = await h.metrics.registry.getSingleMetricAsString('notifications_deliveries_sent_total');
    expect(metrics).toMatch(/channel="email"/);
  });
});

describe("the service's own events", () => {
  it('publishes that a class got its progress reports, without marks or names', async () => {
    // The round of 16–29 November ended: on 30 November the reports go.
    h.clock.now = new Date('2026-11-30T09:00:00.000Z');
    expect(await h.service.runProgressReports()).toBeGreaterThan(0);
    await waitFor(async () => (await h.published()).length > 0, { timeoutMs: 20_000 });
    const sent = (await h.published()).filter((e) => e.type === 'edu.notifications.progress_reports.sent');
    expect(sent.map((e) => e.payload)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          class_id: CLASS_A,
          school_id: 'school-1',
          round_starts_on: '2026-11-16',
          round_ends_on: '2026-11-29',
          reports: 2,
        }),
      ]),
    );
    expect(JSON.stringify(sent)).not.toContain('Иванов');
    // A second run tells nobody and publishes nothing more.
    expect(await h.service.runProgressReports()).toBe(0);
  });
});

describe('preferences and refusals', () => {
  it('refuses bad preferences naming the fields, and stores nothing', async () => {
    const actor = await h.as(personActor(ANNA));
    const before = await h.client.GetPreferences({}, actor);
    const error = await refusal(
      h.client.SetPreferences(
        {
          preferences: preferences({ email: 'не почта', quiet_from: '25:00' }),
          expected_version: before.version,
        },
        actor,
      ),
    );
    expect(error.codeName).toBe('INVALID_ARGUMENT');
    expect(error.domainError?.code).toBe('preferences.invalid');
    expect(error.domainError?.errors?.map((e) => e.field).sort()).toEqual(expect.arrayContaining(['email']));
    const after = await h.client.GetPreferences({}, actor);
    expect(after).toEqual(before);
  });

  it('refuses a stale version of preferences', async () => {
    const error = await refusal(
      h.client.SetPreferences(
        { preferences: preferences(), expected_version: '0' },
        await h.as(personActor(ANNA)),
      ),
    );
    expect(error.domainError?.code).toBe('preferences.version_conflict');
  });

  it('refuses an inbox to an account that is no person', async () => {
    const operator = { accountId: 'acc-operator', schoolRoles: [], grants: ['regionOperator'] };
    const error = await refusal(
      h.client.ListInbox({ unread_only: false, limit: 0, cursor: '' }, await h.as(operator)),
    );
    expect(error.codeName).toBe('PERMISSION_DENIED');
  });
});

async function deleteMailFor(address: string): Promise<void> {
  const { deleteMailpitMessages } = await import('@edu/testing');
  await deleteMailpitMessages(address);
}
