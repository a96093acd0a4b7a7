import type { Model } from 'mongoose';
import { saveVersioned, type VersionedSaveOptions } from '@edu/events';
import { recordVersionConflict } from '../domain/lesson-record.use-cases';
import type { Attendance, Homework, LessonRecord, Mark } from '../domain/lesson-record';
import type { GradebookFact, LessonRecordRepository } from '../domain/ports';
import { gradebookEnvelopes } from './gradebook-events';
import {
  fromDocument,
  toAttendanceState,
  toDocument,
  toHomeworkState,
  toMarkState,
  toRecordState,
} from './lesson-record.mapper';
import type { LessonRecordDocument } from './lesson-record.model';

/** Ids per `_id $in` read. */
const IDS_PER_READ = 500;

export interface RepositoryOptions extends VersionedSaveOptions {
  onEventsWritten: () => void;
}

/** The domain's facts of a record as the event messages carry them (edu/events/v1/gradebook.proto). */
export function encodeRecordFact(fact: GradebookFact): GradebookFact {
  const p = fact.payload as {
    record?: LessonRecord;
    marks?: Mark[];
    mark?: Mark;
    changed?: Attendance[];
    attendance?: Attendance;
    homework?: Homework[];
  };
  return {
    ...fact,
    payload: {
      ...fact.payload,
      ...(p.record && { record: toRecordState(p.record) }),
      ...(p.marks && { marks: p.marks.map(toMarkState) }),
      ...(p.mark && { mark: toMarkState(p.mark) }),
      ...(p.changed && { changed: p.changed.map(toAttendanceState) }),
      ...(p.attendance && { attendance: toAttendanceState(p.attendance) }),
      ...(p.homework && { homework: p.homework.map(toHomeworkState) }),
    },
  };
}

/** Lesson records, one document each with its events (embedded outbox). */
export function createLessonRecordRepository(
  records: Model<LessonRecordDocument>,
  { onEventsWritten, ...options }: RepositoryOptions,
): LessonRecordRepository {
  return {
    async get(lessonId) {
      const doc = await records.findById(lessonId).lean<LessonRecordDocument>();
      return doc ? fromDocument(doc) : null;
    },

    // A quarter of a whole school's journal is thousands of ids: read in slices.
    async getMany(lessonIds) {
      const unique = [...new Set(lessonIds)];
      const found: LessonRecord[] = [];
      for (let i = 0; i < unique.length; i += IDS_PER_READ) {
        const docs = await records
          .find({ _id: { $in: unique.slice(i, i + IDS_PER_READ) } })
          .lean<LessonRecordDocument[]>();
        found.push(...docs.map(fromDocument));
      }
      return found;
    },

    async save(record, expectedVersion, facts, ctx) {
      await saveVersioned(
        records,
        toDocument(record, new Date()),
        expectedVersion,
        gradebookEnvelopes(facts.map(encodeRecordFact), ctx),
        options,
        recordVersionConflict,
      );
      onEventsWritten();
    },
  };
}
