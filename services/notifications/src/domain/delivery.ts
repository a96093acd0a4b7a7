import { addDays } from '@edu/kit';
import { FALLBACK_TIME_ZONE } from './copies';
import {
  CHANNELS,
  DELIVERY_MEMORY_DAYS,
  INBOX_LIMIT,
  notificationId,
  type Channel,
  type ChannelMessage,
  type Delivery,
  type DeliveryMode,
  type DeliveryQueueDoc,
  type InboxDoc,
  type InboxEntry,
  type NotificationIntent,
  type PreferencesDoc,
} from './model';
import type { UnitTx } from './ports';
import { preferencesOf, triggerPreference } from './preferences';
import { renderMessage } from './templates';

// The delivery engine's decisions, pure but for `acceptIntents` (which reads and writes through the
// unit it is given): what reaches the inbox, which deliveries are queued and when they are due,
// which are due now and go together as one message per channel, and what a provider's answer does
// to them. A delivery's id is `<notification id>:<channel>`, so a replayed event finds its
// deliveries (whatever their status) and queues nothing; deliveries are remembered for
// DELIVERY_MEMORY_DAYS and intents older than that are not delivered at all, so a replay cannot
// outlive the memory. Every "when" is in the school's zone (the delivery carries it).

/** Instant deliveries wait this long so that a burst (30 marks of a lesson) goes as one message. */
export const COALESCE_WINDOW_MS = 2 * 60_000;

/** Messages a person may get per channel in a window (counted by distinct send times). */
export const RATE_LIMITS: Record<Channel, { max: number; windowMs: number }> = {
  email: { max: 4, windowMs: 3_600_000 },
  sms: { max: 3, windowMs: 86_400_000 },
  push: { max: 10, windowMs: 3_600_000 },
};

/** Attempts before a delivery is given up. */
export const MAX_ATTEMPTS = 8;
const FIRST_BACKOFF_MS = 60_000;
const MAX_BACKOFF_MS = 3_600_000;

const DAY_MS = 86_400_000;

export interface AcceptOutcome {
  /** Notifications added to inboxes. */
  inboxed: number;
  inboxedEntries: InboxEntry[];
  /** Deliveries queued (the caller counts them by channel). */
  queued: Delivery[];
  /** Per person with new deliveries: the earliest one's due time (for the dispatcher). */
  wake: { personId: string; dueAt: string }[];
}

/** A provider's answer to one message. */
export type SendOutcome = { sent: true } | { sent: false; error: string; retryable: boolean };

// --- Accepting intents (inside a unit) -------------------------------------------------------------

/**
 * Puts each intent into its recipient's inbox and queues its deliveries per the recipient's
 * preferences. Each person's documents are read and put at most once per call; nothing is put for
 * a person when nothing changed (a replay).
 */
export async function acceptIntents(
  tx: UnitTx,
  intents: NotificationIntent[],
  now: Date,
): Promise<AcceptOutcome> {
  const outcome: AcceptOutcome = { inboxed: 0, inboxedEntries: [], queued: [], wake: [] };
  const oldest = now.getTime() - DELIVERY_MEMORY_DAYS * DAY_MS;
  // A replay of old events tells nobody: their deliveries may already be forgotten.
  const recent = intents.filter((i) => i.recipientId !== '' && !(Date.parse(i.occurredAt) < oldest));
  for (const [personId, theirs] of byRecipient(recent)) {
    await acceptForPerson(tx, personId, theirs, now, outcome);
  }
  outcome.inboxed = outcome.inboxedEntries.length;
  return outcome;
}

function byRecipient(intents: NotificationIntent[]): Map<string, NotificationIntent[]> {
  const groups = new Map<string, NotificationIntent[]>();
  for (const intent of intents) {
    const group = groups.get(intent.recipientId);
    if (group) group.push(intent);
    else groups.set(intent.recipientId, [intent]);
  }
  return groups;
}

