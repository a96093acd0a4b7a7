import { dueMessages, nextDueAt, recordOutcome, withdrawnDeliveries, type SendOutcome } from './delivery';
import type { Channel, ChannelMessage, DeliveryQueueDoc } from './model';
import { ProviderError, type ChannelProvider, type UnitRunner } from './ports';
import { preferencesOf } from './preferences';

// Sends what is due. It remembers, per person, the earliest time something of theirs may go (woken
// by whoever queued it, and by itself after each dispatch); a run takes the people due by now,
// reads their queues in one unit, sends their messages outside any unit (a provider may be slow,
// and a unit may run more than once), then records the answers of all of them in one unit,
// re-reading the queues there because new deliveries may have been queued meanwhile. Two units
// per run, whatever the number of people: on FerretDB every statement costs a collection scan. A provider that fails or hangs costs only its own
// channel: the inbox was written when the event was accepted, and other channels go on.

/** A send that takes longer counts as a retryable failure (the message may still arrive: rare double). */
export const SEND_TIMEOUT_MS = 15_000;
/** People dispatched in one run (the rest in the next, a second later). */
export const PEOPLE_PER_RUN = 1_000;
/** Messages handed to providers at the same time. */
export const SENDS_AT_ONCE = 8;
/** A person whose dispatch failed (the store, say) is tried again after this. */
const RETRY_AFTER_ERROR_MS = 60_000;

const WITHDRAWN =
  'withdrawn: the person no longer wants this channel for this trigger, or removed the contact';

/** Delivery counters by channel; the caller maps them to its metrics registry. */
export interface DeliveryMetrics {
  queued(channel: string, count: number): void;
  /** One latency (sent time − the source event's time) per delivery sent. */
  sent(channel: string, latenciesSeconds: number[]): void;
  failed(channel: string, count: number): void;
  retried(channel: string, count: number): void;
}

/** Deliveries of one run: sent, given up, and waiting for another attempt. */
export interface DispatchTotals {
  sent: number;
  failed: number;
  retried: number;
}

export interface Dispatcher {
  /** Something of the person's may go at `dueAt` (RFC 3339); the earliest wake wins. */
  wake(personId: string, dueAt: string): void;
  /** Dispatches every person due by now; a call during a run shares that run. */
  runDue(): Promise<DispatchTotals>;
  /** People waiting to be dispatched. */
  pending(): number;
}

export interface DispatcherOptions {
  runner: UnitRunner;
  providers: ChannelProvider[];
  now: () => Date;
  metrics?: DeliveryMetrics;
  onError?: (error: unknown, personId: string) => void;
  /** SEND_TIMEOUT_MS unless a test says otherwise. */
  sendTimeoutMs?: number;
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const dueAt = new Map<string, number>();
  const providers = new Map(options.providers.map((p) => [p.channel, p]));
  const timeoutMs = options.sendTimeoutMs ?? SEND_TIMEOUT_MS;
  let running: Promise<DispatchTotals> | null = null;

  function wake(personId: string, at: string): void {
    const time = Date.parse(at);
    if (Number.isNaN(time)) return;
    const known = dueAt.get(personId);
    if (known === undefined || time < known) dueAt.set(personId, time);
  }

  async function run(): Promise<DispatchTotals> {
    const now = options.now();
    const people = [...dueAt]
      .filter(([, at]) => at <= now.getTime())
      .sort(([a, at], [b, bt]) => at - bt || a.localeCompare(b))
      .slice(0, PEOPLE_PER_RUN)
      .map(([personId]) => personId);
    for (const personId of people) dueAt.delete(personId);
    const totals: DispatchTotals = { sent: 0, failed: 0, retried: 0 };
    if (people.length === 0) return totals;
    try {
      const plans = await plan(people, now);
      // Channels whose provider hung in this run: not asked again until the next run.
      const hung = new Set<Channel>();
      const sendings = plans.flatMap((p) => p.messages.map((message) => ({ plan: p, message })));
      const outcomes = new Map<ChannelMessage, SendOutcome>();
      await inParallel(sendings, SENDS_AT_ONCE, async ({ message }) => {
        outcomes.set(message, await send(message, hung));
      });
      for (const done of await record(plans, outcomes)) {
        totals.sent += done.sent;
        totals.failed += done.failed;
        totals.retried += done.retried;
      }
    } catch (error) {
      options.onError?.(
        error,
        people.length === 1 ? people[0]! : `${people[0]} and ${people.length - 1} more`,
      );
      const retryAt = new Date(options.now().getTime() + RETRY_AFTER_ERROR_MS).toISOString();
      for (const personId of people) wake(personId, retryAt);
    }
    return totals;
  }

