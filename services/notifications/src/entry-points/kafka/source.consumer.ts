import type { EventEnvelope } from '@edu/events';
import { applyFact } from '../../domain/copies';
import { applyMarks } from '../../domain/marks-copy';
import type { NotificationIntent } from '../../domain/model';
import { intentsOf } from '../../domain/triggers';
import type { Tell } from '../../telling-runner';
import type { UnitRunner } from '../../domain/ports';
import { factsOf } from './source-events';

/**
 * Applies a run of the sources' events in one unit: each fact updates the copies, then its
 * triggers decide (with the fact applied) who is told what, and everyone told gets an inbox entry
 * and their deliveries in the same unit. `now` is the unit's: "tomorrow" and the age of an event.
 */
export function sourceEventsHandler(deps: { runner: UnitRunner; tell: Tell; now: () => Date }) {
  return async (events: EventEnvelope<unknown>[]): Promise<void> => {
    const now = deps.now();
    await deps.runner.unit(async (tx) => {
      const intents: NotificationIntent[] = [];
      for (const event of events) {
        for (const fact of factsOf(event)) {
          await applyFact(tx, fact);
          await applyMarks(tx, fact);
          intents.push(...(await intentsOf(tx, fact, now)));
        }
      }
      await deps.tell(tx, intents);
    });
  };
}