async function acceptForPerson(
  tx: UnitTx,
  personId: string,
  intents: NotificationIntent[],
  now: Date,
  outcome: AcceptOutcome,
): Promise<void> {
  const prefs = preferencesOf(await tx.get('preferences', personId), personId);
  const inbox: InboxDoc = (await tx.get('inbox', personId)) ?? { _id: personId, entries: [] };
  const stored = await tx.get('deliveries', personId);
  const queue: DeliveryQueueDoc = stored ?? { _id: personId, deliveries: [] };
  const kept = withoutForgotten(queue.deliveries, now);
  let queueChanged = kept.length !== queue.deliveries.length;
  queue.deliveries = kept;
  const added: InboxEntry[] = [];
  const queued: Delivery[] = [];
  for (const intent of intents) {
    const pref = triggerPreference(prefs, intent.trigger);
    const id = notificationId(intent);
    if (!pref.enabled || isKnown(inbox, queue, id)) continue;
    const entry = inboxEntry(intent, id, now);
    inbox.entries = withEntry(inbox.entries, entry);
    added.push(entry);
    for (const channel of pref.channels) {
      if (!addressOf(channel, prefs)) continue;
      const delivery = newDelivery(intent, id, channel, pref.delivery, prefs, queue.deliveries, now);
      queue.deliveries.push(delivery);
      queued.push(delivery);
    }
  }
  if (added.length > 0) {
    inbox.entries = capped(inbox.entries);
    tx.put('inbox', inbox);
  }
  queueChanged ||= queued.length > 0;
  if (queueChanged) tx.put('deliveries', queue);
  outcome.inboxedEntries.push(...added);
  outcome.queued.push(...queued);
  if (queued.length > 0) outcome.wake.push({ personId, dueAt: queued.map((d) => d.dueAt).sort()[0]! });
}

/** Told before: in the inbox, or (its entry dropped from a full inbox) among the deliveries. */
function isKnown(inbox: InboxDoc, queue: DeliveryQueueDoc, id: string): boolean {
  return inbox.entries.some((e) => e.id === id) || queue.deliveries.some((d) => d.notificationId === id);
}

function inboxEntry(intent: NotificationIntent, id: string, now: Date): InboxEntry {
  return {
    id,
    trigger: intent.trigger,
    title: intent.title,
    body: intent.body,
    studentId: intent.studentId,
    schoolId: intent.schoolId,
    link: intent.link,
    occurredAt: intent.occurredAt,
    createdAt: now.toISOString(),
    readAt: '',
  };
}

/** Newest first by the source event's time; a new entry goes before older or equally old ones. */
function withEntry(entries: InboxEntry[], entry: InboxEntry): InboxEntry[] {
  const at = entries.findIndex((e) => e.occurredAt <= entry.occurredAt);
  const index = at === -1 ? entries.length : at;
  return [...entries.slice(0, index), entry, ...entries.slice(index)];
}

/** At most INBOX_LIMIT entries: the oldest read ones go first, unread ones only when all are unread. */
function capped(entries: InboxEntry[]): InboxEntry[] {
  let excess = entries.length - INBOX_LIMIT;
  if (excess <= 0) return entries;
  const dropped = new Set<number>();
  for (let i = entries.length - 1; i >= 0 && excess > 0; i -= 1) {
    if (entries[i]!.readAt) {
      dropped.add(i);
      excess -= 1;
    }
  }
  const kept = entries.filter((_, i) => !dropped.has(i));
  return kept.slice(0, INBOX_LIMIT);
}

/** Sent and failed deliveries older than the memory go; queued ones stay until they are done. */
function withoutForgotten(deliveries: Delivery[], now: Date): Delivery[] {
  const oldest = new Date(now.getTime() - DELIVERY_MEMORY_DAYS * DAY_MS).toISOString();
  return deliveries.filter((d) => d.status === 'queued' || (d.sentAt || d.dueAt) >= oldest);
}

function newDelivery(
  intent: NotificationIntent,
  id: string,
  channel: Channel,
  mode: DeliveryMode,
  prefs: PreferencesDoc,
  deliveries: Delivery[],
  now: Date,
): Delivery {
  return {
    id: `${id}:${channel}`,
    notificationId: id,
    channel,
    trigger: intent.trigger,
    title: intent.title,
    body: intent.body,
    link: intent.link,
    studentId: intent.studentId,
    schoolName: intent.schoolName,
    timeZone: intent.timeZone,
    mode,
    occurredAt: intent.occurredAt,
    queuedAt: now.toISOString(),
    dueAt: planDueAt({ mode, channel, timeZone: intent.timeZone, prefs, deliveries, now }),
    status: 'queued',
    attempts: 0,
    lastError: '',
    sentAt: '',
  };
}

/** The contact a channel goes to ('' when the person gave none; push goes to the person's devices). */
export function addressOf(channel: Channel, prefs: PreferencesDoc): string {
  if (channel === 'email') return prefs.email;
  if (channel === 'sms') return prefs.phone;
  return prefs._id;
}