  /**
   * What is due for each person: one unit that only reads, so that the queues and preferences of
   * all of them are fetched in a few batched queries rather than two statements per person.
   */
  function plan(people: string[], now: Date): Promise<Plan[]> {
    return options.runner.unit(async (tx) => {
      const plans: Plan[] = [];
      for (const personId of people) {
        const queue = await tx.get('deliveries', personId);
        if (!queue) continue;
        const prefs = preferencesOf(await tx.get('preferences', personId), personId);
        plans.push({
          personId,
          messages: dueMessages(queue, prefs, now),
          withdrawn: withdrawnDeliveries(queue, prefs, now),
        });
      }
      return plans;
    });
  }

  /**
   * The answers, recorded in one unit for everyone of the run: each queue is read again there
   * (deliveries may have been queued meanwhile), changed by delivery id, and the person woken for
   * what is left.
   */
  async function record(
    plans: Plan[],
    outcomes: Map<ChannelMessage, SendOutcome>,
  ): Promise<DispatchTotals[]> {
    const answeredAt = options.now();
    const results = await options.runner.unit(async (tx) => {
      const changes: { personId: string; before: DeliveryQueueDoc; after: DeliveryQueueDoc; next: string }[] =
        [];
      for (const { personId, messages, withdrawn } of plans) {
        const current = await tx.get('deliveries', personId);
        if (!current) continue;
        let updated = current;
        for (const message of messages) {
          updated = recordOutcome(updated, message.deliveryIds, outcomes.get(message)!, answeredAt);
        }
        updated = recordOutcome(
          updated,
          withdrawn,
          { sent: false, error: WITHDRAWN, retryable: false },
          answeredAt,
        );
        if (JSON.stringify(updated) !== JSON.stringify(current)) tx.put('deliveries', updated);
        const latest = preferencesOf(await tx.get('preferences', personId), personId);
        changes.push({
          personId,
          before: current,
          after: updated,
          next: nextDueAt(updated, latest, answeredAt),
        });
      }
      return changes;
    });
    return results.map(({ personId, before, after, next }) => {
      if (next) wake(personId, next);
      return counted(before, after);
    });
  }

  async function send(message: ChannelMessage, hung: Set<Channel>): Promise<SendOutcome> {
    const provider = providers.get(message.channel);
    if (!provider)
      return { sent: false, error: `no provider for channel ${message.channel}`, retryable: false };
    if (hung.has(message.channel))
      return {
        sent: false,
        error: `the ${message.channel} provider did not answer earlier in this run`,
        retryable: true,
      };
    try {
      await withTimeout(provider.send(message), timeoutMs);
      return { sent: true };
    } catch (error) {
      if (error instanceof SendTimeout) hung.add(message.channel);
      const retryable = error instanceof ProviderError ? error.retryable : true;
      return { sent: false, error: error instanceof Error ? error.message : String(error), retryable };
    }
  }

  /** What the unit changed, counted and reported to the metrics. */
  function counted(before: DeliveryQueueDoc, after: DeliveryQueueDoc): DispatchTotals {
    const was = new Map(before.deliveries.map((d) => [d.id, d]));
    const latencies = new Map<string, number[]>();
    const failed = new Map<string, number>();
    const retried = new Map<string, number>();
    for (const d of after.deliveries) {
      const old = was.get(d.id);
      if (!old || old.status !== 'queued') continue;
      if (d.status === 'sent') {
        const seconds = Math.max(0, Date.parse(d.sentAt) - Date.parse(d.occurredAt)) / 1000;
        latencies.set(d.channel, [...(latencies.get(d.channel) ?? []), seconds]);
      } else if (d.status === 'failed') failed.set(d.channel, (failed.get(d.channel) ?? 0) + 1);
      else if (d.attempts > old.attempts) retried.set(d.channel, (retried.get(d.channel) ?? 0) + 1);
    }
    for (const [channel, seconds] of latencies) options.metrics?.sent(channel, seconds);
    for (const [channel, count] of failed) options.metrics?.failed(channel, count);
    for (const [channel, count] of retried) options.metrics?.retried(channel, count);
    const sum = (counts: Iterable<number>) => [...counts].reduce((a, b) => a + b, 0);
    return {
      sent: sum([...latencies.values()].map((l) => l.length)),
      failed: sum(failed.values()),
      retried: sum(retried.values()),
    };
  }

  return {
    wake,
    runDue() {
      running ??= run().finally(() => {
        running = null;
      });
      return running;
    },
    pending: () => dueAt.size,
  };
}

/** A person's messages and withdrawn deliveries of one run. */
interface Plan {
  personId: string;
  messages: ChannelMessage[];
  withdrawn: string[];
}

class SendTimeout extends Error {
  constructor(ms: number) {
    super(`the provider did not answer in ${ms} ms`);
    this.name = 'SendTimeout';
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeout(ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Runs `work` over the items, at most `limit` at a time. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
