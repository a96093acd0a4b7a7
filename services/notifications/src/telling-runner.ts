import type { Metrics } from '@edu/kit';
import { acceptIntents, type AcceptOutcome } from './domain/delivery';
import type { DeliveryMetrics, Dispatcher } from './domain/dispatcher';
import type { NotificationIntent } from './domain/model';
import type { UnitRunner, UnitTx } from './domain/ports';

/** Tells people inside a unit: their inboxes and deliveries are written with the unit. */
export type Tell = (tx: UnitTx, intents: NotificationIntent[]) => Promise<void>;

export interface TellingRunner {
  /** Units whose `tell`s are taken into account once they are stored (dispatcher woken, metrics). */
  runner: UnitRunner;
  tell: Tell;
}

/**
 * Wraps the store's units so that whatever a unit tells reaches the dispatcher only after the unit
 * is stored, and only from the unit's last pass (a unit may run more than once while the store
 * fetches what it missed). The store runs one unit at a time, so one collector serves them all.
 */
export function createTellingRunner(options: {
  store: UnitRunner;
  dispatcher: Pick<Dispatcher, 'wake'>;
  metrics: Metrics;
  /** The delivery counters (shared with the dispatcher): deliveries queued by channel. */
  deliveries: Pick<DeliveryMetrics, 'queued'>;
  now: () => Date;
}): TellingRunner {
  const inboxLatency = options.metrics.histogram(
    'notifications_inbox_latency_seconds',
    'From the source event to the notification in the inbox',
    ['trigger'],
    [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  );
  const inboxed = options.metrics.counter('notifications_inbox_total', 'Notifications put into inboxes', [
    'trigger',
  ]);
  let collected: AcceptOutcome[] = [];
  let unitNow = new Date(0);

  function taken(outcomes: AcceptOutcome[]): void {
    const stored = Date.now();
    for (const outcome of outcomes) {
      for (const entry of outcome.inboxedEntries) {
        inboxed.inc({ trigger: entry.trigger });
        inboxLatency.observe(
          { trigger: entry.trigger },
          Math.max(0, stored - Date.parse(entry.occurredAt)) / 1000,
        );
      }
      for (const delivery of outcome.queued) options.deliveries.queued(delivery.channel, 1);
      for (const { personId, dueAt } of outcome.wake) options.dispatcher.wake(personId, dueAt);
    }
  }

  const runner: UnitRunner = {
    get: (collection, id) => options.store.get(collection, id),
    async unit(work) {
      const now = options.now();
      let outcomes: AcceptOutcome[] = [];
      const result = await options.store.unit(async (tx) => {
        collected = [];
        unitNow = now;
        const value = await work(tx);
        outcomes = collected;
        return value;
      });
      taken(outcomes);
      return result;
    },
  };

  return {
    runner,
    tell: async (tx, intents) => {
      if (intents.length > 0) collected.push(await acceptIntents(tx, intents, unitNow));
    },
  };
}