// --- When a delivery is due --------------------------------------------------------------------------

/**
 * A new delivery's due time: instant ones at the end of the coalescing window, or with the
 * person's instant delivery already waiting in the channel; digests at the next digest time;
 * then out of quiet hours.
 */
export function planDueAt(input: {
  mode: DeliveryMode;
  channel: Channel;
  timeZone: string;
  prefs: PreferencesDoc;
  /** The person's deliveries so far. */
  deliveries: Delivery[];
  now: Date;
}): string {
  const { mode, channel, timeZone, prefs, now } = input;
  if (mode === 'instant') {
    const waiting = input.deliveries
      .filter((d) => d.status === 'queued' && d.channel === channel && d.mode === 'instant')
      .map((d) => d.dueAt)
      .filter((dueAt) => dueAt > now.toISOString())
      .sort()[0];
    if (waiting) return waiting;
    return afterQuietHours(new Date(now.getTime() + COALESCE_WINDOW_MS), prefs, timeZone).toISOString();
  }
  return afterQuietHours(nextDigestAt(mode, prefs, timeZone, now), prefs, timeZone).toISOString();
}

/** The next digest time strictly after `now`: daily at digestTime, weekly on digestWeekday too. */
export function nextDigestAt(
  mode: 'daily' | 'weekly',
  prefs: PreferencesDoc,
  timeZone: string,
  now: Date,
): Date {
  const today = localParts(now, timeZone).date;
  for (let day = 0; day <= 7; day += 1) {
    const date = addDays(today, day);
    if (mode === 'weekly' && isoWeekday(date) !== prefs.digestWeekday) continue;
    const at = zonedInstant(date, prefs.digestTime, timeZone);
    if (at.getTime() > now.getTime()) return at;
  }
  // Unreachable with a valid weekday; a stored bad one falls back to a day later.
  return new Date(now.getTime() + DAY_MS);
}

/** `at`, or the end of the quiet hours it falls in (in the school's zone; equal from/until: none). */
export function afterQuietHours(at: Date, prefs: PreferencesDoc, timeZone: string): Date {
  const { quietFrom: from, quietUntil: until } = prefs;
  if (from === until) return at;
  const { date, time } = localParts(at, timeZone);
  if (from < until) return time >= from && time < until ? zonedInstant(date, until, timeZone) : at;
  // The window crosses midnight: evening hours end tomorrow morning.
  if (time >= from) return zonedInstant(addDays(date, 1), until, timeZone);
  if (time < until) return zonedInstant(date, until, timeZone);
  return at;
}

export function isQuiet(at: Date, prefs: PreferencesDoc, timeZone: string): boolean {
  return afterQuietHours(at, prefs, timeZone).getTime() !== at.getTime();
}

// --- What is due now ---------------------------------------------------------------------------------

/**
 * The messages to send now: per channel, every queued delivery due by `now` that the person still
 * wants through it and that is outside quiet hours, as one message, unless the channel's rate
 * limit is reached (then they wait; `nextDueAt` says until when).
 */
export function dueMessages(queue: DeliveryQueueDoc, prefs: PreferencesDoc, now: Date): ChannelMessage[] {
  const due = queue.deliveries.filter(
    (d) => isDue(d, now) && isWanted(d, prefs) && !isQuiet(now, prefs, d.timeZone),
  );
  const messages: ChannelMessage[] = [];
  for (const channel of CHANNELS) {
    const deliveries = due.filter((d) => d.channel === channel);
    if (deliveries.length === 0 || rateOpensAt(queue, channel, now) > now.getTime()) continue;
    messages.push({
      channel,
      recipientId: queue._id,
      address: addressOf(channel, prefs),
      ...renderMessage(deliveries, channel),
      deliveryIds: deliveries.map((d) => d.id),
    });
  }
  return messages;
}

/**
 * Queued deliveries due by `now` the person no longer wants (trigger or channel turned off, or the
 * contact removed since they were queued): they are given up, never sent.
 */
export function withdrawnDeliveries(queue: DeliveryQueueDoc, prefs: PreferencesDoc, now: Date): string[] {
  return queue.deliveries.filter((d) => isDue(d, now) && !isWanted(d, prefs)).map((d) => d.id);
}

