import { randomBytes } from 'node:crypto';

/**
 * A name no other test run uses (topics, databases, consumer groups): tests never share data,
 * and a rerun never sees the leftovers of an earlier one.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
