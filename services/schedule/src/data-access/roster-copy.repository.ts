import type { Model } from 'mongoose';
import { putIfNewer } from '@edu/store';
import type { RosterCopyReader, RosterCopyWriter } from '../domain/ports';
import type { CopyDocument, RosterCopyModels } from './roster-copy.model';

/** A stored record with roster's id back in `id`. */
function fromDocument<T extends { id: string }>(doc: CopyDocument<T>): T {
  const { _id, updatedAt: _updatedAt, ...fields } = doc;
  return { id: _id, ...fields } as unknown as T;
}

/** Stores `record` unless the stored one is as new or newer; true when it was applied. */
function putRecord<T extends { id: string; version: number }>(
  model: Model<CopyDocument<T>>,
  record: T,
): Promise<boolean> {
  const { id, ...fields } = record;
  return putIfNewer(model, id, { ...fields, updatedAt: new Date() } as unknown as Omit<
    CopyDocument<T>,
    '_id'
  >);
}

async function one<T extends { id: string }>(model: Model<CopyDocument<T>>, id: string): Promise<T | null> {
  if (!id) return null;
  const doc = await model.findById(id).lean<CopyDocument<T>>();
  return doc ? fromDocument<T>(doc) : null;
}

async function many<T extends { id: string }>(
  model: Model<CopyDocument<T>>,
  filter: Record<string, unknown>,
): Promise<T[]> {
  const docs = await model.find(filter).limit(5_000).lean<CopyDocument<T>[]>();
  return docs.map((doc) => fromDocument<T>(doc));
}

/** The copy of roster in schedule's own database: written by the consumer, read by the use cases. */
export function createRosterCopy(models: RosterCopyModels): RosterCopyWriter & RosterCopyReader {
  const byIds = <T extends { id: string }>(model: Model<CopyDocument<T>>, ids: string[]) =>
    ids.length === 0 ? Promise.resolve([]) : many(model, { _id: { $in: ids } });

  return {
    putSchool: (school) => putRecord(models.schools, school),
    putYear: (year) => putRecord(models.years, year),
    putClass: (schoolClass) => putRecord(models.classes, schoolClass),
    putSubgroup: (subgroup) => putRecord(models.subgroups, subgroup),
    putStaffPosition: (position) => putRecord(models.staffPositions, position),
    putPerson: (person) => putRecord(models.people, person),

    school: (id) => one(models.schools, id),
    year: (id) => one(models.years, id),
    schoolClass: (id) => one(models.classes, id),
    classes: (ids) => byIds(models.classes, ids),
    subgroup: (id) => one(models.subgroups, id),
    subgroups: (ids) => byIds(models.subgroups, ids),
    openSubgroupsOfClass: (classId) => many(models.subgroups, { classId, status: 'open' }),
    positionsOf: (schoolId, personId) => many(models.staffPositions, { schoolId, personId }),
    people: (ids) => byIds(models.people, ids),
  };
}