/** When something of the queue may go next ('' when nothing is queued); `now` at the earliest. */
export function nextDueAt(queue: DeliveryQueueDoc, prefs: PreferencesDoc, now: Date): string {
  let earliest = Infinity;
  for (const d of queue.deliveries) {
    if (d.status !== 'queued') continue;
    const notBefore = Math.max(Date.parse(d.dueAt), now.getTime());
    const at = isWanted(d, prefs)
      ? afterQuietHours(
          new Date(Math.max(notBefore, rateOpensAt(queue, d.channel, now))),
          prefs,
          d.timeZone,
        ).getTime()
      : notBefore;
    earliest = Math.min(earliest, at);
  }
  return earliest === Infinity ? '' : new Date(earliest).toISOString();
}

function isDue(d: Delivery, now: Date): boolean {
  return d.status === 'queued' && Date.parse(d.dueAt) <= now.getTime();
}

function isWanted(d: Delivery, prefs: PreferencesDoc): boolean {
  const pref = triggerPreference(prefs, d.trigger);
  return pref.enabled && pref.channels.includes(d.channel) && addressOf(d.channel, prefs) !== '';
}

/** When the channel's rate limit lets the next message go (≤ now: it does now). */
function rateOpensAt(queue: DeliveryQueueDoc, channel: Channel, now: Date): number {
  const { max, windowMs } = RATE_LIMITS[channel];
  const since = now.getTime() - windowMs;
  const sends = [
    ...new Set(
      queue.deliveries
        .filter((d) => d.channel === channel && d.status === 'sent' && d.sentAt)
        .map((d) => Date.parse(d.sentAt))
        .filter((at) => at > since),
    ),
  ].sort((a, b) => a - b);
  if (sends.length < max) return now.getTime();
  return sends[sends.length - max]! + windowMs;
}

// --- Outcomes ------------------------------------------------------------------------------------------

/** The delay before attempt `attempts + 1` after `attempts` failed ones: 1, 2, 4 … minutes, at most an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(FIRST_BACKOFF_MS * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

/**
 * The queue with a provider's answer applied to the named deliveries that are still queued: sent;
 * or another attempt after a backoff; or failed (not retryable, or the last attempt).
 */
export function recordOutcome(
  queue: DeliveryQueueDoc,
  deliveryIds: string[],
  outcome: SendOutcome,
  now: Date,
): DeliveryQueueDoc {
  const ids = new Set(deliveryIds);
  const at = now.toISOString();
  return {
    ...queue,
    deliveries: queue.deliveries.map((d): Delivery => {
      if (!ids.has(d.id) || d.status !== 'queued') return d;
      if (outcome.sent) return { ...d, status: 'sent', sentAt: at, attempts: d.attempts + 1, lastError: '' };
      const attempts = d.attempts + 1;
      if (!outcome.retryable || attempts >= MAX_ATTEMPTS)
        return { ...d, status: 'failed', attempts, lastError: outcome.error, dueAt: at };
      return {
        ...d,
        attempts,
        lastError: outcome.error,
        dueAt: new Date(now.getTime() + backoffMs(attempts)).toISOString(),
      };
    }),
  };
}

// --- Time zones -------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter of the zone (the fallback zone when it is '' or unknown). */
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  const known = formatters.get(timeZone);
  if (known) return known;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = zoneFormatter(timeZone || FALLBACK_TIME_ZONE);
  } catch {
    formatter = zoneFormatter(FALLBACK_TIME_ZONE);
  }
  formatters.set(timeZone, formatter);
  return formatter;
}

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** The local date (YYYY-MM-DD), time (HH:MM) and seconds of an instant in a zone. */
export function localParts(at: Date, timeZone: string): { date: string; time: string; seconds: number } {
  const parts = Object.fromEntries(
    formatterOf(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    seconds: Number(parts.second),
  };
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetMs(at: number, timeZone: string): number {
  const { date, time, seconds } = localParts(new Date(at), timeZone);
  const local = Date.parse(`${date}T${time}:${String(seconds).padStart(2, '0')}Z`);
  return local - Math.floor(at / 1000) * 1000;
}

/** The instant of a local date (YYYY-MM-DD) and time (HH:MM) in a zone. */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const asUtc = Date.parse(`${date}T${time}:00Z`);
  const first = asUtc - offsetMs(asUtc, timeZone);
  // Once more with the offset at the found instant, for zones whose offset changed in between.
  return new Date(asUtc - offsetMs(first, timeZone));
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}
