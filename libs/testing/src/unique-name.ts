import { randomBytes } from 'node:crypto';

/**
 * What every name a test makes starts with (topics, databases after `-` → `_`, consumer groups).
 * The jest global setup deletes what earlier runs left under it; nothing else uses it.
 */
export const SCRATCH_PREFIX = 'test-';

/**
 * A name no other test run uses (topics, databases, consumer groups): tests never share data,
 * and a rerun never sees the leftovers of an earlier one.
 */
export function uniqueName(prefix: string): string {
  return `${SCRATCH_PREFIX}${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A topic prefix of its own (`EDU_KAFKA_TOPIC_PREFIX`): the services' topics, fresh and empty. */
export function uniqueTopicPrefix(): string {
  return `${uniqueName('run')}.`;
}
