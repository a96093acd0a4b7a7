import type { EventEnvelope } from '@edu/events';
import { applyRosterFact } from '../../domain/copies';
import type { Emit, UnitRunner } from '../../domain/ports';
import { factsOf } from './roster-events';

/** Applies a run of roster's events in one unit; actor changes are published from the same unit. */
export function rosterEventsHandler(deps: { runner: UnitRunner; emit: Emit }) {
  return async (events: EventEnvelope<unknown>[]): Promise<void> => {
    await deps.runner.unit(async (tx) => {
      for (const event of events) {
        for (const fact of factsOf(event)) {
          for (const published of await applyRosterFact(tx, fact)) deps.emit(tx, published);
        }
      }
    });
  };
}
