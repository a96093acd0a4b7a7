import { addDays } from '@edu/kit';
import type { CollectionName, Days, ModelDocs, StudentDoc } from './model';
import type { ModelTx } from './ports';

// The small tools every part of the projection writes with: a document is put only when it
// differs from what was read (so a duplicate or a stale event reports "nothing changed"), and
// stints are opened and closed with the journal's day semantics.

/** Puts `after` when it differs from `before` (null: not stored yet); true when it did. */
export function write<K extends CollectionName>(
  tx: ModelTx,
  collection: K,
  before: ModelDocs[K] | null,
  after: ModelDocs[K],
): boolean {
  if (before && sameValue(before, after)) return false;
  tx.put(collection, after);
  return true;
}

/**
 * Equality of JSON-like values (what documents hold), whatever the objects' prototypes (a store
 * or a structured clone may hand out objects of another realm) and their keys' order; a key set
 * to undefined counts as absent.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameValue(item, b[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const key of keys) if (!sameValue(x[key], y[key])) return false;
  return true;
}

/** Sorted, without repeats and empty ids. */
export function sortedIds(ids: Iterable<string>): string[] {
  return [...new Set(ids)].filter((id) => id !== '').sort();
}

/** The Monday of a YYYY-MM-DD day's week. */
export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

/** A student no fact has told anything of yet. */
export function emptyStudent(studentId: string, schoolId: string): StudentDoc {
  return {
    _id: studentId,
    schoolId,
    classStints: [],
    applied: {},
    subgroupStints: [],
    guardians: [],
    periodMarks: [],
  };
}

/**
 * Ends the open stint that `isOne` picks before `until` (excluded). A stint that would end on or
 * before its first day never took effect and is dropped (joined and left on the same day).
 */
export function closeStint<S extends Days>(stints: S[], isOne: (stint: S) => boolean, until: string): S[] {
  const open = stints.find((s) => isOne(s) && s.until === '');
  if (!open) return stints;
  const rest = stints.filter((s) => s !== open);
  return open.from < until ? [...rest, { ...open, until }] : rest;
}

/**
 * Starts `stint` (open) unless one that `isOne` picks is open already; a stint that ended on that
 * very day is continued instead (left and came back on the same day).
 */
export function openStint<S extends Days>(stints: S[], isOne: (stint: S) => boolean, stint: S): S[] {
  if (stints.some((s) => isOne(s) && s.until === '')) return stints;
  const adjoining = stints.find((s) => isOne(s) && s.until === stint.from);
  const rest = stints.filter((s) => s !== adjoining);
  return [...rest, adjoining ? { ...adjoining, until: '' } : { ...stint, until: '' }];
}
